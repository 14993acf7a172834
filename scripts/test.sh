#!/usr/bin/env bash
# The second README command: installs what is missing, builds, and runs the whole test suite
# (GoogleTest unit tests and the end-to-end tests through the CLI, driven by ctest), then
# builds the Debian package, installs it and runs the installed tool.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh"
bash "$here/scripts/setup-engines.sh" fast
cd "$here/build"
ctest --output-on-failure --timeout 1500 "$@"
# The Debian package: built, installed with apt-get, the installed tool run (needs root or sudo).
bash "$here/scripts/test-package.sh" "$here/build"
