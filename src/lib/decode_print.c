// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "decode_print.h"
#include "esr.h"
#include "util.h"

static const struct {
	const char *name;
	const char *tsv_kind; /* kind in the table, NULL when computed */
	const char *what;
} kinds[RMI_DK__COUNT] = {
	[RMI_DK_FID] = { "fid", NULL, "SMCCC function ID (RMI, RSI, PSCI, SMCCC, RMM-EL3)" },
	[RMI_DK_STATUS] = { "status", "rmi_status", "RMI command result word (X0)" },
	[RMI_DK_EXIT] = { "exit", "exit_reason", "REC exit reason" },
	[RMI_DK_ESR] = { "esr", NULL, "ESR_EL2 of a SYNC exit" },
	[RMI_DK_PSCI] = { "psci", "psci_fid", "PSCI function ID or return code" },
	[RMI_DK_RIPAS] = { "ripas", "ripas", "RIPAS value" },
	[RMI_DK_RTT_STATE] = { "rtt-state", "rtt_entry_state", "RTT entry state" },
	[RMI_DK_HIPAS] = { "hipas", "hipas", "HIPAS (abstract, by ordinal)" },
	[RMI_DK_RSI_STATUS] = { "rsi-status", "rsi_status", "RSI command return code" },
	[RMI_DK_FEAT] = { "feat", NULL, "feature register value (--reg N, --rsi)" },
};

int rmi_decode_kind_parse(const char *s)
{
	int found = -1;

	for (int i = 0; i < RMI_DK__COUNT; i++) {
		if (!strcasecmp(s, kinds[i].name))
			return i;
		if (rmi_is_prefix(s, kinds[i].name)) {
			if (found >= 0)
				return -1; /* ambiguous prefix */
			found = i;
		}
	}
	return found;
}

const char *rmi_decode_kind_names(void)
{
	return "fid|status|exit|esr|psci|ripas|rtt-state|hipas|rsi-status|feat";
}

/* A number, or a definition name of tsv_kind ("REC_ENTER", "RMI_EXIT_PSCI"). */
static int parse_value(const char *arg, const char *tsv_kind, enum rmi_spec spec, uint64_t *v)
{
	const struct rmi_def *d;

	if (!rmi_parse_u64(arg, v))
		return 0;
	/* psci takes FIDs and return codes: PSCI_DENIED is a name too */
	if (tsv_kind && !strcmp(tsv_kind, "psci_fid")) {
		d = rmi_lookup_name("psci_status", arg, spec);
		if (d && d->vtype == RMI_VAL_NUM) {
			*v = d->num;
			return 0;
		}
	}
	if (tsv_kind) {
		d = rmi_lookup_name(tsv_kind, arg, spec);
		if (d && d->vtype == RMI_VAL_NUM) {
			*v = d->num;
			return 0;
		}
	} else {
		/* fid: any FID kind */
		static const char *const fk[] = { "rmi_fid", "rsi_fid", "psci_fid", "smccc_fid",
						  "rmm_el3_fid" };
		for (size_t i = 0; i < ARRAY_SIZE(fk); i++) {
			d = rmi_lookup_name(fk[i], arg, spec);
			if (d && d->vtype == RMI_VAL_NUM) {
				*v = d->num;
				return 0;
			}
		}
	}
	return -EINVAL;
}

static void json_head(struct json_writer *w, const char *kind, uint64_t v,
		      const struct rmi_decode_opts *o)
{
	jw_start_object(w);
	jw_string_field(w, "kind", kind);
	jw_hex_field(w, "value", v);
	jw_string_field(w, "spec", rmi_spec_str(o->spec));
}

static void json_names(struct json_writer *w, const struct rmi_lookup *l, uint64_t v)
{
	char buf[256];

	jw_string_field(w, "name", rmi_lookup_fmt(l, v, buf, sizeof(buf)));
	jw_bool_field(w, "known", l->n > 0);
	jw_bool_field(w, "ambiguous", l->ambiguous);
	jw_bool_field(w, "exact", l->exact);
	jw_name(w, "definitions");
	jw_start_array(w);
	for (int i = 0; i < l->n; i++) {
		jw_start_object(w);
		jw_string_field(w, "name", l->defs[i]->name);
		jw_string_field(w, "kind", l->defs[i]->kind);
		jw_string_field(w, "spec_versions", l->defs[i]->spec_str);
		jw_string_field(w, "note", l->defs[i]->note);
		jw_end_object(w);
	}
	jw_end_array(w);
}

/* Text: "NAME (0x...)" then, for a match found only in another variant or
 * several names, a line saying so, then notes with -v. */
static void text_names(FILE *out, const struct rmi_lookup *l, uint64_t v,
		       const struct rmi_decode_opts *o, const char *extra)
{
	char buf[256];

	fprintf(out, "%s (0x%" PRIx64 ")%s%s\n", rmi_lookup_fmt(l, v, buf, sizeof(buf)), v,
		extra ? " " : "", extra ? extra : "");
	if (l->n && !l->exact)
		fprintf(out, "  not defined in spec %s; found in %s\n", rmi_spec_str(o->spec),
			l->defs[0]->spec_str);
	if (l->ambiguous)
		fprintf(out, "  ambiguous: %d definitions share this value in spec %s%s\n", l->n,
			rmi_spec_str(o->spec), o->spec_set ? "" : " (pick one with --spec)");
	for (int i = 0; i < l->n; i++) {
		if (l->ambiguous || o->verbose)
			fprintf(out, "  %s [%s] %s\n", l->defs[i]->name, l->defs[i]->spec_str,
				o->verbose ? l->defs[i]->note : "");
	}
}

static int decode_fid(uint64_t v, const struct rmi_decode_opts *o, FILE *out, struct json_writer *w)
{
	struct rmi_lookup l;
	const char *kind;
	bool sve = v & RMI_SMCCC_SVE_HINT;

	rmi_fid_lookup(v, o->spec, &l, &kind);
	if (w) {
		json_head(w, "fid", v, o);
		json_names(w, &l, v);
		jw_string_field(w, "fid_kind", kind);
		jw_bool_field(w, "sve_hint", sve);
		jw_bool_field(w, "fast_call", (v >> 31) & 1);
		jw_bool_field(w, "smc64", (v >> 30) & 1);
		jw_u64_field(w, "owner", (v >> 24) & 0x3f);
		jw_hex_field(w, "function_number", v & 0xffff);
		jw_end_object(w);
	} else {
		text_names(out, &l, v, o, kind ? kind : NULL);
		if (sve)
			fprintf(out, "  bit 16 set: SMCCC \"no live SVE state\" hint (masked)\n");
		if (!l.n)
			fprintf(out, "  %s call, %s, owner %" PRIu64 ", function 0x%" PRIx64 "\n",
				(v >> 31) & 1 ? "fast" : "yielding",
				(v >> 30) & 1 ? "SMC64" : "SMC32", (v >> 24) & 0x3f, v & 0xffff);
	}
	return 0;
}

static int decode_status(uint64_t v, const struct rmi_decode_opts *o, FILE *out,
			 struct json_writer *w)
{
	static const char *const memreq[] = { "NONE", "DONATE", "RECLAIM", "RESERVED" };
	struct rmi_status st;
	char buf[160];

	rmi_status_decode(v, o->spec, &st);
	rmi_status_fmt(&st, o->spec, buf, sizeof(buf));
	if (w) {
		json_head(w, "status", v, o);
		jw_string_field(w, "name", st.name ? st.name : buf);
		jw_bool_field(w, "known", st.name != NULL);
		jw_string_field(w, "text", buf);
		jw_u64_field(w, "status", st.status);
		if (st.has_level)
			jw_u64_field(w, "level", st.index);
		if (st.has_index)
			jw_u64_field(w, "index", st.index);
		if (st.name && !strcmp(st.name, "RMI_INCOMPLETE")) {
			jw_string_field(w, "memreq", memreq[st.memreq & 3]);
			jw_bool_field(w, "can_cancel", st.can_cancel);
		}
		jw_bool_field(w, "reserved_bits_set", st.bad_upper);
		jw_end_object(w);
	} else {
		fprintf(out, "%s (0x%" PRIx64 ")\n", buf, v);
	}
	return 0;
}

static int decode_table(enum rmi_decode_kind k, uint64_t v, const struct rmi_decode_opts *o,
			FILE *out, struct json_writer *w)
{
	struct rmi_lookup l;

	if (k == RMI_DK_HIPAS) {
		char buf[64];

		rmi_hipas_name(v, o->spec, buf, sizeof(buf));
		if (w) {
			json_head(w, kinds[k].name, v, o);
			jw_string_field(w, "name", buf);
			jw_bool_field(w, "known", strncmp(buf, "UNKNOWN", 7));
			jw_string_field(w, "note",
					"HIPAS has no ABI encoding; value is the ordinal");
			jw_end_object(w);
		} else {
			fprintf(out, "%s (ordinal %" PRIu64 ", abstract: no ABI encoding)\n", buf,
				v);
		}
		return 0;
	}
	rmi_lookup(kinds[k].tsv_kind, v, o->spec, &l);
	if (w) {
		json_head(w, kinds[k].name, v, o);
		json_names(w, &l, v);
		jw_end_object(w);
	} else {
		text_names(out, &l, v, o, NULL);
	}
	return 0;
}

static int decode_psci(uint64_t v, const struct rmi_decode_opts *o, FILE *out,
		       struct json_writer *w)
{
	char buf[64];

	/* PSCI FIDs are fast calls of owner 4 (0x84../0xC4..); return codes are
	 * small negatives, 32-bit (0xFFFFFFFD) or 64-bit */
	if ((v >> 24) == 0x84 || (v >> 24) == 0xC4) {
		int ret = decode_table(RMI_DK_PSCI, rmi_fid_mask(v), o, w ? NULL : out, w);

		if (!w && rmi_psci_needs_complete(v))
			fprintf(out, "  exits with RMI_EXIT_PSCI and needs RMI_PSCI_COMPLETE\n");
		return ret;
	}
	rmi_psci_ret_name((int64_t)v, buf, sizeof(buf));
	if (w) {
		json_head(w, "psci_ret", v, o);
		jw_string_field(w, "name", buf);
		jw_bool_field(w, "known", strncmp(buf, "UNKNOWN", 7));
		jw_s64_field(w, "code", v <= 0xffffffffull ? (int32_t)v : (int64_t)v);
		jw_end_object(w);
	} else {
		fprintf(out, "%s (%" PRId64 ")\n", buf,
			v <= 0xffffffffull ? (int64_t)(int32_t)v : (int64_t)v);
	}
	return 0;
}

static int decode_esr(uint64_t v, const struct rmi_decode_opts *o, FILE *out, struct json_writer *w)
{
	struct esr_info e;
	char buf[256];

	esr_decode(v, o->far, o->hpfar, o->have_addr, &e);
	if (w) {
		json_head(w, "esr", v, o);
		jw_string_field(w, "text", esr_fmt(&e, buf, sizeof(buf)));
		esr_json(&e, w);
		jw_end_object(w);
	} else {
		fprintf(out, "%s\n", esr_fmt(&e, buf, sizeof(buf)));
		fprintf(out, "  EC 0x%02x %s, IL=%d, ISS 0x%07x\n", e.ec, e.ec_desc, e.il, e.iss);
	}
	return 0;
}

struct feat_ctx {
	FILE *out;
	struct json_writer *w;
};

static void feat_field(const struct rmi_def *f, uint64_t val, void *ctx)
{
	struct feat_ctx *c = ctx;
	const char *field = strchr(f->name, '.');

	field = field ? field + 1 : f->name;
	if (c->w) {
		jw_start_object(c->w);
		jw_string_field(c->w, "field", field);
		jw_string_field(c->w, "bits", f->value);
		jw_u64_field(c->w, "value", val);
		jw_string_field(c->w, "spec_versions", f->spec_str);
		jw_end_object(c->w);
	} else {
		fprintf(c->out, "  %-24s [%5s] = %" PRIu64 " (0x%" PRIx64 ")%s%s\n", field,
			f->value, val, val, strchr(f->spec_str, '-') ? "  only " : "",
			strchr(f->spec_str, '-') ? f->spec_str : "");
	}
}

static int decode_feat(uint64_t v, const struct rmi_decode_opts *o, FILE *out,
		       struct json_writer *w)
{
	struct feat_ctx c = { out, w };
	int n;

	if (w) {
		json_head(w, "feat", v, o);
		jw_string_field(w, "register", o->feat_rsi ? "RSI" : "RMI");
		jw_u64_field(w, "index", o->feat_reg);
		jw_name(w, "fields");
		jw_start_array(w);
	} else {
		fprintf(out, "%s_FEATURE_REGISTER_%u = 0x%" PRIx64 " (spec %s)\n",
			o->feat_rsi ? "RSI" : "RMI", o->feat_reg, v, rmi_spec_str(o->spec));
	}
	n = rmi_feat_fields(o->feat_rsi, o->feat_reg, v, o->spec, feat_field, &c);
	if (w) {
		jw_end_array(w);
		jw_end_object(w);
	} else if (!n) {
		fprintf(out, "  no fields defined for this register in spec %s\n",
			rmi_spec_str(o->spec));
	}
	return 0;
}

int rmi_decode_print(enum rmi_decode_kind kind, const char *arg, const struct rmi_decode_opts *o,
		     FILE *out, struct json_writer *w)
{
	uint64_t v;

	if (kind < 0 || kind >= RMI_DK__COUNT)
		return -EINVAL;
	if (parse_value(arg, kinds[kind].tsv_kind, o->spec, &v)) {
		rmi_err("try a number (0x.., decimal) or a name from 'rmitrace defs'",
			"cannot decode '%s' as %s", arg, kinds[kind].what);
		return -EINVAL;
	}
	switch (kind) {
	case RMI_DK_FID:
		return decode_fid(v, o, out, w);
	case RMI_DK_STATUS:
		return decode_status(v, o, out, w);
	case RMI_DK_ESR:
		return decode_esr(v, o, out, w);
	case RMI_DK_PSCI:
		return decode_psci(v, o, out, w);
	case RMI_DK_FEAT:
		return decode_feat(v, o, out, w);
	default:
		return decode_table(kind, v, o, out, w);
	}
}

/* "fid" selects every *_fid kind; decode kind names map to their table kind */
static bool kind_matches(const char *want, const char *kind)
{
	int dk;

	if (!want)
		return true;
	if (!strcmp(want, kind))
		return true;
	if (!strcmp(want, "fid"))
		return strstr(kind, "_fid") != NULL;
	dk = rmi_decode_kind_parse(want);
	return dk >= 0 && kinds[dk].tsv_kind && !strcmp(kinds[dk].tsv_kind, kind);
}

int rmi_defs_print(const char *kind, const enum rmi_spec *spec, const char *name_sub, bool verbose,
		   FILE *out, struct json_writer *w)
{
	int n = 0;

	if (w)
		jw_start_array(w);
	for (size_t i = 0; i < rmi_defs_count; i++) {
		const struct rmi_def *d = &rmi_defs[i];

		if (!kind_matches(kind, d->kind))
			continue;
		if (spec && !(d->specs & (RMI_SPEC_BIT(*spec) | RMI_SPEC_BIT(RMI_SPEC_NA))))
			continue;
		if (name_sub && !strcasestr(d->name, name_sub))
			continue;
		n++;
		if (w) {
			jw_start_object(w);
			jw_string_field(w, "kind", d->kind);
			jw_string_field(w, "name", d->name);
			jw_string_field(w, "value", d->value);
			jw_string_field(w, "spec_versions", d->spec_str);
			jw_string_field(w, "note", d->note);
			jw_end_object(w);
		} else {
			fprintf(out, "%-18s %-42s %-12s %s\n", d->kind, d->name, d->value,
				d->spec_str);
			if (verbose)
				fprintf(out, "    %s\n", d->note);
		}
	}
	if (w)
		jw_end_array(w);
	return n;
}
