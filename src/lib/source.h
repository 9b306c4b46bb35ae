/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where events come from: the live ring buffer of attached probes. */
#ifndef RMI_LIB_SOURCE_H
#define RMI_LIB_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct rmi_probe;
struct rmi_source;

/* Called per event; a negative return stops the poll with that error. */
typedef int (*rmi_event_fn)(void *ctx, const void *ev, size_t len);

int rmi_source_live(struct rmi_probe *p, rmi_event_fn fn, void *ctx, struct rmi_source **out);
/* Waits up to timeout_ms; returns events handled, or a negative error. */
int rmi_source_poll(struct rmi_source *s, int timeout_ms);
/* Consumes whatever is left without waiting. */
int rmi_source_drain(struct rmi_source *s);
/* Events the probes could not queue (ring buffer full), summed over CPUs. */
uint64_t rmi_source_lost(const struct rmi_source *s);
void rmi_source_free(struct rmi_source *s);

#endif
