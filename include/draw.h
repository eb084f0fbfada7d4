/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Drawing primitives for panels, the header and the status line: text
 * fitted to a number of display columns as ncursesw counts them (the C
 * library's wcwidth(); never more, never a split character, no control
 * characters, ASCII-folded on terminals without UTF-8), bars, severity
 * glyphs, ages and deadline states, and column fitting. Nothing here
 * allocates or performs I/O beyond curses calls into a window.
 */

#ifndef DRAW_H
#define DRAW_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "model.h"
#include "theme.h"

/* Flags for draw_text(). */
#define DRAW_PAD	0x1	/* Fill the rest of cols with spaces. */
#define DRAW_RIGHT	0x2	/* Right-align within cols. */
#define DRAW_CENTRE	0x4	/* Centre within cols. */
#define DRAW_ELLIPSIS	0x8	/* Mark cut text with "…" ("~" in ASCII). */

enum draw_deadline {
	DRAW_DL_NONE,		/* No deadline, or it no longer applies. */
	DRAW_DL_OK,
	DRAW_DL_NEAR,		/* Within DRAW_NEAR_MS. */
	DRAW_DL_OVERDUE
};
#define DRAW_NEAR_MS	(5 * 60 * 1000)

/*
 * A line laid out as runs of one attribute each, before anything is drawn
 * (draw_line_*): a panel lays a row out, compares its key with the key of
 * what it drew at that line last time, and puts the line into its window
 * only when they differ. Text past DRAW_LINE_TEXT bytes or
 * DRAW_LINE_RUNS runs is left out.
 */
#define DRAW_LINE_TEXT	2048
#define DRAW_LINE_RUNS	32

struct draw_run {
	int		 x;		/* First column of the run. */
	int		 w;		/* Columns it covers. */
	int		 lead;		/* Blank columns before its text. */
	int		 tw;		/* Columns of its text. */
	attr_t		 attr;
	unsigned short	 off;		/* Its text: line->text + off, */
	unsigned short	 len;		/* len bytes. */
};

struct draw_line {
	int		 cols;		/* Width of the line. */
	int		 ascii;
	int		 nruns;
	size_t		 used;		/* Bytes of text. */
	struct draw_run	 runs[DRAW_LINE_RUNS];
	char		 text[DRAW_LINE_TEXT];
};

#define DRAW_HASH_INIT	UINT64_C(0xcbf29ce484222325)	/* FNV-1a. */

/* One table column for draw_cols_fit(). */
struct draw_col {
	int		 want;	/* Width; for the fill column its minimum. */
	int		 alt;	/* A narrower form (0: none). */
	int		 altprio;	/* When to narrow (0: at prio). */
	int		 prio;	/* 0: always shown; higher drops first. */
	int		 fill;	/* Takes the width left over. */
	int		 x;	/* Out: first column. */
	int		 w;	/* Out: width; 0 when hidden. */
	int		 narrow;	/* Out: 1 when the alt form is used. */
};

int		 draw_glyph(uint32_t *, int after_base);
int		 draw_cpwidth(uint32_t, int ascii);
size_t		 draw_fit(char *, size_t, const char *, int cols, int ascii,
		     int *width);
int		 draw_width(const char *, int ascii);
int		 draw_text(WINDOW *, int y, int x, int cols, const char *,
		     attr_t, int flags, int ascii);
void		 draw_bar(WINDOW *, int y, int x, int cells, long num,
		     long den, attr_t, int ascii);
void		 draw_box(WINDOW *, attr_t, int ascii);
void		 draw_cols_fit(struct draw_col *, int n, int width, int gap);

void		 draw_line_init(struct draw_line *, int cols, int ascii);
int		 draw_line_text(struct draw_line *, int x, int cols,
		     const char *, attr_t, int flags);
void		 draw_line_bar(struct draw_line *, int x, int cells, long num,
		     long den, attr_t);
uint64_t	 draw_line_key(const struct draw_line *);
void		 draw_line_put(WINDOW *, int y, int x, const struct draw_line *,
		     attr_t base);
uint64_t	 draw_hash(uint64_t, const void *, size_t);
int		 draw_blank_same(attr_t, attr_t);

const char	*draw_sev_glyph(int severity, int ascii);
enum theme_slot	 draw_sev_slot(int severity);
size_t		 draw_age(int64_t ms, char *, size_t);
size_t		 draw_left(int64_t now, int64_t deadline, char *, size_t);
size_t		 draw_permille(long num, long den, int comma, char *, size_t);
enum draw_deadline draw_deadline(int64_t now, int64_t deadline);
enum draw_deadline draw_alert_deadline(const struct alert *, int64_t now);
const char	*draw_clock_glyph(enum alert_clock, int ascii);
size_t		 draw_date(int64_t t, int utc_offset_min, char *, size_t);
struct workcal;
int64_t		 draw_work_left(const struct workcal *, int64_t now,
		     int64_t deadline, char *, size_t);
extern const char *const draw_sev_names[5];
enum draw_deadline draw_feedback_deadline(const struct feedback *,
		     int64_t now);
const char	*draw_deadline_glyph(enum draw_deadline);
enum theme_slot	 draw_deadline_slot(enum draw_deadline);

#endif /* DRAW_H */
