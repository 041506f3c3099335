"""planner fmt: canonical scenario YAML that keeps every comment."""

from __future__ import annotations

from diff_helpers import PLAN_V1, PROJECT_ROOT, write_data, write_plan

from planner.cli import main
from planner.inputs.scenario import load_scenario
from planner.inputs.yamlio import load_yaml
from planner.review.fmt import TOP_ORDER, format_text

MESSY = """\
# Grid scenario, written by hand.
# Second line of the header.

solver:
    seed: 3   # the seed
    time_limit_s: 10
# How many new units.
target: {count: 4}
decisions:
  unchanged: [00003, 00007]
  # these two stay apart
  keep_apart:
  -   - 00001
      - 00012
name: Grid
preset: vn-2025   # standards of 2025
units:
  columns: {id: code, name: name, kind: type, population: population, area_km2: area_km2, terrain: terrain}
  path: ../data/units.csv
boundaries: {id: code, path: ../data/boundaries.geojson}
baseline:
  path: plan.csv

# end of file
"""


def test_format_keeps_comments_orders_keys_and_quotes_codes():
    text = format_text(MESSY)
    for comment in ("# Grid scenario, written by hand.", "# Second line of the header.", "# the seed",
                    "# How many new units.", "# these two stay apart", "# standards of 2025", "# end of file"):
        assert comment in text
    assert text.startswith("# Grid scenario, written by hand.\n# Second line of the header.\n\nname: Grid\n")
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == sorted(keys, key=TOP_ORDER.index)
    assert '  unchanged: ["00003", "00007"]\n' in text
    assert '    -   - "00001"\n' in text
    assert "# How many new units.\ntarget: {count: 4}\n" in text
    assert "solver:\n  time_limit_s: 10\n  seed: 3" in text
    assert text.endswith("\n# end of file\n")
    document = load_yaml(text)
    assert document["decisions"]["keep_apart"] == [["00001", "00012"]]
    assert document["solver"] == {"seed": 3, "time_limit_s": 10}


def test_format_is_idempotent_and_normalizes_line_endings():
    once = format_text(MESSY.replace("\n", "\r\n"))
    assert "\r" not in once
    assert format_text(once) == once


def test_fmt_check_then_fix(tmp_path, capsys):
    write_data(tmp_path / "data")
    folder = tmp_path / "scenario"
    folder.mkdir()
    write_plan(folder / "plan.csv", PLAN_V1)
    file = folder / "scenario.yaml"
    file.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", "--check", "--diff", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"would reformat {file}" in out and '+  unchanged: ["00003", "00007"]' in out
    assert file.read_text("utf-8") == MESSY
    assert main(["fmt", str(tmp_path)]) == 0  # folders are searched for scenario.yaml
    assert main(["fmt", "--check", str(file)]) == 0
    scenario = load_scenario(folder)  # unquoted 00003 would have been read as the unknown unit 3
    assert scenario.decisions.unchanged == ["00003", "00007"]
    assert scenario.decisions.keep_apart == [["00001", "00012"]]


def test_shipped_scenarios_are_formatted():
    assert main(["fmt", "--check", str(PROJECT_ROOT / "scenarios")]) == 0


def test_fmt_reports_bad_yaml(tmp_path, capsys):
    (tmp_path / "scenario.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert main(["fmt", str(tmp_path)]) == 2
    assert "not valid YAML" in capsys.readouterr().err


def test_the_documented_example_is_in_canonical_form():
    import re

    text = (PROJECT_ROOT / "docs" / "scenario.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    assert format_text(example) == example
