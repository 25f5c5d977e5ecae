"""What OPTIONS tells a client about a POST or PUT: the fields it sends, not those it gets."""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


class InputMetadata(SimpleMetadata):
    """Describe the view's `input_serializer_class` when it has one (its writes validate the
    request with it and answer with `serializer_class`, which describes the output)."""

    def determine_actions(self, request, view):
        # The parent keeps only the methods this user may use (permissions are checked there).
        actions = super().determine_actions(request, view)
        input_class = getattr(view, "input_serializer_class", None)
        if input_class is not None:
            for method in actions:
                actions[method] = self.get_serializer_info(input_class())
        return actions
