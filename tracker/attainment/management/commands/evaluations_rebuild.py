"""`manage.py evaluations_rebuild [--check]`: evaluate every target again, or compare."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.attainment.models import Evaluation
from tracker.attainment.rules import rules_get
from tracker.attainment.selectors import (
    evaluable_targets,
    evaluation_differences,
    evaluation_state,
)
from tracker.attainment.services import evaluations_rebuild
from tracker.planner import tables_analyze
from tracker.progress import progress_bar

SHOWN_DIFFERENCES = 50


class Command(BaseCommand):
    help = (
        "Evaluate every target again as of today under the rules in force and store the rows "
        "(after a bulk load, or to repair). With --check, store nothing: compare every stored "
        "row with a fresh evaluation, print the differences and exit 1 if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare the stored rows, change nothing"
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            self._check()
            return
        total = evaluable_targets().count() if self.stdout.isatty() else 0
        with progress_bar(
            stdout=self.stdout, total=total, unit="target", description="evaluations"
        ) as bar:
            rebuilt = evaluations_rebuild(progress=bar.update)
        tables_analyze(models=[Evaluation])
        self.stdout.write(
            f"{rebuilt.rows} evaluations stored as of {rebuilt.as_of:%Y-%m-%d} "
            f"(rules {rebuilt.fingerprint}) in {rebuilt.seconds:.1f} s"
        )

    def _check(self) -> None:
        today, rules = timezone.localdate(), rules_get()
        state = evaluation_state()
        problems = 0
        if state is None:
            self.stdout.write("no evaluations stored yet: run evaluations_rebuild")
            problems += 1
        elif state.as_of != today or state.fingerprint != rules.fingerprint:
            self.stdout.write(
                f"stored as of {state.as_of:%Y-%m-%d} under rules {state.fingerprint}; "
                f"today is {today:%Y-%m-%d} and the rules in force are {rules.fingerprint}"
            )
            problems += 1
        differences = evaluation_differences(as_of=today, rules=rules)
        count = 0
        for difference in differences:
            count += 1
            if count <= SHOWN_DIFFERENCES:
                self.stdout.write(str(difference))
        if count > SHOWN_DIFFERENCES:
            self.stdout.write(f"... and {count - SHOWN_DIFFERENCES} more")
        if problems or count:
            raise CommandError(f"{count} stored evaluations differ from a fresh evaluation")
        self.stdout.write(f"every stored evaluation is current (as of {today:%Y-%m-%d})")
