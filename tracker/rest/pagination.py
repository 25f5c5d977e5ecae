"""Page-number pagination of the API's lists."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Page-number pagination; clients may ask for up to 1000 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 1000


class EvaluationPagination(StandardPagination):
    """A page of evaluations, which also says the date and the rules they were judged by."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [*paginated.get("required", []), "as_of", "rules"]
        paginated["properties"]["as_of"] = {
            "type": "string",
            "format": "date",
            "description": "The date the rows were evaluated as of.",
        }
        paginated["properties"]["rules"] = {
            "type": "object",
            "additionalProperties": {},
            "description": "The evaluation rules in force (tolerances, thresholds).",
        }
        return paginated
