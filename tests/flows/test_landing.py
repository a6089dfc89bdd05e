"""Pulling extracts: which files count, where they land, what is missing, and the checksums."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon.errors import ConfigError, ExtractNotReadyError
from recon.landing import (
    Landing,
    dates_touched,
    end_of_date,
    landing_location,
    previous_business_date,
    pull_extracts,
    run_file_name,
    source_of,
)

SHANGHAI = "Asia/Shanghai"


def _landing(folder, names):
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(f"content of {name}\n", encoding="utf-8")
    return folder


def test_previous_business_date_is_yesterday_in_the_configured_zone():
    # 17:00 UTC on the 15th is already 01:00 on the 16th in Shanghai
    now = datetime(2024, 3, 15, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert previous_business_date(now, "UTC") == date(2024, 3, 14)
    assert previous_business_date(now, SHANGHAI) == date(2024, 3, 15)


def test_end_of_date_is_the_next_midnight_in_the_zone():
    cutoff = end_of_date(date(2024, 3, 15), SHANGHAI)
    assert cutoff.isoformat() == "2024-03-16T00:00:00+08:00"


def test_dates_touched_by_a_window_are_counted_in_the_configured_zone():
    start = datetime(2024, 3, 15, 15, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 in Shanghai
    end = datetime(2024, 3, 15, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 next day there
    assert dates_touched(start, end, "UTC") == [date(2024, 3, 15)]
    assert dates_touched(start, end, SHANGHAI) == [date(2024, 3, 15), date(2024, 3, 16)]


def test_a_window_ending_before_it_starts_is_refused():
    start = datetime(2024, 3, 15, 12, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(ConfigError, match="before its start"):
        dates_touched(start, start.replace(hour=11), "UTC")


def test_landing_template_takes_an_iso_date_or_a_date_format():
    day = date(2024, 3, 15)
    assert landing_location("landing/{date}", day) == "landing/2024-03-15"
    assert landing_location("s3://bank/in/{date:%Y%m%d}", day) == "s3://bank/in/20240315"


def test_landing_template_with_an_unknown_placeholder_names_the_template():
    with pytest.raises(ConfigError, match=r"landing/\{day\}"):
        landing_location("landing/{day}", date(2024, 3, 15))


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("ledger.csv", "ledger"),
        ("ledger_part2.parquet", "ledger"),
        ("channel.jsonl", "channel"),
        ("ledger.csv.control.json", "ledger"),
        ("invoices.csv", "invoices"),
        ("readme.txt", None),
        ("ledger.csv.tmp", None),
        ("summary.json", None),
    ],
)
def test_source_of_a_file_is_its_name_prefix_with_a_data_suffix(name, source):
    assert source_of(name) == source


def test_run_file_name_puts_the_tag_after_the_source():
    assert run_file_name("ledger.csv", "ledger", "2024-03-15") == "ledger_2024-03-15.csv"
    assert run_file_name("ledger_part2.csv", "ledger", "2024-03-15") == (
        "ledger_2024-03-15_part2.csv"
    )
    assert run_file_name("ledger.csv.control.json", "ledger", "2024-03-15") == (
        "ledger_2024-03-15.csv.control.json"
    )
    assert run_file_name("ledger.csv", "ledger", None) == "ledger.csv"


def test_tagged_names_sort_by_date_then_by_the_landing_order():
    names = [
        run_file_name(name, "ledger", tag)
        for tag in ("2024-03-16", "2024-03-15")
        for name in ("ledger_part2.csv", "ledger.csv")
    ]
    assert sorted(names) == [
        "ledger_2024-03-15.csv",
        "ledger_2024-03-15_part2.csv",
        "ledger_2024-03-16.csv",
        "ledger_2024-03-16_part2.csv",
    ]


def test_pull_copies_extracts_and_sidecars_and_records_checksums(tmp_path):
    landing = _landing(
        tmp_path / "landing",
        ["ledger.csv", "ledger.csv.control.json", "channel.csv", "gateway.csv", "notes.txt"],
    )
    data_dir = tmp_path / "run" / "data"
    pulled = pull_extracts([Landing(str(landing))], data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == [
        "channel.csv",
        "gateway.csv",
        "ledger.csv",
        "ledger.csv.control.json",
    ]
    ledger = next(p for p in pulled if p.name == "ledger.csv")
    expected = hashlib.sha256(b"content of ledger.csv\n").hexdigest()
    assert (ledger.source, ledger.sha256, ledger.bytes) == ("ledger", expected, 22)
    manifest = json.loads((tmp_path / "run" / "pulled.json").read_text(encoding="utf-8"))
    assert {row["name"]: row["sha256"] for row in manifest["files"]}["ledger.csv"] == expected


def test_pull_names_each_missing_required_source_and_the_location(tmp_path):
    landing = _landing(tmp_path / "landing", ["channel.csv", "ledger.csv.control.json"])
    with pytest.raises(ExtractNotReadyError) as info:
        pull_extracts([Landing(str(landing))], tmp_path / "run" / "data")
    assert info.value.missing == {str(landing): ("ledger", "gateway")}
    assert f"{landing} has no ledger, gateway extract" in str(info.value)
    assert not (tmp_path / "run").exists()


def test_a_landing_folder_that_does_not_exist_yet_misses_every_required_source(tmp_path):
    with pytest.raises(ExtractNotReadyError) as info:
        pull_extracts([Landing(str(tmp_path / "nowhere"))], tmp_path / "run" / "data")
    assert info.value.missing == {str(tmp_path / "nowhere"): ("ledger", "channel", "gateway")}


def test_invoices_are_optional(tmp_path):
    landing = _landing(tmp_path / "landing", ["ledger.csv", "channel.csv", "gateway.csv"])
    pulled = pull_extracts([Landing(str(landing))], tmp_path / "run" / "data")
    assert {p.source for p in pulled} == {"ledger", "channel", "gateway"}


def test_pull_from_several_dates_tags_each_file_with_its_date(tmp_path):
    names = ["ledger.csv", "ledger.csv.control.json", "channel.csv", "gateway.csv"]
    day1 = _landing(tmp_path / "2024-03-15", names)
    day2 = _landing(tmp_path / "2024-03-16", names)
    data_dir = tmp_path / "run" / "data"
    pull_extracts([Landing(str(day1), "2024-03-15"), Landing(str(day2), "2024-03-16")], data_dir)
    assert "ledger_2024-03-16.csv.control.json" in {p.name for p in data_dir.iterdir()}
    assert (data_dir / "ledger_2024-03-15.csv").read_text(encoding="utf-8") == (
        "content of ledger.csv\n"
    )
    assert len(list(data_dir.iterdir())) == 8


def test_pull_reads_any_fsspec_url(tmp_path):
    fs = fsspec.filesystem("memory")
    for name in ("ledger.csv", "channel.csv", "gateway.csv"):
        fs.pipe(f"/landing-test/2024-03-15/{name}", b"x\n")
    pulled = pull_extracts([Landing("memory://landing-test/2024-03-15")], tmp_path / "data")
    assert sorted(p.origin for p in pulled)[0] == "memory:///landing-test/2024-03-15/channel.csv"
    assert (tmp_path / "data" / "gateway.csv").read_bytes() == b"x\n"


def test_a_landing_url_with_an_unknown_protocol_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="nosuch://bank/2024-03-15"):
        pull_extracts([Landing("nosuch://bank/2024-03-15")], tmp_path / "data")


_suffixes = st.sampled_from(["", "_part2", "_b", "-x", "_2024"])
_exts = st.sampled_from([".csv", ".parquet", ".jsonl", ".csv.control.json"])


@given(
    names=st.lists(st.tuples(_suffixes, _exts), min_size=1, max_size=6, unique=True),
    days=st.lists(
        st.dates(date(2020, 1, 1), date(2030, 12, 31)), min_size=1, max_size=3, unique=True
    ),
)
def test_tagged_files_read_in_date_order_then_landing_order(names, days):
    """Name order of the run folder = date order, then each landing folder's own name order."""
    files = [f"ledger{suffix}{ext}" for suffix, ext in names]
    tagged = [(day, name) for day in days for name in files]
    by_run_name = sorted(
        tagged, key=lambda item: run_file_name(item[1], "ledger", item[0].isoformat())
    )
    assert by_run_name == sorted(tagged)


@given(
    # hypothesis takes naive bounds and attaches the zone itself
    start=st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),  # noqa: DTZ001
    minutes=st.integers(0, 5 * 24 * 60),
    zone=st.sampled_from(["UTC", SHANGHAI, "America/New_York", "Pacific/Chatham"]),
)
def test_dates_touched_are_consecutive_from_the_start_date_to_the_end_date(start, minutes, zone):
    end = start + timedelta(minutes=minutes)
    days = dates_touched(start, end, zone)
    assert days[0] == start.astimezone(ZoneInfo(zone)).date()
    assert days[-1] == end.astimezone(ZoneInfo(zone)).date()
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))
