/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text and JSON presentation of one decoded value and of the definitions table. */
#ifndef RMI_LIB_DECODE_PRINT_H
#define RMI_LIB_DECODE_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "defs.h"
#include "json.h"

/* What `decode` understands; names are matched by prefix (bpftool habit). */
enum rmi_decode_kind {
	RMI_DK_FID,
	RMI_DK_STATUS,
	RMI_DK_EXIT,
	RMI_DK_ESR,
	RMI_DK_PSCI,
	RMI_DK_RIPAS,
	RMI_DK_RTT_STATE,
	RMI_DK_HIPAS,
	RMI_DK_RSI_STATUS,
	RMI_DK_FEAT,
	RMI_DK__COUNT,
};

struct rmi_decode_opts {
	enum rmi_spec spec;
	bool spec_set; /* --spec given: else 2.0, and ambiguity is noted */
	uint64_t far, hpfar; /* esr: fault address registers */
	bool have_addr;
	unsigned int feat_reg; /* feat: register index */
	bool feat_rsi; /* feat: RSI_FEATURES rather than RMI_FEATURES */
	bool verbose; /* text: add the notes of the data */
};

/* Parses a kind name or prefix; returns -1 when unknown or ambiguous. */
int rmi_decode_kind_parse(const char *s);
const char *rmi_decode_kind_names(void); /* "fid|status|..." for usage */

/*
 * Decodes arg (a number, or a definition name where that makes sense) as
 * kind and prints it, as JSON when w is not NULL. Returns 0, or -EINVAL with
 * an error already printed when arg is not understood.
 */
int rmi_decode_print(enum rmi_decode_kind kind, const char *arg, const struct rmi_decode_opts *o,
		     FILE *out, struct json_writer *w);

/* Lists the definitions table: kind filter (TSV kind or decode kind), spec, name substring. */
int rmi_defs_print(const char *kind, const enum rmi_spec *spec, const char *name_sub, bool verbose,
		   FILE *out, struct json_writer *w);

#endif
