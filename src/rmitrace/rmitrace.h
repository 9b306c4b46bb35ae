/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef RMITRACE_H
#define RMITRACE_H

#include <stdbool.h>

#include "lib/defs.h"
#include "lib/filter.h"
#include "lib/probe.h"

/* Global options of rmitrace, shared by its commands. */
struct rmitrace_env {
	bool json;
	bool pretty;
	bool verbose;
	enum rmi_spec spec;
	bool spec_set;
	double duration;
	double interval;
	bool histograms;
	bool events;
	bool cross_check;
	const char *output;
	bool force;
	double stuck_ms;
	int nice;
	struct rmi_filter filter;
	const char *reason_arg, *fid_arg;
	struct rmi_probe_opts probe;
};

extern struct rmitrace_env env;

int do_stream(int argc, char **argv);
int do_report(int argc, char **argv);
int do_probes(int argc, char **argv);
int do_record(int argc, char **argv);
int do_report_file(const char *path);
int do_timeline(int argc, char **argv);
int do_psci(int argc, char **argv);

#endif
