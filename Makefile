# The S&T SME evaluation backend. `make run` and `make test` work on a fresh machine with
# Python 3.11+, Java 17+ and Maven (no Docker): everything else is installed here, into
# .venv and .local (both git-ignored).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SERVICES := intake review supervision tracking
EDITABLES := -e . -e deploy/local $(foreach s,$(SERVICES),-e services/$(s))
PYTEST_ARGS ?=
PYTHON_SOURCES := shared services deploy tests examples conftest.py
ASYNCAPI_DIR := .local/asyncapi-cli

.DEFAULT_GOAL := help
.PHONY: help venv run test token lint format typecheck deploy-check unit test-fast \
        imports lock lock-check deptry schemas schemas-check schemas-compat schemas-baseline \
        asyncapi-validate openapi openapi-check client client-check api-diff infra-up infra-down \
        migration bench bench-load sample-listing detect-overdue clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Dependencies: requirements/*.txt hold the pins (plain names and versions, edited by hand);
# requirements/*.lock are generated from them by `make lock` (uv, every file's sha256) and
# are what gets installed, always with --require-hashes (here, CI, the Dockerfile).
LOCKS := requirements/bootstrap.lock requirements/runtime.lock requirements/dev.lock
# No index URL and no find-links in the output (uv's default, made explicit); annotations
# name only the requirement files. One universal resolution for Python 3.11 on any platform.
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
              --no-emit-index-url --no-emit-find-links --custom-compile-command "make lock"

# Install output goes to stderr so that `make token` prints the token alone on stdout.
$(STAMP): $(LOCKS) pyproject.toml \
          deploy/local/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install -q --require-hashes -r requirements/bootstrap.lock >&2
	@$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.lock >&2
	@$(BIN)/python -m pip install -q --no-build-isolation --no-deps $(EDITABLES) >&2
	@touch $@

venv: $(STAMP) ## create .venv and install the pinned dependencies

run: $(STAMP) ## run PostgreSQL, Kafka, the four services and the gateway (Ctrl-C stops all)
	@$(BIN)/python -m localdev run

test: $(STAMP) lint typecheck imports deptry lock-check schemas-check schemas-compat asyncapi-validate openapi-check api-diff client-check deploy-check ## lint, types, dependencies, event and API contracts, deploy files, then every test on real PostgreSQL and Kafka
	@deploy/tools/ensure-nginx.sh
	@SME_REQUIRE_NGINX=1 $(BIN)/python -m localdev test-run -- -q $(PYTEST_ARGS)

test-fast: $(STAMP) ## the unit tests only (no PostgreSQL or Kafka)
	@$(BIN)/python -m pytest -q -m "not integration and not e2e" shared/tests/unit services/*/tests/unit deploy/local/tests tests/contract $(PYTEST_ARGS)

token: $(STAMP) ## print a development JWT: make token ROLE=enterprise|agency|province|external [USCC=..] [ORG=..]
	@$(BIN)/python -m localdev token --role "$(ROLE)" --uscc "$(USCC)" --org "$(ORG)"

lint: $(STAMP) ## ruff lint and format check
	@$(BIN)/ruff check $(PYTHON_SOURCES)
	@$(BIN)/ruff format --check $(PYTHON_SOURCES)

format: $(STAMP) ## apply ruff's formatting and safe fixes
	@$(BIN)/ruff check --fix $(PYTHON_SOURCES)
	@$(BIN)/ruff format $(PYTHON_SOURCES)

typecheck: $(STAMP) ## mypy (strict) on the shared package, the services and the local tooling
	@$(BIN)/mypy shared $(foreach s,$(SERVICES),services/$(s)/$(s)) deploy/local/localdev

imports: $(STAMP) ## the import contracts of pyproject.toml: services apart, the kernel never on the platform, no framework in the domain
	@$(BIN)/lint-imports pyproject.toml

lock: ## regenerate requirements/*.lock (hashes) from the pins in requirements/*.txt
	@test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install -q "$$(grep -E '^uv==' requirements/dev.txt)"; } >&2
	@$(UV_COMPILE) requirements/bootstrap.txt -o requirements/bootstrap.lock
	@$(UV_COMPILE) requirements/runtime.txt -o requirements/runtime.lock
	@$(UV_COMPILE) requirements/dev.txt -o requirements/dev.lock
	@$(BIN)/python requirements/check_lock.py

lock-check: $(STAMP) ## the locks hold every pin of requirements/*.txt at its version, with hashes
	@$(BIN)/python requirements/check_lock.py

# deptry's second pass also sees the script folders' own modules (deploy/tools, benchmarks).
LOCAL_MODULES := shared localdev $(SERVICES) fixtures $(basename $(notdir $(wildcard deploy/tools/*.py)))
deptry: $(STAMP) ## declared dependencies = imports: runtime code strictly, all code for undeclared
	@$(BIN)/deptry . --exclude '\.venv|\.local|\.git|tests|.*/tests/|.*/benchmarks/|deploy|examples|clients|conftest\.py'
	@$(BIN)/deptry . --exclude '\.venv|\.local|\.git' --ignore DEP002,DEP004 \
	  $(foreach m,$(LOCAL_MODULES),--known-first-party $(m))

schemas: $(STAMP) ## regenerate the event JSON Schemas and the AsyncAPI document
	@$(BIN)/python -m shared.kernel.events.schema_export write

schemas-check: $(STAMP) ## the committed event schemas match the code
	@$(BIN)/python -m shared.kernel.events.schema_export check

schemas-compat: $(STAMP) ## no change to a released event schema breaks a subscriber (baseline: shared/kernel/events/baseline)
	@$(BIN)/python -m shared.kernel.events.evolution check

schemas-baseline: $(STAMP) ## record the released baseline of every .v1 event schema not yet in it
	@$(BIN)/python -m shared.kernel.events.evolution record

# The official AsyncAPI CLI, pinned in shared/kernel/events/asyncapi-cli/package.json, installed
# into .local (no lock file, so no registry host in the repository); its usage metrics off.
$(ASYNCAPI_DIR)/.installed: shared/kernel/events/asyncapi-cli/package.json
	@mkdir -p $(ASYNCAPI_DIR) && cp $< $(ASYNCAPI_DIR)/package.json
	@cd $(ASYNCAPI_DIR) && npm install --no-package-lock --no-audit --no-fund --loglevel=error >&2
	@echo '{"analyticsEnabled":"false","infoMessageShown":"true","userID":"sme"}' > $(ASYNCAPI_DIR)/analytics.json
	@touch $@

asyncapi-validate: $(ASYNCAPI_DIR)/.installed ## validate shared/kernel/events/asyncapi.yaml with the official AsyncAPI CLI
	@CI=true SUPPRESS_NO_CONFIG_WARNING=1 ASYNCAPI_METRICS_CONFIG_PATH=$(abspath $(ASYNCAPI_DIR))/analytics.json \
		$(ASYNCAPI_DIR)/node_modules/.bin/asyncapi validate shared/kernel/events/asyncapi.yaml --fail-severity=warn

openapi: $(STAMP) ## regenerate the gateway's OpenAPI document openapi/openapi.json from the code
	@$(BIN)/python -m localdev.openapi_doc write

openapi-check: $(STAMP) ## openapi/openapi.json matches the code and validates (openapi-spec-validator)
	@$(BIN)/python -m localdev.openapi_doc check

client: $(STAMP) ## install the TypeScript tools into .local/node, regenerate and compile clients/typescript
	@clients/typescript/build.sh

client-check: client ## the committed TypeScript types match openapi/openapi.json and compile (tsc)
	@git diff --exit-code --stat -- clients/typescript/src/schema.d.ts

api-diff: $(STAMP) ## oasdiff: no breaking change against openapi/baseline.json unless openapi/CHANGELOG.md names it
	@openapi/breaking-check.sh

deploy-check: $(STAMP) ## validate the compose file and the Kubernetes manifests offline
	@deploy/tools/validate.sh

infra-up: $(STAMP) ## start only PostgreSQL (5544) and Kafka (9092) for development
	@$(BIN)/python -m localdev infra up --state .local/dev --pg-port 5544 --kafka-port 9092

infra-down: $(STAMP) ## stop what infra-up started
	@$(BIN)/python -m localdev infra down --state .local/dev

migration: $(STAMP) ## new Alembic revision from the models: make migration SVC=intake MSG="add x"
	@$(BIN)/python -m localdev migration --service "$(SVC)" --message "$(MSG)"

bench: $(STAMP) ## benchmarks (not tests): scoring, announcement, overdue detection, statistics
	@$(BIN)/python -m localdev bench

bench-load: $(STAMP) ## the event pipeline under load next to pgbench and Kafka's ceilings, into benchmarks/RESULTS.md: [ARGS="--clients 16 --batch 2000"]
	@$(BIN)/python -m localdev.benchload $(ARGS)

detect-overdue: $(STAMP) ## mark quarterly reports missing past their due date as overdue (tracking's DATABASE_URL)
	@$(BIN)/python -m tracking.detect_overdue

sample-listing: $(STAMP) ## publish a market-supervision listing to the local Kafka: make sample-listing USCC=.. [LIST=serious_dishonesty]
	@$(BIN)/python -m localdev.samples listing --uscc "$(USCC)" --list "$(or $(LIST),abnormal_operation)"

clean: ## remove .venv and .local (databases, Kafka data, jars, dev keys)
	rm -rf $(VENV) .local .mypy_cache .ruff_cache .pytest_cache .hypothesis
