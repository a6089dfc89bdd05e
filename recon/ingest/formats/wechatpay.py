"""WeChat Pay merchant bills: the trade bill (交易账单, `downloadbill`) and the fund-flow bill
(资金账单, `downloadfundflow`), CSV or the sandbox's TSV, every value after a backtick.

A trade bill row is a payment (交易状态 SUCCESS) or a refund (REFUND, REVOKED) of one: the
refund becomes its own record (gateway_ref = 微信退款单号, status REFUNDED, amount = 退款金额)
with the payment's 商户订单号 as txn_ref, so it links to the payment and never clashes with
it. The footer (总交易单数 ...) must agree with the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from recon.ingest.formats.extract import ControlTotal, ProviderExtract
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format
from recon.ingest.formats.table import Layout, Row, Sections, mapped_fields, read_table
from recon.ingest.formats.totals import count, footer_figures, present, total

_SUFFIXES = (".csv", ".tsv", ".txt")
BEIJING = "+08:00"

# the trade bill's columns (downloadbill, bill_type ALL); the v3 API adds the two refund times
TRADE_COLUMNS_27 = (
    "交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号",
    "用户标识", "交易类型", "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额",
    "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额", "退款类型", "退款状态",
    "商品名称", "商户数据包", "手续费", "费率", "订单金额", "申请退款金额", "费率备注",
)  # fmt: skip
TRADE_COLUMNS_29 = (
    *TRADE_COLUMNS_27[:14], "退款申请时间", "退款成功时间", *TRADE_COLUMNS_27[14:],
)  # fmt: skip

TRADEBILL_DEFAULTS = FormatOptions(
    header_starts="交易时间",
    footer_starts="总交易单数",
    footer_required=True,
    strip_prefix="`",
    encoding="utf-8-sig",
    utc_offset=BEIJING,
    columns=MappingProxyType(
        {
            "微信订单号": "gateway_ref",
            "商户订单号": "txn_ref",
            "订单金额": "amount",
            "货币种类": "currency",
            "手续费": "fee",
            "交易状态": "status",
            "交易时间": "gateway_at",
        }
    ),
    status_map=MappingProxyType(
        {
            "SUCCESS": "SUCCESS",
            "REFUND": "REFUNDED",
            "REVOKED": "REFUNDED",
            "NOTPAY": "FAILED",
            "CLOSED": "FAILED",
            "PAYERROR": "FAILED",
            "USERPAYING": "PENDING",
        }
    ),
)

# footer figure -> the column it adds up (总交易单数 counts the rows)
_TRADE_SUMS = {
    "应结订单总金额": "应结订单金额",
    "退款总金额": "退款金额",
    "充值券退款总金额": "充值券退款金额",
    "手续费总金额": "手续费",
    "订单总金额": "订单金额",
    "申请退款总金额": "申请退款金额",
}


def trade_fields(row: Row, options: FormatOptions) -> Mapping[str, str]:
    """A payment row through the columns; a refund row through its refund columns."""
    fields = dict(mapped_fields(row, options))
    if options.status_map.get(fields.get("status", "")) != "REFUNDED":
        return fields
    refund_id = row.get("微信退款单号", "")
    fields["gateway_ref"] = refund_id or f"{row.get('微信订单号', '')}/{row.get('交易状态', '')}"
    fields["amount"] = row.get("退款金额") or row.get("申请退款金额", "")
    fields["gateway_at"] = (
        row.get("退款成功时间") or row.get("退款申请时间") or row.get("交易时间", "")
    )
    fields["fee"] = fields.get("fee", "").removeprefix("-")  # the fee returned, as a figure
    return fields


def trade_totals(sections: Sections) -> tuple[ControlTotal, ...]:
    if not sections.footer:
        return ()
    stated = footer_figures(sections.footer, sections.options, sections.path)
    checks: list[ControlTotal | None] = [
        count("footer 总交易单数 (trades)", stated["总交易单数"], sections.rows)
        if "总交易单数" in stated
        else None
    ]
    for name, column in _TRADE_SUMS.items():
        if name in stated:
            checks.append(total(f"footer {name}", stated[name], sections.rows, column))
    return present(checks)


TRADE_LAYOUT = Layout(
    fields=trade_fields,
    totals=trade_totals,
    headerless=MappingProxyType({27: TRADE_COLUMNS_27, 29: TRADE_COLUMNS_29}),
)


def read_tradebill(path: Path, options: FormatOptions) -> ProviderExtract:
    return read_table(path, options, TRADE_LAYOUT)


FUNDFLOW_DEFAULTS = FormatOptions(
    header_starts="记账时间",
    footer_starts="资金流水总笔数",
    footer_required=True,
    strip_prefix="`",
    encoding="utf-8-sig",
    utc_offset=BEIJING,
    columns=MappingProxyType(
        {
            "资金流水单号": "gateway_ref",
            "业务凭证号": "txn_ref",
            "收支金额(元)": "amount",
            "业务类型": "status",
            "记账时间": "gateway_at",
        }
    ),
    constants=MappingProxyType({"currency": "CNY", "fee": "0.00"}),
    status_map=MappingProxyType({"交易": "SUCCESS", "退款": "REFUNDED"}),
)


def _income(row: Mapping[str, str]) -> bool:
    return row.get("收支类型") == "收入"


def _outgo(row: Mapping[str, str]) -> bool:
    return row.get("收支类型") == "支出"


def fundflow_totals(sections: Sections) -> tuple[ControlTotal, ...]:
    if not sections.footer:
        return ()
    stated = footer_figures(sections.footer, sections.options, sections.path)
    rows, amount = sections.rows, "收支金额(元)"
    wanted = {
        "资金流水总笔数": lambda e: count("footer 资金流水总笔数 (entries)", e, rows),
        "收入笔数": lambda e: count("footer 收入笔数 (income entries)", e, rows, _income),
        "收入金额": lambda e: total("footer 收入金额 (income)", e, rows, amount, _income),
        "支出笔数": lambda e: count("footer 支出笔数 (outgoing entries)", e, rows, _outgo),
        "支出金额": lambda e: total("footer 支出金额 (outgoing)", e, rows, amount, _outgo),
    }
    return tuple(check(stated[name]) for name, check in wanted.items() if name in stated)


def read_fundflow(path: Path, options: FormatOptions) -> ProviderExtract:
    return read_table(path, options, Layout(totals=fundflow_totals))


FORMATS = (
    Format(
        name="wechatpay-tradebill",
        read=read_tradebill,
        suffixes=_SUFFIXES,
        summary="WeChat Pay trade bill (交易账单, ALL/SUCCESS/REFUND), CSV or TSV, footer checked",
        defaults=TRADEBILL_DEFAULTS,
    ),
    Format(
        name="wechatpay-fundflow",
        read=read_fundflow,
        suffixes=_SUFFIXES,
        summary="WeChat Pay fund-flow bill (资金账单), footer counts and sums checked",
        defaults=FUNDFLOW_DEFAULTS,
    ),
)
