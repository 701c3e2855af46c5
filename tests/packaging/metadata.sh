#!/usr/bin/env bash
# The desktop entry and the AppStream metainfo a package installs pass the
# validators software centres and distributions use, and the metainfo names
# the desktop entry, the icon's name and both programs.
# Usage: metadata.sh SOURCE_DIR CONFIGURED_METAINFO
set -euo pipefail
source_dir=$1
metainfo=$2

desktop-file-validate "$source_dir/packaging/nftterm.desktop"
appstreamcli validate --no-net "$metainfo"

grep -q '<launchable type="desktop-id">nftterm.desktop</launchable>' "$metainfo"
grep -q '^Icon=nftterm$' "$source_dir/packaging/nftterm.desktop"
grep -q '<binary>nftterm</binary>' "$metainfo"
grep -q '<binary>nftterm-cli</binary>' "$metainfo"
# No @VARIABLE@ left unconfigured.
if grep -q '@[A-Z_]*@' "$metainfo"; then
  echo "unconfigured placeholders in $metainfo" >&2
  exit 1
fi
# The icon is an SVG document of its own.
grep -q '<svg ' "$source_dir/packaging/nftterm.svg"
echo "metadata valid"
