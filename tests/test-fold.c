/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/* Tests for Vietnamese accent folding and ASCII transliteration. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"
#include "sanitize.h"

/*
 * Literals are split after every hex escape because a following hex digit
 * would otherwise extend the escape.
 */

static void	check_text(const char *, const char *);
static void	check_ascii(const char *, const char *);

static void
check_text(const char *in, const char *want)
{
	char	*out;

	out = fold_text(in);
	assert_string_equal(out, want);
	free(out);
}

static void
check_ascii(const char *in, const char *want)
{
	char	*out;

	out = fold_ascii(in);
	assert_string_equal(out, want);
	free(out);
}

/*
 * Test functions:
 *   fold_text
 */
static void
test_fold_text_vietnamese(void **state)
{
	(void)state;
	check_text("H\xe1\xba\xa1 Long", "ha long");		/* Hạ Long */
	check_text("C\xe1\xba\xa9m Ph\xe1\xba\xa3", "cam pha");	/* Cẩm Phả */
	check_text("\xc4\x90\xc3\xb4ng Tri\xe1\xbb\x81u", "dong trieu");
	/* "đường" */
	check_text("\xc4\x91\xc6\xb0\xe1\xbb\x9d" "ng", "duong");
	check_text("TH\xe1\xbb\xaa" "A THI\xc3\x8a" "N HU\xe1\xba\xbe",
	    "thua thien hue");				/* THỪA THIÊN HUẾ */
	check_text("\xc4\x82n \xc4\xa8 \xc5\xa8 \xc6\xa0 \xc6\xaf",
	    "an i u o u");				/* Ăn Ĩ Ũ Ơ Ư */
	check_text("", "");
	check_text(NULL, "");
}

/*
 * Test functions:
 *   fold_text
 */
static void
test_fold_text_nfd(void **state)
{
	(void)state;
	check_text("Ha\xcc\xa3 Long", "ha long");
	check_text("Ca\xcc\x82\xcc\x89m Pha\xcc\x89", "cam pha");
	check_text("\xc4\x90o\xcc\x82ng Trie\xcc\x82\xcc\x80u", "dong trieu");
	/* Marks outside U+0300-U+036F and zero-width characters too. */
	check_text("a\xe1\xaa\xb0" "b\xe2\x80\x8b" "c\xef\xbb\xbf", "abc");
}

/*
 * Test functions:
 *   fold_text
 */
static void
test_fold_text_space(void **state)
{
	(void)state;
	check_text("  H\xe1\xba\xa1\t\t_Long__Bay \n", "ha long bay");
	check_text("a\xc2\xa0\xe2\x80\x83\xe3\x80\x80" "b", "a b");
	check_text("___", "");
	check_text("snake_case_name", "snake case name");
}

/*
 * Test functions:
 *   fold_text, fold_ascii
 */
static void
test_fold_other(void **state)
{
	(void)state;
	check_text("Stra\xc3\x9f" "e", "strasse");
	check_text("\xc3\x86sir \xc5\x92uvre", "aesir oeuvre");
	check_text("\xc7\x85" "ivko", "dzivko");		/* Titlecase. */
	check_ascii("\xc3\x86sir Stra\xc3\x9f" "e", "Asir Strase");
	/* Characters with no Latin base are kept, invalid becomes U+FFFD. */
	check_text("\xce\xa9 \xe4\xb8\xad \xc3\x97",
	    "\xce\xa9 \xe4\xb8\xad \xc3\x97");
	check_text("a\xff" "b", "a\xef\xbf\xbd" "b");
	check_text("a\xe1\xba", "a\xef\xbf\xbd");
}

/*
 * Test functions:
 *   fold_text, fold_ascii
 */
static void
test_fold_vietnamese_block(void **state)
{
	/* Base letters of U+1EA0-U+1EF9, one per upper/lower pair. */
	static const char	 base[] = "aaaaaaaaaaaa" "eeeeeeee" "ii"
	    "oooooooooooo" "uuuuuuu" "yyyy";
	char			 in[5], *t, *a;
	uint32_t		 cp;
	size_t			 n;

	(void)state;
	assert_int_equal(sizeof base - 1, (0x1ef9 - 0x1ea0 + 1) / 2);
	for (cp = 0x1ea0; cp <= 0x1ef9; cp++) {
		n = utf8_encode(cp, in);
		in[n] = '\0';
		t = fold_text(in);
		a = fold_ascii(in);
		assert_int_equal(strlen(t), 1);
		assert_int_equal(t[0], base[(cp - 0x1ea0) / 2]);
		assert_int_equal(strlen(a), 1);
		if (cp % 2 == 0)
			assert_int_equal(a[0], t[0] - 'a' + 'A');
		else
			assert_int_equal(a[0], t[0]);
		free(a);
		free(t);
	}
}

/*
 * Test functions:
 *   fold_text, fold_ascii
 */
static void
test_fold_latin1(void **state)
{
	/* U+00C0-U+00FF; '.' marks the two signs. */
	static const char	 want[] = "AAAAAAACEEEEIIIIDNOOOOO.OUUUUYTs"
	    "aaaaaaaceeeeiiiidnooooo.ouuuuyty";
	char			 in[5], *t, *a;
	uint32_t		 cp;
	size_t			 n;

	(void)state;
	for (cp = 0xc0; cp <= 0xff; cp++) {
		if (want[cp - 0xc0] == '.')
			continue;
		n = utf8_encode(cp, in);
		in[n] = '\0';
		a = fold_ascii(in);
		assert_int_equal(strlen(a), 1);
		assert_int_equal(a[0], want[cp - 0xc0]);
		t = fold_text(in);
		assert_true(t[0] >= 'a' && t[0] <= 'z');
		free(t);
		free(a);
	}
	check_ascii("\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c\xc3\x87\xc3\x91"
	    "\xc3\xbf", "AEIOUCNy");
	check_ascii("2\xc3\x97" "3\xc3\xb7" "4", "2x3/4");
}

/*
 * Test functions:
 *   fold_match
 */
static void
test_fold_match(void **state)
{
	/* "Bệnh viện Bãi Cháy" */
	static const char	h[] = "B\xe1\xbb\x87nh vi\xe1\xbb\x87n "
	    "B\xc3\xa3i Ch\xc3\xa1y";

	(void)state;
	assert_true(fold_match(h, "bai chay"));
	assert_true(fold_match(h, "BAI  CHAY"));
	assert_true(fold_match(h, "b\xc3\xa3i ch\xc3\xa1y"));
	assert_true(fold_match(h, "Ba\xcc\x83i"));	/* NFD needle. */
	assert_true(fold_match(h, "benh vien"));
	assert_true(fold_match(h, ""));
	assert_true(fold_match(h, "  "));
	assert_true(fold_match("", ""));
	assert_false(fold_match(h, "bai chai"));
	assert_false(fold_match(h, "ha long"));
	assert_false(fold_match("", "a"));
	assert_true(fold_match("Qu\xe1\xba\xa3ng_Ninh", "quang ninh"));
	assert_true(fold_match("\xc4\x90\xc3\xb4ng Tri\xe1\xbb\x81u", "dong"));
}

/*
 * Test functions:
 *   fold_match, fold_match_start, fold_match_folded (the rules for names
 *   typed without accents: word prefixes, run together, inside)
 */
static void
test_fold_match_words(void **state)
{
	/* "Phường Hồng Gai", "Phường Bãi Cháy", "Trường THCS Hà Khánh". */
	static const char	hg[] = "Ph\xc6\xb0\xe1\xbb\x9dng "
	    "H\xe1\xbb\x93ng Gai";
	static const char	bc[] = "Ph\xc6\xb0\xe1\xbb\x9dng "
	    "B\xc3\xa3i Ch\xc3\xa1y";
	static const char	hk[] = "Tr\xc6\xb0\xe1\xbb\x9dng THCS "
	    "H\xc3\xa0 Kh\xc3\xa1nh";

	(void)state;
	/* Each query word a prefix of the successive words. */
	assert_true(fold_match(hg, "p hong gai"));
	assert_true(fold_match(hg, "ph ho g"));
	assert_true(fold_match(hg, "phuong hong"));
	assert_true(fold_match(hg, "hong gai"));
	assert_true(fold_match_start(hg, "p hong gai"));
	assert_true(fold_match_start(hg, "h g"));
	assert_false(fold_match(hg, "p gai"));		/* Not successive. */
	assert_false(fold_match(hg, "hong p"));		/* Not in order. */
	assert_false(fold_match(hg, "p hong gai x"));
	assert_false(fold_match(hg, "phuongx"));
	/* Accent-free, whole or run together. */
	assert_true(fold_match(bc, "bai chay"));
	assert_true(fold_match(bc, "baichay"));
	assert_true(fold_match(bc, "BaiChay"));
	assert_true(fold_match(bc, "phuongbai"));
	assert_true(fold_match_start(bc, "baich"));
	assert_false(fold_match(bc, "baichai"));
	assert_true(fold_match(hk, "ha khanh"));
	assert_true(fold_match(hk, "thcs ha kh"));
	assert_true(fold_match(hk, "hakhanh"));
	assert_false(fold_match(hk, "ha long"));
	/* Inside a word: search yes, completion no. */
	assert_true(fold_match(bc, "ai ch"));
	assert_true(fold_match(bc, "hay"));
	assert_false(fold_match_start(bc, "ai ch"));
	assert_false(fold_match_start(bc, "hay"));
	assert_true(fold_match_start(bc, ""));
	/* Already folded: nothing allocated, same answers. */
	assert_true(fold_match_folded("phuong hong gai", "p hong gai", 0));
	assert_true(fold_match_folded("phuong hong gai", "honggai",
	    FOLD_START));
	assert_false(fold_match_folded("phuong hong gai", "ong",
	    FOLD_START));
	assert_true(fold_match_folded("phuong hong gai", "ong", 0));
	assert_true(fold_match_folded("", "", FOLD_START));
	assert_false(fold_match_folded("", "a", 0));
	assert_false(fold_match_folded("ha", "ha long", 0));
	assert_false(fold_match_folded("ha", "halong", 0));
}

/*
 * Test functions:
 *   fold_ascii
 */
static void
test_fold_ascii(void **state)
{
	static const char	*cols[] = {
		"Qu\xe1\xba\xa3ng Ninh",
		"Ha\xcc\xa3 Long",
		"\xe4\xb8\xad\xe6\x96\x87 ok",
		"\xf0\x9f\x98\x80!",
		"\xce\xa9mega \xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x94 x",
		"a\xe3\x80\x80" "b\xc2\xa0" "c",
		("a\xe2\x80\xae" "b"),
	};
	char			*a;
	size_t			 i;

	(void)state;
	check_ascii("Qu\xe1\xba\xa3ng Ninh", "Quang Ninh");
	check_ascii("\xc4\x90\xc3\xb4ng Tri\xe1\xbb\x81u", "Dong Trieu");
	check_ascii("Ha\xcc\xa3 Long", "Ha Long");
	check_ascii("\xe4\xb8\xad\xe6\x96\x87 ok", "???? ok");
	check_ascii("\xce\xa9mega", "?mega");
	check_ascii("\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x94 it\xe2\x80\x99s",
	    "\"q\" - it's");
	check_ascii("snake_case  x\ty\nz", "snake_case  x y\nz");
	check_ascii("a\033b\x7f" "c\xc2\x85" "d", "abcd");
	check_ascii("a\xff" "b", "a?b");
	check_ascii(NULL, "");

	/* One column in, one column out. */
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		a = fold_ascii(cols[i]);
		assert_int_equal(strlen(a), utf8_width(cols[i]));
		free(a);
	}
}

/*
 * Test functions:
 *   fold_ascii_into
 */
static void
test_fold_ascii_into(void **state)
{
	char	buf[16];
	size_t	n;

	(void)state;
	/* Fits: the same as fold_ascii(), NUL-terminated. */
	memset(buf, 'Z', sizeof buf);
	n = fold_ascii_into(buf, sizeof buf,
	    "\xc4\x90\xc3\xb4ng Tri\xe1\xbb\x81u");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "Dong Trieu");

	/* Cut: at most dstsz - 1 bytes, the full length returned. */
	memset(buf, 'Z', sizeof buf);
	n = fold_ascii_into(buf, 5, "Qu\xe1\xba\xa3ng Ninh");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "Quan");
	assert_int_equal(buf[5], 'Z');

	/* A wide character is two columns, cut in half when it must be. */
	n = fold_ascii_into(buf, 3, "a\xe4\xb8\xad");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "a?");

	/* Size 0 writes nothing; size 1 only the NUL; NULL is "". */
	buf[0] = 'Z';
	assert_int_equal(fold_ascii_into(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'Z');
	assert_int_equal(fold_ascii_into(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(fold_ascii_into(buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, "");

	/* Measuring only. */
	assert_int_equal(fold_ascii_into(NULL, 0, "H\xe1\xba\xa1 Long"), 7);
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
 *   fold_text, fold_ascii, fold_match
 */
static void
test_fold_random(void **state)
{
	static const unsigned char	 bias[] = { 0xc3, 0xc4, 0xc5, 0xc6,
	    0xcc, 0xe1, 0xba, 0xbb, 0x80, 0xa3, ' ', '_', 'a', 'Z', 0xe4 };
	char				 in[65], *t, *a, *again;
	uint32_t			 seed = 0xf01d;
	size_t				 len, i;
	int				 iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = rnd(&seed) % 65;
		for (i = 0; i < len; i++) {
			if (rnd(&seed) % 2)
				in[i] = bias[rnd(&seed) % sizeof bias];
			else
				in[i] = 1 + rnd(&seed) % 255;
		}
		in[len] = '\0';

		t = fold_text(in);
		assert_true(utf8_valid(t, strlen(t)));
		assert_true(t[0] != ' ');
		assert_true(strlen(t) == 0 || t[strlen(t) - 1] != ' ');
		assert_null(strstr(t, "  "));
		again = fold_text(t);
		assert_string_equal(again, t);		/* Idempotent. */
		free(again);
		assert_true(fold_match(in, t));

		a = fold_ascii(in);
		for (i = 0; a[i] != '\0'; i++) {
			assert_true(a[i] == '\n' ||
			    (a[i] >= 0x20 && a[i] < 0x7f));
		}
		free(a);
		free(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_text_vietnamese),
		cmocka_unit_test(test_fold_text_nfd),
		cmocka_unit_test(test_fold_text_space),
		cmocka_unit_test(test_fold_other),
		cmocka_unit_test(test_fold_vietnamese_block),
		cmocka_unit_test(test_fold_latin1),
		cmocka_unit_test(test_fold_match),
		cmocka_unit_test(test_fold_match_words),
		cmocka_unit_test(test_fold_ascii),
		cmocka_unit_test(test_fold_ascii_into),
		cmocka_unit_test(test_fold_random),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
