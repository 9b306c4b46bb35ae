/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record file (docs/RECORD.md): a header with JSON metadata, then
 * zlib-compressed blocks of events, each with its own CRC, written whole.
 * A recorder killed at any point leaves a file readable up to its last
 * complete block; a reader stops at the first damaged block and says where.
 */
#ifndef RMI_LIB_RECORD_H
#define RMI_LIB_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define RMI_REC_MAGIC "RMIREC\r\n" /* \r\n: text-mode mangling shows at once */
#define RMI_REC_FORMAT 1
#define RMI_REC_BLOCK_MAGIC "RBLK"
#define RMI_REC_BLOCK_EVENTS 1
#define RMI_REC_BLOCK_TRAILER 2 /* JSON summary written at a clean stop */
#define RMI_REC_BLOCK_MAX (16u << 20) /* a reader refuses larger blocks */

struct rmi_rec_file_hdr {
	char magic[8];
	uint32_t format; /* RMI_REC_FORMAT */
	uint32_t event_abi; /* RMI_EVENT_ABI_VERSION of the events */
	uint32_t meta_len; /* bytes of JSON metadata after this header */
	uint32_t meta_crc; /* crc32 of the metadata */
	uint64_t created_unix_ns; /* CLOCK_REALTIME at start */
	uint64_t mono_at_start_ns; /* CLOCK_MONOTONIC at start: events' clock */
	uint32_t flags;
	uint32_t hdr_crc; /* crc32 of this header with hdr_crc = 0 */
};

struct rmi_rec_block_hdr {
	char magic[4];
	uint32_t type; /* RMI_REC_BLOCK_* */
	uint32_t raw_len; /* payload bytes after inflate */
	uint32_t comp_len; /* payload bytes in the file */
	uint32_t n_events;
	uint32_t seq; /* 0, 1, 2, ...: a gap is damage */
	uint64_t first_ts, last_ts;
	uint64_t lost_events; /* lost so far, as the probes counted them */
	uint32_t payload_crc; /* crc32 of the compressed payload */
	uint32_t hdr_crc; /* crc32 of this header with hdr_crc = 0 */
};

_Static_assert(sizeof(struct rmi_rec_file_hdr) == 48, "record file header size");
_Static_assert(sizeof(struct rmi_rec_block_hdr) == 56, "record block header size");

struct rmi_rec_writer;

/* Creates path (O_EXCL unless force), writes the header. Errors printed. */
int rmi_rec_create(const char *path, const char *meta_json, int force, struct rmi_rec_writer **out);
/* Buffers one event; writes a block when the buffer is full. */
int rmi_rec_add(struct rmi_rec_writer *w, const void *ev, size_t len);
/* Writes the buffered events as a block (no-op when empty). */
int rmi_rec_flush(struct rmi_rec_writer *w, uint64_t lost_events);
/* Flushes, writes the trailer (may be NULL), syncs and closes; frees w. */
int rmi_rec_close(struct rmi_rec_writer *w, const char *trailer_json, uint64_t lost_events);
/* Closes without a trailer (after an error); frees w. */
void rmi_rec_abort(struct rmi_rec_writer *w);
uint64_t rmi_rec_events(const struct rmi_rec_writer *w);
uint64_t rmi_rec_bytes(const struct rmi_rec_writer *w);

struct rmi_rec_reader;

/* Opens and checks the header; on error *err_out explains (static text or errno). */
int rmi_rec_open(const char *path, struct rmi_rec_reader **out);
const char *rmi_rec_meta(const struct rmi_rec_reader *r);
const struct rmi_rec_file_hdr *rmi_rec_header(const struct rmi_rec_reader *r);

/*
 * Next block: 1 with *data and *len the inflated payload (events, or the trailer
 * JSON when *type is RMI_REC_BLOCK_TRAILER), 0 at a clean end, negative at
 * damage with rmi_rec_error() saying what and where.
 */
int rmi_rec_next(struct rmi_rec_reader *r, const void **data, size_t *len, uint32_t *type,
		 const struct rmi_rec_block_hdr **bh);
const char *rmi_rec_error(const struct rmi_rec_reader *r);
void rmi_rec_close_reader(struct rmi_rec_reader *r);

/* Calls fn for each event of a block payload; stops at a malformed one (-EBADMSG). */
int rmi_rec_each_event(const void *data, size_t len,
		       int (*fn)(void *ctx, const void *ev, size_t len), void *ctx);

#endif
