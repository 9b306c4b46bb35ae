/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few CCA host kernel types the probes read, as CO-RE flavours
 * (___rmi): libbpf matches them by name against the target's BTF (a CCA
 * kernel's vmlinux, or a simulated host's ELF) and relocates every access,
 * looking through anonymous unions. Only the fields we read are listed; the
 * local layout is irrelevant. Fields that exist in one series version only
 * are guarded with bpf_core_field_exists() where they are read.
 */
#ifndef RMI_CCA_CORE_H
#define RMI_CCA_CORE_H

#include <linux/types.h>

#define __rmi_core __attribute__((preserve_access_index))

/* struct rec_exit (asm/kvm_rmi.h, later linux/arm-smccc-rmi.h) */
struct rec_exit___rmi {
	__u8 exit_reason;
	__u64 esr;
	__u64 far;
	__u64 hpfar;
	__u64 gprs[31];
	__u64 gicv3_hcr; /* RMM 1.0 (series <= v12) only */
	__u64 ripas_base;
	__u64 ripas_top;
	__u8 ripas_value;
	__u64 s2ap_base; /* RMM 1.1/2.0 (series >= v13) only */
	__u64 s2ap_top;
	__u16 imm;
} __rmi_core;

struct rec_run___rmi {
	struct rec_exit___rmi exit;
} __rmi_core;

/* struct realm_rec: v12 carries aux_pages[], v14 an SRO state pointer */
struct realm_rec___rmi {
	unsigned long mpidr;
	struct rec_run___rmi *run;
	void *aux_pages[16]; /* <= v13 */
	void *sro; /* >= v14 */
} __rmi_core;

struct kvm_vcpu_arch___rmi {
	struct realm_rec___rmi rec;
} __rmi_core;

struct kvm___rmi {
	int userspace_pid; /* pid_t */
} __rmi_core;

struct kvm_vcpu___rmi {
	struct kvm___rmi *kvm;
	int vcpu_id;
	struct kvm_vcpu_arch___rmi arch;
} __rmi_core;

struct arm_smccc_1_2_regs___rmi {
	unsigned long a0;
	unsigned long a1;
	unsigned long a2;
	unsigned long a3;
} __rmi_core;

#endif
