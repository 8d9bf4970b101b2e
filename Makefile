# Front door. `make run` starts the whole system on SQLite; `make test` runs
# every test. Both bootstrap the machine's packages first when needed.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BOOTSTRAP := ./scripts/bootstrap.sh

.PHONY: all bootstrap build release test test-asan test-tsan test-crash fuzz coverage run bench format clean

all: build

bootstrap:
	@$(BOOTSTRAP)

build: bootstrap
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target bookstore-auth bookstore-book

# Starts the local PostgreSQL cluster when it can (root) and says loudly
# what did not run (scripts/test.sh).
test: build
	@./scripts/test.sh debug -j $(JOBS) --timeout 300 $(CTEST_ARGS)

test-asan: bootstrap
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan -j $(JOBS)
	@ctest --preset asan-ubsan -j $(JOBS) --timeout 600 $(CTEST_ARGS)

# The power-cut tests (tests/book_service/integration/crash_test.cpp) with
# CRASH_ROUNDS rounds per cut point and image kind (make test runs 2).
CRASH_ROUNDS ?= 25
test-crash: build
	@BOOKSTORE_CRASH_ROUNDS=$(CRASH_ROUNDS) ./build/debug/tests/book_service_integration_tests \
	  --gtest_filter='CrashTest.*'

# unit, integration and api tests under ThreadSanitizer (tests/tsan.supp).
test-tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS)
	@ctest --preset tsan -j $(JOBS) --timeout 900 $(CTEST_ARGS)

# Every libFuzzer target for FUZZ_SECONDS (default 60) each; docs/fuzzing.md.
fuzz: bootstrap
	@./scripts/fuzz.sh

coverage: bootstrap
	@cmake --preset coverage >/dev/null
	@cmake --build --preset coverage -j $(JOBS)
	@find build/coverage -name '*.gcda' -delete
	@status=0; ctest --preset coverage -j $(JOBS) --timeout 600 $(CTEST_ARGS) || status=$$?; \
	  mkdir -p build/coverage/html; \
	  gcovr -r . build/coverage --filter 'common/' --filter 'auth_service/' --filter 'book_service/' \
	    --exclude-unreachable-branches --print-summary \
	    --html-details build/coverage/html/index.html --txt - || status=$$?; \
	  echo "HTML report: build/coverage/html/index.html"; exit $$status

run: release
	@./scripts/run.sh

bench: bootstrap
	@./bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
