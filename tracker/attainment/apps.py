from django.apps import AppConfig


class AttainmentConfig(AppConfig):
    """The attainment engine: its rules, the stored evaluations, their API and pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker.attainment"
    label = "attainment"
    verbose_name = "Attainment"
