#!/usr/bin/env python3
"""The main checks of CONTRACT.md section 4 in plain pandas: the baseline a team would write first.

    python bench/pandas_baseline.py --data-dir DIR --cutoff 2024-03-16T00:00:00+00:00 --out F.csv

Reads the Parquet extracts whole into memory, drops exact duplicate rows, and finds the same
findings as bench/bare_duckdb.sql (type, subtype, txn_ref). No validation, quarantine,
evidence, store or reports. Used by bench/end_to_end.py as the "pandas" column.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

import pandas as pd

CLEARING = {"CLR-CNAPS-01", "CLR-UNIONPAY-01", "CLR-SWIFT-01"}
CHANNEL_COLUMNS = [
    "request_id", "idempotency_key", "channel", "customer_id", "debit_account",
    "credit_account", "amount", "currency", "requested_at", "status", "error_code", "txn_ref",
]  # fmt: skip


def read(data_dir: Path, source: str, columns: list[str] | None = None) -> pd.DataFrame:
    files = sorted(data_dir.glob(f"{source}*.parquet"))
    frame = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
    return frame.drop_duplicates(ignore_index=True)


def first_extra(frame: pd.DataFrame, keys: list[str], order: list[str]) -> pd.DataFrame:
    """Rows after the first of each group (by `order`): the extras of a duplicate group."""
    ranked = frame.dropna(subset=keys).sort_values(order)
    return ranked[ranked.groupby(keys, sort=False).cumcount() > 0]


def findings(
    data_dir: Path, cutoff: pd.Timestamp, grace: int, sla: int, window: int
) -> pd.DataFrame:
    ledger = read(data_dir, "ledger")
    channel = read(data_dir, "channel", CHANNEL_COLUMNS)
    gateway = read(data_dir, "gateway")
    invoices = read(data_dir, "invoices")
    for frame in (ledger, channel, gateway, invoices):
        for col in ("amount", "fee"):
            if col in frame:
                # exact money as whole cents in int64: fast and never floating point
                frame[col] = (frame[col].map(Decimal) * 100).astype("int64")

    firsts = (
        pd.concat(
            [
                ledger[["txn_ref", "posted_at"]].set_axis(["txn_ref", "ts"], axis=1),
                channel[["txn_ref", "requested_at"]].dropna().set_axis(["txn_ref", "ts"], axis=1),
                gateway[["txn_ref", "gateway_at"]].set_axis(["txn_ref", "ts"], axis=1),
                invoices[["txn_ref", "issued_at"]].set_axis(["txn_ref", "ts"], axis=1),
            ]
        )
        .groupby("txn_ref")["ts"]
        .min()
    )
    live = set(firsts[firsts < cutoff - pd.Timedelta(minutes=grace)].index)

    posted_reversals = ledger[(ledger.status == "POSTED") & ledger.reversal_of.notna()]
    reversed_ids = set(posted_reversals.reversal_of)
    booked = ledger[
        (ledger.direction == "D")
        & (ledger.status == "POSTED")
        & ~ledger.entry_id.isin(reversed_ids)
        & ledger.txn_ref.isin(live)
    ].merge(
        channel[["request_id", "idempotency_key", "credit_account", "status"]].rename(
            columns={"credit_account": "payee", "status": "ch_status"}
        ),
        on="request_id",
        how="left",
        suffixes=("", "_ch"),
    )
    order = ["posted_at", "entry_id"]
    same = pd.concat(
        [
            first_extra(booked, ["request_id"], order),
            first_extra(booked, ["idempotency_key"], order),
            first_extra(booked, ["txn_ref", "account_id", "amount"], order),
        ]
    ).drop_duplicates("entry_id")

    pairs = booked.merge(booked, on=["account_id", "payee", "amount"], suffixes=("_a", "_b"))
    later = (pairs.posted_at_a < pairs.posted_at_b) | (
        (pairs.posted_at_a == pairs.posted_at_b) & (pairs.entry_id_a < pairs.entry_id_b)
    )
    pairs = pairs[
        later
        & (pairs.posted_at_b <= pairs.posted_at_a + pd.Timedelta(minutes=window))
        & (pairs.request_id_a != pairs.request_id_b)
        & (
            pairs.idempotency_key_a.isna()
            | pairs.idempotency_key_b.isna()
            | (pairs.idempotency_key_a != pairs.idempotency_key_b)
        )
        & (pairs.ch_status_a.fillna("") != "SUCCESS")
        & ~pairs.entry_id_b.isin(set(same.entry_id))
    ]
    retry = pairs.drop_duplicates("entry_id_b")[["entry_id_b", "txn_ref_b"]]
    retry.columns = ["entry_id", "txn_ref"]

    dup_ids = set(same.entry_id) | set(retry.entry_id)
    counted = booked[~booked.entry_id.isin(dup_ids)]
    debits = counted.groupby("txn_ref").agg(debit=("amount", "sum"), amount=("amount", "min"))
    credit_rows = ledger[
        (ledger.direction == "C")
        & (ledger.status == "POSTED")
        & ledger.reversal_of.isna()
        & ~ledger.entry_id.isin(reversed_ids)
    ]
    credits = credit_rows.groupby("txn_ref")["amount"].sum()

    g = gateway[gateway.txn_ref.isin(live)]
    ok = g[g.status == "SUCCESS"].sort_values(["gateway_at", "gateway_ref"])
    success = set(ok.txn_ref)
    paid = ok.drop_duplicates("txn_ref").set_index("txn_ref")
    external = set(ledger[(ledger.direction == "C") & ledger.account_id.isin(CLEARING)].txn_ref)
    external |= set(gateway.txn_ref)
    booked_refs = set(booked.txn_ref)

    inv = invoices[(invoices.status == "ISSUED") & invoices.txn_ref.isin(live)].sort_values(
        ["issued_at", "invoice_id"]
    )
    issued_refs = set(inv.txn_ref)
    reversed_debit_refs = set(
        ledger[(ledger.direction == "D") & ledger.entry_id.isin(reversed_ids)].txn_ref
    )

    parts: list[pd.DataFrame] = []

    def add(type_: str, subtype: str, refs: pd.Series | pd.Index) -> None:
        parts.append(pd.DataFrame({"type": type_, "subtype": subtype, "txn_ref": list(refs)}))

    add("DUPLICATE_DEBIT", "SAME_REQUEST", same.txn_ref)
    add("DUPLICATE_DEBIT", "SUSPECTED_RETRY", retry.txn_ref)
    add(
        "DUPLICATE_DEBIT", "GATEWAY_DOUBLE_CHARGE", ok[ok.groupby("txn_ref").cumcount() > 0].txn_ref
    )
    joined = debits.join(credits.rename("credit"), how="left")
    add(
        "HALF_COMPLETED",
        "DEBIT_WITHOUT_CREDIT",
        joined.index[joined.debit > joined.credit.fillna(0)],
    )
    pending = ledger[
        (ledger.status == "PENDING")
        & (ledger.posted_at < cutoff - pd.Timedelta(minutes=sla))
        & ledger.txn_ref.isin(live)
    ]
    add("HALF_COMPLETED", "STUCK_PENDING", pending.txn_ref.drop_duplicates())
    refs = debits.index
    add(
        "HALF_COMPLETED",
        "BOOKED_GATEWAY_FAILED",
        refs[refs.isin(external) & ~refs.isin(success)],
    )
    add("HALF_COMPLETED", "GATEWAY_NOT_BOOKED", sorted(success - booked_refs))
    told_ok = channel[(channel.status == "SUCCESS") & channel.txn_ref.isin(live)]
    add(
        "HALF_COMPLETED",
        "CHANNEL_SUCCESS_NOT_BOOKED",
        told_ok.txn_ref[~told_ok.txn_ref.isin(booked_refs)],
    )
    told_failed = channel[channel.status.isin(["FAILED", "TIMEOUT"])]
    failed_booked = told_failed.merge(counted, on="request_id", suffixes=("_c", ""))
    add("HALF_COMPLETED", "CHANNEL_FAILED_BUT_BOOKED", failed_booked.txn_ref.drop_duplicates())
    with_paid = debits.join(paid[["amount"]].rename(columns={"amount": "paid"}), how="inner")
    add("AMOUNT_MISMATCH", "LEDGER_GATEWAY", with_paid.index[with_paid.amount != with_paid.paid])
    required = paid.invoice_required.isna() | (paid.invoice_required == True)  # noqa: E712
    add(
        "INVOICE",
        "MISSING",
        paid.index[paid.index.isin(refs) & required & ~paid.index.isin(issued_refs)],
    )
    inv_paid = inv.merge(paid[["amount"]].rename(columns={"amount": "paid"}), on="txn_ref")
    add("INVOICE", "AMOUNT_MISMATCH", inv_paid[inv_paid.amount != inv_paid.paid].txn_ref)
    failed = ~inv.txn_ref.isin(success) | inv.txn_ref.isin(reversed_debit_refs)
    add("INVOICE", "ON_FAILED_PAYMENT", inv.txn_ref[failed])
    add("INVOICE", "DUPLICATE", inv[inv.groupby("txn_ref").cumcount() > 0].txn_ref)
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--cutoff", required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    found = findings(a.data_dir, pd.Timestamp(a.cutoff), grace=30, sla=30, window=10)
    found.to_csv(a.out, index=False)
    print(f"pandas: {len(found)} findings in {a.out}")


if __name__ == "__main__":
    main()
