"""The synthetic province's baseline: a greedy, hand-drawn-looking merger plan.

Inside each district, units are grouped with adjacent units of the same urban or rural kind,
longest shared border first, into groups of 2 to 5 that stop growing at three members once they
meet the standard (at four in any case); a unit left alone joins a neighbouring group or takes a
member from one. The island stays on its own.

Whether a group meets the standard, and what kind of unit it makes, is decided by the rules of the
vn-2025 preset (:mod:`planner.rules.standards`), the same rules the planner evaluates plans with;
each new unit is named by the preset's naming rule after its most populous member.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
import pandas as pd

from planner.demo.schema import BASELINE_COLUMNS
from planner.inputs.preset import Preset, load_preset
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES, DEFAULT_TERRAIN_VALUES
from planner.rules.naming import NewUnit, name_units
from planner.rules.standards import MEETS, judge, merged_kind, terrain_tests

__all__ = ["PRESET", "hand_drawn_plan"]

#: The preset whose standards the baseline aims at (that of ``scenarios/demo``).
PRESET = "vn-2025"
_MAX_MEMBERS = 5
#: The kind names of the files, by preset kind (``ward`` -> ``Phường``).
_FILE_KIND = {preset_kind: name for name, preset_kind in DEFAULT_KIND_VALUES.items()}


@cache
def _preset() -> Preset:
    problems = ProblemList()
    preset = load_preset(PRESET, problems)
    problems.raise_if_errors()
    assert preset is not None
    return preset


def hand_drawn_plan(units: pd.DataFrame, graph: nx.Graph, island: int) -> pd.DataFrame:
    """Group the units into new units the way a person might draw them on a map.

    Parameters
    ----------
    units : pandas.DataFrame
        The units, columns :data:`~planner.demo.schema.UNIT_COLUMNS`, sorted by code.
    graph : networkx.Graph
        Nodes are row positions in ``units``; edges are shared borders with their ``length``.
    island : int
        Row position of the island, which stays a unit of its own.

    Returns
    -------
    pandas.DataFrame
        One row per unit, columns :data:`~planner.demo.schema.BASELINE_COLUMNS`, sorted by unit.
    """
    sketch = _Sketch(units, graph)
    groups: list[list[int]] = []
    for dcode in sorted(set(sketch.district)):
        members = [
            i for i in range(len(sketch.codes)) if sketch.district[i] == dcode and i != island
        ]
        groups.extend(sketch.district_groups(members))
    groups.append([island])
    groups.sort(key=lambda g: min(sketch.codes[i] for i in g))
    return _plan_table(units, groups, sketch)


class _Sketch:
    """The units' figures and borders, and how a group of them stands against the preset."""

    def __init__(self, units: pd.DataFrame, graph: nx.Graph) -> None:
        self.graph = graph
        self.preset = _preset()
        self.codes = units["code"].tolist()
        self.kinds = [DEFAULT_KIND_VALUES[k] for k in units["type"]]
        self.pops = units["population"].to_numpy()
        self.areas = units["area_km2"].to_numpy()
        self.terrains = [DEFAULT_TERRAIN_VALUES[t] for t in units["terrain"]]
        self.district = units["district_code"].tolist()

    def kind_of(self, g: list[int]) -> str:
        """Preset kind of the new unit formed by ``g`` (ward when wards hold most people)."""
        return merged_kind(self.preset, [self.kinds[i] for i in g], [int(self.pops[i]) for i in g])

    def terrain_of(self, g: list[int]) -> str:
        """Terrain of the new unit: the first of the preset's tests its area share passes."""
        area = float(sum(self.areas[i] for i in g))
        for terrain, min_share in terrain_tests(self.preset):
            share = float(sum(self.areas[i] for i in g if self.terrains[i] == terrain)) / area
            if share >= min_share:
                return terrain
        return str(self.preset.merged_terrain.get("otherwise", "other"))

    def meets(self, g: list[int]) -> bool:
        """Whether the new unit formed by ``g`` meets its standard (the waiver not counted)."""
        verdict = judge(
            self.preset,
            kind=self.kind_of(g),
            terrain=self.terrain_of(g),
            context=self.preset.default_context,
            population=sum(int(self.pops[i]) for i in g),
            area_km2=float(sum(self.areas[i] for i in g)),
            n_constituents=len(g),
        )
        return verdict.status == MEETS

    def border(self, v: int, g: list[int]) -> float:
        """Length of the border between unit ``v`` and the group ``g``."""
        return sum(self.graph.edges[v, u]["length"] for u in g if self.graph.has_edge(v, u))

    def district_groups(self, members: list[int]) -> list[list[int]]:
        """The groups of one district's ``members`` (in code order)."""
        mset = set(members)
        owner: dict[int, int] = {}
        groups: list[list[int]] = []
        for seed in members:
            if seed not in owner:
                groups.append(self._grow(seed, mset, owner, len(groups)))
        for k in range(len(groups)):
            if len(groups[k]) == 1:
                self._place_single(k, groups, owner, mset)
        return [g for g in groups if g]

    def _grow(self, seed: int, mset: set[int], owner: dict[int, int], index: int) -> list[int]:
        """Grow group ``index`` from ``seed`` over the free units of ``mset``."""
        g = [seed]
        owner[seed] = index
        urban = self.kinds[seed] == "ward"
        while len(g) < _MAX_MEMBERS:
            cand = sorted(
                {v for u in g for v in self.graph.neighbors(u) if v in mset and v not in owner}
            )
            if not cand or (len(g) >= 3 and (self.meets(g) or len(g) >= 4)):
                break
            v = max(
                cand,
                key=lambda c: ((self.kinds[c] == "ward") == urban, self.border(c, g), -c),
            )
            g.append(v)
            owner[v] = index
        return g

    def _place_single(
        self, k: int, groups: list[list[int]], owner: dict[int, int], mset: set[int]
    ) -> None:
        """Join the lone unit of group ``k`` to a neighbouring group, or take a member from one."""
        u = groups[k][0]
        nbr_groups = sorted(
            {owner[v] for v in self.graph.neighbors(u) if v in mset and owner[v] != k}
        )
        open_groups = [j for j in nbr_groups if len(groups[j]) < _MAX_MEMBERS]
        if open_groups:
            j = min(open_groups, key=lambda j: (len(groups[j]), -self.border(u, groups[j]), j))
            groups[j].append(u)
            owner[u] = j
            groups[k] = []
            return
        for v in sorted(self.graph.neighbors(u)):
            j = owner.get(v)
            if j is None or j == k or len(groups[j]) < 3:
                continue
            rest = [w for w in groups[j] if w != v]
            if nx.is_connected(self.graph.subgraph(rest)):
                groups[j] = rest
                groups[k] = [u, v]
                owner[v] = k
                return


def _plan_table(units: pd.DataFrame, groups: list[list[int]], sketch: _Sketch) -> pd.DataFrame:
    """Number the groups (in order) and name them by the preset's naming rule, one row per unit.

    The seat is the most populous member (the evaluation's choice for a plan without seats), so
    a new unit is called by its seat's name with its own kind word (:mod:`planner.rules.naming`).
    """
    codes = sketch.codes
    width = max(3, len(str(len(groups))))
    new_units = {}
    for n, g in enumerate(groups, start=1):
        members = sorted(g, key=lambda i: (-float(sketch.pops[i]), codes[i]))
        new_units[f"N{n:0{width}d}"] = NewUnit(
            kind=sketch.kind_of(g), seat=codes[members[0]], members=tuple(codes[i] for i in members),
            parent=str(units["province_code"].iloc[members[0]]), seat_population=float(sketch.pops[members[0]]))
    names = name_units(sketch.preset.naming, new_units, dict(zip(codes, units["name"])), {})
    rows = [[code, new, names[new][0], _FILE_KIND[unit.kind]]
            for new, unit in new_units.items() for code in unit.members]
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)
