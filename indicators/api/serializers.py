from rest_framework import serializers

from indicators.models import Indicator
from tracker.rest.input import TextField, TextModelSerializer


class IndicatorSerializer(TextModelSerializer):
    """An indicator of the catalogue."""

    aliases = serializers.ListField(child=TextField(max_length=100), required=False)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "unit",
            "nature",
            "direction",
            "aliases",
        ]
