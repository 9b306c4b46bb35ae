// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

#define JW_MAX_DEPTH 64

struct json_writer {
	FILE *f;
	bool pretty;
	int depth;
	bool after_name;
	/* per level: has the container got an element yet? */
	bool nonempty[JW_MAX_DEPTH];
};

struct json_writer *jw_new(FILE *f, bool pretty)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->f = f;
	w->pretty = pretty;
	return w;
}

void jw_destroy(struct json_writer *w)
{
	if (!w)
		return;
	fputc('\n', w->f);
	fflush(w->f);
	free(w);
}

static void jw_indent(struct json_writer *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Separator before a value or a name. */
static void jw_sep(struct json_writer *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->depth > 0) {
		if (w->nonempty[w->depth])
			fputc(',', w->f);
		w->nonempty[w->depth] = true;
		jw_indent(w);
	}
}

static void jw_open(struct json_writer *w, char c)
{
	jw_sep(w);
	fputc(c, w->f);
	if (w->depth < JW_MAX_DEPTH - 1)
		w->depth++;
	w->nonempty[w->depth] = false;
}

static void jw_close(struct json_writer *w, char c)
{
	bool had = w->nonempty[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		jw_indent(w);
	fputc(c, w->f);
}

void jw_start_object(struct json_writer *w)
{
	jw_open(w, '{');
}

void jw_end_object(struct json_writer *w)
{
	jw_close(w, '}');
}

void jw_start_array(struct json_writer *w)
{
	jw_open(w, '[');
}

void jw_end_array(struct json_writer *w)
{
	jw_close(w, ']');
}

static void jw_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void jw_name(struct json_writer *w, const char *name)
{
	jw_sep(w);
	jw_escaped(w->f, name);
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_name = true;
}

void jw_string(struct json_writer *w, const char *s)
{
	jw_sep(w);
	if (s)
		jw_escaped(w->f, s);
	else
		fputs("null", w->f);
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	jw_sep(w);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_s64(struct json_writer *w, int64_t v)
{
	jw_sep(w);
	fprintf(w->f, "%" PRId64, v);
}

void jw_double(struct json_writer *w, double v)
{
	jw_sep(w);
	if (isfinite(v))
		fprintf(w->f, "%.9g", v);
	else
		fputs("null", w->f);
}

void jw_bool(struct json_writer *w, bool v)
{
	jw_sep(w);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct json_writer *w)
{
	jw_sep(w);
	fputs("null", w->f);
}

void jw_hex(struct json_writer *w, uint64_t v)
{
	jw_sep(w);
	fprintf(w->f, "\"0x%" PRIx64 "\"", v);
}

void jw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jw_name(w, name);
	jw_string(w, s);
}

void jw_u64_field(struct json_writer *w, const char *name, uint64_t v)
{
	jw_name(w, name);
	jw_u64(w, v);
}

void jw_s64_field(struct json_writer *w, const char *name, int64_t v)
{
	jw_name(w, name);
	jw_s64(w, v);
}

void jw_double_field(struct json_writer *w, const char *name, double v)
{
	jw_name(w, name);
	jw_double(w, v);
}

void jw_bool_field(struct json_writer *w, const char *name, bool v)
{
	jw_name(w, name);
	jw_bool(w, v);
}

void jw_hex_field(struct json_writer *w, const char *name, uint64_t v)
{
	jw_name(w, name);
	jw_hex(w, v);
}
