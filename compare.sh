#!/usr/bin/env bash
# Composer's main job, on built-in data: is attention needed, or do cheaper token mixers do as well?
# Trains the sample language models on the long-range agreement task (MIXERS.md §11a) with equal
# update and token budgets and prints one comparison table.
# Other settings: run `dotnet sample-models/bin/Release/net10.0/composer-samples.dll compare --help` directly.
# Needs only the .NET SDK: TorchSharp and libtorch come from NuGet with the build.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build sample-models -c Release -v quiet -nologo
# Defaults sized for two CPU cores and under ten minutes from a fresh clone: five identical 2-block
# shells (sample-models/Probes) that differ only in the token mixer, 1,000 updates of 2,048 tokens
# each. Measured: about 2.5 minutes of training for all five. At that budget attention and linear
# attention solve every distance, and each convolution falls towards chance past its receptive field
# (9 tokens for ShortConvProbe, 45 for LightConvProbe). Add RecurrentProbe to --models for the LSTM
# baseline (about 2.5 minutes more), AdditiveAttentionProbe for Bahdanau's additive scores (about four
# times softmax attention's training time: measured 339 against 1,280 tokens/s on the loaded machine).
exec dotnet sample-models/bin/Release/net10.0/composer-samples.dll compare \
  --models AttentionProbe,LinearAttentionProbe,LightConvProbe,ShortConvProbe,DynamicConvProbe \
  --task agreement --steps 1000 --eval-every 500 --tokens-per-batch 2048 --lr 3e-3 --test-examples 200 "$@"
