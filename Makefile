# Two commands from a fresh clone: `make deploy` and `make test`.
# Both bootstrap .venv (deploying from requirements.txt, testing from
# requirements-test.txt on top) and link the checkout as the healthcare.dr
# collection; nothing has to be installed by hand.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
TEST_STAMP := $(VENV)/.test-requirements-installed
LINK := ansible_collections/healthcare/dr

# The emulator `make deploy` leaves running, and the one the test suite starts
# and stops on its own port so the two never meet.
DR_EMULATOR_PORT ?= 4566
TEST_EMULATOR_PORT ?= 4577
# How many parts of the suite (pytest, lint, each molecule scenario) run at once;
# molecule scenarios use ports TEST_EMULATOR_PORT .. TEST_EMULATOR_PORT+TEST_JOBS-1,
# the integration tests TEST_EMULATOR_PORT+TEST_JOBS. Three: on this 2-core machine
# three and six took the same wall time (36 min), six 19 % more CPU, four longer;
# since the CPU pinning fix, two took 912 s of suite time against three's 842 s.
TEST_JOBS ?= 3
# The benchmark starts its own emulator here and the counting proxy on the next port;
# at failover the lost region points at the port after it, where nothing may listen.
BENCH_EMULATOR_PORT ?= 4595
BENCH_PROXY_PORT ?= 4596
BENCH_CLOSED_PORT ?= 4597
INVENTORY ?= inventories/local

export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: bootstrap bootstrap-test chromium deploy destroy stop status test pytest molecule lint clean bench clock-check \
	gates sanity galaxy-import changelog changelog-update ee

# What deploying needs; bootstrap-test adds the test suite's and the gates' tools.
bootstrap: $(STAMP) $(LINK)

bootstrap-test: $(TEST_STAMP) $(LINK) chromium

# The drill report's browser check (tests/integration/test_drill_report_browser.py) opens the
# report in headless Chromium: Debian's package, installed where it is missing and apt-get can
# (root, a package mirror); elsewhere the check is skipped and says why.
chromium:
	@command -v chromium > /dev/null || command -v chromium-browser > /dev/null || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  > $(VENV)/chromium-install.log 2>&1 && echo "installed chromium (Debian package)"; } || \
	echo "warning: chromium is not installed and could not be (see $(VENV)/chromium-install.log); the drill report's browser check will be skipped"

# uv (PyPI) installs into the venv what pip would, downloading in parallel: about
# 15 s against pip's 4 minutes for both lists on this machine, from a fresh clone.
# Unlike pip, uv leaves the packages uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set (it is on this machine) no process ever caches what it compiles: every
# ansible-playbook, module interpreter, emulator and test would compile ansible,
# boto3 and moto from source again. COMPILE does it once. ansible_collections is
# left out: ansible's collection loader compiles collections itself, never
# reading a .pyc.
COMPILE = $(BIN)/python -m compileall -q -j 0 -x '/ansible_collections/' $(VENV)/lib > /dev/null

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv>=0.5,<1'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt
	$(COMPILE)
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-test.txt
	$(COMPILE)
	touch $@

# ansible-playbook, molecule and pytest find the collection through this link.
$(LINK):
	mkdir -p $(dir $(LINK))
	ln -sfn ../.. $(LINK)

deploy: bootstrap
	DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/python tools/emulator.py start
	DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/ansible-playbook -i $(INVENTORY) playbooks/site.yml
	@echo "The emulator is still running on 127.0.0.1:$(DR_EMULATOR_PORT); stop it with: make stop"

destroy: bootstrap
	DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/ansible-playbook -i $(INVENTORY) playbooks/destroy.yml \
		-e dr_confirm_destroy=$$(DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/ansible-inventory -i $(INVENTORY) --host us-east-1 | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)["dr_environment_suffix"])')

stop: bootstrap
	DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/python tools/emulator.py stop

status: bootstrap
	DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/python tools/emulator.py status

# pytest, ansible-lint, the quality gates and every molecule/*/ scenario side by side (tools/run_suite.py):
# one log per part in tests/output/suite/, a table of times, non-zero if any part fails.
test: bootstrap-test
	$(BIN)/python tools/run_suite.py --jobs $(TEST_JOBS) --base-port $(TEST_EMULATOR_PORT)

# Unit tests (moto in-process) and integration tests (their own emulator).
pytest: bootstrap-test
	$(BIN)/pytest

# Every scenario (or SCENARIOS="network aurora"), TEST_JOBS at a time.
molecule: bootstrap-test
	$(BIN)/python tools/run_suite.py --jobs $(TEST_JOBS) --base-port $(TEST_EMULATOR_PORT) \
		--only $(or $(SCENARIOS),molecule)

lint: bootstrap-test
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR) $(BIN)/ansible-lint

# Ecosystem quality gates (docs/testing.md, "Quality gates"); each fails on any finding.
gates: sanity galaxy-import changelog ee

# ansible-test sanity, offline, in a copy under tests/output/sanity-root/ansible_collections/.
sanity: bootstrap-test
	$(BIN)/python tools/sanity.py $(SANITY_ARGS)

# galaxy-importer (as Galaxy and Automation Hub run it) on the built tarball.
galaxy-import: bootstrap-test
	$(BIN)/python tools/galaxy_import.py

# Fragments valid and CHANGELOG.rst generated from changelogs/; changelog-update rewrites it.
changelog: bootstrap-test
	$(BIN)/python tools/changelog.py

changelog-update: bootstrap-test
	$(BIN)/python tools/changelog.py --update

# ansible-builder create of execution-environment.yml into tests/output/ee-context.
ee: bootstrap-test
	$(BIN)/python tools/ee.py

# Deploy, no-op rerun, switchover and back, failover, rejoin, destroy and an empty destroy,
# each timed and counted against the API-call floor
# (tools/bench.py): `make bench` (3 runs, medians) or `make bench QUICK=1`; `TIMING=aws [TIME_SCALE=0.02]` runs it
# on AWS's clock and adds the critical path, head, tail and wall in AWS minutes (tools/bench_timing.py).
bench: bootstrap
	$(BIN)/python tools/bench.py --emulator-port $(BENCH_EMULATOR_PORT) --proxy-port $(BENCH_PROXY_PORT) \
		--closed-port $(BENCH_CLOSED_PORT) --inventory $(INVENTORY) $(if $(QUICK),--quick) \
		$(if $(TIMING),--timing $(TIMING)) $(if $(TIME_SCALE),--time-scale $(TIME_SCALE)) $(BENCH_ARGS)

# The whole life of a stack on AWS's clock (tools/clock_check.py): deploy, rerun and every --tags run
# unchanged, CloudFront awaited, status, switchover and back, failover, rejoin, destroy twice; ~5 minutes.
clock-check: bootstrap
	$(BIN)/python tools/clock_check.py --emulator-port $(BENCH_EMULATOR_PORT) --closed-port $(BENCH_CLOSED_PORT) \
		--inventory $(INVENTORY) $(if $(TIME_SCALE),--time-scale $(TIME_SCALE))

clean:
	-DR_EMULATOR_PORT=$(DR_EMULATOR_PORT) $(BIN)/python tools/emulator.py stop
	rm -rf $(VENV) ansible_collections .emulator tests/output .pytest_cache
