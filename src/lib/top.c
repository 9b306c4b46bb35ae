// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event_fmt.h"
#include "json.h"
#include "rmi/event.h"
#include "session.h"
#include "top.h"
#include "util.h"

static const char *const view_names[RMI_VIEW__COUNT] = { "realms", "vcpus", "exits", "rmi",
							 "psci" };
/* JSON member of each view: "exits" is already the total */
static const char *const view_json[RMI_VIEW__COUNT] = { "realms", "vcpus", "exit_classes", "rmi",
							"psci" };

static const char *const cols_realms[] = { "exits/s", "name", "pid",	 "vcpus",
					   "exits",   "run%", "rmi_err", NULL };
static const char *const cols_vcpus[] = {
	"exits/s", "realm", "vcpu", "exits", "run%", "fail", NULL
};
static const char *const cols_exits[] = { "count", "reason", "rate", "p50", "p99", "max", NULL };
static const char *const cols_rmi[] = { "calls", "fid", "calls/s", "errors",
					"p50",	 "p99", "max",	   NULL };
static const char *const cols_psci[] = { "age", "realm", "vcpu", "refused", NULL };

const char *rmi_top_view_name(enum rmi_top_view v)
{
	return v < RMI_VIEW__COUNT ? view_names[v] : "?";
}

const char *const *rmi_top_columns(enum rmi_top_view v)
{
	static const char *const *const cols[RMI_VIEW__COUNT] = { cols_realms, cols_vcpus,
								  cols_exits, cols_rmi, cols_psci };

	return v < RMI_VIEW__COUNT ? cols[v] : cols_realms;
}

static void hist_sub(struct rmi_hist *h, const struct rmi_hist *b)
{
	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		h->slot[i] = h->slot[i] >= b->slot[i] ? h->slot[i] - b->slot[i] : 0;
	h->n = h->n >= b->n ? h->n - b->n : 0;
	h->sum = h->sum >= b->sum ? h->sum - b->sum : 0;
}

static bool realm_passes(const struct rmi_top_filter *f, const struct rmi_realm_id *id,
			 const char *name, const char *comm)
{
	char pid[16];

	if (!f)
		return true;
	if (f->pid && id->pid != f->pid)
		return false;
	if (f->realm) {
		snprintf(pid, sizeof(pid), "%u", id->pid);
		if (strcmp(f->realm, name) && strcmp(f->realm, comm) && strcmp(f->realm, pid))
			return false;
	}
	return true;
}

/* keyed accumulation rows */
struct acc {
	struct {
		struct rmi_realm_id realm;
		int32_t vcpu;
		uint8_t reason, ec;
		uint16_t pad;
		uint32_t fid;
		uint32_t pad2;
	} key;
	struct rmi_top_row row;
	uint64_t by_reason[256];
	uint64_t run_sum, host_sum;
};

static struct acc *acc_get(struct rmi_tab *t, const struct rmi_realm_id *realm, int vcpu,
			   int reason, int ec, uint32_t fid)
{
	struct acc a;

	memset(&a.key, 0, sizeof(a.key));
	if (realm)
		a.key.realm = *realm;
	a.key.vcpu = vcpu;
	a.key.reason = reason;
	a.key.ec = ec;
	a.key.fid = fid;
	return rmi_tab_get(t, &a.key, true);
}

static void acc_init(struct rmi_tab *t)
{
	memset(t, 0, sizeof(*t));
	t->key_size = sizeof(((struct acc *)0)->key);
	t->row_size = sizeof(struct acc);
}

static void acc_free(struct rmi_tab *t)
{
	free(t->rows);
	free(t->idx);
}

static uint64_t prev_count(const struct rmi_stats *s, const struct rmi_exit_key *k)
{
	const struct rmi_exit_row *r = s ? rmi_tab_get((struct rmi_tab *)&s->exits, k, false) :
					   NULL;

	return r ? r->count : 0;
}

static uint64_t prev_calls(const struct rmi_stats *s, const struct rmi_call_key *k)
{
	const struct rmi_call_row *r = s ? rmi_tab_get((struct rmi_tab *)&s->calls, k, false) :
					   NULL;

	return r ? r->count : 0;
}

static int finish_view(struct rmi_top_model *m, enum rmi_top_view v, struct rmi_tab *t, double dt)
{
	m->rows[v] = calloc(t->n + 1, sizeof(struct rmi_top_row));
	if (!m->rows[v])
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		struct acc *a = rmi_tab_row(t, i);
		struct rmi_top_row *r = &m->rows[v][m->n[v]++];
		uint64_t best = 0;

		*r = a->row;
		r->rate = dt > 0 ? r->rate / dt : 0; /* accumulated as a count delta */
		for (int k = 0; k < 255; k++) {
			if (a->by_reason[k] > best) {
				best = a->by_reason[k];
				r->top_reason = k;
			}
		}
		if (!best)
			r->top_reason = RMI_NO_REASON;
		if (v == RMI_VIEW_EXITS)
			r->pct = m->exits ? 100.0 * (double)r->count / (double)m->exits : 0;
		r->run_share = a->run_sum + a->host_sum ?
				       (double)a->run_sum / (double)(a->run_sum + a->host_sum) :
				       0;
	}
	return 0;
}

int rmi_top_build(struct rmi_top_model *m, const struct rmi_stats *cur,
		  const struct rmi_stats *prev, const struct rmi_stats *base, double dt,
		  uint64_t now_ns, double stuck_ms, const struct rmi_top_filter *f, bool names)
{
	struct rmi_tab realms, vcpus, exits, rmi;
	struct rmi_tab rinfo = { .key_size = sizeof(struct rmi_realm_id),
				 .row_size = sizeof(struct rmi_top_row) };
	int err = 0;

	memset(m, 0, sizeof(*m));
	m->interval_s = dt;
	m->lost_events = cur->lost_events;
	acc_init(&realms);
	acc_init(&vcpus);
	acc_init(&exits);
	acc_init(&rmi);

	/* realm identities that pass the filter, with their names */
	for (size_t i = 0; i < cur->realms.n; i++) {
		const struct rmi_realm_row *rr = rmi_tab_row(&cur->realms, i);
		struct rmi_top_row *ri = rmi_tab_get(&rinfo, &rr->key, true);
		struct acc *a;

		if (!ri)
			continue;
		memcpy(ri->comm, rr->info.comm, 16);
		ri->comm[16] = '\0';
		if (names)
			rmi_realm_name(rr->key.pid, ri->name, sizeof(ri->name));
		if (!ri->name[0])
			snprintf(ri->name, sizeof(ri->name), "%s", ri->comm);
		ri->state = rr->info.state;
		if (!realm_passes(f, &rr->key, ri->name, ri->comm)) {
			ri->vcpu = -2; /* filtered out */
			continue;
		}
		ri->vcpu = -1;
		a = acc_get(&realms, &rr->key, -1, 0, 0, 0);
		if (a) {
			a->row = *ri;
			a->row.realm = rr->key;
		}
		m->realms++;
	}

	for (size_t i = 0; i < cur->exits.n; i++) {
		const struct rmi_exit_row *e = rmi_tab_row(&cur->exits, i);
		struct rmi_realm_id id = { .realm = e->key.realm, .pid = e->key.pid };
		const struct rmi_top_row *ri = rmi_tab_get(&rinfo, &id, false);
		const struct rmi_exit_row *b =
			base ? rmi_tab_get((struct rmi_tab *)&base->exits, &e->key, false) : NULL;
		uint64_t c = e->count - (b ? b->count : 0);
		uint64_t d = e->count - prev_count(prev, &e->key);
		struct rmi_hist host = e->host, run = e->run;
		bool fail = e->key.reason == RMI_NO_REASON;
		struct acc *a[3];

		if (!ri || ri->vcpu == -2)
			continue;
		if (f && f->vcpu >= 0 && e->key.vcpu_id != f->vcpu)
			continue;
		if (f && f->reason >= 0 && e->key.reason != f->reason)
			continue;
		if (b) {
			hist_sub(&host, &b->host);
			hist_sub(&run, &b->run);
		}
		a[0] = acc_get(&realms, &id, -1, 0, 0, 0);
		a[1] = acc_get(&vcpus, &id, e->key.vcpu_id, 0, 0, 0);
		a[2] = acc_get(&exits, NULL, -1, e->key.reason, e->key.ec, 0);
		for (int k = 0; k < 3; k++) {
			if (!a[k])
				continue;
			if (k < 2 && !a[k]->row.name[0]) {
				a[k]->row = *ri;
				a[k]->row.realm = id;
				a[k]->row.vcpu = k ? e->key.vcpu_id : -1;
			}
			if (fail) {
				a[k]->row.errors += c;
			} else {
				a[k]->row.count += c;
				a[k]->row.rate += d;
				a[k]->by_reason[e->key.reason] += c;
			}
			a[k]->run_sum += run.sum;
			a[k]->host_sum += host.sum;
		}
		if (a[2]) {
			a[2]->row.reason = e->key.reason;
			a[2]->row.ec = e->key.ec;
			a[2]->row.vcpu = -1;
			if (fail)
				a[2]->row.count += c; /* the exits view lists failures as a class */
			rmi_hist_merge(&a[2]->row.lat, &host);
		}
		if (!fail) {
			m->exits += c;
			m->exit_rate += d;
		}
	}
	/* vCPU counts per realm */
	for (size_t i = 0; i < vcpus.n; i++) {
		struct acc *v = rmi_tab_row(&vcpus, i);
		struct acc *r = acc_get(&realms, &v->key.realm, -1, 0, 0, 0);

		if (r)
			r->row.vcpus++;
	}

	for (size_t i = 0; i < cur->calls.n; i++) {
		const struct rmi_call_row *c = rmi_tab_row(&cur->calls, i);
		const struct rmi_call_row *b =
			base ? rmi_tab_get((struct rmi_tab *)&base->calls, &c->key, false) : NULL;
		uint64_t n = c->count - (b ? b->count : 0);
		uint64_t d = c->count - prev_calls(prev, &c->key);
		bool error = rmi_status_is_error(c->key.result);
		struct rmi_hist lat = c->lat;
		struct acc *a;

		if (f && f->pid && c->key.pid != f->pid)
			continue;
		if (f && f->realm) {
			/* RMI calls belong to a VMM process: keep those of matching realms */
			bool match = false;

			for (size_t k = 0; k < rinfo.n && !match; k++) {
				const struct rmi_top_row *ri = rmi_tab_row(&rinfo, k);

				match = ri->vcpu != -2 && ri->realm.pid == c->key.pid;
			}
			if (!match)
				continue;
		}
		if (b)
			hist_sub(&lat, &b->lat);
		a = acc_get(&rmi, NULL, -1, 0, 0, c->key.fid);
		if (a) {
			a->row.fid = c->key.fid;
			a->row.vcpu = -1;
			a->row.count += n;
			a->row.rate += d;
			if (error)
				a->row.errors += n;
			rmi_hist_merge(&a->row.lat, &lat);
		}
		m->rmi_calls += n;
		if (error) {
			struct rmi_realm_id id = {};

			m->rmi_errors += n;
			/* per realm: the realm(s) of that VMM pid */
			for (size_t k = 0; k < realms.n; k++) {
				struct acc *r = rmi_tab_row(&realms, k);

				if (r->key.realm.pid == c->key.pid) {
					r->row.rmi_errors += n;
					id = r->key.realm;
				}
			}
			(void)id;
		}
	}
	m->exit_rate = dt > 0 ? m->exit_rate / dt : 0;

	err = err ?: finish_view(m, RMI_VIEW_REALMS, &realms, dt);
	err = err ?: finish_view(m, RMI_VIEW_VCPUS, &vcpus, dt);
	err = err ?: finish_view(m, RMI_VIEW_EXITS, &exits, dt);
	err = err ?: finish_view(m, RMI_VIEW_RMI, &rmi, dt);

	/* PSCI: open windows, the stuck ones flagged */
	m->rows[RMI_VIEW_PSCI] = calloc(cur->windows.n + 1, sizeof(struct rmi_top_row));
	for (size_t i = 0; !err && m->rows[RMI_VIEW_PSCI] && i < cur->windows.n; i++) {
		const struct rmi_window_row *w = rmi_tab_row(&cur->windows, i);
		struct rmi_realm_id id = { .realm = w->key.realm, .pid = w->key.pid };
		const struct rmi_top_row *ri = rmi_tab_get(&rinfo, &id, false);
		struct rmi_top_row *r;

		if (ri && ri->vcpu == -2)
			continue;
		if (f && f->vcpu >= 0 && (int)w->key.vcpu_id != f->vcpu)
			continue;
		r = &m->rows[RMI_VIEW_PSCI][m->n[RMI_VIEW_PSCI]++];
		if (ri)
			*r = *ri;
		r->realm = id;
		r->vcpu = w->key.vcpu_id;
		r->win = w->win;
		r->age_ns = now_ns > w->win.opened_ns ? now_ns - w->win.opened_ns : 0;
		r->stuck = r->age_ns >= (uint64_t)(stuck_ms * 1e6);
		m->stuck += r->stuck;
	}
	if (!m->rows[RMI_VIEW_PSCI])
		err = -ENOMEM;
	for (int v = 0; v < RMI_VIEW__COUNT; v++)
		rmi_top_sort(m, v, 0, false);
	acc_free(&realms);
	acc_free(&vcpus);
	acc_free(&exits);
	acc_free(&rmi);
	free(rinfo.rows);
	free(rinfo.idx);
	return err;
}

void rmi_top_free(struct rmi_top_model *m)
{
	for (int v = 0; v < RMI_VIEW__COUNT; v++)
		free(m->rows[v]);
	memset(m, 0, sizeof(*m));
}

/* ---- sorting ------------------------------------------------------------------ */

static enum rmi_top_view sort_view;
static int sort_col;
static bool sort_asc;

static double key_of(const struct rmi_top_row *r)
{
	switch (sort_view) {
	case RMI_VIEW_REALMS:
		switch (sort_col) {
		case 2:
			return r->realm.pid;
		case 3:
			return r->vcpus;
		case 4:
			return r->count;
		case 5:
			return r->run_share;
		case 6:
			return r->rmi_errors;
		default:
			return r->rate;
		}
	case RMI_VIEW_VCPUS:
		switch (sort_col) {
		case 2:
			return r->vcpu;
		case 3:
			return r->count;
		case 4:
			return r->run_share;
		case 5:
			return r->errors;
		default:
			return r->rate;
		}
	case RMI_VIEW_EXITS:
		switch (sort_col) {
		case 1:
			return r->reason * 256 + r->ec;
		case 2:
			return r->rate;
		case 3:
			return rmi_hist_quantile(&r->lat, 0.5);
		case 4:
			return rmi_hist_quantile(&r->lat, 0.99);
		case 5:
			return r->lat.max;
		default:
			return r->count;
		}
	case RMI_VIEW_RMI:
		switch (sort_col) {
		case 1:
			return r->fid;
		case 2:
			return r->rate;
		case 3:
			return r->errors;
		case 4:
			return rmi_hist_quantile(&r->lat, 0.5);
		case 5:
			return rmi_hist_quantile(&r->lat, 0.99);
		case 6:
			return r->lat.max;
		default:
			return r->count;
		}
	default:
		switch (sort_col) {
		case 2:
			return r->vcpu;
		case 3:
			return r->win.err_rec_enters;
		default:
			return r->age_ns;
		}
	}
}

static int cmp_row(const void *a, const void *b)
{
	const struct rmi_top_row *x = a, *y = b;
	int c;

	/* text columns */
	if ((sort_view == RMI_VIEW_REALMS && sort_col == 1) ||
	    (sort_view == RMI_VIEW_VCPUS && sort_col == 1) ||
	    (sort_view == RMI_VIEW_PSCI && sort_col == 1)) {
		c = strcmp(x->name, y->name);
	} else {
		double kx = key_of(x), ky = key_of(y);

		c = kx < ky ? -1 : kx > ky;
	}
	if (!c) /* stable tie-break: pid, vCPU */
		c = x->realm.pid != y->realm.pid ? (x->realm.pid < y->realm.pid ? -1 : 1) :
						   (x->vcpu > y->vcpu) - (x->vcpu < y->vcpu);
	return sort_asc ? c : -c;
}

void rmi_top_sort(struct rmi_top_model *m, enum rmi_top_view v, int col, bool ascending)
{
	sort_view = v;
	sort_col = col;
	sort_asc = ascending;
	if (m->n[v] > 1)
		qsort(m->rows[v], m->n[v], sizeof(struct rmi_top_row), cmp_row);
}

/* ---- presentation -------------------------------------------------------------- */

static const char *short_exit(uint8_t reason, uint8_t ec, enum rmi_spec spec, char *buf, size_t len)
{
	char r[64];

	rmi_exit_short(reason, spec, r, sizeof(r));
	if (ec != RMI_NO_EC)
		snprintf(buf, len, "%.40s:%.20s", r, rmi_ec_name(ec));
	else
		snprintf(buf, len, "%s", r);
	return buf;
}

void rmi_top_header(char *buf, size_t len, enum rmi_top_view v)
{
	switch (v) {
	case RMI_VIEW_REALMS:
		snprintf(buf, len, "%-16s %7s %5s %10s %9s %-16s %5s %7s", "REALM", "PID", "VCPUS",
			 "EXITS", "EXITS/S", "TOP EXIT", "RUN%", "RMI_ERR");
		break;
	case RMI_VIEW_VCPUS:
		snprintf(buf, len, "%-16s %7s %4s %10s %9s %-16s %5s %6s", "REALM", "PID", "VCPU",
			 "EXITS", "EXITS/S", "TOP EXIT", "RUN%", "FAIL");
		break;
	case RMI_VIEW_EXITS:
		snprintf(buf, len, "%-22s %10s %9s %6s %8s %8s %8s", "EXIT:ESR_EC", "COUNT", "RATE",
			 "%", "HOST_p50", "p99", "max");
		break;
	case RMI_VIEW_RMI:
		snprintf(buf, len, "%-24s %9s %8s %7s %8s %8s %8s", "RMI", "CALLS", "CALLS/S",
			 "ERRORS", "p50", "p99", "max");
		break;
	default:
		snprintf(buf, len, "%-14s %7s %4s %-20s %10s %9s %7s", "REALM", "PID", "VCPU",
			 "PSCI", "TARGET", "AGE", "REFUSED");
	}
}

void rmi_top_line(char *buf, size_t len, const struct rmi_top_model *m, enum rmi_top_view v,
		  const struct rmi_top_row *r, enum rmi_spec spec)
{
	char a[64], b[16], c[16], d[16];

	(void)m;
	switch (v) {
	case RMI_VIEW_REALMS:
	case RMI_VIEW_VCPUS:
		if (r->top_reason == RMI_NO_REASON)
			snprintf(a, sizeof(a), "-");
		else
			rmi_exit_short(r->top_reason, spec, a, sizeof(a));
		if (v == RMI_VIEW_REALMS)
			snprintf(buf, len, "%-16.16s %7u %5u %10llu %9.0f %-16.16s %5.1f %7llu",
				 r->name, r->realm.pid, r->vcpus, (unsigned long long)r->count,
				 r->rate, a, 100 * r->run_share, (unsigned long long)r->rmi_errors);
		else
			snprintf(buf, len, "%-16.16s %7u %4d %10llu %9.0f %-16.16s %5.1f %6llu",
				 r->name, r->realm.pid, r->vcpu, (unsigned long long)r->count,
				 r->rate, a, 100 * r->run_share, (unsigned long long)r->errors);
		break;
	case RMI_VIEW_EXITS:
		if (r->reason == RMI_NO_REASON)
			snprintf(a, sizeof(a), "REC_ENTER_FAILED");
		else
			short_exit(r->reason, r->ec, spec, a, sizeof(a));
		snprintf(buf, len, "%-22.22s %10llu %9.0f %6.1f %8s %8s %8s", a,
			 (unsigned long long)r->count, r->rate, r->pct,
			 rmi_fmt_ns(rmi_hist_quantile(&r->lat, 0.5), b, sizeof(b)),
			 rmi_fmt_ns(rmi_hist_quantile(&r->lat, 0.99), c, sizeof(c)),
			 rmi_fmt_ns(r->lat.max, d, sizeof(d)));
		break;
	case RMI_VIEW_RMI:
		rmi_fid_name(r->fid, spec, a, sizeof(a));
		snprintf(buf, len, "%-24.24s %9llu %8.0f %7llu %8s %8s %8s",
			 !strncmp(a, "RMI_", 4) ? a + 4 : a, (unsigned long long)r->count, r->rate,
			 (unsigned long long)r->errors,
			 rmi_fmt_ns(rmi_hist_quantile(&r->lat, 0.5), b, sizeof(b)),
			 rmi_fmt_ns(rmi_hist_quantile(&r->lat, 0.99), c, sizeof(c)),
			 rmi_fmt_ns(r->lat.max, d, sizeof(d)));
		break;
	default:
		rmi_psci_fid_name(r->win.fid, spec, a, sizeof(a));
		snprintf(buf, len, "%-14.14s %7u %4d %-20.20s %#10llx %9s %7u%s", r->name,
			 r->realm.pid, r->vcpu, !strncmp(a, "PSCI_", 5) ? a + 5 : a,
			 (unsigned long long)r->win.target_mpidr,
			 rmi_fmt_ns(r->age_ns, b, sizeof(b)), r->win.err_rec_enters,
			 r->stuck ? " STUCK" : "");
	}
}

void rmi_top_print(FILE *f, const struct rmi_top_model *m, enum rmi_spec spec, unsigned int views)
{
	char line[256];

	fprintf(f,
		"realms %u, exits %llu (%.0f/s), RMI calls %llu, RMI errors %llu, lost events "
		"%llu, stuck PSCI windows %u\n",
		m->realms, (unsigned long long)m->exits, m->exit_rate,
		(unsigned long long)m->rmi_calls, (unsigned long long)m->rmi_errors,
		(unsigned long long)m->lost_events, m->stuck);
	for (int v = 0; v < RMI_VIEW__COUNT; v++) {
		if (!(views & (1u << v)))
			continue;
		rmi_top_header(line, sizeof(line), v);
		fprintf(f, "\n%s\n", line);
		for (size_t i = 0; i < m->n[v]; i++) {
			rmi_top_line(line, sizeof(line), m, v, &m->rows[v][i], spec);
			fprintf(f, "%s\n", line);
		}
	}
}

static void row_json(struct json_writer *w, const struct rmi_top_model *m, enum rmi_top_view v,
		     const struct rmi_top_row *r, enum rmi_spec spec)
{
	char a[96];

	(void)m;
	jw_start_object(w);
	if (v != RMI_VIEW_EXITS && v != RMI_VIEW_RMI) {
		jw_string_field(w, "name", r->name);
		jw_u64_field(w, "pid", r->realm.pid);
		jw_hex_field(w, "realm", r->realm.realm);
	}
	switch (v) {
	case RMI_VIEW_REALMS:
	case RMI_VIEW_VCPUS:
		if (v == RMI_VIEW_VCPUS)
			jw_u64_field(w, "vcpu", r->vcpu);
		else
			jw_u64_field(w, "vcpus", r->vcpus);
		jw_u64_field(w, "exits", r->count);
		jw_double_field(w, "exit_rate", r->rate);
		jw_u64_field(w, "rec_enter_failures", r->errors);
		if (r->top_reason != RMI_NO_REASON)
			jw_string_field(w, "top_exit",
					rmi_exit_name(r->top_reason, spec, a, sizeof(a)));
		jw_double_field(w, "run_share", r->run_share);
		if (v == RMI_VIEW_REALMS)
			jw_u64_field(w, "rmi_errors", r->rmi_errors);
		break;
	case RMI_VIEW_EXITS:
		if (r->reason == RMI_NO_REASON) {
			jw_string_field(w, "reason_name", "REC_ENTER_FAILED");
		} else {
			jw_u64_field(w, "reason", r->reason);
			jw_string_field(w, "reason_name",
					rmi_exit_name(r->reason, spec, a, sizeof(a)));
		}
		if (r->ec != RMI_NO_EC) {
			jw_hex_field(w, "ec", r->ec);
			jw_string_field(w, "ec_name", rmi_ec_name(r->ec));
		}
		jw_u64_field(w, "count", r->count);
		jw_double_field(w, "rate", r->rate);
		jw_double_field(w, "percent", r->pct);
		jw_u64_field(w, "host_p50_ns", rmi_hist_quantile(&r->lat, 0.5));
		jw_u64_field(w, "host_p99_ns", rmi_hist_quantile(&r->lat, 0.99));
		jw_u64_field(w, "host_max_ns", r->lat.max);
		break;
	case RMI_VIEW_RMI:
		jw_hex_field(w, "fid", r->fid);
		jw_string_field(w, "name", rmi_fid_name(r->fid, spec, a, sizeof(a)));
		jw_u64_field(w, "calls", r->count);
		jw_double_field(w, "rate", r->rate);
		jw_u64_field(w, "errors", r->errors);
		jw_u64_field(w, "p50_ns", rmi_hist_quantile(&r->lat, 0.5));
		jw_u64_field(w, "p99_ns", rmi_hist_quantile(&r->lat, 0.99));
		jw_u64_field(w, "max_ns", r->lat.max);
		break;
	default:
		jw_u64_field(w, "vcpu", r->vcpu);
		jw_hex_field(w, "fid", r->win.fid);
		jw_string_field(w, "psci", rmi_psci_fid_name(r->win.fid, spec, a, sizeof(a)));
		jw_hex_field(w, "target_mpidr", r->win.target_mpidr);
		jw_u64_field(w, "age_ns", r->age_ns);
		jw_u64_field(w, "error_rec_enters", r->win.err_rec_enters);
		jw_bool_field(w, "stuck", r->stuck);
	}
	jw_end_object(w);
}

void rmi_top_json(struct json_writer *w, const struct rmi_top_model *m, enum rmi_spec spec)
{
	jw_start_object(w);
	jw_double_field(w, "interval_s", m->interval_s);
	jw_u64_field(w, "realms_count", m->realms);
	jw_u64_field(w, "exits", m->exits);
	jw_double_field(w, "exit_rate", m->exit_rate);
	jw_u64_field(w, "rmi_calls", m->rmi_calls);
	jw_u64_field(w, "rmi_errors", m->rmi_errors);
	jw_u64_field(w, "lost_events", m->lost_events);
	jw_u64_field(w, "stuck_psci_windows", m->stuck);
	if (m->bpf_stats) {
		jw_u64_field(w, "bpf_run_ns", m->bpf_run_ns);
		jw_u64_field(w, "bpf_run_cnt", m->bpf_run_cnt);
	}
	for (int v = 0; v < RMI_VIEW__COUNT; v++) {
		jw_name(w, view_json[v]);
		jw_start_array(w);
		for (size_t i = 0; i < m->n[v]; i++)
			row_json(w, m, v, &m->rows[v][i], spec);
		jw_end_array(w);
	}
	jw_end_object(w);
}
