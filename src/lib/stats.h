/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The user-space model of what the probes saw: exits per realm/vCPU/reason/
 * ESR class/REC_ENTER status with REC run and host time histograms, RMI calls
 * per VMM/FID/result with latency histograms, PSCI windows, realms. Filled
 * either from the in-kernel aggregates (rmitop, exporter, live report) or
 * from events (record files, streams): both give the same numbers.
 */
#ifndef RMI_LIB_STATS_H
#define RMI_LIB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rmi/event.h"

struct rmi_probe;
struct json_writer;

struct rmi_hist {
	uint64_t slot[RMI_HIST_SLOTS];
	uint64_t n, sum, max;
};

void rmi_hist_add(struct rmi_hist *h, uint64_t v);
void rmi_hist_merge(struct rmi_hist *dst, const struct rmi_hist *src);
/* Upper bound of the log2 slot holding quantile q (0..1); max for q >= 1. */
uint64_t rmi_hist_quantile(const struct rmi_hist *h, double q);
/* libbpf-tools print_log2_hist style text bars. */
void rmi_hist_print(FILE *f, const struct rmi_hist *h, const char *unit);

/* A keyed table of rows; each row starts with its key. */
struct rmi_tab {
	size_t key_size, row_size;
	char *rows;
	size_t n, cap;
	uint32_t *idx; /* open addressing: row index + 1, 0 empty */
	size_t idx_cap;
};

void *rmi_tab_get(struct rmi_tab *t, const void *key, bool create);
void *rmi_tab_row(const struct rmi_tab *t, size_t i);
void rmi_tab_del(struct rmi_tab *t, const void *key);
void rmi_tab_clear(struct rmi_tab *t);

struct rmi_exit_row {
	struct rmi_exit_key key;
	uint64_t count;
	struct rmi_hist run, host;
};

struct rmi_call_row {
	struct rmi_call_key key;
	uint64_t count;
	struct rmi_hist lat;
};

struct rmi_psci_row {
	struct rmi_realm_id key;
	uint64_t opened, completed, err_rec_enters, early_target_entries;
	struct rmi_hist dur;
};

struct rmi_window_row {
	struct rmi_psci_key key;
	struct rmi_psci_win win;
};

struct rmi_realm_row {
	struct rmi_realm_id key;
	struct rmi_realm_info info;
};

/* event-mode per-thread state: where the next host time belongs */
struct rmi_tid_row {
	uint32_t tid;
	uint32_t has_last;
	struct rmi_exit_key last;
};

struct rmi_stats {
	struct rmi_tab exits, calls, psci, windows, realms, tids;
	uint64_t lost_events, read_errors, state_full;
	uint64_t events; /* events added (event mode) */
	uint64_t first_ns, last_ns; /* event time span */
};

void rmi_stats_init(struct rmi_stats *s);
void rmi_stats_free(struct rmi_stats *s);
void rmi_stats_reset(struct rmi_stats *s);

/* Replaces s with a snapshot of the in-kernel aggregates. */
int rmi_stats_read_maps(struct rmi_stats *s, const struct rmi_probe *p);
/* Replaces only the open PSCI windows with the map's (cheap, for watching). */
int rmi_stats_read_windows(struct rmi_stats *s, const struct rmi_probe *p);
/* Adds one event (as it comes off the ring buffer or out of a record). */
void rmi_stats_add_event(struct rmi_stats *s, const void *ev, size_t len);

/*
 * Differences between two snapshots of the same probes (maps vs events),
 * described on out (first 20); returns how many.
 */
int rmi_stats_compare(const struct rmi_stats *a, const struct rmi_stats *b, FILE *out);

/*
 * Deletes from the in-kernel maps every entry of realms destroyed more than
 * retention_ns ago (their exits, PSCI counts, the realm, and the RMI calls
 * of a VMM with no realm left). Long-running readers call it so that realm
 * churn neither fills the maps nor grows their memory. Returns entries deleted.
 */
int rmi_stats_gc(const struct rmi_probe *p, const struct rmi_stats *s, uint64_t now_ns,
		 uint64_t retention_ns);

/* Sorting helpers for presentation: returns a malloc'd array of row pointers. */
void **rmi_tab_sorted(const struct rmi_tab *t, int (*cmp)(const void *, const void *));

#endif
