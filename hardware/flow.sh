# The open iCE40 flow's steps, shared by build-bitstream.sh and seed-search.sh (sourced, not run):
# one place says how a board is synthesized and placed, so that a seed chosen by the search builds
# the same bitstream in the build. Needs $root (the repository) set by the sourcing script.

# Sets top, arch, package, icetime_device, target_mhz and pcf for board $1; returns 2 for an unknown board.
flow_board() {
  case "$1" in
    icebreaker)    top=icebreaker;    arch=--up5k; package=sg48;  icetime_device=up5k; target_mhz=30 ;;
    hx8k-breakout) top=hx8k_breakout; arch=--hx8k; package=ct256; icetime_device=hx8k; target_mhz=60 ;;
    *) echo "unknown board '$1' (known: icebreaker, hx8k-breakout)" >&2; return 2 ;;
  esac
  pcf=$root/constraints/$1.pcf
}

# Fails naming the first of the flow's tools that is missing.
flow_tools() {
  local tool
  for tool in yosys nextpnr-ice40 icepack icetime; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: sudo apt-get install yosys nextpnr-ice40 fpga-icestorm" >&2; return 2; }
  done
}

# flow_synthesize JSON LOG [yosys read_verilog options]: synth_ice40 of the board's top ($top).
# -defer: only the modules the top instantiates are elaborated, so a change to a module the board does
# not use (the PE array) leaves its netlist, and so its placement and Fmax, as they were.
flow_synthesize() {
  local json=$1 log=$2
  shift 2
  yosys -q -l "$log" -p "read_verilog -defer $* -I$root/hardware/rtl/generated $root/hardware/rtl/*.v $root/hardware/rtl/generated/*.v $root/hardware/boards/$top.v; synth_ice40 -top $top -json $json"
}

# flow_place JSON SEED ASC LOG: nextpnr for the board's target clock with placement seed SEED.
# The analytic placer (heap) meets the Fmax goals where the default annealer, on the UP5K at 90 % of
# its cells, does not; the seed still moves Fmax by as much as the margin, hence seed-search.sh.
# FLOW_CPU_LIMIT (CPU seconds, not wall time, so that a loaded machine does not cut a seed short),
# when set, stops a router that does not converge: nextpnr then ends with status 152 (SIGXCPU).
flow_place() {
  (
    if [ -n "${FLOW_CPU_LIMIT:-}" ]; then ulimit -t "$FLOW_CPU_LIMIT"; fi
    exec nextpnr-ice40 $arch --package $package --json "$1" --pcf "$pcf" --asc "$3" \
      --freq $target_mhz --placer heap --seed "$2" --quiet --log "$4"
  )
}

# flow_fmax LOG: the clock's Fmax in MHz that nextpnr's log reports last, or nothing.
flow_fmax() {
  grep -E "Max frequency for clock" "$1" 2>/dev/null | tail -n 1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/'
}

# flow_recorded_seed BOARD: the seed seed-search.sh chose and recorded in bitstreams/BOARD/seeds.txt.
flow_recorded_seed() {
  local record=$root/bitstreams/$1/seeds.txt seed
  seed=$(sed -n -E 's/^chosen seed: ([0-9]+).*/\1/p' "$record" 2>/dev/null | tail -n 1)
  [ -n "$seed" ] || { echo "no placement seed recorded for $1 in $record: run hardware/seed-search.sh $1 N" >&2; return 2; }
  echo "$seed"
}
