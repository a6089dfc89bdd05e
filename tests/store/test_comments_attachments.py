"""Comments (events without a status change) and attachments (stored with their SHA-256)."""

from __future__ import annotations

import hashlib
import json

import pytest

from recon.errors import StoreError
from recon.store.actions import add_attachment, add_comment, get_attachment, resolve
from recon.store.attachments import AttachmentError
from recon.store.audit import verify_store
from recon.store.commands import main
from recon.store.queries import ExceptionFilter, exception_detail, list_exceptions

from .backends import is_pg, tamper
from .builders import exceptions_by_id, table_rows
from .team import ex, team_store

PDF = b"%PDF-1.4 proof of the credit posted by hand"


@pytest.fixture
def team(store, con):
    return team_store(store, con)


def last_event(store):
    return table_rows(store, "events", "event_no")[-1]


def test_a_comment_is_an_event_that_keeps_the_status(team):
    add_comment(team, ex("T1"), text="customer called back", actor="ann")
    last = last_event(team)
    assert (last[3], last[5], last[6], last[7], last[8]) == (
        "ann", "COMMENTED", "OPEN", "OPEN", "customer called back",
    )  # fmt: skip
    assert exceptions_by_id(team)[ex("T1")]["status"] == "OPEN"


def test_a_closed_exception_can_be_commented_and_stays_closed(team):
    resolve(team, ex("T1"), code="CORRECTED", note="posted", actor="ann")
    add_comment(team, ex("T1"), text="checked again next day", actor="bob")
    row = exceptions_by_id(team)[ex("T1")]
    assert (row["status"], row["resolution_code"]) == ("RESOLVED", "CORRECTED")
    assert row["closed_at"] is not None


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_comment_is_refused(team, text):
    with pytest.raises(StoreError, match="needs some text"):
        add_comment(team, ex("T1"), text=text, actor="ann")


def test_show_lists_the_comments(team):
    add_comment(team, ex("T1"), text="first", actor="ann")
    add_comment(team, ex("T1"), text="second", actor="bob")
    comments = exception_detail(team, ex("T1")).comments
    assert comments.select("actor", "text").rows() == [("ann", "first"), ("bob", "second")]


def test_a_comment_is_found_by_the_text_search(team):
    add_comment(team, ex("T2"), text="Refund ref RF-777 sent", actor="ann")
    found = list_exceptions(team, ExceptionFilter(text="rf-777"))
    assert found["exception_id"].to_list() == [ex("T2")]


def test_an_attachment_is_stored_whole_with_its_sha256(team):
    done = add_attachment(team, ex("T1"), name="proof.pdf", content=PDF, actor="ann")
    got = get_attachment(team, done.attachment_id)
    assert (got.name, got.content_type, got.size, got.content) == (
        "proof.pdf", "application/pdf", len(PDF), PDF,
    )  # fmt: skip
    assert got.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (got.exception_id, got.added_by) == (ex("T1"), "ann")


def test_the_attached_event_records_name_and_sha256(team):
    add_attachment(team, ex("T1"), name="proof.pdf", content=PDF, actor="ann")
    last = last_event(team)
    assert last[5] == "ATTACHED"
    assert "proof.pdf" in last[8]
    assert f"sha256 {hashlib.sha256(PDF).hexdigest()}" in last[8]


def test_only_the_file_name_is_kept_from_a_path(team):
    done = add_attachment(
        team, ex("T1"), name="../../etc/C:\\x\\proof.pdf", content=PDF, actor="ann"
    )
    assert get_attachment(team, done.attachment_id).name == "proof.pdf"


def test_an_empty_file_is_refused(team):
    with pytest.raises(AttachmentError, match=r"a\.txt is empty"):
        add_attachment(team, ex("T1"), name="a.txt", content=b"", actor="ann")


def test_a_file_over_the_limit_is_refused_naming_the_limit(team):
    with pytest.raises(AttachmentError, match=r"a\.bin is 11 bytes; attachments are limited to 10"):
        add_attachment(team, ex("T1"), name="a.bin", content=b"x" * 11, actor="ann", max_bytes=10)
    assert table_rows(team, "attachments") == []


def test_the_default_limit_is_5_mib(team):
    add_attachment(team, ex("T1"), name="big.bin", content=b"x" * (5 * 1024 * 1024), actor="ann")
    with pytest.raises(AttachmentError, match="limited to 5242880 bytes"):
        add_attachment(team, ex("T1"), name="big.bin", content=b"x" * (5 * 1024 * 1024 + 1),
                       actor="ann")  # fmt: skip


def test_an_unknown_attachment_id_is_an_error(team):
    with pytest.raises(AttachmentError, match="no attachment 9"):
        get_attachment(team, 9)


def test_show_lists_attachments_without_their_content(team):
    add_attachment(team, ex("T1"), name="proof.pdf", content=PDF, actor="ann")
    attachments = exception_detail(team, ex("T1")).attachments
    assert attachments.select("name", "size", "added_by").rows() == [("proof.pdf", len(PDF), "ann")]
    assert "content" not in attachments.columns


def test_verify_finds_an_attachment_whose_content_was_replaced(team):
    add_attachment(team, ex("T1"), name="proof.pdf", content=PDF, actor="ann")
    assert verify_store(team).intact
    tamper(team, f"UPDATE attachments SET content = 'forged'::{'bytea' if is_pg(team) else 'BLOB'}")
    verdict = verify_store(team)
    assert [(b.chain, b.what) for b in verdict.breaks] == [("attachments", "changed")]
    assert "proof.pdf" in str(verdict.breaks[0])


def test_the_cli_comments_and_attaches_and_show_prints_both(team, tmp_path, capsys):
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(PDF)
    base = ["--actor", "ann", "--store", str(team)]
    assert main(["exceptions", "comment", ex("T1"), "--text", "called", *base]) == 0
    assert main(["exceptions", "attach", ex("T1"), str(proof), *base]) == 0
    capsys.readouterr()
    assert main(["exceptions", "show", ex("T1"), "--store", str(team), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 3
    assert [c["text"] for c in shown["comments"]] == ["called"]
    assert [a["name"] for a in shown["attachments"]] == ["proof.pdf"]


def test_the_cli_refuses_a_file_over_the_configured_limit_before_reading_it(team, tmp_path, capsys):
    config = tmp_path / "recon.toml"
    config.write_text("[web]\nmax_attachment_bytes = 4\n")
    big = tmp_path / "big.bin"
    big.write_bytes(b"12345")
    code = main(["exceptions", "attach", ex("T1"), str(big), "--config", str(config),
                 "--actor", "ann", "--store", str(team)])  # fmt: skip
    assert code == 2
    assert "big.bin is 5 bytes; attachments are limited to 4 bytes" in capsys.readouterr().err
