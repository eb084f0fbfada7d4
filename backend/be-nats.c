/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend over NATS JetStream. The stream TRUCBAN_EVENTS replaces the
 * journal as the system of record: every event the state emits is
 * appended to it with the message id "ev-SEQ" and the expectation that
 * the stream's last sequence is SEQ - 1, so the stream sequence is the
 * protocol's seq and a second writer (a deposed or confused gateway)
 * cannot fork the log: its append is refused and it stops. Every newly
 * remembered command id goes to TRUCBAN_CMDS with the command id as its
 * message id (de-duplicated over BE_NATS_DUP_MS). A gateway that starts
 * reads both streams back through the same apply path as a journal
 * replay (be_state_apply()), so it holds what the others hold.
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

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <nats/nats.h>

#include "be-idem.h"
#include "be-msg.h"
#include "be-state.h"
#include "clock.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BE_NATS_EVENT_DUP_MS	(2 * 60 * 1000)	/* Retries only. */
#define BE_NATS_MAX_PENDING	65536	/* Appends in flight. */
#define BE_NATS_MAX_SERVERS	16

struct be_nats {
	struct be_state		*st;
	natsConnection		*nc;
	jsCtx			*js;
	uint64_t		 inflight;	/* Appends since the last sync. */
	pthread_mutex_t		 mu;
	char			*failed;	/* Guarded by mu: first error. */
	struct be_nats_stats	 stats;
};

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
 * libnats' ack handler, on one of its threads: an append that failed, or
 * an event the stream already had (a duplicate message id: another
 * gateway appended that seq), is remembered as the failure; the loop
 * sees it in be_nats_sync(). A duplicate command record is harmless: the
 * id was recorded already.
 */
static void
be_nats_acked(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae,
    void *arg)
{
	struct be_nats	*n = arg;
	const char	*subj = natsMsg_GetSubject(msg), *id = NULL;
	char		*why = NULL;

	(void)js;
	natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
	if (pae != NULL)
		xasprintf(&why, "JetStream refused %s %s: %s", subj,
		    id != NULL ? id : "?", pae->ErrText != NULL ?
		    pae->ErrText : natsStatus_GetText(pae->Err));
	else if (pa != NULL && pa->Duplicate &&
	    strcmp(subj, BE_NATS_EVENTS_SUBJ) == 0)
		xasprintf(&why, "JetStream: %s is in the stream already: "
		    "another gateway appended it", id != NULL ? id : "?");
	if (why != NULL)
		be_nats_fail(n, why);
	natsMsg_Destroy(msg);
}

/* ==== Streams ==== */

/*
 * Make sure the stream name (subject subj) exists, creating it with
 * replicas and the de-duplication window dup_ms (max_msgs: 0, no limit).
 * Sets *last to its last sequence and *first to its first.
 */
static int
be_nats_stream(struct be_nats *n, const char *name, const char *subj,
    int replicas, int64_t dup_ms, int64_t max_msgs, uint64_t *first,
    uint64_t *last, char **cause)
{
	jsStreamConfig	 cfg;
	jsStreamInfo	*si = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	const char	*subjs[1] = { subj };

	s = js_GetStreamInfo(&si, n->js, name, NULL, &jerr);
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
 * Read every message of the stream on subj, from its first to last, in
 * order (an ordered consumer), and hand each to fn. Stops at the first
 * error fn returns.
 */
static int
be_nats_read(struct be_nats *n, const char *name, const char *subj,
    uint64_t last, int (*fn)(struct be_nats *, natsMsg *, uint64_t,
    char **), char **cause)
{
	natsSubscription	*sub = NULL;
	jsSubOptions		 so;
	jsMsgMetaData		*meta;
	natsMsg			*msg;
	jsErrCode		 jerr = 0;
	natsStatus		 s;
	uint64_t		 at = 0;
	int			 rc = -1;

	if (last == 0)
		return (0);
	jsSubOptions_Init(&so);
	so.Stream = name;
	so.Ordered = true;
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
	rc = be_state_apply(n->st, o, text, len, 0, cause);
	json_decref(o);
	if (rc == 0)
		n->stats.events++;
	return (rc < 0 ? -1 : 0);
}

/* One command record read back: its id is remembered with its result. */
static int
be_nats_replay_command(struct be_nats *n, natsMsg *msg, uint64_t sseq,
    char **cause)
{
	json_t		*o, *r;
	const char	*id, *payload, *p0, *r0;
	char		*rtext;

	o = json_loadb(natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), 0, NULL);
	id = json_string_value(json_object_get(o, "id"));
	payload = json_string_value(json_object_get(o, "payload"));
	r = json_object_get(o, "result");
	if (id == NULL || payload == NULL || !json_is_object(r)) {
		xasprintf(cause, "%s message %" PRIu64 " is not a command "
		    "record", BE_NATS_CMDS, sseq);
		json_decref(o);
		return (-1);
	}
	if (!be_idem_find(n->st->idem, id, &p0, &r0)) {
		rtext = proto_dump(r);
		be_idem_put(n->st->idem, id, payload, rtext);
		free(rtext);
	}
	n->stats.commands++;
	json_decref(o);
	return (0);
}

/* ==== Appending ==== */

static void
be_nats_append(struct be_nats *n, const char *subj, const void *data,
    size_t len, jsPubOptions *po)
{
	natsStatus	s;
	char		*why;

	s = js_PublishAsync(n->js, subj, data, (int)len, po);
	if (s != NATS_OK) {
		xasprintf(&why, "JetStream append to %s %s: %s", subj,
		    po->MsgId, be_nats_why(s, 0));
		be_nats_fail(n, why);
		return;
	}
	n->inflight++;
}

/*
 * The state's listener: the event goes to the stream as message "ev-SEQ",
 * expected right after SEQ - 1 (for the first, on an empty stream).
 */
static void
be_nats_on_event(void *arg, struct be_msg *m)
{
	struct be_nats	*n = arg;
	jsPubOptions	 po;
	char		 id[32];

	jsPubOptions_Init(&po);
	snprintf(id, sizeof id, "ev-%" PRIu64, m->seq);
	po.MsgId = id;
	if (m->seq > 1)
		po.ExpectLastSeq = m->seq - 1;
	else
		po.ExpectNoMessage = true;
	be_nats_append(n, BE_NATS_EVENTS_SUBJ, be_msg_text(m), m->len, &po);
	n->stats.published++;
}

/* The state's listener: a newly remembered id, keyed by itself. */
static void
be_nats_on_command(void *arg, const char *id, const char *by,
    const char *payload, const char *result)
{
	struct be_nats	*n = arg;
	jsPubOptions	 po;
	json_t		*o, *r;
	char		*text;

	if ((r = json_loads(result, 0, NULL)) == NULL)
		fatalx("%s: result of %s is not JSON", __func__, id);
	o = json_pack("{s:s s:I s:s s:s s:s s:o}", "type", "command",
	    "seq", (json_int_t)n->st->store->seq, "id", id, "by",
	    by != NULL ? by : "", "payload", payload, "result", r);
	if (o == NULL)
		fatalx("%s: cannot build the record of %s", __func__, id);
	text = proto_dump(o);
	json_decref(o);
	jsPubOptions_Init(&po);
	po.MsgId = id;
	be_nats_append(n, BE_NATS_CMDS_SUBJ, text, strlen(text), &po);
	free(text);
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
 * every event and command record of st goes to them. Returns 0 and sets
 * *np (caller closes with be_nats_close()), or -1 with *cause set.
 */
int
be_nats_open(struct be_state *st, const char *urls, int replicas,
    struct be_nats **np, char **cause)
{
	struct be_nats	*n;
	natsOptions	*o = NULL;
	jsOptions	 jo;
	natsStatus	 s;
	char		*copy, *p, *tok, *servers[BE_NATS_MAX_SERVERS];
	int		 nservers = 0;
	uint64_t	 efirst, elast, cfirst, clast;
	int64_t		 t0 = clock_mono();

	n = xcalloc(1, sizeof *n);
	n->st = st;
	pthread_mutex_init(&n->mu, NULL);

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
	    BE_NATS_EVENT_DUP_MS, 0, &efirst, &elast, cause) != 0 ||
	    be_nats_stream(n, BE_NATS_CMDS, BE_NATS_CMDS_SUBJ, replicas,
	    BE_NATS_DUP_MS, BE_IDEM_IDS, &cfirst, &clast, cause) != 0)
		goto fail;
	if (elast != 0 && efirst != 1) {
		xasprintf(cause, "%s starts at %" PRIu64 ", not 1: a stream "
		    "trimmed by limits cannot be replayed", BE_NATS_EVENTS,
		    efirst);
		goto fail;
	}
	if (st->store->seq != 0 && elast != 0) {
		xasprintf(cause, "the state is at seq %" PRIu64 " already",
		    st->store->seq);
		goto fail;
	}
	if (be_nats_read(n, BE_NATS_EVENTS, BE_NATS_EVENTS_SUBJ, elast,
	    be_nats_replay_event, cause) != 0 ||
	    be_nats_read(n, BE_NATS_CMDS, BE_NATS_CMDS_SUBJ, clast,
	    be_nats_replay_command, cause) != 0)
		goto fail;
	if (elast != 0) {
		be_state_restored(st);
		n->stats.restored = 1;
	}
	n->stats.ms = clock_mono() - t0;
	log_info("nats %s: %s seq %" PRIu64 " (%" PRIu64 " events, %"
	    PRIu64 " command records read back) in %lld ms", urls,
	    n->stats.restored ? "restored" : "new stream, at", st->store->seq,
	    n->stats.events, n->stats.commands, (long long)n->stats.ms);
	natsOptions_Destroy(o);
	be_state_listen(st, be_nats_on_event, be_nats_on_command, n);
	*np = n;
	return (0);

fail:
	natsOptions_Destroy(o);
	be_nats_close(n);
	return (-1);
}

/*
 * The server's end of a turn: wait for the acks of everything appended
 * since the last call. Returns 0, or -1 with *cause set (allocated)
 * when an append failed or no ack came within BE_NATS_WAIT_MS.
 */
int
be_nats_sync(void *arg, char **cause)
{
	struct be_nats	*n = arg;
	jsPubOptions	 po;
	natsStatus	 s = NATS_OK;

	if (n->inflight != 0) {
		jsPubOptions_Init(&po);
		po.MaxWait = BE_NATS_WAIT_MS;
		s = js_PublishAsyncComplete(n->js, &po);
		n->inflight = 0;
	}
	pthread_mutex_lock(&n->mu);
	if (n->failed != NULL) {
		*cause = n->failed;
		n->failed = NULL;
		pthread_mutex_unlock(&n->mu);
		return (-1);
	}
	pthread_mutex_unlock(&n->mu);
	if (s != NATS_OK) {
		xasprintf(cause, "JetStream: no ack within %d ms: %s",
		    BE_NATS_WAIT_MS, be_nats_why(s, 0));
		return (-1);
	}
	return (0);
}

const struct be_nats_stats *
be_nats_stats(const struct be_nats *n)
{
	return (&n->stats);
}

/*
 * Wait (a while) for the last acks, detach from the state, disconnect and
 * free. NULL is a no-op.
 */
void
be_nats_close(struct be_nats *n)
{
	char	*cause = NULL;

	if (n == NULL)
		return;
	if (n->js != NULL && be_nats_sync(n, &cause) != 0) {
		log_warn("nats: closing: %s", cause);
		free(cause);
	}
	be_state_unlisten(n->st, n);
	jsCtx_Destroy(n->js);
	if (n->nc != NULL) {
		natsConnection_Close(n->nc);
		natsConnection_Destroy(n->nc);
	}
	free(n->failed);
	pthread_mutex_destroy(&n->mu);
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
    struct be_nats **np, char **cause)
{
	(void)st;
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

#endif /* HAVE_NATS */
