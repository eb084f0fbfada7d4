/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for everything a console does with an inbound frame:
 * proto_parse(), then store_load_snapshot() or store_apply_event() with
 * sanitising. Build:
 *   clang -g -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude \
 *     core/[a-z]*.c tests/fuzz/fuzz-proto.c $(pkg-config --cflags --libs jansson) \
 *     -lunistring
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "proto.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store	*s;
	enum proto_type		 type;
	enum proto_err		 err;
	char			*cause = NULL;
	json_t			*m;

	if (s == NULL)
		s = store_new();
	m = proto_parse((const char *)data, size, &type, &err, &cause);
	if (m == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return (0);
	}
	if (type == PROTO_SNAPSHOT) {
		if (store_load_snapshot(s, m, STORE_SANITIZE, &cause) != 0)
			free(cause);
	} else if (type == PROTO_EVENT) {
		if (store_apply_event(s, m, STORE_SANITIZE, &cause) != 0)
			free(cause);
	}
	json_decref(m);
	return (0);
}
