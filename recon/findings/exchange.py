"""The exchange folder of a partitioned run: a local path, or an fsspec URL (`s3://...`).

The driver writes the buckets' inputs there and each worker its outputs, so it must be a
place every worker sees. A plain path is read and written by DuckDB directly; a URL goes
through its fsspec filesystem (credentials from the environment, as fsspec's backends read
them), registered with each DuckDB connection that touches it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import duckdb
import fsspec
from fsspec.implementations.local import LocalFileSystem


@dataclass(frozen=True)
class Exchange:
    """One folder (`url`) of one partitioned run."""

    url: str

    @property
    def fs(self) -> fsspec.AbstractFileSystem:
        return fsspec.core.url_to_fs(self.url)[0]

    @property
    def local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem) and "://" not in self.url

    @classmethod
    def create(cls, root: str) -> Exchange:
        """A new, empty folder under `root` (a path or a URL)."""
        url = f"{root.rstrip('/')}/recon-buckets-{secrets.token_hex(6)}"
        exchange = cls(url)
        exchange.fs.makedirs(url, exist_ok=False)
        return exchange

    def path(self, *parts: str) -> str:
        return "/".join([self.url.rstrip("/"), *parts])

    def attach(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let `con` read and write this folder (a URL's filesystem, registered once)."""
        if self.local:
            return
        fs = self.fs
        protocols = {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)
        if not protocols & set(con.list_filesystems()):
            con.register_filesystem(fs)

    def glob(self, *parts: str) -> list[str]:
        """Matching files, as URLs DuckDB can open through `attach`."""
        fs, pattern = self.fs, self.path(*parts)
        found = sorted(fs.glob(pattern))
        return [p if self.local else fs.unstrip_protocol(p) for p in found]

    def replace(self, partial: str, target: str) -> None:
        """Move a finished file into place, replacing an earlier attempt's (atomically on a
        local filesystem; object stores have no rename, so there it is delete, then move)."""
        if self.local:
            os.replace(partial, target)
            return
        fs = self.fs
        if fs.exists(target):
            fs.rm(target)
        fs.mv(partial, target)

    def makedirs(self, *parts: str) -> None:
        self.fs.makedirs(self.path(*parts), exist_ok=True)

    def remove(self) -> None:
        try:
            self.fs.rm(self.url, recursive=True)
        except FileNotFoundError:
            pass
