"""Progress bars for long commands: drawn on a terminal, left out when output is piped."""

from __future__ import annotations

import sys

from django.core.management.base import OutputWrapper
from tqdm import tqdm


def progress_bar(*, stdout: OutputWrapper, total: int, unit: str, description: str) -> tqdm:
    """A tqdm bar when the command writes to a terminal; a disabled one (prints nothing) when
    its output goes to a file, a pipe or a test's buffer, where plain lines read better."""
    return tqdm(
        total=total,
        unit=unit,
        desc=description,
        # The terminal the command's own output goes to (OutputWrapper adds a newline to
        # every write, which would break the bar's carriage returns).
        file=sys.stdout,
        disable=not stdout.isatty(),
        dynamic_ncols=True,
    )


def say(bar: tqdm, stream: OutputWrapper, line: str, *, error: bool = False) -> None:
    """Write a line above the bar (on stdout, or stderr for an error), or plainly to the
    command's stream when there is no bar."""
    if bar.disable:
        stream.write(line)
    else:
        bar.write(line, file=sys.stderr if error else sys.stdout)
