/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * RmiRecRun (the run page of RMI_REC_ENTER) for RMM 1.0 and 2.0, with the
 * offsets of DEN0137 / rmi-layout.md asserted. 1.1 final keeps the 1.0
 * offsets and adds the 2.0 fields except vsmmu; 2.0 drops the GIC block.
 * User space only: the BPF side reads these through CO-RE (bpf/cca_core.h).
 */
#ifndef RMI_REC_RUN_H
#define RMI_REC_RUN_H

#include <stddef.h>
#include <stdint.h>

#define REC_RUN_GPRS 31
#define REC_GIC_NUM_LRS 16
#define REC_RUN_SIZE 0x1000
#define REC_EXIT_OFFSET 0x800

struct rmi_rec_enter_v10 {
	uint64_t flags; /* 0x000 */
	uint8_t pad0[0x200 - 0x8];
	uint64_t gprs[REC_RUN_GPRS]; /* 0x200 */
	uint8_t pad1[0x300 - 0x200 - REC_RUN_GPRS * 8];
	uint64_t gicv3_hcr; /* 0x300 */
	uint64_t gicv3_lrs[REC_GIC_NUM_LRS]; /* 0x308 */
	uint8_t pad2[0x800 - 0x388];
};

struct rmi_rec_exit_v10 {
	uint8_t exit_reason; /* 0x000 */
	uint8_t pad0[0x100 - 1];
	uint64_t esr; /* 0x100 */
	uint64_t far; /* 0x108 */
	uint64_t hpfar; /* 0x110 */
	uint8_t pad1[0x200 - 0x118];
	uint64_t gprs[REC_RUN_GPRS]; /* 0x200 */
	uint8_t pad2[0x300 - 0x200 - REC_RUN_GPRS * 8];
	uint64_t gicv3_hcr; /* 0x300 */
	uint64_t gicv3_lrs[REC_GIC_NUM_LRS]; /* 0x308 */
	uint64_t gicv3_misr; /* 0x388 */
	uint64_t gicv3_vmcr; /* 0x390 */
	uint8_t pad3[0x400 - 0x398];
	uint64_t cntp_ctl; /* 0x400 */
	uint64_t cntp_cval;
	uint64_t cntv_ctl;
	uint64_t cntv_cval;
	uint8_t pad4[0x500 - 0x420];
	uint64_t ripas_base; /* 0x500 */
	uint64_t ripas_top; /* 0x508 */
	uint8_t ripas_value; /* 0x510 */
	uint8_t pad5[0x600 - 0x511];
	uint16_t imm; /* 0x600 */
	uint8_t pad6[0x700 - 0x602];
	uint8_t pmu_ovf_status; /* 0x700 */
	uint8_t pad7[0x800 - 0x701];
};

struct rmi_rec_run_v10 {
	struct rmi_rec_enter_v10 enter;
	struct rmi_rec_exit_v10 exit;
};

struct rmi_rec_enter_v20 {
	uint64_t flags; /* 0x000 */
	uint8_t pad0[0x200 - 0x8];
	uint64_t gprs[REC_RUN_GPRS]; /* 0x200 */
	uint8_t pad1[0x800 - 0x200 - REC_RUN_GPRS * 8];
};

struct rmi_rec_exit_v20 {
	uint8_t exit_reason; /* 0x000 */
	uint8_t pad0[0x100 - 1];
	uint64_t esr; /* 0x100 */
	uint64_t far; /* 0x108 */
	uint64_t hpfar; /* 0x110 */
	uint64_t rtt_tree; /* 0x118 */
	uint8_t pad1[0x200 - 0x120];
	uint64_t gprs[REC_RUN_GPRS]; /* 0x200; 0x300-0x3FF reserved */
	uint8_t pad2[0x400 - 0x200 - REC_RUN_GPRS * 8];
	uint64_t cntp_ctl; /* 0x400 */
	uint64_t cntp_cval;
	uint64_t cntv_ctl;
	uint64_t cntv_cval;
	uint8_t pad4[0x500 - 0x420];
	uint64_t ripas_base; /* 0x500 */
	uint64_t ripas_top; /* 0x508 */
	uint8_t ripas_value; /* 0x510 */
	uint8_t pad5[0x520 - 0x511];
	uint64_t s2ap_base; /* 0x520 */
	uint64_t s2ap_top; /* 0x528 */
	uint64_t vdev_id_1; /* 0x530 */
	uint64_t vdev_id_2; /* 0x538 */
	uint64_t dev_mem_base; /* 0x540 */
	uint64_t dev_mem_top; /* 0x548 */
	uint64_t dev_mem_pa; /* 0x550 */
	uint8_t pad6[0x600 - 0x558];
	uint16_t imm; /* 0x600 */
	uint8_t pad7[0x608 - 0x602];
	uint64_t plane; /* 0x608 */
	uint8_t pad8[0x700 - 0x610];
	uint8_t pmu_ovf_status; /* 0x700 */
	uint8_t pad9[0x710 - 0x701];
	uint64_t vsmmu; /* 0x710 */
	uint8_t pad10[0x800 - 0x718];
};

struct rmi_rec_run_v20 {
	struct rmi_rec_enter_v20 enter;
	struct rmi_rec_exit_v20 exit;
};

#define RMI_ASSERT_OFF(t, f, off) _Static_assert(offsetof(struct t, f) == (off), #t "." #f)

RMI_ASSERT_OFF(rmi_rec_enter_v10, flags, 0x000);
RMI_ASSERT_OFF(rmi_rec_enter_v10, gprs, 0x200);
RMI_ASSERT_OFF(rmi_rec_enter_v10, gicv3_hcr, 0x300);
RMI_ASSERT_OFF(rmi_rec_enter_v10, gicv3_lrs, 0x308);
RMI_ASSERT_OFF(rmi_rec_exit_v10, exit_reason, 0x000);
RMI_ASSERT_OFF(rmi_rec_exit_v10, esr, 0x100);
RMI_ASSERT_OFF(rmi_rec_exit_v10, far, 0x108);
RMI_ASSERT_OFF(rmi_rec_exit_v10, hpfar, 0x110);
RMI_ASSERT_OFF(rmi_rec_exit_v10, gprs, 0x200);
RMI_ASSERT_OFF(rmi_rec_exit_v10, gicv3_hcr, 0x300);
RMI_ASSERT_OFF(rmi_rec_exit_v10, gicv3_lrs, 0x308);
RMI_ASSERT_OFF(rmi_rec_exit_v10, gicv3_misr, 0x388);
RMI_ASSERT_OFF(rmi_rec_exit_v10, gicv3_vmcr, 0x390);
RMI_ASSERT_OFF(rmi_rec_exit_v10, cntp_ctl, 0x400);
RMI_ASSERT_OFF(rmi_rec_exit_v10, cntp_cval, 0x408);
RMI_ASSERT_OFF(rmi_rec_exit_v10, cntv_ctl, 0x410);
RMI_ASSERT_OFF(rmi_rec_exit_v10, cntv_cval, 0x418);
RMI_ASSERT_OFF(rmi_rec_exit_v10, ripas_base, 0x500);
RMI_ASSERT_OFF(rmi_rec_exit_v10, ripas_top, 0x508);
RMI_ASSERT_OFF(rmi_rec_exit_v10, ripas_value, 0x510);
RMI_ASSERT_OFF(rmi_rec_exit_v10, imm, 0x600);
RMI_ASSERT_OFF(rmi_rec_exit_v10, pmu_ovf_status, 0x700);
RMI_ASSERT_OFF(rmi_rec_run_v10, enter, 0x000);
RMI_ASSERT_OFF(rmi_rec_run_v10, exit, REC_EXIT_OFFSET);
_Static_assert(sizeof(struct rmi_rec_enter_v10) == 0x800, "rec_enter 1.0 size");
_Static_assert(sizeof(struct rmi_rec_exit_v10) == 0x800, "rec_exit 1.0 size");
_Static_assert(sizeof(struct rmi_rec_run_v10) == REC_RUN_SIZE, "rec_run 1.0 size");

RMI_ASSERT_OFF(rmi_rec_enter_v20, flags, 0x000);
RMI_ASSERT_OFF(rmi_rec_enter_v20, gprs, 0x200);
RMI_ASSERT_OFF(rmi_rec_exit_v20, exit_reason, 0x000);
RMI_ASSERT_OFF(rmi_rec_exit_v20, esr, 0x100);
RMI_ASSERT_OFF(rmi_rec_exit_v20, far, 0x108);
RMI_ASSERT_OFF(rmi_rec_exit_v20, hpfar, 0x110);
RMI_ASSERT_OFF(rmi_rec_exit_v20, rtt_tree, 0x118);
RMI_ASSERT_OFF(rmi_rec_exit_v20, gprs, 0x200);
RMI_ASSERT_OFF(rmi_rec_exit_v20, cntp_ctl, 0x400);
RMI_ASSERT_OFF(rmi_rec_exit_v20, cntv_cval, 0x418);
RMI_ASSERT_OFF(rmi_rec_exit_v20, ripas_base, 0x500);
RMI_ASSERT_OFF(rmi_rec_exit_v20, ripas_top, 0x508);
RMI_ASSERT_OFF(rmi_rec_exit_v20, ripas_value, 0x510);
RMI_ASSERT_OFF(rmi_rec_exit_v20, s2ap_base, 0x520);
RMI_ASSERT_OFF(rmi_rec_exit_v20, s2ap_top, 0x528);
RMI_ASSERT_OFF(rmi_rec_exit_v20, vdev_id_1, 0x530);
RMI_ASSERT_OFF(rmi_rec_exit_v20, vdev_id_2, 0x538);
RMI_ASSERT_OFF(rmi_rec_exit_v20, dev_mem_base, 0x540);
RMI_ASSERT_OFF(rmi_rec_exit_v20, dev_mem_top, 0x548);
RMI_ASSERT_OFF(rmi_rec_exit_v20, dev_mem_pa, 0x550);
RMI_ASSERT_OFF(rmi_rec_exit_v20, imm, 0x600);
RMI_ASSERT_OFF(rmi_rec_exit_v20, plane, 0x608);
RMI_ASSERT_OFF(rmi_rec_exit_v20, pmu_ovf_status, 0x700);
RMI_ASSERT_OFF(rmi_rec_exit_v20, vsmmu, 0x710);
RMI_ASSERT_OFF(rmi_rec_run_v20, exit, REC_EXIT_OFFSET);
_Static_assert(sizeof(struct rmi_rec_enter_v20) == 0x800, "rec_enter 2.0 size");
_Static_assert(sizeof(struct rmi_rec_exit_v20) == 0x800, "rec_exit 2.0 size");
_Static_assert(sizeof(struct rmi_rec_run_v20) == REC_RUN_SIZE, "rec_run 2.0 size");

#endif
