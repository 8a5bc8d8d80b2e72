#!/usr/bin/env bash
# Benchmark mode, not CI: measures how many mutants of the production code the tests kill.
#   tests/mutation/run-stryker.sh [kernels|runtime|all] [stryker options...]   (default: all)
# Further options go to Stryker as they are, e.g. -m "**/DeviceMemoryAllocator.cs" to mutate one file.
# kernels: every file of kernels/, against tests/CoDesign.Kernels.Tests.
# runtime: host/CoDesign.Runtime/Link and Deploy only, against tests/CoDesign.Runtime.Tests.
# Each target's settings are in tests/mutation/<target>/stryker-config.json (one test runner at a
# time: the machine is shared). Reports land in tests/mutation/StrykerOutput/<target>/ (git-ignored);
# the score and the time it took are printed at the end. Equivalent mutants: EQUIVALENT.md.
# The kernels run leaves out one test, ShiftAddMultiplierTests.EqualsNativeMultiplyForAll...Pairs:
# it checks 2 x 2^24 products on every core, and Stryker would run it again for each of the ~40
# mutants of ShiftAddMultiplier (a full run with it had not finished after 22 minutes on a shared
# 2-core machine). The same code stays covered by
# the canonical-digit, step-bound, known-constant and wide-operand tests, so the score is a lower
# bound on what the full suite catches.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tests/mutation"
target="${1:-all}"
shift || true
case "$target" in
  kernels | runtime) targets=("$target") ;;
  all) targets=(kernels runtime) ;;
  *) echo "usage: $0 [kernels|runtime|all]" >&2; exit 2 ;;
esac

cd "$root"
dotnet tool restore >/dev/null

declare -A tests=([kernels]=CoDesign.Kernels.Tests [runtime]=CoDesign.Runtime.Tests)
summary=()
for t in "${targets[@]}"; do
  out="$here/StrykerOutput/$t"
  rm -rf "$out"
  start=$(date +%s)
  # Stryker runs from the test project's folder; its config names the project under test.
  (cd "$root/tests/${tests[$t]}" &&
    dotnet stryker --config-file "$here/$t/stryker-config.json" --output "$out" "$@")
  seconds=$(( $(date +%s) - start ))
  report="$out/reports/mutation-report.json"
  score=$(python3 "$here/score.py" "$report")
  summary+=("$t: mutation score $score in ${seconds} s; report $out/reports/mutation-report.html")
done

printf '%s\n' "${summary[@]}"
