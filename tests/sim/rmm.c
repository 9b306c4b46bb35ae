// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The simulated RMM and the realm's guest.
 *
 * arm_smccc_1_2_smc() is the RMM for every RMI call except REC_ENTER (which,
 * as in the v12-v14 kernels, goes through an inline SMC in kvm_rec_enter and
 * lands in sim_rmm_rec_enter() here). The RMM keeps just enough state to
 * answer like the specification: RTTs present per level, data granules
 * mapped, per-REC runnable / PSCI-pending / pending RIPAS or S2AP ranges,
 * and stateful operations (v14 REC_CREATE / REC_DESTROY).
 *
 * The guest (one seeded stream per vCPU) decides what each successful
 * REC_ENTER exits with, and fills rec_run.exit the way the RMM would.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "sim.h"

#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define SMCCC_RET_NOT_SUPPORTED (~0UL)

phys_addr_t sim_alloc_pa(struct sim_realm *r, unsigned int granules)
{
	return __atomic_fetch_add(&r->next_pa, (u64)granules * RMM_PAGE_SIZE, __ATOMIC_RELAXED);
}

/* ---- RTT model: tables by (level, IPA of the block they map) --------------- */

static u64 rtt_key(int level, u64 ipa)
{
	return ((u64)level << 56) | (ALIGN_DOWN(ipa, sim_level_size(level - 1)) >> 12);
}

static u64 data_key(u64 ipa)
{
	return (1ULL << 60) | (ipa >> 12);
}

/* The level-1 root (two concatenated tables for a 40-bit IPA) always exists. */
static bool rtt_exists(struct sim_realm *r, int level, u64 ipa)
{
	return level <= 1 || sim_set_has(&r->rmm.rtts, rtt_key(level, ipa));
}

/* deepest level <= max reachable by a table walk for ipa */
static int rtt_walk(struct sim_realm *r, u64 ipa, int max)
{
	int level = 1;

	while (level < max && rtt_exists(r, level + 1, ipa))
		level++;
	return level;
}

static bool ipa_ok(u64 ipa, unsigned long align)
{
	return !(ipa & (align - 1)) && ipa < SIM_UNPROTECTED_BIT;
}

static unsigned long rmm_rtt_create(struct sim_realm *r, u64 ipa, unsigned long level)
{
	int walk;

	if (level < 2 || level > RMM_RTT_MAX_LEVEL || !ipa_ok(ipa, sim_level_size(level - 1)))
		return RMI_ERROR_INPUT;
	walk = rtt_walk(r, ipa, level - 1);
	if (walk < (int)level - 1)
		return RMI_RESULT(RMI_ERROR_RTT, walk);
	if (rtt_exists(r, level, ipa))
		return RMI_RESULT(RMI_ERROR_RTT, level - 1);
	sim_set_add(&r->rmm.rtts, rtt_key(level, ipa));
	return RMI_SUCCESS;
}

static unsigned long rmm_rtt_destroy(struct sim_realm *r, u64 ipa, unsigned long level,
				     struct arm_smccc_1_2_regs *out)
{
	unsigned long step = sim_level_size(level), i;

	if (level < 2 || level > RMM_RTT_MAX_LEVEL || !ipa_ok(ipa, sim_level_size(level - 1)))
		return RMI_ERROR_INPUT;
	if (!rtt_exists(r, level, ipa))
		return RMI_RESULT(RMI_ERROR_RTT, rtt_walk(r, ipa, level - 1));
	/* live: a child table or a data granule under it */
	for (i = 0; i < 512; i++) {
		u64 a = ipa + i * step;

		if (level < RMM_RTT_MAX_LEVEL ? rtt_exists(r, level + 1, a) :
						sim_set_has(&r->rmm.data, data_key(a)))
			return RMI_RESULT(RMI_ERROR_RTT, level);
	}
	sim_set_del(&r->rmm.rtts, rtt_key(level, ipa));
	out->a2 = ipa + sim_level_size(level - 1); /* top */
	return RMI_SUCCESS;
}

static unsigned long rmm_data_map(struct sim_realm *r, u64 ipa)
{
	int walk;

	if (!ipa_ok(ipa, RMM_PAGE_SIZE))
		return RMI_ERROR_INPUT;
	walk = rtt_walk(r, ipa, RMM_RTT_MAX_LEVEL);
	if (walk < RMM_RTT_MAX_LEVEL)
		return RMI_RESULT(RMI_ERROR_RTT, walk);
	if (sim_set_has(&r->rmm.data, data_key(ipa)))
		return RMI_RESULT(RMI_ERROR_RTT, RMM_RTT_MAX_LEVEL);
	sim_set_add(&r->rmm.data, data_key(ipa));
	return RMI_SUCCESS;
}

static unsigned long rmm_data_unmap(struct sim_realm *r, u64 ipa, struct arm_smccc_1_2_regs *out)
{
	int walk;

	if (!ipa_ok(ipa, RMM_PAGE_SIZE))
		return RMI_ERROR_INPUT;
	walk = rtt_walk(r, ipa, RMM_RTT_MAX_LEVEL);
	if (walk < RMM_RTT_MAX_LEVEL)
		return RMI_RESULT(RMI_ERROR_RTT, walk);
	if (!sim_set_del(&r->rmm.data, data_key(ipa)))
		return RMI_RESULT(RMI_ERROR_RTT, RMM_RTT_MAX_LEVEL);
	out->a2 = ipa + RMM_PAGE_SIZE; /* top */
	return RMI_SUCCESS;
}

/* RTT_INIT_RIPAS works on level-2 block entries: needs the level-2 table. */
static unsigned long rmm_init_ripas(struct sim_realm *r, u64 base, u64 top,
				    struct arm_smccc_1_2_regs *out)
{
	int walk;

	if (r->rmm.active)
		return RMI_RESULT(RMI_ERROR_REALM, 0);
	if (!ipa_ok(base, RMM_PAGE_SIZE) || top <= base)
		return RMI_ERROR_INPUT;
	walk = rtt_walk(r, base, 2);
	if (walk < 2)
		return RMI_RESULT(RMI_ERROR_RTT, walk);
	out->a1 = ALIGN_DOWN(base, SIM_SZ_1G) + SIM_SZ_1G;
	if (out->a1 > top)
		out->a1 = top;
	return RMI_SUCCESS;
}

static struct sim_vcpu *rmm_rec(struct sim_realm *r, phys_addr_t pa)
{
	int i;

	for (i = 0; i < r->nr_vcpus; i++)
		if (r->vcpus[i]->rmm.created && r->vcpus[i]->rec_phys == pa)
			return r->vcpus[i];
	return NULL;
}

/*
 * RTT_SET_RIPAS / RTT_SET_S2AP: apply [base, top) of the REC's pending
 * request, up to the end of the current 2 MiB block per call. A level-3
 * table is needed unless the call covers a whole block.
 */
static unsigned long rmm_set_range(struct sim_realm *r, phys_addr_t rec, u64 base, u64 top,
				   enum sim_expect what, struct arm_smccc_1_2_regs *out)
{
	struct sim_vcpu *sv = rmm_rec(r, rec);
	u64 end = ALIGN_DOWN(base, SIM_SZ_2M) + SIM_SZ_2M;
	int walk;

	if (!sv || sv->rmm.expect != what || base != sv->rmm.addr || top > sv->rmm.top ||
	    top <= base)
		return RMI_ERROR_INPUT;
	walk = rtt_walk(r, base, RMM_RTT_MAX_LEVEL);
	if (walk < 2 || (walk == 2 && (base != ALIGN_DOWN(base, SIM_SZ_2M) || top < end)))
		return RMI_RESULT(RMI_ERROR_RTT, walk);
	if (end > top)
		end = top;
	sv->rmm.addr = end;
	out->a1 = end;
	return RMI_SUCCESS;
}

static unsigned long rmm_rec_create(struct sim_realm *r, phys_addr_t rec,
				    const struct rec_params *p)
{
	struct sim_vcpu *sv;

	if (!p || p->mpidr >= (u64)r->nr_vcpus)
		return RMI_ERROR_INPUT;
	sv = r->vcpus[p->mpidr];
	if (sv->rmm.created || sv->rec_phys != rec)
		return RMI_ERROR_INPUT;
#ifdef SIM_V12
	if (p->num_rec_aux != SIM_REC_AUX_COUNT)
		return RMI_ERROR_INPUT;
#endif
	sv->rmm.created = true;
	sv->rmm.runnable = p->flags & REC_PARAMS_FLAG_RUNNABLE;
	sv->rmm.psci_pending = false;
	sv->rmm.expect = SIM_EXPECT_NONE;
#ifdef SIM_V14
	/* REC state granules are donated through the SRO */
	sv->rmm.sro_left = 1 + sim_rng_below(&r->rmm_rng, 2);
	r->rmm.sro = sv;
	return RMI_RESULT(RMI_INCOMPLETE, RMI_OP_MEM_REQ_DONATE);
#else
	return RMI_SUCCESS;
#endif
}

static unsigned long rmm_psci_complete(struct sim_realm *r, phys_addr_t calling, phys_addr_t target,
				       unsigned long status)
{
	struct sim_vcpu *src = rmm_rec(r, calling), *tgt = rmm_rec(r, target);

	if (!src || !src->rmm.psci_pending || !tgt)
		return RMI_ERROR_INPUT;
	if (tgt->vcpu.arch.rec.mpidr != src->rmm.psci_target)
		return RMI_ERROR_INPUT;
	if (status != PSCI_RET_SUCCESS && status != (unsigned long)PSCI_RET_DENIED)
		return RMI_ERROR_INPUT;
	if (src->rmm.psci_fid == PSCI_0_2_FN64_CPU_ON && status == PSCI_RET_SUCCESS)
		tgt->rmm.runnable = true;
	src->rmm.psci_pending = false;
	return RMI_SUCCESS;
}

static bool rmm_recs_left(struct sim_realm *r)
{
	int i;

	for (i = 0; i < r->nr_vcpus; i++)
		if (r->vcpus[i]->rmm.created)
			return true;
	return false;
}

static unsigned long rmm_dispatch(struct sim_realm *r, const struct arm_smccc_1_2_regs *a,
				  struct arm_smccc_1_2_regs *out)
{
	bool rd_ok = r->rmm.created && a->a1 == r->rd_phys;

	switch (a->a0) {
	case SMC_RMI_VERSION:
		out->a1 = SIM_RMI_ABI;
		out->a2 = SIM_RMI_ABI;
		return (a->a1 >> 16) == (SIM_RMI_ABI >> 16) ? RMI_SUCCESS : RMI_ERROR_INPUT;
	case SMC_RMI_FEATURES:
		/* S2SZ 40, no LPA2/SVE, 6 BPs/WPs (minus one: 5), PMU with 8 counters */
		out->a1 = a->a1 ? 0 :
				  (SIM_IA_BITS | (5UL << 14) | (5UL << 20) | (1UL << 26) |
				   (8UL << 27));
		return RMI_SUCCESS;
#ifdef SIM_V12
	case SMC_RMI_GRANULE_DELEGATE:
	case SMC_RMI_GRANULE_UNDELEGATE:
		return a->a1 & (RMM_PAGE_SIZE - 1) ? RMI_ERROR_INPUT : RMI_SUCCESS;
	case SMC_RMI_REC_AUX_COUNT:
		if (!rd_ok)
			return RMI_ERROR_INPUT;
		out->a1 = SIM_REC_AUX_COUNT;
		return RMI_SUCCESS;
	case SMC_RMI_DATA_CREATE: /* rd, data, ipa, src, flags */
	case SMC_RMI_DATA_CREATE_UNKNOWN: /* rd, data, ipa */
		if (!rd_ok || (a->a0 == SMC_RMI_DATA_CREATE && r->rmm.active))
			return rd_ok ? RMI_RESULT(RMI_ERROR_REALM, 0) : RMI_ERROR_INPUT;
		return rmm_data_map(r, a->a3);
	case SMC_RMI_DATA_DESTROY: /* rd, ipa */
		return rd_ok ? rmm_data_unmap(r, a->a2, out) : RMI_ERROR_INPUT;
#else
	case SMC_RMI_GRANULE_RANGE_DELEGATE: /* base, top */
	case SMC_RMI_GRANULE_RANGE_UNDELEGATE:
		if (a->a1 & (RMM_PAGE_SIZE - 1) || a->a2 <= a->a1)
			return RMI_ERROR_INPUT;
		out->a1 = a->a2;
		return RMI_SUCCESS;
	case SMC_RMI_RTT_DATA_MAP_INIT: /* rd, data, ipa, src, flags */
		if (!rd_ok || r->rmm.active)
			return rd_ok ? RMI_RESULT(RMI_ERROR_REALM, 0) : RMI_ERROR_INPUT;
		return rmm_data_map(r, a->a3);
	case SMC_RMI_RTT_DATA_MAP: /* rd, ipa, data */
		return rd_ok ? rmm_data_map(r, a->a2) : RMI_ERROR_INPUT;
	case SMC_RMI_RTT_DATA_UNMAP: /* rd, ipa */
		return rd_ok ? rmm_data_unmap(r, a->a2, out) : RMI_ERROR_INPUT;
	case SMC_RMI_RTT_SET_S2AP: /* rd, rec, base, top */
		if (!rd_ok)
			return RMI_ERROR_INPUT;
		return rmm_set_range(r, a->a2, a->a3, a->a4, SIM_EXPECT_S2AP, out);
	case SMC_RMI_OP_MEM_DONATE: /* handle (REC), granule, count */
		if (!r->rmm.sro || !r->rmm.sro->rmm.sro_left)
			return RMI_ERROR_INPUT;
		if (--r->rmm.sro->rmm.sro_left)
			return RMI_RESULT(RMI_INCOMPLETE, RMI_OP_MEM_REQ_DONATE);
		return RMI_RESULT(RMI_INCOMPLETE, RMI_OP_MEM_REQ_NONE);
	case SMC_RMI_OP_CONTINUE:
		if (!r->rmm.sro)
			return RMI_ERROR_INPUT;
		if (r->rmm.sro->rmm.sro_left)
			return RMI_RESULT(RMI_INCOMPLETE, RMI_OP_MEM_REQ_DONATE);
		r->rmm.sro = NULL;
		return RMI_SUCCESS;
	case SMC_RMI_OP_MEM_RECLAIM:
		if (!r->rmm.sro || r->rmm.sro->rmm.created)
			return RMI_ERROR_INPUT;
		r->rmm.sro = NULL;
		return RMI_SUCCESS;
#endif
	case SMC_RMI_REALM_CREATE: /* rd, params */
		if (r->rmm.created || !a->a1 || !a->a2)
			return RMI_ERROR_INPUT;
		r->rmm.created = true;
		r->rd_phys = a->a1;
		return RMI_SUCCESS;
	case SMC_RMI_REALM_ACTIVATE:
		if (!rd_ok)
			return RMI_ERROR_INPUT;
		if (r->rmm.active)
			return RMI_RESULT(RMI_ERROR_REALM, 0);
		r->rmm.active = true;
		return RMI_SUCCESS;
	case SMC_RMI_REALM_DESTROY:
		if (!rd_ok)
			return RMI_ERROR_INPUT;
		if (rmm_recs_left(r) || r->rmm.rtts.live || r->rmm.data.live)
			return RMI_RESULT(RMI_ERROR_REALM, 0);
		r->rmm.created = false;
		r->rmm.active = false;
		return RMI_SUCCESS;
	case SMC_RMI_REC_CREATE: /* rd, rec, params */
		if (!rd_ok || r->rmm.active)
			return rd_ok ? RMI_RESULT(RMI_ERROR_REALM, 0) : RMI_ERROR_INPUT;
		return rmm_rec_create(r, a->a2, (const struct rec_params *)a->a3);
	case SMC_RMI_REC_DESTROY: { /* rec */
		struct sim_vcpu *sv = rmm_rec(r, a->a1);

		if (!sv)
			return RMI_ERROR_INPUT;
		sv->rmm.created = false;
#ifdef SIM_V14
		r->rmm.sro = sv;
		return RMI_RESULT(RMI_INCOMPLETE, RMI_OP_MEM_REQ_RECLAIM);
#else
		return RMI_SUCCESS;
#endif
	}
	case SMC_RMI_RTT_CREATE: /* rd, rtt, ipa, level */
		return rd_ok ? rmm_rtt_create(r, a->a3, a->a4) : RMI_ERROR_INPUT;
	case SMC_RMI_RTT_DESTROY: /* rd, ipa, level */
		return rd_ok ? rmm_rtt_destroy(r, a->a2, a->a3, out) : RMI_ERROR_INPUT;
	case SMC_RMI_RTT_INIT_RIPAS: /* rd, base, top */
		return rd_ok ? rmm_init_ripas(r, a->a2, a->a3, out) : RMI_ERROR_INPUT;
	case SMC_RMI_RTT_SET_RIPAS: /* rd, rec, base, top */
		if (!rd_ok)
			return RMI_ERROR_INPUT;
		return rmm_set_range(r, a->a2, a->a3, a->a4, SIM_EXPECT_RIPAS, out);
	case SMC_RMI_PSCI_COMPLETE: /* calling rec, target rec, status */
		return rmm_psci_complete(r, a->a1, a->a2, a->a3);
	}
	return SMCCC_RET_NOT_SUPPORTED;
}

static void rmm_count(struct sim_realm *r, unsigned long fid, unsigned long status)
{
	unsigned int i;

	for (i = 0; i < r->nr_rmi; i++) {
		if (r->rmi[i].fid == fid && r->rmi[i].status == status) {
			r->rmi[i].count++;
			return;
		}
	}
	if (r->nr_rmi == sizeof(r->rmi) / sizeof(r->rmi[0]))
		sim_die("too many distinct RMI (fid, status) pairs");
	r->rmi[r->nr_rmi++] = (struct sim_rmi_count){ fid, status, 1 };
}

/*
 * The RMM for every RMI call but REC_ENTER. args->a0 is the FID, res->a0 the
 * status word. Counted here, i.e. exactly what a probe on this symbol sees.
 */
void __sim_hook arm_smccc_1_2_smc(const struct arm_smccc_1_2_regs *args,
				  struct arm_smccc_1_2_regs *res)
{
	struct sim_realm *r = sim_realm;
	struct arm_smccc_1_2_regs in = *args, out;

	memset(&out, 0, sizeof(out));
	pthread_mutex_lock(&r->rmm_lock);
	out.a0 = rmm_dispatch(r, &in, &out);
	rmm_count(r, in.a0, out.a0);
	pthread_mutex_unlock(&r->rmm_lock);
	*res = out;
}

/* ---- the guest: what the next exit of a REC is ------------------------------ */

enum guest_kind {
	G_MMIO_WRITE,
	G_MMIO_READ,
	G_PAGE_FAULT,
	G_WFI,
	G_WFE,
	G_SYSREG,
	G_IRQ,
	G_FIQ,
	G_PSCI_SUSPEND,
	G_PSCI_AFFINITY,
	G_PSCI_CPU_ON_AGAIN,
	G_RIPAS,
	G_HOST_CALL,
	G_SERROR,
	G_S2AP,
	G_NR,
};

static const unsigned int guest_weight[G_NR] = {
	[G_MMIO_WRITE] = 22,
	[G_MMIO_READ] = 14,
	[G_PAGE_FAULT] = 3,
	[G_WFI] = 10,
	[G_WFE] = 3,
	[G_SYSREG] = 6,
	[G_IRQ] = 20,
	[G_FIQ] = 2,
	[G_PSCI_SUSPEND] = 2,
	[G_PSCI_AFFINITY] = 2,
	[G_PSCI_CPU_ON_AGAIN] = 1,
	[G_RIPAS] = 3,
	[G_HOST_CALL] = 5,
	[G_SERROR] = 1,
	[G_S2AP] = 2,
};

static const struct {
	u64 base;
	u64 size;
} guest_mmio[] = {
	{ 0x09000000, 0x1000 }, /* pl011 */
	{ 0x09010000, 0x1000 }, /* pl031 */
	{ 0x0a000000, 0x4000 }, /* virtio-mmio x32 */
};

/* sysreg traps the RMM forwards: ICC_SGI1R_EL1 (write), PMCR_EL0, PMCCNTR_EL0 */
#define SYS_ISS(op0, op1, crn, crm, op2)                                                     \
	(((u64)(op0) << 20) | ((u64)(op2) << 17) | ((u64)(op1) << 14) | ((u64)(crn) << 10) | \
	 ((u64)(crm) << 1))
static const u64 guest_sysreg[] = {
	SYS_ISS(3, 0, 12, 11, 5),
	SYS_ISS(3, 3, 9, 12, 0),
	SYS_ISS(3, 3, 9, 13, 0),
};

static const u16 guest_imm[] = { 0x0, 0x1, 0x10, 0x4321 };

void sim_guest_init(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	const struct sim_opts *o = r->o;

	sim_rng_init(&sv->guest.rng, o->seed, 'G', r->idx, sv->idx);
	sv->guest.mixed_total = o->exits;
	sv->guest.bringup_next = 1;
	sv->guest.stuck_at = -1;
	sv->guest.cval = 0x100000;
	if (sv->idx == 0 && r->stuck) {
		sv->guest.stuck_at =
			o->exits / 2 + (long)sim_rng_below(&sv->guest.rng, o->exits / 4 + 1);
		sv->guest.mixed_total = sv->guest.stuck_at;
	}
}

static bool guest_started_secondary(struct sim_vcpu *sv)
{
	return sv->realm->nr_vcpus > 1 && !(sv->realm->nr_vcpus == 2 && sv->realm->stuck_vcpu == 1);
}

static enum guest_kind guest_pick(struct sim_vcpu *sv, bool last)
{
	struct sim_rng *g = &sv->guest.rng;
	unsigned int w[G_NR], total = 0, k;
	u64 x;

	for (k = 0; k < G_NR; k++) {
		w[k] = guest_weight[k];
		if ((k == G_PSCI_AFFINITY || k == G_PSCI_CPU_ON_AGAIN) && last)
			w[k] = 0; /* a window left open at the end would be a stuck one */
		if (k == G_PSCI_CPU_ON_AGAIN && (sv->idx != 0 || !guest_started_secondary(sv)))
			w[k] = 0;
		if (k == G_PAGE_FAULT && sv->guest.nr_faults >= 0x10000)
			w[k] = 0;
#ifdef SIM_V12
		if (k == G_S2AP)
			w[k] = 0;
#endif
		total += w[k];
	}
	x = sim_rng_below(g, total);
	for (k = 0; k < G_NR; k++) {
		if (x < w[k])
			break;
		x -= w[k];
	}
	return (enum guest_kind)k;
}

static void guest_psci(struct rec_exit *x, unsigned long fid, unsigned long mpidr, u64 ctx)
{
	x->exit_reason = RMI_EXIT_PSCI;
	x->gprs[0] = fid;
	if (fid == PSCI_0_2_FN_CPU_OFF)
		return;
	x->gprs[1] = mpidr; /* CPU_SUSPEND: power_state */
	x->gprs[2] = fid == PSCI_0_2_FN64_AFFINITY_INFO ? 0 : SIM_RAM_BASE + 0x80000;
	x->gprs[3] = fid == PSCI_0_2_FN64_AFFINITY_INFO ? 0 : ctx;
}

static void guest_dabt(struct rec_exit *x, u64 ipa, u64 iss)
{
	x->exit_reason = RMI_EXIT_SYNC;
	x->esr = ((u64)ESR_ELx_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | iss |
		 ESR_ELx_FSC_FAULT_L3;
	x->far = ipa & (RMM_PAGE_SIZE - 1); /* the RMM exposes the page offset only */
	x->hpfar = (ipa >> 12) << 4;
}

static void guest_mixed(struct sim_vcpu *sv, struct rec_exit *x, enum guest_kind k)
{
	struct sim_realm *r = sv->realm;
	struct sim_rng *g = &sv->guest.rng;
	u64 ipa, iss, sas, base, n;

	switch (k) {
	case G_MMIO_WRITE:
	case G_MMIO_READ:
		n = sim_rng_below(g, sizeof(guest_mmio) / sizeof(guest_mmio[0]));
		sas = sim_rng_below(g, 8) ? 2 : 0; /* 32-bit, sometimes a byte */
		ipa = guest_mmio[n].base + sim_rng_below(g, guest_mmio[n].size / 4) * 4;
		iss = ESR_ELx_ISV | (sas << ESR_ELx_SAS_SHIFT) |
		      (k == G_MMIO_WRITE ? ESR_ELx_WNR : 0);
		guest_dabt(x, SIM_UNPROTECTED_BIT | ipa, iss);
		if (k == G_MMIO_WRITE)
			x->gprs[0] = sim_rng_next(g) & (sas ? 0xffffffffUL : 0xffUL);
		break;
	case G_PAGE_FAULT: /* protected IPA not mapped yet */
		ipa = SIM_VCPU_REGION(sv->idx) + 0x20000000 +
		      (sv->guest.nr_faults++ * 0x81000) % 0x10000000;
		guest_dabt(x, ipa | (sim_rng_below(g, 512) * 8),
			   sim_rng_below(g, 2) ? ESR_ELx_WNR : 0);
		break;
	case G_WFI:
	case G_WFE:
		x->exit_reason = RMI_EXIT_SYNC;
		x->esr = ((u64)ESR_ELx_EC_WFx << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | (1UL << 24) |
			 (0xeUL << 20) | (k == G_WFE ? ESR_ELx_WFx_ISS_WFE : 0);
		break;
	case G_SYSREG:
		n = sim_rng_below(g, sizeof(guest_sysreg) / sizeof(guest_sysreg[0]));
		iss = guest_sysreg[n];
		if (n && sim_rng_below(g, 2))
			iss |= ESR_ELx_SYS64_ISS_DIR_READ; /* PMU registers: read or write */
		x->exit_reason = RMI_EXIT_SYNC;
		x->esr = ((u64)ESR_ELx_EC_SYS64 << ESR_ELx_EC_SHIFT) | ESR_ELx_IL | iss;
		if (!(iss & ESR_ELx_SYS64_ISS_DIR_READ))
			x->gprs[0] = n ? sim_rng_next(g) & 0xffff :
					 (1UL << sim_rng_below(g, r->nr_vcpus)) |
						     (sim_rng_below(g, 16) << 24);
		break;
	case G_IRQ:
		x->exit_reason = RMI_EXIT_IRQ;
		break;
	case G_FIQ:
		x->exit_reason = RMI_EXIT_FIQ;
		break;
	case G_SERROR:
		x->exit_reason = RMI_EXIT_SERROR;
		x->esr = ((u64)ESR_ELx_EC_SERROR << ESR_ELx_EC_SHIFT) | ESR_ELx_IL;
		break;
	case G_PSCI_SUSPEND:
		guest_psci(x, PSCI_0_2_FN64_CPU_SUSPEND, 0, sim_rng_next(g));
		break;
	case G_PSCI_AFFINITY:
		guest_psci(x, PSCI_0_2_FN64_AFFINITY_INFO, sim_rng_below(g, r->nr_vcpus), 0);
		break;
	case G_PSCI_CPU_ON_AGAIN: /* a secondary that is already on */
		do
			n = 1 + sim_rng_below(g, r->nr_vcpus - 1);
		while ((int)n == r->stuck_vcpu);
		guest_psci(x, PSCI_0_2_FN64_CPU_ON, n, sim_rng_next(g));
		break;
	case G_RIPAS:
		base = SIM_VCPU_REGION(sv->idx) + (sv->guest.nr_ripas++ % 128) * 0x400000;
		if (sim_rng_below(g, 4)) {
			base += sim_rng_below(g, 512) * RMM_PAGE_SIZE;
			n = sim_rng_range(g, 1, 512);
		} else {
			n = 512; /* a whole 2 MiB block */
		}
		x->exit_reason = RMI_EXIT_RIPAS_CHANGE;
		x->ripas_base = base;
		x->ripas_top = base + n * RMM_PAGE_SIZE;
		x->ripas_value = sim_rng_below(g, 4) ? RMI_RAM : RMI_EMPTY;
		break;
	case G_HOST_CALL:
		x->exit_reason = RMI_EXIT_HOST_CALL;
		x->imm = guest_imm[sim_rng_below(g, sizeof(guest_imm) / sizeof(guest_imm[0]))];
		for (n = 0; n < 7; n++)
			x->gprs[n] = sim_rng_next(g) >> 16;
		break;
	case G_S2AP:
#ifdef SIM_V14
		base = SIM_VCPU_REGION(sv->idx) + 0x30000000 +
		       (sv->guest.nr_s2ap++ % 128) * SIM_SZ_2M +
		       sim_rng_below(g, 256) * RMM_PAGE_SIZE;
		x->exit_reason = RMI_EXIT_S2AP_CHANGE;
		x->s2ap_base = base;
		x->s2ap_top = base + sim_rng_range(g, 1, 256) * RMM_PAGE_SIZE;
#endif
		break;
	case G_NR:
		break;
	}
}

/* Fill the next exit of this REC; returns the time to spend "in the realm". */
static u64 guest_next_exit(struct sim_vcpu *sv, struct rec_exit *x)
{
	struct sim_realm *r = sv->realm;
	struct sim_rng *g = &sv->guest.rng;
	long mean = r->o->run_ns;
	bool last;
	u64 draw;

	memset(x, 0, sizeof(*x));
	sv->guest.cval += 1000 + sim_rng_below(g, 1000);
	x->cntv_ctl = 1; /* ENABLE */
	x->cntv_cval = sv->guest.cval;
#ifdef SIM_V12
	x->gicv3_hcr = 1; /* En */
	x->gicv3_vmcr = 0xf0000001UL;
#endif

	while (sv->idx == 0 && sv->guest.bringup_next < r->nr_vcpus &&
	       sv->guest.bringup_next == r->stuck_vcpu)
		sv->guest.bringup_next++;

	if (sv->idx == 0 && sv->guest.bringup_next < r->nr_vcpus) {
		int t = sv->guest.bringup_next++;

		guest_psci(x, PSCI_0_2_FN64_CPU_ON, r->vcpus[t]->vcpu.arch.rec.mpidr,
			   sim_rng_next(g));
	} else if (sv->guest.mixed_done == sv->guest.stuck_at && !sv->guest.stuck_issued) {
		guest_psci(x, PSCI_0_2_FN64_CPU_ON, r->stuck_mpidr, sim_rng_next(g));
		sv->guest.stuck_issued = true;
		sv->guest.done = true;
	} else {
		last = sv->guest.mixed_done + 1 == sv->guest.mixed_total && sv->guest.stuck_at < 0;
		if (last && sv->idx && !sim_rng_below(g, 4))
			guest_psci(x, PSCI_0_2_FN_CPU_OFF, 0, 0);
		else
			guest_mixed(sv, x, guest_pick(sv, last));
		if (++sv->guest.mixed_done == sv->guest.mixed_total && sv->guest.stuck_at < 0)
			sv->guest.done = true;
	}
	sv->guest.exit_index++;
	/* always drawn, so that --run-ns does not change the exits that follow */
	draw = sim_rng_next(g);
	return mean ? (u64)mean / 2 + (u64)(((__uint128_t)draw * ((u64)mean + 1)) >> 64) : 0;
}

/* What the RMM requires of rec_enter after the previous exit. */
static void rmm_check_response(struct sim_vcpu *sv, const struct rec_enter *e)
{
	bool ok = true;

	switch (sv->rmm.expect) {
	case SIM_EXPECT_NONE:
		break;
	case SIM_EXPECT_MMIO:
		ok = e->flags & REC_ENTER_FLAG_EMULATED_MMIO;
		break;
	case SIM_EXPECT_RIPAS:
		ok = (e->flags & REC_ENTER_FLAG_RIPAS_RESPONSE) || sv->rmm.addr == sv->rmm.top;
		break;
	case SIM_EXPECT_S2AP:
		ok = (e->flags & REC_ENTER_FLAG_S2AP_RESPONSE) || sv->rmm.addr == sv->rmm.top;
		break;
	}
	if (!ok)
		sv->realm->rmm.protocol_errors++;
	sv->rmm.expect = SIM_EXPECT_NONE;
}

static void rmm_exit_state(struct sim_vcpu *sv, const struct rec_exit *x)
{
	switch (x->exit_reason) {
	case RMI_EXIT_SYNC:
		if (ESR_ELx_EC(x->esr) == ESR_ELx_EC_DABT_LOW && (x->esr & ESR_ELx_ISV))
			sv->rmm.expect = SIM_EXPECT_MMIO;
		break;
	case RMI_EXIT_PSCI:
		if (x->gprs[0] == PSCI_0_2_FN64_CPU_ON ||
		    x->gprs[0] == PSCI_0_2_FN64_AFFINITY_INFO) {
			sv->rmm.psci_pending = true;
			sv->rmm.psci_fid = x->gprs[0];
			sv->rmm.psci_target = x->gprs[1];
		} else if (x->gprs[0] == PSCI_0_2_FN_CPU_OFF) {
			sv->rmm.runnable = false;
		}
		break;
	case RMI_EXIT_RIPAS_CHANGE:
		sv->rmm.expect = SIM_EXPECT_RIPAS;
		sv->rmm.addr = x->ripas_base;
		sv->rmm.top = x->ripas_top;
		break;
#ifdef SIM_V14
	case RMI_EXIT_S2AP_CHANGE:
		sv->rmm.expect = SIM_EXPECT_S2AP;
		sv->rmm.addr = x->s2ap_base;
		sv->rmm.top = x->s2ap_top;
		break;
#endif
	}
}

static void spin_ns(u64 ns, u64 *ran)
{
	u64 t0 = sim_now_ns(), t;

	if (!ns) {
		*ran = 0;
		return;
	}
	do {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#elif defined(__aarch64__)
		__asm__ __volatile__("yield");
#endif
		t = sim_now_ns();
	} while (t - t0 < ns);
	*ran = t - t0;
}

unsigned long sim_rmm_rec_enter(struct sim_vcpu *sv, u64 *ran_ns, u64 *planned_ns)
{
	struct sim_realm *r = sv->realm;
	struct rec_run *run = sv->vcpu.arch.rec.run;
	unsigned long ret = RMI_SUCCESS;

	*ran_ns = 0;
	*planned_ns = 0;
	pthread_mutex_lock(&r->rmm_lock);
	if (!r->rmm.active)
		ret = RMI_RESULT(RMI_ERROR_REALM, 0);
	else if (!sv->rmm.created || !sv->rmm.runnable || sv->rmm.psci_pending)
		ret = RMI_ERROR_REC; /* not runnable, or PSCI request pending */
	else
		rmm_check_response(sv, &run->enter);
	pthread_mutex_unlock(&r->rmm_lock);
	if (ret != RMI_SUCCESS)
		return ret;

	*planned_ns = guest_next_exit(sv, &run->exit);

	pthread_mutex_lock(&r->rmm_lock);
	rmm_exit_state(sv, &run->exit);
	pthread_mutex_unlock(&r->rmm_lock);

	spin_ns(*planned_ns, ran_ns);
	return RMI_SUCCESS;
}
