# Package stubs: derivations that are never built (`nix flake check --no-build`). Each carries
# `stubName`, the nixpkgs attribute it stands for, so a test can list what the shell holds.
{ system }:
let
  lib = import ./lib.nix;
  isLinux = lib.hasSuffix "-linux" system;
  isDarwin = lib.hasSuffix "-darwin" system;

  stub =
    stubName:
    derivation {
      name = "${stubName}-stub";
      inherit system stubName;
      builder = "/bin/sh";
      args = [
        "-c"
        "echo stub packages are never built >&2; exit 1"
      ];
    };

  # Like nixpkgs, a package that does not build for this platform fails when evaluated.
  linuxOnly = stubName: if isLinux then stub stubName else throw "${stubName} is not available on ${system}";
in
{
  inherit lib;
  stdenv = {
    inherit isLinux isDarwin;
  };

  mkShellNoCC =
    {
      name ? "nix-shell",
      packages ? [ ],
      ...
    }@attrs:
    derivation (
      builtins.removeAttrs attrs [ "packages" ]
      // {
        inherit name system;
        builder = "/bin/sh";
        args = [
          "-c"
          "echo stub shells are never built >&2; exit 1"
        ];
        # nixpkgs' mkShell turns `env` into variables; here it must at least be a set of strings.
        env = builtins.toJSON (attrs.env or { });
        packageNames = map (p: p.stubName) packages;
      }
    );

  python311 = stub "python311";
  nodejs_20 = stub "nodejs_20";
  bazel_7 = stub "bazel_7";
  redis = stub "redis";
  postgresql = stub "postgresql";
  git = stub "git";
  chromium = linuxOnly "chromium";
}
