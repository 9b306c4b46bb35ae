// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

const char *rmi_prog = "rmitools";

void rmi_set_prog(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		rmi_prog = slash ? slash + 1 : argv0;
}

void rmi_err(const char *hint, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", rmi_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (hint)
		fprintf(stderr, " (%s)", hint);
	fputc('\n', stderr);
}

void rmi_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", rmi_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int rmi_parse_u64(const char *s, uint64_t *out)
{
	bool neg = false;
	int base = 10;
	char *end;
	unsigned long long v;

	if (!s)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-') {
		neg = true;
		s++;
	} else if (*s == '+') {
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	/* strtoull would accept its own sign and spaces: refuse them here */
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	if (neg) {
		if (base != 10 || v > (unsigned long long)INT64_MAX + 1)
			return -EINVAL;
		v = -v;
	}
	*out = v;
	return 0;
}

bool rmi_is_prefix(const char *s, const char *word)
{
	size_t n = strlen(s);

	return n > 0 && n <= strlen(word) && !strncasecmp(s, word, n);
}
