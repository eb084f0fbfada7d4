/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's refusals in the officer's language: a result's "reason"
 * (a name of docs/protocol.md §7) and its "args" made into a line from
 * the console's own table, translated with gettext.
 */

#ifndef REASONS_H
#define REASONS_H

#include <jansson.h>

const char	*reasons_format(const char *name);
size_t		 reasons_count(void);
const char	*reasons_name(size_t);
char		*reasons_message(const char *name, json_t *args);

#endif
