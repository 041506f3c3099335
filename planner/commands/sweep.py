"""``planner sweep SWEEP.yaml --out DIR``: plan many variants of a scenario on Dask and compare them."""

from __future__ import annotations

import argparse
import time

from planner.commands.common import add_json_argument, add_out_argument, print_json, print_table
from planner.commands.numbers import count_of
from planner.progress import console

HELP = "plan the variants of a sweep file on a Dask cluster and compare them"
DESCRIPTION = ("Plan every variant of SWEEP.yaml (a scenario and the settings to vary, as a grid or a list) as "
               "'planner plan' would, on a local cluster of --workers processes or on the Dask scheduler at "
               "--scheduler. Writes DIR/variants/NAME (each variant's output folder), sweep.csv, sweep.xlsx, "
               "comparison.html and tradeoff.png. A rerun reuses every finished variant; a failing variant is "
               "reported and the others go on (exit status 1 when any failed). See docs/sweep.md.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The sweep file, ``--out``, ``--scheduler``, ``--workers`` and ``--json``."""
    parser.add_argument("sweep", help="sweep file (YAML: scenario, settings, grid, variants)")
    add_out_argument(parser, "folder for the variants' folders and the comparison")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="the Dask scheduler to run on (tcp://HOST:8786); default: a local cluster")
    parser.add_argument("--workers", type=count_of("worker processes"), default=2, metavar="N",
                        help="worker processes of the local cluster (default: 2)")
    add_json_argument(parser, "print the variants' rows (those of sweep.csv) as JSON on stdout (for scripts)")


def run(args: argparse.Namespace) -> int:
    """Read the sweep, run it with a progress line, write the comparison and print the table."""
    from planner.sweep import read_sweep, run_sweep, write_results
    from planner.sweep.engine import progress_line

    sweep = read_sweep(args.sweep)
    started = time.perf_counter()
    finished = [-1]
    with console.status(f"sweep {sweep.name}: {len(sweep.variants)} variants") as status:
        def on_progress(progress):
            line = progress_line(progress, started)
            status.update(f"sweep {sweep.name}: {line}")
            if progress.done + progress.reused + progress.failed != finished[0]:  # a line in logs too
                finished[0] = progress.done + progress.reused + progress.failed
                console.print(f"sweep {sweep.name}: {line}", highlight=False)
        results = run_sweep(sweep, args.out, scheduler=args.scheduler, workers=args.workers, on_progress=on_progress)
    table = write_results(sweep, results, args.out)
    for result in results:
        if result.status == "failed":
            console.print(f"[red]failed[/red] {result.variant.name}: {result.error}", highlight=False, soft_wrap=True)
    reused = sum(r.status == "reused" for r in results)
    failed = sum(r.status == "failed" for r in results)
    console.print(f"[green]✓[/green] sweep {sweep.name}: {len(results) - failed} of {len(results)} variants planned "
                  f"({reused} reused), {failed} failed ({time.perf_counter() - started:.1f} s); {args.out}",
                  highlight=False)
    if args.json:
        print_json({"sweep": sweep.name, "out": str(args.out), "failed": failed, "reused": reused,
                    "variants": table.to_dict("records")})
        return 1 if failed else 0
    shown = ["variant", "run", "units", "meeting", "below", "access_mean_km", "status"]
    print_table(f"{sweep.name}: variants", shown, ([str(row[c]) for c in shown] for row in table.to_dict("records")))
    return 1 if failed else 0
