/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for theme files: theme_parse() on any text must warn
 * and go on, never crash, and leave every slot with valid attributes.
 * Build and run: make fuzz (scripts/fuzz.sh); make check replays
 * tests/fuzz/corpus/theme/.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "theme.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 logging;
	char		*text, *cause = NULL;
	int		 i, n;

	if (!logging) {
		/* Warnings go through the log's code, but not to stderr. */
		log_open("/dev/null", "fuzz");
		logging = 1;
	}
	text = malloc(size + 1);
	if (text == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	n = theme_parse(text, "fuzz", &cause);
	if (n < 0 || (n > 0) != (cause != NULL))
		abort();
	for (i = 0; i < THEME_COUNT; i++)
		(void)theme_attr(i);
	if (strlen(theme_name()) >= THEME_NAME_MAX)
		abort();
	free(cause);
	free(text);
	return (0);
}
