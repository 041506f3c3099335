"""Names are drawn as written: a ``$`` in a unit, plan, scenario or variant name is a dollar sign on
every chart and printed map, not the start of matplotlib's mathtext (which drew ``$A$`` as a formula
and stopped on ``$_$`` or ``$$`` with a parse error)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import SCENARIO_YAML, grid_units, write_grid_scenario

from planner.chart_style import chart_style
from planner.cli import main
from planner.sweep.results import FIGURES, tradeoff_png

#: Names mathtext cannot parse, or would draw as a formula.
NAMES = ["Xã $_$ Một", "Phường $$", "Xã $\\x$", "Xã $A$ và $5"]


def test_planner_map_draws_dollar_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = grid_units()
    for unit, name in zip(units, NAMES * 3):
        unit["name"] = name.replace(",", " ")
    folder = write_grid_scenario(tmp_path / "grid", units,
                                 SCENARIO_YAML.replace("name: Grid", 'name: "Kế hoạch $_$ 2025 $$"'))
    out = tmp_path / "out"
    status = main(["map", str(folder), "--out", str(out), "--title", "Plan $\\x$ of $5", "--date", "$$"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert (out / "map.png").stat().st_size > 0 and (out / "map.svg").stat().st_size > 0
    default = main(["map", str(folder), "--out", str(tmp_path / "default")])
    assert default == 0, capsys.readouterr().err


def test_the_chart_style_draws_text_as_written() -> None:
    with plt.rc_context(chart_style()):
        figure = plt.figure()
        texts = [figure.text(0.1, 0.1 * i, name) for i, name in enumerate(NAMES)]
        figure.legend(handles=[plt.Line2D([], [], label=NAMES[0])])
        figure.canvas.draw()
    try:
        assert [t.get_parse_math() for t in texts] == [False] * len(NAMES)
        assert [t.get_text() for t in figure.legends[0].get_texts()] == [NAMES[0]]
        assert not figure.legends[0].get_texts()[0].get_parse_math()
    finally:
        plt.close(figure)


def test_the_sweep_chart_draws_dollar_names() -> None:
    table = pd.DataFrame({"variant": ["a $_$", "b $$"], **{column: ["0", "0"] for column in FIGURES}})
    table["run"], table["units"], table["meeting"], table["access_mean_km"] = "done", ["10", "12"], ["9", "12"], "2.5"
    assert tradeoff_png(table, "sweep $\\x$").startswith(b"\x89PNG")
