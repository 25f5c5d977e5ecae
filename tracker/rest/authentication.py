"""Token authentication that reads the user's role with the token."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from tracker.rest.permissions import ROLE_ATTRIBUTE, Role, role_of


@cache
def _token_user_sql() -> str:
    """The user of a token, with the token's creation and the role the user's groups give."""
    # Written as SQL, once a process: the same statement built by the ORM (a CASE of two
    # EXISTS) cost more to compile at each request than the database took to run it.
    member = (
        f"EXISTS (SELECT 1 FROM {User.groups.through._meta.db_table} ug"
        f" JOIN {Group._meta.db_table} g ON g.id = ug.group_id"
        " WHERE ug.user_id = u.id AND g.name = %s)"
    )
    return (
        "SELECT u.*, t.created AS token_created,"
        f" CASE WHEN {member} THEN %s WHEN {member} THEN %s END AS group_role"
        f" FROM {Token._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id"
        " WHERE t.key = %s"
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the role the user's groups give in the same query."""

    # Every API request checks the role; read on its own, it was a second query per request.
    def authenticate_credentials(self, key):
        params = [Role.EDITOR.value, Role.EDITOR.value, Role.READER.value, Role.READER.value, key]
        user = next(iter(User.objects.raw(_token_user_sql(), params)), None)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        setattr(user, ROLE_ATTRIBUTE, role_of(user.group_role))
        return user, Token(key=key, user=user, created=user.token_created)
