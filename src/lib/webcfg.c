// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "webcfg.h"

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
	(void)d;
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		goto fail;                          \
	} while (0)

static int parse_tls(yaml_document_t *d, yaml_node_t *m, struct rmi_webcfg *c, char *err,
		     size_t errlen)
{
	if (m->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "line %zu: tls_server_config must be a mapping",
			 m->start_mark.line + 1);
		return -EINVAL;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(d, p->key);
		yaml_node_t *vn = yaml_document_get_node(d, p->value);
		const char *k = scalar(d, kn), *v = scalar(d, vn);
		char **dst;

		if (!k || !v) {
			snprintf(err, errlen, "line %zu: tls_server_config wants key: value",
				 (kn ? kn->start_mark.line : 0) + 1);
			return -EINVAL;
		}
		if (!strcmp(k, "cert_file"))
			dst = &c->cert_file;
		else if (!strcmp(k, "key_file"))
			dst = &c->key_file;
		else {
			snprintf(err, errlen,
				 "line %zu: tls_server_config.%s is not supported (cert_file, "
				 "key_file)",
				 kn->start_mark.line + 1, k);
			return -EINVAL;
		}
		free(*dst);
		*dst = strdup(v);
		if (!*dst)
			return -ENOMEM;
	}
	return 0;
}

static int parse_users(yaml_document_t *d, yaml_node_t *m, struct rmi_webcfg *c, char *err,
		       size_t errlen)
{
	size_t n;

	if (m->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "line %zu: basic_auth_users must be a mapping user: hash",
			 m->start_mark.line + 1);
		return -EINVAL;
	}
	n = m->data.mapping.pairs.top - m->data.mapping.pairs.start;
	c->users = calloc(n + 1, sizeof(*c->users));
	if (!c->users)
		return -ENOMEM;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(d, p->key);
		const char *k = scalar(d, kn), *v = scalar(d, yaml_document_get_node(d, p->value));

		if (!k || !v || !*k) {
			snprintf(err, errlen, "line %zu: basic_auth_users wants user: bcrypt-hash",
				 (kn ? kn->start_mark.line : 0) + 1);
			return -EINVAL;
		}
		/* bcrypt only, as the toolkit: $2a$, $2b$ or $2y$ */
		if (strncmp(v, "$2a$", 4) && strncmp(v, "$2b$", 4) && strncmp(v, "$2y$", 4)) {
			snprintf(err, errlen, "line %zu: the password of '%s' is not a bcrypt hash",
				 kn->start_mark.line + 1, k);
			return -EINVAL;
		}
		c->users[c->n_users].name = strdup(k);
		c->users[c->n_users].hash = strdup(v);
		if (!c->users[c->n_users].name || !c->users[c->n_users].hash)
			return -ENOMEM;
		c->n_users++;
	}
	return 0;
}

int rmi_webcfg_parse(const char *buf, size_t len, struct rmi_webcfg *c, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int ret = -EINVAL;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "line %zu: %s", parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not valid YAML");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ret = 0; /* an empty file: no TLS, no auth */
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE)
		FAIL("the web config must be a mapping");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(&doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(&doc, p->value);
		const char *k = scalar(&doc, kn);

		if (!k || !vn)
			FAIL("line %zu: expected a key", (kn ? kn->start_mark.line : 0) + 1);
		if (!strcmp(k, "tls_server_config")) {
			if (parse_tls(&doc, vn, c, err, errlen))
				goto fail;
		} else if (!strcmp(k, "basic_auth_users")) {
			if (c->users)
				FAIL("line %zu: basic_auth_users given twice",
				     kn->start_mark.line + 1);
			if (parse_users(&doc, vn, c, err, errlen))
				goto fail;
		} else {
			FAIL("line %zu: '%s' is not supported (tls_server_config, "
			     "basic_auth_users)",
			     kn->start_mark.line + 1, k);
		}
	}
	if (!!c->cert_file != !!c->key_file)
		FAIL("tls_server_config needs both cert_file and key_file");
	ret = 0;
	goto out;
fail:
	rmi_webcfg_free(c);
	ret = -EINVAL;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ret;
}

/* Paths in the file are relative to its directory, as in exporter-toolkit. */
static int rebase(char **p, const char *cfg)
{
	const char *slash = strrchr(cfg, '/');
	char *n;

	if (!*p || (*p)[0] == '/' || !slash)
		return 0;
	if (asprintf(&n, "%.*s/%s", (int)(slash - cfg), cfg, *p) < 0)
		return -ENOMEM;
	free(*p);
	*p = n;
	return 0;
}

int rmi_webcfg_load(const char *path, struct rmi_webcfg *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char buf[64 << 10];
	size_t n;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -errno;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (!feof(f)) {
		fclose(f);
		snprintf(err, errlen, "larger than 64 KiB");
		return -EFBIG;
	}
	fclose(f);
	ret = rmi_webcfg_parse(buf, n, c, err, errlen);
	if (!ret && (rebase(&c->cert_file, path) || rebase(&c->key_file, path)))
		ret = -ENOMEM;
	return ret;
}

void rmi_webcfg_free(struct rmi_webcfg *c)
{
	for (size_t i = 0; i < c->n_users; i++) {
		free(c->users[i].name);
		free(c->users[i].hash);
	}
	free(c->users);
	free(c->cert_file);
	free(c->key_file);
	memset(c, 0, sizeof(*c));
}

/* Length-independent comparison of two hash strings. */
static bool same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= a[i] ^ b[i];
	return !d;
}

/* SipHash would be the textbook choice; a keyed FNV-1a-64 with a random key
 * is enough to keep a cache of passed credentials from leaking them. */
static uint64_t digest(uint64_t key, const char *user, const char *pass)
{
	uint64_t h = 1469598103934665603ull ^ key;

	for (const char *p = user; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull; /* separator: "ab"+"c" != "a"+"bc" */
	for (const char *p = pass; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h ^ (h >> 29);
}

bool rmi_webcfg_check(struct rmi_webcfg *c, const char *user, const char *pass)
{
	struct crypt_data cd;
	const char *h = NULL;
	uint64_t dg;

	if (!user || !pass)
		return false;
	if (!c->cache_key) {
		FILE *f = fopen("/dev/urandom", "r");

		if (!f || fread(&c->cache_key, sizeof(c->cache_key), 1, f) != 1)
			c->cache_key = (uint64_t)(uintptr_t)c ^ 0x9e3779b97f4a7c15ull;
		if (f)
			fclose(f);
	}
	dg = digest(c->cache_key, user, pass);
	for (unsigned int i = 0; i < RMI_WEBCFG_CACHE; i++)
		if (c->ok_cache[i] == dg)
			return true;
	for (size_t i = 0; i < c->n_users; i++)
		if (!strcmp(c->users[i].name, user))
			h = c->users[i].hash;
	if (!h)
		return false;
	memset(&cd, 0, sizeof(cd));
	const char *out = crypt_r(pass, h, &cd);

	if (!out || out[0] == '*' || !same(out, h))
		return false;
	c->ok_cache[c->ok_next++ % RMI_WEBCFG_CACHE] = dg;
	return true;
}
