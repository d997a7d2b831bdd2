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

.PHONY: help venv collection test units integration sanity demo clean

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

integration: collection
	$(BIN)/pytest -q tests/integration

sanity: collection
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test sanity --python 3.11

test: units integration sanity

clean:
	rm -rf $(VENV) .build tests/output
