"""Fixtures of the web app's tests: a store filled by a real `recon run` of sample_data/,
its team, and an app (TestClient) or a real server (uvicorn via `recon serve`) over a copy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works the same here
    warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")
    from fastapi.testclient import TestClient

from recon.config import load_config
from recon.store import users
from recon.web.app import create_app
from recon.web.settings import WebSettings
from tests.store.backends import BACKENDS, pg_copy_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SECRET = "test-secret-key-for-the-web-tests-0123456789"
# name -> role; every password is PASSWORD[name]
TEAM = {
    "lead": "admin",
    "ana": "analyst",
    "ben": "analyst",
    "bob": "approver",
    "vic": "viewer",
}
PASSWORD = {name: f"{name}-pass-phrase-1" for name in TEAM}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def reconcile_sample(store: Path, out: Path) -> None:
    """`recon run` of sample_data/ exactly as `make sample` runs it (exit 1: findings)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "recon.cli",
            "run",
            "--data-dir",
            str(SAMPLE / "data"),
            "--out",
            str(out),
            "--config",
            str(SAMPLE / "recon.toml"),
            "--store",
            str(store),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr


@pytest.fixture(scope="session")
def team_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample day reconciled, with the team added. Never changed: copy it (`store`)."""
    folder = tmp_path_factory.mktemp("sample")
    store = folder / "sample.duckdb"
    reconcile_sample(store, folder / "out")
    for name, role in TEAM.items():
        users.add_user(store, name, role, PASSWORD[name], actor="lead")
    return store


def copy_store(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    return target


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The tests of a module with `BOTH_BACKENDS = True` run over a DuckDB file and again over
    a PostgreSQL store (issue 13); the others over the file."""
    if "store" in metafunc.fixturenames:
        both = getattr(metafunc.module, "BOTH_BACKENDS", False)
        metafunc.parametrize("store", BACKENDS if both else BACKENDS[:1], indirect=True)


@pytest.fixture
def store(request: pytest.FixtureRequest, team_store: Path, tmp_path: Path) -> Path | str:
    """A copy of the team's store this test may change: a file, or a PostgreSQL store it was
    copied into (`recon store copy`)."""
    if getattr(request, "param", "duckdb") == "postgresql":
        return pg_copy_of(team_store, request.getfixturevalue("pg_server"))
    return copy_store(team_store, tmp_path / "store")


class Clock:
    """A clock the test moves by hand (session expiry, rate-limit windows)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(store: Path, clock: Clock) -> WebSettings:
    return WebSettings(
        store_path=store,
        secret_key=SECRET.encode(),
        config=load_config(SAMPLE / "recon.toml"),
        busy_wait_seconds=0.3,
        clock=clock,
    )


@pytest.fixture
def make_client(settings: WebSettings) -> Callable[..., TestClient]:
    """A browser-like client (its own cookies) of an app with these settings (or changes)."""

    def make(**changes: object) -> TestClient:
        app = create_app(replace(settings, **changes) if changes else settings)
        return TestClient(app, base_url="http://testserver", raise_server_exceptions=False)

    return make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of this client's session, read from a page's form."""
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, name: str) -> TestClient:
    token = csrf_of(client)
    response = client.post(
        "/login", data={"name": name, "password": PASSWORD[name], "csrf_token": token}
    )
    assert response.status_code == 200, response.text[-500:]
    assert response.url.path == "/queue"
    return client


@pytest.fixture
def signed_in(make_client: Callable[..., TestClient]) -> Callable[[str], TestClient]:
    """A new client signed in as one of TEAM."""
    return lambda name: sign_in(make_client(), name)


def first_exception(client: TestClient, query: str = "") -> str:
    """The id of the first row of the queue (with an optional query string)."""
    found = re.search(r'href="/exceptions/(EX-[0-9A-F]+)"', client.get("/queue" + query).text)
    assert found, "the queue shows no exception"
    return found.group(1)
