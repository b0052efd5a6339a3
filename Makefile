# One command each: `make demo` (install + migrate + demo data + serve), `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test lint format serve clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	$(BIN)/linli demo

test: install-test
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

serve: install
	$(BIN)/linli serve

clean:
	rm -rf $(VENV) var

# Translation catalogs: one per app (linli/<app>/locale) plus linli/locale for the shared templates.
APPS := $(patsubst linli/%/apps.py,%,$(wildcard linli/*/apps.py))
messages: install-test
	for app in $(APPS); do (cd linli/$$app && mkdir -p locale && ../../$(BIN)/django-admin makemessages -l en --no-location --no-obsolete -i 'migrations/*' >/dev/null); done
	mkdir -p linli/locale && cd linli && ../$(BIN)/django-admin makemessages -l en --no-location --no-obsolete $(foreach a,$(APPS),-i '$(a)/*') -i 'formats/*' >/dev/null
	$(BIN)/python manage.py compilemessages --ignore .venv >/dev/null
