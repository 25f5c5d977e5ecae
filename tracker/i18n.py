"""Language choice: Chinese by default, another supported language on request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANGUAGE_PARAMETER = "lang"


def requested_language(request: HttpRequest) -> str | None:
    """The supported language a `?lang=` parameter names (zh-hans, zh, en …), or None."""
    asked = request.GET.get(LANGUAGE_PARAMETER, "").strip().lower()
    if not asked:
        return None
    try:
        return translation.get_supported_language_variant(asked)
    except LookupError:
        return None


class QueryLanguageMiddleware:
    """`?lang=en` answers one request in that language (links and systems without headers).

    Runs after LocaleMiddleware, which has chosen from the cookie and Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = requested_language(request)
        if language is None:
            return self.get_response(request)
        # Activated, not overridden: a streamed export is written after this returns.
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) of every supported language."""
    return list(settings.LANGUAGES)
