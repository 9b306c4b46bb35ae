// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * RMI definitions: the reference TSV ($RMI_REFERENCE_TSV, chosen by
 * tests/reference.sh; ../shared/reference/rmi-defs.tsv by default) is parsed here independently of the build-time
 * generator and every row must decode to its name and value, for every spec
 * version it belongs to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/defs.h"
#include "rmi/rmi.h"

#define REF_DEFAULT "../shared/reference/rmi-defs.tsv"

static const char *ref_path(void)
{
	const char *p = getenv("RMI_REFERENCE_TSV");

	return p && *p ? p : REF_DEFAULT;
}

static bool table_has(const char *kind, const char *name, const char *value, enum rmi_spec tok)
{
	for (size_t i = 0; i < rmi_defs_count; i++) {
		const struct rmi_def *d = &rmi_defs[i];

		if (!strcmp(d->kind, kind) && !strcmp(d->name, name) && !strcmp(d->value, value) &&
		    (d->specs & RMI_SPEC_BIT(tok)))
			return true;
	}
	return false;
}

static bool lookup_has(const struct rmi_lookup *l, const char *name)
{
	for (int i = 0; i < l->n; i++) {
		if (!strcmp(l->defs[i]->name, name))
			return true;
	}
	return false;
}

struct field_seen {
	const char *name;
	bool seen;
};

static void feat_cb(const struct rmi_def *field, uint64_t v, void *ctx)
{
	struct field_seen *fs = ctx;

	(void)v;
	if (!strcmp(field->name, fs->name))
		fs->seen = true;
}

static void check_row(const char *kind, const char *name, const char *value, const char *spec_tok)
{
	enum rmi_spec tok;
	bool na = !strcmp(spec_tok, "n/a");
	enum rmi_spec specs[3] = { RMI_SPEC_1_0, RMI_SPEC_1_1, RMI_SPEC_2_0 };
	int nspecs = na ? 3 : 1;

	if (!na && rmi_spec_parse(spec_tok, &tok))
		fail_msg("unknown spec token '%s' (row %s)", spec_tok, name);
	if (na)
		tok = RMI_SPEC_NA;
	if (!table_has(kind, name, value, tok))
		fail_msg("row %s %s=%s (spec %s) is not in the project's table", kind, name, value,
			 spec_tok);

	char *end;
	uint64_t v;
	bool numeric;

	/* numeric rows: decimal (maybe negative) or 0x hex, nothing else */
	errno = 0;
	v = value[0] == '-' ? (uint64_t)strtoll(value, &end, 0) : strtoull(value, &end, 0);
	numeric = !errno && end != value && *end == '\0' && value[0] != '+' && value[0] != ' ';
	if (!strcmp(kind, "feature_field") || !strcmp(kind, "realm_flag") ||
	    !strcmp(kind, "result_field") || !strcmp(kind, "version_field"))
		numeric = false;

	for (int s = 0; s < nspecs; s++) {
		enum rmi_spec q = na ? specs[s] : tok;
		struct rmi_lookup l;

		if (!numeric)
			break;
		rmi_lookup(kind, v, q, &l);
		if (!lookup_has(&l, name))
			fail_msg("%s 0x%llx spec %s: want %s, got %d names", kind,
				 (unsigned long long)v, rmi_spec_str(q), name, l.n);
		if (!l.exact)
			fail_msg("%s %s: matched only by fallback for spec %s", kind, name,
				 rmi_spec_str(q));
		/* FIDs decode with the SVE hint bit set too */
		if (strstr(kind, "_fid") && (v >> 24) == 0xC4) {
			const char *k;

			rmi_fid_lookup(v | RMI_SMCCC_SVE_HINT, q, &l, &k);
			if (!lookup_has(&l, name))
				fail_msg("FID %s with SVE hint bit did not decode", name);
		}
		/* and the name finds a row of that value */
		bool found = false;
		for (size_t i = 0; i < rmi_defs_count && !found; i++) {
			const struct rmi_def *d = &rmi_defs[i];

			found = !strcmp(d->kind, kind) && !strcmp(d->name, name) &&
				d->vtype == RMI_VAL_NUM && d->num == v &&
				(d->specs & (RMI_SPEC_BIT(q) | RMI_SPEC_BIT(RMI_SPEC_NA)));
		}
		if (!found)
			fail_msg("%s %s: no row with value %s for spec %s", kind, name, value,
				 rmi_spec_str(q));
	}

	/* feature register fields are listed for the spec they belong to */
	if (!strcmp(kind, "feature_field") && !na) {
		unsigned int reg;
		bool rsi = !strncmp(name, "RSI_", 4);
		struct field_seen fs = { name, false };

		if (sscanf(name, "%*[A-Z]_FEATURE_REGISTER_%u.", &reg) != 1)
			fail_msg("feature field %s: no register index", name);
		rmi_feat_fields(rsi, reg, 0, tok, feat_cb, &fs);
		if (!fs.seen)
			fail_msg("feature field %s not listed for spec %s", name, spec_tok);
	}
}

static void test_reference_rows(void **state)
{
	(void)state;
	FILE *f = fopen(ref_path(), "r");
	char line[4096];
	size_t rows = 0, checks = 0;

	if (!f) {
		const char *ci = getenv("CI");

		if (ci && !strcmp(ci, "true"))
			fail_msg("reference %s not found (set RMI_REFERENCE_TSV)", ref_path());
		print_message("reference %s not found: skipped\n", ref_path());
		skip();
	}
	while (fgets(line, sizeof(line), f)) {
		char *kind, *name, *value, *specs, *save = NULL, *tsave = NULL;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "kind\t", 5) || !*line)
			continue;
		kind = strtok_r(line, "\t", &save);
		name = strtok_r(NULL, "\t", &save);
		value = strtok_r(NULL, "\t", &save);
		specs = strtok_r(NULL, "\t", &save);
		assert_non_null(specs);
		rows++;
		for (char *t = strtok_r(specs, ",", &tsave); t; t = strtok_r(NULL, ",", &tsave)) {
			check_row(kind, name, value, t);
			checks++;
		}
	}
	fclose(f);
	assert_int_equal(rows, rmi_defs_count);
	print_message("%zu reference rows, %zu (row, spec) checks\n", rows, checks);
	assert_true(checks >= rows);
}

static void test_status_words(void **state)
{
	(void)state;
	struct rmi_status st;
	char buf[128];

	/* 0x204: RMI_ERROR_RTT, walk stopped at level 2 (rmi-layout.md §2) */
	rmi_status_decode(0x204, RMI_SPEC_1_0, &st);
	assert_string_equal(st.name, "RMI_ERROR_RTT");
	assert_true(st.has_level);
	assert_int_equal(st.index, 2);
	assert_string_equal(rmi_status_fmt(&st, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "RMI_ERROR_RTT level=2");
	/* 2.0 RMI_INCOMPLETE (13) with memreq DONATE (bits 9:8 = 1) and can-cancel (bit 10) */
	rmi_status_decode(0x50D, RMI_SPEC_2_0, &st);
	assert_string_equal(st.name, "RMI_INCOMPLETE");
	assert_int_equal(st.memreq, 1);
	assert_true(st.can_cancel);
	assert_false(st.bad_upper);
	assert_string_equal(rmi_status_fmt(&st, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "RMI_INCOMPLETE memreq=DONATE can_cancel");
	/* 13 does not exist in 1.0 */
	rmi_status_decode(0xD, RMI_SPEC_1_0, &st);
	assert_null(st.name);
	assert_string_equal(rmi_status_fmt(&st, RMI_SPEC_1_0, buf, sizeof(buf)), "UNKNOWN(0xd)");
	/* REC_ENTER on a SYSTEM_OFF realm: (RMI_ERROR_REALM, 1) */
	rmi_status_decode(0x102, RMI_SPEC_1_0, &st);
	assert_string_equal(rmi_status_fmt(&st, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "RMI_ERROR_REALM index=1");
	/* reserved bits flagged, not hidden */
	rmi_status_decode(0x10000, RMI_SPEC_1_0, &st);
	assert_true(st.bad_upper);
	/* the alp9 swap of DEVICE / NOT_SUPPORTED (rmi-layout.md §8.2) */
	assert_string_equal(rmi_status_name(5, RMI_SPEC_1_1_ALP9, buf, sizeof(buf)),
			    "RMI_ERROR_DEVICE");
	assert_string_equal(rmi_status_name(5, RMI_SPEC_1_1, buf, sizeof(buf)),
			    "RMI_ERROR_NOT_SUPPORTED");
}

static void test_names(void **state)
{
	(void)state;
	char buf[128];

	assert_string_equal(rmi_fid_name(0xC401015C, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "RMI_REC_ENTER");
	assert_string_equal(rmi_fid_name(0xC4000153, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "RMI_DATA_CREATE");
	assert_string_equal(rmi_fid_name(0xC4000153, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "RMI_RTT_DATA_MAP_INIT");
	assert_string_equal(rmi_fid_name(0xC4000003, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "PSCI_CPU_ON_SMC64");
	assert_string_equal(rmi_fid_name(0xC40001B0, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "RMM_GTSI_DELEGATE");
	assert_string_equal(rmi_fid_name(0xDEADBEEF, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "UNKNOWN(0xdeadbeef)");
	assert_string_equal(rmi_fid_name(0x1C4000150ull, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "UNKNOWN(0x1c4000150)");
	/* exits 0-6 stable, 8+ depend on the version and are ambiguous in 2.0 */
	assert_string_equal(rmi_exit_name(3, RMI_SPEC_1_0, buf, sizeof(buf)), "RMI_EXIT_PSCI");
	assert_string_equal(rmi_exit_name(7, RMI_SPEC_1_0, buf, sizeof(buf)), "UNKNOWN(0x7)");
	assert_string_equal(rmi_exit_name(7, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "RMI_EXIT_S2AP_CHANGE");
	assert_string_equal(rmi_exit_name(8, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "RMI_EXIT_VDEV_REQUEST|RMI_EXIT_VDEV_VALIDATE_MAPPING");
	assert_string_equal(rmi_exit_name(8, RMI_SPEC_2_0_BET2, buf, sizeof(buf)),
			    "RMI_EXIT_VDEV_VALIDATE_MAPPING");
	assert_string_equal(rmi_exit_name(10, RMI_SPEC_1_1, buf, sizeof(buf)),
			    "RMI_EXIT_VDEV_P2P_BINDING");
	assert_string_equal(rmi_exit_name(10, RMI_SPEC_2_0, buf, sizeof(buf)),
			    "RMI_EXIT_VSMMU_COMMAND");
	assert_string_equal(rmi_exit_name(255, RMI_SPEC_2_0, buf, sizeof(buf)), "UNKNOWN(0xff)");
	assert_string_equal(rmi_ripas_name(3, RMI_SPEC_1_0, buf, sizeof(buf)), "UNKNOWN(0x3)");
	assert_string_equal(rmi_ripas_name(3, RMI_SPEC_2_0, buf, sizeof(buf)), "RMI_DEV");
	assert_string_equal(rmi_psci_ret_name(0xFFFFFFFD, buf, sizeof(buf)), "PSCI_DENIED");
	assert_string_equal(rmi_psci_ret_name(-3, buf, sizeof(buf)), "PSCI_DENIED");
	assert_string_equal(rmi_hipas_name(2, RMI_SPEC_1_0, buf, sizeof(buf)),
			    "HIPAS_UNASSIGNED_NS");
	assert_true(rmi_psci_needs_complete(0xC4000003));
	assert_true(rmi_psci_needs_complete(0x84000004));
	assert_false(rmi_psci_needs_complete(0x84000002));
	/* name -> definition, prefix optional */
	const struct rmi_def *d = rmi_lookup_name("rmi_fid", "rec_enter", RMI_SPEC_2_0);
	assert_non_null(d);
	assert_int_equal(d->num, 0xC400015C);
	assert_null(rmi_lookup_name("rmi_fid", "RMI_DATA_CREATE", RMI_SPEC_2_0));
}

/* Every macro the code uses by name equals the table's value. */
static void expect_def(const char *kind, const char *name, uint64_t v)
{
	const struct rmi_def *d = rmi_lookup_name(kind, name, RMI_SPEC_2_0);

	if (!d)
		d = rmi_lookup_name(kind, name, RMI_SPEC_1_0);
	if (!d)
		fail_msg("%s %s not in table", kind, name);
	if (d->num != v)
		fail_msg("%s: header 0x%llx, table 0x%llx", name, (unsigned long long)v,
			 (unsigned long long)d->num);
}

static void test_header_matches_table(void **state)
{
	(void)state;
#define F(n) expect_def("rmi_fid", #n, n)
	F(RMI_VERSION);
	F(RMI_REALM_ACTIVATE);
	F(RMI_REALM_CREATE);
	F(RMI_REALM_DESTROY);
	F(RMI_REC_CREATE);
	F(RMI_REC_DESTROY);
	F(RMI_REC_ENTER);
	F(RMI_RTT_CREATE);
	F(RMI_RTT_DESTROY);
	F(RMI_PSCI_COMPLETE);
	F(RMI_FEATURES);
	F(RMI_RTT_INIT_RIPAS);
	F(RMI_RTT_SET_RIPAS);
	F(RMI_GRANULE_DELEGATE);
	F(RMI_GRANULE_UNDELEGATE);
	F(RMI_DATA_CREATE);
	F(RMI_RTT_DATA_MAP_INIT);
	F(RMI_GRANULE_RANGE_DELEGATE);
	F(RMI_GRANULE_RANGE_UNDELEGATE);
	F(RMI_OP_CONTINUE);
	F(RMI_OP_MEM_DONATE);
	F(RMI_OP_MEM_RECLAIM);
	F(RMI_OP_CANCEL);
#undef F
#define S(k, n) expect_def(k, #n, (uint64_t)(int64_t)(n))
	S("rmi_status", RMI_SUCCESS);
	S("rmi_status", RMI_ERROR_INPUT);
	S("rmi_status", RMI_ERROR_REALM);
	S("rmi_status", RMI_ERROR_REC);
	S("rmi_status", RMI_ERROR_RTT);
	S("rmi_status", RMI_INCOMPLETE);
	S("exit_reason", RMI_EXIT_SYNC);
	S("exit_reason", RMI_EXIT_IRQ);
	S("exit_reason", RMI_EXIT_FIQ);
	S("exit_reason", RMI_EXIT_PSCI);
	S("exit_reason", RMI_EXIT_RIPAS_CHANGE);
	S("exit_reason", RMI_EXIT_HOST_CALL);
	S("exit_reason", RMI_EXIT_SERROR);
	S("exit_reason", RMI_EXIT_S2AP_CHANGE);
	S("ripas", RMI_EMPTY);
	S("ripas", RMI_RAM);
	S("ripas", RMI_DESTROYED);
	S("ripas", RMI_DEV);
	S("rec_enter_flag", REC_ENTER_FLAG_EMUL_MMIO);
	S("rec_enter_flag", REC_ENTER_FLAG_INJECT_SEA);
	S("rec_enter_flag", REC_ENTER_FLAG_TRAP_WFI);
	S("rec_enter_flag", REC_ENTER_FLAG_TRAP_WFE);
	S("rec_enter_flag", REC_ENTER_FLAG_RIPAS_RESPONSE);
	S("psci_fid", PSCI_CPU_SUSPEND_SMC32);
	S("psci_fid", PSCI_CPU_SUSPEND_SMC64);
	S("psci_fid", PSCI_CPU_OFF_SMC32);
	S("psci_fid", PSCI_CPU_ON_SMC32);
	S("psci_fid", PSCI_CPU_ON_SMC64);
	S("psci_fid", PSCI_AFFINITY_INFO_SMC32);
	S("psci_fid", PSCI_AFFINITY_INFO_SMC64);
	S("psci_fid", PSCI_SYSTEM_OFF_SMC32);
	S("psci_fid", PSCI_SYSTEM_RESET_SMC32);
	S("psci_status", PSCI_SUCCESS);
	S("psci_status", PSCI_DENIED);
#undef S
	/* the needs-completion macro agrees with the library */
	for (uint64_t f = 0x84000000; f <= 0x84000014; f++) {
		assert_int_equal(PSCI_NEEDS_COMPLETE(f), rmi_psci_needs_complete(f));
		assert_int_equal(PSCI_NEEDS_COMPLETE(f | 0x40000000),
				 rmi_psci_needs_complete(f | 0x40000000));
	}
	/* every FID the RMI range macro accepts at 1.0 is an RMI FID of the table, and back */
	for (uint64_t n = 0x100; n < 0x300; n++) {
		struct rmi_lookup l;
		const char *k;

		if (rmi_fid_lookup(RMI_FID(n), RMI_SPEC_2_0, &l, &k) && !strcmp(k, "rmi_fid"))
			assert_true(RMI_FID_IS_RMI(RMI_FID(n)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_rows),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_header_matches_table),
	};

	return cmocka_run_group_tests_name("defs", tests, NULL, NULL);
}
