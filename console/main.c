/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* trucban: the duty officer's console. Options, the loop, start and end. */

#include <sys/signalfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "cmd.h"
#include "config.h"
#include "conn.h"
#include "demo.h"
#include "i18n.h"
#include "input.h"
#include "key.h"
#include "layout.h"
#include "log.h"
#include "outbox.h"
#include "record.h"
#include "prompt.h"
#include "proto.h"
#include "screen.h"
#include "script.h"
#include "store.h"
#include "sync.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * One thread, one loop, owned by libwebsockets (technotes §1): the
 * terminal (a dup of fd 0), a signalfd for SIGWINCH, SIGINT, SIGTERM,
 * SIGHUP and SIGCHLD, and the demo child's stdout are adopted as raw
 * files next to the websocket client; frames and the clock are lws
 * timers. The signals are
 * blocked before anything else, so ncurses never sees SIGWINCH and no
 * handler runs at a bad time. main() ends in
 * "while (!main_exiting) lws_service()".
 */

#define MAIN_RAW_PROTOCOL	"raw-in"

static volatile int	 main_exiting;
static int		 main_sfd = -1;		/* signalfd. */
static int		 main_sfd_lws = -1;	/* Its dup, adopted. */
static int		 main_tty = -1;		/* dup(0), adopted. */
static int		 main_demofd = -1;	/* dup of the demo pipe. */
static struct layout	*main_layout;
static struct conn	*main_conn;
static struct sync	*main_sync;
static struct recorder	*main_rec;	/* While recording. */
static struct outbox	*main_outbox;

static int	main_raw_callback(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);

static const struct lws_protocols main_protocols[] = {
	{ PROTO_SUBPROTOCOL, conn_callback, 0, 4096, 0, NULL, 0 },
	{ MAIN_RAW_PROTOCOL, main_raw_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: trucban [options] URL\n"
"       trucban [options] --demo\n"
"       trucban [--timeout S] --script FILE | -c 'CMD; CMD' URL\n"
"\n"
"The duty officer's console of a provincial operations centre. URL is the\n"
"backend, ws://HOST:PORT or wss://HOST:PORT.\n"
"\n"
"  --demo           start trucban-backend on a free loopback port and\n"
"                   connect to it; it ends with the console\n"
"  --data DIR       the demo backend's dataset (default: $TRUCBAN_DATA)\n"
"  --lang vi|en     language of the screen (default: from the locale)\n"
"  --ascii          ASCII only (automatic without a UTF-8 locale)\n"
"  --theme NAME     colours from themes/NAME.theme (default, light,\n"
"                   high-contrast, mono); NO_COLOR turns colour off\n"
"  --config FILE    read FILE, not $XDG_CONFIG_HOME/trucban/config\n"
"  --keys           print the key bindings and exit\n"
"  --log FILE       log here (default: $XDG_STATE_HOME/trucban/trucban.log)\n"
"  --script FILE    run the commands in FILE (\"-\": stdin) without a\n"
"                   screen, one result line each; exit 1 when one fails,\n"
"                   2 without a link\n"
"  -c 'CMD; CMD'    the same for commands given here\n"
"  --timeout S      seconds for the link and for each line (default 10)\n"
"  --token-file F   send the access token in F (its first line) to the\n"
"                   backend; F must not be readable by others\n"
"  --allow-plain-token\n"
"                   send the token over plain ws:// to another machine\n"
"                   (only on a network you trust)\n"
"  --ca FILE        trust this CA certificate (PEM) for wss://\n"
"  --gauge-ms MS    ask the backend for hospital and school readings at\n"
"                   most every MS ms (slow links)\n"
"  --help           show this help\n"
"  --version        show the version\n"
"\n"
"In the console: ':' opens the command line, '?' lists the keys,\n"
"':help' the commands, 'q' quits. See trucban(1).\n");
	exit(status);
}

/* ==== Hooks for the commands and the connection ==== */

static void
main_confirm(void *arg, const char *question, const char *line)
{
	(void)arg;
	prompt_ask(question, line);
}

static void
main_result(void *arg, const struct sync_result *r)
{
	cmd_result(arg, r->summary, r->sent, r->ok, r->code, r->message);
}

static int
main_online(void *arg)
{
	(void)arg;
	return (main_sync != NULL && sync_online(main_sync));
}

static int
main_send(void *arg, const char *cmd, json_t *args, const char *summary,
    char **cause)
{
	(void)arg;
	return (sync_send_cmd(main_sync, cmd, args, summary, cause));
}

static int
main_digest(void *arg, char **cause)
{
	(void)arg;
	return (sync_send_digest(main_sync, cause));
}

static void
main_message(void *arg, int error, const char *text)
{
	(void)arg;
	layout_message(main_layout, error, "%s", text);
	main_layout->dirty_chrome = 1;
	screen_request();
}

static void
main_pager(void *arg, const char *title, const char *text)
{
	(void)arg;
	prompt_pager(title, text);
}

static void
main_prompt(void *arg, const char *text)
{
	(void)arg;
	prompt_open(text);
}

static void
main_redraw(void *arg)
{
	(void)arg;
	screen_redraw();
}

static void
main_quit(void *arg)
{
	(void)arg;
	log_info("quit");
	main_exiting = 1;
}

/* The sync's plain status, as the screen's header shows it. */
static void
main_copy_status(const struct sync_status *ss, struct layout_status *ls)
{
	switch (ss->link) {
	case SYNC_LINK_CONNECTED:
		ls->link = LAYOUT_LINK_CONNECTED;
		break;
	case SYNC_LINK_RECONNECTING:
		ls->link = LAYOUT_LINK_RECONNECTING;
		break;
	case SYNC_LINK_OFFLINE:
		ls->link = LAYOUT_LINK_OFFLINE;
		break;
	case SYNC_LINK_REFUSED:
		ls->link = LAYOUT_LINK_REFUSED;
		break;
	default:
		ls->link = LAYOUT_LINK_CONNECTING;
		break;
	}
	ls->stale_since = ss->stale_since;
	snprintf(ls->operator, sizeof ls->operator, "%s", ss->operator);
	snprintf(ls->role, sizeof ls->role, "%s", ss->role);
	snprintf(ls->presence, sizeof ls->presence, "%s", ss->presence);
	ls->npresence = ss->npresence;
	ls->exercise = ss->exercise;
	ls->skipped = ss->skipped + (size_t)ss->bad;
}

static void
main_status(void *arg)
{
	(void)arg;
	main_copy_status(&main_sync->st, &main_layout->st);
	main_layout->dirty_chrome = 1;
	prompt_changed();
	screen_request();
}

static void
main_changed(void *arg)
{
	(void)arg;
	screen_request();
}

/*
 * Start or stop recording the session, or say whether it is on.
 */
static int
main_record(void *arg, const char *what, char **msg)
{
	struct recorder	*r;

	(void)arg;
	if (what == NULL) {
		if (main_rec == NULL)
			*msg = xstrdup(_("not recording"));
		else
			xasprintf(msg, _("recording to %s (%lu messages)"),
			    record_path(main_rec), record_count(main_rec));
		return (0);
	}
	if (strcmp(what, "stop") == 0) {
		if (main_rec == NULL) {
			*msg = xstrdup(_("not recording"));
			return (-1);
		}
		xasprintf(msg, _("recording stopped: %s (%lu messages)"),
		    record_path(main_rec), record_count(main_rec));
		sync_set_recorder(main_sync, NULL);
		record_close(main_rec);
		main_rec = NULL;
		return (0);
	}
	if (main_rec != NULL) {
		xasprintf(msg, _("already recording to %s"),
		    record_path(main_rec));
		return (-1);
	}
	if ((r = record_open(what, main_conn->url, msg)) == NULL)
		return (-1);
	main_rec = r;
	sync_set_recorder(main_sync, r);
	xasprintf(msg, _("recording to %s"), what);
	return (0);
}

static const struct cmd_ops main_cmd_ops = {
	.record = main_record,
	.online = main_online,
	.send = main_send,
	.digest = main_digest,
	.message = main_message,
	.pager = main_pager,
	.prompt = main_prompt,
	.confirm = main_confirm,
	.redraw = main_redraw,
	.quit = main_quit
};

static void
main_fatal_hook(void)
{
	screen_stop();
	demo_stop();
}

/* ==== The loop's raw files ==== */

static void
main_demo_gone(void)
{
	char	*why;

	if ((why = demo_reap()) == NULL)
		return;		/* Still running; SIGCHLD comes later. */
	if (main_conn != NULL)
		conn_lost(main_conn, why);
	free(why);
}

static void
main_signals(void)
{
	struct signalfd_siginfo	si;

	while (read(main_sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGWINCH)
			screen_resize();
		else if (si.ssi_signo == SIGCHLD)
			main_demo_gone();
		else {
			log_info("signal %u: exiting", si.ssi_signo);
			main_exiting = 1;
		}
	}
}

static int
main_raw_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	int	fd;

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		fd = lws_get_socket_fd(wsi);
		if (fd == main_sfd_lws)
			main_signals();
		else if (fd == main_tty) {
			if (input_read() == -1) {
				main_exiting = 1;
				main_tty = -1;
				return (-1);
			}
		} else if (fd == main_demofd) {
			if (demo_read() == -1) {
				main_demofd = -1;
				main_demo_gone();
				return (-1);
			}
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		/* Also on hangup, which lws handles without RX. */
		fd = lws_get_socket_fd(wsi);
		log_debug("raw file %d closed", fd);
		if (main_exiting)
			break;
		if (fd == main_demofd) {
			main_demofd = -1;
			main_demo_gone();
		} else if (fd == main_tty) {
			log_warn("the terminal went away");
			main_tty = -1;
			main_exiting = 1;
		}
		break;
	default:
		break;
	}
	return (0);
}

static void
main_adopt(struct lws_vhost *vh, int fd, const char *what)
{
	lws_sock_file_fd_type	u;

	u.filefd = (lws_filefd_type)(intptr_t)fd;
	if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u,
	    MAIN_RAW_PROTOCOL, NULL) == NULL)
		fatalx("cannot adopt %s", what);
}

/* ==== Start-up ==== */

/*
 * The access token: the first line of path, without blanks around it. A
 * file that anybody but its owner may read or write is refused, as ssh
 * refuses such a key: the token is the officer's identity. Returns it
 * (caller frees), or NULL with *cause set (caller frees).
 */
static char *
main_read_token(const char *path, char **cause)
{
	struct stat	 sb;
	FILE		*f;
	char		*line = NULL, *t, *e;
	size_t		 cap = 0;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "--token-file %s: %s", path,
		    strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		xasprintf(cause, "--token-file %s: not a regular file", path);
		fclose(f);
		return (NULL);
	}
	if ((sb.st_mode & 077) != 0) {
		xasprintf(cause, "--token-file %s: others may read or change "
		    "it (mode %04o); refusing it: chmod 600 %s", path,
		    (unsigned int)(sb.st_mode & 07777), path);
		fclose(f);
		return (NULL);
	}
	if (getline(&line, &cap, f) == -1)
		line = xstrdup("");
	fclose(f);
	for (t = line; *t == ' ' || *t == '\t'; t++)
		/* nothing */;
	e = t + strlen(t);
	while (e > t && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
	    e[-1] == '\t'))
		*--e = '\0';
	if (*t == '\0') {
		xasprintf(cause, "--token-file %s: no token in its first "
		    "line", path);
		free(line);
		return (NULL);
	}
	t = xstrdup(t);
	explicit_bzero(line, cap);
	free(line);
	return (t);
}

static void
main_script_print(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

/*
 * The locale asked for is not installed (vi_VN.UTF-8 often is not; only
 * C.UTF-8 comes with glibc): rather than fall back to ASCII, keep UTF-8
 * for characters when the name says UTF-8. The language is still taken
 * from the name (console/i18n.c).
 */
static void
main_locale_fallback(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char		*v;
	size_t			 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if ((v = getenv(vars[i])) == NULL || *v == '\0')
			continue;
		if (strcasestr(v, "utf-8") != NULL ||
		    strcasestr(v, "utf8") != NULL) {
			if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
				setlocale(LC_CTYPE, "C.utf8");
		}
		return;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "demo", no_argument, NULL, 'D' },
		{ "data", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'L' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "log", required_argument, NULL, 'l' },
		{ "script", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "token-file", required_argument, NULL, 'k' },
		{ "allow-plain-token", no_argument, NULL, 'P' },
		{ "ca", required_argument, NULL, 'C' },
		{ "gauge-ms", required_argument, NULL, 'g' },
		{ "theme", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'F' },
		{ "keys", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct lws_context_creation_info	 info;
	struct lws_context			*ctx = NULL;
	struct lws_vhost			*vh;
	struct store				*store;
	struct cmd_ctx				 cctx;
	struct sync_hooks			 hooks;
	sigset_t				 ss;
	const char				*lang = NULL, *data = NULL;
	const char				*nocolour;
	const char				*script = NULL;
	const char				*commands = NULL;
	struct script_opts			 sopts;
	char					*logpath = NULL, *url = NULL;
	char					*obpath;
	char					*cause = NULL;
	int					 ch, demo = 0, ascii = 0;
	int					 status = 0, utf8, fd;
	int					 timeout = SCRIPT_TIMEOUT;
	const char				*token_file = NULL, *ca = NULL;
	char					*token = NULL;
	int					 gauge_ms = 0;
	int					 allow_plain = 0;
	struct config				 cf;
	const char				*theme = NULL, *cfpath = NULL;
	char					*cfwarn = NULL;
	int					 keys = 0;

	if (setlocale(LC_ALL, "") == NULL)
		main_locale_fallback();
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			demo = 1;
			break;
		case 'd':
			data = optarg;
			break;
		case 'L':
			if (strcmp(optarg, "vi") != 0 &&
			    strcmp(optarg, "en") != 0) {
				fprintf(stderr, "trucban: --lang must be vi "
				    "or en\n");
				usage(2);
			}
			lang = optarg;
			break;
		case 'a':
			ascii = 1;
			break;
		case 'l':
			free(logpath);
			logpath = xstrdup(optarg);
			break;
		case 'S':
			script = optarg;
			break;
		case 'c':
			commands = optarg;
			break;
		case 'T':
			timeout = atoi(optarg);
			if (timeout < 1 || timeout > 3600) {
				fprintf(stderr, "trucban: --timeout is 1 to "
				    "3600 seconds\n");
				usage(2);
			}
			break;
		case 'k':
			token_file = optarg;
			break;
		case 'P':
			allow_plain = 1;
			break;
		case 'C':
			ca = optarg;
			break;
		case 't':
			theme = optarg;
			break;
		case 'F':
			cfpath = optarg;
			break;
		case 'K':
			keys = 1;
			break;
		case 'g':
			gauge_ms = atoi(optarg);
			if (gauge_ms < 0 || gauge_ms > 60000) {
				fprintf(stderr, "trucban: --gauge-ms is 0 to "
				    "60000\n");
				usage(2);
			}
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("trucban %s (protocol %d)\n", TRUCBAN_VERSION,
			    PROTO_VERSION);
			return (0);
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;

	/* The configuration file; the flags given win over it. */
	config_init(&cf);
	if (config_load(&cf, cfpath, &cause) < 0) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		return (2);
	}
	if (!demo && argc == 0 && cf.url != NULL && !keys) {
		argv = &cf.url;
		argc = 1;
	}
	if (token_file == NULL && cf.token_file != NULL) {
		cfwarn = config_expand(cf.token_file);
		free(cf.token_file);
		cf.token_file = cfwarn;
		cfwarn = NULL;
		token_file = cf.token_file;
	}
	if (theme == NULL)
		theme = cf.theme;
	if (lang == NULL)
		lang = cf.lang;
	if (cf.ascii == 1)
		ascii = 1;
	if (keys) {
		log_open("/dev/null", "trucban");
		i18n_init(lang);
		config_apply_keys(&cf);
		cause = key_list_text();
		printf("%s", cause);
		free(cause);
		key_free();
		config_free(&cf);
		log_close();
		return (0);
	}
	if ((demo && argc != 0) || (!demo && argc != 1)) {
		fprintf(stderr, "trucban: give a backend URL or --demo\n");
		usage(2);
	}
	if (data == NULL)
		data = getenv("TRUCBAN_DATA");
	if (!utf8)
		ascii = 1;
	if (token_file != NULL &&
	    (token = main_read_token(token_file, &cause)) == NULL) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		free(logpath);
		config_free(&cf);
		return (2);
	}
	/* Before any screen, so the officer reads it. */
	if (token != NULL && !demo &&
	    conn_check_token(argv[0], allow_plain, &cause) != 0) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		explicit_bzero(token, strlen(token));
		free(token);
		free(logpath);
		config_free(&cf);
		return (2);
	}

	if (logpath == NULL)
		logpath = outbox_state_path("trucban.log");
	if (logpath == NULL || log_open(logpath, "trucban") != 0) {
		if (logpath != NULL)
			fprintf(stderr, "trucban: cannot open the log %s: "
			    "%s; not logging\n", logpath, strerror(errno));
		free(logpath);
		logpath = NULL;
		log_open("/dev/null", "trucban");
	}
	log_set_fatal_hook(main_fatal_hook);
	lws_set_log_level(LLL_ERR | LLL_WARN, log_lws_emit);
	log_info("trucban %s starting", TRUCBAN_VERSION);
	if (cf.path != NULL)
		log_info("configuration %s: %d warning%s%s%s", cf.path,
		    cf.warnings, cf.warnings == 1 ? "" : "s",
		    cf.warnings > 0 ? "; the first: " : "", cf.warning);
	i18n_init(lang);

	if (script != NULL || commands != NULL) {
		if (demo) {
			fprintf(stderr, "trucban: --script and -c need a URL, "
			    "not --demo\n");
			usage(2);
		}
		signal(SIGPIPE, SIG_IGN);
		memset(&sopts, 0, sizeof sopts);
		sopts.url = argv[0];
		sopts.file = script;
		sopts.commands = commands;
		sopts.timeout = timeout;
		sopts.token = token;
		sopts.ca = ca;
		sopts.print = main_script_print;
		status = script_run(&sopts, &cause);
		if (cause != NULL) {
			fprintf(stderr, "trucban: %s\n", cause);
			free(cause);
		}
		free(token);
		free(logpath);
		config_free(&cf);
		log_close();
		return (status);
	}

	/* Before any child, thread or curses: these come by signalfd. */
	sigemptyset(&ss);
	sigaddset(&ss, SIGWINCH);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGHUP);
	sigaddset(&ss, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((main_sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");

	if (demo) {
		if (demo_start(data, logpath, &url, &cause) != 0) {
			fprintf(stderr, "trucban: --demo: %s\n", cause);
			free(cause);
			status = 1;
			goto out_early;
		}
	} else
		url = xstrdup(argv[0]);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = main_protocols;
	info.extensions = conn_extensions;
	info.fd_limit_per_thread = 16;
	info.gid = -1;
	info.uid = -1;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = ca;
	if ((ctx = lws_create_context(&info)) == NULL) {
		fprintf(stderr, "trucban: cannot create the lws context\n");
		status = 1;
		goto out_early;
	}
	vh = lws_get_vhost_by_name(ctx, "default");

	store = store_new();
	cmd_ctx_init(&cctx, store, &main_cmd_ops, NULL);
	main_layout = layout_create(store);
	if (cf.gauge_ms >= 0)
		main_layout->gauge_ms = cf.gauge_ms;
	cctx.layout = main_layout;
	layout_set_view(main_layout, ascii, i18n_is_en());

	memset(&hooks, 0, sizeof hooks);
	hooks.arg = &cctx;
	hooks.message = main_message;
	hooks.status = main_status;
	hooks.changed = main_changed;
	hooks.result = main_result;
	main_sync = sync_create(store, &hooks);
	main_sync->ascii = ascii;
	main_sync->gauge_ms = gauge_ms;
	if ((main_conn = conn_create(ctx, url, main_sync, &cause)) == NULL) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		status = 2;
		goto out;
	}
	conn_set_token(main_conn, token);
	cctx.ascii = ascii;

	/* Commands wait in the outbox on disk until their result comes. */
	obpath = outbox_state_path("outbox");
	if (obpath == NULL || (main_outbox = outbox_open(obpath,
	    &cause)) == NULL) {
		if (obpath == NULL)
			cause = xstrdup("no state directory");
		fprintf(stderr, "trucban: %s: commands typed offline will "
		    "not survive a restart\n", cause);
		log_warn("outbox: %s; keeping it in memory", cause);
		layout_message(main_layout, 1, "%s: %s", cause,
		    _("commands typed offline will not survive a restart"));
		free(cause);
		cause = NULL;
		main_outbox = outbox_open(NULL, NULL);
	}
	free(obpath);
	sync_set_outbox(main_sync, main_outbox);
	cctx.outbox = main_outbox;
	if (config_apply_keys(&cf) > 0 || cf.warnings > 0)
		layout_message(main_layout, 1, "%s", cf.warning);
	input_init(main_layout, &cctx);
	prompt_init(main_layout, &cctx, store);
	prompt_set_outbox(main_outbox);
	if (main_outbox->n > 0)
		layout_message(main_layout, 0, _("Commands from before, sent "
		    "when the link is ready: %zu"), main_outbox->n);

	nocolour = getenv("NO_COLOR");
	if (screen_start(ctx, main_layout, nocolour == NULL ||
	    *nocolour == '\0', &cause) != 0) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		status = 1;
		goto out;
	}
	if (theme != NULL) {
		if (screen_theme(theme, &cause) != 0)
			layout_message(main_layout, 1, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if ((main_tty = dup(STDIN_FILENO)) == -1)
		fatal("dup");
	main_adopt(vh, main_tty, "the terminal");
	if ((fd = dup(main_sfd)) == -1)
		fatal("dup");
	main_sfd_lws = fd;
	main_adopt(vh, fd, "the signalfd");
	if (demo_fd() != -1) {
		if ((main_demofd = dup(demo_fd())) == -1)
			fatal("dup");
		main_adopt(vh, main_demofd, "the backend's output");
	}
	conn_start(main_conn);

	while (!main_exiting) {
		if (lws_service(ctx, 0) < 0)
			break;
	}
	log_info("exiting");

out:
	conn_stop(main_conn);
	lws_context_destroy(ctx);	/* Closes the link and adopted fds. */
	ctx = NULL;
	prompt_free();
	input_free();
	layout_free(main_layout);
	screen_stop();
	demo_stop();
	conn_free(main_conn);
	sync_free(main_sync);
	main_sync = NULL;
	record_close(main_rec);
	main_rec = NULL;
	outbox_free(main_outbox);
	main_outbox = NULL;
	cmd_ctx_clear(&cctx);
	store_free(store);
out_early:
	if (main_sfd != -1)
		close(main_sfd);
	demo_stop();
	free(url);
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(token);
	free(logpath);
	config_free(&cf);
	log_info("done");
	log_close();
	return (status);
}
