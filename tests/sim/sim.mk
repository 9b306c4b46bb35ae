# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Simulated CCA host (tests/sim, docs/SIMHOST.md): one program built as two
# host-series variants, each given BTF by pahole so that libbpf CO-RE can
# relocate against it (btf_custom_path). Included by the top-level Makefile;
# uses its OUTPUT, Q, msg and CC. The sim's flags are its own on purpose:
# the hooks must stay out-of-line at -O2 whatever CFLAGS the tools use.

PAHOLE ?= pahole
SIM_SRCS := $(wildcard tests/sim/*.c)
SIM_HDRS := $(wildcard tests/sim/*.h)
SIM_BINS := $(OUTPUT)/sim/simhost-v12 $(OUTPUT)/sim/simhost-v14
SIM_CFLAGS := -std=gnu11 -g -O2 -fno-omit-frame-pointer -pthread -D_GNU_SOURCE \
	-Wall -Wextra -Werror -Itests/sim

$(OUTPUT)/sim/simhost-v12: SIM_DEFINE := -DSIM_V12
$(OUTPUT)/sim/simhost-v14: SIM_DEFINE := -DSIM_V14

$(SIM_BINS): $(OUTPUT)/sim/simhost-%: $(SIM_SRCS) $(SIM_HDRS) tests/sim/sim.mk | $(OUTPUT)/sim
	$(call msg,SIM,$@)
	$(Q)$(CC) $(SIM_CFLAGS) $(SIM_DEFINE) $(SIM_SRCS) -o $@.tmp -pthread
	$(Q)$(PAHOLE) -J $@.tmp >/dev/null
	$(Q)mv -f $@.tmp $@

$(OUTPUT)/sim:
	$(Q)mkdir -p $@

sim: $(SIM_BINS)

# quick self-check: hooks in nm, structs in BTF, determinism, options
sim-check: $(SIM_BINS)
	$(Q)OUTPUT=$(OUTPUT) tests/sim/check.sh

.PHONY: sim sim-check
