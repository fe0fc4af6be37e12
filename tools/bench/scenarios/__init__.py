"""The scenarios of issue 4, one module each, in the order a run measures and reports them."""

from __future__ import annotations

from runner import Scenario

from scenarios import (
    connections,
    fanout,
    history,
    importing,
    latency,
    lists,
    scaleout,
    search,
    shim,
    storm,
    throughput,
)

__all__ = ["SCENARIOS"]

SCENARIOS: dict[str, Scenario] = {
    module.SCENARIO.name: module.SCENARIO
    for module in (
        latency,
        throughput,
        fanout,
        connections,
        storm,
        history,
        scaleout,
        shim,
        importing,
        search,
        lists,
    )
}
