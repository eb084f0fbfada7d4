/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Where JSON values begin and end, without parsing them (jscan.h). */

#include "jscan.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xmalloc.h"

/* Nesting deeper than this is refused, as jansson refuses it. */
#define JSCAN_DEPTH_MAX		2048

/* Past spaces, tabs and line ends. */
const char *
jscan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return (p);
}

/* Past a string whose opening quote is at p; NULL when it is not closed. */
static const char *
jscan_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			if (++p == end)
				return (NULL);
		} else if (*p == '"')
			return (p + 1);
	}
	return (NULL);
}

/*
 * Past the value at p (after any spaces): a string, an object or an array
 * with its brackets matched, or a scalar up to the next delimiter. NULL
 * when it is cut short or its brackets do not match.
 */
const char *
jscan_skip(const char *p, const char *end)
{
	char	stack[JSCAN_DEPTH_MAX];
	int	depth = 0;

	p = jscan_ws(p, end);
	if (p == end)
		return (NULL);
	if (*p != '{' && *p != '[' && *p != '"') {
		/* A number, true, false or null. */
		while (p < end && *p != ',' && *p != '}' && *p != ']' &&
		    *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		    *p != ':' && *p != '"' && *p != '{' && *p != '[')
			p++;
		return (p);
	}
	while (p < end) {
		switch (*p) {
		case '"':
			if ((p = jscan_string(p, end)) == NULL)
				return (NULL);
			if (depth == 0)
				return (p);
			continue;
		case '{':
		case '[':
			if (depth == JSCAN_DEPTH_MAX)
				return (NULL);
			stack[depth++] = *p == '{' ? '}' : ']';
			break;
		case '}':
		case ']':
			if (depth == 0 || stack[depth - 1] != *p)
				return (NULL);
			if (--depth == 0)
				return (p + 1);
			break;
		}
		p++;
	}
	return (NULL);
}

/* Past the opening bracket c (after spaces); NULL when it is not there. */
const char *
jscan_open(const char *p, const char *end, char c)
{
	p = jscan_ws(p, end);
	return (p < end && *p == c ? p + 1 : NULL);
}

/*
 * The next member of the object whose opening brace *p is past (or whose
 * last member *p is past): 1 with m filled and *p past the member, 0 at
 * the closing brace (*p past it), -1 when the text is not an object.
 */
int
jscan_next_member(const char **p, const char *end, struct jscan_member *m)
{
	const char	*q = jscan_ws(*p, end), *k;

	if (q < end && *q == '}') {
		*p = q + 1;
		return (0);
	}
	if (q == end || *q != '"' || (k = jscan_string(q, end)) == NULL)
		return (-1);
	m->key = q + 1;
	m->keylen = (size_t)(k - q - 2);
	q = jscan_ws(k, end);
	if (q == end || *q != ':')
		return (-1);
	m->value = jscan_ws(q + 1, end);
	if ((m->value_end = jscan_skip(m->value, end)) == NULL ||
	    m->value_end == m->value)
		return (-1);
	*p = m->value_end;
	/* Take the comma now, so a trailing one is refused next time. */
	q = jscan_ws(*p, end);
	if (q < end && *q == ',') {
		q = jscan_ws(q + 1, end);
		if (q == end || *q != '"')
			return (-1);
		*p = q;
	} else if (q == end || *q != '}')
		return (-1);
	return (1);
}

/*
 * The next element of the array whose opening bracket *p is past (or
 * whose last element *p is past): 1 with its span, 0 at the closing
 * bracket, -1 when the text is not an array.
 */
int
jscan_next_element(const char **p, const char *end, const char **value,
    const char **value_end)
{
	const char	*q = jscan_ws(*p, end);

	if (q < end && *q == ']') {
		*p = q + 1;
		return (0);
	}
	if (q == end || (*value_end = jscan_skip(q, end)) == NULL ||
	    *value_end == q)
		return (-1);
	*value = q;
	*p = *value_end;
	/* Take the comma now, so a trailing one is refused next time. */
	q = jscan_ws(*p, end);
	if (q < end && *q == ',') {
		q = jscan_ws(q + 1, end);
		if (q == end || *q == ']')
			return (-1);
		*p = q;
	} else if (q == end || *q != ']')
		return (-1);
	return (1);
}

/* Whether the member's key is s (compared raw: ours have no escapes). */
int
jscan_key_is(const struct jscan_member *m, const char *s)
{
	return (m->keylen == strlen(s) && memcmp(m->key, s, m->keylen) == 0);
}

/*
 * The member's key as jansson reads it (escapes decoded, UTF-8 checked),
 * allocated (caller frees); NULL when jansson would refuse it or it holds
 * a NUL.
 */
char *
jscan_key_dup(const struct jscan_member *m)
{
	json_t	*v;
	char	*k = NULL;

	v = json_loadb(m->key - 1, m->keylen + 2, JSON_DECODE_ANY, NULL);
	if (json_is_string(v) && strlen(json_string_value(v)) ==
	    json_string_length(v))
		k = xstrdup(json_string_value(v));
	json_decref(v);
	return (k);
}
