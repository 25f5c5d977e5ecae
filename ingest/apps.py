from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Source documents and the extraction pipeline."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ingest"
