#!/usr/bin/env bash
# Regenerates docs/screenshots/ from the program itself: a demo devnet of its
# own, the window opened with --select / --top-up / --open / --chart, and the
# dialogs the terminal tests save when NFTTERM_SHOT_DIR is set.
# Usage: bash docs/make-screenshots.sh [BUILD_DIR]   (after a full build, e.g. packaging/quickstart.sh test)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=$root/docs/screenshots
cli=$build/app/nftterm-cli
mkdir -p "$out"

# A user of its own: the shots never show (or touch) this machine's accounts and settings.
home=$(mktemp -d)
state=$home/devnet
cleanup() {
    "$cli" devnet down --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$home"
}
trap cleanup EXIT
export HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config

window() {
    local name=$1
    shift
    xvfb-run -a -s "-screen 0 1440x900x24" "$build/app/nftterm" --screenshot "$out/$name.png" --quit-after 6 "$@" >/dev/null 2>&1
    echo "docs/screenshots/$name.png"
}

# Before any devnet: the first-run page.
window first-run

"$cli" devnet up --state-dir "$state" --port 8547 >/dev/null
manifest=$state/manifest.json
alice=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
positions=$("$cli" positions --registry "$manifest" --account "$alice" --no-cache --json)
pool_loan=$(grep -o '"id": *"benddao:[^"]*"' <<<"$positions" | head -1 | sed 's/.*"\(benddao:[^"]*\)"/\1/')
perp=$(grep -o '"id": *"perp:[^"]*"' <<<"$positions" | head -1 | sed 's/.*"\(perp:[^"]*\)"/\1/')

window window --registry "$manifest"
window details-pool-loan --registry "$manifest" --select "$pool_loan"
window top-up --registry "$manifest" --top-up "$pool_loan"
window perp-funding --registry "$manifest" --select "$perp" --chart funding
window depth --registry "$manifest" --select "$pool_loan" --chart depth
window trade --registry "$manifest" --open trade
window settings --registry "$manifest" --open settings
window about --registry "$manifest" --open about

# The dialogs the terminal tests drive (Ledger, perp ticket and triggers, down payment, a long scan).
for unit in terminal_accounts terminal_window terminal_trading main_window connect_node; do
    NFTTERM_SHOT_DIR=$out QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1440x900x24" "$build/tests/test_terminal" "$unit" >/dev/null 2>&1 ||
        echo "the $unit tests failed: their shots may be missing" >&2
done
ls "$out"
