/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Vietnamese accent folding and ASCII transliteration. */

#include "fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/*
 * Folding works on code points. Each precomposed Latin letter with a
 * diacritic maps to its base ASCII letter through fold_map, which holds one
 * character per code point for U+00C0-U+024F and U+1E00-U+1EFF (Latin-1,
 * Latin Extended-A and -B, Latin Extended Additional, which includes the
 * whole Vietnamese block U+1EA0-U+1EF9). The letter keeps the case of the
 * original; '.' means there is no base letter (U+00D7, U+00F7, schwa, ezh
 * and the like). The tables were checked against the Unicode character
 * names ("LATIN SMALL LETTER A WITH ..." gives 'a'). A few letters whose
 * name has no "WITH" but which are plainly a Latin letter with a stroke or
 * a variant shape map as well: eth U+00D0/U+00F0 and African D U+0189 to
 * D (d with stroke, U+0110/U+0111, already has "WITH"), dotless i and j,
 * kra to k, U+0149 to n, eng U+014A/U+014B to N, long s U+017F to s.
 *
 * Ligatures and digraphs (AE, OE, sharp s, thorn, IJ, DZ, LJ, NJ, db, qp,
 * capital sharp s, Middle-Welsh LL) map to their first letter in fold_map,
 * which is what fold_ascii() uses so that one column stays one column;
 * fold_text() spells them out in full from fold_ligatures, so "Strasse"
 * with a sharp s folds to "strasse".
 *
 * NFD input folds like NFC because every zero-width character, combining
 * marks U+0300-U+036F included, is dropped.
 */

#define nitems(a) (sizeof (a) / sizeof (a)[0])

static const char fold_map_latin[] =
	"AAAAAAACEEEEIIIIDNOOOOO.OUUUUYTs"	/* U+00C0 */
	"aaaaaaaceeeeiiiidnooooo.ouuuuyty"	/* U+00E0 */
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg"	/* U+0100 */
	"GgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlL"	/* U+0120 */
	"lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSs"	/* U+0140 */
	"SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"	/* U+0160 */
	"bBBb...CcDDDd....FfG...IKkl..NnO"	/* U+0180 */
	"Oo..Pp.....tTtTUu.VYyZz........."	/* U+01A0 */
	"....DDdLLlNNnAaIiOoUuUuUuUuUu.Aa"	/* U+01C0 */
	"AaAaGgGgKkOoOo..jDDdGg..NnAaAaOo"	/* U+01E0 */
	"AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh"	/* U+0200 */
	"Nd..ZzAaEeOoOoOoOoYylntjdqACcLTs"	/* U+0220 */
	"z..BU.EeJjQqRrYy";			/* U+0240 */

static const char fold_map_latin_add[] =
	"AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFf"	/* U+1E00 */
	"GgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm"	/* U+1E20 */
	"MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRr"	/* U+1E40 */
	"SsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv"	/* U+1E60 */
	"WwWwWwWwWwXxXxYyZzZzZzhtwyasssS."	/* U+1E80 */
	"AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe"	/* U+1EA0 */
	"EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOo"	/* U+1EC0 */
	"OoOoUuUuUuUuUuUuUuYyYyYyYyLlVvYy";	/* U+1EE0 */

static const struct fold_map {
	uint32_t	 first;
	size_t		 len;
	const char	*map;
} fold_map[] = {
	{ 0x00c0, sizeof fold_map_latin - 1, fold_map_latin },
	{ 0x1e00, sizeof fold_map_latin_add - 1, fold_map_latin_add }
};

/* Ligatures and digraphs spelled out by fold_text(), lower-case. */
static const struct fold_ligature {
	uint32_t	 first;
	uint32_t	 last;
	const char	*text;
} fold_ligatures[] = {
	{ 0x00c6, 0x00c6, "ae" },	{ 0x00de, 0x00de, "th" },
	{ 0x00df, 0x00df, "ss" },	{ 0x00e6, 0x00e6, "ae" },
	{ 0x00fe, 0x00fe, "th" },	{ 0x0132, 0x0133, "ij" },
	{ 0x0152, 0x0153, "oe" },	{ 0x01c4, 0x01c6, "dz" },
	{ 0x01c7, 0x01c9, "lj" },	{ 0x01ca, 0x01cc, "nj" },
	{ 0x01e2, 0x01e3, "ae" },	{ 0x01f1, 0x01f3, "dz" },
	{ 0x01fc, 0x01fd, "ae" },	{ 0x0238, 0x0238, "db" },
	{ 0x0239, 0x0239, "qp" },	{ 0x1e9e, 0x1e9e, "ss" },
	{ 0x1efa, 0x1efb, "ll" }
};

/* Punctuation with a one-column ASCII form, for fold_ascii(). */
static const struct fold_punct {
	uint32_t	first;
	uint32_t	last;
	char		ch;
} fold_punct[] = {
	{ 0x00ab, 0x00ab, '"' },	{ 0x00b4, 0x00b4, '\'' },
	{ 0x00b7, 0x00b7, '.' },	{ 0x00bb, 0x00bb, '"' },
	{ 0x00d7, 0x00d7, 'x' },	{ 0x00f7, 0x00f7, '/' },
	{ 0x02bc, 0x02bc, '\'' },	{ 0x2010, 0x2015, '-' },
	{ 0x2018, 0x2019, '\'' },	{ 0x201a, 0x201a, ',' },
	{ 0x201b, 0x201b, '\'' },	{ 0x201c, 0x201f, '"' },
	{ 0x2022, 0x2022, '*' },	{ 0x2032, 0x2032, '\'' },
	{ 0x2033, 0x2033, '"' },	{ 0x2039, 0x2039, '<' },
	{ 0x203a, 0x203a, '>' },	{ 0x2212, 0x2212, '-' }
};

static void	*fold_alloc(size_t, size_t);
static int	 fold_space(uint32_t);
static char	 fold_base(uint32_t);
static const char *fold_ligature(uint32_t);
static char	 fold_punct_char(uint32_t);
static char	 fold_lower(char);
static size_t	 fold_ascii_cp(uint32_t, char [2]);

/* Allocate n * size + 1 bytes, aborting on overflow or out of memory. */
static void *
fold_alloc(size_t n, size_t size)
{
	void	*p;

	if (n > (SIZE_MAX - 1) / size)
		abort();
	if ((p = malloc(n * size + 1)) == NULL)
		abort();
	return (p);
}

/* Is cp whitespace (or '_') for fold_text()? */
static int
fold_space(uint32_t cp)
{
	switch (cp) {
	case ' ':
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case '_':
	case 0x00a0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202f:
	case 0x205f:
	case 0x3000:
		return (1);
	}
	return (cp >= 0x2000 && cp <= 0x200a);
}

/* Base ASCII letter of cp, in cp's case, or 0 if there is none. */
static char
fold_base(uint32_t cp)
{
	const struct fold_map	*m;
	size_t			 i;

	for (i = 0; i < nitems(fold_map); i++) {
		m = &fold_map[i];
		if (cp >= m->first && cp - m->first < m->len) {
			if (m->map[cp - m->first] == '.')
				return (0);
			return (m->map[cp - m->first]);
		}
	}
	return (0);
}

static const char *
fold_ligature(uint32_t cp)
{
	size_t	i;

	for (i = 0; i < nitems(fold_ligatures); i++) {
		if (cp >= fold_ligatures[i].first &&
		    cp <= fold_ligatures[i].last)
			return (fold_ligatures[i].text);
	}
	return (NULL);
}

static char
fold_punct_char(uint32_t cp)
{
	size_t	i;

	for (i = 0; i < nitems(fold_punct); i++) {
		if (cp >= fold_punct[i].first && cp <= fold_punct[i].last)
			return (fold_punct[i].ch);
	}
	return (0);
}

static char
fold_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return ((char)(c - 'A' + 'a'));
	return (c);
}

/*
 * Fold the NUL-terminated UTF-8 string s for accent-insensitive matching:
 * ASCII and Latin letters are lower-cased and lose their diacritics
 * (Vietnamese đ/Đ become d, ligatures are spelled out), zero-width
 * characters including combining marks are dropped so NFD and NFC fold
 * alike, and runs of whitespace and '_' become one space, with none at
 * either end. Other characters are copied unchanged, and invalid UTF-8
 * becomes U+FFFD. A NULL s is taken as "". Returns a newly allocated
 * string; the caller frees it. Aborts when out of memory.
 */
char *
fold_text(const char *s)
{
	char		*out;
	const char	*lig;
	size_t		 len, i = 0, o = 0, n;
	uint32_t	 cp;
	int		 space = 0;
	char		 base;

	if (s == NULL)
		s = "";
	len = strlen(s);
	out = fold_alloc(len, 3);	/* An invalid byte becomes 3 bytes. */
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if (fold_space(cp)) {
			space = (o != 0);
			continue;
		}
		if (utf8_cpwidth(cp) == 0)
			continue;
		if (space) {
			out[o++] = ' ';
			space = 0;
		}
		if (cp < 0x80)
			out[o++] = fold_lower((char)cp);
		else if ((lig = fold_ligature(cp)) != NULL) {
			memcpy(out + o, lig, strlen(lig));
			o += strlen(lig);
		} else if ((base = fold_base(cp)) != 0)
			out[o++] = fold_lower(base);
		else
			o += utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return (out);
}

/*
 * Does the folded query q match the folded name h from h's word at w?
 * Either q's words are prefixes of the successive words from w on ("p
 * hong gai" at "phuong hong gai"), or q without its spaces is a prefix of
 * the words from w run together ("baichay", "halong").
 */
static int
fold_match_at(const char *h, const char *q)
{
	const char	*a, *b;

	/* Word by word. */
	for (a = h, b = q; *b != '\0'; ) {
		if (*b == ' ') {
			while (*a != '\0' && *a != ' ')
				a++;
			if (*a == '\0')
				break;
			a++;
			b++;
		} else if (*a == *b) {
			a++;
			b++;
		} else
			break;
	}
	if (*b == '\0')
		return (1);

	/* Run together. */
	for (a = h, b = q; *b != '\0'; b++) {
		if (*b == ' ')
			continue;
		while (*a == ' ')
			a++;
		if (*a != *b)
			return (0);
		a++;
	}
	return (1);
}

/*
 * The matching rule for names typed without accents, on strings already
 * folded by fold_text() (lower case, no diacritics, single spaces): the
 * query q matches the name h when, from the start of one of h's words,
 *
 *   - q's words are prefixes of h's successive words: "p hong gai" and
 *     "phuong hong" match "phuong hong gai", "ha kh" matches "ha khanh"
 *     (so does one word: "gai", "hon");
 *   - or q without spaces is a prefix of h's words run together:
 *     "baichay" and "halong" match "bai chay" and "ha long".
 *
 * Without FOLD_START, q also matches anywhere inside h ("chay" in
 * "baichay", "ai ch" in "bai chay"), as a plain search does. An empty q
 * matches. Returns 1 or 0; allocates nothing.
 */
int
fold_match_folded(const char *h, const char *q, int flags)
{
	const char	*w;

	if (*q == '\0')
		return (1);
	if (~flags & FOLD_START && strstr(h, q) != NULL)
		return (1);
	for (w = h; *w != '\0'; w++) {
		if ((w == h || w[-1] == ' ') && *w != ' ' &&
		    fold_match_at(w, q))
			return (1);
	}
	return (0);
}

/*
 * Return 1 if needle matches haystack by fold_match_folded()'s rules,
 * anywhere inside included, else 0: "bai chay" and "baichay" match
 * "Phường Bãi Cháy", "p hong gai" matches "Phường Hồng Gai". Nothing is
 * kept.
 */
int
fold_match(const char *haystack, const char *needle)
{
	char	*h, *n;
	int	 found;

	h = fold_text(haystack);
	n = fold_text(needle);
	found = fold_match_folded(h, n, 0);
	free(n);
	free(h);
	return (found);
}

/*
 * As fold_match(), but only from the start of a word (for completion):
 * "hong" matches "Phường Hồng Gai", "ong" does not. Nothing is kept.
 */
int
fold_match_start(const char *haystack, const char *needle)
{
	char	*h, *n;
	int	 found;

	h = fold_text(haystack);
	n = fold_text(needle);
	found = fold_match_folded(h, n, FOLD_START);
	free(n);
	free(h);
	return (found);
}

/*
 * One character's ASCII form for fold_ascii_into(): writes 0, 1 or 2
 * bytes into out and returns how many.
 */
static size_t
fold_ascii_cp(uint32_t cp, char out[2])
{
	int	w;
	char	c;

	if (cp == '\n')
		c = '\n';
	else if (cp == '\t')
		c = ' ';
	else if ((w = utf8_cpwidth(cp)) == 0)
		return (0);
	else if (cp == UTF8_BAD)
		c = '?';
	else if (cp < 0x80)
		c = (char)cp;
	else if ((c = fold_base(cp)) != 0)
		;
	else if ((c = fold_punct_char(cp)) != 0)
		;
	else {
		c = fold_space(cp) ? ' ' : '?';
		out[0] = c;
		if (w > 1) {
			out[1] = c;
			return (2);
		}
		return (1);
	}
	out[0] = c;
	return (1);
}

/*
 * Transliterate the NUL-terminated UTF-8 string src to printable ASCII
 * for a terminal without UTF-8, keeping case and display columns: Latin
 * letters lose their diacritics ("Đông Triều" gives "Dong Trieu"; a
 * ligature gives its first letter), common punctuation and spaces get
 * their ASCII form, zero-width characters and controls other than '\n'
 * are dropped, '\t' becomes a space, and anything else becomes '?', or
 * "??" when it is wide; invalid UTF-8 becomes '?'. Unlike fold_text()
 * spacing and '_' are kept as they are. A NULL src is taken as "".
 *
 * Writes at most dstsz - 1 bytes and a NUL into dst (nothing when dstsz
 * is 0; the output is ASCII, so a cut never splits a character, but a
 * wide character's "??" may be cut to "?"). Returns the length of the
 * whole transliteration, as snprintf does: the result was cut when it is
 * dstsz or more. Allocates nothing.
 */
size_t
fold_ascii_into(char *dst, size_t dstsz, const char *src)
{
	size_t		 len, i = 0, o = 0, n, k, j;
	uint32_t	 cp;
	char		 c[2];

	if (src == NULL)
		src = "";
	len = strlen(src);
	while (i < len) {
		n = utf8_decode(src + i, len - i, &cp);
		i += n;
		k = fold_ascii_cp(cp, c);
		for (j = 0; j < k; j++, o++) {
			if (o + 1 < dstsz)
				dst[o] = c[j];
		}
	}
	if (dstsz > 0)
		dst[o < dstsz ? o : dstsz - 1] = '\0';
	return (o);
}

/*
 * Transliterate s to printable ASCII as fold_ascii_into() does. Returns a
 * newly allocated string; the caller frees it. Aborts when out of memory.
 */
char *
fold_ascii(const char *s)
{
	char	*out;
	size_t	 len;

	if (s == NULL)
		s = "";
	len = strlen(s);
	out = fold_alloc(len, 1);	/* Never longer than the input. */
	fold_ascii_into(out, len + 1, s);
	return (out);
}
