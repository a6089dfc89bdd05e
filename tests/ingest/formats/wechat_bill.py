"""Hand-made WeChat Pay trade bills (the ALL bill's 27 columns), one payment or refund a line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from recon.ingest.formats.wechatpay import TRADE_COLUMNS_27

FOOTER = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)


def trade_row(
    order: str = "S1",
    *,
    txn_id: str = "4200000001",
    status: str = "SUCCESS",
    amount: str = "10.00",
    fee: str = "0.06000",
    refund_id: str = "",
    refund: str = "0.00",
    at: str = "2021-01-28 17:07:11",
) -> dict[str, str]:
    paid = "0.00" if status == "REFUND" else amount
    values = dict.fromkeys(TRADE_COLUMNS_27, "")
    values.update(
        {
            "交易时间": at, "微信订单号": txn_id, "商户订单号": order, "交易状态": status,
            "货币种类": "CNY", "应结订单金额": paid, "代金券金额": "0.00",
            "微信退款单号": refund_id, "退款金额": refund, "充值券退款金额": "0.00",
            "手续费": fee, "费率": "0.60%", "订单金额": paid, "申请退款金额": refund,
        }
    )  # fmt: skip
    return values


def footer_values(rows: Sequence[dict[str, str]]) -> list[str]:
    def total(column: str) -> str:
        return str(sum((Decimal(r[column]) for r in rows), Decimal(0)))

    return [
        str(len(rows)), total("应结订单金额"), total("退款金额"), total("充值券退款金额"),
        total("手续费"), total("订单金额"), total("申请退款金额"),
    ]  # fmt: skip


def write_trade_bill(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    footer: Sequence[str] | None = None,
    with_footer: bool = True,
) -> Path:
    """A bill as WeChat Pay writes it: header, backticked values, footer names and figures."""
    lines = [",".join(TRADE_COLUMNS_27)]
    lines += [",".join("`" + row[c] for c in TRADE_COLUMNS_27) for row in rows]
    if with_footer:
        figures = footer if footer is not None else footer_values(rows)
        lines += [FOOTER, ",".join("`" + f for f in figures)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path
