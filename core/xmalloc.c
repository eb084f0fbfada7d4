/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Allocation wrappers: out of memory is fatal, so callers never check. */

#include "xmalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/*
 * Allocate size bytes (at least one). Never returns NULL; caller frees.
 */
void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		fatal("xmalloc: %zu bytes", size);
	return (p);
}

/*
 * Allocate a zeroed array of n elements. Never returns NULL; caller frees.
 */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("xcalloc: %zu x %zu bytes", n, size);
	return (p);
}

/*
 * Resize an array to n elements of size bytes, checking for overflow.
 * Returns the new pointer; the old one is no longer valid.
 */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	void	*np;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("xreallocarray: %zu x %zu overflows", n, size);
	if ((np = realloc(p, n * size == 0 ? 1 : n * size)) == NULL)
		fatal("xreallocarray: %zu x %zu bytes", n, size);
	return (np);
}

/*
 * Duplicate a string. Returns a new string; caller frees.
 */
char *
xstrdup(const char *s)
{
	char	*cp;

	if ((cp = strdup(s)) == NULL)
		fatal("xstrdup");
	return (cp);
}

/*
 * Duplicate at most n bytes of a string. Returns a new NUL-terminated
 * string; caller frees.
 */
char *
xstrndup(const char *s, size_t n)
{
	char	*cp;

	if ((cp = strndup(s, n)) == NULL)
		fatal("xstrndup");
	return (cp);
}

/*
 * Format into a new string stored in *ret (caller frees). Returns the
 * length.
 */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0 || *ret == NULL)
		fatal("xasprintf");
	return (n);
}

/*
 * Format into a new string. Returns it; caller frees.
 */
char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvprintf(fmt, ap);
	va_end(ap);
	return (s);
}

/* As xprintf(), with the arguments in ap. */
char *
xvprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) < 0 || s == NULL)
		fatal("xvprintf");
	return (s);
}

/*
 * Free a NULL-terminated array of strings and the strings. NULL is a
 * no-op.
 */
void
xfreev(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
