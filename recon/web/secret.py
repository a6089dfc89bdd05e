"""The key that signs session cookies: `RECON_SECRET_KEY`, or a key file made once, 0600.

Without a stable key every restart would log everyone out, and a key in the repository or a
default one would let anyone forge a session. So: the environment wins (a deployment's secret
store sets it); otherwise `~/.recon/web_secret_key` is created with 32 random bytes, readable
by its owner only, and reused (docs/web.md).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from recon.errors import ConfigError

ENV_VAR = "RECON_SECRET_KEY"
MIN_KEY_CHARS = 32


def default_key_file() -> Path:
    return Path.home() / ".recon" / "web_secret_key"


def load_secret_key(key_file: Path | None = None) -> bytes:
    """The signing key: `$RECON_SECRET_KEY`, else the key file (created 0600 if missing)."""
    given = os.environ.get(ENV_VAR)
    if given is not None:
        if len(given.strip()) < MIN_KEY_CHARS:
            raise ConfigError(
                f"{ENV_VAR} must be at least {MIN_KEY_CHARS} characters of random text"
                " (e.g. `python3 -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return given.strip().encode()
    path = key_file or default_key_file()
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another server made it first: use theirs
    except OSError as err:
        raise ConfigError(
            f"cannot create the web app's key file {path}: {err.strerror}; set {ENV_VAR} instead"
        ) from None
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")


def _read(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read the web app's key file {path}: {err}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"the web app's key file {path} is readable by others (mode {stat.S_IMODE(mode):o});"
            f" run `chmod 600 {path}`"
        )
    if len(text) < MIN_KEY_CHARS:
        raise ConfigError(f"the web app's key file {path} holds no usable key; delete it")
    return text.encode()
