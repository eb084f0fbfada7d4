/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The append-only journal of events and command ids, with snapshots. */

#include "be-journal.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "be-archive.h"
#include "be-idem.h"
#include "be-msg.h"
#include "be-state.h"
#include "clock.h"
#include "dlog.h"
#include "engine.h"
#include "jscan.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/*
 * A state directory holds snapshots "snap-<seq>.json" and journal segments
 * "journal-<base>.log" (numbers in 20 digits, so names sort by number),
 * and a "lock" file that one backend holds with flock() while it runs.
 *
 * Every file is made of records, one a line: eight lower-case hex digits
 * of the CRC-32 (the zlib one) of the JSON text, a space, the JSON text
 * (compact, so it has no newline), and a newline; core/dlog.c frames,
 * writes, syncs, reads back and replaces them. A segment starts with a
 * header ({"type":"segment","format":2,"base"}) and holds events exactly
 * as they were sent ({"type":"event","seq":...}), command records
 * ({"type":"command","seq","id","by","payload","result"}), the latter
 * after the events of their command, and commit records
 * ({"type":"commit","seq"}). Segment <base> starts with event base + 1. A
 * snapshot is one record: {"type":"snapshot","format","seq","created",
 * "digest","state":{the snapshot body},"commands":[...]}.
 *
 * Appending only fills a buffer; be_journal_flush() adds a commit record,
 * writes it all and calls fdatasync(), and the server sends nothing (no
 * event, no result) that was queued before a flush until that flush
 * returned. Every "every" events a flush also writes a snapshot (a
 * temporary file, fsync, rename, fsync of the directory), starts a new
 * segment at its seq, and deletes what the BE_JOURNAL_KEEP newest
 * snapshots no longer need.
 *
 * The unit that becomes durable is the turn of the loop, not the record:
 * everything appended between two commits (a command's events and its
 * record, a simulated dispatch's events on the alert and its units) is
 * replayed only when the commit after it is there. The buffer may be
 * written before the commit, in the middle of a turn (once it holds
 * BE_JOURNAL_WRITE_AT bytes, or for a console that resumes from the
 * segments), and a crash there leaves records on disk without their
 * commit: they were never sent to anybody, and replaying them would apply
 * a command whose id is not remembered, so that a retry applies it twice
 * (issue 9). Opening cuts such a tail off.
 *
 * Opening loads the newest snapshot that reads back whole (an older one
 * when it does not) and replays the segments after it. A damaged record at
 * the very end of the last segment (a write cut short by a crash) is cut
 * off with a warning, and so is a tail of whole records without a commit
 * after them; a damaged record anywhere else (before a commit, or in an
 * older segment) stops the start, with the file and byte, because events
 * after it would be lost silently.
 *
 * Format 1 had no header and no commits: every whole record counted. A
 * segment without a header is read that way up to its first commit (the
 * one a format 2 backend writes before it appends to it), and as format 2
 * after it.
 */

#define BE_JOURNAL_WRITE_AT	(1024 * 1024)	/* Buffered bytes. */
#define BE_JOURNAL_SNAP_FMT	"snap-%020" PRIu64 ".json"
#define BE_JOURNAL_SEG_FMT	"journal-%020" PRIu64 ".log"
#define BE_JOURNAL_NAME_MAX	64
#define BE_JOURNAL_CRASH_ENV	"TRUCBAN_TEST_CRASH_AFTER_EVENT"
#define BE_JOURNAL_CRASH_EXIT	86

struct be_journal {
	struct be_state		*st;
	char			*dir;
	int			 dirfd;
	int			 lockfd;
	struct dlog		*seg;	/* Appended to; NULL. */
	uint64_t		 seg_base;
	uint64_t		*segs;		/* Segment bases, ascending. */
	size_t			 nsegs;
	uint64_t		*snaps;		/* Snapshot seqs, ascending. */
	size_t			 nsnaps;
	uint64_t		 every;
	uint64_t		 next_snapshot;	/* Seq to snapshot at. */
	char			*failed;	/* Why writing stopped. */
	int			 uncommitted;	/* Appended since a commit. */
	int			 legacy;	/* The last segment read is of
						   format 1. */
	struct be_journal_stats	 stats;
	uint64_t		 crash_after;	/* Tests only; 0: never. */
};

/* What a record is, for replay: see be_journal_marker(). */
enum be_journal_mark {
	BE_JOURNAL_RECORD,		/* An event or a command. */
	BE_JOURNAL_HEADER,		/* {"type":"segment",...} */
	BE_JOURNAL_COMMIT		/* {"type":"commit",...} */
};

/*
 * The CRC-32 of len bytes (polynomial 0xedb88320, as zlib's crc32()); see
 * dlog_crc32().
 */
uint32_t
be_journal_crc32(const void *buf, size_t len)
{
	return (dlog_crc32(buf, len));
}

/* ==== Files ==== */

static void
be_journal_fail(struct be_journal *j, const char *what, int error)
{
	if (j->failed != NULL)
		return;
	xasprintf(&j->failed, "journal %s/%s: %s", j->dir, what,
	    strerror(error));
	log_error("%s; nothing more is written", j->failed);
}

/* Write the buffered records to the segment (no sync). */
static void
be_journal_write(struct be_journal *j)
{
	size_t	len;

	if (j->seg == NULL || (len = j->seg->buf.len) == 0 ||
	    j->failed != NULL)
		return;
	if (dlog_write(j->seg) != 0) {
		be_journal_fail(j, j->seg->name, errno);
		return;
	}
	j->stats.bytes += len;
}

/* Append one record for len bytes of JSON text to the buffer. */
static void
be_journal_append(struct be_journal *j, const char *text, size_t len)
{
	if (j->failed != NULL)
		return;
	dlog_add(j->seg, text, len);
	j->uncommitted = 1;
	if (j->seg->buf.len >= BE_JOURNAL_WRITE_AT)
		be_journal_write(j);
}

/* Map a file of the directory (see dlog_map()), for messages with dir. */
static int
be_journal_map(struct be_journal *j, const char *name, int writable,
    struct dlog_map *m, char **cause)
{
	char	*c = NULL;

	if (dlog_map(j->dirfd, name, writable, m, &c) != 0) {
		xasprintf(cause, "%s/%s", j->dir, c);
		free(c);
		return (-1);
	}
	return (0);
}

static int
be_journal_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Parse "<prefix><20 digits><suffix>"; returns 0 and sets *n, or -1. */
static int
be_journal_name(const char *name, const char *prefix, const char *suffix,
    uint64_t *n)
{
	size_t	pl = strlen(prefix), sl = strlen(suffix), i;

	if (strlen(name) != pl + 20 + sl || strncmp(name, prefix, pl) != 0 ||
	    strcmp(name + pl + 20, suffix) != 0)
		return (-1);
	*n = 0;
	for (i = pl; i < pl + 20; i++) {
		if (name[i] < '0' || name[i] > '9')
			return (-1);
		*n = *n * 10 + (uint64_t)(name[i] - '0');
	}
	return (0);
}

/* List the snapshots and segments, ascending. */
static int
be_journal_scan(struct be_journal *j, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	uint64_t	 n;
	int		 fd;

	if ((fd = dup(j->dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		xasprintf(cause, "%s: %s", j->dir, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (be_journal_name(de->d_name, "snap-", ".json", &n) == 0) {
			j->snaps = xreallocarray(j->snaps, j->nsnaps + 1,
			    sizeof *j->snaps);
			j->snaps[j->nsnaps++] = n;
		} else if (be_journal_name(de->d_name, "journal-", ".log",
		    &n) == 0) {
			j->segs = xreallocarray(j->segs, j->nsegs + 1,
			    sizeof *j->segs);
			j->segs[j->nsegs++] = n;
		}
	}
	closedir(d);
	if (j->nsnaps > 0)
		qsort(j->snaps, j->nsnaps, sizeof *j->snaps, be_journal_cmp);
	if (j->nsegs > 0)
		qsort(j->segs, j->nsegs, sizeof *j->segs, be_journal_cmp);
	return (0);
}

/* Add n to a sorted array unless it is there. */
static void
be_journal_add(uint64_t **v, size_t *n, uint64_t x)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i] == x)
			return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = x;
	qsort(*v, *n, sizeof **v, be_journal_cmp);
}

/*
 * What a checked record is. The journal writes headers and commits itself,
 * always in the form below, so the start of the text tells.
 */
static enum be_journal_mark
be_journal_marker(const char *text, size_t len)
{
	static const char	commit[] = "{\"type\":\"commit\",";
	static const char	header[] = "{\"type\":\"segment\",";

	if (len > sizeof commit - 1 &&
	    memcmp(text, commit, sizeof commit - 1) == 0)
		return (BE_JOURNAL_COMMIT);
	if (len > sizeof header - 1 &&
	    memcmp(text, header, sizeof header - 1) == 0)
		return (BE_JOURNAL_HEADER);
	return (BE_JOURNAL_RECORD);
}

/* The text of a commit record at the state's seq, in buf. */
static size_t
be_journal_commit_text(struct be_journal *j, char *buf, size_t size)
{
	int	n;

	n = snprintf(buf, size, "{\"type\":\"commit\",\"seq\":%" PRIu64 "}",
	    j->st->store->seq);
	if (n < 0 || (size_t)n >= size)
		fatalx("%s: too long", __func__);
	return ((size_t)n);
}

/*
 * Open (creating when needed) segment base for appending. A new (empty)
 * segment gets its header, one of format 1 a commit that closes what it
 * holds; either is durable before anything else is written after it.
 */
static int
be_journal_open_segment(struct be_journal *j, uint64_t base, char **cause)
{
	struct dlog	*seg;
	struct stat	 sb;
	char		 name[BE_JOURNAL_NAME_MAX], text[128], *c = NULL;
	int		 n = 0;

	snprintf(name, sizeof name, BE_JOURNAL_SEG_FMT, base);
	if ((seg = dlog_open(j->dirfd, name, &c)) == NULL) {
		xasprintf(cause, "%s/%s", j->dir, c);
		free(c);
		return (-1);
	}
	if (fstat(seg->fd, &sb) == -1) {
		xasprintf(cause, "%s/%s: %s", j->dir, name, strerror(errno));
		dlog_free(seg);
		return (-1);
	}
	if (sb.st_size == 0) {
		n = snprintf(text, sizeof text, "{\"type\":\"segment\","
		    "\"format\":%d,\"base\":%" PRIu64 ",\"created\":%lld}",
		    BE_JOURNAL_FORMAT, base, (long long)clock_now());
	} else if (j->legacy)
		n = (int)be_journal_commit_text(j, text, sizeof text);
	if (n > 0 && dlog_append(seg, text, (size_t)n, &c) != 0) {
		xasprintf(cause, "%s/%s", j->dir, c);
		free(c);
		dlog_free(seg);
		return (-1);
	}
	if (n > 0) {
		j->stats.syncs++;
		j->stats.bytes += (uint64_t)n + DLOG_HEAD + 1;
	}
	j->legacy = 0;
	dlog_free(j->seg);
	j->seg = seg;
	j->seg_base = base;
	be_journal_add(&j->segs, &j->nsegs, base);
	return (0);
}

/* ==== Snapshots ==== */

static void
be_journal_snap_cmd(void *arg, const char *id, const char *payload,
    const char *result)
{
	json_t	*cmds = arg, *r;

	if ((r = json_loads(result, 0, NULL)) == NULL)
		return;
	json_array_append_new(cmds, json_pack("{s:s s:s s:o}", "id", id,
	    "payload", payload, "result", r));
}

/* Delete what the kept snapshots do not need. */
static void
be_journal_prune(struct be_journal *j)
{
	char		name[BE_JOURNAL_NAME_MAX];
	uint64_t	oldest, from = 0;
	size_t		i, n;

	while (j->nsnaps > BE_JOURNAL_KEEP) {
		snprintf(name, sizeof name, BE_JOURNAL_SNAP_FMT, j->snaps[0]);
		if (unlinkat(j->dirfd, name, 0) == -1 && errno != ENOENT)
			log_warn("journal %s/%s: %s", j->dir, name,
			    strerror(errno));
		memmove(j->snaps, j->snaps + 1, --j->nsnaps *
		    sizeof *j->snaps);
	}
	if (j->nsnaps == 0)
		return;
	/* Keep the segment the oldest snapshot's replay starts in. */
	oldest = j->snaps[0];
	for (i = 0; i < j->nsegs; i++) {
		if (j->segs[i] <= oldest)
			from = j->segs[i];
	}
	for (i = n = 0; i < j->nsegs; i++) {
		if (j->segs[i] >= from || j->segs[i] == j->seg_base) {
			j->segs[n++] = j->segs[i];
			continue;
		}
		snprintf(name, sizeof name, BE_JOURNAL_SEG_FMT, j->segs[i]);
		if (unlinkat(j->dirfd, name, 0) == -1 && errno != ENOENT)
			log_warn("journal %s/%s: %s", j->dir, name,
			    strerror(errno));
	}
	j->nsegs = n;
}

/*
 * Commit what was appended since the last commit, write everything
 * buffered and fdatasync() it. Returns 0, or -1 (the journal has failed).
 */
static int
be_journal_sync(struct be_journal *j)
{
	char	text[128];
	size_t	len;

	if (j->failed == NULL && j->seg != NULL && j->uncommitted) {
		len = be_journal_commit_text(j, text, sizeof text);
		dlog_add(j->seg, text, len);
		j->uncommitted = 0;
	}
	be_journal_write(j);
	if (j->failed == NULL && j->seg != NULL && j->seg->unsynced) {
		if (dlog_sync(j->seg) != 0)
			be_journal_fail(j, j->seg->name, errno);
		else
			j->stats.syncs++;
	}
	return (j->failed != NULL ? -1 : 0);
}

/*
 * The snapshot record of st as it is now: format, seq, creation time,
 * digest, the state (a protocol snapshot's body) and every remembered
 * command id with its payload and result. The journal writes it to a file;
 * a gateway over JetStream to the stream TRUCBAN_SNAP (be-nsnap.c). The
 * tree is new and shares nothing with the store. Returns a new reference.
 */
json_t *
be_journal_snapshot_record(struct be_state *st)
{
	json_t	*o, *cmds;
	char	 digest[17];

	cmds = json_array();
	be_idem_foreach(st->idem, be_journal_snap_cmd, cmds);
	store_digest(st->store, digest);
	o = json_pack("{s:s s:i s:I s:I s:s s:o s:o}", "type", "snapshot",
	    "format", BE_JOURNAL_FORMAT, "seq", (json_int_t)st->store->seq,
	    "created", (json_int_t)clock_now(), "digest", digest,
	    "state", store_snapshot(st->store), "commands", cmds);
	if (o == NULL)
		fatalx("%s: cannot build the snapshot", __func__);
	return (o);
}

/*
 * Write a snapshot of the state now (after making every record before it
 * durable), start a new segment at its seq and delete what is no longer
 * needed. Returns 0, or -1 with *cause set (allocated; caller frees): a
 * failed snapshot loses nothing, the journal still has every event.
 */
int
be_journal_snapshot(struct be_journal *j, char **cause)
{
	struct be_state	*st = j->st;
	uint64_t	 seq = st->store->seq;
	json_t		*o;
	struct buf	 b = BUF_INIT;
	char		 name[BE_JOURNAL_NAME_MAX];
	char		 *text, *c = NULL;
	size_t		 len;
	int		 rc = -1;
	int64_t		 t0 = clock_mono();

	if (be_journal_sync(j) != 0) {
		*cause = xstrdup(j->failed);
		return (-1);
	}
	o = be_journal_snapshot_record(st);
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("%s: cannot serialise the snapshot", __func__);
	json_decref(o);
	len = strlen(text);
	dlog_frame(&b, text, len);
	free(text);

	snprintf(name, sizeof name, BE_JOURNAL_SNAP_FMT, seq);
	if (dlog_replace(j->dirfd, name, b.s, b.len, fsync, &c) != 0) {
		xasprintf(cause, "%s/%s", j->dir, c);
		free(c);
		goto out;
	}
	be_journal_add(&j->snaps, &j->nsnaps, seq);
	if ((j->seg == NULL || j->seg_base != seq) &&
	    be_journal_open_segment(j, seq, cause) != 0) {
		/* Keep appending to the old segment. */
		goto out;
	}
	be_journal_prune(j);
	log_info("journal: snapshot at seq %" PRIu64 " (%zu bytes, %lld ms)",
	    seq, len, (long long)(clock_mono() - t0));
	rc = 0;
out:
	buf_free(&b);
	j->next_snapshot = j->every != 0 ? seq + j->every : UINT64_MAX;
	return (rc);
}

/*
 * A snapshot record's members but its state, parsed, and where the text
 * of its state begins (*state, NULL when it has none) and how long it is:
 * the state is loaded from its text, one item at a time. Returns a new
 * reference, or NULL with jerr->text set.
 */
static json_t *
be_journal_snapshot_head(const char *text, size_t len, const char **state,
    size_t *state_len, json_error_t *jerr)
{
	struct jscan_member	 m;
	const char		*p, *end = text + len;
	json_t			*o, *v;
	int			 rc;

	*state = NULL;
	*state_len = 0;
	if ((p = jscan_open(text, end, '{')) == NULL) {
		snprintf(jerr->text, sizeof jerr->text, "not a JSON object");
		return (NULL);
	}
	o = json_object();
	while ((rc = jscan_next_member(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "state")) {
			*state = m.value;
			*state_len = (size_t)(m.value_end - m.value);
			continue;
		}
		v = json_loadb(m.value, (size_t)(m.value_end - m.value),
		    JSON_DECODE_ANY, jerr);
		if (v == NULL) {
			json_decref(o);
			return (NULL);
		}
		json_object_setn_new(o, m.key, m.keylen, v);
	}
	if (rc != 0 || jscan_ws(p, end) != end) {
		snprintf(jerr->text, sizeof jerr->text, "not one JSON object");
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/*
 * Load a snapshot record (text, len: its JSON, checked already by whoever
 * read it: the record's CRC, a stream snapshot's checksum) that must be at
 * seq into st: the store, one item at a time, and the remembered command
 * ids, which replace st's. where names it in *cause. The journal's
 * restart and a gateway starting from TRUCBAN_SNAP both come through
 * here. Returns 0, or -1 with *cause set (allocated; caller frees).
 */
int
be_journal_load_record(struct be_state *st, const char *text, size_t len,
    uint64_t seq, const char *where, char **cause)
{
	json_error_t		 jerr;
	json_t			*o = NULL, *cmds, *v, *r;
	const char		*t, *why, *id, *payload, *digest, *state;
	char			 ours[17];
	size_t			 state_len;
	char			*rtext;
	size_t			 i;
	int			 rc = -1;

	if ((o = be_journal_snapshot_head(text, len, &state,
	    &state_len, &jerr)) == NULL) {
		xasprintf(cause, "%s: %s", where, jerr.text);
		goto out;
	}
	cmds = json_object_get(o, "commands");
	if (json_integer_value(json_object_get(o, "format")) < 1 ||
	    json_integer_value(json_object_get(o, "format")) >
	    BE_JOURNAL_FORMAT ||
	    json_integer_value(json_object_get(o, "seq")) != (json_int_t)seq ||
	    state == NULL || !json_is_array(cmds)) {
		xasprintf(cause, "%s: not a snapshot of format 1 to %d "
		    "at seq %" PRIu64, where, BE_JOURNAL_FORMAT, seq);
		goto out;
	}
	json_array_foreach(cmds, i, v) {
		if (json_string_value(json_object_get(v, "id")) == NULL ||
		    json_string_value(json_object_get(v, "payload")) == NULL ||
		    !json_is_object(json_object_get(v, "result"))) {
			xasprintf(cause, "%s: commands[%zu] is not a "
			    "command", where, i);
			goto out;
		}
	}
	if (store_load_snapshot_text(st->store, state, state_len, 0, NULL,
	    NULL, cause) != 0)
		goto out;
	st->store->seq = seq;
	/* A new state remembers nothing yet: no second table is needed. */
	if (be_idem_count(st->idem) != 0) {
		be_idem_free(st->idem);
		st->idem = be_idem_new(BE_IDEM_IDS);
	}
	json_array_foreach(cmds, i, v) {
		id = json_string_value(json_object_get(v, "id"));
		payload = json_string_value(json_object_get(v, "payload"));
		r = json_object_get(v, "result");
		if (be_idem_find(st->idem, id, &t, &why))
			continue;
		rtext = proto_dump(r);
		be_idem_put(st->idem, id, payload, rtext);
		free(rtext);
	}
	/*
	 * The record's CRC has vouched for every byte, so its digest is not
	 * computed again: that would be a second load of the whole state
	 * (store_digest() sanitises through one). BE_JOURNAL_VERIFY=1 in
	 * the environment checks it all the same.
	 */
	digest = json_string_value(json_object_get(o, "digest"));
	if (digest != NULL && getenv("BE_JOURNAL_VERIFY") != NULL) {
		store_digest(st->store, ours);
		if (strcmp(digest, ours) != 0)
			log_warn("%s: the state reads back with digest %s, "
			    "not %s", where, ours, digest);
	}
	rc = 0;
out:
	json_decref(o);
	return (rc);
}

/* Read back snapshot seq into the state. */
static int
be_journal_load_snapshot(struct be_journal *j, uint64_t seq, char **cause)
{
	struct dlog_map		 m;
	struct dlog_reader	 rd;
	char			 name[BE_JOURNAL_NAME_MAX], *where;
	int			 rc = -1;

	snprintf(name, sizeof name, BE_JOURNAL_SNAP_FMT, seq);
	if (be_journal_map(j, name, 0, &m, cause) != 0)
		return (-1);
	dlog_reader_init(&rd, m.p, m.size, 0);
	if (dlog_read(&rd) != DLOG_OK) {
		xasprintf(cause, "%s/%s: %s", j->dir, name, rd.why != NULL ?
		    rd.why : "empty");
		goto out;
	}
	if (rd.end != m.size) {
		xasprintf(cause, "%s/%s: not one whole record", j->dir, name);
		goto out;
	}
	xasprintf(&where, "%s/%s", j->dir, name);
	rc = be_journal_load_record(j->st, rd.text, rd.len, seq, where,
	    cause);
	free(where);
	if (rc == 0)
		j->stats.snapshot_seq = seq;
out:
	dlog_unmap(&m);
	return (rc);
}

/* ==== Replay ==== */

/*
 * Apply one checked record. Returns 0, or -1 with *cause set when it does
 * not fit the state (a gap, an event the store refuses).
 */
static int
be_journal_replay_one(struct be_journal *j, const char *text, size_t len,
    char **cause)
{
	struct be_state	*st = j->st;
	json_error_t	 jerr;
	json_t		*o, *r;
	const char	*type, *id, *payload, *p0, *r0;
	char		*rtext;
	int		 rc = -1;

	if ((o = json_loadb(text, len, 0, &jerr)) == NULL) {
		xasprintf(cause, "not JSON: %s", jerr.text);
		return (-1);
	}
	type = json_string_value(json_object_get(o, "type"));
	if (type != NULL && strcmp(type, "event") == 0) {
		switch (be_state_apply(st, o, text, len, 0, cause)) {
		case -1:
			goto out;
		case 0:
			j->stats.events++;
			break;
		}
	} else if (type != NULL && strcmp(type, "command") == 0) {
		id = json_string_value(json_object_get(o, "id"));
		payload = json_string_value(json_object_get(o, "payload"));
		r = json_object_get(o, "result");
		if (id == NULL || payload == NULL || !json_is_object(r)) {
			xasprintf(cause, "a command record without id, "
			    "payload or result");
			goto out;
		}
		if (!be_idem_find(st->idem, id, &p0, &r0)) {
			rtext = proto_dump(r);
			be_idem_put(st->idem, id, payload, rtext);
			free(rtext);
		}
		j->stats.commands++;
	} else if (type == NULL || (strcmp(type, "commit") != 0 &&
	    strcmp(type, "segment") != 0))
		log_debug("journal: a record of type %s skipped",
		    type != NULL ? type : "?");
	rc = 0;
out:
	json_decref(o);
	return (rc);
}

/*
 * Replay the records of m from byte from to byte to, which were read
 * through (and their checksums checked) already.
 */
static int
be_journal_replay_range(struct be_journal *j, const struct dlog_map *m,
    size_t from, size_t to, const char *name, char **cause)
{
	struct dlog_reader	 r;
	char			*c = NULL;

	dlog_reader_init(&r, m->p + from, to - from, DLOG_READ_CHECKED);
	while (dlog_read(&r) == DLOG_OK) {
		if (be_journal_replay_one(j, r.text, r.len, &c) != 0) {
			xasprintf(cause, "%s/%s, byte %zu: %s", j->dir, name,
			    from + r.start, c);
			free(c);
			return (-1);
		}
	}
	return (0);
}

/* 1 when a good commit follows what r read last, else 0. */
static int
be_journal_commit_follows(const struct dlog_reader *r)
{
	struct dlog_reader	copy = *r;
	enum dlog_status	s;

	while ((s = dlog_read(&copy)) != DLOG_END) {
		if (s == DLOG_OK && be_journal_marker(copy.text, copy.len) !=
		    BE_JOURNAL_RECORD)
			return (1);
	}
	return (0);
}

/*
 * Replay segment base; last: it is the newest, whose tail may be cut (torn
 * or without a commit). Records wait for the commit after them; before
 * the first header or commit of a segment (format 1) they count at once.
 */
static int
be_journal_replay(struct be_journal *j, uint64_t base, int last,
    char **cause)
{
	struct dlog_map		 m;
	struct dlog_reader	 r;
	enum dlog_status	 rs;
	enum be_journal_mark	 mark;
	char			 name[BE_JOURNAL_NAME_MAX], *c = NULL;
	size_t			 pending = 0, cut = 0;
	int			 rc = -1, marked = 0;

	snprintf(name, sizeof name, BE_JOURNAL_SEG_FMT, base);
	if (be_journal_map(j, name, last, &m, cause) != 0)
		return (-1);
	dlog_reader_init(&r, m.p, m.size, 0);
	while ((rs = dlog_read(&r)) == DLOG_OK) {
		mark = be_journal_marker(r.text, r.len);
		if (mark == BE_JOURNAL_RECORD) {
			if (marked)
				continue;	/* Until its commit. */
			if (be_journal_replay_one(j, r.text, r.len, &c) != 0) {
				xasprintf(cause, "%s/%s, byte %zu: %s", j->dir,
				    name, r.start, c);
				free(c);
				goto out;
			}
			continue;
		}
		if (marked && be_journal_replay_range(j, &m, pending, r.start,
		    name, cause) != 0)
			goto out;
		marked = 1;
		pending = r.end;
	}

	if (rs == DLOG_END) {
		cut = marked ? pending : m.size;
		if (cut == m.size) {
			rc = 0;
			goto out;
		}
		if (!last) {
			xasprintf(cause, "%s/%s, byte %zu: records without a "
			    "commit in an older segment; not starting (move "
			    "the state directory away to start anew)", j->dir,
			    name, cut);
			goto out;
		}
		log_warn("journal %s/%s: %zu bytes at byte %zu were written in "
		    "the middle of a turn that a crash ended (no commit after "
		    "them): nothing of it was sent; cut off", j->dir, name,
		    m.size - cut, cut);
		j->stats.uncommitted += m.size - cut;
		goto truncate;
	}

	/* A damaged record at r.start. */
	if (!last || (marked ? be_journal_commit_follows(&r) :
	    dlog_reader_more(&r))) {
		xasprintf(cause, "%s/%s, byte %zu: damaged record (%s) with "
		    "records after it; not starting, so that nothing is lost "
		    "silently (move the state directory away to start anew)",
		    j->dir, name, r.start, r.why);
		goto out;
	}
	cut = marked ? pending : r.start;
	log_warn("journal %s/%s: the last record (%zu bytes at byte %zu) is "
	    "torn (%s), as after a crash; it was never acknowledged: cut "
	    "off", j->dir, name, m.size - r.start, r.start, r.why);
	if (cut < r.start) {
		log_warn("journal %s/%s: with %zu bytes before it written in "
		    "the same unfinished turn (no commit): cut off too",
		    j->dir, name, r.start - cut);
		j->stats.uncommitted += r.start - cut;
	}
	j->stats.truncated += m.size - r.start;

truncate:
	if (ftruncate(m.fd, (off_t)cut) == -1 || fsync(m.fd) == -1) {
		xasprintf(cause, "%s/%s: cannot truncate: %s", j->dir, name,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc == 0 && last)
		j->legacy = !marked && cut > 0;
	dlog_unmap(&m);
	return (rc);
}

static int
be_journal_restore(struct be_journal *j, char **cause)
{
	size_t	k, i, start;
	char	*c = NULL;

	for (k = j->nsnaps; k-- > 0; /* nothing */) {
		if (be_journal_load_snapshot(j, j->snaps[k], &c) == 0)
			break;
		log_warn("%s; trying an older snapshot", c);
		free(c);
		c = NULL;
	}
	if (k == (size_t)-1) {
		xasprintf(cause, "%s: no snapshot reads back whole", j->dir);
		return (-1);
	}
	if (j->nsegs > 0 && j->segs[0] > j->st->store->seq) {
		xasprintf(cause, "%s: the journal starts after seq %" PRIu64
		    ", the snapshot is at %" PRIu64, j->dir, j->segs[0],
		    j->st->store->seq);
		return (-1);
	}
	start = 0;
	for (i = 0; i < j->nsegs; i++) {
		if (j->segs[i] <= j->snaps[k])
			start = i;
	}
	for (i = start; i < j->nsegs; i++) {
		if (be_journal_replay(j, j->segs[i], i == j->nsegs - 1,
		    cause) != 0)
			return (-1);
	}
	if (be_journal_open_segment(j, j->nsegs > 0 ? j->segs[j->nsegs - 1] :
	    j->st->store->seq, cause) != 0)
		return (-1);
	j->next_snapshot = j->every != 0 ? j->snaps[k] + j->every :
	    UINT64_MAX;
	return (0);
}

/*
 * For tests only (tests/e2e/backend-crash.sh): with
 * TRUCBAN_TEST_CRASH_AFTER_EVENT=<seq> in the environment, the backend
 * writes what the journal holds to its segment right after event <seq>
 * was appended (as it does in the middle of a turn once more than
 * BE_JOURNAL_WRITE_AT bytes are held) and ends at once with _exit(86), as
 * if killed with SIGKILL at the moment that hurts most. Returns that seq,
 * or 0 when the variable is not set.
 */
static uint64_t
be_journal_crash_after(void)
{
	const char		*s = getenv(BE_JOURNAL_CRASH_ENV);
	unsigned long long	 n;
	char			*end;

	if (s == NULL || *s == '\0')
		return (0);
	n = strtoull(s, &end, 10);
	if (*end != '\0' || n == 0) {
		log_warn("%s=%s: not a seq; ignored", BE_JOURNAL_CRASH_ENV, s);
		return (0);
	}
	log_warn("%s=%llu: for tests only", BE_JOURNAL_CRASH_ENV, n);
	return ((uint64_t)n);
}

/* ==== API ==== */

/* The state's listener: events and command records to the journal. */
static void
be_journal_on_event(void *arg, struct be_msg *m)
{
	be_journal_event(arg, m);
}

static void
be_journal_on_command(void *arg, const char *id, const char *by,
    const char *payload, const char *result)
{
	be_journal_command(arg, id, by, payload, result);
}

/*
 * Open the state directory dir (creating it when missing) for st, whose
 * dataset is loaded and which has emitted nothing yet. A new directory
 * gets a snapshot of st as it is; an existing one replaces st's store,
 * remembered command ids and retained events with what it holds (and
 * be_state_restored() is called). snapshot_every: events between
 * snapshots (0: none but the first). Then every event and command record
 * of st goes to the journal. Returns 0 and sets *jp (caller closes with
 * be_journal_close()), or -1 with *cause set (allocated; caller frees).
 */
int
be_journal_open(struct be_state *st, const char *dir, uint64_t snapshot_every,
    struct be_journal **jp, char **cause)
{
	struct be_journal	*j;
	char			*c = NULL;
	int64_t			 t0 = clock_mono();

	j = xcalloc(1, sizeof *j);
	j->st = st;
	j->dir = xstrdup(dir);
	j->dirfd = j->lockfd = -1;
	j->every = snapshot_every;
	j->next_snapshot = UINT64_MAX;
	j->crash_after = be_journal_crash_after();

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "cannot create the state directory %s: %s",
		    dir, strerror(errno));
		goto fail;
	}
	if ((j->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		xasprintf(cause, "state directory %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if ((j->lockfd = dlog_lock(j->dirfd, "lock", &c)) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "state directory %s is in use by "
			    "another trucban-backend", dir);
		else
			xasprintf(cause, "%s/%s", dir, c);
		free(c);
		goto fail;
	}
	if (be_journal_scan(j, cause) != 0)
		goto fail;
	if (j->nsnaps == 0 && j->nsegs == 0) {
		if (be_journal_snapshot(j, &c) != 0) {
			xasprintf(cause, "cannot start the journal: %s", c);
			free(c);
			goto fail;
		}
		j->stats.restored = 0;
		log_info("journal %s: new, at seq %" PRIu64, dir,
		    st->store->seq);
	} else if (j->nsnaps == 0) {
		xasprintf(cause, "%s has journal segments but no snapshot to "
		    "replay them on", dir);
		goto fail;
	} else {
		if (be_journal_restore(j, cause) != 0)
			goto fail;
		be_state_restored(st);
		j->stats.restored = 1;
	}
	j->stats.ms = clock_mono() - t0;
	if (j->stats.restored)
		log_info("journal %s: restored seq %" PRIu64 " (snapshot %"
		    PRIu64 ", %" PRIu64 " events and %" PRIu64 " command "
		    "records replayed) in %lld ms", dir, st->store->seq,
		    j->stats.snapshot_seq, j->stats.events,
		    j->stats.commands, (long long)j->stats.ms);
	be_state_listen(st, be_journal_on_event, be_journal_on_command, j);
	*jp = j;
	return (0);

fail:
	be_journal_close(j, NULL);
	return (-1);
}

/*
 * Make everything durable, detach from the state and free the journal.
 * Returns 0, or -1 (with *cause set when cause is not NULL; caller frees)
 * when the last records could not be made durable. NULL is a no-op.
 */
int
be_journal_close(struct be_journal *j, char **cause)
{
	int	rc = 0;

	if (j == NULL)
		return (0);
	if (j->seg != NULL && be_journal_sync(j) != 0) {
		rc = -1;
		if (cause != NULL)
			*cause = xstrdup(j->failed);
	}
	if (j->st != NULL)
		be_state_unlisten(j->st, j);
	dlog_free(j->seg);
	if (j->lockfd != -1)
		close(j->lockfd);
	if (j->dirfd != -1)
		close(j->dirfd);
	free(j->segs);
	free(j->snaps);
	free(j->failed);
	free(j->dir);
	free(j);
	return (rc);
}

/*
 * Append an event (its text, borrowed) to the journal. It is durable once
 * be_journal_flush() returned 0.
 */
void
be_journal_event(struct be_journal *j, struct be_msg *m)
{
	be_journal_append(j, (const char *)be_msg_text(m), m->len);
	if (j->crash_after != 0 && m->seq == j->crash_after) {
		be_journal_write(j);
		log_warn("journal: %s=%" PRIu64 ": dying now, as a kill -9 "
		    "would", BE_JOURNAL_CRASH_ENV, m->seq);
		_exit(BE_JOURNAL_CRASH_EXIT);
	}
}

/*
 * Append the record of a newly remembered command id: who sent it, its
 * canonical payload and its serialised result (all borrowed).
 */
void
be_journal_command(struct be_journal *j, const char *id, const char *by,
    const char *payload, const char *result)
{
	json_t	*o, *r;
	char	*text;

	if ((r = json_loads(result, 0, NULL)) == NULL)
		fatalx("%s: result of %s is not JSON", __func__, id);
	o = json_pack("{s:s s:I s:s s:s s:s s:o}", "type", "command",
	    "seq", (json_int_t)j->st->store->seq, "id", id, "by",
	    by != NULL ? by : "", "payload", payload, "result", r);
	if (o == NULL)
		fatalx("%s: cannot build the record of %s", __func__, id);
	text = proto_dump(o);
	json_decref(o);
	be_journal_append(j, text, strlen(text));
	free(text);
}

/*
 * Write what was appended and fdatasync() it; then, when enough events
 * have passed, write a snapshot. Returns 0 when every record appended so
 * far is durable, or -1 with *cause set (allocated; caller frees) when the
 * journal failed: nothing that depends on those records may be sent, and
 * the caller should stop.
 */
int
be_journal_flush(struct be_journal *j, char **cause)
{
	char	*c = NULL;

	if (be_journal_sync(j) != 0) {
		*cause = xstrdup(j->failed);
		return (-1);
	}
	if (j->st->store->seq >= j->next_snapshot &&
	    be_journal_snapshot(j, &c) != 0) {
		log_error("journal: snapshot failed (the journal is whole; "
		    "trying again later): %s", c);
		free(c);
		j->next_snapshot = j->st->store->seq + j->every / 4 + 1;
	}
	return (0);
}

/*
 * 1 when records were appended and are not durable yet, else 0.
 */
int
be_journal_pending(const struct be_journal *j)
{
	return (j->uncommitted || (j->seg != NULL && (j->seg->buf.len > 0 ||
	    j->seg->unsynced)));
}

/*
 * Call fn(arg, msg) with every event after seq "after" up to "last" (the
 * current seq), oldest first, read back from the segments, when there are
 * at most max of them and the journal still holds them all. The messages
 * are borrowed. Returns the number of calls, or -1 (nothing was called)
 * when the events are not all there or too many.
 */
int
be_journal_since(struct be_journal *j, uint64_t after, uint64_t last,
    size_t max, void (*fn)(void *, struct be_msg *), void *arg)
{
	struct dlog_map		 m;
	struct dlog_reader	 r;
	struct be_msg		**v;
	json_t			*o;
	json_int_t		 seq;
	char			 name[BE_JOURNAL_NAME_MAX], *c = NULL;
	size_t			 i, n = 0, want, start = SIZE_MAX;
	int			 stop = 0;

	if (last <= after)
		return (0);
	if (last - after > max || j->failed != NULL)
		return (-1);
	for (i = 0; i < j->nsegs; i++) {
		if (j->segs[i] <= after)
			start = i;
	}
	if (start == SIZE_MAX)
		return (-1);
	be_journal_write(j);
	want = (size_t)(last - after);
	v = xcalloc(want, sizeof *v);
	for (i = start; i < j->nsegs && !stop; i++) {
		snprintf(name, sizeof name, BE_JOURNAL_SEG_FMT, j->segs[i]);
		if (be_journal_map(j, name, 0, &m, &c) != 0) {
			log_warn("%s", c);
			free(c);
			break;
		}
		dlog_reader_init(&r, m.p, m.size, 0);
		while (!stop && dlog_read(&r) == DLOG_OK) {
			if ((o = json_loadb(r.text, r.len, 0, NULL)) == NULL)
				break;
			seq = json_integer_value(json_object_get(o, "seq"));
			if (json_is_string(json_object_get(o, "kind")) &&
			    strcmp(json_string_value(json_object_get(o,
			    "type")) != NULL ? json_string_value(
			    json_object_get(o, "type")) : "", "event") == 0 &&
			    seq > (json_int_t)after && n < want &&
			    (uint64_t)seq == after + n + 1)
				v[n++] = be_msg_event(o, r.text, r.len);
			if (seq >= (json_int_t)last)
				stop = 1;
			json_decref(o);
		}
		dlog_unmap(&m);
	}
	if (n == want) {
		for (i = 0; i < n; i++)
			fn(arg, v[i]);
	}
	for (i = 0; i < n; i++)
		be_msg_unref(v[i]);
	free(v);
	return (n == want ? (int)n : -1);
}

/*
 * What opening found, and the writes since (borrowed).
 */
const struct be_journal_stats *
be_journal_stats(const struct be_journal *j)
{
	return (&j->stats);
}
