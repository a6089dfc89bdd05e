"""Login rate limit: after too many failed sign-ins for one user name, or from one client
address, within a window, further attempts are refused (429) until the oldest failure ages
out. Kept in this process's memory: a restart forgets it, which costs an attacker a restart
they cannot cause."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

_MAX_KEYS = 100_000  # a flood of distinct names cannot grow memory without bound


class LoginLimiter:
    """Failed sign-ins per key (`user:<name>`, `addr:<ip>`) in a sliding window."""

    def __init__(
        self, *, max_failures: int, window_seconds: int, clock: Callable[[], datetime]
    ) -> None:
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)
        self._clock = clock
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(name: str, address: str) -> tuple[str, str]:
        return (f"user:{name.strip().casefold()}", f"addr:{address}")

    def retry_after(self, name: str, address: str) -> int | None:
        """Seconds until a sign-in may be tried again for this name and address, or None."""
        now = self._clock()
        waits = []
        with self._lock:
            for key in self.keys(name, address):
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    oldest = times[-self.max_failures]
                    waits.append(math.ceil((oldest + self.window - now).total_seconds()))
        return max(1, *waits) if waits else None

    def failed(self, name: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= _MAX_KEYS:
                self._prune(now)
            for key in self.keys(name, address):
                self._failures.setdefault(key, deque(maxlen=self.max_failures)).append(now)

    def succeeded(self, name: str) -> None:
        """A good password clears the name's failures (not the address's: one known account
        must not reset the count of an address trying many names)."""
        with self._lock:
            self._failures.pop(self.keys(name, "")[0], None)

    def _recent(self, key: str, now: datetime) -> list[datetime]:
        times = self._failures.get(key)
        if not times:
            return []
        while times and now - times[0] >= self.window:
            times.popleft()
        return list(times)

    def _prune(self, now: datetime) -> None:
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
