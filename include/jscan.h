/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A JSON scanner that finds where values begin and end without building
 * them, so that a large document (a snapshot of 100,000 items) is parsed
 * one piece at a time with jansson and never whole:
 *
 *	struct jscan_member	 m;
 *	const char		*p = text, *end = text + len;
 *
 *	if ((p = jscan_open(p, end, '{')) == NULL) ...
 *	while ((rc = jscan_next_member(&p, end, &m)) == 1)
 *		if (jscan_key_is(&m, "alerts")) ... m.value, m.value_end
 *	rc == 0: the closing brace; -1: malformed.
 *
 * It checks the structure it walks (brackets, commas, colons, strings
 * closed); what is inside a value is left to whoever parses it.
 */

#ifndef JSCAN_H
#define JSCAN_H

#include <stddef.h>

struct jscan_member {
	const char	*key;		/* Between the quotes, raw. */
	size_t		 keylen;
	const char	*value;		/* The value's first byte. */
	const char	*value_end;	/* Just past its last. */
};

const char	*jscan_ws(const char *, const char *end);
const char	*jscan_skip(const char *, const char *end);
const char	*jscan_open(const char *, const char *end, char);
int		 jscan_next_member(const char **, const char *end,
		     struct jscan_member *);
int		 jscan_next_element(const char **, const char *end,
		     const char **value, const char **value_end);
int		 jscan_key_is(const struct jscan_member *, const char *);
char		*jscan_key_dup(const struct jscan_member *);

#endif
