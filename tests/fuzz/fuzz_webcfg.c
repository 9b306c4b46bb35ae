// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libFuzzer: the --web.config.file parser, and credentials checked against it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/webcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rmi_webcfg c;
	char err[256], user[64], pass[64];
	size_t half = size / 2;

	if (!rmi_webcfg_parse((const char *)data, size, &c, err, sizeof(err))) {
		/* credentials from the same bytes; bcrypt's cost is the config's
		 * choice (2^cost rounds): test only cheap ones */
		int cost = c.n_users ? atoi(c.users[0].hash + 4) : 99;

		if (c.n_users && size < 512 && cost <= 5) {
			memcpy(user, data, half < sizeof(user) - 1 ? half : sizeof(user) - 1);
			user[half < sizeof(user) - 1 ? half : sizeof(user) - 1] = '\0';
			memcpy(pass, data + half,
			       (size - half) < sizeof(pass) - 1 ? size - half : sizeof(pass) - 1);
			pass[(size - half) < sizeof(pass) - 1 ? size - half : sizeof(pass) - 1] =
				'\0';
			rmi_webcfg_check(&c, c.users[0].name, pass);
			rmi_webcfg_check(&c, user, pass);
		}
		rmi_webcfg_free(&c);
	}
	return 0;
}
