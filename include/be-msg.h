/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Serialised outbound messages, reference counted so that one event is
 * serialised once and shared by the retention ring and every client queue.
 * The text is stored after LWS_PRE bytes of headroom for lws_write().
 *
 * The retention ring keeps the last N events (by seq) for clients that
 * resume after a disconnect.
 */

#ifndef BE_MSG_H
#define BE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

/*
 * For an event, what a per-client filter needs without parsing the text
 * again: the kind, the item and its area, and whether it is a simulated
 * gauge reading (a hospital or school update no officer caused), which a
 * client may ask to have conflated.
 */
struct be_msg {
	unsigned	 refs;
	uint64_t	 seq;	/* Event seq, 0 for other messages. */
	int		 flags;
#define BE_MSG_GAUGE	0x1
	char		 kind[MODEL_CODE_MAX];	/* Event kind, or "". */
	char		 item[MODEL_ID_MAX];	/* Item id, or "". */
	char		 area[MODEL_CODE_MAX];	/* Item area, or "". */
	/*
	 * An event whose text has its item's history as a delta
	 * ("history_from"): the same event with the whole history, for the
	 * clients that did not say they merge deltas. Only while the event
	 * is broadcast; a retained or journaled event has none.
	 */
	struct be_msg	*full;
	size_t		 len;	/* Text bytes, without the NUL. */
	unsigned char	 buf[];	/* LWS_PRE headroom, text, NUL. */
};

struct be_msg	*be_msg_new(const char *text, size_t len, uint64_t seq);
struct be_msg	*be_msg_from_json(const json_t *, uint64_t seq);
struct be_msg	*be_msg_event(const json_t *ev, const char *text,
		     size_t len);
struct be_msg	*be_msg_batch(struct be_msg *const *, size_t);
struct be_msg	*be_msg_ref(struct be_msg *);
void		 be_msg_unref(struct be_msg *);
unsigned char	*be_msg_text(struct be_msg *);

struct be_retain;

struct be_retain *be_retain_new(size_t cap);
void		 be_retain_free(struct be_retain *);
void		 be_retain_add(struct be_retain *, struct be_msg *);
size_t		 be_retain_count(const struct be_retain *);
int		 be_retain_covers(const struct be_retain *, uint64_t after,
		     uint64_t last);
size_t		 be_retain_since(const struct be_retain *, uint64_t after,
		     void (*)(void *, struct be_msg *), void *);

#endif
