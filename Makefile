# faasm-go: see README.md. Every target that needs system packages first
# installs whatever is missing (ci/deps.sh is idempotent and cheap).

GO      ?= go
BIN     := $(CURDIR)/bin
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
GOFLAGS_BUILD := -ldflags "-X main.version=$(VERSION)"
# make test's budget on the 2-core reference machine is ~40 minutes.
TEST_TIMEOUT ?= 40m

export PATH := $(BIN):$(PATH)

.PHONY: all deps build demo test test-short bench generate check clean kernels

all: build

deps:
	@sh ci/deps.sh

build:
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/ ./cmd/faasm ./cmd/faasm-cc
	@$(BIN)/faasm-cc install-links $(BIN)

# The main job: compile example programs with the drop-in compilers and run
# them as Faaslets.
demo: deps build
	@mkdir -p build/demo
	faasm-cc -O2 -o build/demo/hello.wasm examples/hello.c -lm
	faasm run -x WHO=faasm build/demo/hello.wasm one two
	faasm-c++ -O2 -o build/demo/hello-cpp.wasm examples/hello.cpp
	faasm run build/demo/hello-cpp.wasm
	faasm-mpicc -O2 -o build/demo/mpi-hello.wasm examples/mpi_hello.c
	faasm run -np 4 build/demo/mpi-hello.wasm
	faasm-cc -fopenmp -O2 -o build/demo/omp-pi.wasm examples/omp_pi.c
	OMP_NUM_THREADS=4 faasm run build/demo/omp-pi.wasm
	OMP_NUM_THREADS=4 faasm run --omp-memory=private build/demo/omp-pi.wasm
	faasm-mpicc -fopenmp -O2 -o build/demo/hybrid-pi.wasm examples/hybrid_pi.c
	faasm run -np 4 -x OMP_NUM_THREADS=2 build/demo/hybrid-pi.wasm

# -count=1: the end-to-end suites run binaries that internal/testbin builds
# with an external `go build`, which Go's test cache cannot see; a cached
# pass could hide a change to the runtime or the toolchain.
test: deps build
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

test-short: build
	$(GO) test -short ./...

bench: deps build
	@sh ci/bench.sh

# The ParRes-style kernels, built natively and with the drop-in compilers
# (kernels/Makefile; wasm programs that cannot build yet are reported).
kernels: deps build
	$(MAKE) -C kernels

# LAMMPS (issue 6): Debian's source built natively and with faasm-mpicxx,
# cached ($FAASM_CACHE/lammps); see lammps-port/README.md.
.PHONY: lammps
lammps: deps build
	$(MAKE) -C lammps-port

generate:
	$(GO) generate ./hostabi ./libfaasmpi

# Fails when formatting, vet or generated files are out of date.
check: generate
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "run gofmt -w"; exit 1; }
	$(GO) vet ./...
	@git diff --exit-code -- hostabi sysroot/include runtime/host docs libfaasmpi || { echo "generated files changed: commit them"; exit 1; }

clean:
	rm -rf $(BIN) build
