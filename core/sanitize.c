/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Sanitiser for untrusted UTF-8 text, and UTF-8 decoding and width. */

#include "sanitize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unigbrk.h>
#include <uninorm.h>
#include <uniwidth.h>

/*
 * The sanitiser decodes its input strictly, one code point at a time, and
 * feeds each one to a small state machine modelled on a terminal's own
 * parser:
 *
 *   GROUND   ordinary text. ESC enters ESC; C1 CSI (U+009B) enters CSI;
 *            C1 DCS, SOS, OSC, PM and APC (U+0090, U+0098, U+009D, U+009E,
 *            U+009F) enter STR. Other controls, DEL, C1, bidi controls,
 *            U+2028/U+2029 and U+FEFF are dropped; '\t' becomes a space;
 *            '\n' is kept or becomes a space; '\r' is dropped.
 *   ESC      after ESC. '[' enters CSI; ']', 'P', 'X', '^' and '_' enter
 *            STR; 0x20-0x2F enter NF; any other 0x30-0x7E ends a two-byte
 *            escape; another ESC starts over.
 *   CSI      parameters and intermediates 0x20-0x3F, then a final byte
 *            0x40-0x7E.
 *   NF       intermediates 0x20-0x2F, then a final byte 0x30-0x7E.
 *   STR      a control string: everything is swallowed up to BEL, C1 ST
 *            (U+009C) or ESC '\'. An unterminated string swallows the
 *            rest of the input, so it fails closed.
 *   STR_ESC  ESC inside a string: '\' ends the string, anything else is
 *            swallowed with the string (no other ESC pair ends it).
 *
 * In ESC, CSI and NF a code point that cannot continue the sequence (a
 * control, DEL, a non-ASCII character, an invalid byte) aborts it: what
 * was already read is dropped and the code point is processed again as
 * ordinary text.
 *
 * Invalid input becomes U+FFFD, one per maximal ill-formed subpart (the
 * Unicode "best practice" substitution, the same as the WHATWG decoder):
 * a lone continuation byte, a byte that can never start a sequence
 * (C0, C1, F5-FF) or a truncated sequence is replaced by one U+FFFD, so
 * the overlong C0 AF yields two and the surrogate ED A0 80 three.
 *
 * Output is therefore valid UTF-8 with no C0 control (except '\n' when
 * SANITIZE_KEEP_NL is given), no DEL and no C1 control, and sanitising it
 * again leaves it unchanged.
 */

/* Bytes sanitize_into() handles on the stack before it allocates. */
#define SANITIZE_STACK	1024

enum sanitize_state {
	SANITIZE_GROUND,
	SANITIZE_ESC,
	SANITIZE_CSI,
	SANITIZE_NF,
	SANITIZE_STR,
	SANITIZE_STR_ESC
};

static int	sanitize_dropped(uint32_t);
static size_t	sanitize_raw(char *, size_t, const char *, size_t, int);
static int	sanitize_has_nonascii(const char *, size_t);
static int	sanitize_is_nfc(const char *, size_t);
static int	sanitize_unchanged(const char *, size_t, int);
static int	sanitize_nfc_stable(uint32_t);
static size_t	sanitize_cut(const char *, size_t, size_t);

/*
 * Decode one character of s (len bytes). Returns the number of bytes
 * consumed, which is 0 only when len is 0, and stores the code point in
 * *cp, or UTF8_BAD when the bytes consumed are one maximal ill-formed
 * subpart. Nothing is allocated.
 */
size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 need, i;
	unsigned char		 lo = 0x80, hi = 0xbf;

	*cp = UTF8_BAD;
	if (len == 0)
		return (0);
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;	/* Overlong below U+0800. */
		else if (c == 0xed)
			hi = 0x9f;	/* Surrogates. */
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;	/* Overlong below U+10000. */
		else if (c == 0xf4)
			hi = 0x8f;	/* Above U+10FFFF. */
		c &= 0x07;
	} else
		return (1);	/* 80-C1, F5-FF never start a character. */

	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi)
			return (i);
		c = (c << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return (need + 1);
}

/*
 * Encode cp as UTF-8 into buf, which must have room for 4 bytes; no NUL
 * is added. Surrogates, values above U+10FFFF and UTF8_BAD are encoded as
 * U+FFFD. Returns the number of bytes written.
 */
size_t
utf8_encode(uint32_t cp, char *buf)
{
	unsigned char	*p = (unsigned char *)buf;

	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		p[0] = (unsigned char)cp;
		return (1);
	}
	if (cp < 0x800) {
		p[0] = (unsigned char)(0xc0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		p[0] = (unsigned char)(0xe0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return (3);
	}
	p[0] = (unsigned char)(0xf0 | (cp >> 18));
	p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	p[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return (4);
}

/*
 * Return the display columns of one code point, independent of the
 * locale: 0 for C0, DEL and C1, else libunistring's uc_width() for a
 * UTF-8 terminal (0 for combining marks and other zero-width characters,
 * 2 for East Asian wide and fullwidth characters and emoji, 1 otherwise),
 * and 1 for UTF8_BAD (shown as U+FFFD). This is an estimate for code
 * that has no terminal (ASCII transliteration, the backend); what a
 * terminal draws is up to its C library's wcwidth(), which the console
 * asks through draw_cpwidth() (widgets/draw.c).
 */
int
utf8_cpwidth(uint32_t cp)
{
	int	w;

	if (cp == UTF8_BAD)
		return (1);
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return (0);
	if (cp < 0x7f)
		return (1);
	w = uc_width(cp, "UTF-8");
	return (w < 0 ? 0 : w);
}

/*
 * Return 1 if s (len bytes) is strictly valid UTF-8 with no NUL byte,
 * else 0.
 */
int
utf8_valid(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_BAD || cp == 0)
			return (0);
		i += n;
	}
	return (1);
}

/*
 * Return the display columns of the NUL-terminated UTF-8 string s, using
 * utf8_cpwidth() for each character (an invalid sequence counts as one
 * U+FFFD).
 */
size_t
utf8_width(const char *s)
{
	size_t		len = strlen(s), i = 0, w = 0;
	uint32_t	cp;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		w += (size_t)utf8_cpwidth(cp);
	}
	return (w);
}

/*
 * Return how many bytes of the NUL-terminated string s fit in cols
 * columns. A character is never split, and zero-width characters (such as
 * combining marks) that follow the last included character are included.
 */
size_t
utf8_fit(const char *s, size_t cols)
{
	size_t		len = strlen(s), i = 0, n, used = 0, w;
	uint32_t	cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		w = (size_t)utf8_cpwidth(cp);
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	return (i);
}

/* Is cp dropped outright in ordinary text? (Tab and LF never get here.) */
static int
sanitize_dropped(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return (1);		/* C0, DEL, C1. */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f)
		return (1);		/* ALM, LRM, RLM. */
	if (cp >= 0x202a && cp <= 0x202e)
		return (1);		/* LRE RLE PDF LRO RLO. */
	if (cp >= 0x2066 && cp <= 0x2069)
		return (1);		/* LRI RLI FSI PDI. */
	if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
		return (1);		/* Line, paragraph separator; BOM. */
	return (0);
}

/*
 * Sanitise len bytes of src into dst, a buffer of dstsz bytes, following
 * the rules described at the top of this file. Output stops before the
 * first character that does not fit, so it is never split. dst is always
 * NUL-terminated when dstsz is at least 1 (when it is 0 nothing is
 * written). Returns the number of bytes written, excluding the NUL. The
 * caller owns dst; nothing is allocated.
 */
static size_t
sanitize_raw(char *dst, size_t dstsz, const char *src, size_t len,
    int flags)
{
	enum sanitize_state	 state = SANITIZE_GROUND;
	size_t			 i = 0, n, out = 0, k;
	uint32_t		 cp;
	char			 enc[4];

	if (dstsz == 0)
		return (0);
	while (i < len) {
		n = utf8_decode(src + i, len - i, &cp);

		switch (state) {
		case SANITIZE_GROUND:
			break;
		case SANITIZE_ESC:
			if (cp == '[')
				state = SANITIZE_CSI;
			else if (cp == ']' || cp == 'P' || cp == 'X' ||
			    cp == '^' || cp == '_')
				state = SANITIZE_STR;
			else if (cp >= 0x20 && cp <= 0x2f)
				state = SANITIZE_NF;
			else if (cp >= 0x30 && cp <= 0x7e)
				state = SANITIZE_GROUND;
			else if (cp != 0x1b) {
				state = SANITIZE_GROUND;
				continue;	/* Abort; reprocess cp. */
			}
			i += n;
			continue;
		case SANITIZE_CSI:
			if (cp >= 0x40 && cp <= 0x7e)
				state = SANITIZE_GROUND;
			else if (cp < 0x20 || cp > 0x3f) {
				state = SANITIZE_GROUND;
				continue;
			}
			i += n;
			continue;
		case SANITIZE_NF:
			if (cp >= 0x30 && cp <= 0x7e)
				state = SANITIZE_GROUND;
			else if (cp < 0x20 || cp > 0x2f) {
				state = SANITIZE_GROUND;
				continue;
			}
			i += n;
			continue;
		case SANITIZE_STR_ESC:
			if (cp == '\\') {
				state = SANITIZE_GROUND;
				i += n;
				continue;
			}
			state = SANITIZE_STR;
			continue;	/* Swallowed, but may be BEL or ST. */
		case SANITIZE_STR:
			if (cp == 0x07 || cp == 0x9c)
				state = SANITIZE_GROUND;
			else if (cp == 0x1b)
				state = SANITIZE_STR_ESC;
			i += n;
			continue;
		}

		/* Ordinary text. */
		i += n;
		if (cp == 0x1b) {
			state = SANITIZE_ESC;
			continue;
		}
		if (cp == 0x9b) {
			state = SANITIZE_CSI;
			continue;
		}
		if (cp == 0x90 || cp == 0x98 || cp == 0x9d || cp == 0x9e ||
		    cp == 0x9f) {
			state = SANITIZE_STR;
			continue;
		}
		if (cp == '\t')
			cp = ' ';
		else if (cp == '\n')
			cp = (flags & SANITIZE_KEEP_NL) ? '\n' : ' ';
		else if (cp == UTF8_BAD)
			cp = 0xfffd;
		else if (sanitize_dropped(cp))
			continue;

		k = utf8_encode(cp, enc);
		if (k > dstsz - 1 - out)
			break;
		memcpy(dst + out, enc, k);
		out += k;
	}
	dst[out] = '\0';
	return (out);
}

/* 1 when the len bytes at s hold a byte above 0x7f. */
static int
sanitize_has_nonascii(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return (1);
	}
	return (0);
}

/*
 * Code points that are their own NFC whatever surrounds them: no
 * decomposition, combining class 0, and never the second of a composed
 * pair (NFC_Quick_Check Yes and starters). Vietnamese text written
 * precomposed (ASCII, Latin-1 and Extended-A/B for Đ, Ơ, Ư, Latin
 * Extended Additional for ạ..ỹ) with its usual punctuation and ₫ stays
 * in these ranges; checked against Unicode 14 data. U+2000 and U+2001
 * are left out: they decompose to U+2002 and U+2003.
 */
static const struct {
	uint32_t	lo, hi;
} sanitize_nfc_ranges[] = {
	{ 0x0000, 0x02ff },
	{ 0x1e00, 0x1eff },
	{ 0x2002, 0x206f },
	{ 0x20a0, 0x20bf },
};

/*
 * 1 when the len bytes at s (valid UTF-8) are NFC already because every
 * code point is in sanitize_nfc_ranges: normalising, which allocates and
 * decomposes every character, would give the same bytes. 0 means only
 * "not sure": the text is normalised.
 */
static int
sanitize_is_nfc(const char *s, size_t len)
{
	size_t		 i = 0;
	uint32_t	 cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(s + i, len - i, &cp);
		if (!sanitize_nfc_stable(cp))
			return (0);
	}
	return (1);
}

/* 1 when cp is in sanitize_nfc_ranges. */
static int
sanitize_nfc_stable(uint32_t cp)
{
	size_t	k;

	for (k = 0; k < sizeof sanitize_nfc_ranges /
	    sizeof sanitize_nfc_ranges[0]; k++) {
		if (cp >= sanitize_nfc_ranges[k].lo &&
		    cp <= sanitize_nfc_ranges[k].hi)
			return (1);
	}
	return (0);
}

/*
 * 1 when sanitising len bytes of src would give them back unchanged:
 * valid UTF-8 of printable characters (and '\n' with SANITIZE_KEEP_NL),
 * no ESC or C1 control (dropped) to start a sequence, nothing dropped, NFC by
 * sanitize_nfc_ranges. Most text from the backend is, and is then copied
 * in one pass instead of sanitised into a buffer three times its size
 * and normalised. 0 means only "not sure".
 */
static int
sanitize_unchanged(const char *src, size_t len, int flags)
{
	size_t			 i = 0;
	uint32_t		 cp;
	unsigned char		 c;

	while (i < len) {
		c = (unsigned char)src[i];
		if (c < 0x80) {
			if ((c < 0x20 || c == 0x7f) && !(c == '\n' &&
			    (flags & SANITIZE_KEEP_NL)))
				return (0);
			i++;
			continue;
		}
		i += utf8_decode(src + i, len - i, &cp);
		if (cp == UTF8_BAD || sanitize_dropped(cp) ||
		    !sanitize_nfc_stable(cp))
			return (0);
	}
	return (1);
}

/*
 * Return the length of the longest prefix of s (len bytes of valid UTF-8)
 * that is at most max bytes and ends on an extended grapheme cluster
 * boundary that is not before a combining mark, so a base character is
 * never parted from the marks, variation selectors and joiners after it
 * (nor from a spacing mark such as Myanmar's U+1069, which the cluster
 * rules let start a cluster), nor a flag split in two.
 * libunistring's u8_grapheme_breaks() applies the full rules (its
 * u8_grapheme_next() does not pair regional indicators); a break before
 * byte i depends only on what precedes it and the character at i, so it
 * is given s up to the end of the character at max. Allocates only when
 * that is long.
 */
static size_t
sanitize_cut(const char *s, size_t len, size_t max)
{
	char		 stack[SANITIZE_STACK], *brk;
	size_t		 lim, cut;
	uint32_t	 cp;

	if (len <= max)
		return (len);
	if (!sanitize_has_nonascii(s, max + 1))
		return (max);		/* ASCII: every byte is a boundary. */
	lim = max;
	while (lim > 0 && ((unsigned char)s[lim] & 0xc0) == 0x80)
		lim--;
	lim += utf8_decode(s + lim, len - lim, &cp);
	if (lim <= sizeof stack)
		brk = stack;
	else if ((brk = malloc(lim)) == NULL)
		abort();
	u8_grapheme_breaks((const uint8_t *)s, lim, brk);
	for (cut = max; cut > 0; cut--) {
		if (!brk[cut])
			continue;
		/* Some spacing marks (Myanmar's) may start a cluster. */
		utf8_decode(s + cut, len - cut, &cp);
		if (!uc_is_general_category(cp, UC_CATEGORY_M))
			break;
	}
	if (brk != stack)
		free(brk);
	return (cut);
}

/*
 * Sanitise len bytes of src into dst (dstsz >= 1): the whole input is
 * sanitised and normalised to NFC first, as sanitize_text() does, and
 * only then cut to fit, on a grapheme cluster boundary. So the result is
 * always a prefix of sanitize_text()'s (a cut "Nguyễn" is "Nguy", never
 * "Nguye"), valid UTF-8 and in NFC. Returns the bytes written, excluding
 * the NUL. Works on the stack for short text, allocates for long text.
 */
size_t
sanitize_into(char *dst, size_t dstsz, const char *src, size_t len,
    int flags)
{
	char		 stack[SANITIZE_STACK], *buf;
	uint8_t		 nstack[SANITIZE_STACK], *r = NULL;
	const char	*out;
	size_t		 size, n, rlen = sizeof nstack;

	if (dstsz == 0)
		return (0);
	/* Each input byte yields at most 3 output bytes (one U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		abort();
	size = len * 3 + 1;
	if (size <= sizeof stack)
		buf = stack;
	else if ((buf = malloc(size)) == NULL)
		abort();
	n = sanitize_raw(buf, size, src, len, flags);
	out = buf;
	if (!sanitize_is_nfc(buf, n)) {
		r = u8_normalize(UNINORM_NFC, (uint8_t *)buf, n, nstack, &rlen);
		if (r == NULL)
			abort();
		out = (const char *)r;
		n = rlen;
	}
	n = sanitize_cut(out, n, dstsz - 1);
	memcpy(dst, out, n);
	dst[n] = '\0';
	if (r != NULL && r != nstack)
		free(r);
	if (buf != stack)
		free(buf);
	return (n);
}

/*
 * Sanitise len bytes of src (see sanitize_into) into a newly allocated
 * NUL-terminated string. Never returns NULL: aborts when out of memory.
 * The caller frees the result.
 */
char *
sanitize_text(const char *src, size_t len, int flags)
{
	char	*buf, *p;
	size_t	 size, n;

	if (len < SIZE_MAX && sanitize_unchanged(src, len, flags)) {
		if ((buf = malloc(len + 1)) == NULL)
			abort();
		if (len > 0)		/* src may be NULL when empty. */
			memcpy(buf, src, len);
		buf[len] = '\0';
		return (buf);
	}
	/* Each input byte yields at most 3 output bytes (one U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		abort();
	size = len * 3 + 1;
	if ((buf = malloc(size)) == NULL)
		abort();
	n = sanitize_raw(buf, size, src, len, flags);
	if (!sanitize_is_nfc(buf, n)) {
		/* NFC of sanitised text is sanitised text. */
		p = (char *)u8_normalize(UNINORM_NFC, (uint8_t *)buf, n, NULL,
		    &size);
		if (p == NULL)
			abort();
		free(buf);
		if ((buf = realloc(p, size + 1)) == NULL)
			abort();
		buf[size] = '\0';
		return (buf);
	}
	if ((p = realloc(buf, n + 1)) != NULL)
		buf = p;
	return (buf);
}
