import os

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from tracker.rest.permissions import Role

DEMO_USERS = (
    # username, group, staff
    ("admin", None, True),
    ("editor", Role.EDITOR, False),
    ("auditor", Role.READER, False),
)


class Command(BaseCommand):
    help = (
        "Prepare a working tracker: migrate, load the indicator catalogue and China's "
        "jurisdictions, create demo users with tokens, ingest the seed reports and load "
        "the outcomes the cities published for them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-ingest", action="store_true", help="skip the seed reports")

    def handle(self, *args, no_ingest=False, **options):
        call_command("migrate", verbosity=0)
        call_command("load_catalogue", stdout=self.stdout)
        call_command("load_jurisdictions", stdout=self.stdout)
        password = os.environ.get("DEMO_PASSWORD", "demo-password")
        for name in Role.READER, Role.EDITOR:
            Group.objects.get_or_create(name=name)
        tokens = {}
        for username, group, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": staff, "is_superuser": staff}
            )
            if created:
                user.set_password(password)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            tokens[username] = Token.objects.get_or_create(user=user)[0].key
        # Every target evaluated as of today: from now on the writes keep the rows current.
        call_command("evaluations_rebuild", stdout=self.stdout)
        if not no_ingest:
            reports = sorted((settings.BASE_DIR / "seeds" / "reports").glob("*.txt"))
            call_command("ingest", *reports, "--accept", stdout=self.stdout)
            # What the cities reported for those targets, each figure with its source page.
            call_command("load_outcomes", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"demo users (password {password!r}):")
        for username, token in tokens.items():
            self.stdout.write(f"  {username:8} token {token}")
