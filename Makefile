# dumpkit: one non-recursive Makefile; everything it builds goes under $(B)/.
# User variables: CC CPPFLAGS CFLAGS LDFLAGS PREFIX DESTDIR PKG_CONFIG; B picks
# the build folder.  WERROR=1 turns warnings into errors (CI sets it, and so
# should anyone changing the code; a user's newer compiler with a new
# warning still builds).

PREFIX	?= /usr/local
DESTDIR	?=
B	?= build
CC	?= cc
CFLAGS	?= -O2 -g
SHARED	?= ../shared

PKG_CONFIG ?= pkg-config

# One version for everything (--version, the man page footers, the .deb):
# git describe in a checkout that has a v* tag, else the VERSION file (a
# tarball, or no tag yet).  make VERSION=X overrides; debian/rules does.
VERSION := $(or $(if $(wildcard .git),$(shell git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//')),$(shell cat VERSION 2>/dev/null),unknown)
WERROR	?=

# zlib and libutf8proc ship a .pc in Debian; jq and libcsv do not, so they
# go by name.  Without pkg-config the names are the Debian ones.
PKG_DEPS := zlib libutf8proc
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKG_DEPS) 2>/dev/null)
PKG_LIBS := $(or $(shell $(PKG_CONFIG) --libs $(PKG_DEPS) 2>/dev/null),-lz -lutf8proc)

WARN	= -Wall -Wextra -Wformat-security $(if $(filter 1,$(WERROR)),-Werror)
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARN) -pthread -MMD -MP $(ALL_CPPFLAGS) $(CFLAGS)
LIBS	= -ljq $(PKG_LIBS) -lm -pthread
# libcsv is the reference the CSV tests compare our reader with; the tools
# do not link it.
TEST_LIBS = -lcsv $(LIBS)

# Where make install puts things (GNU names; DESTDIR for staging).
INSTALL	?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 755
INSTALL_DATA ?= $(INSTALL) -m 644
bindir	= $(PREFIX)/bin
mandir	= $(PREFIX)/share/man
bashcompdir = $(PREFIX)/share/bash-completion/completions
zshcompdir = $(PREFIX)/share/zsh/vendor-completions
docdir	= $(PREFIX)/share/doc/dumpkit
DOCS	= README.md docs/ARCHITECTURE.md

TOOLS	:= $(notdir $(wildcard tools/*))
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
BINS	:= $(TOOLS:%=$(B)/bin/%)

.PHONY: all check sanitize tsan install install-strip uninstall deb deb-lint clean bench demo deps depcheck fuzz fuzz-build soak valgrind lint-man FORCE
.SUFFIXES:

MANPAGES := $(wildcard docs/*.1 docs/*.7)
MAN_OUT	:= $(MANPAGES:docs/%=$(B)/man/%)
BASH_COMP := $(TOOLS:%=$(B)/completion/bash/%)
ZSH_COMP := $(TOOLS:%=$(B)/completion/zsh/_%)

all: $(B)/.depcheck $(B)/libcommon.a $(BINS) $(MAN_OUT) $(BASH_COMP) $(ZSH_COMP)

# The version reaches one object (common/version.o) and the built man
# pages, through a stamp rewritten only when the version changes.
$(B)/version.stamp: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = '$(VERSION)' ] || echo '$(VERSION)' >$@
$(B)/common/version.o: $(B)/version.stamp
$(B)/common/version.o: ALL_CFLAGS += -DDUMPKIT_VERSION='"$(VERSION)"'
FORCE:

# The installed pages carry the version in their footer (.Os); the sources
# keep a bare .Os, which is what mandoc -T lint wants.
$(B)/man/%: docs/% $(B)/version.stamp
	@mkdir -p $(@D)
	sed 's/^\.Os$$/.Os dumpkit $(VERSION)/' $< >$@

# A missing dependency is one line naming the Debian package, not a wall of
# compiler errors.  The headers are looked for with the flags the build uses.
$(B)/.depcheck:
	@mkdir -p $(B)
	@$(call depcheck,jq.h:libjq-dev zlib.h:zlib1g-dev utf8proc.h:libutf8proc-dev)
	@touch $@
# The tests also need libcsv (their CSV reference).
$(B)/.depcheck-test: $(B)/.depcheck
	@$(call depcheck,csv.h:libcsv-dev)
	@touch $@
depcheck = for dep in $(1); do \
	  hdr=$${dep%%:*}; pkg=$${dep\#*:}; \
	  printf '\#include <%s>\n' "$$hdr" | $(CC) $(ALL_CPPFLAGS) $(CFLAGS) -E -x c - >/dev/null 2>&1 || \
	    { echo "dumpkit: missing <$$hdr>: install the Debian package $$pkg (make deps)" >&2; exit 2; }; \
	done

$(B)/common/%.o: common/%.c $(B)/.depcheck
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcommon.a: $(COMMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

.SECONDEXPANSION:
$(B)/bin/%: $$(wildcard tools/%/*.c tools/%/*.h) $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(B)/libcommon.a $(LIBS)

$(B)/unit/%: tests/unit/%.c tests/unit/tap.h $(B)/libcommon.a $(B)/.depcheck-test
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DSHARED_DIR='"$(SHARED)"' $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(TEST_LIBS)

# place-normalize's value parsers are tested apart from the tool (and
# with their portable word loops compiled in, where SSE2 would be used).
NORMALIZE_SRC := $(filter-out %/place-normalize.c,$(wildcard tools/place-normalize/*.c))
NORMALIZE_TEST_DEPS := tools/place-normalize/values.c tools/place-normalize/sha1.c tools/place-normalize/place.c tools/place-normalize/normalize.h tests/unit/tap.h $(B)/libcommon.a $(B)/.depcheck-test
$(B)/unit/test_normalize: tests/unit/test_normalize.c $(NORMALIZE_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tools/place-normalize/values.c tools/place-normalize/sha1.c tools/place-normalize/place.c $(B)/libcommon.a $(TEST_LIBS)
$(B)/unit/test_normalize_portable: tests/unit/test_normalize_portable.c tests/unit/test_normalize.c $(NORMALIZE_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tools/place-normalize/sha1.c tools/place-normalize/place.c $(B)/libcommon.a $(TEST_LIBS)

# twin-join's links index is tested apart from the tool.
INDEX_TEST_SRC := tools/twin-join/index.c tools/twin-join/populate.c tools/twin-join/handoff.c
$(B)/unit/test_index: tests/unit/test_index.c $(INDEX_TEST_SRC) tools/twin-join/index.h tests/unit/tap.h $(B)/libcommon.a $(B)/.depcheck-test
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(INDEX_TEST_SRC) $(B)/libcommon.a $(TEST_LIBS)

# Completions are generated from each built tool's --help, so they follow
# its options as they change (completion/gen; value sets in completion/values).
$(B)/completion/bash/%: $(B)/bin/% completion/gen completion/values
	@mkdir -p $(@D)
	completion/gen $< bash >$@.tmp && mv $@.tmp $@
$(B)/completion/zsh/_%: $(B)/bin/% completion/gen completion/values
	@mkdir -p $(@D)
	completion/gen $< zsh >$@.tmp && mv $@.tmp $@

# Unit tests print TAP; bats suites print TAP; tests/run sums them into the
# closing "N passed, M failed" line and fails when anything failed.
check: all $(UNIT_BIN) $(B)/faultinject.so
	@BIN=$(abspath $(B)/bin) UNIT=$(abspath $(B)/unit) SHARED=$(abspath $(SHARED)) \
	  DUMPKIT_VERSION='$(VERSION)' BUILD=$(abspath $(B)) MAN_OUT=$(abspath $(B)/man) FAULTINJECT=$(abspath $(B)/faultinject.so) SANITIZED=$(SANITIZED) tests/run

# The fault-injection shim for tests/hardening.bats (LD_PRELOAD).  Built
# without sanitizer flags: ASan must come first and can't share a preload.
$(B)/faultinject.so: tests/faultinject.c
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 $(WARN) -o $@ $< -ldl

sanitize:
	$(MAKE) B=build-san SANITIZED=1 CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

# twin-join is the one tool with threads: its suite (and the unit tests)
# under ThreadSanitizer, any report failing the run.  A fatal error exits
# without joining the reading thread, by design: no thread-leak reports.
tsan:
	$(MAKE) B=build-tsan SANITIZED=1 CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" SUITES=tests/twin-join.bats \
	  TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_thread_leaks=0" check

# Every unit test and tool suite under valgrind memcheck: zero errors, zero
# leaks.  hardening.bats is left out (its LD_PRELOAD shim and 1 GB inputs
# are not memcheck material; make sanitize covers them).
valgrind: all $(UNIT_BIN) $(B)/faultinject.so
	tests/valgrind-wrap $(abspath $(B)/bin) $(abspath $(B)/valgrind-bin)
	@BIN=$(abspath $(B)/valgrind-bin) UNIT=$(abspath $(B)/unit) SHARED=$(abspath $(SHARED)) \
	  DUMPKIT_VERSION='$(VERSION)' BUILD=$(abspath $(B)) MAN_OUT=$(abspath $(B)/man) \
	  UNIT_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$(abspath tests/valgrind.supp)" \
	  SUITES="$(filter-out tests/hardening.bats,$(wildcard tests/*.bats))" tests/run

# 1M and 10M generated rows through every tool: --stats must add up and the
# streaming tools' memory must stay flat (SOAK_SMALL/SOAK_BIG to change).
soak: all
	BIN=$(abspath $(B)/bin) SOAK_DIR=$(abspath $(B)/soak) tests/soak/run

bench: all
	BIN=$(abspath $(B)/bin) BENCH_DIR=$(abspath $(B)/bench) BENCH_SIZE=$(or $(BENCH_SIZE),1m) \
	  PEERS_DIR=$(abspath $(B)/peers) tests/bench/run

# The benchmark's peers, run by make bench when present: DuckDB, Polars and
# simdjson for node, from npm into $(B)/peers (node itself from Debian).
# Polars's native part is an optional dependency npm may leave out: asked
# for by name when the package does not load.
PEER_PACKAGES = @duckdb/node-api nodejs-polars simdjson
.PHONY: bench-deps
bench-deps:
	@command -v npm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { echo "bench-deps: npm is missing: install nodejs and npm" >&2; exit 2; }
	mkdir -p $(B)/peers
	cd $(B)/peers && npm install --no-audit --no-fund --prefix . $(PEER_PACKAGES)
	cd $(B)/peers && node -e "require('nodejs-polars')" 2>/dev/null || \
	  npm install --no-audit --no-fund --prefix . \
	    "nodejs-polars-$$(node -p 'process.platform + "-" + process.arch')-gnu@$$(node -p "require('./node_modules/nodejs-polars/package.json').version")"
	PEERS_DIR=$(abspath $(B)/peers) node tests/bench/peers.mjs check

# mandoc -T lint (and groff -ww) over every page; CI runs it again with
# MANLINT_STRICT=1 once the pages are installed and their Xr can be found.
lint-man:
	tests/manlint $(MANPAGES)

demo: all
	@BIN=$(abspath $(B)/bin) samples/demo.sh

# For a fresh Debian 12 machine: what the build, tests and benchmarks need.
DEB_PACKAGES = build-essential pkg-config libjq-dev libcsv-dev zlib1g-dev libutf8proc-dev bats jq miller gzip time valgrind clang mandoc groff-base curl python3 git zsh
deps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=; for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else echo "dumpkit: not a Debian system; install:$(DEB_PACKAGES)" >&2; fi

# What install puts, and so exactly what uninstall removes.
INSTALLED = $(TOOLS:%=$(bindir)/%) \
	$(patsubst docs/%,$(mandir)/man1/%,$(filter %.1,$(MANPAGES))) \
	$(patsubst docs/%,$(mandir)/man7/%,$(filter %.7,$(MANPAGES))) \
	$(TOOLS:%=$(bashcompdir)/%) $(TOOLS:%=$(zshcompdir)/_%) \
	$(addprefix $(docdir)/,$(notdir $(DOCS)))

install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man7 \
	  $(DESTDIR)$(bashcompdir) $(DESTDIR)$(zshcompdir) $(DESTDIR)$(docdir)
	$(INSTALL_PROGRAM) $(BINS) $(DESTDIR)$(bindir)/
	$(INSTALL_DATA) $(filter %.1,$(MAN_OUT)) $(DESTDIR)$(mandir)/man1/
	$(INSTALL_DATA) $(filter %.7,$(MAN_OUT)) $(DESTDIR)$(mandir)/man7/
	$(INSTALL_DATA) $(BASH_COMP) $(DESTDIR)$(bashcompdir)/
	$(INSTALL_DATA) $(ZSH_COMP) $(DESTDIR)$(zshcompdir)/
	$(INSTALL_DATA) $(DOCS) $(DESTDIR)$(docdir)/

# As GNU does: install with the binaries stripped.
install-strip:
	$(MAKE) INSTALL_PROGRAM='$(INSTALL_PROGRAM) -s' install

# The files install put, and the doc folder that is dumpkit's alone.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rmdir $(DESTDIR)$(docdir) 2>/dev/null || true

# A Debian package built in a clean copy of the source (no .git, no build
# folders, no ../shared: what a packager has), moved to $(B)/.  Runs make
# check inside unless DEB_BUILD_OPTIONS=nocheck.  lintian: make deb-lint.
DEB_DIR	= $(B)/deb
DEB_SRC	= $(DEB_DIR)/dumpkit-$(VERSION)
deb:
	rm -rf $(DEB_DIR) $(B)/dumpkit_*.deb
	mkdir -p $(DEB_SRC)
	tar -c --exclude='./build*' --exclude=./.git --exclude=./debian/dumpkit \
	  --exclude=./debian/.debhelper --exclude=./debian/files \
	  --exclude='./debian/*.substvars' --exclude=./debian/debhelper-build-stamp . | \
	  tar -x -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	cp $(DEB_DIR)/dumpkit_*.deb $(B)/

deb-lint:
	lintian --fail-on error --display-info $(DEB_DIR)/dumpkit_*.changes

clean:
	rm -rf build build-san build-tsan build-fuzz

# ==== fuzzing (libFuzzer, clang) ====
# make fuzz FUZZ_SECONDS=N runs every tests/fuzz/fuzz_*.c target for N
# seconds.  A target that exercises a tool's own parser links that file too.
FUZZ_SECONDS ?= 60
FB	:= build-fuzz
FUZZ_TARGETS := $(notdir $(basename $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_SRC_fuzz_links = $(filter-out %/twin-join.c,$(wildcard tools/twin-join/*.c))
FUZZ_SRC_fuzz_jsonapi =
FUZZ_SRC_fuzz_normalize = $(NORMALIZE_SRC)

fuzz-build:
	$(MAKE) B=$(FB) CC=clang CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" $(FB)/libcommon.a
	$(MAKE) CC=clang $(FUZZ_TARGETS:%=$(FB)/fuzz/%)

fuzz: fuzz-build
	SHARED=$(SHARED) FB=$(FB) tests/fuzz/run $(FUZZ_SECONDS)

$(FB)/fuzz/%: tests/fuzz/%.c $(FB)/libcommon.a
	@mkdir -p $(@D)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
	  $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_SRC_$*) $(FB)/libcommon.a $(TEST_LIBS)

-include $(COMMON_OBJ:.o=.d) $(UNIT_BIN:=.d)
