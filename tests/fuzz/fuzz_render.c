// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: what the exporter and the reports render from data they do not
 * control: a stats snapshot built from arbitrary events (realm names come
 * from the comm field, which any VMM sets), rendered as Prometheus text, a
 * report (text and JSON) and rmitop's views.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "lib/prom.h"
#include "lib/report.h"
#include "lib/stats.h"
#include "lib/top.h"
#include "rmi/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct rmi_report_opts ro = { .spec = RMI_SPEC_2_0, .source = "fuzz", .histograms = true };
	struct rmi_top_model m;
	struct rmi_stats s;
	struct json_writer *w;
	uint64_t ev[32];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	rmi_stats_init(&s);
	/* the input as events back to back, as in a record block; sizes are trusted
	 * as far as they stay within the input, as the real readers do */
	for (size_t off = 0; off < size;) {
		struct rmi_ev_hdr h = { 0 };
		size_t n = size - off;

		memcpy(&h, data + off, n < sizeof(h) ? n : sizeof(h));
		if (h.size >= sizeof(h) && h.size <= n)
			n = h.size;
		if (n > sizeof(ev))
			n = sizeof(ev);
		memset(ev, 0, sizeof(ev));
		memcpy(ev, data + off, n);
		rmi_stats_add_event(&s, ev, n);
		off += n;
	}
	struct rmi_prom_opts po = { .spec = RMI_SPEC_1_0, .per_vcpu = true, .max_realms = 3 };
	struct rmi_buf b = {};

	rmi_prom_render(&b, &s, NULL, &po, 0);
	rmi_buf_free(&b);
	rmi_report_print(devnull, &s, &ro);
	w = jw_new(devnull, false);
	if (w) {
		rmi_report_json(w, &s, &ro);
		jw_destroy(w);
	}
	if (!rmi_top_build(&m, &s, &s, NULL, 1.0, 0, 1000, NULL, false)) {
		rmi_top_print(devnull, &m, RMI_SPEC_2_0, 0x1f);
		w = jw_new(devnull, false);
		if (w) {
			rmi_top_json(w, &m, RMI_SPEC_2_0);
			jw_destroy(w);
		}
	}
	rmi_top_free(&m);
	rmi_stats_free(&s);
	return 0;
}
