#!/bin/sh
# Stand-in for Bazel's coverage tools, which cannot be downloaded here; `bazel coverage` is off.
echo "remote_coverage_tools: offline stub; coverage is not supported in this workspace" >&2
exit 0
