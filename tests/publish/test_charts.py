"""The inline SVG timeline: shaded windows, stacked counts, escaped labels."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from recon.publish.charts import Timeline, nice_ceiling, timeline_svg

START = datetime(2024, 3, 15, 11, 0)  # noqa: DTZ001 - charts take local wall-clock times


def chart(**kw) -> Timeline:
    starts = tuple(START + timedelta(minutes=5 * i) for i in range(12))
    defaults = {
        "starts": starts,
        "minutes": 5,
        "findings": {"HALF_COMPLETED": [0] * 4 + [7, 3] + [0] * 6},
        "failures": [1] * 4 + [60, 50] + [1] * 6,
        "windows": [(START + timedelta(minutes=20), START + timedelta(minutes=30))],
        "label": "times in UTC",
    }
    return Timeline(**{**defaults, **kw})


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (240, 500)]
)
def test_axis_top_is_the_next_round_number(value, top):
    assert nice_ceiling(value) == top


def test_outage_window_is_shaded_and_labelled_with_its_times():
    svg = timeline_svg(chart())
    assert 'class="outage"' in svg
    assert "outage 11:20\u201311:30" in svg


def test_each_bar_says_its_bucket_and_count():
    svg = timeline_svg(chart())
    assert "<title>11:20\u201311:25: 7 HALF_COMPLETED</title>" in svg
    assert "<title>11:25\u201311:30: 3 HALF_COMPLETED</title>" in svg


def test_type_names_are_escaped():
    svg = timeline_svg(chart(findings={"<b>X</b>": [1] * 12}))
    assert "<b>X</b>" not in svg
    assert "&lt;b&gt;X&lt;/b&gt;" in svg


def test_without_channel_data_there_is_no_failure_line():
    svg = timeline_svg(chart(failures=None))
    assert "<polyline" not in svg
    assert "failed or timed-out" not in svg


def test_no_buckets_gives_a_sentence_instead_of_an_empty_chart():
    assert "No timestamps" in timeline_svg(chart(starts=(), findings={}, failures=[]))
