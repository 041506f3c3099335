"""Presets and the rules of planner.rules.standards."""

from __future__ import annotations

import pytest

from planner.inputs.preset import available_presets, load_preset
from planner.inputs.problems import ProblemList
from planner.rules.standards import BELOW, MEETS, WAIVED, judge, merged_kind, merged_terrain


@pytest.mark.parametrize("name", ["vn-2025", "vn-2026", "ee-2017", "dk-2007"])
def test_shipped_presets_load_and_cite_their_sources(name: str) -> None:
    problems = ProblemList()
    preset = load_preset(name, problems)
    assert preset is not None, [str(p) for p in problems.items]
    assert preset.standards
    for rule in preset.standards:
        for key in preset.source_keys(rule.source):
            assert key in preset.sources, f"{name}: rule {rule.id} cites unknown source {key}"
    assert name in available_presets()


def vn():
    return load_preset("vn-2025", ProblemList())


def test_vn_2025_commune_standards() -> None:
    preset = vn()
    mountain = judge(preset, kind="commune", terrain="mountainous", context="other",
                     population=5000, area_km2=100, n_constituents=2)
    assert mountain.status == MEETS
    lowland = judge(preset, kind="commune", terrain="other", context="other",
                    population=15999, area_km2=45, n_constituents=2)
    assert lowland.status == BELOW and lowland.failing[0].short == pytest.approx(1)
    waived = judge(preset, kind="commune", terrain="other", context="other",
                   population=15999, area_km2=45, n_constituents=3)
    assert waived.status == WAIVED


def test_vn_2025_ward_standard_depends_on_context() -> None:
    preset = vn()
    figures = dict(kind="ward", terrain="other", population=30000, area_km2=6, n_constituents=2)
    assert judge(preset, context="centrally_run_city", **figures).status == BELOW
    assert judge(preset, context="other", **figures).status == MEETS


def test_kind_and_terrain_of_a_merged_unit() -> None:
    preset = vn()
    # any_ward: a merger with a ward is a ward, even when communes hold most of the people
    assert merged_kind(preset, ["ward", "commune", "commune"], [10000, 6000, 5000]) == "ward"
    assert merged_kind(preset, ["township", "commune"], [10001, 10000]) == "commune"
    assert merged_kind(preset, ["special_zone", "commune"], [1, 10000]) == "special_zone"
    # two thirds of the area, exactly, is mountainous
    assert merged_terrain(preset, ["mountainous", "other"], [200, 100]) == "mountainous"
    assert merged_terrain(preset, ["mountainous", "other"], [199, 101]) == "other"
    # unknown terrain counts as the preset's default
    assert merged_terrain(preset, ["mountainous", ""], [100, 100]) == "other"


def test_overrides_narrow_the_waiver() -> None:
    preset = load_preset("vn-2025", ProblemList(), overrides={"waiver": {"applies_to": ["ward"]}})
    verdict = judge(preset, kind="commune", terrain="other", context="other",
                    population=1000, area_km2=5, n_constituents=5)
    assert verdict.status == BELOW


def test_custom_preset_extends_a_shipped_one(tmp_path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "extends: vn-2025\nid: mine\nwaiver: {enabled: false}\n", encoding="utf-8")
    preset = load_preset("./mine.yaml", ProblemList(), base_dir=tmp_path)
    assert preset.id == "mine" and not preset.waiver["enabled"]
    assert len(preset.standards) == len(vn().standards)


def test_alternative_rules_estonia() -> None:
    ee = load_preset("ee-2017", ProblemList())
    large = judge(ee, kind="municipality", terrain="other", context="other",
                  population=3600, area_km2=950, n_constituents=2)
    small = judge(ee, kind="municipality", terrain="other", context="other",
                  population=3600, area_km2=500, n_constituents=2)
    assert large.status == MEETS and small.status == BELOW
