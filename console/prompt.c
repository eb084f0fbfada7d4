/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The bottom line (y/n question, readline command line, hints), the overlay. */

#include "prompt.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include <curses.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "cmd.h"
#include "complete.h"
#include "dlog.h"
#include "draw.h"
#include "i18n.h"
#include "key.h"
#include "layout.h"
#include "log.h"
#include "outbox.h"
#include "sanitize.h"
#include "screen.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * GNU readline runs in callback mode and never touches the terminal
 * (technotes §4): ncurses owns termios and the screen, readline gets each
 * key as the bytes of one whole key (a UTF-8 character, or the escape
 * sequence readline binds for an arrow) through a small queue, and we
 * draw rl_display_prompt and rl_line_buffer ourselves. A finished line is
 * kept until readline has returned, then run through cmd_run(), so a
 * command may open the prompt again.
 *
 * A y/n question (prompt_ask(), for a command that asks first) takes the
 * bottom line and the keys until it is answered: y runs the command; n,
 * Esc, Ctrl-C and Enter (the default is no) drop it; every other key is
 * ignored, so text typed on while the question is open never runs as
 * panel keys. A command line open under it comes back after.
 *
 * The history is kept in $XDG_STATE_HOME/trucban/history: read at start,
 * each accepted line appended at once (a killed console loses none), cut
 * to PROMPT_HISTORY lines at the end. Completion comes from
 * console/complete.c; when the candidates share no more than what was
 * typed (a name matched without accents: "halong"), what was typed stays
 * and the candidates are listed on the message line.
 */

#define PROMPT_HISTORY	500

static struct layout	*prompt_layout;
static struct cmd_ctx	*prompt_cmd;
static struct store	*prompt_store;
static struct outbox	*prompt_outbox;		/* For the counts. */
static char		*prompt_history;	/* The history file. */
static WINDOW		*prompt_win;		/* The bottom line. */
static int		 prompt_lines, prompt_cols;
static int		 prompt_open_now;	/* Readline handler is in. */
static int		 prompt_dirty = 1;
static int		 prompt_cx;		/* Cursor column when open. */
static FILE		*prompt_null;

static char		*prompt_line;		/* Line just accepted. */
static int		 prompt_got_line;
static int		 prompt_discard;	/* Cancelling: drop the line. */

static char		*prompt_question;	/* The y/n question... */
static char		*prompt_question_cmd;	/* ...and what "y" runs. */

static unsigned char	 prompt_q[64];		/* Bytes for readline. */
static size_t		 prompt_qh, prompt_qt;

/* The overlay. */
static WINDOW		*pager_win;
static char		*pager_title;
static char		**pager_lines;
static int		 pager_n;
static int		 pager_top;		/* First line shown. */
static int		 pager_rows;		/* Lines that fit. */

static const struct {
	int		 key;
	const char	*seq;
} prompt_keys[] = {
	{ KEY_UP, "\033[A" },
	{ KEY_DOWN, "\033[B" },
	{ KEY_RIGHT, "\033[C" },
	{ KEY_LEFT, "\033[D" },
	{ KEY_HOME, "\033[H" },
	{ KEY_END, "\033[F" },
	{ KEY_DC, "\033[3~" },
	{ KEY_BACKSPACE, "\177" },
	{ KEY_ENTER, "\r" },
};

/* ==== Readline hooks ==== */

static int
prompt_getc(FILE *f)
{
	(void)f;
	return (prompt_qh < prompt_qt ? prompt_q[prompt_qh++] : EOF);
}

static int
prompt_input_available(void)
{
	return (prompt_qh < prompt_qt);
}

static void
prompt_redisplay(void)
{
	prompt_changed();
}

static void
prompt_on_line(char *line)
{
	if (prompt_discard)
		free(line);
	else {
		prompt_line = line;	/* NULL on Ctrl-D. */
		prompt_got_line = 1;
	}
	rl_callback_handler_remove();
	prompt_open_now = 0;
}

/*
 * End the open line without running it. Readline is given a newline to
 * accept, so it tears the line down itself (its undo lists, recalled
 * history lines); whatever it was in the middle of (a search, a numeric
 * argument, a key sequence) is cleaned up first.
 */
static void
prompt_discard_line(void)
{
	if (!prompt_open_now)
		return;
	rl_callback_sigcleanup();
	prompt_discard = 1;
	prompt_q[0] = '\n';
	prompt_qh = 0;
	prompt_qt = 1;
	while (prompt_open_now && prompt_qh < prompt_qt)
		rl_callback_read_char();
	prompt_qh = prompt_qt = 0;
	prompt_discard = 0;
	if (prompt_open_now) {		/* Newline rebound by an inputrc. */
		rl_callback_handler_remove();
		prompt_open_now = 0;
	}
}

static void
prompt_show_matches(char **matches, int n, int maxlen)
{
	char	buf[256];
	size_t	len;
	int	i;

	(void)maxlen;
	len = (size_t)snprintf(buf, sizeof buf, _("%d matches:"), n);
	for (i = 1; i <= n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, " %s",
		    matches[i]);
	/* A passing list: the log is for what was done and said. */
	layout_message_flags(prompt_layout, LAYOUT_MSG_NOLOG, 0, "%s", buf);
	screen_request();
}

static char **
prompt_complete(const char *text, int start, int end)
{
	char	**m, **out;
	size_t	  n, i, lcd;

	(void)end;
	rl_attempted_completion_over = 1;
	m = complete_line(prompt_store, rl_line_buffer, (size_t)start, text,
	    &n);
	/* Units left out, and why: said at once, not only on a second Tab. */
	if (*complete_why() != '\0') {
		layout_message_flags(prompt_layout, LAYOUT_MSG_NOLOG, 0, "%s",
		    complete_why());
		screen_request();
	}
	if (n == 0) {
		complete_free(m);
		return (NULL);
	}
	/* Readline wants the common prefix first, then the matches. */
	out = xcalloc(n + 2, sizeof *out);
	if (n == 1) {
		out[0] = m[0];
		free(m);
		return (out);
	}
	lcd = strlen(m[0]);
	for (i = 1; i < n; i++) {
		size_t	j = 0;

		while (j < lcd && m[i][j] == m[0][j])
			j++;
		lcd = j;
	}
	if (lcd < strlen(text) || strncasecmp(m[0], text, strlen(text)) != 0)
		out[0] = xstrdup(text);		/* Keep what was typed. */
	else
		out[0] = xstrndup(m[0], lcd);
	for (i = 0; i < n; i++)
		out[i + 1] = m[i];
	free(m);
	return (out);
}

/*
 * Tab: a name of several words ("assign PA-4 so g", complete_words_back())
 * completes as one argument: its only candidate replaces the words, and
 * several are listed with what each names; otherwise readline completes
 * the last word as usual.
 */
static int
prompt_tab(int count, int key)
{
	char		**m, buf[512];
	const char	 *name;
	size_t		  n, start, i;
	int		  len;

	m = complete_words_back(prompt_store, rl_line_buffer,
	    (size_t)rl_point, &start, &n);
	if (m == NULL)
		return (rl_complete(count, key));
	if (n == 1) {
		rl_begin_undo_group();
		rl_delete_text((int)start, rl_point);
		rl_point = (int)start;
		rl_insert_text(m[0]);
		rl_insert_text(" ");
		rl_end_undo_group();
	} else {
		len = snprintf(buf, sizeof buf, _("%d matches:"), (int)n);
		for (i = 0; i < n && len >= 0 && (size_t)len < sizeof buf;
		    i++) {
			name = complete_describe(prompt_store, m[i]);
			len += snprintf(buf + len, sizeof buf - (size_t)len,
			    "%s %s%s%s%s", i > 0 ? " ·" : "", m[i],
			    name != NULL ? " (" : "", name != NULL ? name : "",
			    name != NULL ? ")" : "");
		}
		layout_message(prompt_layout, 0, "%s", buf);
		screen_request();
	}
	complete_free(m);
	return (0);
}

/*
 * Set up readline (before anything else calls it: the order matters) and
 * remember the layout, the command context and the store (all borrowed).
 */
void
prompt_init(struct layout *layout, struct cmd_ctx *ctx, struct store *s)
{
	char	*cause = NULL;

	prompt_layout = layout;
	prompt_cmd = ctx;
	prompt_store = s;

	rl_readline_name = "trucban";
	rl_change_environment = 0;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = prompt_getc;
	rl_input_available_hook = prompt_input_available;
	rl_redisplay_function = prompt_redisplay;
	rl_attempted_completion_function = prompt_complete;
	rl_completion_display_matches_hook = prompt_show_matches;
	rl_sort_completion_matches = 0;
	if ((prompt_null = fopen("/dev/null", "w")) == NULL)
		fatal("/dev/null");
	rl_outstream = prompt_null;
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_bind_key('\t', prompt_tab);
	/*
	 * Editing a recalled line must not change the history for good (and
	 * readline frees that line's undo list at the next newline, which it
	 * otherwise leaks when stifling drops the entry).
	 */
	rl_variable_bind("revert-all-at-newline", "on");
	/*
	 * M-C-m and M-C-j switch emacs mode to vi mode: a stray ESC before
	 * Enter would leave an officer in a mode nobody asked for (and vi
	 * motions cancelled half-way leave readline's callback state
	 * behind). They do nothing here; an inputrc may still choose vi
	 * mode with "set editing-mode vi".
	 */
	rl_unbind_key_in_map(CTRL('M'), emacs_meta_keymap);
	rl_unbind_key_in_map(CTRL('J'), emacs_meta_keymap);
	using_history();
	stifle_history(PROMPT_HISTORY);
	/*
	 * readline opens the file itself and follows links: check first
	 * that it is a private regular file of ours (or not there yet).
	 */
	if ((prompt_history = outbox_state_path("history")) != NULL &&
	    dlog_check_private(prompt_history, &cause) != 0) {
		log_warn("history %s: %s; not kept", prompt_history, cause);
		free(cause);
		free(prompt_history);
		prompt_history = NULL;
	}
	if (prompt_history != NULL &&
	    read_history(prompt_history) != 0 &&
	    write_history(prompt_history) != 0) {
		log_warn("history %s: cannot write it", prompt_history);
		free(prompt_history);
		prompt_history = NULL;
	}
}

/*
 * Show the outbox's counts (borrowed; NULL for none) on the hint line.
 */
void
prompt_set_outbox(struct outbox *ob)
{
	prompt_outbox = ob;
	prompt_changed();
}

/*
 * Release readline's state, the windows and the overlay.
 */
void
prompt_free(void)
{
	prompt_pager_close();
	free(prompt_question);
	prompt_question = NULL;
	free(prompt_question_cmd);
	prompt_question_cmd = NULL;
	prompt_discard_line();
	free(prompt_line);
	prompt_line = NULL;
	if (prompt_history != NULL &&
	    history_truncate_file(prompt_history, PROMPT_HISTORY) != 0)
		log_warn("history %s: cannot cut it", prompt_history);
	free(prompt_history);
	prompt_history = NULL;
	prompt_outbox = NULL;
	clear_history();
	if (prompt_win != NULL)
		delwin(prompt_win);
	prompt_win = NULL;
	if (prompt_null != NULL) {
		rl_outstream = NULL;
		fclose(prompt_null);
		prompt_null = NULL;
	}
}

/*
 * Put the bottom line at the last row of a lines x cols screen.
 */
void
prompt_resize(int lines, int cols)
{
	prompt_lines = lines;
	prompt_cols = cols;
	if (prompt_win != NULL)
		delwin(prompt_win);
	prompt_win = NULL;
	if (lines >= 1 && cols >= 1)
		prompt_win = newwin(1, cols, lines - 1, 0);
	if (pager_win != NULL) {
		delwin(pager_win);
		pager_win = NULL;
	}
	rl_set_screen_size(lines, cols);
	prompt_changed();
}

/*
 * 1 while the prompt takes the keys: a y/n question or the command line
 * is open.
 */
int
prompt_active(void)
{
	return (prompt_open_now || prompt_question != NULL);
}

/*
 * 1 while a y/n question waits for its answer.
 */
int
prompt_asking(void)
{
	return (prompt_question != NULL);
}

/*
 * Ask question (y/n) on the bottom line; on "y", run line with
 * cmd_run_confirmed(). Both are copied. Replaces a question pending
 * (its command is dropped).
 */
void
prompt_ask(const char *question, const char *line)
{
	free(prompt_question);
	free(prompt_question_cmd);
	prompt_question = xstrdup(question);
	prompt_question_cmd = xstrdup(line);
	prompt_changed();
}

/*
 * A key while the question is open: its answers close it, anything else
 * is ignored.
 */
static void
prompt_ask_key(int fkey, wint_t wc)
{
	char	*line;
	int	 yes;

	if (fkey && wc == KEY_ENTER)
		yes = 0;
	else if (fkey)
		return;
	else if (wc == 'y' || wc == 'Y')
		yes = 1;
	else if (wc == 'n' || wc == 'N' || wc == 27 || wc == 3 ||
	    wc == '\r' || wc == '\n')
		yes = 0;
	else
		return;
	line = prompt_question_cmd;
	prompt_question_cmd = NULL;
	free(prompt_question);
	prompt_question = NULL;
	prompt_changed();
	if (yes)
		cmd_run_confirmed(prompt_cmd, line);
	else
		cmd_print(prompt_cmd, _("Not done: %s"), line);
	free(line);
}

/*
 * Mark the bottom line for redrawing at the next frame.
 */
void
prompt_changed(void)
{
	prompt_dirty = 1;
	screen_request();
}

/*
 * Open the command line with text already typed. Does nothing if open.
 */
void
prompt_open(const char *text)
{
	if (prompt_open_now)
		return;
	prompt_open_now = 1;
	rl_callback_handler_install(":", prompt_on_line);
	if (text != NULL && *text != '\0') {
		rl_insert_text(text);
		rl_point = rl_end;
	}
	prompt_changed();
}

/*
 * Close the command line and forget what was typed.
 */
void
prompt_cancel(void)
{
	if (!prompt_open_now)
		return;
	prompt_discard_line();
	prompt_changed();
}

static void
prompt_feed(const char *bytes, size_t len)
{
	char	*line;

	if (len > sizeof prompt_q)
		return;
	memcpy(prompt_q, bytes, len);
	prompt_qh = 0;
	prompt_qt = len;
	while (prompt_open_now && prompt_qh < prompt_qt)
		rl_callback_read_char();
	prompt_qh = prompt_qt = 0;
	prompt_changed();
	if (prompt_got_line) {
		prompt_got_line = 0;
		line = prompt_line;
		prompt_line = NULL;
		if (line != NULL) {
			if (*line != '\0') {
				add_history(line);
				if (prompt_history != NULL &&
				    append_history(1, prompt_history) != 0)
					log_warn("history %s: cannot append",
					    prompt_history);
			}
			cmd_run(prompt_cmd, line);
			free(line);
		}
	}
}

/*
 * Give one key to the prompt: to the y/n question if one is open, else to
 * the command line. fkey says wc is a KEY_* code; meta that it came after
 * ESC. In the command line, bare ESC and Ctrl-C close it.
 */
void
prompt_key(int fkey, wint_t wc, int meta)
{
	char		buf[MB_LEN_MAX + 2];
	mbstate_t	mbs;
	size_t		i, n;

	if (prompt_question != NULL) {
		prompt_ask_key(fkey, wc);
		return;
	}
	if (!prompt_open_now)
		return;
	if (fkey) {
		for (i = 0; i < sizeof prompt_keys / sizeof prompt_keys[0];
		    i++) {
			if (prompt_keys[i].key == (int)wc) {
				prompt_feed(prompt_keys[i].seq,
				    strlen(prompt_keys[i].seq));
				return;
			}
		}
		return;
	}
	if (!meta && (wc == 27 || wc == 3)) {
		prompt_cancel();
		return;
	}
	n = 0;
	if (meta)
		buf[n++] = '\033';
	memset(&mbs, 0, sizeof mbs);
	i = wcrtomb(buf + n, (wchar_t)wc, &mbs);
	if (i == (size_t)-1)
		return;
	prompt_feed(buf, n + i);
}

/* ==== Drawing ==== */

/*
 * Draw s (the prompt and the line) so the cursor (at byte cur) is on
 * screen; remember its column. C0 controls and DEL show as ^X; every
 * other character is drawn as draw_text() would (draw_glyph()), so bidi
 * controls, zero-width characters and C1 controls typed, pasted or
 * recalled from the history are not drawn (the line keeps them), and
 * columns are those ncurses counts.
 */
static void
prompt_draw_line(WINDOW *w, const char *s, size_t cur)
{
	wchar_t		*ws;
	int		*col;
	size_t		 len = strlen(s), off = 0, n = 0, i;
	mbstate_t	 mbs;
	int		 c = 0, cx = -1, start, width, wc_w;
	wchar_t		 wc;
	uint32_t	 cp;
	size_t		 r;

	ws = xcalloc(2 * len + 2, sizeof *ws);
	col = xcalloc(2 * len + 2, sizeof *col);
	memset(&mbs, 0, sizeof mbs);
	while (off < len) {
		if (off >= cur && cx < 0)
			cx = c;
		r = mbrtowc(&wc, s + off, len - off, &mbs);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&mbs, 0, sizeof mbs);
			wc = L'?';
			r = 1;
		}
		off += r;
		if (wc < 32 || wc == 127) {
			col[n] = c;
			ws[n++] = L'^';
			col[n] = c + 1;
			ws[n++] = wc == 127 ? L'?' : (wchar_t)(wc + 64);
			c += 2;
			continue;
		}
		cp = (uint32_t)wc;
		if ((wc_w = draw_glyph(&cp, n > 0)) < 0)
			continue;
		col[n] = c;
		ws[n++] = (wchar_t)cp;
		c += wc_w;
	}
	if (cx < 0)
		cx = c;
	width = getmaxx(w);
	start = 0;
	if (cx >= width)
		start = cx - width + 1;
	wmove(w, 0, 0);
	for (i = 0; i < n; i++) {
		wc_w = i + 1 < n ? col[i + 1] - col[i] : c - col[i];
		if (col[i] < start)
			continue;
		if (col[i] - start + wc_w > width)
			break;
		waddnwstr(w, &ws[i], 1);
	}
	prompt_cx = cx - start;
	free(ws);
	free(col);
}

static void
prompt_draw_pager(void)
{
	int	h, w, maxw = 0, i, y, x, ascii = prompt_layout->view.ascii;

	if (pager_lines == NULL)
		return;
	for (i = 0; i < pager_n; i++) {
		if (draw_width(pager_lines[i], ascii) > maxw)
			maxw = draw_width(pager_lines[i], ascii);
	}
	if (draw_width(pager_title, ascii) + 4 > maxw)
		maxw = draw_width(pager_title, ascii) + 4;
	h = pager_n + 2;
	w = maxw + 4;
	if (h > prompt_lines - 1)
		h = prompt_lines - 1;
	if (w > prompt_cols)
		w = prompt_cols;
	if (h < 3 || w < 8)
		return;
	if (pager_win == NULL) {
		y = (prompt_lines - 1 - h) / 2;
		x = (prompt_cols - w) / 2;
		if ((pager_win = newwin(h, w, y, x)) == NULL)
			return;
	}
	werase(pager_win);
	draw_box(pager_win, theme_attr(THEME_BORDER_FOCUS), ascii);
	draw_text(pager_win, 0, 1, w - 2, pager_title,
	    theme_attr(THEME_TITLE), 0, ascii);
	pager_rows = h - 2;
	if (pager_top > pager_n - pager_rows)
		pager_top = pager_n - pager_rows;
	if (pager_top < 0)
		pager_top = 0;
	for (i = 0; pager_top + i < pager_n && i < h - 2; i++)
		draw_text(pager_win, 1 + i, 2, w - 4,
		    pager_lines[pager_top + i], theme_attr(THEME_NORMAL),
		    DRAW_ELLIPSIS, ascii);
	if (pager_top + pager_rows < pager_n)
		draw_text(pager_win, h - 1, 2, w - 4, _("(more: Space, j, "
		    "PgDn)"), theme_attr(THEME_MUTED), 0, ascii);
	touchwin(pager_win);
	wnoutrefresh(pager_win);
}

/* The key hints, after what the outbox holds. Caller frees. */
static char *
prompt_hint(void)
{
	char	*keys = key_hint_text(), *out;
	size_t	 sent, queued;

	if (prompt_outbox == NULL || prompt_outbox->n == 0)
		return (keys);
	sent = outbox_count(prompt_outbox, OUTBOX_SENT);
	queued = outbox_count(prompt_outbox, OUTBOX_QUEUED);
	if (queued > 0 && sent > 0)
		xasprintf(&out, _("%s%zu waiting, %zu queued  %s"),
		    prompt_layout->view.ascii ? "..." : "⧗", sent, queued,
		    keys);
	else if (queued > 0)
		xasprintf(&out, _("%s%zu queued  %s"),
		    prompt_layout->view.ascii ? "..." : "⧗", queued, keys);
	else
		xasprintf(&out, _("%s%zu waiting  %s"),
		    prompt_layout->view.ascii ? "..." : "⧗", sent, keys);
	free(keys);
	return (out);
}

/*
 * Draw the bottom line if it changed, and the overlay if one is open (with
 * wnoutrefresh; the frame calls doupdate).
 */
void
prompt_draw(void)
{
	char	*s;

	if (prompt_win != NULL && prompt_dirty) {
		prompt_dirty = 0;
		werase(prompt_win);
		if (prompt_question != NULL) {
			draw_text(prompt_win, 0, 0, prompt_cols - 1,
			    prompt_question, theme_attr(THEME_PROMPT_QUESTION),
			    0, prompt_layout->view.ascii);
		} else if (prompt_open_now) {
			wattrset(prompt_win, theme_attr(THEME_NORMAL));
			xasprintf(&s, "%s%s", rl_display_prompt != NULL ?
			    rl_display_prompt : ":", rl_line_buffer != NULL ?
			    rl_line_buffer : "");
			prompt_draw_line(prompt_win, s, strlen(
			    rl_display_prompt != NULL ? rl_display_prompt :
			    ":") + (size_t)rl_point);
			free(s);
		} else {
			s = prompt_hint();
			draw_text(prompt_win, 0, 0, prompt_cols - 1, s,
			    theme_attr(THEME_MUTED), 0,
			    prompt_layout->view.ascii);
			free(s);
		}
		wattrset(prompt_win, A_NORMAL);
		wnoutrefresh(prompt_win);
	}
	prompt_draw_pager();
}

/*
 * Put the terminal cursor in the command line or after the question.
 * Returns 1 if it did, 0 if the layout should place it.
 */
int
prompt_place_cursor(void)
{
	int	x;

	if (prompt_win == NULL)
		return (0);
	if (prompt_question != NULL) {
		x = draw_width(prompt_question, prompt_layout->view.ascii) + 1;
		wmove(prompt_win, 0, x < prompt_cols - 1 ? x : prompt_cols - 1);
		wnoutrefresh(prompt_win);
		return (1);
	}
	if (prompt_open_now) {
		wmove(prompt_win, 0, prompt_cx);
		wnoutrefresh(prompt_win);
		return (1);
	}
	return (0);
}

/* ==== The overlay ==== */

/*
 * Show text (lines separated by '\n') in a box over the panels until the
 * next key. Copies title and text.
 */
void
prompt_pager(const char *title, const char *text)
{
	const char	*p, *nl;

	prompt_pager_close();
	xasprintf(&pager_title, " %s ", title);
	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		pager_lines = xreallocarray(pager_lines, pager_n + 1,
		    sizeof *pager_lines);
		pager_lines[pager_n++] = sanitize_text(p, (size_t)(nl - p),
		    0);
		if (*nl == '\0')
			break;
	}
	screen_request();
}

/*
 * A key for the open overlay: Space, PgDn, j and Down scroll on, PgUp,
 * k, Up and b back, g and G to the ends. Returns 1 if it scrolled (or
 * was at the end already and scrolling on), 0 for any other key, which
 * should close it.
 */
int
prompt_pager_key(int fkey, wint_t wc)
{
	int	old = pager_top, page = pager_rows > 1 ? pager_rows - 1 : 1;

	if (pager_title == NULL)
		return (0);
	if ((fkey && wc == KEY_NPAGE) || (!fkey && wc == ' '))
		pager_top += page;
	else if ((fkey && wc == KEY_PPAGE) || (!fkey && wc == 'b'))
		pager_top -= page;
	else if ((fkey && wc == KEY_DOWN) || (!fkey && wc == 'j'))
		pager_top++;
	else if ((fkey && wc == KEY_UP) || (!fkey && wc == 'k'))
		pager_top--;
	else if ((fkey && wc == KEY_HOME) || (!fkey && wc == 'g'))
		pager_top = 0;
	else if ((fkey && wc == KEY_END) || (!fkey && wc == 'G'))
		pager_top = pager_n;
	else
		return (0);
	/* Space at the end closes, as in a pager. */
	if (!fkey && wc == ' ' && old + pager_rows >= pager_n)
		return (0);
	screen_request();
	return (1);
}

/*
 * 1 while the overlay is shown.
 */
int
prompt_pager_active(void)
{
	return (pager_title != NULL);
}

/*
 * Close the overlay and have the panels under it drawn again.
 */
void
prompt_pager_close(void)
{
	int	i;

	if (pager_title == NULL)
		return;
	for (i = 0; i < pager_n; i++)
		free(pager_lines[i]);
	free(pager_lines);
	pager_lines = NULL;
	pager_n = 0;
	pager_top = 0;
	free(pager_title);
	pager_title = NULL;
	if (pager_win != NULL) {
		delwin(pager_win);
		pager_win = NULL;
	}
	screen_touch();
}
