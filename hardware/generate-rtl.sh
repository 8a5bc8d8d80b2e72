#!/usr/bin/env bash
# Regenerates everything in hardware/rtl/generated/ from its C# sources, so the RTL and the C# cannot
# disagree: the link protocol's constants (frame types, error codes, sizes) from host/CoDesign.Runtime,
# and the modules compiled from the C# kernels in kernels/.
# The generated files are committed; a test (GeneratedRtlTests) fails when one is stale.
# Usage: hardware/generate-rtl.sh   (CODESIGN: how to run the codesign program; default: build and run it from this checkout)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
codesign=${CODESIGN:-dotnet run -c Release --project $root/host/CoDesign.Cli --}
out=hardware/rtl/generated
mkdir -p "$out"

# Paths relative to the repository root: the header of each file names its sources and command.
runtime=host/CoDesign.Runtime
$codesign kernel constants $runtime/Link/FrameType.cs $runtime/Link/LinkCapabilities.cs $runtime/DeviceProfile.cs $runtime/Compile/DmaDescriptor.cs \
  --class FrameType --class LinkCapabilities --class DeviceErrorCode --class FrameCodec --class Frame --class CommitRequest \
  --class RunRequest --class RunReply --class DeviceStatus --class DeviceProfile --class DmaDescriptor \
  -o $out/link_protocol.vh
echo "regenerated $out/link_protocol.vh"

# The compute modules compiled from kernels/ (the accelerator instantiates these, not hand copies).
$codesign kernel verilog kernels/Crc32.cs --method Crc32.UpdateByte --shape comb -o $out/crc32_update_byte.v
$codesign kernel verilog kernels/ShiftAddMultiplier.cs --method ShiftAddMultiplier.Recode16 --shape comb -o $out/shift_add_multiplier_recode16.v
# The PE's and the layer engine's multiplier, for the faster board's clock (60 MHz): four stages, a product
# three cycles after its operands, with the row (or valid bit) as its tag.
$codesign kernel verilog kernels/ShiftAddMultiplier.cs --method ShiftAddMultiplier.MultiplyActivation --clock-mhz 60 --tag -o $out/shift_add_multiplier_multiply_activation.v
# The requantizer for the faster board's clock (60 MHz): three stages, a result two cycles after its input.
$codesign kernel verilog kernels/Requantizer.cs --method Requantizer.Requantize --clock-mhz 60 -o $out/requantizer_requantize.v
$codesign kernel verilog kernels/SparseMatVec.cs --method SparseMatVec.MultiplyAccumulate --clock-mhz 44 --stall -o $out/sparse_mat_vec_multiply_accumulate.v
# The access path's gearbox for its default widths (unsigned 4-bit values from 32-bit words, as
# width_unpacker.v's parameters): WidthConverter.Unpack with the widths fixed by a C# call. No module of
# the accelerator reads packed values yet (its layers take bytes), so nothing instantiates it; it is
# compared with width_unpacker in the kernel benchmark and checked against the C# in RtlSmokeTests.
$codesign kernel verilog kernels/WidthConverter.cs --method WidthConverter.UnpackNibbles -o $out/width_converter_unpack_nibbles.v
echo "regenerated the modules compiled from kernels/"
