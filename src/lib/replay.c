// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "json.h"
#include "record.h"
#include "replay.h"
#include "util.h"

const char *rmi_meta_str(const char *meta, const char *key, char *buf, size_t len)
{
	char pat[64];
	const char *p, *e;

	buf[0] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = meta ? strstr(meta, pat) : NULL;
	if (!p)
		return buf;
	p += strlen(pat);
	e = strchr(p, '"');
	if (e)
		snprintf(buf, len, "%.*s", (int)(e - p), p);
	return buf;
}

char *rmi_meta_build(const char *source, enum rmi_spec spec, const char *hooks_csv)
{
	struct utsname u = {};
	struct json_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	uname(&u);
	w = jw_new(f, false);
	if (w) {
		jw_start_object(w);
		jw_string_field(w, "tool", "rmitrace " RMI_VERSION_STR);
		jw_string_field(w, "host", u.nodename);
		jw_string_field(w, "kernel", u.release);
		jw_string_field(w, "machine", u.machine);
		jw_string_field(w, "source", source);
		jw_string_field(w, "rmm_spec", rmi_spec_str(spec));
		jw_string_field(w, "hooks", hooks_csv);
		jw_string_field(w, "clock", "CLOCK_MONOTONIC");
		jw_end_object(w);
		free(w); /* no newline: the metadata is exactly the object */
	}
	fclose(f);
	return buf;
}

int rmi_replay_peek(const char *path, unsigned long long *t0_ns, enum rmi_spec *spec)
{
	struct rmi_rec_reader *r;
	char s[32];
	int err = rmi_rec_open(path, &r);

	if (err)
		return err;
	*t0_ns = rmi_rec_header(r)->mono_at_start_ns;
	if (spec)
		rmi_spec_parse(rmi_meta_str(rmi_rec_meta(r), "rmm_spec", s, sizeof(s)), spec);
	rmi_rec_close_reader(r);
	return 0;
}

struct replay_ctx {
	struct rmi_stats *s;
	int (*fn)(void *ctx, const void *ev, size_t len);
	void *ctx;
};

static int replay_one(void *ctx, const void *ev, size_t len)
{
	struct replay_ctx *c = ctx;

	rmi_stats_add_event(c->s, ev, len);
	return c->fn ? c->fn(c->ctx, ev, len) : 0;
}

int rmi_replay(const char *path, struct rmi_stats *s, struct rmi_replay_info *info,
	       int (*fn)(void *ctx, const void *ev, size_t len), void *ctx)
{
	struct replay_ctx rc = { s, fn, ctx };
	const struct rmi_rec_block_hdr *bh;
	struct rmi_rec_reader *r;
	const void *data;
	uint32_t type;
	size_t len;
	char spec[32];
	int ret, err;

	memset(info, 0, sizeof(*info));
	err = rmi_rec_open(path, &r);
	if (err)
		return err;
	info->mono_at_start_ns = rmi_rec_header(r)->mono_at_start_ns;
	info->created_unix_ns = rmi_rec_header(r)->created_unix_ns;
	rmi_meta_str(rmi_rec_meta(r), "source", info->source, sizeof(info->source));
	info->spec_known = !rmi_spec_parse(
		rmi_meta_str(rmi_rec_meta(r), "rmm_spec", spec, sizeof(spec)), &info->spec);
	while ((ret = rmi_rec_next(r, &data, &len, &type, &bh)) > 0) {
		info->blocks++;
		info->lost_events = bh->lost_events;
		if (type == RMI_REC_BLOCK_TRAILER) {
			info->trailer = true;
			continue;
		}
		if (type != RMI_REC_BLOCK_EVENTS)
			continue; /* a later format's block: skip it */
		info->events += bh->n_events;
		err = rmi_rec_each_event(data, len, replay_one, &rc);
		if (err == -EBADMSG) {
			snprintf(
				info->error, sizeof(info->error),
				"block %llu: malformed event inside a block whose checksum is right",
				(unsigned long long)info->blocks - 1);
			ret = -EBADMSG;
			break;
		}
		if (err) {
			ret = err;
			break;
		}
	}
	if (ret < 0 && !info->error[0])
		snprintf(info->error, sizeof(info->error), "%s", rmi_rec_error(r));
	info->damaged = ret < 0;
	s->lost_events = info->lost_events;
	rmi_rec_close_reader(r);
	return info->damaged ? 1 : 0;
}
