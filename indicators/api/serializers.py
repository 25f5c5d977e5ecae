from rest_framework import serializers

from indicators.models import Indicator


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator of the catalogue."""

    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False)

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
