#!/usr/bin/env bash
# The main job end to end on the bundled examples, in a throw-away wallet folder.
# Each feature adds one numbered step in examples/demo.d/; they run in order, sharing $LERWALLET_HOME.
set -euo pipefail
export DEMO_EXAMPLES="$(cd "$(dirname "$0")" && pwd)"
export DEMO_WORK="$(mktemp -d)"
trap 'rm -rf "$DEMO_WORK"' EXIT
export LERWALLET_HOME="$DEMO_WORK/wallet"
export LERWALLET_PASSPHRASE="correct horse battery staple (demo only)"
echo "== lerwallet --version"
lerwallet --version
for step in "$DEMO_EXAMPLES"/demo.d/*.sh; do
    [ -e "$step" ] || continue
    echo
    echo "######## $(basename "$step")"
    bash "$step"
done
echo
echo "demo finished: every step ran."
