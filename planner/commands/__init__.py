"""One module per CLI command, built into a parser by :func:`planner.commands.common.add_command`.

Each module has ``HELP`` (the line in ``planner --help``), ``DESCRIPTION`` (and optionally
``EPILOG``) for its own ``--help``, ``add_arguments(parser)`` and ``run(args) -> int`` (the exit
status).  The modules only parse arguments, call :mod:`planner.pipeline` and the subpackages,
and print the result.
"""

COMMANDS = ["validate", "plan", "evaluate", "gaps", "demo", "map", "diff", "fmt", "git-setup", "sweep"]
