"""`recon serve` itself: what it refuses to start on, and the session key it signs with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from recon.cli import main
from recon.errors import ConfigError
from recon.web.secret import ENV_VAR, load_secret_key
from tests.store.backends import new_pg_store

from .conftest import SAMPLE, reconcile_sample


def test_serve_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["serve", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--store", "--config", "--host", "--port", "--behind-proxy"):
        assert option in out


def test_serve_refuses_a_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--store", str(tmp_path / "none.duckdb")]) == 2
    assert "no exception store at" in capsys.readouterr().err


def test_serve_refuses_a_store_nobody_can_sign_in_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    reconcile_sample(store, tmp_path / "out")
    assert main(["serve", "--store", str(store), "--config", str(SAMPLE / "recon.toml")]) == 2
    err = capsys.readouterr().err
    assert "has no users yet" in err
    assert f"recon users add NAME --role admin --store {store}" in err


def test_serve_refuses_a_session_of_zero_minutes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--store", str(tmp_path / "s.duckdb"), "--idle-minutes", "0"]) == 2
    assert "--idle-minutes must be at least 1" in capsys.readouterr().err


def test_the_web_table_of_the_config_is_checked(tmp_path: Path) -> None:
    from recon.config import load_config

    config = tmp_path / "recon.toml"
    config.write_text("[web]\nsession_minutes = 0\n")
    with pytest.raises(ConfigError, match=r"\[web\] session_minutes must be at least 1"):
        load_config(config)


def test_the_key_comes_from_the_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "k" * 40)
    assert load_secret_key(Path("/nonexistent/key")) == b"k" * 40


def test_a_short_key_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "short")
    with pytest.raises(ConfigError, match="at least 32 characters"):
        load_secret_key()


def test_a_key_file_is_created_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    key_file = tmp_path / ".recon" / "web_secret_key"
    first = load_secret_key(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert load_secret_key(key_file) == first


def test_a_key_file_others_can_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    key_file = tmp_path / "key"
    key_file.write_text("x" * 64)
    os.chmod(key_file, 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_secret_key(key_file)


def test_serve_takes_a_postgresql_store_by_its_url(pg_server, capsys) -> None:
    url = new_pg_store(pg_server)
    assert main(["serve", "--store", url, "--config", str(SAMPLE / "recon.toml")]) == 2
    err = capsys.readouterr().err
    assert f"{url} has no users yet" in err  # read from PostgreSQL, not refused as a path
    assert f"--store {url}" in err
