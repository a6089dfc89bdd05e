"""Shared fixtures: paths to the shared scenario, a fresh DuckDB connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from recon.db import connect
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PUBLIC_SCENARIO = SHARED / "scenarios" / "public_outage"


@pytest.fixture
def con():
    connection = connect()
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the whole test session (tests/pg_server.py), started
    on first use and stopped at the end; each test makes the databases it needs."""
    server = PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def public_scenario() -> Path:
    if not PUBLIC_SCENARIO.exists():
        pytest.skip("../shared/scenarios/public_outage is not beside this checkout")
    return PUBLIC_SCENARIO


# Values a bank extract could carry that a spreadsheet, a terminal, an HTML page or a markdown
# renderer would act on (issue 10); the hostile round-trip tests send each through every writer.
HOSTILE_VALUES = {
    "hyperlink": '=HYPERLINK("http://x","y")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(1)",
    "tab": "\tTAB",
    "cr": "\rCR",
    "close": "[/x]",
    "markup": "[bold red]APPROVED BY CFO[/bold red]",
    "link": "[link=http://x]y[/link]",
    "esc": "\x1b[2J",
    "rlo": "abc\u202edef",
}


@pytest.fixture
def hostile_values() -> dict[str, str]:
    """Hostile text values by a short name (see HOSTILE_VALUES)."""
    return dict(HOSTILE_VALUES)
