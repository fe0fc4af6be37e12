{
  description = "Jatte: self-hosted chat that speaks Stream Chat's shapes (development shell)";

  # A release branch, not unstable: the shell holds Node 20 and Python 3.11, the versions the
  # repository is built and tested with, and unstable drops end-of-life ones.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs =
    { self, nixpkgs }:
    let
      supportedSystems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forEachSupportedSystem =
        f: nixpkgs.lib.genAttrs supportedSystems (system: f { pkgs = import nixpkgs { inherit system; }; });
    in
    {
      devShells = forEachSupportedSystem (
        { pkgs }:
        {
          default = pkgs.mkShellNoCC {
            packages =
              with pkgs;
              [
                python311
                nodejs_20
                # Bazel 7: the newest release that still reads WORKSPACE by default (8 turns it
                # off, 9 removes it). Debian's machines run 4.2.3 from bazel-bootstrap.
                bazel_7
                redis
                postgresql
                git
              ]
              # Chromium for the browser tests; nixpkgs builds it for Linux only.
              ++ pkgs.lib.optionals pkgs.stdenv.isLinux [ chromium ];

            # Playwright drives this browser; it never downloads its own.
            env = {
              PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
              NEXT_TELEMETRY_DISABLED = "1";
            }
            // pkgs.lib.optionalAttrs pkgs.stdenv.isLinux {
              CHROMIUM_PATH = "${pkgs.chromium}/bin/chromium";
            };

            shellHook = ''
              if [ ! -x .venv/bin/python ] || [ ! -d node_modules ]; then
                echo "jatte: run 'tools/dev setup' to create .venv and node_modules"
              fi
            '';
          };
        }
      );
    };
}
