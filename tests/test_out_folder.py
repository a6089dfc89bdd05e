"""OUT is recon's: a file, a folder of someone else's files or an unwritable place is refused
up front in one line (exit 2), and a crash anywhere is one line and exit 2 as well."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode

FIXTURE = Path(__file__).parent / "store" / "fixtures" / "store_v1"


def run(out: Path, store: Path, *extra: str) -> int:
    return main(
        ["run", "--quiet", "--data-dir", str(FIXTURE / "day1"), "--out", str(out),
         "--store", str(store), "--config", str(FIXTURE / "recon.toml"), *extra]
    )  # fmt: skip


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "is a file, not a folder" in one_line(capsys.readouterr().err)
    assert (tmp_path / "out").read_text() == "not a folder"


def test_out_holding_someone_elses_files_is_left_alone(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "budget.xlsx").write_text("mine")
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "holds files recon did not write (budget.xlsx)" in one_line(capsys.readouterr().err)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["budget.xlsx"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_out_in_an_unwritable_folder_is_refused(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert run(locked / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "not writable" in one_line(capsys.readouterr().err)


def test_out_under_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "plain").write_text("x")
    assert run(tmp_path / "plain" / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "cannot create --out" in one_line(capsys.readouterr().err)


def test_a_crash_is_one_line_and_exit_2_and_changes_no_finding(tmp_path, capsys, monkeypatch):
    def crash(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("recon.pipeline.propose_remedies", crash)
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    line = one_line(capsys.readouterr().err)
    assert "internal error: ZeroDivisionError: division by zero" in line
    assert not (tmp_path / "out").exists()
    monkeypatch.undo()
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FINDINGS
    assert "108 new" in capsys.readouterr().out


def test_a_rerun_into_the_same_out_replaces_it_whole(tmp_path):
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FINDINGS
    first = (tmp_path / "out" / ".recon-run").read_text()
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FINDINGS
    assert (tmp_path / "out" / ".recon-run").read_text() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.duckdb", "s.duckdb.lock"]


def test_a_store_whose_folder_cannot_be_made_is_one_line(tmp_path, capsys):
    (tmp_path / "plain").write_text("x")
    assert run(tmp_path / "out", tmp_path / "plain" / "s.duckdb") == ExitCode.FAILED
    assert "a file stands in its way" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "command",
    [
        ["exceptions", "show", "EX-D15C1421DC593C78"],
        ["exceptions", "resolve", "EX-D15C1421DC593C78", "--code", "CORRECTED", "--note", "x"],
        ["exceptions", "list"],
    ],
)
def test_a_truncated_store_is_one_line_for_every_command(tmp_path, capsys, command):
    store = tmp_path / "s.duckdb"
    assert run(tmp_path / "out", store) == ExitCode.FINDINGS
    with store.open("r+b") as fh:
        fh.truncate(store.stat().st_size // 3)
    capsys.readouterr()
    assert main([*command, "--store", str(store)]) == ExitCode.FAILED
    assert "damaged or truncated" in one_line(capsys.readouterr().err)
    assert run(tmp_path / "again", store) == ExitCode.FAILED
    assert "damaged or truncated" in one_line(capsys.readouterr().err)


def _state(out: Path, store: Path) -> tuple[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        events = con.execute("SELECT count(*), max(event_no) FROM events").fetchall()
    finally:
        con.close()
    return (out / ".recon-run").read_text(), events


def test_an_out_that_cannot_be_moved_aside_fails_before_the_store_commits(
    tmp_path, capsys, monkeypatch
):
    """A mount point or an immutable folder can be written into but not renamed: the run
    must fail while the store can still roll back, not after it changed findings."""
    out, store = tmp_path / "out", tmp_path / "s.duckdb"
    assert run(out, store) == ExitCode.FINDINGS
    before = _state(out, store)
    real = os.replace

    def refuse(src, dst):
        if Path(src) == out:
            raise PermissionError(1, "Operation not permitted")
        return real(src, dst)

    monkeypatch.setattr("recon.publish.landing.os.replace", refuse)
    assert run(out, store, "--cutoff", "2024-03-17T00:00:00Z") == ExitCode.FAILED
    assert "cannot replace --out" in one_line(capsys.readouterr().err)
    assert _state(out, store) == before


def test_a_failure_after_out_was_moved_aside_puts_it_back(tmp_path, capsys, monkeypatch):
    from recon.publish import landing

    out, store = tmp_path / "out", tmp_path / "s.duckdb"
    assert run(out, store) == ExitCode.FINDINGS
    before = _state(out, store)
    real = landing.set_aside

    def then_fail(staged, out_dir):
        real(staged, out_dir)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(landing, "set_aside", then_fail)
    assert run(out, store) == ExitCode.FAILED
    capsys.readouterr()
    assert _state(out, store) == before


def test_out_that_is_a_mount_point_is_refused(tmp_path, capsys, monkeypatch):
    (tmp_path / "out").mkdir()
    real = os.path.ismount
    monkeypatch.setattr(
        "recon.publish.landing.os.path.ismount", lambda p: Path(p) == tmp_path / "out" or real(p)
    )
    assert run(tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "is a mount point" in one_line(capsys.readouterr().err)
