"""BENCHMARKS.md: machine, versions, command, a table per scenario with ratios to the floor, targets."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plan import JATTE, LABELS, Plan, Results
from servers import REPO

ANALYSIS = REPO / "tools" / "bench" / "ANALYSIS.md"  # hand-written, appended to "What limits it"

__all__ = ["TARGETS", "Target", "scaleout_met", "write_report"]


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    system = platform.platform()
    with contextlib.suppress(OSError), open("/etc/os-release") as release:
        for line in release:
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip().strip(chr(34))}, Linux {platform.release()}"
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram, "OS": system}


def versions() -> str:
    names = [
        "django",
        "channels",
        "daphne",
        "uvicorn",
        "websockets",
        "uvloop",
        "channels-redis",
        "redis",
        "psycopg",
        "pydantic",
    ]
    parts = [f"Python {platform.python_version()}"]
    for name in names:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def service_versions(plan: Plan) -> str:
    found = []
    with contextlib.suppress(Exception):
        import redis

        info: dict[str, Any] = redis.Redis.from_url(plan.redis_url, socket_connect_timeout=2).info("server")  # type: ignore[assignment]
        found.append(f"Redis {info['redis_version']}")
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(
            plan.postgres_url.replace("postgres://", "postgresql://", 1), connect_timeout=3
        ) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            assert row is not None
            found.append(f"PostgreSQL {row[0]}")
    with contextlib.suppress(Exception):
        done = subprocess.run(
            [str(REPO / "node_modules" / ".bin" / "esbuild"), "--version"],
            capture_output=True,
            text=True,
            check=True,
        )
        found.append(f"esbuild {done.stdout.strip()}")
    return ", ".join(found) or "none reachable"


def ms(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def ratio(value: float, floor: float | None) -> str:
    if floor is None or floor != floor or value != value or floor == 0:
        return "—"
    share = value / floor
    return f"{share:.2f}x" if share < 0.1 else f"{share:.1f}x"


def client_note(f: dict[str, Any]) -> str:
    notes = []
    if f.get("client_cpu", 0) >= 0.9:
        notes.append(f"client-bound (a load process at {f['client_cpu']:.0%} CPU)")
    if f.get("sender_lag_p99", 0) > 2:
        notes.append(f"sender {f['sender_lag_p99']:.1f} ms behind schedule (p99)")
    if f.get("foreign"):
        notes.append(f"{f['foreign']} foreign deliveries ignored")
    if f.get("machine_cpu", 0) >= 0.9:
        notes.append(f"machine-bound (all cores {f['machine_cpu']:.0%} busy: servers and load share them)")
    if f.get("errors"):
        notes.append(f"{f['errors']} error frames {f.get('error_samples', [])[:1]}")
    if f.get("unanswered"):
        notes.append(f"{f['unanswered']} sends unanswered when the run ended")
    if f.get("idle_failed"):
        notes.append(f"{f['idle_failed']} idle sockets failed to open")
    if f.get("out_of_order") or f.get("duplicates"):
        notes.append(f"{f.get('out_of_order', 0)} out of order, {f.get('duplicates', 0)} duplicated")
    return "; ".join(notes)


@dataclass(frozen=True)
class Target:
    """A target of issue 4: the scenario, its wording, the test of a server's figures, their summary."""

    scenario: str
    text: str
    check: Callable[[dict[str, Any]], bool]
    show: Callable[[dict[str, Any]], str]
    only: str | None = None  # a target for one server kind


TARGETS = [
    Target(
        "latency",
        "p50 ≤ 2 ms, p99 ≤ 5 ms, 0 missing (5,000 idle sockets)",
        lambda f: f["p50"] <= 2 and f["p99"] <= 5 and f["missing"] == 0 and f["idle"] >= 5000,
        lambda f: f"p50 {ms(f['p50'])} / p99 {ms(f['p99'])} ms, {f['missing']} missing, {f['idle']} idle",
    ),
    Target(
        "throughput",
        "≥ 2,000 msg/s (28k deliveries/s), 0 lost",
        lambda f: f["msg_s"] >= 2000 and f["lost"] == 0,
        lambda f: f"{f['msg_s']:,.0f} msg/s, {f['deliveries_s']:,.0f} deliveries/s, {f['lost']} lost",
    ),
    Target(
        "fanout",
        "delivery p99 ≤ 20 ms, 0 missing",
        lambda f: f["p99"] <= 20 and f["missing"] == 0,
        lambda f: f"p99 {ms(f['p99'])} ms, {f['missing']} missing",
    ),
    Target(
        "connections",
        "10,000 at ≤ 20 KiB each; 2,000 opened in ≤ 1.5 s",
        lambda f: (
            f["sockets"] >= 10_000 and f["kib_per_socket"] <= 20 and f["timed"] >= 2000 and f["open_s"] <= 1.5
        ),
        lambda f: f"{f['sockets']:,} at {f['kib_per_socket']:.1f} KiB; {f['timed']:,} in {f['open_s']:.2f} s",
    ),
    Target(
        "history",
        "watch (latest 50) p50 ≤ 5 ms on 1,000,000 messages",
        lambda f: f["p50"] <= 5,
        lambda f: f"p50 {ms(f['p50'])} ms",
    ),
]


def scaleout_met(single: dict[str, Any] | None, two: dict[str, Any]) -> bool:
    if single is None or "error" in single or "error" in two:
        return False
    return bool(two["missing"] == 0 and two["p50"] <= 2 * single["p50"] and two["p99"] <= 2 * single["p99"])


def write_report(
    bench: Results, command: str, started: datetime, seconds: float, loads: tuple[str, str]
) -> str:
    plan, results = bench.plan, bench.results
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        "The latest output of `tools/dev bench` (tools/bench/run.py), written by the run itself; rerun to refresh.",
        "Issue 4 sets the targets. Every figure comes from real processes on this machine; the load generator",
        "runs on the same 2 cores as the servers, so the figures include its cost and are noisy when other work runs.",
        "",
        f"- **Date**: {started.strftime('%Y-%m-%d %H:%M UTC')}, run took {seconds / 60:.1f} min"
        + (
            " (**--quick**: fewer sockets, shorter windows; targets are judged on full runs)"
            if plan.quick
            else ""
        ),
        f"- **Command**: `{command}`",
        f"- **Machine**: {info['CPU']}, {info['cores']} cores, {info['RAM']} RAM, {info['OS']}",
        f"- **Load average** (1 min) before / after: {loads[0]} / {loads[1]} — above ~1 means other work shared the cores",
        f"- **Versions**: {versions()}; {service_versions(plan)}",
        "- **Method**: each server is a fresh process (Jatte on a fresh copy of a migrated, seeded SQLite database); the",
        "  clients are `websockets` 17 connections in separate load processes on uvloop. Senders are paced open-loop",
        "  and write their *scheduled* send time into each message, so a latency runs from the moment the message",
        "  was due, not from when a busy client got round to sending it. Users and their channels exist before the",
        "  run (as when a workplace reconnects); no compression is negotiated (browsers offer permessage-deflate).",
        "  Jatte's per-user rate limits are raised for the run (one bench user sends far more than 60 a minute).",
        "  Server CPU is the server process's user+system time over the window (1.00 = one core of two).",
        "",
    ]
    lines += target_table(bench)
    floor_of = {name: table.get("floor") for name, table in results.items()}

    def floor(scenario: str, key: str) -> float | None:
        row = floor_of.get(scenario)
        return None if not row or "error" in row else float(row[key])

    def rows(scenario: str) -> list[tuple[str, dict[str, Any]]]:
        return [(LABELS[k], f) for k, f in results.get(scenario, {}).items()]

    if "latency" in results:
        lines += [
            "",
            f"## Latency: 10 watchers, one sender at 200 msg/s for {plan.seconds:.0f} s, {plan.idle:,} idle sockets",
            "",
            "Delivery latency from the scheduled send to each watcher (ms).",
            "",
            "| server | p50 | p99 | max | missing | p50 vs floor | p99 vs floor | ack p50 | server CPU | idle sockets opened in | notes |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for label, f in rows("latency"):
            if "error" in f:
                lines.append(f"| {label} | failed: {f['error']} |||||||||")
                continue
            lines.append(
                f"| {label} | {ms(f['p50'])} | {ms(f['p99'])} | {ms(f['max'])} | {f['missing']} "
                f"| {ratio(f['p50'], floor('latency', 'p50'))} | {ratio(f['p99'], floor('latency', 'p99'))} "
                f"| {ms(f['ack_p50'])} | {f['server_cpu']:.2f} | {f['idle_open_s']:.1f} s | {client_note(f)} |"
            )
    if "throughput" in results:
        lines += [
            "",
            f"## Throughput: 10 watchers, 4 senders with ≤ 50 unacknowledged each, {plan.throughput_seconds:.0f} s",
            "",
            "msg/s counts messages acknowledged (stored, then delivered); lost = acknowledged messages a watcher never got.",
            "",
            "| server | msg/s | deliveries/s | lost | msg/s vs floor | ack p50 ms | server CPU | client CPU (busiest load process) | notes |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for label, f in rows("throughput"):
            if "error" in f:
                lines.append(f"| {label} | failed: {f['error']} ||||||||")
                continue
            lines.append(
                f"| {label} | {f['msg_s']:,.0f} | {f['deliveries_s']:,.0f} | {f['lost']} "
                f"| {ratio(f['msg_s'], floor('throughput', 'msg_s'))} | {ms(f['ack_p50'])} "
                f"| {f['server_cpu']:.2f} | {f['client_cpu']:.2f} | {client_note(f)} |"
            )
    if "fanout" in results:
        lines += [
            "",
            f"## Fan-out: {plan.fanout_watchers} watchers, one sender at 20 msg/s for {plan.seconds:.0f} s",
            "",
            "| server | delivery p50 | p99 | max | missing | p99 vs floor | server CPU | notes |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, f in rows("fanout"):
            if "error" in f:
                lines.append(f"| {label} | failed: {f['error']} |||||||")
                continue
            lines.append(
                f"| {label} | {ms(f['p50'])} | {ms(f['p99'])} | {ms(f['max'])} | {f['missing']} "
                f"| {ratio(f['p99'], floor('fanout', 'p99'))} | {f['server_cpu']:.2f} | {client_note(f)} |"
            )
    if "connections" in results:
        lines += [
            "",
            f"## Connections: idle sockets, each watching its own channel ({plan.connections:,} held)",
            "",
            f"Open = connect, first health.check, channel.watch answered; {plan.timed_open:,} at once from {plan.open_processes}",
            "load processes (200 handshakes in flight each). Memory = growth of the server's RSS from 20 warm",
            "sockets to all held, per socket; the latency scenario ran on the same process in between (its idle",
            f"sockets are these), and opening stops after {plan.open_budget:.0f} s more on a slow server.",
            "",
            f"| server | open {plan.timed_open:,} | vs floor | KiB per socket | vs floor | sockets held | server RSS | server CPU while opening | client CPU (busiest load process) | notes |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for label, f in rows("connections"):
            if "error" in f:
                lines.append(f"| {label} | failed: {f['error']} |||||||||")
                continue
            note = client_note(f)
            if f.get("capped"):
                note = f"{f['capped']}; {note}".rstrip("; ")
            if f["failed"]:
                note = f"{f['failed']} failed {f['failures'][:1]}; {note}".rstrip("; ")
            lines.append(
                f"| {label} | {f['open_s']:.2f} s | {ratio(f['open_s'], floor('connections', 'open_s'))} "
                f"| {f['kib_per_socket']:.1f} | {ratio(f['kib_per_socket'], floor('connections', 'kib_per_socket'))} "
                f"| {f['sockets']:,} | {f['rss_mib']:.0f} MiB | {f['server_cpu']:.2f} | {f['client_cpu']:.2f} | {note} |"
            )
    if "history" in results:
        lines += [
            "",
            f"## History: watch (latest 50) on a channel with {plan.history:,} stored messages",
            "",
            "One socket, one watch at a time. The floor keeps no history, so it has no row; the channel has 10",
            "members, each having read to near the end.",
            "",
            "| server | p50 ms | p99 ms | watches | messages returned |",
            "|---|---|---|---|---|",
        ]
        for label, f in rows("history"):
            if "error" in f:
                lines.append(f"| {label} | failed: {f['error']} ||||")
                continue
            lines.append(f"| {label} | {ms(f['p50'])} | {ms(f['p99'])} | {f['watches']} | {f['sizes']} |")
    if "scaleout" in results or bench.notes.get("scaleout"):
        lines += [
            "",
            "## Two processes on Redis + PostgreSQL: the latency scenario with users split across them",
            "",
            f"Idle sockets and watchers half on each process, the sender on the first; REDIS_URL={plan.redis_url},",
            "a fresh PostgreSQL database created and dropped by the run. Compared with one process of the same server",
            "(the latency table above, on SQLite).",
            "",
            "| server | p50 | p99 | max | missing | vs one process p50 / p99 | stored (distinct) of sent | server CPU (both) | notes |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for kind, f in results.get("scaleout", {}).items():
            if "error" in f:
                lines.append(f"| 2 x {LABELS[kind]} | failed: {f['error']} ||||||||")
                continue
            single = results.get("latency", {}).get(kind)
            versus = "—"
            if single and "error" not in single:
                versus = f"{ratio(f['p50'], single['p50'])} / {ratio(f['p99'], single['p99'])}"
            lines.append(
                f"| 2 x {LABELS[kind]} | {ms(f['p50'])} | {ms(f['p99'])} | {ms(f['max'])} | {f['missing']} | {versus} "
                f"| {f['stored']} ({f['stored_distinct']}) of {f['sent']} | {f['server_cpu']:.2f} | {client_note(f)} |"
            )
        lines += [f"- {note}" for note in bench.notes.get("scaleout", [])]
    if "shim" in results:
        lines += [
            "",
            "## The shim, minified + gzipped",
            "",
            "esbuild --bundle --minify --format=esm --platform=browser, gzip -9.",
            "",
            "| bundle | minified KiB | gzipped KiB | gzipped bytes |",
            "|---|---|---|---|",
        ]
        for name, f in results["shim"].items():
            if "error" in f:
                lines.append(f"| {name} | failed: {f['error']} ||")
                continue
            lines.append(f"| {name} | {f['minified_kib']:.1f} | {f['gzip_kib']:.2f} | {f['gzip_bytes']:,} |")
    lines += limits_section(bench)
    return "\n".join(lines) + "\n"


def target_table(bench: Results) -> list[str]:
    results = bench.results
    kinds = [k for k in bench.plan.servers if k in JATTE]
    lines = [
        "## Targets for Jatte (one process unless stated)",
        "",
        *(
            [
                "A --quick run holds fewer sockets and sends fewer messages than the targets name: its verdicts only",
                "point the way; a full run judges them.",
                "",
            ]
            if bench.plan.quick
            else []
        ),
        "| scenario | target | " + " | ".join(LABELS[k] for k in kinds) + " |",
        "|---|---|" + "---|" * len(kinds),
    ]
    for target in TARGETS:
        if target.scenario not in results:
            continue
        cells = []
        for kind in kinds:
            f = results[target.scenario].get(kind)
            if f is None:
                cells.append("not run")
            elif "error" in f:
                cells.append("**failed** (see below)")
            else:
                cells.append(f"{'met' if target.check(f) else '**missed**'}: {target.show(f)}")
        lines.append(f"| {target.scenario} | {target.text} | " + " | ".join(cells) + " |")
    if "scaleout" in results:
        cells = []
        for kind in kinds:
            f = results["scaleout"].get(kind)
            single = results.get("latency", {}).get(kind)
            if f is None:
                cells.append("not run")
            elif "error" in f:
                cells.append("**failed** (see below)")
            else:
                verdict = "met" if scaleout_met(single, f) else "**missed**"
                cells.append(f"{verdict}: p50 {ms(f['p50'])} / p99 {ms(f['p99'])} ms, {f['missing']} missing")
        lines.append(
            "| two processes, Redis + PostgreSQL | latency within 2x of one process, 0 lost | "
            + " | ".join(cells)
            + " |"
        )
    if isinstance(results.get("shim"), dict):
        shim = next((f for n, f in results["shim"].items() if n.startswith("Jatte")), None)
        if shim and "error" not in shim:
            verdict = "met" if shim["gzip_kib"] <= 2 else "**missed**"
            lines.append(
                f"| shim size | ≤ 2 KiB min+gzip | {verdict}: {shim['gzip_kib']:.2f} KiB (the same bundle for every server) |"
                + " |" * (len(kinds) - 1)
            )
    return lines


def limits_section(bench: Results) -> list[str]:
    """For each missed target: the evidence (CPU, client-boundness, and the py-spy profile)."""
    results = bench.results
    lines = ["", "## What limits it", ""]
    targets = list(TARGETS)
    for kind in JATTE:
        single = results.get("latency", {}).get(kind)
        targets.append(
            Target(
                "scaleout",
                "two processes on Redis + PostgreSQL: latency within 2x of one process, 0 lost",
                lambda f, single=single: scaleout_met(single, f),  # type: ignore[misc]
                lambda f: f"p50 {ms(f['p50'])} / p99 {ms(f['p99'])} ms, {f['missing']} missing",
                only=kind,
            )
        )
    missed = False
    for target in targets:
        for kind in (k for k in bench.plan.servers if k in JATTE and target.only in {None, k}):
            f = results.get(target.scenario, {}).get(kind)
            if f is None or ("error" not in f and target.check(f)):
                continue
            missed = True
            if "error" in f:
                lines.append(f"- **{target.scenario}, {LABELS[kind]}**: the run failed: {f['error']}")
                continue
            evidence = [target.show(f)]
            if "server_cpu" in f:
                evidence.append(f"server process at {f['server_cpu']:.2f} cores")
            note = client_note(f)
            if note:
                evidence.append(note)
            lines.append(
                f"- **{target.scenario}, {LABELS[kind]}** ({target.text}): " + "; ".join(evidence) + "."
            )
            profile = bench.profiles.get(target.scenario, {}).get(kind)
            if profile is not None:
                lines.append(
                    f"  py-spy, {profile.samples} samples over {profile.seconds:.0f} s of the same scenario"
                    + (" (first process)" if target.scenario == "scaleout" else "")
                    + (
                        " (1,000 idle sockets, to keep the pass short)"
                        if target.scenario == "latency"
                        else ""
                    )
                    + ":"
                )
                lines += [f"  {line}" for line in profile.summary()]
    if not missed:
        lines.append("Every target measured in this run is met.")
    for note in bench.notes.get("profile", []):
        lines.append(f"- {note}")
    if missed and not bench.profiles:
        lines += ["", "No profiles in this run (`--quick`, or py-spy missing): a full run profiles uvicorn."]
    lines += [
        "",
        "Profiles come from a separate pass over the missed scenarios (py-spy, 200 Hz, non-blocking), so",
        "they do not slow the figures above. CPU by thread tells whether the event loop (MainThread) or the",
        "database executor thread saturates; components are where the sampled leaf frames live.",
    ]
    # The engineers' reading of those profiles: what limits each missed target and what would lift it.
    if ANALYSIS.exists():
        lines += ["", ANALYSIS.read_text().rstrip()]
    return lines
