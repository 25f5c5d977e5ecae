# The two commands a newcomer needs:
#   make demo   set up (virtual environment, database, catalogue, demo users, seed reports)
#               and start the server on http://127.0.0.1:8000/
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# These targets are for development: allow the development secret key unless one is set.
# Production sets DJANGO_SECRET_KEY and never runs make (see docs/security.md).
export DJANGO_ALLOW_INSECURE_KEY ?= true

.PHONY: demo test install lint schema worker bench

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/python manage.py setup_demo
	@echo ""
	@echo "API        http://$(HOST)/api/v1/"
	@echo "API docs   http://$(HOST)/api/v1/docs/  (ReDoc: /api/v1/redoc/)"
	@echo "Admin      http://$(HOST)/admin/  (user admin)"
	@echo ""
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: install
	$(BIN)/python manage.py spectacular --lang en --validate --fail-on-warn --file docs/openapi.yaml

worker: install
	$(BIN)/celery -A tracker worker --loglevel=info

# Data-scale benchmark in a throw-away database (see docs/performance.md).
bench: install
	$(BIN)/python manage.py bench
