# Resource-centre generator. Quick start: `make build` (install + check + build every centre), `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KITS ?= kits
SITE ?= site
CENTRE ?=
# The engine that renders the centres: mkdocs (MkDocs + Material, the default) or zensical (requirements-zensical.txt).
ENGINE ?= mkdocs
PORT ?= 8000
# The web editor's local server (decap-server), started by `make editeur`.
EDITEUR_PORT ?= 8081
export NO_MKDOCS_2_WARNING := 1
# Python keeps the compiled bytecode of the project and of its dependencies here, outside the source tree (hooks/
# and scripts/ stay as checked out: they are inputs of a build, and `mkdocs serve` watches them). Without it,
# every run compiled the project's modules again: a third of a small build's fixed cost.
export PYTHONPYCACHEPREFIX := $(abspath .cache/pycache)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install install-dev npm system browser build check serve editeur test clean new schema bench

$(BIN)/.deps: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The npm packages pinned by package-lock.json (no CDN): the web editor (Decap CMS), vendored into the portal at
# build time, and axe-core for the accessibility tests (injected into each page).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || bash .ci/apt-install .ci/apt-npm.txt
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The second engine (make build ENGINE=zensical), into the same .venv: its pins agree with requirements.txt.
$(BIN)/.deps-zensical: requirements-zensical.txt $(BIN)/.deps
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

# The tests build a centre with each engine: the dev install includes Zensical.
$(BIN)/.deps-dev: requirements-dev.txt $(BIN)/.deps $(BIN)/.deps-zensical
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: system $(BIN)/.deps npm  ## Create .venv and install the pinned build dependencies (Python and npm)

npm: node_modules/.package-lock.json  ## Install the npm packages of package-lock.json (the web editor) with npm ci

install-dev: $(BIN)/.deps-dev npm  ## Also install the pinned test dependencies

system:  ## Install the Debian packages of .ci/apt-build.txt when missing (as root), or say which are missing
	@bash .ci/apt-install .ci/apt-build.txt

browser:  ## Install the Debian packages the tests need (.ci/apt-test.txt: Chromium, Node.js…), when possible
	@bash .ci/apt-install .ci/apt-build.txt .ci/apt-test.txt

build: install $(if $(filter zensical,$(ENGINE)),$(BIN)/.deps-zensical,)  ## Check the kits, build every centre and the portal into $(SITE)/ (ENGINE=zensical: with Zensical)
	$(BIN)/python -m kitcli.build --kits $(KITS) --site $(SITE) --moteur $(ENGINE)

check: install  ## Validate the kits ($(KITS)); every problem at once
	$(BIN)/python -m kitcli.check $(KITS)

new: install  ## Start a kit: asks for its title, audiences, challenges, authors (or TITRE= PUBLICS= ENJEUX= AUTEURS=)
	@# Read from the environment (make exports command-line variables): quotes in a title cannot break the shell.
	@$(BIN)/python -m kitcli.new_kit --kits $(KITS) $${TITRE:+--titre "$$TITRE"} $${PUBLICS:+--publics "$$PUBLICS"} \
	  $${ENJEUX:+--enjeux "$$ENJEUX"} $${AUTEURS:+--auteurs "$$AUTEURS"}

schema: install  ## Regenerate schemas/kit.schema.json and the tables of keys in CONTRIBUTING.md
	$(BIN)/python -m kitcli.schema --kits $(KITS)

serve: install  ## Live preview of one centre (CENTRE=id) or of the portal, on http://127.0.0.1:$(PORT)/
	$(BIN)/python -m kitcli.serve --kits $(KITS) --port $(PORT) $(if $(CENTRE),--centre $(CENTRE),)

editeur: install  ## The web editor on the working copy (http://127.0.0.1:$(PORT)/editeur/), with the live preview
	$(BIN)/python -m kitcli.editeur --kits $(KITS) --port $(PORT) --port-editeur $(EDITEUR_PORT) $(if $(CENTRE),--centre $(CENTRE),)

test: install-dev browser node_modules/.package-lock.json  ## Run the test suite (browser tests in headless Chromium, axe-core)
	$(BIN)/python -m pytest -q

bench: install  ## Measure the build on synthetic corpora of 100, 400 and 1,000 kits; writes BENCHMARKS.md (~15 min)
	$(BIN)/python -m kitcli.bench

clean:
	rm -rf $(SITE) .pytest_cache
