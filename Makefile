# Two commands for a new machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
export PCI_DB_PATH ?= data/pci.duckdb

.PHONY: run test install install-test chromium db bench lint clean cert install-service wheelhouse

# A wheelhouse (make wheelhouse, copied from a machine with internet) makes every install offline.
WHEELHOUSE ?= .wheelhouse
OFFLINE := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(if $(OFFLINE),,$(BIN)/python -m pip install --quiet --upgrade pip)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(OFFLINE) -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

db: install
	$(BIN)/python -m pci_metrics build --if-needed

# Where it listens comes from the environment: PCI_HOST (default 127.0.0.1), PORT, PCI_TLS_CERT/PCI_TLS_KEY
# or the certificate `make cert` made; a network address without TLS is refused (README "Deploying at the ward").
run: db chromium
	PORT=$(PORT) $(BIN)/python -m pci_metrics.ui.supervisor --server.headless true

# A certificate for the office network: make cert HOST=pci-phuong IP=192.168.1.20
cert: install
	$(BIN)/python -m pci_metrics cert $(if $(HOST),--host $(HOST)) $(if $(IP),--ip $(IP)) --host localhost --ip 127.0.0.1

# Debian's chromium for browser tests (installed when missing and we are root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install -y chromium' for browser tests"; fi; \
	fi

# The dashboard as a system service (as root, in a checkout every user may read, e.g. /opt/pci-dashboard):
# user pci owning only /var/lib/pci-dashboard, started at boot, restarted after a crash, logs in the journal.
#   sudo make install-service HOST=pci-phuong IP=192.168.1.20
SERVICE_DATA := /var/lib/pci-dashboard
install-service: install
	@if [ "$$(id -u)" != "0" ]; then echo "run as root: sudo make install-service HOST=<name> IP=<address>"; exit 2; fi
	id -u pci >/dev/null 2>&1 || useradd --system --home-dir $(SERVICE_DATA) --shell /usr/sbin/nologin pci
	install -d -o pci -g pci -m 0750 $(SERVICE_DATA)
	[ -f /etc/pci-dashboard.env ] || install -m 0640 -o root -g pci docs/deploy/pci-dashboard.env /etc/pci-dashboard.env
	if [ -n "$(HOST)$(IP)" ] && [ ! -f $(SERVICE_DATA)/tls/server.pem ]; then \
	  runuser -u pci -- env PCI_DB_PATH=$(SERVICE_DATA)/pci.duckdb $(BIN)/python -m pci_metrics cert \
	    $(if $(HOST),--host $(HOST)) $(if $(IP),--ip $(IP)) --host localhost --ip 127.0.0.1; fi
	$(BIN)/python -m pci_metrics service-files --out /etc/systemd/system
	systemctl daemon-reload
	systemctl enable --now pci-dashboard.service pci-backup.timer
	systemctl --no-pager status pci-dashboard.service || true

# Every pinned wheel in one folder, for a machine without internet (README "Deploying at the ward"):
#   make wheelhouse [WHEELHOUSE=/media/usb/pci-wheelhouse]
# For another machine: .venv/bin/python -m scripts.wheelhouse --python-version 3.11 --platform <tag> ...
wheelhouse: | $(BIN)/python
	$(BIN)/python -m scripts.wheelhouse --dest $(WHEELHOUSE)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install-test chromium lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: install-test chromium
	$(BIN)/python -m scripts.bench

clean:
	rm -rf $(VENV) data/pci.duckdb data/pci.duckdb.wal
