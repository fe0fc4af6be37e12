"""BENCHMARKS.md: machine, versions, command, the targets, a table per scenario, what limits each miss."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from environment import machine, service_versions, versions
from plan import LABELS, Results
from tables import client_note, floor, ms, ratio
from targets import limits_section, section_met, target_table

__all__ = ["write_report"]

Row = Callable[[Results, str, dict[str, Any]], str]


def write_report(
    bench: Results, command: str, started: datetime, seconds: float, loads: tuple[str, str]
) -> str:
    plan = bench.plan
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
    for name in SECTIONS:
        lines += section(bench, name)
    lines += limits_section(bench)
    return "\n".join(lines) + "\n"


def section(bench: Results, name: str) -> list[str]:
    """A scenario's heading, notes and table, a row a server (a failed run says why); empty when it did not run."""
    notes = bench.notes.get(name, [])
    if name not in bench.results and not notes:
        return []
    preamble, row, label = SECTIONS[name]
    lines = ["", *preamble.format(plan=bench.plan).split("\n")]
    columns = lines[-1].count("|") - 1
    lines.append("|" + "---|" * columns)
    for kind, f in bench.results.get(name, {}).items():
        server = label.format(LABELS.get(kind, kind))
        if "error" in f:
            lines.append(f"| {server} | failed: {f['error']} " + "|" * (columns - 1))
        else:
            lines.append(f"| {server} | {row(bench, kind, f)} |")
    return lines + [f"- {note}" for note in notes]


def latency(bench: Results, kind: str, f: dict[str, Any]) -> str:
    return (
        f"{deliveries(f)} | {ratio(f['p50'], floor(bench, 'latency', 'p50'))} "
        f"| {ratio(f['p99'], floor(bench, 'latency', 'p99'))} | {ms(f['ack_p50'])} | {f['server_cpu']:.2f} "
        f"| {f['idle_open_s']:.1f} s | {client_note(f)}"
    )


def throughput(bench: Results, kind: str, f: dict[str, Any]) -> str:
    versus = ratio(f["msg_s"], floor(bench, "throughput", "msg_s"))
    return (
        f"{f['msg_s']:,.0f} | {f['deliveries_s']:,.0f} | {f['lost']} | {versus} | {ms(f['ack_p50'])} "
        f"| {f['server_cpu']:.2f} | {f['client_cpu']:.2f} | {client_note(f)}"
    )


def fanout(bench: Results, kind: str, f: dict[str, Any]) -> str:
    versus = ratio(f["p99"], floor(bench, "fanout", "p99"))
    return f"{deliveries(f)} | {versus} | {f['server_cpu']:.2f} | {client_note(f)}"


def connections(bench: Results, kind: str, f: dict[str, Any]) -> str:
    note = client_note(f)
    if f.get("capped"):
        note = f"{f['capped']}; {note}".rstrip("; ")
    if f["failed"]:
        note = f"{f['failed']} failed {f['failures'][:1]}; {note}".rstrip("; ")
    open_s, kib = (ratio(f[key], floor(bench, "connections", key)) for key in ("open_s", "kib_per_socket"))
    return (
        f"{f['open_s']:.2f} s | {open_s} | {f['kib_per_socket']:.1f} | {kib} | {f['sockets']:,} "
        f"| {f['rss_mib']:.0f} MiB | {f['server_cpu']:.2f} | {f['client_cpu']:.2f} | {note}"
    )


def history(bench: Results, kind: str, f: dict[str, Any]) -> str:
    return f"{ms(f['p50'])} | {ms(f['p99'])} | {f['watches']} | {f['sizes']}"


def scaleout(bench: Results, kind: str, f: dict[str, Any]) -> str:
    single = bench.results.get("latency", {}).get(kind)
    versus = "—"
    if single and "error" not in single:
        versus = f"{ratio(f['p50'], single['p50'])} / {ratio(f['p99'], single['p99'])}"
    stored = f"{f['stored']} ({f['stored_distinct']}) of {f['sent']}"
    return f"{deliveries(f)} | {versus} | {stored} | {f['server_cpu']:.2f} | {client_note(f)}"


def shim(bench: Results, bundle: str, f: dict[str, Any]) -> str:
    return f"{f['minified_kib']:.1f} | {f['gzip_kib']:.2f} | {f['gzip_bytes']:,}"


def importing(bench: Results, database: str, f: dict[str, Any]) -> str:
    verdict = "met" if section_met("import", f) else "**missed**"
    return (
        f"{f['msg_s']:,.0f} | {verdict} | {f['messages']:,} + {f['reactions']:,} reactions | {f['file_mib']:,.0f} MiB "
        f"| {f['seconds']:.1f} s | {f['records_s']:,.0f} | {f['import_cpu']:.2f} | {f['load']:.2f}"
    )


def searching(bench: Results, database: str, f: dict[str, Any]) -> str:
    cells = []
    for kind in ("word", "two words", "common word"):
        k = f[kind]
        verdict = "" if kind != "word" else (" (met)" if k["p50"] <= 20 else " (**missed**)")
        cells.append(f"{k['p50']:.1f} / {k['p90']:.1f} / {k['p99']:.1f}{verdict} | {k['hits']:.1f}")
    return f"{f['messages']:,} | " + " | ".join(cells)


def lists(bench: Results, database: str, f: dict[str, Any]) -> str:
    query, preview, unread = f["channels.query"], f["channels.query, last message"], f["unread.get"]

    def verdict(p50: float, target: float) -> str:
        return "met" if p50 <= target else "**missed**"

    parsed = f.get("channels.query, parsed")  # absent from runs before it was measured
    return (
        f"{f['seed']['messages']:,} | {query['p50']:.2f} / {query['p99']:.2f} ({verdict(query['p50'], 10)}) "
        f"| {parsed['p50'] if parsed else float('nan'):.2f} "
        f"| {f['channels_query_p50_in_process']:.2f} | {preview['p50']:.2f} / {preview['p99']:.2f} "
        f"({verdict(preview['p50'], 10)}) | {f['channels_query_preview_p50_in_process']:.2f} "
        f"| {f['channels_query_sql']} | {unread['p50']:.2f} / {unread['p99']:.2f} ({verdict(unread['p50'], 5)}) "
        f"| {f['unread_get_p50_in_process']:.2f} | {f['unread_get_sql']} "
        f"| {f['answer_bytes']['channels.query']:,} / {f['answer_bytes']['channels.query, last message']:,} B"
    )


def storm(bench: Results, kind: str, f: dict[str, Any]) -> str:
    back = (
        f"{f['all_back_s']:.1f} s" if f["all_back_s"] is not None else f"only {f['back']:,} of {f['users']:,}"
    )
    verdict = "met" if section_met("storm", f) else "**missed**"
    growth = f["peak_rss_mib"] / f["steady_rss_mib"]
    return (
        f"{f['users']:,} | {back} ({verdict}) | {f['back_p50_s'] or 0:.1f} s | {f['down_s']:.1f} s | {f['lost']} "
        f"| {f['doubled']} | {f['steady_rss_mib']:.0f} / {f['peak_rss_mib']:.0f} MiB ({growth:.2f}x) "
        f"| {f['refusals']:,} | {f['open_s']:.1f} s"
    )


def deliveries(f: dict[str, Any]) -> str:
    """The cells every paced scenario starts with: p50, p99 and max delivery latency, and how many missed."""
    return f"{ms(f['p50'])} | {ms(f['p99'])} | {ms(f['max'])} | {f['missing']}"


# Each scenario's heading and notes, ending with its table's header (formatted with the run's
# `plan`), the cells of one server's row, and how a row names its server. In report order.
SECTIONS: dict[str, tuple[str, Row, str]] = {
    "latency": (
        """## Latency: 10 watchers, one sender at 200 msg/s for {plan.seconds:.0f} s, {plan.idle:,} idle sockets

Delivery latency from the scheduled send to each watcher (ms).

| server | p50 | p99 | max | missing | p50 vs floor | p99 vs floor | ack p50 | server CPU | idle sockets opened in | notes |""",
        latency,
        "{}",
    ),
    "throughput": (
        """## Throughput: 10 watchers, 4 senders with ≤ 50 unacknowledged each, {plan.throughput_seconds:.0f} s

msg/s counts messages acknowledged (stored, then delivered); lost = acknowledged messages a watcher never got.

| server | msg/s | deliveries/s | lost | msg/s vs floor | ack p50 ms | server CPU | client CPU (busiest load process) | notes |""",
        throughput,
        "{}",
    ),
    "fanout": (
        """## Fan-out: {plan.fanout_watchers} watchers, one sender at 20 msg/s for {plan.seconds:.0f} s

| server | delivery p50 | p99 | max | missing | p99 vs floor | server CPU | notes |""",
        fanout,
        "{}",
    ),
    "connections": (
        """## Connections: idle sockets, each watching its own channel ({plan.connections:,} held)

Open = connect, first health.check, channel.watch answered; {plan.timed_open:,} at once from {plan.open_processes}
load processes (200 handshakes in flight each). Memory = growth of the server's RSS from 20 warm
sockets to all held, per socket; the latency scenario ran on the same process in between (its idle
sockets are these), and opening stops after {plan.open_budget:.0f} s more on a slow server.

| server | open {plan.timed_open:,} | vs floor | KiB per socket | vs floor | sockets held | server RSS | server CPU while opening | client CPU (busiest load process) | notes |""",
        connections,
        "{}",
    ),
    "storm": (
        """## Reconnect storm: {plan.storm_users:,} shim clients lose the server to SIGKILL (issue 12: all back ≤ 10 s, 0 lost, RSS ≤ 2x steady)

Each user is a member of 3 channels (10 members each, 20 messages, 0-4 unread) and runs the real shim
(libs/chat-shim in Node, {plan.storm_processes} processes). Each client sends one message and gets its ack,
then sends another and the server is SIGKILLed at once; it restarts on the same port and every client
reconnects with the shim's own backoff, re-watches its 3 channels from the newest message it holds and
resends what was unanswered. Back = seconds from the restarted server accepting connections to a
client's connection.recovered (within 120 s); lost = acknowledged messages missing from the database,
and, once every client is back, from a member's channel (before that, members still resending store
messages after the others looked); RSS = the old process with every client idle / the new one's
peak during the storm.

| server | users | all back | p50 back | down (kill to accept) | lost | doubled | RSS steady / peak | told to retry later (4013) | first open |""",
        storm,
        "{}",
    ),
    "history": (
        """## History: watch (latest 50) on a channel with {plan.history:,} stored messages

One socket, one watch at a time. The floor keeps no history, so it has no row; the channel has 10
members, each having read to near the end.

| server | p50 ms | p99 ms | watches | messages returned |""",
        history,
        "{}",
    ),
    "scaleout": (
        """## Two processes on Redis + PostgreSQL: the latency scenario with users split across them

Idle sockets and watchers half on each process, the sender on the first; REDIS_URL={plan.redis_url},
a fresh PostgreSQL database created and dropped by the run. Compared with one process of the same server
(the latency table above, on SQLite).

| server | p50 | p99 | max | missing | vs one process p50 / p99 | stored (distinct) of sent | server CPU (both) | notes |""",
        scaleout,
        "2 x {}",
    ),
    "import": (
        """## Import: a Stream import file into a fresh database (issue 11: ≥ 20,000 messages/s)

`manage.py import_stream` of a generated file in Stream's import format: 1,000 users and channels,
5 members each, the messages (30% thread replies, quotes, in time order), then a reaction on about
half of them. Time is the whole command less Django's start-up; import CPU is the import process
(both threads; the database server's own CPU is not in it).

| database | messages/s | target | messages | file | time | records/s | import CPU | load before |""",
        importing,
        "{}",
    ),
    "search": (
        """## Search: client.search over a million messages (issue 10: p50 ≤ 20 ms)

One socket searches (limit 20), one search at a time, in the 500 channels it is a member of (half the
messages; 1,000 channels in all), through the full-text index: FTS5 on SQLite, tsvector + GIN on
PostgreSQL. Words follow Zipf's law over a 20,000-word vocabulary; a query word is of rank 100 or
more (two words: both such, both required, so most pairs match nothing), a common word one of the 10
most used (in 5 to 30% of the messages: its newest 2,000 matches are ranked). Times are ms from send
to answer, p50 / p90 / p99; hits = results per search (at most 20).

| database | messages | one word | hits | two words | hits | common word | hits |""",
        searching,
        "{}",
    ),
    "lists": (
        """## Channel list: one user in 1,000 channels, 30 returned (issue 9: channels.query p50 ≤ 10 ms, unread.get p50 ≤ 5 ms)

Ten members in each of 1,000 channels, each member's read mark 0 to 19 messages before the end. One socket
of a member asks for its 30 newest channels with 25 messages each (state and watch on: the SDK's
default page), the same page with each channel's last message only, then for its unread counts, one
request at a time, on a fresh Jatte (uvicorn) process. Times are ms from the request's send to its
answer's arrival (found by its request_id before the client parses it), p50 / p99; parsed is the p50
to the end of the client's json.loads (Python's; a browser's JSON.parse is faster); in-process is the
service alone, without the socket; statements are the SQL statements one call runs, counted
in-process (tools/bench/seed_lists.py), each with its plan below the table.

| database | messages | channels.query, 25 messages | parsed | in-process | last message only | in-process | statements | unread.get | in-process | statements | answers |""",
        lists,
        "{}",
    ),
    "shim": (
        """## The shim, minified + gzipped

esbuild --bundle --minify --format=esm --platform=browser, gzip -9.

| bundle | minified KiB | gzipped KiB | gzipped bytes |""",
        shim,
        "{}",
    ),
}
