/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The message log: what the status line said, with times, in full. */

#include "msglog.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "sanitize.h"
#include "xmalloc.h"

/*
 * A ring: entries go in at (head + n) % max until it is full, then each
 * new one takes the oldest's place and head moves on. Texts are
 * sanitised when they come in (a refusal may carry a backend's words),
 * so the log can be shown anywhere as it is.
 */

/*
 * Create a log of at most max entries (MSGLOG_MAX when 0). Returns the
 * log; the caller frees it with msglog_free().
 */
struct msglog *
msglog_create(size_t max)
{
	struct msglog	*ml;

	ml = xcalloc(1, sizeof *ml);
	ml->max = max > 0 ? max : MSGLOG_MAX;
	ml->v = xcalloc(ml->max, sizeof *ml->v);
	return (ml);
}

/* Free the log and its texts. NULL is a no-op. */
void
msglog_free(struct msglog *ml)
{
	size_t	i;

	if (ml == NULL)
		return;
	for (i = 0; i < ml->max; i++)
		free(ml->v[i].text);
	free(ml->v);
	free(ml);
}

/*
 * Add a message said at ts (ms); error marks a refusal or a fault. The
 * text is copied, sanitised, with new lines as spaces. An empty text is
 * not logged.
 */
void
msglog_add(struct msglog *ml, int64_t ts, int error, const char *text)
{
	struct msglog_entry	*e;

	if (ml == NULL || text == NULL || *text == '\0')
		return;
	if (ml->n < ml->max)
		e = &ml->v[(ml->head + ml->n++) % ml->max];
	else {
		e = &ml->v[ml->head];
		ml->head = (ml->head + 1) % ml->max;
		free(e->text);
	}
	e->ts = ts;
	e->error = error;
	e->text = sanitize_text(text, strlen(text), 0);
	ml->added++;
}

/* The i-th entry held, 0 the oldest, or NULL beyond the last. */
const struct msglog_entry *
msglog_get(const struct msglog *ml, size_t i)
{
	if (ml == NULL || i >= ml->n)
		return (NULL);
	return (&ml->v[(ml->head + i) % ml->max]);
}

/*
 * Add text to b in lines of at most width columns (0: one line), cut at
 * spaces where there are some; lines after the first start with indent
 * spaces, so they line up under the first.
 */
static void
msglog_wrap(struct buf *b, const char *text, size_t width, size_t indent)
{
	size_t	fit, cut, i;

	while (*text != '\0') {
		if (width == 0 || utf8_width(text) <= width) {
			buf_adds(b, text);
			return;
		}
		fit = utf8_fit(text, width);
		cut = fit;
		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = fit > 0 ? fit : 1;
		buf_add(b, text, cut);
		text += cut;
		while (*text == ' ')
			text++;
		if (*text == '\0')
			return;
		buf_addc(b, '\n');
		for (i = 0; i < indent; i++)
			buf_addc(b, ' ');
	}
}

/* 1 when text starts with a mark of failure already ("✗", "FAILED:"). */
static int
msglog_marked(const char *text)
{
	return (strncmp(text, "✗", strlen("✗")) == 0 ||
	    strncmp(text, "FAILED:", 7) == 0);
}

/*
 * The log as text, one message a line, the newest first (what an officer
 * opens it for): "10:42:07 text", an error marked "✗ " ("x " in ASCII)
 * unless its text says so already, each wrapped to cols columns (0: not
 * wrapped), the lines after the first under its text. Returns an
 * allocated string (caller frees); "" when the log is empty.
 */
char *
msglog_text(const struct msglog *ml, int utc_offset_min, int ascii,
    size_t cols)
{
	const struct msglog_entry	*e;
	struct buf			 b = BUF_INIT;
	char				 hms[16];
	size_t				 i, indent;

	for (i = ml != NULL ? ml->n : 0; i > 0; i--) {
		e = msglog_get(ml, i - 1);
		clock_hms(e->ts, utc_offset_min, hms, sizeof hms);
		buf_printf(&b, "%s ", hms);
		indent = strlen(hms) + 1;
		if (e->error && !msglog_marked(e->text)) {
			buf_adds(&b, ascii ? "x " : "✗ ");
			indent += 2;
		}
		msglog_wrap(&b, e->text, cols > indent + 10 ? cols - indent :
		    0, indent);
		buf_addc(&b, '\n');
	}
	return (buf_detach(&b));
}
