// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rmitrace psci: watch PSCI windows (a PSCI exit waiting for
 * RMI_PSCI_COMPLETE). Prints every open and close, and every window open
 * longer than --stuck MS once, with what it blocks. Exit status 3 when a
 * stuck window was seen: usable as a health check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/event_fmt.h"
#include "lib/json.h"
#include "lib/session.h"
#include "lib/source.h"
#include "lib/stats.h"
#include "lib/util.h"
#include "rmi/event.h"
#include "rmitrace.h"

#define EXIT_STUCK 3

struct psci_ctx {
	struct json_writer *w;
	uint64_t t0;
	struct rmi_tab reported; /* windows already called stuck */
	unsigned int stuck;
};

static int on_psci_event(void *ctx, const void *ev, size_t len)
{
	const struct rmi_ev_hdr *h = ev;
	struct psci_ctx *c = ctx;

	if (h->type != RMI_EV_PSCI_OPEN && h->type != RMI_EV_PSCI_CLOSE &&
	    h->type != RMI_EV_PSCI_EARLY)
		return 0;
	if (c->w) {
		rmi_event_json(c->w, ev, len, env.spec, c->t0, env.verbose);
		fputc('\n', stdout);
	} else {
		rmi_event_print(stdout, ev, len, env.spec, c->t0);
	}
	return 0;
}

static void report_stuck(struct psci_ctx *c, const struct rmi_window_row *r, uint64_t now)
{
	char fid[64], age[32], name[64];
	uint64_t a = now - r->win.opened_ns;

	rmi_realm_name(r->key.pid, name, sizeof(name));
	if (c->w) {
		jw_start_object(c->w);
		jw_string_field(c->w, "type", "stuck");
		jw_u64_field(c->w, "pid", r->key.pid);
		jw_string_field(c->w, "realm_name", name);
		jw_hex_field(c->w, "realm", r->key.realm);
		jw_u64_field(c->w, "vcpu", r->key.vcpu_id);
		jw_hex_field(c->w, "fid", r->win.fid);
		jw_string_field(c->w, "name",
				rmi_psci_fid_name(r->win.fid, env.spec, fid, sizeof(fid)));
		jw_hex_field(c->w, "target_mpidr", r->win.target_mpidr);
		jw_hex_field(c->w, "caller_mpidr", r->win.caller_mpidr);
		jw_u64_field(c->w, "age_ns", a);
		jw_u64_field(c->w, "error_rec_enters", r->win.err_rec_enters);
		jw_u64_field(c->w, "early_target_entries", r->win.early_target_entries);
		jw_end_object(c->w);
		fputc('\n', stdout);
	} else {
		printf("STUCK: realm %s pid %u vcpu%u %s target=0x%llx open %s, %u REC_ENTER(s) "
		       "refused with RMI_ERROR_REC, no RMI_PSCI_COMPLETE\n",
		       name[0] ? name : "?", r->key.pid, r->key.vcpu_id,
		       rmi_psci_fid_name(r->win.fid, env.spec, fid, sizeof(fid)),
		       (unsigned long long)r->win.target_mpidr, rmi_fmt_ns(a, age, sizeof(age)),
		       r->win.err_rec_enters);
	}
	fflush(stdout);
}

/* Windows in the map older than --stuck: each reported once. */
static void check_stuck(struct psci_ctx *c, struct rmi_stats *s, struct rmi_probe *p)
{
	uint64_t now = rmi_now_ns(), limit = (uint64_t)(env.stuck_ms * 1e6);

	if (rmi_stats_read_windows(s, p))
		return;
	for (size_t i = 0; i < s->windows.n; i++) {
		const struct rmi_window_row *r = rmi_tab_row(&s->windows, i);
		struct {
			struct rmi_psci_key k;
			uint64_t opened;
		} key = { r->key, r->win.opened_ns };

		if (now < r->win.opened_ns || now - r->win.opened_ns < limit ||
		    rmi_tab_get(&c->reported, &key, false))
			continue;
		rmi_tab_get(&c->reported, &key, true);
		c->stuck++;
		report_stuck(c, r, now);
	}
}

int do_psci(int argc, char **argv)
{
	struct psci_ctx c = { .reported = { .key_size = sizeof(struct rmi_psci_key) + 8,
					    .row_size = sizeof(struct rmi_psci_key) + 8 } };
	struct rmi_source *src = NULL;
	struct rmi_probe *p = NULL;
	struct rmi_stats s;
	double end, next_check = 0;
	int err = 0;

	if (argc > 0) {
		rmi_err("rmitrace psci [--stuck MS] [--duration SEC]", "unexpected argument '%s'",
			argv[0]);
		return EXIT_USAGE;
	}
	if (env.stuck_ms <= 0)
		env.stuck_ms = 1000;
	rmi_stats_init(&s);
	env.probe.emit_events = true;
	if (rmi_session_start(&env.probe, &p))
		return EXIT_FAIL;
	if (!env.spec_set)
		env.spec = rmi_probe_spec(p, NULL);
	if (env.json && !(c.w = jw_new(stdout, false)))
		goto cleanup;
	c.t0 = rmi_now_ns();
	rmi_session_nice(env.nice);
	err = rmi_source_live(p, on_psci_event, &c, &src);
	if (err)
		goto cleanup;
	fprintf(stderr,
		"%s: attached %d hooks to %s in %d ms; watching PSCI windows, stuck after "
		"%.0f ms\n",
		rmi_prog, rmi_probe_attached(p), rmi_probe_source(p), rmi_probe_attach_ms(p),
		env.stuck_ms);
	rmi_session_signals();
	end = env.duration > 0 ? rmi_now() + env.duration : 0;
	while (!rmi_exiting) {
		int n = rmi_source_poll(src, 50);

		if (n < 0) {
			rmi_err(NULL, "reading events: %s", strerror(-n));
			err = n;
			break;
		}
		if (rmi_now() >= next_check) {
			check_stuck(&c, &s, p);
			next_check = rmi_now() + 0.1;
		}
		fflush(stdout);
		if (end && rmi_now() >= end)
			break;
	}
	rmi_source_drain(src);
	check_stuck(&c, &s, p);
	fprintf(stderr,
		"%s: %u stuck PSCI window(s) (open longer than %.0f ms), %zu open now, "
		"%llu events lost\n",
		rmi_prog, c.stuck, env.stuck_ms, s.windows.n,
		(unsigned long long)rmi_source_lost(src));
cleanup:
	free(c.w);
	free(c.reported.rows);
	free(c.reported.idx);
	rmi_stats_free(&s);
	rmi_source_free(src);
	rmi_probe_destroy(p);
	if (err)
		return EXIT_FAIL;
	return c.stuck ? EXIT_STUCK : EXIT_OK;
}
