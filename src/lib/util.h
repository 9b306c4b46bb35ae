/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Error reporting and argument parsing shared by every front end. */
#ifndef RMI_LIB_UTIL_H
#define RMI_LIB_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses common to all tools (bpftool/libbpf-tools habits). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Program name used in messages; set once from argv[0] by rmi_set_prog(). */
extern const char *rmi_prog;
void rmi_set_prog(const char *argv0);

/* "prog: error: MSG (HINT)" on stderr. hint may be NULL. */
void rmi_err(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rmi_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parses a whole string as an unsigned 64-bit number: decimal, 0x hex, 0b
 * binary or a negative decimal (two's complement, as PSCI/SMCCC codes are).
 * Returns 0 or -EINVAL; never accepts trailing junk or an empty string.
 */
int rmi_parse_u64(const char *s, uint64_t *out);

/* True when s is a (case-insensitive) prefix of word, bpftool style. */
bool rmi_is_prefix(const char *s, const char *word);

#endif
