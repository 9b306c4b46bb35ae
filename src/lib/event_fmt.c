// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <string.h>

#include "esr.h"
#include "event_fmt.h"
#include "json.h"
#include "rmi/event.h"
#include "rmi/rmi.h"

static const char *const type_names[RMI_EV__MAX] = {
	[RMI_EV_REC_EXIT] = "rec_exit",	  [RMI_EV_RMI_CALL] = "rmi_call",
	[RMI_EV_PSCI_OPEN] = "psci_open", [RMI_EV_PSCI_CLOSE] = "psci_close",
	[RMI_EV_REALM] = "realm",	  [RMI_EV_PSCI_EARLY] = "psci_early_target",
};

const char *rmi_event_type_name(unsigned int type)
{
	return type < RMI_EV__MAX && type_names[type] ? type_names[type] : "unknown";
}

const char *rmi_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

const char *rmi_exit_short(uint8_t reason, enum rmi_spec spec, char *buf, size_t len)
{
	if (reason == RMI_NO_REASON) {
		snprintf(buf, len, "ENTER_FAILED");
		return buf;
	}
	rmi_exit_name(reason, spec, buf, len);
	if (!strncmp(buf, "RMI_EXIT_", 9))
		memmove(buf, buf + 9, strlen(buf + 9) + 1);
	return buf;
}

const char *rmi_ec_name(uint8_t ec)
{
	struct esr_info e;

	if (ec == RMI_NO_EC)
		return "-";
	esr_decode((uint64_t)ec << 26, 0, 0, false, &e);
	return e.ec_name;
}

static const char *short_name(const char *n)
{
	if (!strncmp(n, "RMI_", 4))
		return n + 4;
	if (!strncmp(n, "PSCI_", 5))
		return n + 5;
	return n;
}

static void print_rec_exit(FILE *f, const struct rmi_ev_rec_exit *e, enum rmi_spec spec)
{
	char a[160], b[32], c[32];

	if (e->reason == RMI_NO_REASON) {
		struct rmi_status st;

		rmi_status_decode(e->status, spec, &st);
		fprintf(f, "REC_ENTER failed %s%s", rmi_status_fmt(&st, spec, a, sizeof(a)),
			e->flags & RMI_EXF_PSCI_PENDING ? " (PSCI_COMPLETE pending)" : "");
	} else {
		fprintf(f, "%s", rmi_exit_short(e->reason, spec, a, sizeof(a)));
		switch (e->reason) {
		case RMI_EXIT_SYNC: {
			struct esr_info ei;

			esr_decode(e->esr, e->far, e->hpfar, true, &ei);
			fprintf(f, " %s", esr_fmt(&ei, a, sizeof(a)));
			if (ei.cls == ESR_CLASS_DABT && ei.isv)
				fprintf(f, " (MMIO)");
			break;
		}
		case RMI_EXIT_PSCI:
			fprintf(f, " %s",
				short_name(rmi_psci_fid_name(e->gprs[0], spec, a, sizeof(a))));
			if (PSCI_NEEDS_COMPLETE(e->gprs[0]))
				fprintf(f, " target=0x%llx", e->gprs[1]);
			break;
		case RMI_EXIT_RIPAS_CHANGE:
			fprintf(f, " base=0x%llx top=0x%llx ripas=%s", e->ripas_base, e->ripas_top,
				short_name(rmi_ripas_name(e->ripas_value, spec, a, sizeof(a))));
			break;
		case RMI_EXIT_HOST_CALL:
			fprintf(f, " imm=0x%x x0=0x%llx", e->imm, e->gprs[0]);
			break;
		case RMI_EXIT_SERROR:
			fprintf(f, " esr=0x%llx", e->esr);
			break;
		case RMI_EXIT_S2AP_CHANGE:
			fprintf(f, " base=0x%llx top=0x%llx", e->ripas_base, e->ripas_top);
			break;
		}
	}
	if (!(e->flags & RMI_EXF_NO_RUN_TIME))
		fprintf(f, " run=%s", rmi_fmt_ns(e->run_ns, b, sizeof(b)));
	if (!(e->flags & RMI_EXF_NO_HOST_TIME))
		fprintf(f, " host=%s", rmi_fmt_ns(e->host_ns, c, sizeof(c)));
}

void rmi_event_print(FILE *f, const void *ev, size_t len, enum rmi_spec spec, uint64_t t0_ns)
{
	const struct rmi_ev_hdr *h = ev;
	char a[160], b[32];
	double t;

	if (len < sizeof(*h) || h->size > len)
		return;
	t = h->ts_ns >= t0_ns ? (h->ts_ns - t0_ns) / 1e9 : 0;
	fprintf(f, "%12.6f %7u ", t, h->pid);
	if (h->vcpu_id != RMI_NO_VCPU)
		fprintf(f, "vcpu%-3u ", h->vcpu_id);
	else
		fprintf(f, "%-7s ", "-");
	switch (h->type) {
	case RMI_EV_REC_EXIT:
		if (h->size >= sizeof(struct rmi_ev_rec_exit))
			print_rec_exit(f, ev, spec);
		break;
	case RMI_EV_RMI_CALL:
		if (h->size >= sizeof(struct rmi_ev_rmi_call)) {
			const struct rmi_ev_rmi_call *e = ev;
			struct rmi_status st;
			char n[96];

			rmi_status_decode(e->status, spec, &st);
			fprintf(f, "RMI %s %s %s",
				short_name(rmi_fid_name(e->fid, spec, n, sizeof(n))),
				short_name(rmi_status_fmt(&st, spec, a, sizeof(a))),
				rmi_fmt_ns(e->lat_ns, b, sizeof(b)));
		}
		break;
	case RMI_EV_PSCI_OPEN:
	case RMI_EV_PSCI_CLOSE:
	case RMI_EV_PSCI_EARLY:
		if (h->size >= sizeof(struct rmi_ev_psci)) {
			const struct rmi_ev_psci *e = ev;

			fprintf(f, "PSCI %s %s target=0x%llx",
				h->type == RMI_EV_PSCI_OPEN  ? "window-open" :
				h->type == RMI_EV_PSCI_CLOSE ? "window-close" :
							       "target-entered-early",
				short_name(rmi_psci_fid_name(e->fid, spec, a, sizeof(a))),
				e->target_mpidr);
			if (h->type == RMI_EV_PSCI_CLOSE)
				fprintf(f, " status=%s after %s",
					short_name(rmi_psci_ret_name((int64_t)e->status, a,
								     sizeof(a))),
					rmi_fmt_ns(h->ts_ns - e->opened_ns, b, sizeof(b)));
			if (e->err_rec_enters)
				fprintf(f, " error_rec_enters=%u", e->err_rec_enters);
		}
		break;
	case RMI_EV_REALM:
		if (h->size >= sizeof(struct rmi_ev_realm)) {
			const struct rmi_ev_realm *e = ev;
			static const char *const ops[] = { "?", "create", "activate", "destroy" };

			fprintf(f, "REALM %s kvm=0x%llx comm=%.16s", ops[e->op <= 3 ? e->op : 0],
				h->realm, e->comm);
		}
		break;
	default:
		fprintf(f, "event type %u (%u bytes)", h->type, h->size);
	}
	fputc('\n', f);
}

void rmi_event_json(struct json_writer *w, const void *ev, size_t len, enum rmi_spec spec,
		    uint64_t t0_ns, bool full)
{
	const struct rmi_ev_hdr *h = ev;
	char a[160];

	if (len < sizeof(*h) || h->size > len)
		return;
	jw_start_object(w);
	jw_string_field(w, "type", rmi_event_type_name(h->type));
	jw_u64_field(w, "ts_ns", h->ts_ns);
	jw_u64_field(w, "rel_ns", h->ts_ns >= t0_ns ? h->ts_ns - t0_ns : 0);
	jw_u64_field(w, "pid", h->pid);
	jw_u64_field(w, "tid", h->tid);
	jw_hex_field(w, "realm", h->realm);
	if (h->vcpu_id != RMI_NO_VCPU)
		jw_u64_field(w, "vcpu", h->vcpu_id);
	jw_u64_field(w, "cpu", h->cpu);
	switch (h->type) {
	case RMI_EV_REC_EXIT:
		if (h->size >= sizeof(struct rmi_ev_rec_exit)) {
			const struct rmi_ev_rec_exit *e = ev;

			jw_hex_field(w, "mpidr", e->mpidr);
			jw_hex_field(w, "status", e->status);
			if (e->reason != RMI_NO_REASON) {
				jw_u64_field(w, "reason", e->reason);
				jw_string_field(w, "reason_name",
						rmi_exit_name(e->reason, spec, a, sizeof(a)));
			} else {
				jw_name(w, "reason");
				jw_null(w); /* REC_ENTER failed: no exit record */
			}
			if (!(e->flags & RMI_EXF_NO_RUN_TIME))
				jw_u64_field(w, "run_ns", e->run_ns);
			if (!(e->flags & RMI_EXF_NO_HOST_TIME))
				jw_u64_field(w, "host_ns", e->host_ns);
			jw_bool_field(w, "psci_pending", e->flags & RMI_EXF_PSCI_PENDING);
			if (e->reason == RMI_EXIT_SYNC) {
				struct esr_info ei;

				esr_decode(e->esr, e->far, e->hpfar, true, &ei);
				jw_hex_field(w, "esr", e->esr);
				jw_string_field(w, "esr_text", esr_fmt(&ei, a, sizeof(a)));
				jw_string_field(w, "esr_class", esr_class_name(ei.cls));
				if (ei.ipa_valid)
					jw_hex_field(w, "ipa", ei.ipa);
				if (full) {
					/* every decoded field (-v) */
					jw_name(w, "esr_decoded");
					jw_start_object(w);
					esr_json(&ei, w);
					jw_end_object(w);
				}
			} else if (e->reason == RMI_EXIT_PSCI) {
				jw_hex_field(w, "psci_fid", e->gprs[0]);
				jw_string_field(w, "psci_name",
						rmi_psci_fid_name(e->gprs[0], spec, a, sizeof(a)));
				jw_hex_field(w, "target_mpidr", e->gprs[1]);
			} else if (e->reason == RMI_EXIT_RIPAS_CHANGE) {
				jw_hex_field(w, "ripas_base", e->ripas_base);
				jw_hex_field(w, "ripas_top", e->ripas_top);
				jw_string_field(w, "ripas",
						rmi_ripas_name(e->ripas_value, spec, a, sizeof(a)));
			} else if (e->reason == RMI_EXIT_HOST_CALL) {
				jw_u64_field(w, "imm", e->imm);
			}
		}
		break;
	case RMI_EV_RMI_CALL:
		if (h->size >= sizeof(struct rmi_ev_rmi_call)) {
			const struct rmi_ev_rmi_call *e = ev;
			struct rmi_status st;

			rmi_status_decode(e->status, spec, &st);
			jw_hex_field(w, "fid", e->fid);
			jw_string_field(w, "name", rmi_fid_name(e->fid, spec, a, sizeof(a)));
			jw_hex_field(w, "status", e->status);
			jw_string_field(w, "status_name", rmi_status_fmt(&st, spec, a, sizeof(a)));
			jw_u64_field(w, "lat_ns", e->lat_ns);
		}
		break;
	case RMI_EV_PSCI_OPEN:
	case RMI_EV_PSCI_CLOSE:
	case RMI_EV_PSCI_EARLY:
		if (h->size >= sizeof(struct rmi_ev_psci)) {
			const struct rmi_ev_psci *e = ev;

			jw_hex_field(w, "fid", e->fid);
			jw_string_field(w, "name", rmi_psci_fid_name(e->fid, spec, a, sizeof(a)));
			jw_hex_field(w, "target_mpidr", e->target_mpidr);
			jw_hex_field(w, "caller_mpidr", e->caller_mpidr);
			jw_u64_field(w, "opened_ns", e->opened_ns);
			if (h->type == RMI_EV_PSCI_CLOSE) {
				jw_s64_field(w, "status", (int64_t)e->status);
				jw_u64_field(w, "duration_ns", h->ts_ns - e->opened_ns);
			}
			jw_u64_field(w, "error_rec_enters", e->err_rec_enters);
			jw_u64_field(w, "early_target_entries", e->early_target_entries);
		}
		break;
	case RMI_EV_REALM:
		if (h->size >= sizeof(struct rmi_ev_realm)) {
			const struct rmi_ev_realm *e = ev;
			static const char *const ops[] = { "?", "create", "activate", "destroy" };
			char comm[17];

			memcpy(comm, e->comm, 16);
			comm[16] = '\0';
			jw_string_field(w, "op", ops[e->op <= 3 ? e->op : 0]);
			jw_string_field(w, "comm", comm);
		}
		break;
	}
	jw_end_object(w);
}
