# The README's commands: `make run`, `make test` and `make test-fast`.
PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) || pyenv which python$(PYTHON_VERSION) 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-fast install-dev install-deploy install-test chromium postgresql check-deploy clean layer package bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-dev: $(BIN)/python requirements/base.txt requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

$(VENV)/.installed-deploy: $(BIN)/python requirements/base.txt requirements/deploy.txt
	$(BIN)/pip install --quiet -r requirements/deploy.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-dev $(VENV)/.installed-deploy requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

# `make run` installs only what running needs (requirements/dev.txt); deploying adds Zappa.
install-dev: $(VENV)/.installed-dev
install-deploy: $(VENV)/.installed-deploy
install-test: $(VENV)/.installed-test

run: install-dev
	PETTUBE_AWS=local $(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

# The suite's database: Debian's PostgreSQL (tests/postgresql.py starts a throwaway cluster of it
# for each run, as an unprivileged user; `make run` keeps SQLite).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; fi; }

# Django's deployment checks under production settings (placeholder values, nothing is reached).
check-deploy: install-dev
	PETTUBE_AWS=aws DJANGO_DEBUG=off DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=pettube.example.com DATABASE_URL=sqlite:///check-deploy.sqlite3 \
	GOOGLE_OAUTH2_KEY=check-deploy GOOGLE_OAUTH2_SECRET=check-deploy \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# What the browser tests inject into pages (axe-core), pinned in package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# Two workers (tests/conftest.py keeps the deploy and the browser tests each on one of them), on
# PostgreSQL (the run's header shows the server's version).
test: install-test chromium postgresql node_modules/.package-lock.json
	PETTUBE_TEST_DATABASE=postgresql $(BIN)/python -m pytest -n 2 --dist loadgroup

# The inner loop: the same on two workers without the browser and deploy tests and what is
# marked slow (long encodes, servers started, many uploads), on PostgreSQL when it is installed
# (else SQLite). `make test` stays what CI runs.
test-fast: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser and not deploy and not slow"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache

# --- Deploy to AWS (docs/DEPLOY.md) ---------------------------------------------------------
STAGE ?= dev

# The worker function's ffmpeg, as a Lambda layer (bin/ffmpeg, i.e. /opt/bin/ffmpeg on Lambda).
layer: install-dev install-deploy
	$(BIN)/python -m deploy.ffmpeg_layer build/ffmpeg-layer.zip

# What `zappa deploy` would upload, offline: build/pettube-$(STAGE).zip.
package: install-deploy
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(BIN)):$$PATH $(BIN)/zappa package $(STAGE) -o build/pettube-$(STAGE).zip

bench: install-test
	$(BIN)/python bench/coldstart.py
