# Hindsight: `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt | cksum | cut -d' ' -f1)
ADDRESS ?= 127.0.0.1:8000

.PHONY: venv native run test bench bench-instructions bench-load lint format worker beat clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

# The package itself, editable, so its console scripts (hindsight-check) are on the venv's PATH.
$(BIN)/hindsight-check: pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The checker's hot modules compiled with mypyc (about 10 s, again only after an edit to the
# checker); where that cannot be done they run as Python, with the same results.
native: venv
	$(BIN)/python -m postmortems.specificity build-native

run: venv native
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py warm_checker
	$(BIN)/python manage.py runserver $(ADDRESS)

test: venv native $(BIN)/hindsight-check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

bench: venv native
	$(BIN)/python benchmarks/run_all.py

bench-instructions: venv native
	$(BIN)/python benchmarks/bench_instructions.py

bench-load: venv
	$(BIN)/python benchmarks/bench_load.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: venv
	$(BIN)/celery -A config worker --loglevel=INFO

beat: venv
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 build
