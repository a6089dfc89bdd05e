# Two commands set everything up on a fresh machine (Python 3.11+ and make are enough):
#   make sample   install, then reconcile the bundled sample day into out/sample
#   make test     install, then run the test suite (.ci/run calls exactly this)
#   make screenshots  refresh the README's images in docs/img/ (tests never write there)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist workers for `make test`: each starts its own PostgreSQL cluster, Prefect
# harness and Chromium, so more than the cores only adds start-up (`make test TEST_WORKERS=0`
# runs in one process)
TEST_WORKERS ?= 2

.PHONY: install sample test screenshots lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

sample: install
	$(BIN)/recon run --data-dir sample_data/data --out out/sample --config sample_data/recon.toml \
		--store out/sample.duckdb; rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
		echo "report: out/sample/report.html (exit $$rc: 0 clean, 1 findings)"
	@echo "web app on this store (docs/web.md): add yourself as its first user, an admin (you"
	@echo "choose the password; skip this if the store has users), then start it and sign in:"
	@echo "  $(BIN)/recon users add demo --role admin --store out/sample.duckdb"
	@echo "  $(BIN)/recon serve --store out/sample.duckdb --config sample_data/recon.toml"
	@echo "  open http://127.0.0.1:8000/"

test: install
	.ci/ensure-chromium
	.ci/ensure-postgres
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# the README's images (docs/img/*.png) from the browser tests; `make test` never writes them
screenshots: install
	.ci/ensure-chromium
	RECON_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/web/test_browser.py \
		tests/incident/test_readme_images.py -q \
		-p no:cacheprovider -k test_screenshots_for_the_readme

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/end_to_end.py

clean:
	rm -rf $(VENV) out .prefect .pytest_cache
