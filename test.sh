#!/usr/bin/env bash
# Runs Composer's whole test suite on a Debian/Ubuntu machine that has only the .NET SDK: installs
# the Python reference the interop tests compare with (python3-numpy, python3-torch), builds
# everything (TorchSharp and libtorch come from NuGet) and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet test Composer.sln -c Release "$@"
