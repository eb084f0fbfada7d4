/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Growable strings: appends in amortised linear time. */

#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* Make room for n more bytes and the NUL. */
static void
buf_reserve(struct buf *b, size_t n)
{
	size_t	need;

	if (n > SIZE_MAX / 2 - b->len)
		fatalx("%s: %zu bytes is too much", __func__, n);
	need = b->len + n + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xreallocarray(b->s, 1, b->cap);
}

/*
 * Append n bytes of p (which need not be NUL-terminated; it may hold NULs,
 * which then end buf_str()).
 */
void
buf_add(struct buf *b, const char *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append the string s. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* Append printf-style. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("%s: bad format \"%s\"", __func__, fmt);
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * Append format with every "{name}" in it replaced by what fill appends
 * for name (called with arg). A brace that does not close, or a name of
 * 32 bytes or more, is copied as it stands. The refusals' messages are
 * made this way, in the engine (English) and in the console (the
 * officer's language).
 */
void
buf_add_named(struct buf *b, const char *format,
    void (*fill)(struct buf *, const char *, void *), void *arg)
{
	const char	*p, *end;
	char		 name[32];
	size_t		 len;

	for (p = format; *p != '\0'; p = end + 1) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL ||
		    (len = (size_t)(end - p - 1)) >= sizeof name) {
			buf_addc(b, *p);
			end = p;
			continue;
		}
		memcpy(name, p + 1, len);
		name[len] = '\0';
		fill(b, name, arg);
	}
}

/* Cut the text to its first len bytes (no-op when it is shorter). */
void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

/* The text so far, borrowed: valid until the next change. Never NULL. */
const char *
buf_str(const struct buf *b)
{
	return (b->s != NULL ? b->s : "");
}

/*
 * Take the text out: returns it (never NULL; caller frees) and leaves the
 * buffer empty and reusable.
 */
char *
buf_detach(struct buf *b)
{
	char	*s;

	s = b->s != NULL ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return (s);
}

/* Free the text; the buffer is empty and reusable. NULL is a no-op. */
void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
