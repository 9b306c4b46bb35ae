// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "record.h"
#include "rmi/event.h"
#include "util.h"

#define BUF_RAW (256u << 10) /* raw bytes per block: bounds memory and loss */

struct rmi_rec_writer {
	int fd;
	char *path;
	off_t good; /* file size up to the last complete block */
	char *raw;
	size_t raw_len;
	unsigned char *comp;
	size_t comp_cap;
	uint32_t n, seq;
	uint64_t first_ts, last_ts, events, bytes;
};

static uint32_t crc_of(const void *p, size_t len)
{
	return (uint32_t)crc32(0L, p, (uInt)len);
}

/*
 * Raw deflate (no zlib wrapper): each block already carries a CRC, and the
 * wrapper's adler32 cost 10% of report time.
 */
static int deflate_raw(unsigned char *out, uLongf *out_len, const void *in, size_t in_len)
{
	z_stream z = { 0 };
	int ret;

	if (deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)in;
	z.avail_in = in_len;
	z.next_out = out;
	z.avail_out = *out_len;
	ret = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -ENOSPC;
}

static int inflate_raw(void *out, uLongf *out_len, const unsigned char *in, size_t in_len,
		       z_stream *z)
{
	int ret;

	if (inflateReset(z) != Z_OK)
		return -EINVAL;
	z->next_in = (Bytef *)in;
	z->avail_in = in_len;
	z->next_out = out;
	z->avail_out = *out_len;
	ret = inflate(z, Z_FINISH);
	*out_len = z->total_out;
	return ret == Z_STREAM_END ? 0 : -EBADMSG;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int rmi_rec_create(const char *path, const char *meta, int force, struct rmi_rec_writer **out)
{
	struct rmi_rec_file_hdr h = { .format = RMI_REC_FORMAT,
				      .event_abi = RMI_EVENT_ABI_VERSION };
	struct rmi_rec_writer *w = calloc(1, sizeof(*w));
	struct timespec rt, mono;
	int err;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->raw = malloc(BUF_RAW);
	w->comp_cap = compressBound(BUF_RAW);
	w->comp = malloc(w->comp_cap);
	w->path = strdup(path);
	if (!w->raw || !w->comp || !w->path) {
		err = -ENOMEM;
		goto fail;
	}
	w->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
	if (w->fd < 0) {
		err = -errno;
		rmi_err(err == -EEXIST ? "remove it or pass --force" : NULL,
			"cannot create '%s': %s", path, strerror(-err));
		goto fail_nofd;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	memcpy(h.magic, RMI_REC_MAGIC, sizeof(h.magic));
	h.meta_len = strlen(meta);
	h.meta_crc = crc_of(meta, h.meta_len);
	h.created_unix_ns = rt.tv_sec * 1000000000ull + rt.tv_nsec;
	h.mono_at_start_ns = mono.tv_sec * 1000000000ull + mono.tv_nsec;
	h.hdr_crc = crc_of(&h, sizeof(h));
	err = write_all(w->fd, &h, sizeof(h));
	if (!err)
		err = write_all(w->fd, meta, h.meta_len);
	if (err) {
		rmi_err(NULL, "writing '%s': %s", path, strerror(-err));
		goto fail;
	}
	w->good = sizeof(h) + h.meta_len;
	w->bytes = w->good;
	*out = w;
	return 0;
fail:
	close(w->fd);
fail_nofd:
	free(w->raw);
	free(w->comp);
	free(w->path);
	free(w);
	return err;
}

static int write_block(struct rmi_rec_writer *w, uint32_t type, const void *raw, size_t raw_len,
		       uint32_t n, uint64_t lost)
{
	struct rmi_rec_block_hdr b = { .type = type,
				       .raw_len = raw_len,
				       .n_events = n,
				       .seq = w->seq,
				       .first_ts = w->first_ts,
				       .last_ts = w->last_ts,
				       .lost_events = lost };
	uLongf clen = w->comp_cap;
	int err;

	if (deflate_raw(w->comp, &clen, raw, raw_len))
		return -ENOMEM;
	memcpy(b.magic, RMI_REC_BLOCK_MAGIC, 4);
	b.comp_len = clen;
	b.payload_crc = crc_of(w->comp, clen);
	b.hdr_crc = crc_of(&b, sizeof(b));
	/* one write per part; a partial block is cut back to the last good one */
	err = write_all(w->fd, &b, sizeof(b));
	if (!err)
		err = write_all(w->fd, w->comp, clen);
	if (err) {
		/* cut a partial block off; if that fails the reader still stops there */
		(void)!ftruncate(w->fd, w->good);
		rmi_err(err == -ENOSPC ? "the file is readable up to the last complete block" :
					 NULL,
			"writing '%s': %s", w->path, strerror(-err));
		return err;
	}
	w->good += sizeof(b) + clen;
	w->bytes = w->good;
	w->seq++;
	return 0;
}

int rmi_rec_flush(struct rmi_rec_writer *w, uint64_t lost)
{
	int err;

	if (!w->n)
		return 0;
	err = write_block(w, RMI_REC_BLOCK_EVENTS, w->raw, w->raw_len, w->n, lost);
	w->raw_len = 0;
	w->n = 0;
	return err;
}

int rmi_rec_add(struct rmi_rec_writer *w, const void *ev, size_t len)
{
	const struct rmi_ev_hdr *h = ev;
	int err;

	if (len < sizeof(*h) || len > BUF_RAW)
		return 0;
	if (w->raw_len + len > BUF_RAW) {
		err = rmi_rec_flush(w, 0);
		if (err)
			return err;
	}
	if (!w->n)
		w->first_ts = h->ts_ns;
	w->last_ts = h->ts_ns;
	memcpy(w->raw + w->raw_len, ev, len);
	w->raw_len += len;
	w->n++;
	w->events++;
	return 0;
}

uint64_t rmi_rec_events(const struct rmi_rec_writer *w)
{
	return w->events;
}

uint64_t rmi_rec_bytes(const struct rmi_rec_writer *w)
{
	return w->bytes;
}

static void writer_free(struct rmi_rec_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->raw);
	free(w->comp);
	free(w->path);
	free(w);
}

int rmi_rec_close(struct rmi_rec_writer *w, const char *trailer, uint64_t lost)
{
	int err;

	if (!w)
		return 0;
	err = rmi_rec_flush(w, lost);
	if (!err && trailer)
		err = write_block(w, RMI_REC_BLOCK_TRAILER, trailer, strlen(trailer), 0, lost);
	if (!err && fsync(w->fd) && errno != EINVAL)
		err = -errno;
	writer_free(w);
	return err;
}

void rmi_rec_abort(struct rmi_rec_writer *w)
{
	if (w)
		writer_free(w);
}

/* ---- reading --------------------------------------------------------------- */

struct rmi_rec_reader {
	FILE *f;
	z_stream z;
	bool z_ready;
	struct rmi_rec_file_hdr h;
	struct rmi_rec_block_hdr b;
	char *meta;
	unsigned char *comp;
	char *raw;
	size_t comp_cap, raw_cap;
	uint32_t seq;
	long off;
	char err[256];
};

int rmi_rec_open(const char *path, struct rmi_rec_reader **out)
{
	struct rmi_rec_reader *r = calloc(1, sizeof(*r));
	uint32_t crc;
	int err = -EINVAL;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->f = fopen(path, "rb");
	if (!r->f) {
		err = -errno;
		rmi_err(NULL, "cannot open '%s': %s", path, strerror(-err));
		free(r);
		return err;
	}
	if (fread(&r->h, sizeof(r->h), 1, r->f) != 1) {
		rmi_err(NULL, "'%s' is not an rmitrace record: too short for a header", path);
		goto fail;
	}
	if (memcmp(r->h.magic, RMI_REC_MAGIC, 8)) {
		rmi_err("record files come from 'rmitrace record -o FILE'",
			"'%s' is not an rmitrace record (bad magic)", path);
		goto fail;
	}
	crc = r->h.hdr_crc;
	r->h.hdr_crc = 0;
	if (crc_of(&r->h, sizeof(r->h)) != crc) {
		rmi_err(NULL, "'%s': the record header is damaged (checksum)", path);
		goto fail;
	}
	r->h.hdr_crc = crc;
	if (r->h.format != RMI_REC_FORMAT || r->h.event_abi != RMI_EVENT_ABI_VERSION) {
		rmi_err("read it with the rmitrace version that wrote it",
			"'%s' is record format %u with event ABI %u; this rmitrace reads format %u, "
			"event ABI %u",
			path, r->h.format, r->h.event_abi, RMI_REC_FORMAT, RMI_EVENT_ABI_VERSION);
		err = -EPROTONOSUPPORT;
		goto fail;
	}
	if (r->h.meta_len > (1u << 20) || !(r->meta = calloc(1, r->h.meta_len + 1)) ||
	    fread(r->meta, 1, r->h.meta_len, r->f) != r->h.meta_len ||
	    crc_of(r->meta, r->h.meta_len) != r->h.meta_crc) {
		rmi_err(NULL, "'%s': the record metadata is damaged", path);
		goto fail;
	}
	r->off = sizeof(r->h) + r->h.meta_len;
	*out = r;
	return 0;
fail:
	rmi_rec_close_reader(r);
	return err;
}

const char *rmi_rec_meta(const struct rmi_rec_reader *r)
{
	return r->meta;
}

const struct rmi_rec_file_hdr *rmi_rec_header(const struct rmi_rec_reader *r)
{
	return &r->h;
}

const char *rmi_rec_error(const struct rmi_rec_reader *r)
{
	return r->err;
}

static int damaged(struct rmi_rec_reader *r, const char *what)
{
	snprintf(r->err, sizeof(r->err), "block %u at offset %ld: %s", r->seq, r->off, what);
	return -EBADMSG;
}

static int grow(void **p, size_t *cap, size_t want)
{
	void *n;

	if (want <= *cap)
		return 0;
	n = realloc(*p, want);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = want;
	return 0;
}

int rmi_rec_next(struct rmi_rec_reader *r, const void **data, size_t *len, uint32_t *type,
		 const struct rmi_rec_block_hdr **bh)
{
	struct rmi_rec_block_hdr *b = &r->b;
	uLongf rlen;
	size_t got;
	uint32_t crc;

	got = fread(b, 1, sizeof(*b), r->f);
	if (got == 0 && feof(r->f))
		return 0;
	if (got != sizeof(*b))
		return damaged(r, "truncated block header (recording cut off)");
	if (memcmp(b->magic, RMI_REC_BLOCK_MAGIC, 4))
		return damaged(r, "bad block magic");
	crc = b->hdr_crc;
	b->hdr_crc = 0;
	if (crc_of(b, sizeof(*b)) != crc)
		return damaged(r, "block header checksum mismatch");
	b->hdr_crc = crc;
	if (b->seq != r->seq)
		return damaged(r, "block out of sequence");
	if (b->comp_len > RMI_REC_BLOCK_MAX || b->raw_len > RMI_REC_BLOCK_MAX)
		return damaged(r, "block larger than any recorder writes");
	if (grow((void **)&r->comp, &r->comp_cap, b->comp_len ? b->comp_len : 1) ||
	    grow((void **)&r->raw, &r->raw_cap, b->raw_len + 1))
		return -ENOMEM;
	if (fread(r->comp, 1, b->comp_len, r->f) != b->comp_len)
		return damaged(r, "truncated block (recording cut off)");
	if (crc_of(r->comp, b->comp_len) != b->payload_crc)
		return damaged(r, "payload checksum mismatch");
	if (!r->z_ready) {
		if (inflateInit2(&r->z, -15) != Z_OK)
			return -ENOMEM;
		r->z_ready = true;
	}
	rlen = b->raw_len;
	if (inflate_raw(r->raw, &rlen, r->comp, b->comp_len, &r->z) || rlen != b->raw_len)
		return damaged(r, "payload does not inflate");
	r->raw[rlen] = '\0'; /* trailer JSON is a string */
	r->off += sizeof(*b) + b->comp_len;
	r->seq++;
	*data = r->raw;
	*len = rlen;
	*type = b->type;
	if (bh)
		*bh = b;
	return 1;
}

void rmi_rec_close_reader(struct rmi_rec_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->z_ready)
		inflateEnd(&r->z);
	free(r->meta);
	free(r->comp);
	free(r->raw);
	free(r);
}

int rmi_rec_each_event(const void *data, size_t len,
		       int (*fn)(void *ctx, const void *ev, size_t len), void *ctx)
{
	const char *p = data, *end = p + len;

	while (p < end) {
		const struct rmi_ev_hdr *h = (const void *)p;
		int err;

		if ((size_t)(end - p) < sizeof(*h) || h->size < sizeof(*h) ||
		    h->size > (size_t)(end - p))
			return -EBADMSG;
		err = fn(ctx, p, h->size);
		if (err)
			return err;
		p += h->size;
	}
	return 0;
}
