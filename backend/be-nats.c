/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend over NATS JetStream. The stream TRUCBAN_EVENTS replaces the
 * journal as the system of record: every event the state emits is
 * appended to it with the message id "GATEWAY/ev-SEQ" and the expectation
 * that the stream's last sequence is SEQ - 1, so the stream sequence is
 * the protocol's seq and a second writer (a deposed or confused gateway)
 * cannot fork the log: its append is refused and it stops. One gateway
 * applies at a time, the holder of a lease in the KV bucket "trucban";
 * the others follow the stream and forward their clients' commands to
 * it. Every newly
 * remembered command id goes to TRUCBAN_CMDS with the command id as its
 * message id (de-duplicated over BE_NATS_DUP_MS). A gateway that starts
 * loads the newest whole snapshot of TRUCBAN_SNAP (be-nsnap.c; the
 * holder writes them) and reads the events after it and TRUCBAN_CMDS
 * through the same apply path as a journal replay (be_state_apply()), so
 * it holds what the others hold.
 *
 * Threads: libnats runs its own for I/O and calls be_nats_acked() on one
 * of them. That function touches nothing but the mutex-protected failure
 * below; the store, the state and lws are only ever touched from the
 * loop's thread. Appends are asynchronous (pipelined); be_nats_sync(),
 * called by the server at the end of every turn before anything is sent,
 * waits for their acks, the way the journal's flush waits for
 * fdatasync(). docs/ha.md has the design and each failure.
 */

#include "be-nats.h"

#ifdef HAVE_NATS

#include <sys/eventfd.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libwebsockets.h>
#include <nats/nats.h>

#include "be-cmd.h"
#include "be-idem.h"
#include "be-msg.h"
#include "be-nsnap.h"
#include "be-server.h"
#include "be-state.h"
#include "operator.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BE_NATS_EVENT_DUP_MS	(2 * 60 * 1000)	/* Retries only. */
#define BE_NATS_MAX_PENDING	65536	/* Appends in flight. */
#define BE_NATS_MAX_SERVERS	16
#define BE_NATS_TRIES		8	/* Asking a stream's info. */
#define BE_NATS_RETRY_MS	20000	/* Sending a turn's appends again. */
#define BE_NATS_ACK_MS		2000	/* Waiting for acks, a round. */
#define BE_NATS_MAX_AREAS	64	/* Of a forwarded operator. */
#define BE_NATS_TICK_US		(250 * LWS_US_PER_MS)
#define BE_NATS_RESEND_MS	2000	/* A forward unanswered: again. */
#define BE_NATS_FWD_MS		60000	/* No holder at all: close. */
#define BE_NATS_MAX_OWN		4096	/* Own records' seqs kept. */
#define BE_NATS_KV_MS		(BE_NATS_LEASE_MS / 3)	/* A lease call. */
#define BE_NATS_DRILL_BUCKET	"trucban_drill"	/* KV: drills' starts. */

/* The headers of an event's message (docs/ha.md). */
#define BE_NATS_H_CMD		"Trucban-Cmd"
#define BE_NATS_H_PART		"Trucban-Part"
#define BE_NATS_H_RECORD	"Trucban-Record"
#define BE_NATS_H_REST		"Trucban-Rest"
#define BE_NATS_H_DRILL		"Trucban-Drill"

/*
 * What libnats' threads hand to the loop, through the queue and the wake
 * fd: messages of the subscriptions, and the lease thread's news.
 */
enum be_nats_what {
	BE_NATS_EVENT,		/* An event of the stream. */
	BE_NATS_RECORD,		/* A command record of TRUCBAN_CMDS. */
	BE_NATS_APPLY,		/* A command forwarded to the applier. */
	BE_NATS_RESULT,		/* Its result, back at the gateway. */
	BE_NATS_GAINED,		/* The lease is ours; the stream ends at seq. */
	BE_NATS_LOST,		/* The lease is gone. */
	BE_NATS_HOLDER		/* Another holds it: name ("": nobody). */
};

struct be_nats_item {
	enum be_nats_what	 what;
	natsMsg			*msg;	/* Owned; NULL for the lease's. */
	uint64_t		 seq;
	uint64_t		 seq2;	/* GAINED: TRUCBAN_CMDS's end. */
	char			*name;	/* HOLDER: owned. */
	struct be_nats_item	*next;
};

/*
 * What an event's message says besides the event, in headers
 * (docs/ha.md): the command that made it, as part k of n, with the
 * command's record and the parts after it on part 1; or the drill step
 * that made it.
 */
struct be_nats_tag {
	uint64_t		 seq;		/* The event's; 0: a record. */
	char			*cmd;		/* Trucban-Cmd; or NULL. */
	int			 part;		/* Trucban-Part: k/n. */
	int			 parts;
	char			*record;	/* Part 1: Trucban-Record. */
	char			*rest;		/* Part 1: Trucban-Rest. */
	int			 step;		/* Trucban-Drill; -1: none. */
	int64_t			 start;		/* The drill's start. */
	char			*drill;		/* The drill's id. */
};

/*
 * An append of this turn, kept until the stream acked it, so that what a
 * dying stream leader lost is sent again, in order, under the same id.
 */
enum be_nats_out_state {
	BE_NATS_OUT_NEW,	/* To send. */
	BE_NATS_OUT_SENT,	/* In flight. */
	BE_NATS_OUT_ACKED,
	BE_NATS_OUT_REFUSED	/* Its error is in why. */
};
struct be_nats_out {
	const char		*subj;
	char			*id;
	uint64_t		 expect;	/* Last seq before; 0: none. */
	int			 first;		/* Expect an empty stream. */
	char			*data;
	size_t			 len;
	enum be_nats_out_state	 state;
	char			*why;
	struct be_nats_tag	 tag;	/* Headers of an event. */
};

/* A command this gateway forwarded, until its result comes. */
struct be_nats_fwd {
	uint64_t		 token;	/* In the reply subject. */
	uint64_t		 client;	/* The server's serial. */
	int64_t			 deadline;	/* clock_mono() ms. */
	int64_t			 sent;		/* Last sent, clock_mono(). */
	int			 resend;	/* Nobody listened: again. */
	char			*text;	/* The envelope. */
};

/*
 * The last command whose events the stream holds, while it holds only
 * some of them (its holder died between two appends): its id, part 1's
 * seq, how many parts are there and the rest (parsed Trucban-Rest).
 */
struct be_nats_torn {
	char			*id;		/* NULL: none. */
	uint64_t		 seq1;
	int			 part;
	int			 parts;
	json_t			*rest;
};

/* A result to answer once the turn's events are durable. */
struct be_nats_reply {
	char			*subject;
	char			*text;
};

struct be_nats {
	struct be_state		*st;
	natsConnection		*nc;
	jsCtx			*js;
	/* This gateway, in the lease. */
	char			 name[128];
	char			*inbox;		/* Its results' subjects. */

	pthread_mutex_t		 mu;
	/* Guarded by mu: first error. */
	char			*failed;
	struct be_nats_item	*head;		/* Guarded by mu. */
	struct be_nats_item	**tail;		/* Guarded by mu. */
	/* Guarded by mu; -1: detached. */
	int			 wake_fd;
	/* Guarded by mu: this turn's. */
	struct be_nats_out	*out;
	size_t			 nout;
	/*
	 * Guarded by mu: the seqs of TRUCBAN_CMDS this gateway's own
	 * records were stored at (their acks said), in order, until it
	 * has read the stream past them (be_nats_own_records()).
	 */
	uint64_t		*own_recs;
	size_t			 nown_recs;

	/*
	 * The lease thread: its own mutex and condition to stop it, and
	 * its own JetStream context, whose calls give up after
	 * BE_NATS_KV_MS: a renewal that hangs (the bucket's leader is
	 * being elected) must not hide for seconds that the lease expired.
	 */
	jsCtx			*ljs;
	kvStore			*kv;
	uint64_t		 lease_rev;	/* Of the startup's lease. */
	pthread_t		 lease_thr;
	int			 lease_running;
	pthread_mutex_t		 lease_mu;
	pthread_cond_t		 lease_cv;
	int			 lease_stop;	/* Guarded by lease_mu. */
	/* Guarded by mu: the lease's last write, clock_mono(). */
	int64_t			 lease_renewed;
	/* Guarded by mu: the loop knows the key expired. */
	int			 lease_dropped;

	/* The loop's own, below: never touched from libnats' threads. */
	struct be_server	*srv;
	struct lws_context	*ctx;
	lws_sorted_usec_list_t	 tick_sul;
	natsSubscription	*ev_sub, *rec_sub, *res_sub, *apply_sub;
	int			 applier;	/* We apply and append. */
	/* Who holds the lease, as its key says: forwards go there. */
	char			 holder[128];
	/* The lease is ours: catch up */
	int			 gaining;
	uint64_t		 gain_at;	/* ... to this event, */
	uint64_t		 gain_rec_at;	/* ... and to this record. */
	uint64_t		 rec_seq;	/* TRUCBAN_CMDS applied to. */
	int			 following;	/* Applying the stream's. */
	void			(*role)(void *, int);
	void			*role_arg;
	struct be_nats_fwd	*fwds;
	size_t			 nfwds;
	uint64_t		 next_token;
	struct be_nats_reply	*replies;
	size_t			 nreplies;
	uint64_t		 rec_last;	/* TRUCBAN_CMDS read to. */
	struct be_nats_stats	 stats;

	/* Command ids in the events' headers (be_nats_cmd_*()). */
	uint64_t		 cmd_seq0;	/* Seq before the command. */
	int			 cmd_open;	/* A command is being run. */
	struct be_nats_torn	 torn;		/* The stream's last command. */
	const char		*test_die;	/* TRUCBAN_TEST_NATS_DIE. */
	int			 replicas;

	/* Drills (be_nats_drill_*()). */
	kvStore			*dkv;		/* Bucket trucban_drill. */
	struct be_nats_tag	 playing;	/* Step being played, or -1. */
	struct be_nats_tag	 seen;		/* Of the event applied now. */

	/* Snapshots to TRUCBAN_SNAP (be-nsnap.c), by the holder. */
	struct be_nsnap_conf	 snapconf;
	struct be_nsnap_writer	*snapw;
	uint64_t		 snap_seq;	/* The last loaded, written. */
	int64_t			 snap_ms;	/* When, clock_mono(). */
};

/*
 * The headers of the event being applied from the stream, while
 * be_state_apply() calls the state's listeners (a drill asks,
 * be_nats_drill_seen()); NULL otherwise. The loop's thread only.
 */
static const struct be_nats_tag *be_nats_applying;

static void	be_nats_tag_clear(struct be_nats_tag *);
static void	be_nats_tag_event(struct be_nats *, uint64_t);
static void	be_nats_cmd_begin(struct be_nats *);
static void	be_nats_cmd_tag(struct be_nats *, const char *, json_t *);
static natsStatus be_nats_headers(natsMsg *, const struct be_nats_tag *);
static void	be_nats_read_tag(natsMsg *, struct be_nats_tag *);
static void	be_nats_after_event(struct be_nats *, uint64_t);
static void	be_nats_torn_clear(struct be_nats_torn *);
static void	be_nats_complete_torn(struct be_nats *);
static int	be_nats_remember(struct be_nats *, json_t *, int);
static void	be_nats_test_die(struct be_nats *);
static void	be_nats_send_upto(struct be_nats *, size_t);
static void	be_nats_own_record(struct be_nats *, uint64_t);

/* The status as text, with libnats' last error when it has one. */
static const char *
be_nats_why(natsStatus s, jsErrCode jerr)
{
	static __thread char	 buf[256];
	const char		*last;
	natsStatus		 ls;

	last = nats_GetLastError(&ls);
	if (last != NULL && *last != '\0')
		snprintf(buf, sizeof buf, "%s", last);
	else
		snprintf(buf, sizeof buf, "%s", natsStatus_GetText(s));
	if (jerr != 0) {
		size_t	n = strlen(buf);

		snprintf(buf + n, sizeof buf - n, " (JetStream error %d)",
		    (int)jerr);
	}
	return (buf);
}

/* Keep the first failure (why is allocated, and taken). Any thread. */
static void
be_nats_fail(struct be_nats *n, char *why)
{
	pthread_mutex_lock(&n->mu);
	if (n->failed == NULL) {
		n->failed = why;
		why = NULL;
	}
	pthread_mutex_unlock(&n->mu);
	free(why);
}

/*
 * One of this gateway's own command records was stored at seq of
 * TRUCBAN_CMDS (the ack handler's thread). A bounded list: were it
 * full, the oldest goes (the stream read back still covers it).
 */
static void
be_nats_own_record(struct be_nats *n, uint64_t seq)
{
	pthread_mutex_lock(&n->mu);
	if (n->nown_recs == BE_NATS_MAX_OWN) {
		memmove(n->own_recs, n->own_recs + 1,
		    (n->nown_recs - 1) * sizeof *n->own_recs);
		n->nown_recs--;
	}
	if (n->own_recs == NULL)
		n->own_recs = xreallocarray(NULL, BE_NATS_MAX_OWN,
		    sizeof *n->own_recs);
	n->own_recs[n->nown_recs++] = seq;
	pthread_mutex_unlock(&n->mu);
}

/*
 * libnats' ack handler, on one of its threads: marks the append (its
 * index in the header Tb-Out) acked or refused, under the mutex; the
 * loop looks in be_nats_sync(). A duplicate is our own append sent again
 * (the ids name the gateway), or a command id recorded already: acked.
 */
static void
be_nats_acked(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae,
    void *arg)
{
	struct be_nats	*n = arg;
	const char	*ix = NULL;
	size_t		 i;
	char		*why = NULL;

	(void)js;
	if (natsMsgHeader_Get(msg, "Tb-Out", &ix) != NATS_OK || ix == NULL) {
		natsMsg_Destroy(msg);
		return;
	}
	i = (size_t)strtoull(ix, NULL, 10);
	if (pae == NULL && pa != NULL && !pa->Duplicate &&
	    strcmp(natsMsg_GetSubject(msg), BE_NATS_CMDS_SUBJ) == 0)
		be_nats_own_record(n, pa->Sequence);
	if (pae != NULL)
		xasprintf(&why, "%s: %s", natsMsg_GetSubject(msg),
		    pae->ErrText != NULL ? pae->ErrText :
		    natsStatus_GetText(pae->Err));
	pthread_mutex_lock(&n->mu);
	if (i < n->nout && n->out[i].state == BE_NATS_OUT_SENT) {
		n->out[i].state = why == NULL ? BE_NATS_OUT_ACKED :
		    BE_NATS_OUT_REFUSED;
		free(n->out[i].why);
		n->out[i].why = why;
		why = NULL;
	}
	pthread_mutex_unlock(&n->mu);
	free(why);
	natsMsg_Destroy(msg);
}

/* ==== Streams ==== */

/*
 * Make sure the stream name (subject subj) exists, creating it with
 * replicas and the de-duplication window dup_ms (max_msgs, max_age_ms: 0,
 * no limit). Sets *last to its last sequence and *first to its first.
 */
static int
be_nats_stream(struct be_nats *n, const char *name, const char *subj,
    int replicas, int64_t dup_ms, int64_t max_msgs, int64_t max_age_ms,
    uint64_t *first, uint64_t *last, char **cause)
{
	jsStreamConfig	 cfg;
	jsStreamInfo	*si = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s = NATS_OK;
	const char	*subjs[1] = { subj };
	struct timespec	 pause = { 1, 0 };
	int		 try;

	/* A cluster that is still electing its leaders answers late. */
	for (try = 1; try <= BE_NATS_TRIES; try++) {
		jerr = 0;
		s = js_GetStreamInfo(&si, n->js, name, NULL, &jerr);
		if (s != NATS_TIMEOUT && s != NATS_NO_RESPONDERS)
			break;
		log_warn("nats: stream %s: %s; again", name,
		    natsStatus_GetText(s));
		nanosleep(&pause, NULL);
	}
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig_Init(&cfg);
		cfg.Name = name;
		cfg.Subjects = subjs;
		cfg.SubjectsLen = 1;
		cfg.Storage = js_FileStorage;
		cfg.Replicas = replicas;
		cfg.Duplicates = dup_ms * 1000000;
		if (max_msgs > 0)
			cfg.MaxMsgs = max_msgs;
		cfg.MaxAge = max_age_ms * 1000000;	/* ns */
		/* The server wants the window within the age. */
		if (max_age_ms > 0 && dup_ms > max_age_ms)
			cfg.Duplicates = cfg.MaxAge;
		jerr = 0;
		s = js_AddStream(&si, n->js, &cfg, NULL, &jerr);
		if (s == NATS_OK)
			log_info("nats: stream %s created (%d replica%s)",
			    name, replicas, replicas == 1 ? "" : "s");
	}
	if (s != NATS_OK) {
		xasprintf(cause, "JetStream stream %s: %s", name,
		    be_nats_why(s, jerr));
		return (-1);
	}
	*first = si->State.FirstSeq;
	*last = si->State.LastSeq;
	jsStreamInfo_Destroy(si);
	return (0);
}

/*
 * Read every message of the stream on subj after the sequence after (0:
 * from its first) to last, in order (an ordered consumer), and hand each
 * to fn. Stops at the first error fn returns.
 */
static int
be_nats_read(struct be_nats *n, const char *name, const char *subj,
    uint64_t after, uint64_t last, int (*fn)(struct be_nats *, natsMsg *,
    uint64_t, char **), char **cause)
{
	natsSubscription	*sub = NULL;
	jsSubOptions		 so;
	jsMsgMetaData		*meta;
	natsMsg			*msg;
	jsErrCode		 jerr = 0;
	natsStatus		 s;
	uint64_t		 at = 0;
	int			 rc = -1;

	if (last <= after)
		return (0);
	jsSubOptions_Init(&so);
	so.Stream = name;
	so.Ordered = true;
	if (after > 0) {
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = after + 1;
	}
	at = after;
	s = js_SubscribeSync(&sub, n->js, subj, NULL, &so, &jerr);
	if (s != NATS_OK) {
		xasprintf(cause, "reading %s: %s", name, be_nats_why(s, jerr));
		return (-1);
	}
	while (at < last) {
		s = natsSubscription_NextMsg(&msg, sub, BE_NATS_WAIT_MS);
		if (s != NATS_OK) {
			xasprintf(cause, "reading %s after %" PRIu64 ": %s",
			    name, at, be_nats_why(s, 0));
			goto out;
		}
		if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
			natsMsg_Destroy(msg);
			continue;	/* Not a stream message. */
		}
		at = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
		if (fn(n, msg, at, cause) != 0) {
			natsMsg_Destroy(msg);
			goto out;
		}
		natsMsg_Destroy(msg);
	}
	rc = 0;
out:
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
	return (rc);
}

/*
 * One event read back: its seq must be its stream sequence (the mapping
 * the protocol relies on), and it goes through the replay's apply path.
 */
static int
be_nats_replay_event(struct be_nats *n, natsMsg *msg, uint64_t sseq,
    char **cause)
{
	const char	*text = natsMsg_GetData(msg);
	size_t		 len = (size_t)natsMsg_GetDataLength(msg);
	json_error_t	 jerr;
	json_t		*o;
	json_int_t	 seq;
	int		 rc;

	if ((o = json_loadb(text, len, 0, &jerr)) == NULL) {
		xasprintf(cause, "%s message %" PRIu64 " is not JSON: %s",
		    BE_NATS_EVENTS, sseq, jerr.text);
		return (-1);
	}
	seq = json_integer_value(json_object_get(o, "seq"));
	if (seq <= 0 || (uint64_t)seq != sseq) {
		xasprintf(cause, "%s message %" PRIu64 " holds event %"
		    JSON_INTEGER_FORMAT, BE_NATS_EVENTS, sseq, seq);
		json_decref(o);
		return (-1);
	}
	be_nats_read_tag(msg, &n->seen);
	be_nats_applying = &n->seen;
	rc = be_state_apply(n->st, o, text, len,
	    be_state_listeners(n->st) > 0, cause);
	be_nats_applying = NULL;
	json_decref(o);
	if (rc >= 0)
		be_nats_after_event(n, sseq);
	be_nats_tag_clear(&n->seen);
	if (rc == 0)
		n->stats.events++;
	return (rc < 0 ? -1 : 0);
}

/* One command record read back: its id is remembered with its result. */
static int
be_nats_replay_command(struct be_nats *n, natsMsg *msg, uint64_t sseq,
    char **cause)
{
	json_t		*o;

	o = json_loadb(natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), 0, NULL);
	if (be_nats_remember(n, o, 1) != 0) {
		xasprintf(cause, "%s message %" PRIu64 " is not a command "
		    "record", BE_NATS_CMDS, sseq);
		json_decref(o);
		return (-1);
	}
	n->stats.commands++;
	json_decref(o);
	return (0);
}

/* ==== Appending ==== */

/* Keep an append for this turn's be_nats_sync(). */
static void
be_nats_append(struct be_nats *n, const char *subj, const char *id,
    uint64_t expect, int first, const void *data, size_t len)
{
	struct be_nats_out	*o;

	pthread_mutex_lock(&n->mu);
	n->out = xreallocarray(n->out, n->nout + 1, sizeof *n->out);
	o = &n->out[n->nout++];
	memset(o, 0, sizeof *o);
	o->subj = subj;
	o->id = xstrdup(id);
	o->expect = expect;
	o->first = first;
	o->data = xmalloc(len);
	memcpy(o->data, data, len);
	o->len = len;
	o->state = BE_NATS_OUT_NEW;
	o->tag.step = -1;
	pthread_mutex_unlock(&n->mu);
}

/*
 * The state's listener: the event goes to the stream as message
 * "GATEWAY/ev-SEQ", expected right after SEQ - 1 (for the first, on an
 * empty stream).
 */
static void
be_nats_on_event(void *arg, struct be_msg *m)
{
	struct be_nats	*n = arg;
	char		 id[192];

	if (n->following)
		return;		/* It came from the stream. */
	snprintf(id, sizeof id, "%s/ev-%" PRIu64, n->name, m->seq);
	be_nats_append(n, BE_NATS_EVENTS_SUBJ, id, m->seq - 1, m->seq == 1,
	    be_msg_text(m), m->len);
	be_nats_tag_event(n, m->seq);
	n->stats.published++;
}

/* The state's listener: a newly remembered id, keyed by itself. */
static void
be_nats_on_command(void *arg, const char *id, const char *by,
    const char *payload, const char *result)
{
	struct be_nats	*n = arg;
	json_t		*o, *r;
	char		*text;

	if (n->following)
		return;		/* Read from the streams. */
	if ((r = json_loads(result, 0, NULL)) == NULL)
		fatalx("%s: result of %s is not JSON", __func__, id);
	o = json_pack("{s:s s:I s:s s:s s:s s:o}", "type", "command",
	    "seq", (json_int_t)n->st->store->seq, "id", id, "by",
	    by != NULL ? by : "", "payload", payload, "result", r);
	if (o == NULL)
		fatalx("%s: cannot build the record of %s", __func__, id);
	if (n->cmd_open)
		be_nats_cmd_tag(n, id, o);
	n->cmd_open = 0;
	text = proto_dump(o);
	json_decref(o);
	be_nats_append(n, BE_NATS_CMDS_SUBJ, id, 0, 0, text, strlen(text));
	free(text);
}

/* ==== Command ids and drill steps in the events' own messages ==== */

/*
 * A command's events carry its id (Trucban-Cmd) and their place in it
 * (Trucban-Part: k/n); the first also carries the command's record
 * (Trucban-Record, as in TRUCBAN_CMDS) and the events after it
 * (Trucban-Rest, a JSON array). So a gateway that reads the stream
 * remembers the id from the events themselves, however the holder died,
 * and the seq mapping stays stream seq = protocol seq: TRUCBAN_CMDS
 * matters only for commands without events (refusals, annotations). A
 * holder that died between two of a command's appends left part 1 of n
 * (or k of n) at the stream's end: the stream is a prefix of what it
 * appended (each append expects the one before), so the next holder
 * appends the rest from part 1's Trucban-Rest, under the seqs they were
 * made with (be_nats_complete_torn()). Events a drill step made carry
 * Trucban-Drill: "STEP START DRILL" so another gateway knows what the
 * step made and how far the drill got.
 */

static void
be_nats_tag_clear(struct be_nats_tag *t)
{
	free(t->cmd);
	free(t->record);
	free(t->rest);
	free(t->drill);
	memset(t, 0, sizeof *t);
	t->step = -1;
}

static int
be_nats_is_event(const struct be_nats_out *o)
{
	return (strcmp(o->subj, BE_NATS_EVENTS_SUBJ) == 0);
}

/* The event just appended is seq; a drill step being played made it. */
static void
be_nats_tag_event(struct be_nats *n, uint64_t seq)
{
	struct be_nats_tag	*t;

	pthread_mutex_lock(&n->mu);
	t = &n->out[n->nout - 1].tag;
	t->seq = seq;
	if (n->playing.step >= 0) {
		t->step = n->playing.step;
		t->start = n->playing.start;
		t->drill = xstrdup(n->playing.drill);
	}
	pthread_mutex_unlock(&n->mu);
}

/*
 * A command is about to run here (the server's forward hook or a
 * forwarded one): the events after this seq are its own, until its
 * record (be_nats_on_command()). A repeated id makes no record: the
 * next command's begin starts afresh.
 */
static void
be_nats_cmd_begin(struct be_nats *n)
{
	n->cmd_seq0 = n->st->store->seq;
	n->cmd_open = 1;
}

/*
 * The command id was newly remembered with the record: its events of
 * this turn (after cmd_seq0, not yet anybody's) become parts 1..n, and
 * part 1 gets the record and the others' texts.
 */
static void
be_nats_cmd_tag(struct be_nats *n, const char *id, json_t *record)
{
	struct be_nats_out	*o;
	json_t			*rest, *ev;
	size_t			 i, first = SIZE_MAX;
	int			 parts = 0, k = 0;

	/* From the end: the turn's appends are in seq order. */
	pthread_mutex_lock(&n->mu);
	for (i = n->nout; i > 0; i--) {
		o = &n->out[i - 1];
		if (!be_nats_is_event(o))
			continue;
		if (o->tag.seq <= n->cmd_seq0 || o->tag.cmd != NULL)
			break;
		first = i - 1;
		parts++;
	}
	if (parts == 0) {
		pthread_mutex_unlock(&n->mu);
		return;
	}
	rest = json_array();
	for (i = first; i < n->nout; i++) {
		o = &n->out[i];
		if (!be_nats_is_event(o) || o->tag.seq <= n->cmd_seq0 ||
		    o->tag.cmd != NULL)
			continue;
		o->tag.cmd = xstrdup(id);
		o->tag.part = ++k;
		o->tag.parts = parts;
		if (k > 1 && (ev = json_loadb(o->data, o->len, 0,
		    NULL)) != NULL)
			json_array_append_new(rest, ev);
	}
	o = &n->out[first];
	o->tag.record = json_dumps(record, JSON_COMPACT | JSON_ENSURE_ASCII |
	    JSON_SORT_KEYS);
	if (parts > 1)
		o->tag.rest = json_dumps(rest, JSON_COMPACT |
		    JSON_ENSURE_ASCII);
	pthread_mutex_unlock(&n->mu);
	json_decref(rest);
}

/* The tag's headers on the message (ASCII only, no line breaks). */
static natsStatus
be_nats_headers(natsMsg *msg, const struct be_nats_tag *t)
{
	char		 buf[192];
	natsStatus	 s = NATS_OK;

	if (t->cmd != NULL) {
		snprintf(buf, sizeof buf, "%d/%d", t->part, t->parts);
		s = natsMsgHeader_Set(msg, BE_NATS_H_CMD, t->cmd);
		if (s == NATS_OK)
			s = natsMsgHeader_Set(msg, BE_NATS_H_PART, buf);
		if (s == NATS_OK && t->record != NULL)
			s = natsMsgHeader_Set(msg, BE_NATS_H_RECORD,
			    t->record);
		if (s == NATS_OK && t->rest != NULL)
			s = natsMsgHeader_Set(msg, BE_NATS_H_REST, t->rest);
	}
	if (s == NATS_OK && t->step >= 0) {
		snprintf(buf, sizeof buf, "%d %lld %s", t->step,
		    (long long)t->start, t->drill);
		s = natsMsgHeader_Set(msg, BE_NATS_H_DRILL, buf);
	}
	return (s);
}

/* What an event's message says in its headers, into t (cleared). */
static void
be_nats_read_tag(natsMsg *msg, struct be_nats_tag *t)
{
	const char	*v;
	char		 drill[128];
	long long	 start;
	int		 step, part, parts;

	be_nats_tag_clear(t);
	if (natsMsgHeader_Get(msg, BE_NATS_H_CMD, &v) == NATS_OK &&
	    v != NULL) {
		t->cmd = xstrdup(v);
		t->part = t->parts = 1;
		if (natsMsgHeader_Get(msg, BE_NATS_H_PART, &v) == NATS_OK &&
		    v != NULL && sscanf(v, "%d/%d", &part, &parts) == 2 &&
		    part >= 1 && part <= parts) {
			t->part = part;
			t->parts = parts;
		}
		if (natsMsgHeader_Get(msg, BE_NATS_H_RECORD, &v) == NATS_OK &&
		    v != NULL)
			t->record = xstrdup(v);
		if (natsMsgHeader_Get(msg, BE_NATS_H_REST, &v) == NATS_OK &&
		    v != NULL)
			t->rest = xstrdup(v);
	}
	if (natsMsgHeader_Get(msg, BE_NATS_H_DRILL, &v) == NATS_OK &&
	    v != NULL && sscanf(v, "%d %lld %127s", &step, &start,
	    drill) == 3 && step >= 0) {
		t->step = step;
		t->start = start;
		t->drill = xstrdup(drill);
	}
}

/*
 * A command record (o, borrowed), from TRUCBAN_CMDS or an event's
 * Trucban-Record: its id is remembered with its result. When the id is
 * new here and tell is set, the state's listeners hear of it (a drill
 * takes a trainer's annotation), as if it had run here. Returns 0, or -1
 * when o is no command record.
 */
static int
be_nats_remember(struct be_nats *n, json_t *o, int tell)
{
	json_t		*r;
	const char	*id, *payload, *by, *p0, *r0;
	char		*rtext;

	id = json_string_value(json_object_get(o, "id"));
	payload = json_string_value(json_object_get(o, "payload"));
	by = json_string_value(json_object_get(o, "by"));
	r = json_object_get(o, "result");
	if (id == NULL || payload == NULL || !json_is_object(r))
		return (-1);
	if (be_idem_find(n->st->idem, id, &p0, &r0))
		return (0);
	rtext = proto_dump(r);
	be_idem_put(n->st->idem, id, payload, rtext);
	if (tell) {
		n->following = 1;
		be_state_command(n->st, id, by, payload, rtext);
		n->following = 0;
	}
	free(rtext);
	return (0);
}

static void
be_nats_torn_clear(struct be_nats_torn *tr)
{
	free(tr->id);
	json_decref(tr->rest);
	memset(tr, 0, sizeof *tr);
}

/*
 * After event seq of the stream (its headers in n->seen) was applied:
 * remember its command's id, and follow the parts of the stream's last
 * command, to know whether the stream holds all of them.
 */
static void
be_nats_after_event(struct be_nats *n, uint64_t seq)
{
	struct be_nats_tag	*t = &n->seen;
	struct be_nats_torn	*tr = &n->torn;
	json_t			*o;

	if (t->record != NULL) {
		o = json_loads(t->record, 0, NULL);
		if (be_nats_remember(n, o, 1) != 0)
			log_warn("nats: event %" PRIu64 ": a bad %s",
			    seq, BE_NATS_H_RECORD);
		json_decref(o);
	}
	if (t->cmd != NULL && t->part == 1 && t->parts > 1) {
		be_nats_torn_clear(tr);
		tr->id = xstrdup(t->cmd);
		tr->seq1 = seq;
		tr->part = 1;
		tr->parts = t->parts;
		if (t->rest == NULL || (tr->rest = json_loads(t->rest, 0,
		    NULL)) == NULL || !json_is_array(tr->rest) ||
		    json_array_size(tr->rest) != (size_t)t->parts - 1) {
			log_warn("nats: event %" PRIu64 ": a bad %s", seq,
			    BE_NATS_H_REST);
			be_nats_torn_clear(tr);
		}
		return;
	}
	if (tr->id != NULL && t->cmd != NULL && strcmp(tr->id, t->cmd) == 0 &&
	    t->part == tr->part + 1 && seq == tr->seq1 + (uint64_t)tr->part) {
		if (++tr->part == tr->parts)
			be_nats_torn_clear(tr);
		return;
	}
	if (tr->id != NULL)
		log_warn("nats: command %s has %d of its %d events in the "
		    "stream, then event %" PRIu64 " of another", tr->id,
		    tr->part, tr->parts, seq);
	be_nats_torn_clear(tr);
}

/*
 * The new holder, caught up: when the stream ends with some of a
 * command's events (its holder died between its appends), append the
 * others, as they were made, under their seqs; the command's clients
 * then see all of it, and a retry of its id its first result.
 */
static void
be_nats_complete_torn(struct be_nats *n)
{
	struct be_nats_torn	*tr = &n->torn;
	struct be_nats_out	*o;
	json_t			*ev;
	char			*text, *cause = NULL, *why;
	uint64_t		 tail = n->st->store->seq;
	int			 k;
	size_t			 i;

	if (tr->id == NULL)
		return;
	if (tr->seq1 + (uint64_t)tr->part - 1 != tail) {
		be_nats_torn_clear(tr);
		return;		/* Not the stream's end. */
	}
	log_warn("nats: command %s: %d of its %d events in the stream (its "
	    "holder died between them): appending the others", tr->id,
	    tr->part, tr->parts);
	for (k = tr->part + 1; k <= tr->parts; k++) {
		ev = json_array_get(tr->rest, (size_t)k - 2);
		text = proto_dump(ev);
		if (be_state_apply(n->st, ev, text, strlen(text), 1,
		    &cause) != 0) {
			xasprintf(&why, "nats: completing command %s: %s",
			    tr->id, cause != NULL ? cause : "already applied");
			free(cause);
			free(text);
			be_nats_fail(n, why);
			break;
		}
		free(text);
	}
	pthread_mutex_lock(&n->mu);
	for (i = 0, k = tr->part; i < n->nout; i++) {
		o = &n->out[i];
		if (!be_nats_is_event(o) || o->tag.seq <= tail ||
		    o->tag.cmd != NULL || k == tr->parts)
			continue;
		o->tag.cmd = xstrdup(tr->id);
		o->tag.part = ++k;
		o->tag.parts = tr->parts;
	}
	pthread_mutex_unlock(&n->mu);
	be_nats_torn_clear(tr);
}

/*
 * The fault hook of tests/e2e/nats-exactly-once.sh, for tests only:
 * with TRUCBAN_TEST_NATS_DIE=record in its environment the holder kills
 * itself (SIGKILL) once a command's events are acknowledged, before its
 * record is sent; with =part, once only the first of a command's several
 * events is. Never set it for a province.
 */
static void
be_nats_test_die(struct be_nats *n)
{
	struct be_nats_tag	*t;
	jsPubOptions		 po;
	size_t			 i, cut = SIZE_MAX;
	int			 part = strcmp(n->test_die, "part") == 0;

	for (i = 0; i < n->nout && cut == SIZE_MAX; i++) {
		t = &n->out[i].tag;
		if (t->cmd == NULL)
			continue;
		if (part ? t->parts > 1 && t->part == 1 : t->part == t->parts)
			cut = i;
	}
	if (cut == SIZE_MAX)
		return;
	be_nats_send_upto(n, cut + 1);
	jsPubOptions_Init(&po);
	po.MaxWait = BE_NATS_ACK_MS;
	js_PublishAsyncComplete(n->js, &po);
	log_warn("nats: TRUCBAN_TEST_NATS_DIE=%s: killed after the event %"
	    PRIu64 " of command %s", n->test_die, n->out[cut].tag.seq,
	    n->out[cut].tag.cmd);
	raise(SIGKILL);
}

/* ==== Drills over the stream ==== */

/*
 * A drill's id as a KV key's and a header's word: what is not a letter,
 * a digit, '-' or '_' becomes '_' (a drill's id is free text).
 */
static void
be_nats_drill_key(const char *drill, char *buf, size_t sz)
{
	size_t	i;

	for (i = 0; drill[i] != '\0' && i + 1 < sz; i++) {
		buf[i] = drill[i];
		if (!((drill[i] >= 'a' && drill[i] <= 'z') ||
		    (drill[i] >= 'A' && drill[i] <= 'Z') ||
		    (drill[i] >= '0' && drill[i] <= '9') ||
		    drill[i] == '-' || drill[i] == '_'))
			buf[i] = '_';
	}
	buf[i] = '\0';
}

/* The bucket of drills' starts, made or found on first use. */
static int
be_nats_drill_bucket(struct be_nats *n, char **cause)
{
	kvConfig	kc;
	natsStatus	s;

	if (n->dkv != NULL)
		return (0);
	kvConfig_Init(&kc);
	kc.Bucket = BE_NATS_DRILL_BUCKET;
	kc.History = 1;
	kc.Replicas = n->replicas;
	kc.StorageType = js_FileStorage;
	s = js_KeyValue(&n->dkv, n->js, BE_NATS_DRILL_BUCKET);
	if (s == NATS_NOT_FOUND)
		s = js_CreateKeyValue(&n->dkv, n->js, &kc);
	if (s != NATS_OK) {
		xasprintf(cause, "JetStream bucket %s: %s",
		    BE_NATS_DRILL_BUCKET, be_nats_why(s, 0));
		n->dkv = NULL;
		return (-1);
	}
	return (0);
}

/*
 * The start of the drill called drill (ms, the province's clock), as the
 * bucket trucban_drill holds it (key "start.DRILL"), or as an event of
 * one of its steps said. Not there yet: the lease's holder writes now
 * (the first to write wins); another gateway waits for it. Returns 1
 * with *start set, 0 when not started yet, -1 with *cause set. Blocks
 * for a KV call.
 */
int
be_nats_drill_start(struct be_nats *n, const char *drill, int64_t now,
    int64_t *start, char **cause)
{
	kvEntry		*e = NULL;
	natsStatus	 s;
	uint64_t	 rev;
	char		 key[160], val[32];
	int		 try;

	if (be_nats_drill_bucket(n, cause) != 0)
		return (-1);
	memcpy(key, "start.", 6);
	be_nats_drill_key(drill, key + 6, sizeof key - 6);
	for (try = 0; try < 2; try++) {
		s = kvStore_Get(&e, n->dkv, key);
		if (s == NATS_OK) {
			*start = strtoll(kvEntry_ValueString(e), NULL, 10);
			kvEntry_Destroy(e);
			return (1);
		}
		if (s != NATS_NOT_FOUND) {
			xasprintf(cause, "drill %s: its start in %s: %s", drill,
			    BE_NATS_DRILL_BUCKET, be_nats_why(s, 0));
			return (-1);
		}
		if (!n->applier)
			return (0);
		snprintf(val, sizeof val, "%lld", (long long)now);
		if (kvStore_Create(&rev, n->dkv, key, val,
		    (int)strlen(val)) == NATS_OK) {
			*start = now;
			return (1);
		}
		/* Another wrote it first: read it. */
	}
	xasprintf(cause, "drill %s: cannot write its start in %s", drill,
	    BE_NATS_DRILL_BUCKET);
	return (-1);
}

/*
 * The events made from now on are step's of the drill (started at
 * start); step -1: none's.
 */
void
be_nats_drill_playing(struct be_nats *n, const char *drill, int step,
    int64_t start)
{
	be_nats_tag_clear(&n->playing);
	if (step < 0)
		return;
	n->playing.step = step;
	n->playing.start = start;
	n->playing.drill = xmalloc(strlen(drill) + 1);
	be_nats_drill_key(drill, n->playing.drill, strlen(drill) + 1);
}

/*
 * Whether the event of the stream being applied now (by a gateway being
 * opened too: a listener registered before be_nats_open() hears the
 * events read back) was made by a step of the drill called drill: 1
 * with *step and *start set, else 0.
 */
int
be_nats_drill_seen(const char *drill, int *step, int64_t *start)
{
	const struct be_nats_tag	*t = be_nats_applying;
	char				 key[128];

	if (t == NULL || t->step < 0)
		return (0);
	be_nats_drill_key(drill, key, sizeof key);
	if (strcmp(t->drill, key) != 0)
		return (0);
	*step = t->step;
	*start = t->start;
	return (1);
}

/* ==== From libnats' threads to the loop ==== */

/*
 * Queue an item for the loop and wake it (any thread). After
 * be_nats_detach() nothing is queued: the item and what it holds are
 * dropped.
 */
static void
be_nats_queue(struct be_nats *n, struct be_nats_item *it)
{
	uint64_t	one = 1;

	pthread_mutex_lock(&n->mu);
	if (n->wake_fd == -1) {
		pthread_mutex_unlock(&n->mu);
		if (it->msg != NULL)
			natsMsg_Destroy(it->msg);
		free(it->name);
		free(it);
		return;
	}
	*n->tail = it;
	n->tail = &it->next;
	if (write(n->wake_fd, &one, sizeof one) != (ssize_t)sizeof one &&
	    errno != EAGAIN)
		log_warn("nats: wake: %s", strerror(errno));
	pthread_mutex_unlock(&n->mu);
}

/* A message for the loop (any thread). */
static void
be_nats_post(struct be_nats *n, enum be_nats_what what, natsMsg *msg,
    uint64_t seq)
{
	struct be_nats_item	*it;

	it = xcalloc(1, sizeof *it);
	it->what = what;
	it->msg = msg;
	it->seq = seq;
	be_nats_queue(n, it);
}

/* The lease's news: both streams' ends (any thread). */
static void
be_nats_post2(struct be_nats *n, enum be_nats_what what, uint64_t seq,
    uint64_t seq2)
{
	struct be_nats_item	*it;

	it = xcalloc(1, sizeof *it);
	it->what = what;
	it->seq = seq;
	it->seq2 = seq2;
	be_nats_queue(n, it);
}

static void
be_nats_got_event(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	(void)nc;
	(void)sub;
	be_nats_post(arg, BE_NATS_EVENT, msg, 0);
}

static void
be_nats_got_record(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	(void)nc;
	(void)sub;
	be_nats_post(arg, BE_NATS_RECORD, msg, 0);
}

static void
be_nats_got_apply(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	(void)nc;
	(void)sub;
	be_nats_post(arg, BE_NATS_APPLY, msg, 0);
}

static void
be_nats_got_result(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	(void)nc;
	(void)sub;
	be_nats_post(arg, BE_NATS_RESULT, msg, 0);
}

/* ==== The lease ==== */

/*
 * A gateway's name as one token of a NATS subject, and as safe for a log
 * line: what is not a letter, a digit, ':', '-' or '_' becomes '_' (a
 * host name has dots; the key's value comes from the network).
 */
static void
be_nats_token(const char *name, size_t len, char *buf, size_t sz)
{
	size_t	i;
	char	c;

	for (i = 0; i < len && name[i] != '\0' && i + 1 < sz; i++) {
		c = name[i];
		buf[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == ':' || c == '-' ||
		    c == '_') ? c : '_';
	}
	buf[i] = '\0';
}

/* The subject a holder takes forwarded commands on: apply.NAME. */
static void
be_nats_apply_subject(const char *holder, char *buf, size_t sz)
{
	char	tok[128];

	be_nats_token(holder, strlen(holder), tok, sizeof tok);
	snprintf(buf, sz, "%s.%s", BE_NATS_APPLY_SUBJ, tok);
}

/* Tell the loop who holds the lease now (the lease thread). */
static void
be_nats_post_holder(struct be_nats *n, const char *name)
{
	struct be_nats_item	*it;

	it = xcalloc(1, sizeof *it);
	it->what = BE_NATS_HOLDER;
	it->name = xstrdup(name);
	be_nats_queue(n, it);
}

/*
 * Who holds the lease, as the key says: its value, as a subject's token,
 * into buf ("" when nobody does: expired or given back). Returns 0, or
 * -1 when the bucket did not answer (unknown).
 */
static int
be_nats_lease_who(struct be_nats *n, char *buf, size_t sz)
{
	kvEntry		*e = NULL;
	natsStatus	 s;

	s = kvStore_Get(&e, n->kv, "applier");
	if (s == NATS_NOT_FOUND) {
		buf[0] = '\0';
		return (0);
	}
	if (s != NATS_OK)
		return (-1);
	be_nats_token(kvEntry_Value(e), (size_t)kvEntry_ValueLen(e), buf,
	    sz);
	kvEntry_Destroy(e);
	return (0);
}

/*
 * Not holding the lease: learn who does, and tell the loop when that
 * changed since told (the followers' forwards go to the holder by name,
 * so that one that stopped, or lost the lease without knowing yet, is
 * sent nothing).
 */
static void
be_nats_lease_watch(struct be_nats *n, char *told, size_t sz)
{
	char	who[128];

	if (be_nats_lease_who(n, who, sizeof who) != 0 ||
	    strcmp(who, told) == 0)
		return;
	snprintf(told, sz, "%s", who);
	be_nats_post_holder(n, who);
}

/*
 * The stream's last sequence now, or UINT64_MAX when it cannot be read
 * in BE_NATS_KV_MS (the lease thread's context): the key just created
 * is not renewed meanwhile, and would expire under a long wait.
 */
static uint64_t
be_nats_last_seq(struct be_nats *n, const char *stream)
{
	jsStreamInfo	*si = NULL;
	uint64_t	 last = UINT64_MAX;

	if (js_GetStreamInfo(&si, n->ljs, stream, NULL, NULL) ==
	    NATS_OK) {
		last = si->State.LastSeq;
		jsStreamInfo_Destroy(si);
	}
	return (last);
}

/*
 * The lease thread wrote the key at at: note it, for the loop's
 * be_nats_lease_check(). Returns 0, or -1 when the loop had given the
 * lease up meanwhile (it saw no write for BE_NATS_LEASE_MS: the key
 * expired, as far as it knows): then the key, ours again for a moment,
 * is given back.
 */
static int
be_nats_lease_wrote(struct be_nats *n, int gained, int64_t at)
{
	int	dropped;

	pthread_mutex_lock(&n->mu);
	if (gained)
		n->lease_dropped = 0;
	dropped = n->lease_dropped;
	if (!dropped)
		n->lease_renewed = at;
	pthread_mutex_unlock(&n->mu);
	if (dropped)
		kvStore_Delete(n->kv, "applier");
	return (dropped ? -1 : 0);
}

/*
 * Whether the key still names this gateway, with *rev set to its
 * revision: a renewal whose answer did not come in BE_NATS_KV_MS may
 * have been stored, and the next then fails on the revision. Only this
 * gateway writes its own name.
 */
static int
be_nats_lease_ours(struct be_nats *n, uint64_t *rev)
{
	kvEntry	*e = NULL;
	int	 ours = 0;

	if (kvStore_Get(&e, n->kv, "applier") != NATS_OK)
		return (0);
	if ((size_t)kvEntry_ValueLen(e) == strlen(n->name) &&
	    memcmp(kvEntry_Value(e), n->name, strlen(n->name)) == 0) {
		*rev = kvEntry_Revision(e);
		ours = 1;
	}
	kvEntry_Destroy(e);
	return (ours);
}

/* Whether the loop gave the lease up (be_nats_lease_check()). */
static int
be_nats_lease_dropped(struct be_nats *n)
{
	int	dropped;

	pthread_mutex_lock(&n->mu);
	dropped = n->lease_dropped;
	pthread_mutex_unlock(&n->mu);
	return (dropped);
}

/*
 * The lease thread: holds the key "applier" of the bucket, whose entries
 * expire BE_NATS_LEASE_MS after their last write. Not holding it: try
 * to create it (only possible when absent or expired). Holding it:
 * update it with the revision we wrote last, so a holder that was away
 * (stopped, cut off) past the expiry finds a newer revision and knows it
 * lost. Every BE_NATS_LEASE_MS / 3; the loop hears of every change. The
 * KV calls block this thread, never the loop.
 */
static void *
be_nats_lease_main(void *arg)
{
	struct be_nats	*n = arg;
	struct timespec	 ts;
	uint64_t	 rev = n->lease_rev, last, rlast;
	int		 held = n->lease_rev != 0;
	int64_t		 renewed = clock_mono(), at, eager = 0;
	natsStatus	 s, ls;
	const char	*err;
	char		 told[128];
	long		 ms;

	/* What the loop knows of the holder (be_nats_lease_open()). */
	if (held)
		be_nats_token(n->name, strlen(n->name), told, sizeof told);
	else
		snprintf(told, sizeof told, "%s", n->holder);
	pthread_mutex_lock(&n->lease_mu);
	while (!n->lease_stop) {
		pthread_mutex_unlock(&n->lease_mu);
		if (!held) {
			s = kvStore_Create(&rev, n->kv, "applier", n->name,
			    (int)strlen(n->name));
			at = clock_mono();
			/*
			 * Where the stream ends, to catch up to before
			 * applying; unknown (no stream leader yet), the
			 * lease goes back and is tried again.
			 */
			if (s == NATS_OK && ((last = be_nats_last_seq(n,
			    BE_NATS_EVENTS)) == UINT64_MAX || (rlast =
			    be_nats_last_seq(n, BE_NATS_CMDS)) == UINT64_MAX))
				kvStore_Delete(n->kv, "applier");
			else if (s == NATS_OK) {
				held = 1;
				renewed = at;
				be_nats_lease_wrote(n, 1, at);
				be_nats_token(n->name, strlen(n->name), told,
				    sizeof told);
				be_nats_post2(n, BE_NATS_GAINED, last, rlast);
			} else
				be_nats_lease_watch(n, told, sizeof told);
		} else if (be_nats_lease_dropped(n)) {
			held = 0;	/* The loop knows. */
			told[0] = '\0';
			be_nats_lease_watch(n, told, sizeof told);
		} else {
			s = kvStore_Update(&last, n->kv, "applier", n->name,
			    (int)strlen(n->name), rev);
			err = nats_GetLastError(&ls);
			if (s == NATS_OK && be_nats_lease_wrote(n, 0,
			    clock_mono()) != 0) {
				held = 0;
				told[0] = '\0';
			} else if (s == NATS_OK) {
				rev = last;
				renewed = clock_mono();
			} else if (err != NULL && strstr(err,
			    "wrong last sequence") != NULL &&
			    be_nats_lease_ours(n, &rev) &&
			    clock_mono() - renewed < BE_NATS_LEASE_MS) {
				/* Our own renewal whose answer timed out. */
			} else if ((err != NULL && strstr(err,
			    "wrong last sequence") != NULL) || clock_mono() -
			    renewed >= BE_NATS_LEASE_MS * 2 / 3) {
				/*
				 * Another wrote the key, or ours may have
				 * expired: lost. A short hiccup (an election)
				 * is not. Expired, not taken: try to take it
				 * back four times a second for a while, as the
				 * loop may have appends in flight that a new
				 * holder's would refuse (it would then stop).
				 */
				if (err == NULL || strstr(err,
				    "wrong last sequence") == NULL)
					eager = clock_mono() +
					    2 * BE_NATS_LEASE_MS;
				held = 0;
				be_nats_post(n, BE_NATS_LOST, NULL, 0);
				told[0] = '\0';
				be_nats_lease_watch(n, told, sizeof told);
			}
		}
		ms = !held && clock_mono() < eager ? BE_NATS_LEASE_MS / 12 :
		    BE_NATS_LEASE_MS / 3;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (ms % 1000) * 1000000L;
		ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&n->lease_mu);
		if (!n->lease_stop)
			pthread_cond_timedwait(&n->lease_cv, &n->lease_mu, &ts);
	}
	pthread_mutex_unlock(&n->lease_mu);
	/*
	 * A clean stop gives the lease back, so another gateway takes it
	 * at once rather than after the expiry. (Were it lost unnoticed in
	 * the last third of a period, the next holder loses it for a turn;
	 * the expected-last-sequence check still keeps the log whole.)
	 */
	if (held)
		kvStore_Delete(n->kv, "applier");
	return (NULL);
}

/*
 * The bucket (created with the expiry, or found), and one try at the
 * lease, at startup: a gateway that gets it applies from the start.
 */
static int
be_nats_lease_open(struct be_nats *n, int replicas, char **cause)
{
	kvConfig	kc;
	kvStore		*kv = NULL;
	jsOptions	jo;
	natsStatus	s;
	int		try;

	kvConfig_Init(&kc);
	kc.Bucket = BE_NATS_BUCKET;
	kc.History = 1;
	kc.TTL = (int64_t)BE_NATS_LEASE_MS * 1000000;	/* ns */
	kc.Replicas = replicas;
	kc.StorageType = js_MemoryStorage;
	s = js_KeyValue(&kv, n->js, BE_NATS_BUCKET);
	if (s == NATS_NOT_FOUND)
		s = js_CreateKeyValue(&kv, n->js, &kc);
	kvStore_Destroy(kv);
	/* The lease's own calls, on a context that waits less. */
	jsOptions_Init(&jo);
	jo.Wait = BE_NATS_KV_MS;
	if (s == NATS_OK)
		s = natsConnection_JetStream(&n->ljs, n->nc, &jo);
	for (try = 1; s == NATS_OK && try <= BE_NATS_TRIES; try++) {
		if ((s = js_KeyValue(&n->kv, n->ljs, BE_NATS_BUCKET)) !=
		    NATS_TIMEOUT)
			break;
		s = NATS_OK;
	}
	if (s != NATS_OK || n->kv == NULL) {
		xasprintf(cause, "JetStream bucket %s: %s", BE_NATS_BUCKET,
		    be_nats_why(s != NATS_OK ? s : NATS_TIMEOUT, 0));
		return (-1);
	}
	if (kvStore_Create(&n->lease_rev, n->kv, "applier", n->name,
	    (int)strlen(n->name)) != NATS_OK)
		n->lease_rev = 0;
	n->applier = n->lease_rev != 0;
	n->lease_renewed = clock_mono();
	if (n->applier)
		be_nats_token(n->name, strlen(n->name), n->holder,
		    sizeof n->holder);
	else if (be_nats_lease_who(n, n->holder, sizeof n->holder) != 0)
		n->holder[0] = '\0';	/* The lease thread learns it. */
	return (0);
}

/* ==== The loop's side ==== */

static void	be_nats_send_fwd(struct be_nats *, struct be_nats_fwd *);

/*
 * Take forwarded commands, on this gateway's own subject (apply.NAME):
 * followers send to the holder the lease's key names, so a holder that
 * stopped, or lost the lease without knowing yet, is sent nothing.
 */
static natsStatus
be_nats_take_commands(struct be_nats *n)
{
	char	subj[192];

	be_nats_apply_subject(n->name, subj, sizeof subj);
	return (natsConnection_Subscribe(&n->apply_sub, n->nc, subj,
	    be_nats_got_apply, n));
}

/*
 * The holder is now name (this gateway's own when it applies): every
 * command still waiting for its result goes there at once, so one sent
 * to a holder that stopped or died is answered as soon as the next one
 * applies. A follower that became the holder sends its own to itself:
 * they are applied like any forwarded command.
 */
static void
be_nats_new_holder(struct be_nats *n, const char *name)
{
	size_t	i;

	be_nats_token(name, strlen(name), n->holder, sizeof n->holder);
	for (i = 0; i < n->nfwds && n->holder[0] != '\0'; i++)
		be_nats_send_fwd(n, &n->fwds[i]);
}

static void	be_nats_set_applier(struct be_nats *, int);

/*
 * A holder whose lease thread wrote no renewal for BE_NATS_LEASE_MS
 * (this process was stopped, or the bucket unreachable, and the renewal
 * is hanging) knows its key expired, and another may hold it: it stops
 * applying now, before it runs anything more, rather than when the
 * thread's call returns. Called as the loop wakes, on its tick, and
 * before a command is applied. Returns 1 while it applies.
 */
static int
be_nats_lease_check(struct be_nats *n)
{
	int	stale;

	if (!n->applier && !n->gaining)
		return (0);
	pthread_mutex_lock(&n->mu);
	stale = clock_mono() - n->lease_renewed >= BE_NATS_LEASE_MS;
	if (stale)
		n->lease_dropped = 1;
	pthread_mutex_unlock(&n->mu);
	if (!stale)
		return (n->applier);
	log_warn("nats: %s: the lease was not renewed for %d ms: it has "
	    "expired", n->name, BE_NATS_LEASE_MS);
	n->gaining = 0;
	n->holder[0] = '\0';
	be_nats_set_applier(n, 0);
	return (0);
}

static void
be_nats_set_applier(struct be_nats *n, int applier)
{
	if (n->applier == applier)
		return;
	n->applier = applier;
	n->gaining = 0;
	n->gain_at = n->gain_rec_at = 0;
	if (applier) {
		if (be_nats_take_commands(n) != NATS_OK)
			be_nats_fail(n, xstrdup("nats: cannot take commands"));
		log_info("nats: %s holds the lease: applying from seq %"
		    PRIu64, n->name, n->st->store->seq);
		be_nats_complete_torn(n);
		be_nats_new_holder(n, n->name);
	} else {
		natsSubscription_Unsubscribe(n->apply_sub);
		natsSubscription_Destroy(n->apply_sub);
		n->apply_sub = NULL;
		n->holder[0] = '\0';	/* The lease thread says who next. */
		log_warn("nats: %s lost the lease: following from seq %"
		    PRIu64, n->name, n->st->store->seq);
	}
	if (n->role != NULL)
		n->role(n->role_arg, applier);
}

/*
 * The command records read from TRUCBAN_CMDS go on past the ones this
 * gateway stored itself: it remembered their ids when it ran them. A
 * holder that loses the lease for a moment (its renewals hang during an
 * election) and takes it back must not wait, to catch up, for its own
 * records to come back through its consumer of the stream, which may
 * itself be recovering from the election for many seconds.
 */
static void
be_nats_own_records(struct be_nats *n)
{
	size_t	i = 0;

	pthread_mutex_lock(&n->mu);
	for (i = 0; i < n->nown_recs && n->own_recs[i] <= n->rec_seq + 1;
	    i++) {
		if (n->own_recs[i] == n->rec_seq + 1)
			n->rec_seq++;
	}
	if (i > 0) {
		memmove(n->own_recs, n->own_recs + i,
		    (n->nown_recs - i) * sizeof *n->own_recs);
		n->nown_recs -= i;
	}
	pthread_mutex_unlock(&n->mu);
}

/*
 * A gateway that took the lease applies once it holds everything both
 * streams held then: every event, and every command id remembered, so
 * that a command sent again is known.
 */
static void
be_nats_caught_up(struct be_nats *n)
{
	be_nats_own_records(n);
	if (n->gaining && n->st->store->seq >= n->gain_at &&
	    n->rec_seq >= n->gain_rec_at)
		be_nats_set_applier(n, 1);
}

/* A following gateway applies what the stream says, as a replay does. */
static void
be_nats_follow(struct be_nats *n, natsMsg *msg)
{
	const char	*text = natsMsg_GetData(msg);
	size_t		 len = (size_t)natsMsg_GetDataLength(msg);
	json_t		*o;
	char		*cause = NULL;
	int		 rc;

	if ((o = json_loadb(text, len, 0, NULL)) == NULL) {
		be_nats_fail(n, xstrdup("nats: an event of the stream is not "
		    "JSON"));
		return;
	}
	n->following = 1;
	be_nats_read_tag(msg, &n->seen);
	be_nats_applying = &n->seen;
	rc = be_state_apply(n->st, o, text, len, 1, &cause);
	be_nats_applying = NULL;
	if (rc < 0) {
		char	*why;

		xasprintf(&why, "nats: following the stream: %s", cause);
		free(cause);
		be_nats_fail(n, why);
	} else
		be_nats_after_event(n, (uint64_t)json_integer_value(
		    json_object_get(o, "seq")));
	be_nats_tag_clear(&n->seen);
	n->following = 0;
	json_decref(o);
	be_nats_caught_up(n);
}

/* A command record of another applier: its id is remembered here too. */
static void
be_nats_record(struct be_nats *n, natsMsg *msg)
{
	jsMsgMetaData	*meta;
	char		*cause = NULL;

	if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
		if (meta->Sequence.Stream > n->rec_seq)
			n->rec_seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
	if (be_nats_replay_command(n, msg, 0, &cause) != 0) {
		log_warn("nats: %s", cause);
		free(cause);
	}
	be_nats_caught_up(n);
}

/*
 * The applier: a command another gateway forwarded, with the operator it
 * authenticated (gateways trust each other: NATS's own authorisation
 * keeps others off the subject). The result is answered after the
 * turn's events are durable (be_nats_sync()).
 */
static void
be_nats_apply(struct be_nats *n, natsMsg *msg)
{
	struct operator	 op;
	const char	*areas[BE_NATS_MAX_AREAS], *reply;
	json_t		*o, *jop, *cmd, *a, *res;
	size_t		 i;

	reply = natsMsg_GetReply(msg);
	if (!be_nats_lease_check(n) || reply == NULL)
		return;		/* Its sender will try again. */
	o = json_loadb(natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), 0, NULL);
	jop = json_object_get(o, "op");
	cmd = json_object_get(o, "msg");
	memset(&op, 0, sizeof op);
	op.name = json_string_value(json_object_get(jop, "name"));
	op.role = operator_role_parse(json_string_value(json_object_get(jop,
	    "role")));
	json_array_foreach(json_object_get(jop, "areas"), i, a) {
		if (op.nareas == BE_NATS_MAX_AREAS ||
		    json_string_value(a) == NULL)
			break;
		areas[op.nareas++] = json_string_value(a);
	}
	op.areas = areas;
	if (op.name == NULL || !json_is_object(cmd) ||
	    (int)op.role == -1) {
		log_warn("nats: a forwarded command without operator or "
		    "command; ignored");
		json_decref(o);
		return;
	}
	be_nats_cmd_begin(n);
	res = be_cmd_exec(n->st, &op, cmd);
	n->replies = xreallocarray(n->replies, n->nreplies + 1,
	    sizeof *n->replies);
	n->replies[n->nreplies].subject = xstrdup(reply);
	n->replies[n->nreplies].text = proto_dump(res);
	n->nreplies++;
	json_decref(res);
	json_decref(o);
}

static ssize_t
be_nats_find_fwd(struct be_nats *n, uint64_t token)
{
	size_t	i;

	for (i = 0; i < n->nfwds; i++) {
		if (n->fwds[i].token == token)
			return ((ssize_t)i);
	}
	return (-1);
}

static void
be_nats_drop_fwd(struct be_nats *n, size_t i)
{
	free(n->fwds[i].text);
	n->fwds[i] = n->fwds[--n->nfwds];
}

/* A forwarded command's result: to its client, if still here. */
static void
be_nats_result(struct be_nats *n, natsMsg *msg)
{
	const char	*subj = natsMsg_GetSubject(msg), *dot;
	uint64_t	 token;
	ssize_t		 i;
	json_t		*res;

	if ((dot = strrchr(subj, '.')) == NULL)
		return;
	token = strtoull(dot + 1, NULL, 10);
	if ((i = be_nats_find_fwd(n, token)) == -1)
		return;		/* Answered already (sent twice). */
	if (natsMsg_IsNoResponders(msg)) {
		n->fwds[i].resend = 1;	/* No applier yet: at the tick. */
		return;
	}
	res = json_loadb(natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), 0, NULL);
	if (res != NULL && n->srv != NULL)
		be_server_deliver(n->srv, n->fwds[i].client, res);
	else
		json_decref(res);
	be_nats_drop_fwd(n, (size_t)i);
}

/*
 * Send a forwarded command to the holder, by name; while nobody holds
 * the lease (it expired, nobody took it yet) it waits for the next.
 */
static void
be_nats_send_fwd(struct be_nats *n, struct be_nats_fwd *f)
{
	char	reply[192], subj[192];

	f->resend = 1;
	if (n->holder[0] == '\0')
		return;
	snprintf(reply, sizeof reply, "%s.%" PRIu64, n->inbox, f->token);
	be_nats_apply_subject(n->holder, subj, sizeof subj);
	f->sent = clock_mono();
	if (natsConnection_PublishRequest(n->nc, subj, reply, f->text,
	    (int)strlen(f->text)) == NATS_OK)
		f->resend = 0;
}

/*
 * The server's forward hook: on the applier, 0 (apply here); elsewhere
 * the command and its operator go to the applier, and the result comes
 * back to this client.
 */
int
be_nats_forward(void *arg, const struct operator *op, json_t *msg,
    uint64_t client)
{
	struct be_nats		*n = arg;
	struct be_nats_fwd	*f;
	json_t			*o, *areas;
	size_t			 i;

	if (be_nats_lease_check(n)) {
		be_nats_cmd_begin(n);
		return (0);
	}
	areas = json_array();
	for (i = 0; i < op->nareas; i++)
		json_array_append_new(areas, json_string(op->areas[i]));
	o = json_pack("{s:{s:s s:s s:o} s:O}", "op", "name", op->name,
	    "role", operator_role_name(op->role), "areas", areas, "msg", msg);
	if (o == NULL)
		fatalx("%s: cannot build the envelope", __func__);
	n->fwds = xreallocarray(n->fwds, n->nfwds + 1, sizeof *n->fwds);
	f = &n->fwds[n->nfwds++];
	f->token = ++n->next_token;
	f->client = client;
	f->deadline = clock_mono() + BE_NATS_FWD_MS;
	f->text = proto_dump(o);
	json_decref(o);
	be_nats_send_fwd(n, f);
	return (1);
}

/*
 * Every BE_NATS_TICK_US: forwards nobody took (no holder, or it does not
 * take commands yet), or unanswered for BE_NATS_RESEND_MS, are sent
 * again. The client keeps waiting, on its link, while the lease moves
 * and the next holder catches up: its console would only send the
 * command again elsewhere, under the same id. Only a forward without a
 * result for BE_NATS_FWD_MS (no holder at all: NATS unreachable) closes
 * its client's link, so that its console tries another gateway.
 */
static void
be_nats_tick(lws_sorted_usec_list_t *sul)
{
	struct be_nats	*n;
	int64_t		 now = clock_mono();
	size_t		 i = 0;

	n = lws_container_of(sul, struct be_nats, tick_sul);
	be_nats_lease_check(n);
	be_nats_caught_up(n);
	while (i < n->nfwds) {
		if (now >= n->fwds[i].deadline) {
			log_warn("nats: no applier answered in %d ms",
			    BE_NATS_FWD_MS);
			be_server_deliver(n->srv, n->fwds[i].client, NULL);
			be_nats_drop_fwd(n, i);
			continue;
		}
		/*
		 * Unanswered a while: the holder may be stopped or gone, and
		 * the lease elsewhere. The same command again is harmless:
		 * the holder answers a known id with its first result.
		 */
		if (n->fwds[i].resend || now - n->fwds[i].sent >=
		    BE_NATS_RESEND_MS)
			be_nats_send_fwd(n, &n->fwds[i]);
		i++;
	}
	lws_sul_schedule(n->ctx, 0, &n->tick_sul, be_nats_tick,
	    BE_NATS_TICK_US);
}

/*
 * The server's wake hook, in the loop: take what libnats' threads
 * queued, in order.
 */
void
be_nats_wake(void *arg)
{
	struct be_nats		*n = arg;
	struct be_nats_item	*it, *next;
	uint64_t		 v;

	pthread_mutex_lock(&n->mu);
	if (n->wake_fd != -1 && read(n->wake_fd, &v, sizeof v) < 0 &&
	    errno != EAGAIN)
		log_warn("nats: wake: %s", strerror(errno));
	it = n->head;
	n->head = NULL;
	n->tail = &n->head;
	pthread_mutex_unlock(&n->mu);

	be_nats_lease_check(n);
	for (; it != NULL; it = next) {
		next = it->next;
		switch (it->what) {
		case BE_NATS_EVENT:
			be_nats_follow(n, it->msg);
			break;
		case BE_NATS_RECORD:
			be_nats_record(n, it->msg);
			break;
		case BE_NATS_APPLY:
			be_nats_apply(n, it->msg);
			break;
		case BE_NATS_RESULT:
			be_nats_result(n, it->msg);
			break;
		case BE_NATS_GAINED:
			log_info("nats: %s took the lease; catching up to "
			    "seq %" PRIu64, n->name, it->seq);
			be_nats_token(n->name, strlen(n->name), n->holder,
			    sizeof n->holder);
			n->gaining = 1;
			n->gain_at = it->seq;
			n->gain_rec_at = it->seq2;
			be_nats_caught_up(n);
			break;
		case BE_NATS_LOST:
			n->gaining = 0;
			n->holder[0] = '\0';
			be_nats_set_applier(n, 0);
			break;
		case BE_NATS_HOLDER:
			if (n->applier || n->gaining ||
			    strcmp(n->holder, it->name) == 0)
				break;
			/* Not "holds the lease": the tests read that as ours. */
			if (*it->name == '\0')
				log_info("nats: the lease is free");
			else
				log_info("nats: forwarding to %s, the lease's "
				    "holder", it->name);
			be_nats_new_holder(n, it->name);
			break;
		}
		natsMsg_Destroy(it->msg);
		free(it->name);
		free(it);
	}
}

/* Subscribe cb to what the stream on subj holds after seq, in order. */
static natsSubscription *
be_nats_tail(struct be_nats *n, const char *stream, const char *subj,
    uint64_t after, natsMsgHandler cb, char **cause)
{
	natsSubscription	*sub = NULL;
	jsSubOptions		 so;
	jsErrCode		 jerr = 0;
	natsStatus		 s;

	jsSubOptions_Init(&so);
	so.Stream = stream;
	so.Ordered = true;
	if (after > 0) {
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = after + 1;
	}
	s = js_Subscribe(&sub, n->js, subj, cb, n, NULL, &so, &jerr);
	if (s != NATS_OK) {
		xasprintf(cause, "following %s: %s", stream,
		    be_nats_why(s, jerr));
		return (NULL);
	}
	natsSubscription_SetPendingLimits(sub, -1, -1);
	return (sub);
}

/* ==== Snapshots (be-nsnap.c) ==== */

/*
 * At the start: the newest whole snapshot in TRUCBAN_SNAP that the events
 * go on from, loaded; the events are then read from the seq after it.
 * Without one the events must start at 1 (a stream trimmed by its max age
 * needs a snapshot). slast: TRUCBAN_SNAP's last sequence. Returns 0, or
 * -1 with *cause set.
 */
static int
be_nats_snap_restore(struct be_nats *n, uint64_t efirst, uint64_t elast,
    uint64_t slast, char **cause)
{
	uint64_t	seq = 0;

	/*
	 * An empty stream starts a new history: snapshots of an old one
	 * (the events stream deleted, not the snapshots) must never be
	 * loaded on top of it.
	 */
	if (elast == 0 && slast != 0) {
		if (js_PurgeStream(n->js, BE_NSNAP_STREAM, NULL, NULL) !=
		    NATS_OK) {
			xasprintf(cause, "%s is empty, and the snapshots of "
			    "%s cannot be purged", BE_NATS_EVENTS,
			    BE_NSNAP_STREAM);
			return (-1);
		}
		log_warn("nats: %s is empty: the snapshots in %s were of "
		    "another history; purged", BE_NATS_EVENTS,
		    BE_NSNAP_STREAM);
	}
	if (elast != 0 && be_nsnap_restore(n->js, n->st, efirst, elast, &seq,
	    cause) != 0)
		return (-1);
	if (elast != 0 && seq == 0 && efirst != 1) {
		xasprintf(cause, "%s starts at %" PRIu64 ", not 1 (trimmed by "
		    "its limits), and %s holds no whole snapshot it goes on "
		    "from: this gateway cannot build the state", BE_NATS_EVENTS,
		    efirst, BE_NSNAP_STREAM);
		return (-1);
	}
	if (elast != 0 && efirst > 1)
		log_info("nats: %s starts at seq %" PRIu64 " (older events "
		    "aged out); the snapshot at seq %" PRIu64 " goes before",
		    BE_NATS_EVENTS, efirst, seq);
	n->stats.snapshot_seq = n->snap_seq = seq;
	n->snap_ms = clock_mono();
	n->snapw = be_nsnap_writer_new(n->js);
	return (0);
}

/*
 * At the end of a turn whose appends are durable: the holder takes a
 * snapshot every snapconf.every events, and at least every
 * BE_NSNAP_EVERY_MS while events come, one at a time. The loop builds
 * the record; its thread writes it.
 */
static void
be_nats_snap_maybe(struct be_nats *n)
{
	uint64_t	seq = n->st->store->seq;
	int64_t		now = clock_mono();

	if (n->snapw == NULL || n->srv == NULL ||
	    be_nsnap_writer_busy(n->snapw) || !n->applier ||
	    n->snapconf.every == 0 || seq <= n->snap_seq)
		return;
	if (seq - n->snap_seq < n->snapconf.every &&
	    now - n->snap_ms < BE_NSNAP_EVERY_MS)
		return;
	be_nsnap_writer_start(n->snapw, n->st, 0);
	n->snap_seq = seq;
	n->snap_ms = now;
	n->stats.snapshots++;
}

/* ==== API ==== */

int
be_nats_available(void)
{
	return (1);
}

/*
 * Connect to the servers in urls (comma-separated), make sure both
 * streams exist (replicas each: 3 in a cluster, 1 on one server), and
 * rebuild st (its dataset loaded, nothing emitted yet) from them; then
 * every event and command record of st goes to them. The state's
 * listeners registered before (a drill) hear what is read back. Returns 0 and sets
 * *np (caller closes with be_nats_close()), or -1 with *cause set.
 */
int
be_nats_open(struct be_state *st, const char *urls, int replicas,
    const struct be_nsnap_conf *snapconf, struct be_nats **np, char **cause)
{
	struct be_nats	*n;
	natsOptions	*o = NULL;
	jsOptions	 jo;
	natsStatus	 s;
	char		*copy, *p, *tok, *servers[BE_NATS_MAX_SERVERS];
	int		 nservers = 0;
	uint64_t	 efirst, elast, cfirst, clast, sfirst, slast;
	int64_t		 t0 = clock_mono();

	n = xcalloc(1, sizeof *n);
	n->st = st;
	n->snapconf = *snapconf;
	n->tail = &n->head;
	n->replicas = replicas;
	n->playing.step = n->seen.step = -1;
	n->test_die = getenv("TRUCBAN_TEST_NATS_DIE");
	if (n->test_die != NULL && *n->test_die == '\0')
		n->test_die = NULL;
	pthread_mutex_init(&n->mu, NULL);
	pthread_mutex_init(&n->lease_mu, NULL);
	pthread_cond_init(&n->lease_cv, NULL);
	if (gethostname(n->name, sizeof n->name - 24) != 0)
		snprintf(n->name, sizeof n->name, "?");
	snprintf(n->name + strlen(n->name), 24, ":%ld", (long)getpid());
	if ((n->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		xasprintf(cause, "eventfd: %s", strerror(errno));
		goto fail;
	}

	copy = xstrdup(urls);
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (nservers == BE_NATS_MAX_SERVERS) {
			xasprintf(cause, "--nats: more than %d servers",
			    BE_NATS_MAX_SERVERS);
			free(copy);
			goto fail;
		}
		servers[nservers++] = tok;
	}
	if (nservers == 0) {
		xasprintf(cause, "--nats: no server URL");
		free(copy);
		goto fail;
	}
	if ((s = natsOptions_Create(&o)) != NATS_OK ||
	    (s = natsOptions_SetServers(o, (const char **)servers,
	    nservers)) != NATS_OK ||
	    (s = natsOptions_SetName(o, "trucban-backend")) != NATS_OK ||
	    (s = natsOptions_SetMaxReconnect(o, -1)) != NATS_OK ||
	    (s = natsOptions_SetReconnectWait(o, 250)) != NATS_OK ||
	    (s = natsOptions_SetTimeout(o, 2000)) != NATS_OK ||
	    (s = natsConnection_Connect(&n->nc, o)) != NATS_OK) {
		xasprintf(cause, "cannot connect to NATS at %s: %s", urls,
		    be_nats_why(s, 0));
		free(copy);
		goto fail;
	}
	free(copy);
	jsOptions_Init(&jo);
	jo.Wait = BE_NATS_WAIT_MS;
	jo.PublishAsync.MaxPending = BE_NATS_MAX_PENDING;
	jo.PublishAsync.AckHandler = be_nats_acked;
	jo.PublishAsync.AckHandlerClosure = n;
	if ((s = natsConnection_JetStream(&n->js, n->nc, &jo)) != NATS_OK) {
		xasprintf(cause, "JetStream: %s", be_nats_why(s, 0));
		goto fail;
	}
	if (be_nats_stream(n, BE_NATS_EVENTS, BE_NATS_EVENTS_SUBJ, replicas,
	    BE_NATS_EVENT_DUP_MS, 0, n->snapconf.max_age_ms, &efirst, &elast,
	    cause) != 0 ||
	    be_nats_stream(n, BE_NATS_CMDS, BE_NATS_CMDS_SUBJ, replicas,
	    BE_NATS_DUP_MS, BE_IDEM_IDS, 0, &cfirst, &clast, cause) != 0 ||
	    be_nats_stream(n, BE_NSNAP_STREAM, BE_NSNAP_SUBJ, replicas, 0, 0,
	    0, &sfirst, &slast, cause) != 0)
		goto fail;
	if (st->store->seq != 0 && elast != 0) {
		xasprintf(cause, "the state is at seq %" PRIu64 " already",
		    st->store->seq);
		goto fail;
	}
	if (be_nats_snap_restore(n, efirst, elast, slast, cause) != 0 ||
	    be_nats_read(n, BE_NATS_EVENTS, BE_NATS_EVENTS_SUBJ,
	    n->stats.snapshot_seq, elast, be_nats_replay_event, cause) != 0 ||
	    be_nats_read(n, BE_NATS_CMDS, BE_NATS_CMDS_SUBJ, 0, clast,
	    be_nats_replay_command, cause) != 0)
		goto fail;
	if (elast != 0) {
		be_state_restored(st);
		n->stats.restored = 1;
	}
	n->rec_last = n->rec_seq = clast;
	if (natsInbox_Create((natsInbox **)&n->inbox) != NATS_OK ||
	    be_nats_lease_open(n, replicas, cause) != 0)
		goto fail;
	n->stats.ms = clock_mono() - t0;
	log_info("nats %s: %s seq %" PRIu64 " (snapshot %" PRIu64 ", %"
	    PRIu64 " events after it, %" PRIu64 " command records read back) "
	    "in %lld ms; %s %s", urls, n->stats.restored ? "restored" :
	    "new stream, at", st->store->seq, n->stats.snapshot_seq,
	    n->stats.events, n->stats.commands, (long long)n->stats.ms,
	    n->name, n->applier ? "holds the lease: applying" :
	    "follows the stream");
	natsOptions_Destroy(o);
	be_state_listen(st, be_nats_on_event, be_nats_on_command, n);
	if (n->applier)
		be_nats_complete_torn(n);
	*np = n;
	return (0);

fail:
	natsOptions_Destroy(o);
	be_nats_close(n);
	return (-1);
}

/* Send what is new or was refused, in order, up to out[end]. */
static void
be_nats_send_upto(struct be_nats *n, size_t end)
{
	struct be_nats_out	*o;
	jsPubOptions		 po;
	natsMsg			*msg;
	char			 ix[24];
	size_t			 i;

	for (i = 0; i < n->nout && i < end; i++) {
		o = &n->out[i];
		if (o->state == BE_NATS_OUT_ACKED || o->state ==
		    BE_NATS_OUT_SENT)
			continue;
		jsPubOptions_Init(&po);
		po.MsgId = o->id;
		po.ExpectLastSeq = o->expect;
		po.ExpectNoMessage = o->first;
		snprintf(ix, sizeof ix, "%zu", i);
		pthread_mutex_lock(&n->mu);
		o->state = BE_NATS_OUT_SENT;
		pthread_mutex_unlock(&n->mu);
		if (natsMsg_Create(&msg, o->subj, NULL, o->data,
		    (int)o->len) != NATS_OK ||
		    natsMsgHeader_Set(msg, "Tb-Out", ix) != NATS_OK ||
		    be_nats_headers(msg, &o->tag) != NATS_OK ||
		    js_PublishMsgAsync(n->js, &msg, &po) != NATS_OK) {
			natsMsg_Destroy(msg);
			pthread_mutex_lock(&n->mu);
			o->state = BE_NATS_OUT_REFUSED;
			free(o->why);
			o->why = xstrdup(be_nats_why(NATS_ERR, 0));
			pthread_mutex_unlock(&n->mu);
		}
	}
}

/* Send what is new or was refused, in order. */
static void
be_nats_send_out(struct be_nats *n)
{
	be_nats_send_upto(n, SIZE_MAX);
}

/*
 * An append refused because the stream is already past what it expected
 * ("wrong last sequence: N", N beyond): another gateway appended there.
 * Sending it again cannot help; this gateway's state is not the log's.
 */
static int
be_nats_forked(const struct be_nats_out *o)
{
	const char	*p;

	if (o->why == NULL || o->first ||
	    (p = strstr(o->why, "wrong last sequence: ")) == NULL)
		return (0);
	return (strtoull(p + 21, NULL, 10) > o->expect);
}

/*
 * Make this turn's appends durable: send them, wait for their acks, and
 * send again, in order and under the same ids and expectations, what got
 * no ack or was refused (a stream leader that dies takes its acks with
 * it, and the stream answers nobody until a new one is elected, within
 * seconds). The stream keeps each id once, so an append it had is only
 * acked again; an expectation a refused append failed holds once what
 * came before it is in. Another writer's appends fail the expectations
 * every time: after BE_NATS_RETRY_MS, -1 with *cause set. The loop
 * waits meanwhile, as it waits for the journal's fdatasync().
 */
static int
be_nats_complete(struct be_nats *n, char **cause)
{
	jsPubOptions	 po;
	natsMsgList	 pending;
	struct timespec	 pause = { 0, 250 * 1000000L };
	size_t		 i, left;
	int		 try, forked;
	int64_t		 until = clock_mono() + BE_NATS_RETRY_MS;
	const char	*why = NULL;

	if (n->test_die != NULL)
		be_nats_test_die(n);
	jsPubOptions_Init(&po);
	po.MaxWait = BE_NATS_ACK_MS;
	for (try = 1;; try++) {
		be_nats_send_out(n);
		if (js_PublishAsyncComplete(n->js, &po) == NATS_TIMEOUT &&
		    js_PublishAsyncGetPendingList(&pending, n->js) == NATS_OK)
			natsMsgList_Destroy(&pending); /* Ours now. */
		pthread_mutex_lock(&n->mu);
		for (i = 0, left = 0, forked = 0; i < n->nout; i++) {
			if (n->out[i].state == BE_NATS_OUT_ACKED)
				continue;
			if (left++ == 0)
				why = n->out[i].why != NULL ? n->out[i].why :
				    "no ack";
			n->out[i].state = BE_NATS_OUT_REFUSED;
			forked |= be_nats_forked(&n->out[i]);
		}
		pthread_mutex_unlock(&n->mu);
		if (left == 0)
			return (0);
		if (forked || clock_mono() >= until) {
			xasprintf(cause, "JetStream: %zu appends not taken "
			    "in %d ms (%d tries): %s", left, BE_NATS_RETRY_MS,
			    try, why);
			return (-1);
		}
		if (try == 1 || try % 8 == 0)
			log_warn("nats: %zu appends not taken (%s): again",
			    left, why);
		nanosleep(&pause, NULL);
	}
}

/* Forget this turn's appends. */
static void
be_nats_clear_out(struct be_nats *n)
{
	size_t	i;

	pthread_mutex_lock(&n->mu);
	for (i = 0; i < n->nout; i++) {
		free(n->out[i].id);
		free(n->out[i].data);
		free(n->out[i].why);
		be_nats_tag_clear(&n->out[i].tag);
	}
	n->nout = 0;
	pthread_mutex_unlock(&n->mu);
}

/*
 * The server's end of a turn: make everything appended since the last
 * call durable; then the results of forwarded commands go. Returns 0,
 * or -1 with *cause set (allocated) when the stream did not take them,
 * or following the stream failed.
 */
int
be_nats_sync(void *arg, char **cause)
{
	struct be_nats	*n = arg;
	size_t		 i;
	int		 rc = 0;

	if (n->nout != 0) {
		rc = be_nats_complete(n, cause);
		be_nats_clear_out(n);
		if (rc != 0)
			return (-1);
	}
	pthread_mutex_lock(&n->mu);
	if (n->failed != NULL) {
		*cause = n->failed;
		n->failed = NULL;
		pthread_mutex_unlock(&n->mu);
		return (-1);
	}
	pthread_mutex_unlock(&n->mu);
	be_nats_snap_maybe(n);
	/* The events are durable: the forwarded commands' results go. */
	for (i = 0; i < n->nreplies; i++) {
		natsConnection_PublishString(n->nc, n->replies[i].subject,
		    n->replies[i].text);
		free(n->replies[i].subject);
		free(n->replies[i].text);
	}
	n->nreplies = 0;
	return (0);
}

const struct be_nats_stats *
be_nats_stats(const struct be_nats *n)
{
	return (&n->stats);
}

/* 1 while this gateway holds the lease (applies, simulates). */
int
be_nats_applier(const struct be_nats *n)
{
	return (n->applier);
}

/*
 * 1 when this gateway may change the province now: it holds the lease
 * and its lease thread renewed it within BE_NATS_LEASE_MS. Asked before a
 * simulator or drill turn, so that a holder continued after a stop
 * (SIGSTOP, a frozen VM) gives the lease up before it appends anything
 * the stream would refuse, rather than stopping on the refusal.
 */
int
be_nats_may_write(struct be_nats *n)
{
	return (be_nats_lease_check(n));
}

/*
 * The fd the loop must watch for be_nats_wake(); the server that adopts
 * it owns it (lws closes it).
 */
int
be_nats_wake_fd(struct be_nats *n)
{
	return (n->wake_fd);
}

/*
 * Start following, once the server (borrowed, which adopted the wake fd)
 * runs: the events and command records after what was read back, the
 * results of forwarded commands, the forwards' timer and the lease
 * thread. role(arg, applier) is called in the loop whenever the lease
 * comes or goes. Returns 0, or -1 with *cause set.
 */
int
be_nats_attach(struct be_nats *n, struct be_server *srv,
    void (*role)(void *, int), void *arg, char **cause)
{
	char		 subj[192];
	natsStatus	 s;

	n->srv = srv;
	n->ctx = be_server_context(srv);
	n->role = role;
	n->role_arg = arg;
	if ((n->ev_sub = be_nats_tail(n, BE_NATS_EVENTS, BE_NATS_EVENTS_SUBJ,
	    n->st->store->seq, be_nats_got_event, cause)) == NULL ||
	    (n->rec_sub = be_nats_tail(n, BE_NATS_CMDS, BE_NATS_CMDS_SUBJ,
	    n->rec_last, be_nats_got_record, cause)) == NULL)
		return (-1);
	snprintf(subj, sizeof subj, "%s.*", n->inbox);
	s = natsConnection_Subscribe(&n->res_sub, n->nc, subj,
	    be_nats_got_result, n);
	if (s == NATS_OK && n->applier)
		s = be_nats_take_commands(n);
	if (s != NATS_OK) {
		xasprintf(cause, "nats: subscribe: %s", be_nats_why(s, 0));
		return (-1);
	}
	lws_sul_schedule(n->ctx, 0, &n->tick_sul, be_nats_tick,
	    BE_NATS_TICK_US);
	if (pthread_create(&n->lease_thr, NULL, be_nats_lease_main, n) != 0) {
		xasprintf(cause, "nats: cannot start the lease thread");
		return (-1);
	}
	n->lease_running = 1;
	return (0);
}

/*
 * Stop everything attach started, before the server goes: the lease
 * thread (the lease then expires after BE_NATS_LEASE_MS, and another
 * gateway takes it), the subscriptions, the timer; nothing is queued or
 * woken after this. Safe to call twice.
 */
void
be_nats_detach(struct be_nats *n)
{
	struct be_nats_item	*it, *next;
	natsSubscription	**subs[] = { &n->ev_sub, &n->rec_sub,
				    &n->res_sub, &n->apply_sub };
	size_t			 i;

	if (n->lease_running) {
		pthread_mutex_lock(&n->lease_mu);
		n->lease_stop = 1;
		pthread_cond_signal(&n->lease_cv);
		pthread_mutex_unlock(&n->lease_mu);
		pthread_join(n->lease_thr, NULL);
		n->lease_running = 0;
	}
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (*subs[i] == NULL)
			continue;
		natsSubscription_Unsubscribe(*subs[i]);
		natsSubscription_Destroy(*subs[i]);
		*subs[i] = NULL;
	}
	if (n->ctx != NULL)
		lws_sul_cancel(&n->tick_sul);
	pthread_mutex_lock(&n->mu);
	if (n->srv != NULL)
		n->wake_fd = -1;	/* The server's now: lws closes it. */
	it = n->head;
	n->head = NULL;
	n->tail = &n->head;
	pthread_mutex_unlock(&n->mu);
	for (; it != NULL; it = next) {
		next = it->next;
		natsMsg_Destroy(it->msg);
		free(it->name);
		free(it);
	}
	n->srv = NULL;
	n->ctx = NULL;
}

/*
 * Wait (a while) for the last acks, detach from the state, disconnect and
 * free. NULL is a no-op.
 */
void
be_nats_close(struct be_nats *n)
{
	char	*cause = NULL;
	size_t	 i;

	if (n == NULL)
		return;
	be_nats_detach(n);
	if (n->js != NULL && n->nc != NULL && be_nats_sync(n, &cause) != 0) {
		log_warn("nats: closing: %s", cause);
		free(cause);
	}
	be_state_unlisten(n->st, n);
	be_nsnap_writer_free(n->snapw);
	kvStore_Destroy(n->kv);
	kvStore_Destroy(n->dkv);
	jsCtx_Destroy(n->ljs);
	jsCtx_Destroy(n->js);
	if (n->nc != NULL) {
		natsConnection_Close(n->nc);
		natsConnection_Destroy(n->nc);
	}
	be_nats_clear_out(n);
	free(n->out);
	free(n->own_recs);
	free(n->failed);
	be_nats_torn_clear(&n->torn);
	be_nats_tag_clear(&n->playing);
	be_nats_tag_clear(&n->seen);
	natsInbox_Destroy((natsInbox *)n->inbox);
	while (n->nfwds > 0)
		be_nats_drop_fwd(n, 0);
	free(n->fwds);
	for (i = 0; i < n->nreplies; i++) {
		free(n->replies[i].subject);
		free(n->replies[i].text);
	}
	free(n->replies);
	if (n->wake_fd != -1)
		close(n->wake_fd);	/* Never given to a server. */
	pthread_mutex_destroy(&n->mu);
	pthread_mutex_destroy(&n->lease_mu);
	pthread_cond_destroy(&n->lease_cv);
	free(n);
	nats_Close();
}

#else /* HAVE_NATS */

#include <stdlib.h>

#include "xmalloc.h"

int
be_nats_available(void)
{
	return (0);
}

int
be_nats_open(struct be_state *st, const char *urls, int replicas,
    const struct be_nsnap_conf *snapconf, struct be_nats **np, char **cause)
{
	(void)st;
	(void)snapconf;
	(void)urls;
	(void)replicas;
	*np = NULL;
	xasprintf(cause, "this trucban-backend was built without libnats "
	    "(scripts/deps.sh ha installs it; then rebuild)");
	return (-1);
}

void
be_nats_close(struct be_nats *n)
{
	(void)n;
}

int
be_nats_sync(void *arg, char **cause)
{
	(void)arg;
	(void)cause;
	return (0);
}

const struct be_nats_stats *
be_nats_stats(const struct be_nats *n)
{
	(void)n;
	return (NULL);
}

void
be_nats_wake(void *arg)
{
	(void)arg;
}

int
be_nats_forward(void *arg, const struct operator *op, json_t *msg,
    uint64_t client)
{
	(void)arg;
	(void)op;
	(void)msg;
	(void)client;
	return (0);
}

int
be_nats_applier(const struct be_nats *n)
{
	(void)n;
	return (1);
}

int
be_nats_may_write(struct be_nats *n)
{
	(void)n;
	return (1);
}

int
be_nats_wake_fd(struct be_nats *n)
{
	(void)n;
	return (-1);
}

int
be_nats_attach(struct be_nats *n, struct be_server *srv,
    void (*role)(void *, int), void *arg, char **cause)
{
	(void)n;
	(void)srv;
	(void)role;
	(void)arg;
	(void)cause;
	return (0);
}

void
be_nats_detach(struct be_nats *n)
{
	(void)n;
}

int
be_nats_drill_start(struct be_nats *n, const char *drill, int64_t now,
    int64_t *start, char **cause)
{
	(void)n;
	(void)drill;
	(void)cause;
	*start = now;
	return (1);
}

void
be_nats_drill_playing(struct be_nats *n, const char *drill, int step,
    int64_t start)
{
	(void)n;
	(void)drill;
	(void)step;
	(void)start;
}

int
be_nats_drill_seen(const char *drill, int *step, int64_t *start)
{
	(void)drill;
	(void)step;
	(void)start;
	return (0);
}

#endif /* HAVE_NATS */
