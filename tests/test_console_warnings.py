"""Every command prints the warnings of its input on the console (stderr), not only in report.md.

The demo read with ``--where district_code=901`` (24 of its 300 units) warns of the units, features,
baseline rows, links and agency rows the selection leaves out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from planner.cli import main

DEMO = str(ROOT / "scenarios" / "demo")
REGION = ["--where", "district_code=901"]
UNITS_LEFT_OUT = "warning units.csv: column 'district_code': 276 of 300 units left out by the selection"
BASELINE_LEFT_OUT = "warning baseline.csv: column 'unit': 276 row(s) naming units left out by the selection"


def _agency_rows_left_out() -> int:
    """Rows of the demo's agencies table that name an old unit or a district outside district 901."""
    units = pd.read_csv(Path(DEMO) / "units.csv", dtype=str)
    outside = units[units["district_code"] != "901"]
    agencies = pd.read_csv(Path(DEMO) / "agencies" / "agencies.csv", dtype=str, keep_default_na=False)
    return int(agencies["unit"].isin(set(outside["code"]) | set(outside["district_code"])).sum())


AGENCIES_LEFT_OUT = (f"warning agencies/agencies.csv: column 'unit': {_agency_rows_left_out()} row(s) naming units "
                     "left out")


def _stderr(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().err


@pytest.mark.parametrize("command", ["evaluate", "gaps", "map"])
def test_commands_of_a_plan_print_the_scenario_warnings(command: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    options = [] if command == "map" else ["--no-maps"]
    err = _stderr(capsys, command, DEMO, *REGION, "--out", str(tmp_path / "out"), *options)
    assert UNITS_LEFT_OUT in err and BASELINE_LEFT_OUT in err
    assert (AGENCIES_LEFT_OUT in err) == (command in ("gaps", "map"))
    assert err.count(UNITS_LEFT_OUT) == 1


def test_evaluate_prints_the_warnings_of_the_plan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = tmp_path / "plan.csv"
    whole.write_bytes((ROOT / "scenarios" / "demo" / "baseline.csv").read_bytes())
    err = _stderr(capsys, "evaluate", DEMO, *REGION, "--plan", str(whole), "--out", str(tmp_path / "out"),
                  "--no-maps")
    assert UNITS_LEFT_OUT in err
    assert f"warning {whole}: column 'unit': 276 row(s) naming units left out by the selection" in err


def test_plan_and_diff_print_the_scenario_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _stderr(capsys, "plan", DEMO, *REGION, "--out", str(tmp_path / "out"), "--solves", "10", "--workers", "1")
    assert UNITS_LEFT_OUT in err and BASELINE_LEFT_OUT in err
    err = _stderr(capsys, "diff", DEMO, DEMO, *REGION)
    assert err.count(UNITS_LEFT_OUT) == 1
