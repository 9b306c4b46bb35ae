// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "rmi/event.h"
#include "util.h"

int rmi_filter_reason(const char *s, enum rmi_spec spec, int *out)
{
	const struct rmi_def *d;
	uint64_t v;

	if (!strcasecmp(s, "failed") || !strcasecmp(s, "fail")) {
		*out = RMI_NO_REASON;
		return 0;
	}
	if (!rmi_parse_u64(s, &v) && v < RMI_NO_REASON) {
		*out = (int)v;
		return 0;
	}
	d = rmi_lookup_name("exit_reason", s, spec);
	/* a name of another version (DEV_COMM is 1.1-alp9 only) is still meant */
	for (int v = 0; !d && v < RMI_SPEC_NA; v++)
		d = rmi_lookup_name("exit_reason", s, (enum rmi_spec)v);
	if (d && d->vtype == RMI_VAL_NUM) {
		*out = (int)d->num;
		return 0;
	}
	return -EINVAL;
}

int rmi_filter_fid(const char *s, enum rmi_spec spec, uint64_t *out)
{
	const struct rmi_def *d;
	uint64_t v;

	if (!rmi_parse_u64(s, &v) && v && !(v >> 32)) {
		*out = rmi_fid_mask(v);
		return 0;
	}
	d = rmi_lookup_name("rmi_fid", s, spec);
	/* a name of another version (GRANULE_DELEGATE is 1.x): same number everywhere */
	for (int v = 0; !d && v < RMI_SPEC_NA; v++)
		d = rmi_lookup_name("rmi_fid", s, (enum rmi_spec)v);
	if (d && d->vtype == RMI_VAL_NUM) {
		*out = d->num;
		return 0;
	}
	return -EINVAL;
}

int rmi_filter_duration(const char *s, uint64_t *ns)
{
	char *end;
	double v = strtod(s, &end), mul = 1e3; /* plain numbers are microseconds */

	if (end == s || !(v >= 0))
		return -EINVAL;
	if (!strcmp(end, "ns"))
		mul = 1;
	else if (!strcmp(end, "us"))
		mul = 1e3;
	else if (!strcmp(end, "ms"))
		mul = 1e6;
	else if (!strcmp(end, "s"))
		mul = 1e9;
	else if (*end)
		return -EINVAL;
	*ns = (uint64_t)(v * mul);
	return 0;
}

bool rmi_filter_match(const struct rmi_filter *f, const void *ev, size_t len)
{
	const struct rmi_ev_hdr *h = ev;

	if (len < sizeof(*h))
		return false;
	if (f->vcpu >= 0 && h->vcpu_id != f->vcpu)
		return false;
	if (f->reason >= 0) {
		const struct rmi_ev_rec_exit *e = ev;

		if (h->type != RMI_EV_REC_EXIT || h->size < sizeof(*e) || e->reason != f->reason)
			return false;
	}
	if (f->fid) {
		const struct rmi_ev_rmi_call *e = ev;

		if (h->type != RMI_EV_RMI_CALL || h->size < sizeof(*e) ||
		    rmi_fid_mask(e->fid) != f->fid)
			return false;
	}
	if (f->min_lat_ns) {
		if (h->type == RMI_EV_REC_EXIT && h->size >= sizeof(struct rmi_ev_rec_exit)) {
			const struct rmi_ev_rec_exit *e = ev;

			return !(e->flags & RMI_EXF_NO_RUN_TIME) && e->run_ns >= f->min_lat_ns;
		}
		if (h->type == RMI_EV_RMI_CALL && h->size >= sizeof(struct rmi_ev_rmi_call))
			return ((const struct rmi_ev_rmi_call *)ev)->lat_ns >= f->min_lat_ns;
		return false;
	}
	return true;
}
