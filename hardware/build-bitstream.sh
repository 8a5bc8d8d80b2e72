#!/usr/bin/env bash
# Builds a board's bitstream from hardware/rtl and hardware/boards with the open iCE40 flow:
# Yosys (synth_ice40) -> nextpnr-ice40 (place and route, fixed seed) -> icepack -> icetime.
# Writes bitstreams/<board>/: <board>.bin, utilisation.txt, timing.txt, and the tools' logs.
# Usage: hardware/build-bitstream.sh icebreaker|hx8k-breakout [output-folder]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
board=${1:?usage: $0 icebreaker|hx8k-breakout [output-folder]}
case "$board" in
  icebreaker)    top=icebreaker;    arch=--up5k; package=sg48;  icetime_device=up5k ;;
  hx8k-breakout) top=hx8k_breakout; arch=--hx8k; package=ct256; icetime_device=hx8k ;;
  *) echo "unknown board '$board' (known: icebreaker, hx8k-breakout)" >&2; exit 2 ;;
esac
for tool in yosys nextpnr-ice40 icepack icetime; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: sudo apt-get install yosys nextpnr-ice40 fpga-icestorm" >&2; exit 2; }
done
out=${2:-$root/bitstreams/$board}
pcf=$root/constraints/$board.pcf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

yosys -q -l "$work/yosys.log" -p "read_verilog $root/hardware/rtl/*.v $root/hardware/boards/$top.v; synth_ice40 -top $top -json $work/$board.json"
nextpnr-ice40 $arch --package $package --json "$work/$board.json" --pcf "$pcf" --asc "$work/$board.asc" \
  --freq 12 --seed 1 --quiet --log "$work/nextpnr.log"
icepack "$work/$board.asc" "$out/$board.bin"
icetime -d $icetime_device -P $package -p "$pcf" -t -m -r "$work/icetime.txt" "$work/$board.asc" >/dev/null

# Reports without paths or times, so they only change when the design does.
awk '/Device utilisation/ { on = 1; print; next } on && /^Info:[ \t]+[A-Z_0-9]+:/ { print; next } on { exit }' "$work/nextpnr.log" \
  | sed 's/^Info: //' > "$out/utilisation.txt"
{ grep -E "Max frequency for clock" "$work/nextpnr.log" | sed 's/^Info: //' | tail -n 1
  grep -E "^Total (number of logic levels|path delay)" "$work/icetime.txt"
} > "$out/timing.txt"
echo "$board: $(grep -E 'ICESTORM_LC' "$out/utilisation.txt" | xargs); $(head -n 1 "$out/timing.txt")"
