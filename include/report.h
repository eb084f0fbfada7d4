/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The shift report of a recording, for the after-action review (trucban
 * --report FILE [--csv]): every item somebody acted on, who did what and
 * when, the times to acknowledge and to dispatch, in the console's
 * language; as text for people, or CSV for a spreadsheet.
 */

#ifndef REPORT_H
#define REPORT_H

#define REPORT_TEXT	0
#define REPORT_CSV	1

int	report_write(const char *path, int format,
	    void (*print)(const char *line), char **cause);

#endif
