"""Fixtures for store tests: a store path in a temp folder and a reader for its tables."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "recon.duckdb"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2 at its cheapest: a real hash (verified the same way) in milliseconds, not 0.13 s."""
    from argon2 import PasswordHasher

    from recon.store import passwords

    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
