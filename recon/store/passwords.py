"""Passwords of the store's users: the rules a new one must meet, argon2 hashes, checking.

Only the argon2 hash (with its salt and cost parameters) is stored, never the password.
Checking a name that has no user still spends the time of one verification, so a login form
does not tell which names exist by how fast it answers.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from recon.errors import UserError

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # hashing a megabyte is a denial of service, not a password

# argon2-cffi's defaults (RFC 9106 low-memory profile): about 0.13 s per hash here. Tests
# swap in a cheaper hasher; a hash records its own parameters, so any hasher verifies it.
HASHER = PasswordHasher()


def check_password(password: object) -> str:
    """`password` when it may be set, else `UserError` saying in one line why not."""
    if not isinstance(password, str) or not password:
        raise UserError("the password is empty")
    if password != password.strip():
        raise UserError("the password starts or ends with white space (a pasted line end?)")
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(
            f"the password is too short: at least {MIN_PASSWORD_CHARS} characters,"
            f" it has {len(password)}"
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise UserError(f"the password is too long: at most {MAX_PASSWORD_CHARS} characters")
    if any(not c.isprintable() for c in password):
        raise UserError("the password holds a control character")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a password that passed `check_password`."""
    return HASHER.hash(check_password(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`; with no hash (no such user), False after
    the same work as a real check."""
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        if password_hash is None:
            HASHER.verify(_dummy_hash(), password)
            return False
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash no password matches in practice, made once, the first time it is needed."""
    return HASHER.hash("recon: no such user, but the same time spent checking")
