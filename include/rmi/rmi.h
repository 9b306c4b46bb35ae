/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * RMI/RSI/PSCI constants that code (BPF and user space) refers to by name.
 * Plain macros so BPF C can include this. The complete set, per spec
 * version, is include/rmi/defs.tsv; tests/unit/test_defs.c checks every
 * macro here against that table so the two cannot drift.
 */
#ifndef RMI_RMI_H
#define RMI_RMI_H

/* SMCCC function ID layout */
#define RMI_FID(n) (0xC4000000UL | (n))
#define RMI_FID_SVE_HINT (1UL << 16)
#define RMI_FID_MASK(fid) ((fid)&0xFFFEFFFFUL)
/* RMI ranges: 0x150-0x18F and 0x1D0-0x2CF (reservation quoted by TF-RMM) */
#define RMI_FNUM_IS_RMI(n) (((n) >= 0x150 && (n) <= 0x18F) || ((n) >= 0x1D0 && (n) <= 0x2CF))
#define RMI_FID_IS_RMI(fid) \
	((((fid)&0xFFFF0000UL) == 0xC4000000UL) && RMI_FNUM_IS_RMI((fid)&0xFFFF))

/* RMI commands the probes single out (same numbers in 1.0, 1.1 and 2.0) */
#define RMI_VERSION RMI_FID(0x150)
#define RMI_REALM_ACTIVATE RMI_FID(0x157)
#define RMI_REALM_CREATE RMI_FID(0x158)
#define RMI_REALM_DESTROY RMI_FID(0x159)
#define RMI_REC_CREATE RMI_FID(0x15A)
#define RMI_REC_DESTROY RMI_FID(0x15B)
#define RMI_REC_ENTER RMI_FID(0x15C)
#define RMI_RTT_CREATE RMI_FID(0x15D)
#define RMI_RTT_DESTROY RMI_FID(0x15E)
#define RMI_PSCI_COMPLETE RMI_FID(0x164)
#define RMI_FEATURES RMI_FID(0x165)
#define RMI_RTT_INIT_RIPAS RMI_FID(0x168)
#define RMI_RTT_SET_RIPAS RMI_FID(0x169)
/* 1.0 / 1.1 only */
#define RMI_GRANULE_DELEGATE RMI_FID(0x151)
#define RMI_GRANULE_UNDELEGATE RMI_FID(0x152)
#define RMI_DATA_CREATE RMI_FID(0x153)
/* 2.0 */
#define RMI_RTT_DATA_MAP_INIT RMI_FID(0x153)
#define RMI_GRANULE_RANGE_DELEGATE RMI_FID(0x1F1)
#define RMI_GRANULE_RANGE_UNDELEGATE RMI_FID(0x1F2)
#define RMI_OP_CONTINUE RMI_FID(0x203)
#define RMI_OP_MEM_DONATE RMI_FID(0x208)
#define RMI_OP_MEM_RECLAIM RMI_FID(0x209)
#define RMI_OP_CANCEL RMI_FID(0x20A)

/* Result word: status in 7:0, index/level (or 2.0 data) above */
#define RMI_RETURN_STATUS(x) ((x)&0xFF)
#define RMI_RETURN_INDEX(x) (((x) >> 8) & 0xFF)
#define RMI_SUCCESS 0
#define RMI_ERROR_INPUT 1
#define RMI_ERROR_REALM 2
#define RMI_ERROR_REC 3
#define RMI_ERROR_RTT 4
#define RMI_INCOMPLETE 13 /* 2.0 */

/* REC exit reasons: 0-6 are stable across versions, 7+ depend on it */
#define RMI_EXIT_SYNC 0
#define RMI_EXIT_IRQ 1
#define RMI_EXIT_FIQ 2
#define RMI_EXIT_PSCI 3
#define RMI_EXIT_RIPAS_CHANGE 4
#define RMI_EXIT_HOST_CALL 5
#define RMI_EXIT_SERROR 6
#define RMI_EXIT_S2AP_CHANGE 7 /* 1.1-alp12 and later */
#define RMI_EXIT_REASON_MAX 15 /* table sizes: reasons are u8, seen up to 11 */

/* RIPAS */
#define RMI_EMPTY 0
#define RMI_RAM 1
#define RMI_DESTROYED 2
#define RMI_DEV 3

/* rec_enter.flags */
#define REC_ENTER_FLAG_EMUL_MMIO 0x1
#define REC_ENTER_FLAG_INJECT_SEA 0x2
#define REC_ENTER_FLAG_TRAP_WFI 0x4
#define REC_ENTER_FLAG_TRAP_WFE 0x8
#define REC_ENTER_FLAG_RIPAS_RESPONSE 0x10

/* PSCI function IDs a realm exits with */
#define PSCI_CPU_SUSPEND_SMC32 0x84000001UL
#define PSCI_CPU_SUSPEND_SMC64 0xC4000001UL
#define PSCI_CPU_OFF_SMC32 0x84000002UL
#define PSCI_CPU_ON_SMC32 0x84000003UL
#define PSCI_CPU_ON_SMC64 0xC4000003UL
#define PSCI_AFFINITY_INFO_SMC32 0x84000004UL
#define PSCI_AFFINITY_INFO_SMC64 0xC4000004UL
#define PSCI_SYSTEM_OFF_SMC32 0x84000008UL
#define PSCI_SYSTEM_RESET_SMC32 0x84000009UL
/* CPU_ON and AFFINITY_INFO need RMI_PSCI_COMPLETE before the caller re-enters */
#define PSCI_NEEDS_COMPLETE(fid)                                                             \
	(RMI_FID_MASK(fid) == PSCI_CPU_ON_SMC32 || RMI_FID_MASK(fid) == PSCI_CPU_ON_SMC64 || \
	 RMI_FID_MASK(fid) == PSCI_AFFINITY_INFO_SMC32 ||                                    \
	 RMI_FID_MASK(fid) == PSCI_AFFINITY_INFO_SMC64)

#define PSCI_SUCCESS 0
#define PSCI_DENIED (-3)

/* uAPI of series v12/v13: vCPU ioctl completing a PSCI request (removed in v14) */
#define KVM_ARM_VCPU_RMI_PSCI_COMPLETE 0x4018AED6UL

#endif
