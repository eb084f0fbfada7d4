/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The store: every entity of one province and the sequence number of the
 * last event applied. The backend's store is the truth; the console's is a
 * replica fed by a snapshot and then by events. Both change it only through
 * store_put_*() and store_apply_event(), so the journal, the network and the
 * simulator share one mutation path.
 */

#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "idmap.h"
#include "kind.h"
#include "model.h"

struct store {
	char			*province;	/* Display name. */
	char			 province_code[MODEL_CODE_MAX];
	int			 utc_offset_min;

	struct area		*areas;
	size_t			 nareas;
	struct department	*depts;
	size_t			 ndepts;

	/*
	 * Each kind's items, dense: in creation order until one is
	 * removed (store_remove() moves the last item into the hole).
	 */
	struct alert		*alerts;
	size_t			 nalerts, alerts_cap;
	struct unit		*units;
	size_t			 nunits, units_cap;
	struct hospital		*hospitals;
	size_t			 nhospitals, hospitals_cap;
	struct school		*schools;
	size_t			 nschools, schools_cap;
	struct feedback		*feedback;
	size_t			 nfeedback, feedback_cap;

	/* Private: each kind's items by id (idmap.h). */
	struct idmap		 ids[KIND_COUNT];
	uint64_t		 moves;		/* Items moved by removals
						 * (tests). */

	uint64_t		 seq;		/* Last event applied. */

	int			 changed;	/* What changed; readers clear. */
	/* Per kind: 1 << enum kind_index (kind.h), and the metadata. */
#define STORE_CH_ALERTS		0x01
#define STORE_CH_UNITS		0x02
#define STORE_CH_HOSPITALS	0x04
#define STORE_CH_SCHOOLS	0x08
#define STORE_CH_FEEDBACK	0x10
#define STORE_CH_META		0x20
#define STORE_CH_ALL		0x3f
	/* Not the store's: set by the console when the finished view's
	 * archive pages (finished.h) changed. */
#define STORE_CH_ARCHIVE	0x40
};

/* Flags for decoding. */
#define STORE_SANITIZE	0x1	/* Sanitise free text (console side). */

struct store	*store_new(void);
void		 store_free(struct store *);
void		 store_clear(struct store *);

struct area		*store_area(struct store *, const char *code);
struct department	*store_department(struct store *, const char *code);
struct alert		*store_alert(struct store *, const char *id);
struct unit		*store_unit(struct store *, const char *id);
struct hospital		*store_hospital(struct store *, const char *id);
struct school		*store_school(struct store *, const char *id);
struct feedback		*store_feedback(struct store *, const char *id);

/*
 * Any kind of item (kind.h): find (by a hash index: O(1)), count, index,
 * insert or replace (a new item goes last), remove one (O(1): the last
 * item takes its place), remove many in one pass (the rest close up in
 * their order).
 */
void		*store_find(struct store *, const struct kind *,
		     const char *id);
size_t		 store_count(const struct store *, const struct kind *);
void		*store_item(const struct store *, const struct kind *,
		     size_t);
void		*store_put(struct store *, const struct kind *, void *item);
int		 store_remove(struct store *, const struct kind *,
		     const char *id);
size_t		 store_remove_if(struct store *, const struct kind *,
		     int (*)(const void *item, void *arg), void *arg);

/*
 * Insert or replace by id. The store takes over the contents of the
 * argument (its strings), which is left zeroed. Returns the stored item.
 */
struct alert	*store_put_alert(struct store *, struct alert *);
struct unit	*store_put_unit(struct store *, struct unit *);
struct hospital	*store_put_hospital(struct store *, struct hospital *);
struct school	*store_put_school(struct store *, struct school *);
struct feedback	*store_put_feedback(struct store *, struct feedback *);
void		 store_add_area(struct store *, const char *code,
		     const char *name);
struct area	*store_put_area(struct store *, const struct area *);
void		 store_add_department(struct store *, const char *code,
		     const char *name);

/*
 * Decode an item of kind ("alert", "unit", "hospital", "school",
 * "feedback") and insert or replace it by id, outside the seq order: the
 * store's seq is left alone (conflated readings). Returns 0, or -1 with
 * *cause set (caller frees); the store is then unchanged.
 */
int		 store_apply_item(struct store *, const char *kind,
		     json_t *item, int flags, char **cause);

/*
 * Apply one event message ({"type":"event","seq":..,"kind":..,"item":..}):
 * an upsert of the item, or with "remove":true, the item (by its id)
 * leaves the store. The seq must be greater than store->seq. Returns 0,
 * or -1 with *cause set to an allocated message (caller frees); the store
 * is then unchanged.
 */
int		 store_apply_event(struct store *, json_t *ev, int flags,
		     char **cause);

/* The whole state as a snapshot body (new reference); without items. */
json_t		*store_snapshot(const struct store *);
json_t		*store_snapshot_head(const struct store *);

/* Replace s's contents with n's and free n. */
void		 store_replace(struct store *s, struct store *n);

/*
 * Replace the contents with a snapshot body. On error returns -1, sets
 * *cause, and leaves the store unchanged.
 */
int		 store_load_snapshot(struct store *, json_t *, int flags,
		     char **cause);

/*
 * The same, but an item (or area, or department) that does not decode is
 * left out and reported to skip (arg, its kind, the item as received and
 * why, all borrowed for the call) instead of failing the whole load.
 */
typedef void	(*store_skip_cb)(void *arg, const char *kind, json_t *item,
		    const char *why);
int		 store_load_snapshot_skip(struct store *, json_t *, int flags,
		     store_skip_cb skip, void *arg, char **cause);

/*
 * The same from the snapshot body's text, never parsing it whole: the
 * items are read one at a time (a large load costs the store's memory,
 * not jansson's tree of the whole text).
 */
int		 store_load_snapshot_text(struct store *, const char *text,
		     size_t len, int flags, store_skip_cb skip, void *arg,
		     char **cause);

/*
 * Add the items of kind k from the text of a snapshot's array of them (p
 * to end), one at a time, as store_load_snapshot_text() reads each kind
 * (a snapshot in parts adds each part's so, core/snapparts.c). Returns 0,
 * or -1 with *cause set (caller frees) at the first item that does not
 * read, or that does not decode without skip.
 */
int		 store_add_items_text(struct store *, const struct kind *,
		     const char *p, const char *end, int flags,
		     store_skip_cb skip, void *arg, char **cause);

/* 64-bit FNV-1a of the canonical snapshot (sorted keys, compact), hex. */
void		 store_digest(const struct store *, char out[17]);

/* Counts for the status line. */
size_t		 store_open_alerts(const struct store *, int severity);

#endif
