"""Files that appear in a folder only once the store has committed what they describe.

For the commands that write a few files into a folder the user names (notices, the
regulator's report): each file is written beside its final name as `.<stem>.tmp<suffix>`
(the suffix kept, so Chromium still opens a staged page as HTML), and moved into place by
`land` after the store commits. A failure before that removes the staged files and a folder
this command created, so the folder is as it was. (A run's OUT folder is replaced whole
instead: recon/publish/landing.py.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StagedFiles:
    """The staged files of one command, in the order they were asked for."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._pairs: list[tuple[Path, Path]] = []

    def path(self, name: str) -> Path:
        """Where to write the file that will land as `out_dir / name`."""
        final = self.out_dir / name
        tmp = self.out_dir / f".{final.stem}.tmp{final.suffix}"
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._pairs.append((tmp, final))
        return tmp

    def land(self) -> tuple[Path, ...]:
        """Move every staged file to its final name; the final paths."""
        for tmp, final in self._pairs:
            os.replace(tmp, final)
        return tuple(final for _tmp, final in self._pairs)

    def discard(self) -> None:
        for tmp, _final in self._pairs:
            tmp.unlink(missing_ok=True)


@contextmanager
def staged_files(out_dir: Path) -> Iterator[StagedFiles]:
    """Stage files into `out_dir`; on any failure inside the block, leave it as it was."""
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    staged = StagedFiles(out_dir)
    try:
        yield staged
    except BaseException:
        staged.discard()
        if created and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
