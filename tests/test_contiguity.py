"""Neighbours share a line: a point contact (a corner) never counts, unless the scenario asks for queen contiguity."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import grid_units, scenario_yaml, write_grid_scenario
from shapely.geometry import Polygon, box

from planner.cli import main
from planner.graph import build_graph, contacts, shared_borders
from planner.inputs.problems import InputError
from planner.inputs.scenario import load_scenario

SIDE_M = 3000.0


def square_grid(n: int = 6, jitter: float = 0.0, independent: float = 0.0,
                seed: int = 1) -> tuple[np.ndarray, list[str]]:
    """An n x n grid of squares in metres, codes "rrcc".

    ``jitter`` moves the shared corners (a coverage of quadrilaterals, corners still shared);
    ``independent`` moves each square's own corners (gaps and overlaps, corners no longer shared).
    """
    rng = np.random.default_rng(seed)
    xs = np.arange(n + 1) * SIDE_M
    corners = np.stack(np.meshgrid(xs, xs, indexing="ij"), -1) + rng.uniform(-jitter, jitter, (n + 1, n + 1, 2))
    polygons, codes = [], []
    for r in range(n):
        for c in range(n):
            ring = [corners[r, c], corners[r + 1, c], corners[r + 1, c + 1], corners[r, c + 1]]
            polygons.append(Polygon([p + rng.uniform(-independent, independent, 2) for p in ring]))
            codes.append(f"{r:02d}{c:02d}")
    return np.array(polygons, dtype=object), codes


def diagonal(a: str, b: str) -> bool:
    return a[:2] != b[:2] and a[2:] != b[2:]


@pytest.mark.parametrize("grid", [{}, {"jitter": 400.0}, {"independent": 20.0}, {"jitter": 400.0, "independent": 20.0}],
                         ids=["regular", "jittered corners", "jittered squares", "both"])
def test_a_grid_with_50_m_tolerance_has_no_diagonal_neighbours(grid: dict) -> None:
    polygons, codes = square_grid(**grid)
    borders = shared_borders(polygons, codes, 50.0, 100.0)
    assert not [pair for pair in borders if diagonal(*pair[:2])]
    assert len(borders) == 2 * 6 * 5  # every side neighbour, with about its side's length
    assert min(length for *_, length in borders) > 2000.0
    found = contacts(polygons, codes, 50.0)
    corners = [length for a, b, length in found if diagonal(a, b)]
    assert len(corners) == 5 * 5 * 2 and max(corners) < 50.0  # the corners are within the tolerance, not borders


@pytest.mark.parametrize("grid", [{}, {"jitter": 400.0}, {"independent": 20.0}])
def test_queen_contiguity_gives_the_diagonals(grid: dict) -> None:
    polygons, codes = square_grid(**grid)
    borders = shared_borders(polygons, codes, 50.0, 100.0, queen=True)
    assert len([pair for pair in borders if diagonal(*pair[:2])]) == 5 * 5 * 2
    assert len(borders) == 2 * 6 * 5 + 5 * 5 * 2


@pytest.mark.parametrize("angle", [45.0, 60.0, 90.0])
def test_a_tip_touching_a_straight_side_is_not_a_border(angle: float) -> None:
    """A wedge whose tip touches a long straight side: its sides leave the other outline at an angle."""
    half = np.radians(angle) / 2
    tip = (0.0, 0.0)
    wedge = Polygon([tip, (2000 * np.sin(half), 2000 * np.cos(half)), (-2000 * np.sin(half), 2000 * np.cos(half))])
    ground = box(-3000, -1000, 3000, 0)
    lengths = [length for *_, length in contacts(np.array([wedge, ground], dtype=object), ["w", "g"], 50.0)]
    assert lengths == [pytest.approx(0.0, abs=1.0)]


def test_a_short_border_counts_with_a_lower_minimum() -> None:
    """Two squares offset so that they share 80 m of side: a border only when min_shared_border_m allows it."""
    polygons = np.array([box(0, 0, 1000, 1000), box(1000, 920, 2000, 1920)], dtype=object)
    [(_, _, length)] = contacts(polygons, ["a", "b"], 50.0)
    assert length == pytest.approx(80.0, abs=1.0)
    assert shared_borders(polygons, ["a", "b"], 50.0, 100.0) == []
    assert len(shared_borders(polygons, ["a", "b"], 50.0, 50.0)) == 1


def grid_scenario(folder: Path, boundaries: str = "") -> Path:
    """The 3 x 4 grid of the other tests (squares of 0.03 degrees meeting at corners), tolerance 50 m."""
    yaml = scenario_yaml("Grid", "boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 50\n"
                         + boundaries + "baseline:\n  path: baseline.csv\n")
    return write_grid_scenario(folder, grid_units(), yaml)


def test_the_scenario_graph_leaves_corners_out_and_lists_them(tmp_path: Path) -> None:
    scenario = load_scenario(grid_scenario(tmp_path / "s"))
    graph = build_graph(scenario)
    assert graph.number_of_edges() == 3 * 3 + 2 * 4  # side neighbours only
    assert len(graph.graph["point_contacts"]) == 2 * 2 * 3  # the diagonals of the 3 x 4 grid
    assert all(length < 1.0 for *_, length in graph.graph["point_contacts"])


def test_queen_contiguity_in_the_scenario(tmp_path: Path) -> None:
    scenario = load_scenario(grid_scenario(tmp_path / "s", "  contiguity: queen\n"))
    assert scenario.contiguity == "queen"
    graph = build_graph(scenario)
    assert graph.number_of_edges() == 3 * 3 + 2 * 4 + 2 * 2 * 3
    assert graph.has_edge("00001", "00006")  # row 0 column 0 and row 1 column 1 meet at a corner


def test_validate_lists_the_point_contacts(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(grid_scenario(tmp_path / "s"))]) == 0
    output = capsys.readouterr().out
    assert "12 point contact(s)" in output and "not neighbours" in output
    assert "00001 Xã Ô 1 - 00006 Xã Ô 6 (0 m)" in output and "and 7 more" in output


def test_an_unknown_contiguity_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'bishop' is not a contiguity: expected rook"):
        load_scenario(grid_scenario(tmp_path / "s", "  contiguity: bishop\n"))


def test_validate_json_gives_the_point_contacts(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(grid_scenario(tmp_path / "s")), "--json"]) == 0
    graph = json.loads(capsys.readouterr().out)["graph"]
    assert graph["contiguity"] == "rook" and len(graph["point_contacts"]) == 12
    assert graph["point_contacts"][0] == {"a": "00001", "b": "00006", "shared_m": 0.0}
