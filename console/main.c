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

#include "cast.h"
#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "conn.h"
#include "demo.h"
#include "drill.h"
#include "finished.h"
#include "i18n.h"
#include "input.h"
#include "jarena.h"
#include "key.h"
#include "layout.h"
#include "log.h"
#include "outbox.h"
#include "panel.h"
#include "prompt.h"
#include "proto.h"
#include "record.h"
#include "replay.h"
#include "report.h"
#include "screen.h"
#include "script.h"
#include "store.h"
#include "sync.h"
#include "theme.h"
#include "workcal.h"
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
#define MAIN_MAX_URLS		16	/* Gateways in the configuration. */

static volatile int	 main_exiting;
static int		 main_sfd = -1;		/* signalfd. */
static int		 main_sfd_lws = -1;	/* Its dup, adopted. */
static int		 main_tty = -1;		/* dup(0), adopted. */
static int		 main_demofd = -1;	/* dup of the demo pipe. */
static struct layout	*main_layout;
static struct conn	*main_conn;
static struct sync	*main_sync;
static const char	*main_data;	/* --data or $TRUCBAN_DATA. */
static struct workcal	*main_workcal;	/* Or NULL. */
static struct recorder	*main_rec;	/* While recording. */
static struct outbox	*main_outbox;
static struct replay	*main_replay;	/* Replaying, not live. */
static struct cast	*main_cast;	/* --asciicast. */
/* The finished view's archive pages, and the shift's start: when the
 * console started, on the backend's clock once its welcome said it. */
static struct finished	 main_finished;
static int		 main_shift_known;
static int		 main_ascii;

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
"usage: trucban [options] URL [URL...]\n"
"       trucban [options] --demo [-- BACKEND_ARGS]\n"
"       trucban [--timeout S] --script FILE | -c 'CMD; CMD' URL\n"
"       trucban [options] --replay FILE [--watch] [--score-json FILE]\n"
"                        [--drill FILE]\n"
"       trucban --replay FILE --headless [--script FILE | -c 'CMD; CMD']\n"
"       trucban --report FILE [--csv]\n"
"\n"
"The duty officer's console of a provincial operations centre. URL is the\n"
"backend, ws://HOST:PORT or wss://HOST:PORT; several URLs are gateways of\n"
"one province (docs/ha.md): a lost link goes on at the next.\n"
"\n"
"  --demo           start trucban-backend on a free loopback port and\n"
"                   connect to it; it ends with the console; its\n"
"                   colleagues are slow; arguments after \"--\" are\n"
"                   its own (--demo -- --drill FILE)\n"
"  --data DIR       the demo backend's dataset (default: $TRUCBAN_DATA)\n"
"  --drill FILE     with --replay: score the trainee on the drill the\n"
"                   recording is of, too (in --score-json and :score)\n"
"  --follow NAME    (trainer) follow the trainee NAME: their commands,\n"
"                   results and the drill's expectations, live, in the\n"
"                   Schools tile\n"
"  --lang vi|en     language of the screen (default: from the locale)\n"
"  --ascii          ASCII only (automatic without a UTF-8 locale)\n"
"  --theme NAME     colours from the theme NAME (default, light,\n"
"                   high-contrast, mono, colourblind; see --list-themes);\n"
"                   NO_COLOR turns colour off\n"
"  --list-themes    print the themes found, and where, and exit\n"
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
"  --record FILE    record the session from its start into a new FILE\n"
"  --replay FILE    replay a recording, you in the officer's place:\n"
"                   your commands go to a local sandbox; no network\n"
"  --watch          with --replay: show the officer's actions instead\n"
"  --headless       with --replay: no screen, as fast as possible; print\n"
"                   the events, events per second and the final digest\n"
"                   (--script or -c: a scripted trainee)\n"
"  --score-json F   with --replay: write the score against the officer\n"
"                   to F at the end\n"
"  --asciicast FILE write the screen as an asciicast v2 (asciinema)\n"
"  --report FILE    print the shift report of a recording and exit\n"
"  --csv            with --report: as CSV\n"
"  --help           show this help\n"
"  --version        show the version\n"
"\n"
"In the console: ':' opens the command line, '?' lists the keys,\n"
"':help' the commands, 'q' quits. See trucban(1).\n");
	exit(status);
}

/*
 * --list-themes: every theme found, one a line, its name, a tab, and the
 * file it comes from ("built-in" for the default without a file), so a
 * shell can complete --theme from the first column.
 */
static int
main_list_themes(void)
{
	char	**names, *path;
	size_t	  i;

	log_open("/dev/null", "trucban");
	names = theme_list();
	for (i = 0; names[i] != NULL; i++) {
		path = theme_path(names[i]);
		printf("%s\t%s\n", names[i], path != NULL ? path : "built-in");
		free(path);
	}
	theme_list_free(names);
	log_close();
	return (0);
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
	if (r->page != NULL)
		prompt_pager(_("Archive"), r->page);
}

/*
 * The backend's clock, from its welcome. Ages and deadlines count on the
 * province's clock, which a training backend may run from another day
 * (--start): the console runs its own at the same offset. A difference
 * under MAIN_CLOCK_SLACK_MS is the link's delay or the machines' drift
 * and changes nothing; a clock something else drives stays as it is.
 */
#define MAIN_CLOCK_SLACK_MS	5000

static void	main_clock_follow(int64_t);

static void
main_clock(void *arg, int64_t now)
{
	(void)arg;
	main_clock_follow(now);
	if (!main_shift_known) {
		main_finished.shift_start = clock_now();
		main_shift_known = 1;
	}
}

static void
main_clock_follow(int64_t now)
{
	static int64_t	offset;
	int64_t		real, diff;

	if (clock_is_driven() && offset == 0)
		return;
	real = clock_now() - offset;
	diff = now - real;
	if (diff > -MAIN_CLOCK_SLACK_MS && diff < MAIN_CLOCK_SLACK_MS) {
		if (offset != 0)
			clock_set_real();
		offset = 0;
		return;
	}
	if (offset == 0 || llabs((long long)(diff - offset)) >=
	    MAIN_CLOCK_SLACK_MS) {
		clock_set_offset(diff);
		offset = diff;
		log_info("clock: the backend's is %+lld s from ours; "
		    "following it", (long long)(diff / 1000));
	}
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

static int
main_archive(void *arg, const char *kind, int64_t from, int next,
    char **cause)
{
	(void)arg;
	return (sync_send_archive(main_sync, kind, from, next, cause));
}

/*
 * A message ends, when cut, with the key that opens the log (as bound
 * now: a binding may have moved it), or with the command.
 */
static void
main_message_more(void)
{
	char	key[16], more[32];

	if (key_for_command("root", "messages", key, sizeof key) != NULL)
		snprintf(more, sizeof more, "%s%s", main_ascii ? ">" : "…",
		    key);
	else
		snprintf(more, sizeof more, "%s:messages", main_ascii ? ">" :
		    "…");
	layout_message_more(main_layout, more);
}

static void
main_message(void *arg, int error, const char *text)
{
	(void)arg;
	main_message_more();
	layout_message(main_layout, error, "%s", text);
	main_layout->dirty_chrome = 1;
	screen_request();
}

/*
 * The sync's messages: a fault it reports while the link is down ("link
 * lost: reconnecting") is about the link, and goes from the status line
 * when the link is back (main_status()); the log keeps it.
 */
static void
main_sync_message(void *arg, int error, const char *text)
{
	(void)arg;
	main_message_more();
	layout_message_flags(main_layout, error && !sync_online(main_sync) ?
	    LAYOUT_MSG_LINK : 0, error, "%s", text);
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
	ls->upstream_down = ss->upstream_down;
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
	if (main_layout->st.link == LAYOUT_LINK_CONNECTED)
		layout_message_expire(main_layout, LAYOUT_MSG_LINK);
	main_layout->follow = &main_sync->follow;
	main_layout->dirty_chrome = 1;
	prompt_changed();
	screen_request();
}

/*
 * The working calendar, to count the time left to a case's deadline in
 * working hours as the backend counts it (core/workcal.c): the dataset's
 * worktime.json and the calendar it names, from --data or $TRUCBAN_DATA,
 * else where the backend looks by default (./data/quangninh, the tree
 * the binary was built in, the installed data). Loaded once, when the
 * province (its UTC offset) is known; without it a case shows the date
 * of its deadline and the time left on the clock.
 */
static void
main_workcal_load(struct store *s)
{
	static int	 tried;
	const char	*dirs[4];
	char		 exe[4096], built[4096 + 32], *slash, *cause = NULL;
	ssize_t		 n;
	size_t		 i, ndirs = 0;

	if (tried || s->nareas == 0)
		return;
	tried = 1;
	if (main_data != NULL)
		dirs[ndirs++] = main_data;
	dirs[ndirs++] = "data/quangninh";
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(built, sizeof built, "%s/../data/quangninh", exe);
		dirs[ndirs++] = built;
	}
	dirs[ndirs++] = TRUCBAN_DATADIR "/data/quangninh";
	for (i = 0; i < ndirs && main_workcal == NULL; i++) {
		if (workcal_load(dirs[i], s->utc_offset_min, &main_workcal,
		    &cause) == 0)
			log_info("working calendar from %s", dirs[i]);
		else {
			log_debug("no working calendar in %s: %s", dirs[i],
			    cause);
			free(cause);
			cause = NULL;
		}
	}
	if (main_workcal == NULL)
		log_info("no working calendar: deadlines without working "
		    "hours");
	main_layout->view.workcal = main_workcal;
	layout_dirty_all(main_layout);
}

static void
main_changed(void *arg)
{
	(void)arg;
	if (main_layout != NULL)
		main_workcal_load(main_layout->store);
	screen_request();
}

/* A recording stopped by itself (disk full, the size cap). */
static void
main_record_stopped(void *arg, const char *path, const char *why)
{
	(void)arg;
	layout_message(main_layout, 1, _("recording %s stopped: %s"), path,
	    why);
	main_layout->dirty_chrome = 1;
	screen_request();
}

/*
 * Record into path from now on (url names the backend), with the hook
 * that says when it stops by itself. Returns the recorder, or NULL with
 * *cause set (allocated; caller frees).
 */
static struct recorder *
main_record_open(const char *path, const char *url, char **cause)
{
	struct recorder	*r;

	if ((r = record_open(path, url, cause)) == NULL)
		return (NULL);
	record_set_hook(r, main_record_stopped, NULL);
	main_rec = r;
	sync_set_recorder(main_sync, r);
	return (r);
}

/*
 * Record every session into the sessions folder of the state directory
 * (the configuration's "sessions = yes"), keeping the folder under its
 * cap: the oldest recordings go first.
 */
static void
main_record_session(const struct config *cf, const char *url)
{
	uint64_t	 cap;
	char		*dir, *path, *cause = NULL;

	cap = (uint64_t)(cf->sessions_max_mb > 0 ? cf->sessions_max_mb :
	    RECORD_SESSIONS_MB) * 1024 * 1024;
	if ((dir = outbox_state_path("sessions")) == NULL ||
	    (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
		log_warn("sessions: no folder for them; not recording");
		free(dir);
		return;
	}
	if (record_rotate(dir, cap, NULL, &cause) < 0) {
		log_warn("%s", cause);
		free(cause);
		cause = NULL;
	}
	path = record_session_path(dir, clock_now());
	if (main_record_open(path, url, &cause) == NULL) {
		log_warn("sessions: %s", cause);
		layout_message(main_layout, 1, _("this session is not "
		    "recorded: %s"), cause);
		free(cause);
	} else {
		record_set_cap(main_rec, dir, cap);
		log_info("sessions: recording to %s", path);
	}
	free(path);
	free(dir);
}

/*
 * Start or stop recording the session, or say whether it is on.
 */
static int
main_record(void *arg, const char *what, char **msg)
{
	(void)arg;
	if (main_replay != NULL) {
		*msg = xstrdup(_("not while replaying a recording"));
		return (-1);
	}
	if (what == NULL) {
		if (main_rec == NULL)
			*msg = xstrdup(_("not recording"));
		else if (!record_writing(main_rec))
			xasprintf(msg, _("the recording to %s stopped (%lu "
			    "messages)"), record_path(main_rec),
			    record_count(main_rec));
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
	if (main_record_open(what, main_conn->url, msg) == NULL)
		return (-1);
	if (record_started(main_rec))
		xasprintf(msg, _("recording to %s"), what);
	else
		xasprintf(msg, _("recording to %s from the backend's state"),
		    what);
	return (0);
}

/*
 * The replay's controls and the score; a mark, in the replay or in the
 * recording being made.
 */
static int
main_train(void *arg, const char *verb, const char *value, char **msg)
{
	(void)arg;
	if (main_replay != NULL)
		return (replay_command(main_replay, verb, value, msg));
	if (strcmp(verb, "mark") == 0) {
		if (main_rec == NULL || !record_writing(main_rec)) {
			*msg = xstrdup(_("mark: not recording (:record "
			    "FILE)"));
			return (-1);
		}
		record_mark(main_rec, value);
		*msg = xstrdup(_("a mark in the recording"));
		return (0);
	}
	xasprintf(msg, _("%s: not replaying a recording (trucban --replay "
	    "FILE)"), strcmp(verb, "score") == 0 ? "score" : "replay");
	return (-1);
}

/* Where the replay is, for the header. */
static void
main_replay_progress(void *arg)
{
	struct replay_status	 rs;
	struct layout_status	*ls = &main_layout->st;
	int			 a = main_ascii;

	(void)arg;
	replay_get_status(main_replay, &rs);
	ls->replay = 1;
	ls->replay_permille = rs.permille;
	if (rs.ended)
		snprintf(ls->replay_state, sizeof ls->replay_state, "%s",
		    a ? "[]" : "■");
	else if (rs.seeking)
		snprintf(ls->replay_state, sizeof ls->replay_state, "%s",
		    a ? ">>" : "»");
	else if (!rs.playing)
		snprintf(ls->replay_state, sizeof ls->replay_state, "%s",
		    a ? "||" : "‖");
	else if (rs.speed == 0)
		snprintf(ls->replay_state, sizeof ls->replay_state, "%s max",
		    a ? ">" : "▶");
	else
		snprintf(ls->replay_state, sizeof ls->replay_state, "%s %g%s",
		    a ? ">" : "▶", rs.speed, a ? "x" : "×");
	main_layout->dirty_chrome = 1;
	screen_request();
}

/*
 * The finished view asks the archive's pages itself, a frame after the
 * officer opened it or scrolled to its last row (widget-finished.c): the
 * first page when none was asked, the next when there is one. One page
 * at a time: while one is on its way, the state is "loading".
 */
static void
main_finished_page(void)
{
	struct panel	*p = main_layout != NULL ?
			    layout_focused(main_layout) : NULL;
	char		*cause = NULL;
	int		 next;

	if (p == NULL || p->cls != &widget_finished_class ||
	    main_sync == NULL || !sync_online(main_sync))
		return;
	if (main_finished.state == FINISHED_NONE)
		next = 0;
	else if (main_finished.state == FINISHED_MORE &&
	    (p->flags & PANEL_DETAIL) == 0 && p->sel + 1 >= p->nrows)
		next = 1;
	else
		return;
	if (sync_send_finished(main_sync, next, &cause) != 0) {
		log_debug("finished: %s", cause);
		free(cause);
	}
}

static void
main_frame(void *arg)
{
	(void)arg;
	if (main_cast != NULL)
		cast_frame(main_cast);
	main_finished_page();
}

static const struct cmd_ops main_cmd_ops = {
	.record = main_record,
	.train = main_train,
	.online = main_online,
	.send = main_send,
	.digest = main_digest,
	.archive = main_archive,
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
		{ "list-themes", no_argument, NULL, 'E' },
		{ "record", required_argument, NULL, 'r' },
		{ "replay", required_argument, NULL, 'p' },
		{ "watch", no_argument, NULL, 'w' },
		{ "headless", no_argument, NULL, 'H' },
		{ "score-json", required_argument, NULL, 'j' },
		{ "asciicast", required_argument, NULL, 'A' },
		{ "report", required_argument, NULL, 'R' },
		{ "csv", no_argument, NULL, 'v' },
		{ "follow", required_argument, NULL, 'f' },
		{ "drill", required_argument, NULL, 'X' },
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
	struct replay_hooks			 rhooks;
	struct replay_run_opts			 ropts;
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
	int					 dashdash, demo_nargs = 0;
	const char *const			*demo_args = NULL;
	int					 status = 0, utf8, fd;
	int					 timeout = SCRIPT_TIMEOUT;
	const char				*token_file = NULL, *ca = NULL;
	char					*cfurls[MAIN_MAX_URLS];
	char					*cfp, *cfu;
	char					*token = NULL;
	int					 gauge_ms = 0;
	int					 allow_plain = 0;
	struct config				 cf;
	const char				*theme = NULL, *cfpath = NULL;
	char					*cfwarn = NULL;
	int					 keys = 0, i;
	const char				*record = NULL;
	const char				*replay = NULL;
	const char				*score_json = NULL;
	const char				*asciicast = NULL;
	const char				*report = NULL;
	int					 watch = 0, headless = 0;
	int					 csv = 0;
	const char				*follow = NULL;
	const char				*drillfile = NULL;
	struct drill				*drill;

	/* Received messages' trees in a region: before any jansson value. */
	jarena_install();
	if (setlocale(LC_ALL, "") == NULL)
		main_locale_fallback();
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			demo = 1;
			break;
		case 'f':
			follow = optarg;
			break;
		case 'X':
			drillfile = optarg;
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
		case 'E':
			return (main_list_themes());
		case 'K':
			keys = 1;
			break;
		case 'r':
			record = optarg;
			break;
		case 'p':
			replay = optarg;
			break;
		case 'w':
			watch = 1;
			break;
		case 'H':
			headless = 1;
			break;
		case 'j':
			score_json = optarg;
			break;
		case 'A':
			asciicast = optarg;
			break;
		case 'R':
			report = optarg;
			break;
		case 'v':
			csv = 1;
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
	/* trucban --demo -- ARGS: ARGS are the demo backend's. */
	dashdash = optind > 0 && strcmp(argv[optind - 1], "--") == 0;
	argc -= optind;
	argv += optind;
	if (demo && dashdash) {
		demo_args = (const char *const *)argv;
		demo_nargs = argc;
		argc = 0;
	}

	/* The configuration file; the flags given win over it. */
	config_init(&cf);
	if (config_load(&cf, cfpath, &cause) < 0) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		return (2);
	}
	if (!demo && argc == 0 && cf.url != NULL && !keys &&
	    replay == NULL && report == NULL) {
		/* "url = ws://a:7681 ws://b:7681": gateways, in turn. */
		for (cfp = cf.url; argc < MAIN_MAX_URLS &&
		    (cfu = strsep(&cfp, " \t,")) != NULL;) {
			if (*cfu != '\0')
				cfurls[argc++] = cfu;
		}
		argv = cfurls;
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
	if (report != NULL) {
		log_open("/dev/null", "trucban");
		i18n_init(lang);
		status = report_write(report, csv ? REPORT_CSV : REPORT_TEXT,
		    main_script_print, &cause) == 0 ? 0 : 2;
		if (cause != NULL) {
			fprintf(stderr, "trucban: --report %s\n", cause);
			free(cause);
		}
		free(logpath);
		config_free(&cf);
		log_close();
		return (status);
	}
	if (csv) {
		fprintf(stderr, "trucban: --csv goes with --report\n");
		usage(2);
	}
	if (replay == NULL && (watch || headless || score_json != NULL ||
	    drillfile != NULL)) {
		fprintf(stderr, "trucban: --watch, --headless, --score-json and "
		    "--drill go with --replay\n");
		usage(2);
	}
	if (replay != NULL && (demo || argc != 0 || record != NULL)) {
		fprintf(stderr, "trucban: --replay plays a recording, without "
		    "a backend: no URL, --demo or --record\n");
		usage(2);
	}
	if (replay == NULL && ((demo && argc != 0) || (!demo && argc < 1))) {
		fprintf(stderr, "trucban: give a backend URL or --demo\n");
		usage(2);
	}
	if (replay != NULL && (headless || script != NULL ||
	    commands != NULL) && asciicast != NULL) {
		fprintf(stderr, "trucban: --asciicast needs a screen, not "
		    "--headless\n");
		usage(2);
	}
	if (data == NULL)
		data = getenv("TRUCBAN_DATA");
	main_data = data;
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
	for (i = 0; token != NULL && !demo && replay == NULL && i < argc &&
	    cause == NULL; i++)
		conn_check_token(argv[i], allow_plain, &cause);
	if (cause != NULL) {
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

	/* A replay without a screen: a scripted trainee, or the bench. */
	if (replay != NULL && (headless || script != NULL ||
	    commands != NULL)) {
		memset(&ropts, 0, sizeof ropts);
		ropts.path = replay;
		ropts.watch = watch;
		ropts.script = script;
		ropts.commands = commands;
		ropts.score_json = score_json;
		ropts.drill = drillfile;
		ropts.print = main_script_print;
		status = replay_run(&ropts, &cause);
		if (cause != NULL) {
			fprintf(stderr, "trucban: --replay %s\n", cause);
			free(cause);
		}
		free(token);
		free(logpath);
		config_free(&cf);
		log_close();
		return (status);
	}

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
		if (demo_start(data, logpath, demo_args, demo_nargs, &url,
		    &cause) != 0) {
			fprintf(stderr, "trucban: --demo: %s\n", cause);
			free(cause);
			status = 1;
			goto out_early;
		}
	} else if (replay == NULL)
		url = xstrdup(argv[0]);
	if (asciicast != NULL && (main_cast = cast_open(asciicast,
	    replay != NULL ? replay : url, &cause)) == NULL) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		status = 2;
		goto out_early;
	}

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
	hooks.message = main_sync_message;
	hooks.status = main_status;
	hooks.changed = main_changed;
	hooks.result = main_result;
	if (replay == NULL)
		hooks.clock = main_clock;
	main_sync = sync_create(store, &hooks);
	finished_init(&main_finished, clock_now());
	sync_set_finished(main_sync, &main_finished);
	widget_finished_set(&main_finished);
	main_sync->ascii = ascii;
	main_sync->gauge_ms = gauge_ms;
	if (follow != NULL && replay == NULL)
		sync_set_follow(main_sync, follow);
	main_ascii = ascii;
	cctx.ascii = ascii;
	if (replay != NULL) {
		/*
		 * A replay hosts the sync instead of a link: nothing leaves
		 * the machine. Its commands stay in memory, never in the
		 * outbox a live session sends from.
		 */
		memset(&rhooks, 0, sizeof rhooks);
		rhooks.arg = &cctx;
		rhooks.message = main_message;
		rhooks.progress = main_replay_progress;
		rhooks.show = main_pager;
		if ((main_replay = replay_open(replay, store, main_sync,
		    watch ? REPLAY_WATCH : REPLAY_TRAIN, &rhooks,
		    &cause)) == NULL) {
			fprintf(stderr, "trucban: --replay %s\n", cause);
			free(cause);
			status = 2;
			goto out;
		}
		replay_set_score_path(main_replay, score_json);
		if (drillfile != NULL) {
			if (drill_load(drillfile, &drill, &cause) != 0) {
				fprintf(stderr, "trucban: --drill %s\n", cause);
				free(cause);
				status = 2;
				goto out;
			}
			replay_set_drill(main_replay, drill);
		}
		main_outbox = outbox_open(NULL, NULL);
		input_set_table("replay");
		goto outbox_ready;
	}
	if ((main_conn = conn_create(ctx, url, main_sync, &cause)) == NULL) {
		fprintf(stderr, "trucban: %s\n", cause);
		free(cause);
		status = 2;
		goto out;
	}
	for (i = 1; !demo && i < argc; i++) {
		if (conn_add_url(main_conn, argv[i], &cause) != 0) {
			fprintf(stderr, "trucban: %s\n", cause);
			free(cause);
			status = 2;
			goto out;
		}
	}
	conn_set_token(main_conn, token);

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
	if (record != NULL) {
		if (main_record_open(record, url, &cause) == NULL) {
			fprintf(stderr, "trucban: --record %s\n", cause);
			free(cause);
			status = 2;
			goto out;
		}
	} else if (cf.sessions == 1)
		main_record_session(&cf, url);
outbox_ready:
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
	if (outbox_quarantined(main_outbox) > 0) {
		log_warn("outbox: %zu unreadable records kept in %s",
		    outbox_quarantined(main_outbox),
		    outbox_quarantine_path(main_outbox));
		layout_message(main_layout, 1, ngettext("%zu command could not "
		    "be read back: kept in %s, not sent", "%zu commands could "
		    "not be read back: kept in %s, not sent",
		    outbox_quarantined(main_outbox)),
		    outbox_quarantined(main_outbox),
		    outbox_quarantine_path(main_outbox));
	}
	if (main_replay != NULL && replay_start(main_replay,
	    REPLAY_CP_ITEMS) != 0) {
		fprintf(stderr, "trucban: --replay %s: %s\n", replay,
		    replay_damage(main_replay) != NULL ?
		    replay_damage(main_replay) : "no state to start from");
		status = 2;
		goto out;
	}

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
	screen_set_frame_hook(main_frame, NULL);
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
	if (main_replay != NULL) {
		replay_attach(main_replay, ctx);
		replay_command(main_replay, "play", NULL, &cause);
		free(cause);
		cause = NULL;
	} else
		conn_start(main_conn);

	while (!main_exiting) {
		if (lws_service(ctx, 0) < 0)
			break;
	}
	log_info("exiting");

out:
	if (main_replay != NULL && score_json != NULL &&
	    !replay_ended(main_replay) && !watch &&
	    replay_write_score(main_replay, score_json, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
		cause = NULL;
	}
	if (main_replay != NULL)
		replay_detach(main_replay);
	conn_stop(main_conn);
	lws_context_destroy(ctx);	/* Closes the link and adopted fds. */
	ctx = NULL;
	prompt_free();
	input_free();
	layout_free(main_layout);
	workcal_free(main_workcal);
	screen_stop();
	cast_close(main_cast);
	main_cast = NULL;
	demo_stop();
	conn_free(main_conn);
	replay_free(main_replay);
	main_replay = NULL;
	sync_free(main_sync);
	widget_finished_set(NULL);
	finished_clear(&main_finished);
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
