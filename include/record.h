/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Session recording for training (docs/recording.md): every message the
 * console receives and sends, with its time, one JSON object per line.
 */

#ifndef RECORD_H
#define RECORD_H

#include <jansson.h>

struct recorder;

struct recorder	*record_open(const char *path, const char *url,
		     char **cause);
void		 record_close(struct recorder *);
const char	*record_path(const struct recorder *);
unsigned long	 record_count(const struct recorder *);
void		 record_msg(struct recorder *, const char *dir,
		     const json_t *msg);
void		 record_text(struct recorder *, const char *dir,
		     const char *text);

#endif
