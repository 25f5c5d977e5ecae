"""Deployment checks and guards of the tracker's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def _development_key_in_use() -> bool:
    return settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY


def require_secret_key() -> None:
    """Refuse to serve on the development key unless development was asked for."""
    if _development_key_in_use() and not settings.INSECURE_KEY_ALLOWED:
        raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    """`check --deploy`: production must set its own DJANGO_SECRET_KEY."""
    if _development_key_in_use():
        return [Error(settings.MISSING_SECRET_KEY, id="tracker.E001")]
    return []
