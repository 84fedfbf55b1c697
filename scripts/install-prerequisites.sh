#!/usr/bin/env bash
# Installs what Composer needs beyond the .NET SDK, idempotently: libtorch (headers + libraries), the
# C++ toolchain that builds the native shim, OpenBLAS (Debian's default BLAS is the slow reference
# one), and numpy for the Python interop test. Extra packages can be named as arguments
# (the benchmarks add python3-torch, the PyTorch they compare against).
set -euo pipefail

packages=(libtorch-dev cmake g++ libopenblas0-pthread python3-numpy "$@")
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "error: missing ${missing[*]} and this is not a Debian/Ubuntu system (no apt-get)." >&2
  echo "Install libtorch, cmake and a C++17 compiler yourself and set COMPOSER_LIBTORCH to the libtorch folder." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: missing ${missing[*]}; run as root or install sudo." >&2; exit 1
  fi
fi
echo "Installing ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
