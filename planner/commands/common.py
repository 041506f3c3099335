"""Pieces shared by CLI commands: the parser of a command, arguments, summary tables, JSON output."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.evaluation.evaluate import HEADLINE_FIGURES
from planner.inputs.problems import InputError
from planner.output_folder import check_output_folder
from planner.outputs import json_text

stdout = Console()

HEADLINE = list(HEADLINE_FIGURES)


def add_command(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """Add the parser of the command ``name`` from its module in :mod:`planner.commands`.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``planner`` parser's subcommands.
    name : str
        The command (``git-setup`` lives in ``planner/commands/git_setup.py``).

    Returns
    -------
    argparse.ArgumentParser
        The command's parser, with its arguments and ``run`` as the default of ``args.run``.
    """
    module = importlib.import_module(f"planner.commands.{name.replace('-', '_')}")
    parser = subparsers.add_parser(name, help=module.HELP, description=module.DESCRIPTION,
                                   epilog=getattr(module, "EPILOG", None))
    module.add_arguments(parser)
    parser.set_defaults(run=module.run)
    return parser


def add_scenario_argument(parser: argparse.ArgumentParser) -> None:
    """The positional ``scenario`` argument and ``--where COLUMN=VALUE``."""
    parser.add_argument("scenario", help="scenario folder (holding scenario.yaml) or scenario YAML file")
    add_where_argument(parser)


def add_where_argument(parser: argparse.ArgumentParser) -> None:
    """``--where COLUMN=VALUE`` (repeatable): the region of the units table to read."""
    parser.add_argument("--where", action="append", metavar="COLUMN=VALUE",
                        help="read only the units whose column of the units table has this value, over the "
                        "scenario's units.where; repeat it for several values or columns "
                        "(--where province_code=38 --where province_code=40)")


def where_of(args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    """The conditions of ``--where`` ({} without one; an InputError for a value that is not COLUMN=VALUE)."""
    from planner.inputs.selection import parse_where_options

    return parse_where_options(getattr(args, "where", None))


def add_plan_argument(parser: argparse.ArgumentParser) -> None:
    """``--plan FILE`` (default: the scenario's baseline)."""
    parser.add_argument("--plan", metavar="FILE",
                        help="plan CSV (unit,new_unit[,new_name,new_kind,seat]); default: the baseline")


def output_folder_argument(value: str) -> str:
    """``--out``'s value when it can be an output folder (:func:`planner.output_folder.check_output_folder`)."""
    try:
        check_output_folder(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.errors[0].message) from None
    return value


def add_out_argument(parser: argparse.ArgumentParser, text: str = "folder for the output files",
                     default: str | None = None) -> None:
    """``--out DIR`` (required unless it has a ``default``), refused at once when it names an existing file."""
    parser.add_argument("--out", metavar="DIR", required=default is None, default=default,
                        type=output_folder_argument, help=text)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out DIR`` and ``--no-maps``, for commands that write an output folder."""
    add_out_argument(parser)
    parser.add_argument("--no-maps", action="store_true",
                        help="leave out map.html, map.png and map.svg (see 'planner map')")


def add_json_argument(parser: argparse.ArgumentParser,
                      text: str = "print the summary as JSON on stdout (for scripts)") -> None:
    """``--json``: print a machine-readable summary on stdout instead of the tables (``text``: its help)."""
    parser.add_argument("--json", action="store_true", help=text)


def add_evaluation_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of commands that evaluate a plan into an output folder: scenario, plan, output, JSON."""
    add_scenario_argument(parser)
    add_plan_argument(parser)
    add_output_arguments(parser)
    add_json_argument(parser)


def open_scenario(path: str | Path, what: str = "the scenario",
                  where: dict[str, tuple[str, ...]] | None = None,
                  changes: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """Read a scenario (the region of ``where``, with the scenario.yaml keys of ``changes``) and build its
    unit graph, with a progress line naming ``what``.

    Returns
    -------
    tuple
        ``(scenario, graph)`` of :func:`planner.pipeline.open_scenario`.
    """
    from planner import pipeline
    from planner.progress import step

    with step(f"reading {what} and building the unit graph"):
        scenario, graph = pipeline.open_scenario(path, changes, where=where)
    print_warnings(scenario.warnings)
    return scenario, graph


def print_warnings(warnings: Iterable[Any]) -> None:
    """Print each warning (a Problem, or a plain message) on one line of stderr, after a yellow
    ``warning``: every command shows the warnings of its input on the console, not only in report.md."""
    from planner.progress import console

    for warning in warnings:
        console.print(Text.assemble(("warning ", "yellow"), str(warning)), highlight=False, soft_wrap=True)


def open_and_evaluate(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """Read the scenario and the plan named by ``args``, build the graph and evaluate the plan.

    Returns
    -------
    tuple
        ``(scenario, graph, plan, evaluation)``.
    """
    from planner import pipeline
    from planner.progress import step

    scenario, graph = open_scenario(args.scenario, where=where_of(args))
    warnings: list[Any] = []
    plan = pipeline.load_plan(scenario, args.plan, warnings)
    print_warnings(warnings)
    with step(f"evaluating {len(set(plan.assignment.values()))} new units"):
        evaluation = pipeline.evaluate(scenario, graph, plan)
    return scenario, graph, plan, evaluation


def write_output_folder(args: argparse.Namespace, scenario: Any, graph: Any, evaluation: Any,
                        **options: Any) -> dict[str, Any]:
    """Write every output of an evaluated plan into ``--out`` (maps unless ``--no-maps``).

    ``options`` go to :func:`planner.pipeline.write_outputs`; returns the summary written.
    """
    from planner import pipeline
    from planner.progress import step

    with step(f"writing {args.out}"):
        return pipeline.write_outputs(args.out, scenario, graph, evaluation, maps=not args.no_maps, **options)


def print_json(data: Any) -> None:
    """Print ``data`` as canonical JSON (sorted keys, two-space indent) on stdout."""
    sys.stdout.write(json_text(data))


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]],
                text_columns: Sequence[int] = (0,)) -> None:
    """Print a table with a bold header: the ``text_columns`` (the first) left-aligned, the others right-aligned."""
    table = Table(title=title, show_header=True, header_style="bold")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index in text_columns else "right")
    for row in rows:
        table.add_row(*row)
    stdout.print(table)


def print_summary(summary: dict[str, Any], title: str, extra: list[tuple[str, str]] | None = None,
                  as_json: bool = False, preset: Any = None) -> None:
    """Print the headline figures (and the ``extra`` ones) as a table, or the whole summary as JSON.

    Parameters
    ----------
    summary : dict
        The summary written to summary.json (and what the command adds).
    title : str
        The title of the table.
    extra : list of (key, label), optional
        Figures shown below the headline ones.
    as_json : bool
        Print ``summary`` as JSON instead.
    preset : Preset, optional
        The scenario's preset: without a waiver, the figure of units meeting the standard only by it is left out.
    """
    if as_json:
        print_json(summary)
        return
    hidden = {"waived"} if preset is not None and not preset.waiver_enabled else set()
    if preset is not None and not preset.exempts_unarranged:
        hidden.add("unchanged")
    rows = [(label, f"{summary[key]:.2f}" if isinstance(summary[key], float) else str(summary[key]))
            for key, label in HEADLINE + (extra or []) if key in summary and summary[key] is not None
            and key not in hidden]
    print_table(title, ("figure", "value"), rows)
