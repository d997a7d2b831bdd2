#!/usr/bin/env bash
# Put the offline get-pip stand-in (tests/tooling/get_pip.py) into ansible-test's bootstrap cache.
#
# ansible-test bootstraps pip into every venv it creates by downloading get-pip-<version>.py from a
# host this project's machines and CI cannot reach; it skips the download when
# ~/.ansible/test/cache/get_pip_<version with dots as underscores>.py exists.  The pip version comes
# from ansible-test's own get_venv_packages(), so it is read from the ansible-test installed with each
# interpreter given here (not hard-coded), for every Python version that ansible-test knows.
#
# usage: tests/tooling/install_get_pip.sh PYTHON [PYTHON...]
#   PYTHON: the interpreter of a venv that has ansible-core installed (e.g. .venv/bin/python)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -gt 0 ] || { echo "usage: $0 PYTHON [PYTHON...]" >&2; exit 2; }

for python in "$@"; do
    versions=$("$python" - <<'EOF'
from types import SimpleNamespace
from ansible_test._internal.python_requirements import get_venv_packages
from ansible_test._util.target.common import constants

pythons = constants.REMOTE_ONLY_PYTHON_VERSIONS + constants.CONTROLLER_PYTHON_VERSIONS
print(' '.join(sorted({get_venv_packages(SimpleNamespace(version=v))['pip'] for v in pythons})))
EOF
)
    for version in $versions; do
        # Same expression as ansible-test: os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py').
        target=$("$python" -c 'import os, sys; print(os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % sys.argv[1].replace(".", "_")))' "$version")
        mkdir -p "$(dirname "$target")"
        if ! cmp -s "$here/get_pip.py" "$target"; then
            cp "$here/get_pip.py" "$target"
            echo "installed get-pip stand-in for pip $version: $target"
        fi
    done
done
