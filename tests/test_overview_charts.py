"""The Overview's time axes: one band per period, each labelled at its middle, not its start."""

from datetime import UTC, datetime, timedelta

from a2e.ui.overview_charts import success_rate_chart, tasks_chart
from a2e.views.overview import per_period_frame

NOW = datetime(2026, 11, 27, 7, 55, tzinfo=UTC)
PRIMARY = "#6c47ff"


def _x(chart) -> dict:
    return chart.to_dict()["encoding"]["x"]


def _moments(values: list[dict]) -> list[tuple[int, int, int, int]]:
    return [(v["year"], v["month"], v["date"], v.get("hours", 0)) for v in values]


def test_each_day_is_labelled_at_its_middle_so_the_last_bar_reads_today():
    frame = per_period_frame([], NOW - timedelta(days=7), NOW, UTC)
    x = _x(tasks_chart(frame, "day", PRIMARY))
    assert _moments(x["axis"]["values"]) == [(2026, 11, day, 12) for day in range(20, 28)]
    assert x["axis"]["format"] == "%d %b"
    assert _moments(x["scale"]["domain"]) == [(2026, 11, 20, 0), (2026, 11, 28, 0)]


def test_each_hour_is_labelled_on_the_hour_at_its_middle():
    frame = per_period_frame([], NOW - timedelta(hours=24), NOW, UTC)
    x = _x(tasks_chart(frame, "hour", PRIMARY))
    values = x["axis"]["values"]
    assert len(values) == 25
    assert {v["minutes"] for v in values} == {30}
    assert x["axis"]["format"] == "%H:00"


def test_the_success_rate_line_spans_the_bars_window_even_with_few_finished_days():
    frame = per_period_frame([], NOW - timedelta(days=7), NOW, UTC)
    finished_days = frame["period"].drop_duplicates().iloc[2:4]
    frame.loc[frame["period"].isin(finished_days) & (frame["outcome"] == "Completed"), "tasks"] = 1
    bars = _x(tasks_chart(frame, "day", PRIMARY))
    line = _x(success_rate_chart(frame, "day", PRIMARY))
    assert line["scale"]["domain"] == bars["scale"]["domain"]
    assert line["axis"]["values"] == bars["axis"]["values"]
    assert line["bandPosition"] == 0.5, "points sit mid-period, over the bars' labels"
