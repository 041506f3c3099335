"""Property tests: a valid grid scenario with one thing changed is either still fine or a clean input error.

Hypothesis mutates the small grid scenario of :func:`tests.conftest.write_grid_scenario` (a key of
``scenario.yaml`` removed, renamed or given another value, a cell of the units table or of the
baseline, a feature's geometry); ``planner validate`` must then exit with 0 or 2, and when it says
ok, ``planner evaluate --no-maps`` must succeed or give an input error (2: a scenario without a
baseline needs ``--plan``), never anything else.  The runs are derandomized (the same examples
on every machine) and few, so the file runs in well under a minute; the ``example`` lines are
inputs that once broke planner.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from planner.cli import main
from planner.inputs.schema import Map
from planner.inputs.settings import SCENARIO
from planner.inputs.yamlio import load_yaml
from tests.conftest import SCENARIO_YAML, write_grid_scenario

FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
BASE = load_yaml(SCENARIO_YAML + "target: {count: 4}\naccess: {max_km: 25}\nsolver: {seed: 0}\n")

#: YAML values a user might write anywhere.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.sampled_from([0.0, -1.5, 0.5, 2 / 3, 1e308])
    | st.sampled_from([float("nan"), float("inf")])
    | st.sampled_from(["", "no", "far", "3,5", "2/3", "00001", "Xã", "2025-13-01", "EPSG:32648", "rook"])
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "min", "max", "path"]),
                                                                inner, max_size=2),
    max_leaves=4,
)
#: Cells of a table: figures of every kind, codes, names and the empty cell.
CELLS = st.sampled_from(["", "NaN", "-5", "0", "1,5", "3,779", "1e400", "abc", "00001", "99999", "Phường",
                         "Đặc khu", "mountainous", "lava", " 12 ", "1.539,5", "$x$", "Xã\x16"]) | st.text(max_size=5)


def key_paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key of a document, as the path of keys (and list positions) leading to it."""
    paths: list[tuple[Any, ...]] = []
    items = document.items() if isinstance(document, dict) else enumerate(document) \
        if isinstance(document, list) else []
    for key, value in items:
        paths.append(prefix + (key,))
        paths.extend(key_paths(value, prefix + (key,)))
    return paths


def schema_paths(spec: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key the scenario format knows (:data:`planner.inputs.settings.SCENARIO`)."""
    paths: list[tuple[str, ...]] = []
    for key, shape in (spec.keys.items() if isinstance(spec, Map) else []):
        paths.append(prefix + (key,))
        paths.extend(schema_paths(shape, prefix + (key,)))
    return paths


DOCUMENT_PATHS = key_paths(BASE)
KNOWN_PATHS = schema_paths(SCENARIO)


def mutate(document: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> dict[str, Any]:
    """A copy of the document with the key at ``path`` removed, renamed or set to ``value``."""
    document = copy.deepcopy(document)
    holder: Any = document
    for part in path[:-1]:
        if isinstance(holder, dict):
            holder = holder.setdefault(part, {}) if not isinstance(holder.get(part), (dict, list)) else holder[part]
        else:
            holder = holder[part]
    last = path[-1]
    if not isinstance(holder, (dict, list)):
        return document
    if action == "remove":
        holder.pop(last)
    elif action == "rename" and isinstance(holder, dict):
        holder[f"{last}x"] = holder.pop(last)
    else:
        holder[last] = value
    return document


def dump(document: dict[str, Any]) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, stream)
    return stream.getvalue()


def run(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    """validate the scenario; when it is ok, evaluate it: never anything but success or an input error."""
    status = main(["validate", str(folder)])
    output = "".join(capsys.readouterr())
    assert status in (0, 2), output
    if status == 0:
        status = main(["evaluate", "--no-maps", str(folder), "--out", str(folder / "out")])
        output = "".join(capsys.readouterr())
        assert status in (0, 2), output


def edit_csv(path: Path, row: int, column: int, cell: str) -> None:
    """Set one cell of a CSV file (row 0 is the header)."""
    rows = list(csv.reader(path.read_text("utf-8").splitlines()))
    rows[row % len(rows)][column % len(rows[0])] = cell
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerows(rows)
    path.write_text(stream.getvalue(), encoding="utf-8")


@FUZZ
@given(path=st.sampled_from(DOCUMENT_PATHS), action=st.sampled_from(["remove", "rename", "set"]), value=VALUES)
def test_a_changed_key_is_fine_or_an_input_error(capsys: pytest.CaptureFixture[str], path: tuple[Any, ...],
                                                 action: str, value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_grid_scenario(Path(tmp) / "s", yaml_text=dump(mutate(BASE, path, action, value)))
        run(capsys, folder)


@FUZZ
@example(path=("preset_overrides", "staffing", "surplus_years"), value=None)  # a null override: evaluate failed
@given(path=st.sampled_from(KNOWN_PATHS), value=VALUES)
def test_any_value_of_a_known_key_is_fine_or_an_input_error(capsys: pytest.CaptureFixture[str],
                                                            path: tuple[str, ...], value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_grid_scenario(Path(tmp) / "s", yaml_text=dump(mutate(BASE, path, "set", value)))
        run(capsys, folder)


@FUZZ
@example(table="baseline.csv", row=1, column=1, cell="0\x160")  # a control character: the workbook failed
@given(table=st.sampled_from(["units.csv", "baseline.csv"]), row=st.integers(0, 12), column=st.integers(0, 7),
       cell=CELLS)
def test_a_changed_cell_is_fine_or_an_input_error(capsys: pytest.CaptureFixture[str], table: str, row: int,
                                                  column: int, cell: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_grid_scenario(Path(tmp) / "s", yaml_text=dump(BASE))
        edit_csv(folder / table, row, column, cell)
        run(capsys, folder)


#: Geometries a boundary file may hold instead of a unit's square.
GEOMETRIES = st.sampled_from([
    None,
    {"type": "Point", "coordinates": [105.01, 20.01]},
    {"type": "LineString", "coordinates": [[105.0, 20.0], [105.03, 20.03]]},
    {"type": "Polygon", "coordinates": [[[105.0, 20.0], [105.03, 20.03], [105.03, 20.0], [105.0, 20.03],
                                         [105.0, 20.0]]]},  # a bow tie
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[[500.0, 20.0], [501.0, 20.0], [501.0, 21.0], [500.0, 20.0]]]},
    {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.00001, 21.0], [106.0, 21.00001], [106.0, 21.0]]]},
    {"type": "MultiPolygon", "coordinates": [[[[105.0, 20.0], [105.01, 20.0], [105.01, 20.01], [105.0, 20.0]]],
                                             [[[107.0, 20.0], [107.01, 20.0], [107.01, 20.01], [107.0, 20.0]]]]},
    {"type": "Polygon", "coordinates": [[[105.0, 20.0], [105.09, 20.0], [105.09, 20.09], [105.0, 20.09],
                                         [105.0, 20.0]]]},  # over its neighbours
])


@FUZZ
@given(feature=st.integers(0, 11), geometry=GEOMETRIES, code=st.sampled_from([None, "", "00002", "99999", 7]))
def test_a_changed_geometry_is_fine_or_an_input_error(capsys: pytest.CaptureFixture[str], feature: int,
                                                      geometry: Any, code: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_grid_scenario(Path(tmp) / "s", yaml_text=dump(BASE))
        path = folder / "boundaries.geojson"
        collection = json.loads(path.read_text("utf-8"))
        collection["features"][feature]["geometry"] = geometry
        if code is not None:
            collection["features"][feature]["properties"]["code"] = code
        path.write_text(json.dumps(collection), encoding="utf-8")
        run(capsys, folder)
