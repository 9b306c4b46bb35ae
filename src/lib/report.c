// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "event_fmt.h"
#include "json.h"
#include "report.h"
#include "rmi/rmi.h"
#include "session.h"
#include "util.h"

static const char *state_name(uint32_t st)
{
	static const char *const n[] = { "seen", "created", "active", "destroyed" };

	return st < 4 ? n[st] : "?";
}

/* rows of one realm, grouped: (reason, ec, status) over all vCPUs */
struct group {
	uint8_t reason, ec, status;
	uint64_t count;
	struct rmi_hist run, host;
};

static int cmp_realm(const void *a, const void *b)
{
	const struct rmi_realm_row *x = *(void *const *)a, *y = *(void *const *)b;

	if (x->key.pid != y->key.pid)
		return x->key.pid < y->key.pid ? -1 : 1;
	return x->key.realm < y->key.realm ? -1 : x->key.realm > y->key.realm;
}

static int cmp_exit(const void *a, const void *b)
{
	const struct rmi_exit_row *x = *(void *const *)a, *y = *(void *const *)b;

	/* realm first: a realm's rows must be contiguous for the grouping below */
	if (x->key.pid != y->key.pid)
		return x->key.pid < y->key.pid ? -1 : 1;
	if (x->key.realm != y->key.realm)
		return x->key.realm < y->key.realm ? -1 : 1;
	if (x->key.vcpu_id != y->key.vcpu_id)
		return x->key.vcpu_id - y->key.vcpu_id;
	if (x->key.reason != y->key.reason)
		return x->key.reason - y->key.reason;
	if (x->key.ec != y->key.ec)
		return x->key.ec - y->key.ec;
	return x->key.status - y->key.status;
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->reason != y->reason)
		return x->reason - y->reason;
	return x->ec - y->ec;
}

static int cmp_call(const void *a, const void *b)
{
	const struct rmi_call_row *x = *(void *const *)a, *y = *(void *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->key.fid != y->key.fid)
		return x->key.fid < y->key.fid ? -1 : 1;
	return x->key.result - y->key.result;
}

/* exit groups of a realm, sorted by count */
static struct group *realm_groups(const struct rmi_stats *s, const struct rmi_realm_id *id,
				  size_t *n_out)
{
	struct group *g = calloc(s->exits.n + 1, sizeof(*g));
	size_t n = 0;

	for (size_t i = 0; g && i < s->exits.n; i++) {
		const struct rmi_exit_row *r = rmi_tab_row(&s->exits, i);
		size_t k;

		if (r->key.realm != id->realm || r->key.pid != id->pid)
			continue;
		for (k = 0; k < n; k++) {
			if (g[k].reason == r->key.reason && g[k].ec == r->key.ec &&
			    g[k].status == r->key.status)
				break;
		}
		if (k == n) {
			g[n].reason = r->key.reason;
			g[n].ec = r->key.ec;
			g[n].status = r->key.status;
			n++;
		}
		g[k].count += r->count;
		rmi_hist_merge(&g[k].run, &r->run);
		rmi_hist_merge(&g[k].host, &r->host);
	}
	if (g)
		qsort(g, n, sizeof(*g), cmp_group);
	*n_out = n;
	return g;
}

void rmi_hist_json(struct json_writer *w, const char *name, const struct rmi_hist *h)
{
	int last = -1;

	jw_name(w, name);
	jw_start_object(w);
	jw_u64_field(w, "count", h->n);
	jw_u64_field(w, "sum_ns", h->sum);
	jw_u64_field(w, "avg_ns", h->n ? h->sum / h->n : 0);
	jw_u64_field(w, "p50_ns", rmi_hist_quantile(h, 0.50));
	jw_u64_field(w, "p90_ns", rmi_hist_quantile(h, 0.90));
	jw_u64_field(w, "p99_ns", rmi_hist_quantile(h, 0.99));
	jw_u64_field(w, "max_ns", h->max);
	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		if (h->slot[i])
			last = i;
	/* log2 slots: slot k counts [2^(k-1), 2^k) ns */
	jw_name(w, "log2_slots");
	jw_start_array(w);
	for (int i = 0; i <= last; i++)
		jw_u64(w, h->slot[i]);
	jw_end_array(w);
	jw_end_object(w);
}

static bool is_realm_pid(const struct rmi_stats *s, uint32_t pid)
{
	for (size_t i = 0; i < s->realms.n; i++)
		if (((struct rmi_realm_row *)rmi_tab_row(&s->realms, i))->key.pid == pid)
			return true;
	return false;
}

/* RMI calls of one VMM pid (or of every pid that is no realm's, when pid == 0) */
static void calls_json(struct json_writer *w, const struct rmi_stats *s, uint32_t pid,
		       enum rmi_spec spec)
{
	void **v = rmi_tab_sorted(&s->calls, cmp_call);
	char a[128];

	jw_start_array(w);
	for (size_t i = 0; v && i < s->calls.n; i++) {
		const struct rmi_call_row *r = v[i];
		struct rmi_status st;

		if (pid ? r->key.pid != pid : is_realm_pid(s, r->key.pid))
			continue;
		rmi_status_decode(r->key.result, spec, &st);
		jw_start_object(w);
		if (!pid)
			jw_u64_field(w, "pid", r->key.pid);
		jw_hex_field(w, "fid", r->key.fid);
		jw_string_field(w, "name", rmi_fid_name(r->key.fid, spec, a, sizeof(a)));
		jw_hex_field(w, "result", r->key.result);
		jw_string_field(w, "status", st.name ? st.name : "UNKNOWN");
		jw_string_field(w, "status_text", rmi_status_fmt(&st, spec, a, sizeof(a)));
		jw_bool_field(w, "error", rmi_status_is_error(r->key.result));
		jw_u64_field(w, "count", r->count);
		rmi_hist_json(w, "latency", &r->lat);
		jw_end_object(w);
	}
	jw_end_array(w);
	free(v);
}

static void windows_json(struct json_writer *w, const struct rmi_stats *s,
			 const struct rmi_realm_id *id, const struct rmi_report_opts *o)
{
	char a[96];

	jw_start_array(w);
	for (size_t i = 0; i < s->windows.n; i++) {
		const struct rmi_window_row *r = rmi_tab_row(&s->windows, i);

		if (r->key.realm != id->realm || r->key.pid != id->pid)
			continue;
		jw_start_object(w);
		jw_u64_field(w, "vcpu_id", r->key.vcpu_id);
		jw_hex_field(w, "fid", r->win.fid);
		jw_string_field(w, "name", rmi_psci_fid_name(r->win.fid, o->spec, a, sizeof(a)));
		jw_hex_field(w, "target_mpidr", r->win.target_mpidr);
		jw_hex_field(w, "caller_mpidr", r->win.caller_mpidr);
		jw_u64_field(w, "opened_ns", r->win.opened_ns);
		if (o->now_ns >= r->win.opened_ns)
			jw_u64_field(w, "age_ns", o->now_ns - r->win.opened_ns);
		jw_u64_field(w, "error_rec_enters", r->win.err_rec_enters);
		jw_u64_field(w, "early_target_entries", r->win.early_target_entries);
		jw_u64_field(w, "tid", r->win.tid);
		jw_end_object(w);
	}
	jw_end_array(w);
}

void rmi_report_json(struct json_writer *w, const struct rmi_stats *s,
		     const struct rmi_report_opts *o)
{
	void **realms = rmi_tab_sorted(&s->realms, cmp_realm);
	void **exits = rmi_tab_sorted(&s->exits, cmp_exit);
	uint64_t t_exits = 0, t_fail = 0, t_calls = 0, t_open = 0, t_opened = 0, t_done = 0;
	char a[128];

	jw_start_object(w);
	jw_string_field(w, "source", o->source ? o->source : "maps");
	jw_string_field(w, "spec", rmi_spec_str(o->spec));
	jw_double_field(w, "duration_s", o->duration_s);
	jw_u64_field(w, "lost_events", s->lost_events);
	jw_u64_field(w, "read_errors", s->read_errors);
	jw_u64_field(w, "state_full", s->state_full);
	if (s->events)
		jw_u64_field(w, "events", s->events);
	jw_name(w, "realms");
	jw_start_array(w);
	for (size_t i = 0; realms && i < s->realms.n; i++) {
		const struct rmi_realm_row *rr = realms[i];
		const struct rmi_psci_row *ps =
			rmi_tab_get((struct rmi_tab *)&s->psci, &rr->key, false);
		uint64_t r_exits = 0, r_fail = 0;
		size_t ng;
		struct group *g;
		int cur_vcpu = -1;
		char comm[17], name[64] = "";

		memcpy(comm, rr->info.comm, 16);
		comm[16] = '\0';
		if (o->names)
			rmi_realm_name(rr->key.pid, name, sizeof(name));
		jw_start_object(w);
		jw_hex_field(w, "realm", rr->key.realm);
		jw_u64_field(w, "pid", rr->key.pid);
		jw_string_field(w, "comm", comm);
		jw_string_field(w, "name", name[0] ? name : comm);
		jw_string_field(w, "state", state_name(rr->info.state));

		/* per vCPU: counts by reason, ESR EC and REC_ENTER status */
		jw_name(w, "vcpus");
		jw_start_array(w);
		for (size_t k = 0; exits && k <= s->exits.n; k++) {
			const struct rmi_exit_row *r = k < s->exits.n ? exits[k] : NULL;
			bool mine = r && r->key.realm == rr->key.realm && r->key.pid == rr->key.pid;

			if (r && !mine)
				continue;
			if (cur_vcpu >= 0 && (!r || r->key.vcpu_id != cur_vcpu)) {
				jw_end_object(w); /* rec_enter_status */
				jw_end_object(w); /* vcpu */
				cur_vcpu = -1;
			}
			if (!r)
				break;
			if (cur_vcpu < 0) {
				/* each vCPU: three passes over its rows keep the keys grouped */
				cur_vcpu = r->key.vcpu_id;
				jw_start_object(w);
				jw_u64_field(w, "vcpu_id", cur_vcpu);
				jw_name(w, "exits");
				jw_start_object(w);
				for (size_t m = k; m < s->exits.n; m++) {
					const struct rmi_exit_row *q = exits[m];

					if (q->key.realm != rr->key.realm ||
					    q->key.pid != rr->key.pid ||
					    q->key.vcpu_id != cur_vcpu ||
					    q->key.reason == RMI_NO_REASON)
						continue;
					/* rows are sorted by reason: sum consecutive ones */
					uint64_t c = q->count;

					while (m + 1 < s->exits.n) {
						const struct rmi_exit_row *nq = exits[m + 1];

						if (nq->key.realm != q->key.realm ||
						    nq->key.pid != q->key.pid ||
						    nq->key.vcpu_id != cur_vcpu ||
						    nq->key.reason != q->key.reason)
							break;
						c += nq->count;
						m++;
					}
					snprintf(a, sizeof(a), "%u", q->key.reason);
					jw_u64_field(w, a, c);
				}
				jw_end_object(w);
				jw_name(w, "esr_ec");
				jw_start_object(w);
				for (size_t m = k; m < s->exits.n; m++) {
					const struct rmi_exit_row *q = exits[m];

					if (q->key.realm != rr->key.realm ||
					    q->key.pid != rr->key.pid ||
					    q->key.vcpu_id != cur_vcpu || q->key.ec == RMI_NO_EC)
						continue;
					snprintf(a, sizeof(a), "0x%x", q->key.ec);
					jw_u64_field(w, a, q->count);
				}
				jw_end_object(w);
				jw_name(w, "rec_enter_status");
				jw_start_object(w);
			}
			if (r->key.reason == RMI_NO_REASON) {
				snprintf(a, sizeof(a), "0x%x", r->key.status);
				jw_u64_field(w, a, r->count);
				r_fail += r->count;
			} else {
				r_exits += r->count;
			}
		}
		jw_end_array(w);
		jw_u64_field(w, "exits", r_exits);
		jw_u64_field(w, "rec_enter_failures", r_fail);
		t_exits += r_exits;
		t_fail += r_fail;

		g = realm_groups(s, &rr->key, &ng);
		jw_name(w, "by_reason");
		jw_start_array(w);
		for (size_t k = 0; g && k < ng; k++) {
			jw_start_object(w);
			if (g[k].reason == RMI_NO_REASON) {
				jw_string_field(w, "reason_name", "REC_ENTER_FAILED");
				jw_hex_field(w, "status", g[k].status);
				jw_string_field(w, "status_name",
						rmi_status_name(g[k].status, o->spec, a,
								sizeof(a)));
			} else {
				jw_u64_field(w, "reason", g[k].reason);
				jw_string_field(w, "reason_name",
						rmi_exit_name(g[k].reason, o->spec, a, sizeof(a)));
			}
			if (g[k].ec != RMI_NO_EC) {
				jw_hex_field(w, "ec", g[k].ec);
				jw_string_field(w, "ec_name", rmi_ec_name(g[k].ec));
			}
			jw_u64_field(w, "count", g[k].count);
			if (o->duration_s > 0)
				jw_double_field(w, "rate", g[k].count / o->duration_s);
			rmi_hist_json(w, "run", &g[k].run);
			rmi_hist_json(w, "host", &g[k].host);
			jw_end_object(w);
		}
		jw_end_array(w);
		free(g);

		jw_name(w, "rmi");
		calls_json(w, s, rr->key.pid, o->spec);

		jw_name(w, "psci");
		jw_start_object(w);
		jw_u64_field(w, "opened", ps ? ps->opened : 0);
		jw_u64_field(w, "completed", ps ? ps->completed : 0);
		jw_u64_field(w, "error_rec_enters", ps ? ps->err_rec_enters : 0);
		jw_u64_field(w, "early_target_entries", ps ? ps->early_target_entries : 0);
		if (ps) {
			rmi_hist_json(w, "duration", &ps->dur);
			t_opened += ps->opened;
			t_done += ps->completed;
		}
		jw_name(w, "open");
		windows_json(w, s, &rr->key, o);
		jw_end_object(w);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_name(w, "rmi_other_pids");
	calls_json(w, s, 0, o->spec);
	for (size_t i = 0; i < s->calls.n; i++)
		t_calls += ((struct rmi_call_row *)rmi_tab_row(&s->calls, i))->count;
	t_open = s->windows.n;
	jw_name(w, "totals");
	jw_start_object(w);
	jw_u64_field(w, "realms", s->realms.n);
	jw_u64_field(w, "exits", t_exits);
	jw_u64_field(w, "rec_enter_failures", t_fail);
	jw_u64_field(w, "rmi_calls", t_calls);
	jw_u64_field(w, "psci_opened", t_opened);
	jw_u64_field(w, "psci_completed", t_done);
	jw_u64_field(w, "psci_open", t_open);
	jw_end_object(w);
	jw_end_object(w);
	free(realms);
	free(exits);
}

static void hist_cols(FILE *f, const struct rmi_hist *h)
{
	char a[16], b[16], c[16];

	if (!h->n) {
		fprintf(f, " %8s %8s %8s", "-", "-", "-");
		return;
	}
	fprintf(f, " %8s %8s %8s", rmi_fmt_ns(rmi_hist_quantile(h, 0.5), a, sizeof(a)),
		rmi_fmt_ns(rmi_hist_quantile(h, 0.99), b, sizeof(b)),
		rmi_fmt_ns(h->max, c, sizeof(c)));
}

void rmi_report_print(FILE *f, const struct rmi_stats *s, const struct rmi_report_opts *o)
{
	void **realms = rmi_tab_sorted(&s->realms, cmp_realm);
	void **calls = rmi_tab_sorted(&s->calls, cmp_call);
	char a[128], b[128];

	fprintf(f, "source: %s, spec %s", o->source ? o->source : "maps", rmi_spec_str(o->spec));
	if (o->duration_s > 0)
		fprintf(f, ", %.1fs", o->duration_s);
	fprintf(f, ", %zu realm(s)", s->realms.n);
	if (s->events)
		fprintf(f, ", %" PRIu64 " events", s->events);
	fprintf(f, ", lost events: %" PRIu64 "\n", s->lost_events);
	if (s->lost_events)
		fprintf(f,
			"WARNING: %" PRIu64 " events were lost (ring buffer full): counts from "
			"events are low; use a bigger --ringbuf-size\n",
			s->lost_events);

	for (size_t i = 0; realms && i < s->realms.n; i++) {
		const struct rmi_realm_row *rr = realms[i];
		const struct rmi_psci_row *ps =
			rmi_tab_get((struct rmi_tab *)&s->psci, &rr->key, false);
		size_t ng;
		struct group *g = realm_groups(s, &rr->key, &ng);
		uint64_t total = 0;
		char comm[17], name[64] = "";

		memcpy(comm, rr->info.comm, 16);
		comm[16] = '\0';
		if (o->names)
			rmi_realm_name(rr->key.pid, name, sizeof(name));
		for (size_t k = 0; g && k < ng; k++)
			total += g[k].count;
		fprintf(f, "\nrealm %s pid %u kvm 0x%" PRIx64 " (%s, %s): %" PRIu64 " REC_ENTERs\n",
			name[0] ? name : comm, rr->key.pid, (uint64_t)rr->key.realm, comm,
			state_name(rr->info.state), total);
		fprintf(f, "  %-18s %-9s %8s %6s %s %s\n", "EXIT", "ESR_EC", "COUNT", "%",
			" RUN p50      p99      max", " HOST p50     p99      max");
		for (size_t k = 0; g && k < ng; k++) {
			if (g[k].reason == RMI_NO_REASON)
				snprintf(a, sizeof(a), "FAIL:%s",
					 rmi_status_name(g[k].status, o->spec, b, sizeof(b)) + 4);
			else
				rmi_exit_short(g[k].reason, o->spec, a, sizeof(a));
			fprintf(f, "  %-18.18s %-9s %8" PRIu64 " %5.1f%%", a, rmi_ec_name(g[k].ec),
				g[k].count, total ? 100.0 * g[k].count / total : 0);
			hist_cols(f, &g[k].run);
			fprintf(f, " ");
			hist_cols(f, &g[k].host);
			fputc('\n', f);
			if (o->histograms && g[k].run.n) {
				fprintf(f, "  REC run time of %s:\n", a);
				rmi_hist_print(f, &g[k].run, "nsecs");
			}
		}
		free(g);
		fprintf(f, "  %-40s %8s %8s %8s %8s\n", "RMI CALL / RESULT", "COUNT", "p50", "p99",
			"max");
		for (size_t k = 0; calls && k < s->calls.n; k++) {
			const struct rmi_call_row *r = calls[k];
			struct rmi_status st;
			char fid[64];

			if (r->key.pid != rr->key.pid)
				continue;
			rmi_status_decode(r->key.result, o->spec, &st);
			rmi_fid_name(r->key.fid, o->spec, fid, sizeof(fid));
			snprintf(a, sizeof(a), "%s %s", fid + (strncmp(fid, "RMI_", 4) ? 0 : 4),
				 rmi_status_fmt(&st, o->spec, b, sizeof(b)) +
					 (strncmp(b, "RMI_", 4) ? 0 : 4));
			fprintf(f, "  %-40.40s %8" PRIu64, a, r->count);
			hist_cols(f, &r->lat);
			fputc('\n', f);
		}
		if (ps || s->windows.n) {
			fprintf(f, "  PSCI windows: %" PRIu64 " opened, %" PRIu64 " completed",
				ps ? ps->opened : 0, ps ? ps->completed : 0);
			if (ps && ps->completed)
				fprintf(f, " (p50 %s, max %s)",
					rmi_fmt_ns(rmi_hist_quantile(&ps->dur, 0.5), a, sizeof(a)),
					rmi_fmt_ns(ps->dur.max, b, sizeof(b)));
			if (ps && ps->err_rec_enters)
				fprintf(f, ", %" PRIu64 " REC_ENTERs refused (RMI_ERROR_REC)",
					ps->err_rec_enters);
			fputc('\n', f);
		}
		for (size_t k = 0; k < s->windows.n; k++) {
			const struct rmi_window_row *r = rmi_tab_row(&s->windows, k);

			if (r->key.realm != rr->key.realm || r->key.pid != rr->key.pid)
				continue;
			fprintf(f, "  OPEN: vcpu%u %s target=0x%" PRIx64, r->key.vcpu_id,
				rmi_psci_fid_name(r->win.fid, o->spec, a, sizeof(a)),
				(uint64_t)r->win.target_mpidr);
			if (o->now_ns >= r->win.opened_ns)
				fprintf(f, " age %s",
					rmi_fmt_ns(o->now_ns - r->win.opened_ns, b, sizeof(b)));
			fprintf(f, ", %u RMI_ERROR_REC entries\n", r->win.err_rec_enters);
		}
	}
	free(realms);
	free(calls);
}
