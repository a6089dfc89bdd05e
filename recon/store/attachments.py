"""Files attached to an exception: what may be stored, and reading one back.

Attaching is an action (`actions.add_attachment`: an ATTACHED event with name, size and
SHA-256 in the audit chain). Content is stored whole in the store, size-limited; the web app
serves it as a download only, never inline.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from recon.errors import StoreError
from recon.sql import load_sql
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.reading import readable_store

DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # `[web] max_attachment_bytes`
MAX_NAME_CHARS = 255
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_FALLBACK_TYPE = "application/octet-stream"


class AttachmentError(StoreError):
    """A file that cannot be attached as given (empty, too large, a bad name), or an
    attachment id the store does not hold."""


@dataclass(frozen=True)
class Attachment:
    """One stored attachment with its content."""

    name: str
    content_type: str
    size: int
    sha256: str
    content: bytes
    attachment_id: int = 0
    exception_id: str = ""
    added_by: str = ""
    added_at: datetime | None = None


def check_attachment(
    name: object, content: object, content_type: str | None, max_bytes: int
) -> tuple[str, str]:
    """The file name (its last path part) and content type to store, or `AttachmentError`
    saying why the file cannot be attached."""
    if not isinstance(content, bytes | bytearray | memoryview):
        raise AttachmentError("an attachment's content must be bytes")
    size = len(content)
    if not isinstance(name, str):
        raise AttachmentError("an attachment needs a file name")
    base = re.split(r"[/\\]", name.strip())[-1].strip()
    if base in ("", ".", ".."):
        raise AttachmentError(f"an attachment needs a file name, not {name!r}")
    if any(not c.isprintable() for c in base):
        raise AttachmentError(f"file name {base!r} holds a control character")
    if len(base) > MAX_NAME_CHARS:
        raise AttachmentError(f"file name is {len(base)} characters; at most {MAX_NAME_CHARS}")
    if size == 0:
        raise AttachmentError(f"{base} is empty; there is nothing to attach")
    if size > max_bytes:
        raise too_large(base, size, max_bytes)
    kind = (content_type or mimetypes.guess_type(base)[0] or _FALLBACK_TYPE).strip().lower()
    kind = kind.split(";")[0].strip()  # parameters (charset=...) are not kept
    if not _CONTENT_TYPE.fullmatch(kind):
        raise AttachmentError(f"content type {content_type!r} is not a type/subtype")
    return base, kind


def too_large(name: str, size: int, max_bytes: int) -> AttachmentError:
    """The error for a file over the size limit."""
    return AttachmentError(
        f"{name} is {size} bytes; attachments are limited to {max_bytes} bytes"
        " ([web] max_attachment_bytes)"
    )


def get_attachment(
    store_path: str | Path, attachment_id: int, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> Attachment:
    """One attachment with its content; `AttachmentError` when the store has none by that id."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        row = con.execute(
            load_sql("recon.store", "attachment_get"), {"attachment_id": int(attachment_id)}
        ).fetchone()
    if row is None:
        raise AttachmentError(f"{store_path}: no attachment {attachment_id}")
    aid, exception_id, name, content_type, size, sha256, content, added_by, added_at = row
    return Attachment(
        name=name,
        content_type=content_type,
        size=int(size),
        sha256=sha256,
        content=bytes(content),
        attachment_id=int(aid),
        exception_id=exception_id,
        added_by=added_by,
        added_at=added_at,
    )
