"""``planner validate`` reports what would stop ``planner plan`` with the scenario's own target and decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import SCENARIO_YAML, write_grid_scenario


@pytest.mark.parametrize("rest, message", [
    ("target: {by_parent: {'99': 2}}\n", "key target.by_parent.01: no count for parent unit 01"),
    ("target: {count: 50}\n", "has 12 units but the target asks for 50 new units"),
    ("target: {count: 1}\ndecisions: {fixed_seats: ['00001', '00002']}\n", "2 fixed seats but at most 1 new units"),
    ("target: {count: 2}\ndecisions: {max_members: 3}\n",
     "at most 3 members per new unit and at most 2 new units cannot hold its 12 units"),
])
def test_a_target_the_plan_cannot_meet_is_an_error_of_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               rest: str, message: str) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=SCENARIO_YAML + rest)
    assert main(["validate", str(folder)]) == 2
    output = "".join(capsys.readouterr())
    assert message in output and str(folder / "scenario.yaml") in output, output
    assert main(["validate", "--json", str(folder)]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False
    assert any(message in f"{p['where']}: {p['message']}" for p in document["problems"]), document


def test_a_target_the_plan_can_meet_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=SCENARIO_YAML + "target: {count: 4}\n")
    assert main(["validate", str(folder)]) == 0, "".join(capsys.readouterr())
