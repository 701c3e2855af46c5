#!/usr/bin/env bash
# The core (wallet/, protocols/) must never include Qt.
set -euo pipefail
cd "$1"
if hits=$(grep -rnE '^\s*#\s*include\s*[<"]Q[A-Za-z]*[>/"]' wallet protocols); then
  echo "Qt included in the core:"; echo "$hits"; exit 1
fi
echo "1 passed, 0 failed"
