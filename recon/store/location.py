"""Where the exception store is: a DuckDB file (the default) or a PostgreSQL database.

`store = "recon.duckdb"` (or `--store PATH`) keeps the embedded DuckDB file; `store =
"postgresql://user@host:port/db"` selects a team store on PostgreSQL (docs/store.md,
"PostgreSQL"). A password never travels in the URL: recon.toml is shared and copied, and a
command line shows in every process list. It comes from libpq's own `PGPASSWORD` or
`~/.pgpass` (`PGPASSFILE`), or from the file named by `password_file` in recon.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from recon.errors import ConfigError, StoreError

SCHEMES = ("postgresql", "postgres")
# URL -> the password_file the loaded config named for it (see `remember_password_file`)
_password_files: dict[str, Path] = {}


@dataclass(frozen=True)
class PgLocation:
    """A PostgreSQL store: its URL (never with a password) and where its password is kept."""

    url: str
    password_file: Path | None = None

    def __str__(self) -> str:
        return self.url


def looks_like_url(store: object) -> bool:
    """Whether `store` names a PostgreSQL database rather than a file. Also true of a URL that
    went through `Path` (`postgresql:/user@host/db`: Path folds the double slash)."""
    text = str(store)
    return any(text.startswith(f"{scheme}:/") for scheme in SCHEMES)


def unfolded(store: object) -> str:
    """`store` as a URL again after `Path` folded its double slash (`postgresql:/u@h/db`)."""
    text = str(store).strip()
    for scheme in SCHEMES:
        if text.startswith(f"{scheme}:/") and not text.startswith(f"{scheme}://"):
            return f"{scheme}://" + text[len(scheme) + 2 :]
    return text


def remember_password_file(store: object, password_file: str | Path | None) -> None:
    """Let `location_of` find the password_file a loaded config names for its store URL: the
    library is handed the store as a path-like value, from the CLI, the flows or the web."""
    if password_file:
        _password_files[unfolded(store)] = Path(password_file).expanduser()


def location_of(store: object, *, origin: str = "--store") -> PgLocation:
    """The checked location of the PostgreSQL store `store` names (as given, or folded by
    `Path`), with the password_file its config named."""
    url = unfolded(store)
    return pg_location(url, origin=origin, password_file=_password_files.get(url))


def pg_location(
    store: object, *, origin: str = "--store", password_file: str | Path | None = None
) -> PgLocation:
    """The checked PostgreSQL location of `store`; a ConfigError starting with `origin` (the
    key or option it came from: `store URL carries a password; ...`) when recon refuses it."""
    text = str(store).strip()
    if not looks_like_url(text):
        raise ConfigError(f"{origin} {text!r} is not a postgresql:// URL")
    if not text.startswith(tuple(f"{scheme}://" for scheme in SCHEMES)):
        raise ConfigError(f"{origin} URL must be written postgresql://user@host:port/database")
    parts = urlsplit(text)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.password is not None or "password" in query:
        raise ConfigError(
            f"{origin} URL carries a password; remove it and give the password in"
            " PGPASSWORD, ~/.pgpass or a file named by password_file in recon.toml"
        )
    if not parts.hostname and "host" not in query:
        raise ConfigError(f"{origin} URL names no host: postgresql://user@host/db")
    if not parts.path.strip("/") and "dbname" not in query:
        raise ConfigError(f"{origin} URL names no database: postgresql://user@host/db")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ConfigError(f"{origin} URL's port is not a number") from None
    secret = Path(password_file).expanduser() if password_file else None
    return PgLocation(text, secret)


def read_password(location: PgLocation) -> str | None:
    """The password in `location.password_file` (its first line), or None to let libpq look
    in PGPASSWORD and ~/.pgpass."""
    if location.password_file is None:
        return None
    try:
        lines = location.password_file.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise StoreError(
            f"password_file {location.password_file}: cannot read it ({err.strerror})"
        ) from None
    if not lines or not lines[0]:
        raise StoreError(f"password_file {location.password_file}: its first line is empty")
    return lines[0]
