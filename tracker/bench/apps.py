from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (`manage.py bench`, `bench_load`): apart from the product's code."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker.bench"
    label = "bench"
    verbose_name = "Benchmarks"
