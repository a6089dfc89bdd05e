"""The CLI is a thin skin: every config override maps to a config key, and --help works."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from recon.cli import CONFIG_OPTIONS, build_parser, config_from_args, main
from recon.config import Config, option_flag

NOT_ON_COMMAND_LINE = {
    "clearing_accounts",
    "currency_aliases",
    "sources",
    "compensation",
    "sla",
    "privacy",
    "web",  # tables: set in recon.toml ([web], [approvals])
    "approvals",
    "landing",
    "pull_deadline_minutes",
    "pull_retry_seconds",
}


def test_every_scalar_config_key_has_a_command_line_option():
    keys = {f.name for f in dataclasses.fields(Config)} - NOT_ON_COMMAND_LINE
    assert {opt.key for opt in CONFIG_OPTIONS} == keys


def test_run_options_reach_the_config(tmp_path):
    args = build_parser().parse_args(
        [
            "run",
            "--data-dir",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "--grace-minutes",
            "7",
            "--cutoff",
            "2024-03-16T00:00:00Z",
            "--memory-limit",
            "1GB",
        ]
    )
    config = config_from_args(args)
    assert config.grace_minutes == 7
    assert config.memory_limit == "1GB"
    assert config.cutoff.isoformat() == "2024-03-16T00:00:00+00:00"


@pytest.mark.parametrize("command", [[], ["run"]])
def test_help_is_available(command, capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([*command, "--help"])
    assert info.value.code == 0
    assert "usage: recon" in capsys.readouterr().out


def test_every_flag_is_the_name_config_errors_give_it():
    assert all(opt.flag == option_flag(opt.key) for opt in CONFIG_OPTIONS)


def test_a_crash_is_one_line_on_stderr_and_exit_2(tmp_path, monkeypatch, capsys):
    import recon.pipeline

    def crash(*_args, **_kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(recon.pipeline, "run_reconciliation", crash)
    code = main(["run", "--data-dir", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("recon: internal error: RuntimeError: boom")


def test_a_bad_option_names_the_flag(tmp_path, capsys):
    code = main(["run", "--data-dir", str(tmp_path), "--out", str(tmp_path), "--cutoff", "soon"])
    assert code == 2
    assert capsys.readouterr().err == "recon: --cutoff: not an ISO 8601 timestamp: 'soon'\n"


def test_utf16_and_utf32_extracts_reconcile_as_their_utf8_originals(tmp_path, capsys):
    """UTF-16/32 are accepted by the config check because the reader transcodes them."""
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    runs = {}
    for label, encodings in {"utf8": {}, "wide": {"ledger": "utf-16", "gateway": "utf-32"}}.items():
        data = tmp_path / label / "data"
        shutil.copytree(sample / "data", data)
        for source, encoding in encodings.items():
            for path in data.glob(f"{source}*.csv"):
                path.write_text(path.read_text(encoding="utf-8"), encoding=encoding)
        config = tmp_path / label / "recon.toml"
        config.write_text(
            (sample / "recon.toml").read_text(encoding="utf-8")
            + "".join(f'[sources.{s}]\nencoding = "{e}"\n' for s, e in encodings.items()),
            encoding="utf-8",
        )
        out = tmp_path / label / "out"
        argv = ["run", "--data-dir", str(data), "--out", str(out), "--quiet"]
        argv += ["--config", str(config), "--store", str(tmp_path / label / "s.duckdb")]
        assert main(argv) == 1
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        runs[label] = (summary["rows"], (out / "quarantine.csv").read_text(encoding="utf-8"))
    capsys.readouterr()
    assert runs["wide"][0] == runs["utf8"][0]
    assert runs["wide"][1].replace("/wide/", "/utf8/") == runs["utf8"][1]


def test_a_bad_delimiter_option_is_blamed_on_the_flag(tmp_path, capsys):
    code = main(["run", "--data-dir", str(tmp_path), "--out", str(tmp_path), "--delimiter", ";;"])
    assert code == 2
    assert capsys.readouterr().err == (
        "recon: --delimiter must be one character other than a quote, got ';;'\n"
    )
