// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "defs.h"
#include "util.h"

static const char *const spec_names[RMI_SPEC__COUNT] = {
	[RMI_SPEC_1_0] = "1.0",
	[RMI_SPEC_1_1_ALP9] = "1.1-alp9",
	[RMI_SPEC_1_1_ALP12] = "1.1-alp12",
	[RMI_SPEC_1_1] = "1.1",
	[RMI_SPEC_2_0] = "2.0",
	[RMI_SPEC_2_0_BET1] = "2.0-bet1",
	[RMI_SPEC_2_0_BET2] = "2.0-bet2",
	[RMI_SPEC_2_0_BET3] = "2.0-bet3",
	[RMI_SPEC_NA] = "n/a",
};

#define SB(t) RMI_SPEC_BIT(RMI_SPEC_##t)
#define VARIANTS_1_1 (SB(1_1_ALP9) | SB(1_1_ALP12))
#define VARIANTS_2_0 (SB(2_0_BET1) | SB(2_0_BET2) | SB(2_0_BET3))

int rmi_spec_parse(const char *s, enum rmi_spec *out)
{
	for (int i = 0; i < RMI_SPEC__COUNT; i++) {
		if (i != RMI_SPEC_NA && s && !strcasecmp(s, spec_names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int rmi_spec_arg(const char *arg, enum rmi_spec *out)
{
	if (!rmi_spec_parse(arg, out))
		return 0;
	rmi_err("use 1.0, 1.1, 2.0, 1.1-alp9, 1.1-alp12 or 2.0-bet1..3",
		"unknown spec version '%s'", arg);
	return -EINVAL;
}

const char *rmi_spec_str(enum rmi_spec spec)
{
	return spec < RMI_SPEC__COUNT ? spec_names[spec] : "?";
}

/* The fallback set of a spec when no row carries the spec itself. */
static unsigned int spec_fallback(enum rmi_spec spec)
{
	switch (spec) {
	case RMI_SPEC_1_1:
		return VARIANTS_1_1;
	case RMI_SPEC_2_0:
		return VARIANTS_2_0;
	case RMI_SPEC_1_1_ALP9:
	case RMI_SPEC_1_1_ALP12:
		return SB(1_1);
	case RMI_SPEC_2_0_BET1:
	case RMI_SPEC_2_0_BET2:
	case RMI_SPEC_2_0_BET3:
		return SB(2_0);
	default:
		return 0;
	}
}

static void lookup_add(struct rmi_lookup *l, const struct rmi_def *d)
{
	for (int i = 0; i < l->n; i++) {
		if (!strcmp(l->defs[i]->name, d->name))
			return;
	}
	if (l->n < RMI_LOOKUP_MAX)
		l->defs[l->n++] = d;
	l->ambiguous = l->n > 1;
}

/*
 * Index for value lookups: numeric rows sorted by (kind, value, data
 * order), built once. Decoding is on the hot path of stream and report.
 */
static const struct rmi_def **by_kind_value;
static size_t n_indexed;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static int cmp_kv(const void *a, const void *b)
{
	const struct rmi_def *x = *(const struct rmi_def *const *)a;
	const struct rmi_def *y = *(const struct rmi_def *const *)b;
	int c = strcmp(x->kind, y->kind);

	if (c)
		return c;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x < y ? -1 : x > y; /* keep data order among equal values */
}

static void build_index(void)
{
	by_kind_value = malloc(rmi_defs_count * sizeof(*by_kind_value));
	if (!by_kind_value)
		return;
	for (size_t i = 0; i < rmi_defs_count; i++)
		if (rmi_defs[i].vtype == RMI_VAL_NUM)
			by_kind_value[n_indexed++] = &rmi_defs[i];
	qsort(by_kind_value, n_indexed, sizeof(*by_kind_value), cmp_kv);
}

static int lookup_mask(const char *kind, uint64_t value, unsigned int mask, struct rmi_lookup *out)
{
	size_t lo = 0, hi;

	pthread_once(&index_once, build_index);
	hi = n_indexed;
	/* first row of (kind, value) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct rmi_def *d = by_kind_value[mid];
		int c = strcmp(d->kind, kind);

		if (c < 0 || (c == 0 && d->num < value))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n_indexed; lo++) {
		const struct rmi_def *d = by_kind_value[lo];

		if (d->num != value || strcmp(d->kind, kind))
			break;
		if (d->specs & (mask | SB(NA)))
			lookup_add(out, d);
	}
	return out->n;
}

int rmi_lookup(const char *kind, uint64_t value, enum rmi_spec spec, struct rmi_lookup *out)
{
	memset(out, 0, sizeof(*out));
	if (spec >= RMI_SPEC__COUNT)
		spec = RMI_SPEC_DEFAULT;
	if (lookup_mask(kind, value, RMI_SPEC_BIT(spec), out)) {
		out->exact = true;
		return out->n;
	}
	return lookup_mask(kind, value, spec_fallback(spec), out);
}

static bool name_eq(const char *want, const char *have)
{
	static const char *const prefixes[] = { "RMI_",	    "RSI_", "PSCI_",
						"SMCCC_",   "RMM_", "REC_ENTER_FLAG_",
						"RMI_EXIT_" };

	if (!strcasecmp(want, have))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncmp(have, prefixes[i], n) && !strcasecmp(want, have + n))
			return true;
	}
	return false;
}

const struct rmi_def *rmi_lookup_name(const char *kind, const char *name, enum rmi_spec spec)
{
	const struct rmi_def *fallback = NULL;
	unsigned int fb = spec_fallback(spec);

	for (size_t i = 0; i < rmi_defs_count; i++) {
		const struct rmi_def *d = &rmi_defs[i];

		if ((kind && strcmp(d->kind, kind)) || !name_eq(name, d->name))
			continue;
		if (d->specs & (RMI_SPEC_BIT(spec) | SB(NA)))
			return d;
		if (!fallback && (d->specs & fb))
			fallback = d;
	}
	return fallback;
}

const char *rmi_lookup_fmt(const struct rmi_lookup *l, uint64_t value, char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return buf;
	if (!l->n) {
		snprintf(buf, len, "UNKNOWN(0x%" PRIx64 ")", value);
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < l->n && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i ? "|" : "", l->defs[i]->name);

		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

static const char *name_of(const char *kind, uint64_t v, enum rmi_spec spec, char *buf, size_t len)
{
	struct rmi_lookup l;

	rmi_lookup(kind, v, spec, &l);
	return rmi_lookup_fmt(&l, v, buf, len);
}

static const char *const fid_kinds[] = { "rmi_fid", "rsi_fid", "psci_fid", "smccc_fid",
					 "rmm_el3_fid" };

int rmi_fid_lookup(uint64_t fid, enum rmi_spec spec, struct rmi_lookup *out, const char **kind_out)
{
	uint64_t f = rmi_fid_mask(fid);

	memset(out, 0, sizeof(*out));
	if (kind_out)
		*kind_out = NULL;
	/* anything above bit 31 is not an SMCCC function ID */
	if (fid >> 32)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(fid_kinds); i++) {
		if (rmi_lookup(fid_kinds[i], f, spec, out)) {
			if (kind_out)
				*kind_out = fid_kinds[i];
			return out->n;
		}
	}
	return 0;
}

const char *rmi_fid_name(uint64_t fid, enum rmi_spec spec, char *buf, size_t len)
{
	struct rmi_lookup l;

	rmi_fid_lookup(fid, spec, &l, NULL);
	return rmi_lookup_fmt(&l, fid, buf, len);
}

/* RMI status codes whose bits 15:8 carry a level (RmiResult 2.0) */
static bool status_has_level(const char *name)
{
	return name && (!strcmp(name, "RMI_ERROR_RTT") || !strcmp(name, "RMI_ERROR_RTT_AUX") ||
			!strcmp(name, "RMI_ERROR_DPT") || !strcmp(name, "RMI_ERROR_PSMMU_ST"));
}

static bool spec_is_2(enum rmi_spec spec)
{
	return spec >= RMI_SPEC_2_0 && spec <= RMI_SPEC_2_0_BET3;
}

void rmi_status_decode(uint64_t word, enum rmi_spec spec, struct rmi_status *out)
{
	struct rmi_lookup l;

	memset(out, 0, sizeof(*out));
	out->word = word;
	out->status = word & 0xff;
	out->index = (word >> 8) & 0xff;
	if (rmi_lookup("rmi_status", out->status, spec, &l))
		out->name = l.defs[0]->name;

	if (spec_is_2(spec)) {
		if (status_has_level(out->name)) {
			out->has_level = true;
			out->bad_upper = word >> 16;
		} else if (out->name && !strcmp(out->name, "RMI_INCOMPLETE")) {
			out->memreq = (word >> 8) & 3;
			out->can_cancel = (word >> 10) & 1;
			out->bad_upper = word >> 11;
		} else {
			out->bad_upper = word >> 8;
		}
	} else {
		/* 1.x RmiCommandReturnCode: index in 15:8, the rest must be zero */
		out->has_index = out->name && (status_has_level(out->name) ||
					       !strcmp(out->name, "RMI_ERROR_REALM"));
		out->has_level = out->name && status_has_level(out->name);
		out->bad_upper = word >> 16;
		if (!out->has_index && out->index)
			out->bad_upper = true;
	}
}

const char *rmi_status_name(uint64_t word, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("rmi_status", word & 0xff, spec, buf, len);
}

const char *rmi_status_fmt(const struct rmi_status *st, enum rmi_spec spec, char *buf, size_t len)
{
	static const char *const memreq[] = { "NONE", "DONATE", "RECLAIM", "3" };
	char name[64];
	int w;

	if (st->name)
		snprintf(name, sizeof(name), "%s", st->name);
	else
		snprintf(name, sizeof(name), "UNKNOWN(0x%x)", st->status);

	if (st->has_level)
		w = snprintf(buf, len, "%s level=%u", name, st->index);
	else if (st->has_index)
		w = snprintf(buf, len, "%s index=%u", name, st->index);
	else if (spec_is_2(spec) && st->name && !strcmp(st->name, "RMI_INCOMPLETE"))
		w = snprintf(buf, len, "%s memreq=%s%s", name, memreq[st->memreq & 3],
			     st->can_cancel ? " can_cancel" : "");
	else
		w = snprintf(buf, len, "%s", name);
	if (st->bad_upper && w >= 0 && (size_t)w < len)
		snprintf(buf + w, len - w, " (reserved bits set: 0x%" PRIx64 ")", st->word);
	return buf;
}

const char *rmi_exit_name(uint64_t reason, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("exit_reason", reason, spec, buf, len);
}

const char *rmi_ripas_name(uint64_t ripas, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("ripas", ripas, spec, buf, len);
}

const char *rmi_rtt_state_name(uint64_t state, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("rtt_entry_state", state, spec, buf, len);
}

const char *rmi_rsi_status_name(uint64_t st, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("rsi_status", st, spec, buf, len);
}

const char *rmi_hipas_name(uint64_t ordinal, enum rmi_spec spec, char *buf, size_t len)
{
	uint64_t n = 0;

	for (size_t i = 0; i < rmi_defs_count; i++) {
		const struct rmi_def *d = &rmi_defs[i];

		if (strcmp(d->kind, "hipas"))
			continue;
		if (n++ == ordinal && (d->specs & (RMI_SPEC_BIT(spec) | spec_fallback(spec)))) {
			snprintf(buf, len, "%s", d->name);
			return buf;
		}
	}
	snprintf(buf, len, "UNKNOWN(0x%" PRIx64 ")", ordinal);
	return buf;
}

const char *rmi_psci_fid_name(uint64_t fid, enum rmi_spec spec, char *buf, size_t len)
{
	return name_of("psci_fid", rmi_fid_mask(fid), spec, buf, len);
}

const char *rmi_psci_ret_name(int64_t ret, char *buf, size_t len)
{
	/* TF-RMM sign-extends 32-bit PSCI codes; accept either width */
	if (ret > 0 && ret <= 0xffffffffll)
		ret = (int32_t)ret;
	return name_of("psci_status", (uint64_t)ret, RMI_SPEC_1_0, buf, len);
}

bool rmi_psci_needs_complete(uint64_t fid)
{
	switch (rmi_fid_mask(fid)) {
	case 0x84000003: /* CPU_ON */
	case 0xC4000003:
	case 0x84000004: /* AFFINITY_INFO */
	case 0xC4000004:
		return true;
	default:
		return false;
	}
}

int rmi_feat_fields(bool rsi, unsigned int reg, uint64_t value, enum rmi_spec spec, rmi_feat_fn fn,
		    void *ctx)
{
	char prefix[48];
	size_t plen;
	unsigned int mask = RMI_SPEC_BIT(spec);
	int n = 0;

	snprintf(prefix, sizeof(prefix), "%s_FEATURE_REGISTER_%u.", rsi ? "RSI" : "RMI", reg);
	plen = strlen(prefix);
	/* a base version also shows its variants' fields; exact rows come first */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < rmi_defs_count; i++) {
			const struct rmi_def *d = &rmi_defs[i];

			if (strcmp(d->kind, "feature_field") || strncmp(d->name, prefix, plen))
				continue;
			if (!(d->specs & (pass ? spec_fallback(spec) & ~mask : mask)))
				continue;
			fn(d, rmi_bits_get(value, d->hi, d->lo), ctx);
			n++;
		}
	}
	return n;
}
