/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for snapshots in JetStream without a server (be-nsnap.c): the
 * manifest's encoding and what its decoder refuses, the chunking, and
 * putting a snapshot back together: every chunk there and tagged, the
 * size and the CRC-32 right, or nothing loads. Then a state's snapshot
 * record cut into chunks, joined and loaded through the journal's path
 * holds the same state and command ids.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "be-data.h"
#include "be-idem.h"
#include "be-journal.h"
#include "be-nsnap.h"
#include "be-sim.h"
#include "be-state.h"
#include "dlog.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#include "lib/test-fixture.h"

/* A manifest of text cut into chunks of chunk bytes, seqs 10, 11, ... */
static void
t_manifest(struct be_nsnap_manifest *m, const char *text, size_t chunk)
{
	size_t	i;

	memset(m, 0, sizeof *m);
	m->seq = 1234;
	snprintf(m->id, sizeof m->id, "0123456789abcdef0123456789abcdef");
	m->size = strlen(text);
	m->crc = dlog_crc32(text, m->size);
	snprintf(m->digest, sizeof m->digest, "00112233aabbccdd");
	m->created = 1795482000000LL;
	m->nchunks = be_nsnap_nchunks(m->size, chunk);
	m->chunks = xcalloc(m->nchunks, sizeof *m->chunks);
	for (i = 0; i < m->nchunks; i++)
		m->chunks[i] = 10 + i;
}

/* The chunks of text as a writer sends them: parts, lengths, tags. */
struct t_chunks {
	const char	**parts;
	size_t		 *lens;
	char		**tags;
	size_t		  n;
};

static void
t_cut(struct t_chunks *c, const struct be_nsnap_manifest *m,
    const char *text, size_t chunk)
{
	size_t	i, off;

	c->n = m->nchunks;
	c->parts = xcalloc(c->n, sizeof *c->parts);
	c->lens = xcalloc(c->n, sizeof *c->lens);
	c->tags = xcalloc(c->n, sizeof *c->tags);
	for (i = 0, off = 0; i < c->n; i++) {
		c->parts[i] = text + off;
		c->lens[i] = m->size - off < chunk ? m->size - off : chunk;
		off += c->lens[i];
		c->tags[i] = xmalloc(64);
		be_nsnap_tag(c->tags[i], 64, m->id, i);
	}
}

static void
t_cut_free(struct t_chunks *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->tags[i]);
	free(c->parts);
	free(c->lens);
	free(c->tags);
}

static int
t_join(const struct be_nsnap_manifest *m, struct t_chunks *c, char **text,
    char **cause)
{
	return (be_nsnap_join(m, c->parts, c->lens,
	    (const char *const *)c->tags, text, cause));
}

static void
test_nchunks(void **state)
{
	(void)state;
	assert_int_equal(be_nsnap_nchunks(0, 10), 1);
	assert_int_equal(be_nsnap_nchunks(1, 10), 1);
	assert_int_equal(be_nsnap_nchunks(10, 10), 1);
	assert_int_equal(be_nsnap_nchunks(11, 10), 2);
	assert_int_equal(be_nsnap_nchunks(1151723, BE_NSNAP_CHUNK), 5);
}

static void
test_manifest_roundtrip(void **state)
{
	struct be_nsnap_manifest	 m, back;
	char				*text, *cause = NULL;
	size_t				 i;

	(void)state;
	t_manifest(&m, "{\"type\":\"snapshot\",\"seq\":1234}", 7);
	m.crc = 0x0000abcd;	/* Leading zeros survive. */
	text = be_nsnap_manifest_encode(&m);
	assert_non_null(strstr(text, "\"crc32\":\"0000abcd\""));
	if (be_nsnap_manifest_decode(text, strlen(text), &back, &cause) != 0)
		fail_msg("decode: %s", cause);
	assert_int_equal(back.seq, m.seq);
	assert_string_equal(back.id, m.id);
	assert_int_equal(back.size, m.size);
	assert_int_equal(back.crc, m.crc);
	assert_string_equal(back.digest, m.digest);
	assert_int_equal(back.created, m.created);
	assert_int_equal(back.nchunks, m.nchunks);
	for (i = 0; i < m.nchunks; i++)
		assert_int_equal(back.chunks[i], m.chunks[i]);
	free(text);
	be_nsnap_manifest_free(&back);
	be_nsnap_manifest_free(&m);
	be_nsnap_manifest_free(NULL);
}

/* What the decoder refuses: each is never loaded. */
static void
test_manifest_refused(void **state)
{
	static const char *bad[] = {
		"",
		"not json",
		"[]",
		"{\"type\":\"snapshot\",\"format\":1,\"seq\":5,\"id\":\"a\","
		    "\"size\":3,\"crc32\":\"00000000\",\"digest\":\"d\","
		    "\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":2,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":0,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":-3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"0000000G\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"000000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a/b\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\x1b[2J\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"chunks\":[1]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1,\"2\"]}",
		"{\"type\":\"snapshot-manifest\",\"format\":1,\"seq\":5,"
		    "\"id\":\"a\",\"size\":3,\"crc32\":\"00000000\","
		    "\"digest\":\"d\",\"chunks\":[1,0]}",
	};
	struct be_nsnap_manifest	 m;
	char				*cause;
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (be_nsnap_manifest_decode(bad[i], strlen(bad[i]), &m,
		    &cause) == 0)
			fail_msg("bad[%zu] decoded: %s", i, bad[i]);
		assert_non_null(cause);
		assert_null(m.chunks);
		free(cause);
	}
}

static void
test_join(void **state)
{
	static const char		*text = "{\"a\":[1,2,3,4,5,6,7,8,9],"
					    "\"b\":\"Hạ Long\"}";
	struct be_nsnap_manifest	 m;
	struct t_chunks			 c;
	char				*out = NULL, *cause = NULL;

	(void)state;
	t_manifest(&m, text, 5);
	assert_true(m.nchunks > 3);
	t_cut(&c, &m, text, 5);
	if (t_join(&m, &c, &out, &cause) != 0)
		fail_msg("join: %s", cause);
	assert_string_equal(out, text);
	free(out);
	t_cut_free(&c);
	be_nsnap_manifest_free(&m);
}

/* A half-written, corrupt or mixed-up snapshot never joins. */
static void
test_join_refused(void **state)
{
	static const char		*text = "{\"a\":[1,2,3,4,5,6,7,8,9],"
					    "\"b\":\"Hạ Long\"}";
	struct be_nsnap_manifest	 m;
	struct t_chunks			 c;
	char				*out, *cause, *copy, *saved;
	const char			*p;
	size_t				 len;

	(void)state;
	t_manifest(&m, text, 5);

	/* A chunk missing (the writer died, or it was purged). */
	t_cut(&c, &m, text, 5);
	saved = c.tags[m.nchunks - 1];
	c.tags[m.nchunks - 1] = NULL;
	out = cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	assert_null(out);
	assert_non_null(strstr(cause, "missing"));
	free(cause);
	c.tags[m.nchunks - 1] = saved;

	/* A chunk of another writing (its tag), or in the wrong place. */
	snprintf(c.tags[1], 64, "ffffffffffffffffffffffffffffffff/1");
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	free(cause);
	be_nsnap_tag(c.tags[1], 64, m.id, 2);
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	free(cause);
	be_nsnap_tag(c.tags[1], 64, m.id, 1);

	/* One chunk short, or one too long: the size. */
	c.lens[2]--;
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	assert_non_null(strstr(cause, "bytes"));
	free(cause);
	c.lens[2] += 2;
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	free(cause);
	c.lens[2]--;

	/* One digit changed: the same size, still JSON; the CRC. */
	len = strlen(text);
	copy = xstrdup(text);
	copy[8] = copy[8] == '9' ? '8' : copy[8] + 1;
	p = c.parts[1];
	c.parts[1] = copy + 5;
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), -1);
	assert_non_null(strstr(cause, "checksum"));
	free(cause);
	c.parts[1] = p;
	assert_int_equal(strlen(copy), len);
	free(copy);

	/* And whole again: it joins. */
	cause = NULL;
	assert_int_equal(t_join(&m, &c, &out, &cause), 0);
	free(out);
	t_cut_free(&c);
	be_nsnap_manifest_free(&m);
}

/* A state on the test fixture, seeded 7, simulated for n ticks. */
static struct be_state *
t_province(struct be_data **data, struct be_sim **sim, int ticks)
{
	struct be_state	*st = be_state_new(7);
	int		 i;

	*data = test_fixture_load(st->store, &st->rng);
	*sim = NULL;
	if (ticks > 0) {
		*sim = be_sim_new(st, *data);
		be_sim_initial_day(*sim);
		for (i = 0; i < ticks; i++)
			be_sim_tick(*sim);
	}
	return (st);
}

/*
 * The record of a state, in chunks, joined and loaded through the
 * journal's path into a new state: the same digest, seq and command ids.
 */
static void
test_record_roundtrip(void **state)
{
	struct be_state			*a, *b;
	struct be_data			*da, *db;
	struct be_sim			*sa, *sb;
	struct be_nsnap_manifest	 m;
	struct t_chunks			 c;
	json_t				*rec;
	const char			*p, *r;
	char				*text, *out = NULL, *cause = NULL;
	char				 d1[17], d2[17];

	(void)state;
	a = t_province(&da, &sa, 200);
	be_idem_put(a->idem, "c-1", "{\"cmd\":\"ack\"}",
	    "{\"type\":\"result\",\"ok\":true}");
	assert_true(a->store->seq > 0);
	rec = be_journal_snapshot_record(a);
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	t_manifest(&m, text, 4096);
	m.seq = a->store->seq;
	assert_true(m.nchunks > 1);
	t_cut(&c, &m, text, 4096);
	if (t_join(&m, &c, &out, &cause) != 0)
		fail_msg("join: %s", cause);

	b = t_province(&db, &sb, 0);
	if (be_journal_load_record(b, out, m.size, m.seq, "test", &cause) !=
	    0)
		fail_msg("load: %s", cause);
	assert_int_equal(b->store->seq, a->store->seq);
	store_digest(a->store, d1);
	store_digest(b->store, d2);
	assert_string_equal(d1, d2);
	assert_true(be_idem_find(b->idem, "c-1", &p, &r));
	assert_string_equal(p, "{\"cmd\":\"ack\"}");

	/* The record at another seq than the manifest's: refused. */
	cause = NULL;
	assert_int_equal(be_journal_load_record(b, out, m.size, m.seq + 1,
	    "test", &cause), -1);
	assert_non_null(cause);
	free(cause);

	free(out);
	free(text);
	t_cut_free(&c);
	be_nsnap_manifest_free(&m);
	be_sim_free(sa);
	be_data_free(da);
	be_state_free(a);
	be_data_free(db);
	be_state_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nchunks),
		cmocka_unit_test(test_manifest_roundtrip),
		cmocka_unit_test(test_manifest_refused),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_refused),
		cmocka_unit_test(test_record_roundtrip),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
