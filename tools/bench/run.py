"""`tools/dev bench`: every scenario of issue 4 against the floor, the textbook consumer and Jatte.

Each scenario runs, side by side in one run, against:
  floor     a bare `websockets` broadcast server (tools/bench/floor_server.py): Python's best here;
  textbook  the textbook Channels consumer (tools/bench/textbook/) under daphne: one group_send per
            message, the default InMemoryChannelLayer, one ORM insert per message to SQLite;
  daphne    this backend as shipped, `python -m jatte.serve --server daphne`, fresh SQLite;
  uvicorn   the same under uvicorn.
Every server is its own process; the clients are real WebSockets in separate load processes
(load.py, clients.py), paced open-loop. Progress goes to stdout; the tables go to BENCHMARKS.md.

Layout: scenarios/ holds one module per scenario (how it loads the servers, and its py-spy re-run);
runner.py the shared runner (fresh server per measurement, database templates); traffic.py the
load every paced scenario shares; report.py and targets.py write BENCHMARKS.md.

Usage: tools/dev bench [--quick] [--only latency,fanout] [--servers floor,daphne] [--output FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from plan import JATTE, JATTE_ENV, LABELS, SERVERS, Plan, quick_plan
from profiles import py_spy
from report import write_report
from runner import Bench, say
from scenarios import SCENARIOS
from servers import REPO, BenchError
from targets import TARGETS, met

__all__ = ["main"]


async def profile_missed(bench: Bench) -> None:
    """Runs each scenario whose target a Jatte server missed again, under py-spy."""
    plan = bench.plan
    if not plan.profile:
        return
    if py_spy() is None:
        bench.notes.setdefault("profile", []).append("py-spy is not installed: no profiles taken")
        return
    for kind in plan.profile:
        for scenario in (*(t.scenario for t in TARGETS), "scaleout"):
            figures = bench.results.get(scenario, {}).get(kind)
            rerun = SCENARIOS[scenario].profile
            if figures is None or rerun is None or met(scenario, kind, bench):
                continue
            say(f"profile: {scenario} on {LABELS[kind]} under py-spy ...")
            to = bench.workdir / f"profile-{scenario}-{kind}.txt"
            try:
                found = await rerun(bench, kind, to)
            except (BenchError, TimeoutError, OSError) as failure:
                say(f"profile: {scenario} on {kind} failed: {failure}")
                continue
            if found.get("profile") is None:
                say(f"profile: {scenario} on {kind}: py-spy gave no samples (see {to.with_suffix('.err')})")
                continue
            bench.profiles.setdefault(scenario, {})[kind] = found["profile"]
            if found.get("memory"):  # the connections pass traces an idle socket's allocations too
                figures["memory"] = found["memory"]


def raise_open_files(needed: int) -> int:
    """Lifts this process's open-file limit to its hard limit; servers and load processes inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


async def amain(plan: Plan, output: Path, command: str, keep: bool) -> int:
    limit = raise_open_files(plan.connections * 2 + 1000)
    if limit < plan.connections + 500:
        say(f"open-file limit is {limit}: holding {limit - 500} sockets instead of {plan.connections}")
        plan = replace(plan, connections=max(plan.timed_open, limit - 500))
    workdir = Path(tempfile.mkdtemp(prefix="jatte-bench-"))
    started, clock = datetime.now(UTC), time.monotonic()
    loads = [load_average()]
    say(
        f"jatte bench{' --quick' if plan.quick else ''}: servers {', '.join(plan.servers)}; work dir {workdir}"
    )
    say(
        f"load average now {loads[0]} on {os.cpu_count()} cores (other work on the machine makes figures noisy)"
    )
    bench = Bench(plan, workdir)
    try:
        for scenario in plan.scenarios:
            await SCENARIOS[scenario].run(bench)
        await profile_missed(bench)
    finally:
        loads.append(load_average())
        report = write_report(bench, command, started, time.monotonic() - clock, (loads[0], loads[1]))
        await asyncio.to_thread(output.write_text, report)
        say(f"wrote {output} in {(time.monotonic() - clock) / 60:.1f} min")
        if keep:
            say(f"kept {workdir} (logs, databases, raw profiles)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [
        f"{s}/{k}"
        for s, table in bench.results.items()
        if s != "shim"
        for k, f in table.items()
        if "error" in f
    ]
    if failed:
        say(f"failed runs: {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a 1-2 minute run: fewer sockets, shorter windows"
    )
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"scenarios, comma-separated ({','.join(SCENARIOS)})"
    )
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help=f"servers, comma-separated ({','.join(SERVERS)})"
    )
    parser.add_argument(
        "--profile",
        default=None,
        help="Jatte servers to profile with py-spy where a target is missed (default: uvicorn; none in --quick)",
    )
    parser.add_argument(
        "--scaleout",
        default=None,
        help="Jatte servers to run the two-process Redis + PostgreSQL scenario on (default: uvicorn)",
    )
    parser.add_argument(
        "--storm-users",
        type=int,
        default=None,
        help="the reconnect storm's clients (default 5,000; 500 --quick)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="an existing database to connect to; the run creates and drops its own beside it",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory (logs, databases, profiles)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the Jatte servers, to try a setting (repeatable; shown in the report)",
    )
    args = parser.parse_args(argv)
    scenarios = tuple(s for s in args.only.split(",") if s)
    servers = tuple(s for s in args.servers.split(",") if s)
    unknown = [s for s in scenarios if s not in SCENARIOS] + [s for s in servers if s not in SERVERS]
    if unknown:
        parser.error(f"unknown scenario or server: {', '.join(unknown)}")
    bad = [pair for pair in args.env if "=" not in pair]
    if bad:
        parser.error(f"--env wants KEY=VALUE, got {', '.join(bad)}")
    JATTE_ENV.update(pair.split("=", 1) for pair in args.env)
    plan = Plan(
        quick=args.quick,
        servers=servers,
        scenarios=scenarios,
        redis_url=args.redis_url,
        postgres_url=args.postgres_url,
    )
    if args.quick:
        plan = quick_plan(plan)

    def jatte_servers(option: str, value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return default
        chosen = tuple(p for p in value.split(",") if p and p != "none")
        if any(p not in JATTE for p in chosen):
            parser.error(f"--{option} takes Jatte servers: {', '.join(JATTE)} (or none)")
        return chosen

    plan = replace(
        plan,
        profile=jatte_servers("profile", args.profile, plan.profile),
        scaleout=jatte_servers("scaleout", args.scaleout, plan.scaleout),
    )
    plan = replace(plan, profile=tuple(p for p in plan.profile if p in servers))
    if args.storm_users is not None:
        plan = replace(plan, storm_users=args.storm_users)
    command = "tools/dev bench" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    try:
        import uvloop  # noqa: F401  # the load processes use it; say so early if it is missing
    except ImportError:
        say("uvloop is not installed: the load processes run on asyncio's default loop")
    return asyncio.run(amain(plan, args.output, command, args.keep))


if __name__ == "__main__":
    sys.exit(main())
