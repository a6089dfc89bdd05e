"""OUT lands whole or not at all (CONTRACT.md section 5).

A run writes its outputs into a staging folder beside OUT (same filesystem), moves OUT
aside (`set_aside`, so an OUT that cannot be renamed fails the run before the store commits),
the store commits, then the staging folder takes OUT's place. A run that fails before the
commit puts OUT back (`put_back`) and writes its failure report into `<OUT>.failed`. A kill
between the commit and the renames leaves the staged folder; the next run on that OUT
lands it first if the store recorded its run (`recover`), else removes it.

recon owns OUT: it replaces the folder, so a folder holding files recon did not write is
refused up front instead of being swept away.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from recon.errors import ReconError
from recon.faults import pause_at

MARKER = ".recon-run"  # in every folder recon lands: the run id that wrote it
# files recon writes into OUT (also older versions, which left no marker)
OWN_FILES = frozenset(
    {
        MARKER,
        "exceptions.csv",
        "exceptions.parquet",
        "corrections.csv",
        "compensation.csv",
        "quarantine.csv",
        "summary.json",
        "report.html",
        "incident_impact.json",
        "incident_impact.html",
    }
)
STAGED, PREVIOUS = ".staged", ".previous"


class OutputFolderError(ReconError):
    """OUT cannot take this run's outputs (a file, not writable, holds foreign files)."""


def check_out_dir(out_dir: Path) -> None:
    """Refuse an OUT that recon could not replace safely, before anything is read."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"--out {out_dir} is a file, not a folder")
    if out_dir.is_dir() and os.path.ismount(out_dir):
        raise OutputFolderError(
            f"--out {out_dir} is a mount point; recon replaces its output folder as a whole:"
            " give it a folder inside the mount"
        )
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in OWN_FILES)
        if foreign:
            shown = ", ".join(foreign[:3]) + (" ..." if len(foreign) > 3 else "")
            raise OutputFolderError(
                f"--out {out_dir} holds files recon did not write ({shown}); recon replaces"
                " its output folder as a whole: give it a new or empty folder"
            )
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputFolderError(f"cannot create --out {out_dir}: {err.strerror}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputFolderError(f"cannot write --out {out_dir}: {parent} is not writable")


def staging_dir(out_dir: Path, run_id: str) -> Path:
    """A new, empty folder beside OUT for one run's outputs."""
    out_dir = Path(out_dir)
    staged = _sibling(out_dir, run_id, STAGED)
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    (staged / MARKER).write_text(run_id + "\n", encoding="utf-8")
    return staged


def failure_dir(out_dir: Path) -> Path:
    """Where a failed run's report goes: beside OUT, which keeps the last run that landed."""
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + ".failed")


def set_aside(staged: Path, out_dir: Path) -> None:
    """Move OUT out of the way of `staged`, before the store commits: an OUT that cannot be
    replaced (held open as a mount point, made immutable) then fails the run while the store
    can still roll back, instead of after it has changed findings."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        return
    previous = _sibling(out_dir, _run_of(staged), PREVIOUS)
    try:
        os.replace(out_dir, previous)
    except OSError as err:
        raise OutputFolderError(f"cannot replace --out {out_dir}: {err.strerror}") from None


def put_back(staged: Path, out_dir: Path) -> None:
    """Undo `set_aside(staged, out_dir)`, if it happened, when the run fails before its
    commit."""
    previous = _sibling(Path(out_dir), _run_of(staged), PREVIOUS)
    if previous.exists() and not Path(out_dir).exists():
        os.replace(previous, out_dir)


def land(staged: Path, out_dir: Path) -> None:
    """Put the staged folder in OUT's place: OUT is either the old folder or the new one."""
    out_dir = Path(out_dir)
    previous = _sibling(out_dir, _run_of(staged), PREVIOUS)
    if out_dir.exists():
        os.replace(out_dir, previous)
    pause_at("between-renames")
    os.replace(staged, out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(failure_dir(out_dir), ignore_errors=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)


def recover(out_dir: Path, recorded: Callable[[str], bool]) -> None:
    """Finish or undo what a killed run left beside OUT.

    `recorded(run_id)` says whether the store committed that run: its staged outputs are
    then landed (they describe the store as it is), otherwise they are thrown away.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    if not parent.is_dir():
        return
    kinds = f"{re.escape(STAGED)}|{re.escape(PREVIOUS)}"
    ours = re.compile(rf"\.{re.escape(out_dir.name)}\.[^.]+({kinds})")
    leftovers = sorted(p for p in parent.iterdir() if ours.fullmatch(p.name))
    for path in leftovers:
        if path.name.endswith(PREVIOUS) and not out_dir.exists():
            os.replace(path, out_dir)  # killed between the two renames: OUT comes back
    for path in leftovers:
        if not path.exists():
            continue
        if path.name.endswith(STAGED) and recorded(_run_of(path)) and _newer(path, out_dir):
            land(path, out_dir)
        elif path.name.endswith((STAGED, PREVIOUS)):
            shutil.rmtree(path, ignore_errors=True)


def _newer(staged: Path, out_dir: Path) -> bool:
    """Whether the staged run is later than the one OUT holds (run ids sort by time)."""
    landed = out_dir / MARKER
    if not landed.exists():
        return True
    return _run_of(staged) > landed.read_text(encoding="utf-8").strip()


def _run_of(path: Path) -> str:
    marker = path / MARKER
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else ""


def _sibling(out_dir: Path, run_id: str, kind: str) -> Path:
    return out_dir.with_name(f".{out_dir.name}.{run_id}{kind}")
