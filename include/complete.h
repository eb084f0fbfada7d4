/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Completion of command lines from the command table and the live state:
 * verbs, alert and case ids (overdue, then newest first), units (same
 * area as the alert, then available first), hospitals, departments,
 * areas, status words, dispositions. Names match without accents.
 */

#ifndef COMPLETE_H
#define COMPLETE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* A completer: add the candidates for text, best first, to the list. */
struct complete_list;
struct complete_ctx {
	struct store		*store;		/* Borrowed; may be NULL. */
	const char		*text;		/* The word being typed. */
	const char		*kind;		/* "alert.ack". */
	char			**words;	/* The words before it. */
	int			 nwords;
	int64_t			 now;		/* ms, for overdue. */
};

struct complete_entry {
	const char	*kind;		/* Base kind: "alert". */
	void		(*fn)(struct complete_ctx *, struct complete_list *);
	int		 store;		/* Needs the store. */
};

extern const struct complete_entry complete_table[];

char	**complete_line(struct store *, const char *line, size_t start,
	    const char *text, size_t *n);
char	**complete_words_back(struct store *, const char *line,
	    size_t end, size_t *start, size_t *n);
const char *complete_describe(struct store *, const char *cand);
void	  complete_free(char **);
const char *complete_why(void);
int	  complete_name_match(const char *name, const char *text);

#endif
