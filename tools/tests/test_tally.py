"""tools/tally.py counts tests from real pytest and Jest reports and from Bazel's build events.

The pytest and Jest reports are produced here by running both on a small throwaway suite (Jest
through tools/junit-reporter.cjs, as the Bazel targets run it). The build events and Bazel's own
one-test XML follow what Bazel 4.2 writes (`--build_event_json_file`, tools/test/generate-xml.sh).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import tally  # noqa: E402

JEST = ROOT / "node_modules" / ".bin" / "jest"
REPORTER = ROOT / "tools" / "junit-reporter.cjs"


def run(
    argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False)


def run_jest(suite: Path, *options: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Jest on the test files of `suite`, with its cache there too."""
    (suite / "jest.config.js").write_text("module.exports = { testEnvironment: 'node' };\n")
    config = ["-c", str(suite / "jest.config.js"), "--ci", f"--cacheDirectory={suite / 'cache'}"]
    return run([str(JEST), *config, *options], cwd=suite, env=env)


def bazel_xml(name: str, exit_code: int = 0, message: str = "exited with error code") -> bytes:
    """The report Bazel writes for a test that wrote none (a check that is not a test runner)."""
    error = f'<error message="{message} {exit_code}"></error>' if exit_code else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
        f'  <testsuite name="{name}" tests="1" failures="0" errors="{int(bool(exit_code))}">\n'
        f'    <testcase name="{name}" status="run" duration="1" time="1">{error}</testcase>\n'
        "      <system-out>\nGenerated test.log:\n<![CDATA[+ ruff check]]>\n      </system-out>\n"
        "    </testsuite>\n</testsuites>\n"
    ).encode()


def configured(label: str, kind: str = "sh_test rule") -> dict[str, Any]:
    return {"id": {"targetConfigured": {"label": label}}, "configured": {"targetKind": kind}}


def result(
    label: str, status: str, xml: Path | None, millis: int = 1500, cached: bool = False
) -> dict[str, Any]:
    outputs = [{"name": "test.log", "uri": "file:///nowhere/test.log"}]
    if xml is not None:
        outputs.append({"name": "test.xml", "uri": xml.as_uri()})
    body: dict[str, Any] = {
        "testActionOutput": outputs,
        "testAttemptDurationMillis": str(millis),
        "status": status,
    }
    if cached:
        body["cachedLocally"] = True
    run = {"label": label, "run": 1, "shard": 1, "attempt": 1}
    return {"id": {"testResult": run}, "testResult": body}


def summary(label: str, status: str) -> dict[str, Any]:
    return {
        "id": {"testSummary": {"label": label}},
        "testSummary": {"overallStatus": status, "totalRunCount": 1},
    }


def lines(*events: dict[str, Any]) -> list[str]:
    return [json.dumps(e) for e in events]


@pytest.fixture(scope="module")
def pytest_report(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A JUnit report of a real pytest run: one pass, one failure, one setup error, one skip."""
    suite = tmp_path_factory.mktemp("pytest-suite")
    (suite / "pytest.ini").write_text("[pytest]\n")
    (suite / "test_sample.py").write_text(
        "import pytest\n\n"
        "@pytest.fixture\n"
        "def broken():\n    raise RuntimeError('setup fails')\n\n"
        "def test_passes():\n    assert True\n\n"
        "def test_fails():\n    assert 1 == 2\n\n"
        "def test_errors(broken):\n    pass\n\n"
        "@pytest.mark.skip(reason='not here')\n"
        "def test_skipped():\n    pass\n"
    )
    report = suite / "report.xml"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_ADDOPTS", "DJANGO_SETTINGS_MODULE"}}
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:django",
        f"--junitxml={report}",
    ]
    done = run(argv, cwd=suite, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    return report.read_bytes()


@pytest.fixture(scope="module")
def jest_report(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A JUnit report of a real Jest run through tools/junit-reporter.cjs."""
    suite = tmp_path_factory.mktemp("jest-suite")
    (suite / "sample.test.js").write_text(
        "describe('group', () => {\n"
        "  test('passes', () => expect(1).toBe(1));\n"
        "  test('fails <with> \"markup\"', () => expect(1).toBe(2));\n"
        "  test.skip('skipped', () => {});\n"
        "  test.todo('later');\n"
        "});\n"
    )
    (suite / "broken.test.js").write_text("throw new Error('cannot even load');\n")
    report = suite / "report.xml"
    env = {**os.environ, "XML_OUTPUT_FILE": str(report)}
    done = run_jest(suite, "--reporters=default", f"--reporters={REPORTER}", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    return report.read_bytes()


def test_tally_xml_counts_a_pytest_report(pytest_report: bytes) -> None:
    """A failed assertion and an error in setup both count as failures; a skip is a skip."""
    assert tally.tally_xml(pytest_report) == (1, 2, 1)


def test_tally_xml_counts_a_jest_report(jest_report: bytes) -> None:
    """A test file that cannot load is one failure; skipped and todo tests are skips."""
    assert tally.tally_xml(jest_report) == (1, 2, 2)


def test_jest_reporter_writes_nothing_outside_bazel(tmp_path: Path) -> None:
    """Without $XML_OUTPUT_FILE the reporter stays quiet and Jest still reports as usual."""
    (tmp_path / "one.test.js").write_text("test('passes', () => {});\n")
    env = {k: v for k, v in os.environ.items() if k != "XML_OUTPUT_FILE"}
    done = run_jest(tmp_path, f"--reporters={REPORTER}", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "jest.config.js", "one.test.js"]


def test_tally_xml_counts_bazels_own_report_as_one_test() -> None:
    """A check with no report of its own is one test: passed when it exited 0, failed otherwise."""
    assert tally.tally_xml(bazel_xml("backend/ruff")) == (1, 0, 0)
    assert tally.tally_xml(bazel_xml("backend/ruff", exit_code=1)) == (0, 1, 0)


def test_read_events_counts_each_suite_from_its_own_xml(tmp_path: Path, pytest_report: bytes) -> None:
    """Counts come from each target's test.xml; statuses and missing reports add what XML cannot say."""
    files = {
        "pytest": pytest_report,
        "ruff": bazel_xml("backend/ruff"),
        "mypy": bazel_xml("backend/mypy", exit_code=1),
        "e2e": bazel_xml("frontend/e2e", exit_code=142, message="Timed out"),
        "empty": b'<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="0"/></testsuites>',
        "jest": b'<testsuites><testsuite name="a" tests="1"><testcase name="ok"/></testsuite></testsuites>',
    }
    for name, text in files.items():
        (tmp_path / f"{name}.xml").write_bytes(text)
    xml = {name: tmp_path / f"{name}.xml" for name in files}
    events = lines(
        *(configured(label) for label in ("//backend:pytest", "//backend:ruff", "//backend:mypy")),
        configured("//frontend:e2e"),
        configured("//libs/chat-shim:jest"),
        configured("//tools:empty"),
        configured("//tools:broken"),
        configured("//schema:srcs", kind="filegroup rule"),
        result("//backend:pytest", "FAILED", xml["pytest"], millis=131_000),
        result("//backend:ruff", "PASSED", xml["ruff"], cached=True),
        result("//backend:mypy", "FAILED", xml["mypy"]),
        result("//frontend:e2e", "TIMEOUT", xml["e2e"]),
        # Jest's report shows a pass, but the target failed anyway (an open handle, say).
        result("//libs/chat-shim:jest", "FAILED", xml["jest"]),
        result("//tools:empty", "PASSED", xml["empty"]),
        {
            "id": {"targetCompleted": {"label": "//tools:broken"}},
            "completed": {"failureDetail": {"message": "missing input file '//tools:gone'"}},
        },
        summary("//backend:pytest", "FAILED"),
    )
    suites = tally.read_events(events)

    counts = {label: (s.passed, s.failed, s.skipped) for label, s in suites.items()}
    assert counts == {
        "//backend:pytest": (1, 2, 1),
        "//backend:ruff": (1, 0, 0),
        "//backend:mypy": (0, 1, 0),
        "//frontend:e2e": (0, 1, 0),
        "//libs/chat-shim:jest": (1, 1, 0),
        "//tools:empty": (0, 1, 0),
        "//tools:broken": (0, 1, 0),
    }
    assert suites["//backend:ruff"].cached
    assert suites["//backend:pytest"].seconds == 131.0
    assert suites["//tools:empty"].notes == ["ran no test"]
    assert suites["//tools:broken"].notes == ["failed to build", "missing input file '//tools:gone'"]
    assert suites["//frontend:e2e"].notes == ["timeout"]


def test_read_events_counts_a_target_that_never_ran_as_failed() -> None:
    """A test target configured but never run (the build stopped) is a failed suite with no XML."""
    suites = tally.read_events(lines(configured("//backend:pytest")))
    assert (suites["//backend:pytest"].failed, suites["//backend:pytest"].notes) == (1, ["no status"])


def test_render_ends_with_the_test_counts() -> None:
    """The closing line counts tests, and names skips only when there are any."""
    ruff = tally.Suite("//backend:ruff", "PASSED", passed=1, seconds=0.4, cached=True)
    pytest_suite = tally.Suite("//backend:pytest", "PASSED", passed=245, skipped=3, seconds=131.2)
    table, ok = tally.render([pytest_suite, ruff])
    assert ok
    assert table[-1] == "tests: 3 skipped, 246 passed, 0 failed"
    assert table[1].split() == ["//backend:pytest", "245", "0", "3", "131.2s"]
    assert table[2].split() == ["//backend:ruff", "1", "0", "0", "0.4s", "(cached)"]
    assert tally.render([ruff])[0][-1] == "tests: 1 passed, 0 failed"


def test_render_counts_a_failed_bazel_run_with_no_failing_suite() -> None:
    """Bazel failing with every suite green (a broken BUILD file elsewhere) is still one failure."""
    ruff = tally.Suite("//backend:ruff", "PASSED", passed=1)
    table, ok = tally.render([ruff], bazel_exit=1)
    assert not ok
    assert table[-1] == "tests: 1 passed, 1 failed"
    table, ok = tally.render([])
    assert (table[-1], ok) == ("tests: 0 passed, 1 failed", False)


def test_main_prints_the_table_and_exits_nonzero_on_a_failure(tmp_path: Path) -> None:
    """The command line: the table, the closing line last, exit 1 when anything failed."""
    report = tmp_path / "mypy.xml"
    report.write_bytes(bazel_xml("backend/mypy", exit_code=1))
    events = tmp_path / "events.json"
    events.write_text(
        "\n".join(lines(configured("//backend:mypy"), result("//backend:mypy", "FAILED", report)))
    )
    done = run([sys.executable, str(ROOT / "tools" / "tally.py"), str(events), "--bazel-exit", "3"])
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "tests: 0 passed, 1 failed"
    assert done.stdout.splitlines()[1].split()[:3] == ["//backend:mypy", "0", "1"]
