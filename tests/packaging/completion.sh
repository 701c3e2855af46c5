#!/usr/bin/env bash
# The bash completion offers nftterm-cli's commands and a command's options,
# read from the program's own --help. Usage: completion.sh COMPLETION_FILE CLI
set -euo pipefail
source "$1"
cli=$2

complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _nftterm_cli
    printf '%s\n' "${COMPREPLY[@]}"
}

commands=$(complete_words "$cli" pos)
[[ "$commands" == "positions" ]] || { echo "'pos' completed to: $commands" >&2; exit 1; }
all=$(complete_words "$cli" "")
for expected in wallet devnet positions alerts perp offer tx; do
    grep -qx "$expected" <<<"$all" || { echo "no '$expected' among the commands" >&2; exit 1; }
done
options=$(complete_words "$cli" positions --acc)
[[ "$options" == "--account" ]] || { echo "'positions --acc' completed to: $options" >&2; exit 1; }
since=$(complete_words "$cli" positions --since)
[[ "$since" == "--since-first-activity" ]] || { echo "'positions --since' completed to: $since" >&2; exit 1; }
echo "completion works"
