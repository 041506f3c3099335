"""planner: administrative-unit reorganization planner.

Data flows one way: scenario files -> :mod:`planner.scenario` -> :mod:`planner.graph` ->
optimizer -> :mod:`planner.plan` -> :mod:`planner.evaluate` -> gaps -> outputs.
:mod:`planner.pipeline` is the Python API the CLI uses.
"""

__version__ = "0.1.0"
