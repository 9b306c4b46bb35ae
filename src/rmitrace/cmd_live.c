// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rmitrace stream, report (live), probes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/event_fmt.h"
#include "lib/json.h"
#include "lib/replay.h"
#include "lib/report.h"
#include "lib/session.h"
#include "lib/source.h"
#include "lib/stats.h"
#include "lib/util.h"
#include "rmitrace.h"

static int no_args(const char *cmd, int argc, char **argv)
{
	if (argc > 0) {
		rmi_err("see 'rmitrace --help'", "%s: unexpected argument '%s'", cmd, argv[0]);
		return -1;
	}
	return 0;
}

static void announce(struct rmi_probe *p, const char *what)
{
	fprintf(stderr, "%s: attached %d hooks to %s in %d ms; %s\n", rmi_prog,
		rmi_probe_attached(p), rmi_probe_source(p), rmi_probe_attach_ms(p), what);
}

/*
 * Runs until Ctrl-C/SIGTERM or time end (CLOCK_MONOTONIC seconds, 0: none);
 * polls src when given, else sleeps.
 */
static int run_until(struct rmi_source *src, double end)
{
	rmi_session_signals();
	while (!rmi_exiting) {
		if (end && rmi_now() >= end)
			break;
		if (src) {
			int n = rmi_source_poll(src, 100);

			if (n < 0) {
				rmi_err(NULL, "reading events: %s", strerror(-n));
				return n;
			}
			fflush(stdout);
		} else {
			usleep(100 * 1000);
		}
	}
	if (src)
		rmi_source_drain(src);
	return 0;
}

static int run_loop(struct rmi_source *src)
{
	return run_until(src, env.duration > 0 ? rmi_now() + env.duration : 0);
}

struct stream_ctx {
	struct json_writer *w;
	unsigned long long t0;
	uint64_t n;
};

static int on_stream_event(void *ctx, const void *ev, size_t len)
{
	struct stream_ctx *c = ctx;

	c->n++;
	if (!rmi_filter_match(&env.filter, ev, len))
		return 0;
	if (c->w) {
		rmi_event_json(c->w, ev, len, env.spec, c->t0, env.verbose);
		fputc('\n', stdout);
	} else {
		rmi_event_print(stdout, ev, len, env.spec, c->t0);
	}
	return 0;
}

/* stream FILE: the events of a recording, through the same filters and output */
static int stream_file(const char *path)
{
	struct stream_ctx ctx = {};
	struct rmi_replay_info info;
	struct rmi_stats st;
	int ret;

	rmi_stats_init(&st);
	if (env.json && !(ctx.w = jw_new(stdout, false)))
		return EXIT_FAIL;
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (rmi_replay_peek(path, &ctx.t0, env.spec_set ? NULL : &env.spec)) {
		free(ctx.w);
		return EXIT_FAIL;
	}
	ret = rmi_replay(path, &st, &info, on_stream_event, &ctx);
	if (ctx.w && ret >= 0) {
		jw_start_object(ctx.w);
		jw_string_field(ctx.w, "type", "summary");
		jw_u64_field(ctx.w, "events", ctx.n);
		jw_u64_field(ctx.w, "lost_events", info.lost_events);
		jw_bool_field(ctx.w, "damaged", info.damaged);
		jw_end_object(ctx.w);
		fputc('\n', stdout);
	}
	fflush(stdout);
	free(ctx.w);
	if (ret > 0)
		rmi_err("the events above are those of the complete blocks before the damage",
			"'%s' is damaged: %s", path, info.error);
	rmi_stats_free(&st);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int do_stream(int argc, char **argv)
{
	struct stream_ctx ctx = {};
	struct rmi_source *src = NULL;
	struct rmi_probe *p = NULL;
	uint64_t lost;
	int err;

	if (argc == 1)
		return stream_file(argv[0]);
	if (no_args("stream", argc, argv))
		return EXIT_USAGE;
	env.probe.emit_events = true;
	if (rmi_session_start(&env.probe, &p))
		return EXIT_FAIL;
	if (!env.spec_set)
		env.spec = rmi_probe_spec(p, NULL);
	if (env.json && !(ctx.w = jw_new(stdout, false))) {
		err = -ENOMEM;
		goto cleanup;
	}
	/* flushed after every poll anyway: a big buffer saves write calls */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	rmi_session_nice(env.nice);
	ctx.t0 = rmi_now_ns();
	err = rmi_source_live(p, on_stream_event, &ctx, &src);
	if (err)
		goto cleanup;
	announce(p, "streaming, Ctrl-C to end");
	err = run_loop(src);
	lost = rmi_source_lost(src);
	if (ctx.w) {
		jw_start_object(ctx.w);
		jw_string_field(ctx.w, "type", "summary");
		jw_u64_field(ctx.w, "events", ctx.n);
		jw_u64_field(ctx.w, "lost_events", lost);
		jw_end_object(ctx.w);
		fputc('\n', stdout);
	}
	fflush(stdout);
	fprintf(stderr, "%s: %llu events, %llu lost%s\n", rmi_prog, (unsigned long long)ctx.n,
		(unsigned long long)lost, lost ? " (ring buffer full: raise --ringbuf-size)" : "");
cleanup:
	free(ctx.w); /* no trailing newline: jw_destroy would add one */
	rmi_source_free(src);
	rmi_probe_destroy(p);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int on_report_event(void *ctx, const void *ev, size_t len)
{
	rmi_stats_add_event(ctx, ev, len);
	return 0;
}

/* One report of the probes: from the maps, or from the events gathered in st. */
static int report_once(struct rmi_probe *p, struct rmi_stats *st, struct rmi_report_opts *ro)
{
	int err = 0;

	ro->now_ns = rmi_now_ns();
	if (env.events) {
		/* lost events and probe errors are counted in the maps */
		struct rmi_stats k;

		rmi_stats_init(&k);
		err = rmi_stats_read_maps(&k, p);
		st->lost_events = k.lost_events;
		st->read_errors = k.read_errors;
		st->state_full = k.state_full;
		if (!err && env.cross_check) {
			int nd;

			fprintf(stderr, "%s: cross-check of events against in-kernel aggregates:\n",
				rmi_prog);
			nd = rmi_stats_compare(&k, st, stderr);
			fprintf(stderr, "%s: cross-check: %s (%d differences)\n", rmi_prog,
				nd ? "DIFFERENT" : "equal", nd);
			if (nd)
				err = 1;
		}
		rmi_stats_free(&k);
		ro->source = "events";
	} else {
		err = rmi_stats_read_maps(st, p);
		if (err) {
			rmi_err(NULL, "reading the in-kernel aggregates: %s", strerror(-err));
			return err;
		}
		ro->source = "maps";
	}
	if (env.json) {
		/* with --interval, one compact object per line */
		struct json_writer *w = jw_new(stdout, env.pretty && !env.interval);

		if (w)
			rmi_report_json(w, st, ro);
		jw_destroy(w);
	} else {
		if (env.interval)
			printf("\n=== %.1f s ===\n", ro->duration_s);
		rmi_report_print(stdout, st, ro);
	}
	fflush(stdout);
	return err;
}

int do_report(int argc, char **argv)
{
	struct rmi_report_opts ro = { .spec = env.spec,
				      .histograms = env.histograms,
				      .names = true };
	struct rmi_source *src = NULL;
	struct rmi_probe *p = NULL;
	struct rmi_stats st;
	double t0, end;
	int err;

	if (argc == 1 && !env.events)
		return do_report_file(argv[0]);
	if (no_args("report", argc, argv))
		return EXIT_USAGE;
	if (env.cross_check && !env.events) {
		rmi_err(NULL,
			"--cross-check compares the event stream with the maps: add --events");
		return EXIT_USAGE;
	}
	rmi_stats_init(&st);
	env.probe.emit_events = env.events;
	if (rmi_session_start(&env.probe, &p))
		return EXIT_FAIL;
	if (!env.spec_set)
		ro.spec = rmi_probe_spec(p, NULL);
	if (env.events) {
		rmi_session_nice(env.nice);
		err = rmi_source_live(p, on_report_event, &st, &src);
		if (err)
			goto cleanup;
	}
	announce(p, env.interval     ? "reporting every interval" :
		    env.duration > 0 ? "collecting" :
				       "collecting, Ctrl-C to report");
	t0 = rmi_now();
	end = env.duration > 0 ? t0 + env.duration : 0;
	for (;;) {
		double until = env.interval > 0 ? rmi_now() + env.interval : end;

		if (end && until > end)
			until = end;
		err = run_until(src, until);
		if (err)
			break;
		ro.duration_s = rmi_now() - t0;
		err = report_once(p, &st, &ro);
		if (err || rmi_exiting || !env.interval || (end && rmi_now() >= end))
			break;
	}
cleanup:
	rmi_source_free(src);
	rmi_probe_destroy(p);
	rmi_stats_free(&st);
	return err ? EXIT_FAIL : EXIT_OK;
}

int do_probes(int argc, char **argv)
{
	struct rmi_probe *p = NULL;
	struct json_writer *w = NULL;
	int err;

	if (no_args("probes", argc, argv))
		return EXIT_USAGE;
	if (rmi_probe_check_privileges())
		return EXIT_FAIL;
	env.probe.discover_only = true;
	err = rmi_probe_open(&env.probe, &p);
	if (err)
		return EXIT_FAIL;
	/* attach for real: "found" is not "attachable" */
	if (rmi_probe_usable(p) && rmi_probe_attach(p))
		err = -1;
	if (env.json)
		w = jw_new(stdout, env.pretty);
	rmi_probe_print(p, w);
	jw_destroy(w);
	if (!rmi_probe_usable(p)) {
		rmi_err("run a simulated host and pass --uprobe-host PATH, as 'make demo' does",
			"no CCA hooks found on %s", rmi_probe_source(p));
		err = -1;
	}
	rmi_probe_destroy(p);
	return err ? EXIT_FAIL : EXIT_OK;
}
