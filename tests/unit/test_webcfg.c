// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The exporter-toolkit web config: parsing, errors, bcrypt checks, the cache. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/webcfg.h"

/* htpasswd -nbBC 4 alice s3cret */
#define HASH "$2y$04$ytSzsB2F56xlrl40gwzfTu9f3jO31S0rjJLtvi8gHH/GbPIiMLYQK"

static int parse(const char *y, struct rmi_webcfg *c, char *err)
{
	return rmi_webcfg_parse(y, strlen(y), c, err, 256);
}

static void test_valid(void **state)
{
	(void)state;
	struct rmi_webcfg c;
	char err[256];

	assert_int_equal(parse("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
			       "basic_auth_users:\n  alice: " HASH "\n",
			       &c, err),
			 0);
	assert_string_equal(c.cert_file, "c.pem");
	assert_string_equal(c.key_file, "k.pem");
	assert_int_equal(c.n_users, 1);
	assert_true(rmi_webcfg_check(&c, "alice", "s3cret"));
	assert_false(rmi_webcfg_check(&c, "alice", "wrong"));
	assert_false(rmi_webcfg_check(&c, "bob", "s3cret"));
	assert_false(rmi_webcfg_check(&c, NULL, "s3cret"));
	assert_false(rmi_webcfg_check(&c, "alice", ""));
	rmi_webcfg_free(&c);
	/* empty file: no TLS, no auth */
	assert_int_equal(parse("", &c, err), 0);
	assert_int_equal(c.n_users, 0);
	assert_null(c.cert_file);
}

static void test_errors(void **state)
{
	(void)state;
	struct rmi_webcfg c;
	char err[256];

	assert_int_not_equal(parse("tls_server_config:\n  cert_file: a\n  key_fil: b\n", &c, err),
			     0);
	assert_non_null(strstr(err, "line 3: tls_server_config.key_fil is not supported"));
	assert_int_not_equal(parse("tls_server_config:\n  cert_file: a\n", &c, err), 0);
	assert_non_null(strstr(err, "needs both"));
	assert_int_not_equal(parse("basic_auth_users:\n  alice: plaintext\n", &c, err), 0);
	assert_non_null(strstr(err, "not a bcrypt hash"));
	assert_int_not_equal(parse("http_server_config: {}\n", &c, err), 0);
	assert_non_null(strstr(err, "'http_server_config' is not supported"));
	assert_int_not_equal(parse("- a list\n", &c, err), 0);
	assert_int_not_equal(parse("key: [unclosed\n", &c, err), 0);
	assert_non_null(strstr(err, "line"));
	assert_int_not_equal(parse("basic_auth_users: [a, b]\n", &c, err), 0);
}

/* regression (fuzz finding): bcrypt is slow by design; a check that passed is
 * remembered so that every scrape does not pay for it again */
static void test_cache(void **state)
{
	(void)state;
	struct rmi_webcfg c;
	char err[256];
	struct timespec a, b;
	double first, again;

	assert_int_equal(parse("basic_auth_users:\n  alice: " HASH "\n", &c, err), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_true(rmi_webcfg_check(&c, "alice", "s3cret"));
	clock_gettime(CLOCK_MONOTONIC, &b);
	first = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 100; i++)
		assert_true(rmi_webcfg_check(&c, "alice", "s3cret"));
	clock_gettime(CLOCK_MONOTONIC, &b);
	again = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	/* 100 cached checks cost less than one bcrypt (cost 4: ~1 ms) */
	assert_true(again < first);
	/* a wrong password is never cached as right */
	assert_false(rmi_webcfg_check(&c, "alice", "s3cre"));
	assert_false(rmi_webcfg_check(&c, "alices", "3cret"));
	rmi_webcfg_free(&c);
}

static void test_relative_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/webcfg-XXXXXX", path[128], err[256];
	struct rmi_webcfg c;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/web.yml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("tls_server_config:\n  cert_file: c.pem\n  key_file: /abs/k.pem\n", f);
	fclose(f);
	assert_int_equal(rmi_webcfg_load(path, &c, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/c.pem", dir);
	assert_string_equal(c.cert_file, path); /* relative to the config file */
	assert_string_equal(c.key_file, "/abs/k.pem");
	rmi_webcfg_free(&c);
	snprintf(path, sizeof(path), "%s/web.yml", dir);
	unlink(path);
	rmdir(dir);
	assert_int_not_equal(rmi_webcfg_load("/nonexistent/web.yml", &c, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_relative_paths),
	};

	return cmocka_run_group_tests_name("webcfg", tests, NULL, NULL);
}
