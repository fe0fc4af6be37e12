"""`repo_test`: a test that runs one repository command in the real tree (see bazel_run.sh)."""

def repo_test(name, cmd, data = [], size = "small", timeout = "short", **kwargs):
    """Declares an sh_test that runs `cmd` from the repository root.

    Args:
      name: target name.
      cmd: one shell command line; write `$$VAR` for an environment variable read at run time.
      data: the files the command reads, so Bazel reruns it when they change.
      size: Bazel test size (the resources it reserves).
      timeout: "short" (60 s), "moderate" (300 s), "long" (900 s) or "eternal".
      **kwargs: passed to sh_test (tags, flaky, ...).
    """
    native.sh_test(
        name = name,
        srcs = ["//tools:bazel_run.sh"],
        # One argument: Bazel splits `args` the way a shell would, so quote the whole line.
        args = ["'%s'" % cmd.replace("'", "'\\''")],
        data = data + ["//:WORKSPACE"],
        size = size,
        timeout = timeout,
        **kwargs
    )
