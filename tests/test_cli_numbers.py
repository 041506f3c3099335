"""Every number on the command line is range-checked as it is parsed: one clear line naming the
option, the value and what was expected, exit status 2, nothing read and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from planner.cli import main

DEMO = str(ROOT / "scenarios" / "demo")

#: (command, option and values, the words the message must hold).
CASES = [
    ("plan", ["--time-limit", "-1"], "--time-limit: expected a number of seconds above 0, got '-1'"),
    ("plan", ["--time-limit", "0"], "--time-limit: expected a number of seconds above 0, got '0'"),
    ("plan", ["--time-limit", "nan"], "--time-limit: expected a number of seconds above 0, got 'nan' (not a finite"),
    ("plan", ["--time-limit", "inf"], "--time-limit: expected a number of seconds above 0, got 'inf' (not"),
    ("plan", ["--time-limit", "soon"], "--time-limit: expected a number of seconds above 0, got 'soon'"),
    ("plan", ["--workers", "0"], "--workers: expected a whole number of at least 1 (worker processes), got '0'"),
    ("plan", ["--workers", "1.5"], "--workers: expected a whole number of at least 1 (worker processes), got '1.5'"),
    ("plan", ["--solves", "0"], "--solves: expected a whole number of at least 1 (solves), got '0'"),
    ("plan", ["--seed", "-3"], "--seed: expected a whole number of at least 0 (a random seed), got '-3'"),
    ("plan", ["--reduction", "0.9", "0.1"], "--reduction: MIN (0.9) is above MAX (0.1)"),
    ("plan", ["--reduction", "0.5", "1.5"], "--reduction: expected a share of the units from 0 up to 1"),
    ("plan", ["--reduction", "-0.1", "0.5"], "--reduction: expected a share of the units from 0 up to 1 (0.6"),
    ("plan", ["--target-count", "0"], "--target-count: expected a whole number of at least 1 (new units), got '0'"),
    ("plan", ["--access-max-km", "-5"], "--access-max-km: expected a number of kilometres above 0, got '-5'"),
    ("plan", ["--access-max-km", "nan"], "--access-max-km: expected a number of kilometres above 0, got 'nan'"),
    ("plan", ["--max-moves", "-1"], "--max-moves: expected a whole number of at least 0 (old units), got '-1'"),
    ("demo", ["--time-limit", "-1"], "--time-limit: expected a number of seconds above 0, got '-1'"),
    ("demo", ["--solves", "0"], "--solves: expected a whole number of at least 1 (solves), got '0'"),
    ("sweep", ["--workers", "0"], "--workers: expected a whole number of at least 1 (worker processes), got '0'"),
]


def _argv(command: str, options: list[str], out: Path) -> list[str]:
    if command == "plan":
        return ["plan", DEMO, "--out", str(out), *options]
    if command == "demo":
        return ["demo", "--scenario", DEMO, "--out", str(out), *options]
    return ["sweep", str(ROOT / "sweeps" / "demo.yaml"), "--out", str(out), *options]


@pytest.mark.parametrize(("command", "options", "message"), CASES, ids=[" ".join([c, *o]) for c, o, _ in CASES])
def test_a_number_out_of_range_is_refused(command: str, options: list[str], message: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(_argv(command, options, out))
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"planner {command}: error: argument {message}" in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("options", "expected"), [
    (["--time-limit", "2.5"], {"time_limit": 2.5}), (["--workers", "1"], {"workers": 1}),
    (["--seed", "0"], {"seed": 0}), (["--reduction", "0", "0"], {"reduction": (0.0, 0.0)}),
    (["--reduction", "0.6", "0.7"], {"reduction": (0.6, 0.7)}), (["--max-moves", "0"], {"max_moves": 0}),
    (["--access-max-km", "12.5"], {"access_max_km": 12.5}), (["--target-count", "1"], {"target_count": 1}),
])
def test_numbers_in_range_are_read(options: list[str], expected: dict[str, object]) -> None:
    from planner.cli import build_parser

    args = build_parser().parse_args(["plan", DEMO, "--out", "out", *options])
    assert {key: getattr(args, key) for key in expected} == expected
