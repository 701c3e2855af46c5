#!/usr/bin/env bash
# The README's two commands:
#   packaging/quickstart.sh run   install what is missing, build, start the devnet and its market simulator, launch the terminal
#   packaging/quickstart.sh test  install what is missing, build, run every test through CTest
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${NFTTERM_BUILD_DIR:-$root/build}"
mode="${1:-}"

case "$mode" in
  run|test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

bash "$root/packaging/install-deps.sh"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [[ "$mode" == test ]]; then
  cmake --build "$build" --parallel "$(nproc)"
  cd "$build"
  exec ctest --output-on-failure --timeout 600 -j "$(nproc)"
fi

# Only what the window needs: the two programs (and the contracts the CLI
# deploys), not the tests, the benchmarks or the fuzz sub-build.
cmake --build "$build" --parallel "$(nproc)" --target nftterm nftterm-cli

# The embedded default: the local devnet with the demo world (reused if it
# already runs; stop it with: build/app/nftterm-cli devnet down), and a live
# market on it for as long as the window is open.
"$build/app/nftterm-cli" devnet up >/dev/null
"$build/app/nftterm-cli" devnet simulate >"$build/devnet-simulator.log" 2>&1 &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true' EXIT

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  "$build/app/nftterm"
  exit
fi
# No desktop session (a server or a container): run on a virtual display and
# leave a screenshot to look at.
shot="$build/nftterm-screenshot.png"
echo "nftterm: no display; running under Xvfb for 10 s, screenshot: $shot"
xvfb-run -a "$build/app/nftterm" --screenshot "$shot" --quit-after 10
