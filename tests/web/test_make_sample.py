"""The issue's last two promises, checked where they live: `make sample` prints commands that
start the app on the store it just filled, with a demo admin; the README shows the three
screenshots the browser tests take."""

from __future__ import annotations

import re
import shlex

from recon.cli import build_parser

from .conftest import ROOT


def sample_recipe() -> list[str]:
    """The `sample` target's recipe lines of the Makefile, continuation lines joined."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    found = re.search(r"^sample:.*\n((?:\t.*\n)+)", text, re.M)
    assert found, "the Makefile has no sample target"
    return [line.strip() for line in found.group(1).splitlines()]


def printed_commands() -> list[list[str]]:
    """The commands `make sample` prints (its `@echo "  $(BIN)/recon ..."` lines)."""
    commands = []
    for line in sample_recipe():
        echoed = re.fullmatch(r'@echo "\s*\$\(BIN\)/recon (.*)"', line)
        if echoed:
            commands.append(shlex.split(echoed.group(1)))
    return commands


def the_runs_store() -> str:
    run = next(line for line in sample_recipe() if "/recon run " in line)
    words = shlex.split(run.split(";")[0])  # the command, before the exit-code handling
    return words[words.index("--store") + 1]


def test_make_sample_prints_how_to_start_the_app_with_a_demo_admin() -> None:
    store = the_runs_store()
    commands = printed_commands()
    assert ["users", "add", "demo", "--role", "admin", "--store", store] in commands
    serve = next(c for c in commands if c[0] == "serve")
    assert serve[serve.index("--store") + 1] == store
    assert (ROOT / serve[serve.index("--config") + 1]).is_file()
    for command in commands:
        build_parser().parse_args(command)  # each is a valid recon command line


def test_the_readme_shows_the_screenshots_the_browser_tests_take() -> None:
    readme = (ROOT / "README.md").read_text()
    taken = (ROOT / "tests" / "web" / "test_browser.py").read_text()
    for name in ("queue", "exception", "dashboard"):
        assert re.search(rf"!\[[^\]]*\]\(docs/img/{name}\.png\)", readme), name
        assert f'"{name}.png"' in taken, name  # the name test_browser saves it under
        image = ROOT / "docs" / "img" / f"{name}.png"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
