"""Hostile XML is refused before it is expanded or fetched, in one line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from recon.errors import UnreadableFileError
from recon.ingest.formats.camt import read_camt053
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.pain002 import read_pain002

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document><BkToCstmrStmt><Stmt><Id>&lol9;</Id></Stmt></BkToCstmrStmt></Document>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Id>&secret;</Id></Stmt></BkToCstmrStmt></Document>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/camt.dtd">
<Document><BkToCstmrStmt><Stmt><Id>S1</Id></Stmt></BkToCstmrStmt></Document>"""


@pytest.mark.parametrize(
    "xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "entity", "dtd"]
)
def test_a_dtd_or_entity_is_refused_in_one_line_naming_the_file(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "gateway_hostile.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        read_camt053(path, FormatOptions())
    message = str(caught.value)
    assert message.startswith(f"cannot read {path}: refused: the XML declares a DTD")
    assert "\n" not in message


def test_the_status_report_reader_refuses_it_too(tmp_path: Path) -> None:
    path = tmp_path / "gateway_status.xml"
    path.write_text(BILLION_LAUGHS.replace("BkToCstmrStmt", "CstmrPmtStsRpt"), encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="refused: the XML declares a DTD"):
        read_pain002(path, FormatOptions())


def test_a_file_that_is_not_well_formed_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gateway_cut.xml"
    path.write_text("<Document>\n<BkToCstmrStmt>\n<Stmt>", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not well-formed XML") as caught:
        read_camt053(path, FormatOptions())
    assert caught.value.line == 3
