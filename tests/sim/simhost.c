// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * simhost: a simulated Arm CCA host for testing rmitools without RME.
 *
 * The parent plans the scenario from --seed, starts one process per realm
 * (fork + exec of /proc/self/exe with --name realmN, as kvmtool is started
 * with `lkvm run --name NAME`), waits for them and prints the ground truth
 * they hand back through a memfd. A realm process is the VMM: it creates
 * the VM (kvm_init_realm[_vm], kvm_activate_realm), runs one thread per
 * vCPU through kvm_rec_pre_enter / trace_kvm_entry / kvm_rec_enter /
 * trace_kvm_exit / handle_rec_exit, optionally holds, then destroys the
 * realm (kvm_destroy_realm). See docs/SIMHOST.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

struct sim_realm *sim_realm;

static const char *prog = "simhost-" SIM_VARIANT;
static char prog_buf[64];

/* ---- small utilities -------------------------------------------------------- */

void sim_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *sim_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		sim_die("out of memory");
	return p;
}

void *sim_xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		sim_die("out of memory");
	p = realloc(p, n * size);
	if (!p)
		sim_die("out of memory");
	return p;
}

u64 sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

#define SET_TOMB (~0ULL)

static size_t set_slot(const struct sim_set *s, u64 key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (s->cap - 1);
}

bool sim_set_has(const struct sim_set *s, u64 key)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = set_slot(s, key); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == key)
			return true;
	return false;
}

void sim_set_add(struct sim_set *s, u64 key)
{
	size_t i;

	if (sim_set_has(s, key))
		return;
	if (2 * (s->used + 1) > s->cap) {
		struct sim_set n = { .cap = s->cap ? 2 * s->cap : 64 };

		n.slot = sim_xcalloc(n.cap, sizeof(u64));
		for (i = 0; i < s->cap; i++)
			if (s->slot[i] && s->slot[i] != SET_TOMB)
				sim_set_add(&n, s->slot[i]);
		free(s->slot);
		*s = n;
	}
	for (i = set_slot(s, key); s->slot[i] && s->slot[i] != SET_TOMB; i = (i + 1) & (s->cap - 1))
		;
	if (!s->slot[i])
		s->used++;
	s->slot[i] = key;
	s->live++;
}

bool sim_set_del(struct sim_set *s, u64 key)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = set_slot(s, key); s->slot[i]; i = (i + 1) & (s->cap - 1)) {
		if (s->slot[i] == key) {
			s->slot[i] = SET_TOMB;
			s->live--;
			return true;
		}
	}
	return false;
}

void sim_kv_inc(struct sim_kv *kv, u64 key)
{
	unsigned int i;

	for (i = 0; i < kv->n; i++) {
		if (kv->key[i] == key) {
			kv->val[i]++;
			return;
		}
	}
	if (kv->n == SIM_KV_MAX)
		sim_die("too many distinct keys in a counter");
	kv->key[kv->n] = key;
	kv->val[kv->n++] = 1;
}

/* ---- JSON output (pretty, 2 spaces; small maps on one line) ------------------ */

struct jw {
	FILE *f;
	int depth;
	int inline_from; /* depth where one-line output started, 0: none */
	bool key;
	bool first[16];
};

static void jw_nl(struct jw *w)
{
	int i;

	if (w->inline_from && w->depth >= w->inline_from) {
		fputc(' ', w->f);
		return;
	}
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void jw_pre(struct jw *w)
{
	if (w->key) {
		w->key = false;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (w->depth)
		jw_nl(w);
}

static void jw_begin(struct jw *w, char c, bool one_line)
{
	jw_pre(w);
	fputc(c, w->f);
	w->depth++;
	w->first[w->depth] = true;
	if (one_line && !w->inline_from)
		w->inline_from = w->depth;
}

static void jw_end(struct jw *w, char c)
{
	bool one_line = w->inline_from && w->depth >= w->inline_from;

	w->depth--;
	if (!w->first[w->depth + 1]) {
		if (one_line)
			fputc(' ', w->f);
		else
			jw_nl(w);
	}
	fputc(c, w->f);
	if (w->inline_from == w->depth + 1)
		w->inline_from = 0;
}

static void jw_key(struct jw *w, const char *k)
{
	jw_pre(w);
	fprintf(w->f, "\"%s\": ", k);
	w->key = true;
}

static void jw_u64(struct jw *w, const char *k, u64 v)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

static void jw_s64(struct jw *w, const char *k, long long v)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fprintf(w->f, "%lld", v);
}

static void jw_hex(struct jw *w, const char *k, u64 v)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fprintf(w->f, "\"0x%llx\"", (unsigned long long)v);
}

static void jw_str(struct jw *w, const char *k, const char *s)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fputc('"', w->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', w->f);
		if ((unsigned char)*s < 0x20)
			fprintf(w->f, "\\u%04x", *s);
		else
			fputc(*s, w->f);
	}
	fputc('"', w->f);
}

static void jw_bool(struct jw *w, const char *k, bool v)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fputs(v ? "true" : "false", w->f);
}

static void jw_null(struct jw *w, const char *k)
{
	if (k)
		jw_key(w, k);
	jw_pre(w);
	fputs("null", w->f);
}

/* ---- options ----------------------------------------------------------------- */

enum {
	OPT_SEED = 256,
	OPT_REALMS,
	OPT_VCPUS,
	OPT_EXITS,
	OPT_RATE,
	OPT_RUN_NS,
	OPT_STUCK,
	OPT_EARLY,
	OPT_HOLD,
	OPT_TRUTH,
	OPT_QUIET,
	OPT_LAYOUT,
	OPT_CHILD,
	OPT_NAME,
	OPT_RESULT_FD,
	OPT_STATUS_FD,
};

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "realms", required_argument, NULL, OPT_REALMS },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "exits", required_argument, NULL, OPT_EXITS },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "run-ns", required_argument, NULL, OPT_RUN_NS },
	{ "stuck", required_argument, NULL, OPT_STUCK },
	{ "early-target", no_argument, NULL, OPT_EARLY },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "truth", required_argument, NULL, OPT_TRUTH },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "layout", no_argument, NULL, OPT_LAYOUT },
	{ "help", no_argument, NULL, 'h' },
	{ "realm-child", required_argument, NULL, OPT_CHILD },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "result-fd", required_argument, NULL, OPT_RESULT_FD },
	{ "status-fd", required_argument, NULL, OPT_STATUS_FD },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"Simulated Arm CCA host (host series %s, RMM %s) for testing rmitools with uprobes.\n"
		"Runs seeded realms (one process each, one thread per vCPU) through the host\n"
		"kernel's hook functions and prints the ground truth as JSON.\n"
		"\n"
		"  --seed N          PRNG seed (default 1)\n"
		"  --realms N        realms, 1..%d (default 3)\n"
		"  --vcpus N         vCPUs per realm, 1..%d (default 4)\n"
		"  --exits N         successful REC exits per vCPU, 1..%ld (default 200)\n"
		"  --rate N|max      target exits/s per vCPU (default 20000; max: no pacing)\n"
		"  --run-ns N        mean time inside kvm_rec_enter in ns (default 2000; 0: none)\n"
		"  --stuck N         realms whose vCPU 0 issues a CPU_ON that is never\n"
		"                    completed (default 0)\n"
		"  --early-target    enter one CPU_ON target before its PSCI_COMPLETE\n"
		"  --hold SEC        after the run keep every realm process alive, realm not\n"
		"                    destroyed, for SEC seconds (SIGTERM ends it early)\n"
		"  --truth FILE      write the ground truth to FILE instead of stdout\n"
		"  --quiet           no progress messages on stderr\n"
		"  --layout          print this variant's struct offsets as JSON and exit\n"
		"  -h, --help        show this help\n"
		"\n"
		"Internal, for realm processes: --realm-child N --name NAME --result-fd FD\n"
		"--status-fd FD. Exit status: 0 ok, 1 failure, 2 bad usage.\n",
		prog, SIM_VARIANT, SIM_RMM_SPEC, SIM_MAX_REALMS, SIM_MAX_VCPUS, SIM_MAX_EXITS);
}

static void __attribute__((noreturn)) bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	exit(2);
}

static long long parse_num(const char *name, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		bad_usage("--%s: '%s' is not a number in %lld..%lld", name, s, min, max);
	return v;
}

static void parse_opts(int argc, char **argv, struct sim_opts *o)
{
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->realms = 3;
	o->vcpus = 4;
	o->exits = 200;
	o->rate = 20000;
	o->run_ns = 2000;
	o->child = -1;
	o->result_fd = -1;
	o->status_fd = -1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || *optarg == '-')
				bad_usage("--seed: '%s' is not an unsigned 64-bit number", optarg);
			break;
		case OPT_REALMS:
			o->realms = (int)parse_num("realms", optarg, 1, SIM_MAX_REALMS);
			break;
		case OPT_VCPUS:
			o->vcpus = (int)parse_num("vcpus", optarg, 1, SIM_MAX_VCPUS);
			break;
		case OPT_EXITS:
			o->exits = (long)parse_num("exits", optarg, 1, SIM_MAX_EXITS);
			break;
		case OPT_RATE:
			o->rate = strcmp(optarg, "max") ?
					  (long)parse_num("rate", optarg, 1, 1000000000) :
					  0;
			break;
		case OPT_RUN_NS:
			o->run_ns = (long)parse_num("run-ns", optarg, 0, 1000000000);
			break;
		case OPT_STUCK:
			o->stuck = (int)parse_num("stuck", optarg, 0, SIM_MAX_REALMS);
			break;
		case OPT_EARLY:
			o->early_target = true;
			break;
		case OPT_HOLD:
			errno = 0;
			o->hold = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->hold >= 0 && o->hold <= 86400))
				bad_usage("--hold: '%s' is not a number of seconds in 0..86400",
					  optarg);
			break;
		case OPT_TRUTH:
			o->truth = optarg;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_LAYOUT:
			o->layout = true;
			break;
		case OPT_CHILD:
			o->child = (int)parse_num("realm-child", optarg, 0, SIM_MAX_REALMS - 1);
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_RESULT_FD:
			o->result_fd = (int)parse_num("result-fd", optarg, 0, INT_MAX);
			break;
		case OPT_STATUS_FD:
			o->status_fd = (int)parse_num("status-fd", optarg, 0, INT_MAX);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			bad_usage("%s needs an argument", argv[optind - 1]);
		default:
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (o->stuck > o->realms)
		bad_usage("--stuck %d is more than --realms %d", o->stuck, o->realms);
	if (o->child < 0 && (o->name || o->result_fd >= 0 || o->status_fd >= 0))
		bad_usage("--name, --result-fd and --status-fd are for realm processes only");
	if (o->child >= 0 && (o->child >= o->realms || o->result_fd < 0 || o->status_fd < 0))
		bad_usage(
			"--realm-child needs --result-fd, --status-fd and an index below --realms");
}

/* ---- scenario ----------------------------------------------------------------- */

void sim_plan_scenario(const struct sim_opts *o, struct sim_plan *p)
{
	struct sim_rng g;
	int order[SIM_MAX_REALMS], cand[SIM_MAX_REALMS];
	int i, j, t, n = 0;

	memset(p, 0, sizeof(*p));
	sim_rng_init(&g, o->seed, 'P', 0, 0);
	for (i = 0; i < o->realms; i++)
		order[i] = i;
	for (i = 0; i < o->stuck; i++) { /* partial Fisher-Yates: N distinct realms */
		j = i + (int)sim_rng_below(&g, o->realms - i);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
		p->stuck[order[i]] = true;
	}

	p->early_realm = -1;
	p->early_vcpu = -1;
	if (!o->early_target)
		return;
	/* a realm with a secondary that is not the stuck CPU_ON target */
	for (i = 0; i < o->realms; i++)
		if (o->vcpus - 1 - (p->stuck[i] ? 1 : 0) > 0)
			cand[n++] = i;
	if (!n)
		return;
	p->early_realm = cand[sim_rng_below(&g, n)];
	p->early_vcpu =
		1 + (int)sim_rng_below(&g, o->vcpus - 1 - (p->stuck[p->early_realm] ? 1 : 0));
}

/* ---- the realm process: VMM ---------------------------------------------------- */

static struct sim_realm *realm_setup(const struct sim_opts *o, const struct sim_plan *p)
{
	struct sim_realm *r = sim_xcalloc(1, sizeof(*r));
	struct kvm *kvm = &r->kvm;
	int i;

	r->o = o;
	r->plan = p;
	r->idx = o->child;
	r->nr_vcpus = o->vcpus;
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->rmm_lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	sim_rng_init(&r->rng, o->seed, 'R', r->idx, 0);
	sim_rng_init(&r->rmm_rng, o->seed, 'M', r->idx, 0);
	r->next_pa = SIM_PA_BASE;
	r->params = aligned_alloc(RMM_PAGE_SIZE, sizeof(*r->params));
	if (!r->params)
		sim_die("out of memory");
	memset(r->params, 0, sizeof(*r->params));

	r->stuck = p->stuck[r->idx];
	r->stuck_vcpu = r->stuck && o->vcpus > 1 ? o->vcpus - 1 : -1;
	r->stuck_mpidr = r->stuck ? (o->vcpus > 1 ? (unsigned long)o->vcpus - 1 : 1) : ~0UL;
	r->early_vcpu = p->early_realm == r->idx ? p->early_vcpu : -1;
	r->nr_expected = o->vcpus - (r->stuck_vcpu >= 0 ? 1 : 0);

	kvm->userspace_pid = getpid();
	snprintf(kvm->stats_id, sizeof(kvm->stats_id), "kvm-%d", (int)getpid());
	kvm->max_vcpus = SIM_MAX_VCPUS;
	kvm->created_vcpus = o->vcpus;
	kvm->online_vcpus.counter = o->vcpus;
	kvm->users_count.refs.counter = 1;
	kvm->arch.mmu.arch = &kvm->arch;
	kvm->arch.mmu.pgd_phys = SIM_PA_BASE - RMM_PAGE_SIZE;

	r->vcpus = sim_xcalloc(o->vcpus, sizeof(*r->vcpus));
	kvm->vcpu_array.xa_head = r->vcpus;
	for (i = 0; i < o->vcpus; i++) {
		struct sim_vcpu *sv = sim_xcalloc(1, sizeof(*sv));
		struct kvm_vcpu *vcpu = &sv->vcpu;

		r->vcpus[i] = sv;
		sv->realm = r;
		sv->idx = i;
		sv->kvm_run = sim_xcalloc(1, sizeof(*sv->kvm_run));
		vcpu->kvm = kvm;
		vcpu->cpu = -1;
		vcpu->vcpu_id = i;
		vcpu->vcpu_idx = i;
		vcpu->run = sv->kvm_run;
		vcpu->arch.hw_mmu = &kvm->arch.mmu;
		vcpu->arch.hcr_el2 = 0x30880000003fULL;
		vcpu->arch.ctxt.regs.pc = i == 0 ? SIM_RAM_BASE : 0;
		vcpu->arch.mp_state.mp_state = i == 0 ? 0 : 5; /* RUNNABLE : STOPPED */
		snprintf(vcpu->stats_id, sizeof(vcpu->stats_id), "kvm-%d/vcpu-%d", (int)getpid(),
			 i);
		sv->host.open_window = -1;
		sv->powered_on = i == 0;
		sim_rng_init(&sv->host.rng, o->seed, 'H', r->idx, i);
		sim_guest_init(sv);
	}
	return r;
}

/* the VMM's side of KVM_EXIT_MMIO: device reads return seeded values */
static void vmm_emulate_mmio(struct sim_vcpu *sv)
{
	struct kvm_run *run = sv->vcpu.run;
	u64 v;

	if (run->mmio.is_write)
		return;
	v = sim_rng_next(&sv->host.rng);
	memcpy(run->mmio.data, &v, run->mmio.len);
}

/* one KVM_RUN, as kvm_arch_vcpu_ioctl_run does it for a REC */
static int vmm_run_once(struct sim_vcpu *sv)
{
	struct kvm_vcpu *vcpu = &sv->vcpu;
	int ret;

	vcpu->cpu = sched_getcpu();
	if (vcpu->run->exit_reason == KVM_EXIT_MMIO)
		kvm_handle_mmio_return(vcpu);
	ret = kvm_rec_pre_enter(vcpu);
	if (ret <= 0)
		return ret;
	trace_kvm_entry(vcpu->arch.ctxt.regs.pc);
	ret = kvm_rec_enter(vcpu);
	trace_kvm_exit(ret, 0, vcpu->arch.ctxt.regs.pc); /* esr_ec is 0 for RECs */
	ret = handle_rec_exit(vcpu, ret);
	if (ret == 0 && vcpu->run->exit_reason == KVM_EXIT_MMIO)
		vmm_emulate_mmio(sv);
	return ret;
}

struct pacer {
	u64 period;
	u64 next;
};

static void pace(struct pacer *p)
{
	struct timespec ts;
	u64 now;

	if (!p->period)
		return;
	now = sim_now_ns();
	p->next += p->period;
	if (p->next + 1000000000ULL < now)
		p->next = now; /* more than a second behind: do not burst to catch up */
	if (p->next <= now)
		return;
	ts.tv_sec = (time_t)(p->next / 1000000000ULL);
	ts.tv_nsec = (long)(p->next % 1000000000ULL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void vmm_loop(struct sim_vcpu *sv)
{
	struct sim_realm *r = sv->realm;
	struct pacer p = { .period = r->o->rate ? 1000000000ULL / (u64)r->o->rate : 0 };
	unsigned int retries, i;
	int ret;

	p.next = sim_now_ns();
	while (!sv->guest.done) {
		ret = vmm_run_once(sv);
		if (ret < 0)
			sim_die("realm%d vCPU %d: KVM_RUN failed: %s", r->idx, sv->idx,
				strerror(-ret));
		if (sv->host.power_off)
			break;
		pace(&p);
	}
	if (!(r->stuck && sv->idx == 0))
		return;
	/* the CPU_ON is never completed: the VMM retries a few times, then gives up */
	retries = 2 + (unsigned int)sim_rng_below(&sv->host.rng, 4);
	for (i = 0; i < retries; i++) {
		pace(&p);
		vmm_run_once(sv);
	}
}

static void *vcpu_thread(void *arg)
{
	struct sim_vcpu *sv = arg;
	struct sim_realm *r = sv->realm;
	char name[16];
	bool early = sv->idx == r->early_vcpu, run;

	sv->tid = gettid();
	snprintf(name, sizeof(name), "kvm-vcpu-%d", sv->idx);
	pthread_setname_np(pthread_self(), name);

	if (early) {
		/* --early-target: KVM_RUN on the target while its CPU_ON is pending */
		pthread_mutex_lock(&r->lock);
		while (!sv->cpu_on_requested && !r->teardown)
			pthread_cond_wait(&r->cond, &r->lock);
		run = sv->cpu_on_requested;
		pthread_mutex_unlock(&r->lock);
		if (run)
			vmm_run_once(sv); /* RMI_ERROR_REC: the REC is not runnable yet */
		pthread_mutex_lock(&r->lock);
		sv->early_done = true;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}

	pthread_mutex_lock(&r->lock);
	while (!sv->powered_on && !r->teardown)
		pthread_cond_wait(&r->cond, &r->lock);
	run = sv->powered_on;
	pthread_mutex_unlock(&r->lock);

	if (run)
		vmm_loop(sv);

	pthread_mutex_lock(&r->lock);
	sv->finished = true;
	if (run)
		r->nr_finished++;
	pthread_cond_broadcast(&r->cond);
	while (!r->teardown) /* stay alive for --hold, like a vCPU thread in KVM_RUN */
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* a sim_kv as {"key": n} sorted by key; hex or decimal keys */
static void write_kv(struct jw *w, const char *name, const struct sim_kv *kv, bool hex)
{
	u64 keys[SIM_KV_MAX];
	unsigned int i, j;
	char buf[32];

	for (i = 0; i < kv->n; i++)
		keys[i] = kv->key[i];
	qsort(keys, kv->n, sizeof(keys[0]), cmp_u64);
	jw_key(w, name);
	jw_begin(w, '{', true);
	for (i = 0; i < kv->n; i++) {
		for (j = 0; kv->key[j] != keys[i]; j++)
			;
		snprintf(buf, sizeof(buf), hex ? "0x%llx" : "%llu", (unsigned long long)keys[i]);
		jw_u64(w, buf, kv->val[j]);
	}
	jw_end(w, '}');
}

static int cmp_rmi(const void *a, const void *b)
{
	const struct sim_rmi_count *x = a, *y = b;

	if (x->fid != y->fid)
		return x->fid < y->fid ? -1 : 1;
	return x->status < y->status ? -1 : x->status > y->status;
}

struct sim_totals {
	u64 rec_enters;
	u64 rec_enter_errors;
	u64 exits;
	u64 rmi_calls;
	u64 psci_opened;
	u64 psci_completed;
};

static void write_vcpu(struct jw *w, struct sim_vcpu *sv, struct sim_totals *t)
{
	unsigned int i;
	char buf[32];

	for (i = 0; i < SIM_NR_EXIT_REASONS; i++)
		t->exits += sv->t.exits[i];
	for (i = 0; i < sv->t.status.n; i++)
		if (sv->t.status.key[i] != RMI_SUCCESS)
			t->rec_enter_errors += sv->t.status.val[i];
	t->rec_enters += sv->t.rec_enters;

	jw_begin(w, '{', false);
	jw_u64(w, "vcpu_id", (u64)sv->vcpu.vcpu_id);
	jw_hex(w, "mpidr", sv->vcpu.arch.rec.mpidr);
	jw_s64(w, "tid", sv->tid);
	jw_bool(w, "started", sv->powered_on);
	jw_u64(w, "pre_enters", sv->t.pre_enters);
	jw_u64(w, "rec_enters", sv->t.rec_enters);
	write_kv(w, "rec_enter_status", &sv->t.status, true);
	jw_key(w, "exits");
	jw_begin(w, '{', true);
	for (i = 0; i < SIM_NR_EXIT_REASONS; i++) {
		if (!sv->t.exits[i])
			continue;
		snprintf(buf, sizeof(buf), "%u", i);
		jw_u64(w, buf, sv->t.exits[i]);
	}
	jw_end(w, '}');
	jw_key(w, "esr_ec");
	jw_begin(w, '{', true);
	for (i = 0; i < 64; i++) {
		if (!sv->t.esr_ec[i])
			continue;
		snprintf(buf, sizeof(buf), "0x%x", i);
		jw_u64(w, buf, sv->t.esr_ec[i]);
	}
	jw_end(w, '}');
	jw_key(w, "mmio");
	jw_begin(w, '{', true);
	jw_u64(w, "read", sv->t.mmio_reads);
	jw_u64(w, "write", sv->t.mmio_writes);
	jw_end(w, '}');
	write_kv(w, "psci_fids", &sv->t.psci_fids, true);
	jw_u64(w, "run_ns_total", sv->t.run_ns_total);
	jw_u64(w, "run_ns_planned", sv->t.run_ns_planned);
	jw_end(w, '}');
}

static void write_realm(FILE *f, struct sim_realm *r)
{
	struct jw w = { .f = f, .depth = 2, .key = true };
	struct sim_totals t = { 0 };
	char name[32];
	unsigned int i;
	size_t k;
	int v;

	snprintf(name, sizeof(name), "realm%d", r->idx);
	/* first line: totals for the parent, then the realm object */
	for (i = 0; i < r->nr_rmi; i++)
		t.rmi_calls += r->rmi[i].count;
	qsort(r->rmi, r->nr_rmi, sizeof(r->rmi[0]), cmp_rmi);

	w.first[2] = true;
	jw_begin(&w, '{', false);
	jw_u64(&w, "index", (u64)r->idx);
	jw_str(&w, "name", r->o->name ? r->o->name : name);
	jw_s64(&w, "pid", r->kvm.userspace_pid);
	jw_hex(&w, "kvm", (u64)(unsigned long)&r->kvm);
	jw_bool(&w, "destroyed", r->destroyed > 0 && r->kvm.arch.realm.state == REALM_STATE_DEAD);
	jw_bool(&w, "stuck", r->stuck);
	jw_key(&w, "vcpus");
	jw_begin(&w, '[', false);
	for (v = 0; v < r->nr_vcpus; v++)
		write_vcpu(&w, r->vcpus[v], &t);
	jw_end(&w, ']');
	jw_key(&w, "rmi");
	jw_begin(&w, '[', false);
	for (i = 0; i < r->nr_rmi; i++) {
		jw_begin(&w, '{', true);
		jw_hex(&w, "fid", r->rmi[i].fid);
		jw_hex(&w, "status", r->rmi[i].status);
		jw_u64(&w, "count", r->rmi[i].count);
		jw_end(&w, '}');
	}
	jw_end(&w, ']');
	jw_key(&w, "psci");
	jw_begin(&w, '[', false);
	for (v = 0; v < r->nr_vcpus; v++) {
		struct sim_vcpu *sv = r->vcpus[v];

		for (k = 0; k < sv->nr_windows; k++) {
			struct sim_window *win = &sv->windows[k];

			t.psci_opened++;
			t.psci_completed += win->completed;
			jw_begin(&w, '{', true);
			jw_u64(&w, "vcpu_id", (u64)win->vcpu_id);
			jw_u64(&w, "exit_index", win->exit_index);
			jw_hex(&w, "fid", win->fid);
			jw_hex(&w, "target_mpidr", win->target_mpidr);
			jw_bool(&w, "completed", win->completed);
			if (win->completed)
				jw_hex(&w, "status", win->status);
			else
				jw_null(&w, "status");
			jw_u64(&w, "error_rec_enters", win->error_rec_enters);
			jw_u64(&w, "target_error_rec_enters", win->target_error_rec_enters);
			jw_end(&w, '}');
		}
	}
	jw_end(&w, ']');
	jw_key(&w, "lifecycle");
	jw_begin(&w, '{', true);
	jw_u64(&w, "created", r->created);
	jw_u64(&w, "activated", r->activated);
	jw_u64(&w, "destroyed", r->destroyed);
	jw_end(&w, '}');
	jw_u64(&w, "rmm_protocol_errors", r->rmm.protocol_errors);
	jw_end(&w, '}');
	fflush(f);

	/* the totals line goes after the object; the parent reads it from the end */
	fprintf(f, "\nT %llu %llu %llu %llu %llu %llu\n", (unsigned long long)t.rec_enters,
		(unsigned long long)t.rec_enter_errors, (unsigned long long)t.exits,
		(unsigned long long)t.rmi_calls, (unsigned long long)t.psci_opened,
		(unsigned long long)t.psci_completed);
}

static int realm_main(const struct sim_opts *o)
{
	struct sim_plan plan;
	struct sim_realm *r;
	pthread_attr_t attr;
	sigset_t sigs;
	FILE *f;
	int i, ret;

	/* exec of /proc/self/exe names the process "exe": take the program name back */
	prctl(PR_SET_NAME, prog, 0, 0, 0);
	snprintf(prog_buf, sizeof(prog_buf), "%s[%s]", prog, o->name ? o->name : "realm");
	prog = prog_buf;
	/* signals end --hold early; they are taken with sigtimedwait only */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	sim_plan_scenario(o, &plan);
	r = realm_setup(o, &plan);
	sim_realm = r;

	ret = sim_kvm_init_realm(&r->kvm);
	if (ret)
		sim_die("%s failed: %d", SIM_INIT_HOOK, ret);
	ret = kvm_activate_realm(&r->kvm);
	if (ret)
		sim_die("kvm_activate_realm failed: %d", ret);

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (i = 0; i < r->nr_vcpus; i++)
		if (pthread_create(&r->vcpus[i]->thread, &attr, vcpu_thread, r->vcpus[i]))
			sim_die("cannot create vCPU thread %d", i);
	pthread_attr_destroy(&attr);

	pthread_mutex_lock(&r->lock);
	while (r->nr_finished < r->nr_expected)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);

	if (write(o->status_fd, "R", 1) != 1)
		sim_die("cannot report to the parent: %s", strerror(errno));
	close(o->status_fd);

	if (o->hold > 0) {
		struct timespec ts = { .tv_sec = (time_t)o->hold,
				       .tv_nsec =
					       (long)((o->hold - (double)(time_t)o->hold) * 1e9) };
		u64 end = sim_now_ns() + (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec, now;

		while ((now = sim_now_ns()) < end) {
			ts.tv_sec = (time_t)((end - now) / 1000000000ULL);
			ts.tv_nsec = (long)((end - now) % 1000000000ULL);
			if (sigtimedwait(&sigs, NULL, &ts) >= 0 || errno != EINTR)
				break;
		}
	}

	pthread_mutex_lock(&r->lock);
	r->teardown = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->nr_vcpus; i++)
		pthread_join(r->vcpus[i]->thread, NULL);

	kvm_destroy_realm(&r->kvm);

	f = fdopen(o->result_fd, "w");
	if (!f)
		sim_die("cannot open the result fd: %s", strerror(errno));
	write_realm(f, r);
	if (fclose(f))
		sim_die("cannot write the result: %s", strerror(errno));
	return 0;
}

/* ---- the parent ---------------------------------------------------------------- */

static pid_t child_pids[SIM_MAX_REALMS];
static volatile sig_atomic_t nr_child_pids;
static volatile sig_atomic_t nr_signals;

/* first SIGINT/SIGTERM: end --hold (realms finish and report); second: kill them */
static void forward_signal(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i < nr_child_pids; i++)
		kill(child_pids[i], nr_signals ? SIGKILL : SIGTERM);
	if (nr_signals++)
		_exit(130);
}

static char *read_all(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = sim_xcalloc(1, cap + 1);
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		sim_die("lseek: %s", strerror(errno));
	while ((r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			sim_die("read: %s", strerror(errno));
		}
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			buf = sim_xrealloc(buf, cap + 1, 1);
		}
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static void write_options(struct jw *w, const struct sim_opts *o)
{
	jw_key(w, "options");
	jw_begin(w, '{', false);
	jw_u64(w, "realms", (u64)o->realms);
	jw_u64(w, "vcpus", (u64)o->vcpus);
	jw_u64(w, "exits", (u64)o->exits);
	if (o->rate)
		jw_u64(w, "rate", (u64)o->rate);
	else
		jw_str(w, "rate", "max");
	jw_u64(w, "run_ns", (u64)o->run_ns);
	jw_u64(w, "stuck", (u64)o->stuck);
	jw_bool(w, "early_target", o->early_target);
	jw_key(w, "hold");
	jw_pre(w);
	fprintf(w->f, "%g", o->hold);
	jw_end(w, '}');
}

static void spawn_realm(const char *argv0, const struct sim_opts *o, int idx, int result_fd,
			int status_fd)
{
	char a[17][32], name[32];
	char *args[40];
	int n = 0;

	snprintf(name, sizeof(name), "realm%d", idx);
	snprintf(a[0], sizeof(a[0]), "%d", idx);
	snprintf(a[1], sizeof(a[1]), "%d", result_fd);
	snprintf(a[2], sizeof(a[2]), "%d", status_fd);
	snprintf(a[3], sizeof(a[3]), "%llu", (unsigned long long)o->seed);
	snprintf(a[4], sizeof(a[4]), "%d", o->realms);
	snprintf(a[5], sizeof(a[5]), "%d", o->vcpus);
	snprintf(a[6], sizeof(a[6]), "%ld", o->exits);
	if (o->rate)
		snprintf(a[7], sizeof(a[7]), "%ld", o->rate);
	else
		snprintf(a[7], sizeof(a[7]), "max");
	snprintf(a[8], sizeof(a[8]), "%ld", o->run_ns);
	snprintf(a[9], sizeof(a[9]), "%d", o->stuck);
	snprintf(a[10], sizeof(a[10]), "%.9g", o->hold);

	args[n++] = (char *)argv0;
	args[n++] = "--name";
	args[n++] = name;
	args[n++] = "--realm-child";
	args[n++] = a[0];
	args[n++] = "--result-fd";
	args[n++] = a[1];
	args[n++] = "--status-fd";
	args[n++] = a[2];
	args[n++] = "--seed";
	args[n++] = a[3];
	args[n++] = "--realms";
	args[n++] = a[4];
	args[n++] = "--vcpus";
	args[n++] = a[5];
	args[n++] = "--exits";
	args[n++] = a[6];
	args[n++] = "--rate";
	args[n++] = a[7];
	args[n++] = "--run-ns";
	args[n++] = a[8];
	args[n++] = "--stuck";
	args[n++] = a[9];
	args[n++] = "--hold";
	args[n++] = a[10];
	if (o->early_target)
		args[n++] = "--early-target";
	if (o->quiet)
		args[n++] = "--quiet";
	args[n] = NULL;
	execv("/proc/self/exe", args);
	fprintf(stderr, "%s: error: exec /proc/self/exe: %s\n", prog, strerror(errno));
	_exit(127);
}

static int parent_main(const char *argv0, const struct sim_opts *o)
{
	struct sim_plan plan;
	struct sim_totals tot = { 0 };
	int result_fd[SIM_MAX_REALMS], status_fd[SIM_MAX_REALMS];
	struct pollfd pfd[SIM_MAX_REALMS];
	struct sigaction sa;
	struct jw w = { 0 };
	u64 t0 = sim_now_ns();
	int i, nready = 0, failed = 0;
	FILE *out = stdout;

	sim_plan_scenario(o, &plan);
	if (o->early_target && plan.early_realm < 0 && !o->quiet)
		fprintf(stderr,
			"%s: warning: --early-target ignored: no realm has a CPU_ON target that is "
			"not stuck (needs --vcpus 2, or 3 with --stuck in every realm)\n",
			prog);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < o->realms; i++) {
		char name[32];
		int st[2];
		pid_t pid;

		snprintf(name, sizeof(name), "simhost-realm%d", i);
		result_fd[i] = memfd_create(name, MFD_CLOEXEC);
		if (result_fd[i] < 0 || pipe2(st, O_CLOEXEC))
			sim_die("cannot create the result channel: %s", strerror(errno));
		fflush(NULL);
		pid = fork();
		if (pid < 0)
			sim_die("fork: %s", strerror(errno));
		if (pid == 0) {
			/* no stray realms if the parent is killed */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() == 1)
				_exit(1);
			fcntl(result_fd[i], F_SETFD, 0);
			fcntl(st[1], F_SETFD, 0);
			spawn_realm(argv0, o, i, result_fd[i], st[1]);
		}
		close(st[1]);
		status_fd[i] = st[0];
		child_pids[i] = pid;
		nr_child_pids = i + 1;
	}

	/* wait until every realm has run (or died) */
	for (i = 0; i < o->realms; i++) {
		pfd[i].fd = status_fd[i];
		pfd[i].events = POLLIN;
	}
	while (nready < o->realms) {
		if (poll(pfd, (nfds_t)o->realms, -1) < 0) {
			if (errno == EINTR)
				continue;
			sim_die("poll: %s", strerror(errno));
		}
		for (i = 0; i < o->realms; i++) {
			char c;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (read(pfd[i].fd, &c, 1) < 0 && errno == EINTR)
				continue;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			nready++;
		}
	}
	if (o->hold > 0 && !o->quiet) {
		fprintf(stderr,
			"%s: %d realm(s) ran; holding for %g s (SIGTERM ends it), pids:", prog,
			o->realms, o->hold);
		for (i = 0; i < o->realms; i++)
			fprintf(stderr, " %d", (int)child_pids[i]);
		fputc('\n', stderr);
	}

	for (i = 0; i < o->realms; i++) {
		int status;

		while (waitpid(child_pids[i], &status, 0) < 0) {
			if (errno != EINTR)
				sim_die("waitpid: %s", strerror(errno));
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "%s: error: realm%d (pid %d) failed (status 0x%x)\n", prog,
				i, (int)child_pids[i], status);
			failed++;
		}
	}
	if (failed)
		return 1;

	if (o->truth) {
		out = fopen(o->truth, "w");
		if (!out) {
			fprintf(stderr, "%s: error: cannot write %s: %s\n", prog, o->truth,
				strerror(errno));
			return 1;
		}
	}
	w.f = out;
	w.first[0] = true;
	jw_begin(&w, '{', false);
	jw_str(&w, "variant", SIM_VARIANT);
	jw_str(&w, "rmm_spec", SIM_RMM_SPEC);
	jw_hex(&w, "rmi_abi", SIM_RMI_ABI);
	jw_str(&w, "init_hook", SIM_INIT_HOOK);
	jw_u64(&w, "seed", o->seed);
	write_options(&w, o);
	jw_key(&w, "scenario");
	jw_begin(&w, '{', false);
	jw_key(&w, "stuck_realms");
	jw_begin(&w, '[', true);
	for (i = 0; i < o->realms; i++)
		if (plan.stuck[i])
			jw_u64(&w, NULL, (u64)i);
	jw_end(&w, ']');
	if (plan.early_realm >= 0) {
		jw_key(&w, "early_target");
		jw_begin(&w, '{', true);
		jw_u64(&w, "realm", (u64)plan.early_realm);
		jw_u64(&w, "vcpu_id", (u64)plan.early_vcpu);
		jw_end(&w, '}');
	} else {
		jw_null(&w, "early_target");
	}
	jw_end(&w, '}');

	jw_key(&w, "realms");
	jw_begin(&w, '[', false);
	for (i = 0; i < o->realms; i++) {
		unsigned long long v[6];
		size_t len;
		char *buf = read_all(result_fd[i], &len), *tl;

		close(result_fd[i]);
		tl = strstr(buf, "\nT ");
		if (!tl || sscanf(tl + 1, "T %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
				  &v[3], &v[4], &v[5]) != 6)
			sim_die("realm%d returned no ground truth", i);
		*tl = 0;
		tot.rec_enters += v[0];
		tot.rec_enter_errors += v[1];
		tot.exits += v[2];
		tot.rmi_calls += v[3];
		tot.psci_opened += v[4];
		tot.psci_completed += v[5];
		jw_pre(&w);
		fputs(buf, out);
		free(buf);
	}
	jw_end(&w, ']');

	jw_key(&w, "totals");
	jw_begin(&w, '{', false);
	jw_u64(&w, "rec_enters", tot.rec_enters);
	jw_u64(&w, "rec_enter_errors", tot.rec_enter_errors);
	jw_u64(&w, "exits", tot.exits);
	jw_u64(&w, "rmi_calls", tot.rmi_calls);
	jw_u64(&w, "psci_opened", tot.psci_opened);
	jw_u64(&w, "psci_completed", tot.psci_completed);
	jw_u64(&w, "psci_open", tot.psci_opened - tot.psci_completed);
	jw_end(&w, '}');
	jw_end(&w, '}');
	fputc('\n', out);
	if (out != stdout ? fclose(out) : fflush(out)) {
		fprintf(stderr, "%s: error: cannot write the ground truth: %s\n", prog,
			strerror(errno));
		return 1;
	}
	if (!o->quiet)
		fprintf(stderr,
			"%s: %d realm(s) x %d vCPU(s): %llu REC enters, %llu exits, %llu RMI calls, "
			"%llu/%llu PSCI windows completed, %.3f s\n",
			prog, o->realms, o->vcpus, (unsigned long long)tot.rec_enters,
			(unsigned long long)tot.exits, (unsigned long long)tot.rmi_calls,
			(unsigned long long)tot.psci_completed, (unsigned long long)tot.psci_opened,
			(double)(sim_now_ns() - t0) / 1e9);
	return 0;
}

/* ---- --layout ------------------------------------------------------------------ */

#define LAYOUT(w, type, member) jw_u64(w, #type "." #member, offsetof(struct type, member))

static int print_layout(void)
{
	struct jw w = { .f = stdout, .first = { true } };

	jw_begin(&w, '{', false);
	jw_str(&w, "variant", SIM_VARIANT);
	jw_key(&w, "offsets");
	jw_begin(&w, '{', false);
	LAYOUT(&w, kvm_vcpu, kvm);
	LAYOUT(&w, kvm_vcpu, vcpu_id);
	LAYOUT(&w, kvm_vcpu, vcpu_idx);
	LAYOUT(&w, kvm_vcpu, run);
	LAYOUT(&w, kvm_vcpu, arch);
	LAYOUT(&w, kvm_vcpu, arch.ctxt.regs);
	LAYOUT(&w, kvm_vcpu, arch.fault);
	LAYOUT(&w, kvm_vcpu, arch.rec);
	LAYOUT(&w, kvm_vcpu, arch.rec.run);
	LAYOUT(&w, kvm, arch);
	LAYOUT(&w, kvm, arch.is_realm);
	LAYOUT(&w, kvm, arch.realm);
	LAYOUT(&w, kvm, arch.realm.state);
	LAYOUT(&w, kvm, userspace_pid);
	LAYOUT(&w, kvm, stats_id);
	LAYOUT(&w, realm_rec, run);
	LAYOUT(&w, rec_run, exit);
	LAYOUT(&w, rec_exit, gprs);
	LAYOUT(&w, rec_exit, ripas_base);
	LAYOUT(&w, rec_exit, imm);
	jw_end(&w, '}');
	jw_key(&w, "sizes");
	jw_begin(&w, '{', false);
	jw_u64(&w, "kvm", sizeof(struct kvm));
	jw_u64(&w, "kvm_vcpu", sizeof(struct kvm_vcpu));
	jw_u64(&w, "kvm_vcpu_arch", sizeof(struct kvm_vcpu_arch));
	jw_u64(&w, "realm", sizeof(struct realm));
	jw_u64(&w, "realm_rec", sizeof(struct realm_rec));
	jw_u64(&w, "rec_run", sizeof(struct rec_run));
	jw_end(&w, '}');
	jw_end(&w, '}');
	fputc('\n', stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_opts o;
	const char *slash = argc ? strrchr(argv[0], '/') : NULL;

	if (argc && argv[0][0])
		prog = slash ? slash + 1 : argv[0];
	parse_opts(argc, argv, &o);
	if (o.layout)
		return print_layout();
	if (o.child >= 0)
		return realm_main(&o);
	return parent_main(argc ? argv[0] : prog, &o);
}
