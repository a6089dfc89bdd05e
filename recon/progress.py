"""Progress on long work: a live spinner with stage timings on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console


@contextmanager
def progress_display(enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """Yield a `say(message)` callback; each message starts a new step, the last one ends."""
    console = Console(stderr=True)
    if not enabled:
        yield lambda _message: None
        return
    if not console.is_terminal:
        start = time.perf_counter()

        def plain(message: str) -> None:
            print(f"recon [{time.perf_counter() - start:7.1f}s] {message}", file=sys.stderr)

        yield plain
        return
    current: list[tuple[str, float]] = []
    with console.status("starting", spinner="dots") as status:

        def say(message: str) -> None:
            _finish(console, current)
            current.append((message, time.perf_counter()))
            status.update(message)

        try:
            yield say
        finally:
            _finish(console, current)


def _finish(console: Console, current: list[tuple[str, float]]) -> None:
    if current:
        message, began = current.pop()
        console.print(f"[green]✓[/green] {message} [dim]{time.perf_counter() - began:.1f}s[/dim]")
