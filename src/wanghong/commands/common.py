"""What the sub-commands share: the counted progress bar and the principal a terminal operator acts as."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wanghong.domain import Role
from wanghong.services.auth import Principal

# Whoever runs the CLI already holds the database credentials, so commands act as the platform itself.
CLI_OPERATOR = Principal(user_id=0, username="cli-operator", role=Role.ADMIN)


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
