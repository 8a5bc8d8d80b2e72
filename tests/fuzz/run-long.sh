#!/usr/bin/env bash
# The fuzzers' long mode: the file-reader fuzzers (Matrix Market, vectors, IDX, .cdsm, .cdsd) and the
# command-line fuzzer with many more cases than CI runs. A failure prints the case, its input and the
# seed to repeat it with.
# Usage: tests/fuzz/run-long.sh [cases per fuzzer, default 20000] [seed, default random]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CODESIGN_FUZZ_CASES="${1:-20000}" CODESIGN_FUZZ_SEED="${2:-$RANDOM}"
echo "fuzz: $CODESIGN_FUZZ_CASES cases per reader fuzzer, $((CODESIGN_FUZZ_CASES / 20)) command lines (each is a process), seed $CODESIGN_FUZZ_SEED"
start=$SECONDS
for project in CoDesign.Model.Tests CoDesign.Compression.Tests CoDesign.Cli.Tests; do
  dotnet test "tests/$project" -c Release --filter "FullyQualifiedName~Fuzz"
done
echo "fuzz: all passed in $((SECONDS - start)) s"
