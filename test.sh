#!/usr/bin/env bash
# Runs Composer's whole test suite on a Debian/Ubuntu machine that has only the .NET SDK:
# installs missing prerequisites, builds everything (the native shim included) and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet test Composer.sln -c Release "$@"
