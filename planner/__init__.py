"""planner: administrative-unit reorganization planner.

Data flows one way: scenario files -> :mod:`planner.inputs.scenario` -> :mod:`planner.graph` ->
optimizer -> :mod:`planner.inputs.plan` -> :mod:`planner.evaluation.evaluate` -> gaps -> outputs.
:mod:`planner.pipeline` is the Python API the CLI uses.
"""

__version__ = "0.1.0"
