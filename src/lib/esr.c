// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rmi/esr.h"

#include "esr.h"
#include "json.h"
#include "util.h"

/* ---- names -------------------------------------------------------------------- */

/* EC and FSC are 6-bit fields: every unknown value has a static name too. */
#define HEX16(p, h)                                                                             \
	p "0x" #h "0)", p "0x" #h "1)", p "0x" #h "2)", p "0x" #h "3)", p "0x" #h "4)",         \
		p "0x" #h "5)", p "0x" #h "6)", p "0x" #h "7)", p "0x" #h "8)", p "0x" #h "9)", \
		p "0x" #h "a)", p "0x" #h "b)", p "0x" #h "c)", p "0x" #h "d)", p "0x" #h "e)", \
		p "0x" #h "f)"
#define HEX64(p) HEX16(p, 0), HEX16(p, 1), HEX16(p, 2), HEX16(p, 3)

static const char *const unknown_ec_names[64] = { HEX64("UNKNOWN_EC(") };
static const char *const unknown_fsc_names[64] = { HEX64("UNKNOWN_FSC(") };

static const struct {
	const char *name;
	const char *desc;
} ec_tab[64] = {
	[ESR_EL2_EC_UNKNOWN] = { "UNKNOWN", "Unknown reason" },
	[ESR_EL2_EC_WFX] = { "WFx", "Trapped WFI, WFE, WFIT or WFET instruction" },
	[ESR_EL2_EC_CP15_32] = { "CP15_32", "Trapped MCR or MRC access (coproc 0b1111)" },
	[ESR_EL2_EC_CP15_64] = { "CP15_64", "Trapped MCRR or MRRC access (coproc 0b1111)" },
	[ESR_EL2_EC_CP14_MR] = { "CP14_MR", "Trapped MCR or MRC access (coproc 0b1110)" },
	[ESR_EL2_EC_CP14_LS] = { "CP14_LS", "Trapped LDC or STC access" },
	[ESR_EL2_EC_FP_ASIMD] = { "FP_ASIMD",
				  "Trapped SVE, Advanced SIMD or floating-point access" },
	[ESR_EL2_EC_CP10_ID] = { "CP10_ID", "Trapped VMRS access (ID group trap)" },
	[ESR_EL2_EC_PAC] = { "PAC", "Trapped pointer authentication instruction" },
	[ESR_EL2_EC_OTHER] = { "OTHER", "Trapped LD64B, ST64B or other instruction" },
	[ESR_EL2_EC_CP14_64] = { "CP14_64", "Trapped MRRC access (coproc 0b1110)" },
	[ESR_EL2_EC_BTI] = { "BTI", "Branch Target Exception" },
	[ESR_EL2_EC_ILL] = { "ILL", "Illegal Execution state" },
	[ESR_EL2_EC_SVC32] = { "SVC32", "SVC instruction execution in AArch32 state" },
	[ESR_EL2_EC_HVC32] = { "HVC32", "HVC instruction execution in AArch32 state" },
	[ESR_EL2_EC_SMC32] = { "SMC32", "SMC instruction execution in AArch32 state" },
	[ESR_EL2_EC_SVC64] = { "SVC64", "SVC instruction execution in AArch64 state" },
	[ESR_EL2_EC_HVC64] = { "HVC64", "HVC instruction execution in AArch64 state" },
	[ESR_EL2_EC_SMC64] = { "SMC64", "SMC instruction execution in AArch64 state" },
	[ESR_EL2_EC_SYS64] = { "SYS64", "Trapped MSR, MRS or System instruction in AArch64 state" },
	[ESR_EL2_EC_SVE] = { "SVE", "Trapped SVE access" },
	[ESR_EL2_EC_ERET] = { "ERET", "Trapped ERET, ERETAA or ERETAB instruction" },
	[ESR_EL2_EC_FPAC] = { "FPAC", "Pointer authentication failure" },
	[ESR_EL2_EC_SME] = { "SME", "Trapped SME access" },
	[ESR_EL2_EC_IMP_DEF] = { "IMP_DEF", "IMPLEMENTATION DEFINED exception to EL3" },
	[ESR_EL2_EC_IABT_LOW] = { "IABT_LOW", "Instruction Abort from a lower Exception level" },
	[ESR_EL2_EC_IABT_CUR] = { "IABT_CUR",
				  "Instruction Abort without a change in Exception level" },
	[ESR_EL2_EC_PC_ALIGN] = { "PC_ALIGN", "PC alignment fault" },
	[ESR_EL2_EC_DABT_LOW] = { "DABT_LOW", "Data Abort from a lower Exception level" },
	[ESR_EL2_EC_DABT_CUR] = { "DABT_CUR", "Data Abort without a change in Exception level" },
	[ESR_EL2_EC_SP_ALIGN] = { "SP_ALIGN", "SP alignment fault" },
	[ESR_EL2_EC_MOPS] = { "MOPS", "Memory Copy or Memory Set (MOPS) exception" },
	[ESR_EL2_EC_FP_EXC32] = { "FP_EXC32",
				  "Trapped floating-point exception from AArch32 state" },
	[ESR_EL2_EC_FP_EXC64] = { "FP_EXC64",
				  "Trapped floating-point exception from AArch64 state" },
	[ESR_EL2_EC_GCS] = { "GCS", "Guarded Control Stack exception" },
	[ESR_EL2_EC_SERROR] = { "SERROR", "SError exception" },
	[ESR_EL2_EC_BREAKPT_LOW] = { "BREAKPT_LOW", "Breakpoint from a lower Exception level" },
	[ESR_EL2_EC_BREAKPT_CUR] = { "BREAKPT_CUR",
				     "Breakpoint without a change in Exception level" },
	[ESR_EL2_EC_SOFTSTP_LOW] = { "SOFTSTP_LOW", "Software Step from a lower Exception level" },
	[ESR_EL2_EC_SOFTSTP_CUR] = { "SOFTSTP_CUR",
				     "Software Step without a change in Exception level" },
	[ESR_EL2_EC_WATCHPT_LOW] = { "WATCHPT_LOW", "Watchpoint from a lower Exception level" },
	[ESR_EL2_EC_WATCHPT_CUR] = { "WATCHPT_CUR",
				     "Watchpoint without a change in Exception level" },
	[ESR_EL2_EC_BKPT32] = { "BKPT32", "BKPT instruction execution in AArch32 state" },
	[ESR_EL2_EC_VECTOR32] = { "VECTOR32", "Vector Catch exception from AArch32 state" },
	[ESR_EL2_EC_BRK64] = { "BRK64", "BRK instruction execution in AArch64 state" },
};

/*
 * DFSC/IFSC. GPF_L<n> is a granule protection fault on a table walk at level n,
 * GPF one not on a walk; "L-1"/"L-2" are the FEAT_LPA2/FEAT_D128 levels.
 */
#define NOLVL ESR_FSC_LEVEL_NONE
static const struct {
	const char *name;
	int level;
} fsc_tab[64] = {
	[0x00] = { "ADDR_SIZE_L0", 0 },
	[0x01] = { "ADDR_SIZE_L1", 1 },
	[0x02] = { "ADDR_SIZE_L2", 2 },
	[0x03] = { "ADDR_SIZE_L3", 3 },
	[0x04] = { "TRANS_L0", 0 },
	[0x05] = { "TRANS_L1", 1 },
	[0x06] = { "TRANS_L2", 2 },
	[0x07] = { "TRANS_L3", 3 },
	[0x08] = { "ACCESS_FLAG_L0", 0 },
	[0x09] = { "ACCESS_FLAG_L1", 1 },
	[0x0a] = { "ACCESS_FLAG_L2", 2 },
	[0x0b] = { "ACCESS_FLAG_L3", 3 },
	[0x0c] = { "PERM_L0", 0 },
	[0x0d] = { "PERM_L1", 1 },
	[0x0e] = { "PERM_L2", 2 },
	[0x0f] = { "PERM_L3", 3 },
	[0x10] = { "SYNC_EXT", NOLVL },
	[0x11] = { "TAG_CHECK", NOLVL },
	[0x12] = { "SYNC_EXT_WALK_L-2", -2 },
	[0x13] = { "SYNC_EXT_WALK_L-1", -1 },
	[0x14] = { "SYNC_EXT_WALK_L0", 0 },
	[0x15] = { "SYNC_EXT_WALK_L1", 1 },
	[0x16] = { "SYNC_EXT_WALK_L2", 2 },
	[0x17] = { "SYNC_EXT_WALK_L3", 3 },
	[0x18] = { "SYNC_PARITY", NOLVL },
	[0x1b] = { "SYNC_PARITY_WALK_L-1", -1 },
	[0x1c] = { "SYNC_PARITY_WALK_L0", 0 },
	[0x1d] = { "SYNC_PARITY_WALK_L1", 1 },
	[0x1e] = { "SYNC_PARITY_WALK_L2", 2 },
	[0x1f] = { "SYNC_PARITY_WALK_L3", 3 },
	[0x21] = { "ALIGNMENT", NOLVL },
	[0x22] = { "GPF_L-2", -2 },
	[0x23] = { "GPF_L-1", -1 },
	[0x24] = { "GPF_L0", 0 },
	[0x25] = { "GPF_L1", 1 },
	[0x26] = { "GPF_L2", 2 },
	[0x27] = { "GPF_L3", 3 },
	[0x28] = { "GPF", NOLVL },
	[0x29] = { "ADDR_SIZE_L-1", -1 },
	[0x2a] = { "TRANS_L-2", -2 },
	[0x2b] = { "TRANS_L-1", -1 },
	[0x2c] = { "ADDR_SIZE_L-2", -2 },
	[0x30] = { "TLB_CONFLICT", NOLVL },
	[0x31] = { "UNSUPPORTED_ATOMIC", NOLVL },
	[0x34] = { "IMPDEF_LOCKDOWN", NOLVL },
	[0x35] = { "IMPDEF_ATOMIC", NOLVL },
};
#undef NOLVL

/*
 * System registers and instructions a realm commonly traps on, keyed like
 * the kernel's sys_reg(op0, op1, CRn, CRm, op2).
 */
#define SR_KEY(op0, op1, crn, crm, op2) \
	((unsigned int)(op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
/* DBGBVR<n>_EL1 .. DBGWCR<n>_EL1 and PMEVCNTR<n>_EL0/PMEVTYPER<n>_EL0 */
#define NUM16(p, s)                                                                               \
	p "0" s, p "1" s, p "2" s, p "3" s, p "4" s, p "5" s, p "6" s, p "7" s, p "8" s, p "9" s, \
		p "10" s, p "11" s, p "12" s, p "13" s, p "14" s, p "15" s
#define NUM31(p, s)                                                                        \
	NUM16(p, s), p "16" s, p "17" s, p "18" s, p "19" s, p "20" s, p "21" s, p "22" s, \
		p "23" s, p "24" s, p "25" s, p "26" s, p "27" s, p "28" s, p "29" s, p "30" s

static const char *const dbg_names[4][16] = {
	{ NUM16("DBGBVR", "_EL1") }, /* op2 = 4 */
	{ NUM16("DBGBCR", "_EL1") },
	{ NUM16("DBGWVR", "_EL1") },
	{ NUM16("DBGWCR", "_EL1") },
};

static const char *const pmev_names[2][31] = {
	{ NUM31("PMEVCNTR", "_EL0") }, /* CRm = 8..11 */
	{ NUM31("PMEVTYPER", "_EL0") }, /* CRm = 12..15 */
};

static const struct {
	unsigned int key;
	const char *name;
} sysreg_tab[] = {
	/* op0 = 1: cache maintenance by set/way and VA */
	{ SR_KEY(1, 0, 7, 1, 0), "IC IALLUIS" },
	{ SR_KEY(1, 0, 7, 5, 0), "IC IALLU" },
	{ SR_KEY(1, 3, 7, 5, 1), "IC IVAU" },
	{ SR_KEY(1, 0, 7, 6, 1), "DC IVAC" },
	{ SR_KEY(1, 0, 7, 6, 2), "DC ISW" },
	{ SR_KEY(1, 0, 7, 10, 2), "DC CSW" },
	{ SR_KEY(1, 0, 7, 14, 2), "DC CISW" },
	{ SR_KEY(1, 3, 7, 4, 1), "DC ZVA" },
	{ SR_KEY(1, 3, 7, 10, 1), "DC CVAC" },
	{ SR_KEY(1, 3, 7, 11, 1), "DC CVAU" },
	{ SR_KEY(1, 3, 7, 14, 1), "DC CIVAC" },

	/* op0 = 2: debug */
	{ SR_KEY(2, 0, 0, 0, 2), "OSDTRRX_EL1" },
	{ SR_KEY(2, 0, 0, 2, 0), "MDCCINT_EL1" },
	{ SR_KEY(2, 0, 0, 2, 2), "MDSCR_EL1" },
	{ SR_KEY(2, 0, 0, 3, 2), "OSDTRTX_EL1" },
	{ SR_KEY(2, 0, 0, 6, 2), "OSECCR_EL1" },
	{ SR_KEY(2, 0, 1, 0, 0), "MDRAR_EL1" },
	{ SR_KEY(2, 0, 1, 0, 4), "OSLAR_EL1" },
	{ SR_KEY(2, 0, 1, 1, 4), "OSLSR_EL1" },
	{ SR_KEY(2, 0, 1, 3, 4), "OSDLR_EL1" },
	{ SR_KEY(2, 0, 1, 4, 4), "DBGPRCR_EL1" },
	{ SR_KEY(2, 0, 7, 8, 6), "DBGCLAIMSET_EL1" },
	{ SR_KEY(2, 0, 7, 9, 6), "DBGCLAIMCLR_EL1" },
	{ SR_KEY(2, 0, 7, 14, 6), "DBGAUTHSTATUS_EL1" },
	{ SR_KEY(2, 3, 0, 1, 0), "MDCCSR_EL0" },
	{ SR_KEY(2, 3, 0, 4, 0), "DBGDTR_EL0" },
	{ SR_KEY(2, 3, 0, 5, 0), "DBGDTRRX_EL0" }, /* DBGDTRTX_EL0 when written */

	/* op0 = 3, CRn = 0: identification */
	{ SR_KEY(3, 0, 0, 0, 0), "MIDR_EL1" },
	{ SR_KEY(3, 0, 0, 0, 5), "MPIDR_EL1" },
	{ SR_KEY(3, 0, 0, 0, 6), "REVIDR_EL1" },
	{ SR_KEY(3, 0, 0, 1, 0), "ID_PFR0_EL1" },
	{ SR_KEY(3, 0, 0, 1, 1), "ID_PFR1_EL1" },
	{ SR_KEY(3, 0, 0, 1, 2), "ID_DFR0_EL1" },
	{ SR_KEY(3, 0, 0, 1, 3), "ID_AFR0_EL1" },
	{ SR_KEY(3, 0, 0, 1, 4), "ID_MMFR0_EL1" },
	{ SR_KEY(3, 0, 0, 1, 5), "ID_MMFR1_EL1" },
	{ SR_KEY(3, 0, 0, 1, 6), "ID_MMFR2_EL1" },
	{ SR_KEY(3, 0, 0, 1, 7), "ID_MMFR3_EL1" },
	{ SR_KEY(3, 0, 0, 2, 0), "ID_ISAR0_EL1" },
	{ SR_KEY(3, 0, 0, 2, 1), "ID_ISAR1_EL1" },
	{ SR_KEY(3, 0, 0, 2, 2), "ID_ISAR2_EL1" },
	{ SR_KEY(3, 0, 0, 2, 3), "ID_ISAR3_EL1" },
	{ SR_KEY(3, 0, 0, 2, 4), "ID_ISAR4_EL1" },
	{ SR_KEY(3, 0, 0, 2, 5), "ID_ISAR5_EL1" },
	{ SR_KEY(3, 0, 0, 2, 6), "ID_MMFR4_EL1" },
	{ SR_KEY(3, 0, 0, 2, 7), "ID_ISAR6_EL1" },
	{ SR_KEY(3, 0, 0, 3, 0), "MVFR0_EL1" },
	{ SR_KEY(3, 0, 0, 3, 1), "MVFR1_EL1" },
	{ SR_KEY(3, 0, 0, 3, 2), "MVFR2_EL1" },
	{ SR_KEY(3, 0, 0, 3, 4), "ID_PFR2_EL1" },
	{ SR_KEY(3, 0, 0, 3, 5), "ID_DFR1_EL1" },
	{ SR_KEY(3, 0, 0, 3, 6), "ID_MMFR5_EL1" },
	{ SR_KEY(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1" },
	{ SR_KEY(3, 0, 0, 4, 1), "ID_AA64PFR1_EL1" },
	{ SR_KEY(3, 0, 0, 4, 2), "ID_AA64PFR2_EL1" },
	{ SR_KEY(3, 0, 0, 4, 4), "ID_AA64ZFR0_EL1" },
	{ SR_KEY(3, 0, 0, 4, 5), "ID_AA64SMFR0_EL1" },
	{ SR_KEY(3, 0, 0, 5, 0), "ID_AA64DFR0_EL1" },
	{ SR_KEY(3, 0, 0, 5, 1), "ID_AA64DFR1_EL1" },
	{ SR_KEY(3, 0, 0, 5, 4), "ID_AA64AFR0_EL1" },
	{ SR_KEY(3, 0, 0, 5, 5), "ID_AA64AFR1_EL1" },
	{ SR_KEY(3, 0, 0, 6, 0), "ID_AA64ISAR0_EL1" },
	{ SR_KEY(3, 0, 0, 6, 1), "ID_AA64ISAR1_EL1" },
	{ SR_KEY(3, 0, 0, 6, 2), "ID_AA64ISAR2_EL1" },
	{ SR_KEY(3, 0, 0, 7, 0), "ID_AA64MMFR0_EL1" },
	{ SR_KEY(3, 0, 0, 7, 1), "ID_AA64MMFR1_EL1" },
	{ SR_KEY(3, 0, 0, 7, 2), "ID_AA64MMFR2_EL1" },
	{ SR_KEY(3, 0, 0, 7, 3), "ID_AA64MMFR3_EL1" },
	{ SR_KEY(3, 0, 0, 7, 4), "ID_AA64MMFR4_EL1" },
	{ SR_KEY(3, 1, 0, 0, 0), "CCSIDR_EL1" },
	{ SR_KEY(3, 1, 0, 0, 1), "CLIDR_EL1" },
	{ SR_KEY(3, 1, 0, 0, 7), "AIDR_EL1" },
	{ SR_KEY(3, 2, 0, 0, 0), "CSSELR_EL1" },
	{ SR_KEY(3, 3, 0, 0, 1), "CTR_EL0" },
	{ SR_KEY(3, 3, 0, 0, 7), "DCZID_EL0" },

	/* op0 = 3: EL1 system control and memory */
	{ SR_KEY(3, 0, 1, 0, 0), "SCTLR_EL1" },
	{ SR_KEY(3, 0, 1, 0, 1), "ACTLR_EL1" },
	{ SR_KEY(3, 0, 1, 0, 2), "CPACR_EL1" },
	{ SR_KEY(3, 0, 1, 2, 0), "ZCR_EL1" },
	{ SR_KEY(3, 0, 2, 0, 0), "TTBR0_EL1" },
	{ SR_KEY(3, 0, 2, 0, 1), "TTBR1_EL1" },
	{ SR_KEY(3, 0, 2, 0, 2), "TCR_EL1" },
	{ SR_KEY(3, 0, 5, 1, 0), "AFSR0_EL1" },
	{ SR_KEY(3, 0, 5, 1, 1), "AFSR1_EL1" },
	{ SR_KEY(3, 0, 5, 2, 0), "ESR_EL1" },
	{ SR_KEY(3, 0, 5, 3, 0), "ERRIDR_EL1" },
	{ SR_KEY(3, 0, 5, 3, 1), "ERRSELR_EL1" },
	{ SR_KEY(3, 0, 6, 0, 0), "FAR_EL1" },
	{ SR_KEY(3, 0, 7, 4, 0), "PAR_EL1" },
	{ SR_KEY(3, 0, 10, 2, 0), "MAIR_EL1" },
	{ SR_KEY(3, 0, 10, 3, 0), "AMAIR_EL1" },
	{ SR_KEY(3, 0, 10, 4, 0), "LORSA_EL1" },
	{ SR_KEY(3, 0, 10, 4, 1), "LOREA_EL1" },
	{ SR_KEY(3, 0, 10, 4, 2), "LORN_EL1" },
	{ SR_KEY(3, 0, 10, 4, 3), "LORC_EL1" },
	{ SR_KEY(3, 0, 10, 4, 7), "LORID_EL1" },
	{ SR_KEY(3, 0, 12, 0, 0), "VBAR_EL1" },
	{ SR_KEY(3, 0, 12, 1, 1), "DISR_EL1" },
	{ SR_KEY(3, 0, 13, 0, 1), "CONTEXTIDR_EL1" },
	{ SR_KEY(3, 0, 13, 0, 4), "TPIDR_EL1" },
	{ SR_KEY(3, 3, 2, 4, 0), "RNDR" },
	{ SR_KEY(3, 3, 2, 4, 1), "RNDRRS" },

	/* op0 = 3: GICv3 CPU interface */
	{ SR_KEY(3, 0, 4, 6, 0), "ICC_PMR_EL1" },
	{ SR_KEY(3, 0, 12, 8, 0), "ICC_IAR0_EL1" },
	{ SR_KEY(3, 0, 12, 8, 1), "ICC_EOIR0_EL1" },
	{ SR_KEY(3, 0, 12, 8, 2), "ICC_HPPIR0_EL1" },
	{ SR_KEY(3, 0, 12, 8, 3), "ICC_BPR0_EL1" },
	{ SR_KEY(3, 0, 12, 8, 4), "ICC_AP0R0_EL1" },
	{ SR_KEY(3, 0, 12, 8, 5), "ICC_AP0R1_EL1" },
	{ SR_KEY(3, 0, 12, 8, 6), "ICC_AP0R2_EL1" },
	{ SR_KEY(3, 0, 12, 8, 7), "ICC_AP0R3_EL1" },
	{ SR_KEY(3, 0, 12, 9, 0), "ICC_AP1R0_EL1" },
	{ SR_KEY(3, 0, 12, 9, 1), "ICC_AP1R1_EL1" },
	{ SR_KEY(3, 0, 12, 9, 2), "ICC_AP1R2_EL1" },
	{ SR_KEY(3, 0, 12, 9, 3), "ICC_AP1R3_EL1" },
	{ SR_KEY(3, 0, 12, 11, 1), "ICC_DIR_EL1" },
	{ SR_KEY(3, 0, 12, 11, 3), "ICC_RPR_EL1" },
	{ SR_KEY(3, 0, 12, 11, 5), "ICC_SGI1R_EL1" },
	{ SR_KEY(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1" },
	{ SR_KEY(3, 0, 12, 11, 7), "ICC_SGI0R_EL1" },
	{ SR_KEY(3, 0, 12, 12, 0), "ICC_IAR1_EL1" },
	{ SR_KEY(3, 0, 12, 12, 1), "ICC_EOIR1_EL1" },
	{ SR_KEY(3, 0, 12, 12, 2), "ICC_HPPIR1_EL1" },
	{ SR_KEY(3, 0, 12, 12, 3), "ICC_BPR1_EL1" },
	{ SR_KEY(3, 0, 12, 12, 4), "ICC_CTLR_EL1" },
	{ SR_KEY(3, 0, 12, 12, 5), "ICC_SRE_EL1" },
	{ SR_KEY(3, 0, 12, 12, 6), "ICC_IGRPEN0_EL1" },
	{ SR_KEY(3, 0, 12, 12, 7), "ICC_IGRPEN1_EL1" },

	/* op0 = 3: PMU */
	{ SR_KEY(3, 0, 9, 14, 1), "PMINTENSET_EL1" },
	{ SR_KEY(3, 0, 9, 14, 2), "PMINTENCLR_EL1" },
	{ SR_KEY(3, 3, 9, 12, 0), "PMCR_EL0" },
	{ SR_KEY(3, 3, 9, 12, 1), "PMCNTENSET_EL0" },
	{ SR_KEY(3, 3, 9, 12, 2), "PMCNTENCLR_EL0" },
	{ SR_KEY(3, 3, 9, 12, 3), "PMOVSCLR_EL0" },
	{ SR_KEY(3, 3, 9, 12, 4), "PMSWINC_EL0" },
	{ SR_KEY(3, 3, 9, 12, 5), "PMSELR_EL0" },
	{ SR_KEY(3, 3, 9, 12, 6), "PMCEID0_EL0" },
	{ SR_KEY(3, 3, 9, 12, 7), "PMCEID1_EL0" },
	{ SR_KEY(3, 3, 9, 13, 0), "PMCCNTR_EL0" },
	{ SR_KEY(3, 3, 9, 13, 1), "PMXEVTYPER_EL0" },
	{ SR_KEY(3, 3, 9, 13, 2), "PMXEVCNTR_EL0" },
	{ SR_KEY(3, 3, 9, 14, 0), "PMUSERENR_EL0" },
	{ SR_KEY(3, 3, 9, 14, 3), "PMOVSSET_EL0" },
	{ SR_KEY(3, 3, 14, 15, 7), "PMCCFILTR_EL0" },

	/* op0 = 3: generic timer */
	{ SR_KEY(3, 0, 14, 1, 0), "CNTKCTL_EL1" },
	{ SR_KEY(3, 3, 14, 0, 0), "CNTFRQ_EL0" },
	{ SR_KEY(3, 3, 14, 0, 1), "CNTPCT_EL0" },
	{ SR_KEY(3, 3, 14, 0, 2), "CNTVCT_EL0" },
	{ SR_KEY(3, 3, 14, 0, 5), "CNTPCTSS_EL0" },
	{ SR_KEY(3, 3, 14, 0, 6), "CNTVCTSS_EL0" },
	{ SR_KEY(3, 3, 14, 2, 0), "CNTP_TVAL_EL0" },
	{ SR_KEY(3, 3, 14, 2, 1), "CNTP_CTL_EL0" },
	{ SR_KEY(3, 3, 14, 2, 2), "CNTP_CVAL_EL0" },
	{ SR_KEY(3, 3, 14, 3, 0), "CNTV_TVAL_EL0" },
	{ SR_KEY(3, 3, 14, 3, 1), "CNTV_CTL_EL0" },
	{ SR_KEY(3, 3, 14, 3, 2), "CNTV_CVAL_EL0" },
};

const char *esr_sysreg_name(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
			    unsigned int op2)
{
	unsigned int key;

	if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7)
		return NULL;
	if (op0 == 2 && op1 == 0 && crn == 0 && op2 >= 4)
		return dbg_names[op2 - 4][crm];
	if (op0 == 3 && op1 == 3 && crn == 14 && crm >= 8 && ((crm & 3) << 3 | op2) < 31)
		return pmev_names[crm >= 12][(crm & 3) << 3 | op2];
	key = SR_KEY(op0, op1, crn, crm, op2);
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_tab); i++) {
		if (sysreg_tab[i].key == key)
			return sysreg_tab[i].name;
	}
	return NULL;
}

const char *esr_class_name(enum esr_class cls)
{
	switch (cls) {
	case ESR_CLASS_DABT:
		return "dabt";
	case ESR_CLASS_IABT:
		return "iabt";
	case ESR_CLASS_WFX:
		return "wfx";
	case ESR_CLASS_SYSREG:
		return "sysreg";
	case ESR_CLASS_HVC:
		return "hvc";
	case ESR_CLASS_SMC:
		return "smc";
	case ESR_CLASS_SERROR:
		return "serror";
	case ESR_CLASS_OTHER:
		break;
	}
	return "other";
}

/* ---- decoding ------------------------------------------------------------------ */

static void decode_abort(struct esr_info *e, bool data, bool have_addr)
{
	uint64_t esr = e->esr;

	e->fsc = (unsigned int)ESR_EL2_FSC(esr);
	e->fsc_name = fsc_tab[e->fsc].name;
	if (e->fsc_name) {
		e->fsc_level = fsc_tab[e->fsc].level;
	} else {
		e->fsc_name = unknown_fsc_names[e->fsc];
		e->fsc_level = ESR_FSC_LEVEL_NONE;
	}
	e->ea = esr & ESR_EL2_EA;
	e->fnv = esr & ESR_EL2_FNV;
	e->s1ptw = esr & ESR_EL2_S1PTW;
	if (data) {
		e->isv = esr & ESR_EL2_ISV;
		e->wnr = esr & ESR_EL2_WNR;
		e->cm = esr & ESR_EL2_CM;
		e->vncr = esr & ESR_EL2_VNCR;
		if (e->isv) {
			e->sas_bytes = 1u << ESR_EL2_SAS(esr);
			e->sse = esr & ESR_EL2_SSE;
			e->srt = (unsigned int)ESR_EL2_SRT(esr);
			e->sf = esr & ESR_EL2_SF;
			e->ar = esr & ESR_EL2_AR;
		}
	}
	if (!have_addr)
		return;
	/* kvm_vcpu_get_fault_ipa(), plus the page offset from FAR when valid */
	e->far_valid = !e->fnv;
	e->ipa_valid = true;
	e->ipa_ns = e->hpfar & HPFAR_EL2_NS;
	e->ipa = HPFAR_EL2_IPA(e->hpfar);
	if (e->far_valid)
		e->ipa |= e->far & FAR_EL2_PAGE_OFFSET_MASK;
}

static const char *const wfx_names[4] = { "WFI", "WFE", "WFIT", "WFET" };

void esr_decode(uint64_t esr, uint64_t far, uint64_t hpfar, bool have_addr, struct esr_info *out)
{
	struct esr_info *e = out;

	memset(e, 0, sizeof(*e));
	e->esr = esr;
	e->far = far;
	e->hpfar = hpfar;
	e->ec = (unsigned int)ESR_EL2_EC(esr);
	e->il = esr & ESR_EL2_IL;
	e->iss = (uint32_t)ESR_EL2_ISS(esr);
	e->fsc_level = ESR_FSC_LEVEL_NONE;
	if (ec_tab[e->ec].name) {
		e->ec_name = ec_tab[e->ec].name;
		e->ec_desc = ec_tab[e->ec].desc;
	} else {
		e->ec_name = unknown_ec_names[e->ec];
		e->ec_desc = "Unallocated exception class";
	}

	switch (e->ec) {
	case ESR_EL2_EC_DABT_LOW:
	case ESR_EL2_EC_DABT_CUR:
		e->cls = ESR_CLASS_DABT;
		decode_abort(e, true, have_addr);
		break;
	case ESR_EL2_EC_IABT_LOW:
	case ESR_EL2_EC_IABT_CUR:
		e->cls = ESR_CLASS_IABT;
		decode_abort(e, false, have_addr);
		break;
	case ESR_EL2_EC_WFX:
		e->cls = ESR_CLASS_WFX;
		e->wfx_name = wfx_names[ESR_EL2_WFX_TI(esr)];
		e->wfx_rv = esr & ESR_EL2_WFX_RV;
		e->wfx_rn = (unsigned int)ESR_EL2_WFX_RN(esr);
		break;
	case ESR_EL2_EC_SYS64:
		e->cls = ESR_CLASS_SYSREG;
		e->op0 = (unsigned int)ESR_EL2_SYS64_OP0(esr);
		e->op1 = (unsigned int)ESR_EL2_SYS64_OP1(esr);
		e->crn = (unsigned int)ESR_EL2_SYS64_CRN(esr);
		e->crm = (unsigned int)ESR_EL2_SYS64_CRM(esr);
		e->op2 = (unsigned int)ESR_EL2_SYS64_OP2(esr);
		e->rt = (unsigned int)ESR_EL2_SYS64_RT(esr);
		e->read = esr & ESR_EL2_SYS64_DIR_READ;
		e->sysreg_name = esr_sysreg_name(e->op0, e->op1, e->crn, e->crm, e->op2);
		break;
	case ESR_EL2_EC_HVC32:
	case ESR_EL2_EC_HVC64:
		e->cls = ESR_CLASS_HVC;
		e->imm = (unsigned int)ESR_EL2_XVC_IMM(esr);
		break;
	case ESR_EL2_EC_SMC64:
		e->cls = ESR_CLASS_SMC;
		e->imm = (unsigned int)ESR_EL2_XVC_IMM(esr);
		break;
	case ESR_EL2_EC_SMC32: /* ISS holds the condition, not an immediate */
		e->cls = ESR_CLASS_SMC;
		break;
	case ESR_EL2_EC_SERROR:
		e->cls = ESR_CLASS_SERROR;
		break;
	default:
		e->cls = ESR_CLASS_OTHER;
	}
}

/* ---- text ---------------------------------------------------------------------- */

struct sbuf {
	char *buf;
	size_t len; /* > 0 */
	size_t pos; /* < len; buf[pos] == '\0' */
};

static void __attribute__((format(printf, 2, 3))) sb_printf(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->pos + 1 >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->pos, s->len - s->pos, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->buf[s->pos] = '\0';
		return;
	}
	s->pos += (size_t)n;
	if (s->pos >= s->len)
		s->pos = s->len - 1;
}

/* x0..x30, xzr: register 31 in Rt/SRT is the zero register for these. */
static void sb_reg(struct sbuf *s, unsigned int r)
{
	if (r == 31)
		sb_printf(s, "xzr");
	else
		sb_printf(s, "x%u", r);
}

static void fmt_abort(const struct esr_info *e, struct sbuf *s)
{
	bool data = e->cls == ESR_CLASS_DABT;

	sb_printf(s, "%s", e->ec_name);
	if (data) {
		sb_printf(s, " %s", e->wnr ? "write" : "read");
		if (e->cm)
			sb_printf(s, " CM");
		if (e->isv) {
			sb_printf(s, " ISV SAS=%u SRT=", e->sas_bytes);
			sb_reg(s, e->srt);
			sb_printf(s, " SF=%d", e->sf);
			if (e->sse)
				sb_printf(s, " SSE");
			if (e->ar)
				sb_printf(s, " AR");
		}
		if (e->vncr)
			sb_printf(s, " VNCR");
	}
	if (e->s1ptw)
		sb_printf(s, " S1PTW");
	if (e->ea)
		sb_printf(s, " EA");
	if (e->fnv)
		sb_printf(s, " FnV");
	sb_printf(s, " %s=%s", data ? "DFSC" : "IFSC", e->fsc_name);
	if (e->ipa_valid) {
		sb_printf(s, " ipa=0x%" PRIx64, e->ipa);
		if (e->ipa_ns)
			sb_printf(s, " NS");
	}
}

static void fmt_sysreg(const struct esr_info *e, struct sbuf *s)
{
	bool sys_insn = e->op0 < 2; /* SYS/SYSL space, not a register */

	sb_printf(s, "%s %s ", e->ec_name,
		  sys_insn ? (e->read ? "SYSL" : "SYS") : (e->read ? "MRS" : "MSR"));
	if (e->sysreg_name)
		sb_printf(s, "%s", e->sysreg_name);
	else
		sb_printf(s, "S%u_%u_C%u_C%u_%u", e->op0, e->op1, e->crn, e->crm, e->op2);
	sb_printf(s, " ");
	sb_reg(s, e->rt);
	sb_printf(s, " (op0=%u op1=%u CRn=%u CRm=%u op2=%u)", e->op0, e->op1, e->crn, e->crm,
		  e->op2);
}

const char *esr_fmt(const struct esr_info *e, char *buf, size_t len)
{
	struct sbuf s = { buf, len, 0 };

	if (!buf || !len)
		return buf;
	buf[0] = '\0';
	switch (e->cls) {
	case ESR_CLASS_DABT:
	case ESR_CLASS_IABT:
		fmt_abort(e, &s);
		break;
	case ESR_CLASS_WFX:
		sb_printf(&s, "%s %s", e->ec_name, e->wfx_name);
		if (e->wfx_rv) {
			sb_printf(&s, " ");
			sb_reg(&s, e->wfx_rn);
		}
		break;
	case ESR_CLASS_SYSREG:
		fmt_sysreg(e, &s);
		break;
	case ESR_CLASS_HVC:
	case ESR_CLASS_SMC:
		if (e->imm)
			sb_printf(&s, "%s #0x%x", e->ec_name, e->imm);
		else
			sb_printf(&s, "%s #0", e->ec_name);
		break;
	case ESR_CLASS_SERROR:
	case ESR_CLASS_OTHER:
		sb_printf(&s, "%s iss=0x%" PRIx32, e->ec_name, e->iss);
		break;
	}
	return buf;
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_abort(const struct esr_info *e, struct json_writer *w)
{
	if (e->cls == ESR_CLASS_DABT) {
		jw_bool_field(w, "isv", e->isv);
		if (e->isv) {
			jw_u64_field(w, "sas", e->sas_bytes);
			jw_bool_field(w, "sse", e->sse);
			jw_u64_field(w, "srt", e->srt);
			jw_bool_field(w, "sf", e->sf);
			jw_bool_field(w, "ar", e->ar);
		}
		jw_bool_field(w, "wnr", e->wnr);
		jw_bool_field(w, "cm", e->cm);
		jw_bool_field(w, "vncr", e->vncr);
	}
	jw_bool_field(w, "s1ptw", e->s1ptw);
	jw_bool_field(w, "ea", e->ea);
	jw_bool_field(w, "fnv", e->fnv);
	jw_u64_field(w, "fsc", e->fsc);
	jw_string_field(w, "fsc_name", e->fsc_name);
	jw_name(w, "fsc_level");
	if (e->fsc_level == ESR_FSC_LEVEL_NONE)
		jw_null(w);
	else
		jw_s64(w, e->fsc_level);
	jw_bool_field(w, "far_valid", e->far_valid);
	if (e->far_valid)
		jw_hex_field(w, "far", e->far);
	jw_bool_field(w, "ipa_valid", e->ipa_valid);
	if (e->ipa_valid) {
		jw_hex_field(w, "ipa", e->ipa);
		jw_bool_field(w, "ipa_ns", e->ipa_ns);
	}
}

static void json_sysreg(const struct esr_info *e, struct json_writer *w)
{
	char enc[32];

	snprintf(enc, sizeof(enc), "S%u_%u_C%u_C%u_%u", e->op0, e->op1, e->crn, e->crm, e->op2);
	jw_u64_field(w, "op0", e->op0);
	jw_u64_field(w, "op1", e->op1);
	jw_u64_field(w, "crn", e->crn);
	jw_u64_field(w, "crm", e->crm);
	jw_u64_field(w, "op2", e->op2);
	jw_u64_field(w, "rt", e->rt);
	jw_bool_field(w, "read", e->read);
	jw_string_field(w, "sysreg", e->sysreg_name); /* null when not in the table */
	jw_string_field(w, "sysreg_enc", enc);
}

void esr_json(const struct esr_info *e, struct json_writer *w)
{
	jw_hex_field(w, "esr", e->esr);
	jw_u64_field(w, "ec", e->ec);
	jw_string_field(w, "ec_name", e->ec_name);
	jw_string_field(w, "ec_desc", e->ec_desc);
	jw_bool_field(w, "il", e->il);
	jw_hex_field(w, "iss", e->iss);
	jw_string_field(w, "class", esr_class_name(e->cls));
	switch (e->cls) {
	case ESR_CLASS_DABT:
	case ESR_CLASS_IABT:
		json_abort(e, w);
		break;
	case ESR_CLASS_WFX:
		jw_string_field(w, "wfx", e->wfx_name);
		jw_bool_field(w, "rv", e->wfx_rv);
		if (e->wfx_rv)
			jw_u64_field(w, "rn", e->wfx_rn);
		break;
	case ESR_CLASS_SYSREG:
		json_sysreg(e, w);
		break;
	case ESR_CLASS_HVC:
	case ESR_CLASS_SMC:
		jw_u64_field(w, "imm", e->imm);
		break;
	case ESR_CLASS_SERROR:
	case ESR_CLASS_OTHER:
		break;
	}
}
