# jiceng — the two commands are `make run` and `make test` (see README.md).
# Both install what is missing first (scripts/setup.sh).

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# The county `make run` fills with a synthetic campaign year (jiceng demo;
# once, later runs leave it alone): 舞阳县. `make run DEMO_COUNTY=` for none.
DEMO_COUNTY ?= 411121

.PHONY: all build run test unit api ui bench format lint clean

all: build

build:
	@scripts/setup.sh build
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j$(JOBS)

run: build
	@JICENG_DEMO_COUNTY=$(DEMO_COUNTY) scripts/run.sh

test:
	@scripts/setup.sh test
	@scripts/test.sh

bench: build
	@scripts/setup.sh bench
	@bench/run.sh

format:
	@clang-format -i $$(git ls-files --cached --others --exclude-standard '*.c' '*.h')

lint: build
	@git ls-files 'src/*.c' 'tools/*.c' | xargs -P$(JOBS) -n4 clang-tidy -p build --quiet
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -Isrc src tools

clean:
	rm -rf build build-test
