# `import nixpkgs { inherit system; }` lands here.
{
  system ? builtins.currentSystem,
  ...
}:
import ./packages.nix { inherit system; }
