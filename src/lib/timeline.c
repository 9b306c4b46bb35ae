// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "event_fmt.h"
#include "json.h"
#include "rmi/event.h"
#include "rmi/rmi.h"
#include "stats.h"
#include "timeline.h"

#define RMI_TRACK (1u << 30) /* tid | RMI_TRACK: the RMI call track of a thread */

struct tl_thread {
	uint32_t tid;
	uint32_t pid;
	uint32_t vcpu; /* RMI_NO_VCPU for host threads */
	uint32_t has_rmi;
};

struct tl_window {
	struct rmi_psci_key key;
	uint64_t opened_ns, fid, target;
	uint32_t tid;
	uint32_t pad;
};

struct rmi_timeline {
	FILE *out;
	struct json_writer *w;
	enum rmi_spec spec;
	unsigned long long t0;
	struct rmi_tab threads, windows;
	struct rmi_tab pids; /* key pid, value comm */
	uint64_t last_ns;
};

struct tl_pid {
	uint32_t pid;
	char comm[20];
};

static double us(const struct rmi_timeline *t, uint64_t ns)
{
	return ns >= t->t0 ? (ns - t->t0) / 1000.0 : 0;
}

struct rmi_timeline *rmi_timeline_new(FILE *out, enum rmi_spec spec, unsigned long long t0_ns)
{
	struct rmi_timeline *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->out = out;
	t->spec = spec;
	t->t0 = t0_ns;
	t->threads.key_size = sizeof(uint32_t);
	t->threads.row_size = sizeof(struct tl_thread);
	t->windows.key_size = sizeof(struct rmi_psci_key);
	t->windows.row_size = sizeof(struct tl_window);
	t->pids.key_size = sizeof(uint32_t);
	t->pids.row_size = sizeof(struct tl_pid);
	t->w = jw_new(out, false);
	if (!t->w) {
		free(t);
		return NULL;
	}
	jw_start_object(t->w);
	jw_string_field(t->w, "displayTimeUnit", "ns");
	jw_name(t->w, "traceEvents");
	jw_start_array(t->w);
	return t;
}

static void ev_common(struct rmi_timeline *t, const char *ph, const char *name, const char *cat,
		      uint32_t pid, uint32_t tid, uint64_t ts_ns)
{
	jw_start_object(t->w);
	jw_string_field(t->w, "ph", ph);
	jw_string_field(t->w, "name", name);
	jw_string_field(t->w, "cat", cat);
	jw_u64_field(t->w, "pid", pid);
	jw_u64_field(t->w, "tid", tid);
	jw_double_field(t->w, "ts", us(t, ts_ns));
}

static struct tl_thread *thread(struct rmi_timeline *t, const struct rmi_ev_hdr *h)
{
	struct tl_thread *th = rmi_tab_get(&t->threads, &h->tid, true);
	struct tl_pid *p = rmi_tab_get(&t->pids, &h->pid, true);

	if (th && !th->pid) {
		th->pid = h->pid;
		th->vcpu = RMI_NO_VCPU;
	}
	if (th && h->vcpu_id != RMI_NO_VCPU)
		th->vcpu = h->vcpu_id;
	(void)p;
	return th;
}

static void rec_exit(struct rmi_timeline *t, const struct rmi_ev_rec_exit *e)
{
	char name[96], text[160];

	if (e->reason == RMI_NO_REASON) {
		struct rmi_status st;

		rmi_status_decode(e->status, t->spec, &st);
		snprintf(name, sizeof(name), "REC_ENTER failed %s",
			 rmi_status_fmt(&st, t->spec, text, sizeof(text)));
	} else {
		rmi_exit_short(e->reason, t->spec, name, sizeof(name));
		if (e->ec != RMI_NO_EC) {
			size_t n = strlen(name);

			snprintf(name + n, sizeof(name) - n, " %s", rmi_ec_name(e->ec));
		}
	}
	/* the REC run slice ends at the exit */
	if (!(e->flags & RMI_EXF_NO_RUN_TIME) && e->run_ns <= e->h.ts_ns) {
		ev_common(t, "X", e->reason == RMI_NO_REASON ? "REC_ENTER refused" : "REC run",
			  "rec", e->h.pid, e->h.tid, e->h.ts_ns - e->run_ns);
		jw_double_field(t->w, "dur", e->run_ns / 1000.0);
		jw_name(t->w, "args");
		jw_start_object(t->w);
		jw_string_field(t->w, "exit", name);
		jw_u64_field(t->w, "run_ns", e->run_ns);
		jw_end_object(t->w);
		jw_end_object(t->w);
	}
	ev_common(t, "i", name, "exit", e->h.pid, e->h.tid, e->h.ts_ns);
	jw_string_field(t->w, "s", "t");
	jw_name(t->w, "args");
	jw_start_object(t->w);
	jw_hex_field(t->w, "status", e->status);
	if (e->reason == RMI_EXIT_SYNC) {
		struct esr_info ei;

		esr_decode(e->esr, e->far, e->hpfar, true, &ei);
		jw_string_field(t->w, "esr", esr_fmt(&ei, text, sizeof(text)));
	} else if (e->reason == RMI_EXIT_PSCI) {
		jw_string_field(t->w, "psci",
				rmi_psci_fid_name(e->gprs[0], t->spec, text, sizeof(text)));
		jw_hex_field(t->w, "target_mpidr", e->gprs[1]);
	}
	if (!(e->flags & RMI_EXF_NO_HOST_TIME))
		jw_u64_field(t->w, "host_ns_before", e->host_ns);
	jw_end_object(t->w);
	jw_end_object(t->w);
}

static void rmi_call(struct rmi_timeline *t, const struct rmi_ev_rmi_call *e, struct tl_thread *th)
{
	char name[96], text[128];
	struct rmi_status st;

	if (e->lat_ns > e->h.ts_ns)
		return;
	if (th)
		th->has_rmi = 1;
	rmi_fid_name(e->fid, t->spec, name, sizeof(name));
	rmi_status_decode(e->status, t->spec, &st);
	ev_common(t, "X", name, "rmi", e->h.pid, e->h.tid | RMI_TRACK, e->h.ts_ns - e->lat_ns);
	jw_double_field(t->w, "dur", e->lat_ns / 1000.0);
	jw_name(t->w, "args");
	jw_start_object(t->w);
	jw_string_field(t->w, "status", rmi_status_fmt(&st, t->spec, text, sizeof(text)));
	jw_hex_field(t->w, "x1", e->args[0]);
	jw_end_object(t->w);
	jw_end_object(t->w);
}

static void window_event(struct rmi_timeline *t, const char *ph, const struct tl_window *w,
			 uint64_t ts, const char *status)
{
	char name[96], fid[64], id[64];

	snprintf(name, sizeof(name), "PSCI %s target=0x%llx",
		 rmi_psci_fid_name(w->fid, t->spec, fid, sizeof(fid)),
		 (unsigned long long)w->target);
	snprintf(id, sizeof(id), "psci-%u-%u-%llu", w->key.pid, w->key.vcpu_id,
		 (unsigned long long)w->opened_ns);
	ev_common(t, ph, name, "psci", w->key.pid, w->tid, ts);
	jw_string_field(t->w, "id", id);
	if (status) {
		jw_name(t->w, "args");
		jw_start_object(t->w);
		jw_string_field(t->w, "completion", status);
		jw_end_object(t->w);
	}
	jw_end_object(t->w);
}

static void psci(struct rmi_timeline *t, const struct rmi_ev_psci *e)
{
	struct rmi_psci_key k = { .realm = e->h.realm, .pid = e->h.pid, .vcpu_id = e->h.vcpu_id };
	struct tl_window *w = rmi_tab_get(&t->windows, &k, false);
	char st[64];

	if (e->h.type == RMI_EV_PSCI_OPEN) {
		if (w) /* a window re-opened without a close: end the old one */
			window_event(t, "e", w, e->h.ts_ns, "superseded");
		w = rmi_tab_get(&t->windows, &k, true);
		if (!w)
			return;
		w->opened_ns = e->opened_ns;
		w->fid = e->fid;
		w->target = e->target_mpidr;
		w->tid = e->h.tid;
		window_event(t, "b", w, e->opened_ns, NULL);
	} else if (e->h.type == RMI_EV_PSCI_CLOSE && w) {
		window_event(t, "e", w, e->h.ts_ns,
			     rmi_psci_ret_name((int64_t)e->status, st, sizeof(st)));
		rmi_tab_del(&t->windows, &k);
	} else if (e->h.type == RMI_EV_PSCI_EARLY && w) {
		ev_common(t, "i", "CPU_ON target entered before completion", "psci", e->h.pid,
			  w->tid, e->h.ts_ns);
		jw_string_field(t->w, "s", "p");
		jw_end_object(t->w);
	}
}

int rmi_timeline_event(void *ctx, const void *ev, size_t len)
{
	struct rmi_timeline *t = ctx;
	const struct rmi_ev_hdr *h = ev;
	struct tl_thread *th;

	if (len < sizeof(*h) || h->size > len)
		return 0;
	if (h->ts_ns > t->last_ns)
		t->last_ns = h->ts_ns;
	th = thread(t, h);
	switch (h->type) {
	case RMI_EV_REC_EXIT:
		if (h->size >= sizeof(struct rmi_ev_rec_exit))
			rec_exit(t, ev);
		break;
	case RMI_EV_RMI_CALL:
		if (h->size >= sizeof(struct rmi_ev_rmi_call))
			rmi_call(t, ev, th);
		break;
	case RMI_EV_PSCI_OPEN:
	case RMI_EV_PSCI_CLOSE:
	case RMI_EV_PSCI_EARLY:
		if (h->size >= sizeof(struct rmi_ev_psci))
			psci(t, ev);
		break;
	case RMI_EV_REALM:
		if (h->size >= sizeof(struct rmi_ev_realm)) {
			const struct rmi_ev_realm *e = ev;
			struct tl_pid *p = rmi_tab_get(&t->pids, &h->pid, true);
			static const char *const ops[] = { "?", "realm create", "realm activate",
							   "realm destroy" };

			if (p)
				memcpy(p->comm, e->comm, 16);
			ev_common(t, "i", ops[e->op <= 3 ? e->op : 0], "realm", h->pid, h->tid,
				  h->ts_ns);
			jw_string_field(t->w, "s", "p");
			jw_end_object(t->w);
		}
		break;
	}
	return 0;
}

static void meta(struct rmi_timeline *t, const char *what, uint32_t pid, uint32_t tid,
		 const char *name)
{
	jw_start_object(t->w);
	jw_string_field(t->w, "ph", "M");
	jw_string_field(t->w, "name", what);
	jw_u64_field(t->w, "pid", pid);
	jw_u64_field(t->w, "tid", tid);
	jw_name(t->w, "args");
	jw_start_object(t->w);
	jw_string_field(t->w, "name", name);
	jw_end_object(t->w);
	jw_end_object(t->w);
}

int rmi_timeline_finish(struct rmi_timeline *t, unsigned long long end_ns)
{
	char name[96];

	if (end_ns < t->last_ns)
		end_ns = t->last_ns;
	/* windows still open when the recording ended: close them, say so */
	for (size_t i = 0; i < t->windows.n; i++)
		window_event(t, "e", rmi_tab_row(&t->windows, i), end_ns, "still open at end");
	for (size_t i = 0; i < t->pids.n; i++) {
		const struct tl_pid *p = rmi_tab_row(&t->pids, i);
		char comm[17];

		memcpy(comm, p->comm, 16);
		comm[16] = '\0';
		snprintf(name, sizeof(name), "realm %s (pid %u)", comm[0] ? comm : "?", p->pid);
		meta(t, "process_name", p->pid, p->pid, name);
	}
	for (size_t i = 0; i < t->threads.n; i++) {
		const struct tl_thread *th = rmi_tab_row(&t->threads, i);

		if (th->vcpu != RMI_NO_VCPU)
			snprintf(name, sizeof(name), "vcpu%u (tid %u)", th->vcpu, th->tid);
		else
			snprintf(name, sizeof(name), "host thread %u", th->tid);
		meta(t, "thread_name", th->pid, th->tid, name);
		if (th->has_rmi) {
			size_t n = strlen(name);

			snprintf(name + n, sizeof(name) - n, " RMI");
			meta(t, "thread_name", th->pid, th->tid | RMI_TRACK, name);
		}
	}
	jw_end_array(t->w);
	jw_end_object(t->w);
	jw_destroy(t->w);
	free(t->threads.rows);
	free(t->threads.idx);
	free(t->windows.rows);
	free(t->windows.idx);
	free(t->pids.rows);
	free(t->pids.idx);
	free(t);
	return 0;
}
