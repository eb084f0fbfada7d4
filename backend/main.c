/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * trucban-backend: the reference provincial backend. Loads the dataset,
 * simulates the province from a seed (or goes on from its journal), and
 * serves protocol v1 over websockets until SIGINT or SIGTERM: on loopback
 * for anybody, beyond it only with access tokens.
 */

#include <sys/signalfd.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "be-auth.h"
#include "be-data.h"
#include "be-drill.h"
#include "be-journal.h"
#include "be-relay.h"
#include "be-nats.h"
#include "be-nsnap.h"
#include "be-scenario.h"
#include "be-server.h"
#include "be-sim.h"
#include "be-state.h"
#include "clock.h"
#include "drill.h"
#include "engine.h"
#include "log.h"
#include "model.h"
#include "store.h"
#include "workcal.h"
#include "xmalloc.h"

#define BE_DEFAULT_LISTEN	"127.0.0.1:7600"
#define BE_DEFAULT_SEED		1
#define BE_DEFAULT_RATE		1.0

static const char *be_usage_text =
"usage: trucban-backend [--listen HOST:PORT] [--data DIR] [--seed N]\n"
"                       [--rate EVENTS_PER_S] [--log FILE] [--exercise]\n"
"                       [--scenario NAME|FILE] [--start TIME]\n"
"                       [--drill FILE [--report FILE] [--trainees LIST]]\n"
"                       [--colleagues off|slow|normal]\n"
"                       [--state DIR [--snapshot-every N]]\n"
"                       [--nats URL[,URL...] [--nats-replicas N]\n"
"                        [--nats-snapshot-every N] [--nats-max-age DAYS]]\n"
"                       [--retention MINUTES]\n"
"                       [--tokens FILE [--area-scoped]]\n"
"                       [--cert FILE --key FILE] [--max-queue N]\n"
"                       [--client-rate N] [--client-burst N]\n"
"                       [--relay URL [--relay-token FILE] [--relay-ca FILE]\n"
"                        [--relay-gauge-ms MS]]\n"
"                       [--hello-timeout S] [--max-per-address N]\n"
"                       [--max-per-token N] [--beat S]\n"
"                       [--verbose] [--help] [--version]\n"
"\n"
"  --listen HOST:PORT  address to serve on (default " BE_DEFAULT_LISTEN ";\n"
"                      port 0 picks a free port); beyond loopback only\n"
"                      with --tokens\n"
"  --state DIR         journal and snapshots: restart where it stopped\n"
"  --snapshot-every N  events between snapshots (default 100000; 0: none)\n"
"  --nats URLS         run as a gateway over NATS JetStream: the stream\n"
"                      TRUCBAN_EVENTS is the system of record instead of\n"
"                      --state (nats://127.0.0.1:4222,nats://...)\n"
"  --nats-replicas N   replicas of a stream this gateway creates (default\n"
"                      1; 3 in a cluster of three)\n"
"  --nats-snapshot-every N\n"
"                      the lease holder writes a snapshot to TRUCBAN_SNAP\n"
"                      every N events, and hourly while events come\n"
"                      (default 100000; 0: none)\n"
"  --nats-max-age DAYS the age at which a TRUCBAN_EVENTS this gateway\n"
"                      creates drops events (default 7, may have a\n"
"                      fraction; 0: never)\n"
"  --retention MIN     closed alerts and closed or returned cases leave\n"
"                      the live state for the archive MIN minutes after\n"
"                      their last change (default 240, may have a\n"
"                      fraction; -1: never)\n"
"  --tokens FILE       bearer tokens: TOKEN NAME ROLE AREAS [scoped]\n"
"  --area-scoped       operators with areas see only those areas\n"
"  --cert FILE         serve wss:// with this certificate (PEM) ...\n"
"  --key FILE          ... and its private key\n"
"  --client-rate N     messages a second a client may send (default 20)\n"
"  --client-burst N    ... in bursts of at most N (default 50)\n"
"  --relay URL         be a district relay of the province at URL: no\n"
"                      simulator, no journal; its state and events, its\n"
"                      commands' results (docs/relay.md)\n"
"  --relay-token FILE  the relay's bearer token for the province (the\n"
"                      first line; chmod 600)\n"
"  --relay-ca FILE     trust this CA for a wss:// province (default: the\n"
"                      system's)\n"
"  --relay-gauge-ms MS ask the province for gauge readings at most every\n"
"                      MS ms on the relay's link (0 to 60000; default 0)\n"
"  --hello-timeout S   close a connection without hello after S seconds\n"
"                      (default 10)\n"
"  --max-per-address N connections waiting for hello from one address\n"
"                      (default 64; past it the oldest one is closed)\n"
"  --max-per-token N   sessions of one token (default 16; past it the\n"
"                      newest is refused), and as many waiting for hello\n"
"  --beat S            a beat after S seconds of silence to consoles that\n"
"                      ask (default 2; 0: none)\n"
"  --data DIR          dataset directory with province.json, texts.json\n"
"                      (default ./data/quangninh, then ../data/quangninh\n"
"                      beside this binary, then the installed one)\n"
"  --seed N            simulation seed (default 1)\n"
"  --rate R            simulated events per second, 0 to 1000 (default 1)\n"
"  --log FILE          write the log to FILE instead of stderr\n"
"  --exercise          mark the whole feed as an exercise\n"
"  --scenario NAME     play a scenario on top of the normal day: typhoon,\n"
"                      flood, mass-casualty (data/scenarios), or a file\n"
"  --drill FILE        run a drill (data/drills): its injects on a\n"
"                      timeline, every trainee's actions scored; the\n"
"                      whole feed is an exercise, colleagues off\n"
"  --report FILE       write the drill's result there (JSON) and to\n"
"                      FILE.txt, at its end or when stopped\n"
"  --trainees LIST     trainees to report on even if they do nothing\n"
"                      (names, comma-separated)\n"
"  --colleagues HOW    the simulated colleagues handle alerts and new\n"
"                      cases: normal, slow, or off (default normal;\n"
"                      off in a drill)\n"
"  --start TIME        run the province's clock from TIME, ISO 8601:\n"
"                      2026-02-13T16:00 (local), ...T09:00Z, ...+07:00\n"
"  --max-queue N       close a client with more than N messages queued\n"
"                      for it (default 20000)\n"
"  -v, --verbose       log more (twice: lws too)\n";

static const struct option be_options[] = {
	{ "listen",	required_argument,	NULL, 'l' },
	{ "data",	required_argument,	NULL, 'd' },
	{ "seed",	required_argument,	NULL, 's' },
	{ "rate",	required_argument,	NULL, 'r' },
	{ "log",	required_argument,	NULL, 'L' },
	{ "exercise",	no_argument,		NULL, 'x' },
	{ "scenario",	required_argument,	NULL, 'E' },
	{ "start",	required_argument,	NULL, 'P' },
	{ "drill",	required_argument,	NULL, 'D' },
	{ "report",	required_argument,	NULL, 'O' },
	{ "trainees",	required_argument,	NULL, 'I' },
	{ "colleagues",	required_argument,	NULL, 'G' },
	{ "max-queue",	required_argument,	NULL, 'Q' },
	{ "state",	required_argument,	NULL, 'S' },
	{ "snapshot-every", required_argument,	NULL, 'N' },
	{ "nats",	required_argument,	NULL, 'J' },
	{ "nats-replicas", required_argument,	NULL, 'j' },
	{ "nats-snapshot-every", required_argument, NULL, 'n' },
	{ "nats-max-age", required_argument,	NULL, 'g' },
	{ "retention",	required_argument,	NULL, 'Y' },
	{ "tokens",	required_argument,	NULL, 'T' },
	{ "area-scoped", no_argument,		NULL, 'A' },
	{ "cert",	required_argument,	NULL, 'C' },
	{ "key",	required_argument,	NULL, 'K' },
	{ "client-rate", required_argument,	NULL, 'R' },
	{ "client-burst", required_argument,	NULL, 'B' },
	{ "relay",	required_argument,	NULL, 'U' },
	{ "relay-token", required_argument,	NULL, 'W' },
	{ "relay-ca",	required_argument,	NULL, 'F' },
	{ "relay-gauge-ms", required_argument,	NULL, 'M' },
	{ "hello-timeout", required_argument,	NULL, 'H' },
	{ "max-per-address", required_argument,	NULL, 'a' },
	{ "max-per-token", required_argument,	NULL, 't' },
	{ "beat",	required_argument,	NULL, 'b' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL,		0,			NULL, 0 }
};

static void __attribute__((noreturn))
be_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "trucban-backend: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", be_usage_text);
	exit(2);
}

/*
 * Split HOST:PORT ([v6]:PORT too). Returns 0 and fills host and *port, or
 * -1.
 */
static int
be_parse_listen(const char *s, char *host, size_t hostsz, int *port)
{
	const char	*colon, *h = s;
	size_t		 hlen;
	char		*end;
	long		 p;

	if (*s == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			return (-1);
		h = s + 1;
		hlen = (size_t)(colon - h);
		colon++;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return (-1);
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= hostsz)
		return (-1);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || p < 0 ||
	    p > 65535)
		return (-1);
	*port = (int)p;
	return (0);
}

/* 1 if host is a loopback address (or "localhost"). */
static int
be_is_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&a6));
	return (0);
}

/*
 * The dataset when --data is not given: ./data/quangninh (in the source
 * tree), then the tree this binary was built in (build/ is next to
 * data/, so `build/trucban --demo` works from any directory), then the
 * installed one. Returns a static string.
 */
static const char *
be_default_data(void)
{
	static char	 path[4096 + 32];
	struct stat	 sb;
	char		 exe[4096], file[sizeof path + 16], *slash;
	ssize_t		 n;

	if (stat("data/quangninh/province.json", &sb) == 0)
		return ("data/quangninh");
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(path, sizeof path, "%s/../data/quangninh", exe);
		snprintf(file, sizeof file, "%s/province.json", path);
		if (stat(file, &sb) == 0)
			return (path);
	}
	return (TRUCBAN_DATADIR "/data/quangninh");
}

/* A positive number option, or a usage error. */
static double
be_number(const char *opt, const char *arg, double lo, double hi)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno != 0 || !(v >= lo &&
	    v <= hi)) {
		fprintf(stderr, "trucban-backend: bad %s \"%s\" (%g to %g)\n",
		    opt, arg, lo, hi);
		fprintf(stderr, "%s", be_usage_text);
		exit(2);
	}
	return (v);
}

/* Register the comma-separated trainees of --trainees. */
static void
be_main_trainees(struct be_drill *drill, const char *list)
{
	char	*copy, *p, *name;

	if (list == NULL)
		return;
	p = copy = xstrdup(list);
	while ((name = strsep(&p, ",")) != NULL) {
		if (*name != '\0')
			be_drill_trainee(drill, name);
	}
	free(copy);
}

/* Say why we cannot start, on stderr and in the log file. */
static int
be_start_failed(const char *logfile, char *cause)
{
	fprintf(stderr, "trucban-backend: %s\n", cause);
	if (logfile != NULL)
		log_error("%s", cause);
	free(cause);
	return (1);
}

/*
 * The relay's token: the first line of file, which nobody but its owner
 * may read or write. Returns it (caller frees), or NULL with *cause.
 */
static char *
be_relay_token(const char *file, char **cause)
{
	struct stat	 sb;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	if ((f = fopen(file, "r")) == NULL) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077) != 0) {
		xasprintf(cause, "%s: others may read or write the token "
		    "(chmod 600 it)", file);
		fclose(f);
		return (NULL);
	}
	n = getline(&line, &cap, f);
	fclose(f);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n < BE_AUTH_TOKEN_MIN) {
		xasprintf(cause, "%s: no token on the first line", file);
		free(line);
		return (NULL);
	}
	return (line);
}

/*
 * Run as a district relay (docs/relay.md): the local tokens, the server
 * for local consoles, and the link to the province on its loop. Returns
 * the exit status; so->signal_fd is the server's from the start.
 */
static int
be_main_relay(struct be_state *st, struct be_server_opts *so,
    const char *tokens, const char *url, const char *tokenfile,
    const char *ca, int gauge_ms, const char *logfile)
{
	struct be_relay_opts	 ro;
	struct be_relay		*r = NULL;
	struct be_server	*srv = NULL;
	struct be_auth		*auth = NULL;
	char			*token = NULL, *cause = NULL;
	int			 rc = 1;

	if (tokens != NULL && be_auth_load(tokens, &auth, &cause) != 0)
		goto fail;
	if (tokenfile != NULL && (token = be_relay_token(tokenfile,
	    &cause)) == NULL)
		goto fail;
	memset(&ro, 0, sizeof ro);
	ro.url = url;
	ro.token = token;
	ro.gauge_ms = gauge_ms;
	if ((r = be_relay_new(st, &ro, &cause)) == NULL)
		goto fail;
	so->auth = auth;
	so->extra = be_relay_protocols();
	so->client_tls = strncmp(url, "wss://", 6) == 0;
	so->client_ca = ca;
	so->forward = be_relay_forward;
	so->forward_arg = r;
	if ((srv = be_server_new(st, so, &cause)) == NULL)
		goto fail;
	printf("trucban-backend: relay of %s listening on %s://%s:%d\n",
	    url, so->cert != NULL ? "wss" : "ws", so->iface,
	    be_server_port(srv));
	fflush(stdout);
	log_info("relay of %s: listening on %s port %d%s", url, so->iface,
	    be_server_port(srv), auth != NULL ? ", tokens required" : "");
	be_relay_start(r, srv);
	rc = be_server_run(srv) == 0 ? 0 : 1;
	be_relay_stop(r);
	log_info("relay stopping at seq %llu, %llu bytes from the province",
	    (unsigned long long)st->store->seq,
	    (unsigned long long)be_relay_bytes(r));
	be_server_free(srv);
	be_relay_free(r);
	be_auth_free(auth);
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(token);
	return (rc);

fail:
	/* The signal fd goes with the process: lws may have adopted it. */
	be_relay_free(r);
	be_auth_free(auth);
	free(token);
	return (be_start_failed(logfile, cause));
}

/* A drill over JetStream: be-nats.c keeps its start and progress. */
/*
 * The hooks get main's own pointer to the gateway: the drill listens
 * before be_nats_open() sets it (only "seen" is asked while it reads
 * the stream back).
 */
static int
be_main_drill_start(void *arg, const char *drill, int64_t now,
    int64_t *start, char **cause)
{
	return (be_nats_drill_start(*(struct be_nats **)arg, drill, now,
	    start, cause));
}

static int
be_main_drill_leader(void *arg)
{
	return (be_nats_may_write(*(struct be_nats **)arg));
}

/* Before a simulator turn over JetStream: is the lease still ours? */
static int
be_main_sim_guard(void *arg)
{
	return (be_nats_may_write(arg));
}

static void
be_main_drill_playing(void *arg, const char *drill, int step, int64_t start)
{
	be_nats_drill_playing(*(struct be_nats **)arg, drill, step, start);
}

static int
be_main_drill_seen(void *arg, const char *drill, int *step, int64_t *start)
{
	(void)arg;
	return (be_nats_drill_seen(drill, step, start));
}

/*
 * Load and check the drill in path and make it run on st, or return -1
 * with *cause set. Over JetStream (nats: main's pointer, set once the
 * stream is open) only the lease's holder plays it and every gateway
 * scores it.
 */
static int
be_main_drill(struct be_state *st, const char *path, const char *report,
    const char *trainees, struct be_nats **nats, struct be_drill **bdp,
    char **cause)
{
	struct drill		*d;
	struct be_drill_hooks	 h = {
		.start = be_main_drill_start,
		.leader = be_main_drill_leader,
		.playing = be_main_drill_playing,
		.seen = be_main_drill_seen,
		.arg = nats
	};

	if (drill_load(path, &d, cause) != 0 ||
	    drill_check(d, st->engine, cause) != 0) {
		drill_free(d);
		return (-1);
	}
	*bdp = be_drill_new(st, d, report);
	if (nats != NULL)
		be_drill_set_hooks(*bdp, &h);
	be_main_trainees(*bdp, trainees);
	return (0);
}

/* The lease came or went (docs/ha.md): only its holder simulates. */
static void
be_main_role(void *arg, int applier)
{
	be_sim_set_passive(arg, !applier);
}

int
main(int argc, char **argv)
{
	struct be_server_opts	 so;
	struct be_state		*st = NULL;
	struct be_data		*data = NULL;
	struct be_server	*srv = NULL;
	struct be_sim		*sim = NULL;
	struct be_journal	*journal = NULL;
	struct be_nats		*nats = NULL;
	const char		*nats_urls = NULL;
	int			 replicas = 1, restored = 0;
	struct be_nsnap_conf	 nsnap = { BE_NSNAP_EVERY,
				     BE_NSNAP_MAX_AGE_DAYS * 86400000LL };
	struct be_auth		*auth = NULL;
	const char		*listen = BE_DEFAULT_LISTEN, *datadir = NULL;
	const char		*logfile = NULL, *statedir = NULL;
	const char		*tokens = NULL, *cert = NULL, *key = NULL;
	const char		*scenario = NULL, *start = NULL;
	const char		*drillfile = NULL, *report = NULL;
	const char		*trainees = NULL;
	const char		*relay = NULL, *relay_token = NULL;
	const char		*relay_ca = NULL;
	int			 relay_gauge = 0;
	struct be_scenario	*sc;
	struct be_drill		*drill = NULL;
	int			 colleagues = -1;
	char			 host[128], *end, *cause = NULL;
	unsigned long long	 seed = BE_DEFAULT_SEED;
	double			 rate = BE_DEFAULT_RATE, crate = 0, cburst = 0;
	double			 hello_s = 0, per_address = 0, per_token = 0;
	double			 beat = -1;
	double			 every = BE_JOURNAL_SNAPSHOT_EVERY;
	double			 retention = BE_RETENTION_MS / 60000;
	int64_t			 start_ms = 0;
	unsigned long		 max_queue = 0;
	int			 ch, port, exercise = 0, verbose = 0, sfd;
	int			 lws_levels, rc = 1, area_scoped = 0;
	sigset_t		 ss;

	while ((ch = getopt_long(argc, argv, "l:d:s:r:L:xQ:vhV", be_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = optarg;
			break;
		case 'd':
			datadir = optarg;
			break;
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (*optarg == '\0' || *optarg == '-' || *end != '\0' ||
			    errno != 0)
				be_usage_error("bad --seed \"%s\"", optarg);
			break;
		case 'r':
			errno = 0;
			rate = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    !(rate >= 0 && rate <= BE_SIM_RATE_MAX))
				be_usage_error("bad --rate \"%s\" (0 to 1000 "
				    "events per second)", optarg);
			break;
		case 'L':
			logfile = optarg;
			break;
		case 'x':
			exercise = 1;
			break;
		case 'E':
			scenario = optarg;
			break;
		case 'D':
			drillfile = optarg;
			break;
		case 'O':
			report = optarg;
			break;
		case 'I':
			trainees = optarg;
			break;
		case 'G':
			colleagues = MODEL_ENUM_PARSE(be_sim_colleagues_names,
			    optarg);
			if (colleagues == -1)
				be_usage_error("bad --colleagues \"%s\" (off, "
				    "slow or normal)", optarg);
			break;
		case 'P':
			if (workcal_parse_time(optarg, 0, &start_ms) != 0)
				be_usage_error("bad --start \"%s\" (want "
				    "2026-02-13T16:00, local; or with Z or "
				    "+07:00)", optarg);
			start = optarg;
			break;
		case 'Q':
			errno = 0;
			max_queue = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *optarg == '-' || *end != '\0' ||
			    errno != 0 || max_queue < 16 ||
			    max_queue > 10000000)
				be_usage_error("bad --max-queue \"%s\" (16 to "
				    "10000000 messages)", optarg);
			break;
		case 'S':
			statedir = optarg;
			break;
		case 'N':
			every = be_number("--snapshot-every", optarg, 0, 1e12);
			break;
		case 'J':
			nats_urls = optarg;
			break;
		case 'j':
			replicas = (int)be_number("--nats-replicas", optarg, 1,
			    5);
			break;
		case 'n':
			nsnap.every = (uint64_t)be_number(
			    "--nats-snapshot-every", optarg, 0, 1e12);
			break;
		case 'g':
			nsnap.max_age_ms = (int64_t)(be_number("--nats-max-age",
			    optarg, 0, 36500) * 86400000);
			break;
		case 'Y':
			retention = be_number("--retention", optarg, -1,
			    525600);
			break;
		case 'T':
			tokens = optarg;
			break;
		case 'A':
			area_scoped = 1;
			break;
		case 'C':
			cert = optarg;
			break;
		case 'K':
			key = optarg;
			break;
		case 'R':
			crate = be_number("--client-rate", optarg, 0.1, 1e6);
			break;
		case 'B':
			cburst = be_number("--client-burst", optarg, 1, 1e6);
			break;
		case 'U':
			relay = optarg;
			break;
		case 'W':
			relay_token = optarg;
			break;
		case 'F':
			relay_ca = optarg;
			break;
		case 'M':
			relay_gauge = (int)be_number("--relay-gauge-ms", optarg,
			    0, BE_SERVER_GAUGE_MS_MAX);
			break;
		case 'H':
			hello_s = be_number("--hello-timeout", optarg, 1, 3600);
			break;
		case 'a':
			per_address = be_number("--max-per-address", optarg, 1,
			    BE_SERVER_MAX_FDS);
			break;
		case 't':
			per_token = be_number("--max-per-token", optarg, 1,
			    BE_SERVER_MAX_FDS);
			break;
		case 'b':
			beat = be_number("--beat", optarg, 0, 60);
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			printf("%s", be_usage_text);
			return (0);
		case 'V':
			printf("trucban-backend %s\n", TRUCBAN_VERSION);
			return (0);
		default:
			fprintf(stderr, "%s", be_usage_text);
			return (2);
		}
	}
	if (optind != argc)
		be_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (be_parse_listen(listen, host, sizeof host, &port) != 0)
		be_usage_error("bad --listen \"%s\" (want HOST:PORT)", listen);
	if ((cert == NULL) != (key == NULL))
		be_usage_error("%s", "--cert and --key go together");
	if ((report != NULL || trainees != NULL) && drillfile == NULL)
		be_usage_error("%s", "--report and --trainees need --drill");
	if (drillfile != NULL && scenario != NULL)
		be_usage_error("%s", "--drill and --scenario do not go together");
	/* A drill is an exercise, and its trainees act alone. */
	if (drillfile != NULL) {
		exercise = 1;
		if (colleagues == -1)
			colleagues = BE_SIM_COLLEAGUES_OFF;
	}
	if (relay == NULL && (relay_token != NULL || relay_ca != NULL))
		be_usage_error("%s", "--relay-token and --relay-ca need --relay");
	if (relay != NULL && (drillfile != NULL || scenario != NULL ||
	    statedir != NULL || exercise))
		be_usage_error("%s", "a relay (--relay) has no simulator, "
		    "journal, scenario, drill or exercise of its own");
	if (relay != NULL && nats_urls != NULL)
		be_usage_error("%s", "--relay and --nats do not go together");
	if (nats_urls != NULL && statedir != NULL)
		be_usage_error("%s", "--nats and --state do not go together: "
		    "the stream is the system of record");
	if (nats_urls != NULL && !be_nats_available())
		be_usage_error("%s", "--nats: built without libnats "
		    "(scripts/deps.sh ha, then make)");
	if (area_scoped && tokens == NULL)
		be_usage_error("%s", "--area-scoped needs --tokens");
	if (!be_is_loopback(host) && tokens == NULL) {
		fprintf(stderr, "trucban-backend: refusing to listen on %s "
		    "without --tokens: anybody who can reach it would act as "
		    "a supervisor. Give a tokens file (see trucban-backend(1)) "
		    "or listen on a loopback address (127.0.0.1, ::1, "
		    "localhost)\n", host);
		return (2);
	}
	if (datadir == NULL)
		datadir = be_default_data();

	if (log_open(logfile, "trucban-backend") != 0) {
		fprintf(stderr, "trucban-backend: %s: %s\n", logfile,
		    strerror(errno));
		return (1);
	}
	log_level = verbose > 0 ? LOG_DEBUG : LOG_INFO;
	lws_levels = LLL_ERR | LLL_WARN;
	if (verbose > 1)
		lws_levels |= LLL_NOTICE | LLL_INFO;
	lws_set_log_level(lws_levels, log_lws_emit);
	if (!be_is_loopback(host) && cert == NULL)
		log_warn("listening on %s without --cert: tokens and "
		    "everything else travel in clear text", host);

	/* Signals arrive through a signalfd that the loop watches. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) != 0 ||
	    (sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "trucban-backend: signalfd: %s\n",
		    strerror(errno));
		return (1);
	}

	st = be_state_new(seed);
	/* The server's options, a relay's or a province's. */
	memset(&so, 0, sizeof so);
	so.iface = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
	so.port = port;
	so.signal_fd = sfd;
	so.queue_msgs = max_queue;
	so.wake_fd = -1;
	so.area_scoped = area_scoped;
	so.cert = cert;
	so.key = key;
	so.rate = crate;
	so.burst = cburst;
	so.hello_s = (int)hello_s;
	so.per_address = (size_t)per_address;
	so.per_token = (size_t)per_token;
	/* --beat 0: none (-1 to the server); not given: its default. */
	so.beat_ms = beat < 0 ? 0 : beat == 0 ? -1 : (int)(beat * 1000);
	if (so.beat_ms == 0 && beat > 0)
		so.beat_ms = 1;
	if (relay != NULL) {
		rc = be_main_relay(st, &so, tokens, relay, relay_token,
		    relay_ca, relay_gauge, logfile);
		sfd = -1;
		goto out;
	}
	engine_set_exercise(st->engine, exercise);
	if (be_data_load(datadir, st->store, &st->rng, &data, &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	engine_set_workcal(st->engine, data->workcal);
	if (tokens != NULL) {
		if (be_auth_load(tokens, &auth, &cause) != 0 ||
		    be_auth_check_areas(auth, st->store, &cause) != 0) {
			rc = be_start_failed(logfile, cause);
			goto out;
		}
		log_info("tokens: %zu operators from %s", be_auth_count(auth),
		    tokens);
	}
	/*
	 * The archive first: replaying the journal fills in what it lost.
	 * Without --state it is a temporary file, as volatile as the state.
	 */
	st->retention_ms = retention < 0 ? -1 : (int64_t)(retention * 60000);
	if (be_state_open_archive(st, statedir, &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	if (statedir != NULL && be_journal_open(st, statedir,
	    (uint64_t)every, &journal, &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	/*
	 * Over JetStream a drill listens before the stream is read back:
	 * the stream says where it started and got to (docs/ha.md), and
	 * what the trainees did, so every gateway joins it, restored or not.
	 */
	if (nats_urls != NULL && drillfile != NULL && be_main_drill(st,
	    drillfile, report, trainees, &nats, &drill, &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	if (nats_urls != NULL && be_nats_open(st, nats_urls, replicas, &nsnap,
	    &nats, &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	restored = (journal != NULL && be_journal_stats(journal)->restored) ||
	    (nats != NULL && be_nats_stats(nats)->restored);
	/*
	 * The simulated clock starts at --start (local to the province
	 * when it has no zone) and runs at the real pace from there; not
	 * on a restored state, whose events already have their times.
	 */
	if (start != NULL && restored)
		log_warn("--start %s: ignored on a restored state (start a "
		    "new --state directory)", start);
	else if (start != NULL) {
		workcal_parse_time(start, st->store->utc_offset_min,
		    &start_ms);
		clock_set_offset(start_ms - clock_now());
		log_info("clock: starting at %s", start);
	}
	/* A restarted province goes on; only a new one starts its day. */
	sim = be_sim_new(st, data);
	if (colleagues != -1)
		be_sim_set_colleagues(sim, colleagues);
	/* Over JetStream only the lease holder starts a new province. */
	if (!restored && (nats == NULL || be_nats_applier(nats))) {
		be_sim_initial_day(sim);
		if ((journal != NULL && be_journal_flush(journal, &cause) !=
		    0) || (nats != NULL && be_nats_sync(nats, &cause) != 0)) {
			rc = be_start_failed(logfile, cause);
			goto out;
		}
	}
	/*
	 * A scenario's timeline starts now, on top of the day. Not on a
	 * restored state: the journal does not know how far it got, and it
	 * would play its injects again.
	 */
	if (scenario != NULL && restored)
		log_warn("scenario %s: not played again on a restored state "
		    "(start a new --state directory for a new drill)",
		    scenario);
	else if (scenario != NULL) {
		if (be_scenario_load(st->engine, scenario, datadir, &sc,
		    &cause) != 0) {
			rc = be_start_failed(logfile, cause);
			goto out;
		}
		be_sim_start_scenario(sim, sc);
	}
	/* A drill is checked now, and starts once the server listens. */
	if (drillfile != NULL && restored && nats == NULL)
		log_warn("drill %s: not played again on a restored state "
		    "(start a new --state directory for a new drill)",
		    drillfile);
	else if (drillfile != NULL && drill == NULL &&
	    be_main_drill(st, drillfile, report, trainees, NULL, &drill,
	    &cause) != 0) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	log_info("province %s: %zu areas, %zu hospitals, %zu schools, %zu "
	    "units; seed %llu; seq %llu", st->store->province,
	    st->store->nareas, st->store->nhospitals, st->store->nschools,
	    st->store->nunits, seed, (unsigned long long)st->store->seq);

	so.journal = journal;
	if (nats != NULL) {
		so.sync = be_nats_sync;
		so.wake = be_nats_wake;
		so.log_forward = be_nats_forward;
		so.wake_fd = be_nats_wake_fd(nats);
		so.log_arg = nats;
	}
	so.auth = auth;
	so.drill = drill;
	if ((srv = be_server_new(st, &so, &cause)) == NULL) {
		rc = be_start_failed(logfile, cause);
		goto out;
	}
	sfd = -1;
	printf("trucban-backend: listening on %s://%s%s%s:%d\n",
	    cert != NULL ? "wss" : "ws",
	    strchr(host, ':') != NULL ? "[" : "", host,
	    strchr(host, ':') != NULL ? "]" : "", be_server_port(srv));
	fflush(stdout);
	log_info("listening on %s port %d%s%s", host, be_server_port(srv),
	    cert != NULL ? " with TLS" : "", auth != NULL ? ", tokens "
	    "required" : "");

	/* A gateway without the lease follows: it simulates nothing. */
	if (nats != NULL) {
		be_sim_set_passive(sim, !be_nats_applier(nats));
		be_sim_set_guard(sim, be_main_sim_guard, nats);
		if (be_nats_attach(nats, srv, be_main_role, sim, &cause) != 0) {
			rc = be_start_failed(logfile, cause);
			goto out;
		}
	}
	be_sim_start(sim, be_server_context(srv), rate);
	if (drill != NULL)
		be_drill_start(drill, be_server_context(srv), clock_now());
	rc = be_server_run(srv) == 0 ? 0 : 1;
	log_info("stopping at seq %llu", (unsigned long long)st->store->seq);
out:
	be_drill_free(drill);
	be_sim_free(sim);
	if (nats != NULL)
		be_nats_detach(nats);
	be_server_free(srv);
	be_nats_close(nats);
	if (journal != NULL && be_journal_close(journal, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		rc = 1;
	}
	be_auth_free(auth);
	be_state_free(st);
	be_data_free(data);
	if (sfd != -1)
		close(sfd);
	log_close();
	return (rc);
}
