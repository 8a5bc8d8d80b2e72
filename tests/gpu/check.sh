#!/usr/bin/env bash
# CI's dry run of the GPU measurement (issue 10, item 7) on a machine without a GPU: pack the
# self-contained publish (fails over 64 MiB), unpack it elsewhere, and run measure.sh with no .NET on
# the PATH on ILGPU's CPU accelerator at small sizes. It must finish with every output bit-exact.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tests/gpu/publish.sh "$scratch/codesign-gpu-measure.tar.xz"
mkdir "$scratch/machine"
tar -C "$scratch/machine" -xJf "$scratch/codesign-gpu-measure.tar.xz"
output=$(env -i HOME="$scratch" PATH=/usr/bin:/bin OUT="$scratch" "$scratch/machine/codesign-gpu-measure/measure.sh" \
  --accelerator cpu --images 300 --max-batch 64 --spmv-size 512 --spmv-batch 16)
for expected in "300 of 300 images bit-exact" "every batch bit-exact" "every output of ours bit-exact"; do
  grep -q "$expected" <<<"$output" || { echo "error: the GPU measurement's dry run did not say '$expected':" >&2; echo "$output" >&2; exit 1; }
done
echo "gpu: packed the measurement ($(du -k "$scratch/codesign-gpu-measure.tar.xz" | cut -f1) KiB as tar.xz) and dry-ran it without .NET on ILGPU's CPU accelerator"
