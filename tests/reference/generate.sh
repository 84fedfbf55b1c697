#!/usr/bin/env bash
# Regenerates every committed reference file from PyTorch (Debian's python3-torch 1.13, a build of
# libtorch independent of TorchSharp's). Tests never run this; they read the committed files.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
if ! "$PYTHON" -c 'import torch, numpy' 2>/dev/null; then
  echo "error: $PYTHON cannot import torch and numpy; install them with: sudo apt-get install -y python3-torch python3-numpy" >&2
  exit 1
fi
export OMP_NUM_THREADS=1
for script in *_reference.py mixers_*.py; do
  [ -e "$script" ] || continue
  echo "== $script"
  "$PYTHON" "$script"
done
