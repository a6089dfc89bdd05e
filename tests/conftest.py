"""Shared fixtures: paths to the shared scenario, a fresh DuckDB connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from recon.db import connect

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PUBLIC_SCENARIO = SHARED / "scenarios" / "public_outage"


@pytest.fixture
def con():
    connection = connect()
    yield connection
    connection.close()


@pytest.fixture
def public_scenario() -> Path:
    if not PUBLIC_SCENARIO.exists():
        pytest.skip("../shared/scenarios/public_outage is not beside this checkout")
    return PUBLIC_SCENARIO
