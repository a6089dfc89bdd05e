"""Provable history: the hash chain over events and runs, `recon audit`, and who is recorded.

A store is tampered with as an insider would: through a direct DuckDB connection to the file,
with no recon code involved. `recon audit verify` must then fail naming the row.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import shutil
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from recon.cli import main
from recon.db import connect
from recon.model import InputFile, SourceCounts
from recon.store import audit, record_failed_run, record_run
from recon.store.actions import assign, reassign, reopen, resolve
from recon.store.audit import GENESIS, verify_store
from recon.store.migrate import CURRENT_VERSION

from .backends import only_duckdb, tamper
from .builders import F, at, load_findings, run_info, table_rows

FIXTURE = Path(__file__).parent / "fixtures" / "store_v1"


def run_n(store, con, n, findings, actor="nightly", evaluated=None):
    load_findings(con, findings, evaluated)
    return record_run(store, con, run_info(n), actor=actor, now=at(n))


@pytest.fixture
def chained(store, con):
    """Two runs and three analyst changes: events 1-3 (run 1), 4-5 (analysts), 6 (run 2,
    T3 healed), 7 (analyst)."""
    run_n(store, con, 1, [F("T1"), F("T2"), F("T3")])
    assign(store, "EX-DEBI-T1", to="ann", actor="lead", now=at(1) + timedelta(minutes=5))
    resolve(store, "EX-DEBI-T2", code="CORRECTED", note="fixed", actor="ann",
            now=at(1) + timedelta(minutes=9))  # fmt: skip
    run_n(store, con, 2, [F("T1"), F("T2")], evaluated=["T1", "T2", "T3"])
    reopen(store, "EX-DEBI-T3", note="not healed", actor="bob", now=at(2) + timedelta(minutes=3))
    return store


def rewrite(store: Path, sql: str) -> None:
    """Run `sql` on the store, then recompute every link: what an insider with this code and
    write access to the file can do."""
    con = connect()
    try:
        con.execute("ATTACH $path AS recon_store", {"path": str(store)})
        con.execute(sql)
        audit.link_existing(con)
        con.execute("DETACH recon_store")
    finally:
        con.close()


def verify(capsys, store, *extra):
    code = main(["audit", "verify", "--store", str(store), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fresh_store_verifies_with_its_head_and_counts(chained, capsys):
    code, out, err = verify(capsys, chained)
    assert (code, err) == (0, "")
    last = table_rows(chained, "events", "event_no")[-1]
    assert out.startswith("audit chain intact: 7 event(s), head event_no 7 ")
    assert last[-1] in out  # the head hash
    assert "2 run(s), head run_no 2 (run-2)" in out


def test_each_event_hash_covers_its_record_and_the_previous_hash(chained):
    rows = table_rows(chained, "events", "event_no")
    assert rows[0][-2] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[-2] == before[-1]
    assert verify_store(chained).intact


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "'someone else'"), ("changed_at", "changed_at - INTERVAL '1 day'")],
)
def test_an_updated_event_fails_naming_its_event_no(chained, capsys, column, value):
    tamper(chained, f"UPDATE events SET {column} = {value} WHERE event_no = 4")
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "event_no 4 (EX-DEBI-T1)" in out
    assert "changed" in out


def test_an_event_rewritten_with_its_own_hash_recomputed_breaks_the_next_link(chained, capsys):
    only_duckdb(chained, "recomputes a link with the DuckDB macros on the file")
    con = connect()
    con.execute("ATTACH $path AS recon_store", {"path": str(chained)})
    audit.install(con)
    con.execute("UPDATE recon_store.events SET note = 'approved by CFO' WHERE event_no = 5")
    prev, record = con.execute(
        "SELECT prev_hash, audit_event(event_no, exception_id, changed_at, actor, os_user,"
        " run_id, action, from_status, to_status, note) FROM recon_store.events"
        " WHERE event_no = 5"
    ).fetchall()[0]
    con.execute(
        "UPDATE recon_store.events SET hash = $h WHERE event_no = 5",
        {"h": audit.link(prev, record)},
    )
    con.close()
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "event_no 6 (EX-BOOK-T3)" not in out
    assert "event_no 6" in out
    assert "relinked" in out


def test_a_deleted_event_fails_naming_the_gap(chained, capsys):
    tamper(chained, "DELETE FROM events WHERE event_no = 5")
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "event_no 5 is missing (deleted)" in out


def test_a_deleted_last_event_sealed_by_a_run_is_found_through_the_run(store, con, capsys):
    run_n(store, con, 1, [F("T1"), F("T2")])  # events 1-2, sealed by run 1
    tamper(store, "DELETE FROM events WHERE event_no = 2")
    code, out, _ = verify(capsys, store)
    assert code == 1
    assert "run run-1 (run_no 1)" in out
    assert "no event has now" in out


def test_two_events_swapped_fail_as_a_reorder(chained, capsys):
    tamper(
        chained,
        "UPDATE events SET event_no = -1 WHERE event_no = 4",
        "UPDATE events SET event_no = 4 WHERE event_no = 5",
        "UPDATE events SET event_no = 5 WHERE event_no = -1",
    )
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "event_no 4" in out
    assert "reordered" in out


@pytest.mark.parametrize(
    "change",
    ["actor = 'intern'", "outcome = 'FAILED'", "finished_at = finished_at + INTERVAL '1 hour'"],
)
def test_an_updated_run_fails_naming_the_run(chained, capsys, change):
    tamper(chained, f"UPDATE runs SET {change} WHERE run_id = 'run-1'")
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "run run-1 (run_no 1)" in out


def test_a_changed_input_file_hash_of_a_run_fails_naming_the_run(store, con, capsys):
    load_findings(con, [F("T1")])
    files = (InputFile("ledger", "ledger.csv", "csv", "ab" * 32, 3),)
    counts = {"ledger": SourceCounts(3, 3, 0, 0)}
    info = replace(run_info(1), files=files, counts=counts)
    record_run(store, con, info, actor="nightly", now=at(1))
    assert verify(capsys, store)[0] == 0
    tamper(store, "UPDATE run_files SET sha256 = 'cd' WHERE run_id = 'run-1'")
    code, out, _ = verify(capsys, store)
    assert code == 1
    assert "run run-1 (run_no 1)" in out


def test_appending_through_the_commands_keeps_the_chain_valid(chained, con, capsys):
    assert main(["exceptions", "reassign", "EX-DEBI-T1", "--to", "zoe", "--note", "ann is away",
                 "--store", str(chained), "--actor", "lead"]) == 0  # fmt: skip
    run_n(chained, con, 3, [F("T1"), F("T4")])
    record_failed_run(chained, run_info(4), "extracts not delivered", now=at(4))
    code, out, _ = verify(capsys, chained)
    assert code == 0
    assert "9 event(s)" in out  # 7, the assignment, T4 detected
    assert "4 run(s), head run_no 4 (run-4)" in out  # run 4 logged as failed


def test_a_recorded_run_marked_failed_afterwards_keeps_the_chain_valid(chained, capsys):
    # its outputs could not be put in place after the commit: recon itself changes the row
    record_failed_run(chained, run_info(1), "could not land OUT", now=at(5))
    assert table_rows(chained, "runs", "run_no")[0][9] == "FAILED"
    code, _, _ = verify(capsys, chained)
    assert code == 0


def test_a_recomputed_chain_is_exposed_by_a_published_head(store, con, tmp_path, capsys):
    only_duckdb(store, "recomputes the links with the DuckDB macros on the file")
    outcome = run_n(store, con, 1, [F("T1")])
    summary = tmp_path / "summary.json"
    head = outcome.audit_head
    assert head is not None
    assert head.run_no == 1
    summary.write_text(json.dumps({"audit_head": {"run_no": 1, "run_hash": head.run_hash}}))
    assert verify(capsys, store, "--summary", str(summary))[0] == 0
    rewrite(store, "UPDATE recon_store.events SET actor = 'someone else'")
    assert verify(capsys, store)[0] == 0  # the store alone cannot tell
    code, out, _ = verify(capsys, store, "--summary", str(summary))
    assert code == 1
    assert "recomputed" in out
    assert head.run_hash in out


def test_a_store_without_the_chain_or_missing_cannot_be_checked(tmp_path, capsys):
    code, _, err = verify(capsys, tmp_path / "none.duckdb")
    assert code == 2
    assert "no exception store" in err


def test_a_cli_run_publishes_the_audit_head_and_is_recorded_under_the_os_user(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("getpass.getuser", lambda: "ops-anna")
    out, store = tmp_path / "out", tmp_path / "s.duckdb"
    main(["run", "--data-dir", str(FIXTURE / "day1"), "--out", str(out), "--config",
          str(FIXTURE / "recon.toml"), "--store", str(store), "--quiet"])  # fmt: skip
    head = json.loads((out / "summary.json").read_text())["audit_head"]
    run = table_rows(store, "runs")[0]
    assert (head["run_no"], head["run_id"], head["run_hash"]) == (1, run[0], run[-1])
    assert verify(capsys, store, "--summary", str(out / "summary.json"))[0] == 0
    # not the literal `recon run`: the OS user, as actor and as os_user
    assert (run[1], run[19]) == ("ops-anna", "ops-anna")
    assert {e[3] for e in table_rows(store, "events")} == {"ops-anna"}


def test_a_v1_store_is_migrated_to_the_current_schema_and_its_chain_verifies(tmp_path, capsys):
    store = tmp_path / "store_v1.duckdb"
    with gzip.open(FIXTURE / "store_v1.duckdb.gz") as src, store.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    before = table_rows(store, "events", "event_no")
    assert verify(capsys, store)[0] == 2  # schema 1: no chain yet, nothing written
    # any write migrates: an analyst's change
    reassign(store, "EX-1828E05E931FA02A", to="carol", note="bob is away", actor="alice")
    assert table_rows(store, "store_info") == [("schema_version", str(CURRENT_VERSION))]
    after = table_rows(store, "events", "event_no")
    assert [r[:9] for r in after[:-1]] == before  # history kept as it was
    assert [r[9] for r in after[:-1]] == [None] * len(before)  # no OS user was recorded then
    code, out, _ = verify(capsys, store)
    assert code == 0
    assert f"{len(before) + 1} event(s)" in out
    tamper(store, "UPDATE events SET note = 'edited' WHERE event_no = 2")
    assert verify(capsys, store)[0] == 1


def test_audit_log_lists_every_event_filtered_by_actor_and_time(chained, capsys):
    assert main(["audit", "log", "--store", str(chained), "--format", "json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert [e["event_no"] for e in every] == list(range(1, 8))
    assert set(every[0]) == {
        "event_no", "changed_at", "actor", "os_user", "exception_id", "action", "from_status",
        "to_status", "note", "run_id",
    }  # fmt: skip
    assert (
        main(["audit", "log", "--store", str(chained), "--format", "json", "--actor", "ANN"]) == 0
    )
    assert [(e["actor"], e["action"]) for e in json.loads(capsys.readouterr().out)] == [
        ("ann", "RESOLVED")
    ]
    since, until = (at(1) + timedelta(minutes=1)).isoformat(), at(2).isoformat()
    assert main(["audit", "log", "--store", str(chained), "--format", "json",
                 "--since", since, "--until", until]) == 0  # fmt: skip
    assert [e["event_no"] for e in json.loads(capsys.readouterr().out)] == [4, 5]


def test_audit_log_csv_and_table_show_hostile_values_inertly(chained, capsys):
    reassign(
        chained, "EX-DEBI-T1", to="x", actor="=cmd|' /C calc'!A0", note="[bold]ok[/bold]\x1b[2J"
    )
    assert main(["audit", "log", "--store", str(chained), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=cmd" in out
    assert main(["audit", "log", "--store", str(chained), "--exception", "EX-DEBI-T1"]) == 0
    out = capsys.readouterr().out
    assert "[bold]ok[/bold]\\x1b[2J" in out
    assert "\x1b" not in out


@pytest.mark.parametrize("actor", ["", "   ", "auditor\nfake line", "a\x1b[2Jb", "x" * 201])
def test_an_empty_multi_line_or_control_actor_is_refused_in_one_line(chained, capsys, actor):
    before = table_rows(chained, "events")
    code = main(["exceptions", "assign", "EX-DEBI-T1", "--to", "zoe", "--store", str(chained),
                 "--actor", actor])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--actor must" in err
    assert table_rows(chained, "events") == before


def test_recon_run_refuses_a_multi_line_actor_before_reading(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    code = main(["run", "--data-dir", str(tmp_path), "--out", str(tmp_path / "out"),
                 "--store", str(store), "--actor", "auditor\nfake line", "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "--actor must be one line" in err
    assert not store.exists()


def test_the_os_user_is_recorded_beside_the_actor(store, con, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "svc-recon")
    run_n(store, con, 1, [F("T1")], actor="nightly")
    assign(store, "EX-DEBI-T1", to="ann", actor="lead")
    events = table_rows(store, "events", "event_no")
    assert [(e[3], e[9]) for e in events] == [("nightly", "svc-recon"), ("lead", "svc-recon")]
    run = table_rows(store, "runs")[0]
    assert (run[1], run[19]) == ("nightly", "svc-recon")


def test_the_os_user_is_null_when_the_os_cannot_say(store, con, monkeypatch):
    def no_user():
        raise OSError("no user")

    monkeypatch.setattr("getpass.getuser", no_user)
    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("USERNAME", raising=False)
    run_n(store, con, 1, [F("T1")])
    assert table_rows(store, "events")[0][9] is None
    assert verify_store(store).intact


def test_a_flow_run_is_recorded_under_its_deployment_and_flow_run(monkeypatch):
    import prefect.runtime.deployment
    import prefect.runtime.flow_run

    from flows.reconcile import flow_actor

    assert flow_actor("nightly") == "nightly"  # outside a flow run
    monkeypatch.setattr(prefect.runtime.flow_run, "id", "6f1c")
    monkeypatch.setattr(prefect.runtime.flow_run, "flow_name", "recon-nightly")
    monkeypatch.setattr(prefect.runtime.deployment, "name", None)
    assert flow_actor("nightly") == "prefect:flow/recon-nightly:flow-run/6f1c"
    monkeypatch.setattr(prefect.runtime.deployment, "name", "nightly\n02:00")
    assert flow_actor("nightly") == "prefect:deployment/nightly?02:00:flow-run/6f1c"


def test_a_deleted_last_run_is_found_through_the_events_it_recorded(chained, capsys):
    tamper(chained, "DELETE FROM runs WHERE run_id = 'run-2'")
    code, out, _ = verify(capsys, chained)
    assert code == 1
    assert "run run-2: event_no 6 was recorded by this run" in out


def test_the_event_chain_can_be_recomputed_from_the_documented_format_alone(chained):
    def field(value):
        if value is None:
            return "~,"
        text = value if isinstance(value, str) else str(value)
        return f"{len(text.encode())}:{text},"

    prev = "0" * 64
    for row in table_rows(chained, "events", "event_no"):
        no, exception_id, changed_at, actor, run_id, action, frm, to, note, os_user = row[:10]
        when = changed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        record = "event," + "".join(
            field(v)
            for v in (no, exception_id, when, actor, os_user, run_id, action, frm, to, note)
        )
        assert row[10] == prev
        prev = hashlib.sha256(f"{prev}\n{record}".encode()).hexdigest()
        assert row[11] == prev
