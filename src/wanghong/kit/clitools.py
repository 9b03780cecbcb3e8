"""What the sub-commands share: the counted progress bar."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def counted_progress(console: Console, *, transient: bool = True) -> Progress:
    """A bar with a done/total count and elapsed time; transient bars vanish once the work is done."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
    )
