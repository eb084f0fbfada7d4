/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for theme files: theme_parse() on any text must warn
 * and go on, never crash, and leave every slot with valid attributes.
 * Build:
 *   clang -g -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -DTRUCBAN_DATADIR='"/nonexistent"' -Iinclude widgets/theme.c \
 *     core/log.c core/xmalloc.c core/clock.c tests/fuzz/fuzz-theme.c \
 *     $(pkg-config --cflags --libs ncursesw) -o fuzz-theme
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *cause = NULL;
	int	 i, n;

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
