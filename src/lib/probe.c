// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "defs.h"
#include "json.h"
#include "probe.h"
#include "rmi.skel.h"
#include "util.h"

enum flavour { FL_TP_BTF, FL_FENTRY, FL_KPROBE };

/* One hook of the catalogue and its candidates, best first. */
struct hook_def {
	const char *feature;
	const char *name;
	bool required;
	/* expected parameters: "struct NAME *" or "int"/"u64" by size; NULL ends */
	const char *params[4];
	enum flavour btf_flavour; /* FL_TP_BTF or FL_FENTRY for the BTF program */
	const char *btf_targets[3]; /* tp_btf tracepoints / fentry functions */
	const char *kprobe_targets[3]; /* kallsyms symbols (none for tracepoints) */
	const char *user_syms[3]; /* symbols on a uprobe host */
	size_t prog_btf, prog_kp, prog_ret; /* offsetof(struct rmi_bpf, progs.X) + 1, 0: none */
};

#define PROG(x) (offsetof(struct rmi_bpf, progs.x) + 1)

/*
 * Design §3 / kernel-cca.md: names move between series versions. Not hooked
 * on purpose: kvm_exit (fires after local_irq_enable(), just before
 * handle_rec_exit, whose own clock is as good) and kvm_rec_pre_enter (the
 * vCPU is bound at its first exit; an early CPU_ON target shows as a
 * REC_ENTER refused with RMI_ERROR_REC). Each would cost a program per exit.
 */
static const struct hook_def catalogue[] = {
	{
		.feature = "REC exits",
		.name = "handle_rec_exit",
		.required = true,
		.params = { "struct kvm_vcpu *", "int" },
		.btf_flavour = FL_FENTRY,
		.btf_targets = { "handle_rec_exit", "kvm_rec_exit" },
		.kprobe_targets = { "handle_rec_exit", "kvm_rec_exit" },
		.user_syms = { "handle_rec_exit", "kvm_rec_exit" },
		.prog_btf = PROG(fe_rec_exit),
		.prog_kp = PROG(kp_rec_exit),
	},
	{
		.feature = "REC run/host time",
		.name = "kvm_entry",
		.btf_flavour = FL_TP_BTF,
		.btf_targets = { "kvm_entry" },
		.user_syms = { "trace_kvm_entry" },
		.prog_btf = PROG(tp_kvm_entry),
		.prog_kp = PROG(kp_kvm_entry),
	},
	{
		.feature = "PSCI completion",
		.name = "realm_psci_complete",
		/* v12-v14; the post-v14 (source, status) form would be misread */
		.params = { "struct kvm_vcpu *", "struct kvm_vcpu *", "u64" },
		.btf_flavour = FL_FENTRY,
		.btf_targets = { "realm_psci_complete" },
		.kprobe_targets = { "realm_psci_complete" },
		.user_syms = { "realm_psci_complete" },
		.prog_btf = PROG(fe_psci_complete),
		.prog_kp = PROG(kp_psci_complete),
	},
	{
		/* assembly: no BTF, so kprobe + kretprobe */
		.feature = "RMI calls",
		.name = "arm_smccc_1_2_smc",
		.params = { "struct arm_smccc_1_2_regs *", "struct arm_smccc_1_2_regs *" },
		.btf_flavour = FL_KPROBE,
		.kprobe_targets = { "arm_smccc_1_2_smc" },
		.user_syms = { "arm_smccc_1_2_smc" },
		.prog_kp = PROG(kp_smc),
		.prog_ret = PROG(krp_smc),
	},
	{
		/* v12/v13: kvm_init_realm_vm; v14: kvm_init_realm */
		.feature = "realm lifecycle",
		.name = "kvm_init_realm",
		.params = { "struct kvm *" },
		.btf_flavour = FL_FENTRY,
		.btf_targets = { "kvm_init_realm", "kvm_init_realm_vm" },
		.kprobe_targets = { "kvm_init_realm", "kvm_init_realm_vm" },
		.user_syms = { "kvm_init_realm", "kvm_init_realm_vm" },
		.prog_btf = PROG(fe_realm_create),
		.prog_kp = PROG(kp_realm_create),
	},
	{
		.feature = "realm lifecycle",
		.name = "kvm_activate_realm",
		.params = { "struct kvm *" },
		.btf_flavour = FL_FENTRY,
		.btf_targets = { "kvm_activate_realm" },
		.kprobe_targets = { "kvm_activate_realm" },
		.user_syms = { "kvm_activate_realm" },
		.prog_btf = PROG(fe_realm_activate),
		.prog_kp = PROG(kp_realm_activate),
	},
	{
		.feature = "realm lifecycle",
		.name = "kvm_destroy_realm",
		.params = { "struct kvm *" },
		.btf_flavour = FL_FENTRY,
		.btf_targets = { "kvm_destroy_realm" },
		.kprobe_targets = { "kvm_destroy_realm" },
		.user_syms = { "kvm_destroy_realm" },
		.prog_btf = PROG(fe_realm_destroy),
		.prog_kp = PROG(kp_realm_destroy),
	},
};

#define NHOOKS ARRAY_SIZE(catalogue)

struct choice {
	enum flavour fl; /* FL_KPROBE also means uprobe in user mode */
	const char *target;
};

struct rmi_probe {
	struct rmi_probe_opts opts;
	enum rmi_spec spec; /* RMM spec the target's layout implies */
	char spec_why[96];
	char host_path[4096]; /* absolute uprobe host path */
	struct rmi_bpf *skel;
	struct btf *vmlinux; /* kernel mode: for discovery */
	char *kallsyms; /* kernel mode: /proc/kallsyms contents */
	struct choice choice[NHOOKS];
	struct rmi_hook_status st[NHOOKS * 2]; /* kretprobe rows too */
	size_t nst;
	struct bpf_link *links[NHOOKS * 2];
	int attach_ms;
};

static struct bpf_program *prog_at(struct rmi_bpf *skel, size_t off)
{
	return off ? *(struct bpf_program **)((char *)skel + off - 1) : NULL;
}

static bool verbose_libbpf;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose_libbpf)
		return 0;
	if (level == LIBBPF_INFO && !verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int rmi_probe_check_privileges(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	uint64_t eff;

	if (syscall(SYS_capget, &hdr, data))
		return 0; /* cannot tell: let the kernel decide */
	eff = data[0].effective | ((uint64_t)data[1].effective << 32);
#ifndef CAP_BPF
#define CAP_BPF 39
#define CAP_PERFMON 38
#endif
	if ((eff & (1ull << CAP_SYS_ADMIN)) ||
	    ((eff & (1ull << CAP_BPF)) && (eff & (1ull << CAP_PERFMON))))
		return 0;
	rmi_err("run as root, or grant CAP_BPF and CAP_PERFMON (and CAP_DAC_READ_SEARCH "
		"to read a uprobe host)",
		"insufficient privileges to load BPF programs");
	return -EPERM;
}

/* ---- discovery ------------------------------------------------------------ */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 1 << 20;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (n == 0)
			break;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* " t name\n" or " T name\n" or "name [module]" in /proc/kallsyms */
static bool kallsyms_has(const char *ks, const char *sym)
{
	size_t n = strlen(sym);

	for (const char *p = ks; p && (p = strstr(p, sym)); p += n) {
		if (p > ks + 2 && p[-1] == ' ' && (p[-2] == 't' || p[-2] == 'T') &&
		    (p[n] == '\n' || p[n] == '\t' || p[n] == '\0'))
			return true;
	}
	return false;
}

static bool btf_has(const struct btf *btf, const char *name, int kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) >= 0;
}

/* Defined function symbols of an ELF file, looked up one by one. */
struct elf_syms {
	int fd;
	Elf *elf;
};

static int elf_open_syms(const char *path, struct elf_syms *es)
{
	elf_version(EV_CURRENT);
	es->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (es->fd < 0)
		return -errno;
	es->elf = elf_begin(es->fd, ELF_C_READ, NULL);
	if (!es->elf || elf_kind(es->elf) != ELF_K_ELF) {
		if (es->elf)
			elf_end(es->elf);
		close(es->fd);
		return -ENOEXEC;
	}
	return 0;
}

static void elf_close_syms(struct elf_syms *es)
{
	if (es->elf)
		elf_end(es->elf);
	if (es->fd >= 0)
		close(es->fd);
}

static bool elf_has_func(struct elf_syms *es, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(es->elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		data = elf_getdata(scn, NULL);
		for (size_t i = 0; data && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(data, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			s = elf_strptr(es->elf, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name))
				return true;
		}
	}
	return false;
}

static void list_targets(char *buf, size_t len, const char *const *a, size_t n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && a[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "", a[i]);
}

/* Does struct/union type id have a member name, looking through anonymous ones? */
static bool btf_has_member(const struct btf *btf, int id, const char *name, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	while (t && (btf_is_typedef(t) || btf_is_mod(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_composite(t) || depth > 4)
		return false;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);

		if (n && *n && !strcmp(n, name))
			return true;
		if ((!n || !*n) && btf_has_member(btf, m->type, name, depth + 1))
			return true;
	}
	return false;
}

/*
 * RMM spec from the rec_exit layout: the GIC block went away with RMM 2.0
 * (series v13+), which added s2ap_base. RMI_VERSION is negotiated at boot,
 * before any tool attaches, so the layout is what we can know.
 */
static void infer_spec(struct rmi_probe *p, const struct btf *btf)
{
	int id = btf ? btf__find_by_name_kind(btf, "rec_exit", BTF_KIND_STRUCT) : -1;

	p->spec = RMI_SPEC_DEFAULT;
	if (id < 0) {
		snprintf(p->spec_why, sizeof(p->spec_why), "no struct rec_exit in BTF: default");
		return;
	}
	if (btf_has_member(btf, id, "gicv3_hcr", 0)) {
		p->spec = RMI_SPEC_1_0;
		snprintf(p->spec_why, sizeof(p->spec_why), "rec_exit has the GIC block (RMM 1.0)");
	} else if (btf_has_member(btf, id, "s2ap_base", 0)) {
		p->spec = RMI_SPEC_2_0;
		snprintf(p->spec_why, sizeof(p->spec_why),
			 "rec_exit has s2ap_base, no GIC (RMM 2.0)");
	} else {
		snprintf(p->spec_why, sizeof(p->spec_why),
			 "rec_exit layout not recognised: default");
	}
}

enum rmi_spec rmi_probe_spec(const struct rmi_probe *p, const char **why)
{
	if (why)
		*why = p->spec_why;
	return p->spec;
}

/* A parameter type as the catalogue writes it: "struct kvm *", "int", "u64". */
static void type_str(const struct btf *btf, __u32 id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t)) && !btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);
	if (!t) {
		snprintf(buf, len, "?");
	} else if (btf_is_ptr(t)) {
		const struct btf_type *pt = btf__type_by_id(btf, t->type);

		while (pt && (btf_is_mod(pt) || btf_is_typedef(pt)))
			pt = btf__type_by_id(btf, pt->type);
		if (pt && btf_is_composite(pt))
			snprintf(buf, len, "%s %s *", btf_is_struct(pt) ? "struct" : "union",
				 btf__name_by_offset(btf, pt->name_off));
		else
			snprintf(buf, len, "void *");
	} else if (btf_is_int(t) || btf_is_enum(t)) {
		snprintf(buf, len,
			 t->size == 8 ? "u64" :
			 t->size == 4 ? "int" :
					"int%u",
			 t->size * 8);
	} else {
		snprintf(buf, len, "kind%u", btf_kind(t));
	}
}

/*
 * The BTF prototype of fn against the catalogue's expectation. Returns true
 * when it matches or cannot be known (no BTF for it: asm, or a stripped
 * host); false with why filled when it differs: a hook is never attached to
 * a function whose arguments the probes would misread.
 */
static bool proto_ok(const struct btf *btf, const char *fn, const char *const *want, char *why,
		     size_t len)
{
	char have[256] = "", one[64];
	const struct btf_type *t;
	const struct btf_param *prm;
	int id, n = 0, nwant = 0;
	bool ok = true;

	while (nwant < 4 && want[nwant])
		nwant++;
	id = btf && nwant ? btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC) : -1;
	if (id < 0)
		return true;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_func_proto(t))
		return true;
	prm = btf_params(t);
	n = btf_vlen(t);
	for (int i = 0; i < n; i++) {
		type_str(btf, prm[i].type, one, sizeof(one));
		snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%s", i ? ", " : "",
			 one);
		if (i < nwant && strcmp(one, want[i]) &&
		    !(strcmp(want[i], "u64") == 0 && strcmp(one, "u64") == 0))
			ok = false;
	}
	if (n != nwant)
		ok = false;
	if (!ok) {
		char exp[256] = "";

		for (int i = 0; i < nwant; i++)
			snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), "%s%s",
				 i ? ", " : "", want[i]);
		snprintf(why, len, "unexpected signature %s(%s), want (%s): not attached", fn, have,
			 exp);
	}
	return ok;
}

static void resolve_user(struct rmi_probe *p, struct elf_syms *es, const struct btf *btf)
{
	for (size_t i = 0; i < NHOOKS; i++) {
		const struct hook_def *h = &catalogue[i];
		struct rmi_hook_status *s = &p->st[i];

		for (size_t c = 0; c < 3 && h->user_syms[c]; c++) {
			if (elf_has_func(es, h->user_syms[c]) &&
			    !proto_ok(btf, h->user_syms[c], h->params, s->why, sizeof(s->why))) {
				s->state = RMI_HOOK_FAILED;
				s->target = h->user_syms[c];
				break;
			}
			if (elf_has_func(es, h->user_syms[c])) {
				p->choice[i] = (struct choice){ FL_KPROBE, h->user_syms[c] };
				s->state = RMI_HOOK_FOUND;
				s->target = h->user_syms[c];
				s->flavour = "uprobe";
				snprintf(s->why, sizeof(s->why), "function symbol in %s",
					 p->opts.uprobe_host);
				break;
			}
		}
		if (s->state == RMI_HOOK_MISSING) {
			char t[96];

			if (s->why[0])
				continue;
			list_targets(t, sizeof(t), h->user_syms, 3);
			snprintf(s->why, sizeof(s->why), "no function %s in %s", t,
				 p->opts.uprobe_host);
		}
	}
}

static void resolve_kernel(struct rmi_probe *p, bool have_kbtf)
{
	for (size_t i = 0; i < NHOOKS; i++) {
		const struct hook_def *h = &catalogue[i];
		struct rmi_hook_status *s = &p->st[i];
		char t[96];

#ifndef __aarch64__
		/* x86 has kvm_entry/kvm_exit tracepoints too, with other arguments */
		if (h->btf_flavour == FL_TP_BTF) {
			snprintf(s->why, sizeof(s->why), "arm64 KVM tracepoint: not on this arch");
			continue;
		}
#endif
		/* tp_btf / fentry first: cheapest, needs kernel BTF */
		for (size_t c = 0; have_kbtf && c < 3 && h->btf_targets[c]; c++) {
			char tname[128];
			bool ok;

			if (h->btf_flavour == FL_TP_BTF) {
				snprintf(tname, sizeof(tname), "btf_trace_%s", h->btf_targets[c]);
				ok = btf_has(p->vmlinux, tname, BTF_KIND_TYPEDEF);
			} else {
				ok = btf_has(p->vmlinux, h->btf_targets[c], BTF_KIND_FUNC);
				if (ok && !proto_ok(p->vmlinux, h->btf_targets[c], h->params,
						    s->why, sizeof(s->why))) {
					s->state = RMI_HOOK_FAILED;
					s->target = h->btf_targets[c];
					break;
				}
			}
			if (ok) {
				p->choice[i] = (struct choice){ h->btf_flavour, h->btf_targets[c] };
				s->flavour = h->btf_flavour == FL_TP_BTF ? "tp_btf" : "fentry";
				s->target = h->btf_targets[c];
				s->state = RMI_HOOK_FOUND;
				snprintf(s->why, sizeof(s->why), "in vmlinux BTF");
				break;
			}
		}
		for (size_t c = 0; s->state == RMI_HOOK_MISSING && c < 3 && h->kprobe_targets[c];
		     c++) {
			/* a BTF prototype that does not match is not rescued by a kprobe */
			if (p->kallsyms && kallsyms_has(p->kallsyms, h->kprobe_targets[c]) &&
			    proto_ok(p->vmlinux, h->kprobe_targets[c], h->params, s->why,
				     sizeof(s->why))) {
				p->choice[i] = (struct choice){ FL_KPROBE, h->kprobe_targets[c] };
				s->flavour = "kprobe";
				s->target = h->kprobe_targets[c];
				s->state = RMI_HOOK_FOUND;
				snprintf(s->why, sizeof(s->why), "in kallsyms%s",
					 have_kbtf ? " (not in BTF: inlined or static)" : "");
			}
		}
		if (s->state == RMI_HOOK_MISSING && strstr(s->why, "unexpected signature"))
			s->state = RMI_HOOK_FAILED;
		if (s->state == RMI_HOOK_MISSING && !s->why[0]) {
			const char *const *names = h->btf_targets[0] ? h->btf_targets :
								       h->kprobe_targets;

			list_targets(t, sizeof(t), names, 3);
			snprintf(s->why, sizeof(s->why), "%s not in %s%s", t,
				 have_kbtf ? "vmlinux BTF" : "",
				 h->kprobe_targets[0] ? (have_kbtf ? " or kallsyms" : "kallsyms") :
							"");
		}
	}
}

static void set_rows(struct rmi_probe *p)
{
	p->nst = NHOOKS;
	for (size_t i = 0; i < NHOOKS; i++) {
		const struct hook_def *h = &catalogue[i];
		struct rmi_hook_status *s = &p->st[i];

		s->feature = h->feature;
		s->hook = h->name;
		s->required = h->required;
		if (!s->flavour)
			s->flavour = "-";
		if (!s->target)
			s->target = h->name;
		/* the return half of an entry/return pair gets its own row */
		if (h->prog_ret) {
			struct rmi_hook_status *r = &p->st[p->nst++];

			*r = *s;
			r->flavour = rmi_probe_user_mode(p) ? "uretprobe" : "kretprobe";
		}
	}
}

int rmi_probe_open(const struct rmi_probe_opts *o, struct rmi_probe **out)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct rmi_probe *p;
	struct btf *host_btf = NULL;
	bool have_kbtf = false, any = false;
	int err;

	verbose_libbpf = o->verbose;
	libbpf_set_print(libbpf_print);
	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->opts = *o;

	if (o->uprobe_host) {
		struct elf_syms es = { -1, NULL };

		/* uprobes name the binary by path: make it independent of our cwd */
		if (realpath(o->uprobe_host, p->host_path))
			p->opts.uprobe_host = p->host_path;
		o = &p->opts;

		err = elf_open_syms(o->uprobe_host, &es);
		if (err) {
			rmi_err("give the path of a simulated CCA host binary",
				"cannot read uprobe host '%s': %s", o->uprobe_host,
				err == -ENOEXEC ? "not an ELF file" : strerror(-err));
			goto fail;
		}
		host_btf = btf__parse(o->uprobe_host, NULL);
		if (!host_btf) {
			elf_close_syms(&es);
			err = -ENOENT;
			rmi_err("add it with: pahole -J PATH", "'%s' has no BTF (.BTF section)",
				o->uprobe_host);
			goto fail;
		}
		infer_spec(p, host_btf);
		resolve_user(p, &es, host_btf);
		btf__free(host_btf);
		elf_close_syms(&es);
		oo.btf_custom_path = o->uprobe_host;
	} else {
		const char *kbtf = "/sys/kernel/btf/vmlinux";

		have_kbtf = access(kbtf, R_OK) == 0;
		if (o->btf_path) {
			p->vmlinux = btf__parse(o->btf_path, NULL);
			if (!p->vmlinux) {
				err = -errno ?: -ENOENT;
				rmi_err("give a vmlinux ELF or raw BTF file of the running kernel",
					"cannot read BTF from '%s': %s", o->btf_path,
					strerror(-err));
				goto fail;
			}
			oo.btf_custom_path = o->btf_path;
		} else if (have_kbtf) {
			p->vmlinux = btf__load_vmlinux_btf();
		} else {
			err = -ENOENT;
			rmi_err("this kernel has no /sys/kernel/btf/vmlinux: pass --btf PATH "
				"(a vmlinux with BTF of this kernel)",
				"no kernel BTF");
			goto fail;
		}
		p->kallsyms = read_file("/proc/kallsyms");
		infer_spec(p, p->vmlinux);
		resolve_kernel(p, have_kbtf);
	}
	set_rows(p);

	for (size_t i = 0; i < NHOOKS; i++) {
		any |= p->st[i].state == RMI_HOOK_FOUND && catalogue[i].required;
		if (p->st[i].state == RMI_HOOK_FAILED && catalogue[i].required &&
		    !o->discover_only) {
			err = -EPROTO;
			rmi_err("this host's series is not supported yet: 'rmitrace probes' lists "
				"every hook",
				"%s", p->st[i].why);
			goto fail;
		}
		if (p->st[i].state == RMI_HOOK_FAILED)
			rmi_warn("%s", p->st[i].why);
	}
	if (!any && o->discover_only) {
		*out = p; /* nothing to load: the caller only lists what is missing */
		return 0;
	}
	if (!any) {
		err = -ENOENT;
		if (o->uprobe_host)
			rmi_err("a host must define handle_rec_exit or kvm_rec_exit (docs/SIMHOST.md)",
				"no CCA hooks in '%s'", o->uprobe_host);
		else
			rmi_err("no Arm CCA host support here; to try the tools without CCA "
				"hardware run a simulated host and pass --uprobe-host PATH, "
				"as 'make demo' does",
				"this kernel has no CCA hooks: looked for handle_rec_exit, "
				"kvm_rec_exit, realm_psci_complete, kvm_init_realm(_vm), "
				"arm_smccc_1_2_smc in %s and /proc/kallsyms",
				o->btf_path ? o->btf_path : "vmlinux BTF");
		goto fail;
	}

	p->skel = rmi_bpf__open_opts(&oo);
	if (!p->skel) {
		err = -errno;
		rmi_err(NULL, "cannot open BPF object: %s", strerror(-err));
		goto fail;
	}
	p->skel->rodata->user_mode = o->uprobe_host != NULL;
	p->skel->rodata->emit_events = o->emit_events;
	p->skel->rodata->targ_tgid = o->pid;
	if (o->ringbuf_bytes) {
		uint32_t sz = 4096;

		while (sz < o->ringbuf_bytes && sz < (1u << 30))
			sz <<= 1;
		bpf_map__set_max_entries(p->skel->maps.events, sz);
	} else if (!o->emit_events) {
		/* aggregation only: keep the ring buffer small (realm events) */
		bpf_map__set_max_entries(p->skel->maps.events, 64 << 10);
	}
	if (o->max_vcpus) {
		uint32_t n = o->max_vcpus;

		bpf_map__set_max_entries(p->skel->maps.vcpus, n * 2);
		bpf_map__set_max_entries(p->skel->maps.exit_stats, n * 24);
		bpf_map__set_max_entries(p->skel->maps.smc_inflight, n * 2);
	}

	/* one flavour per hook: every other program stays out of the kernel */
	for (size_t i = 0; i < NHOOKS; i++) {
		const struct hook_def *h = &catalogue[i];
		struct bpf_program *pb = prog_at(p->skel, h->prog_btf);
		struct bpf_program *pk = prog_at(p->skel, h->prog_kp);
		struct bpf_program *pr = prog_at(p->skel, h->prog_ret);
		bool found = p->st[i].state == RMI_HOOK_FOUND;
		bool use_btf = found && p->choice[i].fl != FL_KPROBE;

		if (pb) {
			bpf_program__set_autoload(pb, use_btf);
			if (use_btf)
				bpf_program__set_attach_target(pb, 0, p->choice[i].target);
		}
		if (pk)
			bpf_program__set_autoload(pk, found && !use_btf);
		if (pr)
			bpf_program__set_autoload(pr, found && !use_btf);
	}
	*out = p;
	return 0;
fail:
	rmi_probe_destroy(p);
	return err;
}

static void mark(struct rmi_probe *p, size_t i, bool ret, enum rmi_hook_state state, int err)
{
	struct rmi_hook_status *s = &p->st[i];

	if (ret) {
		for (size_t k = NHOOKS; k < p->nst; k++) {
			if (!strcmp(p->st[k].hook, catalogue[i].name))
				s = &p->st[k];
		}
	}
	s->state = state;
	if (err)
		snprintf(s->why, sizeof(s->why), "attach failed: %s", strerror(-err));
}

int rmi_probe_attach(struct rmi_probe *p)
{
	struct timespec t0, t1;
	int err, nlinks = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = rmi_bpf__load(p->skel);
	if (err) {
		if (err == -EPERM || err == -EACCES)
			rmi_probe_check_privileges();
		rmi_err("run with -v for the verifier log", "cannot load BPF programs: %s",
			strerror(-err));
		return err;
	}
	for (size_t i = 0; i < NHOOKS; i++) {
		const struct hook_def *h = &catalogue[i];
		const struct choice *c = &p->choice[i];
		struct bpf_link *l;

		if (p->st[i].state != RMI_HOOK_FOUND)
			continue;
		for (int half = 0; half < 2; half++) {
			bool ret = half == 1;
			struct bpf_program *prog;

			if (c->fl != FL_KPROBE)
				prog = ret ? NULL : prog_at(p->skel, h->prog_btf);
			else
				prog = prog_at(p->skel, ret ? h->prog_ret : h->prog_kp);
			if (!prog)
				continue;
			if (c->fl != FL_KPROBE) {
				l = bpf_program__attach(prog);
			} else if (p->opts.uprobe_host) {
				LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = c->target,
					    .retprobe = ret);
				l = bpf_program__attach_uprobe_opts(prog,
								    p->opts.pid ? p->opts.pid : -1,
								    p->opts.uprobe_host, 0, &uo);
			} else {
				l = bpf_program__attach_kprobe(prog, ret, c->target);
			}
			if (!l) {
				err = -errno;
				mark(p, i, ret, RMI_HOOK_FAILED, err);
				if (h->required) {
					rmi_err(NULL, "cannot attach %s to %s: %s",
						p->st[i].flavour, c->target, strerror(-err));
					return err;
				}
				continue;
			}
			p->links[nlinks++] = l;
			mark(p, i, ret, RMI_HOOK_ATTACHED, 0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p->attach_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	return 0;
}

void rmi_probe_destroy(struct rmi_probe *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(p->links); i++)
		bpf_link__destroy(p->links[i]);
	rmi_bpf__destroy(p->skel);
	btf__free(p->vmlinux);
	free(p->kallsyms);
	free(p);
}

bool rmi_probe_usable(const struct rmi_probe *p)
{
	for (size_t i = 0; i < NHOOKS; i++)
		if (catalogue[i].required && p->st[i].state == RMI_HOOK_MISSING)
			return false;
	return p->skel != NULL;
}

int rmi_probe_attached(const struct rmi_probe *p)
{
	int n = 0;

	for (size_t i = 0; i < p->nst; i++)
		n += p->st[i].state == RMI_HOOK_ATTACHED;
	return n;
}

size_t rmi_probe_hooks(const struct rmi_probe *p, const struct rmi_hook_status **st)
{
	*st = p->st;
	return p->nst;
}

bool rmi_probe_user_mode(const struct rmi_probe *p)
{
	return p->opts.uprobe_host != NULL;
}

uint32_t rmi_probe_layout(const struct rmi_probe *p)
{
	return p->skel && p->skel->bss ? p->skel->bss->layout_flags : 0;
}

const char *rmi_probe_source(const struct rmi_probe *p)
{
	return p->opts.uprobe_host ? p->opts.uprobe_host : "kernel";
}

int rmi_probe_attach_ms(const struct rmi_probe *p)
{
	return p->attach_ms;
}

int rmi_probe_map_fd(const struct rmi_probe *p, const char *name)
{
	struct bpf_map *m = p->skel ? bpf_object__find_map_by_name(p->skel->obj, name) : NULL;

	return m ? bpf_map__fd(m) : -ENOENT;
}

bool rmi_probe_bpf_stats(const struct rmi_probe *p, uint64_t *run_ns, uint64_t *run_cnt)
{
	struct bpf_program *prog;
	char buf[8] = "0";
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");

	*run_ns = *run_cnt = 0;
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '0';
		fclose(f);
	}
	if (!p->skel)
		return false;
	bpf_object__for_each_program(prog, p->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		*run_ns += info.run_time_ns;
		*run_cnt += info.run_cnt;
	}
	return buf[0] == '1';
}

static const char *state_str(enum rmi_hook_state s)
{
	switch (s) {
	case RMI_HOOK_FOUND:
		return "found";
	case RMI_HOOK_ATTACHED:
		return "attached";
	case RMI_HOOK_FAILED:
		return "failed";
	default:
		return "missing";
	}
}

void rmi_probe_print(const struct rmi_probe *p, struct json_writer *w)
{
	uint32_t lay = rmi_probe_layout(p);

	if (w) {
		jw_start_object(w);
		jw_string_field(w, "source", rmi_probe_source(p));
		jw_u64_field(w, "attach_ms", p->attach_ms);
		jw_string_field(w, "rmm_spec", rmi_spec_str(p->spec));
		jw_string_field(w, "rmm_spec_why", p->spec_why);
		jw_name(w, "hooks");
		jw_start_array(w);
		for (size_t i = 0; i < p->nst; i++) {
			const struct rmi_hook_status *s = &p->st[i];

			jw_start_object(w);
			jw_string_field(w, "feature", s->feature);
			jw_string_field(w, "hook", s->hook);
			jw_string_field(w, "flavour", s->flavour);
			jw_string_field(w, "target", s->target);
			jw_string_field(w, "state", state_str(s->state));
			jw_bool_field(w, "required", s->required);
			jw_string_field(w, "why", s->why);
			jw_end_object(w);
		}
		jw_end_array(w);
		if (lay) {
			jw_name(w, "layout");
			jw_start_object(w);
			jw_bool_field(w, "aux_pages", lay & RMI_LAYOUT_AUX_PAGES);
			jw_bool_field(w, "sro", lay & RMI_LAYOUT_SRO);
			jw_bool_field(w, "gic_in_rec_run", lay & RMI_LAYOUT_GIC);
			jw_bool_field(w, "s2ap", lay & RMI_LAYOUT_S2AP);
			jw_end_object(w);
		}
		jw_end_object(w);
		return;
	}
	printf("source: %s (attach %d ms)\nRMM spec: %s (%s)\n", rmi_probe_source(p), p->attach_ms,
	       rmi_spec_str(p->spec), p->spec_why);
	printf("%-16s %-20s %-10s %-22s %-9s %s\n", "FEATURE", "HOOK", "FLAVOUR", "TARGET", "STATE",
	       "WHY");
	for (size_t i = 0; i < p->nst; i++) {
		const struct rmi_hook_status *s = &p->st[i];

		printf("%-16s %-20s %-10s %-22s %-9s %s\n", s->feature, s->hook, s->flavour,
		       s->target, state_str(s->state), s->why);
	}
}
