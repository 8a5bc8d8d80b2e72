#!/usr/bin/env bash
# The `codesign` .NET tool works outside a checkout: pack it, install it into a scratch folder, and
# run the main job on the emulator, on a board build's RTL under Verilator and by a memory plan, from
# a folder that has no CoDesign.sln above it. Needs the Fashion-MNIST data and Verilator (./setup.sh
# installs both).
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dotnet pack host/CoDesign.Cli -c Release -o "$scratch/feed" >/dev/null
package=$(ls "$scratch"/feed/CoDesign.Cli.*.nupkg)
for shipped in tools/net10.0/any/models/fashion-mnist-mlp.cdsm tools/net10.0/any/hardware/rtl/accelerator_top.v \
               tools/net10.0/any/hardware/sim/uart_bridge.cpp tools/net10.0/any/bitstreams/icebreaker/icebreaker.bin; do
  unzip -l "$package" "$shipped" >/dev/null || { echo "error: $package does not carry $shipped" >&2; exit 1; }
done
dotnet tool install --tool-path "$scratch/tools" --add-source "$scratch/feed" CoDesign.Cli >/dev/null
mkdir "$scratch/work"
cd "$scratch/work"
# emulator:hx8k-breakout runs the shipped model by a memory plan (it does not fit 8 KiB), which loads
# OR-Tools' native solver from the package.
for device in emulator verilator:icebreaker emulator:hx8k-breakout; do
  output=$("$scratch/tools/codesign" infer --device "$device" --count 20)
  grep -q "bit-exact" <<<"$output" || { echo "error: the installed tool's infer --device $device did not report bit-exact:" >&2; echo "$output" >&2; exit 1; }
done
echo "tool: packed $(basename "$package") ($(du -k "$package" | cut -f1) KiB), installed, and ran the emulator, verilator:icebreaker and the planned emulator:hx8k-breakout outside the checkout"
