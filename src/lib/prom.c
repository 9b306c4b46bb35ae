// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "event_fmt.h"
#include "probe.h"
#include "prom.h"
#include "rmi/event.h"
#include "session.h"
#include "util.h"

void rmi_buf_printf(struct rmi_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->p && (size_t)n < room) {
			b->len += n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 64 << 10;

		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
}

void rmi_buf_free(struct rmi_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* label values: \, " and newline escaped */
static const char *esc(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 2 < len; s++) {
		if (*s == '\\' || *s == '"' || *s == '\n') {
			buf[o++] = '\\';
			buf[o++] = *s == '\n' ? 'n' : *s;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
	return buf;
}

static void family(struct rmi_buf *b, const char *name, const char *type, const char *help)
{
	rmi_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A realm as exported: name label, pid label, or dropped by the cap. */
struct realm_lbl {
	struct rmi_realm_id id;
	char name[96]; /* escaped */
	bool exported;
};

/* Histogram buckets: every other log2 slot from 2^10 ns (~1 us) to 2^30 ns (~1 s). */
#define BUCKET_FIRST 10
#define BUCKET_LAST 30
#define BUCKET_STEP 2

static void histogram(struct rmi_buf *b, const char *name, const char *labels,
		      const struct rmi_hist *h)
{
	uint64_t cum = 0, total = 0;
	int k = 0;

	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		total += h->slot[i];
	/* slot i holds [2^(i-1), 2^i) ns: every value in slots <= k is < 2^k ns */
	for (int le = BUCKET_FIRST; le <= BUCKET_LAST; le += BUCKET_STEP) {
		for (; k <= le && k < RMI_HIST_SLOTS; k++)
			cum += h->slot[k];
		rmi_buf_printf(b, "%s_bucket{%s,le=\"%.9g\"} %llu\n", name, labels,
			       (double)(1ull << le) / 1e9, (unsigned long long)cum);
	}
	rmi_buf_printf(b, "%s_bucket{%s,le=\"+Inf\"} %llu\n", name, labels,
		       (unsigned long long)total);
	rmi_buf_printf(b, "%s_sum{%s} %.9f\n", name, labels, (double)h->sum / 1e9);
	rmi_buf_printf(b, "%s_count{%s} %llu\n", name, labels, (unsigned long long)total);
}

struct exit_agg {
	struct {
		struct rmi_realm_id id;
		int32_t vcpu; /* -1 unless per vCPU */
		uint8_t reason, ec, status, pad;
	} key;
	uint64_t count;
	struct rmi_hist run, host;
};

struct call_agg {
	struct {
		uint32_t pid;
		uint32_t fid;
		uint16_t result;
		uint16_t pad[3];
	} key;
	uint64_t count;
	struct rmi_hist lat;
};

static int cmp_realm_id(const void *a, const void *b)
{
	const struct realm_lbl *x = a, *y = b;

	if (x->id.pid != y->id.pid)
		return x->id.pid < y->id.pid ? -1 : 1;
	return x->id.realm < y->id.realm ? -1 : x->id.realm > y->id.realm;
}

static const struct realm_lbl *find_realm(const struct realm_lbl *r, size_t n, uint64_t realm,
					  uint32_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].id.realm == realm && r[i].id.pid == pid)
			return &r[i];
	return NULL;
}

static const struct realm_lbl *realm_of_pid(const struct realm_lbl *r, size_t n, uint32_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].id.pid == pid)
			return &r[i];
	return NULL;
}

static const char *short_name(const char *n)
{
	return !strncmp(n, "RMI_EXIT_", 9) ? n + 9 : !strncmp(n, "RMI_", 4) ? n + 4 : n;
}

int rmi_prom_render(struct rmi_buf *b, const struct rmi_stats *s, const struct rmi_probe *p,
		    const struct rmi_prom_opts *o, double scrape_start)
{
	static const char *const states[] = { "seen", "created", "active", "destroyed" };
	struct realm_lbl *rl = calloc(s->realms.n + 1, sizeof(*rl));
	struct rmi_tab ex = { .key_size = sizeof(((struct exit_agg *)0)->key),
			      .row_size = sizeof(struct exit_agg) };
	struct rmi_tab vx = ex;
	struct rmi_tab ca = { .key_size = sizeof(((struct call_agg *)0)->key),
			      .row_size = sizeof(struct call_agg) };
	const struct rmi_hook_status *hooks;
	size_t nh, nr = s->realms.n, over = 0;
	uint64_t by_state[4] = { 0 }, run_ns, run_cnt;
	char lbl[512], a[96], c[96];
	bool stats_on;

	if (!rl)
		return -ENOMEM;
	/* realms: stable order (pid, kvm), the first max_realms exported */
	for (size_t i = 0; i < nr; i++) {
		const struct rmi_realm_row *r = rmi_tab_row(&s->realms, i);
		char name[64] = "", comm[17];

		rl[i].id = r->key;
		memcpy(comm, r->info.comm, 16);
		comm[16] = '\0';
		if (o->names)
			rmi_realm_name(r->key.pid, name, sizeof(name));
		esc(name[0] ? name : comm, rl[i].name, sizeof(rl[i].name));
		if (r->info.state < 4)
			by_state[r->info.state]++;
	}
	qsort(rl, nr, sizeof(*rl), cmp_realm_id);
	for (size_t i = 0; i < nr; i++) {
		rl[i].exported = !o->max_realms || i < o->max_realms;
		over += !rl[i].exported;
	}

	/* exits: per realm, reason, ESR class (and status for failed entries) */
	for (size_t i = 0; i < s->exits.n; i++) {
		const struct rmi_exit_row *r = rmi_tab_row(&s->exits, i);
		const struct realm_lbl *R = find_realm(rl, nr, r->key.realm, r->key.pid);
		struct exit_agg key = {};
		struct exit_agg *e;

		if (!R || !R->exported)
			continue;
		key.key.id = R->id;
		key.key.vcpu = -1;
		key.key.reason = r->key.reason;
		key.key.ec = r->key.ec;
		key.key.status = r->key.status;
		e = rmi_tab_get(&ex, &key.key, true);
		if (e) {
			e->count += r->count;
			rmi_hist_merge(&e->run, &r->run);
			rmi_hist_merge(&e->host, &r->host);
		}
		if (o->per_vcpu) {
			key.key.vcpu = r->key.vcpu_id;
			key.key.ec = RMI_NO_EC;
			e = rmi_tab_get(&vx, &key.key, true);
			if (e)
				e->count += r->count;
		}
	}

	family(b, "rmi_exporter_build_info", "gauge",
	       "rmi_exporter version, the RMM spec used for names and the hook source.");
	rmi_buf_printf(b,
		       "rmi_exporter_build_info{version=\"%s\",revision=\"%s\",rmm_spec=\"%s\","
		       "source=\"%s\"} 1\n",
		       RMI_VERSION_STR, RMI_GIT_REV, rmi_spec_str(o->spec),
		       esc(p ? rmi_probe_source(p) : "none", a, sizeof(a)));

	family(b, "rmi_realms", "gauge", "Realms by lifecycle state.");
	for (int i = 0; i < 4; i++)
		rmi_buf_printf(b, "rmi_realms{state=\"%s\"} %llu\n", states[i],
			       (unsigned long long)by_state[i]);

	family(b, "rmi_realm_info", "gauge",
	       "One series per exported realm: name, VMM pid, state.");
	for (size_t i = 0; i < nr; i++) {
		const struct rmi_realm_row *r =
			rmi_tab_get((struct rmi_tab *)&s->realms, &rl[i].id, false);

		if (rl[i].exported && r)
			rmi_buf_printf(b,
				       "rmi_realm_info{realm=\"%s\",pid=\"%u\",kvm=\"0x%llx\","
				       "state=\"%s\"} 1\n",
				       rl[i].name, rl[i].id.pid, (unsigned long long)rl[i].id.realm,
				       states[r->info.state < 4 ? r->info.state : 0]);
	}

	family(b, "rmi_rec_exits_total", "counter",
	       "REC exits by realm, exit reason and ESR exception class (SYNC exits).");
	for (size_t i = 0; i < ex.n; i++) {
		const struct exit_agg *e = rmi_tab_row(&ex, i);
		const struct realm_lbl *R = find_realm(rl, nr, e->key.id.realm, e->key.id.pid);

		if (e->key.reason == RMI_NO_REASON)
			continue;
		rmi_buf_printf(b,
			       "rmi_rec_exits_total{realm=\"%s\",pid=\"%u\",reason=\"%s\","
			       "esr_class=\"%s\"} %llu\n",
			       R->name, R->id.pid,
			       short_name(rmi_exit_name(e->key.reason, o->spec, a, sizeof(a))),
			       e->key.ec == RMI_NO_EC ? "none" : rmi_ec_name(e->key.ec),
			       (unsigned long long)e->count);
	}

	family(b, "rmi_rec_enter_failures_total", "counter",
	       "REC_ENTER calls that returned an RMI error instead of an exit, by status.");
	for (size_t i = 0; i < ex.n; i++) {
		const struct exit_agg *e = rmi_tab_row(&ex, i);
		const struct realm_lbl *R = find_realm(rl, nr, e->key.id.realm, e->key.id.pid);

		if (e->key.reason != RMI_NO_REASON)
			continue;
		rmi_buf_printf(
			b,
			"rmi_rec_enter_failures_total{realm=\"%s\",pid=\"%u\",status=\"%s\"} "
			"%llu\n",
			R->name, R->id.pid,
			short_name(rmi_status_name(e->key.status, o->spec, a, sizeof(a))),
			(unsigned long long)e->count);
	}

	if (o->per_vcpu) {
		family(b, "rmi_vcpu_rec_exits_total", "counter",
		       "REC exits by realm, vCPU and reason.");
		for (size_t i = 0; i < vx.n; i++) {
			const struct exit_agg *e = rmi_tab_row(&vx, i);
			const struct realm_lbl *R =
				find_realm(rl, nr, e->key.id.realm, e->key.id.pid);

			rmi_buf_printf(
				b,
				"rmi_vcpu_rec_exits_total{realm=\"%s\",pid=\"%u\",vcpu=\"%d\","
				"reason=\"%s\"} %llu\n",
				R->name, R->id.pid, e->key.vcpu,
				e->key.reason == RMI_NO_REASON ?
					"ENTER_FAILED" :
					short_name(rmi_exit_name(e->key.reason, o->spec, a,
								 sizeof(a))),
				(unsigned long long)e->count);
		}
	}

	/* time histograms per realm and reason (ESR classes merged) */
	for (int h = 0; h < 2; h++) {
		const char *name = h ? "rmi_host_seconds" : "rmi_rec_run_seconds";
		struct rmi_tab byr = ex;

		byr.rows = NULL;
		byr.idx = NULL;
		byr.n = byr.cap = byr.idx_cap = 0;
		family(b, name, "histogram",
		       h ? "Host time between a REC exit and the next REC_ENTER of that vCPU, by the "
			   "exit's reason." :
			   "Time in the realm: REC_ENTER to exit, by exit reason.");
		for (size_t i = 0; i < ex.n; i++) {
			const struct exit_agg *e = rmi_tab_row(&ex, i);
			struct exit_agg k = { .key = e->key }, *t;

			k.key.ec = 0;
			k.key.status = 0;
			t = rmi_tab_get(&byr, &k.key, true);
			if (t)
				rmi_hist_merge(&t->run, h ? &e->host : &e->run);
		}
		for (size_t i = 0; i < byr.n; i++) {
			const struct exit_agg *e = rmi_tab_row(&byr, i);
			const struct realm_lbl *R =
				find_realm(rl, nr, e->key.id.realm, e->key.id.pid);

			snprintf(lbl, sizeof(lbl), "realm=\"%s\",pid=\"%u\",reason=\"%s\"", R->name,
				 R->id.pid,
				 e->key.reason == RMI_NO_REASON ?
					 "ENTER_FAILED" :
					 short_name(rmi_exit_name(e->key.reason, o->spec, a,
								  sizeof(a))));
			histogram(b, name, lbl, &e->run);
		}
		free(byr.rows);
		free(byr.idx);
	}

	/* RMI calls: per realm (VMM pid), FID and status; latency per FID */
	family(b, "rmi_calls_total", "counter", "RMI calls by realm, function and result status.");
	for (size_t i = 0; i < s->calls.n; i++) {
		const struct rmi_call_row *r = rmi_tab_row(&s->calls, i);
		const struct realm_lbl *R = realm_of_pid(rl, nr, r->key.pid);
		struct call_agg k = { .key = { .pid = R ? r->key.pid : 0,
					       .fid = r->key.fid,
					       .result = r->key.result & 0xff } };
		struct call_agg *t;

		if (R && !R->exported)
			continue;
		t = rmi_tab_get(&ca, &k.key, true);
		if (t) {
			t->count += r->count;
			rmi_hist_merge(&t->lat, &r->lat);
		}
	}
	for (size_t i = 0; i < ca.n; i++) {
		const struct call_agg *t = rmi_tab_row(&ca, i);
		const struct realm_lbl *R = t->key.pid ? realm_of_pid(rl, nr, t->key.pid) : NULL;

		rmi_buf_printf(b,
			       "rmi_calls_total{realm=\"%s\",pid=\"%u\",fid=\"%s\",status=\"%s\"} "
			       "%llu\n",
			       R ? R->name : "", t->key.pid,
			       short_name(rmi_fid_name(t->key.fid, o->spec, a, sizeof(a))),
			       short_name(rmi_status_name(t->key.result, o->spec, c, sizeof(c))),
			       (unsigned long long)t->count);
	}
	family(b, "rmi_call_duration_seconds", "histogram", "RMI call latency by function.");
	{
		struct rmi_tab byf = ca;

		byf.rows = NULL;
		byf.idx = NULL;
		byf.n = byf.cap = byf.idx_cap = 0;
		for (size_t i = 0; i < ca.n; i++) {
			const struct call_agg *t = rmi_tab_row(&ca, i);
			struct call_agg k = { .key = { .fid = t->key.fid } }, *f;

			f = rmi_tab_get(&byf, &k.key, true);
			if (f)
				rmi_hist_merge(&f->lat, &t->lat);
		}
		for (size_t i = 0; i < byf.n; i++) {
			const struct call_agg *t = rmi_tab_row(&byf, i);

			snprintf(lbl, sizeof(lbl), "fid=\"%s\"",
				 short_name(rmi_fid_name(t->key.fid, o->spec, a, sizeof(a))));
			histogram(b, "rmi_call_duration_seconds", lbl, &t->lat);
		}
		free(byf.rows);
		free(byf.idx);
	}

	/* PSCI windows */
	family(b, "rmi_psci_windows_opened_total", "counter",
	       "PSCI exits that need RMI_PSCI_COMPLETE (CPU_ON, AFFINITY_INFO).");
	for (size_t i = 0; i < s->psci.n; i++) {
		const struct rmi_psci_row *r = rmi_tab_row(&s->psci, i);
		const struct realm_lbl *R = find_realm(rl, nr, r->key.realm, r->key.pid);

		if (R && R->exported)
			rmi_buf_printf(
				b, "rmi_psci_windows_opened_total{realm=\"%s\",pid=\"%u\"} %llu\n",
				R->name, R->id.pid, (unsigned long long)r->opened);
	}
	family(b, "rmi_psci_windows_completed_total", "counter",
	       "PSCI windows closed by PSCI_COMPLETE.");
	for (size_t i = 0; i < s->psci.n; i++) {
		const struct rmi_psci_row *r = rmi_tab_row(&s->psci, i);
		const struct realm_lbl *R = find_realm(rl, nr, r->key.realm, r->key.pid);

		if (R && R->exported)
			rmi_buf_printf(
				b,
				"rmi_psci_windows_completed_total{realm=\"%s\",pid=\"%u\"} %llu\n",
				R->name, R->id.pid, (unsigned long long)r->completed);
	}
	family(b, "rmi_psci_rec_enter_refused_total", "counter",
	       "REC_ENTERs refused with RMI_ERROR_REC while the vCPU's PSCI request was pending.");
	for (size_t i = 0; i < s->psci.n; i++) {
		const struct rmi_psci_row *r = rmi_tab_row(&s->psci, i);
		const struct realm_lbl *R = find_realm(rl, nr, r->key.realm, r->key.pid);

		if (R && R->exported)
			rmi_buf_printf(
				b,
				"rmi_psci_rec_enter_refused_total{realm=\"%s\",pid=\"%u\"} %llu\n",
				R->name, R->id.pid, (unsigned long long)r->err_rec_enters);
	}
	{
		uint64_t now = rmi_now_ns(), *open = calloc(nr + 1, sizeof(*open)),
			 *oldest = calloc(nr + 1, sizeof(*oldest));

		for (size_t i = 0; open && oldest && i < nr; i++) {
			for (size_t k = 0; k < s->windows.n; k++) {
				const struct rmi_window_row *w = rmi_tab_row(&s->windows, k);

				if (w->key.realm != rl[i].id.realm || w->key.pid != rl[i].id.pid)
					continue;
				open[i]++;
				if (now > w->win.opened_ns && now - w->win.opened_ns > oldest[i])
					oldest[i] = now - w->win.opened_ns;
			}
		}
		/* a family's samples must be contiguous: one loop each */
		family(b, "rmi_psci_windows_open", "gauge",
		       "PSCI windows open now (awaiting PSCI_COMPLETE).");
		for (size_t i = 0; open && i < nr; i++)
			if (rl[i].exported)
				rmi_buf_printf(
					b, "rmi_psci_windows_open{realm=\"%s\",pid=\"%u\"} %llu\n",
					rl[i].name, rl[i].id.pid, (unsigned long long)open[i]);
		family(b, "rmi_psci_window_oldest_age_seconds", "gauge",
		       "Age of the oldest open PSCI window (0 when none).");
		for (size_t i = 0; oldest && i < nr; i++)
			if (rl[i].exported)
				rmi_buf_printf(b,
					       "rmi_psci_window_oldest_age_seconds{realm=\"%s\","
					       "pid=\"%u\"} %.6f\n",
					       rl[i].name, rl[i].id.pid, oldest[i] / 1e9);
		free(open);
		free(oldest);
	}

	/* the exporter itself (no probe: rendering a snapshot from elsewhere) */
	nh = p ? rmi_probe_hooks(p, &hooks) : 0;
	family(b, "rmi_exporter_hook", "gauge",
	       "Hooks of the catalogue: 1 when attached, 0 when missing or failed.");
	for (size_t i = 0; i < nh; i++)
		rmi_buf_printf(b,
			       "rmi_exporter_hook{hook=\"%s\",flavour=\"%s\",target=\"%s\"} %d\n",
			       hooks[i].hook, hooks[i].flavour, hooks[i].target,
			       hooks[i].state == RMI_HOOK_ATTACHED);
	family(b, "rmi_exporter_lost_events_total", "counter",
	       "Events the probes could not queue (ring buffer full).");
	rmi_buf_printf(b, "rmi_exporter_lost_events_total %llu\n",
		       (unsigned long long)s->lost_events);
	family(b, "rmi_exporter_probe_read_errors_total", "counter",
	       "Reads of kernel (or uprobe host) memory that failed in the probes.");
	rmi_buf_printf(b, "rmi_exporter_probe_read_errors_total %llu\n",
		       (unsigned long long)s->read_errors);
	family(b, "rmi_exporter_map_full_total", "counter",
	       "Updates dropped because an in-kernel map was full.");
	rmi_buf_printf(b, "rmi_exporter_map_full_total %llu\n", (unsigned long long)s->state_full);
	family(b, "rmi_exporter_realms_over_limit", "gauge",
	       "Realms not exported because of --max-realms (cardinality cap).");
	rmi_buf_printf(b, "rmi_exporter_realms_over_limit %zu\n", over);
	run_ns = run_cnt = 0;
	stats_on = p && rmi_probe_bpf_stats(p, &run_ns, &run_cnt);
	family(b, "rmi_exporter_bpf_stats_enabled", "gauge",
	       "1 when kernel.bpf_stats_enabled is on (BPF run time below is counted).");
	rmi_buf_printf(b, "rmi_exporter_bpf_stats_enabled %d\n", stats_on);
	if (stats_on) {
		family(b, "rmi_exporter_bpf_run_seconds_total", "counter",
		       "Run time of the exporter's BPF programs (kernel BPF stats).");
		rmi_buf_printf(b, "rmi_exporter_bpf_run_seconds_total %.9f\n", run_ns / 1e9);
		family(b, "rmi_exporter_bpf_runs_total", "counter",
		       "Runs of the exporter's BPF programs (kernel BPF stats).");
		rmi_buf_printf(b, "rmi_exporter_bpf_runs_total %llu\n",
			       (unsigned long long)run_cnt);
	}
	family(b, "rmi_exporter_scrape_duration_seconds", "gauge",
	       "Time this scrape took to read the maps and render.");
	rmi_buf_printf(b, "rmi_exporter_scrape_duration_seconds %.6f\n", rmi_now() - scrape_start);

	free(ex.rows);
	free(ex.idx);
	free(vx.rows);
	free(vx.idx);
	free(ca.rows);
	free(ca.idx);
	free(rl);
	return 0;
}
