# The README's commands. Each target installs what is missing first (scripts/bootstrap).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
JOBS ?= $(shell nproc)
BUILD := build/dev
CMAKE_PY = -DPython_EXECUTABLE=$(abspath $(PY)) -Dpybind11_DIR=$$($(PY) -m pybind11 --cmakedir)
export PYTHONPATH := $(CURDIR)/$(BUILD)/python

.PHONY: all bootstrap build test test-cpp test-python fuzz-smoke fuzz demo bench asan tsan clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake --preset dev $(CMAKE_PY) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@$(MAKE) --no-print-directory test-cpp test-python fuzz-smoke

test-cpp:
	ctest --test-dir $(BUILD) --output-on-failure --no-tests=error -j $(JOBS)

test-python:
	$(PY) -m pytest tests/python

# A few seconds per libFuzzer target on the seed corpus: catches crashes early.
fuzz-smoke: build
	@scripts/fuzz --seconds 10

# Longer fuzzing: make fuzz FUZZ_SECONDS=1800 (one target: scripts/fuzz --only csv --seconds 1800)
FUZZ_SECONDS ?= 300
fuzz: build
	@scripts/fuzz --seconds $(FUZZ_SECONDS)

demo: build
	$(PY) -m cxkit demo

bench: bootstrap
	@scripts/bench

# Sanitizers: ASan + UBSan over the C++ and Python suites; TSan over the tests that start threads.
asan: bootstrap
	@scripts/sanitize

tsan: bootstrap
	@scripts/tsan

clean:
	rm -rf build cxkit-report python/cxkit/_core*.so
