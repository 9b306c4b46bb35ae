// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rmitrace record -o FILE, and report FILE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/record.h"
#include "lib/replay.h"
#include "lib/report.h"
#include "lib/session.h"
#include "lib/source.h"
#include "lib/stats.h"
#include "lib/timeline.h"
#include "lib/util.h"
#include "rmitrace.h"

static char *hooks_csv(const struct rmi_probe *p)
{
	const struct rmi_hook_status *st;
	size_t n = rmi_probe_hooks(p, &st), len = 0;
	char *buf = calloc(1, 1024);

	for (size_t i = 0; buf && i < n; i++) {
		if (st[i].state == RMI_HOOK_ATTACHED && len < 900)
			len += snprintf(buf + len, 1024 - len, "%s%s:%s", len ? "," : "",
					st[i].flavour, st[i].target);
	}
	return buf;
}

struct rec_ctx {
	struct rmi_rec_writer *w;
	int err;
};

static int on_record_event(void *ctx, const void *ev, size_t len)
{
	struct rec_ctx *c = ctx;

	c->err = rmi_rec_add(c->w, ev, len);
	return c->err; /* a write error stops the poll */
}

int do_record(int argc, char **argv)
{
	struct rec_ctx ctx = {};
	struct rmi_source *src = NULL;
	struct rmi_probe *p = NULL;
	char *meta = NULL, *hooks = NULL, trailer[256];
	double end, next_flush;
	uint64_t lost = 0;
	int err;

	if (argc > 0) {
		rmi_err("rmitrace record -o FILE [--duration SEC]", "unexpected argument '%s'",
			argv[0]);
		return EXIT_USAGE;
	}
	if (!env.output) {
		rmi_err("rmitrace record -o FILE", "record needs an output file");
		return EXIT_USAGE;
	}
	env.probe.emit_events = true;
	/* block compression comes in bursts: give the probes more room meanwhile */
	if (!env.probe.ringbuf_bytes)
		env.probe.ringbuf_bytes = 16 << 20;
	if (rmi_session_start(&env.probe, &p))
		return EXIT_FAIL;
	if (!env.spec_set)
		env.spec = rmi_probe_spec(p, NULL);
	hooks = hooks_csv(p);
	meta = rmi_meta_build(rmi_probe_source(p), env.spec, hooks ? hooks : "");
	err = meta ? rmi_rec_create(env.output, meta, env.force, &ctx.w) : -ENOMEM;
	if (err)
		goto cleanup;
	rmi_session_nice(env.nice);
	err = rmi_source_live(p, on_record_event, &ctx, &src);
	if (err)
		goto cleanup;
	fprintf(stderr, "%s: attached %d hooks to %s in %d ms; recording to %s, Ctrl-C to stop\n",
		rmi_prog, rmi_probe_attached(p), rmi_probe_source(p), rmi_probe_attach_ms(p),
		env.output);
	rmi_session_signals();
	end = env.duration > 0 ? rmi_now() + env.duration : 0;
	next_flush = rmi_now() + 1;
	while (!rmi_exiting && !ctx.err) {
		int n = rmi_source_poll(src, 100);

		if (n < 0 && !ctx.err) {
			rmi_err(NULL, "reading events: %s", strerror(-n));
			err = n;
			break;
		}
		/* a block a second at least: a killed recorder loses at most that */
		if (rmi_now() >= next_flush) {
			lost = rmi_source_lost(src);
			err = rmi_rec_flush(ctx.w, lost);
			if (err)
				break;
			next_flush = rmi_now() + 1;
		}
		if (end && rmi_now() >= end)
			break;
	}
	if (!ctx.err && !err)
		rmi_source_drain(src);
	err = err ?: ctx.err;
	lost = rmi_source_lost(src);
	snprintf(trailer, sizeof(trailer),
		 "{\"events\":%llu,\"lost_events\":%llu,\"stopped\":\"%s\"}",
		 (unsigned long long)rmi_rec_events(ctx.w), (unsigned long long)lost,
		 err	     ? "error" :
		 rmi_exiting ? "signal" :
			       "duration");
	fprintf(stderr, "%s: %llu events, %llu lost%s, in %s\n", rmi_prog,
		(unsigned long long)rmi_rec_events(ctx.w), (unsigned long long)lost,
		lost ? " (ring buffer full: raise --ringbuf-size)" : "", env.output);
	if (err) {
		/* the file stays readable up to its last complete block */
		rmi_rec_abort(ctx.w);
	} else {
		err = rmi_rec_close(ctx.w, trailer, lost);
		if (err)
			rmi_err(NULL, "closing '%s': %s", env.output, strerror(-err));
	}
	ctx.w = NULL;
cleanup:
	rmi_rec_abort(ctx.w);
	rmi_source_free(src);
	rmi_probe_destroy(p);
	free(meta);
	free(hooks);
	return err ? EXIT_FAIL : EXIT_OK;
}

int do_report_file(const char *path)
{
	struct rmi_report_opts ro = { .spec = env.spec, .histograms = env.histograms };
	struct rmi_replay_info info;
	struct rmi_stats st;
	int ret;

	rmi_stats_init(&st);
	ret = rmi_replay(path, &st, &info, NULL, NULL);
	if (ret < 0) {
		rmi_stats_free(&st);
		return EXIT_FAIL;
	}
	if (!env.spec_set && info.spec_known)
		ro.spec = info.spec;
	ro.source = path;
	ro.duration_s = st.last_ns > st.first_ns ? (st.last_ns - st.first_ns) / 1e9 : 0;
	ro.now_ns = st.last_ns; /* ages of windows open at the end of the recording */
	if (env.json) {
		struct json_writer *w = jw_new(stdout, env.pretty);

		if (w)
			rmi_report_json(w, &st, &ro);
		jw_destroy(w);
	} else {
		rmi_report_print(stdout, &st, &ro);
	}
	if (!info.trailer && !info.damaged)
		rmi_warn(
			"'%s' has no trailer: the recorder did not stop cleanly; the report covers "
			"%llu complete blocks",
			path, (unsigned long long)info.blocks);
	if (info.damaged) {
		rmi_err("the report above covers the complete blocks before the damage",
			"'%s' is damaged: %s", path, info.error);
		ret = 1;
	}
	rmi_stats_free(&st);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int do_timeline(int argc, char **argv)
{
	struct rmi_replay_info info;
	struct rmi_timeline *tl;
	struct rmi_stats st;
	unsigned long long t0;
	enum rmi_spec spec = env.spec;
	FILE *out = stdout;
	int ret;

	if (argc != 1) {
		rmi_err("rmitrace timeline FILE -o OUT.json", "timeline needs one record file");
		return EXIT_USAGE;
	}
	/* the time origin and spec come from the header, before any event */
	if (rmi_replay_peek(argv[0], &t0, env.spec_set ? NULL : &spec))
		return EXIT_FAIL;
	if (env.output && !(out = fopen(env.output, "w"))) {
		rmi_err(NULL, "cannot create '%s': %s", env.output, strerror(errno));
		return EXIT_FAIL;
	}
	rmi_stats_init(&st);
	tl = rmi_timeline_new(out, spec, t0);
	ret = tl ? rmi_replay(argv[0], &st, &info, rmi_timeline_event, tl) : -ENOMEM;
	if (tl)
		rmi_timeline_finish(tl, st.last_ns);
	if (out != stdout && fclose(out)) {
		rmi_err(NULL, "writing '%s': %s", env.output, strerror(errno));
		ret = -EIO;
	}
	if (ret > 0)
		rmi_err("the timeline covers the complete blocks before the damage",
			"'%s' is damaged: %s", argv[0], info.error);
	else if (ret == 0 && env.output)
		fprintf(stderr, "%s: %llu events -> %s (open it in ui.perfetto.dev)\n", rmi_prog,
			(unsigned long long)st.events, env.output);
	rmi_stats_free(&st);
	return ret ? EXIT_FAIL : EXIT_OK;
}
