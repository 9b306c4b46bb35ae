// SPDX-License-Identifier: GPL-2.0
/*
 * rmitools probes: REC exits, REC run and host time, RMI calls, PSCI
 * windows and realm lifecycle on an Arm CCA host.
 *
 * Every hook has one __always_inline body; each attach flavour (tp_btf,
 * fentry, kprobe/kretprobe — also used for uprobes on a simulated host) is a
 * thin wrapper. User space picks one flavour per hook at start-up and turns
 * the others off with bpf_program__set_autoload(false).
 */
#include <stdbool.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/errno.h>
#include <asm/ptrace.h> /* struct pt_regs (x86) / user_pt_regs (arm64), uapi */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "rmi/event.h"
#include "rmi/rmi.h"
#include "cca_core.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile bool user_mode = false; /* probes on a user process: read user memory */
const volatile bool emit_events = true; /* ring buffer on (trace) or off (aggregation) */
const volatile __u32 targ_tgid = 0; /* only this VMM process when non-zero */
/* wake the consumer only once this much is pending (it also polls every 100 ms) */
const volatile __u64 wakeup_bytes = 64 << 10;

/* What the running layout has, reported by `rmitrace probes` (bit per field). */
#define RMI_LAYOUT_SEEN 0x1
#define RMI_LAYOUT_AUX_PAGES 0x2
#define RMI_LAYOUT_SRO 0x4
#define RMI_LAYOUT_GIC 0x8
#define RMI_LAYOUT_S2AP 0x10
__u32 layout_flags = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* resized by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RMI_CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct rmi_exit_key);
	__type(value, struct rmi_exit_val);
} exit_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rmi_call_key);
	__type(value, struct rmi_call_val);
} rmi_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rmi_psci_key);
	__type(value, struct rmi_psci_win);
} psci_open SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rmi_realm_id);
	__type(value, struct rmi_psci_val);
} psci_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rmi_realm_id);
	__type(value, struct rmi_realm_info);
} realms SEC(".maps");

/* Per vCPU thread: the REC_ENTER window and the last exit, for host time. */
struct vcpu_state {
	__u64 vcpu; /* struct kvm_vcpu * last bound */
	__u64 run; /* its struct rec_run * (fixed for the life of the REC) */
	__u64 realm;
	__u64 mpidr;
	__u64 entry_ns; /* last kvm_entry */
	__u64 last_exit_ns; /* end of the last handled exit: host time starts */
	__u64 host_ns; /* host time before the current REC_ENTER */
	__u32 pid;
	__u16 vcpu_id;
	__u8 last_reason, last_ec, last_status;
	__u8 has_host;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32); /* tid */
	__type(value, struct vcpu_state);
} vcpus SEC(".maps");

/* PSCI targets awaiting completion: (realm, target MPIDR) -> calling vCPU */
struct target_key {
	__u64 realm;
	__u64 mpidr;
	__u32 pid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct target_key);
	__type(value, __u32);
} psci_targets SEC(".maps");

/* RMI calls in flight, per thread (kprobe -> kretprobe) */
struct smc_call {
	__u64 ts;
	__u64 fid;
	__u64 res; /* struct arm_smccc_1_2_regs * */
	__u64 args[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct smc_call);
} smc_inflight SEC(".maps");

/* zero values for lookup-or-init, from .rodata so they need no stack */
static const struct rmi_exit_val zero_exit;
static const struct rmi_call_val zero_call;
static const struct rmi_psci_val zero_psci;

/* Reads through CO-RE from kernel or, for a simulated host, user memory. */
#define RD(dst, src)                                                    \
	(user_mode ? bpf_core_read_user((dst), sizeof(*(dst)), (src)) : \
		     bpf_core_read((dst), sizeof(*(dst)), (src)))

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		*c += 1; /* per-CPU slot */
}

static __always_inline void *lookup_or_init(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);
	long err;

	if (v)
		return v;
	err = bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		count(RMI_CNT_STATE_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = 0;

	if (!v)
		return 0;
	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	r += 1; /* slot k holds [2^(k-1), 2^k) */
	return r < RMI_HIST_SLOTS ? r : RMI_HIST_SLOTS - 1;
}

static __always_inline bool filtered(__u32 tgid)
{
	return targ_tgid && tgid != targ_tgid;
}

static __always_inline void hdr_fill(struct rmi_ev_hdr *h, __u16 type, __u16 size, __u64 now,
				     __u64 realm, __u64 pid_tgid, __u16 vcpu_id)
{
	h->ts_ns = now;
	h->realm = realm;
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->type = type;
	h->size = size;
	h->vcpu_id = vcpu_id;
	h->cpu = bpf_get_smp_processor_id();
}

/*
 * A wakeup per event costs more than the event: batch them. The consumer
 * drains on its poll timeout too, so nothing waits longer than that.
 */
static __always_inline void ev_submit(void *ev)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (!wakeup_bytes || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = 0;
	bpf_ringbuf_submit(ev, flags);
}

static __always_inline void *ev_reserve(__u64 size)
{
	void *ev = bpf_ringbuf_reserve(&events, size, 0);

	if (!ev)
		count(RMI_CNT_LOST_EVENTS);
	return ev;
}

/* Binds the current thread to a vCPU: realm, vcpu_id, MPIDR. */
static __always_inline struct vcpu_state *bind_vcpu(struct kvm_vcpu___rmi *vcpu, __u64 pid_tgid)
{
	__u32 tid = (__u32)pid_tgid;
	struct vcpu_state *st = bpf_map_lookup_elem(&vcpus, &tid);
	struct vcpu_state init = {};
	struct rmi_realm_id rid = {};
	struct kvm___rmi *kvm = NULL;
	int vcpu_id = 0;

	if (st && st->vcpu == (__u64)vcpu && st->realm)
		return st;
	if (!st) {
		if (bpf_map_update_elem(&vcpus, &tid, &init, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&vcpus, &tid)) {
			count(RMI_CNT_STATE_FULL);
			return NULL;
		}
		st = bpf_map_lookup_elem(&vcpus, &tid);
		if (!st)
			return NULL;
	}
	if (RD(&kvm, &vcpu->kvm) || RD(&vcpu_id, &vcpu->vcpu_id) ||
	    RD(&st->mpidr, &vcpu->arch.rec.mpidr) || RD(&st->run, &vcpu->arch.rec.run))
		count(RMI_CNT_READ_ERRORS);
	st->vcpu = (__u64)vcpu;
	st->realm = (__u64)kvm;
	st->vcpu_id = vcpu_id;
	st->pid = pid_tgid >> 32;
	/* a realm first met through its vCPU (lifecycle hooks missing or missed) */
	rid.realm = st->realm;
	rid.pid = st->pid;
	if (!bpf_map_lookup_elem(&realms, &rid)) {
		struct rmi_realm_info ri = { .pid = st->pid, .state = RMI_REALM_SEEN };

		bpf_get_current_comm(ri.comm, sizeof(ri.comm));
		bpf_map_update_elem(&realms, &rid, &ri, BPF_NOEXIST);
	}
	return st;
}

static __always_inline void note_layout(struct kvm_vcpu___rmi *vcpu)
{
	__u32 f = RMI_LAYOUT_SEEN;

	if (layout_flags)
		return;
	if (bpf_core_field_exists(vcpu->arch.rec.aux_pages))
		f |= RMI_LAYOUT_AUX_PAGES;
	if (bpf_core_field_exists(vcpu->arch.rec.sro))
		f |= RMI_LAYOUT_SRO;
	if (bpf_core_field_exists(((struct rec_exit___rmi *)0)->gicv3_hcr))
		f |= RMI_LAYOUT_GIC;
	if (bpf_core_field_exists(((struct rec_exit___rmi *)0)->s2ap_base))
		f |= RMI_LAYOUT_S2AP;
	layout_flags = f;
}

/* ---- bodies ----------------------------------------------------------- */

static __always_inline int body_entry(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct vcpu_state *st;
	struct rmi_exit_key key = {};
	struct rmi_exit_val *val;
	__u64 now, host;

	if (filtered(pid_tgid >> 32))
		return 0;
	now = bpf_ktime_get_ns();
	st = bpf_map_lookup_elem(&vcpus, &tid);
	if (!st) {
		/* first entry of a thread not yet bound: REC run time still counts */
		struct vcpu_state init = { .entry_ns = now, .pid = pid_tgid >> 32 };

		bpf_map_update_elem(&vcpus, &tid, &init, BPF_NOEXIST);
		return 0;
	}
	st->entry_ns = now;
	st->has_host = 0;
	if (st->last_exit_ns && st->realm) {
		host = now - st->last_exit_ns;
		st->host_ns = host;
		st->has_host = 1;
		key.realm = st->realm;
		key.pid = st->pid;
		key.vcpu_id = st->vcpu_id;
		key.reason = st->last_reason;
		key.ec = st->last_ec;
		key.status = st->last_status;
		val = lookup_or_init(&exit_stats, &key, &zero_exit);
		if (val) {
			val->host_ns += host;
			val->host_cnt += 1;
			if (host > val->host_max)
				val->host_max = host;
			val->host_hist[log2_slot(host) & (RMI_HIST_SLOTS - 1)] += 1;
		}
	}
	st->last_exit_ns = 0;
	return 0;
}

static __always_inline void psci_open_window(struct vcpu_state *st, __u64 pid_tgid, __u64 now,
					     __u64 fid, __u64 target)
{
	struct rmi_psci_key pk = { .realm = st->realm, .pid = st->pid, .vcpu_id = st->vcpu_id };
	struct rmi_realm_id rid = { .realm = st->realm, .pid = st->pid };
	struct rmi_psci_win w = {
		.fid = fid,
		.target_mpidr = target,
		.caller_mpidr = st->mpidr,
		.opened_ns = now,
		.pid = pid_tgid >> 32,
		.tid = (__u32)pid_tgid,
	};
	struct target_key tk = { .realm = st->realm, .mpidr = target, .pid = st->pid };
	__u32 src = st->vcpu_id;
	struct rmi_psci_val *ps;
	struct rmi_ev_psci *ev;

	bpf_map_update_elem(&psci_open, &pk, &w, BPF_ANY);
	/* AFFINITY_INFO asks about a target but does not start it */
	if (fid == PSCI_CPU_ON_SMC32 || fid == PSCI_CPU_ON_SMC64)
		bpf_map_update_elem(&psci_targets, &tk, &src, BPF_ANY);
	ps = lookup_or_init(&psci_stats, &rid, &zero_psci);
	if (ps)
		ps->opened += 1;
	if (emit_events && (ev = ev_reserve(sizeof(*ev)))) {
		hdr_fill(&ev->h, RMI_EV_PSCI_OPEN, sizeof(*ev), now, st->realm, pid_tgid,
			 st->vcpu_id);
		ev->fid = fid;
		ev->target_mpidr = target;
		ev->caller_mpidr = st->mpidr;
		ev->opened_ns = now;
		ev->status = 0;
		ev->err_rec_enters = 0;
		ev->early_target_entries = 0;
		ev_submit(ev);
	}
}

/*
 * A REC_ENTER refused with RMI_ERROR_REC for a vCPU that is the target of an
 * uncompleted CPU_ON: the host entered the target before PSCI_COMPLETE.
 */
static __always_inline void early_target(struct vcpu_state *st, __u64 pid_tgid, __u64 now)
{
	struct target_key tk = { .realm = st->realm, .mpidr = st->mpidr, .pid = st->pid };
	struct rmi_realm_id rid = { .realm = st->realm, .pid = st->pid };
	struct rmi_psci_key pk = { .realm = st->realm, .pid = st->pid };
	struct rmi_psci_val *ps;
	struct rmi_psci_win *w;
	struct rmi_ev_psci *ev;
	__u32 *src;

	src = bpf_map_lookup_elem(&psci_targets, &tk);
	if (!src)
		return;
	pk.vcpu_id = *src;
	w = bpf_map_lookup_elem(&psci_open, &pk);
	if (!w)
		return;
	__sync_fetch_and_add(&w->early_target_entries, 1);
	ps = lookup_or_init(&psci_stats, &rid, &zero_psci);
	if (ps)
		ps->early_target_entries += 1;
	if (emit_events && (ev = ev_reserve(sizeof(*ev)))) {
		hdr_fill(&ev->h, RMI_EV_PSCI_EARLY, sizeof(*ev), now, st->realm, pid_tgid,
			 pk.vcpu_id);
		ev->fid = w->fid;
		ev->target_mpidr = w->target_mpidr;
		ev->caller_mpidr = w->caller_mpidr;
		ev->opened_ns = w->opened_ns;
		ev->status = 0;
		ev->err_rec_enters = w->err_rec_enters;
		ev->early_target_entries = w->early_target_entries;
		ev_submit(ev);
	}
}

static __always_inline int body_rec_exit(struct kvm_vcpu___rmi *vcpu, __u64 ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct rec_run___rmi *run = NULL;
	struct rmi_ev_rec_exit *ev = NULL;
	struct rmi_exit_key key = {};
	struct rmi_exit_val *val;
	struct vcpu_state *st;
	__u64 now, run_ns = 0, esr = 0, g0 = 0, g1 = 0;
	__u8 reason = RMI_NO_REASON, ec = RMI_NO_EC, flags = 0;
	__u32 status = (__u32)ret;

	if (filtered(pid_tgid >> 32))
		return 0;
	note_layout(vcpu);
	st = bind_vcpu(vcpu, pid_tgid);
	if (!st)
		return 0;
	/*
	 * trace_kvm_exit fires after local_irq_enable(), right before this
	 * function: its clock would add a program (~260 ns) and no precision.
	 */
	now = bpf_ktime_get_ns();
	if (st->entry_ns)
		run_ns = now - st->entry_ns;
	else
		flags |= RMI_EXF_NO_RUN_TIME;
	if (!st->has_host)
		flags |= RMI_EXF_NO_HOST_TIME;

	if (emit_events)
		ev = ev_reserve(sizeof(*ev));
	if (RMI_RETURN_STATUS(status) == RMI_SUCCESS) {
		run = (void *)st->run;
		if (RD(&reason, &run->exit.exit_reason))
			count(RMI_CNT_READ_ERRORS);
		if (reason == RMI_EXIT_SYNC && !RD(&esr, &run->exit.esr))
			ec = (esr >> 26) & 0x3f;
		if (reason == RMI_EXIT_PSCI) {
			RD(&g0, &run->exit.gprs[0]);
			RD(&g1, &run->exit.gprs[1]);
		}
	}

	key.realm = st->realm;
	key.pid = st->pid;
	key.vcpu_id = st->vcpu_id;
	key.reason = reason;
	key.ec = ec;
	key.status = RMI_RETURN_STATUS(status);
	val = lookup_or_init(&exit_stats, &key, &zero_exit);
	if (val) {
		val->count += 1;
		if (!(flags & RMI_EXF_NO_RUN_TIME)) {
			val->run_ns += run_ns;
			val->run_cnt += 1;
			if (run_ns > val->run_max)
				val->run_max = run_ns;
			val->run_hist[log2_slot(run_ns) & (RMI_HIST_SLOTS - 1)] += 1;
		}
	}

	/* REC_ENTER refused because a PSCI request is pending completion */
	if (RMI_RETURN_STATUS(status) == RMI_ERROR_REC) {
		struct rmi_psci_key pk = { .realm = st->realm,
					   .pid = st->pid,
					   .vcpu_id = st->vcpu_id };
		struct rmi_realm_id rid = { .realm = st->realm, .pid = st->pid };
		struct rmi_psci_win *w = bpf_map_lookup_elem(&psci_open, &pk);

		if (w) {
			struct rmi_psci_val *ps = lookup_or_init(&psci_stats, &rid, &zero_psci);

			__sync_fetch_and_add(&w->err_rec_enters, 1);
			if (ps)
				ps->err_rec_enters += 1;
			flags |= RMI_EXF_PSCI_PENDING;
		} else {
			early_target(st, pid_tgid, now);
		}
	}
	if (reason == RMI_EXIT_PSCI && PSCI_NEEDS_COMPLETE(g0))
		psci_open_window(st, pid_tgid, now, RMI_FID_MASK(g0), g1);

	st->last_reason = reason;
	st->last_ec = ec;
	st->last_status = key.status;
	st->last_exit_ns = now;
	st->entry_ns = 0;

	if (!ev)
		return 0;
	hdr_fill(&ev->h, RMI_EV_REC_EXIT, sizeof(*ev), now, st->realm, pid_tgid, st->vcpu_id);
	ev->mpidr = st->mpidr;
	ev->status = status;
	ev->run_ns = run_ns;
	ev->host_ns = st->has_host ? st->host_ns : 0;
	ev->reason = reason;
	ev->ec = ec;
	ev->flags = flags;
	ev->esr = esr;
	ev->far = ev->hpfar = ev->ripas_base = ev->ripas_top = 0;
	ev->gprs[0] = g0;
	ev->gprs[1] = g1;
	ev->gprs[2] = ev->gprs[3] = 0;
	ev->ripas_value = 0;
	ev->imm = 0;
	ev->pad[0] = ev->pad[1] = 0;
	if (run && RMI_RETURN_STATUS(status) == RMI_SUCCESS) {
		switch (reason) {
		case RMI_EXIT_SYNC:
			RD(&ev->far, &run->exit.far);
			RD(&ev->hpfar, &run->exit.hpfar);
			RD(&ev->gprs[0], &run->exit.gprs[0]);
			break;
		case RMI_EXIT_SERROR:
			RD(&ev->esr, &run->exit.esr);
			break;
		case RMI_EXIT_PSCI:
			RD(&ev->gprs[2], &run->exit.gprs[2]);
			RD(&ev->gprs[3], &run->exit.gprs[3]);
			break;
		case RMI_EXIT_RIPAS_CHANGE:
			RD(&ev->ripas_base, &run->exit.ripas_base);
			RD(&ev->ripas_top, &run->exit.ripas_top);
			RD(&ev->ripas_value, &run->exit.ripas_value);
			break;
		case RMI_EXIT_HOST_CALL:
			RD(&ev->imm, &run->exit.imm);
			RD(&ev->gprs[0], &run->exit.gprs[0]);
			RD(&ev->gprs[1], &run->exit.gprs[1]);
			break;
		case RMI_EXIT_S2AP_CHANGE:
			if (bpf_core_field_exists(run->exit.s2ap_base)) {
				RD(&ev->ripas_base, &run->exit.s2ap_base);
				RD(&ev->ripas_top, &run->exit.s2ap_top);
			}
			break;
		}
	}
	ev_submit(ev);
	return 0;
}

static __always_inline int body_psci_complete(struct kvm_vcpu___rmi *source, __u64 status)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct rmi_psci_key pk = {};
	struct rmi_realm_id rid = {};
	struct kvm___rmi *kvm = NULL;
	struct rmi_psci_win *w;
	struct rmi_psci_val *ps;
	struct rmi_ev_psci *ev;
	struct target_key tk;
	int vcpu_id = 0;
	__u64 now, dur;

	if (filtered(pid_tgid >> 32))
		return 0;
	if (RD(&kvm, &source->kvm) || RD(&vcpu_id, &source->vcpu_id)) {
		count(RMI_CNT_READ_ERRORS);
		return 0;
	}
	now = bpf_ktime_get_ns();
	pk.realm = (__u64)kvm;
	pk.pid = pid_tgid >> 32;
	pk.vcpu_id = vcpu_id;
	w = bpf_map_lookup_elem(&psci_open, &pk);
	if (!w)
		return 0; /* opened before we attached */
	dur = now - w->opened_ns;
	rid.realm = pk.realm;
	rid.pid = pk.pid;
	ps = lookup_or_init(&psci_stats, &rid, &zero_psci);
	if (ps) {
		ps->completed += 1;
		ps->dur_ns += dur;
		if (dur > ps->dur_max)
			ps->dur_max = dur;
		ps->hist[log2_slot(dur) & (RMI_HIST_SLOTS - 1)] += 1;
	}
	if (emit_events && (ev = ev_reserve(sizeof(*ev)))) {
		hdr_fill(&ev->h, RMI_EV_PSCI_CLOSE, sizeof(*ev), now, pk.realm, pid_tgid,
			 pk.vcpu_id);
		ev->fid = w->fid;
		ev->target_mpidr = w->target_mpidr;
		ev->caller_mpidr = w->caller_mpidr;
		ev->opened_ns = w->opened_ns;
		ev->status = status;
		ev->err_rec_enters = w->err_rec_enters;
		ev->early_target_entries = w->early_target_entries;
		ev_submit(ev);
	}
	tk.realm = pk.realm;
	tk.mpidr = w->target_mpidr;
	tk.pid = pk.pid;
	tk.pad = 0;
	bpf_map_delete_elem(&psci_targets, &tk);
	bpf_map_delete_elem(&psci_open, &pk);
	return 0;
}

static __always_inline int body_smc_entry(struct arm_smccc_1_2_regs___rmi *args,
					  struct arm_smccc_1_2_regs___rmi *res)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct smc_call c = {};

	if (filtered(pid_tgid >> 32))
		return 0;
	if (RD(&c.fid, &args->a0))
		return 0;
	if (!RMI_FID_IS_RMI(RMI_FID_MASK(c.fid)))
		return 0;
	RD(&c.args[0], &args->a1);
	RD(&c.args[1], &args->a2);
	RD(&c.args[2], &args->a3);
	c.res = (__u64)res;
	c.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&smc_inflight, &tid, &c, BPF_ANY);
	return 0;
}

static __always_inline int body_smc_return(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct arm_smccc_1_2_regs___rmi *res;
	struct rmi_call_key key = {};
	struct rmi_call_val *val;
	struct rmi_ev_rmi_call *ev;
	struct smc_call *c;
	__u64 now, lat, word = 0;

	c = bpf_map_lookup_elem(&smc_inflight, &tid);
	if (!c)
		return 0;
	now = bpf_ktime_get_ns();
	lat = now - c->ts;
	res = (void *)c->res;
	if (RD(&word, &res->a0))
		count(RMI_CNT_READ_ERRORS);
	key.pid = pid_tgid >> 32;
	key.fid = RMI_FID_MASK(c->fid);
	key.result = word & 0xffff;
	val = lookup_or_init(&rmi_stats, &key, &zero_call);
	if (val) {
		val->count += 1;
		val->lat_ns += lat;
		if (lat > val->lat_max)
			val->lat_max = lat;
		val->hist[log2_slot(lat) & (RMI_HIST_SLOTS - 1)] += 1;
	}
	if (emit_events && (ev = ev_reserve(sizeof(*ev)))) {
		struct vcpu_state *st = bpf_map_lookup_elem(&vcpus, &tid);

		hdr_fill(&ev->h, RMI_EV_RMI_CALL, sizeof(*ev), now, st ? st->realm : 0, pid_tgid,
			 st && st->realm ? st->vcpu_id : RMI_NO_VCPU);
		ev->fid = c->fid;
		ev->status = word;
		ev->lat_ns = lat;
		ev->args[0] = c->args[0];
		ev->args[1] = c->args[1];
		ev->args[2] = c->args[2];
		ev_submit(ev);
	}
	bpf_map_delete_elem(&smc_inflight, &tid);
	return 0;
}

/* destroy: drop the per-vCPU and PSCI state of the realm */
static long del_vcpu_of_realm(void *map, __u32 *tid, struct vcpu_state *st,
			      struct rmi_realm_id *realm)
{
	if (st->realm == realm->realm && st->pid == realm->pid)
		bpf_map_delete_elem(map, tid);
	return 0;
}

static long del_win_of_realm(void *map, struct rmi_psci_key *k, struct rmi_psci_win *w,
			     struct rmi_realm_id *realm)
{
	if (k->realm == realm->realm && k->pid == realm->pid)
		bpf_map_delete_elem(map, k);
	return 0;
}

static long del_target_of_realm(void *map, struct target_key *k, __u32 *v,
				struct rmi_realm_id *realm)
{
	if (k->realm == realm->realm && k->pid == realm->pid)
		bpf_map_delete_elem(map, k);
	return 0;
}

static __always_inline int body_realm(struct kvm___rmi *kvm, __u32 op)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct rmi_realm_id realm = { .realm = (__u64)kvm, .pid = pid_tgid >> 32 };
	struct rmi_realm_info init = {}, *ri;
	struct rmi_ev_realm *ev;
	__u64 now;

	if (filtered(pid_tgid >> 32))
		return 0;
	now = bpf_ktime_get_ns();
	ri = bpf_map_lookup_elem(&realms, &realm);
	if (!ri) {
		init.pid = pid_tgid >> 32;
		bpf_get_current_comm(init.comm, sizeof(init.comm));
		bpf_map_update_elem(&realms, &realm, &init, BPF_NOEXIST);
		ri = bpf_map_lookup_elem(&realms, &realm);
		if (!ri)
			return 0;
	}
	switch (op) {
	case RMI_REALM_OP_CREATE:
		ri->state = RMI_REALM_CREATED;
		ri->created_ns = now;
		break;
	case RMI_REALM_OP_ACTIVATE:
		ri->state = RMI_REALM_ACTIVE;
		ri->activated_ns = now;
		break;
	case RMI_REALM_OP_DESTROY:
		ri->state = RMI_REALM_DESTROYED;
		ri->destroyed_ns = now;
		bpf_for_each_map_elem(&vcpus, del_vcpu_of_realm, &realm, 0);
		bpf_for_each_map_elem(&psci_open, del_win_of_realm, &realm, 0);
		bpf_for_each_map_elem(&psci_targets, del_target_of_realm, &realm, 0);
		break;
	}
	if (emit_events && (ev = ev_reserve(sizeof(*ev)))) {
		hdr_fill(&ev->h, RMI_EV_REALM, sizeof(*ev), now, realm.realm, pid_tgid,
			 RMI_NO_VCPU);
		ev->op = op;
		ev->pad = 0;
		bpf_get_current_comm(ev->comm, sizeof(ev->comm));
		ev_submit(ev);
	}
	return 0;
}

/* ---- attach flavours: thin wrappers --------------------------------------
 * kvm_entry: tp_btf on a CCA kernel, a kprobe-type program for the
 * trace_kvm_entry stand-in of a simulated host (attached as a uprobe).
 */
SEC("tp_btf/kvm_entry")
int BPF_PROG(tp_kvm_entry, unsigned long vcpu_pc)
{
	return body_entry();
}

SEC("kprobe")
int BPF_KPROBE(kp_kvm_entry)
{
	return body_entry();
}

SEC("fentry/handle_rec_exit")
int BPF_PROG(fe_rec_exit, struct kvm_vcpu___rmi *vcpu, int rec_run_ret)
{
	return body_rec_exit(vcpu, (__u32)rec_run_ret);
}

SEC("kprobe")
int BPF_KPROBE(kp_rec_exit, struct kvm_vcpu___rmi *vcpu, int rec_run_ret)
{
	return body_rec_exit(vcpu, (__u32)rec_run_ret);
}

SEC("fentry/realm_psci_complete")
int BPF_PROG(fe_psci_complete, struct kvm_vcpu___rmi *source, struct kvm_vcpu___rmi *target,
	     unsigned long status)
{
	return body_psci_complete(source, status);
}

SEC("kprobe")
int BPF_KPROBE(kp_psci_complete, struct kvm_vcpu___rmi *source, struct kvm_vcpu___rmi *target,
	       unsigned long status)
{
	return body_psci_complete(source, status);
}

/* arm_smccc_1_2_smc is assembly: no BTF, so kprobe/kretprobe only */
SEC("kprobe")
int BPF_KPROBE(kp_smc, struct arm_smccc_1_2_regs___rmi *args, struct arm_smccc_1_2_regs___rmi *res)
{
	return body_smc_entry(args, res);
}

SEC("kretprobe")
int BPF_KRETPROBE(krp_smc)
{
	return body_smc_return();
}

/* realm lifecycle: the create target is kvm_init_realm or kvm_init_realm_vm */
SEC("fentry/kvm_init_realm")
int BPF_PROG(fe_realm_create, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_CREATE);
}

SEC("kprobe")
int BPF_KPROBE(kp_realm_create, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_CREATE);
}

SEC("fentry/kvm_activate_realm")
int BPF_PROG(fe_realm_activate, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_ACTIVATE);
}

SEC("kprobe")
int BPF_KPROBE(kp_realm_activate, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_ACTIVATE);
}

SEC("fentry/kvm_destroy_realm")
int BPF_PROG(fe_realm_destroy, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_DESTROY);
}

SEC("kprobe")
int BPF_KPROBE(kp_realm_destroy, struct kvm___rmi *kvm)
{
	return body_realm(kvm, RMI_REALM_OP_DESTROY);
}
