/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Report of a struct rmi_stats: per realm, vCPU, exit reason/ESR class, RMI FID, PSCI. */
#ifndef RMI_LIB_REPORT_H
#define RMI_LIB_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "defs.h"
#include "stats.h"

struct json_writer;

struct rmi_report_opts {
	enum rmi_spec spec;
	const char *source; /* "maps", "events", or a file name */
	double duration_s; /* for rates; 0: no rates */
	uint64_t now_ns; /* for the age of open windows (CLOCK_MONOTONIC) */
	bool histograms; /* text: print log2 histograms */
	bool names; /* resolve realm names from /proc (live only) */
};

void rmi_report_print(FILE *f, const struct rmi_stats *s, const struct rmi_report_opts *o);
void rmi_report_json(struct json_writer *w, const struct rmi_stats *s,
		     const struct rmi_report_opts *o);
/* Histogram summary object: count, avg, p50, p90, p99, max, slots. */
void rmi_hist_json(struct json_writer *w, const char *name, const struct rmi_hist *h);

#endif
