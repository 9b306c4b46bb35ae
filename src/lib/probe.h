/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hook discovery, loading and attaching of the BPF probes. A catalogue names
 * candidates per hook in order of preference; they are resolved against the
 * running kernel (vmlinux BTF, kallsyms) or, with a uprobe host, against
 * that binary's symbols and BTF. What is missing is reported, never skipped
 * silently. Lifecycle in libbpf-tools order: open -> configure -> load ->
 * attach; rmi_probe_destroy() is the one cleanup path.
 */
#ifndef RMI_LIB_PROBE_H
#define RMI_LIB_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "defs.h"

struct json_writer;
struct bpf_map;

struct rmi_probe_opts {
	const char *uprobe_host; /* attach as uprobes to this ELF (simulated host) */
	const char *btf_path; /* --btf: kernel BTF when /sys/kernel/btf/vmlinux is absent */
	bool emit_events; /* trace mode: fill the ring buffer */
	uint32_t ringbuf_bytes; /* 0: default (4 MiB); rounded up to a power of two */
	pid_t pid; /* only this VMM process (0: all) */
	bool verbose; /* libbpf debug output */
	uint32_t max_vcpus; /* size of the per-vCPU/aggregate maps; 0: default */
	bool discover_only; /* open succeeds with hooks missing: for `probes` */
};

enum rmi_hook_state {
	RMI_HOOK_MISSING, /* no candidate found */
	RMI_HOOK_FOUND, /* resolved, not attached (yet) */
	RMI_HOOK_ATTACHED,
	RMI_HOOK_FAILED, /* found but attach failed */
};

struct rmi_hook_status {
	const char *feature; /* what it gives: "REC exits", "RMI calls", ... */
	const char *hook; /* catalogue name */
	const char *flavour; /* tp_btf, fentry, kprobe, kretprobe, uprobe, uretprobe */
	const char *target; /* symbol used, or the list looked for when missing */
	enum rmi_hook_state state;
	bool required; /* without it the tools cannot work */
	char why[160];
};

struct rmi_probe;

/* Opens the object, resolves the catalogue, configures. Errors are printed. */
int rmi_probe_open(const struct rmi_probe_opts *o, struct rmi_probe **out);
/* Loads and attaches everything resolved. Errors are printed. */
int rmi_probe_attach(struct rmi_probe *p);
void rmi_probe_destroy(struct rmi_probe *p);

size_t rmi_probe_hooks(const struct rmi_probe *p, const struct rmi_hook_status **st);
bool rmi_probe_user_mode(const struct rmi_probe *p);
/* Layout facts seen by the probes (RMI_LAYOUT_* bits), 0 before the first exit. */
uint32_t rmi_probe_layout(const struct rmi_probe *p);
const char *rmi_probe_source(const struct rmi_probe *p); /* "kernel" or the host path */
int rmi_probe_attach_ms(const struct rmi_probe *p);

/* Map fds for readers (stats, sources). */
int rmi_probe_map_fd(const struct rmi_probe *p, const char *name);

/* "probes" output: every hook with found/attached/missing and why. */
void rmi_probe_print(const struct rmi_probe *p, struct json_writer *w);

/* True when every required hook was found. */
bool rmi_probe_usable(const struct rmi_probe *p);
/* RMM spec version the target's layout implies, with the reason. */
enum rmi_spec rmi_probe_spec(const struct rmi_probe *p, const char **why);
/* Number of attached hooks (entry/return halves counted apart). */
int rmi_probe_attached(const struct rmi_probe *p);

/*
 * Run time and count of all our programs (kernel BPF stats); returns whether
 * kernel.bpf_stats_enabled is on (the numbers are 0 otherwise).
 */
bool rmi_probe_bpf_stats(const struct rmi_probe *p, uint64_t *run_ns, uint64_t *run_cnt);

/* Privilege check: 0, or -EPERM with an error naming the capabilities. */
int rmi_probe_check_privileges(void);

#define RMI_LAYOUT_SEEN 0x1
#define RMI_LAYOUT_AUX_PAGES 0x2
#define RMI_LAYOUT_SRO 0x4
#define RMI_LAYOUT_GIC 0x8
#define RMI_LAYOUT_S2AP 0x10

#endif
