# Invariance Conflicts in Trustworthy AI — build, test and maintain the book.
# Every target creates/updates the pinned environment in .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000

export HF_HUB_OFFLINE := 1
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

MATHJAX_VERSION := 3.2.2
MATHJAX := _vendor/mathjax/tex-mml-chtml.js

.PHONY: help env book serve test lint unit nbval site student build-check notebooks bench clean

help:
	@echo "make book       build the HTML book into $(HTML) (creates .venv first)"
	@echo "make serve      serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make test       every check: lint, strict book build, unit + claim tests, nbval, site in chromium"
	@echo "make notebooks  re-execute every chapter in place (deterministic)"
	@echo "make student    the student edition without solutions in _build/student"
	@echo "make bench      time and size everything against the budgets in CONTRIBUTING.md"

env: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
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

book: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The book is at $(CURDIR)/$(HTML)/index.html  (serve it with: make serve)"

serve: $(STAMP)
	@echo "Serving $(HTML) on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

lint: $(STAMP)
	$(BIN)/ruff check book tests scripts _ext

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q --ignore=tests/site
	$(BIN)/python -m pytest --doctest-modules book -q

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval chapters --sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider

# A full, strict rebuild: warnings are errors, nitpicky references.
build-check: $(STAMP) $(MATHJAX)
	rm -rf _build
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --all

# The built site in Debian's chromium, offline (needs a build: build-check or book).
site: $(STAMP)
	$(BIN)/python -m pytest tests/site -q

# The student edition: chapters without solutions (notebooks and HTML) in _build/student/.
student: $(STAMP) $(MATHJAX)
	$(BIN)/python scripts/student_edition.py _build/student
	$(BIN)/jupyter-book build _build/student --warningiserror --nitpick --keep-going
	@echo "Student edition: notebooks in _build/student/chapters, HTML at _build/student/_build/html/index.html"

test: lint build-check student unit nbval site
	@echo "make test: all checks passed"

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf _build _vendor/mathjax .vendor
