/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Prometheus text exposition (format 0.0.4) of a stats snapshot: realm
 * exits, REC run and host time histograms, RMI calls, PSCI windows, realm
 * states, and the exporter's own health. Naming: base units, _total
 * counters, classic histograms; label sets bounded (docs/METRICS.md).
 */
#ifndef RMI_LIB_PROM_H
#define RMI_LIB_PROM_H

#include <stdbool.h>
#include <stddef.h>

#include "defs.h"
#include "stats.h"

struct rmi_probe;

struct rmi_buf {
	char *p;
	size_t len, cap;
};

void rmi_buf_printf(struct rmi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rmi_buf_free(struct rmi_buf *b);

struct rmi_prom_opts {
	enum rmi_spec spec;
	bool per_vcpu; /* vcpu label on the per-vCPU exit counter */
	unsigned int max_realms; /* export at most this many realms (0: no cap) */
	bool names; /* realm names from /proc/PID/cmdline */
};

/*
 * Renders the exposition into b (appended). scrape_start: rmi_now() at the
 * start. p may be NULL (no hook or BPF self-metrics then).
 */
int rmi_prom_render(struct rmi_buf *b, const struct rmi_stats *s, const struct rmi_probe *p,
		    const struct rmi_prom_opts *o, double scrape_start);

#endif
