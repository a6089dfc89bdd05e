"""recon sets the Prefect settings it needs itself, whatever the working folder; the user's win."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.prefect_settings import _make_home, settings_to_set
from recon.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def where(tmp_path):
    """A user's home and a working folder with no Prefect files in either."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    return home, cwd


def test_with_nothing_given_recon_sets_home_start_up_time_analytics_and_logs(where):
    home, cwd = where
    assert settings_to_set({"HOME": str(home)}, cwd, quiet_console=True) == {
        "PREFECT_HOME": str(home / ".recon" / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    }


def test_with_debug_the_console_keeps_prefects_log(where):
    home, cwd = where
    wanted = settings_to_set({"HOME": str(home)}, cwd, quiet_console=False)
    assert "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL" not in wanted


def test_an_environment_variable_the_user_set_wins(where):
    home, cwd = where
    environ = {"HOME": str(home), "PREFECT_HOME": "/srv/prefect", "prefect_logging_level": "INFO"}
    wanted = settings_to_set(environ, cwd, quiet_console=True)
    assert "PREFECT_HOME" not in wanted
    assert "PREFECT_LOGGING_LEVEL" not in wanted
    assert wanted["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "90"


def test_a_prefect_toml_in_the_working_folder_wins(where):
    home, cwd = where
    (cwd / "prefect.toml").write_text(
        'home = ".prefect"\n[server.ephemeral]\nstartup_timeout_seconds = 120\n', encoding="utf-8"
    )
    wanted = settings_to_set({"HOME": str(home)}, cwd, quiet_console=True)
    assert "PREFECT_HOME" not in wanted
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" not in wanted
    assert wanted["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"


def test_pyproject_tool_prefect_and_dotenv_in_the_working_folder_win(where):
    home, cwd = where
    (cwd / "pyproject.toml").write_text(
        '[tool.prefect.logging]\nlevel = "DEBUG"\n', encoding="utf-8"
    )
    (cwd / ".env").write_text("PREFECT_SERVER_ANALYTICS_ENABLED=true\n", encoding="utf-8")
    wanted = settings_to_set({"HOME": str(home)}, cwd, quiet_console=True)
    assert "PREFECT_LOGGING_LEVEL" not in wanted
    assert "PREFECT_SERVER_ANALYTICS_ENABLED" not in wanted


def test_the_users_active_profile_wins_and_is_still_read(where):
    """A profile in ~/.prefect keeps working although recon moves Prefect's home."""
    home, cwd = where
    profiles = home / ".prefect" / "profiles.toml"
    profiles.parent.mkdir()
    profiles.write_text(
        'active = "bank"\n[profiles.bank]\nPREFECT_API_URL = "http://prefect.bank:4200/api"\n'
        'PREFECT_LOGGING_LEVEL = "INFO"\n[profiles.other]\nPREFECT_HOME = "/elsewhere"\n',
        encoding="utf-8",
    )
    wanted = settings_to_set({"HOME": str(home)}, cwd, quiet_console=True, api_url="http://x")
    assert "PREFECT_LOGGING_LEVEL" not in wanted
    assert "PREFECT_API_URL" not in wanted
    assert wanted["PREFECT_HOME"] == str(home / ".recon" / "prefect")
    assert wanted["PREFECT_PROFILES_PATH"] == str(profiles)
    chosen = {"HOME": str(home), "PREFECT_PROFILE": "other"}
    assert "PREFECT_HOME" not in settings_to_set(chosen, cwd, quiet_console=True)


def test_deploy_talks_to_the_local_server_unless_the_user_names_one(where):
    home, cwd = where
    wanted = settings_to_set({"HOME": str(home)}, cwd, quiet_console=False, api_url="http://a/api")
    assert wanted["PREFECT_API_URL"] == "http://a/api"
    given = {"HOME": str(home), "PREFECT_API_URL": "http://b/api"}
    assert "PREFECT_API_URL" not in settings_to_set(given, cwd, quiet_console=False, api_url="x")


def test_a_home_that_cannot_be_written_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"cannot use {blocker}/prefect as Prefect's home"):
        _make_home(blocker / "prefect")


def _prefect_sees(cwd: Path, home: Path, **environ: str) -> dict:
    """The settings Prefect itself reads after recon applied its own, in a fresh process."""
    code = (
        "import json\n"
        "from flows.prefect_settings import apply_prefect_settings\n"
        "apply_prefect_settings(quiet_console=True)\n"
        "from prefect.settings import get_current_settings\n"
        "s = get_current_settings()\n"
        "print(json.dumps({'home': str(s.home), 'timeout': s.server.ephemeral"
        ".startup_timeout_seconds, 'analytics': s.server.analytics_enabled,"
        " 'level': s.logging.level}))\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_prefect_reads_recons_settings_in_a_folder_without_prefect_toml(where):
    home, cwd = where
    assert _prefect_sees(cwd, home) == {
        "home": str(home / ".recon" / "prefect"),
        "timeout": 90,
        "analytics": False,
        "level": "WARNING",
    }


def test_prefect_home_set_by_the_user_wins_over_recons(where, tmp_path):
    home, cwd = where
    seen = _prefect_sees(cwd, home, PREFECT_HOME=str(tmp_path / "mine"))
    assert seen["home"] == str(tmp_path / "mine")
    assert seen["timeout"] == 90
