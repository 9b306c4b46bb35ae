// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A minimal third-party "CCA host": only handle_rec_exit, with struct layouts
 * of its own (other members, other order, other padding than tests/sim), to
 * show that the probes follow the contract (names, signatures, BTF) and not
 * our simulator. Prints its ground truth: exits per reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint64_t u64;

struct rec_exit {
	union {
		u8 exit_reason;
		u8 padding0[0x100];
	};
	union {
		struct {
			u64 esr;
			u64 far;
			u64 hpfar;
		};
		u8 padding1[0x100];
	};
	union {
		u64 gprs[31];
		u8 padding2[0x200];
	};
	union {
		struct {
			u64 ripas_base;
			u64 ripas_top;
			u8 ripas_value;
		};
		u8 padding5[0x100];
	};
	union {
		u16 imm;
		u8 padding6[0x200];
	};
};

struct rec_run {
	u8 enter[0x800];
	struct rec_exit exit;
};

struct realm_rec {
	void *rec_page;
	struct rec_run *run;
	unsigned long mpidr; /* not where the kernel has it */
};

struct kvm {
	char name[100];
	int userspace_pid;
};

struct kvm_vcpu_arch {
	u64 unrelated[7];
	struct realm_rec rec;
};

struct kvm_vcpu {
	u64 pad[3];
	int vcpu_id;
	struct kvm *kvm;
	char more[37];
	struct kvm_vcpu_arch arch;
};

#ifdef WRONG_SIG
/* arguments swapped: a probe that trusted the name would read garbage */
__attribute__((noinline, noipa, used)) int handle_rec_exit(int rec_run_ret, struct kvm_vcpu *vcpu)
#else
__attribute__((noinline, noipa, used)) int handle_rec_exit(struct kvm_vcpu *vcpu, int rec_run_ret)
#endif
{
	__asm__ volatile("" ::"r"(vcpu), "r"(rec_run_ret) : "memory");
	return 1;
}

/* the post-v14 two-argument form (source, status) */
__attribute__((noinline, noipa, used)) int realm_psci_complete(struct kvm_vcpu *source,
							       unsigned long status)
{
	__asm__ volatile("" ::"r"(source), "r"(status) : "memory");
	return 0;
}

int main(int argc, char **argv)
{
	static struct rec_run run;
	static struct kvm kvm = { .name = "mini" };
	static struct kvm_vcpu vcpu;
	unsigned int counts[8] = { 0 }, n = argc > 1 ? atoi(argv[1]) : 1000, seed = 7;

	vcpu.kvm = &kvm;
	vcpu.vcpu_id = 3;
	vcpu.arch.rec.run = &run;
	vcpu.arch.rec.mpidr = 0x3;
	for (unsigned int i = 0; i < n; i++) {
		u8 reason;

		seed = seed * 1103515245 + 12345;
		reason = (seed >> 16) % 7; /* SYNC..SERROR */
		memset(&run.exit, 0, sizeof(run.exit));
		run.exit.exit_reason = reason;
		if (reason == 0)
			run.exit.esr = 0x24ull << 26 | 1 << 25; /* data abort */
		counts[reason]++;
#ifdef WRONG_SIG
		handle_rec_exit(0, &vcpu);
#else
		handle_rec_exit(&vcpu, 0);
#endif
	}
	realm_psci_complete(&vcpu, 0);
	printf("{\"vcpu_id\": 3, \"exits\": {");
	for (int r = 0, first = 1; r < 7; r++) {
		if (counts[r]) {
			printf("%s\"%d\": %u", first ? "" : ", ", r, counts[r]);
			first = 0;
		}
	}
	printf("}}\n");
	return 0;
}
