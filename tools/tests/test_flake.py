"""flake.nix parses and its development shell evaluates on every supported system.

Nix cannot fetch nixpkgs here, so the evaluation runs against nix/stub-nixpkgs, a local stand-in
holding exactly the attributes flake.nix uses (`--override-input nixpkgs path:...`). Flakes only
see files git tracks; a copy of flake.nix in a temporary folder, named with `path:`, sidesteps
that, and a throwaway store under the same folder keeps /nix untouched.

Without Nix the tests skip (loudly), unless CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLAKE = ROOT / "flake.nix"
STUB_NIXPKGS = ROOT / "nix" / "stub-nixpkgs"
SYSTEMS = ("x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin")
# nixpkgs attribute names the shell must hold everywhere; chromium is Linux-only in nixpkgs.
REQUIRED_PACKAGES = {"python311", "nodejs_20", "bazel_7", "redis", "postgresql", "git"}
# Bazel's strict test PATH leaves out where Nix installs itself on NixOS and in profiles.
NIX_PLACES = (
    "/run/current-system/sw/bin",
    "/nix/var/nix/profiles/default/bin",
    str(Path.home() / ".nix-profile" / "bin"),
)


def _find(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for place in NIX_PLACES:
        candidate = Path(place) / name
        if candidate.exists():
            return str(candidate)
    return None


def _require(name: str) -> str:
    found = _find(name)
    if found is None:
        message = f"{name} not found (apt-get install nix-bin, or use Nix); flake.nix is NOT checked"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


class Nix:
    """Runs `nix` with flakes on, against a throwaway store, on copies of flake.nix."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.store = workdir / "store"
        self.copies = 0

    def flake_copy(self, text: str) -> Path:
        self.copies += 1
        folder = self.workdir / f"flake{self.copies}"
        folder.mkdir()
        (folder / "flake.nix").write_text(text)
        return folder

    def run(self, command: str, target: str, *options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                self.binary,
                "--extra-experimental-features",
                "nix-command flakes",
                "--store",
                str(self.store),
                # No nixbld group to hand the throwaway store to (chown fails in a sandbox).
                "--option",
                "build-users-group",
                "",
                *command.split(),
                target,
                "--no-write-lock-file",
                "--override-input",
                "nixpkgs",
                f"path:{STUB_NIXPKGS}",
                *options,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def check(self, flake: Path) -> subprocess.CompletedProcess[str]:
        return self.run("flake check", f"path:{flake}", "--no-build")

    def eval_json(self, flake: Path, attribute: str, apply: str) -> object:
        result = self.run("eval", f"path:{flake}#{attribute}", "--json", "--apply", apply)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def nix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nix]:
    yield Nix(_require("nix"), tmp_path_factory.mktemp("nix"))


def test_flake_parses() -> None:
    """`nix-instantiate --parse` accepts flake.nix (a syntax check that needs no nixpkgs)."""
    result = subprocess.run(
        # dummy://: parsing needs no store (and Bazel's sandbox mounts /nix read-only).
        [_require("nix-instantiate"), "--store", "dummy://", "--parse", str(FLAKE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_flake_check_evaluates_every_output(nix: Nix) -> None:
    """`nix flake check --no-build` evaluates every output for every system."""
    result = nix.check(nix.flake_copy(FLAKE.read_text()))
    assert result.returncode == 0, result.stderr


def test_dev_shell_holds_the_toolchain_on_every_system(nix: Nix) -> None:
    """The default shell has Python, Node, Bazel, Redis, PostgreSQL and git everywhere; Chromium on Linux."""
    names = nix.eval_json(
        nix.flake_copy(FLAKE.read_text()),
        "devShells",
        "builtins.mapAttrs (system: shells: shells.default.packageNames)",
    )
    assert isinstance(names, dict)
    assert sorted(names) == sorted(SYSTEMS)
    for system, packages in names.items():
        expected = REQUIRED_PACKAGES | ({"chromium"} if system.endswith("-linux") else set())
        assert set(packages) == expected, system


def test_dev_shell_points_playwright_at_the_nix_chromium(nix: Nix) -> None:
    """On Linux, CHROMIUM_PATH names the shell's own chromium binary."""
    env = nix.eval_json(
        nix.flake_copy(FLAKE.read_text()),
        "devShells.x86_64-linux.default.env",
        "env: builtins.fromJSON (builtins.unsafeDiscardStringContext env)",
    )
    assert isinstance(env, dict)
    assert env["CHROMIUM_PATH"].startswith("/nix/store/")
    assert env["CHROMIUM_PATH"].endswith("-chromium-stub/bin/chromium")
    assert env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] == "1"


def test_flake_check_rejects_an_unknown_package(nix: Nix) -> None:
    """A misspelt package name fails the check: the stub is strict, so the check is not vacuous."""
    text = FLAKE.read_text()
    assert "\n                redis\n" in text
    broken = nix.flake_copy(text.replace("\n                redis\n", "\n                rediss\n"))
    result = nix.check(broken)
    assert result.returncode != 0
    assert "rediss" in result.stderr


def test_flake_check_rejects_chromium_outside_linux(nix: Nix) -> None:
    """Chromium listed for every system fails on macOS, as it does with the real nixpkgs."""
    text = FLAKE.read_text()
    assert "\n                git\n" in text
    broken = nix.flake_copy(
        text.replace("\n                git\n", "\n                git\n                chromium\n")
    )
    result = nix.check(broken)
    assert result.returncode != 0
    assert "chromium is not available on" in result.stderr
