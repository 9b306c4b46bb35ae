/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * ESR_EL2 and HPFAR_EL2 as a REC exit reports them (RmiRecExit.esr/.hpfar),
 * from the Arm ARM (DDI 0487, "ESR_EL2" and "HPFAR_EL2"). Plain macros with
 * no includes and no typedefs, so BPF C and user C can both use them.
 * Layouts were checked against the Arm ARM and Linux's arch/arm64/include/asm/esr.h.
 */
#ifndef RMI_ESR_H
#define RMI_ESR_H

/* Bits h..l set (h >= l, both 0..63). */
#define RMI_GENMASK_ULL(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

/* ---- ESR_EL2: EC[31:26], IL[25], ISS[24:0] ---------------------------------- */
#define ESR_EL2_EC_SHIFT 26
#define ESR_EL2_EC_MASK (0x3FUL << ESR_EL2_EC_SHIFT)
#define ESR_EL2_EC(esr) (((esr) >> ESR_EL2_EC_SHIFT) & 0x3FUL)
#define ESR_EL2_IL_SHIFT 25
#define ESR_EL2_IL (1UL << ESR_EL2_IL_SHIFT)
#define ESR_EL2_ISS_MASK 0x1FFFFFFUL
#define ESR_EL2_ISS(esr) (ESR_EL2_ISS_MASK & (esr))

/* Exception classes */
#define ESR_EL2_EC_UNKNOWN 0x00UL
#define ESR_EL2_EC_WFX 0x01UL
#define ESR_EL2_EC_CP15_32 0x03UL
#define ESR_EL2_EC_CP15_64 0x04UL
#define ESR_EL2_EC_CP14_MR 0x05UL
#define ESR_EL2_EC_CP14_LS 0x06UL
#define ESR_EL2_EC_FP_ASIMD 0x07UL
#define ESR_EL2_EC_CP10_ID 0x08UL
#define ESR_EL2_EC_PAC 0x09UL
#define ESR_EL2_EC_OTHER 0x0AUL /* LD64B/ST64B and other FEAT-specific traps */
#define ESR_EL2_EC_CP14_64 0x0CUL
#define ESR_EL2_EC_BTI 0x0DUL
#define ESR_EL2_EC_ILL 0x0EUL
#define ESR_EL2_EC_SVC32 0x11UL
#define ESR_EL2_EC_HVC32 0x12UL
#define ESR_EL2_EC_SMC32 0x13UL
#define ESR_EL2_EC_SVC64 0x15UL
#define ESR_EL2_EC_HVC64 0x16UL
#define ESR_EL2_EC_SMC64 0x17UL
#define ESR_EL2_EC_SYS64 0x18UL
#define ESR_EL2_EC_SVE 0x19UL
#define ESR_EL2_EC_ERET 0x1AUL
#define ESR_EL2_EC_FPAC 0x1CUL
#define ESR_EL2_EC_SME 0x1DUL
#define ESR_EL2_EC_IMP_DEF 0x1FUL
#define ESR_EL2_EC_IABT_LOW 0x20UL
#define ESR_EL2_EC_IABT_CUR 0x21UL
#define ESR_EL2_EC_PC_ALIGN 0x22UL
#define ESR_EL2_EC_DABT_LOW 0x24UL
#define ESR_EL2_EC_DABT_CUR 0x25UL
#define ESR_EL2_EC_SP_ALIGN 0x26UL
#define ESR_EL2_EC_MOPS 0x27UL
#define ESR_EL2_EC_FP_EXC32 0x28UL
#define ESR_EL2_EC_FP_EXC64 0x2CUL
#define ESR_EL2_EC_GCS 0x2DUL
#define ESR_EL2_EC_SERROR 0x2FUL
#define ESR_EL2_EC_BREAKPT_LOW 0x30UL
#define ESR_EL2_EC_BREAKPT_CUR 0x31UL
#define ESR_EL2_EC_SOFTSTP_LOW 0x32UL
#define ESR_EL2_EC_SOFTSTP_CUR 0x33UL
#define ESR_EL2_EC_WATCHPT_LOW 0x34UL
#define ESR_EL2_EC_WATCHPT_CUR 0x35UL
#define ESR_EL2_EC_BKPT32 0x38UL
#define ESR_EL2_EC_VECTOR32 0x3AUL
#define ESR_EL2_EC_BRK64 0x3CUL
#define ESR_EL2_EC_MAX 0x3FUL

/* ---- Data/Instruction Abort ISS (EC 0x20, 0x21, 0x24, 0x25) ----------------- */
#define ESR_EL2_ISV (1UL << 24) /* SAS, SSE, SRT, SF, AR are valid (data aborts) */
#define ESR_EL2_SAS_SHIFT 22 /* access size: 1 << SAS bytes */
#define ESR_EL2_SAS_MASK (0x3UL << ESR_EL2_SAS_SHIFT)
#define ESR_EL2_SAS(esr) (((esr) >> ESR_EL2_SAS_SHIFT) & 0x3UL)
#define ESR_EL2_SAS_BYTE 0UL
#define ESR_EL2_SAS_HALFWORD 1UL
#define ESR_EL2_SAS_WORD 2UL
#define ESR_EL2_SAS_DOUBLEWORD 3UL
#define ESR_EL2_SSE (1UL << 21) /* sign-extend the loaded value */
#define ESR_EL2_SRT_SHIFT 16 /* transfer register Xt/Wt */
#define ESR_EL2_SRT_MASK (0x1FUL << ESR_EL2_SRT_SHIFT)
#define ESR_EL2_SRT(esr) (((esr) >> ESR_EL2_SRT_SHIFT) & 0x1FUL)
#define ESR_EL2_SF (1UL << 15) /* 64-bit (Xt) register */
#define ESR_EL2_AR (1UL << 14) /* acquire/release semantics */
#define ESR_EL2_VNCR (1UL << 13) /* fault on the VNCR_EL2 page (FEAT_NV2) */
#define ESR_EL2_SET_SHIFT 11 /* synchronous error type, when EA (FEAT_RAS) */
#define ESR_EL2_SET_MASK (0x3UL << ESR_EL2_SET_SHIFT)
#define ESR_EL2_FNV (1UL << 10) /* FAR not valid */
#define ESR_EL2_EA (1UL << 9) /* external abort type */
#define ESR_EL2_CM (1UL << 8) /* cache maintenance or address translation */
#define ESR_EL2_S1PTW (1UL << 7) /* stage 2 fault on a stage 1 table walk */
#define ESR_EL2_WNR (1UL << 6) /* write, not read */
#define ESR_EL2_FSC_MASK 0x3FUL /* DFSC / IFSC */
#define ESR_EL2_FSC(esr) (ESR_EL2_FSC_MASK & (esr))
#define ESR_EL2_FSC_TYPE_MASK 0x3CUL
#define ESR_EL2_FSC_LEVEL_MASK 0x03UL

/*
 * Fault status codes. _L(n) takes the lookup level 0..3; level -1 exists with
 * FEAT_LPA2 and level -2 with FEAT_D128, at separate codes (_LM1, _LM2).
 */
#define ESR_EL2_FSC_ADDRSZ_L(n) (0x00UL + (n))
#define ESR_EL2_FSC_ADDRSZ_LM1 0x29UL
#define ESR_EL2_FSC_ADDRSZ_LM2 0x2CUL
#define ESR_EL2_FSC_FAULT_L(n) (0x04UL + (n)) /* translation fault */
#define ESR_EL2_FSC_FAULT_LM1 0x2BUL
#define ESR_EL2_FSC_FAULT_LM2 0x2AUL
#define ESR_EL2_FSC_ACCESS_L(n) (0x08UL + (n)) /* access flag; level 0 needs FEAT_LPA2 */
#define ESR_EL2_FSC_PERM_L(n) (0x0CUL + (n)) /* permission; level 0 needs FEAT_LPA2 */
#define ESR_EL2_FSC_SEA 0x10UL /* synchronous external abort, not on a walk */
#define ESR_EL2_FSC_TAG_CHECK 0x11UL /* synchronous tag check fault (FEAT_MTE2) */
#define ESR_EL2_FSC_SEA_TTW_L(n) (0x14UL + (n))
#define ESR_EL2_FSC_SEA_TTW_LM1 0x13UL
#define ESR_EL2_FSC_SEA_TTW_LM2 0x12UL
#define ESR_EL2_FSC_SECC 0x18UL /* parity/ECC error, not on a walk (no FEAT_RAS) */
#define ESR_EL2_FSC_SECC_TTW_L(n) (0x1CUL + (n))
#define ESR_EL2_FSC_SECC_TTW_LM1 0x1BUL
#define ESR_EL2_FSC_ALIGN 0x21UL
#define ESR_EL2_FSC_GPF_TTW_L(n) (0x24UL + (n)) /* granule protection fault on a walk */
#define ESR_EL2_FSC_GPF_TTW_LM1 0x23UL
#define ESR_EL2_FSC_GPF_TTW_LM2 0x22UL
#define ESR_EL2_FSC_GPF 0x28UL /* granule protection fault, not on a walk */
#define ESR_EL2_FSC_TLB_CONFLICT 0x30UL
#define ESR_EL2_FSC_UNSUPP_ATOMIC 0x31UL /* unsupported atomic hardware update */
#define ESR_EL2_FSC_IMPDEF_LOCKDOWN 0x34UL
#define ESR_EL2_FSC_IMPDEF_ATOMIC 0x35UL

/* ---- WFx ISS (EC 0x01) -------------------------------------------------------- */
#define ESR_EL2_WFX_TI_MASK 0x3UL
#define ESR_EL2_WFX_TI(esr) (ESR_EL2_WFX_TI_MASK & (esr))
#define ESR_EL2_WFX_TI_WFI 0UL
#define ESR_EL2_WFX_TI_WFE 1UL
#define ESR_EL2_WFX_TI_WFIT 2UL
#define ESR_EL2_WFX_TI_WFET 3UL
#define ESR_EL2_WFX_RV (1UL << 2) /* RN is valid (WFIT/WFET) */
#define ESR_EL2_WFX_RN_SHIFT 5
#define ESR_EL2_WFX_RN_MASK (0x1FUL << ESR_EL2_WFX_RN_SHIFT)
#define ESR_EL2_WFX_RN(esr) (((esr) >> ESR_EL2_WFX_RN_SHIFT) & 0x1FUL)

/* ---- Trapped MSR/MRS/System instruction ISS (EC 0x18) --------------------------- */
#define ESR_EL2_SYS64_OP0_SHIFT 20
#define ESR_EL2_SYS64_OP0_MASK (0x3UL << ESR_EL2_SYS64_OP0_SHIFT)
#define ESR_EL2_SYS64_OP2_SHIFT 17
#define ESR_EL2_SYS64_OP2_MASK (0x7UL << ESR_EL2_SYS64_OP2_SHIFT)
#define ESR_EL2_SYS64_OP1_SHIFT 14
#define ESR_EL2_SYS64_OP1_MASK (0x7UL << ESR_EL2_SYS64_OP1_SHIFT)
#define ESR_EL2_SYS64_CRN_SHIFT 10
#define ESR_EL2_SYS64_CRN_MASK (0xFUL << ESR_EL2_SYS64_CRN_SHIFT)
#define ESR_EL2_SYS64_RT_SHIFT 5
#define ESR_EL2_SYS64_RT_MASK (0x1FUL << ESR_EL2_SYS64_RT_SHIFT)
#define ESR_EL2_SYS64_CRM_SHIFT 1
#define ESR_EL2_SYS64_CRM_MASK (0xFUL << ESR_EL2_SYS64_CRM_SHIFT)
#define ESR_EL2_SYS64_DIR_READ 1UL /* bit 0: 1 = read (MRS/SYSL), 0 = write (MSR/SYS) */
#define ESR_EL2_SYS64_OP0(esr) (((esr) >> ESR_EL2_SYS64_OP0_SHIFT) & 0x3UL)
#define ESR_EL2_SYS64_OP2(esr) (((esr) >> ESR_EL2_SYS64_OP2_SHIFT) & 0x7UL)
#define ESR_EL2_SYS64_OP1(esr) (((esr) >> ESR_EL2_SYS64_OP1_SHIFT) & 0x7UL)
#define ESR_EL2_SYS64_CRN(esr) (((esr) >> ESR_EL2_SYS64_CRN_SHIFT) & 0xFUL)
#define ESR_EL2_SYS64_RT(esr) (((esr) >> ESR_EL2_SYS64_RT_SHIFT) & 0x1FUL)
#define ESR_EL2_SYS64_CRM(esr) (((esr) >> ESR_EL2_SYS64_CRM_SHIFT) & 0xFUL)
/* The register part of the ISS (no Rt, no direction), arguments in sysreg order. */
#define ESR_EL2_SYS64_REG_MASK                                                      \
	(ESR_EL2_SYS64_OP0_MASK | ESR_EL2_SYS64_OP1_MASK | ESR_EL2_SYS64_CRN_MASK | \
	 ESR_EL2_SYS64_CRM_MASK | ESR_EL2_SYS64_OP2_MASK)
#define ESR_EL2_SYS64_REG(op0, op1, crn, crm, op2)                                 \
	(((op0) << ESR_EL2_SYS64_OP0_SHIFT) | ((op1) << ESR_EL2_SYS64_OP1_SHIFT) | \
	 ((crn) << ESR_EL2_SYS64_CRN_SHIFT) | ((crm) << ESR_EL2_SYS64_CRM_SHIFT) | \
	 ((op2) << ESR_EL2_SYS64_OP2_SHIFT))

/* ---- HVC/SMC ISS (EC 0x12, 0x16, 0x17): the immediate ------------------------- */
#define ESR_EL2_XVC_IMM_MASK 0xFFFFUL
#define ESR_EL2_XVC_IMM(esr) (ESR_EL2_XVC_IMM_MASK & (esr))

/* ---- HPFAR_EL2 ----------------------------------------------------------------- */
/*
 * FIPA holds IPA[55:12] at bits [47:4]: [39:4] for 48-bit IPAs, [43:4] with
 * FEAT_LPA, [47:4] with FEAT_D128 (Arm ARM DDI 0487 L.a); unimplemented upper
 * bits are RES0, so the widest mask is right on every implementation.
 */
#define HPFAR_EL2_FIPA_SHIFT 4
#define HPFAR_EL2_FIPA_MASK RMI_GENMASK_ULL(47, 4)
/*
 * Bit 63 (NS) is RES0 for aborts taken to Non-secure or Realm EL2. Recent
 * Linux KVM, and the CCA host on every RMI_EXIT_SYNC, sets it in its saved
 * copy (vcpu->arch.fault.hpfar_el2) to mean "HPFAR valid"; RmiRecExit.hpfar
 * from the RMM should have it clear. Mask it off before use.
 */
#define HPFAR_EL2_NS (1ULL << 63)
/* Page-aligned faulting IPA (bits [55:12]), as kvm_vcpu_get_fault_ipa(). */
#define HPFAR_EL2_IPA(hpfar) ((HPFAR_EL2_FIPA_MASK & (hpfar)) << 8)
/* The page offset comes from FAR_EL2 when FnV is clear. */
#define FAR_EL2_PAGE_OFFSET_MASK 0xFFFULL

#endif
