"""Formatting of exact decimals for people and for JSON."""

from decimal import Decimal


def plain_decimal(value: Decimal | float | str) -> str:
    """Write a decimal without exponent or trailing zeros: 12700000000, 2.9."""
    # Positional notation, then the fractional zeros dropped: a page writes ~700 of them, and
    # this costs a third of normalize() and quantize().
    text = format(value if isinstance(value, Decimal) else Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def plain_float(value: float) -> str:
    """Write a float's shortest decimal form as plain_decimal does: 5699363037.032394, 2.9."""
    text = repr(value)
    if "e" in text or "n" in text:  # an exponent (1e-06, 1.5e+16), inf or nan
        return plain_decimal(Decimal(text))
    # Without an exponent, the shortest form has no trailing zeros but a whole number's ".0".
    return text[:-2] if text.endswith(".0") else text
