"""Benchmark: the seal schedule of the whole country (3,316 new units of the official 2025 plan, their bodies).

Run from the project root (it reads the shared data through scenarios/vn-2025)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_seal_schedule.py [--per-day N] [--offices N --days-per-seal D]

The agency layer is the preset's template (bodies before the reform per old commune and district, the bodies of
each new unit, the public service units that carry on); the capacity is the preset's estimate unless given, the
same in every province.  Prints the time of the transition, of the seal needs and of the schedule (target: the
schedule within 60 s), the seals needed, re-made and late, and per province the capacity that would make every
critical seal ready on day one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table  # noqa: E402

from planner import pipeline  # noqa: E402
from planner.transition.agencies import load_agency_layer  # noqa: E402
from planner.transition.seal_schedule import schedule_seals, seal_needs  # noqa: E402
from planner.transition.seal_settings import SealCapacity  # noqa: E402
from planner.transition.transition import plan_transition  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "vn-2025"
TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=float, help="seals a working day in each province")
    parser.add_argument("--offices", type=int, help="registration offices in each province")
    parser.add_argument("--days-per-seal", type=int, help="working days an office takes per seal")
    args = parser.parse_args()
    start = time.perf_counter()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    evaluation = pipeline.evaluate(scenario, graph)
    loaded = time.perf_counter()
    layer = load_agency_layer(scenario)
    if args.per_day or args.offices:
        layer.seals.capacity = SealCapacity(per_day=args.per_day) if args.per_day else SealCapacity(
            offices=args.offices, days_per_seal=args.days_per_seal or 1)
    transition = plan_transition(scenario, layer, evaluation.plan)
    planned = time.perf_counter()
    needs = seal_needs(scenario, evaluation, layer, transition)
    needed = time.perf_counter()
    schedule = schedule_seals(needs, layer)
    done = time.perf_counter()
    summary = schedule.summary
    print(f"{len(evaluation.units):,} new units, {len(transition.bodies):,} bodies; capacity "
          f"{layer.seals.capacity.text() if layer.seals.capacity else 'none'} per province, ordered "
          f"{summary['order_date']}, {summary['lead_time_days']} working days to make")
    print(f"seals {summary['seals']:,} (new bodies {summary['new_bodies']:,}, re-made {summary['remade']:,}); "
          f"on time {summary['on_time']:,}, late {summary['late']:,} (critical {summary['critical_late']:,}); "
          f"last registered {summary['last_registered']}; capacity for every critical seal on day one "
          f"{summary['capacity_needed_per_day']} seals a working day in all")
    rows = sorted(({"province": code, **figures} for code, figures in summary["provinces"].items()),
                  key=lambda r: (-r["late"], r["province"]))
    print_table(rows[:15], ["province", "seals", "late", "critical_late", "capacity_needed_per_day", "offices_needed",
                            "capacity_needed_all_per_day", "last_registered"])
    seconds = done - planned
    print(f"scenario and evaluation {loaded - start:.1f} s, transition {planned - loaded:.1f} s, seal needs "
          f"{needed - planned:.2f} s, schedule {done - needed:.2f} s; schedule with needs {seconds:.2f} s "
          f"(target {TARGET_S:.0f} s: {'met' if seconds <= TARGET_S else 'missed'})")


if __name__ == "__main__":
    main()
