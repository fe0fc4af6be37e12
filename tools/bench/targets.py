"""Issue 4's targets: each scenario's test of a Jatte server's figures, the verdict table, what limits a miss."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plan import JATTE, LABELS, Results
from servers import BENCH
from tables import client_note, ms

__all__ = [
    "SECTION_TARGETS",
    "TARGETS",
    "Target",
    "limits_section",
    "met",
    "scaleout_met",
    "section_met",
    "target_table",
]

ANALYSIS = BENCH / "ANALYSIS.md"  # hand-written, appended to "What limits it"


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


# The later issues' targets, one per section; their results are keyed by database (import, search,
# lists) or by server (storm), and `limits_section` names each key that missed.
SECTION_TARGETS = [
    Target(
        "import",
        "≥ 20,000 messages/s (issue 11)",
        lambda f: f["msg_s"] >= 20_000,
        lambda f: f"{f['msg_s']:,.0f} messages/s, {f['seconds']:.1f} s for {f['messages']:,} messages",
    ),
    Target(
        "search",
        "one word p50 ≤ 20 ms on 1,000,000 messages (issue 10)",
        lambda f: f["word"]["p50"] <= 20,
        lambda f: f"one word p50 {f['word']['p50']:.1f} ms on {f['messages']:,} messages",
    ),
    Target(
        "lists",
        "channels.query p50 ≤ 10 ms, unread.get p50 ≤ 5 ms (issue 9)",
        lambda f: f["channels.query"]["p50"] <= 10 and f["unread.get"]["p50"] <= 5,
        lambda f: (
            f"channels.query p50 {f['channels.query']['p50']:.1f} ms, unread.get p50 {f['unread.get']['p50']:.1f} ms"
        ),
    ),
    Target(
        "storm",
        "every client back ≤ 10 s after the restart, 0 lost, RSS ≤ 2x steady (issue 12)",
        lambda f: (
            f["all_back_s"] is not None
            and f["all_back_s"] <= 10
            and f["lost"] == 0
            and f["peak_rss_mib"] <= 2 * f["steady_rss_mib"]
        ),
        lambda f: (
            f"{f['users']:,} users back in {f['all_back_s']:.1f} s, {f['lost']} lost"
            if f["all_back_s"] is not None
            else f"only {f['back']:,} of {f['users']:,} back"
        ),
    ),
]
SECTIONS = {target.scenario: target for target in SECTION_TARGETS}


def section_met(scenario: str, f: dict[str, Any]) -> bool:
    """Whether one database's (or server's) figures of a later section meet its target."""
    return SECTIONS[scenario].check(f)


def scaleout_met(single: dict[str, Any] | None, two: dict[str, Any]) -> bool:
    if single is None or "error" in single or "error" in two:
        return False
    return bool(two["missing"] == 0 and two["p50"] <= 2 * single["p50"] and two["p99"] <= 2 * single["p99"])


def met(scenario: str, kind: str, results: Results) -> bool:
    """Whether the run met the scenario's target on that server (a failed run has not)."""
    figures = results.results.get(scenario, {}).get(kind)
    if figures is None or "error" in figures:
        return False
    if scenario == "scaleout":
        return scaleout_met(results.results.get("latency", {}).get(kind), figures)
    return all(t.check(figures) for t in TARGETS if t.scenario == scenario)


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


def memory_lines(memory: dict[str, Any]) -> list[str]:
    """What an idle socket holds, from the connections pass under tracemalloc."""
    parts = ", ".join(f"{name} {kib:.1f}" for name, kib in memory["by_component"])
    files = ", ".join(f"`{name}` {kib:.1f}" for name, kib in memory["by_file"])
    return [
        f"  tracemalloc, {memory['sockets']:,} idle sockets on a traced server (tools/bench/memtrace):"
        f" {memory['traced_kib_per_socket']:.1f} KiB of Python allocations per socket"
        f" (RSS {memory['rss_kib_per_socket']:.1f} KiB)",
        f"  - KiB per socket by component: {parts}",
        f"  - KiB per socket by the file that allocated it: {files}",
    ]


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
            if f.get("memory"):
                lines += memory_lines(f["memory"])
    for target in SECTION_TARGETS:
        for key, f in results.get(target.scenario, {}).items():
            if not isinstance(f, dict) or ("error" not in f and target.check(f)):
                continue
            missed = True
            label = LABELS.get(key, key)
            if "error" in f:
                lines.append(f"- **{target.scenario}, {label}**: the run failed: {f['error']}")
                continue
            lines.append(f"- **{target.scenario}, {label}** ({target.text}): {target.show(f)}.")
            profile = bench.profiles.get(target.scenario, {}).get(key)
            if profile is not None:
                lines.append(
                    f"  py-spy, {profile.samples} samples over the first {profile.seconds:.0f} s of the storm"
                    " (recorded beside it, from the restart on):"
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
