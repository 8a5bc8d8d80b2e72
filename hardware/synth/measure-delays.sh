#!/usr/bin/env bash
# Measures the iCE40 delay model of the kernel compiler's scheduler (operation chaining): the
# combinational delay of each operation at each width, in ns, on the UP5K (iCEBreaker's sg48) and
# the HX8K (ct256). Each operation sits between input and output registers in a generated module
# (operands from a serially loaded flip-flop chain, result captured in plain flip-flops, then
# shifted out), so the only logic on the critical path is the operation. Yosys (synth_ice40) and
# nextpnr-ice40 (fixed seed) build it; the delay is nextpnr's critical path (1000 / Fmax) minus
# the same figure for a bare register pair (flip-flop to flip-flop), recorded as `overhead`.
# Writes compiler/CoDesign.KernelCompiler/Scheduling/Ice40DelayModel.csv (device,op,width,ns).
# Usage: hardware/synth/measure-delays.sh [--devices "up5k hx8k"] [--widths "1 2 4 ..."] [--ops "add sub ..."] [-j 2] [-o out.csv]
# Runs that exceed MEASURE_TIMEOUT seconds (default 600) are skipped and listed on stderr.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
devices="up5k hx8k"
widths="1 2 4 8 12 16 24 32 48 64"
ops="add sub lt_u lt_s lt_split_u lt_split_s eq and xor mux shl_var shr_var sra_var mul mul_dsp div rem"
jobs=2
out=$root/compiler/CoDesign.KernelCompiler/Scheduling/Ice40DelayModel.csv
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --widths) widths=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --one) shift; break ;;  # internal: measure one (device op width), see below
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done

# The operation's result expression of operands a, b (and select s, shift count c) at width w.
expression() {
  local op=$1 w=$2
  case "$op" in
    add) echo "a + b" ;;
    sub) echo "a - b" ;;
    lt_u) echo "a < b" ;;
    lt_s) echo "\$signed(a) < \$signed(b)" ;;
    # A wide compare as the kernel compiler writes it (SplitComparison.cs): the halves' carry
    # chains side by side, the low half deciding only when the high halves are equal.
    lt_split_u|lt_split_s)
      local l=$((w / 2)) sa="" sb=""
      [ "$op" = lt_split_s ] && sa="\$signed(" && sb=")"
      echo "(${sa}a[$((w - 1)):$l]${sb} < ${sa}b[$((w - 1)):$l]${sb}) | ((a[$((w - 1)):$l] == b[$((w - 1)):$l]) & (a[$((l - 1)):0] < b[$((l - 1)):0]))" ;;
    eq) echo "a == b" ;;
    and) echo "a & b" ;;
    xor) echo "a ^ b" ;;
    mux) echo "s ? a : b" ;;
    shl_var) echo "a << c" ;;
    shr_var) echo "a >> c" ;;
    sra_var) echo "\$signed(a) >>> c" ;;
    mul|mul_dsp) echo "a * b" ;;
    div) echo "a / b" ;;
    rem) echo "a % b" ;;
    *) echo "unknown operation '$op'" >&2; exit 2 ;;
  esac
}

# One measurement: prints "device,op,width,period_ns" (or nothing when the tools failed or timed out).
measure_one() {
  local device=$1 op=$2 w=$3
  local work; work=$(mktemp -d)
  local cw=1; while [ $((1 << cw)) -lt "$w" ]; do cw=$((cw + 1)); done
  local expr=""; [ "$op" = overhead ] || expr=$(expression "$op" "$w")
  local outw=$w
  case "$op" in lt_u|lt_s|lt_split_u|lt_split_s|eq) outw=1 ;; esac
  if [ "$op" = overhead ]; then
    # A bare register pair: its path is clock-to-output, one route and setup, which every other
    # measurement also pays. (The others' result registers are shifted out through a multiplexer, so
    # an operation of one LUT level reads as that multiplexer's path: one LUT level either way.)
    cat > "$work/measure.v" <<VERILOG
\`default_nettype none
module measure (input wire clk, input wire din, input wire load, output wire dout);
    reg [1:0] pair;
    always @(posedge clk) pair <= {pair[0], din};
    assign dout = pair[1];
    wire unused = load;
endmodule
VERILOG
  else
  cat > "$work/measure.v" <<VERILOG
\`default_nettype none
module measure #(parameter W = $w, parameter CW = $cw, parameter OW = $outw) (
    input  wire clk,
    input  wire din,
    input  wire load,
    output wire dout
);
    // Operands from one serially loaded chain: every operand bit is a flip-flop output.
    reg [2*W+CW:0] chain;
    always @(posedge clk) chain <= {chain[2*W+CW-1:0], din};
    wire [W-1:0]  a = chain[W-1:0];
    wire [W-1:0]  b = chain[2*W-1:W];
    wire [CW-1:0] c = chain[2*W+CW-1:2*W];
    wire          s = chain[2*W+CW];
    // The result is captured in plain flip-flops (no enable or multiplexer in front of them) ...
    wire [OW-1:0] y = $expr;
    reg  [OW-1:0] y_q;
    always @(posedge clk) y_q <= y;
    // ... and shifted out from a second register.
    reg  [OW-1:0] shift;
    always @(posedge clk) shift <= load ? y_q : shift >> 1;
    assign dout = shift[0];
    wire unused = &{1'b0, a, b, c, s};
endmodule
VERILOG
  fi
  local dsp="" arch
  case "$device" in up5k) arch="--up5k --package sg48" ;; hx8k) arch="--hx8k --package ct256" ;; *) echo "unknown device $device" >&2; exit 2 ;; esac
  [ "$op" = mul_dsp ] && dsp="-dsp"
  if timeout "${MEASURE_TIMEOUT:-600}" yosys -q -l "$work/yosys.log" -p "read_verilog $work/measure.v; synth_ice40 $dsp -top measure -json $work/measure.json" >/dev/null 2>&1 \
    && timeout "${MEASURE_TIMEOUT:-600}" nextpnr-ice40 $arch --json "$work/measure.json" --pcf-allow-unconstrained --freq 12 --seed 1 \
         --timing-allow-fail --quiet --report "$work/report.json" --log "$work/nextpnr.log" >/dev/null 2>&1; then
    # The report's fmax: {"<clock net>": {"achieved": MHz, "constraint": MHz}}; one clock here.
    local mhz; mhz=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["fmax"]; print(min(v["achieved"] for v in f.values()))' "$work/report.json")
    echo "$device,$op,$w,$(python3 -c "print(f'{1000.0/$mhz:.3f}')")"
  else
    echo "skipped: $device $op width $w (tools failed or took over ${MEASURE_TIMEOUT:-600} s)" >&2
  fi
  [ -n "${MEASURE_KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}

if [ $# -eq 3 ]; then measure_one "$@"; exit 0; fi

for tool in yosys nextpnr-ice40 python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: sudo apt-get install yosys nextpnr-ice40" >&2; exit 2; }
done
list=$(mktemp)
periods=$(mktemp)
trap 'rm -f "$list" "$periods"' EXIT
for device in $devices; do
  echo "$device overhead 1" >> "$list"
  for op in $ops; do
    [ "$op" = mul_dsp ] && [ "$device" != up5k ] && continue   # only the UP5K has SB_MAC16
    for w in $widths; do
      case "$op" in div|rem) [ "$w" -gt 32 ] && continue ;; esac  # 48 and 64 bits are too large to build
      case "$op" in lt_split_*) [ "$w" -lt 8 ] && continue ;; esac  # the compiler splits only wide compares
      echo "$device $op $w" >> "$list"
    done
  done
done
echo "measuring $(wc -l < "$list") modules, $jobs at a time" >&2
xargs -P "$jobs" -L 1 "$0" --one < "$list" > "$periods"

# Delay = critical path minus the bare register pair's, never below 0. Signed and unsigned compares
# are one `lt` (split ones one `lt_split`), logical and arithmetic right shifts one `shr_var`: the
# slower of the two counts.
python3 - "$periods" "$out" <<'PY'
import sys
merged = {"lt_u": "lt", "lt_s": "lt", "lt_split_u": "lt_split", "lt_split_s": "lt_split", "sra_var": "shr_var"}
rows = [l.strip().split(",") for l in open(sys.argv[1]) if l.strip()]
overhead = {d: float(p) for d, op, w, p in rows if op == "overhead"}
delays = {}
for d, op, w, p in rows:
    if op != "overhead":
        key = (d, merged.get(op, op), int(w))
        delays[key] = max(delays.get(key, 0.0), max(0.0, float(p) - overhead[d]))
with open(sys.argv[2], "w", newline="") as f:
    f.write("device,op,width,ns\n")
    for d in sorted(overhead):
        f.write(f"{d},overhead,0,{overhead[d]:.3f}\n")
        for (dd, op, w), ns in sorted(delays.items()):
            if dd == d:
                f.write(f"{d},{op},{w},{ns:.3f}\n")
PY
echo "wrote $out" >&2
