// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "rmi/event.h"
#include "source.h"
#include "util.h"

struct rmi_source {
	struct ring_buffer *rb;
	rmi_event_fn fn;
	void *ctx;
	int counters_fd;
};

static int on_sample(void *ctx, void *data, size_t len)
{
	struct rmi_source *s = ctx;

	return s->fn(s->ctx, data, len);
}

int rmi_source_live(struct rmi_probe *p, rmi_event_fn fn, void *ctx, struct rmi_source **out)
{
	struct rmi_source *s = calloc(1, sizeof(*s));
	int fd = rmi_probe_map_fd(p, "events");

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->ctx = ctx;
	s->counters_fd = rmi_probe_map_fd(p, "counters");
	s->rb = ring_buffer__new(fd, on_sample, s, NULL);
	if (!s->rb) {
		int err = -errno;

		rmi_err(NULL, "cannot open the event ring buffer: %s", strerror(-err));
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

int rmi_source_poll(struct rmi_source *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms);

	/* the probes wake us only for batches: take what is there on timeout */
	if (n == 0 || n == -EINTR)
		n = ring_buffer__consume(s->rb);
	return n;
}

int rmi_source_drain(struct rmi_source *s)
{
	return ring_buffer__consume(s->rb);
}

uint64_t rmi_source_lost(const struct rmi_source *s)
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t key = RMI_CNT_LOST_EVENTS;
	uint64_t *vals, sum = 0;

	if (ncpu <= 0 || s->counters_fd < 0)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (vals && !bpf_map_lookup_elem(s->counters_fd, &key, vals)) {
		for (int c = 0; c < ncpu; c++)
			sum += vals[c];
	}
	free(vals);
	return sum;
}

void rmi_source_free(struct rmi_source *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	free(s);
}
