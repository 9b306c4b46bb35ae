// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rmitop: live top-like view of Arm CCA realms. Reads the in-kernel
 * aggregates every interval (never every event) and shows realms, vCPUs,
 * exit classes, RMI calls and open PSCI windows; batch mode for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/defs.h"
#include "lib/filter.h"
#include "lib/json.h"
#include "lib/probe.h"
#include "lib/session.h"
#include "lib/stats.h"
#include "lib/top.h"
#include "lib/util.h"

static struct env {
	double delay;
	bool batch, json;
	long iterations; /* 0: forever */
	enum rmi_top_view view;
	bool view_set;
	double stuck_ms;
	enum rmi_spec spec;
	bool spec_set;
	struct rmi_top_filter filter;
	double retention_s;
	char realm_buf[64];
	struct rmi_probe_opts probe;
} env = { .delay = 1, .stuck_ms = 1000, .filter = { .vcpu = -1, .reason = -1 }, .retention_s = 300 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rmitop [OPTIONS]\n"
		"Live view of Arm CCA realms: REC exits, RMI calls, PSCI windows.\n"
		"\n"
		"  -d, --delay SEC         refresh interval (default 1)\n"
		"  -p PID                  only this VMM process (same as --pid)\n"
		"  -b, --batch             print the tables as text every interval\n"
		"  -n, --iterations N      stop after N refreshes (batch and interactive)\n"
		"  -j, --json              batch mode, one JSON object per interval\n"
		"      --view NAME         realms, vcpus, exits, rmi or psci: the first view;\n"
		"                          with -b only it is printed (-j prints every view)\n"
		"      --realm NAME|PID    only this realm\n"
		"      --vcpu N            only this vCPU\n"
		"      --reason NAME       only this exit reason\n"
		"      --stuck MS          a PSCI window open this long is stuck (default 1000)\n"
		"      --realm-retention SEC  forget destroyed realms after SEC s (default 300)\n"
		"      --spec VERSION      RMM spec for names (default: from the host's layout)\n"
		"%s"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n"
		"\n"
		"Keys: 1-5 or Tab views (realms, vcpus, exits, rmi, psci), s/o sort column and\n"
		"order, f filter, p pause, r reset counters, +/- interval, Up/Down scroll,\n"
		"h or ? help, q quit.\n",
		rmi_session_help);
}

enum {
	OPT_VIEW = 0x100,
	OPT_RETENTION,
	OPT_REALM,
	OPT_VCPU,
	OPT_REASON,
	OPT_STUCK,
	OPT_SPEC,
};

static int parse_view(const char *s)
{
	for (int v = 0; v < RMI_VIEW__COUNT; v++)
		if (rmi_is_prefix(s, rmi_top_view_name(v)))
			return v;
	return -1;
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "realm", required_argument, NULL, OPT_REALM },
		{ "vcpu", required_argument, NULL, OPT_VCPU },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "stuck", required_argument, NULL, OPT_STUCK },
		{ "realm-retention", required_argument, NULL, OPT_RETENTION },
		{ "spec", required_argument, NULL, OPT_SPEC },
		RMI_SESSION_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	uint64_t v;
	char *end;
	int c, li;

	while ((c = getopt_long(argc, argv, "d:bn:jp:Vh", opts, &li)) != -1) {
		switch (c) {
		case 'd':
			env.delay = strtod(optarg, &end);
			if (*end || !(env.delay >= 0.1)) {
				rmi_err(NULL, "--delay %s: want seconds >= 0.1", optarg);
				return -1;
			}
			break;
		case 'b':
			env.batch = true;
			break;
		case 'n':
			if (rmi_parse_u64(optarg, &v) || !v || v > 1000000000) {
				rmi_err(NULL, "--iterations %s: want a positive count", optarg);
				return -1;
			}
			env.iterations = (long)v;
			break;
		case 'j':
			env.json = env.batch = true;
			break;
		case OPT_VIEW:
			if (parse_view(optarg) < 0) {
				rmi_err("realms, vcpus, exits, rmi, psci",
					"--view %s: no such view", optarg);
				return -1;
			}
			env.view = parse_view(optarg);
			env.view_set = true;
			break;
		case OPT_REALM:
			snprintf(env.realm_buf, sizeof(env.realm_buf), "%s", optarg);
			env.filter.realm = env.realm_buf;
			break;
		case OPT_VCPU:
			if (rmi_parse_u64(optarg, &v) || v >= 0xffff) {
				rmi_err(NULL, "--vcpu %s: not a vCPU id", optarg);
				return -1;
			}
			env.filter.vcpu = (int)v;
			break;
		case OPT_REASON:
			if (rmi_filter_reason(optarg, RMI_SPEC_DEFAULT, &env.filter.reason)) {
				rmi_err("e.g. SYNC, PSCI, HOST_CALL or a number",
					"--reason %s: not an exit reason", optarg);
				return -1;
			}
			break;
		case OPT_RETENTION:
			env.retention_s = strtod(optarg, &end);
			if (*end || !(env.retention_s >= 0)) {
				rmi_err(NULL, "--realm-retention %s: want seconds >= 0", optarg);
				return -1;
			}
			break;
		case OPT_STUCK:
			env.stuck_ms = strtod(optarg, &end);
			if (*end || !(env.stuck_ms > 0)) {
				rmi_err(NULL, "--stuck %s: want milliseconds > 0", optarg);
				return -1;
			}
			break;
		case OPT_SPEC:
			if (rmi_spec_arg(optarg, &env.spec))
				return -1;
			env.spec_set = true;
			break;
		case 'p': /* getopt sets no long index for a short option */
			if (rmi_session_opt(&env.probe, "pid", optarg) < 0)
				return -1;
			env.filter.pid = env.probe.pid;
			break;
RMI_SESSION_CASES:
			if (rmi_session_opt(&env.probe, opts[li].name, optarg) < 0)
				return -1;
			env.filter.pid = env.probe.pid;
			break;
		case 'V':
			printf("rmitop %s (%s)\n", RMI_VERSION_STR, RMI_GIT_REV);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "Try 'rmitop --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		rmi_err("see 'rmitop --help'", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/* One refresh: read the maps, build the model against prev and the reset base. */
static int snapshot(struct rmi_probe *p, struct rmi_stats *cur, struct rmi_stats *prev,
		    struct rmi_stats *base, bool has_base, double dt, struct rmi_top_model *m)
{
	int err;

	err = rmi_stats_read_maps(cur, p);
	if (err) {
		rmi_err(NULL, "reading the in-kernel aggregates: %s", strerror(-err));
		return err;
	}
	rmi_top_free(m);
	err = rmi_top_build(m, cur, prev, has_base ? base : NULL, dt, rmi_now_ns(), env.stuck_ms,
			    &env.filter, true);
	m->bpf_stats = rmi_probe_bpf_stats(p, &m->bpf_run_ns, &m->bpf_run_cnt);
	rmi_stats_gc(p, cur, rmi_now_ns(), (uint64_t)(env.retention_s * 1e9));
	return err;
}

static void swap_stats(struct rmi_stats *a, struct rmi_stats *b)
{
	struct rmi_stats t = *a;

	*a = *b;
	*b = t;
}

static int run_batch(struct rmi_probe *p)
{
	struct rmi_stats cur, prev;
	struct rmi_top_model m = {};
	double last = rmi_now();
	int err = 0;

	rmi_stats_init(&cur);
	rmi_stats_init(&prev);
	rmi_stats_read_maps(&prev, p);
	for (long i = 0; !env.iterations || i < env.iterations; i++) {
		double now;

		while (!rmi_exiting && rmi_now() < last + env.delay)
			usleep(20 * 1000);
		if (rmi_exiting && i > 0)
			break;
		now = rmi_now();
		err = snapshot(p, &cur, &prev, NULL, false, now - last, &m);
		if (err)
			break;
		last = now;
		if (env.json) {
			struct json_writer *w = jw_new(stdout, false);

			if (w)
				rmi_top_json(w, &m, env.spec);
			jw_destroy(w);
		} else {
			printf("\n--- rmitop %s ---\n", i ? "" : "(since start)");
			rmi_top_print(stdout, &m, env.spec,
				      env.view_set ? 1u << env.view : (1u << RMI_VIEW__COUNT) - 1);
		}
		fflush(stdout);
		swap_stats(&cur, &prev);
		if (rmi_exiting)
			break;
	}
	rmi_top_free(&m);
	rmi_stats_free(&cur);
	rmi_stats_free(&prev);
	return err;
}

/* ---- interactive ------------------------------------------------------------- */

struct tui {
	struct rmi_top_model m;
	enum rmi_top_view view;
	int sort_col[RMI_VIEW__COUNT];
	bool asc[RMI_VIEW__COUNT];
	bool paused, help;
	int scroll;
	char host[160], msg[160];
	const char *source;
};

static void draw(struct tui *t)
{
	const struct rmi_top_model *m = &t->m;
	const char *const *cols = rmi_top_columns(t->view);
	int rows, cols_n, y = 0;
	char line[512];

	getmaxyx(stdscr, rows, cols_n);
	erase();
	snprintf(line, sizeof(line), "rmitop - %s - %s - RMM %s%s", t->host, t->source,
		 rmi_spec_str(env.spec), t->paused ? " - PAUSED" : "");
	mvaddnstr(y++, 0, line, cols_n);
	snprintf(line, sizeof(line),
		 "realms %u  exits %llu (%.0f/s)  RMI %llu (%llu err)  lost %llu  every %.1fs",
		 m->realms, (unsigned long long)m->exits, m->exit_rate,
		 (unsigned long long)m->rmi_calls, (unsigned long long)m->rmi_errors,
		 (unsigned long long)m->lost_events, env.delay);
	mvaddnstr(y++, 0, line, cols_n);
	if (m->bpf_stats && m->bpf_run_cnt)
		snprintf(line, sizeof(line), "BPF: %llu runs, %.0f ns/run",
			 (unsigned long long)m->bpf_run_cnt,
			 (double)m->bpf_run_ns / (double)m->bpf_run_cnt);
	else
		snprintf(line, sizeof(line), "BPF run time: sysctl kernel.bpf_stats_enabled=1");
	mvaddnstr(y++, 0, line, cols_n);
	/* the stuck-PSCI alert is on every view */
	if (m->stuck) {
		attron(A_REVERSE | A_BOLD);
		snprintf(line, sizeof(line),
			 "ALERT: %u PSCI window(s) open > %.0f ms: RMI_PSCI_COMPLETE missing "
			 "(press 5)",
			 m->stuck, env.stuck_ms);
		mvaddnstr(y, 0, line, cols_n);
		attroff(A_REVERSE | A_BOLD);
	}
	y++;
	snprintf(line, sizeof(line), "[%d] %s  sort: %s %s%s%s", t->view + 1,
		 rmi_top_view_name(t->view), cols[t->sort_col[t->view]],
		 t->asc[t->view] ? "asc" : "desc",
		 env.filter.realm || env.filter.vcpu >= 0 || env.filter.reason >= 0 ?
			 "  (filtered)" :
			 "",
		 t->msg[0] ? "  " : "");
	mvaddnstr(y, 0, line, cols_n);
	if (t->msg[0])
		addnstr(t->msg, cols_n - (int)strlen(line));
	y++;
	rmi_top_header(line, sizeof(line), t->view);
	attron(A_REVERSE);
	mvaddnstr(y, 0, line, cols_n);
	for (int x = (int)strlen(line); x < cols_n; x++)
		addch(' ');
	attroff(A_REVERSE);
	y++;
	if (t->help) {
		static const char *const help[] = {
			"1 realms  2 vcpus  3 exits  4 rmi  5 psci  (Tab: next view)",
			"s  next sort column        o  ascending/descending",
			"f  filter: realm=NAME vcpu=N reason=NAME (empty clears)",
			"p  pause/resume            r  reset counters",
			"+  slower refresh          -  faster refresh",
			"h, ?  this help            q  quit",
		};
		for (size_t i = 0; i < ARRAY_SIZE(help) && y < rows; i++)
			mvaddnstr(y++, 2, help[i], cols_n - 2);
	} else {
		for (size_t i = t->scroll; i < m->n[t->view] && y < rows - 1; i++) {
			const struct rmi_top_row *r = &m->rows[t->view][i];

			rmi_top_line(line, sizeof(line), m, t->view, r, env.spec);
			if (r->stuck)
				attron(A_BOLD | A_REVERSE);
			mvaddnstr(y++, 0, line, cols_n);
			if (r->stuck)
				attroff(A_BOLD | A_REVERSE);
		}
		if (!m->n[t->view])
			mvaddnstr(y, 0,
				  t->view == RMI_VIEW_PSCI ? "(no open PSCI window)" :
							     "(nothing yet)",
				  cols_n);
	}
	refresh();
}

static void prompt_filter(struct tui *t)
{
	char in[128] = "", *tok, *save = NULL;

	echo();
	curs_set(1);
	timeout(-1);
	mvaddstr(LINES - 1, 0, "filter (realm=NAME vcpu=N reason=NAME, empty clears): ");
	clrtoeol();
	getnstr(in, sizeof(in) - 1);
	noecho();
	curs_set(0);
	env.filter.realm = NULL;
	env.filter.vcpu = -1;
	env.filter.reason = -1;
	t->msg[0] = '\0';
	for (tok = strtok_r(in, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		uint64_t v;

		if (!strncmp(tok, "realm=", 6)) {
			snprintf(env.realm_buf, sizeof(env.realm_buf), "%s", tok + 6);
			env.filter.realm = env.realm_buf;
		} else if (!strncmp(tok, "vcpu=", 5) && !rmi_parse_u64(tok + 5, &v)) {
			env.filter.vcpu = (int)v;
		} else if (!strncmp(tok, "reason=", 7) &&
			   !rmi_filter_reason(tok + 7, env.spec, &env.filter.reason)) {
		} else {
			snprintf(t->msg, sizeof(t->msg), "bad filter '%s'", tok);
		}
	}
}

static int run_tui(struct rmi_probe *p)
{
	struct rmi_stats cur, prev, base;
	struct tui t = { .view = env.view_set ? env.view : RMI_VIEW_REALMS };
	struct utsname u;
	bool has_base = false;
	long refreshes = 0;
	double last = rmi_now(), next = last + env.delay;
	int err = 0;

	uname(&u);
	snprintf(t.host, sizeof(t.host), "%s %s", u.nodename, u.release);
	t.source = rmi_probe_source(p);
	rmi_stats_init(&cur);
	rmi_stats_init(&prev);
	rmi_stats_init(&base);
	rmi_stats_read_maps(&prev, p);
	setlocale(LC_ALL, "");
	if (!initscr()) {
		rmi_err("run it in a terminal, or use -b", "cannot start the terminal screen");
		return -ENOTTY;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(100);
	err = snapshot(p, &cur, &prev, &base, false, 0, &t.m);
	while (!err && !rmi_exiting) {
		int ch;

		draw(&t);
		ch = getch();
		switch (ch) {
		case 'q':
		case 'Q':
			rmi_exiting = 1;
			break;
		case 'h':
		case '?':
			t.help = !t.help;
			break;
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
			t.view = ch - '1';
			t.scroll = 0;
			t.help = false;
			break;
		case '\t':
			t.view = (t.view + 1) % RMI_VIEW__COUNT;
			t.scroll = 0;
			break;
		case 's': {
			const char *const *c = rmi_top_columns(t.view);
			int n = 0;

			while (c[n])
				n++;
			t.sort_col[t.view] = (t.sort_col[t.view] + 1) % n;
			rmi_top_sort(&t.m, t.view, t.sort_col[t.view], t.asc[t.view]);
			break;
		}
		case 'o':
			t.asc[t.view] = !t.asc[t.view];
			rmi_top_sort(&t.m, t.view, t.sort_col[t.view], t.asc[t.view]);
			break;
		case 'p':
			t.paused = !t.paused;
			break;
		case 'r':
			/* counts restart from here: the current snapshot is the base */
			rmi_stats_read_maps(&base, p);
			has_base = true;
			next = 0;
			break;
		case '+':
			env.delay = env.delay < 60 ? env.delay * 2 : env.delay;
			break;
		case '-':
			env.delay = env.delay > 0.2 ? env.delay / 2 : env.delay;
			break;
		case 'f':
			prompt_filter(&t);
			timeout(100);
			next = 0;
			break;
		case KEY_DOWN:
			if ((size_t)t.scroll + 1 < t.m.n[t.view])
				t.scroll++;
			break;
		case KEY_UP:
			if (t.scroll > 0)
				t.scroll--;
			break;
		case KEY_RESIZE:
			clear();
			break;
		}
		if (!t.paused && rmi_now() >= next) {
			double now = rmi_now();

			err = snapshot(p, &cur, &prev, &base, has_base, now - last, &t.m);
			for (int v = 0; v < RMI_VIEW__COUNT; v++)
				if (t.sort_col[v] || t.asc[v])
					rmi_top_sort(&t.m, v, t.sort_col[v], t.asc[v]);
			swap_stats(&cur, &prev);
			last = now;
			next = now + env.delay;
			if (env.iterations && ++refreshes >= env.iterations)
				rmi_exiting = 1;
		}
	}
	endwin();
	rmi_top_free(&t.m);
	rmi_stats_free(&cur);
	rmi_stats_free(&prev);
	rmi_stats_free(&base);
	return err;
}

int main(int argc, char **argv)
{
	struct rmi_probe *p = NULL;
	int err;

	rmi_set_prog(argv[0]);
	err = parse_args(argc, argv);
	if (err)
		return err > 0 ? EXIT_OK : EXIT_USAGE;
	if (!env.batch && !isatty(STDOUT_FILENO)) {
		rmi_err("use -b for text or -j for JSON", "standard output is not a terminal");
		return EXIT_USAGE;
	}
	env.probe.emit_events = false; /* aggregates only: cheap */
	if (rmi_session_start(&env.probe, &p))
		return EXIT_FAIL;
	if (!env.spec_set)
		env.spec = rmi_probe_spec(p, NULL);
	rmi_session_signals();
	if (env.batch)
		fprintf(stderr, "%s: attached %d hooks to %s in %d ms\n", rmi_prog,
			rmi_probe_attached(p), rmi_probe_source(p), rmi_probe_attach_ms(p));
	err = env.batch ? run_batch(p) : run_tui(p);
	rmi_probe_destroy(p);
	return err ? EXIT_FAIL : EXIT_OK;
}
