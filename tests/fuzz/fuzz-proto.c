/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for everything a console does with inbound frames:
 * proto_parse() (its tree in the region, jarena.h, as the console's
 * sync parses), then store_load_snapshot() or store_apply_event() (for
 * each event of a batch too) with sanitising (a snapshot that loads must
 * load the same from its text, item by item: store_load_snapshot_text()),
 * a snapshot in parts joined as the console's sync joins one
 * (snapparts_peek(), snapparts_add(), the staging store taken at the last
 * part), and (for one input in eight) the digest of the result. An input is a
 * session: one
 * frame per line (compact JSON has no raw newline), applied in order to a
 * fresh store, so a snapshot and the events after it are fuzzed together
 * and every input stands alone. Build and run: make fuzz
 * (scripts/fuzz.sh); make check replays tests/fuzz/corpus/proto/.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jarena.h"
#include "log.h"
#include "proto.h"
#include "snapparts.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * A snapshot the store loaded (parsed whole) must load from its text, one
 * item at a time, into the same state: the console reads large ones so.
 */
static void
fuzz_text(struct store *s, const char *buf, size_t len)
{
	struct store	*t = store_new();
	char		*cause = NULL, d1[17], d2[17];

	if (store_load_snapshot_text(t, buf, len, STORE_SANITIZE, NULL, NULL,
	    &cause) != 0)
		abort();
	store_digest(s, d1);
	store_digest(t, d2);
	if (strcmp(d1, d2) != 0 || s->seq != t->seq)
		abort();
	store_free(t);
}

/*
 * A part of a snapshot in parts: into the staging store, which becomes the
 * state at the last part; a part out of its order or unreadable throws
 * the staging store away and changes nothing else. Returns 1 when buf was
 * a part.
 */
static int
fuzz_part(struct store *s, struct snapparts_join *join, const char *buf,
    size_t len)
{
	struct snapparts_head	 h;
	char			*cause = NULL;
	int			 rc;

	if (snapparts_peek(buf, len, &h) != SNAPPARTS_PART)
		return (0);
	rc = snapparts_add(join, buf, len, &h, STORE_SANITIZE, NULL, NULL,
	    &cause);
	if (rc < 0) {
		if (cause == NULL || join->st != NULL)
			abort();
		free(cause);
	} else if (rc == 1)
		store_replace(s, snapparts_take(join));
	return (1);
}

static void
fuzz_frame(struct store *s, struct snapparts_join *join, const char *buf,
    size_t len)
{
	enum proto_type		 type;
	enum proto_err		 err;
	char			*cause = NULL;
	json_t			*m, *e;
	size_t			 i;

	if (fuzz_part(s, join, buf, len))
		return;
	jarena_begin();
	m = proto_parse(buf, len, &type, &err, &cause);
	jarena_end();
	if (m == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (type == PROTO_SNAPSHOT) {
		if (store_load_snapshot(s, m, STORE_SANITIZE, &cause) != 0)
			free(cause);
		else
			fuzz_text(s, buf, len);
	} else if (type == PROTO_EVENT) {
		if (store_apply_event(s, m, STORE_SANITIZE, &cause) != 0)
			free(cause);
	} else if (type == PROTO_BATCH) {
		/* As the console's sync: each element checked, then applied. */
		json_array_foreach(json_object_get(m, "events"), i, e) {
			if (proto_check_event(e, &cause) != 0 ||
			    store_apply_event(s, e, STORE_SANITIZE,
			    &cause) != 0) {
				free(cause);
				cause = NULL;
			}
		}
	}
	json_decref(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 logging;
	struct store		*s;
	struct snapparts_join	 join;
	const char		*p = (const char *)data, *end = p + size, *nl;
	char			 digest[17];

	if (!logging) {
		/* The log's code runs, but not to stderr. */
		log_open("/dev/null", "fuzz");
		log_level = LOG_DEBUG;
		logging = 1;
		/* As the console: its messages' trees in the region. */
		jarena_install();
	}
	s = store_new();
	memset(&join, 0, sizeof join);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		fuzz_frame(s, &join, p, (size_t)(nl - p));
		p = nl + 1;
	}
	/* The digest serialises everything: every 8th input length. */
	if (size % 8 == 0) {
		store_digest(s, digest);
		if (strlen(digest) != 16)
			abort();
	}
	snapparts_reset(&join);
	store_free(s);
	return (0);
}
