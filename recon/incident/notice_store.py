"""Customer notices kept in the store: prepared once, sent once (docs/incident.md).

`prepare_notices` renders every affected customer's notice and records the new ones in one
transaction, with an event each in the audit chain; a notice whose text is already recorded
is not added again, and one that changed replaces an unsent one (SUPERSEDED). The file for
the sending system lists what is still to send. `record_receipt` marks the notices the
sending system reports as sent. Either fails whole: the store and the output folder stay as
they were.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from recon.config import PrivacyPolicy, parse_timestamp
from recon.errors import ConfigError, StoreError
from recon.incident.incident_cases import require_cases
from recon.incident.notices import Notice, NoticeOptions, build_notices
from recon.privacy import mask_id
from recon.publish.staged_files import staged_files
from recon.safety import spreadsheet_cell
from recon.sql import load_sql, run_statements
from recon.store import audit, users
from recon.store.actor import check_actor, os_user
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.session import store_change

CSV_NAME = "notices.csv"
TEXT_NAME = "notices.txt"
CSV_COLUMNS = ("notice_id", "customer_id", "channel", "language", "kind", "content_sha256",
               "message")  # fmt: skip
# receipt rows with one of these statuses (or without a status column) were sent
SENT_STATUSES = frozenset({"SENT", "DELIVERED", "ACCEPTED"})


@dataclass(frozen=True)
class Prepared:
    """What `prepare_notices` did: notices new, unchanged (already recorded), already sent,
    customers left out (all closed, without `resolved`), and the files written."""

    new: int
    unchanged: int
    already_sent: int
    pending: int
    files: tuple[Path, ...]


def prepare_notices(
    store_path: str | Path,
    incident_id: str,
    out_dir: Path,
    *,
    options: NoticeOptions,
    timezone: str,
    privacy: PrivacyPolicy,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Prepared:
    """Prepare the incident's notices in `options`' channel and language into the store, and
    write notices.csv (for the sending system) and notices.txt (to read them) into `out_dir`."""
    actor = check_actor(actor)
    now = now or datetime.now(UTC)
    with staged_files(Path(out_dir)) as staged:
        with store_change(
            store_path, owner=f"{actor}: notices {incident_id}", wait_seconds=wait_seconds
        ) as con:
            known, notices, new, rows = _prepare(con, incident_id, options, timezone, actor, now)
            _write_csv(staged.path(CSV_NAME), rows, privacy.mask_exports)
            _write_text(staged.path(TEXT_NAME), rows, privacy.mask)
        landed = staged.land()  # after the store committed what the files list
    seen = [known[n.notice_id] for n in notices if n.notice_id in known]
    return Prepared(
        new=len(new),
        unchanged=sum(1 for s in seen if s != "SENT"),
        already_sent=sum(1 for s in seen if s == "SENT"),
        pending=len(rows),
        files=landed,
    )


def _prepare(
    con: duckdb.DuckDBPyConnection,
    incident_id: str,
    options: NoticeOptions,
    timezone: str,
    actor: str,
    now: datetime,
) -> tuple[dict[str, str], list[Notice], list[Notice], list[tuple]]:
    """Inside the store's transaction: (states of the notices known before, the notices
    rendered now, those of them new, the notices still to send after recording them)."""
    users.require_acting(con, actor, "propose")  # put forward for customers, as a proposal
    notices = build_notices(con, incident_id, options, timezone)
    require_cases(con, incident_id)
    scope = {"incident_id": incident_id, "channel": options.channel,
             "language": options.language}  # fmt: skip
    found = con.execute(load_sql("recon.incident", "notices_known"), scope).fetchall()
    known = {notice_id: state for notice_id, _customer, state in found}
    new = [n for n in notices if n.notice_id not in known]
    if new:
        con.register("_nt_new", _table(new))
        try:
            params = {"now": now, "actor": actor, "os_user": os_user()}
            run_statements(con, load_sql("recon.incident", "notices_insert"), params)
            audit.append_events(con)
        finally:
            con.unregister("_nt_new")
    rows = con.execute(load_sql("recon.incident", "notices_pending"), scope).fetchall()
    return known, notices, new, rows


def record_receipt(
    store_path: str | Path,
    receipt: Path,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> tuple[int, int]:
    """Mark the notices of the sending system's receipt (CSV: `notice_id`, optional `status`,
    `sent_at`, `receipt_ref`) SENT; (how many now, how many were already). An unknown notice
    id refuses the whole file, naming its line."""
    actor = check_actor(actor)
    now = now or datetime.now(UTC)
    sent = _read_receipt(Path(receipt), now)
    with store_change(store_path, owner=f"{actor}: notices sent", wait_seconds=wait_seconds) as con:
        users.require_acting(con, actor, "post")  # recording what went out, as a posting
        ids = [s[0] for s in sent]
        found = {
            r[0]: r[1]
            for r in con.execute(
                "SELECT notice_id, state FROM recon_store.notices WHERE list_contains($ids,"
                " notice_id)",
                {"ids": ids},
            ).fetchall()
        }
        for notice_id, _at, _ref, line in sent:
            if notice_id not in found:
                raise StoreError(f"{receipt}: line {line}: no notice {notice_id} in the store")
        table = pa.table(
            {
                "notice_id": pa.array([s[0] for s in sent], pa.string()),
                "sent_at": pa.array([s[1] for s in sent], pa.timestamp("us", tz="UTC")),
                "receipt_ref": pa.array([s[2] for s in sent], pa.string()),
            }
        )
        con.register("_nt_sent", table)
        try:
            params = {"now": now, "actor": actor, "os_user": os_user()}
            run_statements(con, load_sql("recon.incident", "notices_sent"), params)
            changed = con.execute("SELECT count(*) FROM _nt_changed").fetchall()[0][0]
            if changed:
                audit.append_events(con)
            con.execute("DROP TABLE _nt_changed")
        finally:
            con.unregister("_nt_sent")
    return changed, len(set(ids)) - changed


def _read_receipt(path: Path, now: datetime) -> list[tuple[str, datetime, str | None, int]]:
    """(notice_id, sent_at, receipt_ref, line) of each sent row of the receipt file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "notice_id" not in reader.fieldnames:
                raise ConfigError(f"{path}: a receipt is a CSV file with a notice_id column")
            rows = []
            for line, row in enumerate(reader, 2):
                notice_id = (row.get("notice_id") or "").strip()
                status = (row.get("status") or "SENT").strip().upper()
                if not notice_id or status not in SENT_STATUSES:
                    continue
                when = (row.get("sent_at") or "").strip()
                try:
                    sent_at = parse_timestamp(when) if when else now
                except ConfigError as err:
                    raise ConfigError(f"{path}: line {line}: sent_at {err}") from None
                ref = (row.get("receipt_ref") or row.get("message_id") or "").strip() or None
                rows.append((notice_id, sent_at.astimezone(UTC), ref, line))
    except FileNotFoundError:
        raise ConfigError(f"--receipt {path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--receipt {path}: not UTF-8 text") from None
    return rows


def _table(notices: list[Notice]) -> pa.Table:
    names = ("notice_id", "incident_id", "customer_id", "channel", "language", "kind",
             "content_sha256", "content", "exception_ids")  # fmt: skip
    return pa.table({k: pa.array([getattr(n, k) for n in notices], pa.string()) for k in names})


def _write_csv(path: Path, rows: list[tuple], mask: bool) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(CSV_COLUMNS)
        for notice_id, customer, channel, language, kind, digest, content in rows:
            cells = (notice_id, mask_id(customer, mask), channel, language, kind, digest,
                     content.rstrip("\n"))  # fmt: skip
            out.writerow([spreadsheet_cell(c) for c in cells])


def _write_text(path: Path, rows: list[tuple], mask: bool) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for notice_id, customer, channel, language, kind, digest, content in rows:
            fh.write(f"=== {notice_id} to {mask_id(customer, mask)} ({channel}, {language},"
                     f" {kind.lower()}; sha256 {digest[:12]})\n{content}\n")  # fmt: skip
