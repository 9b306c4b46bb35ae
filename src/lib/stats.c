// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "stats.h"
#include "util.h"

/* ---- histograms ----------------------------------------------------------- */

static unsigned int slot_of(uint64_t v)
{
	unsigned int r = 0;

	if (!v)
		return 0;
	r = 64 - __builtin_clzll(v); /* same slots as bpf/rmi.bpf.c log2_slot() */
	return r < RMI_HIST_SLOTS ? r : RMI_HIST_SLOTS - 1;
}

void rmi_hist_add(struct rmi_hist *h, uint64_t v)
{
	h->slot[slot_of(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

void rmi_hist_merge(struct rmi_hist *dst, const struct rmi_hist *src)
{
	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		dst->slot[i] += src->slot[i];
	dst->n += src->n;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t rmi_hist_quantile(const struct rmi_hist *h, double q)
{
	uint64_t want, seen = 0, total = 0;

	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		total += h->slot[i];
	if (!total)
		return 0;
	if (q >= 1.0)
		return h->max;
	want = (uint64_t)(q * (double)total + 0.5);
	if (want < 1)
		want = 1;
	for (int i = 0; i < RMI_HIST_SLOTS; i++) {
		if (seen + h->slot[i] >= want) {
			/* linear within the slot [2^(i-1), 2^i), never above the max seen */
			double lo = i == 0 ? 0 : (double)(1ull << (i - 1));
			double hi = i == 0 ? 0 : (double)(1ull << i);
			uint64_t v = (uint64_t)(lo + (hi - lo) * (double)(want - seen) /
							     (double)h->slot[i]);

			return h->max && v > h->max ? h->max : v;
		}
		seen += h->slot[i];
	}
	return h->max;
}

void rmi_hist_print(FILE *f, const struct rmi_hist *h, const char *unit)
{
	int first = -1, last = -1;
	uint64_t top = 0;

	for (int i = 0; i < RMI_HIST_SLOTS; i++) {
		if (h->slot[i]) {
			if (first < 0)
				first = i;
			last = i;
			if (h->slot[i] > top)
				top = h->slot[i];
		}
	}
	if (first < 0)
		return;
	fprintf(f, "%24s : %-8s %-40s\n", unit, "count", "distribution");
	for (int i = first; i <= last; i++) {
		uint64_t lo = i == 0 ? 0 : 1ull << (i - 1), hi = i == 0 ? 0 : (1ull << i) - 1;
		int stars = top ? (int)(h->slot[i] * 40 / top) : 0;
		char bar[41];

		memset(bar, '*', stars);
		bar[stars] = '\0';
		if (i == RMI_HIST_SLOTS - 1)
			fprintf(f, "%10llu -> %-10s : %-8llu |%-40s|\n", (unsigned long long)lo,
				"inf", (unsigned long long)h->slot[i], bar);
		else
			fprintf(f, "%10llu -> %-10llu : %-8llu |%-40s|\n", (unsigned long long)lo,
				(unsigned long long)hi, (unsigned long long)h->slot[i], bar);
	}
}

/* ---- keyed tables ------------------------------------------------------- */

/* Keys are small structs: mix them a word at a time (murmur-style finalizer). */
static uint64_t hash_key(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 32);
}

void *rmi_tab_row(const struct rmi_tab *t, size_t i)
{
	return t->rows + i * t->row_size;
}

static int tab_grow_index(struct rmi_tab *t)
{
	size_t cap = t->idx_cap ? t->idx_cap * 2 : 64;
	uint32_t *idx = calloc(cap, sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_key(rmi_tab_row(t, i), t->key_size) & (cap - 1);

		while (idx[h])
			h = (h + 1) & (cap - 1);
		idx[h] = i + 1;
	}
	free(t->idx);
	t->idx = idx;
	t->idx_cap = cap;
	return 0;
}

void *rmi_tab_get(struct rmi_tab *t, const void *key, bool create)
{
	size_t h;
	void *row;

	if (t->idx_cap) {
		h = hash_key(key, t->key_size) & (t->idx_cap - 1);
		while (t->idx[h]) {
			row = rmi_tab_row(t, t->idx[h] - 1);
			if (!memcmp(row, key, t->key_size))
				return row;
			h = (h + 1) & (t->idx_cap - 1);
		}
	}
	if (!create)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		char *rows = realloc(t->rows, cap * t->row_size);

		if (!rows)
			return NULL;
		t->rows = rows;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 > t->idx_cap && tab_grow_index(t))
		return NULL;
	row = rmi_tab_row(t, t->n);
	memset(row, 0, t->row_size);
	memcpy(row, key, t->key_size);
	t->n++;
	h = hash_key(key, t->key_size) & (t->idx_cap - 1);
	while (t->idx[h])
		h = (h + 1) & (t->idx_cap - 1);
	t->idx[h] = t->n;
	return row;
}

void rmi_tab_del(struct rmi_tab *t, const void *key)
{
	char *row = rmi_tab_get(t, key, false);
	size_t i;

	if (!row)
		return;
	/* move the last row into the hole, then rebuild the index (rare) */
	i = (row - t->rows) / t->row_size;
	if (i != t->n - 1)
		memcpy(row, rmi_tab_row(t, t->n - 1), t->row_size);
	t->n--;
	t->idx_cap /= 2;
	tab_grow_index(t);
}

void rmi_tab_clear(struct rmi_tab *t)
{
	t->n = 0;
	if (t->idx)
		memset(t->idx, 0, t->idx_cap * sizeof(*t->idx));
}

static void tab_free(struct rmi_tab *t)
{
	free(t->rows);
	free(t->idx);
	t->rows = NULL;
	t->idx = NULL;
	t->n = t->cap = t->idx_cap = 0;
}

void **rmi_tab_sorted(const struct rmi_tab *t, int (*cmp)(const void *, const void *))
{
	void **v = malloc((t->n ? t->n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		v[i] = rmi_tab_row(t, i);
	if (cmp)
		qsort(v, t->n, sizeof(*v), cmp);
	return v;
}

#define TAB_INIT(t, K, R)                   \
	do {                                \
		memset(&(t), 0, sizeof(t)); \
		(t).key_size = sizeof(K);   \
		(t).row_size = sizeof(R);   \
	} while (0)

void rmi_stats_init(struct rmi_stats *s)
{
	memset(s, 0, sizeof(*s));
	TAB_INIT(s->exits, struct rmi_exit_key, struct rmi_exit_row);
	TAB_INIT(s->calls, struct rmi_call_key, struct rmi_call_row);
	TAB_INIT(s->psci, struct rmi_realm_id, struct rmi_psci_row);
	TAB_INIT(s->windows, struct rmi_psci_key, struct rmi_window_row);
	TAB_INIT(s->realms, struct rmi_realm_id, struct rmi_realm_row);
	TAB_INIT(s->tids, uint32_t, struct rmi_tid_row);
}

void rmi_stats_free(struct rmi_stats *s)
{
	tab_free(&s->exits);
	tab_free(&s->calls);
	tab_free(&s->psci);
	tab_free(&s->windows);
	tab_free(&s->realms);
	tab_free(&s->tids);
}

void rmi_stats_reset(struct rmi_stats *s)
{
	rmi_tab_clear(&s->exits);
	rmi_tab_clear(&s->calls);
	rmi_tab_clear(&s->psci);
	rmi_tab_clear(&s->windows);
	rmi_tab_clear(&s->realms);
	rmi_tab_clear(&s->tids);
	s->lost_events = s->read_errors = s->state_full = s->events = 0;
	s->first_ns = s->last_ns = 0;
}

/* ---- from the in-kernel maps -------------------------------------------- */

static void hist_from_u32(struct rmi_hist *h, const __u32 *slots)
{
	for (int i = 0; i < RMI_HIST_SLOTS; i++)
		h->slot[i] += slots[i];
}

/*
 * Walks a map: BPF_MAP_LOOKUP_BATCH (a thousand entries a syscall) where the
 * kernel has it for the map type, else key by key. Per-CPU values come as one
 * 8-byte-aligned value per possible CPU.
 */
#define BATCH 1024

static int walk_batch(int fd, size_t ksz, int ncpu,
		      void (*fn)(struct rmi_stats *, const void *key, const void *val, int ncpu,
				 size_t stride),
		      struct rmi_stats *s, size_t stride)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	char *keys = malloc(BATCH * ksz), *vals = malloc((size_t)BATCH * stride * ncpu);
	uint64_t in = 0, out = 0;
	bool first = true;
	int err = 0;

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		__u32 n = BATCH;

		err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys, vals, &n, &opts);
		if (err)
			err = -errno;
		for (__u32 i = 0; i < n && (!err || err == -ENOENT); i++)
			fn(s, keys + i * ksz, vals + (size_t)i * stride * ncpu, ncpu, stride);
		if (err == -ENOENT) { /* the last batch */
			err = 0;
			break;
		}
		if (err)
			break;
		in = out;
		first = false;
	}
out:
	free(keys);
	free(vals);
	return err;
}

static int walk_map(int fd, size_t ksz, size_t vsz, bool percpu,
		    void (*fn)(struct rmi_stats *, const void *key, const void *val, int ncpu,
			       size_t stride),
		    struct rmi_stats *s)
{
	int ncpu = percpu ? libbpf_num_possible_cpus() : 1;
	size_t stride = percpu ? (vsz + 7) / 8 * 8 : vsz;
	char key[64], next[64];
	void *vals;
	bool first = true;
	int err = 0;

	if (fd < 0 || ncpu <= 0 || ksz > sizeof(key))
		return -EINVAL;
	/*
	 * Arrays have no batch op in older kernels; hashes do since 5.6.
	 * RMI_MAP_BATCH=0 walks key by key (for valgrind, which does not know
	 * BPF_MAP_LOOKUP_BATCH and would flag every value it returns).
	 */
	const char *batch = getenv("RMI_MAP_BATCH");

	err = batch && !strcmp(batch, "0") ? -EINVAL : walk_batch(fd, ksz, ncpu, fn, s, stride);
	if (!err)
		return 0;
	if (err != -EINVAL && err != -ENOTSUP && err != -EOPNOTSUPP)
		return err;
	vals = malloc(stride * ncpu);
	if (!vals)
		return -ENOMEM;
	err = 0;
	memset(key, 0, sizeof(key));
	memset(next, 0, sizeof(next));
	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, ksz);
		/* the kernel fills it; zeroed so that checkers see it written */
		memset(vals, 0, stride * ncpu);
		if (bpf_map_lookup_elem(fd, key, vals))
			continue; /* deleted meanwhile */
		fn(s, key, vals, ncpu, stride);
	}
	if (errno != ENOENT)
		err = -errno;
	free(vals);
	return err;
}

static void add_exit_val(struct rmi_stats *s, const void *key, const void *vals, int ncpu,
			 size_t stride)
{
	struct rmi_exit_row *r = rmi_tab_get(&s->exits, key, true);

	for (int c = 0; r && c < ncpu; c++) {
		const struct rmi_exit_val *v = (const void *)((const char *)vals + c * stride);

		r->count += v->count;
		r->run.n += v->run_cnt;
		r->run.sum += v->run_ns;
		if (v->run_max > r->run.max)
			r->run.max = v->run_max;
		r->host.n += v->host_cnt;
		r->host.sum += v->host_ns;
		if (v->host_max > r->host.max)
			r->host.max = v->host_max;
		hist_from_u32(&r->run, v->run_hist);
		hist_from_u32(&r->host, v->host_hist);
	}
}

static void add_call_val(struct rmi_stats *s, const void *key, const void *vals, int ncpu,
			 size_t stride)
{
	struct rmi_call_row *r = rmi_tab_get(&s->calls, key, true);

	for (int c = 0; r && c < ncpu; c++) {
		const struct rmi_call_val *v = (const void *)((const char *)vals + c * stride);

		r->count += v->count;
		r->lat.n += v->count;
		r->lat.sum += v->lat_ns;
		if (v->lat_max > r->lat.max)
			r->lat.max = v->lat_max;
		hist_from_u32(&r->lat, v->hist);
	}
}

static void add_psci_val(struct rmi_stats *s, const void *key, const void *vals, int ncpu,
			 size_t stride)
{
	struct rmi_psci_row *r = rmi_tab_get(&s->psci, key, true);

	for (int c = 0; r && c < ncpu; c++) {
		const struct rmi_psci_val *v = (const void *)((const char *)vals + c * stride);

		r->opened += v->opened;
		r->completed += v->completed;
		r->err_rec_enters += v->err_rec_enters;
		r->early_target_entries += v->early_target_entries;
		r->dur.n += v->completed;
		r->dur.sum += v->dur_ns;
		if (v->dur_max > r->dur.max)
			r->dur.max = v->dur_max;
		hist_from_u32(&r->dur, v->hist);
	}
}

static void add_window(struct rmi_stats *s, const void *key, const void *val, int ncpu,
		       size_t stride)
{
	struct rmi_window_row *r = rmi_tab_get(&s->windows, key, true);

	(void)ncpu;
	(void)stride;
	if (r)
		memcpy(&r->win, val, sizeof(r->win));
}

static void add_realm(struct rmi_stats *s, const void *key, const void *val, int ncpu,
		      size_t stride)
{
	struct rmi_realm_row *r = rmi_tab_get(&s->realms, key, true);

	(void)ncpu;
	(void)stride;
	if (r)
		memcpy(&r->info, val, sizeof(r->info));
}

static void add_counter(struct rmi_stats *s, const void *key, const void *vals, int ncpu,
			size_t stride)
{
	uint32_t idx = *(const uint32_t *)key;
	uint64_t sum = 0;

	for (int c = 0; c < ncpu; c++)
		sum += *(const uint64_t *)((const char *)vals + c * stride);
	if (idx == RMI_CNT_LOST_EVENTS)
		s->lost_events = sum;
	else if (idx == RMI_CNT_READ_ERRORS)
		s->read_errors = sum;
	else if (idx == RMI_CNT_STATE_FULL)
		s->state_full = sum;
}

int rmi_stats_read_maps(struct rmi_stats *s, const struct rmi_probe *p)
{
	int err = 0;

	rmi_stats_reset(s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "exit_stats"), sizeof(struct rmi_exit_key),
			       sizeof(struct rmi_exit_val), true, add_exit_val, s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "rmi_stats"), sizeof(struct rmi_call_key),
			       sizeof(struct rmi_call_val), true, add_call_val, s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "psci_stats"), sizeof(struct rmi_realm_id),
			       sizeof(struct rmi_psci_val), true, add_psci_val, s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "psci_open"), sizeof(struct rmi_psci_key),
			       sizeof(struct rmi_psci_win), false, add_window, s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "realms"), sizeof(struct rmi_realm_id),
			       sizeof(struct rmi_realm_info), false, add_realm, s);
	err = err   ?:
		      walk_map(rmi_probe_map_fd(p, "counters"), sizeof(uint32_t), sizeof(uint64_t),
			       true, add_counter, s);
	return err;
}

int rmi_stats_read_windows(struct rmi_stats *s, const struct rmi_probe *p)
{
	rmi_tab_clear(&s->windows);
	return walk_map(rmi_probe_map_fd(p, "psci_open"), sizeof(struct rmi_psci_key),
			sizeof(struct rmi_psci_win), false, add_window, s);
}

/* ---- from events ----------------------------------------------------------- */

static struct rmi_realm_row *realm_row(struct rmi_stats *s, uint64_t realm, uint32_t pid)
{
	struct rmi_realm_id id = { .realm = realm, .pid = pid };

	return rmi_tab_get(&s->realms, &id, true);
}

static struct rmi_psci_row *psci_row(struct rmi_stats *s, uint64_t realm, uint32_t pid)
{
	struct rmi_realm_id id = { .realm = realm, .pid = pid };

	return rmi_tab_get(&s->psci, &id, true);
}

static void ev_rec_exit(struct rmi_stats *s, const struct rmi_ev_rec_exit *e)
{
	struct rmi_exit_key k = {
		.realm = e->h.realm,
		.pid = e->h.pid,
		.vcpu_id = e->h.vcpu_id,
		.reason = e->reason,
		.ec = e->ec,
		.status = e->status & 0xff,
	};
	struct rmi_exit_row *r;
	struct rmi_tid_row *t = rmi_tab_get(&s->tids, &e->h.tid, true);
	struct rmi_realm_row *rr = realm_row(s, e->h.realm, e->h.pid);

	if (rr && !rr->info.pid)
		rr->info.pid = e->h.pid; /* first met through a vCPU: state SEEN */
	/* the host time before this REC_ENTER belongs to the previous exit */
	if (t && t->has_last && !(e->flags & RMI_EXF_NO_HOST_TIME)) {
		r = rmi_tab_get(&s->exits, &t->last, true);
		if (r)
			rmi_hist_add(&r->host, e->host_ns);
	}
	r = rmi_tab_get(&s->exits, &k, true);
	if (r) {
		r->count++;
		if (!(e->flags & RMI_EXF_NO_RUN_TIME))
			rmi_hist_add(&r->run, e->run_ns);
	}
	if (t) {
		t->last = k;
		t->has_last = 1;
	}
	if (e->flags & RMI_EXF_PSCI_PENDING) {
		struct rmi_psci_key pk = { .realm = e->h.realm,
					   .pid = e->h.pid,
					   .vcpu_id = e->h.vcpu_id };
		struct rmi_window_row *w = rmi_tab_get(&s->windows, &pk, false);
		struct rmi_psci_row *p = psci_row(s, e->h.realm, e->h.pid);

		if (w)
			w->win.err_rec_enters++;
		if (p)
			p->err_rec_enters++;
	}
}

static void ev_psci(struct rmi_stats *s, const struct rmi_ev_psci *e)
{
	struct rmi_psci_key pk = { .realm = e->h.realm, .pid = e->h.pid, .vcpu_id = e->h.vcpu_id };
	struct rmi_psci_row *p = psci_row(s, e->h.realm, e->h.pid);
	struct rmi_window_row *w;

	if (!p)
		return;
	switch (e->h.type) {
	case RMI_EV_PSCI_OPEN:
		p->opened++;
		w = rmi_tab_get(&s->windows, &pk, true);
		if (w) {
			w->win = (struct rmi_psci_win){
				.fid = e->fid,
				.target_mpidr = e->target_mpidr,
				.caller_mpidr = e->caller_mpidr,
				.opened_ns = e->opened_ns,
				.pid = e->h.pid,
				.tid = e->h.tid,
			};
		}
		break;
	case RMI_EV_PSCI_CLOSE:
		p->completed++;
		rmi_hist_add(&p->dur, e->h.ts_ns - e->opened_ns);
		rmi_tab_del(&s->windows, &pk);
		break;
	case RMI_EV_PSCI_EARLY:
		p->early_target_entries++;
		w = rmi_tab_get(&s->windows, &pk, false);
		if (w)
			w->win.early_target_entries++;
		break;
	}
}

static void ev_realm(struct rmi_stats *s, const struct rmi_ev_realm *e)
{
	struct rmi_realm_row *r = realm_row(s, e->h.realm, e->h.pid);

	if (!r)
		return;
	r->info.pid = e->h.pid;
	if (!r->info.comm[0])
		memcpy(r->info.comm, e->comm, sizeof(r->info.comm));
	switch (e->op) {
	case RMI_REALM_OP_CREATE:
		r->info.state = RMI_REALM_CREATED;
		r->info.created_ns = e->h.ts_ns;
		break;
	case RMI_REALM_OP_ACTIVATE:
		r->info.state = RMI_REALM_ACTIVE;
		r->info.activated_ns = e->h.ts_ns;
		break;
	case RMI_REALM_OP_DESTROY:
		r->info.state = RMI_REALM_DESTROYED;
		r->info.destroyed_ns = e->h.ts_ns;
		/* as the probes do: the realm's open windows go with it */
		for (size_t i = 0; i < s->windows.n;) {
			struct rmi_window_row *w = rmi_tab_row(&s->windows, i);

			if (w->key.realm == e->h.realm && w->key.pid == e->h.pid)
				rmi_tab_del(&s->windows, &w->key);
			else
				i++;
		}
		break;
	}
}

void rmi_stats_add_event(struct rmi_stats *s, const void *ev, size_t len)
{
	const struct rmi_ev_hdr *h = ev;

	if (len < sizeof(*h) || h->size > len)
		return;
	s->events++;
	if (!s->first_ns || h->ts_ns < s->first_ns)
		s->first_ns = h->ts_ns;
	if (h->ts_ns > s->last_ns)
		s->last_ns = h->ts_ns;
	switch (h->type) {
	case RMI_EV_REC_EXIT:
		if (h->size >= sizeof(struct rmi_ev_rec_exit))
			ev_rec_exit(s, ev);
		break;
	case RMI_EV_RMI_CALL:
		if (h->size >= sizeof(struct rmi_ev_rmi_call)) {
			const struct rmi_ev_rmi_call *e = ev;
			struct rmi_call_key k = { .pid = h->pid,
						  .fid = (uint32_t)(e->fid & 0xFFFEFFFFull),
						  .result = e->status & 0xffff };
			struct rmi_call_row *r = rmi_tab_get(&s->calls, &k, true);

			if (r) {
				r->count++;
				rmi_hist_add(&r->lat, e->lat_ns);
			}
		}
		break;
	case RMI_EV_PSCI_OPEN:
	case RMI_EV_PSCI_CLOSE:
	case RMI_EV_PSCI_EARLY:
		if (h->size >= sizeof(struct rmi_ev_psci))
			ev_psci(s, ev);
		break;
	case RMI_EV_REALM:
		if (h->size >= sizeof(struct rmi_ev_realm))
			ev_realm(s, ev);
		break;
	}
}

/* ---- comparing two snapshots ---------------------------------------------- */

static int hist_diff(const struct rmi_hist *a, const struct rmi_hist *b)
{
	if (a->n != b->n || a->sum != b->sum || a->max != b->max)
		return 1;
	return memcmp(a->slot, b->slot, sizeof(a->slot)) != 0;
}

#define DIFF(...)                                       \
	do {                                            \
		if (out && n < 20)                      \
			fprintf(out, "  " __VA_ARGS__); \
		n++;                                    \
	} while (0)

int rmi_stats_compare(const struct rmi_stats *a, const struct rmi_stats *b, FILE *out)
{
	int n = 0;

	for (int pass = 0; pass < 2; pass++) {
		const struct rmi_stats *x = pass ? b : a, *y = pass ? a : b;
		const char *xs = pass ? "events" : "maps";

		for (size_t i = 0; i < x->exits.n; i++) {
			const struct rmi_exit_row *r = rmi_tab_row(&x->exits, i);
			const struct rmi_exit_row *q =
				rmi_tab_get((struct rmi_tab *)&y->exits, &r->key, false);

			if (!q)
				DIFF("exit pid %u vcpu %u reason %u ec 0x%x only in %s\n",
				     r->key.pid, r->key.vcpu_id, r->key.reason, r->key.ec, xs);
			else if (!pass && (r->count != q->count || hist_diff(&r->run, &q->run) ||
					   hist_diff(&r->host, &q->host)))
				DIFF("exit pid %u vcpu %u reason %u ec 0x%x: count %llu/%llu, run "
				     "n %llu/%llu, host n %llu/%llu\n",
				     r->key.pid, r->key.vcpu_id, r->key.reason, r->key.ec,
				     (unsigned long long)r->count, (unsigned long long)q->count,
				     (unsigned long long)r->run.n, (unsigned long long)q->run.n,
				     (unsigned long long)r->host.n, (unsigned long long)q->host.n);
		}
		for (size_t i = 0; i < x->calls.n; i++) {
			const struct rmi_call_row *r = rmi_tab_row(&x->calls, i);
			const struct rmi_call_row *q =
				rmi_tab_get((struct rmi_tab *)&y->calls, &r->key, false);

			if (!q)
				DIFF("rmi pid %u fid 0x%x result 0x%x only in %s\n", r->key.pid,
				     r->key.fid, r->key.result, xs);
			else if (!pass && (r->count != q->count || hist_diff(&r->lat, &q->lat)))
				DIFF("rmi pid %u fid 0x%x result 0x%x: count %llu/%llu\n",
				     r->key.pid, r->key.fid, r->key.result,
				     (unsigned long long)r->count, (unsigned long long)q->count);
		}
		for (size_t i = 0; i < x->psci.n; i++) {
			const struct rmi_psci_row *r = rmi_tab_row(&x->psci, i);
			const struct rmi_psci_row *q =
				rmi_tab_get((struct rmi_tab *)&y->psci, &r->key, false);

			if (!q)
				DIFF("psci of pid %u only in %s\n", r->key.pid, xs);
			else if (!pass && (r->opened != q->opened || r->completed != q->completed ||
					   r->err_rec_enters != q->err_rec_enters ||
					   r->early_target_entries != q->early_target_entries ||
					   hist_diff(&r->dur, &q->dur)))
				DIFF("psci of pid %u: opened %llu/%llu completed %llu/%llu\n",
				     r->key.pid, (unsigned long long)r->opened,
				     (unsigned long long)q->opened,
				     (unsigned long long)r->completed,
				     (unsigned long long)q->completed);
		}
		for (size_t i = 0; i < x->windows.n; i++) {
			const struct rmi_window_row *r = rmi_tab_row(&x->windows, i);
			const struct rmi_window_row *q =
				rmi_tab_get((struct rmi_tab *)&y->windows, &r->key, false);

			if (!q)
				DIFF("open PSCI window pid %u vcpu %u only in %s\n", r->key.pid,
				     r->key.vcpu_id, xs);
			else if (!pass && (r->win.fid != q->win.fid ||
					   r->win.target_mpidr != q->win.target_mpidr ||
					   r->win.err_rec_enters != q->win.err_rec_enters))
				DIFF("open PSCI window pid %u vcpu %u differs\n", r->key.pid,
				     r->key.vcpu_id);
		}
		for (size_t i = 0; i < x->realms.n; i++) {
			const struct rmi_realm_row *r = rmi_tab_row(&x->realms, i);
			const struct rmi_realm_row *q =
				rmi_tab_get((struct rmi_tab *)&y->realms, &r->key, false);

			if (!q)
				DIFF("realm pid %u only in %s\n", r->key.pid, xs);
			else if (!pass && r->info.state != q->info.state)
				DIFF("realm pid %u state %u/%u\n", r->key.pid, r->info.state,
				     q->info.state);
		}
	}
	if (out && n > 20)
		fprintf(out, "  ... and %d more\n", n - 20);
	return n;
}

/* ---- retention: forget realms destroyed long ago --------------------------- */

int rmi_stats_gc(const struct rmi_probe *p, const struct rmi_stats *s, uint64_t now_ns,
		 uint64_t retention_ns)
{
	int fe = rmi_probe_map_fd(p, "exit_stats"), fr = rmi_probe_map_fd(p, "realms");
	int fp = rmi_probe_map_fd(p, "psci_stats"), fc = rmi_probe_map_fd(p, "rmi_stats");
	int n = 0;

	for (size_t i = 0; i < s->realms.n; i++) {
		const struct rmi_realm_row *r = rmi_tab_row(&s->realms, i);
		bool pid_live = false;

		if (r->info.state != RMI_REALM_DESTROYED ||
		    r->info.destroyed_ns + retention_ns > now_ns)
			continue;
		for (size_t k = 0; k < s->exits.n; k++) {
			const struct rmi_exit_row *e = rmi_tab_row(&s->exits, k);

			if (e->key.realm == r->key.realm && e->key.pid == r->key.pid)
				n += !bpf_map_delete_elem(fe, &e->key);
		}
		n += !bpf_map_delete_elem(fp, &r->key);
		n += !bpf_map_delete_elem(fr, &r->key);
		/* RMI calls are per VMM process: gone with its last realm */
		for (size_t k = 0; k < s->realms.n && !pid_live; k++) {
			const struct rmi_realm_row *o = rmi_tab_row(&s->realms, k);

			pid_live = o != r && o->key.pid == r->key.pid &&
				   o->info.state != RMI_REALM_DESTROYED;
		}
		for (size_t k = 0; !pid_live && k < s->calls.n; k++) {
			const struct rmi_call_row *c = rmi_tab_row(&s->calls, k);

			if (c->key.pid == r->key.pid)
				n += !bpf_map_delete_elem(fc, &c->key);
		}
	}
	return n;
}
