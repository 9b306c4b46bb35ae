// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rmi_exporter: Prometheus exporter for Arm CCA hosts. Loads and attaches
 * the probes, drops privileges, then serves /metrics from the in-kernel
 * aggregates with libmicrohttpd: bounded connections, request sizes and
 * time; TLS and basic auth from an exporter-toolkit web config file.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <linux/capability.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "lib/probe.h"
#include "lib/prom.h"
#include "lib/session.h"
#include "lib/stats.h"
#include "lib/util.h"
#include "lib/webcfg.h"

#define DEFAULT_LISTEN "127.0.0.1:9747"

static struct env {
	const char *listen;
	const char *web_config;
	const char *path;
	const char *runas;
	struct rmi_probe_opts probe;
	struct rmi_prom_opts prom;
	bool spec_set;
	unsigned int conn_limit;
	double retention_s;
} env = {
	.retention_s = 300,
	.listen = DEFAULT_LISTEN,
	.path = "/metrics",
	.runas = "nobody",
	.prom = { .max_realms = 256, .names = true },
	.conn_limit = 64,
};

static struct server {
	struct rmi_probe *probe;
	struct rmi_webcfg web;
	struct rmi_stats stats;
	pthread_mutex_t lock;
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rmi_exporter [OPTIONS]\n"
		"Prometheus exporter for Arm CCA realms (REC exits, RMI calls, PSCI windows).\n"
		"\n"
		"  --web.listen-address=ADDR:PORT  where to listen (default %s;\n"
		"                                  ':PORT' for every address)\n"
		"  --web.config.file=PATH          TLS and basic auth (exporter-toolkit format)\n"
		"  --web.telemetry-path=PATH       metrics path (default /metrics)\n"
		"  --web.max-connections=N         open connections at most (default 64)\n"
		"  --collector.per-vcpu            add rmi_vcpu_rec_exits_total{vcpu=...}\n"
		"  --max-realms=N                  export at most N realms (default 256; 0: all)\n"
		"  --realm-retention=SEC           forget a destroyed realm SEC seconds after its\n"
		"                                  end (default 300)\n"
		"  --runas=USER                    user to serve HTTP as when started as root\n"
		"                                  (default nobody)\n"
		"  --spec=VERSION                  RMM spec for names (default: the host's layout)\n"
		"%s"
		"  -V, --version                   print the version\n"
		"  -h, --help                      this help\n",
		DEFAULT_LISTEN, rmi_session_help);
}

enum {
	OPT_LISTEN = 0x100,
	OPT_RETENTION,
	OPT_WEBCFG,
	OPT_PATH,
	OPT_MAXCONN,
	OPT_PERVCPU,
	OPT_MAXREALMS,
	OPT_RUNAS,
	OPT_SPEC,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "web.listen-address", required_argument, NULL, OPT_LISTEN },
		{ "web.config.file", required_argument, NULL, OPT_WEBCFG },
		{ "web.telemetry-path", required_argument, NULL, OPT_PATH },
		{ "web.max-connections", required_argument, NULL, OPT_MAXCONN },
		{ "collector.per-vcpu", no_argument, NULL, OPT_PERVCPU },
		{ "max-realms", required_argument, NULL, OPT_MAXREALMS },
		{ "runas", required_argument, NULL, OPT_RUNAS },
		{ "realm-retention", required_argument, NULL, OPT_RETENTION },
		{ "spec", required_argument, NULL, OPT_SPEC },
		RMI_SESSION_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	uint64_t v;
	int c, li;

	while ((c = getopt_long(argc, argv, "Vh", opts, &li)) != -1) {
		switch (c) {
		case OPT_LISTEN:
			env.listen = optarg;
			break;
		case OPT_WEBCFG:
			env.web_config = optarg;
			break;
		case OPT_PATH:
			if (optarg[0] != '/' || !strcmp(optarg, "/")) {
				rmi_err(NULL, "--web.telemetry-path %s: want a path like /metrics",
					optarg);
				return -1;
			}
			env.path = optarg;
			break;
		case OPT_MAXCONN:
		case OPT_MAXREALMS:
			if (rmi_parse_u64(optarg, &v) || v > 100000 || (c == OPT_MAXCONN && !v)) {
				rmi_err(NULL, "--%s %s: not a valid count", opts[li].name, optarg);
				return -1;
			}
			if (c == OPT_MAXCONN)
				env.conn_limit = (unsigned int)v;
			else
				env.prom.max_realms = (unsigned int)v;
			break;
		case OPT_PERVCPU:
			env.prom.per_vcpu = true;
			break;
		case OPT_RUNAS:
			env.runas = optarg;
			break;
		case OPT_RETENTION: {
			char *end;

			env.retention_s = strtod(optarg, &end);
			if (*end || !(env.retention_s >= 0)) {
				rmi_err(NULL, "--realm-retention %s: want seconds >= 0", optarg);
				return -1;
			}
			break;
		}
		case OPT_SPEC:
			if (rmi_spec_arg(optarg, &env.prom.spec))
				return -1;
			env.spec_set = true;
			break;
RMI_SESSION_CASES:
			if (rmi_session_opt(&env.probe, opts[li].name, optarg) < 0)
				return -1;
			break;
		case 'V':
			printf("rmi_exporter %s (%s)\n", RMI_VERSION_STR, RMI_GIT_REV);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "Try 'rmi_exporter --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		rmi_err("see 'rmi_exporter --help'", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/* ---- HTTP --------------------------------------------------------------------- */

static const char index_page[] =
	"<html><head><title>rmi_exporter</title></head><body>"
	"<h1>rmi_exporter</h1><p>Arm CCA realm metrics: <a href=\"%s\">%s</a></p>"
	"</body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	static int first;
	(void)cls;
	(void)version;
	(void)upload;

	if (!*req) { /* headers only so far: answer on the next call */
		*req = &first;
		return MHD_YES;
	}
	if (*upload_size) { /* a body on a GET: refuse, never buffer it */
		*upload_size = 0;
		return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "text/plain", "no request body\n", 16,
			     MHD_RESPMEM_PERSISTENT);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", 9,
			     MHD_RESPMEM_PERSISTENT);
	if (srv.web.n_users) {
		char *pass = NULL, *user = MHD_basic_auth_get_username_password(c, &pass);
		bool ok = rmi_webcfg_check(&srv.web, user, pass);

		MHD_free(user);
		MHD_free(pass);
		if (!ok) {
			struct MHD_Response *r = MHD_create_response_from_buffer(
				13, "unauthorized\n", MHD_RESPMEM_PERSISTENT);
			enum MHD_Result ret =
				MHD_queue_basic_auth_fail_response(c, "rmi_exporter", r);

			MHD_destroy_response(r);
			return ret;
		}
	}
	if (!strcmp(url, "/")) {
		char page[512];
		int n = snprintf(page, sizeof(page), index_page, env.path, env.path);

		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page, n,
			     MHD_RESPMEM_MUST_COPY);
	}
	if (!strcmp(url, env.path)) {
		struct rmi_buf b = {};
		double t0 = rmi_now();
		enum MHD_Result ret;
		int err;

		pthread_mutex_lock(&srv.lock);
		err = rmi_stats_read_maps(&srv.stats, srv.probe);
		if (!err)
			err = rmi_prom_render(&b, &srv.stats, srv.probe, &env.prom, t0);
		/* after rendering: a realm's last values are exported once more */
		if (!err)
			rmi_stats_gc(srv.probe, &srv.stats, rmi_now_ns(),
				     (uint64_t)(env.retention_s * 1e9));
		pthread_mutex_unlock(&srv.lock);
		if (err || !b.p) {
			rmi_buf_free(&b);
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
				     "cannot read the in-kernel aggregates\n", 37,
				     MHD_RESPMEM_PERSISTENT);
		}
		/* libmicrohttpd frees the buffer with the response */
		ret = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len,
			    MHD_RESPMEM_MUST_FREE);
		return ret;
	}
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10,
		     MHD_RESPMEM_PERSISTENT);
}

static void on_done(void *cls, struct MHD_Connection *c, void **req,
		    enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)c;
	(void)code;
	*req = NULL;
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_flags = AI_NUMERICHOST | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM },
			*res = NULL;
	char host[256] = "";
	const char *colon = strrchr(s, ':');
	int err;

	if (!colon || !colon[1])
		return -EINVAL;
	if (colon > s) {
		size_t n = colon - s;

		if (s[0] == '[' && colon[-1] == ']') { /* [::1]:PORT */
			s++;
			n -= 2;
		}
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, n);
		host[n] = '\0';
	}
	err = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
	if (err || !res)
		return -EINVAL;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *n = realloc(buf, cap = cap ? cap * 2 : 16384);

			if (!n || cap > (1 << 20)) {
				free(n ? n : buf);
				fclose(f);
				return NULL;
			}
			buf = n;
		}
		size_t r = fread(buf + len, 1, 4096, f);

		len += r;
		if (!r)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* ---- privileges ------------------------------------------------------------- */

static int capset_none(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	return syscall(SYS_capset, &h, d);
}

/*
 * Can the maps still be read with no capability at all? Kernels before 6.5
 * check CAP_BPF on every bpf() call when unprivileged BPF is disabled. A
 * child process tries it with the inherited fd.
 */
static bool maps_readable_unprivileged(int fd)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char key[64], next[64];

		(void)key;
		if (capset_none())
			_exit(2);
		_exit(bpf_map_get_next_key(fd, NULL, next) && errno == EPERM ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int drop_privileges(void)
{
	bool keep_bpf = !maps_readable_unprivileged(rmi_probe_map_fd(srv.probe, "exit_stats"));
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	if (geteuid() == 0) {
		struct passwd *pw = getpwnam(env.runas);

		if (!pw || !pw->pw_uid) {
			rmi_err("pass --runas USER (an unprivileged user)",
				"cannot switch to user '%s'", env.runas);
			return -EPERM;
		}
		if (keep_bpf)
			prctl(PR_SET_KEEPCAPS, 1);
		if (setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
			rmi_err(NULL, "cannot switch to user '%s': %s", env.runas, strerror(errno));
			return -EPERM;
		}
		if (setuid(0) == 0) { /* must be impossible now */
			rmi_err(NULL, "could regain root after dropping it");
			return -EPERM;
		}
	}
	/* keep CAP_BPF only where the kernel needs it to read the maps */
	if (keep_bpf) {
		d[CAP_BPF / 32].effective = d[CAP_BPF / 32].permitted = 1u << (CAP_BPF % 32);
		fprintf(stderr, "%s: this kernel needs CAP_BPF to read BPF maps: kept it\n",
			rmi_prog);
	}
	if (syscall(SYS_capset, &h, d)) {
		rmi_err(NULL, "cannot drop capabilities: %s", strerror(errno));
		return -EPERM;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage addr;
	socklen_t alen;
	struct MHD_Daemon *d = NULL;
	char *cert = NULL, *key = NULL, err[256];
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	sigset_t set;
	int sig, ret = EXIT_FAIL;

	rmi_set_prog(argv[0]);
	switch (parse_args(argc, argv)) {
	case 1:
		return EXIT_OK;
	case -1:
		return EXIT_USAGE;
	}
	if (parse_listen(env.listen, &addr, &alen)) {
		rmi_err("e.g. 127.0.0.1:9747, [::1]:9747 or :9747",
			"--web.listen-address %s: not ADDR:PORT", env.listen);
		return EXIT_USAGE;
	}
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (env.web_config) {
		if (rmi_webcfg_load(env.web_config, &srv.web, err, sizeof(err))) {
			rmi_err(NULL, "--web.config.file %s: %s", env.web_config, err);
			return EXIT_USAGE;
		}
		if (srv.web.cert_file) {
			cert = slurp(srv.web.cert_file);
			key = slurp(srv.web.key_file);
			if (!cert || !key) {
				rmi_err(NULL, "cannot read TLS %s '%s'",
					!cert ? "cert_file" : "key_file",
					!cert ? srv.web.cert_file : srv.web.key_file);
				goto out;
			}
			flags |= MHD_USE_TLS;
		}
	}
	/* signals are taken synchronously by the main thread below */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	env.probe.emit_events = false; /* aggregates only */
	if (rmi_session_start(&env.probe, &srv.probe))
		goto out;
	if (!env.spec_set)
		env.prom.spec = rmi_probe_spec(srv.probe, NULL);
	rmi_stats_init(&srv.stats);

	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &addr,
			     MHD_OPTION_CONNECTION_LIMIT, env.conn_limit,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, env.conn_limit,
			     MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)(32 << 10), MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
			     cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
			     MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (!d) {
		rmi_err("is the address free and valid? (another exporter running?)",
			"cannot listen on %s: %s", env.listen, strerror(errno));
		goto out;
	}
	/* never serve HTTP with privileges */
	if (drop_privileges())
		goto out;
	fprintf(stderr, "%s: attached %d hooks to %s in %d ms; serving %s%s on %s%s as uid %u\n",
		rmi_prog, rmi_probe_attached(srv.probe), rmi_probe_source(srv.probe),
		rmi_probe_attach_ms(srv.probe), cert ? "https://" : "http://", env.listen, env.path,
		srv.web.n_users ? " (basic auth)" : "", getuid());
	sigwait(&set, &sig);
	fprintf(stderr, "%s: %s, stopping\n", rmi_prog, strsignal(sig));
	ret = EXIT_OK;
out:
	if (d)
		MHD_stop_daemon(d);
	rmi_probe_destroy(srv.probe);
	rmi_stats_free(&srv.stats);
	rmi_webcfg_free(&srv.web);
	free(cert);
	free(key);
	return ret;
}
