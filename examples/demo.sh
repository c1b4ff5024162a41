#!/usr/bin/env bash
# The main job end to end on the bundled examples, in a throw-away wallet folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LERWALLET_HOME="$work/wallet"
echo "== lerwallet --version"
lerwallet --version
