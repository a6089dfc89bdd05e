"""The Prefect settings `recon nightly`, `recon incident` and `recon deploy` need, set by recon.

Prefect reads a `prefect.toml` only from the working directory, so a command started by cron
or from another folder would get Prefect's defaults: home `~/.prefect`, 20 s for the temporary
server to start (missed on a loaded 2-core machine), telemetry on. recon therefore sets what it
needs as `PREFECT_*` environment variables before Prefect is imported, whatever the working
folder, but only where the user has not set the same setting: in the environment, a `.env`,
`prefect.toml` or `pyproject.toml` (`[tool.prefect]`) in the working directory, or the active
Prefect profile. What the user gives always wins (docs/flows.md lists the settings).

Nothing here imports Prefect.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recon.errors import ConfigError

# Prefect's home (its SQLite database for the temporary server) unless the user sets one:
# one stable place per user, whatever folder the command starts in.
DEFAULT_HOME = Path(".recon") / "prefect"  # under the user's home directory


@dataclass(frozen=True)
class Setting:
    """One Prefect setting: its environment variable and its key path in prefect.toml."""

    env: str
    toml: tuple[str, ...]
    value: str


def recon_settings(home: Path) -> tuple[Setting, ...]:
    """What recon sets when the user has not: a home, time to start, no analytics, quiet logs."""
    return (
        Setting("PREFECT_HOME", ("home",), str(home)),
        Setting(
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
            ("server", "ephemeral", "startup_timeout_seconds"),
            "90",
        ),
        Setting("PREFECT_SERVER_ANALYTICS_ENABLED", ("server", "analytics_enabled"), "false"),
        Setting("PREFECT_LOGGING_LEVEL", ("logging", "level"), "WARNING"),
    )


# Prefect's console log handler: recon prints its own one-line outcome, the traceback of a
# failed task goes to the Prefect API (dashboard) and to the terminal only with --debug.
QUIET_CONSOLE = Setting("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", (), "CRITICAL")


def apply_prefect_settings(*, quiet_console: bool, api_url: str | None = None) -> dict[str, str]:
    """Set recon's Prefect settings the user has not set (os.environ); return what was set.

    `api_url`: the Prefect API to use unless the user names one (`recon deploy` needs a real
    server). Call before Prefect is imported: once it is, its settings are read and this does
    nothing.
    """
    if "prefect" in sys.modules:
        return {}
    wanted = settings_to_set(os.environ, Path.cwd(), quiet_console=quiet_console, api_url=api_url)
    if "PREFECT_HOME" in wanted:
        _make_home(Path(wanted["PREFECT_HOME"]))
    os.environ.update(wanted)
    return wanted


def settings_to_set(
    environ: Mapping[str, str],
    cwd: Path,
    *,
    quiet_console: bool,
    api_url: str | None = None,
) -> dict[str, str]:
    """The environment variables recon adds, given the user's environment and working folder."""
    user = UserSettings.read(environ, cwd)
    user_home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    wanted = list(recon_settings(user_home / DEFAULT_HOME))
    if quiet_console:
        wanted.append(QUIET_CONSOLE)
    if api_url:
        wanted.append(Setting("PREFECT_API_URL", ("api", "url"), api_url))
    applied = {s.env: s.value for s in wanted if not user.sets(s)}
    if "PREFECT_HOME" in applied and user.profiles_path_is_default:
        if user.profiles_path.is_file():
            # Prefect looks for profiles under PREFECT_HOME: keep reading the user's own file
            applied["PREFECT_PROFILES_PATH"] = str(user.profiles_path)
    return applied


@dataclass(frozen=True)
class UserSettings:
    """The Prefect settings a user gave, from every place Prefect reads them."""

    environ: Mapping[str, str]  # upper-cased names: Prefect's names are not case-sensitive
    dotenv: Mapping[str, str]
    prefect_toml: Mapping[str, Any]
    pyproject: Mapping[str, Any]  # [tool.prefect]
    profile: Mapping[str, Any]  # the active profile's settings
    profiles_path: Path
    profiles_path_is_default: bool

    @classmethod
    def read(cls, environ: Mapping[str, str], cwd: Path) -> UserSettings:
        env = {name.upper(): value for name, value in environ.items()}
        dotenv = _dotenv(cwd / ".env")
        prefect_toml = _toml(cwd / "prefect.toml")
        pyproject = _toml(cwd / "pyproject.toml").get("tool", {}).get("prefect", {})
        path, is_default = _profiles_path(env, dotenv, prefect_toml, pyproject)
        profiles = _toml(path)
        active = env.get("PREFECT_PROFILE") or profiles.get("active")
        profile = profiles.get("profiles", {}).get(active, {}) if active else {}
        return cls(env, dotenv, prefect_toml, pyproject, profile, path, is_default)

    def sets(self, setting: Setting) -> bool:
        """Whether the user set `setting` anywhere Prefect would read it."""
        if setting.env in self.environ or setting.env in self.dotenv:
            return True
        if setting.env in {str(key).upper() for key in self.profile}:
            return True
        return bool(setting.toml) and (
            _has(self.prefect_toml, setting.toml) or _has(self.pyproject, setting.toml)
        )


def _profiles_path(
    env: Mapping[str, str],
    dotenv: Mapping[str, str],
    prefect_toml: Mapping[str, Any],
    pyproject: Mapping[str, Any],
) -> tuple[Path, bool]:
    """Where Prefect reads profiles (its own order); True when only the default home gives it."""
    for given in (
        env.get("PREFECT_PROFILES_PATH"),
        dotenv.get("PREFECT_PROFILES_PATH"),
        prefect_toml.get("profiles_path"),
        pyproject.get("profiles_path"),
    ):
        if given:
            return Path(str(given)).expanduser(), False
    if env.get("PREFECT_HOME"):
        return Path(env["PREFECT_HOME"]).expanduser() / "profiles.toml", False
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return home / ".prefect" / "profiles.toml", True


def _has(table: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(table, Mapping) or key not in table:
            return False
        table = table[key]
    return True


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # Prefect reports its own files' problems itself


def _dotenv(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    names = {}
    for line in text.splitlines():
        line = line.strip().removeprefix("export ").strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            names[name.strip().upper()] = value.strip()
    return names


def _make_home(home: Path) -> None:
    """recon's Prefect home must be writable: Prefect would report a misleading time-out."""
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = home / ".recon-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise ConfigError(
            f"cannot use {home} as Prefect's home ({err.strerror or err});"
            " set PREFECT_HOME to a writable folder"
        ) from None
