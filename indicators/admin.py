from django.contrib import admin

from indicators import services
from indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "nature", "direction"]
    list_filter = ["unit", "nature", "direction"]
    search_fields = ["code", "name_zh", "name_en"]

    def save_model(self, request, obj, form, change):
        services.indicator_update(indicator=obj, data={})
