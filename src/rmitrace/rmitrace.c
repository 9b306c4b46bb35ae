// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rmitrace: trace CLI for Arm CCA realms. bpftool grammar:
 * rmitrace [OPTIONS] COMMAND [ARGS], commands matched by prefix.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/decode_print.h"
#include "lib/defs.h"
#include "lib/json.h"
#include "lib/session.h"
#include "lib/util.h"
#include "rmitrace.h"

struct rmitrace_env env = { .spec = RMI_SPEC_DEFAULT,
			    .filter = RMI_FILTER_INIT,
			    .nice = RMI_CONSUMER_NICE };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rmitrace [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  stream [FILE]       print events as they happen (default command), or those\n"
		"                      of a recording [--vcpu N] [--reason R] [--fid F]\n"
		"                      [--min-lat TIME]\n"
		"  record -o FILE      record every event to FILE until Ctrl-C or --duration\n"
		"                      [-o, --output FILE] [-f, --force: overwrite]\n"
		"  report [FILE]       report of a recording, or live from the in-kernel aggregates\n"
		"                      [-i, --interval SEC: every SEC seconds]\n"
		"                      [-H, --histograms: log2 histograms]\n"
		"                      [--events: from the event stream instead of the maps]\n"
		"                      [--cross-check: with --events, compare with the maps]\n"
		"  timeline FILE       Chrome/Perfetto trace JSON of a recording [-o OUT.json]\n"
		"  psci                watch PSCI windows; report those open longer than --stuck MS\n"
		"                      (default 1000); exit status 3 when one was found\n"
		"  probes              list every hook: found, attached, missing, and why\n"
		"  decode KIND VALUE.. decode values; KIND is %s\n"
		"                      esr takes --far ADDR --hpfar ADDR; feat takes --reg N [--rsi]\n"
		"  defs                list the RMI/RSI/PSCI definitions [--kind K] [--name SUBSTR]\n"
		"\n"
		"Options:\n"
		"  -j, --json          JSON output\n"
		"  -p, --pretty        pretty-printed JSON (implies -j)\n"
		"      --spec VERSION  RMM spec: 1.0, 1.1, 2.0 or a variant (1.1-alp9, 1.1-alp12,\n"
		"                      2.0-bet1, 2.0-bet2, 2.0-bet3); default: from the host's\n"
		"                      layout for live commands, the file's for recordings, else 2.0\n"
		"  -d, --duration SEC  stop after SEC seconds\n"
		"      --nice N        priority of event consumers (stream, record, psci,\n"
		"                      report --events); default -10, 0 leaves it\n"
		"  -v, --verbose       more detail (notes of definitions, libbpf messages)\n"
		"%s"
		"  -V, --version       print the version\n"
		"  -h, --help          this help\n"
		"\n"
		"Examples:\n"
		"  rmitrace decode fid 0xC400015C\n"
		"  rmitrace decode status 0x204 --spec 1.0\n"
		"  rmitrace decode esr 0x93C08046 --far 0x1008 --hpfar 0x80100\n"
		"  rmitrace -j defs --kind exit --spec 2.0\n"
		"  rmitrace --uprobe-host .output/sim/simhost-v14 stream\n",
		rmi_decode_kind_names(), rmi_session_help);
}

enum { OPT_HPFAR = 0x100, OPT_STUCK, OPT_VCPU, OPT_REASON, OPT_FID, OPT_MINLAT, OPT_NICE };

static const struct option common_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "spec", required_argument, NULL, 'S' },
	{ "far", required_argument, NULL, 'F' },
	{ "hpfar", required_argument, NULL, OPT_HPFAR },
	{ "reg", required_argument, NULL, 'R' },
	{ "rsi", no_argument, NULL, 'r' },
	{ "kind", required_argument, NULL, 'k' },
	{ "name", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "histograms", no_argument, NULL, 'H' },
	{ "events", no_argument, NULL, 'E' },
	{ "cross-check", no_argument, NULL, 'X' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "stuck", required_argument, NULL, OPT_STUCK },
	{ "vcpu", required_argument, NULL, OPT_VCPU },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "fid", required_argument, NULL, OPT_FID },
	{ "min-lat", required_argument, NULL, OPT_MINLAT },
	{ "nice", required_argument, NULL, OPT_NICE },
	{ "interval", required_argument, NULL, 'i' },
	RMI_SESSION_LONGOPTS,
	{},
};

/* Per-command values of the shared option table. */
static struct cmd_opts {
	struct rmi_decode_opts dec;
	bool reg_set, far_set, hpfar_set, rsi_set;
	const char *kind, *name;
} copts;

/* Parses options anywhere in argv; returns -1 on a usage error, 1 on exit-now. */
static int parse_opts(int argc, char **argv, int *optind_out)
{
	uint64_t v;
	int c;

	optind = 1;
	int li;

	while ((c = getopt_long(argc, argv, "jpvVhd:Ho:fi:", common_opts, &li)) != -1) {
		switch (c) {
		case 'j':
			env.json = true;
			break;
		case 'p':
			env.json = env.pretty = true;
			break;
		case 'v':
			env.verbose = true;
			break;
		case 'V':
			printf("rmitrace %s (%s)\n", RMI_VERSION_STR, RMI_GIT_REV);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		case 'S':
			if (rmi_spec_arg(optarg, &env.spec))
				return -1;
			env.spec_set = true;
			break;
		case 'F':
		case OPT_HPFAR:
		case 'R':
			if (rmi_parse_u64(optarg, &v)) {
				rmi_err(NULL, "option --%s: '%s' is not a number",
					c == 'F'       ? "far" :
					c == OPT_HPFAR ? "hpfar" :
							 "reg",
					optarg);
				return -1;
			}
			if (c == 'F') {
				copts.dec.far = v;
				copts.far_set = true;
			} else if (c == OPT_HPFAR) {
				copts.dec.hpfar = v;
				copts.hpfar_set = true;
			} else {
				copts.dec.feat_reg = (unsigned int)v;
				copts.reg_set = true;
				if (v > 15) {
					rmi_err(NULL,
						"--reg %s: feature register index out of range",
						optarg);
					return -1;
				}
			}
			break;
		case 'r':
			copts.dec.feat_rsi = copts.rsi_set = true;
			break;
		case 'k':
			copts.kind = optarg;
			break;
		case 'n':
			copts.name = optarg;
			break;
		case 'd':
		case 'i': {
			char *end;
			double v = strtod(optarg, &end);

			if (*end || !(v > 0)) {
				rmi_err(NULL, "--%s %s: want a positive number of seconds",
					c == 'd' ? "duration" : "interval", optarg);
				return -1;
			}
			*(c == 'd' ? &env.duration : &env.interval) = v;
			break;
		}
		case 'H':
			env.histograms = true;
			break;
		case 'E':
			env.events = true;
			break;
		case 'X':
			env.cross_check = true;
			break;
		case 'o':
			env.output = optarg;
			break;
		case 'f':
			env.force = true;
			break;
		case OPT_VCPU:
			if (rmi_parse_u64(optarg, &v) || v >= 0xffff) {
				rmi_err(NULL, "--vcpu %s: not a vCPU id", optarg);
				return -1;
			}
			env.filter.vcpu = (int)v;
			break;
		case OPT_REASON:
			env.reason_arg = optarg; /* parsed once --spec is known */
			break;
		case OPT_FID:
			env.fid_arg = optarg;
			break;
		case OPT_MINLAT:
			if (rmi_filter_duration(optarg, &env.filter.min_lat_ns)) {
				rmi_err("e.g. 50 (us), 50us, 1.5ms, 800ns",
					"--min-lat %s: bad time", optarg);
				return -1;
			}
			break;
		case OPT_NICE: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || n < -20 || n > 19) {
				rmi_err(NULL, "--nice %s: want -20..19", optarg);
				return -1;
			}
			env.nice = (int)n;
			break;
		}
		case OPT_STUCK: {
			char *end;

			env.stuck_ms = strtod(optarg, &end);
			if (*end || !(env.stuck_ms > 0)) {
				rmi_err(NULL, "--stuck %s: want milliseconds > 0", optarg);
				return -1;
			}
			break;
		}
RMI_SESSION_CASES:
			if (rmi_session_opt(&env.probe, common_opts[li].name, optarg) < 0)
				return -1;
			break;
		default:
			fprintf(stderr, "Try 'rmitrace --help'.\n");
			return -1;
		}
	}
	if (env.reason_arg && rmi_filter_reason(env.reason_arg, env.spec, &env.filter.reason)) {
		rmi_err("a name like SYNC, PSCI, RIPAS_CHANGE, a number, or 'failed'",
			"--reason %s: not an exit reason", env.reason_arg);
		return -1;
	}
	if (env.fid_arg && rmi_filter_fid(env.fid_arg, env.spec, &env.filter.fid)) {
		rmi_err("a name like RTT_CREATE or a FID like 0xC400015D",
			"--fid %s: not an RMI FID", env.fid_arg);
		return -1;
	}
	*optind_out = optind;
	return 0;
}

static int do_decode(int argc, char **argv)
{
	struct json_writer *w = NULL;
	int kind, err = 0;

	if (argc < 2) {
		rmi_err("rmitrace decode KIND VALUE...", "decode needs a kind and a value");
		return EXIT_USAGE;
	}
	kind = rmi_decode_kind_parse(argv[0]);
	if (kind < 0) {
		rmi_err(rmi_decode_kind_names(), "unknown or ambiguous kind '%s'", argv[0]);
		return EXIT_USAGE;
	}
	if ((copts.far_set || copts.hpfar_set) && kind != RMI_DK_ESR) {
		rmi_err(NULL, "--far/--hpfar only apply to 'decode esr'");
		return EXIT_USAGE;
	}
	if ((copts.reg_set || copts.rsi_set) && kind != RMI_DK_FEAT) {
		rmi_err(NULL, "--reg/--rsi only apply to 'decode feat'");
		return EXIT_USAGE;
	}
	copts.dec.spec = env.spec;
	copts.dec.spec_set = env.spec_set;
	copts.dec.verbose = env.verbose;
	copts.dec.have_addr = copts.far_set || copts.hpfar_set;
	if (env.json) {
		w = jw_new(stdout, env.pretty);
		if (!w)
			return EXIT_FAIL;
		if (argc > 2)
			jw_start_array(w);
	}
	/* several values: decode each; a bad one fails the command, the others still print */
	for (int i = 1; i < argc; i++) {
		if (rmi_decode_print(kind, argv[i], &copts.dec, stdout, w))
			err = EXIT_USAGE;
	}
	if (w) {
		if (argc > 2)
			jw_end_array(w);
		jw_destroy(w);
	}
	return err;
}

static int do_defs(int argc, char **argv)
{
	struct json_writer *w = NULL;
	int n;

	(void)argv;
	if (argc > 0) {
		rmi_err("use --kind K, --spec V, --name SUBSTR", "unexpected argument '%s'",
			argv[0]);
		return EXIT_USAGE;
	}
	if (env.json && !(w = jw_new(stdout, env.pretty)))
		return EXIT_FAIL;
	n = rmi_defs_print(copts.kind, env.spec_set ? &env.spec : NULL, copts.name, env.verbose,
			   stdout, w);
	jw_destroy(w);
	if (!n && copts.kind) {
		rmi_err("kinds: fid, status, exit, psci, ripas, ... or a table kind like rmi_fid",
			"no definitions of kind '%s'", copts.kind);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	/* clang-format off */
	{ "stream",   do_stream },
	{ "record",   do_record },
	{ "report",   do_report },
	{ "timeline", do_timeline },
	{ "psci",     do_psci },
	{ "probes",   do_probes },
	{ "decode",   do_decode },
	{ "defs",     do_defs },
	/* clang-format on */
};

int main(int argc, char **argv)
{
	const struct cmd *found = NULL;
	int first, err;

	rmi_set_prog(argv[0]);
	err = parse_opts(argc, argv, &first);
	if (err)
		return err > 0 ? EXIT_OK : EXIT_USAGE;
	env.probe.verbose = env.verbose;
	if (first >= argc)
		return do_stream(0, argv + argc); /* stream is the default command */
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (rmi_is_prefix(argv[first], cmds[i].name)) {
			if (found) {
				rmi_err(NULL, "ambiguous command '%s'", argv[first]);
				return EXIT_USAGE;
			}
			found = &cmds[i];
		}
	}
	if (!found) {
		rmi_err("see 'rmitrace --help'", "unknown command '%s'", argv[first]);
		return EXIT_USAGE;
	}
	return found->fn(argc - first - 1, argv + first + 1);
}
