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

.PHONY: help venv collection test units integration sanity sanity-matrix demo clean

help:
	@echo "make demo   - start the bundled local Auth0 tenant and run the example playbook against it"
	@echo "make test   - run every test suite (units, contract, integration, sanity)"

$(BIN)/ansible-playbook: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

venv: $(BIN)/ansible-playbook

collection: venv
	@mkdir -p $(dir $(COLLECTION))
	@ln -sfn $(CURDIR) $(COLLECTION)

units: collection
	$(BIN)/pytest -q tests/unit

# The local tenant against the official auth0-python SDK, a client no one here wrote.
contract: collection
	$(BIN)/pytest -q tests/contract

# The client and the local tenant against exchanges recorded from a real Auth0 tenant (../shared).
conformance: collection
	$(BIN)/pytest -q -rA tests/conformance

integration: collection
	$(BIN)/pytest -q tests/integration

# Fault matrix, secrets scan at -vvvv, argument fuzzing and TLS; rewrites tests/RELIABILITY.md.
reliability: collection
	$(BIN)/pytest -q tests/reliability

demo: collection
	bash scripts/demo.sh $(BIN)

# The local tenant in the foreground, for trying playbooks by hand (Ctrl-C stops it).
tenant: collection
	$(BIN)/python -m local_tenant

# ansible-test bootstraps pip into each sanity venv with a get-pip.py downloaded from a host we cannot
# reach; install_get_pip.sh puts an offline stand-in (tests/tooling/get_pip.py) in its ~/.ansible cache.
# --requirements: ansible-test installs each sanity test's pinned requirements into its own venv under
# ~/.ansible/test/venv (the project venv is untouched). ANSIBLE_TEST_CONTENT_ROOT: ansible-test locates
# the collection from os.getcwd(), which resolves the .build symlink back to the repo; this names the
# ansible_collections path instead (--venv re-runs itself from the resolved cwd, so it cannot be used).
SANITY_PYTHON ?= 3.11
ansible_test_sanity = bash tests/tooling/install_get_pip.sh $(1)/bin/python && cd $(COLLECTION) && \
	ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION) $(CURDIR)/$(1)/bin/ansible-test sanity --requirements --python $(SANITY_PYTHON)

sanity: collection
	$(call ansible_test_sanity,$(VENV))

# Sanity under every ansible-core that meta/runtime.yml allows (.venv has 2.19); not part of `make test`.
# `make -k sanity-matrix` goes on to the next version after a failure.
SANITY_MATRIX := 2.17 2.18
.PRECIOUS: .build/ansible-%/bin/ansible-test
sanity-matrix: sanity $(SANITY_MATRIX:%=sanity-%)

sanity-%: collection .build/ansible-%/bin/ansible-test
	$(call ansible_test_sanity,.build/ansible-$*)

.build/ansible-%/bin/ansible-test:
	$(PYTHON) -m venv .build/ansible-$*
	.build/ansible-$*/bin/pip install --quiet 'ansible-core==$*.*'

test: units contract conformance integration reliability sanity

clean:
	rm -rf $(VENV) .build tests/output
