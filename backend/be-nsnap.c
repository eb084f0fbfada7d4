/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Snapshots of a gateway's state in the JetStream stream TRUCBAN_SNAP. */

#include "be-nsnap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dlog.h"
#include "log.h"
#include "xmalloc.h"

/*
 * A snapshot is the journal's snapshot record (docs/journal.md: format,
 * seq, digest, state, remembered command ids), about 1 MB for a province
 * after 30 days, which may be more than one NATS message may hold (the
 * server's max_payload, 1 MB by default). So it goes to the stream in
 * chunks of BE_NSNAP_CHUNK bytes on the subject trucban.snap.chunk, each
 * with the header Tb-Snap "ID/INDEX", and then one manifest on
 * trucban.snap.manifest that lists the chunks' stream sequences with the
 * record's size and CRC-32. The manifest comes last: a writer that dies
 * half-way leaves chunks that nothing names, and a snapshot is only ever
 * loaded when its manifest is there, every chunk it names is there with
 * the right tag, and the bytes add up to its size and CRC. Anything else
 * is skipped for the previous snapshot.
 *
 * After a manifest is stored the writer purges the stream below the
 * chunks of the BE_NSNAP_KEEP newest snapshots (a purge up to a
 * sequence), which also removes what half-written ones left.
 */

/* ==== Manifests and chunks (no NATS) ==== */

/* How many chunks of chunk bytes hold size bytes (at least one). */
size_t
be_nsnap_nchunks(size_t size, size_t chunk)
{
	if (size == 0)
		return (1);
	return ((size + chunk - 1) / chunk);
}

/* The tag of chunk index of the writing id, into buf. */
void
be_nsnap_tag(char *buf, size_t len, const char *id, size_t index)
{
	snprintf(buf, len, "%s/%zu", id, index);
}

/*
 * The manifest as JSON text. Returns an allocated string (caller frees).
 */
char *
be_nsnap_manifest_encode(const struct be_nsnap_manifest *m)
{
	json_t	*o, *a;
	char	 crc[9], *text;
	size_t	 i;

	a = json_array();
	for (i = 0; i < m->nchunks; i++)
		json_array_append_new(a,
		    json_integer((json_int_t)m->chunks[i]));
	snprintf(crc, sizeof crc, "%08" PRIx32, m->crc);
	o = json_pack("{s:s s:i s:I s:s s:I s:s s:s s:I s:o}", "type",
	    "snapshot-manifest", "format", BE_NSNAP_FORMAT, "seq",
	    (json_int_t)m->seq, "id", m->id, "size", (json_int_t)m->size,
	    "crc32", crc, "digest", m->digest, "created",
	    (json_int_t)m->created, "chunks", a);
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("%s: cannot build a manifest", __func__);
	json_decref(o);
	return (text);
}

/* A string member of at most max - 1 characters of [0-9a-zA-Z_-]. */
static int
be_nsnap_word(json_t *o, const char *key, char *out, size_t max)
{
	const char	*s = json_string_value(json_object_get(o, key));
	size_t		 i, len;

	if (s == NULL || (len = strlen(s)) == 0 || len >= max)
		return (-1);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    s[i] == '_' || s[i] == '-'))
			return (-1);
	}
	memcpy(out, s, len + 1);
	return (0);
}

/*
 * Read a manifest from text (from the network: anything may be wrong in
 * it). Fills *m (free with be_nsnap_manifest_free()) and returns 0, or
 * -1 with *cause set (allocated) and *m empty.
 */
int
be_nsnap_manifest_decode(const char *text, size_t len,
    struct be_nsnap_manifest *m, char **cause)
{
	json_t		*o, *a, *v;
	json_error_t	 jerr;
	const char	*crc, *type;
	char		 crcbuf[9], *end;
	json_int_t	 seq, size, c;
	size_t		 i;
	const char	*why = NULL;

	memset(m, 0, sizeof *m);
	if ((o = json_loadb(text, len, 0, &jerr)) == NULL) {
		xasprintf(cause, "a manifest that is not JSON (%s)", jerr.text);
		return (-1);
	}
	type = json_string_value(json_object_get(o, "type"));
	seq = json_integer_value(json_object_get(o, "seq"));
	size = json_integer_value(json_object_get(o, "size"));
	crc = json_string_value(json_object_get(o, "crc32"));
	a = json_object_get(o, "chunks");
	if (type == NULL || strcmp(type, "snapshot-manifest") != 0)
		why = "not a snapshot manifest";
	else if (json_integer_value(json_object_get(o, "format")) !=
	    BE_NSNAP_FORMAT)
		why = "a format this gateway does not read";
	else if (seq <= 0 || size <= 0)
		why = "no seq or size";
	else if (crc == NULL || strlen(crc) != 8 ||
	    strspn(crc, "0123456789abcdef") != 8)
		why = "no crc32";
	else if (be_nsnap_word(o, "id", m->id, sizeof m->id) != 0)
		why = "no id";
	else if (be_nsnap_word(o, "digest", m->digest, sizeof m->digest) !=
	    0)
		why = "no digest";
	else if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > BE_NSNAP_MAX_CHUNKS)
		why = "no chunks";
	if (why != NULL) {
		xasprintf(cause, "a manifest with %s", why);
		json_decref(o);
		memset(m, 0, sizeof *m);
		return (-1);
	}
	memcpy(crcbuf, crc, sizeof crcbuf);
	m->crc = (uint32_t)strtoul(crcbuf, &end, 16);
	m->seq = (uint64_t)seq;
	m->size = (size_t)size;
	m->created = json_integer_value(json_object_get(o, "created"));
	m->nchunks = json_array_size(a);
	m->chunks = xcalloc(m->nchunks, sizeof *m->chunks);
	json_array_foreach(a, i, v) {
		c = json_integer_value(v);
		if (!json_is_integer(v) || c <= 0) {
			xasprintf(cause, "a manifest whose chunks[%zu] is not "
			    "a stream sequence", i);
			json_decref(o);
			be_nsnap_manifest_free(m);
			return (-1);
		}
		m->chunks[i] = (uint64_t)c;
	}
	json_decref(o);
	return (0);
}

/* Free what a manifest owns; it is empty after. NULL is a no-op. */
void
be_nsnap_manifest_free(struct be_nsnap_manifest *m)
{
	if (m == NULL)
		return;
	free(m->chunks);
	memset(m, 0, sizeof *m);
}

/*
 * Put a snapshot back together from the chunks m names: parts[i] (lens[i]
 * bytes) came with the tag tags[i] (NULL: missing). Every chunk must be
 * there, tagged with m's id and its index, and the whole must have m's
 * size and CRC-32. Returns 0 and sets *text (allocated, NUL-terminated,
 * m->size bytes; caller frees), or -1 with *cause set (allocated).
 */
int
be_nsnap_join(const struct be_nsnap_manifest *m, const char *const *parts,
    const size_t *lens, const char *const *tags, char **text, char **cause)
{
	char		 want[64], *out;
	size_t		 i, at = 0;
	uint32_t	 crc;

	*text = NULL;
	for (i = 0; i < m->nchunks; i++) {
		be_nsnap_tag(want, sizeof want, m->id, i);
		if (tags[i] == NULL || parts[i] == NULL) {
			xasprintf(cause, "chunk %zu of %zu is missing", i,
			    m->nchunks);
			return (-1);
		}
		if (strcmp(tags[i], want) != 0) {
			xasprintf(cause, "chunk %zu of %zu is not this "
			    "snapshot's", i, m->nchunks);
			return (-1);
		}
		if (lens[i] > m->size - at) {
			xasprintf(cause, "the chunks hold more than %zu bytes",
			    m->size);
			return (-1);
		}
		at += lens[i];
	}
	if (at != m->size) {
		xasprintf(cause, "the chunks hold %zu bytes, not %zu", at,
		    m->size);
		return (-1);
	}
	out = xmalloc(m->size + 1);
	for (i = 0, at = 0; i < m->nchunks; i++) {
		memcpy(out + at, parts[i], lens[i]);
		at += lens[i];
	}
	out[at] = '\0';
	if ((crc = dlog_crc32(out, at)) != m->crc) {
		xasprintf(cause, "checksum %08" PRIx32 ", not %08" PRIx32,
		    crc, m->crc);
		free(out);
		return (-1);
	}
	*text = out;
	return (0);
}

#ifdef HAVE_NATS

#include <sys/random.h>

#include <pthread.h>
#include <unistd.h>

#include "be-journal.h"
#include "be-state.h"
#include "clock.h"
#include "store.h"

#define BE_NSNAP_WAIT_MS	5000	/* For a manifest, a chunk. */
#define BE_NSNAP_NO_MESSAGE	10037	/* JetStream: "no message found". */
#define BE_NSNAP_TORN_ENV	"TRUCBAN_TEST_NSNAP_TORN"
#define BE_NSNAP_CORRUPT_ENV	"TRUCBAN_TEST_NSNAP_CORRUPT"
#define BE_NSNAP_CHUNK_ENV	"TRUCBAN_TEST_NSNAP_CHUNK"
#define BE_NSNAP_CRASH_EXIT	86

/* For tests only: what the writing of one snapshot does wrong. */
enum be_nsnap_hook {
	BE_NSNAP_HOOK_NONE,
	BE_NSNAP_HOOK_TORN,	/* Dies (_exit) half-way through. */
	BE_NSNAP_HOOK_CORRUPT	/* One digit of a chunk changed. */
};

/*
 * The writer of snapshots: the loop builds the record (it reads the
 * store); a thread of its own serialises it and writes it to the stream,
 * so the loop does not wait for the stream. One at a time.
 */
struct be_nsnap_writer {
	jsCtx			*js;
	size_t			 chunk;
	unsigned		 count;		/* Snapshots started. */
	unsigned		 torn_at;	/* Tests: 0, or the n-th. */
	unsigned		 corrupt_at;

	pthread_t		 thr;
	int			 running;	/* The loop's. */
	pthread_mutex_t		 mu;
	int			 done;		/* Guarded by mu. */
	int			 ok;		/* Guarded by mu. */
	char			*report;	/* Guarded by mu. */

	/* The job: the thread's while it runs. */
	json_t			*record;
	uint64_t		 seq;
	char			 digest[17];
	int64_t			 built_ms;
	enum be_nsnap_hook	 hook;
};

/* The status as text, with libnats' last error when it has one. */
static void
be_nsnap_why(char **cause, const char *what, natsStatus s, jsErrCode jerr)
{
	const char	*last;
	natsStatus	 ls;

	last = nats_GetLastError(&ls);
	xasprintf(cause, "%s: %s%s", what, last != NULL && *last != '\0' ?
	    last : natsStatus_GetText(s), jerr != 0 ? " (JetStream error)" :
	    "");
}

/*
 * Every manifest in the stream that reads as one, oldest first, into
 * *out (caller frees with be_nsnap_list_free()) and *n. Any thread.
 * Returns 0, or -1 with *cause set (allocated) when the stream cannot
 * be read.
 */
int
be_nsnap_list(jsCtx *js, struct be_nsnap_manifest **out, size_t *n,
    char **cause)
{
	natsSubscription	*sub = NULL;
	jsSubOptions		 so;
	jsMsgMetaData		*meta;
	natsMsg			*msg = NULL;
	jsErrCode		 jerr = 0;
	natsStatus		 s;
	struct be_nsnap_manifest m;
	uint64_t		 at, pending;
	char			*c = NULL;
	int			 rc = -1;

	*out = NULL;
	*n = 0;
	s = js_GetLastMsg(&msg, js, BE_NSNAP_STREAM, BE_NSNAP_MANIFEST_SUBJ,
	    NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == BE_NSNAP_NO_MESSAGE)
		return (0);	/* No snapshot yet. */
	if (s != NATS_OK) {
		be_nsnap_why(cause, "reading " BE_NSNAP_STREAM, s, jerr);
		return (-1);
	}
	natsMsg_Destroy(msg);
	jsSubOptions_Init(&so);
	so.Stream = BE_NSNAP_STREAM;
	so.Ordered = true;
	s = js_SubscribeSync(&sub, js, BE_NSNAP_MANIFEST_SUBJ, NULL, &so,
	    &jerr);
	if (s != NATS_OK) {
		be_nsnap_why(cause, "reading " BE_NSNAP_STREAM, s, jerr);
		return (-1);
	}
	for (;;) {
		s = natsSubscription_NextMsg(&msg, sub, BE_NSNAP_WAIT_MS);
		if (s != NATS_OK) {
			be_nsnap_why(cause, "reading the manifests of "
			    BE_NSNAP_STREAM, s, 0);
			goto out;
		}
		if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
			natsMsg_Destroy(msg);
			continue;	/* Not a stream message. */
		}
		at = meta->Sequence.Stream;
		pending = meta->NumPending;
		jsMsgMetaData_Destroy(meta);
		/* One that does not read is skipped: never loaded. */
		if (be_nsnap_manifest_decode(natsMsg_GetData(msg),
		    (size_t)natsMsg_GetDataLength(msg), &m, &c) == 0) {
			m.at = at;
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = m;
		} else {
			free(c);
			c = NULL;
		}
		natsMsg_Destroy(msg);
		if (pending == 0)
			break;
	}
	rc = 0;
out:
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
	if (rc != 0) {
		be_nsnap_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return (rc);
}

/* Free a list of manifests. */
void
be_nsnap_list_free(struct be_nsnap_manifest *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		be_nsnap_manifest_free(&v[i]);
	free(v);
}

/*
 * Read the chunks m names and put them together (be_nsnap_join()): a
 * chunk that is gone, or that is not m's, makes the snapshot unusable.
 * Returns 0 with *text (allocated; caller frees), or -1 with *cause.
 */
int
be_nsnap_fetch(jsCtx *js, const struct be_nsnap_manifest *m, char **text,
    char **cause)
{
	natsMsg		**msgs;
	const char	**parts, **tags;
	size_t		 *lens, i;
	jsErrCode	  jerr;
	int		  rc;

	msgs = xcalloc(m->nchunks, sizeof *msgs);
	parts = xcalloc(m->nchunks, sizeof *parts);
	tags = xcalloc(m->nchunks, sizeof *tags);
	lens = xcalloc(m->nchunks, sizeof *lens);
	for (i = 0; i < m->nchunks; i++) {
		jerr = 0;
		if (js_GetMsg(&msgs[i], js, BE_NSNAP_STREAM, m->chunks[i],
		    NULL, &jerr) != NATS_OK) {
			msgs[i] = NULL;
			break;	/* Missing: be_nsnap_join() says which. */
		}
		if (strcmp(natsMsg_GetSubject(msgs[i]),
		    BE_NSNAP_CHUNK_SUBJ) != 0 ||
		    natsMsgHeader_Get(msgs[i], "Tb-Snap", &tags[i]) !=
		    NATS_OK) {
			tags[i] = NULL;
			break;
		}
		parts[i] = natsMsg_GetData(msgs[i]);
		lens[i] = (size_t)natsMsg_GetDataLength(msgs[i]);
	}
	rc = be_nsnap_join(m, parts, lens, tags, text, cause);
	for (i = 0; i < m->nchunks; i++)
		natsMsg_Destroy(msgs[i]);
	free(msgs);
	free(parts);
	free(tags);
	free(lens);
	return (rc);
}

/* A random id for one writing of a snapshot: 32 hex digits. */
static void
be_nsnap_new_id(char id[33])
{
	unsigned char	 r[16];
	size_t		 i;
	int64_t		 now = clock_mono();

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* Unique enough: the time and the process. */
		memset(r, 0, sizeof r);
		memcpy(r, &now, sizeof now);
		i = (size_t)getpid();
		memcpy(r + 8, &i, sizeof i);
	}
	for (i = 0; i < sizeof r; i++)
		snprintf(id + 2 * i, 3, "%02x", r[i]);
}

/* Tests only: one digit after the middle of buf changed, still JSON. */
static void
be_nsnap_corrupt(char *buf, size_t len)
{
	size_t	i;

	for (i = len / 2; i < len; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			buf[i] = buf[i] == '9' ? '8' : buf[i] + 1;
			return;
		}
	}
}

static int
be_nsnap_publish_hooked(jsCtx *js, const char *text, size_t len,
    uint64_t seq, const char *digest, size_t chunk,
    struct be_nsnap_manifest *m, enum be_nsnap_hook hook, char **cause)
{
	natsMsg		*msg = NULL;
	jsPubAck	*pa = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	char		 tag[64], *mtext, *copy = NULL;
	const char	*data;
	size_t		 i, off, n;

	memset(m, 0, sizeof *m);
	m->seq = seq;
	be_nsnap_new_id(m->id);
	m->size = len;
	m->crc = dlog_crc32(text, len);
	snprintf(m->digest, sizeof m->digest, "%s", digest);
	m->created = clock_now();
	m->nchunks = be_nsnap_nchunks(len, chunk);
	m->chunks = xcalloc(m->nchunks, sizeof *m->chunks);
	for (i = 0, off = 0; i < m->nchunks; i++, off += n) {
		n = len - off < chunk ? len - off : chunk;
		data = text + off;
		if (hook == BE_NSNAP_HOOK_TORN && i == m->nchunks / 2) {
			log_warn("%s: dying half-way through the snapshot at "
			    "seq %" PRIu64 " (chunk %zu of %zu)",
			    BE_NSNAP_TORN_ENV, seq, i, m->nchunks);
			_exit(BE_NSNAP_CRASH_EXIT);
		}
		if (hook == BE_NSNAP_HOOK_CORRUPT && i == m->nchunks / 2) {
			copy = xmalloc(n);
			memcpy(copy, data, n);
			be_nsnap_corrupt(copy, n);
			data = copy;
		}
		be_nsnap_tag(tag, sizeof tag, m->id, i);
		jerr = 0;
		if ((s = natsMsg_Create(&msg, BE_NSNAP_CHUNK_SUBJ, NULL, data,
		    (int)n)) != NATS_OK ||
		    (s = natsMsgHeader_Set(msg, "Tb-Snap", tag)) != NATS_OK ||
		    (s = js_PublishMsg(&pa, js, msg, NULL, &jerr)) != NATS_OK) {
			be_nsnap_why(cause, "writing a snapshot chunk", s,
			    jerr);
			natsMsg_Destroy(msg);
			free(copy);
			be_nsnap_manifest_free(m);
			return (-1);
		}
		m->chunks[i] = pa->Sequence;
		jsPubAck_Destroy(pa);
		natsMsg_Destroy(msg);
		free(copy);
		copy = NULL;
	}
	mtext = be_nsnap_manifest_encode(m);
	jerr = 0;
	s = js_Publish(&pa, js, BE_NSNAP_MANIFEST_SUBJ, mtext,
	    (int)strlen(mtext), NULL, &jerr);
	free(mtext);
	if (s != NATS_OK) {
		be_nsnap_why(cause, "writing a snapshot manifest", s, jerr);
		be_nsnap_manifest_free(m);
		return (-1);
	}
	m->at = pa->Sequence;
	jsPubAck_Destroy(pa);
	return (0);
}

/*
 * Write the snapshot record text (len bytes, the state at seq with the
 * digest) to TRUCBAN_SNAP: chunks of chunk bytes, then the manifest.
 * Blocks for the stream's acks (call it off the loop). Returns 0 with *m
 * filled (caller frees with be_nsnap_manifest_free()), or -1 with *cause.
 */
int
be_nsnap_publish(jsCtx *js, const char *text, size_t len, uint64_t seq,
    const char *digest, size_t chunk, struct be_nsnap_manifest *m,
    char **cause)
{
	return (be_nsnap_publish_hooked(js, text, len, seq, digest, chunk, m,
	    BE_NSNAP_HOOK_NONE, cause));
}

/*
 * Purge the stream below the chunks and manifests of the keep newest
 * snapshots: older snapshots and what half-written ones left go. Returns
 * the number of snapshots dropped, or -1 with *cause set.
 */
int
be_nsnap_prune(jsCtx *js, size_t keep, char **cause)
{
	struct be_nsnap_manifest	*v;
	jsOptions			 o;
	jsErrCode			 jerr = 0;
	natsStatus			 s;
	uint64_t			 cut = UINT64_MAX;
	size_t				 n, i, k;

	if (be_nsnap_list(js, &v, &n, cause) != 0)
		return (-1);
	if (n <= keep) {
		be_nsnap_list_free(v, n);
		return (0);
	}
	for (i = n - keep; i < n; i++) {
		if (v[i].at < cut)
			cut = v[i].at;
		for (k = 0; k < v[i].nchunks; k++) {
			if (v[i].chunks[k] < cut)
				cut = v[i].chunks[k];
		}
	}
	be_nsnap_list_free(v, n);
	jsOptions_Init(&o);
	o.Stream.Purge.Sequence = cut;
	if ((s = js_PurgeStream(js, BE_NSNAP_STREAM, &o, &jerr)) != NATS_OK) {
		be_nsnap_why(cause, "purging " BE_NSNAP_STREAM, s, jerr);
		return (-1);
	}
	return ((int)(n - keep));
}

/*
 * At a gateway's start: load into st the newest snapshot that is whole
 * and that the events stream (from first to last) goes on from: the
 * events after its seq must all still be there. *snap_seq is its seq, or
 * 0 when none is usable (then the stream is replayed from its start).
 * What is skipped, and why, goes to the log. Returns 0; -1 with *cause
 * set only when a snapshot was loaded in part (st is then unusable).
 */
int
be_nsnap_restore(jsCtx *js, struct be_state *st, uint64_t first,
    uint64_t last, uint64_t *snap_seq, char **cause)
{
	struct be_nsnap_manifest	*v, *m;
	char				*c = NULL, *text, *where;
	size_t				 n, k;
	int64_t				 t0;

	*snap_seq = 0;
	if (be_nsnap_list(js, &v, &n, &c) != 0) {
		log_warn("nats: %s; no snapshot: the events from the start",
		    c);
		free(c);
		return (0);
	}
	for (k = n; k-- > 0; /* nothing */) {
		m = &v[k];
		t0 = clock_mono();
		if (m->seq > last) {
			log_warn("nats: the snapshot at seq %" PRIu64 " is "
			    "ignored: the events end at %" PRIu64, m->seq,
			    last);
			continue;
		}
		if (last > m->seq && first > m->seq + 1) {
			log_warn("nats: the snapshot at seq %" PRIu64 " is "
			    "ignored: the events after it start at %" PRIu64
			    " (trimmed)", m->seq, first);
			continue;
		}
		if (be_nsnap_fetch(js, m, &text, &c) != 0) {
			log_warn("nats: the snapshot at seq %" PRIu64 " (%s) "
			    "is ignored: %s", m->seq, m->id, c);
			free(c);
			c = NULL;
			continue;
		}
		xasprintf(&where, "%s: the snapshot at seq %" PRIu64,
		    BE_NSNAP_STREAM, m->seq);
		if (be_journal_load_record(st, text, m->size, m->seq, where,
		    cause) != 0) {
			free(where);
			free(text);
			be_nsnap_list_free(v, n);
			return (-1);
		}
		free(where);
		free(text);
		log_info("nats: loaded the snapshot at seq %" PRIu64 " (%zu "
		    "bytes in %zu chunk%s, digest %s; %zu whole manifest%s "
		    "in %s) in %lld ms", m->seq, m->size, m->nchunks,
		    m->nchunks == 1 ? "" : "s", m->digest, n, n == 1 ? "" :
		    "s", BE_NSNAP_STREAM, (long long)(clock_mono() - t0));
		*snap_seq = m->seq;
		break;
	}
	be_nsnap_list_free(v, n);
	return (0);
}

/* ==== The writer ==== */

static unsigned
be_nsnap_env(const char *name)
{
	const char	*s = getenv(name);
	unsigned long	 n;
	char		*end;

	if (s == NULL || *s == '\0')
		return (0);
	n = strtoul(s, &end, 10);
	if (*end != '\0' || n == 0 || n > 1u << 30) {
		log_warn("%s=%s: not a number; ignored", name, s);
		return (0);
	}
	log_warn("%s=%lu: for tests only", name, n);
	return ((unsigned)n);
}

/*
 * A writer of snapshots to the stream through js (borrowed). With
 * TRUCBAN_TEST_NSNAP_CHUNK=<bytes> its chunks are that small, with
 * TRUCBAN_TEST_NSNAP_TORN=<n> the process dies half-way through its n-th
 * snapshot, and with TRUCBAN_TEST_NSNAP_CORRUPT=<n> a digit of its n-th
 * snapshot is changed after its checksum was taken (tests only:
 * tests/e2e/nats-snapshot.sh). Returns a new writer.
 */
struct be_nsnap_writer *
be_nsnap_writer_new(jsCtx *js)
{
	struct be_nsnap_writer	*w;

	w = xcalloc(1, sizeof *w);
	w->js = js;
	if ((w->chunk = be_nsnap_env(BE_NSNAP_CHUNK_ENV)) == 0)
		w->chunk = BE_NSNAP_CHUNK;
	w->torn_at = be_nsnap_env(BE_NSNAP_TORN_ENV);
	w->corrupt_at = be_nsnap_env(BE_NSNAP_CORRUPT_ENV);
	pthread_mutex_init(&w->mu, NULL);
	return (w);
}

/* The writer's thread: serialise, write, prune; report to the loop. */
static void *
be_nsnap_writer_main(void *arg)
{
	struct be_nsnap_writer		*w = arg;
	struct be_nsnap_manifest	 m;
	char				*text, *cause = NULL, *report;
	size_t				 len;
	int64_t				 t0 = clock_mono();
	int				 pruned, ok;

	if ((text = json_dumps(w->record, JSON_COMPACT)) == NULL)
		fatalx("%s: cannot serialise the snapshot", __func__);
	json_decref(w->record);
	w->record = NULL;
	len = strlen(text);
	ok = be_nsnap_publish_hooked(w->js, text, len, w->seq, w->digest,
	    w->chunk, &m, w->hook, &cause) == 0;
	free(text);
	if (!ok) {
		xasprintf(&report, "nats: the snapshot at seq %" PRIu64 " was "
		    "not written (the events are whole; again later): %s",
		    w->seq, cause);
		free(cause);
	} else {
		pruned = be_nsnap_prune(w->js, BE_NSNAP_KEEP, &cause);
		xasprintf(&report, "nats: wrote the snapshot at seq %" PRIu64
		    " (%zu bytes in %zu chunk%s%s; built in %lld ms in the "
		    "loop, written in %lld ms by its thread)%s%s", w->seq, len,
		    m.nchunks, m.nchunks == 1 ? "" : "s",
		    w->hook == BE_NSNAP_HOOK_CORRUPT ?
		    ", one digit changed for the test" : "",
		    (long long)w->built_ms, (long long)(clock_mono() - t0),
		    pruned > 0 ? "; older ones purged" : "",
		    pruned < 0 ? "; purging failed" : "");
		free(cause);
		be_nsnap_manifest_free(&m);
	}
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	w->ok = ok;
	w->report = report;
	pthread_mutex_unlock(&w->mu);
	return (NULL);
}

/* Join a finished thread and log what it did. */
static void
be_nsnap_writer_join(struct be_nsnap_writer *w)
{
	pthread_join(w->thr, NULL);
	w->running = 0;
	if (w->ok)
		log_info("%s", w->report);
	else
		log_warn("%s", w->report);
	free(w->report);
	w->report = NULL;
	w->done = 0;
}

/*
 * 1 while a snapshot is being written. A thread that finished is joined
 * and its report logged (in the loop).
 */
int
be_nsnap_writer_busy(struct be_nsnap_writer *w)
{
	int	done;

	if (!w->running)
		return (0);
	pthread_mutex_lock(&w->mu);
	done = w->done;
	pthread_mutex_unlock(&w->mu);
	if (!done)
		return (1);
	be_nsnap_writer_join(w);
	return (0);
}

/*
 * Take a snapshot of st now (in the loop: the record is built from the
 * store) and start writing it (its thread). Call only when not busy;
 * built_ms is added to the report.
 */
void
be_nsnap_writer_start(struct be_nsnap_writer *w, struct be_state *st,
    int64_t built_ms)
{
	int64_t		t0 = clock_mono();
	const char	*digest;

	w->record = be_journal_snapshot_record(st);
	w->seq = st->store->seq;
	digest = json_string_value(json_object_get(w->record, "digest"));
	snprintf(w->digest, sizeof w->digest, "%s", digest != NULL ? digest :
	    "");
	w->built_ms = built_ms + clock_mono() - t0;
	w->count++;
	w->hook = w->count == w->torn_at ? BE_NSNAP_HOOK_TORN :
	    w->count == w->corrupt_at ? BE_NSNAP_HOOK_CORRUPT :
	    BE_NSNAP_HOOK_NONE;
	w->done = 0;
	if (pthread_create(&w->thr, NULL, be_nsnap_writer_main, w) != 0) {
		log_warn("nats: cannot start the snapshot's thread");
		json_decref(w->record);
		w->record = NULL;
		return;
	}
	w->running = 1;
}

/* Wait for a snapshot being written, and free. NULL is a no-op. */
void
be_nsnap_writer_free(struct be_nsnap_writer *w)
{
	if (w == NULL)
		return;
	if (w->running)
		be_nsnap_writer_join(w);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

#endif /* HAVE_NATS */
