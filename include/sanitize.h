/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/*
 * Sanitiser for untrusted UTF-8 text before it reaches the terminal or a
 * log, and locale-independent UTF-8 helpers (strict decoding, estimated
 * display width). Nothing here depends on the locale, so the backend
 * sanitises exactly as a console does; what a terminal draws is measured
 * by the console's draw_cpwidth() (include/draw.h).
 */

#ifndef SANITIZE_H
#define SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#define SANITIZE_KEEP_NL 0x1	/* Keep '\n'; otherwise it becomes a space. */

/* Returned by utf8_decode() for an ill-formed sequence. */
#define UTF8_BAD 0xffffffffU

/*
 * Sanitise len bytes of src into a newly allocated NUL-terminated string,
 * normalised to NFC. Never returns NULL (aborts when out of memory).
 * Caller frees.
 */
char	*sanitize_text(const char *src, size_t len, int flags);

/*
 * Sanitise len bytes of src into dst as sanitize_text() would, then cut
 * the result to dstsz - 1 bytes on a grapheme cluster boundary (a base
 * keeps its combining marks): always a prefix of sanitize_text()'s
 * output, valid UTF-8, NFC. NUL-terminates when dstsz >= 1. Returns the
 * bytes written, excluding the NUL.
 */
size_t	 sanitize_into(char *dst, size_t dstsz, const char *src, size_t len,
	     int flags);

/*
 * 1 if s (len bytes) is strictly valid UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF, no NUL), else 0.
 */
int	 utf8_valid(const char *s, size_t len);

/*
 * Estimated display columns of a NUL-terminated UTF-8 string (the sum of
 * utf8_cpwidth()); not what a terminal draws: see draw_width().
 */
size_t	 utf8_width(const char *s);

/*
 * Bytes of s that fit in cols columns, never splitting a character;
 * zero-width characters after the last included one are included.
 */
size_t	 utf8_fit(const char *s, size_t cols);

/*
 * Decode one character from s (len bytes). Returns the bytes consumed
 * (0 only when len is 0) and stores the code point, or UTF8_BAD for one
 * maximal ill-formed subpart, in *cp.
 */
size_t	 utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Encode cp into buf (at least 4 bytes, not NUL-terminated); surrogates,
 * values above U+10FFFF and UTF8_BAD become U+FFFD. Returns the length.
 */
size_t	 utf8_encode(uint32_t cp, char *buf);

/*
 * Estimated display columns of one code point, independent of the locale
 * (libunistring's uc_width): 0 for controls and zero-width characters, 2
 * for East Asian wide ones and emoji, 1 otherwise. The console measures
 * what it draws with draw_cpwidth() instead.
 */
int	 utf8_cpwidth(uint32_t cp);

#endif /* SANITIZE_H */
