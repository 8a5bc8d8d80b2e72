#!/usr/bin/env bash
# Installs what CoDesign needs beyond the .NET SDK, from Debian's packages: the Fashion-MNIST data,
# and the open FPGA tools (Icarus Verilog, Verilator, Yosys, nextpnr, icestorm, openFPGALoader).
# Idempotent: installs only what is missing.
set -euo pipefail
packages=(dataset-fashion-mnist iverilog verilator yosys nextpnr-ice40 fpga-icestorm openfpgaloader)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]} (Debian packages)" >&2
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
