"""Fixtures for store tests: a store path in a temp folder and a reader for its tables."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "recon.duckdb"
