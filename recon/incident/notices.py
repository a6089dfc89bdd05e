"""Customer notices after an incident: one per affected customer, rendered per channel and
language from Jinja2 templates (docs/incident.md).

Built from the store (every case the incident's reruns tagged, where it stands now, the
compensation decided), so a notice prepared later already says that a case was corrected.
Values from the extracts reach the text with control and bidi characters made visible
(recon.safety): a transfer reference cannot reorder what the customer reads.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
from jinja2 import Environment, PackageLoader, StrictUndefined

from recon.errors import ConfigError
from recon.safety import show_bidi, show_controls
from recon.sql import load_sql

CHANNELS = ("sms", "app", "letter")
LANGUAGES = ("zh-CN", "en")
AFFECTED, RESOLVED = "AFFECTED", "RESOLVED"
OPEN_STATE = "UNDER_REVIEW"
DEFAULT_SMS_SEGMENTS = 3

# GSM 03.38 basic characters: a text of only these is sent 160 to a segment, else 70 (UCS-2)
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@dataclass(frozen=True)
class Notice:
    """One rendered notice to one customer."""

    notice_id: str
    incident_id: str
    customer_id: str
    channel: str
    language: str
    kind: str  # AFFECTED | RESOLVED
    content: str
    content_sha256: str
    exception_ids: str


@dataclass(frozen=True)
class NoticeOptions:
    channel: str = "sms"
    language: str = "zh-CN"
    resolved: bool = True  # customers whose cases are all closed get a "resolved" notice
    sms_segments: int = DEFAULT_SMS_SEGMENTS


def check_options(options: NoticeOptions) -> None:
    if options.channel not in CHANNELS:
        raise ConfigError(
            f"--channel must be one of {', '.join(CHANNELS)}, got {options.channel!r}"
        )
    if options.language not in LANGUAGES:
        raise ConfigError(
            f"--language must be one of {', '.join(LANGUAGES)}, got {options.language!r}"
        )
    if options.sms_segments < 1:
        raise ConfigError(f"--sms-segments must be at least 1, got {options.sms_segments}")


def build_notices(
    con: duckdb.DuckDBPyConnection, incident_id: str, options: NoticeOptions, timezone: str
) -> list[Notice]:
    """The notices of every customer the incident touched (store attached as `recon_store`),
    in customer order; customers whose cases are all closed only when `options.resolved`."""
    check_options(options)
    result = con.execute(load_sql("recon.incident", "notice_cases"), {"incident_id": incident_id})
    names = [d[0] for d in result.description]
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in result.fetchall():
        case = dict(zip(names, row, strict=True))
        by_customer[case["customer_id"]].append(case)
    template = _environment().get_template(f"{options.channel}.{options.language}.j2")
    zone = ZoneInfo(timezone)
    notices = []
    for customer_id, cases in by_customer.items():
        facts = _facts(incident_id, cases, zone)
        if facts["kind"] == RESOLVED and not options.resolved:
            continue
        content = template.render(**facts).strip() + "\n"
        notice = _notice(incident_id, customer_id, options, facts["kind"], content, cases)
        if options.channel == "sms":
            check_sms(notice, options.sms_segments)
        notices.append(notice)
    return notices


def sms_segments(text: str) -> int:
    """How many SMS segments `text` takes: 160 GSM characters in one (153 each when split),
    70 UCS-2 characters (67 each when split) once any character is outside GSM 03.38."""
    body = text.rstrip("\n")
    single, part = (160, 153) if set(body) <= _GSM else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // part)


def check_sms(notice: Notice, limit: int) -> None:
    """Refuse an SMS longer than `limit` segments, naming the notice (its customer masked)."""
    from recon.privacy import mask_id

    used = sms_segments(notice.content)
    if used > limit:
        raise ConfigError(
            f"SMS notice {notice.notice_id} for customer {mask_id(notice.customer_id)}"
            f" ({notice.language}) is {len(notice.content.rstrip())} characters, {used} segments:"
            f" over the limit of {limit} (--sms-segments); shorten"
            f" templates/sms.{notice.language}.j2 or send these notices by app or letter"
        )


def _facts(incident_id: str, cases: list[dict[str, Any]], zone: ZoneInfo) -> dict[str, Any]:
    """What a template says: the customer's transfers (each once), their state, what the bank
    will do, and the compensation owed per currency."""
    transfers: dict[str, dict[str, Any]] = {}
    owed: dict[str, dict[str, Any]] = {}
    for case in cases:
        t = transfers.setdefault(
            case["transfer"],
            {"ref": _text(case["transfer"]), "amount": Decimal(0), "currency": "",
             "when": case["event_at"], "states": [], "action": None},
        )  # fmt: skip
        t["amount"] = max(t["amount"], case["amount"] or Decimal(0))
        t["currency"] = _text(case["currency"] or "")
        t["states"].append(case["state"])
        if case["state"] == OPEN_STATE and t["action"] is None:
            t["action"] = case["proposed_action"]
        if case["owed"] and case["owed"] > 0:
            o = owed.setdefault(case["currency"], {"amount": Decimal(0), "paid": True})
            o["amount"] += case["owed"]
            o["paid"] = o["paid"] and bool(case["paid"])
    shown = []
    for t in transfers.values():
        state = _transfer_state(t["states"])
        shown.append(
            {"ref": t["ref"], "amount": f"{t['amount']:,.2f}", "currency": t["currency"],
             "at": _local(t["when"], zone, "%Y-%m-%d %H:%M"), "state": state,
             "action": t["action"] if state == OPEN_STATE else None}
        )  # fmt: skip
    first = min((t["when"] for t in transfers.values() if t["when"] is not None), default=None)
    return {
        "incident_id": _text(incident_id),
        "kind": AFFECTED if any(s["state"] == OPEN_STATE for s in shown) else RESOLVED,
        "date": _local(first, zone, "%Y-%m-%d"),
        "transfers": shown,
        "owed": [
            {"amount": f"{o['amount']:,.2f}", "currency": _text(c), "paid": o["paid"]}
            for c, o in sorted(owed.items())
        ],
    }


# a transfer's cases closed in different ways: the customer hears the one that moved money
_STATE_ORDER = (OPEN_STATE, "REVERSED", "CREDITED", "COMPLETED", "RESOLVED")


def _transfer_state(states: list[str]) -> str:
    return min(states, key=_STATE_ORDER.index)


def _notice(
    incident_id: str,
    customer_id: str,
    options: NoticeOptions,
    kind: str,
    content: str,
    cases: list[dict[str, Any]],
) -> Notice:
    """A notice keyed by what it says to whom: the same text again is the same notice."""
    digest = hashlib.sha256(content.encode()).hexdigest()
    key = "\n".join((incident_id, customer_id, options.channel, options.language, digest))
    notice_id = "N-" + hashlib.sha256(key.encode()).hexdigest()[:16].upper()
    ids = ";".join(sorted({c["exception_id"] for c in cases}))
    return Notice(notice_id, incident_id, customer_id, options.channel, options.language, kind,
                  content, digest, ids)  # fmt: skip


def _text(value: object) -> str:
    return show_controls(show_bidi(str(value)))


def _local(value: datetime | None, zone: ZoneInfo, fmt: str) -> str:
    return "" if value is None else value.astimezone(zone).strftime(fmt)


def _environment() -> Environment:
    # plain text, not HTML: values are made safe above (_text), not escaped
    return Environment(
        loader=PackageLoader("recon.incident", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )
