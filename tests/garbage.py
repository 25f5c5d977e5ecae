"""What the cyclic garbage collector would have to free after a piece of code."""

from __future__ import annotations

import gc
from collections.abc import Callable


def cyclic_garbage(action: Callable[[], object]) -> list[object]:
    """The objects left unreachable only through reference cycles once `action` is done."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
