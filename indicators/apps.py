from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """The indicator catalogue."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
