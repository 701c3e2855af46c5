#!/usr/bin/env bash
# Cold start of the terminal: from launching `nftterm` (the devnet up, its
# discovery cached by an earlier launch) to the first painted frame with live
# rows. Prints each launch's wall time (exec to exit, measured here) and the
# time the program itself reports (main() to that frame), then the medians.
#   tests/bench/cold_start.sh [BUILD_DIR] [LAUNCHES]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="${1:-$root/build}"
launches="${2:-5}"
cli="$build/app/nftterm-cli"
gui="$build/app/nftterm"
data=$(mktemp -d)
export NFTTERM_DATA_DIR="$data" XDG_CONFIG_HOME="$data/config" XDG_RUNTIME_DIR="$data/run" QT_QPA_PLATFORM=offscreen
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"
# A devnet of its own (its manifest in the temporary data folder names the node), stopped at exit.
trap '"$cli" devnet down >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
"$cli" devnet up --port 8597 >/dev/null 2>&1
"$gui" --startup-time >/dev/null 2>&1  # the first launch fills the discovery cache
walls=() mains=()
for ((i = 0; i < launches; i++)); do
  start=$(date +%s%N)
  line=$("$gui" --startup-time 2>/dev/null)
  end=$(date +%s%N)
  walls+=($(((end - start) / 1000000)))
  mains+=("$(sed -E 's/.*: ([0-9]+) ms.*/\1/' <<<"$line")")
  echo "launch $((i + 1)): $((((end - start) / 1000000))) ms to exit; $line"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
echo "cold start, median of $launches: $(median "${walls[@]}") ms from exec to the first frame with live rows and exit ($(median "${mains[@]}") ms of it after main()); target <= 2000 ms"
