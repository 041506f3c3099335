"""The recombination's set partitioning (SCIP): every unit once, objectives in order, the count and budgets kept."""

from __future__ import annotations

from planner.optimize.cover import Cover, Objective

COLUMNS = [(0, 1), (2, 3), (0,), (1,), (2,), (3,), (1, 2)]


def test_objectives_are_taken_in_order() -> None:
    """The most two-unit columns first; among those covers, the cheapest."""
    cover = Cover(units=4, columns=COLUMNS)
    pairs = Objective("max", [1, 1, 0, 0, 0, 0, 1])
    cost = Objective("min", [5, 5, 1, 1, 1, 1, 1])
    assert cover.solve([pairs, cost], nodes=10) == [True, True, False, False, False, False, False]
    assert cover.solve([cost], nodes=10) in ([False, False, True, True, True, True, False],
                                             [False, False, True, False, False, True, True])


def is_partition(chosen: list[bool] | None, units: int) -> bool:
    covered = sorted(u for column, take in zip(COLUMNS, chosen or []) if take for u in column)
    return covered == list(range(units))


def test_the_count_and_a_budget_hold() -> None:
    """Fewest columns is two; with exactly three, and column (1, 2) at most 0 times, one of two covers."""
    fewest = Objective("min", [1] * len(COLUMNS))
    assert Cover(units=4, columns=COLUMNS).solve([fewest], nodes=10) == [True, True] + [False] * 5
    chosen = Cover(units=4, columns=COLUMNS, count=(3, 3), budgets=[([0, 0, 0, 0, 0, 0, 1], 0)]).solve(
        [fewest], nodes=10)
    assert is_partition(chosen, 4) and sum(chosen) == 3 and not chosen[6]


def test_no_partition_gives_none() -> None:
    """Unit 4 is in no column: there is no cover, and the hint is not returned as one."""
    cover = Cover(units=5, columns=COLUMNS)
    assert cover.solve([Objective("min", [1] * len(COLUMNS))], hint=[True, True] + [False] * 5, nodes=10) is None
