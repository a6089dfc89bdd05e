"""`recon nightly` started from any folder (cron) uses recon's Prefect settings and succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_nightly_from_a_folder_without_prefect_toml_uses_recons_prefect_home(tmp_path):
    home, cwd = tmp_path / "home", tmp_path / "cron"
    home.mkdir()
    cwd.mkdir()
    shutil.copytree(ROOT / "sample_data" / "data", tmp_path / "landing" / "2024-03-15")
    config = tmp_path / "recon.toml"
    config.write_text(
        'clearing_accounts = ["CLR-CNAPS-01", "CLR-UNIONPAY-01", "CLR-SWIFT-01"]\n'
        f'landing = "{tmp_path}/landing/{{date}}"\nstore = "{tmp_path}/recon.duckdb"\n',
        encoding="utf-8",
    )
    recon = Path(sys.executable).with_name("recon")
    done = subprocess.run(
        [str(recon), "nightly", "--date", "2024-03-15", "--config", str(config)],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(home)},  # no PREFECT_* at all
        capture_output=True,
        text=True,
        timeout=300,
    )
    prefect_home = home / ".recon" / "prefect"
    assert done.returncode == 1, done.stderr  # findings: the sample day has breaks
    assert "Traceback" not in done.stderr
    assert f"temporary Prefect server in {prefect_home}," in done.stderr.splitlines()[0]
    assert (prefect_home / "prefect.db").is_file()
    assert not (home / ".prefect").exists()
    assert not (cwd / ".prefect").exists()
    assert done.stdout.startswith("run run-")
    assert list((cwd / "runs").glob("*/out/exceptions.csv"))
