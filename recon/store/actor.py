"""Who is acting: the `--actor` given (checked) and the OS user recorded beside it.

An actor lands in the audit log and is shown by `recon exceptions show` and `recon audit
log`, so it must read as one name: not empty, printable (no newline, no escape sequence, no
bidi override), one line, at most MAX_ACTOR_CHARS characters.
"""

from __future__ import annotations

import getpass
import os

from recon.errors import ReconError

MAX_ACTOR_CHARS = 200


class ActorError(ReconError):
    """An `--actor` that cannot be recorded as given."""


def check_actor(actor: object, *, flag: str = "--actor") -> str:
    """`actor` stripped of surrounding spaces, or `ActorError` saying in one line why not."""
    if not isinstance(actor, str):
        raise ActorError(f"{flag} must be text, not {type(actor).__name__}")
    name = actor.strip()
    if not name:
        raise ActorError(f"{flag} must name who is acting; it is empty")
    if "\n" in name or "\r" in name:
        raise ActorError(f"{flag} must be one line; it holds a line break")
    bad = next((c for c in name if not c.isprintable()), None)
    if bad is not None:
        raise ActorError(
            f"{flag} must be printable; it holds the control character U+{ord(bad):04X}"
        )
    if len(name) > MAX_ACTOR_CHARS:
        raise ActorError(f"{flag} must be at most {MAX_ACTOR_CHARS} characters; it has {len(name)}")
    return name


def os_user() -> str | None:
    """The operating-system user running this process, or None when the OS cannot say.

    Recorded beside the actor in every event and run (column `os_user`): `--actor` is what
    someone typed, the OS user is who was logged in when they typed it.
    """
    try:
        name = getpass.getuser()
    except (KeyError, OSError, ImportError):
        name = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    name = "".join(c if c.isprintable() else "?" for c in name.strip())[:MAX_ACTOR_CHARS]
    return name or None


def default_actor() -> str:
    """The actor when none is given: the OS user, or `unknown` when the OS cannot say."""
    return os_user() or "unknown"


USER_ENV = "RECON_USER"


def cli_actor() -> str:
    """Who an analyst's command acts as when `--actor` is not given: `RECON_USER` if set,
    else the OS user. The CLI trusts the OS login for who you are (docs/store.md,
    "Identity"); on a store with users that name must be an enabled user."""
    return os.environ.get(USER_ENV, "").strip() or default_actor()
