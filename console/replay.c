/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A replay: a recording played into the console's sync, with a sandbox. */

#include "replay.h"

#include <sys/queue.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "buf.h"
#include "clock.h"
#include "cmd.h"
#include "drill.h"
#include "i18n.h"
#include "kind.h"
#include "log.h"
#include "outbox.h"
#include "proto.h"
#include "record.h"
#include "sandbox.h"
#include "sanitize.h"
#include "score.h"
#include "script.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

/*
 * The stream. A replay applies, in order, the lines of the recording and
 * the trainee's own changes (inserts), each at its time: a line at its
 * "t" (never earlier than the line before: a clock that stepped back
 * does not reorder anything), an insert at the recording's time when the
 * trainee acted, after every line of that time or before. The state at a
 * time T is what the items up to T made, whichever way the replay got
 * there: by playing straight on, or by seeking.
 *
 * Seeking. Every so many items (REPLAY_CP_ITEMS at first, twice as many
 * each time REPLAY_CP_MAX checkpoints are kept, the oldest but the first
 * thinned out) the replay keeps a checkpoint: the store as a snapshot
 * message, the link's state, and its own (the items played, the trainee's
 * bookkeeping). Seeking back restores the last checkpoint at or before
 * the time through the sync (a snapshot, the link up or down as it was),
 * then plays on to the time; seeking forward plays on. So seeking back
 * costs one snapshot and at most one checkpoint's spacing of items.
 * Seeking back undoes the trainee's changes after the time: they are
 * forgotten, with the checkpoints that held them; the trainee's changes
 * before it are played again from the inserts, exactly as made.
 *
 * The link. The sync sees the session as it was: the link up at the
 * start when it was, and every "up" and "down" mark when it came. Its
 * hello and commands come to the replay (the transport's send), its
 * timers are never run (a recording has no deadline to miss), and when it
 * asks to drop the link (events missed), the recording shows the link
 * going down next, since a live sync asked the same at the same message;
 * a recording that does not is damaged there.
 *
 * Training (REPLAY_TRAIN). What the recorded officer did is held back:
 * an event whose "by" is the recording's operator is not applied; it
 * goes to the score as the officer's change, and the results of the
 * officer's commands are not applied either. What the console sends goes
 * to the sandbox, whose changes are applied as inserts and go to the
 * score as the trainee's. Events are given seqs of the replay's own, in
 * the order they are applied, so the sync's order holds with changes
 * left out and added.
 *
 * Conflicts are decided by one rule: an item is diverged once the
 * recording and the replay may differ on it, that is once the trainee
 * changed it, or a recorded change to it was not applied (held back or
 * dropped). A recorded change to a diverged item is dropped, and with it
 * the other changes of the same command (the events in a row with the
 * same "by" and "cmd", up to the next of the kind of its first: a
 * colleague's dispatch moves the alert and its units together or not at
 * all), whose items become diverged too;
 * it is said once per item on the message line. One exception: a
 * hospital's reading (an event without "cmd") on a diverged hospital
 * applies, keeping the diversion the replay has. A snapshot in the
 * recording (after a reconnection) replaces everything but the diverged
 * items, which keep the replay's state. The rule depends only on the
 * recording and what the trainee did when, so it is deterministic, and
 * seeking cannot change its outcome.
 */

/* The speeds; REPLAY_NSPEEDS - 1 is "as fast as possible". */
static const double replay_speeds[] = {
	0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 0
};
#define REPLAY_NSPEEDS	((int)(sizeof replay_speeds / sizeof replay_speeds[0]))
#define REPLAY_SPEED_1	2
#define REPLAY_SPEED_MAX	(REPLAY_NSPEEDS - 1)

/* The trainee's changes of one command, at its time. */
struct replay_insert {
	int64_t		 t;
	char		**texts;	/* Event messages. */
	size_t		 n;
};

/* What it takes to come back to a point of the stream. */
struct replay_cp {
	size_t		 off, lineno;	/* The next line. */
	size_t		 ninsert;	/* Inserts applied. */
	int64_t		 clock;		/* Items up to here applied. */
	int64_t		 tline;		/* The last line's time. */
	uint64_t	 nitems, nevents;
	char		*state;		/* The store, a snapshot message. */
	int		 up;		/* The link was up. */
	enum sync_link	 link;
	int64_t		 stale_since;
	char		*welcome;	/* The last welcome, or NULL. */
	char		*presence;	/* The last presence, or NULL. */
	uint64_t	 hseq;
	json_t		*diverged;
	size_t		 nscore[SCORE_WHO_COUNT];
	size_t		 nalerts;
	size_t		 ndrill;	/* drill_run_changes(). */
	size_t		 drill_next;
};

/* A mark to seek to: in the recording, or put in during the replay. */
struct replay_mark {
	int64_t		 t;
	char		*text;		/* Sanitised. */
};

struct replay {
	char			*path;
	struct record_reader	*rd;
	struct store		*store;		/* Borrowed. */
	struct sync		*sync;		/* Borrowed. */
	struct sandbox		*sb;
	struct score		*score;
	enum replay_mode	 mode;
	struct replay_hooks	 hooks;
	char			*officer;	/* The recording's operator. */

	/*
	 * A drill to score the trainee on (--drill; NULL: none): the
	 * recording's injects by the drill, in order, are its inject steps
	 * (the run starts at the first, less its time in the drill); the
	 * trainee's changes in the sandbox are fed to the run.
	 */
	struct drill		*drill;		/* Owned. */
	struct drill_run	*drun;		/* Owned; NULL until started. */
	size_t			 drill_next;	/* Next step to find. */
	char			*score_path;

	/* The file, from reading it through once. */
	int64_t			 t0, t1;
	size_t			 nlines;
	int			 has_stop;
	struct replay_mark	*marks;
	size_t			 nmarks;
	char			*damage;	/* Where it is damaged. */

	/* The stream. */
	struct record_line	 next;		/* The next line, read... */
	int			 have_next;	/* 1 read, 0 not yet, -1 the
						   end, -2 damaged. */
	int64_t			 clock;		/* The recording's time. */
	int64_t			 tline;		/* The last line's. */
	uint64_t		 nitems;	/* Items applied. */
	uint64_t		 nevents;	/* Events given to the sync. */
	int			 ended;		/* The end or the damage. */
	int			 dropping;	/* The sync asked to drop. */
	int			 started;

	struct replay_insert	*inserts;
	size_t			 ninserts, next_insert;
	struct replay_insert	*cur;		/* Being made. */

	struct replay_cp	*cps;
	size_t			 ncps;
	uint64_t		 cp_every, cp_since;	/* 0: none. */

	int64_t			*arrivals;	/* New alerts: when. */
	size_t			 narrivals;
	size_t			 nalerts;	/* The store's, last item. */

	/* Training. */
	uint64_t		 hseq;		/* The last seq given. */
	json_t			*diverged;	/* "alert:A-1": true. */
	json_t			*said;		/* Conflicts said. */
	size_t			 nsaid;
	uint64_t		 held, dropped;
	char			*presence;

	/* What the sync sent, answered by replay_pump(). */
	char			**outq;
	size_t			 noutq;
	int			 pumping;

	/* Playing on a loop. */
	struct lws_context	*ctx;
	lws_sorted_usec_list_t	 sul_tick;
	lws_sorted_usec_list_t	 sul_pump;
	int			 playing;
	int			 speed;		/* Index in replay_speeds. */
	int			 seeking;
	int64_t			 goal;		/* Seeking: to this time... */
	int			 goal_alert;	/* ...or the next alert. */
	int			 goal_play;	/* Playing before. */
	int64_t			 last_mono;
	int			 end_said;

	/* The backend's digests in the recording, as the replay's. */
	uint64_t		 checks_same, checks_differ;
};

static void	replay_damaged(struct replay *, char *);
static void	replay_tick_cb(lws_sorted_usec_list_t *);
static void	replay_pump_cb(lws_sorted_usec_list_t *);
static void	replay_tr_send(void *, const char *, size_t);
static void	replay_tr_timer(void *, enum sync_timer, int64_t);
static void	replay_tr_drop(void *, const char *);
static void	replay_sb_event(void *, const char *, size_t);
static void	replay_sb_answer(void *, const char *, size_t);
static uint64_t	replay_sb_seq(void *);
static int64_t	replay_sb_now(void *);

static const struct sync_transport replay_transport = {
	.send = replay_tr_send,
	.timer = replay_tr_timer,
	.drop = replay_tr_drop
};

/* ==== Talking ==== */

static void __attribute__((format(printf, 3, 4)))
replay_say(struct replay *rp, int error, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	log_msg(error ? LOG_WARN : LOG_INFO, "replay: %s", text);
	if (rp->hooks.message != NULL)
		rp->hooks.message(rp->hooks.arg, error, text);
	free(text);
}

static void
replay_progress(struct replay *rp)
{
	if (rp->hooks.progress != NULL)
		rp->hooks.progress(rp->hooks.arg);
}

/* "10:42:13" at the recording's province. */
static const char *
replay_hms(struct replay *rp, int64_t t, char *buf, size_t len)
{
	clock_hms(t, rp->store->utc_offset_min, buf, len);
	return (buf);
}

/* ==== The file ==== */

/*
 * Read the recording through once: its times, its marks, where it is
 * damaged, whether it has its stop mark. Returns 0, or -1 with *cause set
 * when it has no state after its header.
 */
static int
replay_index(struct replay *rp, char **cause)
{
	struct record_line	 line;
	struct replay_mark	*m;
	const char		*text;
	char			*why = NULL;
	int64_t			 t = INT64_MIN;
	enum record_status	 st;

	while ((st = record_read(rp->rd, &line, &why)) == RECORD_LINE) {
		if (rp->nlines == 0 && line.dir != RECORD_STATE) {
			xasprintf(cause, "no state after the header (line %zu)",
			    line.lineno);
			return (-1);
		}
		if (line.t > t)
			t = line.t;
		if (rp->nlines == 0)
			rp->t0 = t;
		rp->t1 = t;
		rp->nlines++;
		if (line.dir != RECORD_MARK)
			continue;
		if (strcmp(line.what, "stop") == 0) {
			rp->has_stop = 1;
			break;
		}
		if (strcmp(line.what, "mark") != 0)
			continue;
		text = json_string_value(json_object_get(line.line, "text"));
		rp->marks = xreallocarray(rp->marks, rp->nmarks + 1,
		    sizeof *rp->marks);
		m = &rp->marks[rp->nmarks++];
		m->t = t;
		m->text = sanitize_text(text != NULL ? text : "",
		    text != NULL ? strlen(text) : 0, 0);
	}
	if (rp->nlines == 0) {
		xasprintf(cause, "no state after the header%s%s",
		    why != NULL ? ": " : "", why != NULL ? why : "");
		free(why);
		return (-1);
	}
	if (st == RECORD_DAMAGED)
		rp->damage = why;
	else
		free(why);
	return (0);
}

/*
 * Open the recording at path to replay into sync (borrowed; the replay
 * becomes its transport), which keeps store (borrowed) in step, in mode,
 * telling the console through hooks (copied; NULL: none). The file is
 * read through once (its times, marks and damage); nothing is applied
 * until replay_start(). Returns the replay (free with replay_free), or
 * NULL with *cause set (allocated; caller frees) when path is not a
 * recording this console replays (format 1 is refused).
 */
struct replay *
replay_open(const char *path, struct store *st, struct sync *s,
    enum replay_mode mode, const struct replay_hooks *hooks, char **cause)
{
	struct replay		*rp;
	struct sandbox_hooks	 sh;
	const json_t		*h;
	const char		*op;
	char			*why = NULL;

	rp = xcalloc(1, sizeof *rp);
	if ((rp->rd = record_reader_open(path, cause)) == NULL) {
		free(rp);
		return (NULL);
	}
	rp->path = xstrdup(path);
	rp->store = st;
	rp->sync = s;
	rp->mode = mode;
	if (hooks != NULL)
		rp->hooks = *hooks;
	rp->speed = REPLAY_SPEED_1;
	rp->diverged = json_object();
	rp->said = json_object();
	rp->score = score_new();
	if (replay_index(rp, &why) != 0) {
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		replay_free(rp);
		return (NULL);
	}
	record_reader_seek(rp->rd, 0, 0);
	h = record_reader_header(rp->rd);
	record_read(rp->rd, &rp->next, &why);	/* The header again. */
	op = json_string_value(json_object_get(h, "operator"));
	rp->officer = xstrdup(op != NULL ? op : "");

	memset(&sh, 0, sizeof sh);
	sh.event = replay_sb_event;
	sh.answer = replay_sb_answer;
	sh.next_seq = replay_sb_seq;
	sh.now = replay_sb_now;
	sh.arg = rp;
	rp->sb = sandbox_new(st, &sh, op, json_string_value(json_object_get(h,
	    "role")), json_object_get(h, "areas"),
	    json_is_true(json_object_get(h, "exercise")));
	if (mode == REPLAY_WATCH)
		sandbox_refuse(rp->sb, "watching a replay: the officer's "
		    "actions are shown as they were; replay without --watch "
		    "to act in their place");
	sync_attach(s, &replay_transport, rp);
	log_info("replay %s: %zu lines over %" PRId64 " s, %zu marks%s%s; "
	    "%s", path, rp->nlines, (rp->t1 - rp->t0) / 1000, rp->nmarks,
	    rp->damage != NULL ? "; damaged: " : "", rp->damage != NULL ?
	    rp->damage : "", mode == REPLAY_TRAIN ? "training" : "watching");
	return (rp);
}

static void
replay_insert_clear(struct replay_insert *in)
{
	size_t	i;

	for (i = 0; i < in->n; i++)
		free(in->texts[i]);
	free(in->texts);
	memset(in, 0, sizeof *in);
}

static void
replay_cp_clear(struct replay_cp *cp)
{
	free(cp->state);
	free(cp->welcome);
	free(cp->presence);
	json_decref(cp->diverged);
	memset(cp, 0, sizeof *cp);
}

/*
 * Stop playing and free the replay (not the store or the sync, which
 * keeps no pointer to it once detached). NULL is a no-op.
 */
void
replay_free(struct replay *rp)
{
	size_t	i;

	if (rp == NULL)
		return;
	replay_detach(rp);
	sandbox_free(rp->sb);
	score_free(rp->score);
	drill_run_free(rp->drun);
	drill_free(rp->drill);
	record_reader_free(rp->rd);
	for (i = 0; i < rp->ninserts; i++)
		replay_insert_clear(&rp->inserts[i]);
	free(rp->inserts);
	if (rp->cur != NULL) {
		replay_insert_clear(rp->cur);
		free(rp->cur);
	}
	for (i = 0; i < rp->ncps; i++)
		replay_cp_clear(&rp->cps[i]);
	free(rp->cps);
	for (i = 0; i < rp->nmarks; i++)
		free(rp->marks[i].text);
	free(rp->marks);
	for (i = 0; i < rp->noutq; i++)
		free(rp->outq[i]);
	free(rp->outq);
	free(rp->arrivals);
	json_decref(rp->diverged);
	json_decref(rp->said);
	free(rp->presence);
	free(rp->damage);
	free(rp->officer);
	free(rp->score_path);
	free(rp->path);
	free(rp);
}

/* ==== Feeding the sync ==== */

/*
 * Is the message text (len bytes) of this type? Its type is looked for
 * among its first bytes, where the backend and the console put it; the
 * parse that follows, where it matters, checks.
 */
static int
replay_is(const char *text, size_t len, const char *type)
{
	static const char	 key[] = "\"type\":\"";
	size_t			 k = sizeof key - 1, n = strlen(type);
	const char		*p;

	/* Where the backend puts it: first. */
	if (len > 1 + k + n && text[0] == '{' &&
	    memcmp(text + 1, key, k) == 0)
		p = text + 1;
	else if ((p = memmem(text, len < 64 ? len : 64, key, k)) == NULL)
		return (0);
	p += k;
	return ((size_t)(text + len - p) > n && memcmp(p, type, n) == 0 &&
	    p[n] == '"');
}

/*
 * A recorded digest result: the backend's digest then. When the replay
 * is at the same seq, compare it with the store's; both go to the log,
 * and a difference to the message line.
 */
static void
replay_check_digest(struct replay *rp, const char *text, size_t len)
{
	json_t		*msg;
	const char	*theirs;
	char		 ours[17];
	uint64_t	 seq;

	if ((msg = json_loadb(text, len, 0, NULL)) == NULL)
		return;
	theirs = json_string_value(json_object_get(msg, "digest"));
	seq = (uint64_t)json_integer_value(json_object_get(msg, "seq"));
	if (theirs != NULL && seq == rp->store->seq) {
		store_digest(rp->store, ours);
		if (strcmp(ours, theirs) == 0) {
			rp->checks_same++;
			log_info("replay: digest at seq %" PRIu64 " as the "
			    "backend's: %s", seq, ours);
		} else {
			rp->checks_differ++;
			replay_say(rp, 1, _("the state at seq %llu differs "
			    "from the backend's then (%.16s, replay %s)"),
			    (unsigned long long)seq, theirs, ours);
		}
	}
	json_decref(msg);
}

/*
 * Hand one message to the sync as received. A message it cannot read is
 * damage (what a console records, it read).
 */
static void
replay_feed(struct replay *rp, const char *text, size_t len, size_t lineno)
{
	uint64_t	 bad = rp->sync->st.bad;
	char		*why;

	if (rp->dropping) {
		xasprintf(&why, "line %zu: a message after events went missing "
		    "(the recording does not show the link going down)",
		    lineno);
		replay_damaged(rp, why);
		return;
	}
	if (replay_is(text, len, "event"))
		rp->nevents++;
	else if (replay_is(text, len, "presence")) {
		free(rp->presence);
		rp->presence = xstrndup(text, len);
	}
	if (sync_receive(rp->sync, text, len) != 0)
		rp->dropping = 1;
	if (rp->sync->st.bad > bad) {
		xasprintf(&why, "line %zu: a message the console cannot read",
		    lineno);
		replay_damaged(rp, why);
	}
}

/* A message object to the sync (not stolen). */
static void
replay_feed_json(struct replay *rp, json_t *msg, size_t lineno)
{
	char	*text = proto_dump(msg);

	replay_feed(rp, text, strlen(text), lineno);
	free(text);
}

/* ==== Training: held back, diverged, conflicts ==== */

static void
replay_key(char *key, size_t len, const char *kind, const char *id)
{
	snprintf(key, len, "%s:%s", kind, id != NULL ? id : "");
}

static int
replay_diverged(struct replay *rp, const char *kind, const char *id)
{
	char	key[64];

	replay_key(key, sizeof key, kind, id);
	return (json_object_get(rp->diverged, key) != NULL);
}

static void
replay_diverge(struct replay *rp, const char *kind, const char *id)
{
	char	key[64];

	replay_key(key, sizeof key, kind, id);
	json_object_set_new(rp->diverged, key, json_true());
}

/* The trainee's name in a drill scored in a replay. */
#define REPLAY_DRILL_TRAINEE	"trainee"

/*
 * A recorded event, for the drill: an inject by the drill is its next
 * inject step (the first starts the run).
 */
static void
replay_drill_recorded(struct replay *rp, json_t *ev)
{
	const struct drill	*d = rp->drill;
	const char		*by, *cmd, *id;
	int64_t			 ts;

	if (d == NULL)
		return;
	by = json_string_value(json_object_get(ev, "by"));
	cmd = json_string_value(json_object_get(ev, "cmd"));
	if (by == NULL || cmd == NULL || strcmp(by, "drill") != 0 ||
	    strcmp(cmd, "inject") != 0)
		return;
	while (rp->drill_next < d->nsteps &&
	    d->steps[rp->drill_next].type != DRILL_STEP_INJECT)
		rp->drill_next++;
	if (rp->drill_next == d->nsteps)
		return;
	ts = json_integer_value(json_object_get(ev, "ts"));
	if (rp->drun == NULL)
		rp->drun = drill_run_new(d, ts - d->steps[rp->drill_next].at);
	id = json_string_value(json_object_get(json_object_get(ev, "item"),
	    "id"));
	if (id != NULL)
		drill_run_injected(rp->drun, rp->drill_next, id);
	rp->drill_next++;
}

/* Log a change of an event (who) for the score. */
static void
replay_score_event(struct replay *rp, enum score_who who, json_t *ev)
{
	const struct kind	*k;
	union kind_item		 item;
	const char		*cmd;
	char			*cause = NULL;

	/* Retention taking finished work away is nobody's action. */
	if (json_is_true(json_object_get(ev, "remove")))
		return;
	k = kind_find(json_string_value(json_object_get(ev, "kind")));
	cmd = json_string_value(json_object_get(ev, "cmd"));
	if (k == NULL || k->decode(json_object_get(ev, "item"), &item, 1,
	    &cause) != 0) {
		log_warn("replay: a change for the score left out: %s",
		    cause != NULL ? cause : "unknown kind");
		free(cause);
		return;
	}
	score_change(rp->score, who, k, &item, cmd,
	    json_integer_value(json_object_get(ev, "ts")));
	if (who == SCORE_TRAINEE && rp->drun != NULL)
		drill_run_change(rp->drun, k, &item, REPLAY_DRILL_TRAINEE, cmd,
		    json_integer_value(json_object_get(ev, "ts")));
	k->clear(&item);
}

/* A recorded change not applied: say it, once an item, for a while. */
static void
replay_conflict(struct replay *rp, json_t *ev)
{
	const char	*kind, *id, *by, *cmd;
	char		 key[64], cid[MODEL_ID_MAX], cby[32];

	kind = json_string_value(json_object_get(ev, "kind"));
	id = json_string_value(json_object_get(json_object_get(ev, "item"),
	    "id"));
	by = json_string_value(json_object_get(ev, "by"));
	cmd = json_string_value(json_object_get(ev, "cmd"));
	replay_key(key, sizeof key, kind, id);
	rp->dropped++;
	log_info("replay: %s: %s's %s not applied: the item is the "
	    "trainee's", key, by != NULL ? by : "", cmd != NULL ? cmd :
	    "change");
	if (json_object_get(rp->said, key) != NULL ||
	    rp->nsaid >= REPLAY_SAID_MAX)
		return;
	json_object_set_new(rp->said, key, json_true());
	rp->nsaid++;
	sanitize_into(cid, sizeof cid, id != NULL ? id : "?",
	    id != NULL ? strlen(id) : 1, 0);
	sanitize_into(cby, sizeof cby, by != NULL ? by : "",
	    by != NULL ? strlen(by) : 0, 0);
	if (cby[0] != '\0' && cmd != NULL)
		replay_say(rp, 0, _("%s: %s's %s as recorded is not replayed: "
		    "the item is yours now"), cid, cby, cmd);
	else
		replay_say(rp, 0, _("%s: a recorded change is not replayed: "
		    "the item is yours now"), cid);
}

/*
 * A hospital's reading on a diverged hospital: the reading, with the
 * diversion and a version after the replay's.
 */
static void
replay_merge_reading(struct replay *rp, json_t *ev)
{
	const struct kind	*k = kind_get(KIND_HOSPITAL);
	struct hospital		 h, *cur;
	json_t			*item = json_object_get(ev, "item");
	char			*cause = NULL;

	cur = store_hospital(rp->store, json_string_value(json_object_get(
	    item, "id")));
	if (cur == NULL || k->decode(item, &h, 0, &cause) != 0) {
		free(cause);
		return;
	}
	h.diversion = cur->diversion;
	h.version = cur->version + 1;
	json_object_set_new(ev, "item", k->encode(&h));
	k->clear(&h);
}

/* Whether an event's kind (NULL when it has none) is the hospitals'. */
static int
replay_is_hospital(const char *kind)
{
	return (kind != NULL && kind_find(kind) == kind_get(KIND_HOSPITAL));
}

/* One recorded event, numbered in the replay's order, to the sync. */
static void
replay_feed_event(struct replay *rp, json_t *ev, size_t lineno)
{
	if (!json_is_true(json_object_get(ev, "conflated"))) {
		json_object_set_new(ev, "seq", json_integer(
		    (json_int_t)++rp->hseq));
		json_object_del(ev, "prev");
	}
	replay_feed_json(rp, ev, lineno);
}

static const char *
replay_ev_str(json_t *ev, const char *key)
{
	const char	*s = json_string_value(json_object_get(ev, key));

	return (s != NULL ? s : "");
}

/*
 * Is ev one more change of the command whose changes so far are group?
 * The same "by" and "cmd", not a second change of an item, nor another
 * of the kind of the command's first (two acks in a row are two
 * commands; a dispatch is its alert and the units after it). Times do
 * not decide: one command's changes may be a millisecond apart.
 */
static int
replay_same_command(json_t *group, json_t *ev)
{
	json_t		*first = json_array_get(group, 0), *g;
	const char	*id;
	size_t		 i;

	if (json_is_true(json_object_get(ev, "conflated")) ||
	    strcmp(replay_ev_str(first, "by"), replay_ev_str(ev, "by")) != 0 ||
	    strcmp(replay_ev_str(first, "cmd"), replay_ev_str(ev,
	    "cmd")) != 0 || strcmp(replay_ev_str(first, "kind"),
	    replay_ev_str(ev, "kind")) == 0)
		return (0);
	id = replay_ev_str(json_object_get(ev, "item"), "id");
	json_array_foreach(group, i, g) {
		if (strcmp(replay_ev_str(g, "kind"), replay_ev_str(ev,
		    "kind")) == 0 && strcmp(replay_ev_str(json_object_get(g,
		    "item"), "id"), id) == 0)
			return (0);
	}
	return (1);
}

static int
replay_event_diverged(struct replay *rp, json_t *ev)
{
	return (replay_diverged(rp, json_string_value(json_object_get(ev,
	    "kind")), json_string_value(json_object_get(json_object_get(ev,
	    "item"), "id"))));
}

static void
replay_event_diverge(struct replay *rp, json_t *ev)
{
	replay_diverge(rp, json_string_value(json_object_get(ev, "kind")),
	    json_string_value(json_object_get(json_object_get(ev, "item"),
	    "id")));
}

/*
 * The other events of the command whose first event is in group, in the
 * lines that come next (replay_same_command()): read and appended.
 */
static void
replay_group(struct replay *rp, json_t *group)
{
	struct record_line	*line = &rp->next;
	json_t			*msg;
	char			*cause = NULL;

	for (;;) {
		if (rp->have_next == 0) {
			switch (record_read(rp->rd, line, &cause)) {
			case RECORD_LINE:
				rp->have_next = 1;
				break;
			case RECORD_END:
				rp->have_next = -1;
				return;
			default:
				/* Met again, and said, later. */
				free(cause);
				rp->have_next = 0;
				record_reader_seek(rp->rd, line->off,
				    line->lineno - 1);
				return;
			}
		}
		if (rp->have_next != 1 || line->dir != RECORD_IN ||
		    (msg = json_loadb(line->text, line->len, 0, NULL)) == NULL)
			return;
		if (!json_is_string(json_object_get(msg, "type")) ||
		    strcmp(json_string_value(json_object_get(msg, "type")),
		    "event") != 0 || !replay_same_command(group, msg)) {
			json_decref(msg);
			return;
		}
		json_array_append_new(group, msg);
		if (line->t > rp->tline)
			rp->tline = line->t;
		rp->have_next = 0;
	}
}

/* A recorded event, in training (the rules at the top of the file). */
static void
replay_train_event(struct replay *rp, json_t *ev, size_t lineno)
{
	json_t		*group, *g;
	const char	*by, *cmd, *kind;
	size_t		 i;
	int		 diverged = 0;

	replay_drill_recorded(rp, ev);
	by = json_string_value(json_object_get(ev, "by"));
	cmd = json_string_value(json_object_get(ev, "cmd"));
	kind = json_string_value(json_object_get(ev, "kind"));
	if (json_is_true(json_object_get(ev, "conflated"))) {
		if (!replay_event_diverged(rp, ev))
			replay_feed_json(rp, ev, lineno);
		else if (replay_is_hospital(kind)) {
			replay_merge_reading(rp, ev);
			replay_feed_json(rp, ev, lineno);
		} else
			replay_conflict(rp, ev);
		return;
	}
	if (by != NULL && *rp->officer != '\0' &&
	    strcmp(by, rp->officer) == 0) {
		rp->held++;
		replay_score_event(rp, SCORE_OFFICER, ev);
		replay_event_diverge(rp, ev);
		log_debug("replay: line %zu: the officer's %s held back",
		    lineno, cmd != NULL ? cmd : "change");
		return;
	}
	group = json_array();
	json_array_append(group, ev);
	if (by != NULL && cmd != NULL)
		replay_group(rp, group);
	json_array_foreach(group, i, g) {
		if (replay_event_diverged(rp, g))
			diverged = 1;
	}
	if (!diverged) {
		json_array_foreach(group, i, g)
			replay_feed_event(rp, g, lineno);
	} else if (cmd == NULL && json_array_size(group) == 1 &&
	    replay_is_hospital(kind)) {
		replay_merge_reading(rp, ev);
		replay_feed_event(rp, ev, lineno);
	} else {
		json_array_foreach(group, i, g) {
			replay_conflict(rp, g);
			replay_event_diverge(rp, g);
		}
	}
	json_decref(group);
}

/*
 * A snapshot in the recording, in training: the diverged items keep the
 * replay's state; it comes at the replay's seq.
 */
static void
replay_train_snapshot(struct replay *rp, json_t *snap)
{
	const struct kind	*k;
	const char		*key;
	json_t			*v, *arr, *it;
	const void		*cur;
	char			 kname[32];
	const char		*id;
	size_t			 i;

	json_object_foreach(rp->diverged, key, v) {
		id = strchr(key, ':');
		if (id == NULL || (size_t)(id - key) >= sizeof kname)
			continue;
		memcpy(kname, key, (size_t)(id - key));
		kname[id - key] = '\0';
		id++;
		if ((k = kind_find(kname)) == NULL ||
		    (cur = store_find(rp->store, k, id)) == NULL ||
		    !json_is_array(arr = json_object_get(snap, k->plural)))
			continue;
		json_array_foreach(arr, i, it) {
			if (json_is_string(json_object_get(it, "id")) &&
			    strcmp(json_string_value(json_object_get(it, "id")),
			    id) == 0)
				break;
		}
		if (i < json_array_size(arr))
			json_array_set_new(arr, i, k->encode(cur));
		else
			json_array_append_new(arr, k->encode(cur));
	}
	json_object_set_new(snap, "seq", json_integer((json_int_t)rp->hseq));
}

/* A recorded message received, in training. */
static void
replay_train_in(struct replay *rp, const struct record_line *line)
{
	json_t		*msg;
	const char	*type;
	size_t		 lineno = line->lineno;
	char		*why;

	if (rp->dropping) {
		replay_feed(rp, line->text, line->len, lineno);
		return;
	}
	if ((msg = json_loadb(line->text, line->len, 0, NULL)) == NULL) {
		xasprintf(&why, "line %zu: a message the console cannot read",
		    lineno);
		replay_damaged(rp, why);
		return;
	}
	type = json_string_value(json_object_get(msg, "type"));
	if (type != NULL && strcmp(type, "event") == 0)
		replay_train_event(rp, msg, lineno);
	else if (type != NULL && strcmp(type, "snapshot") == 0) {
		replay_train_snapshot(rp, msg);
		replay_feed_json(rp, msg, lineno);
	} else if (type != NULL && strcmp(type, "result") == 0)
		log_debug("replay: line %zu: the officer's result held back",
		    lineno);
	else
		replay_feed_json(rp, msg, lineno);
	json_decref(msg);
}

/* ==== The stream ==== */

/* The stream ends here, damaged: say where. Takes why. */
static void
replay_damaged(struct replay *rp, char *why)
{
	char	hms[16];

	rp->have_next = -2;
	rp->ended = 1;
	if (rp->damage != NULL && strcmp(rp->damage, why) != 0) {
		/* Found by reading through; this is the same place. */
		free(rp->damage);
		rp->damage = NULL;
	}
	if (rp->damage == NULL)
		rp->damage = why;
	else
		free(why);
	replay_say(rp, 1, _("the recording is damaged: %s; replayed up to "
	    "there (%s)"), rp->damage, replay_hms(rp, rp->clock, hms,
	    sizeof hms));
}

/*
 * The next line into rp->next. Returns 1 (a line), 0 (the end) or -1
 * (damaged).
 */
static int
replay_load(struct replay *rp)
{
	char	*cause = NULL;

	if (rp->have_next == 1)
		return (1);
	if (rp->have_next == -1)
		return (0);
	if (rp->have_next == -2)
		return (-1);
	switch (record_read(rp->rd, &rp->next, &cause)) {
	case RECORD_LINE:
		rp->have_next = 1;
		return (1);
	case RECORD_END:
		rp->have_next = -1;
		return (0);
	default:
		replay_damaged(rp, cause);
		return (-1);
	}
}

/* The time of the next line, or INT64_MAX when there is none. */
static int64_t
replay_line_t(struct replay *rp)
{
	if (replay_load(rp) != 1)
		return (INT64_MAX);
	return (rp->next.t > rp->tline ? rp->next.t : rp->tline);
}

/* The time of the next item, or INT64_MAX when there is none. */
static int64_t
replay_next_t(struct replay *rp)
{
	int64_t	tl = replay_line_t(rp), ti = INT64_MAX;

	if (rp->next_insert < rp->ninserts)
		ti = rp->inserts[rp->next_insert].t;
	return (ti < tl ? ti : tl);
}

/* Apply one of the trainee's events (an insert's, or the sandbox's). */
static void
replay_apply_insert_event(struct replay *rp, const char *text, size_t len)
{
	json_t		*ev;
	json_int_t	 seq;

	if ((ev = json_loadb(text, len, 0, NULL)) == NULL)
		fatalx("%s: the sandbox made a bad event", __func__);
	seq = json_integer_value(json_object_get(ev, "seq"));
	if (seq > 0 && (uint64_t)seq > rp->hseq)
		rp->hseq = (uint64_t)seq;
	replay_event_diverge(rp, ev);
	replay_score_event(rp, SCORE_TRAINEE, ev);
	json_decref(ev);
	replay_feed(rp, text, len, 0);
}

/* A mark line: the link, the end. */
static void
replay_mark_line(struct replay *rp, const struct record_line *line)
{
	const char	*why;
	char		*damage;

	if (strcmp(line->what, "up") == 0) {
		if (!rp->sync->up)
			sync_up(rp->sync);
	} else if (strcmp(line->what, "down") == 0) {
		rp->dropping = 0;
		why = json_string_value(json_object_get(line->line, "why"));
		if (rp->sync->up)
			sync_down(rp->sync, SYNC_LINK_RECONNECTING, why);
	} else if (strcmp(line->what, "stop") == 0) {
		rp->have_next = -1;
	} else if (strcmp(line->what, "start") == 0) {
		xasprintf(&damage, "line %zu: a second start mark",
		    line->lineno);
		replay_damaged(rp, damage);
	}
	/* "mark" and marks of later versions: nothing to apply. */
}

/* Apply the line in rp->next (consumed). */
static void
replay_apply_line(struct replay *rp)
{
	struct record_line	 line = rp->next;
	json_t			*msg;
	char			*why;

	rp->have_next = 0;
	switch (line.dir) {
	case RECORD_IN:
		if (rp->mode == REPLAY_TRAIN)
			replay_train_in(rp, &line);
		else {
			replay_feed(rp, line.text, line.len, line.lineno);
			if (replay_is(line.text, line.len, "result") &&
			    memmem(line.text, line.len, "\"digest\":\"", 10) !=
			    NULL)
				replay_check_digest(rp, line.text, line.len);
		}
		break;
	case RECORD_STATE:
		if (rp->mode == REPLAY_TRAIN) {
			if ((msg = json_loadb(line.text, line.len, 0,
			    NULL)) == NULL) {
				xasprintf(&why, "line %zu: the state cannot be "
				    "read", line.lineno);
				replay_damaged(rp, why);
				break;
			}
			if (!rp->started)
				rp->hseq = (uint64_t)json_integer_value(
				    json_object_get(msg, "seq"));
			else
				replay_train_snapshot(rp, msg);
			replay_feed_json(rp, msg, line.lineno);
			json_decref(msg);
		} else
			replay_feed(rp, line.text, line.len, line.lineno);
		break;
	case RECORD_MARK:
		replay_mark_line(rp, &line);
		break;
	case RECORD_OUT:
		/* The officer's messages: the sync sends its own. */
		break;
	}
}

/* ==== Checkpoints ==== */

static void
replay_cp_take(struct replay *rp)
{
	struct replay_cp	*cp;
	json_t			*snap;
	size_t			 i, j;

	if (rp->ncps == REPLAY_CP_MAX) {
		/* Keep the first and every other one; twice as far apart. */
		for (i = 1, j = 1; i < rp->ncps; i++) {
			if (i % 2 == 0)
				rp->cps[j++] = rp->cps[i];
			else
				replay_cp_clear(&rp->cps[i]);
		}
		rp->ncps = j;
		rp->cp_every *= 2;
	}
	rp->cps = xreallocarray(rp->cps, rp->ncps + 1, sizeof *rp->cps);
	cp = &rp->cps[rp->ncps++];
	memset(cp, 0, sizeof *cp);
	if (rp->have_next == 1) {
		cp->off = rp->next.off;
		cp->lineno = rp->next.lineno - 1;
	} else {
		cp->off = rp->rd->off;
		cp->lineno = rp->rd->lineno;
	}
	cp->ninsert = rp->next_insert;
	cp->clock = rp->clock;
	cp->tline = rp->tline;
	cp->nitems = rp->nitems;
	cp->nevents = rp->nevents;
	snap = store_snapshot(rp->store);
	json_object_set_new(snap, "type", json_string("snapshot"));
	json_object_set_new(snap, "gap", json_false());
	cp->state = proto_dump(snap);
	json_decref(snap);
	cp->up = rp->sync->up;
	cp->link = rp->sync->st.link;
	cp->stale_since = rp->sync->st.stale_since;
	if (rp->sync->welcome != NULL)
		cp->welcome = proto_dump(rp->sync->welcome);
	if (rp->presence != NULL)
		cp->presence = xstrdup(rp->presence);
	cp->hseq = rp->hseq;
	cp->diverged = json_copy(rp->diverged);
	for (i = 0; i < SCORE_WHO_COUNT; i++)
		cp->nscore[i] = score_changes(rp->score, i);
	cp->nalerts = rp->nalerts;
	cp->ndrill = rp->drun != NULL ? drill_run_changes(rp->drun) : 0;
	cp->drill_next = rp->drill_next;
	rp->cp_since = 0;
	log_debug("replay: checkpoint %zu at line %zu, %" PRIu64 " items",
	    rp->ncps, cp->lineno, cp->nitems);
}

/* Drop the checkpoints from i on. */
static void
replay_cp_drop(struct replay *rp, size_t from)
{
	size_t	i;

	for (i = from; i < rp->ncps; i++)
		replay_cp_clear(&rp->cps[i]);
	if (from < rp->ncps)
		rp->ncps = from;
}

/*
 * Back to checkpoint cp, through the sync: the link as it was, then its
 * state as a snapshot.
 */
static void
replay_cp_restore(struct replay *rp, const struct replay_cp *cp)
{
	struct sync		*s = rp->sync;
	struct outbox_entry	*e;
	size_t			 i, n = 0;

	while ((e = TAILQ_FIRST(&s->outbox->list)) != NULL) {
		outbox_done(s->outbox, e->id);
		n++;
	}
	if (n > 0)
		replay_say(rp, 1, ngettext("%zu command waiting for the link "
		    "dropped: you went back before it", "%zu commands waiting "
		    "for the link dropped: you went back before them", n), n);
	for (i = 0; i < rp->noutq; i++)
		free(rp->outq[i]);
	rp->noutq = 0;
	rp->dropping = 0;
	if (cp->up && !s->up) {
		sync_up(s);
		if (cp->welcome != NULL)
			replay_feed(rp, cp->welcome, strlen(cp->welcome), 0);
	} else if (!cp->up && s->up)
		sync_down(s, cp->link, NULL);
	replay_feed(rp, cp->state, strlen(cp->state), 0);
	if (cp->presence != NULL)
		replay_feed(rp, cp->presence, strlen(cp->presence), 0);
	free(rp->presence);
	rp->presence = cp->presence != NULL ? xstrdup(cp->presence) : NULL;
	if (!cp->up) {
		s->st.link = cp->link;
		s->st.stale_since = cp->stale_since;
	}
	record_reader_seek(rp->rd, cp->off, cp->lineno);
	rp->have_next = 0;
	rp->ended = 0;
	rp->next_insert = cp->ninsert;
	rp->clock = cp->clock;
	rp->tline = cp->tline;
	rp->nitems = cp->nitems;
	rp->nevents = cp->nevents;
	rp->hseq = cp->hseq;
	json_decref(rp->diverged);
	rp->diverged = json_copy(cp->diverged);
	for (i = 0; i < SCORE_WHO_COUNT; i++)
		score_truncate(rp->score, i, cp->nscore[i]);
	if (rp->drun != NULL)
		drill_run_truncate(rp->drun, cp->ndrill);
	rp->drill_next = cp->drill_next;
	rp->nalerts = cp->nalerts;
	rp->cp_since = 0;
	rp->end_said = 0;
}

/* ==== Playing ==== */

/* After an item: a new alert? A checkpoint? */
static void
replay_after_item(struct replay *rp, int64_t t)
{
	if (rp->store->nalerts > rp->nalerts && (rp->narrivals == 0 ||
	    rp->arrivals[rp->narrivals - 1] < t)) {
		rp->arrivals = xreallocarray(rp->arrivals, rp->narrivals + 1,
		    sizeof *rp->arrivals);
		rp->arrivals[rp->narrivals++] = t;
	}
	rp->nalerts = rp->store->nalerts;
	rp->nitems++;
	if (rp->cp_every > 0 && ++rp->cp_since >= rp->cp_every &&
	    !rp->dropping && !rp->ended && (!rp->sync->up || rp->sync->ready))
		replay_cp_take(rp);
}

/*
 * Apply the next item of the stream. Returns 1, or 0 when there is none
 * (the end, or the damage).
 */
static int
replay_advance(struct replay *rp)
{
	struct replay_insert	*in;
	int64_t			 tl = replay_line_t(rp), t;
	size_t			 i;

	if (rp->next_insert < rp->ninserts &&
	    rp->inserts[rp->next_insert].t < tl) {
		in = &rp->inserts[rp->next_insert++];
		for (i = 0; i < in->n; i++)
			replay_apply_insert_event(rp, in->texts[i],
			    strlen(in->texts[i]));
		t = in->t;
	} else if (tl != INT64_MAX) {
		rp->tline = t = tl;
		replay_apply_line(rp);
	} else {
		rp->ended = 1;
		return (0);
	}
	if (t > rp->clock)
		rp->clock = t;
	replay_after_item(rp, t);
	return (1);
}

/* The last time there is: the last line's, or a later insert's. */
static int64_t
replay_end_t(struct replay *rp)
{
	int64_t	t = rp->t1;

	if (rp->ninserts > 0 && rp->inserts[rp->ninserts - 1].t > t)
		t = rp->inserts[rp->ninserts - 1].t;
	if (rp->ended && rp->clock > t)
		t = rp->clock;
	return (t);
}

/*
 * Apply the items up to t (all of them for INT64_MAX), or up to the next
 * new alert when alert is set; stop early at the monotonic deadline
 * (INT64_MAX: none). Returns 1 when there is more to do before t, else
 * 0; the clock is then at t (at most the end).
 */
static int
replay_run_to(struct replay *rp, int64_t t, int alert, int64_t deadline)
{
	size_t	na;
	int	n = 0;

	while (replay_next_t(rp) <= t) {
		na = rp->store->nalerts;
		if (!replay_advance(rp))
			break;
		/* What the sync sent on the way (a reconnection): now. */
		if (rp->noutq > 0 && !rp->pumping)
			replay_pump(rp);
		if (alert && rp->store->nalerts > na)
			return (0);
		if (deadline != INT64_MAX && (++n & 31) == 0 &&
		    clock_mono() >= deadline)
			return (1);
	}
	if (t != INT64_MAX && t > rp->clock)
		rp->clock = t < replay_end_t(rp) ? t : replay_end_t(rp);
	if (replay_next_t(rp) == INT64_MAX)
		rp->ended = 1;
	return (0);
}

/*
 * Play on to time t: every item up to t is applied, and the clock is at
 * t (at most the end).
 */
void
replay_play_to(struct replay *rp, int64_t t)
{
	replay_run_to(rp, t, 0, INT64_MAX);
	clock_pin(rp->clock);
}

/*
 * Play the whole recording to its end (or its damage).
 */
void
replay_play_all(struct replay *rp)
{
	replay_run_to(rp, INT64_MAX, 0, INT64_MAX);
	clock_pin(rp->clock);
}

/* The last valid checkpoint at or before t. */
static size_t
replay_cp_find(struct replay *rp, int64_t t)
{
	size_t	i, best = 0;

	for (i = 0; i < rp->ncps; i++) {
		if (rp->cps[i].clock <= t &&
		    rp->cps[i].ninsert <= rp->ninserts)
			best = i;
	}
	return (best);
}

/*
 * Go back to time t: the trainee's changes after t are forgotten (with
 * the checkpoints that hold them), the last checkpoint before t is
 * restored. The caller plays on to t.
 */
static void
replay_rewind(struct replay *rp, int64_t t)
{
	size_t	i, keep = rp->ninserts, cp;

	while (keep > 0 && rp->inserts[keep - 1].t > t)
		keep--;
	if (keep < rp->ninserts) {
		log_info("replay: %zu of the trainee's changes undone",
		    rp->ninserts - keep);
		for (i = keep; i < rp->ninserts; i++)
			replay_insert_clear(&rp->inserts[i]);
		rp->ninserts = keep;
		for (i = 1; i < rp->ncps; i++) {
			if (rp->cps[i].ninsert > keep) {
				replay_cp_drop(rp, i);
				break;
			}
		}
	}
	cp = replay_cp_find(rp, t);
	replay_cp_restore(rp, &rp->cps[cp]);
}

/*
 * Towards t: back, through the last checkpoint before it; forward,
 * through a checkpoint ahead when one is nearer than playing on. The
 * caller plays on to t.
 */
static void
replay_jump(struct replay *rp, int64_t t)
{
	size_t	cp;

	if (rp->ncps == 0)
		return;
	if (t < rp->clock) {
		replay_rewind(rp, t);
		return;
	}
	cp = replay_cp_find(rp, t);
	if (rp->cps[cp].nitems > rp->nitems + rp->cp_every / 4 &&
	    rp->cps[cp].clock > rp->clock)
		replay_cp_restore(rp, &rp->cps[cp]);
}

/*
 * Seek to time t, back or forward, and stay there: the state is what
 * playing straight on to t makes. Without a loop (replay_attach) it is
 * done when this returns.
 */
void
replay_seek(struct replay *rp, int64_t t)
{
	if (t < rp->t0)
		t = rp->t0;
	replay_jump(rp, t);
	replay_play_to(rp, t);
	replay_progress(rp);
}

/*
 * Apply the next item alone; the clock goes to its time. Returns 1, or 0
 * at the end.
 */
int
replay_step(struct replay *rp)
{
	int	rv = replay_advance(rp);

	clock_pin(rp->clock);
	replay_progress(rp);
	return (rv);
}

/*
 * Start: the link as the recording starts, its state, and what came at
 * the same time. With every > 0, a checkpoint is kept every that many
 * items (REPLAY_CP_ITEMS; see the top of the file), and the start is the
 * first; with 0 none is kept, and the replay can only go forward.
 * Returns 0, or -1 when the state cannot be read (replay_damage() says
 * why).
 */
int
replay_start(struct replay *rp, uint64_t every)
{
	const json_t	*h = record_reader_header(rp->rd), *w;
	char		*text;

	rp->cp_every = every;
	rp->clock = rp->tline = rp->t0;
	clock_pin(rp->clock);
	w = json_object_get(h, "welcome");
	if (json_is_true(json_object_get(h, "online"))) {
		sync_up(rp->sync);
		if (json_is_object(w)) {
			text = proto_dump(w);
			replay_feed(rp, text, strlen(text), 1);
			free(text);
		}
	} else
		sync_set_link(rp->sync, SYNC_LINK_RECONNECTING);
	if (!replay_advance(rp) || rp->ended) {
		replay_progress(rp);
		return (-1);
	}
	rp->started = 1;
	rp->nalerts = rp->store->nalerts;
	/* The start can always be come back to: no insert comes before. */
	if (every > 0)
		replay_cp_take(rp);
	replay_run_to(rp, rp->t0, 0, INT64_MAX);
	replay_progress(rp);
	return (0);
}

/* ==== The sync's transport and the sandbox ==== */

static void
replay_tr_send(void *arg, const char *text, size_t len)
{
	struct replay	*rp = arg;

	rp->outq = xreallocarray(rp->outq, rp->noutq + 1, sizeof *rp->outq);
	rp->outq[rp->noutq++] = xstrndup(text, len);
	if (rp->ctx != NULL && !rp->pumping)
		lws_sul_schedule(rp->ctx, 0, &rp->sul_pump, replay_pump_cb, 1);
}

static void
replay_tr_timer(void *arg, enum sync_timer t, int64_t ms)
{
	/* A recording has no deadline to miss, nor a rate to keep. */
	(void)arg;
	(void)t;
	(void)ms;
}

static void
replay_tr_drop(void *arg, const char *why)
{
	struct replay	*rp = arg;

	log_info("replay: the sync asks to drop the link (%s); the recording "
	    "says what came next", why);
	rp->dropping = 1;
}

static void
replay_sb_event(void *arg, const char *text, size_t len)
{
	struct replay		*rp = arg;
	struct replay_insert	*in = rp->cur;

	if (in == NULL)
		fatalx("%s: an event outside a command", __func__);
	in->texts = xreallocarray(in->texts, in->n + 1, sizeof *in->texts);
	in->texts[in->n++] = xstrndup(text, len);
	replay_apply_insert_event(rp, text, len);
}

static void
replay_sb_answer(void *arg, const char *text, size_t len)
{
	struct replay	*rp = arg;

	if (sync_receive(rp->sync, text, len) != 0)
		rp->dropping = 1;
}

static uint64_t
replay_sb_seq(void *arg)
{
	struct replay	*rp = arg;

	return (++rp->hseq);
}

static int64_t
replay_sb_now(void *arg)
{
	struct replay	*rp = arg;

	return (rp->clock);
}

/*
 * A command from the console, now: everything up to now is applied
 * first, then the sandbox runs it; its changes are an insert at now.
 */
static void
replay_command_in(struct replay *rp, const char *text, size_t len)
{
	struct replay_insert	*in;
	size_t			 i;

	replay_run_to(rp, rp->clock, 0, INT64_MAX);
	/* Checkpoints after now would miss this. */
	for (i = 1; i < rp->ncps; i++) {
		if (rp->cps[i].tline > rp->clock) {
			replay_cp_drop(rp, i);
			break;
		}
	}
	in = rp->cur = xcalloc(1, sizeof *in);
	in->t = rp->clock;
	sandbox_handle(rp->sb, text, len);
	rp->cur = NULL;
	if (in->n == 0) {
		free(in);
		return;
	}
	rp->inserts = xreallocarray(rp->inserts, rp->ninserts + 1,
	    sizeof *rp->inserts);
	rp->inserts[rp->ninserts++] = *in;
	rp->next_insert = rp->ninserts;
	free(in);
}

/*
 * Answer what the console sent: its hello (nothing: the recording plays
 * the backend's side), its commands (the sandbox, or a refusal while
 * watching) and digest requests (the store's digest). Safe to call from
 * anywhere but inside the sync; does nothing when called again from
 * inside itself.
 */
void
replay_pump(struct replay *rp)
{
	char	*text;
	size_t	 len;

	if (rp->pumping)
		return;
	rp->pumping = 1;
	while (rp->noutq > 0) {
		text = rp->outq[0];
		memmove(rp->outq, rp->outq + 1, --rp->noutq *
		    sizeof *rp->outq);
		len = strlen(text);
		if (replay_is(text, len, "cmd"))
			replay_command_in(rp, text, len);
		else if (!replay_is(text, len, "hello"))
			sandbox_handle(rp->sb, text, len);
		free(text);
	}
	rp->pumping = 0;
	clock_pin(rp->clock);
}

/* ==== The loop ==== */

/* The end is reached: say it, and in training show and keep the score. */
static void
replay_at_end(struct replay *rp)
{
	char	hms[16], *text, *cause = NULL;

	if (rp->end_said)
		return;
	rp->end_said = 1;
	rp->playing = 0;
	if (rp->damage == NULL)
		replay_say(rp, 0, _("end of the recording (%s)"),
		    replay_hms(rp, rp->clock, hms, sizeof hms));
	if (rp->mode != REPLAY_TRAIN)
		return;
	if (rp->score_path != NULL && replay_write_score(rp, rp->score_path,
	    &cause) != 0) {
		replay_say(rp, 1, "%s", cause);
		free(cause);
	}
	if (rp->hooks.show != NULL) {
		text = replay_score_text(rp);
		rp->hooks.show(rp->hooks.arg, _("Score"), text);
		free(text);
	}
}

static void
replay_schedule(struct replay *rp, int64_t ms)
{
	if (rp->ctx == NULL)
		return;
	lws_sul_schedule(rp->ctx, 0, &rp->sul_tick, replay_tick_cb,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

static void
replay_tick(struct replay *rp)
{
	int64_t	now = clock_mono(), deadline = now + REPLAY_BUDGET_MS;
	int64_t	target;
	double	speed = replay_speeds[rp->speed];
	int	more = 0;

	if (rp->seeking) {
		more = replay_run_to(rp, rp->goal, rp->goal_alert, deadline);
		if (!more) {
			rp->seeking = 0;
			rp->playing = rp->goal_play;
		}
	} else if (rp->playing) {
		if (speed == 0)
			more = replay_run_to(rp, INT64_MAX, 0, deadline);
		else {
			target = rp->clock + (int64_t)llround((double)(now -
			    rp->last_mono) * speed);
			more = replay_run_to(rp, target, 0, deadline);
		}
	}
	rp->last_mono = now;
	clock_pin(rp->clock);
	if (rp->ended && !rp->seeking && replay_next_t(rp) == INT64_MAX &&
	    rp->clock >= replay_end_t(rp))
		replay_at_end(rp);
	replay_pump(rp);
	replay_progress(rp);
	if (rp->seeking || (rp->playing && (speed == 0 || more)))
		replay_schedule(rp, 1);
	else if (rp->playing)
		replay_schedule(rp, REPLAY_TICK_MS);
}

static void
replay_tick_cb(lws_sorted_usec_list_t *sul)
{
	struct replay	*rp = lws_container_of(sul, struct replay, sul_tick);

	replay_tick(rp);
}

static void
replay_pump_cb(lws_sorted_usec_list_t *sul)
{
	struct replay	*rp = lws_container_of(sul, struct replay, sul_pump);

	replay_pump(rp);
	replay_progress(rp);
}

/*
 * Play on ctx's loop from now on (paused until "play"), answering the
 * console there.
 */
void
replay_attach(struct replay *rp, struct lws_context *ctx)
{
	rp->ctx = ctx;
	rp->last_mono = clock_mono();
	if (rp->noutq > 0)
		lws_sul_schedule(ctx, 0, &rp->sul_pump, replay_pump_cb, 1);
}

/*
 * Stop playing on the loop. Safe when not attached.
 */
void
replay_detach(struct replay *rp)
{
	if (rp->ctx == NULL)
		return;
	lws_sul_cancel(&rp->sul_tick);
	lws_sul_cancel(&rp->sul_pump);
	rp->ctx = NULL;
}

/* Go to t: at once without a loop, else in steps on it. */
static void
replay_goto(struct replay *rp, int64_t t, int alert)
{
	if (!alert)
		replay_jump(rp, t);
	if (rp->ctx == NULL) {
		replay_run_to(rp, t, alert, INT64_MAX);
		clock_pin(rp->clock);
		replay_progress(rp);
		return;
	}
	if (!rp->seeking)
		rp->goal_play = rp->playing;
	rp->seeking = 1;
	rp->goal = t;
	rp->goal_alert = alert;
	replay_schedule(rp, 0);
}

/* ==== Commands ==== */

/* "+30s", "-2m", "90" (seconds), "1h": ms, or -1 when not one. */
static int
replay_parse_span(const char *s, int64_t *ms)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v) || v < 0 || v > 1e7)
		return (-1);
	if (*end == '\0' || strcmp(end, "s") == 0)
		*ms = (int64_t)llround(v * 1000);
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		*ms = (int64_t)llround(v * 60000);
	else if (strcmp(end, "h") == 0)
		*ms = (int64_t)llround(v * 3600000);
	else if (strcmp(end, "ms") == 0)
		*ms = (int64_t)llround(v);
	else
		return (-1);
	return (0);
}

/*
 * A time of the recording: "+30s" or "-2m" from now, "HH:MM[:SS]" (the
 * province's clock, the first such time from the start), "N%" of the
 * whole, "start", "end", or "@MS" (ms since the epoch). Returns 0 with
 * *t, or -1 with *cause set (allocated; caller frees).
 */
int
replay_parse_time(const struct replay *rp, const char *s, int64_t *t,
    char **cause)
{
	int64_t	ms, day, local, off = (int64_t)rp->store->utc_offset_min *
		    60000;
	int	h, m, sec = 0, n;
	double	pct;
	char	*end;

	if (strcmp(s, "start") == 0)
		*t = rp->t0;
	else if (strcmp(s, "end") == 0)
		*t = rp->t1;
	else if (*s == '+' || *s == '-') {
		if (replay_parse_span(s + 1, &ms) != 0)
			goto bad;
		*t = rp->clock + (*s == '+' ? ms : -ms);
	} else if (*s == '@') {
		errno = 0;
		*t = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0' || errno != 0)
			goto bad;
	} else if (s[0] != '\0' && s[strlen(s) - 1] == '%') {
		pct = strtod(s, &end);
		if (end == s || *end != '%' || !isfinite(pct) || pct < 0 ||
		    pct > 100)
			goto bad;
		*t = rp->t0 + (int64_t)llround((double)(rp->t1 - rp->t0) *
		    pct / 100.0);
	} else if ((sscanf(s, "%d:%d:%d%n", &h, &m, &sec, &n) == 3 ||
	    (sec = 0, sscanf(s, "%d:%d%n", &h, &m, &n) == 2)) &&
	    s[n] == '\0' && h >= 0 && h < 24 && m >= 0 && m < 60 &&
	    sec >= 0 && sec < 60) {
		local = rp->t0 + off;
		day = local - ((local % 86400000) + 86400000) % 86400000;
		*t = day + ((int64_t)h * 3600 + m * 60 + sec) * 1000 - off;
		if (*t < rp->t0)
			*t += 86400000;
	} else if (replay_parse_span(s, &ms) == 0)
		*t = rp->t0 + ms;
	else
		goto bad;
	return (0);
bad:
	xasprintf(cause, _("not a time of the recording: %s (+30s, -2m, "
	    "10:42, 10:42:30, 50%%, start, end)"), s);
	return (-1);
}

static int
replay_set_speed(struct replay *rp, const char *value, char **msg)
{
	double	v;
	char	*end;
	int	i;

	if (value == NULL) {
		*msg = xstrdup(_("speed: 0.25 to 64, or max"));
		return (-1);
	}
	if (strcmp(value, "max") == 0 || strcmp(value, "fast") == 0)
		i = REPLAY_SPEED_MAX;
	else if (strcmp(value, "+") == 0 || strcmp(value, "faster") == 0)
		i = rp->speed < REPLAY_SPEED_MAX ? rp->speed + 1 : rp->speed;
	else if (strcmp(value, "-") == 0 || strcmp(value, "slower") == 0)
		i = rp->speed > 0 ? rp->speed - 1 : 0;
	else {
		v = strtod(value, &end);
		if (end != value && (strcmp(end, "x") == 0 ||
		    strcmp(end, "×") == 0))
			end = (char *)"";
		for (i = 0; i < REPLAY_SPEED_MAX; i++) {
			if (end != value && *end == '\0' &&
			    fabs(replay_speeds[i] - v) < 1e-9)
				break;
		}
		if (i == REPLAY_SPEED_MAX) {
			xasprintf(msg, _("speed: 0.25, 0.5, 1, 2, 4, 8, 16, "
			    "32, 64 or max, not %s"), value);
			return (-1);
		}
	}
	rp->speed = i;
	rp->last_mono = clock_mono();
	if (i == REPLAY_SPEED_MAX)
		*msg = xstrdup(_("replay: as fast as possible"));
	else
		xasprintf(msg, _("replay: speed %g×"), replay_speeds[i]);
	if (rp->playing)
		replay_schedule(rp, 0);
	return (0);
}

/* The next (dir 1) or previous (-1) mark's time, or -1. */
static int
replay_find_mark(struct replay *rp, int dir, int64_t *t)
{
	size_t	i;

	for (i = 0; i < rp->nmarks; i++) {
		if (dir > 0 && rp->marks[i].t > rp->clock) {
			*t = rp->marks[i].t;
			return (0);
		}
	}
	for (i = rp->nmarks; dir < 0 && i > 0; i--) {
		if (rp->marks[i - 1].t < rp->clock) {
			*t = rp->marks[i - 1].t;
			return (0);
		}
	}
	return (-1);
}

static int
replay_mark_cmp(const void *a, const void *b)
{
	const struct replay_mark	*x = a, *y = b;

	return (x->t < y->t ? -1 : x->t > y->t);
}

/*
 * Run a replay command: verb (play, pause, toggle, step, speed, faster,
 * slower, seek, next, prev, mark, status, score) with its value (or
 * NULL). Returns 0 with *msg set to a line to show (or NULL), 1 with
 * *msg set to several lines to show (the score), or -1 with *msg the
 * reason; *msg is allocated, caller frees.
 */
int
replay_command(struct replay *rp, const char *verb, const char *value,
    char **msg)
{
	struct replay_status	 st;
	int64_t			 t;
	char			 hms[16], *clean;
	size_t			 i;

	*msg = NULL;
	if (strcmp(verb, "play") == 0 || strcmp(verb, "pause") == 0 ||
	    strcmp(verb, "toggle") == 0) {
		if (strcmp(verb, "toggle") == 0)
			rp->playing = !rp->playing;
		else
			rp->playing = strcmp(verb, "play") == 0;
		if (rp->playing && rp->ended && replay_next_t(rp) ==
		    INT64_MAX) {
			rp->playing = 0;
			*msg = xstrdup(_("replay: at the end; seek back to "
			    "play again"));
			return (-1);
		}
		rp->last_mono = clock_mono();
		if (rp->playing)
			replay_schedule(rp, 0);
		*msg = xstrdup(rp->playing ? _("replay: playing") :
		    _("replay: paused"));
	} else if (strcmp(verb, "step") == 0) {
		rp->playing = 0;
		if (!replay_step(rp)) {
			*msg = xstrdup(_("replay: nothing more to play"));
			return (-1);
		}
		xasprintf(msg, _("replay: step to %s"), replay_hms(rp,
		    rp->clock, hms, sizeof hms));
	} else if (strcmp(verb, "speed") == 0)
		return (replay_set_speed(rp, value, msg));
	else if (strcmp(verb, "faster") == 0 || strcmp(verb, "slower") == 0)
		return (replay_set_speed(rp, verb, msg));
	else if (strcmp(verb, "seek") == 0) {
		if (value == NULL || replay_parse_time(rp, value, &t,
		    msg) != 0) {
			if (*msg == NULL)
				*msg = xstrdup(_("seek: a time: +30s, -2m, "
				    "10:42, 50%, start, end"));
			return (-1);
		}
		if (t < rp->t0)
			t = rp->t0;
		replay_goto(rp, t, 0);
		xasprintf(msg, _("replay: to %s"), replay_hms(rp, t, hms,
		    sizeof hms));
	} else if (strcmp(verb, "next") == 0 || strcmp(verb, "prev") == 0) {
		if (value == NULL || (strcmp(value, "alert") != 0 &&
		    strcmp(value, "mark") != 0)) {
			xasprintf(msg, _("%s: alert or mark"), verb);
			return (-1);
		}
		if (strcmp(value, "mark") == 0) {
			if (replay_find_mark(rp, *verb == 'n' ? 1 : -1,
			    &t) != 0) {
				*msg = xstrdup(*verb == 'n' ?
				    _("replay: no mark after this") :
				    _("replay: no mark before this"));
				return (-1);
			}
			replay_goto(rp, t, 0);
		} else if (*verb == 'n')
			replay_goto(rp, INT64_MAX, 1);
		else {
			for (i = rp->narrivals; i > 0; i--) {
				if (rp->arrivals[i - 1] < rp->clock)
					break;
			}
			if (i == 0) {
				*msg = xstrdup(_("replay: no alert came before "
				    "this"));
				return (-1);
			}
			replay_goto(rp, rp->arrivals[i - 1], 0);
		}
	} else if (strcmp(verb, "mark") == 0) {
		rp->marks = xreallocarray(rp->marks, rp->nmarks + 1,
		    sizeof *rp->marks);
		clean = sanitize_text(value != NULL ? value : "",
		    value != NULL ? strlen(value) : 0, 0);
		rp->marks[rp->nmarks].t = rp->clock;
		rp->marks[rp->nmarks++].text = clean;
		qsort(rp->marks, rp->nmarks, sizeof *rp->marks,
		    replay_mark_cmp);
		xasprintf(msg, _("replay: mark at %s"), replay_hms(rp,
		    rp->clock, hms, sizeof hms));
	} else if (strcmp(verb, "status") == 0) {
		replay_get_status(rp, &st);
		xasprintf(msg, _("replay: %s (%d%%) of %s; %s%s"),
		    replay_hms(rp, rp->clock, hms, sizeof hms),
		    st.permille / 10, rp->path, rp->mode == REPLAY_TRAIN ?
		    _("you in the officer's place") : _("watching"),
		    rp->damage != NULL ? _("; damaged") : "");
	} else if (strcmp(verb, "score") == 0) {
		if (rp->mode != REPLAY_TRAIN) {
			*msg = xstrdup(_("score: watching, nobody to score; "
			    "replay without --watch to act in the officer's "
			    "place"));
			return (-1);
		}
		*msg = replay_score_text(rp);
		return (1);
	} else {
		xasprintf(msg, _("replay: what is \"%s\"?"), verb);
		return (-1);
	}
	replay_progress(rp);
	return (0);
}

/* ==== What the replay is ==== */

/*
 * Fill *st with where the replay is.
 */
void
replay_get_status(const struct replay *rp, struct replay_status *st)
{
	int64_t	span = rp->t1 - rp->t0;

	memset(st, 0, sizeof *st);
	st->mode = rp->mode;
	st->playing = rp->playing;
	st->seeking = rp->seeking;
	st->ended = rp->ended && rp->have_next != 1 &&
	    rp->next_insert >= rp->ninserts;
	st->damaged = rp->damage != NULL;
	st->speed = replay_speeds[rp->speed];
	st->t = rp->clock;
	st->t0 = rp->t0;
	st->t1 = rp->t1;
	if (span <= 0)
		st->permille = st->ended ? 1000 : 0;
	else if (rp->clock >= rp->t1)
		st->permille = 1000;
	else
		st->permille = (int)((rp->clock - rp->t0) * 1000 / span);
}

/* The recording's time now. */
int64_t
replay_time(const struct replay *rp)
{
	return (rp->clock);
}

/* 1 once there is nothing more to play. */
int
replay_ended(const struct replay *rp)
{
	return (rp->ended);
}

/* Where the recording is damaged (borrowed), or NULL. */
const char *
replay_damage(const struct replay *rp)
{
	return (rp->damage);
}

/* Events given to the sync so far. */
uint64_t
replay_events(const struct replay *rp)
{
	return (rp->nevents);
}

/* The recording's header (borrowed). */
const json_t *
replay_header(const struct replay *rp)
{
	return (record_reader_header(rp->rd));
}

/* Checkpoints kept. */
size_t
replay_checkpoints(const struct replay *rp)
{
	return (rp->ncps);
}

/* Write the score to path when the replay ends (training). */
void
replay_set_score_path(struct replay *rp, const char *path)
{
	free(rp->score_path);
	rp->score_path = path != NULL ? xstrdup(path) : NULL;
}

/* ==== The score ==== */

/*
 * The score so far (core/score.c's comparison) with what it is about:
 * the recording, the officer, the time played to and whether that is
 * the end. Returns a new reference.
 */
json_t *
replay_score_json(struct replay *rp)
{
	json_t	*o = score_json(rp->score);
	char	 hms[16];

	json_object_set_new(o, "recording", json_string(rp->path));
	json_object_set_new(o, "officer", json_string(rp->officer));
	json_object_set_new(o, "at", json_integer(rp->clock));
	json_object_set_new(o, "at_local", json_string(replay_hms(rp,
	    rp->clock, hms, sizeof hms)));
	json_object_set_new(o, "complete", json_boolean(rp->ended &&
	    rp->damage == NULL));
	json_object_set_new(o, "damaged", rp->damage != NULL ?
	    json_string(rp->damage) : json_null());
	json_object_set_new(o, "held_back", json_integer(
	    (json_int_t)rp->held));
	json_object_set_new(o, "conflicts", json_integer(
	    (json_int_t)rp->dropped));
	if (rp->drun != NULL)
		json_object_set_new(o, "drill", drill_run_json(rp->drun,
		    rp->clock));
	return (o);
}

/*
 * Score the trainee on drill d too (taken over; NULL: none). The
 * recording should be of that drill: its injects are found by the
 * drill's own ("by": "drill"), in order.
 */
void
replay_set_drill(struct replay *rp, struct drill *d)
{
	drill_run_free(rp->drun);
	drill_free(rp->drill);
	rp->drun = NULL;
	rp->drill = d;
	rp->drill_next = 0;
}

/*
 * Write the score as JSON to path (replaced). Returns 0, or -1 with
 * *cause set (allocated; caller frees).
 */
int
replay_write_score(struct replay *rp, const char *path, char **cause)
{
	json_t	*o = replay_score_json(rp);
	int	 rv = 0;

	if (json_dump_file(o, path, JSON_INDENT(1) | JSON_SORT_KEYS |
	    JSON_REAL_PRECISION(10)) != 0) {
		xasprintf(cause, "%s: cannot write the score", path);
		rv = -1;
	}
	json_decref(o);
	return (rv);
}

/* "+12.3 s" / "−4.0 s", or "" for null. */
static void
replay_delta(json_t *v, char *buf, size_t len)
{
	if (!json_is_number(v)) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%+.1f s", json_number_value(v));
}

/* What one side did to an item, in a few words. */
static void
replay_facts_text(struct replay *rp, struct buf *b, json_t *f)
{
	json_t		*v;
	const char	*s;
	char		 hms[16];
	size_t		 i;

	if (!json_is_object(f)) {
		buf_adds(b, "—");
		return;
	}
	if (json_is_integer(v = json_object_get(f, "ack_at")))
		buf_printf(b, _("acknowledged %s"), replay_hms(rp,
		    json_integer_value(v), hms, sizeof hms));
	if (json_is_integer(v = json_object_get(f, "dispatch_at"))) {
		buf_adds(b, b->len > 0 ? ", " : "");
		buf_printf(b, _("dispatched %s"), replay_hms(rp,
		    json_integer_value(v), hms, sizeof hms));
		buf_adds(b, " (");
		json_array_foreach(json_object_get(f, "units"), i, v)
			buf_printf(b, "%s%s", i > 0 ? " " : "",
			    json_string_value(json_object_get(v, "type")));
		buf_addc(b, ')');
	}
	if ((s = json_string_value(json_object_get(f, "disposition"))) !=
	    NULL) {
		buf_adds(b, b->len > 0 ? ", " : "");
		buf_printf(b, _("closed as %s"), s);
	}
	if ((s = json_string_value(json_object_get(f, "dept"))) != NULL) {
		buf_adds(b, b->len > 0 ? ", " : "");
		buf_printf(b, _("assigned to %s"), s);
	}
	if ((s = json_string_value(json_object_get(f, "outcome"))) != NULL)
		buf_printf(b, "%s%s", b->len > 0 ? ", " : "", s);
	if (json_is_boolean(v = json_object_get(f, "diversion")))
		buf_printf(b, "%s%s", b->len > 0 ? ", " : "",
		    json_is_true(v) ? _("diversion on") : _("diversion off"));
	if ((s = json_string_value(json_object_get(f, "status"))) != NULL)
		buf_printf(b, "%s%s", b->len > 0 ? ", " : "", s);
	if (b->len == 0) {
		json_array_foreach(json_object_get(f, "commands"), i, v)
			buf_printf(b, "%s%s", i > 0 ? ", " : "",
			    json_string_value(v));
	}
}

/*
 * The score so far for people (translated): the counts, then one line
 * per item with what the officer and the trainee did. Caller frees.
 */
char *
replay_score_text(struct replay *rp)
{
	json_t		*o = replay_score_json(rp), *sum, *it, *v;
	struct buf	 b = BUF_INIT, fo = BUF_INIT, ft = BUF_INIT;
	const char	*verdict, *id;
	char		 d1[32], d2[32], hms[16], cid[MODEL_ID_MAX];
	size_t		 i;

	sum = json_object_get(o, "summary");
	buf_printf(&b, rp->ended ? _("Your score against %s, the officer "
	    "recorded (the whole recording)") : _("Your score against %s, the "
	    "officer recorded (so far: %s)"), rp->officer,
	    replay_hms(rp, rp->clock, hms, sizeof hms));
	buf_addc(&b, '\n');
	buf_printf(&b, _("Actions: the officer %lld, you %lld; matched %lld, "
	    "missed %lld, extra %lld"), (long long)json_integer_value(
	    json_object_get(sum, "officer_actions")), (long long)
	    json_integer_value(json_object_get(sum, "trainee_actions")),
	    (long long)json_integer_value(json_object_get(sum, "matched")),
	    (long long)json_integer_value(json_object_get(sum, "missed")),
	    (long long)json_integer_value(json_object_get(sum, "extra")));
	if (json_is_number(v = json_object_get(sum, "agreement_percent")))
		buf_printf(&b, _(" (%.0f%% of the officer's)"),
		    json_number_value(v));
	buf_addc(&b, '\n');
	buf_printf(&b, _("Items: %lld; by both %lld, only the officer %lld, "
	    "only you %lld, handled differently %lld"), (long long)
	    json_integer_value(json_object_get(sum, "items")), (long long)
	    json_integer_value(json_object_get(sum, "items_both")), (long long)
	    json_integer_value(json_object_get(sum, "items_missed")),
	    (long long)json_integer_value(json_object_get(sum, "items_extra")),
	    (long long)json_integer_value(json_object_get(sum,
	    "items_different")));
	buf_addc(&b, '\n');
	if (json_is_number(v = json_object_get(sum, "ack_delta_s_mean"))) {
		buf_printf(&b, json_number_value(v) > 0 ?
		    _("Acknowledged %.1f s later than the officer, on "
		    "average") : _("Acknowledged %.1f s sooner than the "
		    "officer, on average"), fabs(json_number_value(v)));
		buf_addc(&b, '\n');
	}
	if (json_is_number(v = json_object_get(sum,
	    "dispatch_delta_s_mean"))) {
		buf_printf(&b, json_number_value(v) > 0 ?
		    _("Dispatched %.1f s later than the officer, on "
		    "average") : _("Dispatched %.1f s sooner than the "
		    "officer, on average"), fabs(json_number_value(v)));
		buf_addc(&b, '\n');
	}
	buf_addc(&b, '\n');
	json_array_foreach(json_object_get(o, "items"), i, it) {
		verdict = json_string_value(json_object_get(it, "verdict"));
		id = json_string_value(json_object_get(it, "id"));
		sanitize_into(cid, sizeof cid, id, strlen(id), 0);
		buf_free(&fo);
		buf_free(&ft);
		replay_facts_text(rp, &fo, json_object_get(it, "officer"));
		replay_facts_text(rp, &ft, json_object_get(it, "trainee"));
		buf_printf(&b, "%-8s %s\n", cid, strcmp(verdict, "both") == 0 ?
		    _("both") : strcmp(verdict, "missed") == 0 ?
		    _("missed: only the officer") : _("extra: only you"));
		buf_printf(&b, "  %s: %s\n", _("officer"), buf_str(&fo));
		buf_printf(&b, "  %s: %s\n", _("you"), buf_str(&ft));
		replay_delta(json_object_get(it, "ack_delta_s"), d1,
		    sizeof d1);
		replay_delta(json_object_get(it, "dispatch_delta_s"), d2,
		    sizeof d2);
		if (d1[0] != '\0') {
			buf_adds(&b, "  ");
			buf_printf(&b, _("acknowledged %s after the officer"),
			    d1);
			buf_addc(&b, '\n');
		}
		if (d2[0] != '\0') {
			buf_adds(&b, "  ");
			buf_printf(&b, _("dispatched %s after the officer"),
			    d2);
			buf_addc(&b, '\n');
		}
		if (json_is_false(json_object_get(it, "same_unit_types")))
			buf_printf(&b, "  %s\n", _("other unit types"));
		if (json_is_false(json_object_get(it, "same_areas")))
			buf_printf(&b, "  %s\n", _("units from other areas"));
		if (json_is_false(json_object_get(it, "same_disposition")))
			buf_printf(&b, "  %s\n", _("another disposition"));
		if (json_is_false(json_object_get(it, "same_dept")))
			buf_printf(&b, "  %s\n", _("another department"));
		if (json_is_false(json_object_get(it, "same_outcome")))
			buf_printf(&b, "  %s\n", _("ended otherwise"));
		if (json_is_false(json_object_get(it, "same_diversion")))
			buf_printf(&b, "  %s\n", _("another diversion"));
		if (json_is_false(json_object_get(it, "same_status")))
			buf_printf(&b, "  %s\n", _("another status"));
	}
	buf_free(&fo);
	buf_free(&ft);
	json_decref(o);
	return (buf_detach(&b));
}

/* ==== Without a screen ==== */

struct replay_runner {
	const struct replay_run_opts *opts;
	struct replay		*rp;
	struct sync		*sync;
	struct store		*store;
	struct cmd_ctx		 cctx;
	int			 status;
	int			 outstanding;
	int			 quit;
};

static void __attribute__((format(printf, 2, 3)))
replay_run_say(struct replay_runner *rr, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	log_info("replay: %s", line);
	rr->opts->print(line);
	free(line);
}

static void
replay_run_fail(struct replay_runner *rr, int status)
{
	if (status > rr->status)
		rr->status = status;
}

static int
replay_run_online(void *arg)
{
	struct replay_runner	*rr = arg;

	return (sync_online(rr->sync));
}

static int
replay_run_send(void *arg, const char *cmd, json_t *args,
    const char *summary, char **cause)
{
	struct replay_runner	*rr = arg;
	int			 rv;

	rv = sync_send_cmd(rr->sync, cmd, args, summary, cause);
	if (rv >= 0)
		rr->outstanding++;
	return (rv);
}

static int
replay_run_digest(void *arg, char **cause)
{
	struct replay_runner	*rr = arg;

	if (sync_send_digest(rr->sync, cause) != 0)
		return (-1);
	rr->outstanding++;
	return (0);
}

static void
replay_run_message(void *arg, int error, const char *text)
{
	struct replay_runner	*rr = arg;

	if (error) {
		replay_run_say(rr, "error local: %s", text);
		replay_run_fail(rr, REPLAY_RUN_FAILED);
	} else
		replay_run_say(rr, "%s", text);
}

static void
replay_run_pager(void *arg, const char *title, const char *text)
{
	struct replay_runner	*rr = arg;
	const char		*p, *nl;
	char			*line;

	(void)title;
	for (p = text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		rr->opts->print(line);
		free(line);
	}
}

static void
replay_run_quit(void *arg)
{
	struct replay_runner	*rr = arg;

	rr->quit = 1;
}

static int
replay_run_train(void *arg, const char *verb, const char *value,
    char **msg)
{
	struct replay_runner	*rr = arg;

	return (replay_command(rr->rp, verb, value, msg));
}

static const struct cmd_ops replay_run_ops = {
	.online = replay_run_online,
	.send = replay_run_send,
	.digest = replay_run_digest,
	.message = replay_run_message,
	.pager = replay_run_pager,
	.quit = replay_run_quit,
	.train = replay_run_train
};

static void
replay_run_sync_message(void *arg, int error, const char *text)
{
	(void)arg;
	log_msg(error ? LOG_WARN : LOG_INFO, "sync: %s", text);
}

static void
replay_run_result(void *arg, const struct sync_result *r)
{
	struct replay_runner	*rr = arg;

	if (r->ok)
		replay_run_say(rr, "ok %s%s%s", r->summary, r->message != NULL ?
		    " " : "", r->message != NULL ? r->message : "");
	else {
		replay_run_say(rr, "error %s %s: %s", r->code != NULL ?
		    r->code : "unknown", r->summary, r->message != NULL ?
		    r->message : "");
		replay_run_fail(rr, REPLAY_RUN_FAILED);
	}
	if (rr->outstanding > 0)
		rr->outstanding--;
}

static void
replay_run_replay_message(void *arg, int error, const char *text)
{
	struct replay_runner	*rr = arg;

	if (error)
		replay_run_say(rr, "replay: %s", text);
}

static char *
replay_run_read(const char *path, char **cause)
{
	FILE		*f;
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		xasprintf(cause, "%s: read error", path);
		buf_free(&b);
		if (f != stdin)
			fclose(f);
		return (NULL);
	}
	if (f != stdin)
		fclose(f);
	buf_adds(&b, "");
	return (buf_detach(&b));
}

/*
 * Replay opts->path without a screen, as fast as possible: with a script
 * (opts->script, opts->commands) the trainee's command lines run in
 * order, each once the ones before have their results ("replay seek" and
 * the other replay commands move through the recording), and the rest
 * plays on to the end; without one (or with opts->watch) everything
 * plays as recorded. Prints "name value" lines: start_seconds (opening
 * the file, reading it through once, loading its state), then for the
 * rest events, seconds and events_per_s, the final seq and digest, the
 * recorded digests checked, the damage if any;
 * writes the score to opts->score_json in training. Returns a
 * REPLAY_RUN_ status; with REPLAY_RUN_CANNOT *cause may be set
 * (allocated; caller frees).
 */
int
replay_run(const struct replay_run_opts *opts, char **cause)
{
	struct replay_runner	 rr;
	struct drill		*d;
	struct sync_hooks	 sh;
	struct replay_hooks	 rh;
	char			*text = NULL, *all, **lines = NULL, digest[17];
	int			 nlines = 0, i;
	int64_t			 open_at, start;
	uint64_t		 events0;
	double			 secs;
	enum replay_mode	 mode;

	memset(&rr, 0, sizeof rr);
	rr.opts = opts;
	all = xstrdup("");
	if (opts->script != NULL) {
		if ((text = replay_run_read(opts->script, cause)) == NULL) {
			free(all);
			return (REPLAY_RUN_CANNOT);
		}
		free(all);
		all = text;
	}
	if (opts->commands != NULL) {
		xasprintf(&text, "%s\n%s", all, opts->commands);
		free(all);
		all = text;
	}
	lines = script_split(all, &nlines);
	free(all);
	mode = (opts->script != NULL || opts->commands != NULL) &&
	    !opts->watch ? REPLAY_TRAIN : REPLAY_WATCH;

	rr.store = store_new();
	memset(&sh, 0, sizeof sh);
	sh.arg = &rr;
	sh.message = replay_run_sync_message;
	sh.result = replay_run_result;
	rr.sync = sync_create(rr.store, &sh);
	rr.sync->ascii = 1;
	memset(&rh, 0, sizeof rh);
	rh.arg = &rr;
	rh.message = replay_run_replay_message;
	open_at = clock_mono_us();
	if ((rr.rp = replay_open(opts->path, rr.store, rr.sync, mode, &rh,
	    cause)) == NULL) {
		rr.status = REPLAY_RUN_CANNOT;
		goto out;
	}
	if (opts->drill != NULL) {
		if (drill_load(opts->drill, &d, cause) != 0) {
			rr.status = REPLAY_RUN_CANNOT;
			goto out;
		}
		replay_set_drill(rr.rp, d);
	}
	cmd_ctx_init(&rr.cctx, rr.store, &replay_run_ops, &rr);
	rr.cctx.flags = CMD_CTX_SCRIPT;
	rr.cctx.ascii = 1;
	rr.cctx.outbox = rr.sync->outbox;
	replay_start(rr.rp, nlines > 0 ? REPLAY_CP_ITEMS : 0);
	start = clock_mono_us();
	events0 = replay_events(rr.rp);

	for (i = 0; i < nlines && !rr.quit; i++) {
		cmd_run(&rr.cctx, lines[i]);
		replay_pump(rr.rp);
		if (rr.outstanding > 0) {
			replay_run_say(&rr, "queued: the link was down at this "
			    "point of the recording");
			rr.outstanding = 0;
		}
	}
	replay_play_all(rr.rp);
	replay_pump(rr.rp);
	secs = (double)(clock_mono_us() - start) / 1e6;

	store_digest(rr.store, digest);
	replay_run_say(&rr, "replay.start_seconds %.6f",
	    (double)(start - open_at) / 1e6);
	replay_run_say(&rr, "replay.events %" PRIu64, replay_events(rr.rp));
	replay_run_say(&rr, "replay.seconds %.6f", secs);
	replay_run_say(&rr, "replay.events_per_s %.0f", secs > 0 ?
	    (double)(replay_events(rr.rp) - events0) / secs : 0.0);
	replay_run_say(&rr, "replay.seq %" PRIu64, rr.store->seq);
	replay_run_say(&rr, "replay.digest %s", digest);
	if (rr.rp->checks_same + rr.rp->checks_differ > 0)
		replay_run_say(&rr, "replay.checks %" PRIu64 " same, %" PRIu64
		    " differ", rr.rp->checks_same, rr.rp->checks_differ);
	if (mode == REPLAY_TRAIN) {
		replay_run_say(&rr, "replay.held_back %" PRIu64, rr.rp->held);
		replay_run_say(&rr, "replay.conflicts %" PRIu64,
		    rr.rp->dropped);
	}
	if (replay_damage(rr.rp) != NULL) {
		replay_run_say(&rr, "replay.damaged %s", replay_damage(rr.rp));
		replay_run_fail(&rr, REPLAY_RUN_DAMAGED);
	}
	if (mode == REPLAY_TRAIN && opts->score_json != NULL &&
	    replay_write_score(rr.rp, opts->score_json, &text) != 0) {
		replay_run_say(&rr, "error local: %s", text);
		free(text);
		replay_run_fail(&rr, REPLAY_RUN_FAILED);
	}
	cmd_ctx_clear(&rr.cctx);
out:
	replay_free(rr.rp);
	sync_free(rr.sync);
	store_free(rr.store);
	script_split_free(lines, nlines);
	return (rr.status);
}
