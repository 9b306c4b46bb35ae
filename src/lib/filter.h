/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event filters of the stream commands: vCPU, exit reason, RMI FID, latency. */
#ifndef RMI_LIB_FILTER_H
#define RMI_LIB_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "defs.h"

struct rmi_filter {
	int vcpu; /* -1: any */
	int reason; /* exit reason, -1: any; only REC exits pass when set */
	uint64_t fid; /* RMI FID (SVE bit masked), 0: any; only RMI calls pass when set */
	uint64_t min_lat_ns; /* REC run time or RMI latency at least this; 0: off */
};

#define RMI_FILTER_INIT                  \
	{                                \
		.vcpu = -1, .reason = -1 \
	}

/* "PSCI", "RMI_EXIT_PSCI", "3"; "failed" for a refused REC_ENTER. 0 or -EINVAL. */
int rmi_filter_reason(const char *s, enum rmi_spec spec, int *out);
/* "RTT_CREATE", "RMI_RTT_CREATE", "0xC400015D". */
int rmi_filter_fid(const char *s, enum rmi_spec spec, uint64_t *out);
/* "250" (us), "250us", "1.5ms", "800ns", "2s". */
int rmi_filter_duration(const char *s, uint64_t *ns);
bool rmi_filter_match(const struct rmi_filter *f, const void *ev, size_t len);

#endif
