"""pain.002 customer payment status reports as gateway records.

A status report answers a payment file we sent: per transaction (`<TxInfAndSts>`) the bank's
status and the original end-to-end id, which is our txn_ref. A transaction whose status is
absent takes its payment block's (`<PmtInfSts>`), else the group's (`<GrpSts>`). A gateway
record needs the payment's amount, so a transaction without `<OrgnlTxRef><Amt>` is quarantined
with that reason. Group and payment-block statuses that name no transaction are counted as
read but give no record (docs/formats.md, "pain002"). The file's own counts per status are
checked in `pain002_totals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from recon.errors import ConfigError
from recon.ingest.formats.extract import ProviderExtract, ProviderRecord, ProviderReject
from recon.ingest.formats.fill import with_constants
from recon.ingest.formats.iso20022 import (
    child,
    children,
    code,
    local,
    require_message,
    text,
    with_offset,
)
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.pain002_totals import Status, status_controls
from recon.ingest.formats.spec import Format
from recon.ingest.formats.xml_safe import parse_xml

# ExternalPaymentTransactionStatus1Code -> contract status; `status_map` overrides
STATUS: Mapping[str, str] = {
    "ACSC": "SUCCESS",  # settlement completed (debtor's account debited)
    "ACCC": "SUCCESS",  # creditor's account credited
    "ACSP": "PENDING",  # settlement in process
    "ACTC": "PENDING",  # technically accepted
    "ACCP": "PENDING",  # customer profile accepted
    "ACWC": "PENDING",  # accepted with change
    "ACWP": "PENDING",  # accepted without posting
    "ACFC": "PENDING",  # accepted, funds checked
    "PATC": "PENDING",  # partially accepted, technical
    "RCVD": "PENDING",  # received
    "PDNG": "PENDING",
    "RJCT": "FAILED",
    "CANC": "FAILED",
}


def read_pain002(path: Path, options: FormatOptions) -> ProviderExtract:
    """Gateway records, one per `<TxInfAndSts>`, with the report's own status counts."""
    if options.source != "gateway":
        raise ConfigError(f"format pain002 feeds the gateway source, not {options.source}")
    statuses = {**STATUS, **options.status_map}
    body = require_message(path, parse_xml(path), "pain.002", "pain002")
    body_path = f"/Document/{local(body.tag)}"
    header = {"msg_id": text(body, "GrpHdr", "MsgId"), "at": text(body, "GrpHdr", "CreDtTm")}
    group = child(body, "OrgnlGrpInfAndSts")
    group_status = code(group, "GrpSts")
    records: list[ProviderRecord] = []
    rejects: list[ProviderReject] = []
    controls = []
    everything: list[Status] = []
    accounted = 1 if group is not None else 0
    # pain.002.001.02 lists transactions under the report itself, later versions per block
    blocks = [(body_path, body, group_status, False)]
    for block_path, block in children(body, "OrgnlPmtInfAndSts", body_path):
        accounted += 1
        blocks.append((block_path, block, code(block, "PmtInfSts") or group_status, True))
    for block_path, block, inherited, is_block in blocks:
        in_block: list[Status] = []
        for tx_path, tx in children(block, "TxInfAndSts", block_path):
            accounted += 1
            status_code = code(tx, "TxSts") or inherited
            in_block.append(Status(code=status_code, amount=text(_amount(tx))))
            reason = _refused(tx)
            if reason:
                rejects.append(ProviderReject(origin=tx_path, reason=reason))
                continue
            fields = _fields(tx, header, statuses.get(status_code, status_code), options)
            fields = with_constants(fields, options.constants)
            records.append(ProviderRecord(origin=tx_path, fields=fields))
        if is_block:
            controls += status_controls(block_path, block, in_block)
        everything += in_block
    controls = status_controls(f"{body_path}/OrgnlGrpInfAndSts", group, everything) + controls
    return ProviderExtract(
        source="gateway",
        records=tuple(records),
        rejects=tuple(rejects),
        controls=tuple(controls),
        accounted=accounted,
    )


def _amount(tx: Element) -> Element | None:
    """The original payment's amount: instructed, else its equivalent."""
    found = child(tx, "OrgnlTxRef", "Amt", "InstdAmt")
    return found if found is not None else child(tx, "OrgnlTxRef", "Amt", "EqvtAmt", "Amt")


def _txn_ref(tx: Element) -> str:
    end_to_end = text(tx, "OrgnlEndToEndId")
    if end_to_end and end_to_end.upper() != "NOTPROVIDED":
        return end_to_end
    return text(tx, "OrgnlInstrId")


def _refused(tx: Element) -> str:
    if not _txn_ref(tx):
        return "no OrgnlEndToEndId or OrgnlInstrId: the status names no payment to match"
    if _amount(tx) is None:
        return (
            "no original amount (OrgnlTxRef/Amt/InstdAmt): a status without the payment's"
            " amount cannot stand as a gateway record"
        )
    return ""


def _fields(
    tx: Element, header: Mapping[str, str], status: str, options: FormatOptions
) -> dict[str, str]:
    element = _amount(tx)
    instruction = text(tx, "StsId") or text(tx, "OrgnlInstrId") or _txn_ref(tx)
    return {
        "gateway_ref": f"{header['msg_id']}/{instruction}",
        "txn_ref": _txn_ref(tx),
        "amount": text(element),
        "currency": element.get("Ccy", "") if element is not None else "",
        "fee": "0.00",
        "status": status,
        "gateway_at": with_offset(text(tx, "AccptncDtTm") or header["at"], options.utc_offset),
    }


FORMAT = Format(
    name="pain002",
    read=read_pain002,
    suffixes=(".xml",),
    summary="ISO 20022 pain.002 payment status report (transaction statuses; counts per status"
    " checked)",
)
