# A stand-in for nixpkgs, used only by tools/tests/test_flake.py, so that
# `nix flake check --override-input nixpkgs path:./nix/stub-nixpkgs` evaluates Jatte's flake with
# no network. It holds exactly the attributes flake.nix uses; a misspelt package name fails the
# evaluation. A new package in flake.nix needs a line in packages.nix here too.
{
  description = "Offline stand-in for nixpkgs (tests only)";

  outputs =
    { self }:
    {
      lib = import ./lib.nix;
    };
}
