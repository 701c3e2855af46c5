#!/usr/bin/env bash
# Builds the DEB, unpacks it into a scratch root and runs the installed
# programs from there only: --version, a devnet with the anvil of the npm
# tree on PATH, positions on it, and the window under Xvfb. strace records
# every file the programs touch: none may be in the source or build tree
# (the npm tree's anvil, put on PATH on purpose, aside).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR NPM_BIN_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
npm_bin=$(cd "$3" && pwd)

work=$(mktemp -d)
state=$work/devnet
cleanup() {
    [[ -x "$work/root/usr/bin/nftterm-cli" ]] && "$work/root/usr/bin/nftterm-cli" devnet down --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "install test: $*" >&2
    exit 1
}

(cd "$build" && cpack -G DEB -B "$work/package" --config CPackConfig.cmake >"$work/cpack.log") || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/package/*.deb)
# Whole outputs first: `grep -q` stops reading early, and the writer's SIGPIPE would fail the pipeline.
control=$(dpkg-deb -I "$deb")
grep -q 'Depends:.*libqt6widgets6' <<<"$control" || fail "the package names no Qt dependency"
dpkg -x "$deb" "$work/root"
bin=$work/root/usr/bin
for installed in usr/share/applications/nftterm.desktop usr/share/metainfo/io.github.nftterm.nftterm.metainfo.xml \
                 usr/share/icons/hicolor/scalable/apps/nftterm.svg usr/share/man/man1/nftterm-cli.1.gz \
                 usr/share/bash-completion/completions/nftterm-cli usr/share/nftterm/nftterm_contracts.json \
                 usr/share/nftterm/registries/ethereum-mainnet.json; do
    [[ -s "$work/root/$installed" ]] || fail "the package lacks $installed"
done

# A user's session: its own home and data, the programs from the package, anvil on PATH.
mkdir -p "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config XDG_RUNTIME_DIR=$work/runtime
export PATH="$npm_bin:/usr/bin:/bin"
unset NFTTERM_ANVIL NFTTERM_CONTRACTS ETH_RPC_URL
cd "$work"
traced() {
    local name=$1
    shift
    strace -f -qq -e trace=%file -o "$work/trace.$name" "$@"
}
# `devnet up` leaves anvil running: its threads are followed, not its children (strace would wait for anvil).
traced_parent() {
    local name=$1
    shift
    strace -qq -e trace=%file -o "$work/trace.$name" "$@"
}

cli_version=$("$bin/nftterm-cli" --version)
window_version=$("$bin/nftterm" --version)
grep -q '^nftterm-cli [0-9]' <<<"$cli_version" || fail "nftterm-cli --version: $cli_version"
grep -q '^nftterm [0-9]' <<<"$window_version" || fail "nftterm --version: $window_version"

port=
base=$((20000 + RANDOM % 20000))
for candidate in $(seq "$base" $((base + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[[ -n "$port" ]] || fail "no free port"
traced_parent up "$bin/nftterm-cli" devnet up --port "$port" --state-dir "$state" >"$work/up.json" || fail "devnet up: $(cat "$work/up.json")"
manifest=$state/manifest.json
alice=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
traced positions "$bin/nftterm-cli" positions --registry "$manifest" --account "$alice" --no-cache --json >"$work/positions.json" ||
    fail "positions"
grep -q '"protocol":"bendDao"\|"protocol": "bendDao"\|benddao' "$work/positions.json" || fail "positions found no pool loan of alice's"
xvfb-run -a -s "-screen 0 1280x800x24" strace -f -qq -e trace=%file -o "$work/trace.window" \
    "$bin/nftterm" --registry "$manifest" --screenshot "$work/window.png" --quit-after 5 >"$work/window.log" 2>&1 ||
    { cat "$work/window.log" >&2; fail "the window"; }
[[ -s "$work/window.png" ]] || fail "no screenshot"

# Nothing installed reads the source or the build tree.
if grep -h -e "\"$source/" -e "\"$build/" "$work"/trace.* | grep -v -e "\"$npm_bin/" -e "\"$source/packaging/npm/" >"$work/touched"; then
    head -20 "$work/touched" >&2
    fail "the installed programs touched the source or build tree"
fi
echo "install test: the package installs and runs from its own paths ($(basename "$deb"))"
