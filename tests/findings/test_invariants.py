"""Properties that hold for any extracts: unique ids, nothing in flight, sound money."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from recon.db import connect

from .working import CLEARING, Extracts, find

EVIDENCE_ITEM = re.compile(r"^(ledger|channel|gateway|invoices):\S+$")

transfer = st.fixed_dictionaries(
    {
        "time": st.sampled_from(["09:00", "09:05", "23:20", "23:40"]),
        "amount": st.sampled_from(["100.00", "36.50", "730.00"]),
        "told": st.sampled_from(["SUCCESS", "FAILED", "TIMEOUT", "PENDING", None]),
        "debit": st.sampled_from(["POSTED", "PENDING", "FAILED", None]),
        "debits": st.integers(min_value=1, max_value=2),
        "credit": st.sampled_from(["POSTED", "PENDING", None]),
        "external": st.booleans(),
        "reversed": st.booleans(),
        "gateway": st.lists(st.sampled_from(["SUCCESS", "FAILED", "REFUNDED"]), max_size=2),
        "invoices": st.integers(min_value=0, max_value=2),
        "same_request_as": st.sampled_from([None, 0]),
    }
)


def build(con, transfers: list[dict]) -> Extracts:
    x = Extracts(con)
    for n, t in enumerate(transfers):
        txn, amount, time = f"T{n}", t["amount"], t["time"]
        request = f"R{t['same_request_as']}" if t["same_request_as"] is not None else f"R{n}"
        if t["told"] and request == f"R{n}":
            x.request(request, amount, time, status=t["told"], txn_ref=txn)
        if t["debit"]:
            for d in range(t["debits"]):
                x.ledger(f"E{n}D{d}", txn, "A1", "D", amount, time, status=t["debit"],
                         request_id=request)  # fmt: skip
            if t["reversed"]:
                x.ledger(f"E{n}R", txn, "A1", "C", amount, f"{time}:30", reversal_of=f"E{n}D0")
        if t["credit"]:
            payee = CLEARING if t["external"] else "B1"
            x.ledger(f"E{n}C", txn, payee, "C", amount, time, status=t["credit"],
                     request_id=request)  # fmt: skip
        for g, status in enumerate(t["gateway"]):
            x.payment(f"G{n}-{g}", txn, amount, f"{time}:{10 + g}", status=status)
        for i in range(t["invoices"]):
            x.invoice(f"I{n}-{i}", txn, amount, f"{time}:{20 + i}")
    return x


@settings(max_examples=40, deadline=None)
@given(transfers=st.lists(transfer, min_size=1, max_size=4))
def test_findings_are_unique_evaluated_and_sound(transfers):
    con = connect()
    try:
        build(con, transfers)
        rows = find(con)
        evaluated = {r for (r,) in con.execute("SELECT txn_ref FROM evaluated_txn_refs").fetchall()}
        ids = [r["exception_id"] for r in rows]
        assert len(ids) == len(set(ids))
        for r in rows:
            assert r["txn_ref"] in evaluated
            assert r["amount"] >= 0
            assert r["compensation"] >= 0
            assert r["compensation"] == r["compensation"].quantize(Decimal("0.01"))
            assert all(EVIDENCE_ITEM.match(item) for item in r["evidence"].split(";"))
        in_flight = {f"T{n}" for n, t in enumerate(transfers) if t["time"] >= "23:30"}
        assert not in_flight & {r["txn_ref"] for r in rows}
        assert not in_flight & evaluated
    finally:
        con.close()
