"""Offline stand-in for pip's get-pip.py, used by ``ansible-test``.

Why this exists
---------------
``ansible-test sanity`` (and anything run with ``--venv``) creates empty
virtual environments and bootstraps pip into them by downloading
``https://ci-files.testing.ansible.com/ansible-test/get-pip-<version>.py``.
That host is not reachable from this project's machines or CI (only the
package registries are), so the download fails.  ansible-test first looks in
its cache, ``~/.ansible/test/cache/get_pip_<version with _>.py``, and
``tests/tooling/install_get_pip.sh`` copies this file there (``make sanity``
runs it), so the download is never attempted.

How ansible-test calls it (ansible_test/_util/target/setup/requirements.py,
``bootstrap()``, and quiet_pip.py): with the target venv's interpreter, as

    GET_PIP=<cache path> python quiet_pip.py --disable-pip-version-check \
        pip==<version> --no-setuptools --no-wheel

quiet_pip.py runs this file as ``__main__`` with ``runpy`` (so sys.argv[1:]
holds the arguments above) and the process exit status is what ansible-test
checks.  Like the real get-pip.py, this script takes ``--no-setuptools`` and
``--no-wheel`` itself and passes every other argument to ``pip install``.

What it does instead of unpacking an embedded pip:
1. ``python -m ensurepip`` installs the pip that ships with CPython, offline.
   It runs in a child process on purpose: ensurepip sets
   ``PIP_CONFIG_FILE=os.devnull`` in the environment of the process it runs
   in, which would hide this machine's pip configuration (CA bundle,
   find-links, index) from step 2.
2. ``python -m pip install --upgrade --force-reinstall <args>`` then installs
   the requested pip (e.g. ``pip==24.2``) from PyPI with the normal pip
   configuration and the environment ansible-test passed in.
3. With ``--no-setuptools``, the setuptools that ensurepip brings along on
   Python < 3.12 is removed again, so the venv looks as get-pip.py leaves it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys


def _run(args: list[str], quiet: bool = False) -> None:
    """Run ``python <args>`` with the caller's environment; exit on failure (showing captured output if quiet)."""
    command = [sys.executable] + args
    result = subprocess.run(command, env=os.environ.copy(), check=False, capture_output=quiet, text=True)

    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)

        sys.stderr.write('get_pip.py stand-in: command failed (%d): %s\n' % (result.returncode, ' '.join(command)))
        sys.exit(result.returncode)


def _names(requirements: list[str]) -> set[str]:
    """Return the lower-cased project names of the requirement arguments (options are skipped)."""
    names = set()

    for item in requirements:
        if item.startswith('-'):
            continue

        for separator in '=<>!~;[ @':
            item = item.split(separator, 1)[0]

        names.add(item.strip().lower().replace('_', '-'))

    return names


def main(argv: list[str]) -> None:
    """Bootstrap pip like get-pip.py: ``get_pip.py [--no-setuptools] [--no-wheel] [pip install args...]``."""
    no_setuptools = '--no-setuptools' in argv or 'PIP_NO_SETUPTOOLS' in os.environ
    no_wheel = '--no-wheel' in argv or 'PIP_NO_WHEEL' in os.environ
    pip_args = [arg for arg in argv if arg not in ('--no-setuptools', '--no-wheel')]

    had_setuptools = importlib.util.find_spec('setuptools') is not None
    requested = _names(pip_args)

    # Same implicit packages as get-pip.py: pip always, setuptools and wheel unless disabled (Python < 3.12 only).
    implicit = []

    if 'pip' not in requested:
        implicit.append('pip')

    if sys.version_info < (3, 12):
        if not no_setuptools and 'setuptools' not in requested:
            implicit.append('setuptools')

        if not no_wheel and 'wheel' not in requested:
            implicit.append('wheel')

    _run(['-m', 'ensurepip', '--upgrade', '--default-pip'], quiet=True)
    _run(['-m', 'pip', 'install', '--upgrade', '--force-reinstall'] + pip_args + implicit)

    if no_setuptools and not had_setuptools and 'setuptools' not in requested and _installed('setuptools'):
        _run(['-m', 'pip', 'uninstall', '--yes', 'setuptools'], quiet=True)


def _installed(name: str) -> bool:
    """Return True if the distribution is installed in this interpreter's environment (checked in a fresh process)."""
    code = 'import importlib.metadata as m, sys\ntry:\n    m.distribution(sys.argv[1])\nexcept m.PackageNotFoundError:\n    sys.exit(1)\n'
    return subprocess.run([sys.executable, '-c', code, name], check=False).returncode == 0


if __name__ == '__main__':
    main(sys.argv[1:])
