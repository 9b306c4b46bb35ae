// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The stats model: keyed tables, log2 histograms, building from events. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "rmi/rmi.h"

static void test_hist(void **state)
{
	(void)state;
	struct rmi_hist h = {};

	assert_int_equal(rmi_hist_quantile(&h, 0.5), 0);
	/* 1..1000: slots by bit length; the median 500 lies in [256, 512) */
	for (uint64_t v = 1; v <= 1000; v++)
		rmi_hist_add(&h, v);
	assert_int_equal(h.n, 1000);
	assert_int_equal(h.sum, 500500);
	assert_int_equal(h.max, 1000);
	assert_int_equal(h.slot[1], 1); /* 1 */
	assert_int_equal(h.slot[2], 2); /* 2, 3 */
	assert_int_equal(h.slot[10], 1000 - 511); /* 512..1000 */
	uint64_t p50 = rmi_hist_quantile(&h, 0.5);
	assert_true(p50 >= 256 && p50 < 512);
	assert_true(rmi_hist_quantile(&h, 0.99) <= 1000);
	assert_true(rmi_hist_quantile(&h, 0.99) >= 512);
	assert_int_equal(rmi_hist_quantile(&h, 1.0), 1000);
	/* 0 and huge values land in the first and last slot */
	rmi_hist_add(&h, 0);
	rmi_hist_add(&h, UINT64_MAX);
	assert_int_equal(h.slot[0], 1);
	assert_int_equal(h.slot[RMI_HIST_SLOTS - 1], 1);
}

static void test_tab(void **state)
{
	(void)state;
	struct rmi_stats s;

	rmi_stats_init(&s);
	for (uint32_t i = 0; i < 20000; i++) {
		struct rmi_call_key k = { .pid = i, .fid = 0xC4000150 + (i % 7), .result = i % 3 };
		struct rmi_call_row *r = rmi_tab_get(&s.calls, &k, true);

		assert_non_null(r);
		r->count = i;
	}
	assert_int_equal(s.calls.n, 20000);
	for (uint32_t i = 0; i < 20000; i += 2) {
		struct rmi_call_key k = { .pid = i, .fid = 0xC4000150 + (i % 7), .result = i % 3 };

		rmi_tab_del(&s.calls, &k);
	}
	assert_int_equal(s.calls.n, 10000);
	for (uint32_t i = 0; i < 20000; i++) {
		struct rmi_call_key k = { .pid = i, .fid = 0xC4000150 + (i % 7), .result = i % 3 };
		struct rmi_call_row *r = rmi_tab_get(&s.calls, &k, false);

		if (i % 2) {
			assert_non_null(r);
			assert_int_equal(r->count, i);
		} else {
			assert_null(r);
		}
	}
	rmi_stats_free(&s);
}

static void rec_exit(struct rmi_stats *s, uint64_t ts, uint32_t tid, uint16_t vcpu, uint8_t reason,
		     uint8_t ec, uint32_t status, uint64_t run, uint64_t host, uint8_t flags)
{
	struct rmi_ev_rec_exit e = {
		.h = { .ts_ns = ts,
		       .realm = 0x1000,
		       .pid = 7,
		       .tid = tid,
		       .type = RMI_EV_REC_EXIT,
		       .size = sizeof(e),
		       .vcpu_id = vcpu },
		.status = status,
		.run_ns = run,
		.host_ns = host,
		.reason = reason,
		.ec = ec,
		.flags = flags,
	};

	rmi_stats_add_event(s, &e, sizeof(e));
}

static void test_events(void **state)
{
	(void)state;
	struct rmi_stats s;
	struct rmi_exit_key k1 = {
		.realm = 0x1000, .pid = 7, .vcpu_id = 0, .reason = RMI_EXIT_SYNC, .ec = 0x24
	};
	struct rmi_exit_key k2 = {
		.realm = 0x1000, .pid = 7, .vcpu_id = 0, .reason = RMI_EXIT_PSCI, .ec = RMI_NO_EC
	};
	struct rmi_exit_row *r;

	rmi_stats_init(&s);
	/* first exit: no host time yet; the second carries the host time after the first */
	rec_exit(&s, 100, 50, 0, RMI_EXIT_SYNC, 0x24, 0, 1000, 0, RMI_EXF_NO_HOST_TIME);
	rec_exit(&s, 200, 50, 0, RMI_EXIT_PSCI, RMI_NO_EC, 0, 2000, 300, 0);
	r = rmi_tab_get(&s.exits, &k1, false);
	assert_non_null(r);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->run.sum, 1000);
	assert_int_equal(r->host.n, 1);
	assert_int_equal(r->host.sum, 300); /* host time after the SYNC exit */
	r = rmi_tab_get(&s.exits, &k2, false);
	assert_int_equal(r->host.n, 0);

	/* a PSCI window: open, a refused REC_ENTER, close */
	struct rmi_ev_psci p = {
		.h = { .ts_ns = 200,
		       .realm = 0x1000,
		       .pid = 7,
		       .tid = 50,
		       .type = RMI_EV_PSCI_OPEN,
		       .size = sizeof(p),
		       .vcpu_id = 0 },
		.fid = 0xC4000003,
		.target_mpidr = 1,
		.opened_ns = 200,
	};
	rmi_stats_add_event(&s, &p, sizeof(p));
	assert_int_equal(s.windows.n, 1);
	rec_exit(&s, 250, 50, 0, RMI_NO_REASON, RMI_NO_EC, RMI_ERROR_REC, 10, 5,
		 RMI_EXF_PSCI_PENDING);
	struct rmi_window_row *w = rmi_tab_row(&s.windows, 0);
	assert_int_equal(w->win.err_rec_enters, 1);
	p.h.type = RMI_EV_PSCI_CLOSE;
	p.h.ts_ns = 1200;
	rmi_stats_add_event(&s, &p, sizeof(p));
	assert_int_equal(s.windows.n, 0);
	struct rmi_realm_id id = { .realm = 0x1000, .pid = 7 };
	struct rmi_psci_row *ps = rmi_tab_get(&s.psci, &id, false);
	assert_int_equal(ps->opened, 1);
	assert_int_equal(ps->completed, 1);
	assert_int_equal(ps->err_rec_enters, 1);
	assert_int_equal(ps->dur.sum, 1000);

	/* destroying the realm drops its open windows, as the probes do */
	p.h.type = RMI_EV_PSCI_OPEN;
	rmi_stats_add_event(&s, &p, sizeof(p));
	assert_int_equal(s.windows.n, 1);
	struct rmi_ev_realm re = {
		.h = { .ts_ns = 2000,
		       .realm = 0x1000,
		       .pid = 7,
		       .type = RMI_EV_REALM,
		       .size = sizeof(re),
		       .vcpu_id = RMI_NO_VCPU },
		.op = RMI_REALM_OP_DESTROY,
	};
	rmi_stats_add_event(&s, &re, sizeof(re));
	assert_int_equal(s.windows.n, 0);

	/* truncated or lying events are ignored, never read past */
	char junk[8] = { 0 };
	rmi_stats_add_event(&s, junk, sizeof(junk));
	p.h.size = 4096;
	rmi_stats_add_event(&s, &p, sizeof(p));
	assert_int_equal(s.events, 7); /* 3 exits, 2 opens, 1 close, 1 realm */

	/* compare: a copy is equal, a changed count is not */
	struct rmi_stats c;
	rmi_stats_init(&c);
	for (size_t i = 0; i < s.exits.n; i++) {
		struct rmi_exit_row *src = rmi_tab_row(&s.exits, i);
		struct rmi_exit_row *dst = rmi_tab_get(&c.exits, &src->key, true);

		memcpy(dst, src, sizeof(*dst));
	}
	for (size_t i = 0; i < s.psci.n; i++)
		memcpy(rmi_tab_get(&c.psci, rmi_tab_row(&s.psci, i), true), rmi_tab_row(&s.psci, i),
		       sizeof(struct rmi_psci_row));
	for (size_t i = 0; i < s.realms.n; i++)
		memcpy(rmi_tab_get(&c.realms, rmi_tab_row(&s.realms, i), true),
		       rmi_tab_row(&s.realms, i), sizeof(struct rmi_realm_row));
	assert_int_equal(rmi_stats_compare(&s, &c, NULL), 0);
	((struct rmi_exit_row *)rmi_tab_row(&c.exits, 0))->count++;
	assert_int_equal(rmi_stats_compare(&s, &c, NULL), 1);
	rmi_stats_free(&c);
	rmi_stats_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_tab),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
