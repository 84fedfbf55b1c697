#!/usr/bin/env bash
# "How much does attention actually attend?" (PAPA, MIXERS.md §7, §7a) on built-in data: trains a
# 2-block, 16-head softmax-attention language model on the long-range agreement task (MIXERS.md §11a), then
# replaces 0, 1/4, 1/2, 3/4, 7/8, 15/16 and all of its 16 heads by constant matrices averaged over the
# training split, and prints validation loss, agreement accuracy by distance and the relative drop
# at each fraction. Ends with `RESULT papa_relative_drop_all` and `RESULT papa_relative_drop_half`.
# Extra arguments go to the `papa` command (e.g. --order random for the control, --order gate for
# PAPA's learned gate); see `dotnet sample-models/bin/Release/net10.0/composer-samples.dll papa --help`.
# Writes runs/papa/train (the trained model; a second run reuses it, delete it to retrain),
# runs/papa/PapaAttentionProbe (papa.json, matrices.safetensors) and runs/papa/half-constant (the
# model with half its heads constant, a checkpoint `evaluate` and `generate` accept).
# Needs only the .NET SDK: TorchSharp and libtorch come from NuGet with the build.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build sample-models -c Release -v quiet -nologo
samples=sample-models/bin/Release/net10.0/composer-samples.dll
# Sized for two CPU cores and under ten minutes from a fresh clone: the same budget as ./compare.sh
# (1,000 updates of 2,048 tokens, peak lr 3e-3). --resume finishes an interrupted run and leaves a
# finished one as it is.
dotnet "$samples" train --model PapaAttentionProbe --task agreement --run runs/papa/train --resume \
  --steps 1000 --eval-every 500 --tokens-per-batch 2048 --lr 3e-3
# Ā over one pass of the training split; the ranking (divergence by default) and the scores on the
# validation split and 200 test items per distance, zero-shot.
exec dotnet "$samples" papa --model PapaAttentionProbe --checkpoint runs/papa/train --task agreement \
  --tokens-per-batch 2048 --test-examples 200 --out runs/papa/PapaAttentionProbe --save runs/papa/half-constant "$@"
