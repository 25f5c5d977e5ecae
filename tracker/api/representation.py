"""A faster Serializer.to_representation for serializers that only write."""

from __future__ import annotations

from rest_framework import fields
from rest_framework.relations import PKOnlyObject, RelatedField


def _unchanged_type(field: fields.Field) -> type | None:
    """The type of value the field writes as it is, if there is one (None: always call it)."""
    # Exactly these classes: a subclass may write differently.
    if type(field) in (fields.CharField, fields.ChoiceField):
        choices = getattr(field, "choice_strings_to_values", None)
        if choices is not None and any(key != value for key, value in choices.items()):
            return None  # choices that map a string to another value
        return str  # CharField: str(value); ChoiceField: the choice the string names
    return {fields.IntegerField: int, fields.BooleanField: bool, fields.FloatField: float}.get(
        type(field)
    )


class PlainRepresentation:
    """Serializer.to_representation without DRF's bookkeeping per field, for nested rows.

    A page writes ~7,000 fields; DRF's lookup of each (a generator, source walking, checks)
    was a quarter of the page's serialization. Sources are attributes or dict keys, and a
    None on the way gives None; relations keep DRF's own lookup. A value already of the type
    a plain field writes (a str for a CharField, an int for an IntegerField) is written as it
    is: the field would return it unchanged. A missing attribute raises instead of leaving
    the key out. A test checks both write the same for generated rows.
    """

    def _representation_plan(self) -> list[tuple]:
        plan = []
        for field in self._readable_fields:
            attrs = tuple(field.source_attrs)
            plan.append(
                (
                    field.field_name,
                    field,
                    attrs[0] if len(attrs) == 1 else None,
                    attrs,
                    isinstance(field, RelatedField),
                    _unchanged_type(field),
                )
            )
        self._plan = plan
        return plan

    def to_representation(self, instance) -> dict:
        plan = self.__dict__.get("_plan") or self._representation_plan()
        from_dict = isinstance(instance, dict)
        data = {}
        for name, field, attr, attrs, related, unchanged in plan:
            if attr is not None and not related:
                value = instance[attr] if from_dict else getattr(instance, attr)
            elif related:
                value = field.get_attribute(instance)
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            else:
                value = instance
                for each in attrs:
                    value = value[each] if isinstance(value, dict) else getattr(value, each)
                    if value is None:
                        break
            if value is None:
                data[name] = None
            elif type(value) is unchanged:
                data[name] = value
            else:
                data[name] = field.to_representation(value)
        return data
