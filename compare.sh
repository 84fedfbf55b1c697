#!/usr/bin/env bash
# Composer's main job, on built-in data: is attention needed, or do cheaper token mixers do as well?
# Trains the sample language models on the long-range agreement task (MIXERS.md §11a) with equal
# update and token budgets and prints one comparison table. Installs missing prerequisites first.
# Other settings: run `dotnet sample-models/bin/Release/net10.0/composer-samples.dll compare --help` directly.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet build sample-models -c Release -v quiet -nologo
# Defaults sized for two CPU cores and about ten minutes: five identical 2-block shells
# (sample-models/Probes) that differ only in the token mixer, the same updates and tokens each.
exec dotnet sample-models/bin/Release/net10.0/composer-samples.dll compare \
  --models AttentionProbe,LinearAttentionProbe,LightConvProbe,ShortConvProbe,DynamicConvProbe \
  --task agreement --steps 150 --eval-every 75 --tokens-per-batch 2048 --lr 3e-3 --test-examples 200
