"""Gap markers: one per unit with its most serious gap, grouped by parent, never over a printed name."""

from __future__ import annotations

import itertools

import pytest
from map_fixture import write_map_scenario
from matplotlib.collections import PathCollection

from planner import pipeline
from planner.maps import prepare_map, static
from planner.maps.markers import gap_markers, place_markers

SEVERITIES = ("critical", "high", "medium", "low")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    scenario, graph = pipeline.open_scenario(write_map_scenario(tmp_path_factory.mktemp("markers") / "scenario"))
    return scenario, graph, pipeline.evaluate(scenario, graph)


def every_unit_has_gaps(small) -> object:
    """The map with gaps on every new unit: unit k has severities k % 4 .. 3 (so 00900 has all four)."""
    scenario, graph, evaluation = small
    new = sorted(set(evaluation.plan.assignment.values()))
    gaps = [{"unit": code, "type": f"type{j}", "severity": SEVERITIES[j], "text": ""}
            for k, code in enumerate(new) for j in range(k % 4, 4)]
    return prepare_map(scenario, graph, evaluation, gaps)


def test_one_marker_per_unit_with_its_worst_gap(small):
    data = every_unit_has_gaps(small)
    found = gap_markers(data)
    assert [m.code for m in found] == [u.code for u in data.new]
    assert [(m.severity, m.count) for m in found[:4]] == [("critical", 4), ("high", 3), ("medium", 2), ("low", 1)]
    assert all(m.point == u.label for m, u in zip(found, data.new))
    only = gap_markers(data, severities={"medium", "low"}, types={"type3"})
    assert [(m.severity, m.count) for m in only] == [("low", 1)] * 8


def test_markers_grouped_by_parent(small):
    data = every_unit_has_gaps(small)
    assert data.parents.level == "province" and data.parents.codes == ["P1"]
    assert data.parents.of_new == [0] * 8
    assert data.parents.labels[0] in [u.label for u in data.new]
    (marker,) = gap_markers(data, by_parent=True)
    assert (marker.code, marker.severity, marker.count, marker.parent) == ("P1", "critical", 20, True)
    (marker,) = gap_markers(data, by_parent=True, severities={"high", "low"})
    assert (marker.severity, marker.count) == ("high", 12)


def test_placed_markers_cover_no_label_and_no_other_marker():
    labels = [(x * 30.0, y * 12.0, x * 30.0 + 26.0, y * 12.0 + 9.0) for x, y in itertools.product(range(5), range(5))]
    anchors = [((a + c) / 2, (b + d) / 2) for a, b, c, d in labels]
    spots = place_markers(anchors, labels, 4.0)
    boxes = [(x - 4, y - 4, x + 4, y + 4) for x, y in spots]
    for box in boxes:
        assert not any(static._overlap(box, label) for label in labels)
    for a, b in itertools.combinations(boxes, 2):
        assert not static._overlap(a, b)


def test_the_printed_map_puts_no_marker_over_a_name(small):
    data = every_unit_has_gaps(small)
    figure = static._figure(data)
    try:
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        axes = figure.axes[0]
        names = [t.get_window_extent(renderer) for t in axes.texts if t.get_text() in {u.name for u in data.new}]
        assert len(names) >= 4
        circles = [c for c in axes.collections if isinstance(c, PathCollection) and c.get_zorder() == 7]
        assert len(circles) == 8
        for circle in circles:
            (x, y), = axes.transData.transform(circle.get_offsets())
            radius = (circle.get_sizes()[0] ** 0.5) / 2 * figure.dpi / 72
            for name in names:
                assert not (x + radius > name.x0 and x - radius < name.x1 and y + radius > name.y0
                            and y - radius < name.y1), (x, y, name)
    finally:
        static.plt.close(figure)
