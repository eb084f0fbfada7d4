/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Allocation wrappers that never return NULL (out of memory is fatal). */

#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));
void	 xfreev(char **);

#endif
