/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Chrome/Perfetto trace-event JSON of a recording: realms as processes, a
 * track per vCPU with REC run slices and exits as instants, a track per
 * vCPU (or host thread) for RMI calls, PSCI windows as async slices.
 */
#ifndef RMI_LIB_TIMELINE_H
#define RMI_LIB_TIMELINE_H

#include <stdio.h>

#include "defs.h"

struct rmi_timeline;

struct rmi_timeline *rmi_timeline_new(FILE *out, enum rmi_spec spec, unsigned long long t0_ns);
/* Adds one event; fits rmi_replay()'s callback. */
int rmi_timeline_event(void *tl, const void *ev, size_t len);
/* Closes windows still open at end_ns, names processes and threads, ends the JSON. */
int rmi_timeline_finish(struct rmi_timeline *tl, unsigned long long end_ns);

#endif
