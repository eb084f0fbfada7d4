/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A growable string: text appended in pieces, in amortised linear time,
 * instead of building a string again for every piece. The text is always
 * NUL-terminated; buf_str() of an empty buffer is "".
 *
 *	struct buf	b = BUF_INIT;
 *
 *	buf_printf(&b, "%s, ", id);
 *	out = buf_detach(&b);		(caller frees out)
 */

#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*s;		/* Owned; NULL until the first append. */
	size_t	 len;		/* Bytes, without the NUL. */
	size_t	 cap;
};

#define BUF_INIT	{ NULL, 0, 0 }

void		 buf_add(struct buf *, const char *, size_t);
void		 buf_adds(struct buf *, const char *);
void		 buf_addc(struct buf *, char);
void		 buf_printf(struct buf *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 buf_add_named(struct buf *, const char *format,
		     void (*fill)(struct buf *, const char *name, void *),
		     void *arg);
void		 buf_truncate(struct buf *, size_t);
const char	*buf_str(const struct buf *);
char		*buf_detach(struct buf *);
void		 buf_free(struct buf *);

#endif
