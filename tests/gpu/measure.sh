#!/usr/bin/env bash
# Measures the gpu device on a machine with an NVIDIA GPU and no .NET (issue 10, item 7), from the
# self-contained publish that tests/gpu/publish.sh packs (this script travels inside it):
#   tar -xJf codesign-gpu-measure.tar.xz && codesign-gpu-measure/measure.sh
# In one run: the shipped model on all 10,000 Fashion-MNIST test images through the device link, bit
# for bit; images/s of the engine at batch sizes 1 to 65,536 beside PyTorch on the same GPU; SpMV beside
# cuSPARSE CSR (CuPy) and PyTorch. Anchors that are not installed are reported as not run.
# Options are the benchmark's (they override the defaults below), e.g. --accelerator cpu --images 200
# --max-batch 64 --spmv-size 512 for a dry run without a GPU. The report also goes to $OUT/gpu-measure.txt
# when OUT is set, else next to this script.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
report=${OUT:-$here}/gpu-measure.txt

# No ICU on a bare machine: the benchmark prints invariant numbers anyway.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
# ILGPU opens the CUDA driver by an unversioned name; drivers without the dev package have only libcuda.so.1.
cuda=$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}')
if [[ -n "$cuda" ]]; then
  links=$(mktemp -d)
  trap 'rm -rf "$links"' EXIT
  for name in libcuda.so libnvcuda.so nvcuda.so; do ln -s "$cuda" "$links/$name"; done
  export LD_LIBRARY_PATH="$links${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

{
  echo "# codesign gpu measurement, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "# no nvidia-smi"
  python3 -c 'import torch; print("# torch", torch.__version__, "cuda" if torch.cuda.is_available() else "no cuda")' 2>/dev/null || echo "# no python3 with torch"
  python3 -c 'import cupy; print("# cupy", cupy.__version__)' 2>/dev/null || echo "# no cupy"
  "$here/Benchmarks" --gpu-device --accelerator cuda --data "$here/data" --model "$here/models/fashion-mnist-mlp.cdsm" --anchors "$here/anchors.py" "$@"
} 2>&1 | tee "$report"
status=${PIPESTATUS[0]}
echo "report: $report (exit $status)"
exit "$status"
