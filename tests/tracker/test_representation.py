"""Plain representation writes what DRF's Serializer.to_representation writes, in its order."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from rest_framework import serializers

from tests.factories import TargetFactory
from tracker.api.representation import PlainRepresentation
from tracker.models import Target


class Inner(PlainRepresentation, serializers.Serializer):
    code = serializers.CharField()
    when = serializers.DateField()


class Outer(PlainRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    label = serializers.CharField(source="inner.code", allow_null=True)
    inner = Inner(allow_null=True)
    whole = Inner(source="*")
    keyword = serializers.CharField(source="class")  # not writable as instance.class
    items = serializers.ListField(child=serializers.IntegerField())
    flag = serializers.BooleanField()
    inners = Inner(many=True)
    when = serializers.DateField(allow_null=True)
    when_text = serializers.DateField(source="when", format="%d.%m.%Y", allow_null=True)
    size = serializers.SerializerMethodField()

    def get_size(self, instance) -> int:
        return len(instance["items"] if isinstance(instance, dict) else instance.items)


def _cases():
    inner = SimpleNamespace(code="330600", when=date(2017, 12, 1))
    as_dict = {"code": "330100", "when": date(2016, 6, 1)}
    common = {"code": "x", "when": date(2018, 1, 1), "class": "k", "items": [1, 2]}
    yield SimpleNamespace(id=1, ratio=0.5, inner=inner, flag=True, inners=[inner], **common)
    # An int for a float, a nested dict, a list of objects and dicts.
    yield SimpleNamespace(
        id=2, ratio=1, inner=as_dict, flag=False, inners=[as_dict, inner], **common
    )
    # A dict row, with a date already written as text.
    yield {"id": 3, "ratio": None, "inner": inner, "flag": 1, "inners": (), **common} | {
        "when": "2019-05-01"
    }


@pytest.mark.parametrize("instance", list(_cases()))
def test_written_as_drf_writes_it_with_the_same_keys_in_the_same_order(instance):
    serializer = Outer()
    plain = serializer.to_representation(instance)
    declared = serializers.Serializer.to_representation(serializer, instance)
    assert plain == declared
    assert list(plain) == list(declared)
    assert [type(v) for v in plain.values()] == [type(v) for v in declared.values()]


class TargetBrief(PlainRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "jurisdiction", "indicator", "value"]


@pytest.mark.django_db
def test_relations_are_read_as_drf_reads_them(catalogue, shaoxing):
    target = TargetFactory(jurisdiction=shaoxing)
    serializer = TargetBrief()
    plain = serializer.to_representation(target)
    assert plain == serializers.ModelSerializer.to_representation(serializer, target)
    assert plain["jurisdiction"] == shaoxing.pk
