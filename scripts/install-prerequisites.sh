#!/usr/bin/env bash
# Installs what Composer's tests need beyond the .NET SDK, idempotently. The build itself needs nothing
# else: TorchSharp and libtorch come from NuGet. The tests that compare with Python read and write
# safetensors with numpy and run Debian's PyTorch 1.13 as an independent reference (python3-numpy,
# python3-torch). The data-parallel tests start jobs with MPICH's mpirun and load its libmpich.so.12
# (mpich; Composer binds MPICH's ABI, see README). Extra packages can be named as arguments.
set -euo pipefail

packages=(python3-numpy python3-torch mpich "$@")
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
  echo "warning: ${missing[*]} missing and this is not a Debian/Ubuntu system (no apt-get); the tests that compare with Python or start MPI jobs will be skipped." >&2
  exit 0
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
