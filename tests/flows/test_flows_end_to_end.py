"""Both flows on the bundled sample day under Prefect's test harness: outputs, store, artifacts.

One nightly run and one incident rerun (same store) are shared by the tests of this module:
each costs a few seconds, every test reads a different consequence of them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from recon.cli import main
from recon.config import load_config
from recon.db import connect
from recon.pipeline import run_reconciliation

pytestmark = pytest.mark.slow

DAY = date(2024, 3, 15)
INCIDENT = "INC-0315"
# the sample day's outage is at 11:20 for ten minutes (sample_data/README.md)
WINDOW = ("2024-03-15T11:20:00Z", "2024-03-15T11:30:00Z")
MARGIN = 30


@pytest.fixture(scope="module")
def scenario(sample_dir, tmp_path_factory):
    """A landing folder for 2024-03-15 holding the sample extracts, and a config for it."""
    root = tmp_path_factory.mktemp("flows")
    shutil.copytree(sample_dir / "data", root / "landing" / DAY.isoformat())
    config = root / "recon.toml"
    config.write_text(
        (sample_dir / "recon.toml").read_text(encoding="utf-8")
        + f'landing = "{root}/landing/{{date}}"\nstore = "{root}/recon.duckdb"\n'
        + "pull_deadline_minutes = 0\n",
        encoding="utf-8",
    )
    return root, config


@pytest.fixture(scope="module")
def sample_dir():
    """The bundled sample day (sample_data/: data, recon.toml, truth), an outage at 11:20."""
    return Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def nightly_run(prefect_harness, scenario):
    from flows.nightly import nightly

    root, config = scenario
    state = nightly(
        business_date=DAY, config_path=str(config), runs_dir=str(root / "runs"), return_state=True
    )
    return state, state.result()


@pytest.fixture(scope="module")
def incident_run(nightly_run, scenario):
    root, config = scenario
    code = main(
        [
            *("incident", "--id", INCIDENT, "--start", WINDOW[0], "--end", WINDOW[1]),
            *("--margin", str(MARGIN), "--config", str(config), "--runs-dir", str(root / "runs")),
        ]
    )
    (impact,) = root.glob("runs/*/out/incident_impact.json")
    return code, json.loads(impact.read_text(encoding="utf-8")), impact.parent


def _artifacts(client, flow_run_id):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    found = client.read_artifacts(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    )
    return {artifact.key: artifact for artifact in found}


def _latest_artifact(client, key):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    (artifact,) = client.read_artifacts(
        artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
        sort=ArtifactSort.CREATED_DESC,
        limit=1,
    )
    return artifact


def _exception_ids(out_dir):
    with (Path(out_dir) / "exceptions.csv").open(encoding="utf-8") as handle:
        return {row["exception_id"] for row in csv.DictReader(handle)}


def test_nightly_reconciles_the_business_date_and_reports_findings(nightly_run, sample_dir):
    state, result = nightly_run
    truth = json.loads((sample_dir / "truth" / "truth.json").read_text(encoding="utf-8"))
    assert state.is_completed()
    assert result["exit_code"] == 1
    assert result["open_total"] == truth["findings_total"]
    assert len(_exception_ids(result["out_dir"])) == truth["findings_total"]
    summary = json.loads((Path(result["out_dir"]) / "summary.json").read_text(encoding="utf-8"))
    assert summary["cutoff"].startswith("2024-03-16T00:00:00")


def test_nightly_says_what_memory_its_working_database_had(nightly_run):
    _state, result = nightly_run
    summary = json.loads((Path(result["out_dir"]) / "summary.json").read_text(encoding="utf-8"))
    assert summary["resources"]["memory_limit"]
    assert summary["resources"]["chosen_by"]


def test_nightly_finds_what_recon_run_finds_on_the_same_data(nightly_run, scenario, tmp_path):
    _state, result = nightly_run
    root, config = scenario
    direct = run_reconciliation(
        root / "landing" / DAY.isoformat(),
        tmp_path / "out",
        load_config(config, store=str(tmp_path / "other.duckdb")),
    )
    assert _exception_ids(result["out_dir"]) == _exception_ids(direct.out_dir)


def test_nightly_records_the_checksum_of_every_pulled_file(nightly_run, scenario):
    _state, result = nightly_run
    manifest = Path(result["out_dir"]).parent / "pulled.json"
    files = {row["name"]: row for row in json.loads(manifest.read_text())["files"]}
    landed = scenario[0] / "landing" / DAY.isoformat() / "ledger_part2.csv"
    assert files["ledger_part2.csv"]["sha256"] == hashlib.sha256(landed.read_bytes()).hexdigest()
    assert set(files) == {p.name for p in landed.parent.iterdir()}


def test_nightly_shows_counts_summary_and_report_link_as_artifacts(nightly_run, prefect_client):
    state, result = nightly_run
    artifacts = _artifacts(prefect_client, state.state_details.flow_run_id)
    assert set(artifacts) == {
        "recon-nightly-findings",
        "recon-nightly-summary",
        "recon-nightly-report",
    }
    table = artifacts["recon-nightly-findings"].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert sum(row["open"] for row in rows) == result["open_total"]
    summary = artifacts["recon-nightly-summary"].data
    assert f"**{result['open_total']} open findings**" in summary
    assert "Largest open cases" in summary
    link = artifacts["recon-nightly-report"].data  # stored as a markdown link
    assert link.startswith("[report.html of run-")
    assert link.endswith("/out/report.html)")


def test_incident_rerun_keeps_only_findings_inside_the_window(incident_run, scenario):
    _code, impact, _out = incident_run
    con = connect(scenario[0] / "recon.duckdb", read_only=True)
    ((first, last, tagged),) = con.sql(
        """SELECT min(e.event_at), max(e.event_at), count(*)
           FROM incident_tags t JOIN exceptions e USING (exception_id)
           WHERE t.incident_id = $id""",
        params={"id": INCIDENT},
    ).fetchall()
    con.close()
    assert tagged == impact["totals"]["findings"] > 0
    assert first.isoformat() >= impact["window"]["from"]
    assert last.isoformat() <= impact["window"]["to"]


def test_incident_rerun_heals_nothing_outside_its_window(incident_run, scenario, nightly_run):
    _code, impact, _out = incident_run
    con = connect(scenario[0] / "recon.duckdb", read_only=True)
    statuses = dict(con.sql("SELECT status, count(*) FROM exceptions GROUP BY ALL").fetchall())
    con.close()
    # the nightly run saw every finding of the day; the rerun saw the same data again
    assert statuses == {"OPEN": nightly_run[1]["open_total"]}
    assert impact["totals"]["healed_findings"] == 0


def test_incident_command_exits_like_recon_run_and_writes_the_impact_report(incident_run):
    code, impact, out = incident_run
    assert code == 1
    assert impact["incident_id"] == INCIDENT
    assert (out / "incident_impact.html").read_text(encoding="utf-8").count("<table>") == 4
    channels = {row["channel"] for row in impact["by_channel"]}
    assert channels
    assert channels <= {"APP", "WEB", "COUNTER", "ATM", "API", "POS", "UNKNOWN"}


def test_incident_rerun_links_its_impact_report(incident_run, prefect_client):
    artifact = _latest_artifact(prefect_client, "incident-inc-0315-incident-impact")
    assert artifact.data.endswith("/out/incident_impact.html)")


def test_nightly_command_with_a_missing_extract_exits_2_naming_it(
    prefect_harness, scenario, tmp_path, capsys
):
    _root, config = scenario
    code = main(
        [
            *("nightly", "--date", "2024-03-14", "--config", str(config)),
            *("--runs-dir", str(tmp_path / "runs"), "--store", str(tmp_path / "s.duckdb")),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "could not reconcile" in err
    assert "landing/2024-03-14 has no ledger, channel, gateway extract" in err
