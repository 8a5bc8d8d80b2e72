#!/usr/bin/env bash
# Rebuilds every board's bitstream from the sources and fails when a committed one differs, so the
# bitstreams in bitstreams/ are always what the RTL builds (the flow is deterministic: fixed seed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for board in icebreaker hx8k-breakout; do
  fresh=$(mktemp -d)
  "$root/hardware/build-bitstream.sh" "$board" "$fresh" | tail -n 2
  if ! cmp -s "$fresh/$board.bin" "$root/bitstreams/$board/$board.bin"; then
    echo "bitstreams/$board/$board.bin differs from what the sources build: run hardware/build-bitstream.sh $board and commit it" >&2
    status=1
  fi
  rm -rf "$fresh"
done
exit $status
