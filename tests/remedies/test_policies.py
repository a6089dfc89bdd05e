"""`[[compensation.policies]]`: each policy's amount checked by hand, combined and capped.

The cutoff is 2024-03-16 00:00 UTC throughout; money held since 2024-03-13 12:00 is held
2.5 days, which counts as 3 whole days.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from recon.config import CompensationPolicy, config_from_mapping
from recon.errors import ConfigError
from recon.model import DetectionParams
from recon.publish.exports import write_compensation
from recon.remedies import apply_policies, compensation_by_customer

CUTOFF = datetime(2024, 3, 16, tzinfo=UTC)
HELD_SINCE = "2024-03-13 12:00:00+00"  # 3 days to the cutoff (2.5, rounded up)


def findings(con, rows: list[dict]) -> None:
    """A hand-made `findings` table (what recon/findings leaves) and its compensation_basis."""
    con.execute(
        "CREATE TABLE findings (exception_id VARCHAR, finding_key VARCHAR, type VARCHAR,"
        " subtype VARCHAR, txn_ref VARCHAR, customer_id VARCHAR, amount DECIMAL(18,2),"
        " currency VARCHAR, evidence VARCHAR, event_at TIMESTAMPTZ, compensation DECIMAL(18,2))"
    )
    con.execute(
        "CREATE TABLE compensation_basis (finding_key VARCHAR, held_amount DECIMAL(38,2),"
        " held_since TIMESTAMPTZ)"
    )
    con.execute("CREATE TABLE gateway (gateway_ref VARCHAR, txn_ref VARCHAR, fee DECIMAL(18,2))")
    for n, r in enumerate(rows, 1):
        kind, subtype = r.get("finding", "HALF_COMPLETED/DEBIT_WITHOUT_CREDIT").split("/")
        con.execute(
            "INSERT INTO findings VALUES ($id, $key, $type, $subtype, $txn, $customer,"
            " $amount, 'CNY', $evidence, $since, 9.99)",
            {"id": f"EX-{n}", "key": f"K{n}", "type": kind, "subtype": subtype,
             "txn": r.get("txn", f"T{n}"), "customer": r.get("customer", "C1"),
             "amount": Decimal(r.get("amount", "1000.00")), "evidence": r.get("evidence", ""),
             "since": r.get("since", HELD_SINCE)},
        )  # fmt: skip
        held = r.get("held", r.get("amount", "1000.00"))
        con.execute(
            "INSERT INTO compensation_basis VALUES ($key, $held, $since)",
            {"key": f"K{n}", "held": None if held is None else Decimal(held),
             "since": r.get("since", HELD_SINCE)},
        )  # fmt: skip
    for ref, fee in [("GW1", "2.50"), ("GW2", "0.00")]:
        con.execute("INSERT INTO gateway VALUES ($r, 'T', $f)", {"r": ref, "f": Decimal(fee)})


def priced(con, *policies: dict, **top) -> dict[str, Decimal]:
    """Apply the policies given as TOML tables; each exception's compensation."""
    config = config_from_mapping({**top, "compensation": {"policies": list(policies)}})
    apply_policies(con, DetectionParams(cutoff=CUTOFF, policy=config.policy))
    return dict(con.execute("SELECT exception_id, compensation FROM findings").fetchall())


def lines(con) -> list[tuple]:
    return con.execute(
        "SELECT exception_id, policy, days, compensation FROM compensation_lines"
        " ORDER BY exception_id, position"
    ).fetchall()


def test_interest_is_the_held_amount_at_the_annual_rate_for_whole_days(con):
    findings(con, [{}])
    # 1000.00 * 0.05 * 3 / 365 = 0.41095... -> 0.41
    assert priced(con, {"kind": "interest"}) == {"EX-1": Decimal("0.41")}
    assert lines(con) == [("EX-1", "interest", 3, Decimal("0.41"))]


def test_interest_takes_its_own_rate_and_day_basis(con):
    findings(con, [{}])
    # 1000.00 * 0.10 * 3 / 360 = 0.8333... -> 0.83
    rule = {"kind": "interest", "annual_rate": "0.10", "day_basis": 360}
    assert priced(con, rule) == {"EX-1": Decimal("0.83")}


def test_a_finding_holding_no_money_earns_no_interest(con):
    findings(con, [{"finding": "HALF_COMPLETED/CHANNEL_FAILED_BUT_BOOKED", "held": None}])
    assert priced(con, {"kind": "interest"}) == {"EX-1": Decimal("0.00")}
    assert lines(con) == []


def test_per_day_after_tat_pays_each_day_past_the_turnaround(con):
    findings(con, [{}])
    # 3 days held, T+1: 2 days late, 10.00 a day
    rule = {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1,
            "per_day": "10.00"}  # fmt: skip
    assert priced(con, rule) == {"EX-1": Decimal("20.00")}
    assert lines(con) == [("EX-1", "per_day_after_tat", 2, Decimal("20.00"))]


def test_per_day_after_tat_stops_at_its_cap(con):
    findings(con, [{}])
    rule = {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 0,
            "per_day": "10.00", "cap": "25.00"}  # fmt: skip
    assert priced(con, rule) == {"EX-1": Decimal("25.00")}  # 3 * 10.00 = 30.00, capped


def test_per_day_after_tat_pays_nothing_within_the_turnaround(con):
    findings(con, [{}])
    rule = {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 3,
            "per_day": "10.00"}  # fmt: skip
    assert priced(con, rule) == {"EX-1": Decimal("0.00")}


def test_a_policy_applies_only_to_the_finding_types_it_names(con):
    findings(con, [{}, {"finding": "DUPLICATE_DEBIT/SAME_REQUEST"}])
    rule = {"kind": "per_day_after_tat", "applies_to": ["DUPLICATE_DEBIT/SAME_REQUEST"],
            "tat_days": 1, "per_day": "10.00"}  # fmt: skip
    assert priced(con, rule) == {"EX-1": Decimal("0.00"), "EX-2": Decimal("20.00")}


def test_a_transfer_two_findings_point_at_is_paid_per_day_once(con):
    findings(
        con,
        [{"finding": "HALF_COMPLETED/BOOKED_GATEWAY_FAILED", "txn": "T9"},
         {"finding": "HALF_COMPLETED/STUCK_PENDING", "txn": "T9", "held": None}],
    )  # fmt: skip
    rule = {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1,
            "per_day": "10.00"}  # fmt: skip
    assert priced(con, rule) == {"EX-1": Decimal("20.00"), "EX-2": Decimal("0.00")}


def test_fee_refund_pays_back_the_fee_of_the_gateway_record_named_first(con):
    findings(
        con,
        [
            {"finding": "DUPLICATE_DEBIT/GATEWAY_DOUBLE_CHARGE",
             "evidence": "gateway:GW1;gateway:GW0"},
            {"finding": "HALF_COMPLETED/BOOKED_GATEWAY_FAILED", "evidence": "gateway:GW2"},
            {"evidence": "ledger:E1"},
        ],
    )  # fmt: skip
    assert priced(con, {"kind": "fee_refund"}) == {
        "EX-1": Decimal("2.50"),
        "EX-2": Decimal("0.00"),  # a fee of 0.00: nothing to refund
        "EX-3": Decimal("0.00"),  # no gateway record
    }


def test_goodwill_flat_per_case_is_capped_per_customer(con):
    findings(con, [{}, {}, {}, {"customer": "C2"}])
    rule = {"kind": "goodwill", "applies_to": ["HALF_COMPLETED"], "amount": "20.00",
            "cap_per_customer": "50.00"}  # fmt: skip
    assert priced(con, rule) == {
        "EX-1": Decimal("20.00"),
        "EX-2": Decimal("20.00"),
        "EX-3": Decimal("10.00"),  # 50.00 - 40.00 left under the cap
        "EX-4": Decimal("20.00"),  # another customer, a cap of their own
    }


def test_goodwill_as_a_percent_of_the_amount_rounds_half_up(con):
    findings(con, [{"amount": "333.33"}])
    # 333.33 * 1.5 / 100 = 4.99995 -> 5.00
    rule = {"kind": "goodwill", "applies_to": ["HALF_COMPLETED"], "percent": "1.5"}
    assert priced(con, rule) == {"EX-1": Decimal("5.00")}


def test_policies_on_one_finding_add_up_line_by_line(con):
    findings(con, [{}])
    total = priced(
        con,
        {"kind": "interest"},
        {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1,
         "per_day": "10.00", "cap": "15.00"},
        {"kind": "goodwill", "name": "apology", "applies_to": ["HALF_COMPLETED"],
         "amount": "5.00"},
    )  # fmt: skip
    assert total == {"EX-1": Decimal("20.41")}  # 0.41 + 15.00 (20.00 capped) + 5.00
    assert lines(con) == [
        ("EX-1", "interest", 3, Decimal("0.41")),
        ("EX-1", "per_day_after_tat", 2, Decimal("15.00")),
        ("EX-1", "apology", None, Decimal("5.00")),
    ]


def test_without_policies_the_default_compensation_stands(con):
    findings(con, [{}])
    apply_policies(con, DetectionParams(cutoff=CUTOFF, policy=CompensationPolicy()))
    assert con.execute("SELECT compensation FROM findings").fetchall() == [(Decimal("9.99"),)]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name ="
                       " 'compensation_lines'").fetchone() == (0,)  # fmt: skip


def test_compensation_csv_explains_each_line_with_policy_days_and_basis(con, tmp_path):
    findings(con, [{}])
    priced(
        con,
        {"kind": "interest"},
        {"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1,
         "per_day": "10.00"},
    )  # fmt: skip
    con.execute(
        "CREATE TEMP TABLE exceptions AS SELECT *, 'OPEN' AS status, 'run-1' AS last_seen_run"
        " FROM findings"
    )
    compensation_by_customer(con)
    with write_compensation(tmp_path, con).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["customer_id"], r["compensation"], r["policy"], r["days"]) for r in rows] == [
        ("C1", "0.41", "interest", "3"),
        ("C1", "20.00", "per_day_after_tat", "2"),
    ]
    assert rows[0]["basis"] == "interest at 0.05 a year on 1000.00 CNY held 3 day(s), 365-day year"
    assert (
        rows[1]["basis"]
        == "10.00 a day for 2 day(s) past T+1 (3 day(s) since 2024-03-13 12:00 UTC)"
    )


@pytest.mark.parametrize(
    ("policy", "named"),
    [
        ({"kind": "refund"}, "#1: kind must be one of interest, per_day_after_tat"),
        ({"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1},
         "#1 (per_day_after_tat): missing key(s) ['per_day']"),
        ({"kind": "per_day_after_tat", "applies_to": ["HALF_COMPLETED"], "tat_days": 1,
          "per_day": "ten"}, "#1 (per_day_after_tat): per_day must be an amount of money"),
        ({"kind": "goodwill", "applies_to": ["HALF"], "amount": "1.00"},
         "#1 (goodwill): applies_to names no finding type: ['HALF']"),
        ({"kind": "goodwill", "applies_to": ["INVOICE"], "amount": "1.00", "percent": 2},
         "#1 (goodwill): give either amount (flat) or percent"),
        ({"kind": "interest", "tat_days": 1}, "#1 (interest): unknown key(s) ['tat_days']"),
        ({"kind": "interest", "day_basis": 0}, "#1 (interest): day_basis must be a whole number"),
    ],
)  # fmt: skip
def test_a_bad_policy_is_refused_naming_the_policy_and_key(policy, named):
    with pytest.raises(ConfigError, match=r"recon\.toml: \[\[compensation\.policies\]\] ") as err:
        config_from_mapping({"compensation": {"policies": [policy]}}, origin="recon.toml")
    assert named in str(err.value)
