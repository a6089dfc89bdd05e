"""Customer notices after an incident: what each says, prepared once, sent once, masked.

The tests of what the store keeps of notices (prepared once, superseded, a receipt recorded
once, a receipt refused whole) run over the DuckDB file and again over PostgreSQL
(`ON_BOTH_BACKENDS`); those about what a notice says, over the file. The commands themselves
run on both in test_regulator_report.py (notices, a receipt, two report versions, the chain).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recon.cli import main
from recon.config import PrivacyPolicy
from recon.errors import ConfigError, StoreError
from recon.incident.notice_store import prepare_notices, record_receipt
from recon.incident.notices import NoticeOptions, sms_segments
from recon.store import audit
from tests.store.backends import read_store, tamper

from .incident_store import CASES, ON_BOTH_BACKENDS, make_store, on_backend

LATER = datetime(2024, 3, 17, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The hand-made store: the file, or a PostgreSQL copy of it (`ON_BOTH_BACKENDS`)."""
    return on_backend(request, make_store(tmp_path))


def prepare(store: Path | str, out: Path, **options):
    privacy = options.pop("privacy", PrivacyPolicy())
    return prepare_notices(
        store, "INC-7", out, options=NoticeOptions(**options), timezone="Asia/Shanghai",
        privacy=privacy, actor="ops",
    )  # fmt: skip


def sent_rows(out: Path) -> list[dict[str, str]]:
    with (out / "notices.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def by_customer(out: Path) -> dict[str, dict[str, str]]:
    return {row["customer_id"]: row for row in sent_rows(out)}


def rows(store: Path | str, sql: str) -> list[tuple]:
    with read_store(store) as con:
        return con.execute(sql).fetchall()


def test_each_affected_customer_gets_one_notice_of_their_transfers(store, tmp_path):
    done = prepare(store, tmp_path / "out", channel="app", language="en")
    assert (done.new, done.pending) == (3, 3)
    text = by_customer(tmp_path / "out")["C0000001"]["message"]
    assert "2024-03-15 19:21, transfer T1, 100.00 CNY: under review. We will complete the" in text
    assert "2024-03-15 19:24, transfer T2, 50.00 CNY: reversed, the money is back" in text
    assert "we owe you 0.03 CNY, which we will credit to your account" in text


def test_a_transfer_with_several_cases_is_told_once_with_its_open_action(store, tmp_path):
    prepare(store, tmp_path / "out", channel="app", language="en")
    text = by_customer(tmp_path / "out")["C0000003"]["message"]
    assert text.count("transfer T4") == 1
    assert "2,000.00 CNY: under review. We will return the money to your account." in text


def test_a_customer_whose_cases_all_closed_gets_a_resolved_notice(store, tmp_path):
    prepare(store, tmp_path / "out", channel="app", language="en")
    row = by_customer(tmp_path / "out")["C0000002"]
    assert row["kind"] == "RESOLVED"
    assert "is now settled; you do not need to do anything" in row["message"]


def test_or_none_when_resolved_notices_are_off(store, tmp_path):
    done = prepare(store, tmp_path / "out", resolved=False)
    assert done.new == 2
    assert "C0000002" not in by_customer(tmp_path / "out")


@ON_BOTH_BACKENDS
def test_preparing_again_adds_no_notice(store, tmp_path):
    prepare(store, tmp_path / "one")
    again = prepare(store, tmp_path / "two")
    assert (again.new, again.unchanged, again.pending) == (0, 3, 3)
    assert rows(store, "SELECT count(*) FROM notices") == [(3,)]
    assert rows(store, "SELECT count(*) FROM events WHERE action = 'NOTICE_PREPARED'") == [(3,)]
    assert sent_rows(tmp_path / "one") == sent_rows(tmp_path / "two")


@ON_BOTH_BACKENDS
def test_a_changed_case_replaces_the_unsent_notice(store, tmp_path):
    prepare(store, tmp_path / "out")
    tamper(store, "UPDATE exceptions SET status = 'SELF_HEALED' WHERE exception_id = 'EX-1'")
    again = prepare(store, tmp_path / "out")
    assert again.new == 1
    states = rows(store, "SELECT state, kind FROM notices WHERE customer_id = 'C0000001'"
                  " ORDER BY prepared_at, state")  # fmt: skip
    assert sorted(states) == [("PREPARED", "RESOLVED"), ("SUPERSEDED", "AFFECTED")]


@ON_BOTH_BACKENDS
def test_a_receipt_marks_notices_sent_once_and_they_leave_the_sending_file(store, tmp_path):
    prepare(store, tmp_path / "out")
    first = sent_rows(tmp_path / "out")[0]
    receipt = tmp_path / "receipt.csv"
    receipt.write_text(
        f"notice_id,status,sent_at,receipt_ref\n{first['notice_id']},DELIVERED,"
        "2024-03-17T09:00:00+08:00,SMS-991\n",
        encoding="utf-8",
    )
    assert record_receipt(store, receipt, actor="ops", now=LATER) == (1, 0)
    assert record_receipt(store, receipt, actor="ops", now=LATER) == (0, 1)
    assert rows(store, f"SELECT state, sent_at, receipt_ref FROM notices WHERE notice_id ="
                f" '{first['notice_id']}'") == [
        ("SENT", datetime(2024, 3, 17, 1, 0, tzinfo=UTC), "SMS-991")
    ]  # fmt: skip
    again = prepare(store, tmp_path / "out")
    assert (again.already_sent, again.pending) == (1, 2)
    assert first["notice_id"] not in {r["notice_id"] for r in sent_rows(tmp_path / "out")}
    assert audit.verify_store(store).intact


@ON_BOTH_BACKENDS
def test_a_receipt_naming_an_unknown_notice_changes_nothing(store, tmp_path):
    prepare(store, tmp_path / "out")
    good = sent_rows(tmp_path / "out")[0]["notice_id"]
    receipt = tmp_path / "receipt.csv"
    receipt.write_text(f"notice_id\n{good}\nN-NOSUCH\n", encoding="utf-8")
    with pytest.raises(StoreError, match="line 3: no notice N-NOSUCH in the store"):
        record_receipt(store, receipt, actor="ops")
    assert rows(store, "SELECT count(*) FROM notices WHERE state = 'SENT'") == [(0,)]


def test_the_reading_copy_masks_customer_ids_and_the_sending_file_follows_mask_exports(
    store, tmp_path
):
    prepare(store, tmp_path / "full")
    assert set(by_customer(tmp_path / "full")) == {"C0000001", "C0000002", "C0000003"}
    text = (tmp_path / "full" / "notices.txt").read_text(encoding="utf-8")
    assert "C0******0001" in text
    assert "C0000001" not in text
    prepare(store, tmp_path / "masked", privacy=PrivacyPolicy(mask_exports=True))
    assert set(by_customer(tmp_path / "masked")) == {"C0******0001", "C0******0002",
                                                      "C0******0003"}  # fmt: skip


def test_sms_in_chinese_fits_its_segments(store, tmp_path):
    prepare(store, tmp_path / "out", channel="sms", language="zh-CN")
    text = by_customer(tmp_path / "out")["C0000001"]["message"]
    assert text.startswith("2024-03-15系统故障：转账T1金额100.00CNY正在核查")
    assert sms_segments(text) <= 3


def test_an_sms_over_its_segments_is_refused_naming_the_notice_and_nothing_changes(store, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=r"SMS notice N-[0-9A-F]{16} for customer C0\*{6}000"):
        prepare(store, out, channel="sms", language="zh-CN", sms_segments=1)
    assert rows(store, "SELECT count(*) FROM notices") == [(0,)]
    assert not out.exists()


def test_sms_segments_count_gsm_and_unicode_text_apart():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2  # 153 a segment once split
    assert sms_segments("中" * 70) == 1
    assert sms_segments("中" * 71) == 2  # 67 a segment once split


def test_a_hostile_transfer_reference_is_shown_not_obeyed(tmp_path):
    hostile = [("EX-1", "C0000001", "=T1\u202e", *CASES[0][3:])]
    store = make_store(tmp_path, hostile)
    prepare(store, tmp_path / "out", channel="app", language="en")
    text = by_customer(tmp_path / "out")["C0000001"]["message"]
    assert "transfer =T1<U+202E>," in text


def test_the_command_prepares_then_records_the_receipt(store, tmp_path, capsys):
    out = tmp_path / "out"
    base = ["--store", str(store), "--actor", "ops"]
    assert main(["incident", "notices", "--id", "INC-7", "--out", str(out), *base]) == 0
    assert "3 new notice(s), 0 unchanged, 0 already sent; 3 to send" in capsys.readouterr().out
    receipt = tmp_path / "receipt.csv"
    receipt.write_text("notice_id\n" + sent_rows(out)[0]["notice_id"] + "\n", encoding="utf-8")
    assert main(["incident", "notices", "sent", "--receipt", str(receipt), *base]) == 0
    assert "1 notice(s) recorded SENT; 0 already were" in capsys.readouterr().out


def test_the_command_refuses_an_incident_without_cases_in_one_line(store, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["incident", "notices", "--id", "INC-9", "--out", str(out), "--store", str(store)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "incident INC-9 has no cases in the store" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["incident", "--id", "INC-7", "--start", "2024-03-15T11:20", "--end", "2024-03-15T11:30"],
        ["incident", "rerun", "--id", "INC-7", "--start", "2024-03-15T11:20", "--end",
         "2024-03-15T11:30"],
    ],
)  # fmt: skip
def test_the_rerun_keeps_its_old_form_beside_the_actions(argv):
    from flows.cli import run_incident
    from recon.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.handler is run_incident
    assert (args.incident_id, args.start, args.end) == (
        "INC-7",
        "2024-03-15T11:20",
        "2024-03-15T11:30",
    )


def test_compensation_approved_and_paid_through_the_maker_checker_is_told_as_paid(store, tmp_path):
    from recon.store import proposals

    detail = {"customer_id": "C0000003", "amount": "5.00", "currency": "CNY", "basis": "goodwill"}
    made = proposals.propose(store, "EX-4", "compensation", actor="ann", detail=detail)
    proposals.approve(store, made.proposal_id, actor="lead")
    proposals.post(store, made.proposal_id, actor="ann", posting_ref="PAY-1")
    prepare(store, tmp_path / "out", channel="app", language="en")
    text = by_customer(tmp_path / "out")["C0000003"]["message"]
    # EX-4's 0.27 replaced by the 5.00 approved; EX-5 owes nothing
    assert "we owe you 5.00 CNY, already paid to your account" in text


def test_on_a_store_with_users_a_viewer_may_not_prepare_notices(store, tmp_path):
    from recon.errors import PermissionDenied
    from recon.store import users

    users.add_user(store, "lead", "admin", "pw-lead-123456", actor="root")
    users.add_user(store, "val", "viewer", "pw-val-1234567", actor="lead")
    with pytest.raises(PermissionDenied, match=r"val \(viewer\) may not"):
        prepare_notices(store, "INC-7", tmp_path / "out", options=NoticeOptions(),
                        timezone="UTC", privacy=PrivacyPolicy(), actor="val")  # fmt: skip
    assert rows(store, "SELECT count(*) FROM notices") == [(0,)]
