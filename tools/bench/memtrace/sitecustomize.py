"""The bench's memory probe, loaded at start-up by a server it runs with this directory on PYTHONPATH
and JATTE_BENCH_TRACE naming an output file (tools/bench/scenarios/connections.py, `trace_memory`).

It starts tracemalloc before anything is imported. On SIGUSR1 it takes a snapshot: the first is the
baseline; each later one writes what grew since, by the file that allocated it, as JSON to
JATTE_BENCH_TRACE (written aside, then renamed into place, so a reader never sees half a file).
Nothing of this reaches a server the bench does not trace: without JATTE_BENCH_TRACE it does nothing.
"""

from __future__ import annotations

import json
import os
import signal
import tracemalloc
from types import FrameType

OUT = os.environ.get("JATTE_BENCH_TRACE")
_baseline: list[tracemalloc.Snapshot] = []


def _snapshot(signum: int, frame: FrameType | None) -> None:
    assert OUT is not None
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    if not _baseline:
        _baseline.append(snapshot)
        found: dict[str, object] = {"baseline": True}
    else:
        grew = [s for s in snapshot.compare_to(_baseline[0], "filename") if s.size_diff > 0]
        found = {
            "baseline": False,
            "by_file": [[s.traceback[0].filename, s.size_diff, s.count_diff] for s in grew],
        }
    with open(f"{OUT}.part", "w") as out:
        json.dump(found, out)
    os.replace(f"{OUT}.part", OUT)


if OUT:
    tracemalloc.start()
    signal.signal(signal.SIGUSR1, _snapshot)
