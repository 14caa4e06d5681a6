# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint sample bench mutation clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Posko needs Python 3.11 or newer; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# runtime packages, reinstalled when pyproject.toml changes
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

# runtime + test packages
$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(VENV)/bin/posko serve --port $(PORT)

test: $(VENV)/.installed-test
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

sample: $(VENV)/.installed-run
	$(PY) data/generate_sample.py

bench: $(VENV)/.installed-test
	$(PY) bench/map_render.py && $(PY) bench/coverage.py && $(PY) bench/briefing.py && $(PY) bench/importer.py && $(PY) bench/hostile.py && $(PY) bench/placement.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# mutation testing of the core (minutes; not part of `make test`): one JSON line of scores
$(VENV)/.installed-mutation: pyproject.toml | $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e '.[test,mutation]'
	@touch $@

mutation: $(VENV)/.installed-mutation
	$(PY) tools/mutation.py
