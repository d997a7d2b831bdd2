#!/usr/bin/env bash
# Build the community.auth0 HTML docs site into .build/docs/html, from a clean state every time:
# antsibull-docs renders the plugin reference pages and the user guide (docs/docsite/) to RST,
# Sphinx turns them into HTML, warnings are errors. Works offline (no intersphinx).
#
# Usage: docs/build.sh            (from anywhere; PYTHON: a Python 3.11, by default the one
#                                  tests/tooling/find_python.sh finds, as the Makefile does)
# The tools live in their own virtualenv, .build/venv-docs, made from docs/requirements.txt on the
# first run and remade when that file is newer; DOCS_VENV=/path/to/venv uses another one.
set -euo pipefail

repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$(bash "$repo/tests/tooling/find_python.sh" 3.11)}
venv=${DOCS_VENV:-$repo/.build/venv-docs}
work=$repo/.build/docs
collections=$repo/.build/collections

# 1. The tools: made on the first run, remade when docs/requirements.txt is newer (as `make` would).
if [ ! -x "$venv/bin/antsibull-docs" ] || [ "$repo/docs/requirements.txt" -nt "$venv/bin/antsibull-docs" ]; then
  echo "== Installing the docs tools into $venv"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r "$repo/docs/requirements.txt"
  touch "$venv/bin/antsibull-docs"
fi
export PATH="$venv/bin:$PATH"   # antsibull-docs runs ansible-doc

# 2. The collection, found by ansible-doc through ANSIBLE_COLLECTIONS_PATH (same layout as `make collection`).
mkdir -p "$collections/ansible_collections/community"
ln -sfn "$repo" "$collections/ansible_collections/community/auth0"
export ANSIBLE_COLLECTIONS_PATH=$collections

# 3. RST: plugin pages, indexes and the extra docs of docs/docsite/.
rm -rf "$work"
mkdir -p "$work/rst"
chmod og-w "$work/rst"   # antsibull-docs wants the destination writable only by its owner
echo "== Rendering RST with antsibull-docs"
antsibull-docs --config-file "$repo/docs/antsibull-docs.cfg" collection \
  --use-current --dest-dir "$work/rst" community.auth0
cp "$repo/docs/index.rst" "$work/rst/index.rst"
# The guide prints its playbooks inline; only the AWX page includes files, the execution environment
# definition and the credential type, from where they live in the repository.
mkdir -p "$work/rst/collections/community/auth0/docsite/examples/awx"
cp "$repo/awx/execution-environment.yml" "$repo/awx/auth0_credential_type.yml" "$work/rst/collections/community/auth0/docsite/examples/awx/"

# 4. HTML.
echo "== Building HTML with Sphinx"
sphinx-build -M html "$work/rst" "$work" -c "$repo/docs" -W --keep-going -q
echo "== Docs site: $work/html/index.html"
