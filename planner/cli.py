"""The ``planner`` command line: a thin face over :mod:`planner.pipeline`.

User mistakes (bad files, unknown units, conflicting decisions) end with a plain message
on stderr and exit status 2, never a traceback.  Anything else is a bug in planner: one plain
line says so and how to report it, exit status 70; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys

from planner import __version__
from planner.commands import COMMANDS
from planner.commands.common import add_command
from planner.inputs.problems import InputError
from planner.interrupts import Terminated, stop_watch
from planner.progress import console

EXIT_INPUT = 2
#: Exit status of an unexpected error, a bug in planner (``EX_SOFTWARE`` of sysexits.h).
EXIT_BUG = 70
#: Exit status after Ctrl-C (128 + SIGINT) and after SIGTERM (128 + SIGTERM), as a shell reports them.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
DEBUG_HELP = "on an unexpected error, show the traceback (for a bug report)"


def build_parser() -> argparse.ArgumentParser:
    """The ``planner`` parser with every command of :data:`planner.commands.COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Plan mergers of administrative units under dated legal standards, "
        "and report what breaks on the day the new map takes effect.")
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        # --debug before or after the command's name; SUPPRESS keeps the first one's value
        add_command(subparsers, name).add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                                                   help=DEBUG_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: the command's, 2 on bad input, 70 on a bug in planner, 130 after Ctrl-C and
        143 after SIGTERM (either stops the command within seconds, output folders left as they were).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_INPUT
    try:
        with stop_watch():
            return int(args.run(args) or 0)
    except InputError as error:
        report_problems(error)
        return EXIT_INPUT
    except KeyboardInterrupt as error:
        terminated = isinstance(error, Terminated)
        console.print(f"{'terminated (SIGTERM)' if terminated else 'interrupted'}: stopped, output folders left as "
                      "they were", highlight=False)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except Exception as error:
        if args.debug:
            raise
        report_bug(error)
        return EXIT_BUG


def report_bug(error: Exception) -> None:
    """Say in one plain line on stderr that planner hit a bug, and how to report it."""
    text = " ".join(str(error).split()) or "(no message)"
    console.print(f"planner stopped on an unexpected error, a bug in planner and not in your input "
                  f"({type(error).__name__}: {text}); output folders were left as they were. Please report it "
                  f"with the command you ran and what the same command prints with --debug (planner {__version__}).",
                  highlight=False, markup=False, soft_wrap=True)


def report_problems(error: InputError) -> None:
    """Print every problem of a user's input in plain words on stderr."""
    errors = error.errors
    console.print(f"[red]{len(errors)} problem(s) found[/red]; nothing was written:", highlight=False)
    for problem in error.problems:
        label = "error" if problem.severity == "error" else "warning"
        console.print(f"  {label}: {problem}", highlight=False, markup=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
