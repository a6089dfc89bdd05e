"""The README's regulator's report page and notice excerpt: into the test's temporary folder,
or into docs/ with RECON_UPDATE_SCREENSHOTS=1 (`make screenshots`), so a test run never
changes the repository."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from recon.config import PrivacyPolicy
from recon.incident.notice_store import prepare_notices
from recon.incident.notices import NoticeOptions
from recon.incident.pdf import chromium
from recon.incident.regulator_report import write_regulator_report

from .incident_store import add_events, make_store

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
AS_OF = datetime(2024, 3, 17, 12, 0, tzinfo=UTC)


def test_screenshots_for_the_readme(tmp_path: Path) -> None:
    target = DOCS if os.environ.get("RECON_UPDATE_SCREENSHOTS") == "1" else tmp_path / "docs"
    (target / "img").mkdir(parents=True, exist_ok=True)
    store = make_store(tmp_path)
    add_events(store)
    write_regulator_report(
        store, "INC-7", tmp_path / "report", timezone="Asia/Shanghai", actor="ops",
        declared={"start": "2024-03-15T19:20:00+08:00", "end": "2024-03-15T19:30:00+08:00"},
        pdf=False, now=AS_OF,
    )  # fmt: skip
    image = target / "img" / "regulator_report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=900,1300",
             f"--screenshot={image}", (tmp_path / "report" / "regulator_report.html").as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    assert image.read_bytes()[:4] == b"\x89PNG"
    excerpts = []
    for channel, language in (("sms", "zh-CN"), ("app", "en")):
        out = tmp_path / f"{channel}-{language}"
        prepare_notices(
            store, "INC-7", out, options=NoticeOptions(channel=channel, language=language),
            timezone="Asia/Shanghai", privacy=PrivacyPolicy(), actor="ops", now=AS_OF,
        )  # fmt: skip
        text = (out / "notices.txt").read_text(encoding="utf-8")
        excerpts.append(text.split("\n\n=== ")[0].rstrip() + "\n")
    (target / "img" / "notice_examples.txt").write_text("\n".join(excerpts), encoding="utf-8")
