/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for the console's configuration file: config_parse()
 * on any text must warn and go on, never crash, and leave a consistent
 * struct config (every binding with a table and a key, a known ascii
 * setting, a NUL-terminated first warning). Parsing twice into the same
 * struct (later lines win) must not leak. Build and run: make fuzz
 * (scripts/fuzz.sh).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(e) do { if (!(e)) abort(); } while (0)

static void
fuzz_check(const struct config *cf, int warnings)
{
	size_t	i;

	FUZZ_CHECK(warnings >= 0 && cf->warnings >= warnings);
	FUZZ_CHECK(cf->ascii >= -1 && cf->ascii <= 1);
	FUZZ_CHECK(memchr(cf->warning, '\0', sizeof cf->warning) != NULL);
	FUZZ_CHECK((cf->warnings > 0) == (cf->warning[0] != '\0'));
	for (i = 0; i < cf->nbinds; i++) {
		FUZZ_CHECK(cf->binds[i].table != NULL);
		FUZZ_CHECK(cf->binds[i].key != NULL);
		FUZZ_CHECK(cf->binds[i].line >= 1);
	}
	if (cf->lang != NULL)
		FUZZ_CHECK(strcmp(cf->lang, "vi") == 0 ||
		    strcmp(cf->lang, "en") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cf;
	char		*text;
	int		 n;

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(&cf);
	n = config_parse(&cf, text, "fuzz");
	fuzz_check(&cf, n);
	n = config_parse(&cf, text, "fuzz");
	fuzz_check(&cf, n);
	config_free(&cf);
	free(text);
	return (0);
}
