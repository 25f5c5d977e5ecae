"""The indicator catalogue: what a target or an actual measures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Base units in which every value of an indicator is stored."""

    CNY = "CNY", _("yuan")
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    M2 = "m2", _("square metres")
    PERSON_YEAR = "person_year", _("person-years")
    PER_10K_PEOPLE = "per_10k_people", _("per 10,000 residents")


class Nature(models.TextChoices):
    """How an indicator behaves over time; decides how partial periods are judged."""

    FLOW = "flow", _("flow (accumulates over the period)")
    STOCK = "stock", _("stock (level at the end of the period)")
    RATIO = "ratio", _("ratio (share or intensity)")


class Direction(models.TextChoices):
    """Whether more of the indicator is better or worse."""

    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(models.Model):
    """A measurable quantity with a base unit, e.g. gross R&D expenditure in yuan."""

    code = models.SlugField(verbose_name=_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(verbose_name=_("unit"), max_length=20, choices=Unit.choices)
    nature = models.CharField(verbose_name=_("nature"), max_length=10, choices=Nature.choices)
    direction = models.CharField(
        verbose_name=_("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    aliases = models.JSONField(
        verbose_name=_("aliases"),
        default=list,
        blank=True,
        help_text="Surface forms seen in reports.",
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__in=Unit.values), name="indicator_unit_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(nature__in=Nature.values),
                name="indicator_nature_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="indicator_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.name_zh})"
