# county-rollup: the commands a newcomer needs.
#   make run    build (release) and roll up the sample county in data/ into out/
#   make test   every test: unit, golden fixtures, round trips, CLI
#   make bench  the benchmark (see README)
# Builds for the county offices (README, "For the county office"), into dist/:
#   make windows       county-rollup.exe for 64-bit Windows, 汇总.bat, 使用说明.txt, zipped
#   make wine-test     run that .exe under Wine and compare its outputs with the Linux build's
#   make linux-static  one static file for Kylin/UOS on x86_64 (musl)
#   make linux-arm64   the same for ARM (aarch64)
# None of these is part of make test or CI (they need MinGW-w64, Wine, musl targets).

CARGO ?= cargo

.PHONY: run build test bench fuzz clean windows wine-test linux-static linux-arm64 dist

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
# RUSTC_BOOTSTRAP lets the stable toolchain provide them. One target per kind
# of file, one after the other, each seeded with the test fixtures of its
# kind; inputs up to 300 KB, large enough to reach the layouts' budgets; a
# single input that takes 10 s or 2 GB is a finding (issue 16).
# make fuzz FUZZ_TIME=900 FUZZ_TARGETS="html pdf"
FUZZ_TARGETS ?= text html docx doc pdf
FUZZ_TIME ?= 300
fuzz_seeds_text := tests/fixtures/text/*.txt tests/fixtures/real/*.txt
fuzz_seeds_html := tests/fixtures/html/*.html
fuzz_seeds_docx := tests/fixtures/docx/*.docx
fuzz_seeds_doc := tests/fixtures/doc/*.doc
fuzz_seeds_pdf := tests/fixtures/pdf/*.pdf
fuzz:
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t fuzz/seeds-$$t && \
	  case $$t in \
	    text) cp $(fuzz_seeds_text) fuzz/seeds-$$t/ ;; \
	    html) cp $(fuzz_seeds_html) fuzz/seeds-$$t/ ;; \
	    docx) cp $(fuzz_seeds_docx) fuzz/seeds-$$t/ ;; \
	    doc) cp $(fuzz_seeds_doc) fuzz/seeds-$$t/ ;; \
	    pdf) cp $(fuzz_seeds_pdf) fuzz/seeds-$$t/ ;; \
	  esac && \
	  (cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $$t corpus/$$t seeds-$$t -- \
	    -max_total_time=$(FUZZ_TIME) -max_len=300000 -timeout=10 -rss_limit_mb=2048) || exit 1; \
	done

# --- Builds for the county offices -----------------------------------------
# The dist profile is the release build stripped (Cargo.toml). Each target
# is a build of its own (several minutes on two cores); rustup adds the
# target's standard library once (that needs the network once).
WIN_TARGET := x86_64-pc-windows-gnu
WIN_EXE := target/$(WIN_TARGET)/dist/county-rollup.exe
WIN_DIST := dist/county-rollup-windows-x86_64
MUSL_TARGET := x86_64-unknown-linux-musl
MUSL_DIST := dist/county-rollup-linux-x86_64
ARM_TARGET := aarch64-unknown-linux-musl
ARM_DIST := dist/county-rollup-linux-aarch64

define need_target
	@rustup target list --installed | grep -qx '$(1)' || rustup target add $(1)
endef

windows:
	@command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "make windows needs MinGW-w64: apt-get install gcc-mingw-w64-x86-64" >&2; exit 2; }
	$(call need_target,$(WIN_TARGET))
	$(CARGO) build --profile dist --locked --target $(WIN_TARGET) --bin county-rollup
	rm -rf $(WIN_DIST) $(WIN_DIST).zip && mkdir -p $(WIN_DIST)
	cp $(WIN_EXE) packaging/windows/汇总.bat packaging/windows/使用说明.txt $(WIN_DIST)/
	python3 packaging/zip.py $(WIN_DIST) $(WIN_DIST).zip
	@echo "DLLs the .exe needs (all part of Windows):" $$(x86_64-w64-mingw32-objdump -p $(WIN_EXE) | sed -n 's/^\tDLL Name: //p' | sort -uf | tr '\n' ' ')
	@ls -l $(WIN_DIST)/county-rollup.exe $(WIN_DIST).zip

# Needs wine (apt-get install wine wine64) and both builds.
wine-test: build windows
	packaging/wine-test.sh $(WIN_EXE) target/release/county-rollup

# Static: rustc's own musl C library is linked in (the crates are pure Rust),
# so the file runs on any x86_64 Linux, whatever its glibc. Its outputs on the
# sample county are compared with the host build's.
linux-static: build
	$(call need_target,$(MUSL_TARGET))
	$(CARGO) build --profile dist --locked --target $(MUSL_TARGET) --bin county-rollup
	$(call linux_dist,$(MUSL_TARGET),$(MUSL_DIST))
	$(call same_as_host,,$(MUSL_DIST)/county-rollup)

# ARM Kylin/UOS (Phytium, Kunpeng): linked by rust-lld (.cargo/config.toml).
# With qemu-user installed (apt-get install qemu-user), its outputs on the
# sample county are compared with the host build's too.
linux-arm64: build
	$(call need_target,$(ARM_TARGET))
	$(CARGO) build --profile dist --locked --target $(ARM_TARGET) --bin county-rollup
	$(call linux_dist,$(ARM_TARGET),$(ARM_DIST))
	@if command -v qemu-aarch64 >/dev/null; then \
	  $(call same_as_host,qemu-aarch64,$(ARM_DIST)/county-rollup); \
	else echo "(qemu-aarch64 not installed: the ARM build was not run)"; fi

# $(1) $(2) (a runner and a binary) on data/ writes the same bytes, workbook
# included, as the host build.
define same_as_host
	tmp=$$(mktemp -d) && export SOURCE_DATE_EPOCH=1735689600 && \
	  { ./target/release/county-rollup data --out $$tmp/a --xlsx -q; \
	    $(1) $(2) data --out $$tmp/b --xlsx -q; \
	    diff -r $$tmp/a $$tmp/b && echo "$(2) writes the same bytes as the host build: $$(ls $$tmp/b | tr '\n' ' ')"; \
	    s=$$?; rm -rf $$tmp; exit $$s; }
endef

define linux_dist
	rm -rf $(2) $(2).tar.gz && mkdir -p $(2)
	cp target/$(1)/dist/county-rollup packaging/linux/使用说明.txt $(2)/
	tar -C dist --owner=0 --group=0 --sort=name -czf $(2).tar.gz $(notdir $(2))
	@file $(2)/county-rollup
	@ldd $(2)/county-rollup 2>&1 | sed 's/^/ldd: /' || true
	@ls -l $(2)/county-rollup $(2).tar.gz
endef

dist: windows linux-static linux-arm64

clean:
	$(CARGO) clean
	rm -rf dist
	rm -f out/*.csv out/*.xlsx
