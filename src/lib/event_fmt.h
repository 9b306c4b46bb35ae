/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One event as a human line or a JSON object (stream, record dumps). */
#ifndef RMI_LIB_EVENT_FMT_H
#define RMI_LIB_EVENT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "defs.h"

struct json_writer;

/* t0_ns: timestamps print as seconds since t0. */
void rmi_event_print(FILE *f, const void *ev, size_t len, enum rmi_spec spec, uint64_t t0_ns);
/* full: every decoded ESR field as well (-v) */
void rmi_event_json(struct json_writer *w, const void *ev, size_t len, enum rmi_spec spec,
		    uint64_t t0_ns, bool full);
const char *rmi_event_type_name(unsigned int type);
/* "SYNC", "PSCI", ... short exit reason names for tables */
const char *rmi_exit_short(uint8_t reason, enum rmi_spec spec, char *buf, size_t len);
/* "DABT_LOW", "WFx", ... for an ESR EC, "-" for RMI_NO_EC */
const char *rmi_ec_name(uint8_t ec);
/* 14.2us / 3.1ms / 812ns */
const char *rmi_fmt_ns(uint64_t ns, char *buf, size_t len);

#endif
