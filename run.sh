#!/usr/bin/env bash
# The main job: set up, then classify the Fashion-MNIST test set with the shipped compressed model
# on the emulated accelerator. Extra arguments go to `codesign infer` (see --help).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
exec dotnet run -c Release --project host/CoDesign.Cli -- infer "$@"
