# Invariance Conflicts in Trustworthy AI — build, test and maintain the book.
# Every target creates/updates the pinned environment in .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000
LAB_PORT ?= 8888
CHROMIUM ?= /usr/bin/chromium

export HF_HUB_OFFLINE := 1
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

MATHJAX_VERSION := 3.2.2
MATHJAX := _vendor/mathjax/tex-mml-chtml.js
# axe-core, the accessibility engine of tests/site/test_accessibility.py (not served with the book).
AXE_VERSION := 4.14.1
AXE := tests/site/_vendor/axe.min.js

.PHONY: help env lab book serve test lint unit nbval site lab-test chromium student publish student-branch \
	build-check notebooks bench clean pdf

help:
	@echo "make lab        JupyterLab on the chapters, in the project's environment (creates .venv first)"
	@echo "make book       build the HTML book into $(HTML), with the student notebooks in $(HTML)/student"
	@echo "make serve      serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make test       every check: lint, strict book build, unit + claim tests, nbval, site and JupyterLab in chromium"
	@echo "make notebooks  re-execute every chapter in place (deterministic)"
	@echo "make student    the student edition without solutions in _build/student"
	@echo "make pdf        the whole book as one PDF, $(HTML)/chapters/book.pdf (after a build)"
	@echo "make bench      time and size everything against the budgets in CONTRIBUTING.md"

env: $(STAMP)

# Python 3.11 or newer (the book's code needs it; Binder uses runtime.txt's 3.11).
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "The book needs Python 3.11 or newer; '$(PYTHON)' is not. Name one, e.g.: make $(or $(MAKECMDGOALS),env) PYTHON=python3.11" >&2; \
	  exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# MathJax is served from the book itself (no CDN), vendored from the npm registry at build time.
$(MATHJAX):
	rm -rf .vendor _vendor/mathjax
	npm install --no-save --no-audit --no-fund --silent --prefix .vendor mathjax@$(MATHJAX_VERSION)
	mkdir -p _vendor/mathjax
	for part in tex-mml-chtml.js a11y adaptors input output ui sre; do \
	  cp -r .vendor/node_modules/mathjax/es5/$$part _vendor/mathjax/; done
	rm -rf .vendor

# axe-core from the npm registry, for the site tests offline (like MathJax, never committed).
$(AXE):
	rm -rf .vendor
	npm install --no-save --no-audit --no-fund --silent --prefix .vendor axe-core@$(AXE_VERSION)
	mkdir -p $(dir $(AXE))
	cp .vendor/node_modules/axe-core/axe.min.js $(AXE)
	rm -rf .vendor

# JupyterLab on the chapters, with MyST rendering (jupyterlab-myst), on this machine only
# (--allow-root only where make runs as root, e.g. in a container).
lab: $(STAMP)
	$(BIN)/jupyter-lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/chapters \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

# The book, and the student edition's notebooks (a folder and a zip) under $(HTML)/student.
book: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	$(BIN)/python scripts/student_edition.py _build/student --publish $(HTML)/student
	$(BIN)/python scripts/pdf_edition.py --html $(HTML)
	@echo "The book is at $(CURDIR)/$(HTML)/index.html  (serve it with: make serve)"

serve: $(STAMP)
	@echo "Serving $(HTML) on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

lint: $(STAMP)
	$(BIN)/ruff check book tests scripts _ext conftest.py

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q --ignore=tests/site --ignore=tests/lab
	$(BIN)/python -m pytest --doctest-modules book -q

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval chapters --sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider

# A full, strict rebuild: warnings are errors, nitpicky references.
build-check: $(STAMP) $(MATHJAX)
	rm -rf _build
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --all

# The built site in Debian's chromium, offline (needs a build: build-check or book).
site: $(STAMP) chromium $(AXE)
	$(BIN)/python -m pytest tests/site -q

# A student's first hour in a real JupyterLab (tests/lab): chapters opened unrun, then run, in chromium.
lab-test: $(STAMP) chromium
	BOOK_LAB_TESTS=1 $(BIN)/python -m pytest tests/lab -q

# Debian's chromium, which the browser tests drive (Playwright cannot download its own here).
# Installed when missing if this user can (root, or sudo without a password); otherwise stop at once.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else \
	  echo "The browser tests need Debian's chromium ($(CHROMIUM) is missing). Install it, then run make test again:" >&2; \
	  echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's chromium: apt-get install chromium"; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	[ -x "$(CHROMIUM)" ] || { echo "apt-get install chromium did not provide $(CHROMIUM)" >&2; exit 1; }

# The student edition: chapters without solutions (notebooks and HTML) in _build/student/.
student: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/student_edition.py _build/student
	$(BIN)/jupyter-book build _build/student --warningiserror --nitpick --keep-going
	$(BIN)/python scripts/pdf_edition.py --html _build/student/_build/html
	@echo "Student edition: notebooks in _build/student/chapters, HTML at _build/student/_build/html/index.html"

# What GitHub Pages serves, in _build/publish: the book, and under student/ the student edition
# (HTML, notebooks, zip). A copy, so that $(HTML) stays the book alone that `make site` checks.
publish: book student
	rm -rf _build/publish
	cp -r $(HTML) _build/publish
	cp -r _build/student/_build/html/. _build/publish/student/
	@echo "Publishable site: $(CURDIR)/_build/publish (student edition under student/)"

# The student edition as the tip of the local branch `student` (what Binder and Colab links open);
# the working tree, the index and the current branch are not touched. Push it with:
#     git push --force origin student
student-branch: $(STAMP)
	$(BIN)/python scripts/student_edition.py _build/student-branch --branch student

# The PDF edition of a built book: its pages printed by chromium into one PDF, offline
# (scripts/pdf_edition.py), at $(HTML)/chapters/book.pdf, which every page's footer links to.
pdf: $(STAMP) chromium
	test -f $(HTML)/index.html || $(MAKE) build-check
	$(BIN)/python scripts/pdf_edition.py --html $(HTML)

# chromium first: a machine that cannot get it stops at once, before the long steps.
test: chromium lint build-check pdf student unit nbval site lab-test
	@echo "make test: all checks passed"

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf _build _vendor/mathjax .vendor $(AXE)
