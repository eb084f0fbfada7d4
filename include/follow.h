/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * What an instructor following a trainee sees (trucban --follow NAME):
 * plain, sanitised lines the sync makes from the backend's "follow" and
 * "drill" messages (docs/protocol.md) and the layout draws in the tile
 * of the Schools panel. Plain data: no curses, no network.
 */

#ifndef FOLLOW_H
#define FOLLOW_H

#include <stddef.h>
#include <stdint.h>

#define FOLLOW_LINES		32	/* The trainee's last commands. */
#define FOLLOW_EXPECT		24	/* The drill's expectations. */
#define FOLLOW_LINE_MAX		192

struct follow_view {
	char		 name[64];	/* The trainee; "" when not following. */
	char		 drill[FOLLOW_LINE_MAX];	/* "" before a drill. */
	/* The trainee's commands, oldest first: "10:32:05 ✓ ack A-0009". */
	char		 lines[FOLLOW_LINES][FOLLOW_LINE_MAX];
	int		 nlines;
	/* The drill's expectations: "✓ ack-coto 10 12s Xác nhận ...". */
	char		 expect[FOLLOW_EXPECT][FOLLOW_LINE_MAX];
	int		 nexpect;
	unsigned	 gen;		/* +1 on every change. */
};

#endif
