/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The tokens file: who may connect, as whom, with which role and areas. */

#include "be-auth.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "model.h"
#include "operator.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The file is read once at start. A line is
 *
 *	TOKEN NAME ROLE AREAS [scoped] [act_as=NAME,NAME...]
 *
 * separated by blanks; "#" starts a comment; blank lines are skipped.
 * TOKEN is 16 to 256 printable ASCII characters without blanks; NAME is an
 * operator name (letters, digits, "_.-", at most 31); ROLE is supervisor,
 * operator, observer or trainer; AREAS is "*" or area codes separated by
 * commas; "scoped" makes the operator see only its areas. "act_as=" makes
 * the token a district relay's (docs/relay.md): a command it sends may
 * name one of those operators in "act_as" and then runs as that operator,
 * with that operator's role and areas, never the relay's. Any mistake
 * stops the start with the file and line: a half-read tokens file would
 * let the wrong people in or keep the right ones out.
 */

struct be_auth {
	struct be_auth_entry	*v;
	size_t			 n;
};

/* Who every client is when there are no tokens: loopback only. */
const struct operator be_auth_demo = {
	.name = "demo",
	.role = OPERATOR_SUPERVISOR
};

/*
 * 1 when role is one of supervisor, operator, observer, trainer.
 */
int
be_auth_role_valid(const char *role)
{
	return (operator_role_parse(role) != OPERATOR_UNKNOWN);
}

static void
be_auth_entry_clear(struct be_auth_entry *e)
{
	size_t	i;

	for (i = 0; i < e->nact_as; i++)
		free(e->act_as[i]);
	free(e->act_as);
	for (i = 0; i < e->nareas; i++)
		free(e->areas[i]);
	free(e->areas);
	if (e->token != NULL)
		explicit_bzero(e->token, strlen(e->token));
	free(e->token);
	free(e->name);
	memset(e, 0, sizeof *e);
}

/*
 * The operators a relay's token may act for: names separated by commas.
 * Returns 0, or -1 with *why (static).
 */
static int
be_auth_parse_act_as(char *list, struct be_auth_entry *e, const char **why)
{
	char	*q, *save = NULL;

	for (q = strtok_r(list, ",", &save); q != NULL;
	    q = strtok_r(NULL, ",", &save)) {
		if (!model_id_valid(q, 32)) {
			*why = "an act_as name is not a valid operator name";
			return (-1);
		}
		e->act_as = xreallocarray(e->act_as, e->nact_as + 1,
		    sizeof *e->act_as);
		e->act_as[e->nact_as++] = xstrdup(q);
	}
	if (e->nact_as == 0) {
		*why = "act_as= names no operator";
		return (-1);
	}
	return (0);
}

/* Parse one line's words into e; returns 0, or -1 with *why (static). */
static int
be_auth_parse(char **w, int nw, struct be_auth_entry *e, const char **why)
{
	char	*p, *q, *save = NULL;
	size_t	 i;

	memset(e, 0, sizeof *e);
	if (nw < 4 || nw > 6) {
		*why = "want TOKEN NAME ROLE AREAS [scoped] [act_as=NAMES]";
		return (-1);
	}
	if (strlen(w[0]) < BE_AUTH_TOKEN_MIN ||
	    strlen(w[0]) > BE_AUTH_TOKEN_MAX) {
		*why = "the token must be 16 to 256 characters";
		return (-1);
	}
	for (p = w[0]; *p != '\0'; p++) {
		if (*p <= ' ' || *p > '~') {
			*why = "the token must be printable ASCII";
			return (-1);
		}
	}
	if (!model_id_valid(w[1], 32)) {
		*why = "the name must be 1 to 31 of A-Z a-z 0-9 _ . -";
		return (-1);
	}
	if (!be_auth_role_valid(w[2])) {
		*why = "the role must be supervisor, operator, observer or "
		    "trainer";
		return (-1);
	}
	e->token = xstrdup(w[0]);
	e->name = xstrdup(w[1]);
	e->op.role = operator_role_parse(w[2]);
	for (i = 4; i < (size_t)nw; i++) {
		if (strcmp(w[i], "scoped") == 0 && !e->scoped)
			e->scoped = 1;
		else if (strncmp(w[i], "act_as=", 7) == 0 && e->act_as == NULL) {
			if (be_auth_parse_act_as(w[i] + 7, e, why) != 0)
				goto fail;
		} else {
			*why = "after the areas: \"scoped\" and "
			    "\"act_as=NAMES\", each at most once";
			goto fail;
		}
	}
	if (strcmp(w[3], "*") != 0) {
		for (q = strtok_r(w[3], ",", &save); q != NULL;
		    q = strtok_r(NULL, ",", &save)) {
			if (!model_id_valid(q, MODEL_CODE_MAX)) {
				*why = "an area code is not valid";
				goto fail;
			}
			for (i = 0; i < e->nareas; i++) {
				if (strcmp(e->areas[i], q) == 0)
					break;
			}
			if (i < e->nareas)
				continue;
			e->areas = xreallocarray(e->areas, e->nareas + 1,
			    sizeof *e->areas);
			e->areas[e->nareas++] = xstrdup(q);
		}
		if (e->nareas == 0) {
			*why = "no areas: give codes or \"*\"";
			goto fail;
		}
	} else if (e->scoped) {
		*why = "\"scoped\" needs areas, not \"*\"";
		goto fail;
	}
	return (0);
fail:
	be_auth_entry_clear(e);
	return (-1);
}

/*
 * Every name a relay may act for is an operator of the file, and not a
 * relay itself: a relay acts for officers, never through another relay.
 */
static int
be_auth_check_act_as(const struct be_auth *a, char **cause)
{
	const struct be_auth_entry *t;
	size_t	i, k;

	for (i = 0; i < a->n; i++) {
		for (k = 0; k < a->v[i].nact_as; k++) {
			t = be_auth_find_name(a, a->v[i].act_as[k]);
			if (t == NULL || t->nact_as != 0) {
				xasprintf(cause, "tokens: relay %s: %s is %s",
				    a->v[i].name, a->v[i].act_as[k], t == NULL ?
				    "no operator of the file" : "a relay");
				return (-1);
			}
		}
	}
	return (0);
}

/*
 * Read a tokens file. Returns 0 and sets *ap (caller frees with
 * be_auth_free()), or -1 with *cause set (allocated; caller frees) naming
 * the file and line of the first mistake. A file that others may read
 * gets a warning in the log.
 */
int
be_auth_load(const char *path, struct be_auth **ap, char **cause)
{
	struct be_auth		*a;
	struct be_auth_entry	 e;
	struct stat		 sb;
	FILE			*f;
	char			*line = NULL, *w[6], *p, *save = NULL;
	const char		*why;
	size_t			 cap = 0, i;
	int			 nw, lineno = 0;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warn("%s: others may read the tokens (chmod 600 it)",
		    path);
	a = xcalloc(1, sizeof *a);
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		nw = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p != NULL && nw < 6;
		    p = strtok_r(NULL, " \t\r\n", &save))
			w[nw++] = p;
		if (nw == 0)
			continue;
		if (be_auth_parse(w, nw, &e, &why) != 0) {
			xasprintf(cause, "%s:%d: %s", path, lineno, why);
			goto fail;
		}
		for (i = 0; i < a->n; i++) {
			if (strcmp(a->v[i].token, e.token) == 0 ||
			    strcmp(a->v[i].name, e.name) == 0)
				break;
		}
		if (i < a->n) {
			xasprintf(cause, "%s:%d: %s is already in the file",
			    path, lineno, strcmp(a->v[i].token, e.token) == 0 ?
			    "this token" : "this name");
			be_auth_entry_clear(&e);
			goto fail;
		}
		a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
		a->v[a->n++] = e;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (a->n == 0) {
		xasprintf(cause, "%s: no tokens in the file", path);
		goto fail;
	}
	if (be_auth_check_act_as(a, cause) != 0)
		goto fail;
	/* The operators point into their entries, which no longer move. */
	for (i = 0; i < a->n; i++) {
		a->v[i].op.name = a->v[i].name;
		a->v[i].op.areas = (const char *const *)a->v[i].areas;
		a->v[i].op.nareas = a->v[i].nareas;
	}
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	fclose(f);
	*ap = a;
	return (0);

fail:
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	fclose(f);
	be_auth_free(a);
	return (-1);
}

/*
 * Forget every token. NULL is a no-op.
 */
void
be_auth_free(struct be_auth *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		be_auth_entry_clear(&a->v[i]);
	free(a->v);
	free(a);
}

/*
 * The number of tokens.
 */
size_t
be_auth_count(const struct be_auth *a)
{
	return (a->n);
}

/*
 * Check that every area named in the file exists in the store. Returns 0,
 * or -1 with *cause set (allocated; caller frees).
 */
int
be_auth_check_areas(const struct be_auth *a, struct store *s, char **cause)
{
	size_t	i, k;

	for (i = 0; i < a->n; i++) {
		for (k = 0; k < a->v[i].nareas; k++) {
			if (store_area(s, a->v[i].areas[k]) == NULL) {
				xasprintf(cause, "tokens: operator %s: no "
				    "area %s in this province", a->v[i].name,
				    a->v[i].areas[k]);
				return (-1);
			}
		}
	}
	return (0);
}

/* Compare without an early exit, so timing does not tell the prefix. */
static int
be_auth_equal(const char *a, const char *b, size_t len)
{
	unsigned char	d = 0;
	size_t		i;

	for (i = 0; i < len; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return (d == 0);
}

/*
 * The entry whose token an Authorization header value ("Bearer TOKEN")
 * carries (borrowed, valid until be_auth_free()), or NULL.
 */
const struct be_auth_entry *
be_auth_find(const struct be_auth *a, const char *authorization)
{
	const struct be_auth_entry	*found = NULL;
	const char			*t;
	size_t				 i, len;

	if (authorization == NULL || strncasecmp(authorization, "Bearer ",
	    7) != 0)
		return (NULL);
	for (t = authorization + 7; *t == ' '; t++)
		/* nothing */;
	len = strlen(t);
	while (len > 0 && isspace((unsigned char)t[len - 1]))
		len--;
	for (i = 0; i < a->n; i++) {
		if (strlen(a->v[i].token) == len &&
		    be_auth_equal(a->v[i].token, t, len))
			found = &a->v[i];
	}
	return (found);
}

/*
 * The entry of the operator called name (borrowed), or NULL.
 */
const struct be_auth_entry *
be_auth_find_name(const struct be_auth *a, const char *name)
{
	size_t	i;

	for (i = 0; a != NULL && name != NULL && i < a->n; i++) {
		if (strcmp(a->v[i].name, name) == 0)
			return (&a->v[i]);
	}
	return (NULL);
}

/*
 * 1 when the relay's entry e may act for the operator called name.
 */
int
be_auth_may_act_as(const struct be_auth_entry *e, const char *name)
{
	size_t	i;

	for (i = 0; e != NULL && name != NULL && i < e->nact_as; i++) {
		if (strcmp(e->act_as[i], name) == 0)
			return (1);
	}
	return (0);
}
