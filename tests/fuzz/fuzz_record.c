// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libFuzzer: the record-file reader must never crash on any bytes. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/replay.h"
#include "lib/stats.h"
#include "lib/timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64];
	struct rmi_replay_info info;
	struct rmi_stats s;
	FILE *devnull = fopen("/dev/null", "w");
	struct rmi_timeline *tl;

	if (fd < 0)
		fd = memfd_create("fuzz-record", 0);
	if (fd < 0 || !devnull)
		return 0;
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size) {
		fclose(devnull);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rmi_stats_init(&s);
	/* the report path and the timeline path over the same bytes */
	tl = rmi_timeline_new(devnull, RMI_SPEC_2_0, 0);
	rmi_replay(path, &s, &info, tl ? rmi_timeline_event : NULL, tl);
	if (tl)
		rmi_timeline_finish(tl, s.last_ns);
	rmi_stats_free(&s);
	fclose(devnull);
	return 0;
}
