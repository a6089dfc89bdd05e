"""The file scan counts lines and finds blank lines wherever chunk boundaries fall."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon.ingest import scan
from recon.ingest.scan import blank_lines, scan_file


def blank_lines_by_hand(data: bytes) -> list[int]:
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines = lines[:-1]
    return [n for n, line in enumerate(lines, start=1) if line in (b"", b"\r")]


@given(st.lists(st.sampled_from([b"a", b"bc", b"", b"\r", b"x,y"]), max_size=30),
       st.integers(min_value=1, max_value=7))  # fmt: skip
def test_blank_lines_match_a_line_by_line_count(tmp_path_factory, lines, chunk):
    data = b"\n".join(lines) + b"\n"
    path = tmp_path_factory.mktemp("scan") / "f.csv"
    path.write_bytes(data)
    original = scan.CHUNK
    scan.CHUNK = chunk
    try:
        found = blank_lines(path)
        scanned = scan_file(path)
    finally:
        scan.CHUNK = original

    assert list(found) == blank_lines_by_hand(data)
    assert scanned.sha256 == hashlib.sha256(data).hexdigest()
    assert scanned.lines == data.count(b"\n")


@pytest.mark.parametrize(
    ("data", "blank"),
    [(b"h\n\nx\n", [2]), (b"h\r\n\r\nx\r\n", [2]), (b"h\nx\n", []), (b"h\nx\n\n", [3])],
)
def test_blank_lines_examples(tmp_path, data, blank):
    (tmp_path / "f.csv").write_bytes(data)

    assert list(blank_lines(tmp_path / "f.csv")) == blank


@pytest.mark.parametrize(("data", "lines"), [(b"", 0), (b"h", 1), (b"h\n", 1), (b"h\nx", 2)])
def test_lines_count_a_last_line_without_newline(tmp_path, data, lines):
    (tmp_path / "f.csv").write_bytes(data)

    assert scan_file(tmp_path / "f.csv").lines == lines
