// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

/* One writer per FILE and thread: the _unlocked stdio calls are safe and save the
 * lock per call that dominated JSON output. */
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
	fputc_unlocked('\n', w->f);
	fflush(w->f);
	free(w);
}

static void jw_indent(struct json_writer *w)
{
	if (!w->pretty)
		return;
	fputc_unlocked('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs_unlocked("  ", w->f);
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
			fputc_unlocked(',', w->f);
		w->nonempty[w->depth] = true;
		jw_indent(w);
	}
}

static void jw_open(struct json_writer *w, char c)
{
	jw_sep(w);
	fputc_unlocked(c, w->f);
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
	fputc_unlocked(c, w->f);
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
	const unsigned char *p = (const unsigned char *)s;

	fputc_unlocked('"', f);
	for (;;) {
		const unsigned char *run = p;

		/* copy runs of plain characters at once */
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			fwrite_unlocked(run, 1, p - run, f);
		if (!*p)
			break;
		switch (*p) {
		case '"':
			fputs_unlocked("\\\"", f);
			break;
		case '\\':
			fputs_unlocked("\\\\", f);
			break;
		case '\n':
			fputs_unlocked("\\n", f);
			break;
		case '\t':
			fputs_unlocked("\\t", f);
			break;
		case '\r':
			fputs_unlocked("\\r", f);
			break;
		default:
			fprintf(f, "\\u%04x", *p);
		}
		p++;
	}
	fputc_unlocked('"', f);
}

void jw_name(struct json_writer *w, const char *name)
{
	jw_sep(w);
	jw_escaped(w->f, name);
	fputs_unlocked(w->pretty ? ": " : ":", w->f);
	w->after_name = true;
}

void jw_string(struct json_writer *w, const char *s)
{
	jw_sep(w);
	if (s)
		jw_escaped(w->f, s);
	else
		fputs_unlocked("null", w->f);
}

/* integers without printf: they are most of what the tools write */
static void put_u64(FILE *f, uint64_t v, int base, const char *prefix)
{
	static const char digits[] = "0123456789abcdef";
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	if (prefix)
		fputs_unlocked(prefix, f);
	fwrite_unlocked(p, 1, buf + sizeof(buf) - p, f);
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	jw_sep(w);
	put_u64(w->f, v, 10, NULL);
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
		fputs_unlocked("null", w->f);
}

void jw_bool(struct json_writer *w, bool v)
{
	jw_sep(w);
	fputs_unlocked(v ? "true" : "false", w->f);
}

void jw_null(struct json_writer *w)
{
	jw_sep(w);
	fputs_unlocked("null", w->f);
}

void jw_hex(struct json_writer *w, uint64_t v)
{
	jw_sep(w);
	put_u64(w->f, v, 16, "\"0x");
	fputc_unlocked('"', w->f);
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
