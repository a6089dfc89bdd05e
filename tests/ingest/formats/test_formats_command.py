"""`recon formats`: the registered formats, and one format's defaults."""

from __future__ import annotations

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.ingest.formats import FORMATS

MINE = ("alipay-bill", "generic", "unionpay-acp", "wechat-personal-bill", "wechatpay-fundflow",
        "wechatpay-tradebill")  # fmt: skip


def test_the_command_lists_every_registered_format(capsys):
    assert main(["formats"]) == ExitCode.CLEAN
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(FORMATS)
    assert set(MINE) <= set(listed)


def test_one_formats_defaults_are_shown(capsys):
    assert main(["formats", "wechatpay-tradebill"]) == ExitCode.CLEAN
    out = capsys.readouterr().out
    assert "strip_prefix = '`'" in out
    assert "footer_starts = '总交易单数'" in out


def test_camt053_shows_its_balance_basis(capsys):
    assert main(["formats", "camt053"]) == ExitCode.CLEAN
    assert "balance_basis = 'booking'" in capsys.readouterr().out
    assert main(["formats", "camt054"]) == ExitCode.CLEAN
    assert "balance_basis" not in capsys.readouterr().out


def test_an_unknown_format_exits_2_listing_the_known_ones(capsys):
    assert main(["formats", "wechat"]) == ExitCode.FAILED
    assert "unknown format 'wechat' (known: " in capsys.readouterr().err
