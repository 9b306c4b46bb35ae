/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ESR_EL2 decoding for REC exits: exception class, abort syndrome with the
 * faulting IPA (HPFAR_EL2 + FAR_EL2), WFx, trapped system registers, HVC/SMC.
 * Unknown values never fail: they decode to UNKNOWN_EC(0x..)/UNKNOWN_FSC(0x..).
 * Every string in struct esr_info is static, so the struct may be copied.
 */
#ifndef RMI_LIB_ESR_H
#define RMI_LIB_ESR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer;

enum esr_class {
	ESR_CLASS_OTHER,
	ESR_CLASS_DABT, /* EC 0x24, 0x25 */
	ESR_CLASS_IABT, /* EC 0x20, 0x21 */
	ESR_CLASS_WFX, /* EC 0x01 */
	ESR_CLASS_SYSREG, /* EC 0x18 */
	ESR_CLASS_HVC, /* EC 0x12, 0x16 */
	ESR_CLASS_SMC, /* EC 0x13, 0x17 */
	ESR_CLASS_SERROR, /* EC 0x2F */
};

/*
 * fsc_level when the fault status code has no lookup level. Not -2: level -2
 * is a real level with FEAT_D128 (e.g. DFSC 0x2A, translation fault level -2).
 */
#define ESR_FSC_LEVEL_NONE (-128)

struct esr_info {
	uint64_t esr;
	unsigned int ec;
	const char *ec_name; /* "DABT_LOW", "SYS64", ... or "UNKNOWN_EC(0x02)" */
	const char *ec_desc; /* "Data Abort from a lower Exception level" */
	bool il; /* 32-bit instruction */
	uint32_t iss;
	enum esr_class cls;

	/* aborts (ESR_CLASS_DABT, ESR_CLASS_IABT) */
	bool isv; /* data aborts: sas_bytes, sse, srt, sf, ar are valid */
	unsigned int sas_bytes; /* 1, 2, 4, 8; 0 when !isv */
	bool sse;
	unsigned int srt;
	bool sf;
	bool ar;
	bool wnr;
	bool fnv;
	bool s1ptw;
	bool cm;
	bool ea;
	bool vncr;
	unsigned int fsc;
	const char *fsc_name; /* "TRANS_L3", "GPF_L2", ... or "UNKNOWN_FSC(0x19)" */
	int fsc_level; /* -2..3, or ESR_FSC_LEVEL_NONE */
	bool far_valid; /* abort, have_addr and !fnv */
	uint64_t far; /* as given */
	uint64_t hpfar; /* as given */
	bool ipa_valid; /* abort and have_addr */
	uint64_t ipa; /* page-aligned when !far_valid */
	bool ipa_ns; /* HPFAR_EL2 bit 63, see include/rmi/esr.h */

	/* WFx */
	const char *wfx_name; /* "WFI", "WFE", "WFIT", "WFET" */
	bool wfx_rv; /* WFIT/WFET: wfx_rn holds the timeout register */
	unsigned int wfx_rn;

	/* trapped MSR/MRS/SYS/SYSL */
	unsigned int op0, op1, crn, crm, op2, rt;
	bool read; /* MRS/SYSL */
	const char *sysreg_name; /* "CNTVCT_EL0", "DC CISW", ...; NULL when not in the table */

	/* HVC/SMC immediate (0 for SMC32, which has none) */
	unsigned int imm;
};

/*
 * Decodes esr; far and hpfar are FAR_EL2 and HPFAR_EL2 of the same exit and
 * are used only when have_addr is true and the exception is an abort.
 */
void esr_decode(uint64_t esr, uint64_t far, uint64_t hpfar, bool have_addr, struct esr_info *out);

/*
 * One line, e.g. "DABT_LOW write ISV SAS=4 SRT=x1 SF=0 DFSC=TRANS_L3 ipa=0x8010000",
 * "WFx WFI", "SYS64 MRS CNTVCT_EL0 x3 (op0=3 op1=3 CRn=14 CRm=0 op2=2)", "HVC64 #0".
 * Truncates to fit and always NUL-terminates when len > 0. Returns buf.
 */
const char *esr_fmt(const struct esr_info *e, char *buf, size_t len);

/*
 * The decoded fields as members of an already-open JSON object: esr, ec, ec_name,
 * ec_desc, il, iss, class, then the class-specific ones.
 */
void esr_json(const struct esr_info *e, struct json_writer *w);

/* "dabt", "iabt", "wfx", "sysreg", "hvc", "smc", "serror", "other" */
const char *esr_class_name(enum esr_class cls);

/* Name of a trapped system register or instruction by encoding, or NULL. */
const char *esr_sysreg_name(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
			    unsigned int op2);

#endif
