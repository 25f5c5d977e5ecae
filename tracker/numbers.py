"""Formatting of exact decimals for people and for JSON."""

from decimal import Decimal


def plain_decimal(value: Decimal | float | str) -> str:
    """Write a decimal without exponent or trailing zeros: 12700000000, 2.9."""
    normal = Decimal(value).normalize()
    # normalize() writes 1.27E+10; quantize back to a plain integer when it is one.
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return format(normal, "f")
