"""Policy sweeps: many variants of a reform planned on Dask distributed, then compared.

- :mod:`planner.sweep.spec`: sweep files (a scenario, the settings to vary as a grid or a list);
- :mod:`planner.sweep.variant`: one variant, planned as ``planner plan`` plans it, and its cache key;
- :mod:`planner.sweep.engine`: the variants as Dask tasks on a local or remote cluster, resumed and retried;
- :mod:`planner.sweep.results`: ``sweep.csv``, ``sweep.xlsx``, the comparison page and the trade-off chart.

Example (from the repository root; see ``docs/sweep.md``)::

    from planner.sweep import read_sweep, run_sweep, write_results
    sweep = read_sweep("sweeps/demo.yaml")
    write_results(sweep, run_sweep(sweep, "out/sweep", workers=2), "out/sweep")
"""

from planner.sweep.engine import Progress, VariantResult, run_sweep
from planner.sweep.results import write_results
from planner.sweep.spec import Sweep, Variant, read_sweep

__all__ = ["Progress", "Sweep", "Variant", "VariantResult", "read_sweep", "run_sweep", "write_results"]
