/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every live front end does the same way: the probe options given on
 * the command line, the privilege check, open -> configure -> load -> attach,
 * and SIGINT/SIGTERM handling.
 */
#ifndef RMI_LIB_SESSION_H
#define RMI_LIB_SESSION_H

#include <signal.h>
#include <stdbool.h>

#include "probe.h"

extern volatile sig_atomic_t rmi_exiting;

/* Installs SIGINT/SIGTERM (and SIGHUP) handlers that set rmi_exiting. */
void rmi_session_signals(void);

/*
 * Parses one of the shared probe options (--uprobe-host, --btf, --pid/-p,
 * --ringbuf-size) into o. Returns 1 when consumed, 0 when not ours, -1 on a
 * bad value (error printed).
 */
int rmi_session_opt(struct rmi_probe_opts *o, const char *name, const char *arg);

/* getopt_long codes and table entries of the probe options every live tool takes */
enum { RMI_OPT_PID = 0x1000, RMI_OPT_UPROBE_HOST, RMI_OPT_BTF, RMI_OPT_RINGBUF };
#define RMI_SESSION_LONGOPTS                                                     \
	{ "pid", required_argument, NULL, RMI_OPT_PID },                         \
		{ "uprobe-host", required_argument, NULL, RMI_OPT_UPROBE_HOST }, \
		{ "btf", required_argument, NULL, RMI_OPT_BTF },                 \
	{                                                                        \
		"ringbuf-size", required_argument, NULL, RMI_OPT_RINGBUF         \
	}
#define RMI_SESSION_CASES         \
	case RMI_OPT_PID:         \
	case RMI_OPT_UPROBE_HOST: \
	case RMI_OPT_BTF:         \
	case RMI_OPT_RINGBUF

/* Help text lines for the shared options. */
extern const char rmi_session_help[];

/* Privilege check, open, attach. Errors are printed; returns 0 or -errno. */
int rmi_session_start(const struct rmi_probe_opts *o, struct rmi_probe **out);

/* Raises (negative nice) the priority of an event consumer; 0 leaves it. */
void rmi_session_nice(int nice);
#define RMI_CONSUMER_NICE (-10)

/* Seconds since an arbitrary start, CLOCK_MONOTONIC (same clock as bpf_ktime_get_ns). */
double rmi_now(void);
unsigned long long rmi_now_ns(void);

/* The name a VMM gave its realm (kvmtool --name, QEMU -name), or comm. */
const char *rmi_realm_name(int pid, char *buf, size_t len);

#endif
