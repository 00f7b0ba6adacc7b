"""The Overview's Altair charts, in the theme's colours. Built from ``a2e.views.overview`` frames.

Outcomes keep one colour everywhere: completed in the theme's primary colour, running in a
lighter shade of it, failed in red and unknown in grey. Periods are drawn at the viewer's local
wall-clock time whatever the browser's own zone (each local time is handed to Vega as UTC and
shown as UTC); each period is one band labelled at its middle, so today's bar reads today.
Counts are whole numbers on every axis.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from a2e.views.overview import AGE_BUCKETS, OUTCOMES

OUTCOME_ORDER = list(OUTCOMES.values())
FAILED_RED = "#d6404a"
UNKNOWN_GREY = "#9aa0a6"
STUCK_AMBER = "#e08a00"
HEIGHT = 300
CODES_AXIS, CODE_BAR = 90, 32
LABEL_LIMIT = 260


def lighter(colour: str, share: float = 0.55) -> str:
    """``colour`` (``#rrggbb``) mixed with ``share`` of white."""
    value = colour.lstrip("#")
    if len(value) != 6:
        return colour
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * share) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def outcome_colours(primary: str) -> alt.Scale:
    """The outcome → colour scale shared by every chart."""
    return alt.Scale(
        domain=OUTCOME_ORDER, range=[primary, FAILED_RED, lighter(primary), UNKNOWN_GREY]
    )


def _periods(per_period: pd.DataFrame, period: str) -> pd.DataFrame:
    """``per_period`` with ``at`` (local time marked UTC, for Vega) and a ``when`` label."""
    frame = per_period.copy()
    local = _local_times(frame["period"])
    frame["at"] = local.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame["when"] = local.dt.strftime("%a %d %b %H:00" if period == "hour" else "%a %d %b")
    frame["rank"] = frame["outcome"].map({label: i for i, label in enumerate(OUTCOME_ORDER)})
    return frame


def _local_times(periods: pd.Series) -> pd.Series:
    """The periods' wall-clock times in the viewer's zone, without the zone."""
    local = pd.to_datetime(periods)
    return local.dt.tz_localize(None) if local.dt.tz is not None else local


MAX_AXIS_LABELS = 32


def primary_colour() -> str:
    """The theme's primary colour (Streamlit's default when the theme sets none)."""
    return str(st.get_option("theme.primaryColor") or "#6d4aff")


def _time_axis(per_period: pd.DataFrame, period: str) -> alt.X:
    """Every period of ``per_period`` as one band, labelled at its middle (not its start).

    The scale spans the whole window, so the tasks and the success-rate charts line up.
    """
    hourly = period == "hour"
    step = pd.Timedelta(hours=1) if hourly else pd.Timedelta(days=1)
    starts = pd.Series(_local_times(per_period["period"]).drop_duplicates()).dt.tz_localize("UTC")
    # At most about MAX_AXIS_LABELS labels: a long window (the watcher's history) has hundreds
    # of days, and each label is a schema-checked object.
    every = max(1, -(-len(starts) // MAX_AXIS_LABELS))
    middles = [_vega_time(start + step / 2) for start in list(starts)[::every]]
    domain = [_vega_time(starts.min()), _vega_time(starts.max() + step)] if len(starts) else None
    return alt.X(
        "at:T",
        timeUnit="utcyearmonthdatehours" if hourly else "utcyearmonthdate",
        bandPosition=0.5,
        title=None,
        scale=alt.Scale(domain=domain) if domain else alt.Undefined,
        axis=alt.Axis(
            values=middles,
            format="%H:00" if hourly else "%d %b",
            labelAngle=0,
            labelOverlap="parity",
            labelFlush=False,
            grid=False,
        ),
    )


def _vega_time(moment: pd.Timestamp) -> alt.DateTime:
    """``moment`` as Vega-Lite's date-time object (its axes ignore plain epoch numbers)."""
    return alt.DateTime(
        year=moment.year,
        month=moment.month,
        date=moment.day,
        hours=moment.hour,
        minutes=moment.minute,
        utc=True,
    )


def _titled(chart: alt.Chart, title: str) -> alt.Chart:
    titled: alt.Chart = chart.properties(title=alt.TitleParams(title, anchor="start"))
    return titled


def tasks_chart(per_period: pd.DataFrame, period: str, primary: str) -> alt.Chart:
    """Tasks created per period, stacked by outcome."""
    return _stacked(per_period, period, primary, "tasks", "Tasks", number_format="d")


def coins_chart(per_period: pd.DataFrame, period: str, primary: str) -> alt.Chart:
    """Coins of the tasks created per period, stacked by outcome."""
    return _stacked(per_period, period, primary, "coins", "Coins", number_format=",d")


def _stacked(
    per_period: pd.DataFrame,
    period: str,
    primary: str,
    field: str,
    title: str,
    *,
    number_format: str,
) -> alt.Chart:
    """``field`` per period as bars stacked by outcome, in the theme's colours."""
    chart = (
        alt.Chart(_periods(per_period, period))
        .mark_bar()
        .encode(
            x=_time_axis(per_period, period),
            y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format=number_format, tickMinStep=1)),
            color=alt.Color(
                "outcome:N",
                scale=outcome_colours(primary),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("when:N", title="Created"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip(f"{field}:Q", title=title, format=",.0f"),
            ],
        )
    )
    return _titled(chart, f"{title} per {period}")


def success_rates(per_period: pd.DataFrame) -> pd.DataFrame:
    """``period, finished, rate``: completed ÷ finished per period (periods with none left out)."""
    wide = per_period.pivot_table(
        index="period", columns="outcome", values="tasks", aggfunc="sum", fill_value=0
    )
    completed = wide.get("Completed", pd.Series(0, index=wide.index))
    failed = wide.get("Failed", pd.Series(0, index=wide.index))
    finished = completed + failed
    frame = pd.DataFrame({"finished": finished, "rate": completed / finished.where(finished > 0)})
    return frame.dropna().reset_index()


def success_rate_chart(per_period: pd.DataFrame, period: str, primary: str) -> alt.Chart:
    """The share of finished tasks that completed, per period."""
    rates = success_rates(per_period)
    rates["outcome"] = OUTCOME_ORDER[0]
    frame = _periods(rates, period)
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(color=primary, size=40), color=primary)
        .encode(
            x=_time_axis(per_period, period),
            y=alt.Y(
                "rate:Q",
                title="Completed",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("when:N", title="Created"),
                alt.Tooltip("rate:Q", title="Success rate", format=".0%"),
                alt.Tooltip("finished:Q", title="Finished tasks"),
            ],
        )
    )
    return _titled(chart, f"Success rate per {period}")


def failure_codes_chart(
    codes: pd.DataFrame, colour: str = FAILED_RED, title: str | None = "Top failure codes"
) -> alt.Chart:
    """Failed tasks per code (the most common first), with their coins in the tooltip.

    ``codes`` has ``code``, ``tasks``, ``coins`` and ``message`` columns.
    """
    most = max(1, int(codes["tasks"].max())) if not codes.empty else 1
    chart = (
        alt.Chart(codes)
        .mark_bar(color=colour)
        .encode(
            x=alt.X(
                "tasks:Q",
                title="Failed tasks",
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domain=[0, most]),
            ),
            y=alt.Y("code:N", title=None, sort="-x", axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            tooltip=[
                alt.Tooltip("code:N", title="Failed code"),
                alt.Tooltip("tasks:Q", title="Tasks"),
                alt.Tooltip("coins:Q", title="Coins", format=",.0f"),
                alt.Tooltip("message:N", title="Most common message"),
            ],
        )
    )
    return _titled(chart, title) if title else chart


def failure_codes_height(codes: pd.DataFrame) -> int:
    """A height that gives each code's bar and label room."""
    return CODES_AXIS + CODE_BAR * max(1, len(codes))


def running_age_chart(by_age: pd.DataFrame, primary: str) -> alt.Chart:
    """Running tasks by how long they have run; the ones that look stuck stand out."""
    rows = []
    for bucket, tasks, stuck in by_age.itertuples(index=False):
        rows += [(bucket, "On time", int(tasks) - int(stuck)), (bucket, "Stuck?", int(stuck))]
    frame = pd.DataFrame(rows, columns=["bucket", "state", "tasks"])
    most = max(1, int(by_age["tasks"].max())) if not by_age.empty else 1
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "bucket:N",
                title="Running for",
                sort=[b for _, b in AGE_BUCKETS],
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "tasks:Q",
                title="Running tasks",
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domain=[0, most]),
            ),
            color=alt.Color(
                "state:N",
                scale=alt.Scale(
                    domain=["On time", "Stuck?"], range=[lighter(primary), STUCK_AMBER]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("bucket:N", title="Running for"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("tasks:Q", title="Tasks"),
            ],
        )
    )
    return _titled(chart, "Running tasks by age")
