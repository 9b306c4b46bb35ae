/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel data structures of the simulated CCA host, by their kernel names.
 *
 * struct rec_enter / rec_exit / rec_run, realm, realm_rec, realm_params and
 * arm_smccc_1_2_regs follow the host series (v12: RMM 1.0, v14: RMM
 * 2.0-bet1) field for field, anonymous unions included. struct kvm,
 * kvm_arch, kvm_vcpu and kvm_vcpu_arch keep the members BPF programs reach
 * (vcpu->kvm, vcpu->vcpu_id, vcpu->run, vcpu->arch.ctxt.regs,
 * vcpu->arch.fault, vcpu->arch.rec, kvm->arch.is_realm, kvm->arch.realm,
 * kvm->userspace_pid, kvm->stats_id) in kernel order with a trimmed set of
 * neighbours. The two variants differ on purpose in the offsets of
 * vcpu->vcpu_id, vcpu->arch.rec and kvm->arch.realm (different "config"
 * and series), so a program that does not CO-RE-relocate reads garbage.
 */
#ifndef SIM_KVM_TYPES_H
#define SIM_KVM_TYPES_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#if defined(SIM_V12) == defined(SIM_V14)
#error "build with exactly one of -DSIM_V12 or -DSIM_V14"
#endif

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;
typedef u64 phys_addr_t;
typedef u64 gpa_t;
typedef unsigned int gfp_t;

#define SIM_OFF(type, member, off) \
	_Static_assert(offsetof(type, member) == (off), #type "." #member " offset")
#define SIM_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " size")

/* ---- rec_run: the REC_ENTER run page (asm/rmi_smc.h) --------------------- */

#define REC_RUN_GPRS 31
#define REC_MAX_GIC_NUM_LRS 16

struct rec_enter {
	union { /* 0x000 */
		u64 flags;
		u8 padding0[0x200];
	};
	union { /* 0x200 */
		u64 gprs[REC_RUN_GPRS];
		u8 padding1[0x100];
	};
#ifdef SIM_V12
	union { /* 0x300 */
		struct {
			u64 gicv3_hcr;
			u64 gicv3_lrs[REC_MAX_GIC_NUM_LRS];
		};
		u8 padding2[0x100];
	};
	u8 padding3[0x400];
#else
	u8 padding3[0x500];
#endif
};

struct rec_exit {
	union { /* 0x000 */
		u8 exit_reason;
		u8 padding0[0x100];
	};
	union { /* 0x100 */
		struct {
			u64 esr;
			u64 far;
			u64 hpfar;
#ifdef SIM_V14
			u64 rtt_tree;
#endif
		};
		u8 padding1[0x100];
	};
#ifdef SIM_V12
	union { /* 0x200 */
		u64 gprs[REC_RUN_GPRS];
		u8 padding2[0x100];
	};
	union { /* 0x300 */
		struct {
			u64 gicv3_hcr;
			u64 gicv3_lrs[REC_MAX_GIC_NUM_LRS];
			u64 gicv3_misr;
			u64 gicv3_vmcr;
		};
		u8 padding3[0x100];
	};
#else
	union { /* 0x200, the GIC block at 0x300 is gone in 2.0 */
		u64 gprs[REC_RUN_GPRS];
		u8 padding2[0x200];
	};
#endif
	union { /* 0x400 */
		struct {
			u64 cntp_ctl;
			u64 cntp_cval;
			u64 cntv_ctl;
			u64 cntv_cval;
		};
		u8 padding4[0x100];
	};
	union { /* 0x500 */
		struct {
			u64 ripas_base;
			u64 ripas_top;
			u8 ripas_value;
#ifdef SIM_V14
			u8 padding8[15];
			u64 s2ap_base;
			u64 s2ap_top;
			u64 vdev_id_1;
			u64 vdev_id_2;
			u64 dev_mem_base;
			u64 dev_mem_top;
			u64 dev_mem_pa;
#endif
		};
		u8 padding5[0x100];
	};
	union { /* 0x600 */
		struct {
			u16 imm;
#ifdef SIM_V14
			u8 padding9[6];
			u64 plane;
#endif
		};
		u8 padding6[0x100];
	};
	union { /* 0x700 */
		struct {
			u8 pmu_ovf_status;
#ifdef SIM_V14
			u8 padding10[15];
			u64 vsmmu;
#endif
		};
		u8 padding7[0x100];
	};
};

struct rec_run {
	struct rec_enter enter;
	struct rec_exit exit;
};

SIM_OFF(struct rec_enter, flags, 0x000);
SIM_OFF(struct rec_enter, gprs, 0x200);
#ifdef SIM_V12
SIM_OFF(struct rec_enter, gicv3_hcr, 0x300);
SIM_OFF(struct rec_enter, gicv3_lrs, 0x308);
#endif
SIM_SIZE(struct rec_enter, 0x800);

SIM_OFF(struct rec_exit, exit_reason, 0x000);
SIM_OFF(struct rec_exit, esr, 0x100);
SIM_OFF(struct rec_exit, far, 0x108);
SIM_OFF(struct rec_exit, hpfar, 0x110);
SIM_OFF(struct rec_exit, gprs, 0x200);
#ifdef SIM_V12
SIM_OFF(struct rec_exit, gicv3_hcr, 0x300);
SIM_OFF(struct rec_exit, gicv3_lrs, 0x308);
SIM_OFF(struct rec_exit, gicv3_misr, 0x388);
SIM_OFF(struct rec_exit, gicv3_vmcr, 0x390);
#endif
SIM_OFF(struct rec_exit, cntp_ctl, 0x400);
SIM_OFF(struct rec_exit, cntp_cval, 0x408);
SIM_OFF(struct rec_exit, cntv_ctl, 0x410);
SIM_OFF(struct rec_exit, cntv_cval, 0x418);
SIM_OFF(struct rec_exit, ripas_base, 0x500);
SIM_OFF(struct rec_exit, ripas_top, 0x508);
SIM_OFF(struct rec_exit, ripas_value, 0x510);
SIM_OFF(struct rec_exit, imm, 0x600);
SIM_OFF(struct rec_exit, pmu_ovf_status, 0x700);
#ifdef SIM_V14
SIM_OFF(struct rec_exit, rtt_tree, 0x118);
SIM_OFF(struct rec_exit, s2ap_base, 0x520);
SIM_OFF(struct rec_exit, s2ap_top, 0x528);
SIM_OFF(struct rec_exit, vdev_id_1, 0x530);
SIM_OFF(struct rec_exit, vdev_id_2, 0x538);
SIM_OFF(struct rec_exit, dev_mem_base, 0x540);
SIM_OFF(struct rec_exit, dev_mem_top, 0x548);
SIM_OFF(struct rec_exit, dev_mem_pa, 0x550);
SIM_OFF(struct rec_exit, plane, 0x608);
SIM_OFF(struct rec_exit, vsmmu, 0x710);
#endif
SIM_SIZE(struct rec_exit, 0x800);

SIM_OFF(struct rec_run, enter, 0x000);
SIM_OFF(struct rec_run, exit, 0x800);
SIM_SIZE(struct rec_run, 0x1000);

/* ---- realm_params: REALM_CREATE parameters (one 4 KiB granule) ----------- */

struct realm_params {
	union { /* 0x000 */
		struct {
			u64 flags;
			u64 s2sz;
			u64 sve_vl;
			u64 num_bps;
			u64 num_wps;
			u64 pmu_num_ctrs;
			u64 hash_algo;
#ifdef SIM_V14
			u64 num_aux_planes;
#endif
		};
		u8 padding0[0x400];
	};
	union { /* 0x400 */
		struct {
			u8 rpv[64];
#ifdef SIM_V14
			u64 ats_plane;
#endif
		};
		u8 padding1[0x400];
	};
	union { /* 0x800 */
		struct {
#ifdef SIM_V12
			u64 vmid;
#else
			u64 padding_vmid;
#endif
			u64 rtt_base;
			s64 rtt_level_start;
			u64 rtt_num_start;
#ifdef SIM_V14
			u64 flags1;
			u64 aux_rtt_base[3];
#endif
		};
		u8 padding2[0x800];
	};
};

SIM_OFF(struct realm_params, s2sz, 0x8);
SIM_OFF(struct realm_params, hash_algo, 0x30);
SIM_OFF(struct realm_params, rpv, 0x400);
SIM_OFF(struct realm_params, rtt_base, 0x808);
SIM_OFF(struct realm_params, rtt_level_start, 0x810);
SIM_OFF(struct realm_params, rtt_num_start, 0x818);
#ifdef SIM_V12
SIM_OFF(struct realm_params, vmid, 0x800);
#else
SIM_OFF(struct realm_params, num_aux_planes, 0x38);
SIM_OFF(struct realm_params, ats_plane, 0x440);
SIM_OFF(struct realm_params, flags1, 0x820);
SIM_OFF(struct realm_params, aux_rtt_base, 0x828);
#endif
SIM_SIZE(struct realm_params, 0x1000);

/* ---- rec_params: REC_CREATE parameters (one 4 KiB granule) --------------- */

#define REC_CREATE_NR_GPRS 8
#define REC_PARAMS_AUX_GRANULES 16

struct rec_params {
	union { /* 0x000 */
		u64 flags;
		u8 padding0[0x100];
	};
	union { /* 0x100 */
		u64 mpidr;
		u8 padding1[0x100];
	};
	union { /* 0x200 */
		u64 pc;
		u8 padding2[0x100];
	};
	union { /* 0x300 */
		u64 gprs[REC_CREATE_NR_GPRS];
		u8 padding3[0x500];
	};
	union { /* 0x800, 1.0 only */
		struct {
			u64 num_rec_aux;
			u64 aux[REC_PARAMS_AUX_GRANULES];
		};
		u8 padding4[0x800];
	};
};

SIM_OFF(struct rec_params, mpidr, 0x100);
SIM_OFF(struct rec_params, pc, 0x200);
SIM_OFF(struct rec_params, gprs, 0x300);
SIM_OFF(struct rec_params, num_rec_aux, 0x800);
SIM_OFF(struct rec_params, aux, 0x808);
SIM_SIZE(struct rec_params, 0x1000);

/* ---- realm and REC (asm/kvm_rmi.h) ---------------------------------------- */

enum realm_state {
	REALM_STATE_NONE,
	REALM_STATE_NEW,
	REALM_STATE_ACTIVE,
	REALM_STATE_DYING,
	REALM_STATE_DEAD,
};

struct realm {
	enum realm_state state;
	void *rd;
	struct realm_params *params;
#ifdef SIM_V12
	unsigned long num_aux;
	unsigned int vmid;
#endif
	unsigned int ia_bits;
};

struct page;

#ifdef SIM_V14
/* Stateful RMI operation in flight (arch/arm64/kernel/rmi.c); fields are the sim's own */
struct rmi_sro_state {
	unsigned long fid;
	unsigned long result;
	unsigned int nr_donated;
	phys_addr_t donated[4];
};
#endif

struct realm_rec {
	unsigned long mpidr;
	void *rec_page;
#ifdef SIM_V12
	struct page *aux_pages[REC_PARAMS_AUX_GRANULES];
	struct rec_run *run;
#else
	struct rec_run *run;
	struct rmi_sro_state *sro;
#endif
};

/* ---- include/linux/arm-smccc.h -------------------------------------------- */

struct arm_smccc_1_2_regs {
	unsigned long a0;
	unsigned long a1;
	unsigned long a2;
	unsigned long a3;
	unsigned long a4;
	unsigned long a5;
	unsigned long a6;
	unsigned long a7;
	unsigned long a8;
	unsigned long a9;
	unsigned long a10;
	unsigned long a11;
	unsigned long a12;
	unsigned long a13;
	unsigned long a14;
	unsigned long a15;
	unsigned long a16;
	unsigned long a17;
};

SIM_OFF(struct arm_smccc_1_2_regs, a17, 0x88);

/* ---- kernel basics, trimmed ---------------------------------------------- */

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

typedef struct {
	long counter;
} atomic_long_t;

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

typedef struct spinlock {
	unsigned int val;
} spinlock_t;

typedef struct {
	atomic_t cnts;
	unsigned int wait_lock;
} rwlock_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct mutex {
	atomic_long_t owner;
	spinlock_t wait_lock;
	struct list_head wait_list;
};

struct xarray {
	spinlock_t xa_lock;
	gfp_t xa_flags;
	void *xa_head;
};

struct rcuwait {
	void *task;
};

struct preempt_ops;
struct preempt_notifier {
	struct hlist_node link;
	struct preempt_ops *ops;
};

struct mm_struct;
struct pid;
struct kvm_memslots;
struct kvm_memory_slot;
struct kvm_io_bus;
struct kvm_pgtable;
struct kvm_dirty_gfn;
struct kvm_vcpu;

/* ---- uapi struct kvm_run (generic head and the unions the sim uses) ------- */

#define KVM_EXIT_MMIO 6
#define KVM_EXIT_SHUTDOWN 8
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_SYSTEM_EVENT 24

struct kvm_run {
	__u8 request_interrupt_window;
	__u8 immediate_exit__unsafe;
	__u8 padding1[6];
	__u32 exit_reason;
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;
	__u16 flags;
	__u64 cr8;
	__u64 apic_base;
	union {
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
		} mmio;
		struct {
			__u32 type;
			__u32 ndata;
			__u64 data[16];
		} system_event;
		char padding[256];
	};
};

SIM_OFF(struct kvm_run, exit_reason, 8);
SIM_OFF(struct kvm_run, mmio, 32);

/* ---- struct kvm / kvm_arch ------------------------------------------------ */

#define KVM_MAX_NR_ADDRESS_SPACES 1
#define KVM_NR_BUSES 4
#define KVM_STATS_NAME_SIZE 48
#ifdef SIM_V12
#define NR_ID_REGS 56
#else
#define NR_ID_REGS 64
#define __NR_FGT_GROUP_IDS__ 6
#endif

struct kvm_vmid {
	atomic64_t id;
};

struct kvm_arch;

struct kvm_s2_mmu {
	struct kvm_vmid vmid;
	phys_addr_t pgd_phys;
	struct kvm_pgtable *pgt;
#ifdef SIM_V14
	u64 vtcr;
#endif
	int *last_vcpu_ran;
	struct kvm_arch *arch;
};

struct kvm_arch {
	struct kvm_s2_mmu mmu;
#ifdef SIM_V12
	u64 vtcr;
#else
	u64 fgu[__NR_FGT_GROUP_IDS__];
#endif
	unsigned long flags;
	unsigned long vcpu_features[1];
	u64 id_regs[NR_ID_REGS];
	u64 ctr_el0;
	u64 midr_el1;
	u64 revidr_el1;
	u64 aidr_el1;
	bool is_realm;
	struct realm realm;
};

struct kvm_vm_stat_generic {
	u64 remote_tlb_flush;
	u64 remote_tlb_flush_requests;
};

struct kvm_vm_stat {
	struct kvm_vm_stat_generic generic;
};

struct kvm {
	rwlock_t mmu_lock;
	struct mutex slots_lock;
	struct mutex slots_arch_lock;
	struct mm_struct *mm;
	unsigned long nr_memslot_pages;
	struct kvm_memslots *memslots[KVM_MAX_NR_ADDRESS_SPACES];
	struct xarray vcpu_array;
	atomic_t nr_memslots_dirty_logging;
	spinlock_t mn_invalidate_lock;
	unsigned long mn_active_invalidate_count;
	struct rcuwait mn_memslots_update_rcuwait;
	atomic_t online_vcpus;
	int max_vcpus;
	int created_vcpus;
	int last_boosted_vcpu;
	struct list_head vm_list;
	struct mutex lock;
	struct kvm_io_bus *buses[KVM_NR_BUSES];
	struct kvm_vm_stat stat;
	struct kvm_arch arch;
	refcount_t users_count;
	struct mutex irq_lock;
	struct list_head devices;
	u64 manual_dirty_log_protect;
	pid_t userspace_pid;
	bool override_halt_poll_ns;
	unsigned int max_halt_poll_ns;
	u32 dirty_ring_size;
	bool dirty_ring_with_bitmap;
	bool vm_bugged;
	bool vm_dead;
	char stats_id[KVM_STATS_NAME_SIZE];
};

/* ---- struct kvm_vcpu / kvm_vcpu_arch -------------------------------------- */

struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};

struct user_fpsimd_state {
	__uint128_t vregs[32];
	__u32 fpsr;
	__u32 fpcr;
	__u32 __reserved[2];
};

#ifdef SIM_V12
#define NR_SYS_REGS 180
#else
#define NR_SYS_REGS 236
#endif
#define NR_COPRO_REGS (NR_SYS_REGS * 2)

struct kvm_cpu_context {
	struct user_pt_regs regs; /* sp = sp_el0 */
	u64 spsr_abt;
	u64 spsr_und;
	u64 spsr_irq;
	u64 spsr_fiq;
	struct user_fpsimd_state fp_regs;
	union {
		u64 sys_regs[NR_SYS_REGS];
		u32 copro[NR_COPRO_REGS];
	};
	struct kvm_vcpu *__hyp_running_vcpu;
#ifdef SIM_V14
	u64 *vncr_array;
#endif
};

struct kvm_vcpu_fault_info {
	u64 esr_el2; /* Hyp Syndrom Register */
	u64 far_el2; /* Hyp Fault Address Register */
	u64 hpfar_el2; /* Hyp IPA Fault Address Register */
	u64 disr_el1; /* Deferred [SError] Status Register */
};

#define VGIC_V2_MAX_LRS (1 << 6)
#define VGIC_V3_MAX_LRS 16

struct vgic_v2_cpu_if {
	u32 vgic_hcr;
	u32 vgic_vmcr;
	u32 vgic_apr;
	u32 vgic_lr[VGIC_V2_MAX_LRS];
	unsigned int used_lrs;
};

struct vgic_v3_cpu_if {
	u32 vgic_hcr;
	u32 vgic_vmcr;
	u32 vgic_sre;
	u32 vgic_ap0r[4];
	u32 vgic_ap1r[4];
	u64 vgic_lr[VGIC_V3_MAX_LRS];
	unsigned int used_lrs;
};

struct vgic_cpu {
	union {
		struct vgic_v2_cpu_if vgic_v2;
		struct vgic_v3_cpu_if vgic_v3;
	};
	struct list_head ap_list_head;
	u64 pendbaser;
	atomic_t ctlr;
	u32 num_pri_bits;
	u32 num_id_bits;
};

struct arch_timer_context {
	struct kvm_vcpu *vcpu;
	u64 ns_frac;
	u64 cnt_cval;
	u64 cnt_ctl;
	bool loaded;
	u32 host_timer_irq;
	u32 irq_num;
	bool irq_level;
};

#define NR_KVM_TIMERS 4

struct arch_timer_cpu {
	struct arch_timer_context timers[NR_KVM_TIMERS];
	bool enabled;
};

struct kvm_mp_state {
	__u32 mp_state;
};

struct vcpu_reset_state {
	unsigned long pc;
	unsigned long r0;
	bool be;
	bool reset;
};

enum fp_type {
	FP_STATE_FPSIMD,
	FP_STATE_SVE,
};

struct kvm_vcpu_arch {
	struct kvm_cpu_context ctxt;
	void *sve_state;
	enum fp_type fp_type;
	unsigned int sve_max_vl;
	struct kvm_s2_mmu *hw_mmu;
	u64 hcr_el2;
#ifdef SIM_V14
	u64 hcrx_el2;
#endif
	u64 mdcr_el2;
	struct kvm_vcpu_fault_info fault;
	u8 cflags;
	u8 iflags;
	u8 sflags;
	bool pause;
	struct vgic_cpu vgic_cpu;
	struct arch_timer_cpu timer_cpu;
	struct kvm_mp_state mp_state;
	spinlock_t mp_state_lock;
	struct vcpu_reset_state reset_state;
	struct {
		u64 last_steal;
		gpa_t base;
	} steal;
	u64 *ccsidr;
	struct realm_rec rec; /* last, as in the series */
};

struct kvm_mmio_fragment {
	gpa_t gpa;
	void *data;
	unsigned int len;
};

struct kvm_vcpu_stat_generic {
	u64 halt_successful_poll;
	u64 halt_attempted_poll;
	u64 halt_poll_invalid;
	u64 halt_wakeup;
};

struct kvm_vcpu_stat {
	struct kvm_vcpu_stat_generic generic;
	u64 hvc_exit_stat;
	u64 wfe_exit_stat;
	u64 wfi_exit_stat;
	u64 mmio_exit_user;
	u64 mmio_exit_kernel;
	u64 signal_exits;
	u64 exits;
};

struct kvm_dirty_ring {
	u32 dirty_index;
	u32 reset_index;
	u32 size;
	u32 soft_limit;
	struct kvm_dirty_gfn *dirty_gfns;
	int index;
};

struct kvm_vcpu {
	struct kvm *kvm;
#ifdef SIM_V14
	/* CONFIG_PREEMPT_NOTIFIERS: set in the v14 sim "config" only */
	struct preempt_notifier preempt_notifier;
#endif
	int cpu;
	int vcpu_id; /* id given by userspace at creation */
	int vcpu_idx; /* index into kvm->vcpu_array */
	int ____srcu_idx;
	int mode;
	u64 requests;
	unsigned long guest_debug;
	struct mutex mutex;
	struct kvm_run *run;
	struct rcuwait wait;
	struct pid *pid;
	int sigset_active;
	unsigned int halt_poll_ns;
	bool valid_wakeup;
	int mmio_needed;
	int mmio_read_completed;
	int mmio_is_write;
	int mmio_cur_fragment;
	int mmio_nr_fragments;
	struct kvm_mmio_fragment mmio_fragments[2];
	bool preempted;
	bool ready;
	bool scheduled_out;
	struct kvm_vcpu_arch arch;
	struct kvm_vcpu_stat stat;
	char stats_id[KVM_STATS_NAME_SIZE];
	struct kvm_dirty_ring dirty_ring;
	struct kvm_memory_slot *last_used_slot;
	u64 last_used_slot_gen;
};

/*
 * Pinned here so that a layout change is a conscious decision: tests and
 * docs/SIMHOST.md quote these numbers to show the variants differ.
 */
#ifdef SIM_V12
SIM_OFF(struct kvm_vcpu, vcpu_id, 0xc);
SIM_OFF(struct kvm_vcpu, arch.rec, 0xc38);
SIM_OFF(struct kvm, arch.realm, 0x320);
#else
SIM_OFF(struct kvm_vcpu, vcpu_id, 0x24);
SIM_OFF(struct kvm_vcpu, arch.rec, 0xe20);
SIM_OFF(struct kvm, arch.realm, 0x390);
#endif
SIM_OFF(struct kvm_vcpu_fault_info, hpfar_el2, 0x10);
SIM_OFF(struct realm_rec, mpidr, 0);
SIM_OFF(struct realm_rec, rec_page, 8);
#ifdef SIM_V12
SIM_OFF(struct realm_rec, run, 0x90);
SIM_OFF(struct realm, ia_bits, 0x24);
#else
SIM_OFF(struct realm_rec, run, 0x10);
SIM_OFF(struct realm_rec, sro, 0x18);
SIM_OFF(struct realm, ia_bits, 0x18);
#endif

#endif
