/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Tests for the untrusted-text sanitiser and the UTF-8 helpers. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unictype.h>
#include <uninorm.h>

#include "sanitize.h"

/*
 * Literals are split after every hex escape ("\xe2\x80\xae" "b") because a
 * following hex digit would otherwise extend the escape.
 */
#define SAN(in, flags, want) check_san((in), sizeof (in) - 1, (flags), (want))

static void	check_output(const char *, size_t, int);
static void	check_san(const char *, size_t, int, const char *);

/*
 * Assert the output invariants: NUL-terminated at n, valid UTF-8, no C0
 * (except '\n' with SANITIZE_KEEP_NL), no DEL, no C1, no bidi control,
 * no line or paragraph separator, no BOM.
 */
static void
check_output(const char *out, size_t n, int flags)
{
	size_t		i = 0;
	uint32_t	cp;

	assert_int_equal(strlen(out), n);
	assert_true(utf8_valid(out, n));
	while (i < n) {
		i += utf8_decode(out + i, n - i, &cp);
		assert_true(cp != UTF8_BAD);
		if (cp < 0x20)
			assert_true(cp == '\n' && (flags & SANITIZE_KEEP_NL));
		assert_true(cp != 0x7f);
		assert_false(cp >= 0x80 && cp <= 0x9f);
		assert_false(cp >= 0x202a && cp <= 0x202e);
		assert_false(cp >= 0x2066 && cp <= 0x2069);
		assert_true(cp != 0x200e && cp != 0x200f && cp != 0x061c);
		assert_true(cp != 0x2028 && cp != 0x2029 && cp != 0xfeff);
	}
}

static void
check_san(const char *in, size_t len, int flags, const char *want)
{
	char	*out;

	out = sanitize_text(in, len, flags);
	assert_non_null(out);
	assert_string_equal(out, want);
	check_output(out, strlen(out), flags);
	free(out);
}

/* Deterministic xorshift32. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_csi(void **state)
{
	(void)state;
	SAN("A\033[31mB\033[2J\033[?1049hC", 0, "ABC");
	SAN("\033[1;2;3 q" "x", 0, "x");		/* Intermediate. */
	SAN("a\033[>0;1;2c" "b", 0, "ab");
	SAN("a\033[", 0, "a");			/* Unterminated at end. */
	SAN("a\033[12;34", 0, "a");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_csi_abort(void **state)
{
	(void)state;
	/* A character that cannot continue a CSI aborts it. */
	SAN("\033[31\xc3\xa9" "x", 0, "\xc3\xa9" "x");
	SAN("\033[31\nx", SANITIZE_KEEP_NL, "\nx");
	SAN("\033[31\033[32mx", 0, "x");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_osc(void **state)
{
	(void)state;
	SAN("x\033]0;pwned\007y", 0, "xy");
	SAN("x\033]0;pwned\033\\y", 0, "xy");
	SAN("x\033]2;a\xc2\x9c" "y", 0, "xy");		/* C1 ST. */
	SAN("x\033Pq#0;2;0;0;0\033\\y", 0, "xy");	/* DCS. */
	SAN("x\033Xsos\033\\y", 0, "xy");
	SAN("x\033^pm\033\\y", 0, "xy");
	SAN("x\033_apc\033\\y", 0, "xy");
	/* ESC other than ST inside a string does not end it. */
	SAN("x\033]0;a\033[31mb\007y", 0, "xy");
	SAN("x\033]0;a\033\033\\y", 0, "xy");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_osc8_hyperlink(void **state)
{
	(void)state;
	SAN("see \033]8;;https://evil.example/\033\\click here"
	    "\033]8;;\033\\ now", 0, "see click here now");
	SAN("\033]8;id=1;http://x\007link\033]8;;\007", 0, "link");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_c1_csi(void **state)
{
	(void)state;
	SAN("A\xc2\x9b" "31mB\xc2\x9b" "2JC", 0, "ABC");
	SAN("A\xc2\x9b" "?1049h", 0, "A");
	/* Raw 0x9B is not UTF-8: it becomes U+FFFD, not a CSI. */
	SAN("A\x9b" "31m", 0, "A\xef\xbf\xbd" "31m");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_c1_strings(void **state)
{
	(void)state;
	/* OSC 52 clipboard write, C1 OSC with BEL and with C1 ST. */
	SAN("a\xc2\x9d" "52;c;cm0gLXJmIH4=\007b", 0, "ab");
	SAN("a\xc2\x9d" "52;c;cm0gLXJmIH4=\xc2\x9c" "b", 0, "ab");
	SAN("a\033]52;c;cm0gLXJmIH4=\007b", 0, "ab");
	SAN("a\xc2\x90" "dcs\xc2\x9c" "b", 0, "ab");
	SAN("a\xc2\x98" "sos\xc2\x9c" "b", 0, "ab");
	SAN("a\xc2\x9e" "pm\033\\b", 0, "ab");
	SAN("a\xc2\x9f" "apc\007b", 0, "ab");
	/* Other C1 controls are dropped, a stray ST too. */
	SAN("a\xc2\x85" "b\xc2\x9c" "c\xc2\x80\xc2\x9a" "d", 0, "abcd");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_c0(void **state)
{
	(void)state;
	SAN("a\rb\bc\007", 0, "abc");
	SAN("a\0b\x01" "c\x1f" "d\x7f" "e", 0, "abcde");
	SAN("\x0b\x0c\x0e\x1a\x18", 0, "");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_unterminated(void **state)
{
	(void)state;
	SAN("ok\033]0;rest of the text\nand more", 0, "ok");
	SAN("ok\033Pdata", SANITIZE_KEEP_NL, "ok");
	SAN("ok\xc2\x9d" "rest\n", 0, "ok");
	SAN("ok\033]0;x\033", 0, "ok");
	SAN("ok\033]0;\xff\xfe\xc2", 0, "ok");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_escapes(void **state)
{
	(void)state;
	SAN("a\033(0b\033)Bc\033cd\033#8e", 0, "abcde");	/* nF, Fs. */
	SAN("a\033 Fb\033%Gc", 0, "abc");
	SAN("a\0337b\0338c\033=d\033>e\033Nf", 0, "abcdef");
	SAN("a\033\033\033[1mb", 0, "ab");
	SAN("abc\033", 0, "abc");			/* Lone ESC at end. */
	SAN("a\033(", 0, "a");				/* Unterminated nF. */
	/* ESC before something that cannot follow it is dropped alone. */
	SAN("a\033\xc3\xa9" "b", 0, "a\xc3\xa9" "b");
	SAN("a\033\nb", SANITIZE_KEEP_NL, "a\nb");
	SAN("a\033(\xc3\xa9", 0, "a\xc3\xa9");
	SAN("a\033\xc2\x9b" "1mb", 0, "ab");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_bidi(void **state)
{
	(void)state;
	SAN("a\xe2\x80\xae" "b", 0, "ab");			/* RLO */
	SAN("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"
	    "x\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"
	    "y\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "z", 0, "xyz");
	SAN("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", 0, "abc");	/* LS, PS */
	SAN("\xef\xbb\xbf" "bom", 0, "bom");
	/* ZWJ is kept: emoji sequences need it. */
	SAN("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb", 0,
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb");
}

/*
 * Test functions:
 *   sanitize_text, utf8_valid
 */
static void
test_sanitize_invalid_utf8(void **state)
{
	(void)state;
#define FFFD "\xef\xbf\xbd"
	SAN("a\x80" "b", 0, "a" FFFD "b");		/* Lone continuation. */
	SAN("a\xe2\x82", 0, "a" FFFD);			/* Truncated at end. */
	SAN("a\xe2\x82" "b", 0, "a" FFFD "b");		/* Truncated inside. */
	SAN("\xc0\xaf", 0, FFFD FFFD);			/* Overlong '/'. */
	SAN("\xe0\x80\xaf", 0, FFFD FFFD FFFD);		/* Overlong, 3 bytes. */
	SAN("\xf0\x80\x80\xaf", 0, FFFD FFFD FFFD FFFD);
	SAN("\xed\xa0\x80", 0, FFFD FFFD FFFD);		/* Surrogate. */
	SAN("\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD);	/* > U+10FFFF */
	SAN("\xf5\x80", 0, FFFD FFFD);
	SAN("\xfe\xff", 0, FFFD FFFD);
	SAN("\xf0\x9f\x98", 0, FFFD);			/* Truncated 4-byte. */
	/* Largest valid code points survive. */
	SAN("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf");
	SAN("\xef\xbf\xbd", 0, FFFD);
#undef FFFD
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_keeps_text(void **state)
{
	static const char	*keep[] = {
		"H\xe1\xba\xa1 Long",			/* NFC "Hạ Long" */
		"\xc4\x90\xc3\xb4ng Tri\xe1\xbb\x81u",	/* "Đông Triều" */
		"\xe4\xb8\xad\xe6\x96\x87",		/* CJK */
		"\xf0\x9f\x98\x80 ok ~!@#$%^&*()[]{}\\|",
		"",
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		check_san(keep[i], strlen(keep[i]), 0, keep[i]);

	/* NFD comes out NFC: the marks join their letters. */
	SAN("Ha\xcc\xa3 Long", 0, "H\xe1\xba\xa1 Long");
	SAN("Ca\xcc\x82\xcc\x89m Pha\xcc\x89", 0,
	    "C\xe1\xba\xa9m Ph\xe1\xba\xa3");
	/* A mark with no letter to join stays as it is. */
	SAN("\xcc\xa3x", 0, "\xcc\xa3x");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_tab_newline(void **state)
{
	(void)state;
	SAN("a\tb\t\tc", 0, "a b  c");
	SAN("a\nb\r\nc\rd", 0, "a b cd");
	SAN("a\nb\r\nc\rd", SANITIZE_KEEP_NL, "a\nb\ncd");
	SAN("\n\n", 0, "  ");
	SAN("\n\n", SANITIZE_KEEP_NL, "\n\n");
	SAN("a\tb", SANITIZE_KEEP_NL, "a b");
}

/*
 * Test functions:
 *   sanitize_text
 */
static void
test_sanitize_text_empty(void **state)
{
	char	*out;

	(void)state;
	out = sanitize_text(NULL, 0, 0);
	assert_string_equal(out, "");
	free(out);
	SAN("\033[31m", 0, "");
}

/*
 * Test functions:
 *   sanitize_into, sanitize_text
 */
static void
test_sanitize_into_truncate(void **state)
{
	/* 1 + 2 + 3 + 4 + 1 + (1 + 2 combining) bytes. */
	static const char	 in[] = "a\xc3\xa9\xe4\xb8\xad"
	    "\xf0\x9f\x98\x80\033[1mza\xcc\xa3";
	static const size_t	 ends[] = { 0, 1, 3, 6, 10, 11, 14 };
	char			 buf[32], *full;
	size_t			 sz, n, want, j;

	(void)state;
	full = sanitize_text(in, sizeof in - 1, 0);
	assert_int_equal(strlen(full), 14);
	for (sz = 1; sz <= sizeof buf; sz++) {
		memset(buf, 'X', sizeof buf);
		n = sanitize_into(buf, sz, in, sizeof in - 1, 0);
		want = 0;
		for (j = 0; j < sizeof ends / sizeof ends[0]; j++) {
			if (ends[j] <= sz - 1)
				want = ends[j];
		}
		assert_int_equal(n, want);
		assert_int_equal(buf[n], '\0');
		/* Normalised first: "a" + U+0323 is "ạ", whole or not at all. */
		assert_memory_equal(buf, full, n);
		check_output(buf, n, 0);
		if (sz < sizeof buf)
			assert_int_equal(buf[sz], 'X');	/* No overrun. */
	}
	free(full);

	/* A size of 1 gives "". */
	buf[0] = 'X';
	assert_int_equal(sanitize_into(buf, 1, "abc", 3, 0), 0);
	assert_string_equal(buf, "");
}

/*
 * Test functions:
 *   sanitize_into (names cut after NFC: "Nguyễn" sent decomposed)
 */
static void
test_sanitize_into_nfd_name(void **state)
{
	/* N g u y e U+0302 U+0303 n: NFC "Nguyễn" is 8 bytes. */
	static const char	 nfd[] = "Nguye\xcc\x82\xcc\x83n";
	char			 buf[16];

	(void)state;
	assert_int_equal(sanitize_into(buf, sizeof buf, nfd, sizeof nfd - 1,
	    0), 8);
	assert_string_equal(buf, "Nguy\xe1\xbb\x85n");
	/* Room for 6 or 7 bytes: "Nguy", not "Nguye" nor "Nguyê". */
	assert_int_equal(sanitize_into(buf, 7, nfd, sizeof nfd - 1, 0), 4);
	assert_string_equal(buf, "Nguy");
	assert_int_equal(sanitize_into(buf, 8, nfd, sizeof nfd - 1, 0), 7);
	assert_string_equal(buf, "Nguy\xe1\xbb\x85");
	/* A mark that composes with nothing stays with its base. */
	assert_int_equal(sanitize_into(buf, 3, "xq\xcc\x81", 4, 0), 1);
	assert_string_equal(buf, "x");
	/* A flag is one cluster of two regional indicators. */
	assert_int_equal(sanitize_into(buf, 8, "\xf0\x9f\x87\xbb"
	    "\xf0\x9f\x87\xb3", 8, 0), 0);
}

/*
 * Check sanitize_into() against sanitize_text() for in (len bytes) at
 * every buffer size: a prefix, valid, NFC, and never cut before a mark.
 */
static void
check_into_prefix(const char *in, size_t len, int flags)
{
	char		*full, *buf;
	uint8_t		*nfc;
	size_t		 n, sz, m, nlen;
	uint32_t	 cp;

	full = sanitize_text(in, len, flags);
	n = strlen(full);
	buf = malloc(n + 2);
	assert_non_null(buf);
	for (sz = 1; sz <= n + 2; sz++) {
		m = sanitize_into(buf, sz, in, len, flags);
		assert_true(m < sz && m <= n);
		assert_int_equal(buf[m], '\0');
		assert_memory_equal(buf, full, m);
		assert_true(utf8_valid(buf, m));
		nfc = u8_normalize(UNINORM_NFC, (uint8_t *)buf, m, NULL, &nlen);
		assert_non_null(nfc);
		assert_int_equal(nlen, m);
		assert_memory_equal(nfc, buf, m);
		free(nfc);
		if (sz > n)
			assert_int_equal(m, n);
		/* A mark after nothing or after a newline has no base. */
		if (m > 0 && m < n && full[m - 1] != '\n') {
			utf8_decode(full + m, n - m, &cp);
			assert_false(uc_is_general_category(cp,
			    UC_CATEGORY_M));
		}
	}
	free(buf);
	free(full);
}

/*
 * Test functions:
 *   sanitize_into (the property: for every input and every size, the
 *   output is a prefix of sanitize_text()'s, valid UTF-8 and NFC, and a
 *   base is never parted from its marks)
 */
static void
test_sanitize_into_prefix(void **state)
{
	static const char *const	 cases[] = {
		"a\xcc\x81",				/* a + U+0301 */
		"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n A",
		"H\xe1\xba\xa1 Long",
		"q\xcc\xa3\xcc\x81\xcc\x81\xcc\x81\xcc\x81z",	/* Zalgo. */
		"\xe2\x8c\x9a\xef\xb8\x8f\xe2\x9a\xa1\xe2\x9c\x85",
		"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
		    "\xf0\x9f\x91\xa7!",		/* ZWJ family. */
		"\xf0\x9f\x87\xbb\xf0\x9f\x87\xb3\xf0\x9f\x87\xbb",
		"\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8",	/* Jamo: NFC 각. */
		"x\033[31m\xcc\x81y\xe2\x80\xae\xcc\xa3",
		"\xcc\x81\xcc\x81 lead marks",
		"\xff\xcc\x81\xc0\xaf",
		"\xe0\xa4\x95\xe0\xa5\x8d\xe0\xa4\xb7",	/* Devanagari. */
		"2\xe1\x80\x80\xe1\x81\xa9y",	/* Myanmar spacing mark. */
	};
	static const char *const	 pieces[] = {
		"a", "e", "\xcc\x81", "\xcc\xa3", "\xcc\x82", "\xcc\x83",
		"\xe1\xba\xa1", "\xe2\x80\x8d", "\xef\xb8\x8f",
		"\xf0\x9f\x98\x80", "\xf0\x9f\x87\xbb", "\033[", "m", " ",
		"\xe4\xb8\xad", "\xe1\x84\x80", "\xe1\x85\xa1", "\xff",
		"\n", "\xe2\x80\xae", "\xe0\xa5\x8d", "\xe3\x82\x99",
		"\xe1\x80\x80", "\xe1\x81\xa9",
	};
	char				 in[128];
	uint32_t			 seed = 0x7e57c0de;
	size_t				 i, k, len;
	int				 iter;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_into_prefix(cases[i], strlen(cases[i]), 0);
		check_into_prefix(cases[i], strlen(cases[i]),
		    SANITIZE_KEEP_NL);
	}
	for (iter = 0; iter < 3000; iter++) {
		len = 0;
		for (k = rnd(&seed) % 24; k > 0; k--) {
			i = rnd(&seed) % (sizeof pieces / sizeof pieces[0]);
			if (len + strlen(pieces[i]) >= sizeof in)
				break;
			memcpy(in + len, pieces[i], strlen(pieces[i]));
			len += strlen(pieces[i]);
		}
		check_into_prefix(in, len, iter & 1);
	}
}

/*
 * Test functions:
 *   utf8_valid, utf8_decode
 */
static void
test_utf8_valid(void **state)
{
	uint32_t	cp;

	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("H\xe1\xba\xa1", 4));
	assert_true(utf8_valid("\xf4\x8f\xbf\xbf", 4));
	assert_true(utf8_valid("\xed\x9f\xbf", 3));	/* U+D7FF */
	assert_true(utf8_valid("\xee\x80\x80", 3));	/* U+E000 */
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\x80", 1));
	assert_false(utf8_valid("\xc0\xaf", 2));
	assert_false(utf8_valid("\xc1\xbf", 2));
	assert_false(utf8_valid("\xe0\x9f\xbf", 3));
	assert_false(utf8_valid("\xed\xa0\x80", 3));
	assert_false(utf8_valid("\xed\xbf\xbf", 3));
	assert_false(utf8_valid("\xf0\x8f\xbf\xbf", 4));
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));
	assert_false(utf8_valid("\xf5\x80\x80\x80", 4));
	assert_false(utf8_valid("\xe4\xb8", 2));
	assert_false(utf8_valid("\xff", 1));

	assert_int_equal(utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(utf8_decode("\xe4\xb8" "a", 3, &cp), 2);
	assert_int_equal(cp, UTF8_BAD);
	assert_int_equal(utf8_decode("", 0, &cp), 0);
}

/*
 * Test functions:
 *   utf8_encode, utf8_decode
 */
static void
test_utf8_encode(void **state)
{
	static const uint32_t	 cps[] = { 0x1, 0x7f, 0x80, 0x7ff, 0x800,
	    0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff };
	char			 buf[4];
	uint32_t		 cp;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		n = utf8_encode(cps[i], buf);
		assert_int_equal(utf8_decode(buf, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(utf8_encode(0xd800, buf), 3);
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
	assert_int_equal(utf8_encode(0x110000, buf), 3);
	assert_int_equal(utf8_encode(UTF8_BAD, buf), 3);
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
}

/*
 * Test functions:
 *   utf8_width, utf8_cpwidth (the locale-independent estimate)
 */
static void
test_utf8_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("H\xe1\xba\xa1 Long"), 7);
	assert_int_equal(utf8_width("Ha\xcc\xa3 Long"), 7);
	assert_int_equal(utf8_width("Ca\xcc\x82\xcc\x89m Pha\xcc\x89"), 7);
	assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	assert_int_equal(utf8_width("\xea\xb0\x80"), 2);	/* Hangul */
	assert_int_equal(utf8_width("\xef\xbc\xa1"), 2);	/* Fullwidth */
	assert_int_equal(utf8_width("\xf0\x9f\x98\x80"), 2);	/* Emoji */
	assert_int_equal(utf8_width("\xf0\xa0\x80\x80"), 2);	/* Ext B */
	assert_int_equal(utf8_width("a\xe2\x80\x8b" "b"), 2);	/* ZWSP */
	assert_int_equal(utf8_width("\xcc\x81"), 0);
	assert_int_equal(utf8_width("\xe1\xaa\xb0\xe1\xb7\x80\xe2\x83\x90"
	    "\xef\xb8\xa0"), 0);
	assert_int_equal(utf8_width("\xff" "a"), 2);	/* Shown as U+FFFD. */
	assert_int_equal(utf8_cpwidth('\n'), 0);
	assert_int_equal(utf8_cpwidth(0x85), 0);
	assert_int_equal(utf8_cpwidth(0xe9), 1);
	assert_int_equal(utf8_cpwidth(0x1100), 2);
	assert_int_equal(utf8_cpwidth(0x1160), 0);
	assert_int_equal(utf8_cpwidth(0xa4d0), 1);
	assert_int_equal(utf8_cpwidth(0xff61), 1);	/* Halfwidth. */
	/* Emoji in wide presentation; 〿 and 🌡 are narrow. */
	assert_int_equal(utf8_cpwidth(0x231a), 2);	/* ⌚ */
	assert_int_equal(utf8_cpwidth(0x26a1), 2);	/* ⚡ */
	assert_int_equal(utf8_cpwidth(0x2705), 2);	/* ✅ */
	assert_int_equal(utf8_cpwidth(0x274c), 2);	/* ❌ */
	assert_int_equal(utf8_cpwidth(0x2b50), 2);	/* ⭐ */
	assert_int_equal(utf8_cpwidth(0x1f004), 2);	/* 🀄 */
	assert_int_equal(utf8_cpwidth(0x303f), 1);	/* 〿 */
	assert_int_equal(utf8_cpwidth(0x1f321), 1);	/* 🌡 */
	assert_int_equal(utf8_cpwidth(0x200b), 0);
	assert_int_equal(utf8_cpwidth(0xfe0f), 0);
}

/*
 * Test functions:
 *   utf8_fit
 */
static void
test_utf8_fit(void **state)
{
	/* "中文ab" */
	static const char	cjk[] = "\xe4\xb8\xad\xe6\x96\x87" "ab";
	/* "Hạ" in NFD, then "!" */
	static const char	nfd[] = "Ha\xcc\xa3\xcc\x81!";

	(void)state;
	assert_int_equal(utf8_fit(cjk, 0), 0);
	assert_int_equal(utf8_fit(cjk, 1), 0);
	assert_int_equal(utf8_fit(cjk, 2), 3);
	assert_int_equal(utf8_fit(cjk, 3), 3);
	assert_int_equal(utf8_fit(cjk, 4), 6);
	assert_int_equal(utf8_fit(cjk, 5), 7);
	assert_int_equal(utf8_fit(cjk, 6), 8);
	assert_int_equal(utf8_fit(cjk, 100), 8);
	assert_int_equal(utf8_fit(nfd, 1), 1);
	assert_int_equal(utf8_fit(nfd, 2), 6);	/* Marks follow the 'a'. */
	assert_int_equal(utf8_fit(nfd, 3), 7);
	assert_int_equal(utf8_fit("", 5), 0);
}


/*
 * Test functions:
 *   sanitize_text, sanitize_into (clean text copied, NFC only when needed)
 *
 * Text that is already clean and NFC comes back as it was; anything a
 * normalisation could change (a combining mark, a singleton such as
 * U+2000, Hangul jamo) is still normalised, whatever precedes it: random
 * strings from such an alphabet come out equal to their own NFC.
 */
static void
test_sanitize_clean_nfc(void **state)
{
	static const char *const	 alpha[] = { "a", "Z", " ", "\xe1\xbb\x87",
	    "\xc4\x90", "\xc6\xa1", "\xcc\x80", "\xcc\x82", "\xcc\xa3",
	    "\xe2\x80\x80", "\xe2\x80\x93", "\xe2\x82\xab", "\xe1\x84\x80",
	    "\xe1\x85\xa1", "\n", "\x1b", "\xc2\x9b", "e", "A", "\xcc\x8a" };
	const char	*clean = "Nguy\xe1\xbb\x85n V\xc4\x83n A \xe2\x80\x93 "
			    "50.000\xe2\x82\xab, \xc6\xaf\xe1\xbb\x9b" "c";
	char		 in[64], buf[256], *out;
	uint8_t		*nfc;
	size_t		 len, n, k, nlen;
	uint32_t	 seed = 0xc0ffee;
	int		 iter, flags;

	(void)state;
	SAN("Nguy\xe1\xbb\x85n V\xc4\x83n A \xe2\x80\x93 50.000\xe2\x82\xab, "
	    "\xc6\xaf\xe1\xbb\x9b" "c", 0, clean);
	/* Decomposed: e, circumflex, tilde; A and a ring. */
	SAN("Nguye\xcc\x82\xcc\x83n", 0, "Nguy\xe1\xbb\x85n");
	SAN("A\xcc\x8a", 0, "\xc3\x85");
	/* An in-range character before a mark still composes. */
	SAN("\xe1\xba\xa1\xcc\x82", 0, "\xe1\xba\xad");
	/* U+2000 is U+2002 in NFC; Hangul L V is one syllable. */
	SAN("x\xe2\x80\x80y", 0, "x\xe2\x80\x82y");
	SAN("\xe1\x84\x80\xe1\x85\xa1", 0, "\xea\xb0\x80");
	/* Clean but for a newline: kept or a space. */
	SAN("a\nb", SANITIZE_KEEP_NL, "a\nb");
	SAN("a\nb", 0, "a b");

	for (iter = 0; iter < 5000; iter++) {
		len = 0;
		n = rnd(&seed) % 12;
		for (k = 0; k < n; k++) {
			const char *c = alpha[rnd(&seed) % (sizeof alpha /
			    sizeof alpha[0])];

			memcpy(in + len, c, strlen(c));
			len += strlen(c);
		}
		flags = (iter & 1) ? SANITIZE_KEEP_NL : 0;
		out = sanitize_text(in, len, flags);
		check_output(out, strlen(out), flags);
		nlen = 0;
		nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)out,
		    strlen(out), NULL, &nlen);
		assert_non_null(nfc);
		assert_int_equal(nlen, strlen(out));
		assert_memory_equal(nfc, out, nlen);
		free(nfc);
		/* sanitize_into agrees with a buffer large enough. */
		k = sanitize_into(buf, sizeof buf, in, len, flags);
		assert_int_equal(k, strlen(out));
		assert_string_equal(buf, out);
		free(out);
	}
}

/*
 * Test functions:
 *   sanitize_text, sanitize_into, utf8_valid
 */
static void
test_sanitize_random(void **state)
{
	static const unsigned char	 bias[] = { 0x1b, 0x9b, 0xc2, 0xe2,
	    '[', ']', 0x07, '\\', 0x9c, 0x9d, 0x80, 0xae, '\n', '\r', '\t',
	    0x00, 0x7f, 0xed, 0xf0, 0xf4, 'P', '(', '0', 'm' };
	unsigned char			 in[64];
	char				 buf[200], *out, *again;
	uint32_t			 seed = 0x5eed1234;
	size_t				 len, i, n, sz;
	int				 iter, flags;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = rnd(&seed) % 65;
		for (i = 0; i < len; i++) {
			if (rnd(&seed) % 2)
				in[i] = bias[rnd(&seed) % sizeof bias];
			else
				in[i] = rnd(&seed) & 0xff;
		}
		flags = (iter & 1) ? SANITIZE_KEEP_NL : 0;

		out = sanitize_text((char *)in, len, flags);
		n = strlen(out);
		check_output(out, n, flags);

		/* Sanitising again changes nothing. */
		again = sanitize_text(out, n, flags);
		assert_string_equal(again, out);
		free(again);

		/* A smaller buffer gets a prefix of the same output. */
		sz = 1 + rnd(&seed) % (n + 2);
		i = sanitize_into(buf, sz, (char *)in, len, flags);
		assert_true(i <= n && i < sz);
		assert_memory_equal(buf, out, i);
		check_output(buf, i, flags);
		if (sz > n)
			assert_int_equal(i, n);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_csi),
		cmocka_unit_test(test_sanitize_csi_abort),
		cmocka_unit_test(test_sanitize_osc),
		cmocka_unit_test(test_sanitize_osc8_hyperlink),
		cmocka_unit_test(test_sanitize_c1_csi),
		cmocka_unit_test(test_sanitize_c1_strings),
		cmocka_unit_test(test_sanitize_c0),
		cmocka_unit_test(test_sanitize_unterminated),
		cmocka_unit_test(test_sanitize_escapes),
		cmocka_unit_test(test_sanitize_bidi),
		cmocka_unit_test(test_sanitize_invalid_utf8),
		cmocka_unit_test(test_sanitize_keeps_text),
		cmocka_unit_test(test_sanitize_tab_newline),
		cmocka_unit_test(test_sanitize_text_empty),
		cmocka_unit_test(test_sanitize_into_truncate),
		cmocka_unit_test(test_sanitize_into_nfd_name),
		cmocka_unit_test(test_sanitize_into_prefix),
		cmocka_unit_test(test_sanitize_clean_nfc),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_encode),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_fit),
		cmocka_unit_test(test_sanitize_random),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
