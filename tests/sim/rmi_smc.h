/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * RMI, PSCI and ESR constants of the simulated CCA host, named as in the host
 * series' arch/arm64/include/asm/rmi_smc.h (v12: RMM 1.0, v14: RMM 2.0-bet1).
 *
 * Written out here on purpose instead of taken from include/rmi/: the
 * simulator is the ground truth the toolkit is tested against, so it must not
 * share the toolkit's tables.
 */
#ifndef SIM_RMI_SMC_H
#define SIM_RMI_SMC_H

#define SMC_RMI_CALL(n) (0xC4000000UL | (n))

/* Calls with the same number in RMM 1.0 and 2.0 */
#define SMC_RMI_VERSION SMC_RMI_CALL(0x150)
#define SMC_RMI_REALM_ACTIVATE SMC_RMI_CALL(0x157)
#define SMC_RMI_REALM_CREATE SMC_RMI_CALL(0x158)
#define SMC_RMI_REALM_DESTROY SMC_RMI_CALL(0x159)
#define SMC_RMI_REC_CREATE SMC_RMI_CALL(0x15a)
#define SMC_RMI_REC_DESTROY SMC_RMI_CALL(0x15b)
#define SMC_RMI_REC_ENTER SMC_RMI_CALL(0x15c)
#define SMC_RMI_RTT_CREATE SMC_RMI_CALL(0x15d)
#define SMC_RMI_RTT_DESTROY SMC_RMI_CALL(0x15e)
#define SMC_RMI_PSCI_COMPLETE SMC_RMI_CALL(0x164)
#define SMC_RMI_FEATURES SMC_RMI_CALL(0x165)
#define SMC_RMI_RTT_INIT_RIPAS SMC_RMI_CALL(0x168)
#define SMC_RMI_RTT_SET_RIPAS SMC_RMI_CALL(0x169)

/* RMM 1.0 only (series v12) */
#define SMC_RMI_GRANULE_DELEGATE SMC_RMI_CALL(0x151)
#define SMC_RMI_GRANULE_UNDELEGATE SMC_RMI_CALL(0x152)
#define SMC_RMI_DATA_CREATE SMC_RMI_CALL(0x153)
#define SMC_RMI_DATA_CREATE_UNKNOWN SMC_RMI_CALL(0x154)
#define SMC_RMI_DATA_DESTROY SMC_RMI_CALL(0x155)
#define SMC_RMI_REC_AUX_COUNT SMC_RMI_CALL(0x167)

/* RMM 2.0 only (series v14) */
#define SMC_RMI_RTT_DATA_MAP_INIT SMC_RMI_CALL(0x153)
#define SMC_RMI_RTT_SET_S2AP SMC_RMI_CALL(0x18b)
#define SMC_RMI_GRANULE_RANGE_DELEGATE SMC_RMI_CALL(0x1f1)
#define SMC_RMI_GRANULE_RANGE_UNDELEGATE SMC_RMI_CALL(0x1f2)
#define SMC_RMI_RTT_DATA_MAP SMC_RMI_CALL(0x1f5)
#define SMC_RMI_RTT_DATA_UNMAP SMC_RMI_CALL(0x1f6)
#define SMC_RMI_OP_CONTINUE SMC_RMI_CALL(0x203)
#define SMC_RMI_OP_MEM_DONATE SMC_RMI_CALL(0x208)
#define SMC_RMI_OP_MEM_RECLAIM SMC_RMI_CALL(0x209)

#define RMI_ABI_VERSION(major, minor) (((unsigned long)(major) << 16) | (minor))

/* Status word: bits 7:0 status, 15:8 index (RTT level), 9:8 memreq for INCOMPLETE */
#define RMI_SUCCESS 0
#define RMI_ERROR_INPUT 1
#define RMI_ERROR_REALM 2
#define RMI_ERROR_REC 3
#define RMI_ERROR_RTT 4
#define RMI_INCOMPLETE 13 /* 2.0 */
#define RMI_RETURN_STATUS(ret) ((ret)&0xff)
#define RMI_RETURN_INDEX(ret) (((ret) >> 8) & 0xff)
#define RMI_RETURN_MEMREQ(ret) (((ret) >> 8) & 0x3)
#define RMI_RESULT(status, index) ((unsigned long)(status) | ((unsigned long)(index) << 8))
#define RMI_OP_MEM_REQ_NONE 0
#define RMI_OP_MEM_REQ_DONATE 1
#define RMI_OP_MEM_REQ_RECLAIM 2

/* rec_exit.exit_reason */
#define RMI_EXIT_SYNC 0
#define RMI_EXIT_IRQ 1
#define RMI_EXIT_FIQ 2
#define RMI_EXIT_PSCI 3
#define RMI_EXIT_RIPAS_CHANGE 4
#define RMI_EXIT_HOST_CALL 5
#define RMI_EXIT_SERROR 6
#define RMI_EXIT_S2AP_CHANGE 7 /* 2.0 */
#define SIM_NR_EXIT_REASONS 8

/* rec_enter.flags */
#define REC_ENTER_FLAG_EMULATED_MMIO (1UL << 0)
#define REC_ENTER_FLAG_INJECT_SEA (1UL << 1)
#define REC_ENTER_FLAG_TRAP_WFI (1UL << 2)
#define REC_ENTER_FLAG_TRAP_WFE (1UL << 3)
#define REC_ENTER_FLAG_RIPAS_RESPONSE (1UL << 4) /* set = REJECT */
#define REC_ENTER_FLAG_S2AP_RESPONSE (1UL << 5) /* 2.0, set = REJECT */

/* rec_params.flags */
#define REC_PARAMS_FLAG_RUNNABLE (1UL << 0)

#define RMI_EMPTY 0
#define RMI_RAM 1
#define RMI_DESTROYED 2

#define RMM_RTT_MAX_LEVEL 3
#define RMM_PAGE_SIZE 0x1000UL

/* PSCI function IDs and return codes (include/uapi/linux/psci.h) */
#define PSCI_0_2_FN64_CPU_SUSPEND 0xC4000001UL
#define PSCI_0_2_FN_CPU_OFF 0x84000002UL
#define PSCI_0_2_FN64_CPU_ON 0xC4000003UL
#define PSCI_0_2_FN64_AFFINITY_INFO 0xC4000004UL
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_0_2_AFFINITY_LEVEL_ON 0
#define PSCI_0_2_AFFINITY_LEVEL_OFF 1

/* ESR_ELx (arch/arm64/include/asm/esr.h) */
#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC(esr) (((esr) >> ESR_ELx_EC_SHIFT) & 0x3f)
#define ESR_ELx_EC_WFx 0x01
#define ESR_ELx_EC_SYS64 0x18
#define ESR_ELx_EC_DABT_LOW 0x24
#define ESR_ELx_EC_SERROR 0x2f
#define ESR_ELx_IL (1UL << 25)
#define ESR_ELx_ISV (1UL << 24)
#define ESR_ELx_SAS_SHIFT 22
#define ESR_ELx_SRT_SHIFT 16
#define ESR_ELx_SF (1UL << 15)
#define ESR_ELx_WNR (1UL << 6)
#define ESR_ELx_FSC_FAULT_L3 0x07
#define ESR_ELx_WFx_ISS_WFE 0x1
#define ESR_ELx_SYS64_ISS_DIR_READ 0x1

#define HPFAR_EL2_NS (1UL << 63)

#endif
