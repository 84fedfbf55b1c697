#!/usr/bin/env bash
# Composer's main job, on built-in data: is attention needed, or do cheaper token mixers do as well?
# Trains the sample language models on the long-range agreement task (MIXERS.md §11a) with equal
# update and token budgets and prints one comparison table. Installs missing prerequisites first.
# Extra arguments go to `composer-samples compare` (see --help), e.g. --steps 600 --models TransformerLm,LightConvLm
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
dotnet build sample-models -c Release -v quiet -nologo
exec dotnet sample-models/bin/Release/net10.0/composer-samples.dll compare "$@"
