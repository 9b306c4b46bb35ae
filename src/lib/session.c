// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "session.h"
#include "util.h"

volatile sig_atomic_t rmi_exiting;

static void on_signal(int sig)
{
	(void)sig;
	rmi_exiting = 1;
}

void rmi_session_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

const char rmi_session_help[] =
	"      --pid PID           only this VMM process\n"
	"      --uprobe-host PATH  attach as uprobes to a simulated CCA host binary\n"
	"                          (its BTF is used for CO-RE; see docs/SIMHOST.md)\n"
	"      --btf PATH          kernel BTF when /sys/kernel/btf/vmlinux is missing\n"
	"      --ringbuf-size SIZE ring buffer bytes, K/M suffix (default: 4M for\n"
	"                          event consumers, 16M for record, 64K otherwise)\n";

static int parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	if (*end || v == 0 || v > (1ull << 30))
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int rmi_session_opt(struct rmi_probe_opts *o, const char *name, const char *arg)
{
	uint64_t v;

	if (!strcmp(name, "uprobe-host")) {
		o->uprobe_host = arg;
	} else if (!strcmp(name, "btf")) {
		o->btf_path = arg;
	} else if (!strcmp(name, "pid")) {
		if (rmi_parse_u64(arg, &v) || v == 0 || v > 0x7fffffff) {
			rmi_err(NULL, "--pid %s: not a process id", arg);
			return -1;
		}
		o->pid = (pid_t)v;
	} else if (!strcmp(name, "ringbuf-size")) {
		if (parse_size(arg, &o->ringbuf_bytes)) {
			rmi_err("e.g. 256K, 8M (at most 1G)", "--ringbuf-size %s: bad size", arg);
			return -1;
		}
	} else {
		return 0;
	}
	return 1;
}

int rmi_session_start(const struct rmi_probe_opts *o, struct rmi_probe **out)
{
	int err;

	*out = NULL;
	/*
	 * Before anything can say "attached": a SIGINT that arrives between that
	 * message and a later sigaction() would be lost (background jobs of a
	 * shell start with SIGINT ignored), and the tool would never stop.
	 */
	rmi_session_signals();
	err = rmi_probe_check_privileges();
	if (err)
		return err;
	err = rmi_probe_open(o, out);
	if (err)
		return err;
	err = rmi_probe_attach(*out);
	if (err) {
		rmi_probe_destroy(*out);
		*out = NULL;
	}
	return err;
}

void rmi_session_nice(int nice)
{
	/*
	 * Event consumers compete with the vCPU threads they watch; a consumer
	 * starved of CPU loses events when the ring buffer fills. Best effort:
	 * needs root or CAP_SYS_NICE; silently kept as is otherwise.
	 */
	if (nice)
		(void)!setpriority(PRIO_PROCESS, 0, nice);
}

unsigned long long rmi_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

double rmi_now(void)
{
	return rmi_now_ns() / 1e9;
}

const char *rmi_realm_name(int pid, char *buf, size_t len)
{
	char path[64], args[4096];
	size_t n;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "r");
	if (!f)
		return buf;
	n = fread(args, 1, sizeof(args) - 1, f);
	fclose(f);
	args[n] = '\0';
	for (size_t i = 0; i < n;) {
		const char *a = args + i;
		size_t al = strlen(a);
		const char *next = i + al + 1 < n ? a + al + 1 : NULL;

		if ((!strcmp(a, "--name") || !strcmp(a, "-name")) && next) {
			/* QEMU: -name guest=NAME,debug-threads=on or -name NAME */
			const char *v = !strncmp(next, "guest=", 6) ? next + 6 : next;

			snprintf(buf, len, "%.*s", (int)strcspn(v, ","), v);
			return buf;
		}
		if (!strncmp(a, "--name=", 7)) {
			snprintf(buf, len, "%s", a + 7);
			return buf;
		}
		i += al + 1;
	}
	return buf;
}
