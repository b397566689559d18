# Article Archive: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench bench-million clean wheel-test bundle vnu sysdeps sysdeps-packaging bench-pdf bench-boilerplate bench-decoding bench-parsing bench-huge bench-html bench-bag

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/article-archive

# The Nu HTML Checker (vnu.jar, run with java) validates exported HTML in the tests.
VNU_VERSION := 26.9.27
VNU_DIR := .cache/vnu
VNU_STAMP := $(VNU_DIR)/.installed-$(VNU_VERSION)
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

# Reinstalls when the pinned version changes or the jar is gone; otherwise does nothing.
$(VNU_STAMP) $(VNU_JAR) &:
	rm -rf $(VNU_DIR)/node_modules/vnu-jar
	npm install --no-audit --no-fund --silent --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION)
	@test -f $(VNU_JAR)
	@touch $(VNU_STAMP)

vnu: $(VNU_STAMP) $(VNU_JAR)

# System packages the suite needs (Qt's runtime libraries, fonts, poppler, qpdf, Java, npm):
# installed with apt-get when missing and we may (root or passwordless sudo), else one line naming
# the command to run.
sysdeps:
	@scripts/system-deps.sh test

sysdeps-packaging:
	@scripts/system-deps.sh packaging

test: sysdeps $(STAMP) vnu
	@$(PY) -c 'import sys, PySide6; print("testing on Python", sys.version.split()[0], "with PySide6", PySide6.__version__)'
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# pip install . (not editable) from a wheel into a fresh venv: the command must find its resources.
wheel-test: sysdeps
	rm -rf build/wheel-test && $(PYTHON) -m venv build/wheel-test/venv
	build/wheel-test/venv/bin/python -m pip install --quiet --upgrade pip
	build/wheel-test/venv/bin/python -m pip wheel --quiet --no-deps -w build/wheel-test/dist .
	build/wheel-test/venv/bin/python -m pip install --quiet build/wheel-test/dist/*.whl
	cd build/wheel-test && venv/bin/python ../../packaging/check_install.py

# A one-folder app (PyInstaller) that runs without Python, then its smoke test.
bundle: sysdeps sysdeps-packaging
	rm -rf build/bundle && $(PYTHON) -m venv build/bundle/venv
	build/bundle/venv/bin/python -m pip install --quiet --upgrade pip
	build/bundle/venv/bin/python -m pip install --quiet . "pyinstaller>=6.10"
	cd packaging && ../build/bundle/venv/bin/pyinstaller --noconfirm --log-level WARN \
		--distpath ../dist --workpath ../build/bundle/work article-archive.spec
	packaging/smoke-test.sh dist/article-archive/article-archive

# Benchmarks (not part of the test suite): `make bench`, or `make bench BENCH_ARGS=--quick`.
# `make bench BENCH_ARGS=--million` (or `make bench-million`) adds the 1,000,000-article figures;
# the first time it builds and caches that library (~13 GB, about half an hour).
bench: $(STAMP)
	$(PY) -m benchmarks.run $(BENCH_ARGS)

bench-million: $(STAMP)
	$(PY) -m benchmarks.run --million $(BENCH_ARGS)

# PDF export time against article length (one long word, one long paragraph, many paragraphs).
bench-pdf: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.pdf_bench $(BENCH_ARGS)

# Boilerplate learned per folder of the development corpus: `make bench-boilerplate`,
# or `make bench-boilerplate BENCH_ARGS="--corpus DIR"`.
bench-boilerplate: $(STAMP)
	$(PY) -m benchmarks.boilerplate_bench $(BENCH_ARGS)

# Decoding accuracy on the shared encodings/ corpus: app vs charset-normalizer vs chardet.
bench-decoding: $(STAMP)
	$(PY) -m benchmarks.decoding_bench $(BENCH_ARGS)

# Parser quality per real source folder (titles, datelines, dates, URLs, languages, speed).
bench-parsing: $(STAMP)
	$(PY) -m benchmarks.parsing_bench $(BENCH_ARGS)

# Peak memory of importing one huge file, as a multiple of its size.
bench-huge: $(STAMP)
	$(PY) -m benchmarks.huge_file_bench $(BENCH_ARGS)

# HTML page reading: body P/R/F1 (shingle metric) and pages/s, ours vs trafilatura alone.
bench-html: $(STAMP)
	$(PY) -m benchmarks.html_bench $(BENCH_ARGS)

# BagIt export and import of N articles against HTML export and text import (same run).
bench-bag: $(STAMP)
	$(PY) -m benchmarks.bag_bench $(BENCH_ARGS)
