"""Settings of the long-running web process that Django leaves to the interpreter."""

from __future__ import annotations

import gc

from django.urls import get_resolver

# A page request allocates ~100,000 objects (rows, their fields, serialized data). At
# Python's default of a young-generation collection per 700 allocations that is ~150
# collections a request, and every few requests a full one that scans all ~300,000 objects
# loaded at start: 0.2-0.3 s, the slowest requests of a load run.
YOUNG_COLLECTION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Leave what is loaded at start out of collections and collect young objects less often."""
    # Import every view now (Django would on the first request), so that they are frozen too.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


class ReleaseViewMiddleware:
    """Frees each rendered API response's view and request as soon as it is answered."""

    # A DRF view, its request and its response refer to each other and to themselves
    # (view.request, the handlers the view binds to itself, the request's parser_context and
    # the response's renderer_context, which name the view, the request and the response).
    # Left so, all a page request held (its rows and their instances, its serialized data:
    # ~2,700 objects) waited for the cyclic garbage collector instead of being freed with
    # the response: a young-generation collection every third page request, ~5 ms each
    # (see docs/performance.md).

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django renders a view's response before it returns it through the middleware;
        # once rendered, the response needs neither its view nor its request again.
        context = getattr(response, "renderer_context", None)
        if context and getattr(response, "is_rendered", False):
            view, api_request = context.get("view"), context.get("request")
            if view is not None:
                vars(view).clear()
            if getattr(api_request, "parser_context", None):
                api_request.parser_context.clear()
            context.clear()
            for serializer in _serializers_of(getattr(response, "data", None)):
                vars(serializer).clear()
        return response


def _serializers_of(data: object) -> list:
    """The serializers that wrote a response's data, at its top or as a page's results."""
    # DRF's serialized data keeps its serializer, which keeps the instances it wrote (a list
    # serializer's child too, in its arguments) and is in cycles with its own fields.
    parts = [data, *data.values()] if isinstance(data, dict) else [data]
    found = []
    for part in parts:
        serializer = getattr(part, "serializer", None)
        if serializer is not None:
            found.append(serializer)
            if getattr(serializer, "child", None) is not None:
                found.append(serializer.child)
    return found
