/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web.config.file, the exporter-toolkit format (YAML):
 *   tls_server_config: { cert_file: PATH, key_file: PATH }
 *   basic_auth_users: { USER: BCRYPT_HASH, ... }
 * Unknown keys are errors, as in the toolkit (a typo must not disable TLS).
 */
#ifndef RMI_LIB_WEBCFG_H
#define RMI_LIB_WEBCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rmi_webcfg_user {
	char *name;
	char *hash;
};

#define RMI_WEBCFG_CACHE 16

struct rmi_webcfg {
	char *cert_file, *key_file;
	struct rmi_webcfg_user *users;
	size_t n_users;
	/* keyed digests of credentials that passed: bcrypt is slow on purpose */
	uint64_t ok_cache[RMI_WEBCFG_CACHE];
	unsigned int ok_next;
	uint64_t cache_key;
};

/* 0, or -EINVAL with err set (what and where). */
int rmi_webcfg_parse(const char *buf, size_t len, struct rmi_webcfg *out, char *err, size_t errlen);
int rmi_webcfg_load(const char *path, struct rmi_webcfg *out, char *err, size_t errlen);
void rmi_webcfg_free(struct rmi_webcfg *c);
/*
 * True when user and password match a bcrypt hash of basic_auth_users.
 * Credentials that passed are remembered (a keyed 64-bit digest, never the
 * password) so that each scrape does not pay for bcrypt again.
 */
bool rmi_webcfg_check(struct rmi_webcfg *c, const char *user, const char *pass);

#endif
