"""UnionPay online (全渠道, ACP) merchant reconciliation files: the fixed-width detail file
(`INN<yyMMdd>..._<merId>`, 交易流水) and its summary (`RD..._<merId>`, 商户交易汇总表), as
downloaded in one zip (`<merId>_<yyyyMMdd>.zip`) or as the unpacked detail file with its
summary beside it. GBK text; amounts in fen.

Each detail record is one 607-byte line of fields in the order and widths of UnionPay's
file interface specification (文件接口规范), each but the last followed by a space. The
summary's 总计 line (count, amount, fees and net settlement, debit and credit) must agree
with the detail records.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from recon.errors import UnreadableFileError
from recon.ingest.formats.cells import fen_to_yuan
from recon.ingest.formats.extract import (
    ControlTotal,
    ProviderExtract,
    ProviderRecord,
    ProviderReject,
)
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format
from recon.ingest.formats.table import Reject, canonical

# (name, width in bytes) of a detail record; every field is followed by one space
_LAYOUT = (
    ("tradeNo", 3), ("acqInsCode", 11), ("sendInsCode", 11), ("traceNo", 6), ("txnTime", 10),
    ("payCardNo", 19), ("txnAmt", 12), ("merCatCode", 4), ("termType", 2), ("queryId", 21),
    ("oldPayType", 2), ("orderId", 32), ("payCardType", 2), ("origTraceNo", 6),
    ("origTxnTime", 10), ("merCharge", 13), ("settleAmt", 13), ("payType", 4),
    ("groupMerCode", 15), ("txnType", 2), ("txnSubType", 2), ("bizType", 6), ("accType", 2),
    ("billType", 4), ("billNo", 32), ("interactMode", 1), ("origQryId", 21), ("merId", 15),
    ("accountType", 1), ("subMerId", 15), ("subMerAbbr", 32), ("subMerAmt", 13),
    ("settleNetAmt", 13), ("termId", 8), ("merReserved", 32), ("discountAmt", 13),
    ("invoiceAmt", 13), ("insAdditionCharge", 12), ("installmentNum", 2), ("tradeMedia", 1),
    ("reserved", 131),
)  # fmt: skip
RECORD_BYTES = sum(width + 1 for _name, width in _LAYOUT) - 1  # 607: none after the last
_DETAIL = re.compile(r"(?:^|_)INN(\d{6})", re.I)
_SUMMARY = re.compile(r"(?:^|_)RD\d", re.I)
MAX_MEMBER_BYTES = 1 << 30  # what one zip member may unpack to
_FILE_DATE = re.compile(r"(?<!\d)(\d{8})(?!\d)")

DEFAULTS = FormatOptions(
    encoding="gb18030",
    amount_unit="fen",
    utc_offset="+08:00",
    constants=MappingProxyType({"currency": "CNY"}),
    # 交易类型 (txnType): 01 purchase, 03 pre-authorisation completed; 04 refund (退货),
    # 31 purchase reversal (消费撤销), 33 completion reversal
    status_map=MappingProxyType(
        {"01": "SUCCESS", "03": "SUCCESS", "04": "REFUNDED", "31": "REFUNDED", "33": "REFUNDED"}
    ),
)


@dataclass(frozen=True)
class _Text:
    name: str  # the member or file name shown in an origin ("" for the file itself)
    lines: tuple[bytes, ...]


def read_unionpay(path: Path, options: FormatOptions) -> ProviderExtract:
    """Records of the detail file(s); the summary's 总计 line checked against them. A summary
    file read on its own is all structure: its figures are checked with its detail file."""
    if not zipfile.is_zipfile(path) and _SUMMARY.search(path.name):
        lines = len(path.read_bytes().splitlines())
        return ProviderExtract(options.source, (), (), (), lines)
    details, summaries = _texts(path)
    archived = zipfile.is_zipfile(path)
    records: list[ProviderRecord] = []
    rejects: list[ProviderReject] = []
    parsed: list[dict[str, str]] = []
    for text in details:
        by_query: dict[str, str] = {}
        rows = []
        for number, raw in enumerate(text.lines, start=1):
            origin = f"{text.name} line {number}".strip() if text.name else f"line {number}"
            if not raw.strip():
                continue
            if len(raw) != RECORD_BYTES:
                rejects.append(
                    ProviderReject(
                        origin,
                        f"malformed record: {len(raw)} bytes, the ACP detail layout has"
                        f" {RECORD_BYTES}",
                        raw.decode(options.encoding, "replace"),
                    )
                )
                continue
            fields = _fields(raw, options.encoding)
            parsed.append(fields)
            by_query[fields["queryId"]] = fields["orderId"]
            rows.append((origin, raw, fields))
        for origin, raw, fields in rows:
            try:
                mapped = canonical(_record(fields, by_query, text, options), options)
            except Reject as why:
                rejects.append(ProviderReject(origin, str(why), raw.decode(options.encoding)))
                continue
            records.append(ProviderRecord(origin, MappingProxyType(mapped)))
    controls = tuple(
        c for summary in summaries for c in _summary_totals(summary, parsed, options, path)
    )
    return ProviderExtract(
        source=options.source,
        records=tuple(records),
        rejects=tuple(rejects),
        controls=controls,
        # a zip's members are all this file's; a summary beside a detail file is not
        accounted=sum(len(t.lines) for t in (*details, *(summaries if archived else ()))),
    )


def _texts(path: Path) -> tuple[list[_Text], list[_Text]]:
    """The detail and summary texts of a zip, or of a detail file and the summary beside it
    (same merchant and settlement date)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            too_big = [i.filename for i in archive.infolist() if i.file_size > MAX_MEMBER_BYTES]
            if too_big:  # a daily reconciliation file is kilobytes: this is no such file
                raise UnreadableFileError(
                    path, f"member {too_big[0]} unpacks to more than {MAX_MEMBER_BYTES} bytes"
                )
            members = [
                _Text(PurePosixPath(n).name, tuple(archive.read(n).splitlines()))
                for n in sorted(archive.namelist())
                if not n.endswith("/")
            ]
        details = [m for m in members if _DETAIL.search(m.name)]
        summaries = [m for m in members if _SUMMARY.search(m.name)]
        if not details:
            raise UnreadableFileError(path, "holds no UnionPay detail file (INN...)")
        return details, summaries
    own = _Text("", tuple(path.read_bytes().splitlines()))
    return [own], [_Text(p.name, tuple(p.read_bytes().splitlines())) for p in _siblings(path)]


def _siblings(path: Path) -> list[Path]:
    match = _DETAIL.search(path.name)
    merchant = path.name.rsplit("_", 1)[-1] if "_" in path.name else None
    if match is None or merchant is None:
        return []
    date = match[1]
    return sorted(
        p
        for p in path.parent.iterdir()
        if _SUMMARY.search(p.name) and p.name.endswith("_" + merchant) and date in p.name
    )


def _fields(raw: bytes, encoding: str) -> dict[str, str]:
    fields, at = {}, 0
    for name, width in _LAYOUT:
        fields[name] = raw[at : at + width].decode(encoding, "replace").strip()
        at += width + 1
    return fields


def _record(
    fields: Mapping[str, str], by_query: Mapping[str, str], text: _Text, options: FormatOptions
) -> dict[str, str]:
    """A detail record in canonical columns: a refund or reversal carries the order number
    of the payment it returns (found through 原交易查询流水号 in the same file) as txn_ref."""
    status = options.status_map.get(fields["txnType"], fields["txnType"])
    txn_ref = fields["orderId"]
    if status == "REFUNDED":
        txn_ref = by_query.get(fields["origQryId"], txn_ref)
    return {
        "gateway_ref": fields["queryId"],
        "txn_ref": txn_ref,
        "amount": fields["txnAmt"],
        "fee": _signed(fields["merCharge"]).lstrip("-"),
        "status": status,
        "gateway_at": _timestamp(fields, text),
    }


def _timestamp(fields: Mapping[str, str], text: _Text) -> str:
    """交易传输时间 is MMDDhhmmss: the year comes from the query id, which starts with the
    full time (yyyyMMddhhmmss), else from the settlement date in the file's name."""
    moment, query = fields["txnTime"], fields["queryId"]
    if len(moment) == 10 and query[4:14] == moment:
        year = query[:4]
    elif match := _DETAIL.search(text.name) or _FILE_DATE.search(text.name):
        year = "20" + match[1][:2] if len(match[1]) == 6 else match[1][:4]
    else:
        raise Reject(f"transmission time {moment} has no year and the query id gives none")
    return f"{year}{moment}"


def _signed(text: str) -> str:
    """`D000000002861` (debit: charged to the merchant) -> `2861`; `C...` -> `-...` (fen)."""
    sign = "-" if text[:1] == "C" else ""
    digits = text.lstrip("DC").strip() or "0"
    return f"{sign}{int(digits)}" if digits.isdigit() else text


def _summary_totals(
    summary: _Text, details: list[dict[str, str]], options: FormatOptions, path: Path
) -> tuple[ControlTotal, ...]:
    """The first 总计 line: count, then debit/credit of amount, fees and net settlement."""
    for raw in summary.lines:
        cells = raw.decode(options.encoding, "replace").split()
        if cells and cells[0] == "总计":
            break
    else:
        raise UnreadableFileError(path, f"summary {summary.name} has no 总计 (total) line")
    try:
        count, amount_d, amount_c, fee_d, fee_c, net_d, net_c = (Decimal(c) for c in cells[1:8])
    except (ValueError, ArithmeticError):
        raise UnreadableFileError(
            path, f"summary {summary.name}: 总计 line is not 7 figures"
        ) from None
    refunds = [f for f in details if options.status_map.get(f["txnType"]) == "REFUNDED"]
    payments = [f for f in details if f not in refunds]

    def yuan(values: list[str]) -> Decimal:
        return sum((Decimal(fen_to_yuan(v)) for v in values), Decimal(0))

    def side(column: str, debit: bool) -> Decimal:
        signed = [_signed(f[column]) for f in details]
        return yuan([s for s in signed if s.startswith("-") != debit]).copy_abs()

    name = summary.name
    refunded, paid = yuan([f["txnAmt"] for f in refunds]), yuan([f["txnAmt"] for f in payments])
    return (
        ControlTotal(f"{name} 总计 交易笔数 (records)", count, Decimal(len(details))),
        ControlTotal(f"{name} 总计 交易金额 借 (refunds)", amount_d, refunded),
        ControlTotal(f"{name} 总计 交易金额 贷 (payments)", amount_c, paid),
        ControlTotal(f"{name} 总计 费用 借 (fees charged)", fee_d, side("merCharge", True)),
        ControlTotal(f"{name} 总计 费用 贷 (fees returned)", fee_c, side("merCharge", False)),
        ControlTotal(f"{name} 总计 资金清算差额 借", net_d, side("settleAmt", True)),
        ControlTotal(f"{name} 总计 资金清算差额 贷", net_c, side("settleAmt", False)),
    )  # fmt: skip


FORMAT = Format(
    name="unionpay-acp",
    read=read_unionpay,
    suffixes=(".zip", ".txt", ""),
    summary="UnionPay ACP reconciliation zip or fixed-width INN detail file (GBK, fen)",
    defaults=DEFAULTS,
)
