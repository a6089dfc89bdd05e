"""The store on PostgreSQL, as far as it goes today (issue 13; docs/store.md, "PostgreSQL"):
selecting it by URL and keeping its password out of the URL, `recon store migrate`, its
tables being the DuckDB store's, the append-only audit log, the least-privilege roles, and
`recon store copy` moving a DuckDB store with its whole history so its audit chain verifies.

Against a real server: the session's throwaway cluster (tests/pg_server.py), one database per
test.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import duckdb
import psycopg
import pytest

from recon.cli import main
from recon.config import load_config
from recon.db import connect
from recon.errors import ConfigError, StoreError
from recon.sql import load_sql
from recon.store import actions, proposals, users
from recon.store.audit import verify_store
from recon.store.location import PgLocation, looks_like_url, pg_location
from recon.store.migrate import CURRENT_VERSION
from recon.store.pg.connection import check_current, pg_connect
from recon.store.pg.copy import copy_store
from recon.store.pg.migrate import migrate
from recon.store.pg.mirror import mirror_into, store_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
_numbers = itertools.count(1)


@pytest.fixture
def pg_db(pg_server) -> PgLocation:
    """A new, empty database on the session's server."""
    return pg_location(pg_server.create_database(f"store_{next(_numbers)}"))


@pytest.fixture
def pg_store(pg_db) -> PgLocation:
    """An empty store at the current schema."""
    migrate(pg_db)
    return pg_db


def sql(location: PgLocation, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(location.url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


# -- selecting the store ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://batch:s3cret@db.example:5432/recon",
        "postgresql://batch@db.example/recon?password=s3cret",
    ],
)
def test_a_url_with_a_password_is_refused_naming_where_it_came_from(tmp_path, url):
    toml = tmp_path / "recon.toml"
    toml.write_text(f'store = "{url}"\n')
    with pytest.raises(ConfigError) as in_file:
        load_config(toml)
    with pytest.raises(ConfigError) as on_line:
        load_config(None, store=url)
    assert str(in_file.value).startswith(f"{toml}: store URL carries a password")
    assert str(on_line.value).startswith("--store URL carries a password")
    for err in (in_file.value, on_line.value):
        assert "s3cret" not in str(err)
        assert "PGPASSWORD" in str(err)


def test_a_url_selects_postgresql_and_a_path_keeps_the_duckdb_file(tmp_path):
    toml = tmp_path / "recon.toml"
    toml.write_text(
        'store = "postgresql://batch@db.example:5432/recon"\npassword_file = "/run/secret"\n'
    )
    config = load_config(toml)
    assert looks_like_url(config.store)
    assert pg_location(config.store, password_file=config.password_file) == PgLocation(
        "postgresql://batch@db.example:5432/recon", Path("/run/secret")
    )
    assert not looks_like_url(load_config(None, store="stores/recon.duckdb").store)
    with pytest.raises(ConfigError, match="names no database"):
        load_config(None, store="postgresql://batch@db.example:5432/")


def test_a_command_on_a_database_without_a_store_names_the_migrate_command(pg_db, capsys):
    code = main(["exceptions", "list", "--store", pg_db.url])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert f"no exception store in {pg_db.url} yet: create it with `recon store migrate" in err


def test_the_password_comes_from_password_file_or_pgpassword(
    pg_server, pg_store, tmp_path, monkeypatch
):
    pg_server.psql("CREATE ROLE clerk LOGIN PASSWORD 'right horse'")
    pg_server.require_password("clerk")
    url = pg_store.url.replace("//recon@", "//clerk@")
    secret = tmp_path / "pw"
    secret.write_text("right horse\n")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    with pg_connect(pg_location(url, password_file=secret)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("clerk",)
    secret.write_text("wrong horse\n")
    with pytest.raises(StoreError) as wrong:
        with pg_connect(pg_location(url, password_file=secret)):
            pass
    assert "password authentication failed" in str(wrong.value)
    assert "\n" not in str(wrong.value)
    monkeypatch.setenv("PGPASSWORD", "right horse")
    with pg_connect(pg_location(url)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("clerk",)


def test_the_configs_password_file_reaches_every_command_on_the_store(
    pg_server, pg_store, tmp_path, monkeypatch, capsys
):
    database = pg_store.url.rsplit("/", 1)[1]
    pg_server.psql(load_sql("recon.store.pg", "roles"), database=database)
    pg_server.psql("CREATE ROLE desk LOGIN PASSWORD 'desk horse' IN ROLE recon_web")
    pg_server.require_password("desk")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    (tmp_path / "pw").write_text("desk horse\n")
    toml = tmp_path / "recon.toml"
    url = pg_store.url.replace("//recon@", "//desk@")
    toml.write_text(f'store = "{url}"\npassword_file = "{tmp_path / "pw"}"\n')
    assert (
        main(["exceptions", "list", "--store", url, "--config", str(toml), "--format", "csv"]) == 0
    )
    assert capsys.readouterr().out.startswith("exception_id,")


def test_the_web_role_sets_the_approval_limit_and_no_other_store_setting(
    pg_server, pg_store, capsys
):
    database = pg_store.url.rsplit("/", 1)[1]
    pg_server.psql(load_sql("recon.store.pg", "roles"), database=database)
    users.add_user(pg_store.url, "lead", "admin", "pw-lead-123456", actor="root")
    pg_server.psql("CREATE ROLE lead LOGIN IN ROLE recon_web")
    url = pg_store.url.replace("//recon@", "//lead@")
    assert main(["approvals", "set", "50000.00", "--store", url, "--actor", "lead"]) == 0
    assert main(["approvals", "set", "none", "--store", url, "--actor", "lead"]) == 0
    assert main(["approvals", "set", "800.00", "--store", url, "--actor", "lead"]) == 0
    capsys.readouterr()
    assert sql(pg_store, "SELECT value FROM recon.store_info WHERE key = 'approvals_admin_above'"
               ) == [("800.00",)]  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        changed = conn.execute("UPDATE recon.store_info SET value = '1'")
        assert changed.rowcount == 1  # the limit's row only: the schema version is not its own
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO recon.store_info VALUES ('schema_version_2', '9')")
    assert sql(pg_store, "SELECT value FROM recon.store_info WHERE key = 'schema_version'") == [
        (str(CURRENT_VERSION),)
    ]


# -- schema and migrations -----------------------------------------------------------------


def test_migrate_creates_the_store_then_has_nothing_to_do(pg_db, capsys):
    assert main(["store", "migrate", "--store", pg_db.url]) == 0
    assert main(["store", "migrate", "--store", pg_db.url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{pg_db.url}: store created at schema {CURRENT_VERSION}",
        f"{pg_db.url}: store schema {CURRENT_VERSION}, nothing to do",
    ]
    assert sql(pg_db, "SELECT value FROM recon.store_info") == [(str(CURRENT_VERSION),)]


def test_a_store_at_another_schema_is_refused_at_start(pg_store):
    with pg_connect(pg_store) as conn:
        check_current(conn, pg_store)
    sql(pg_store, "UPDATE recon.store_info SET value = '4'")
    with pg_connect(pg_store) as conn, pytest.raises(StoreError, match="recon store migrate"):
        check_current(conn, pg_store)
    sql(pg_store, "UPDATE recon.store_info SET value = %s", (str(CURRENT_VERSION + 1),))
    with pytest.raises(StoreError, match="newer recon"):
        migrate(pg_store)


def test_an_empty_database_is_no_store_yet(pg_db):
    with pg_connect(pg_db) as conn, pytest.raises(StoreError, match="no exception store"):
        check_current(conn, pg_db)


PG_TYPE = {
    "VARCHAR": "text",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "DECIMAL(18,2)": "numeric(18,2)",
    "JSON": "json",
    "BLOB": "bytea",
    "BOOLEAN": "boolean",
    "INTEGER": "integer",
    "BIGINT": "bigint",
}


def test_its_tables_are_the_duckdb_stores_column_for_column(pg_store):
    con = connect()
    try:
        from recon.store.pg.mirror import create_empty_store

        create_empty_store(con)
        duck = {t: [(c, PG_TYPE[k]) for c, k in cols] for t, cols in store_tables(con)}
    finally:
        con.close()
    rows = sql(
        pg_store,
        "SELECT table_name, column_name, format_type(a.atttypid, a.atttypmod)"
        " FROM information_schema.columns AS c"
        " JOIN pg_attribute AS a ON a.attrelid = ('recon.' || quote_ident(c.table_name))::regclass"
        "  AND a.attname = c.column_name"
        " WHERE c.table_schema = 'recon' ORDER BY table_name, ordinal_position",
    )
    pg: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        pg.setdefault(table, []).append((column, kind))
    assert pg == duck


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE recon.events SET note = 'changed'",
        "DELETE FROM recon.events",
        "TRUNCATE recon.events",
    ],
)
def test_the_events_are_append_only_even_for_the_owner(pg_store, statement):
    sql(
        pg_store,
        "INSERT INTO recon.events (event_no, exception_id, changed_at, actor, action,"
        " to_status) VALUES (1, 'EX-1', now(), 'ann', 'COMMENTED', 'OPEN')",
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        sql(pg_store, statement)
    assert sql(pg_store, "SELECT note FROM recon.events") == [(None,)]


def test_the_roles_get_only_what_they_need(pg_server, pg_store, capsys):
    assert main(["store", "roles"]) == 0
    pg_server.psql(capsys.readouterr().out, database=pg_store.url.rsplit("/", 1)[1])

    def may(role: str, privilege: str, table: str) -> bool:
        row = sql(pg_store, "SELECT has_table_privilege(%s, %s, %s)",
                  (role, f"recon.{table}", privilege))  # fmt: skip
        return bool(row[0][0])

    for role in ("recon_batch", "recon_web", "recon_auditor"):
        assert may(role, "SELECT", "events")
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            assert not may(role, privilege, "events"), (role, privilege)
    assert may("recon_batch", "INSERT", "events")
    assert may("recon_web", "INSERT", "events")
    assert may("recon_batch", "INSERT", "runs")
    assert not may("recon_web", "INSERT", "runs")
    assert may("recon_web", "UPDATE", "users")
    assert not may("recon_batch", "UPDATE", "users")
    assert may("recon_web", "INSERT", "attachments")
    tables = [
        r[0] for r in sql(pg_store, "SELECT tablename FROM pg_tables WHERE schemaname = 'recon'")
    ]
    for table in tables:
        for privilege in ("INSERT", "UPDATE", "DELETE"):
            assert not may("recon_auditor", privilege, table), (table, privilege)
    # a login of the web role, refused at the server
    pg_server.psql("CREATE ROLE webapp LOGIN IN ROLE recon_web")
    web = pg_store.url.replace("//recon@", "//webapp@")
    with psycopg.connect(web, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM recon.exceptions")
        assert conn.execute("SELECT count(*) FROM recon.events").fetchone() == (0,)


# -- copy ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worked_store(tmp_path_factory) -> Path:
    """A DuckDB store with history of every kind: two runs of the sample day, users, an
    assignment, a resolution, a comment, an attachment, a proposal and its approval."""
    folder = tmp_path_factory.mktemp("worked")
    store = folder / "recon.duckdb"
    for n in (1, 2):
        code = main(["run", "--quiet", "--data-dir", str(SAMPLE / "data"), "--out",
                     str(folder / f"out{n}"), "--config", str(SAMPLE / "recon.toml"),
                     "--store", str(store)])  # fmt: skip
        assert code == 1
    users.add_user(store, "lead", "admin", "pw-lead-123456", actor="root")
    users.add_user(store, "ann", "analyst", "pw-ann-1234567", actor="lead")
    ids = [r[0] for r in duckdb.connect(str(store), read_only=True).execute(
        "SELECT exception_id FROM exceptions ORDER BY 1 LIMIT 3").fetchall()]  # fmt: skip
    actions.assign(store, ids[0], to="ann", actor="ann")
    actions.resolve(store, ids[1], code="FALSE_POSITIVE", note="checked", actor="ann")
    actions.add_comment(store, ids[0], text="called the customer, ünïcode ✓", actor="ann")
    actions.add_attachment(store, ids[0], name="proof.bin", content=bytes(range(256)) * 3,
                           actor="ann")  # fmt: skip
    made = proposals.propose(store, ids[2], "compensation", detail={
        "customer_id": "C1", "amount": "12.50", "currency": "CNY", "basis": "goodwill"},
        actor="ann")  # fmt: skip
    proposals.approve(store, made.proposal_id, actor="lead")
    return store


def tables_of(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {
        table: con.execute(f'SELECT * FROM recon_store."{table}" ORDER BY ALL').fetchall()
        for table, _ in store_tables(con)
    }


def test_copy_moves_every_row_of_every_table_and_the_chain_verifies(worked_store, pg_db, capsys):
    assert main(["store", "copy", "--from", str(worked_store), "--to", pg_db.url]) == 0
    out = capsys.readouterr().out
    assert "audit chain intact on the copy" in out
    source = connect()
    copy = connect()
    try:
        source.execute(f"ATTACH '{worked_store}' AS recon_store (READ_ONLY)")
        with pg_connect(pg_db) as conn:
            mirror_into(copy, conn)
        before, after = tables_of(source), tables_of(copy)
        # the chain's head is the highest run_no (run ids within one second sort at random)
        (head,) = source.execute(
            "SELECT hash FROM recon_store.runs ORDER BY run_no DESC LIMIT 1"
        ).fetchone()
    finally:
        source.close()
        copy.close()
    assert after == before
    assert all(before[t] for t in ("events", "runs", "users", "attachments", "proposals"))
    verdict = verify_store(pg_db.url)
    assert verdict.intact
    assert (verdict.events, verdict.run_hash) == (len(before["events"]), head)


def test_copy_refuses_a_store_that_already_has_rows(worked_store, pg_db):
    copy_store(worked_store, pg_db)
    with pytest.raises(StoreError, match="already holds a store"):
        copy_store(worked_store, pg_db)


def test_a_changed_row_on_postgresql_breaks_the_chain_there(worked_store, pg_db, capsys):
    copy_store(worked_store, pg_db)
    sql(pg_db, "ALTER TABLE recon.events DISABLE TRIGGER events_append_only")
    sql(pg_db, "UPDATE recon.events SET note = 'rewritten' WHERE event_no = 2")
    assert main(["audit", "verify", "--store", pg_db.url]) == 1
    assert "event_no 2" in capsys.readouterr().out


def test_a_writer_waits_for_the_write_lock_then_names_its_holder(pg_store, caplog):
    from recon.errors import StoreBusyError
    from recon.store.pg.connection import lock_for_writing

    with pg_connect(pg_store, owner="run run-1") as holder, holder.transaction():
        lock_for_writing(holder, pg_store, 0)
        with pg_connect(pg_store, owner="ann: resolve EX-1") as waiter, waiter.transaction():
            with pytest.raises(StoreBusyError) as busy:
                lock_for_writing(waiter, pg_store, 0.5)
    assert f"in use by run run-1 (pid {os.getpid()} on 127.0.0.1, role recon, since " in str(
        busy.value
    )
    assert "waiting up to" in caplog.text
    with pg_connect(pg_store) as after, after.transaction():
        lock_for_writing(after, pg_store, 0)  # let go at the holder's commit
