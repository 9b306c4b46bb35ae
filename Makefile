# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# rmitools build, in the manner of libbpf-tools: everything under .output/,
# quiet unless V=1, system libbpf through pkg-config.

SAN ?=
OUTPUT ?= .output$(if $(filter 1,$(SAN)),-san)
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
PREFIX ?= /usr/local
DESTDIR ?=

# Cross builds: make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- OUTPUT=.output-arm64
CROSS_COMPILE ?=
ifneq ($(CROSS_COMPILE),)
CC := $(CROSS_COMPILE)gcc
AR := $(CROSS_COMPILE)ar
# the target's .pc files (Debian multiarch)
export PKG_CONFIG_LIBDIR := /usr/lib/$(patsubst %-,%,$(CROSS_COMPILE))/pkgconfig:/usr/share/pkgconfig
endif
CC ?= cc
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

# Recursively expanded on purpose: after `make deps` installed libbpf these
# resolve to the right flags in the same run of a sub-make.
LIBBPF_CFLAGS = $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBS = $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf) -lelf -lz
# libraries of the shared library's other parts (web config, ncurses for rmitop only)
LIB_LIBS = -lyaml -lcrypt

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-missing-field-initializers
override CFLAGS += -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -Isrc -I$(OUTPUT) \
	-DRMI_VERSION_STR='"$(VERSION)"' -DRMI_GIT_REV='"$(GIT_REV)"'
override LDLIBS += -lm
ifeq ($(SAN),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -Ibpf \
	-I$(OUTPUT) -idirafter /usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
.SECONDARY:
.DEFAULT_GOAL := all

# ---- sources ---------------------------------------------------------------
DEFS_TSV := include/rmi/defs.tsv
GEN_DEFS := $(OUTPUT)/gen/rmi_defs_table.c
LIB_SRCS := $(wildcard src/lib/*.c)
LIB_OBJS := $(patsubst src/lib/%.c,$(OUTPUT)/lib/%.o,$(LIB_SRCS)) $(OUTPUT)/gen/rmi_defs_table.o
LIB := $(OUTPUT)/librmi.a

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

PROGS := $(foreach p,rmitrace rmitop exporter,$(if $(wildcard src/$(p)/*.c),$(p)))
BINS := $(addprefix $(OUTPUT)/,$(patsubst exporter,rmi_exporter,$(PROGS)))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))

HDRS := $(wildcard include/rmi/*.h src/lib/*.h)

all: $(LIB) $(BINS)

# ---- dependencies (README quick start runs this for you) --------------------
deps:
	$(Q)scripts/deps.sh

# ---- generated RMI table ---------------------------------------------------
$(GEN_DEFS): $(DEFS_TSV) tools/gen-defs.awk | $(OUTPUT)/gen
	$(call msg,GEN,$@)
	$(Q)awk -f tools/gen-defs.awk $(DEFS_TSV) > $@

$(OUTPUT)/gen/rmi_defs_table.o: $(GEN_DEFS) src/lib/defs.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# ---- BPF and skeletons -----------------------------------------------------
$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(wildcard include/rmi/*.h) | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(LIBBPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUTPUT)/%.skel.h: $(OUTPUT)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# ---- library and programs --------------------------------------------------
$(OUTPUT)/lib/%.o: src/lib/%.c $(HDRS) $(SKELS) | $(OUTPUT)/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

define prog_rule
$(OUTPUT)/$(2): $(patsubst src/$(1)/%.c,$(OUTPUT)/obj/$(1)/%.o,$(wildcard src/$(1)/*.c)) $(LIB)
	$$(call msg,BINARY,$$@)
	$(Q)$$(CC) $$(LDFLAGS) $$^ $$(LIBBPF_LIBS) $$(LIB_LIBS) $$(LDLIBS) $(3) -o $$@

$(OUTPUT)/obj/$(1)/%.o: src/$(1)/%.c $(HDRS) $(wildcard src/$(1)/*.h) $(SKELS) | $(OUTPUT)/obj/$(1)
	$$(call msg,CC,$$@)
	$(Q)$$(CC) $$(CFLAGS) $$(LIBBPF_CFLAGS) -c $$< -o $$@
endef
$(eval $(call prog_rule,rmitrace,rmitrace,))
$(eval $(call prog_rule,rmitop,rmitop,-lncursesw))
$(eval $(call prog_rule,exporter,rmi_exporter,-lmicrohttpd))

# ---- tests ------------------------------------------------------------------
$(OUTPUT)/tests/%: tests/unit/%.c $(LIB) $(HDRS) | $(OUTPUT)/tests
	$(call msg,TEST-CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) $(LDFLAGS) $< $(LIB) $(LIBBPF_LIBS) $(LIB_LIBS) -lcmocka $(LDLIBS) -o $@

-include tests/sim/sim.mk

tests: all $(UNIT_BINS) $(SIM_BINS)

# unit tests only: what a cross build can run (under qemu-user)
unit-tests: all $(UNIT_BINS)

check: deps
	$(Q)$(MAKE) test-run

test-run: tests
	$(Q)OUTPUT=$(OUTPUT) SAN=$(SAN) tests/run.sh

# ---- fuzzing (libFuzzer, clang): make fuzz [FUZZ_SECONDS=60] --------------
FUZZ_OUT := .output-fuzz
FUZZ_SECONDS ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/,$(FUZZ_NAMES))
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc -I$(OUTPUT) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-DRMI_VERSION_STR='"$(VERSION)"' -DRMI_GIT_REV='"$(GIT_REV)"'
FUZZ_LIB_OBJS := $(patsubst src/lib/%.c,$(FUZZ_OUT)/lib/%.o,$(LIB_SRCS)) $(FUZZ_OUT)/lib/rmi_defs_table.o

$(FUZZ_OUT)/lib/%.o: src/lib/%.c $(HDRS) $(SKELS)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D) && $(CLANG) $(FUZZ_CFLAGS) $(LIBBPF_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/lib/rmi_defs_table.o: $(GEN_DEFS)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D) && $(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(LIBBPF_LIBS) $(LIB_LIBS) -lm -o $@

fuzz-build: $(SKELS) $(FUZZ_BINS)

# each harness for FUZZ_SECONDS; new inputs go to .output-fuzz/corpus, the
# seeds in tests/fuzz/corpus stay as they are; a crash fails the target
fuzz: deps
	$(Q)$(MAKE) fuzz-build
	$(Q)for f in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_OUT)/corpus/$$f $(FUZZ_OUT)/crashes tests/fuzz/corpus/$$f; \
		echo "  FUZZ     $$f ($(FUZZ_SECONDS) s)"; \
		$(FUZZ_OUT)/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=1024 \
			-artifact_prefix=$(FUZZ_OUT)/crashes/$$f- -print_final_stats=1 \
			$(FUZZ_OUT)/corpus/$$f tests/fuzz/corpus/$$f 2>$(FUZZ_OUT)/$$f.log || \
			{ tail -40 $(FUZZ_OUT)/$$f.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|stat::peak_rss' $(FUZZ_OUT)/$$f.log | tr '\n' ' '; echo; \
	done

man-check:
	$(Q)for m in man/*.[78]; do mandoc -Tlint -Wwarning $$m || exit 1; done
	$(Q)for c in contrib/bash-completion/*; do bash -n $$c || exit 1; done

fmt-check:
	$(Q)clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

fmt:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

demo: deps
	$(Q)$(MAKE) all sim
	$(Q)scripts/demo.sh $(OUTPUT)

soak: deps
	$(Q)$(MAKE) all sim
	$(Q)SOAK_SECONDS=$(or $(SOAK_SECONDS),120) scripts/soak.sh $(OUTPUT)

bench: deps
	$(Q)$(MAKE) all $(SIM_BINS)
	$(Q)scripts/bench.sh $(OUTPUT)

SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/rmitools
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALLED = $(addprefix $(DESTDIR)$(SBINDIR)/,rmitrace rmitop rmi_exporter) \
	$(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard man/*.8))) \
	$(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(wildcard man/*.7))) \
	$(addprefix $(DESTDIR)$(COMPLETIONDIR)/,$(notdir $(wildcard contrib/bash-completion/*))) \
	$(DESTDIR)$(UNITDIR)/rmi_exporter.service \
	$(addprefix $(DESTDIR)$(DOCDIR)/,rmi_alerts.yml rmi_alerts_test.yml rmitools-dashboard.json \
		METRICS.md RECORD.md EVENTS.md)

install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	$(Q)install -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)/
	$(Q)for m in $(wildcard man/*.8); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/; done
	$(Q)for m in $(wildcard man/*.7); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	$(Q)for c in $(wildcard contrib/bash-completion/*); do install -m 0644 $$c $(DESTDIR)$(COMPLETIONDIR)/; done
	$(Q)sed 's|/usr/local/sbin|$(SBINDIR)|' contrib/systemd/rmi_exporter.service \
		> $(DESTDIR)$(UNITDIR)/rmi_exporter.service && chmod 0644 $(DESTDIR)$(UNITDIR)/rmi_exporter.service
	$(Q)install -m 0644 contrib/prometheus/rmi_alerts.yml contrib/prometheus/rmi_alerts_test.yml \
		contrib/grafana/rmitools-dashboard.json docs/METRICS.md docs/RECORD.md docs/EVENTS.md \
		$(DESTDIR)$(DOCDIR)/

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(INSTALLED)
	$(Q)rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf .output .output-san .output-fuzz .output-arm64

$(OUTPUT)/gen $(OUTPUT)/bpf $(OUTPUT)/lib $(OUTPUT)/tests $(addprefix $(OUTPUT)/obj/,$(PROGS)):
	$(Q)mkdir -p $@


.PHONY: unit-tests fuzz fuzz-build man-check soak
.PHONY: all deps tests check test-run fmt fmt-check demo bench install uninstall clean
