#!/usr/bin/env bash
# Chooses a board's placement seed: synthesizes once, places and routes with seeds 1 to N (the flow of
# build-bitstream.sh, hardware/flow.sh), and picks the highest Fmax (the lowest seed among equals; a
# seed that does not route or place never wins). Records every seed's result and the chosen seed in
# bitstreams/<board>/seeds.txt, which build-bitstream.sh reads, then builds the bitstream with it.
# With an output folder, writes seeds.txt and the build there instead and leaves bitstreams/ alone.
# Usage: hardware/seed-search.sh icebreaker|hx8k-breakout N [output-folder] [--jobs J]
#   --jobs J: place J seeds at once (default 1; each nextpnr takes one core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/hardware/flow.sh"
usage="usage: $0 icebreaker|hx8k-breakout N [output-folder] [--jobs J]"
board=""
count=""
out=""
jobs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=${2:?"$usage"}; shift 2 ;;
    --jobs=*) jobs=${1#--jobs=}; shift ;;
    -*) echo "unknown option '$1'; $usage" >&2; exit 2 ;;
    *) if [ -z "$board" ]; then board=$1; elif [ -z "$count" ]; then count=$1; elif [ -z "$out" ]; then out=$1; else echo "$usage" >&2; exit 2; fi; shift ;;
  esac
done
[ -n "$board" ] && [ -n "$count" ] || { echo "$usage" >&2; exit 2; }
flow_board "$board" || exit 2
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] || { echo "N is the number of seeds to try, at least 1, not '$count'; $usage" >&2; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -ge 1 ] || { echo "--jobs takes a number of at least 1, not '$jobs'; $usage" >&2; exit 2; }
flow_tools || exit 2
record_dir=${out:-$root/bitstreams/$board}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$record_dir"

started=$(date +%s)
flow_synthesize "$work/$board.json" "$work/yosys.log"
echo "$board: synthesized in $(( $(date +%s) - started )) s; placing seeds 1 to $count, $jobs at a time"

# One seed: place and route, then a line "SEED RESULT SECONDS": RESULT is the Fmax, "-" when
# nextpnr failed (did not place or route), "limit" when it ran past FLOW_CPU_LIMIT.
place_seed() {
  local seed=$1 begun result status=0
  begun=$(date +%s)
  flow_place "$work/$board.json" "$seed" "$work/seed$seed.asc" "$work/seed$seed.log" 2>/dev/null || status=$?
  case $status in
    0) result=$(flow_fmax "$work/seed$seed.log"); result=${result:--} ;;
    152|137) result=limit ;;
    *) result=- ;;
  esac
  echo "$seed $result $(( $(date +%s) - begun ))" > "$work/seed$seed.result"
  echo "  seed $seed: $result ($(( $(date +%s) - begun )) s)"
}
export -f place_seed flow_place flow_fmax
# A seed still placing or routing after 20 minutes of CPU time is stopped and loses (a stalled
# router; on an idle machine a seed takes one to three minutes).
FLOW_CPU_LIMIT=${FLOW_CPU_LIMIT:-1200}
export work board arch package pcf target_mhz FLOW_CPU_LIMIT
seq 1 "$count" | xargs -P "$jobs" -I{} bash -c 'place_seed {}'

best=""
best_fmax=""
{
  echo "# Placement seeds for $board: nextpnr-ice40 $arch --freq $target_mhz --placer heap on one synthesis,"
  echo "# seeds 1 to $count (hardware/seed-search.sh $board $count); Fmax as nextpnr reports it."
  for seed in $(seq 1 "$count"); do
    read -r _ fmax seconds < "$work/seed$seed.result"
    if [ "$fmax" = - ]; then
      echo "seed $seed: did not place and route ($seconds s)"
    elif [ "$fmax" = limit ]; then
      echo "seed $seed: stopped at the limit of ${FLOW_CPU_LIMIT} s of CPU time ($seconds s)"
    else
      echo "seed $seed: $fmax MHz ($seconds s)"
      if [ -z "$best" ] || awk -v a="$fmax" -v b="$best_fmax" 'BEGIN { exit !(a > b) }'; then
        best=$seed
        best_fmax=$fmax
      fi
    fi
  done
  [ -n "$best" ] && echo "chosen seed: $best ($best_fmax MHz)"
} > "$work/seeds.txt"
[ -n "$best" ] || { cat "$work/seeds.txt" >&2; echo "no seed of 1 to $count placed and routed $board; try more seeds" >&2; exit 1; }
cp "$work/seeds.txt" "$record_dir/seeds.txt"
cat "$record_dir/seeds.txt"
echo "$board: seed search took $(( $(date +%s) - started )) s; building the bitstream with seed $best"
if [ -n "$out" ]; then
  "$root/hardware/build-bitstream.sh" "$board" "$out" --seed "$best"
else
  "$root/hardware/build-bitstream.sh" "$board"
fi
