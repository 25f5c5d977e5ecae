"""Decimals and floats as the API writes them: positional, exact, without trailing zeros."""

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.numbers import plain_decimal, plain_float

PLAIN = re.compile(r"^-?\d+(\.\d*[1-9])?$")


def test_decimals_are_written_without_exponent_or_trailing_zeros():
    assert plain_decimal(Decimal("2.900000")) == "2.9"
    assert plain_decimal(Decimal("1.27E+10")) == "12700000000"
    assert plain_decimal(Decimal("12700000000.000000")) == "12700000000"
    assert plain_decimal(Decimal("0E-6")) == "0"
    assert plain_decimal(Decimal("0.000100")) == "0.0001"
    assert plain_decimal("-3.50") == "-3.5"
    assert plain_decimal(2200) == "2200"


def test_floats_are_written_in_their_shortest_plain_form():
    assert plain_float(5699363037.032394) == "5699363037.032394"
    assert plain_float(2.9) == "2.9"
    assert plain_float(12700000000.0) == "12700000000"
    assert plain_float(1e-06) == "0.000001"
    assert plain_float(1.5e16) == "15000000000000000"
    assert plain_float(-0.25) == "-0.25"


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_any_decimal_is_written_plainly_and_reads_back_equal(value):
    text = plain_decimal(value)
    assert PLAIN.match(text), text
    assert Decimal(text) == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_is_written_plainly_as_its_shortest_decimal(value):
    text = plain_float(value)
    assert PLAIN.match(text), text
    assert Decimal(text) == Decimal(repr(value))
    assert float(text) == value
