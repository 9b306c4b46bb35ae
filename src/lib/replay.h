/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a whole record file into a stats snapshot (report FILE). */
#ifndef RMI_LIB_REPLAY_H
#define RMI_LIB_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "defs.h"
#include "stats.h"

struct rmi_replay_info {
	enum rmi_spec spec; /* from the metadata */
	bool spec_known;
	uint64_t blocks, events, lost_events;
	uint64_t mono_at_start_ns, created_unix_ns;
	bool trailer; /* the recorder stopped cleanly */
	bool damaged; /* stopped at a damaged block */
	char error[300]; /* what was damaged, where */
	char source[256]; /* hook source in the metadata */
};

/* Pulls "key":"value" out of our own metadata JSON. */
const char *rmi_meta_str(const char *meta, const char *key, char *buf, size_t len);

/*
 * Adds every event of path to s (and passes each to fn when not NULL).
 * Returns 0 for a clean file, 1 when it stopped at damage (what came before
 * is in s), negative when the file cannot be read at all (error printed).
 */
int rmi_replay(const char *path, struct rmi_stats *s, struct rmi_replay_info *info,
	       int (*fn)(void *ctx, const void *ev, size_t len), void *ctx);

/*
 * The clock origin and RMM spec of a recording, from its header, before any
 * event is read (spec may be NULL; it is left alone when unknown).
 */
int rmi_replay_peek(const char *path, unsigned long long *t0_ns, enum rmi_spec *spec);

/* Metadata JSON of a recording started now (malloc'd). */
char *rmi_meta_build(const char *source, enum rmi_spec spec, const char *hooks_csv);

#endif
