"""docs/formats.md's examples work as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from recon.config import config_from_mapping
from recon.ingest.formats import FORMATS

DOC = Path(__file__).resolve().parents[3] / "docs" / "formats.md"


def toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_every_toml_example_is_a_valid_config():
    for block in toml_blocks():
        config_from_mapping(tomllib.loads(block))


def test_the_generic_example_reads_the_export_it_describes(tmp_path):
    generic = next(b for b in toml_blocks() if 'format = "generic"' in b)
    options = config_from_mapping(tomllib.loads(generic)).source("gateway").format_options
    path = tmp_path / "export_0315.csv"
    path.write_text(
        "某银行交易导出\n导出时间：2024-03-15\n\n"
        '流水号,订单号,金额,状态,时间\nG1,T1,"¥1,234.50",成功,2024-03-15 10:00:00\n'
        "G2,-,¥5.00,失败,2024-03-15 11:00:00\n合计,2\n",
        encoding="utf-8",
    )
    first, second = FORMATS["generic"].read(path, options).records
    assert dict(first.fields) == {
        "gateway_ref": "G1", "txn_ref": "T1", "amount": "1234.50", "status": "SUCCESS",
        "gateway_at": "2024-03-15T10:00:00+08:00", "currency": "CNY", "fee": "0.00",
    }  # fmt: skip
    assert (second.fields["txn_ref"], second.fields["status"]) == ("", "FAILED")


def test_every_format_is_described():
    text = DOC.read_text(encoding="utf-8")
    mine = ("wechatpay-tradebill", "wechatpay-fundflow", "alipay-bill", "wechat-personal-bill",
            "unionpay-acp", "generic")  # fmt: skip
    assert [name for name in mine if f"### {name}" not in text] == []
    assert set(mine) <= set(FORMATS)
