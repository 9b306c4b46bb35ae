/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The event and map ABI shared by bpf/ and user space (and the record file
 * format, which stores these events as they come off the ring buffer).
 *
 * Versioned: RMI_EVENT_ABI_VERSION changes whenever a layout below changes.
 * Every event starts with struct rmi_ev_hdr; hdr.size is the size of the
 * whole event so a reader can skip types it does not know. Fixed-width
 * types only, naturally aligned, little-endian (arm64 and x86_64).
 */
#ifndef RMI_EVENT_H
#define RMI_EVENT_H

#include <linux/types.h>

#define RMI_EVENT_ABI_VERSION 1

enum rmi_ev_type {
	RMI_EV_REC_EXIT = 1, /* handle_rec_exit: a REC_ENTER returned (exit or error) */
	RMI_EV_RMI_CALL = 2, /* an RMI command completed (arm_smccc_1_2_smc return) */
	RMI_EV_PSCI_OPEN = 3, /* PSCI exit that needs RMI_PSCI_COMPLETE */
	RMI_EV_PSCI_CLOSE = 4, /* realm_psci_complete for an open window */
	RMI_EV_REALM = 5, /* realm lifecycle */
	RMI_EV_PSCI_EARLY = 6, /* a PSCI target REC entered before completion */
	RMI_EV__MAX,
};

#define RMI_NO_VCPU 0xffff
#define RMI_NO_REASON 0xff /* REC_ENTER failed: no exit record */
#define RMI_NO_EC 0xff /* not a SYNC exit */

struct rmi_ev_hdr {
	__u64 ts_ns; /* bpf_ktime_get_ns (CLOCK_MONOTONIC) */
	__u64 realm; /* struct kvm * of the realm, 0 when unknown */
	__u32 pid; /* VMM process (tgid) */
	__u32 tid; /* thread (vCPU thread for REC events) */
	__u16 type; /* enum rmi_ev_type */
	__u16 size; /* bytes of the whole event */
	__u16 vcpu_id; /* RMI_NO_VCPU when not a vCPU event */
	__u16 cpu;
};

/* REC exit flags */
#define RMI_EXF_PSCI_PENDING 0x1 /* a PSCI window of this vCPU was open at REC_ENTER */
#define RMI_EXF_NO_RUN_TIME 0x2 /* kvm_entry not seen: run_ns unknown */
#define RMI_EXF_NO_HOST_TIME 0x4 /* first entry or previous exit not seen */

struct rmi_ev_rec_exit {
	struct rmi_ev_hdr h;
	__u64 mpidr; /* REC MPIDR (vcpu->arch.rec.mpidr) */
	__u64 status; /* REC_ENTER result word (rec_run_ret) */
	__u64 run_ns; /* REC_ENTER -> exit: time in the realm */
	__u64 host_ns; /* previous exit -> this REC_ENTER: host time */
	__u64 esr, far, hpfar; /* SYNC (and SERROR esr) */
	__u64 gprs[4]; /* PSCI: fid, target/arg1, arg2, arg3; HOST_CALL/MMIO: x0..x3 */
	__u64 ripas_base, ripas_top; /* RIPAS_CHANGE; S2AP_CHANGE base/top */
	__u8 reason; /* exit_reason, RMI_NO_REASON when status != 0 */
	__u8 ripas_value;
	__u16 imm; /* HOST_CALL immediate */
	__u8 ec; /* ESR EC for SYNC, RMI_NO_EC otherwise */
	__u8 flags; /* RMI_EXF_* */
	__u8 pad[2];
};

struct rmi_ev_rmi_call {
	struct rmi_ev_hdr h;
	__u64 fid; /* X0 in, SVE hint bit kept as issued */
	__u64 status; /* X0 out: result word */
	__u64 lat_ns;
	__u64 args[3]; /* X1..X3 */
};

struct rmi_ev_psci {
	struct rmi_ev_hdr h; /* vcpu_id: the calling vCPU */
	__u64 fid; /* PSCI function (gprs[0]) */
	__u64 target_mpidr; /* gprs[1] */
	__u64 opened_ns; /* ts of the PSCI exit */
	__u64 status; /* CLOSE: PSCI status passed to PSCI_COMPLETE */
	__u32 err_rec_enters; /* RMI_ERROR_REC entries while open */
	__u32 early_target_entries; /* target entered before completion */
	__u64 caller_mpidr;
};

enum rmi_realm_op {
	RMI_REALM_OP_CREATE = 1,
	RMI_REALM_OP_ACTIVATE = 2,
	RMI_REALM_OP_DESTROY = 3,
};

struct rmi_ev_realm {
	struct rmi_ev_hdr h;
	__u32 op; /* enum rmi_realm_op */
	__u32 pad;
	char comm[16];
};

/* ---- in-kernel aggregation: keys and values of the maps ---------------- */

#define RMI_HIST_SLOTS 32 /* log2(ns): slot k counts [2^(k-1), 2^k) ns; 31 = >= 2^30 ns */

/* exit_stats: per realm, vCPU, reason, ESR class and REC_ENTER status byte */
struct rmi_exit_key {
	__u64 realm;
	__u32 pid;
	__u16 vcpu_id;
	__u8 reason; /* RMI_NO_REASON for a failed REC_ENTER */
	__u8 ec; /* RMI_NO_EC unless SYNC */
	__u8 status; /* REC_ENTER status byte (0 for an exit) */
	__u8 pad[7];
};

struct rmi_exit_val {
	__u64 count;
	__u64 run_ns; /* sum */
	__u64 run_cnt; /* exits with a run time */
	__u64 host_ns; /* sum, attributed to this (previous) exit */
	__u64 host_cnt;
	__u64 run_max, host_max;
	__u32 run_hist[RMI_HIST_SLOTS];
	__u32 host_hist[RMI_HIST_SLOTS];
};

/* rmi_stats: per VMM pid, FID and result (status byte + index byte) */
struct rmi_call_key {
	__u32 pid;
	__u32 fid; /* SVE hint masked */
	__u16 result; /* word & 0xffff: status and index/level */
	__u16 pad[3];
};

struct rmi_call_val {
	__u64 count;
	__u64 lat_ns;
	__u64 lat_max;
	__u32 hist[RMI_HIST_SLOTS];
};

/*
 * A realm is its struct kvm * and its VMM process: kernel pointers are
 * unique, but on a uprobe host every realm process has its own address space.
 */
struct rmi_realm_id {
	__u64 realm;
	__u32 pid;
	__u32 pad;
};

/* psci_open: one open window per calling vCPU */
struct rmi_psci_key {
	__u64 realm;
	__u32 pid;
	__u32 vcpu_id;
};

struct rmi_psci_win {
	__u64 fid;
	__u64 target_mpidr;
	__u64 caller_mpidr;
	__u64 opened_ns;
	__u32 pid;
	__u32 tid;
	__u32 err_rec_enters;
	__u32 early_target_entries;
};

/* psci_stats: per realm (key struct rmi_realm_id) */
struct rmi_psci_val {
	__u64 opened;
	__u64 completed;
	__u64 err_rec_enters;
	__u64 early_target_entries;
	__u64 dur_ns; /* sum over completed windows */
	__u64 dur_max;
	__u32 hist[RMI_HIST_SLOTS];
};

enum rmi_realm_state {
	RMI_REALM_SEEN = 0, /* first seen through a vCPU, lifecycle hooks missed */
	RMI_REALM_CREATED = 1,
	RMI_REALM_ACTIVE = 2,
	RMI_REALM_DESTROYED = 3,
};

/* realms: key struct rmi_realm_id */
struct rmi_realm_info {
	__u32 pid;
	__u32 state; /* enum rmi_realm_state */
	__u64 created_ns;
	__u64 activated_ns;
	__u64 destroyed_ns;
	char comm[16];
};

/* Indices of the per-CPU counters map */
enum rmi_counter {
	RMI_CNT_LOST_EVENTS, /* ring buffer full: events dropped */
	RMI_CNT_READ_ERRORS, /* a probe read of kernel/user memory failed */
	RMI_CNT_STATE_FULL, /* an aggregation map was full */
	RMI_CNT__MAX,
};

#endif
