#!/usr/bin/env bash
# Installs what nftterm needs to build, test and run on Debian 12, and only
# what is missing: Debian packages through apt, the pinned devnet tools
# (anvil, solc) through npm from packaging/npm/package-lock.json.
# Idempotent: a second run on a ready machine changes nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

debian_packages=(
  build-essential cmake ninja-build pkg-config git lld
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6sql6-sqlite
  qt6-qpa-plugins libgl-dev libqt6opengl6-dev libxkbcommon-dev
  libcurl4-openssl-dev nlohmann-json3-dev libsecp256k1-dev libhidapi-dev
  libssl-dev libcrypto++-dev libboost-dev libicu-dev
  libbenchmark-dev
  clang-16 libclang-rt-16-dev
  xvfb xauth dbus libdbus-1-dev
  appstream desktop-file-utils help2man strace
  nodejs npm
)

missing=()
for p in "${debian_packages[@]}"; do
  # nodejs/npm may come from elsewhere (a newer Node on PATH is fine).
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "nftterm: missing Debian packages: ${missing[*]}" >&2
    echo "nftterm: run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "nftterm: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The devnet tools, exactly as pinned by the lock file.
npm_dir="$here/npm"
stamp="$npm_dir/node_modules/.nftterm-lock.sha256"
want=$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)
if [[ ! -x "$npm_dir/node_modules/.bin/anvil" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "nftterm: installing pinned devnet tools (anvil, solc) from packaging/npm/package-lock.json"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
