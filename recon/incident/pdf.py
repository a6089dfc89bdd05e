"""Print an HTML file to PDF with headless Chromium (STACK_NOTES.md): no new dependency.

Debian's chromium (`.ci/ensure-chromium` installs it for `make test`) prints with
`--print-to-pdf`, started with a fresh profile and its background connections off, so it never
reaches for the network. A missing browser or a failed print is one line, exit 2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from recon.errors import TerminalError

CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
ENV_BROWSER = "RECON_CHROMIUM"
TIMEOUT_SECONDS = 120


def chromium() -> str:
    """The browser to print with: $RECON_CHROMIUM, else Debian's chromium."""
    given = os.environ.get(ENV_BROWSER, "").strip()
    for candidate in ([given] if given else []) + list(CHROMIUM):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise TerminalError(
        "cannot print the PDF: no chromium found (apt-get install -y chromium, or set"
        f" {ENV_BROWSER} to a Chromium binary)"
    )


def print_pdf(html: Path, pdf: Path) -> None:
    """Write `pdf` from the self-contained page `html` (A4, no header or footer)."""
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="recon-chromium-") as profile:
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", html.resolve().as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise TerminalError(
                f"cannot print the PDF: chromium did not finish in {TIMEOUT_SECONDS} s"
            ) from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise TerminalError(f"cannot print the PDF: chromium exited {done.returncode}: {last[0]}")
