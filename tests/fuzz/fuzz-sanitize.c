/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */

/*
 * libFuzzer target for the sanitiser. Every input is sanitised with and
 * without SANITIZE_KEEP_NL; any output that breaks the invariants aborts:
 * valid UTF-8 without controls, escapes or bidi controls, idempotent (so
 * NFC), and a cut copy (sanitize_into) a prefix of the whole, in NFC,
 * never ending before a combining mark. Build and run: make fuzz
 * (scripts/fuzz.sh); make check replays tests/fuzz/corpus/sanitize/.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>

#include "sanitize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(e) do { if (!(e)) abort(); } while (0)

/*
 * Abort unless out (n bytes) is NUL-terminated at n, valid UTF-8 and free
 * of C0 (except '\n' when kept), DEL, C1, bidi controls, U+2028, U+2029
 * and U+FEFF.
 */
static void
fuzz_check_output(const char *out, size_t n, int flags)
{
	size_t		i = 0;
	uint32_t	cp;

	FUZZ_CHECK(strlen(out) == n);
	FUZZ_CHECK(utf8_valid(out, n));
	while (i < n) {
		i += utf8_decode(out + i, n - i, &cp);
		FUZZ_CHECK(cp != UTF8_BAD);
		FUZZ_CHECK(cp >= 0x20 ||
		    (cp == '\n' && (flags & SANITIZE_KEEP_NL)));
		FUZZ_CHECK(cp != 0x7f);
		FUZZ_CHECK(cp < 0x80 || cp > 0x9f);
		FUZZ_CHECK(cp < 0x202a || cp > 0x202e);
		FUZZ_CHECK(cp < 0x2066 || cp > 0x2069);
		FUZZ_CHECK(cp != 0x200e && cp != 0x200f && cp != 0x061c);
		FUZZ_CHECK(cp != 0x2028 && cp != 0x2029 && cp != 0xfeff);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data;
	char		*out, *again, *buf;
	uint8_t		*nfc;
	size_t		 n, m, sz, w, nlen;
	uint32_t	 cp;
	int		 flags;

	for (flags = 0; flags <= SANITIZE_KEEP_NL; flags++) {
		out = sanitize_text(in, size, flags);
		n = strlen(out);
		fuzz_check_output(out, n, flags);

		/* Idempotent. */
		again = sanitize_text(out, n, flags);
		FUZZ_CHECK(strcmp(again, out) == 0);
		free(again);

		/* A truncated copy is a prefix and never splits a character. */
		sz = 1 + (size != 0 ? data[0] % (n + 1) : 0);
		if ((buf = malloc(sz)) == NULL)
			abort();
		m = sanitize_into(buf, sz, in, size, flags);
		FUZZ_CHECK(m < sz && m <= n);
		FUZZ_CHECK(memcmp(buf, out, m) == 0);
		fuzz_check_output(buf, m, flags);
		nfc = u8_normalize(UNINORM_NFC, (uint8_t *)buf, m, NULL, &nlen);
		FUZZ_CHECK(nfc != NULL && nlen == m &&
		    memcmp(nfc, buf, m) == 0);
		free(nfc);
		if (m > 0 && m < n && out[m - 1] != '\n') {
			utf8_decode(out + m, n - m, &cp);
			FUZZ_CHECK(!uc_is_general_category(cp, UC_CATEGORY_M));
		}
		free(buf);

		/* utf8_fit never splits a character and respects the width. */
		w = utf8_width(out);
		m = utf8_fit(out, w / 2);
		FUZZ_CHECK(m <= n && utf8_valid(out, m));
		FUZZ_CHECK(utf8_fit(out, w) == n);

		free(out);
	}
	return (0);
}
