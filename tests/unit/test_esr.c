// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ESR_EL2 decoding. Every vector is built by hand from the bit layout
 * (EC[31:26], IL[25], ISS[24:0]) with the arithmetic in the comment next to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/esr.h"
#include "lib/json.h"
#include "rmi/esr.h"

static struct esr_info dec(uint64_t esr, uint64_t far, uint64_t hpfar, bool have_addr)
{
	struct esr_info e;

	esr_decode(esr, far, hpfar, have_addr, &e);
	return e; /* the struct holds only static strings: copying it is fine */
}

static const char *fmt(const struct esr_info *e)
{
	static char buf[256];

	return esr_fmt(e, buf, sizeof(buf));
}

/* The decoded fields inside one JSON object, as a malloc'ed string. */
static char *json_of(const struct esr_info *e)
{
	char *out = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&out, &sz);
	struct json_writer *w;

	assert_non_null(f);
	w = jw_new(f, false);
	assert_non_null(w);
	jw_start_object(w);
	esr_json(e, w);
	jw_end_object(w);
	jw_destroy(w);
	fclose(f);
	return out;
}

#define assert_has(hay, needle)                                        \
	do {                                                           \
		if (!strstr((hay), (needle)))                          \
			fail_msg("missing %s in %s", (needle), (hay)); \
	} while (0)
#define assert_lacks(hay, needle)                                         \
	do {                                                              \
		if (strstr((hay), (needle)))                              \
			fail_msg("unexpected %s in %s", (needle), (hay)); \
	} while (0)

/*
 * (a) Data abort, write, ISV, from a lower EL (the MMIO store of a realm):
 *   EC  DABT_LOW 0x24 << 26  = 0x90000000
 *   IL  1 << 25              = 0x02000000
 *   ISV 1 << 24              = 0x01000000
 *   SAS 2 (word) << 22       = 0x00800000
 *   SRT 1 << 16              = 0x00010000
 *   WnR 1 << 6               = 0x00000040
 *   DFSC 0x07 (translation, level 3)
 *   ESR = 0x90000000 + 0x02000000 + 0x01000000 + 0x00800000 + 0x10000 + 0x40 + 0x07
 *       = 0x93810047, ISS = 0x1810047
 * HPFAR 0x80100: FIPA = 0x80100 >> 4 = 0x8010 = IPA[55:12], so the page is
 * 0x8010 << 12 = 0x8010000 (= (0x80100 & FIPA_MASK) << 8); FAR[11:0] = 0xab8
 * gives IPA 0x8010ab8.
 */
static void test_dabt_write_isv(void **state)
{
	struct esr_info e = dec(0x93810047, 0xffff800012345ab8ull, 0x80100, true);

	(void)state;
	assert_int_equal(e.esr, 0x93810047);
	assert_int_equal(e.ec, 0x24);
	assert_string_equal(e.ec_name, "DABT_LOW");
	assert_string_equal(e.ec_desc, "Data Abort from a lower Exception level");
	assert_true(e.il);
	assert_int_equal(e.iss, 0x1810047);
	assert_int_equal(e.cls, ESR_CLASS_DABT);
	assert_true(e.isv);
	assert_int_equal(e.sas_bytes, 4);
	assert_false(e.sse);
	assert_int_equal(e.srt, 1);
	assert_false(e.sf);
	assert_false(e.ar);
	assert_true(e.wnr);
	assert_false(e.fnv);
	assert_false(e.s1ptw);
	assert_false(e.cm);
	assert_false(e.ea);
	assert_false(e.vncr);
	assert_int_equal(e.fsc, 0x07);
	assert_string_equal(e.fsc_name, "TRANS_L3");
	assert_int_equal(e.fsc_level, 3);
	assert_true(e.far_valid);
	assert_true(e.ipa_valid);
	assert_int_equal(e.ipa, 0x8010ab8);
	assert_false(e.ipa_ns);
	/* the same word through the public macros */
	assert_int_equal(ESR_EL2_EC(e.esr), ESR_EL2_EC_DABT_LOW);
	assert_int_equal(ESR_EL2_SAS(e.esr), ESR_EL2_SAS_WORD);
	assert_int_equal(ESR_EL2_SRT(e.esr), 1);
	assert_int_equal(ESR_EL2_FSC(e.esr), ESR_EL2_FSC_FAULT_L(3));
	assert_int_equal(HPFAR_EL2_IPA(0x80100ull), 0x8010000);
}

/*
 * (b) Stage-2 translation fault, level 3, read, no ISV, FnV = 0:
 *   0x24 << 26 | IL = 0x92000000, DFSC 0x07  ->  ESR = 0x92000007, ISS = 0x7
 * HPFAR 0x880000 -> FIPA 0x88000 -> page 0x88000000; FAR[11:0] = 0x123.
 */
static void test_dabt_trans_l3_no_isv(void **state)
{
	struct esr_info e = dec(0x92000007, 0x123, 0x880000, true);

	(void)state;
	assert_int_equal(e.cls, ESR_CLASS_DABT);
	assert_int_equal(e.iss, 0x7);
	assert_false(e.isv);
	assert_int_equal(e.sas_bytes, 0); /* not valid without ISV */
	assert_int_equal(e.srt, 0);
	assert_false(e.wnr);
	assert_false(e.fnv);
	assert_string_equal(e.fsc_name, "TRANS_L3");
	assert_int_equal(e.fsc_level, 3);
	assert_true(e.far_valid);
	assert_true(e.ipa_valid);
	assert_int_equal(e.ipa, 0x88000123);
	assert_string_equal(fmt(&e), "DABT_LOW read DFSC=TRANS_L3 ipa=0x88000123");

	/* without FAR/HPFAR there is no address */
	e = dec(0x92000007, 0x123, 0x880000, false);
	assert_false(e.far_valid);
	assert_false(e.ipa_valid);
	assert_int_equal(e.ipa, 0);
	assert_string_equal(fmt(&e), "DABT_LOW read DFSC=TRANS_L3");
}

/*
 * (c) WFx: EC 0x01 << 26 = 0x04000000, | IL = 0x06000000, TI = ISS[1:0].
 *   WFI  TI 0 -> 0x06000000
 *   WFE  TI 1 -> 0x06000001
 *   WFIT TI 2, RV (bit 2) = 0x4, RN 5 << 5 = 0xa0 -> 0x06000000 + 0xa0 + 0x4 + 0x2 = 0x060000a6
 *   WFET TI 3 -> 0x06000003
 */
static void test_wfx(void **state)
{
	struct esr_info e;

	(void)state;
	e = dec(0x06000000, 0, 0, false);
	assert_int_equal(e.ec, 0x01);
	assert_string_equal(e.ec_name, "WFx");
	assert_int_equal(e.cls, ESR_CLASS_WFX);
	assert_string_equal(e.wfx_name, "WFI");
	assert_false(e.wfx_rv);
	assert_false(e.ipa_valid);
	assert_string_equal(fmt(&e), "WFx WFI");

	e = dec(0x06000001, 0, 0, false);
	assert_string_equal(e.wfx_name, "WFE");
	assert_string_equal(fmt(&e), "WFx WFE");

	e = dec(0x060000a6, 0, 0, false);
	assert_string_equal(e.wfx_name, "WFIT");
	assert_true(e.wfx_rv);
	assert_int_equal(e.wfx_rn, 5);
	assert_string_equal(fmt(&e), "WFx WFIT x5");

	e = dec(0x06000003, 0, 0, false);
	assert_string_equal(e.wfx_name, "WFET");
	assert_false(e.wfx_rv);
	assert_string_equal(fmt(&e), "WFx WFET");
}

/*
 * (d) MSR ICC_SGI1R_EL1, x2 (sys_reg(3, 0, 12, 11, 5), a write):
 *   EC 0x18 << 26 = 0x60000000, | IL = 0x62000000
 *   Op0 3 << 20 = 0x300000, Op2 5 << 17 = 0xa0000, Op1 0 << 14 = 0,
 *   CRn 12 << 10 = 0x3000, Rt 2 << 5 = 0x40, CRm 11 << 1 = 0x16, Direction 0
 *   ISS = 0x300000 + 0xa0000 + 0x3000 + 0x40 + 0x16 = 0x3a3056 -> ESR 0x623a3056
 */
static void test_sysreg_msr(void **state)
{
	struct esr_info e = dec(0x623a3056, 0, 0, false);

	(void)state;
	assert_int_equal(e.ec, 0x18);
	assert_string_equal(e.ec_name, "SYS64");
	assert_int_equal(e.cls, ESR_CLASS_SYSREG);
	assert_int_equal(e.iss, 0x3a3056);
	assert_int_equal(e.op0, 3);
	assert_int_equal(e.op1, 0);
	assert_int_equal(e.crn, 12);
	assert_int_equal(e.crm, 11);
	assert_int_equal(e.op2, 5);
	assert_int_equal(e.rt, 2);
	assert_false(e.read);
	assert_string_equal(e.sysreg_name, "ICC_SGI1R_EL1");
	assert_string_equal(fmt(&e),
			    "SYS64 MSR ICC_SGI1R_EL1 x2 (op0=3 op1=0 CRn=12 CRm=11 op2=5)");
	assert_int_equal(ESR_EL2_SYS64_REG(3UL, 0UL, 12UL, 11UL, 5UL),
			 0x623a3056UL & ESR_EL2_SYS64_REG_MASK);
}

/*
 * (d) MRS x3, CNTVCT_EL0 (sys_reg(3, 3, 14, 0, 2), a read):
 *   Op0 3 << 20 = 0x300000, Op2 2 << 17 = 0x40000, Op1 3 << 14 = 0xc000,
 *   CRn 14 << 10 = 0x3800, Rt 3 << 5 = 0x60, CRm 0, Direction 1
 *   ISS = 0x300000 + 0x40000 + 0xc000 + 0x3800 + 0x60 + 1 = 0x34f861 -> ESR 0x6234f861
 * DC CISW, x4 (sys_insn(1, 0, 7, 14, 2), write):
 *   Op0 1 << 20 = 0x100000, Op2 2 << 17 = 0x40000, CRn 7 << 10 = 0x1c00,
 *   Rt 4 << 5 = 0x80, CRm 14 << 1 = 0x1c  ->  ISS 0x141c9c, ESR 0x62141c9c
 * MRS x0, S3_7_C15_C2_0 (IMPLEMENTATION DEFINED, not in the table):
 *   Op0 0x300000, Op1 7 << 14 = 0x1c000, CRn 15 << 10 = 0x3c00, CRm 2 << 1 = 0x4,
 *   Direction 1  ->  ISS 0x31fc05, ESR 0x6231fc05
 */
static void test_sysreg_mrs(void **state)
{
	struct esr_info e = dec(0x6234f861, 0, 0, false);

	(void)state;
	assert_int_equal(e.op0, 3);
	assert_int_equal(e.op1, 3);
	assert_int_equal(e.crn, 14);
	assert_int_equal(e.crm, 0);
	assert_int_equal(e.op2, 2);
	assert_int_equal(e.rt, 3);
	assert_true(e.read);
	assert_string_equal(e.sysreg_name, "CNTVCT_EL0");
	assert_string_equal(fmt(&e), "SYS64 MRS CNTVCT_EL0 x3 (op0=3 op1=3 CRn=14 CRm=0 op2=2)");
	assert_int_equal(ESR_EL2_SYS64_REG(3UL, 3UL, 14UL, 0UL, 2UL) | ESR_EL2_SYS64_DIR_READ |
				 3UL << ESR_EL2_SYS64_RT_SHIFT | ESR_EL2_IL |
				 ESR_EL2_EC_SYS64 << ESR_EL2_EC_SHIFT,
			 0x6234f861UL);

	e = dec(0x62141c9c, 0, 0, false);
	assert_int_equal(e.op0, 1);
	assert_false(e.read);
	assert_string_equal(e.sysreg_name, "DC CISW");
	assert_string_equal(fmt(&e), "SYS64 SYS DC CISW x4 (op0=1 op1=0 CRn=7 CRm=14 op2=2)");

	e = dec(0x6231fc05, 0, 0, false);
	assert_null(e.sysreg_name);
	assert_string_equal(fmt(&e), "SYS64 MRS S3_7_C15_C2_0 x0 (op0=3 op1=7 CRn=15 CRm=2 op2=0)");

	/* Rt = 31 is xzr: 0x623a3056 with Rt 2 -> 31 adds (31 - 2) << 5 = 0x3a0 */
	e = dec(0x623a33f6, 0, 0, false);
	assert_int_equal(e.rt, 31);
	assert_string_equal(fmt(&e),
			    "SYS64 MSR ICC_SGI1R_EL1 xzr (op0=3 op1=0 CRn=12 CRm=11 op2=5)");
}

static void test_sysreg_table(void **state)
{
	(void)state;
	assert_string_equal(esr_sysreg_name(3, 0, 1, 0, 0), "SCTLR_EL1");
	assert_string_equal(esr_sysreg_name(2, 0, 0, 2, 2), "MDSCR_EL1");
	assert_string_equal(esr_sysreg_name(2, 0, 1, 0, 4), "OSLAR_EL1");
	assert_string_equal(esr_sysreg_name(2, 0, 1, 1, 4), "OSLSR_EL1");
	assert_string_equal(esr_sysreg_name(2, 0, 1, 3, 4), "OSDLR_EL1");
	assert_string_equal(esr_sysreg_name(3, 3, 9, 12, 0), "PMCR_EL0");
	assert_string_equal(esr_sysreg_name(3, 3, 9, 13, 0), "PMCCNTR_EL0");
	assert_string_equal(esr_sysreg_name(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1");
	assert_string_equal(esr_sysreg_name(3, 0, 0, 7, 2), "ID_AA64MMFR2_EL1");
	assert_string_equal(esr_sysreg_name(3, 3, 14, 3, 1), "CNTV_CTL_EL0");
	assert_string_equal(esr_sysreg_name(3, 3, 14, 2, 2), "CNTP_CVAL_EL0");
	assert_string_equal(esr_sysreg_name(3, 0, 12, 12, 7), "ICC_IGRPEN1_EL1");
	assert_string_equal(esr_sysreg_name(1, 0, 7, 6, 2), "DC ISW");
	assert_string_equal(esr_sysreg_name(1, 0, 7, 10, 2), "DC CSW");
	/* generated families: DBGBCR<n> is (2, 0, 0, n, 5) */
	assert_string_equal(esr_sysreg_name(2, 0, 0, 5, 5), "DBGBCR5_EL1");
	assert_string_equal(esr_sysreg_name(2, 0, 0, 15, 7), "DBGWCR15_EL1");
	/* PMEVCNTR<n>: CRm = 8 + n / 8, op2 = n % 8; n = 10 -> CRm 9, op2 2 */
	assert_string_equal(esr_sysreg_name(3, 3, 14, 9, 2), "PMEVCNTR10_EL0");
	/* PMEVTYPER<n>: CRm = 12 + n / 8; n = 30 -> CRm 15, op2 6 */
	assert_string_equal(esr_sysreg_name(3, 3, 14, 15, 6), "PMEVTYPER30_EL0");
	assert_string_equal(esr_sysreg_name(3, 3, 14, 15, 7), "PMCCFILTR_EL0");
	assert_null(esr_sysreg_name(3, 3, 14, 11, 7)); /* "PMEVCNTR31" does not exist */
	assert_null(esr_sysreg_name(4, 0, 0, 0, 0)); /* out of range */
}

/*
 * (e) HVC #imm16 from AArch64: EC 0x16 << 26 = 0x58000000, | IL = 0x5a000000
 *   HVC #0      -> 0x5a000000
 *   HVC #0x1234 -> 0x5a000000 | 0x1234 = 0x5a001234
 */
static void test_hvc(void **state)
{
	struct esr_info e = dec(0x5a000000, 0, 0, false);

	(void)state;
	assert_int_equal(e.ec, 0x16);
	assert_string_equal(e.ec_name, "HVC64");
	assert_int_equal(e.cls, ESR_CLASS_HVC);
	assert_int_equal(e.imm, 0);
	assert_string_equal(fmt(&e), "HVC64 #0");

	e = dec(0x5a001234, 0, 0, false);
	assert_int_equal(e.imm, 0x1234);
	assert_string_equal(fmt(&e), "HVC64 #0x1234");
}

/* (f) SMC #0 from AArch64: EC 0x17 << 26 = 0x5c000000, | IL = 0x5e000000 */
static void test_smc(void **state)
{
	struct esr_info e = dec(0x5e000000, 0, 0, false);

	(void)state;
	assert_int_equal(e.ec, 0x17);
	assert_string_equal(e.ec_name, "SMC64");
	assert_int_equal(e.cls, ESR_CLASS_SMC);
	assert_int_equal(e.imm, 0);
	assert_string_equal(fmt(&e), "SMC64 #0");
}

/*
 * (g) Unknown values:
 *   EC 0x3f (unallocated): 0x3f << 26 = 0xfc000000, | IL = 0xfe000000
 *   EC 0x02 (unallocated) with ISS 0x1234: 0x02 << 26 = 0x08000000, | IL | 0x1234 = 0x0a001234
 *   DABT_LOW with reserved DFSC 0x19: 0x92000000 | 0x19 = 0x92000019
 *   IABT_LOW (0x20 << 26 = 0x80000000, | IL = 0x82000000) with reserved IFSC 0x3f: 0x8200003f
 */
static void test_unknown(void **state)
{
	struct esr_info e = dec(0xfe000000, 0, 0, true);

	(void)state;
	assert_int_equal(e.ec, 0x3f);
	assert_string_equal(e.ec_name, "UNKNOWN_EC(0x3f)");
	assert_non_null(e.ec_desc);
	assert_int_equal(e.cls, ESR_CLASS_OTHER);
	assert_false(e.ipa_valid);
	assert_string_equal(fmt(&e), "UNKNOWN_EC(0x3f) iss=0x0");

	e = dec(0x0a001234, 0, 0, false);
	assert_string_equal(e.ec_name, "UNKNOWN_EC(0x02)");
	assert_string_equal(fmt(&e), "UNKNOWN_EC(0x02) iss=0x1234");

	e = dec(0x92000019, 0, 0x80100, true);
	assert_int_equal(e.fsc, 0x19);
	assert_string_equal(e.fsc_name, "UNKNOWN_FSC(0x19)");
	assert_int_equal(e.fsc_level, ESR_FSC_LEVEL_NONE);
	assert_string_equal(fmt(&e), "DABT_LOW read DFSC=UNKNOWN_FSC(0x19) ipa=0x8010000");

	e = dec(0x8200003f, 0, 0, false);
	assert_int_equal(e.cls, ESR_CLASS_IABT);
	assert_string_equal(e.fsc_name, "UNKNOWN_FSC(0x3f)");
	assert_string_equal(fmt(&e), "IABT_LOW IFSC=UNKNOWN_FSC(0x3f)");

	/* EC 0 is allocated ("Unknown reason"), not unknown */
	e = dec(0x02000000, 0, 0, false);
	assert_string_equal(e.ec_name, "UNKNOWN");
}

/*
 * (h) FnV: synchronous external abort (DFSC 0x10) with EA (bit 9 = 0x200) and
 * FnV (bit 10 = 0x400): 0x92000000 + 0x400 + 0x200 + 0x10 = 0x92000610. FAR
 * is not valid, so the IPA is the page from HPFAR only: 0x880000 -> 0x88000000.
 */
static void test_fnv(void **state)
{
	struct esr_info e = dec(0x92000610, 0xfff, 0x880000, true);

	(void)state;
	assert_true(e.fnv);
	assert_true(e.ea);
	assert_false(e.far_valid);
	assert_true(e.ipa_valid);
	assert_int_equal(e.ipa, 0x88000000);
	assert_string_equal(e.fsc_name, "SYNC_EXT");
	assert_int_equal(e.fsc_level, ESR_FSC_LEVEL_NONE);
	assert_string_equal(fmt(&e), "DABT_LOW read EA FnV DFSC=SYNC_EXT ipa=0x88000000");
}

/*
 * (i) HPFAR bit 63: 0x8000000000080100 = NS | 0x80100 -> IPA page 0x8010000,
 * ipa_ns set, bit 63 not part of the IPA. RES0 bits [62:48] are ignored too:
 * 0x7fff000000080100 gives the same IPA.
 * FEAT_LPA (52-bit IPA): IPA 0xf000012345678 -> IPA[55:12] = 0xf000012345,
 * HPFAR = 0xf000012345 << 4 = 0xf0000123450 (bits [43:4]), FAR[11:0] = 0x678.
 * FEAT_D128 (56-bit IPA): IPA 0xab000000000000 = 0xab << 48 -> IPA[55:12] =
 * 0xab << 36, HPFAR = 0xab << 40 = 0xab0000000000 (bits [47:40]).
 */
static void test_hpfar(void **state)
{
	struct esr_info e = dec(0x93810047, 0, 0x8000000000080100ull, true);

	(void)state;
	assert_true(e.ipa_valid);
	assert_true(e.ipa_ns);
	assert_int_equal(e.ipa, 0x8010000);
	assert_string_equal(fmt(&e),
			    "DABT_LOW write ISV SAS=4 SRT=x1 SF=0 DFSC=TRANS_L3 ipa=0x8010000 NS");

	e = dec(0x93810047, 0, 0x7fff000000080100ull, true);
	assert_false(e.ipa_ns);
	assert_int_equal(e.ipa, 0x8010000);

	e = dec(0x92000007, 0x678, 0xf0000123450ull, true);
	assert_int_equal(e.ipa, 0xf000012345678ull);

	e = dec(0x92000007, 0, 0xab0000000000ull, true);
	assert_int_equal(e.ipa, 0xab000000000000ull);
}

/*
 * Other aborts:
 *   IABT_LOW, S1PTW (bit 7 = 0x80), IFSC 0x0f (permission, level 3):
 *     0x82000000 + 0x80 + 0x0f = 0x8200008f
 *   GPF on a walk at level 2: 0x92000000 | 0x26 = 0x92000026
 *   GPF not on a walk:        0x92000000 | 0x28 = 0x92000028
 *   translation fault at level -1 (FEAT_LPA2): 0x92000000 | 0x2b = 0x9200002b
 *   translation fault at level -2 (FEAT_D128): 0x92000000 | 0x2a = 0x9200002a
 *   access flag fault at level 1: 0x92000000 | 0x09 = 0x92000009
 *   read, ISV, SAS 3 (0xc00000), SSE (0x200000), SRT 31 (0x1f0000), SF (0x8000),
 *   AR (0x4000), DFSC 0x07: 0x92000000 + 0x1000000 + 0xc00000 + 0x200000 + 0x1f0000
 *   + 0x8000 + 0x4000 + 0x07 = 0x93ffc007
 *   write with CM (bit 8 = 0x100), WnR (0x40), DFSC 0x0d (permission, level 1):
 *     0x92000000 + 0x100 + 0x40 + 0x0d = 0x9200014d
 */
static void test_other_aborts(void **state)
{
	struct esr_info e = dec(0x8200008f, 0, 0x80100, true);

	(void)state;
	assert_int_equal(e.cls, ESR_CLASS_IABT);
	assert_string_equal(e.ec_name, "IABT_LOW");
	assert_true(e.s1ptw);
	assert_false(e.wnr);
	assert_false(e.isv);
	assert_string_equal(e.fsc_name, "PERM_L3");
	assert_string_equal(fmt(&e), "IABT_LOW S1PTW IFSC=PERM_L3 ipa=0x8010000");

	e = dec(0x92000026, 0, 0, false);
	assert_string_equal(e.fsc_name, "GPF_L2");
	assert_int_equal(e.fsc_level, 2);
	e = dec(0x92000028, 0, 0, false);
	assert_string_equal(e.fsc_name, "GPF");
	assert_int_equal(e.fsc_level, ESR_FSC_LEVEL_NONE);
	e = dec(0x9200002b, 0, 0, false);
	assert_string_equal(e.fsc_name, "TRANS_L-1");
	assert_int_equal(e.fsc_level, -1);
	e = dec(0x9200002a, 0, 0, false);
	assert_string_equal(e.fsc_name, "TRANS_L-2");
	assert_int_equal(e.fsc_level, -2);
	e = dec(0x92000009, 0, 0, false);
	assert_string_equal(e.fsc_name, "ACCESS_FLAG_L1");
	assert_int_equal(e.fsc_level, 1);

	e = dec(0x93ffc007, 0, 0, false);
	assert_true(e.isv);
	assert_int_equal(e.sas_bytes, 8);
	assert_true(e.sse);
	assert_int_equal(e.srt, 31);
	assert_true(e.sf);
	assert_true(e.ar);
	assert_false(e.wnr);
	assert_string_equal(fmt(&e), "DABT_LOW read ISV SAS=8 SRT=xzr SF=1 SSE AR DFSC=TRANS_L3");

	e = dec(0x9200014d, 0, 0, false);
	assert_true(e.cm);
	assert_true(e.wnr);
	assert_string_equal(fmt(&e), "DABT_LOW write CM DFSC=PERM_L1");
}

/*
 * (j) esr_fmt, exact strings. The brief's example: (a) with FAR[11:0] = 0.
 * SError: EC 0x2f << 26 = 0xbc000000, | IL = 0xbe000000.
 */
static void test_fmt(void **state)
{
	struct esr_info e = dec(0x93810047, 0xffff800012345000ull, 0x80100, true);
	char small[12];

	(void)state;
	assert_string_equal(fmt(&e),
			    "DABT_LOW write ISV SAS=4 SRT=x1 SF=0 DFSC=TRANS_L3 ipa=0x8010000");
	e = dec(0x93810047, 0, 0, false);
	assert_string_equal(fmt(&e), "DABT_LOW write ISV SAS=4 SRT=x1 SF=0 DFSC=TRANS_L3");
	e = dec(0xbe000000, 0, 0, false);
	assert_int_equal(e.cls, ESR_CLASS_SERROR);
	assert_string_equal(fmt(&e), "SERROR iss=0x0");

	/* truncation keeps a prefix and the NUL */
	e = dec(0x5a001234, 0, 0, false);
	assert_ptr_equal(esr_fmt(&e, small, sizeof(small)), small);
	assert_string_equal(small, "HVC64 #0x12");
	memset(small, 'Z', sizeof(small));
	esr_fmt(&e, small, 1);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'Z');
	esr_fmt(&e, small, 0); /* nothing written */
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'Z');
}

/* (j) esr_json: the members of (a), the sysreg of (d), SYNC_EXT of (h), HVC (e). */
static void test_json(void **state)
{
	struct esr_info e = dec(0x93810047, 0xffff800012345ab8ull, 0x80100, true);
	char *j = json_of(&e);

	(void)state;
	assert_int_equal(j[0], '{');
	assert_non_null(strstr(j, "}\n"));
	assert_has(j, "\"esr\":\"0x93810047\"");
	assert_has(j, "\"ec\":36");
	assert_has(j, "\"ec_name\":\"DABT_LOW\"");
	assert_has(j, "\"ec_desc\":\"Data Abort from a lower Exception level\"");
	assert_has(j, "\"il\":true");
	assert_has(j, "\"iss\":\"0x1810047\"");
	assert_has(j, "\"class\":\"dabt\"");
	assert_has(j, "\"isv\":true");
	assert_has(j, "\"sas\":4");
	assert_has(j, "\"sse\":false");
	assert_has(j, "\"srt\":1");
	assert_has(j, "\"sf\":false");
	assert_has(j, "\"ar\":false");
	assert_has(j, "\"wnr\":true");
	assert_has(j, "\"fnv\":false");
	assert_has(j, "\"s1ptw\":false");
	assert_has(j, "\"cm\":false");
	assert_has(j, "\"ea\":false");
	assert_has(j, "\"fsc\":7");
	assert_has(j, "\"fsc_name\":\"TRANS_L3\"");
	assert_has(j, "\"fsc_level\":3");
	assert_has(j, "\"far\":\"0xffff800012345ab8\"");
	assert_has(j, "\"ipa\":\"0x8010ab8\"");
	assert_has(j, "\"ipa_ns\":false");
	free(j);

	e = dec(0x92000007, 0, 0, false); /* no ISV, no address */
	j = json_of(&e);
	assert_has(j, "\"isv\":false");
	assert_lacks(j, "\"sas\"");
	assert_lacks(j, "\"srt\"");
	assert_lacks(j, "\"ipa\":");
	assert_has(j, "\"ipa_valid\":false");
	free(j);

	e = dec(0x92000610, 0xfff, 0x880000, true);
	j = json_of(&e);
	assert_has(j, "\"fsc_level\":null");
	assert_has(j, "\"far_valid\":false");
	assert_lacks(j, "\"far\":");
	assert_has(j, "\"ipa\":\"0x88000000\"");
	free(j);

	e = dec(0x623a3056, 0, 0, false);
	j = json_of(&e);
	assert_has(j, "\"class\":\"sysreg\"");
	assert_has(j, "\"op0\":3,\"op1\":0,\"crn\":12,\"crm\":11,\"op2\":5,\"rt\":2");
	assert_has(j, "\"read\":false");
	assert_has(j, "\"sysreg\":\"ICC_SGI1R_EL1\"");
	assert_has(j, "\"sysreg_enc\":\"S3_0_C12_C11_5\"");
	free(j);

	e = dec(0x6231fc05, 0, 0, false);
	j = json_of(&e);
	assert_has(j, "\"sysreg\":null");
	free(j);

	e = dec(0x5a001234, 0, 0, false);
	j = json_of(&e);
	assert_has(j, "\"class\":\"hvc\"");
	assert_has(j, "\"imm\":4660");
	free(j);

	e = dec(0x060000a6, 0, 0, false);
	j = json_of(&e);
	assert_has(j, "\"wfx\":\"WFIT\",\"rv\":true,\"rn\":5");
	free(j);

	e = dec(0xfe000000, 0, 0, false);
	j = json_of(&e);
	assert_has(j, "\"ec_name\":\"UNKNOWN_EC(0x3f)\"");
	assert_has(j, "\"class\":\"other\"");
	free(j);
}

/* xorshift64*, fixed seed: the same million values on every run */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

/*
 * 1,000,000 random ESR/FAR/HPFAR: esr_fmt into a buffer of a random length
 * 1..160 never writes past it, always NUL-terminates, and produces a prefix of
 * the untruncated line, which itself fits in 160 bytes.
 */
static void test_fmt_fuzz(void **state)
{
	char ref[256], buf[192];
	size_t longest = 0;

	(void)state;
	for (int i = 0; i < 1000000; i++) {
		uint64_t esr = rnd(), far = rnd(), hpfar = rnd(), r = rnd();
		size_t len = 1 + (size_t)(r % 160), rl, bl;
		struct esr_info e;

		esr_decode(esr, far, hpfar, r & (1u << 20), &e);
		assert_non_null(e.ec_name);
		esr_fmt(&e, ref, sizeof(ref));
		rl = strlen(ref);
		if (rl > longest)
			longest = rl;

		memset(buf, 0xa5, sizeof(buf));
		assert_ptr_equal(esr_fmt(&e, buf, len), buf);
		bl = strnlen(buf, len);
		if (bl >= len)
			fail_msg("no NUL within %zu bytes for esr 0x%llx", len,
				 (unsigned long long)esr);
		for (size_t k = len; k < sizeof(buf); k++) {
			if ((unsigned char)buf[k] != 0xa5)
				fail_msg("byte %zu written past len %zu for esr 0x%llx", k, len,
					 (unsigned long long)esr);
		}
		assert_int_equal(bl, rl < len - 1 ? rl : len - 1);
		assert_memory_equal(buf, ref, bl);
	}
	assert_in_range(longest, 8, 159);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dabt_write_isv),
		cmocka_unit_test(test_dabt_trans_l3_no_isv),
		cmocka_unit_test(test_wfx),
		cmocka_unit_test(test_sysreg_msr),
		cmocka_unit_test(test_sysreg_mrs),
		cmocka_unit_test(test_sysreg_table),
		cmocka_unit_test(test_hvc),
		cmocka_unit_test(test_smc),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_fnv),
		cmocka_unit_test(test_hpfar),
		cmocka_unit_test(test_other_aborts),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_fmt_fuzz),
	};

	return cmocka_run_group_tests_name("esr", tests, NULL, NULL);
}
