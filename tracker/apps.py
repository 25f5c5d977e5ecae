from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """Jurisdictions, targets and actuals."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        from tracker import checks  # noqa: F401  (registers the deployment checks)
