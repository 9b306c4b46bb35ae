/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The rows of rmitop's views, built from stats snapshots: cumulative counts
 * since start (or the last reset), rates over the last interval, latency
 * quantiles from histograms. Presentation-free: rmitop draws it, batch mode
 * prints it, -j writes it.
 */
#ifndef RMI_LIB_TOP_H
#define RMI_LIB_TOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "defs.h"
#include "stats.h"

struct json_writer;

enum rmi_top_view {
	RMI_VIEW_REALMS,
	RMI_VIEW_VCPUS,
	RMI_VIEW_EXITS,
	RMI_VIEW_RMI,
	RMI_VIEW_PSCI,
	RMI_VIEW__COUNT
};

struct rmi_top_filter {
	uint32_t pid; /* 0: any */
	const char *realm; /* realm name (VMM --name / comm) or pid, NULL: any */
	int vcpu; /* -1: any */
	int reason; /* -1: any */
};

struct rmi_top_row {
	/* identity */
	struct rmi_realm_id realm;
	char name[64];
	char comm[17];
	uint32_t state;
	int vcpu; /* -1 for realm rows */
	uint8_t reason, ec; /* exits view */
	uint32_t fid; /* RMI view */
	/* numbers */
	uint64_t count; /* exits, calls */
	double rate; /* per second over the last interval */
	double pct; /* share of all exits (exits view) */
	uint64_t errors; /* failed REC_ENTERs or RMI errors */
	uint64_t rmi_errors; /* realms view */
	unsigned int vcpus; /* realms view */
	uint8_t top_reason; /* realms and vCPUs views */
	double run_share; /* REC run time / (run + host) */
	struct rmi_hist lat; /* host time (exits), latency (RMI) */
	/* PSCI view */
	struct rmi_psci_win win;
	uint64_t age_ns;
	bool stuck;
};

struct rmi_top_model {
	struct rmi_top_row *rows[RMI_VIEW__COUNT];
	size_t n[RMI_VIEW__COUNT];
	uint64_t exits, rmi_calls, rmi_errors, lost_events;
	double exit_rate, interval_s;
	unsigned int realms, stuck;
	uint64_t bpf_run_ns, bpf_run_cnt; /* when kernel BPF stats are on */
	bool bpf_stats;
};

/*
 * Builds the model: cur is the latest snapshot, prev the one an interval
 * ago (may equal cur), base the reset point (NULL: since start).
 */
int rmi_top_build(struct rmi_top_model *m, const struct rmi_stats *cur,
		  const struct rmi_stats *prev, const struct rmi_stats *base, double interval_s,
		  uint64_t now_ns, double stuck_ms, const struct rmi_top_filter *f, bool names);
void rmi_top_free(struct rmi_top_model *m);

/* Sort a view by column (0: the view's default) and order. */
void rmi_top_sort(struct rmi_top_model *m, enum rmi_top_view v, int col, bool ascending);
const char *rmi_top_view_name(enum rmi_top_view v);
/* Column titles usable for sorting, per view, NULL-terminated. */
const char *const *rmi_top_columns(enum rmi_top_view v);

/* Batch mode: the views as text tables, or the whole model as JSON. */
void rmi_top_print(FILE *f, const struct rmi_top_model *m, enum rmi_spec spec, unsigned int views);
void rmi_top_json(struct json_writer *w, const struct rmi_top_model *m, enum rmi_spec spec);

/* One table line of a row (also what the TUI draws), width-limited. */
void rmi_top_line(char *buf, size_t len, const struct rmi_top_model *m, enum rmi_top_view v,
		  const struct rmi_top_row *r, enum rmi_spec spec);
void rmi_top_header(char *buf, size_t len, enum rmi_top_view v);

#endif
