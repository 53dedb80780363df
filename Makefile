# The two commands of the README, and a few more for developers.
#   make demo    install what is missing, build, run the e-commerce demo on the embedded default
#   make test    install what is missing, build, run every default test (unit, sql, e2e; not slow)
#   make bench   benchmarks (not part of make test; BENCH_SCALE=10 by default); figures go to docs/benchmarks.md
#   make golden  refresh e2e goldens after a deliberate output change (review the diff!)
#   make screenshots  refresh docs/screenshots/*.png from the web catalog's browser test (look at them!)
BUILD ?= build
CMAKE_FLAGS ?=
ifneq ($(CI),)
CMAKE_FLAGS += -DTESSERA_WERROR=ON
endif

.PHONY: all deps build test demo bench golden screenshots slow schema-differential format clean

all: build

deps:
	@scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)

test: build
	@ctest --test-dir $(BUILD) -LE slow --output-on-failure -j2

slow: build
	@ctest --test-dir $(BUILD) -L slow --output-on-failure

demo: build
	@scripts/demo.sh

bench: build
	@bench/catalog_bench.sh
	@python3 bench/data_plane_bench.py
	@bench/search_bench.sh
	@build/bench/policy_bench 100000
	@BUILD=$(BUILD) bench/server_bench.sh

schema-differential: build
	@test/schema/run.sh --differential $(BUILD)/tessera

golden: build
	@UPDATE_GOLDEN=1 ctest --test-dir $(BUILD) -L e2e -j2

screenshots: build
	@UPDATE_SCREENSHOTS=1 bash test/web/run.sh $(BUILD)/tessera

format:
	@clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'test/*.cc' 'tools/*.cc')

clean:
	rm -rf $(BUILD)
