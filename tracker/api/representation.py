"""A faster Serializer.to_representation for serializers that only write."""

from __future__ import annotations

import keyword
from datetime import date
from functools import partial

from rest_framework import ISO_8601, fields, serializers
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.settings import api_settings


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

    A page writes ~9,600 fields; DRF's lookup of each (a generator, source walking, checks)
    was a quarter of the page's serialization. Sources are attributes or dict keys, and a
    None on the way gives None; relations keep DRF's own lookup. A value already of the type
    a plain field writes (a str for a CharField, an int for an IntegerField) is written as it
    is: the field would return it unchanged. A missing attribute raises instead of leaving
    the key out. A test checks both write the same for generated rows.

    Each serializer writes through a function generated for its fields, one statement per
    field, as dataclasses and namedtuple generate theirs: a loop over the fields, deciding
    per field how to read it, cost a page ~1 ms more. It calls the writers of nested plain
    serializers (and of the items of a list of them) and the methods of method fields
    directly, without DRF's dispatch: a page writes ~1,200 nested objects.
    """

    def _representation_plan(self) -> tuple:
        plan = []
        for field in self._readable_fields:
            attrs = tuple(field.source_attrs)
            related = isinstance(field, RelatedField)
            plan.append((field.field_name, field, attrs, related, _unchanged_type(field)))
        writers = (_writer(self, plan, from_dict=False), _writer(self, plan, from_dict=True))
        self._writers = writers
        return writers

    def to_representation(self, instance) -> dict:
        by_attribute, by_key = self.__dict__.get("_writers") or self._representation_plan()
        return (by_key if isinstance(instance, dict) else by_attribute)(instance)


def _writer(serializer, plan: list[tuple], *, from_dict: bool):
    """A function writing an instance (or a dict) as the serializer's fields would."""
    namespace: dict = {}
    lines = ["def write(instance):", "    data = {}"]
    for i, (name, field, attrs, related, unchanged) in enumerate(plan):
        write = _write_expression(i, serializer, field, namespace)
        if not attrs and not related:  # source="*"
            read = "instance"
        elif len(attrs) == 1 and not related and _attribute_name(attrs[0]):
            read = f"instance[{attrs[0]!r}]" if from_dict else f"instance.{attrs[0]}"
        else:
            namespace[f"read_{i}"] = partial(_read, field=field, attrs=attrs, related=related)
            read = f"read_{i}(instance)"
        lines.append(f"    value = {read}")
        if unchanged is None:
            kept = "value is None"
        else:
            namespace[f"type_{i}"] = unchanged
            kept = f"value is None or type(value) is type_{i}"
        lines.append(f"    data[{name!r}] = value if {kept} else {write}")
    lines.append("    return data")
    code = compile("\n".join(lines), f"<writer of {type(serializer).__name__}>", "exec")
    # The source holds field names only as string literals, and sources only as identifiers.
    exec(code, namespace)
    return namespace["write"]


def _write_expression(i: int, serializer, field: fields.Field, namespace: dict) -> str:
    """How the writer writes field i's value (not None), its callables put in namespace."""
    write = field.to_representation
    if isinstance(field, fields.SerializerMethodField):
        write = getattr(serializer, field.method_name)  # the method the field would call
    namespace[f"write_{i}"] = write
    if type(field) is fields.DateField and _iso_format(field):
        # What DRF's DateField writes for a date, once its checks (which a date passes) ran.
        namespace[f"date_{i}"] = date
        return f"(value.isoformat() if type(value) is date_{i} else write_{i}(value))"
    nested = field.child if isinstance(field, serializers.ListSerializer) else field
    if not isinstance(nested, PlainRepresentation):
        return f"write_{i}(value)"
    by_attribute, by_key = nested.__dict__.get("_writers") or nested._representation_plan()
    namespace[f"by_attribute_{i}"], namespace[f"by_key_{i}"] = by_attribute, by_key
    if nested is field:
        return f"(by_key_{i}(value) if isinstance(value, dict) else by_attribute_{i}(value))"
    # A list as it is; anything else (a manager, a queryset) as DRF reads it.
    item = f"(by_key_{i}(each) if isinstance(each, dict) else by_attribute_{i}(each))"
    return f"([{item} for each in value] if type(value) is list else write_{i}(value))"


def _iso_format(field: fields.DateField) -> bool:
    """Whether a date field writes dates in ISO 8601."""
    output_format = getattr(field, "format", api_settings.DATE_FORMAT)
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


def _attribute_name(name: str) -> bool:
    """Whether `instance.name` reads this attribute (else it is read with getattr)."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _read(instance, *, field: fields.Field, attrs: tuple[str, ...], related: bool):
    """A field's value that is not one attribute: a relation's, or at the end of a path."""
    if related:
        value = field.get_attribute(instance)
        return None if isinstance(value, PKOnlyObject) and value.pk is None else value
    value = instance
    for each in attrs:
        value = value[each] if isinstance(value, dict) else getattr(value, each)
        if value is None:
            break
    return value
