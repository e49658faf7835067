# The whole set-up on a fresh machine is one of these two commands:
#   make serve   install into .venv, build, and serve on http://127.0.0.1:$(PORT)/
#   make test    install into .venv, then lint, type-check and run the full test suite
# Both also install the front-end packages into node_modules/ with npm.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: serve test install lint build docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The web pages' front-end packages (YASGUI, cytoscape.js, axe-core for the tests), exactly as
# package-lock.json pins them; Flask serves them from node_modules, so nothing comes from a CDN.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

build: install
	$(BIN)/tfkg build
	$(BIN)/tfkg docs

serve: build
	$(BIN)/tfkg serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

test: lint $(NODE_STAMP)
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/tfkg docs

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache tests/artefacts
