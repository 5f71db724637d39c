# county-rollup: the commands a newcomer needs.
#   make run    build (release) and roll up the sample county in data/ into out/
#   make test   every test: unit, golden fixtures, round trips, CLI
#   make bench  the benchmark (see README)

CARGO ?= cargo

.PHONY: run build test bench fuzz clean

build:
	$(CARGO) build --release --locked

run: build
	./target/release/county-rollup data/ --out out/ --xlsx ; status=$$?; \
	  if [ $$status -ge 2 ]; then exit $$status; fi; \
	  echo "(exit status $$status: 1 means some files were rejected; see out/files.csv)"

test:
	$(CARGO) test --workspace --locked --all-targets

bench:
	./bench/run.sh

# The fuzzer (cargo install cargo-fuzz). cargo-fuzz needs nightly features;
# RUSTC_BOOTSTRAP lets the stable toolchain provide them.
fuzz:
	mkdir -p fuzz/corpus/read_bytes
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run read_bytes corpus/read_bytes seeds -- -max_total_time=300 -max_len=20000

clean:
	$(CARGO) clean
	rm -f out/*.csv out/*.xlsx
