#!/usr/bin/env bash
# Print the real path of a CPython interpreter of version X.Y, or nothing if there is none.
#
# Order: the first pythonX.Y on PATH that is not a pyenv shim, then the newest
# $(pyenv root)/versions/X.Y.*/bin/pythonX.Y. A shim is never printed: it only runs the version
# that pyenv has active and refuses the others, so it cannot stand for one version in a venv.
#
# usage: tests/tooling/find_python.sh X.Y
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 X.Y" >&2; exit 2; }
version=$1

while IFS= read -r candidate; do
    case $candidate in
        */shims/*) ;;
        *) echo "$candidate"; exit 0 ;;
    esac
done < <(type -ap "python$version" || true)

root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
newest=$(printf '%s\n' "$root"/versions/"$version".*/bin/"python$version" | sort -V | tail -n 1)
# An unmatched glob stays as it is, and is no interpreter.
[ ! -x "$newest" ] || echo "$newest"
