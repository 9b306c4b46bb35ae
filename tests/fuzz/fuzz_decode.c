// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: every decoder on arbitrary values, and arbitrary bytes as an
 * event (exit records included) through every formatter and the stats model.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/defs.h"
#include "lib/esr.h"
#include "lib/event_fmt.h"
#include "lib/json.h"
#include "lib/stats.h"
#include "rmi/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	uint64_t v[4] = { 0 };
	enum rmi_spec spec;
	struct rmi_lookup l;
	struct rmi_status st;
	struct esr_info e;
	struct rmi_stats s;
	struct json_writer *w;
	char buf[256], small[7];
	/* events are read in place: keep them aligned as the ring buffer does */
	uint64_t ev[64];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(v, data, size < sizeof(v) ? size : sizeof(v));
	spec = (enum rmi_spec)(v[3] % RMI_SPEC__COUNT);
	rmi_fid_lookup(v[0], spec, &l, NULL);
	rmi_lookup_fmt(&l, v[0], buf, sizeof(buf));
	rmi_lookup_fmt(&l, v[0], small, sizeof(small));
	rmi_fid_name(v[0], spec, small, sizeof(small));
	rmi_status_decode(v[1], spec, &st);
	rmi_status_fmt(&st, spec, buf, sizeof(buf));
	rmi_status_fmt(&st, spec, small, sizeof(small));
	rmi_exit_name(v[2], spec, buf, sizeof(buf));
	rmi_psci_ret_name((int64_t)v[2], buf, sizeof(buf));
	rmi_psci_fid_name(v[0], spec, buf, sizeof(buf));
	rmi_hipas_name(v[2], spec, buf, sizeof(buf));
	esr_decode(v[0], v[1], v[2], v[3] & 1, &e);
	esr_fmt(&e, buf, sizeof(buf));
	esr_fmt(&e, small, sizeof(small));
	w = jw_new(devnull, false);
	if (w) {
		jw_start_object(w);
		esr_json(&e, w);
		jw_end_object(w);
	}

	/* the bytes as one event of any type and size */
	memset(ev, 0, sizeof(ev));
	memcpy(ev, data, size < sizeof(ev) ? size : sizeof(ev));
	size = size < sizeof(ev) ? size : sizeof(ev);
	rmi_event_print(devnull, ev, size, spec, 0);
	if (w) {
		rmi_event_json(w, ev, size, spec, 0, true);
		jw_destroy(w);
	}
	rmi_stats_init(&s);
	rmi_stats_add_event(&s, ev, size);
	rmi_stats_add_event(&s, ev, size);
	rmi_stats_free(&s);
	return 0;
}
