#!/usr/bin/env bash
# Runs one repository command for a Bazel sh_test, in the real source tree.
#
# Usage (from a BUILD file, through //tools:repo_test.bzl): bazel_run.sh 'COMMAND'
# COMMAND runs under `bash -euo pipefail -c` with the repository root as its working directory, so
# it reaches .venv/ and node_modules/ exactly as a person at the root would. Caches and HOME go to
# $TEST_TMPDIR: inside Bazel's sandbox the source tree is read-only.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "bazel_run.sh: expected one COMMAND string, got $# arguments" >&2
  exit 2
fi

# This file is reached through runfiles symlinks; the real path is <root>/tools/bazel_run.sh.
self="$(readlink -f "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
if [[ ! -f "$root/WORKSPACE" ]]; then
  echo "bazel_run.sh: $root (from $self) is not the repository root: no WORKSPACE there" >&2
  exit 2
fi

# A short TMPDIR: Unix socket paths stop at 107 bytes (tsx puts its IPC pipe there), and Bazel's
# sandbox paths are longer than that. Removed when the command ends.
TMPDIR="$(mktemp -d /tmp/jatte-test.XXXXXX)"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scratch="${TEST_TMPDIR:-$TMPDIR}"
export HOME="$scratch/home"
export XDG_CACHE_HOME="$scratch/cache"
mkdir -p "$HOME" "$XDG_CACHE_HOME"

export MYPY_CACHE_DIR="$scratch/mypy_cache"
export RUFF_CACHE_DIR="$scratch/ruff_cache"
export PYTHONPYCACHEPREFIX="$scratch/pycache"
export npm_config_cache="$scratch/npm"
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false
export NEXT_TELEMETRY_DISABLED=1
# The backend's SQLite file and other state (settings: JATTE_DATA_DIR, default <root>/var): a
# test never touches the developer's database, and the sandboxed tree is read-only anyway.
export JATTE_DATA_DIR="$scratch/var"
export PATH="$root/.venv/bin:$root/node_modules/.bin:$PATH"
# Test runners write their report where Bazel collects it (bazel-testlogs/<package>/<target>/test.xml),
# so tools/tally.py counts tests, not targets: pytest through PYTEST_ADDOPTS, Jest through
# tools/junit-reporter.cjs (named in each Jest target's command). For a check that is no test
# runner (ruff, mypy, tsc, the size budget) Bazel writes a report of one test itself.
if [[ -n "${XML_OUTPUT_FILE:-}" ]]; then
  export PYTEST_ADDOPTS="--junitxml=$XML_OUTPUT_FILE${PYTEST_ADDOPTS:+ $PYTEST_ADDOPTS}"
fi

cd "$root"
echo "+ (cd $root && $1)" >&2
bash -euo pipefail -c "$1"
