#!/usr/bin/env bash
# Sets up and runs every test of the solution.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
dotnet test CoDesign.sln -c Release "$@"
