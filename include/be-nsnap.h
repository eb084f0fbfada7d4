/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Snapshots in JetStream (--nats): the lease holder writes the journal's
 * snapshot record (be_journal_snapshot_record()) to the stream
 * TRUCBAN_SNAP in chunks, then a manifest that names them and holds the
 * size and the CRC-32 of the whole; a gateway that starts loads the
 * newest snapshot whose manifest is there and whose chunks add up to it,
 * then reads TRUCBAN_EVENTS from the seq after it. docs/ha.md has the
 * design. The manifest and chunk functions need no NATS (unit tests).
 */

#ifndef BE_NSNAP_H
#define BE_NSNAP_H

#include <stddef.h>
#include <stdint.h>

#define BE_NSNAP_STREAM		"TRUCBAN_SNAP"
#define BE_NSNAP_SUBJ		"trucban.snap.>"
#define BE_NSNAP_CHUNK_SUBJ	"trucban.snap.chunk"
#define BE_NSNAP_MANIFEST_SUBJ	"trucban.snap.manifest"
#define BE_NSNAP_FORMAT		1
/* A chunk's bytes: well under NATS's default max_payload (1 MB). */
#define BE_NSNAP_CHUNK		(256 * 1024)
#define BE_NSNAP_MAX_CHUNKS	65536	/* 16 GB at the default size. */
#define BE_NSNAP_KEEP		3	/* Snapshots kept in the stream. */
#define BE_NSNAP_EVERY		100000	/* Events between snapshots. */
/* And at least this often while events come (a quiet province). */
#define BE_NSNAP_EVERY_MS	(60 * 60 * 1000)
#define BE_NSNAP_MAX_AGE_DAYS	7	/* TRUCBAN_EVENTS' default max age. */

/*
 * A manifest: {"type":"snapshot-manifest","format":1,"seq","id","size",
 * "crc32","digest","created","chunks":[stream seqs]}. id names this
 * writing of the snapshot (a random nonce); each chunk carries the header
 * Tb-Snap: "ID/INDEX".
 */
struct be_nsnap_manifest {
	uint64_t	 seq;		/* The event seq of the state. */
	char		 id[33];
	size_t		 size;		/* Bytes of the record. */
	uint32_t	 crc;		/* CRC-32 of the record. */
	char		 digest[17];	/* The state's, store_digest(). */
	int64_t		 created;	/* Wall clock ms. */
	uint64_t	*chunks;	/* Owned: their stream seqs. */
	size_t		 nchunks;
	uint64_t	 at;		/* The manifest's own stream seq. */
};

/* Settings from the command line. */
struct be_nsnap_conf {
	uint64_t	 every;		/* Events; 0: write none. */
	int64_t		 max_age_ms;	/* TRUCBAN_EVENTS; 0: no limit. */
};

size_t	 be_nsnap_nchunks(size_t size, size_t chunk);
char	*be_nsnap_manifest_encode(const struct be_nsnap_manifest *);
int	 be_nsnap_manifest_decode(const char *, size_t,
	     struct be_nsnap_manifest *, char **cause);
void	 be_nsnap_manifest_free(struct be_nsnap_manifest *);
void	 be_nsnap_tag(char *, size_t, const char *id, size_t index);
int	 be_nsnap_join(const struct be_nsnap_manifest *,
	     const char *const *parts, const size_t *lens,
	     const char *const *tags, char **text, char **cause);

#ifdef HAVE_NATS
#include <nats/nats.h>

struct be_state;
struct be_nsnap_writer;

int	 be_nsnap_list(jsCtx *, struct be_nsnap_manifest **, size_t *,
	     char **cause);
void	 be_nsnap_list_free(struct be_nsnap_manifest *, size_t);
int	 be_nsnap_fetch(jsCtx *, const struct be_nsnap_manifest *,
	     char **text, char **cause);
int	 be_nsnap_publish(jsCtx *, const char *text, size_t len,
	     uint64_t seq, const char *digest, size_t chunk,
	     struct be_nsnap_manifest *, char **cause);
int	 be_nsnap_prune(jsCtx *, size_t keep, char **cause);
int	 be_nsnap_restore(jsCtx *, struct be_state *, uint64_t first,
	     uint64_t last, uint64_t *snap_seq, char **cause);

struct be_nsnap_writer *be_nsnap_writer_new(jsCtx *);
int	 be_nsnap_writer_busy(struct be_nsnap_writer *);
void	 be_nsnap_writer_start(struct be_nsnap_writer *,
	     struct be_state *, int64_t built_ms);
void	 be_nsnap_writer_free(struct be_nsnap_writer *);
#endif

#endif
