"""Fixtures for store tests: a store on each backend, cheap password hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .backends import BACKENDS, new_pg_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path) -> Path | str:
    """Where a test's store is: a DuckDB file in its temp folder, or (the same test again) a
    new PostgreSQL store on the session's throwaway server (backends.py)."""
    if request.param == "duckdb":
        return tmp_path / "recon.duckdb"
    return new_pg_store(request.getfixturevalue("pg_server"))


@pytest.fixture
def pg_store(pg_server) -> str:
    """A new PostgreSQL store, for what only PostgreSQL does."""
    return new_pg_store(pg_server)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2 at its cheapest: a real hash (verified the same way) in milliseconds, not 0.13 s."""
    from argon2 import PasswordHasher

    from recon.store import passwords

    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
