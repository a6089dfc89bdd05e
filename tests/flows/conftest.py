"""Prefect's test harness for the flow tests: one temporary server for the whole session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect API and database (about 10 s once); flow runs then cost 1-2 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def prefect_client(prefect_harness):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        yield client
