/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The full RMI/RSI/PSCI/SMCCC definitions of RMM 1.0, the 1.1 line and 2.0,
 * generated from include/rmi/defs.tsv, and lookups that take a spec version.
 * Unknown values never fail: they format as UNKNOWN(0x...).
 */
#ifndef RMI_LIB_DEFS_H
#define RMI_LIB_DEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Spec tokens of the data (see docs/DEFINITIONS.md for what each means). */
enum rmi_spec {
	RMI_SPEC_1_0,
	RMI_SPEC_1_1_ALP9,
	RMI_SPEC_1_1_ALP12,
	RMI_SPEC_1_1,
	RMI_SPEC_2_0,
	RMI_SPEC_2_0_BET1,
	RMI_SPEC_2_0_BET2,
	RMI_SPEC_2_0_BET3,
	RMI_SPEC_NA, /* RMM<->EL3 interface: not part of DEN0137 */
	RMI_SPEC__COUNT,
};
#define RMI_SPEC_BIT(t) (1u << (t))
#define RMI_SPEC_DEFAULT RMI_SPEC_2_0

enum rmi_val_type {
	RMI_VAL_NUM, /* num */
	RMI_VAL_BITS, /* bit field hi:lo */
	RMI_VAL_RANGE, /* num .. num_hi */
	RMI_VAL_NONE, /* abstract (HIPAS): no ABI encoding */
	RMI_VAL_TEXT, /* descriptive only */
};

struct rmi_def {
	const char *kind; /* rmi_fid, rmi_status, exit_reason, ... */
	const char *name;
	const char *value; /* as written in the data */
	uint64_t num;
	uint64_t num_hi;
	int hi, lo;
	enum rmi_val_type vtype;
	unsigned int specs; /* RMI_SPEC_BIT() mask */
	const char *spec_str;
	const char *note;
};

extern const struct rmi_def rmi_defs[];
extern const size_t rmi_defs_count;

/* "1.0", "1.1", "2.0", "1.1-alp9", "2.0-bet3", ...; returns 0 or -EINVAL. */
int rmi_spec_parse(const char *s, enum rmi_spec *out);
/* rmi_spec_parse for a --spec argument: prints the error with the accepted list. */
int rmi_spec_arg(const char *arg, enum rmi_spec *out);
const char *rmi_spec_str(enum rmi_spec spec);

#define RMI_LOOKUP_MAX 8
struct rmi_lookup {
	const struct rmi_def *defs[RMI_LOOKUP_MAX]; /* matches, data order */
	int n;
	bool exact; /* rows carry the asked spec token itself */
	bool ambiguous; /* more than one distinct name */
};

/*
 * Value -> definitions of one kind for a spec. Rows tagged with the spec
 * itself win; failing that, a base version (1.1, 2.0) falls back to its
 * alpha/beta variants and a variant falls back to its base version, with
 * exact = false. RMM-EL3 rows (n/a) match every spec. Returns n.
 */
int rmi_lookup(const char *kind, uint64_t value, enum rmi_spec spec, struct rmi_lookup *out);
/* Name -> definition; case-insensitive, the RMI_/RSI_/PSCI_ prefix optional. */
const struct rmi_def *rmi_lookup_name(const char *kind, const char *name, enum rmi_spec spec);

/*
 * Formats the names of a lookup: "NAME", "A|B" when ambiguous, or
 * "UNKNOWN(0x...)" when nothing matched. Returns buf.
 */
const char *rmi_lookup_fmt(const struct rmi_lookup *l, uint64_t value, char *buf, size_t len);

/* SMCCC bit 16 is the "no live SVE state" hint: not part of the function. */
#define RMI_SMCCC_SVE_HINT (1ull << 16)
static inline uint64_t rmi_fid_mask(uint64_t fid)
{
	return (fid & 0xffffffffull) & ~RMI_SMCCC_SVE_HINT;
}

/*
 * Function ID -> name over every FID kind (RMI, RSI, PSCI, SMCCC, RMM-EL3).
 * *kind_out (may be NULL) gets the kind that matched or NULL.
 */
int rmi_fid_lookup(uint64_t fid, enum rmi_spec spec, struct rmi_lookup *out, const char **kind_out);
const char *rmi_fid_name(uint64_t fid, enum rmi_spec spec, char *buf, size_t len);

/* An RMI command result word (X0) split per RmiCommandReturnCode/RmiResult. */
struct rmi_status {
	uint64_t word;
	uint8_t status; /* bits 7:0 */
	uint8_t index; /* bits 15:8: RTT level / index (1.0, 1.1), level (2.0) */
	bool has_level; /* status whose bits 15:8 are an RTT/DPT level */
	bool has_index; /* 1.x index meaningful (RMI_ERROR_RTT*, RMI_ERROR_REALM) */
	uint8_t memreq; /* 2.0 RMI_INCOMPLETE: 0 none, 1 donate, 2 reclaim */
	bool can_cancel; /* 2.0 RMI_INCOMPLETE bit 10 */
	bool bad_upper; /* bits that must be zero are not */
	const char *name; /* NULL when unknown */
};
void rmi_status_decode(uint64_t word, enum rmi_spec spec, struct rmi_status *out);
/* "RMI_ERROR_RTT level=2", "RMI_INCOMPLETE memreq=DONATE can_cancel", ... */
const char *rmi_status_fmt(const struct rmi_status *st, enum rmi_spec spec, char *buf, size_t len);
/* Short name only, "UNKNOWN(0x..)" for unknown: hot path for reports. */
const char *rmi_status_name(uint64_t word, enum rmi_spec spec, char *buf, size_t len);

/*
 * An RMI result that is a failure: any status but SUCCESS and INCOMPLETE
 * (2.0: a stateful operation asking for its next step, normal flow).
 */
static inline bool rmi_status_is_error(uint64_t word)
{
	unsigned int st = word & 0xff;

	return st != 0 && st != 13;
}

const char *rmi_exit_name(uint64_t reason, enum rmi_spec spec, char *buf, size_t len);
const char *rmi_ripas_name(uint64_t ripas, enum rmi_spec spec, char *buf, size_t len);
const char *rmi_rtt_state_name(uint64_t state, enum rmi_spec spec, char *buf, size_t len);
/* HIPAS is abstract: ordinal in the spec's enumeration order. */
const char *rmi_hipas_name(uint64_t ordinal, enum rmi_spec spec, char *buf, size_t len);
const char *rmi_psci_fid_name(uint64_t fid, enum rmi_spec spec, char *buf, size_t len);
/* PSCI return code, sign-extended from 32 or 64 bits. */
const char *rmi_psci_ret_name(int64_t ret, char *buf, size_t len);
const char *rmi_rsi_status_name(uint64_t st, enum rmi_spec spec, char *buf, size_t len);

/* True for CPU_ON / AFFINITY_INFO (32/64): the exits that need RMI_PSCI_COMPLETE. */
bool rmi_psci_needs_complete(uint64_t fid);

/* Calls fn for every field of feature register reg (RMI, or RSI when rsi). */
typedef void (*rmi_feat_fn)(const struct rmi_def *field, uint64_t field_val, void *ctx);
int rmi_feat_fields(bool rsi, unsigned int reg, uint64_t value, enum rmi_spec spec, rmi_feat_fn fn,
		    void *ctx);

/* Bit field helpers for RMI_VAL_BITS rows. */
static inline uint64_t rmi_bits_get(uint64_t v, int hi, int lo)
{
	unsigned int w = hi - lo + 1;

	return w >= 64 ? v : (v >> lo) & ((1ull << w) - 1);
}

#endif
