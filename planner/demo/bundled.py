"""The bundled demo scenario: a synthetic province written by :mod:`planner.demo.synthetic`.

``scenarios/demo/`` in the repository is exactly what :func:`write_demo_scenario` writes, so the demo can be
regenerated anywhere (``planner demo`` does so when it runs outside a checkout).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from planner.demo.synthetic import write_scenario
from planner.outputs import write_text

DEMO_UNITS = 300
DEMO_SEED = 7


def demo_scenario_text() -> str:
    """The demo's ``scenario.yaml`` (a data file of the package)."""
    return (resources.files("planner") / "templates" / "demo-scenario.yaml").read_text("utf-8")


def write_demo_scenario(folder: str | Path) -> Path:
    """Write the demo scenario (data files, scenario.yaml, agency tables) into ``folder``; returns the folder."""
    from planner.demo.synthetic_agencies import write_demo_agencies

    folder = Path(folder)
    write_scenario(folder, n_units=DEMO_UNITS, seed=DEMO_SEED)
    write_text(folder / "scenario.yaml", demo_scenario_text())
    write_demo_agencies(folder)
    return folder
