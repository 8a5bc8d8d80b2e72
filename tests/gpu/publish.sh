#!/usr/bin/env bash
# Packs what tests/gpu/measure.sh needs on a GPU machine without .NET into one tar.xz (goal <= 56 MiB: the device tool carries 64 MiB with the working tree):
# the gpu benchmark published self-contained for linux-x64 (untrimmed: trimming breaks ILGPU), the
# shipped model, the Fashion-MNIST test set, the anchors and the script.
# usage: tests/gpu/publish.sh [OUT.tar.xz]     (default artifacts/codesign-gpu-measure.tar.xz)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$root/artifacts/codesign-gpu-measure.tar.xz}")
limit=$((56 * 1024 * 1024))   # the device tool carries 64 MiB with the working tree (about 4 MiB)
data=${CODESIGN_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}

for file in t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [[ -f "$data/$file" ]] || { echo "error: $data/$file not found (Debian: apt-get install dataset-fashion-mnist)" >&2; exit 2; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/codesign-gpu-measure
dotnet publish "$root/tests/Benchmarks/Benchmarks.csproj" -c Release -r linux-x64 --self-contained true \
  -p:PublishTrimmed=false -o "$dir" --nologo -v quiet
# The gpu benchmark never plans memory or draws plots: OR-Tools' solvers and their libraries, and
# SkiaSharp's, would only take a third of the archive (it and the working tree must fit the device
# tool's 64 MiB carry). The dry run of tests/gpu/check.sh runs the archive without them.
(cd "$dir" && rm -f libortools.so.* google-ortools-native.so libscip.so.* libhighs.so.* libCbc*.so.* libCgl.so.* \
  libClp*.so.* libCoinUtils.so.* libOsi*.so.* libabsl_*.so.* libprotobuf.so.* libre2.so.* libutf8_validity.so.* \
  libSkiaSharp.so libHarfBuzzSharp.so)
mkdir -p "$dir/models" "$dir/data" "$(dirname "$out")"
cp "$root/host/models/fashion-mnist-mlp.cdsm" "$dir/models/"
cp "$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz" "$dir/data/"
cp "$root/tests/gpu/anchors.py" "$root/tests/gpu/measure.sh" "$dir/"
chmod +x "$dir/measure.sh"
XZ_OPT=${XZ_OPT:--6 -T0} tar -C "$stage" -cJf "$out" codesign-gpu-measure

size=$(stat -c %s "$out")
echo "$out: $(awk -v b="$size" 'BEGIN { printf "%.1f MiB", b / 1048576 }') ($(du -sh "$dir" | cut -f1) unpacked)"
if (( size > limit )); then
  echo "error: $out is over 56 MiB" >&2
  exit 1
fi
