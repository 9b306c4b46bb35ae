/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Simulated CCA host: the state around the kernel objects.
 *
 * One realm = one process (struct sim_realm embeds its struct kvm), one
 * vCPU = one thread (struct sim_vcpu embeds its struct kvm_vcpu). Three
 * actors share that state:
 *   host.c    the KVM host: the hook functions with the kernel's names;
 *   rmm.c     the RMM (arm_smccc_1_2_smc, REC_ENTER) and the realm's guest,
 *             which decides the next exit of each REC;
 *   simhost.c the VMM (run loop, like kvmtool), options, ground truth.
 * Randomness comes from per-realm / per-vCPU streams derived from --seed,
 * and each stream is used by one thread only, so scheduling cannot change
 * any count.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kvm_types.h"
#include "rmi_smc.h"

#ifdef SIM_V12
#define SIM_VARIANT "v12"
#define SIM_RMM_SPEC "1.0"
#define SIM_RMI_ABI RMI_ABI_VERSION(1, 0)
#define SIM_INIT_HOOK "kvm_init_realm_vm"
#else
#define SIM_VARIANT "v14"
#define SIM_RMM_SPEC "2.0-bet1"
#define SIM_RMI_ABI RMI_ABI_VERSION(2, 0)
#define SIM_INIT_HOOK "kvm_init_realm"
#endif

#define SIM_MAX_REALMS 64
#define SIM_MAX_VCPUS 16
#define SIM_MAX_EXITS 10000000L
#define SIM_IA_BITS 40
#define SIM_UNPROTECTED_BIT (1UL << (SIM_IA_BITS - 1))
#define SIM_RAM_BASE 0x80000000UL
#define SIM_RAM_SIZE 0x10000000UL
/* each vCPU works in its own 1 GiB of IPA space so RTT outcomes do not race */
#define SIM_VCPU_REGION(i) (0x100000000UL + (unsigned long)(i)*0x40000000UL)
#define SIM_REC_AUX_COUNT 2
#define SIM_PA_BASE 0x880000000UL

#define SIM_SZ_1G 0x40000000UL
#define SIM_SZ_2M 0x200000UL

/* ---- options and scenario ------------------------------------------------ */

struct sim_opts {
	u64 seed;
	int realms;
	int vcpus;
	long exits;
	long rate; /* exits/s per vCPU, 0 = max */
	long run_ns;
	int stuck;
	bool early_target;
	double hold;
	const char *truth;
	bool quiet;
	bool layout;
	/* realm child (internal) */
	int child; /* realm index, -1 in the parent */
	int result_fd;
	int status_fd;
	const char *name;
};

/* Derived from --seed and the options only, so parent and children agree. */
struct sim_plan {
	bool stuck[SIM_MAX_REALMS];
	int early_realm; /* -1: none */
	int early_vcpu;
};

void sim_plan_scenario(const struct sim_opts *o, struct sim_plan *p);

/* ---- PRNG: splitmix64, one stream per user -------------------------------- */

struct sim_rng {
	u64 s;
};

static inline u64 sim_rng_next(struct sim_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void sim_rng_init(struct sim_rng *r, u64 seed, u64 kind, u64 a, u64 b)
{
	r->s = seed;
	r->s = sim_rng_next(r) ^ (kind * 0xd1342543de82ef95ULL);
	r->s = sim_rng_next(r) ^ (a * 0xaf251af3b0f025b5ULL);
	r->s = sim_rng_next(r) ^ (b * 0xb564ef22ec7aece5ULL);
	sim_rng_next(r);
}

/* uniform in [0, n) */
static inline u64 sim_rng_below(struct sim_rng *r, u64 n)
{
	return n ? (u64)(((__uint128_t)sim_rng_next(r) * n) >> 64) : 0;
}

/* uniform in [lo, hi] */
static inline u64 sim_rng_range(struct sim_rng *r, u64 lo, u64 hi)
{
	return lo + sim_rng_below(r, hi - lo + 1);
}

/* ---- small containers ----------------------------------------------------- */

/* open-addressing set of non-zero u64 keys */
struct sim_set {
	u64 *slot;
	size_t cap;
	size_t used; /* live + tombstones */
	size_t live;
};

bool sim_set_has(const struct sim_set *s, u64 key);
void sim_set_add(struct sim_set *s, u64 key);
bool sim_set_del(struct sim_set *s, u64 key);

/* tiny key -> count map (a handful of keys) */
#define SIM_KV_MAX 16
struct sim_kv {
	unsigned int n;
	u64 key[SIM_KV_MAX];
	u64 val[SIM_KV_MAX];
};

void sim_kv_inc(struct sim_kv *kv, u64 key);

/* ---- ground truth records -------------------------------------------------- */

/* A PSCI exit that needs RMI_PSCI_COMPLETE (CPU_ON, AFFINITY_INFO). */
struct sim_window {
	int vcpu_id;
	u64 exit_index; /* n-th successful exit of the calling vCPU, from 0 */
	unsigned long fid;
	unsigned long target_mpidr;
	bool completed;
	unsigned long status; /* PSCI status given to realm_psci_complete */
	unsigned int error_rec_enters; /* RMI_ERROR_REC of the caller while open */
	unsigned int target_error_rec_enters; /* ... of the target while open */
};

struct sim_rmi_count {
	unsigned long fid;
	unsigned long status;
	u64 count;
};

/* ---- vCPU ------------------------------------------------------------------ */

enum sim_expect {
	SIM_EXPECT_NONE,
	SIM_EXPECT_MMIO, /* emulated MMIO: REC_ENTER must carry EMULATED_MMIO */
	SIM_EXPECT_RIPAS, /* RIPAS change: the whole range must have been applied */
	SIM_EXPECT_S2AP,
};

struct sim_realm;

struct sim_vcpu {
	struct kvm_vcpu vcpu; /* the kernel object the hooks receive */
	struct sim_realm *realm;
	int idx;
	pid_t tid;
	pthread_t thread;
	struct kvm_run *kvm_run;
	phys_addr_t rec_phys;
	phys_addr_t aux_phys[REC_PARAMS_AUX_GRANULES];
	unsigned int nr_aux;

	/* the RMM's REC (realm->rmm_lock) */
	struct {
		bool created;
		bool runnable;
		bool psci_pending;
		unsigned long psci_fid;
		unsigned long psci_target;
		enum sim_expect expect;
		u64 addr; /* RIPAS / S2AP progress */
		u64 top;
		unsigned int sro_left; /* v14: granules still to donate */
	} rmm;

	/* the realm's guest on this vCPU: decides exits (this thread only) */
	struct {
		struct sim_rng rng;
		long mixed_total;
		long mixed_done;
		int bringup_next;
		long stuck_at; /* vCPU 0 of a stuck realm: CPU_ON after this many mixed exits */
		bool stuck_issued;
		bool done;
		u64 exit_index;
		u64 nr_faults;
		u64 nr_ripas;
		u64 nr_s2ap;
		u64 cval;
	} guest;

	/* the KVM host and the VMM (this thread, except the flags below) */
	struct {
		struct sim_rng rng;
		bool psci_to_complete; /* v14: completed in the next kvm_rec_pre_enter */
		unsigned long psci_fid;
		unsigned long psci_target;
		int open_window; /* index into windows[] or -1 */
		bool power_off;
		bool mmio_read;
		unsigned int mmio_len;
	} host;

	/* bring-up handshake (realm->lock, realm->cond) */
	bool cpu_on_requested;
	bool early_done;
	bool powered_on;
	bool finished;

	/* ground truth, counted in the hooks */
	struct {
		u64 pre_enters;
		u64 rec_enters;
		u64 handled;
		struct sim_kv status;
		u64 exits[SIM_NR_EXIT_REASONS];
		u64 esr_ec[64];
		u64 mmio_reads;
		u64 mmio_writes;
		struct sim_kv psci_fids;
		u64 run_ns_total;
		u64 run_ns_planned;
	} t;
	struct sim_window *windows; /* opened by this vCPU (realm->lock) */
	size_t nr_windows;
	size_t cap_windows;
};

static inline struct sim_vcpu *to_sim_vcpu(struct kvm_vcpu *vcpu)
{
	return (struct sim_vcpu *)((char *)vcpu - offsetof(struct sim_vcpu, vcpu));
}

/* ---- realm ----------------------------------------------------------------- */

struct sim_rtt {
	int level;
	u64 ipa;
	phys_addr_t pa;
};

struct sim_data {
	u64 ipa;
	phys_addr_t pa;
};

struct sim_realm {
	struct kvm kvm; /* the kernel object the hooks receive */
	const struct sim_opts *o;
	const struct sim_plan *plan;
	int idx;
	int nr_vcpus;
	struct sim_vcpu **vcpus;
	struct realm_params *params;

	/* scenario for this realm */
	bool stuck;
	int stuck_vcpu; /* never powered on; -1 when the target does not exist */
	unsigned long stuck_mpidr;
	int early_vcpu; /* -1: none */

	/* host side: sync, truth, tables it must tear down */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct sim_rng rng; /* init and teardown (main thread only) */
	phys_addr_t rd_phys;
	phys_addr_t rtt_root_phys;
	struct sim_rtt *rtts;
	size_t nr_rtts;
	size_t cap_rtts;
	struct sim_data *data;
	size_t nr_data;
	size_t cap_data;
	int nr_finished;
	int nr_expected;
	bool teardown;
	u64 created;
	u64 activated;
	u64 destroyed;

	/* the RMM (rmm_lock) */
	pthread_mutex_t rmm_lock;
	struct sim_rng rmm_rng; /* init and teardown only */
	u64 next_pa;
	struct {
		bool created;
		bool active;
		struct sim_set rtts;
		struct sim_set data;
		struct sim_vcpu *sro; /* REC with a stateful operation in flight (v14) */
		u64 protocol_errors;
	} rmm;
	struct sim_rmi_count rmi[256];
	unsigned int nr_rmi;
};

/* the realm of this process (the RMM has no other way to find it) */
extern struct sim_realm *sim_realm;

static inline struct sim_realm *to_sim_realm(struct kvm *kvm)
{
	return (struct sim_realm *)((char *)kvm - offsetof(struct sim_realm, kvm));
}

static inline unsigned long sim_level_size(int level)
{
	return level <= 1 ? SIM_SZ_1G : (level == 2 ? SIM_SZ_2M : RMM_PAGE_SIZE);
}

u64 sim_now_ns(void);
void *sim_xcalloc(size_t n, size_t size);
void *sim_xrealloc(void *p, size_t n, size_t size);
void sim_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- hooks (host.c, rmm.c): exact kernel names and signatures ------------- */

#define __sim_hook __attribute__((noinline, noipa, used))

#ifdef SIM_V12
int kvm_init_realm_vm(struct kvm *kvm);
#define sim_kvm_init_realm kvm_init_realm_vm
#else
int kvm_init_realm(struct kvm *kvm);
#define sim_kvm_init_realm kvm_init_realm
#endif
int kvm_activate_realm(struct kvm *kvm);
void kvm_destroy_realm(struct kvm *kvm);
int kvm_rec_pre_enter(struct kvm_vcpu *vcpu);
int kvm_rec_enter(struct kvm_vcpu *vcpu);
int handle_rec_exit(struct kvm_vcpu *vcpu, int rec_run_ret);
int realm_psci_complete(struct kvm_vcpu *source, struct kvm_vcpu *target, unsigned long status);
void arm_smccc_1_2_smc(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res);
void trace_kvm_entry(unsigned long vcpu_pc);
void trace_kvm_exit(int ret, unsigned int esr_ec, unsigned long vcpu_pc);

/* ---- rmm.c internals used by host.c and simhost.c ------------------------- */

/* RMI_REC_ENTER as the RMM runs it; fills run->exit on success. */
unsigned long sim_rmm_rec_enter(struct sim_vcpu *sv, u64 *ran_ns, u64 *planned_ns);
void sim_guest_init(struct sim_vcpu *sv);
phys_addr_t sim_alloc_pa(struct sim_realm *r, unsigned int granules);

/* host.c internals used by simhost.c */
struct kvm_vcpu *kvm_mpidr_to_vcpu(struct kvm *kvm, unsigned long mpidr);
void kvm_handle_mmio_return(struct kvm_vcpu *vcpu);

#endif
