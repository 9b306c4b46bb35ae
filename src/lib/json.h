/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Streaming JSON writer in the manner of iproute2/bpftool's json_writer:
 * the caller opens and closes containers, the writer places commas.
 */
#ifndef RMI_LIB_JSON_H
#define RMI_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer;

struct json_writer *jw_new(FILE *f, bool pretty);
/* Ends the document with a newline and frees the writer; NULL-safe. */
void jw_destroy(struct json_writer *w);

void jw_start_object(struct json_writer *w);
void jw_end_object(struct json_writer *w);
void jw_start_array(struct json_writer *w);
void jw_end_array(struct json_writer *w);
void jw_name(struct json_writer *w, const char *name);

void jw_string(struct json_writer *w, const char *s);
void jw_u64(struct json_writer *w, uint64_t v);
void jw_s64(struct json_writer *w, int64_t v);
void jw_double(struct json_writer *w, double v);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* Hex values are strings ("0xc400015c"): JSON numbers lose bits above 2^53. */
void jw_hex(struct json_writer *w, uint64_t v);

/* name + value in one call */
void jw_string_field(struct json_writer *w, const char *name, const char *s);
void jw_u64_field(struct json_writer *w, const char *name, uint64_t v);
void jw_s64_field(struct json_writer *w, const char *name, int64_t v);
void jw_double_field(struct json_writer *w, const char *name, double v);
void jw_bool_field(struct json_writer *w, const char *name, bool v);
void jw_hex_field(struct json_writer *w, const char *name, uint64_t v);

#endif
