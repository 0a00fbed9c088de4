# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CORPUS ?= corpus
INDEX ?= .searchidx

.PHONY: run test check bench quality install install-dev clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(PIP) install --quiet -e '.[dev,bench]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(VENV)/bin/searchidx rebuild $(CORPUS) --index $(INDEX)
	$(VENV)/bin/searchidx tui --index $(INDEX)

test: $(VENV)/.installed-dev
	$(PY) -m pytest -q

check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check searchidx tui tests bench
	$(VENV)/bin/ruff format --check searchidx tui tests bench
	$(VENV)/bin/mypy --strict
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed-bench
	$(PY) -m bench.run

quality: $(VENV)/.installed-bench
	$(PY) -m bench.quality.run

clean:
	rm -rf $(VENV) $(INDEX)
