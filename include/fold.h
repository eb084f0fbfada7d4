/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/*
 * Accent folding for Vietnamese (and other Latin) text: accent-insensitive
 * matching and ASCII transliteration, with no external library.
 */

#ifndef FOLD_H
#define FOLD_H

#include <stddef.h>

/*
 * Fold s for accent-insensitive matching: lower-case, diacritics stripped,
 * combining marks dropped, whitespace and '_' runs collapsed to one space
 * and trimmed. Returns a newly allocated string; caller frees.
 */
char	*fold_text(const char *s);

/*
 * Matching a typed query against a name, accents ignored (see fold.c for
 * the rules): 1 if it matches, else 0; an empty query matches. fold_match()
 * also finds the query anywhere inside the name, for search;
 * fold_match_start() only from the start of a word, for completion.
 * fold_match_folded() takes both already folded by fold_text() and
 * allocates nothing.
 */
#define FOLD_START	0x1	/* Only from the start of a word. */

int	 fold_match(const char *haystack, const char *needle);
int	 fold_match_start(const char *haystack, const char *needle);
int	 fold_match_folded(const char *haystack, const char *needle,
	     int flags);

/*
 * ASCII transliteration for terminals without UTF-8, keeping case and
 * columns: "Đông Triều" gives "Dong Trieu"; characters with no ASCII form
 * become '?', wide ones "??". Returns a newly allocated string; caller
 * frees.
 */
char	*fold_ascii(const char *s);

/*
 * fold_ascii() into a caller's buffer: at most dstsz - 1 bytes and a NUL.
 * Returns the length of the whole transliteration (the output was cut
 * when it is >= dstsz). Allocates nothing.
 */
size_t	 fold_ascii_into(char *dst, size_t dstsz, const char *src);

#endif /* FOLD_H */
