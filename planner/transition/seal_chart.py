"""A chart of the seal schedule: seals registered per working day against go-live (``seal_schedule.png``).

Drawn with matplotlib (Agg, no display); the PNG carries no software or date metadata, so the same
schedule gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from planner.chart_style import chart_style  # noqa: E402
from planner.outputs import write_bytes  # noqa: E402
from planner.transition.seal_schedule import SealSchedule  # noqa: E402

PNG_DPI = 110
COLOURS = {"critical": "#b2182b", "other": "#92c5de", "go_live": "#252525"}


def seal_counts(schedule: SealSchedule) -> pd.DataFrame:
    """Seals registered per day: ``day``, ``critical``, ``other`` (critical = of a critical priority class)."""
    table = schedule.table[schedule.table["registered"].map(lambda d: isinstance(d, dt.date))]
    if table.empty:
        return pd.DataFrame(columns=["day", "critical", "other"])
    critical = table["critical"].astype(bool)
    frame = pd.DataFrame({"day": table["registered"], "critical": critical.astype(int),
                          "other": (~critical).astype(int)})
    return frame.groupby("day", sort=True, as_index=False)[["critical", "other"]].sum()


def render_seal_chart(schedule: SealSchedule, title: str) -> bytes | None:
    """The PNG bytes of the chart (None when no seal has a date)."""
    counts = seal_counts(schedule)
    if counts.empty:
        return None
    with plt.rc_context(chart_style()):
        figure, axes = plt.subplots(figsize=(10, 4.5))
        try:
            days = pd.to_datetime(counts["day"])
            axes.bar(days, counts["critical"], width=0.8, color=COLOURS["critical"],
                     label="critical seals (procedures stop without them)")
            axes.bar(days, counts["other"], width=0.8, bottom=counts["critical"], color=COLOURS["other"],
                     label="other seals")
            if schedule.go_live is not None:
                axes.axvline(pd.Timestamp(schedule.go_live), color=COLOURS["go_live"], linestyle="--",
                             label=f"go-live {schedule.go_live.isoformat()}")
            late = int((~schedule.table["on_time"].astype(bool)).sum())
            axes.set_title(f"{title}: {len(schedule.table):,} seals, {late:,} after go-live", fontsize=11)
            axes.set_ylabel("seals registered per working day")
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
            figure.autofmt_xdate()
            axes.legend(loc="upper right", fontsize=8, frameon=False)
            axes.grid(axis="y", alpha=0.3)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None}, bbox_inches="tight")
        finally:
            plt.close(figure)
    return buffer.getvalue()


def write_seal_chart(path: Path, schedule: SealSchedule, title: str) -> bool:
    """Write the chart to ``path`` when some seal has a date; returns whether it was written."""
    data = render_seal_chart(schedule, title)
    if data is None:
        return False
    write_bytes(Path(path), data)
    return True
