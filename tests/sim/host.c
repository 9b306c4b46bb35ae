// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The KVM side of the simulated CCA host: the functions BPF programs attach
 * to, under the kernel's names and signatures (arch/arm64/kvm/rmi.c and
 * rmi-exit.c of the host series), and the static helpers around them.
 *
 * Every hook is __sim_hook (noinline, noipa, used): a real global symbol,
 * called, with its arguments in the C ABI registers. Ground-truth counters
 * are bumped inside the hooks, so they are what a probe on the hook sees.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1L)
#define RMI_MEASURE_CONTENT 1

static unsigned long rmi(struct arm_smccc_1_2_regs *res, unsigned long fid, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = fid, .a1 = a1, .a2 = a2, .a3 = a3, .a4 = a4, .a5 = a5
	};
	struct arm_smccc_1_2_regs out;

	arm_smccc_1_2_smc(&args, &out);
	if (res)
		*res = out;
	return out.a0;
}

static void rmi_expect(unsigned long ret, unsigned long want, const char *what)
{
	if (ret != want)
		sim_die("%s: RMI status 0x%lx, expected 0x%lx", what, ret, want);
}

static void *page_alloc(void)
{
	void *p = aligned_alloc(RMM_PAGE_SIZE, RMM_PAGE_SIZE);

	if (!p)
		sim_die("out of memory");
	memset(p, 0, RMM_PAGE_SIZE);
	return p;
}

/* ---- granules ------------------------------------------------------------- */

static phys_addr_t host_delegate(struct sim_realm *r, unsigned int n)
{
	phys_addr_t pa = sim_alloc_pa(r, n);
#ifdef SIM_V12
	unsigned int i;

	for (i = 0; i < n; i++)
		rmi_expect(rmi(NULL, SMC_RMI_GRANULE_DELEGATE, pa + i * RMM_PAGE_SIZE, 0, 0, 0, 0),
			   RMI_SUCCESS, "GRANULE_DELEGATE");
#else
	struct arm_smccc_1_2_regs res;
	u64 base = pa, top = pa + n * RMM_PAGE_SIZE;

	while (base < top) {
		rmi_expect(rmi(&res, SMC_RMI_GRANULE_RANGE_DELEGATE, base, top, 0, 0, 0),
			   RMI_SUCCESS, "GRANULE_RANGE_DELEGATE");
		base = res.a1;
	}
#endif
	return pa;
}

static void host_undelegate(phys_addr_t pa, unsigned int n)
{
#ifdef SIM_V12
	unsigned int i;

	for (i = 0; i < n; i++)
		rmi_expect(rmi(NULL, SMC_RMI_GRANULE_UNDELEGATE, pa + i * RMM_PAGE_SIZE, 0, 0, 0,
			       0),
			   RMI_SUCCESS, "GRANULE_UNDELEGATE");
#else
	struct arm_smccc_1_2_regs res;
	u64 base = pa, top = pa + n * RMM_PAGE_SIZE;

	while (base < top) {
		rmi_expect(rmi(&res, SMC_RMI_GRANULE_RANGE_UNDELEGATE, base, top, 0, 0, 0),
			   RMI_SUCCESS, "GRANULE_RANGE_UNDELEGATE");
		base = res.a1;
	}
#endif
}

/* ---- stage 2 (RTTs and data) ---------------------------------------------- */

static void host_track_rtt(struct sim_realm *r, int level, u64 ipa, phys_addr_t pa)
{
	pthread_mutex_lock(&r->lock);
	if (r->nr_rtts == r->cap_rtts) {
		r->cap_rtts = r->cap_rtts ? 2 * r->cap_rtts : 64;
		r->rtts = sim_xrealloc(r->rtts, r->cap_rtts, sizeof(*r->rtts));
	}
	r->rtts[r->nr_rtts++] = (struct sim_rtt){ level, ipa, pa };
	pthread_mutex_unlock(&r->lock);
}

static void host_track_data(struct sim_realm *r, u64 ipa, phys_addr_t pa)
{
	pthread_mutex_lock(&r->lock);
	if (r->nr_data == r->cap_data) {
		r->cap_data = r->cap_data ? 2 * r->cap_data : 256;
		r->data = sim_xrealloc(r->data, r->cap_data, sizeof(*r->data));
	}
	r->data[r->nr_data++] = (struct sim_data){ ipa, pa };
	pthread_mutex_unlock(&r->lock);
}

/* Create the tables below `level` down to max_level for ipa (kvm/rmi.c). */
static int realm_create_rtt_levels(struct sim_realm *r, u64 ipa, int level, int max_level)
{
	while (level++ < max_level) {
		u64 base = ipa & ~(sim_level_size(level - 1) - 1);
		phys_addr_t rtt = host_delegate(r, 1);
		unsigned long ret = rmi(NULL, SMC_RMI_RTT_CREATE, r->rd_phys, rtt, base, level, 0);

		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT &&
		    (int)RMI_RETURN_INDEX(ret) == level - 1) {
			/* the table is already there */
			host_undelegate(rtt, 1);
			continue;
		}
		if (ret != RMI_SUCCESS) {
			host_undelegate(rtt, 1);
			return -ENXIO;
		}
		host_track_rtt(r, level, base, rtt);
	}
	return 0;
}

static unsigned long realm_data_call(struct sim_realm *r, bool init, u64 ipa, phys_addr_t pa)
{
	static u8 src[RMM_PAGE_SIZE] __attribute__((aligned(4096)));

#ifdef SIM_V12
	if (init)
		return rmi(NULL, SMC_RMI_DATA_CREATE, r->rd_phys, pa, ipa, (unsigned long)src,
			   RMI_MEASURE_CONTENT);
	return rmi(NULL, SMC_RMI_DATA_CREATE_UNKNOWN, r->rd_phys, pa, ipa, 0, 0);
#else
	if (init)
		return rmi(NULL, SMC_RMI_RTT_DATA_MAP_INIT, r->rd_phys, pa, ipa, (unsigned long)src,
			   RMI_MEASURE_CONTENT);
	return rmi(NULL, SMC_RMI_RTT_DATA_MAP, r->rd_phys, ipa, pa, 0, 0);
#endif
}

/* Map one protected granule; on RMI_ERROR_RTT create the missing tables and retry. */
static int realm_map_protected(struct sim_realm *r, bool init, u64 ipa, phys_addr_t pa)
{
	unsigned long ret = realm_data_call(r, init, ipa, pa);

	if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
		if (realm_create_rtt_levels(r, ipa, RMI_RETURN_INDEX(ret), RMM_RTT_MAX_LEVEL))
			return -ENXIO;
		ret = realm_data_call(r, init, ipa, pa);
	}
	if (ret != RMI_SUCCESS)
		return -ENXIO;
	host_track_data(r, ipa, pa);
	return 0;
}

/* KVM_ARM_RMI_POPULATE of n granules at ipa */
static void realm_populate(struct sim_realm *r, u64 ipa, unsigned int n)
{
	phys_addr_t pa = host_delegate(r, n);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (realm_map_protected(r, true, ipa + i * RMM_PAGE_SIZE, pa + i * RMM_PAGE_SIZE))
			sim_die("populate: cannot map IPA 0x%llx",
				(unsigned long long)(ipa + i * RMM_PAGE_SIZE));
}

static void realm_init_ripas(struct sim_realm *r, u64 base, u64 top)
{
	struct arm_smccc_1_2_regs res;
	unsigned long ret;
	int tries = 0;

	while (base < top) {
		ret = rmi(&res, SMC_RMI_RTT_INIT_RIPAS, r->rd_phys, base, top, 0, 0);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT && tries++ < 4) {
			if (realm_create_rtt_levels(r, base, RMI_RETURN_INDEX(ret), 2))
				sim_die("RTT_INIT_RIPAS: cannot create tables");
			continue;
		}
		rmi_expect(ret, RMI_SUCCESS, "RTT_INIT_RIPAS");
		base = res.a1;
		tries = 0;
	}
}

/* ---- RECs -------------------------------------------------------------------- */

static void kvm_create_rec(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	struct realm_rec *rec = &sv->vcpu.arch.rec;
	struct rec_params *p = page_alloc();
	unsigned long ret;

	rec->mpidr = sv->idx; /* Aff0; 16 vCPUs at most */
	rec->rec_page = page_alloc();
	rec->run = page_alloc();
	sv->rec_phys = host_delegate(r, 1);

	p->flags = sv->idx == 0 ? REC_PARAMS_FLAG_RUNNABLE : 0;
	p->mpidr = rec->mpidr;
	p->pc = sv->idx == 0 ? SIM_RAM_BASE : 0;
	p->gprs[0] = sv->idx == 0 ? SIM_RAM_BASE + 0x1f0000 : 0; /* DTB */
#ifdef SIM_V12
	for (sv->nr_aux = 0; sv->nr_aux < r->kvm.arch.realm.num_aux; sv->nr_aux++) {
		sv->aux_phys[sv->nr_aux] = host_delegate(r, 1);
		rec->aux_pages[sv->nr_aux] = page_alloc();
		p->aux[sv->nr_aux] = sv->aux_phys[sv->nr_aux];
	}
	p->num_rec_aux = sv->nr_aux;
	ret = rmi(NULL, SMC_RMI_REC_CREATE, r->rd_phys, sv->rec_phys, (unsigned long)p, 0, 0);
#else
	struct rmi_sro_state *sro = sim_xcalloc(1, sizeof(*sro));

	rec->sro = sro;
	sro->fid = SMC_RMI_REC_CREATE;
	ret = rmi(NULL, SMC_RMI_REC_CREATE, r->rd_phys, sv->rec_phys, (unsigned long)p, 0, 0);
	/* rmi_sro_execute(): donate what the RMM asks for, then continue */
	while (RMI_RETURN_STATUS(ret) == RMI_INCOMPLETE) {
		phys_addr_t g;

		switch (RMI_RETURN_MEMREQ(ret)) {
		case RMI_OP_MEM_REQ_DONATE:
			if (sro->nr_donated == sizeof(sro->donated) / sizeof(sro->donated[0]))
				sim_die("REC_CREATE: too many donations");
			g = host_delegate(r, 1);
			sro->donated[sro->nr_donated++] = g;
			ret = rmi(NULL, SMC_RMI_OP_MEM_DONATE, sv->rec_phys, g, 1, 0, 0);
			break;
		case RMI_OP_MEM_REQ_NONE:
			ret = rmi(NULL, SMC_RMI_OP_CONTINUE, sv->rec_phys, 0, 0, 0, 0);
			break;
		default:
			sim_die("REC_CREATE: unexpected memreq in 0x%lx", ret);
		}
	}
	sro->result = ret;
#endif
	rmi_expect(ret, RMI_SUCCESS, "REC_CREATE");
	free(p);
}

static void kvm_destroy_rec(struct sim_vcpu *sv)
{
	unsigned long ret = rmi(NULL, SMC_RMI_REC_DESTROY, sv->rec_phys, 0, 0, 0, 0);
#ifdef SIM_V14
	struct rmi_sro_state *sro = sv->vcpu.arch.rec.sro;
	unsigned int i;

	sro->fid = SMC_RMI_REC_DESTROY;
	while (RMI_RETURN_STATUS(ret) == RMI_INCOMPLETE &&
	       RMI_RETURN_MEMREQ(ret) == RMI_OP_MEM_REQ_RECLAIM)
		ret = rmi(NULL, SMC_RMI_OP_MEM_RECLAIM, sv->rec_phys, 0, 0, 0, 0);
	sro->result = ret;
	rmi_expect(ret, RMI_SUCCESS, "REC_DESTROY");
	for (i = 0; i < sro->nr_donated; i++)
		host_undelegate(sro->donated[i], 1);
	sro->nr_donated = 0;
#else
	unsigned int i;

	rmi_expect(ret, RMI_SUCCESS, "REC_DESTROY");
	for (i = 0; i < sv->nr_aux; i++)
		host_undelegate(sv->aux_phys[i], 1);
#endif
	host_undelegate(sv->rec_phys, 1);
}

/* ---- realm lifecycle hooks ---------------------------------------------------- */

/*
 * In the kernel, VM creation, vCPU finalisation (REC_CREATE) and
 * KVM_ARM_RMI_POPULATE are separate steps; the sim does them all inside
 * the init hook, so everything before REALM_ACTIVATE nests in it.
 */
int __sim_hook sim_kvm_init_realm(struct kvm *kvm)
{
	struct sim_realm *r = to_sim_realm(kvm);
	struct realm *realm = &kvm->arch.realm;
	struct realm_params *params = r->params;
	struct arm_smccc_1_2_regs res;
	unsigned long ret;
	unsigned int n;
	int i;

	r->created++;
	kvm->arch.is_realm = true;
	realm->state = REALM_STATE_NEW;
	realm->params = params;
	realm->ia_bits = SIM_IA_BITS;
#ifdef SIM_V12
	realm->vmid = r->idx + 1;
	params->vmid = realm->vmid;
#endif

	/* kvm_init_rmi(): the ABI version first, then the features */
	ret = rmi(&res, SMC_RMI_VERSION, SIM_RMI_ABI, 0, 0, 0, 0);
	rmi_expect(ret, RMI_SUCCESS, "VERSION");
	rmi(&res, SMC_RMI_FEATURES, 0, 0, 0, 0, 0);

	/* realm_create_rd() */
	params->s2sz = SIM_IA_BITS;
	params->hash_algo = 0; /* SHA-256 */
	params->rtt_level_start = 1;
	params->rtt_num_start = 2;
	realm->rd = page_alloc();
	r->rd_phys = host_delegate(r, 1);
	r->rtt_root_phys = host_delegate(r, params->rtt_num_start);
	params->rtt_base = r->rtt_root_phys;
	ret = rmi(NULL, SMC_RMI_REALM_CREATE, r->rd_phys, (unsigned long)params, 0, 0, 0);
	rmi_expect(ret, RMI_SUCCESS, "REALM_CREATE");
#ifdef SIM_V12
	ret = rmi(&res, SMC_RMI_REC_AUX_COUNT, r->rd_phys, 0, 0, 0, 0);
	rmi_expect(ret, RMI_SUCCESS, "REC_AUX_COUNT");
	realm->num_aux = res.a1;
#endif

	for (i = 0; i < r->nr_vcpus; i++)
		kvm_create_rec(r->vcpus[i]);

	/* guest RAM is RIPAS RAM; then the images the VMM loads (measured) */
	realm_init_ripas(r, SIM_RAM_BASE, SIM_RAM_BASE + SIM_RAM_SIZE);
	n = 8 + sim_rng_below(&r->rng, 17);
	realm_populate(r, SIM_RAM_BASE, n); /* kernel: 0x204 on the first granule */
	/* DTB in the same 2 MiB: tables made up front, both already there (0x104, 0x204) */
	realm_create_rtt_levels(r, SIM_RAM_BASE + 0x1f0000, 1, RMM_RTT_MAX_LEVEL);
	realm_populate(r, SIM_RAM_BASE + 0x1f0000, 1);
	n = 1 + sim_rng_below(&r->rng, 4);
	realm_populate(r, SIM_RAM_BASE + 0x8000000, n); /* initrd: a new level-3 table */
	return 0;
}

int __sim_hook kvm_activate_realm(struct kvm *kvm)
{
	struct sim_realm *r = to_sim_realm(kvm);
	unsigned long ret;

	r->activated++;
	if (kvm->arch.realm.state != REALM_STATE_NEW)
		return -EINVAL;
	ret = rmi(NULL, SMC_RMI_REALM_ACTIVATE, r->rd_phys, 0, 0, 0, 0);
	if (ret != RMI_SUCCESS)
		return -ENXIO;
	kvm->arch.realm.state = REALM_STATE_ACTIVE;
	return 0;
}

static int cmp_data(const void *a, const void *b)
{
	const struct sim_data *x = a, *y = b;

	return x->ipa < y->ipa ? -1 : x->ipa > y->ipa;
}

static int cmp_rtt(const void *a, const void *b)
{
	const struct sim_rtt *x = a, *y = b;

	if (x->level != y->level)
		return y->level - x->level; /* leaves first */
	return x->ipa < y->ipa ? -1 : x->ipa > y->ipa;
}

void __sim_hook kvm_destroy_realm(struct kvm *kvm)
{
	struct sim_realm *r = to_sim_realm(kvm);
	struct arm_smccc_1_2_regs res;
	unsigned long ret;
	size_t i;
	int v;

	r->destroyed++;
	kvm->arch.realm.state = REALM_STATE_DYING;
	for (v = 0; v < r->nr_vcpus; v++)
		kvm_destroy_rec(r->vcpus[v]);

	qsort(r->data, r->nr_data, sizeof(*r->data), cmp_data);
	for (i = 0; i < r->nr_data; i++) {
#ifdef SIM_V12
		ret = rmi(&res, SMC_RMI_DATA_DESTROY, r->rd_phys, r->data[i].ipa, 0, 0, 0);
#else
		ret = rmi(&res, SMC_RMI_RTT_DATA_UNMAP, r->rd_phys, r->data[i].ipa, 0, 0, 0);
#endif
		rmi_expect(ret, RMI_SUCCESS, "data destroy");
		host_undelegate(r->data[i].pa, 1);
	}
	r->nr_data = 0;

	qsort(r->rtts, r->nr_rtts, sizeof(*r->rtts), cmp_rtt);
	for (i = 0; i < r->nr_rtts; i++) {
		ret = rmi(&res, SMC_RMI_RTT_DESTROY, r->rd_phys, r->rtts[i].ipa, r->rtts[i].level,
			  0, 0);
		rmi_expect(ret, RMI_SUCCESS, "RTT_DESTROY");
		host_undelegate(r->rtts[i].pa, 1);
	}
	r->nr_rtts = 0;

	ret = rmi(NULL, SMC_RMI_REALM_DESTROY, r->rd_phys, 0, 0, 0, 0);
	rmi_expect(ret, RMI_SUCCESS, "REALM_DESTROY");
	host_undelegate(r->rd_phys, 1);
	host_undelegate(r->rtt_root_phys, r->params->rtt_num_start);
	kvm->arch.realm.state = REALM_STATE_DEAD;
}

/* ---- PSCI ---------------------------------------------------------------------- */

struct kvm_vcpu *kvm_mpidr_to_vcpu(struct kvm *kvm, unsigned long mpidr)
{
	struct sim_realm *r = to_sim_realm(kvm);
	int i;

	for (i = 0; i < r->nr_vcpus; i++)
		if (r->vcpus[i]->vcpu.arch.rec.mpidr == mpidr)
			return &r->vcpus[i]->vcpu;
	return NULL;
}

/* --stuck: the completion of this request is lost (the fault being simulated) */
static bool sim_psci_complete_lost(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;

	return r->stuck && sv->idx == 0 && sv->host.psci_fid == PSCI_0_2_FN64_CPU_ON &&
	       sv->host.psci_target == r->stuck_mpidr;
}

int __sim_hook realm_psci_complete(struct kvm_vcpu *source, struct kvm_vcpu *target,
				   unsigned long status)
{
	struct sim_vcpu *src = to_sim_vcpu(source), *tgt = to_sim_vcpu(target);
	struct sim_realm *r = src->realm;
	unsigned long ret;

	pthread_mutex_lock(&r->lock);
	if (src->host.open_window >= 0) {
		src->windows[src->host.open_window].completed = true;
		src->windows[src->host.open_window].status = status;
		src->host.open_window = -1;
	}
	pthread_mutex_unlock(&r->lock);

	ret = rmi(NULL, SMC_RMI_PSCI_COMPLETE, src->rec_phys, tgt->rec_phys, status, 0, 0);
	return ret == RMI_SUCCESS ? 0 : -EINVAL;
}

/*
 * Complete the pending CPU_ON / AFFINITY_INFO of sv: in handle_rec_exit on
 * v12 (in-kernel PSCI), in the next kvm_rec_pre_enter on v14. CPU_ON:
 * SUCCESS (also for a target already on), and the target starts running;
 * AFFINITY_INFO: always SUCCESS. Returns false when the completion is lost.
 */
static bool kvm_rec_complete_psci(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	struct kvm_vcpu *target = kvm_mpidr_to_vcpu(&r->kvm, sv->host.psci_target);
	struct sim_vcpu *tsv = target ? to_sim_vcpu(target) : NULL;
	unsigned long status = PSCI_RET_SUCCESS;
	bool cpu_on = sv->host.psci_fid == PSCI_0_2_FN64_CPU_ON;
	bool power_on;

	if (sim_psci_complete_lost(sv))
		return false;
	if (!tsv) {
		status = (unsigned long)PSCI_RET_DENIED;
		tsv = sv;
	}

	pthread_mutex_lock(&r->lock);
	power_on = cpu_on && tsv != sv && !tsv->powered_on;
	/* --early-target: let the target try its REC_ENTER before completing */
	while (power_on && tsv->idx == r->early_vcpu && !tsv->early_done)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);

	if (realm_psci_complete(&sv->vcpu, &tsv->vcpu, status))
		power_on = false;
	sv->vcpu.arch.ctxt.regs.regs[0] = power_on || !cpu_on ? PSCI_RET_SUCCESS :
								(u64)PSCI_RET_ALREADY_ON;
	if (power_on) {
		pthread_mutex_lock(&r->lock);
		tsv->powered_on = true;
		tsv->vcpu.arch.mp_state.mp_state = 0; /* KVM_MP_STATE_RUNNABLE */
		tsv->vcpu.arch.reset_state.pc = sv->vcpu.arch.ctxt.regs.regs[2];
		tsv->vcpu.arch.reset_state.r0 = sv->vcpu.arch.ctxt.regs.regs[3];
		tsv->vcpu.arch.reset_state.reset = true;
		tsv->vcpu.arch.ctxt.regs.pc = tsv->vcpu.arch.reset_state.pc;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
	return true;
}

static int rec_exit_psci(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	struct kvm_vcpu *vcpu = &sv->vcpu;
	struct rec_exit *x = &vcpu->arch.rec.run->exit;
	unsigned long fid = x->gprs[0];
	struct sim_window *w;
	int i;

	for (i = 0; i < REC_RUN_GPRS; i++)
		vcpu->arch.ctxt.regs.regs[i] = x->gprs[i];
	sim_kv_inc(&sv->t.psci_fids, fid);

	switch (fid) {
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		pthread_mutex_lock(&r->lock);
		if (sv->nr_windows == sv->cap_windows) {
			sv->cap_windows = sv->cap_windows ? 2 * sv->cap_windows : 16;
			sv->windows = sim_xrealloc(sv->windows, sv->cap_windows, sizeof(*w));
		}
		w = &sv->windows[sv->nr_windows];
		memset(w, 0, sizeof(*w));
		w->vcpu_id = vcpu->vcpu_id;
		for (i = 0; i < SIM_NR_EXIT_REASONS; i++) /* this exit is counted already */
			w->exit_index += sv->t.exits[i];
		w->exit_index--;
		w->fid = fid;
		w->target_mpidr = x->gprs[1];
		sv->host.open_window = (int)sv->nr_windows++;
		if (fid == PSCI_0_2_FN64_CPU_ON && r->early_vcpu >= 0 &&
		    r->vcpus[r->early_vcpu]->vcpu.arch.rec.mpidr == x->gprs[1]) {
			r->vcpus[r->early_vcpu]->cpu_on_requested = true;
			pthread_cond_broadcast(&r->cond);
		}
		pthread_mutex_unlock(&r->lock);

		sv->host.psci_fid = fid;
		sv->host.psci_target = x->gprs[1];
#ifdef SIM_V12
		kvm_rec_complete_psci(sv); /* kvm_psci_vcpu_on() / affinity_info */
#else
		sv->host.psci_to_complete = true;
#endif
		return 1;
	case PSCI_0_2_FN_CPU_OFF:
		sv->host.power_off = true;
		vcpu->arch.mp_state.mp_state = 5; /* KVM_MP_STATE_STOPPED */
		return 1;
	case PSCI_0_2_FN64_CPU_SUSPEND:
		vcpu->arch.ctxt.regs.regs[0] = PSCI_RET_SUCCESS;
		return 1;
	}
	vcpu->arch.ctxt.regs.regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
	return 1;
}

/* ---- other exits --------------------------------------------------------------- */

static int rec_exit_sync(struct sim_vcpu *sv)
{
	struct kvm_vcpu *vcpu = &sv->vcpu;
	struct rec_run *run = vcpu->arch.rec.run;
	u64 esr = vcpu->arch.fault.esr_el2;
	u64 ipa = ((vcpu->arch.fault.hpfar_el2 & ~HPFAR_EL2_NS) >> 4) << 12;
	unsigned int len;
	u64 val;

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_DABT_LOW:
		ipa |= vcpu->arch.fault.far_el2 & (RMM_PAGE_SIZE - 1);
		if (esr & ESR_ELx_ISV) {
			/* io_mem_abort(): to the VMM; the shared-alias bit is stripped */
			len = 1U << ((esr >> ESR_ELx_SAS_SHIFT) & 3);
			vcpu->run->exit_reason = KVM_EXIT_MMIO;
			vcpu->run->mmio.phys_addr = ipa & ~SIM_UNPROTECTED_BIT;
			vcpu->run->mmio.len = len;
			vcpu->run->mmio.is_write = !!(esr & ESR_ELx_WNR);
			memset(vcpu->run->mmio.data, 0, sizeof(vcpu->run->mmio.data));
			if (esr & ESR_ELx_WNR) {
				val = run->exit.gprs[0];
				memcpy(vcpu->run->mmio.data, &val, len);
				sv->t.mmio_writes++;
			} else {
				sv->t.mmio_reads++;
			}
			return 0;
		}
		/* stage-2 fault on protected memory: map a fresh granule */
		ipa &= ~(RMM_PAGE_SIZE - 1);
		if (realm_map_protected(sv->realm, false, ipa, host_delegate(sv->realm, 1)))
			return -EFAULT;
		return 1;
	case ESR_ELx_EC_WFx:
		return 1;
	case ESR_ELx_EC_SYS64:
		if (esr & ESR_ELx_SYS64_ISS_DIR_READ)
			run->enter.gprs[0] = sim_rng_next(&sv->host.rng) & 0xffff;
		else
			vcpu->arch.ctxt.regs.regs[0] = run->exit.gprs[0];
		return 1;
	}
	return 1;
}

/* Apply [base, top) with RTT_SET_RIPAS / RTT_SET_S2AP, creating tables on ERROR_RTT. */
static bool realm_set_range(struct sim_vcpu *sv, unsigned long fid, u64 base, u64 top)
{
	struct sim_realm *r = sv->realm;
	struct arm_smccc_1_2_regs res;
	unsigned long ret;
	int tries = 0;

	while (base < top) {
		ret = rmi(&res, fid, r->rd_phys, sv->rec_phys, base, top, 0);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT && tries++ < 4) {
			if (realm_create_rtt_levels(r, base, RMI_RETURN_INDEX(ret),
						    RMM_RTT_MAX_LEVEL))
				return false;
			continue;
		}
		if (ret != RMI_SUCCESS)
			return false;
		base = res.a1;
		tries = 0;
	}
	return true;
}

static int rec_exit_ripas_change(struct sim_vcpu *sv)
{
	struct rec_run *run = sv->vcpu.arch.rec.run;

	if (!realm_set_range(sv, SMC_RMI_RTT_SET_RIPAS, run->exit.ripas_base, run->exit.ripas_top))
		run->enter.flags |= REC_ENTER_FLAG_RIPAS_RESPONSE; /* reject */
	return 1;
}

#ifdef SIM_V14
static int rec_exit_s2ap_change(struct sim_vcpu *sv)
{
	struct rec_run *run = sv->vcpu.arch.rec.run;

	if (!realm_set_range(sv, SMC_RMI_RTT_SET_S2AP, run->exit.s2ap_base, run->exit.s2ap_top))
		run->enter.flags |= REC_ENTER_FLAG_S2AP_RESPONSE;
	return 1;
}
#endif

static int rec_exit_host_call(struct sim_vcpu *sv)
{
	struct kvm_vcpu *vcpu = &sv->vcpu;
	struct rec_exit *x = &vcpu->arch.rec.run->exit;
	int i;

	for (i = 0; i < REC_RUN_GPRS; i++)
		vcpu->arch.ctxt.regs.regs[i] = x->gprs[i];
	/* kvm_smccc_call_handler(): nothing implements these calls */
	vcpu->arch.ctxt.regs.regs[0] = x->imm ? (u64)SMCCC_RET_NOT_SUPPORTED : SMCCC_RET_SUCCESS;
	return 1;
}

/* ---- the run-loop hooks -------------------------------------------------------- */

void __sim_hook trace_kvm_entry(unsigned long vcpu_pc)
{
	__asm__ __volatile__("" : : "r"(vcpu_pc) : "memory");
}

void __sim_hook trace_kvm_exit(int ret, unsigned int esr_ec, unsigned long vcpu_pc)
{
	__asm__ __volatile__("" : : "r"(ret), "r"(esr_ec), "r"(vcpu_pc) : "memory");
}

int __sim_hook kvm_rec_pre_enter(struct kvm_vcpu *vcpu)
{
	struct sim_vcpu *sv = to_sim_vcpu(vcpu);
	struct rec_run *run = vcpu->arch.rec.run;
	int i;

	sv->t.pre_enters++;
	if (vcpu->kvm->arch.realm.state != REALM_STATE_ACTIVE)
		return -EINVAL;
	switch (run->exit.exit_reason) {
	case RMI_EXIT_HOST_CALL:
	case RMI_EXIT_PSCI:
		for (i = 0; i < REC_RUN_GPRS; i++)
			run->enter.gprs[i] = vcpu->arch.ctxt.regs.regs[i];
		break;
	}
#ifdef SIM_V14
	if (sv->host.psci_to_complete && kvm_rec_complete_psci(sv))
		sv->host.psci_to_complete = false;
#endif
	return 1;
}

/* RMI_ERROR_REC while a PSCI window is open: as caller, or as CPU_ON target */
static void note_error_rec(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	int i;

	pthread_mutex_lock(&r->lock);
	if (sv->host.open_window >= 0)
		sv->windows[sv->host.open_window].error_rec_enters++;
	for (i = 0; i < r->nr_vcpus; i++) {
		struct sim_vcpu *o = r->vcpus[i];
		struct sim_window *w;

		if (o == sv || o->host.open_window < 0)
			continue;
		w = &o->windows[o->host.open_window];
		if (w->fid == PSCI_0_2_FN64_CPU_ON && w->target_mpidr == sv->vcpu.arch.rec.mpidr)
			w->target_error_rec_enters++;
	}
	pthread_mutex_unlock(&r->lock);
}

int __sim_hook kvm_rec_enter(struct kvm_vcpu *vcpu)
{
	struct sim_vcpu *sv = to_sim_vcpu(vcpu);
	u64 ran, planned;
	unsigned long ret;

	ret = sim_rmm_rec_enter(sv, &ran, &planned);
	sv->t.rec_enters++;
	sim_kv_inc(&sv->t.status, ret);
	sv->t.run_ns_total += ran;
	sv->t.run_ns_planned += planned;
	if (RMI_RETURN_STATUS(ret) == RMI_ERROR_REC)
		note_error_rec(sv);
	return (int)ret;
}

int __sim_hook handle_rec_exit(struct kvm_vcpu *vcpu, int rec_run_ret)
{
	struct sim_vcpu *sv = to_sim_vcpu(vcpu);
	struct rec_run *run = vcpu->arch.rec.run;
	struct rec_exit *x = &run->exit;
	unsigned long status = RMI_RETURN_STATUS((unsigned long)rec_run_ret);

	sv->t.handled++;
	if (status == RMI_ERROR_REALM) {
		vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
		return 0;
	}
#ifdef SIM_V14
	if (status == RMI_ERROR_REC)
		return -EAGAIN;
#endif
	if (status != RMI_SUCCESS)
		return -ENXIO;

	if (x->exit_reason < SIM_NR_EXIT_REASONS)
		sv->t.exits[x->exit_reason]++;
	if (x->exit_reason == RMI_EXIT_SYNC)
		sv->t.esr_ec[ESR_ELx_EC(x->esr)]++;

	vcpu->arch.fault.esr_el2 = x->esr;
	vcpu->arch.fault.far_el2 = x->far;
	vcpu->arch.fault.hpfar_el2 = 0;
	run->enter.flags = 0;

	switch (x->exit_reason) {
	case RMI_EXIT_SYNC:
		/* HPFAR_EL2_NS is hijacked to mean "valid HPFAR" */
		vcpu->arch.fault.hpfar_el2 = x->hpfar | HPFAR_EL2_NS;
		return rec_exit_sync(sv);
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
	case RMI_EXIT_SERROR:
		return 1;
	case RMI_EXIT_PSCI:
		return rec_exit_psci(sv);
	case RMI_EXIT_RIPAS_CHANGE:
		return rec_exit_ripas_change(sv);
	case RMI_EXIT_HOST_CALL:
		return rec_exit_host_call(sv);
#ifdef SIM_V14
	case RMI_EXIT_S2AP_CHANGE:
		return rec_exit_s2ap_change(sv);
#endif
	}
	vcpu->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	return 0;
}

/* KVM_RUN after a KVM_EXIT_MMIO: hand the result to the RMM */
void kvm_handle_mmio_return(struct kvm_vcpu *vcpu)
{
	struct rec_run *run = vcpu->arch.rec.run;
	u64 data = 0;

	if (!vcpu->run->mmio.is_write) {
		memcpy(&data, vcpu->run->mmio.data, vcpu->run->mmio.len);
		run->enter.gprs[0] = data;
	}
	run->enter.flags |= REC_ENTER_FLAG_EMULATED_MMIO;
	vcpu->run->exit_reason = 0;
}
