"""Fuzzing the CSV reader: damaged bytes never crash ingest nor lose a physical line.

Each example is a ledger.csv built from pieces (good rows, stray quotes, legal and runaway
multi-line fields, random bytes, control characters, a line over DuckDB's size limit, blank
lines), joined by LF, CRLF or a bare CR and encoded in one of several encodings, read with
UTF-8 or GB18030 configured. load_extracts either raises one of recon's own errors or returns
an accounting in which every physical line is a header, a blank line, a row (valid,
quarantined or an exact duplicate) or a line inside a quoted field of the record above.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.errors import ReconError
from recon.ingest import csv_lines
from recon.ingest.csv_lines import resync
from recon.ingest.transcode import needs_transcoding, utf8_copy

from .helpers import CHANNEL, GATEWAY, LEDGER, ledger_row, load, write_lines

NOTE_HEADER = LEDGER + ",note"


def _stray(row: str, at: int) -> str:
    at %= len(row) + 1
    return row[:at] + '"' + row[at:]


pieces = st.one_of(
    st.builds(lambda n: ledger_row(f"E{n}"), st.integers(0, 5)),
    st.builds(lambda n: ledger_row(f"E{n}", amount="-1"), st.integers(0, 5)),
    st.builds(lambda n, at: _stray(ledger_row(f"E{n}"), at), st.integers(0, 5), st.integers()),
    st.builds(lambda n: ledger_row(f"E{n}") + ',"a\nb"', st.integers(0, 5)),
    st.builds(lambda k: ledger_row("E9") + ',"' + "x\n" * k + '"', st.integers(0, 14)),
    st.builds(lambda n: ledger_row(f"E{n}", account_id='"A,""1"""'), st.integers(0, 5)),
    st.sampled_from(["", "\r", '"', '""', ",,,", "E1,T1", "\x00,\x1b,\x7f", "\ufeff", "中文,金额"]),
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(',"\r\n x\t;'), max_size=30),
    st.just(ledger_row("EH", account_id="A" * 2_100_000)),
)
ENCODINGS = ["utf-8", "utf-8", "utf-8", "gb18030", "latin-1", "utf-16"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.sampled_from([LEDGER, NOTE_HEADER, NOTE_HEADER.replace(",", ";")]),
    body=st.lists(pieces, max_size=12),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=4),
    tail=st.booleans(),
    encoding=st.sampled_from(ENCODINGS),
    configured=st.sampled_from(["utf-8", "utf-8", "gb18030"]),
    noise=st.binary(max_size=6),
    at=st.integers(min_value=0),
)
def test_damaged_csv_bytes_are_read_or_refused_never_lost(
    tmp_path_factory, header, body, ends, tail, encoding, configured, noise, at
):
    data_dir = tmp_path_factory.mktemp("fuzz")
    lines = [header, *body]
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    if not tail:
        text = text.rstrip("\r\n")
    raw = text.encode(encoding, errors="replace")
    if noise:  # a few random bytes somewhere after the header
        cut = len(header) + at % (len(raw) - len(header) + 1)
        raw = raw[:cut] + noise + raw[cut:]
    (data_dir / "ledger.csv").write_bytes(raw)
    write_lines(data_dir / "channel.csv", CHANNEL, ["R1,,APP,C1,A1,A2,1.00,CNY,2024-03-15,X,,T1"])
    write_lines(data_dir / "gateway.csv", GATEWAY, ["G1,T1,1.00,CNY,0.00,X,2024-03-15,"])

    con = connect()
    try:
        try:
            result = load(con, data_dir, {"encoding": configured})
        except ReconError as err:
            event(f"refused: {type(err).__name__}")
            return  # refused with recon's own error: the run stops, nothing is lost
        counts = result.counts["ledger"]
        valid = [r[0] for r in con.sql("SELECT _line FROM ledger").fetchall()]
        held = [
            r[0] for r in con.sql("SELECT line FROM quarantine WHERE source = 'ledger'").fetchall()
        ]
    finally:
        con.close()

    readable = data_dir / "ledger.csv"
    if needs_transcoding(configured):
        readable = utf8_copy(readable, configured, tmp_path_factory.mktemp("utf8"))
    physical = _lines(readable.read_bytes())
    blank = [n for n, line in enumerate(physical, start=1) if n > 1 and line in (b"", b"\r")]
    delimiter = ";" if ";" in header else ","
    fields = len(physical[0].decode("utf-8-sig").split(delimiter))
    layout = resync(readable, Path(f"{readable}.copy"), delimiter=delimiter, fields=fields)

    event("read")
    assert counts.read == counts.valid + counts.quarantined + counts.exact_duplicates
    assert (len(valid), len(held)) == (counts.valid, counts.quarantined)
    reported = valid + held
    assert len(set(reported)) == len(reported), "two rows on one line"
    assert all(2 <= n <= len(physical) and n not in blank for n in reported)
    assert counts.read + len(blank) + 1 + layout.continued == len(physical)
    if b'"' not in readable.read_bytes():
        assert layout.continued == 0


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    return lines[:-1] if data.endswith(b"\n") else lines


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.sampled_from(["a,b", "c,d\r", "", "\r", '"x', 'y",z', 'q,"1\n2"', "a\rb,c", '"', "e,f"]),
        max_size=40,
    ),
    block=st.integers(min_value=1, max_value=64),
)
def test_resync_reads_the_same_records_whatever_its_block_size(
    tmp_path_factory, monkeypatch, lines, block
):
    folder = tmp_path_factory.mktemp("resync")
    (folder / "f.csv").write_bytes(("h1,h2\n" + "\n".join(lines) + "\n").encode())

    whole = resync(folder / "f.csv", folder / "whole.csv", delimiter=",", fields=2)
    with monkeypatch.context() as patch:
        patch.setattr(csv_lines, "BLOCK", block)
        blocks = resync(folder / "f.csv", folder / "blocks.csv", delimiter=",", fields=2)

    assert blocks == whole
    assert (folder / "blocks.csv").read_bytes() == (folder / "whole.csv").read_bytes()
