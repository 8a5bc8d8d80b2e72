#!/usr/bin/env bash
# Builds a board's bitstream from hardware/rtl and hardware/boards with the open iCE40 flow:
# Yosys (synth_ice40) -> nextpnr-ice40 (place and route) -> icepack -> icetime (hardware/flow.sh).
# The placement seed is the one hardware/seed-search.sh chose and recorded in bitstreams/<board>/seeds.txt
# (--seed overrides it for a trial), so the build is reproducible and CI can compare it.
# Writes bitstreams/<board>/: <board>.bin, utilisation.txt, timing.txt (seeds.txt is the search's).
# --model compiles a model (`codesign compile`) and bakes its device image into the weight memory's
# block-RAM initialisation at address 0, so the board starts with it (`codesign infer --resident`).
# Usage: hardware/build-bitstream.sh icebreaker|hx8k-breakout [output-folder] [--model model.cdsm] [--seed N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/hardware/flow.sh"
usage="usage: $0 icebreaker|hx8k-breakout [output-folder] [--model model.cdsm] [--seed N]"
board=""
out=""
model=""
seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model=${2:?"$usage"}; shift 2 ;;
    --model=*) model=${1#--model=}; shift ;;
    --seed) seed=${2:?"$usage"}; shift 2 ;;
    --seed=*) seed=${1#--seed=}; shift ;;
    -*) echo "unknown option '$1'; $usage" >&2; exit 2 ;;
    *) if [ -z "$board" ]; then board=$1; elif [ -z "$out" ]; then out=$1; else echo "$usage" >&2; exit 2; fi; shift ;;
  esac
done
[ -n "$board" ] || { echo "$usage" >&2; exit 2; }
flow_board "$board" || exit 2
if [ -n "$seed" ]; then
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "--seed takes a number, not '$seed'; $usage" >&2; exit 2; }
fi
if [ -n "$model" ]; then
  if [ "$board" = icebreaker ]; then
    echo "cannot bake a model into the icebreaker bitstream: its weights live in the UP5K's SPRAM, which the bitstream cannot initialise" \
      "(configuration only switches the SPRAM blocks on; SB_SPRAM256KA has no INIT). Write it into the board's flash beside the bitstream," \
      "which the build copies into the SPRAM at power-up (codesign flash --board icebreaker --model m.cdsm), or deploy it over the link (codesign infer)." >&2
    exit 2
  fi
  [ -f "$model" ] || { echo "model file '$model' does not exist" >&2; exit 2; }
  # A baked build must not replace the committed bitstream, which CI compares with the plain build.
  [ -n "$out" ] || { echo "--model needs an output folder (bitstreams/$board/ holds the build without a model); $usage" >&2; exit 2; }
fi
seed=${seed:-$(flow_recorded_seed "$board")} || exit 2
flow_tools || exit 2
out=${out:-$root/bitstreams/$board}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

bake=""
if [ -n "$model" ]; then
  # CODESIGN: how to run the codesign program (default: build and run it from this checkout).
  codesign=${CODESIGN:-dotnet run -c Release --project $root/host/CoDesign.Cli --}
  $codesign compile --board "$board" --hex "$work/weights.hex" "$model"
  bake="-DWEIGHT_MEMORY_INIT_FILE=\"$work/weights.hex\""
fi
started=$(date +%s.%N)
flow_synthesize "$work/$board.json" "$work/yosys.log" $bake
synthesized=$(date +%s.%N)
flow_place "$work/$board.json" "$seed" "$work/$board.asc" "$work/nextpnr.log"
placed=$(date +%s.%N)
icepack "$work/$board.asc" "$out/$board.bin"
icetime -d $icetime_device -P $package -p "$pcf" -t -m -r "$work/icetime.txt" "$work/$board.asc" >/dev/null 2>"$work/icetime.err"
grep -v "unsupported DSP config" "$work/icetime.err" >&2 || true
finished=$(date +%s.%N)

# Reports without paths or times, so they only change when the design does.
awk '/Device utilisation/ { on = 1; print; next } on && /^Info:[ \t]+[A-Z_0-9]+:/ { print; next } on { exit }' "$work/nextpnr.log" \
  | sed 's/^Info: //' > "$out/utilisation.txt"
{ grep -E "Max frequency for clock" "$work/nextpnr.log" | sed 's/^Info: //' | tail -n 1
  grep -E "^Total (number of logic levels|path delay)" "$work/icetime.txt"
  # icetime models an SB_MAC16 only as a multiplier: an accumulator (dsp_counter) it times as a
  # combinational path from its hold input to its output, which is a register. nextpnr's line is the figure.
  if grep -q "unsupported DSP config" "$work/icetime.err"; then
    echo "icetime: SB_MAC16 accumulators timed as combinational multipliers (its path passes their output register); nextpnr's Fmax above is the figure"
  fi
  echo "Placement seed: $seed"
} > "$out/timing.txt"
echo "$board: $(grep -E 'ICESTORM_LC' "$out/utilisation.txt" | xargs); $(head -n 1 "$out/timing.txt"); seed $seed"
# Wall time depends on what else the machine runs; the tools' CPU time (user and system, from
# `times`) is what an idle machine's wall time would be, as every step runs on one core.
times > "$work/times.txt"  # in this shell: a command substitution's subshell has no children of its own
cpu=$(tail -n 1 "$work/times.txt")
awk -v a="$started" -v b="$synthesized" -v c="$placed" -v d="$finished" -v cpu="$cpu" \
  'BEGIN { printf "build time: %.1f s (synthesis %.1f s, place and route %.1f s, pack and timing %.1f s); CPU time of the tools: %s (user, system)\n", d - a, b - a, c - b, d - c, cpu }'
