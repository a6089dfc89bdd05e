"""What one `recon serve` process is configured with, gathered in one frozen value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from recon.config import Config


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WebSettings:
    """The store served, its config, and the web app's security knobs.

    `clock` exists so tests can move time (session expiry, rate-limit windows) without
    sleeping; the server always uses the real clock.
    """

    store_path: Path | str  # a DuckDB file, or a PostgreSQL store's URL
    secret_key: bytes
    config: Config = field(default_factory=Config)
    session_minutes: int = 480  # absolute: a login lasts at most this long
    idle_minutes: int = 30  # and ends after this long without a request
    behind_proxy: bool = False  # trust X-Forwarded-Proto / X-Forwarded-For from the proxy
    busy_wait_seconds: float = 3.0  # how long a request waits for a run holding the store
    busy_retry_seconds: int = 5  # the Retry-After of the "store is busy" page
    login_max_failures: int = 5  # per user name and per client address ...
    login_window_seconds: int = 300  # ... within this many seconds, then 429
    page_size: int = 50
    clock: Callable[[], datetime] = utc_now

    @property
    def max_upload_bytes(self) -> int:
        """The largest attachment (`[web] max_attachment_bytes`)."""
        return self.config.web.max_attachment_bytes
