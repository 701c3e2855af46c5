#!/usr/bin/env bash
# The long fuzz runs the suite leaves out: each target until 10^7 executions
# or 30 minutes, whichever comes first, on the committed seeds plus what the
# build's corpus already found. Prints libFuzzer's final statistics.
# Usage: tests/fuzz/long_run.sh [BUILD_DIR] [TARGET…]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../build}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(abi_decode raw_transaction keystore_json eip712_json json_rpc websocket_frame)
for target in "${targets[@]}"; do
  work="$build/fuzz/corpus/$target"
  mkdir -p "$work"
  echo "== $target"
  "$build/fuzz/tests/fuzz/${target}_fuzz" -runs=10000000 -max_total_time=1800 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz/" "$work" "$here/corpus/$target" 2>&1 | grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY)" || true
done
