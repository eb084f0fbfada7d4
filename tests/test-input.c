/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Tests for console/input.c and the prompt's y/n question: keys in
 * bursts, as one read of the terminal gives them, through the real
 * prompt (readline) and key tables, on a layout without a terminal.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "cmd.h"
#include "input.h"
#include "layout.h"
#include "log.h"
#include "panel.h"
#include "prompt.h"
#include "store.h"
#include "xmalloc.h"

#define REC_MAX	16

static struct {
	struct store	*store;
	struct layout	*layout;
	struct cmd_ctx	 ctx;
	char		*sent[REC_MAX];		/* "cmd id". */
	int		 nsent;
	char		*message;
	int		 quit;
	char		 dir[64];
} t;

static int
rec_online(void *arg)
{
	(void)arg;
	return (1);
}

static int
rec_send(void *arg, const char *cmd, json_t *args, const char *summary,
    char **cause)
{
	(void)arg;
	(void)cmd;
	json_decref(args);
	if (t.nsent == REC_MAX) {
		*cause = xstrdup("full");
		return (-1);
	}
	t.sent[t.nsent++] = xstrdup(summary);
	return (0);
}

static void
rec_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	free(t.message);
	t.message = xstrdup(text);
}

static void
rec_prompt(void *arg, const char *text)
{
	(void)arg;
	prompt_open(text);
}

static void
rec_confirm(void *arg, const char *question, const char *line)
{
	(void)arg;
	prompt_ask(question, line);
}

static void
rec_quit(void *arg)
{
	(void)arg;
	t.quit++;
}

static const struct cmd_ops rec_ops = {
	.online = rec_online,
	.send = rec_send,
	.message = rec_message,
	.prompt = rec_prompt,
	.confirm = rec_confirm,
	.quit = rec_quit
};

static void
put_alert(const char *id, int severity, int64_t created)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.area, sizeof a.area, "HL");
	a.kind = ALERT_FIRE;
	a.severity = severity;
	a.title = xstrdup("Cháy chợ");
	a.created = created;
	a.version = 1;
	store_put_alert(t.store, &a);
}

static int
setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof t);
	snprintf(t.dir, sizeof t.dir, "/tmp/test-input.XXXXXX");
	if (mkdtemp(t.dir) == NULL)
		return (-1);
	setenv("XDG_STATE_HOME", t.dir, 1);
	t.store = store_new();
	store_add_area(t.store, "HL", "Hạ Long");
	put_alert("A-1", 4, 1000);	/* Critical: close asks first. */
	put_alert("A-2", 2, 2000);
	t.layout = layout_create(t.store);
	cmd_ctx_init(&t.ctx, t.store, &rec_ops, NULL);
	t.ctx.layout = t.layout;
	input_init(t.layout, &t.ctx);
	prompt_init(t.layout, &t.ctx, t.store);
	return (0);
}

static int
teardown(void **state)
{
	char	path[128];
	int	i;

	(void)state;
	prompt_free();
	input_free();
	for (i = 0; i < t.nsent; i++)
		free(t.sent[i]);
	free(t.message);
	cmd_ctx_clear(&t.ctx);
	layout_free(t.layout);
	store_free(t.store);
	snprintf(path, sizeof path, "%s/trucban/history", t.dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/trucban", t.dir);
	rmdir(path);
	rmdir(t.dir);
	unsetenv("XDG_STATE_HOME");
	return (0);
}

/* A burst: the bytes of s as characters, and the keys of keys[]. */
struct burst {
	const char	*s;
	const int	*keys;
	size_t		 nkeys, i;
};

static int
burst_next(void *arg, struct input_ev *ev)
{
	struct burst	*b = arg;
	size_t		 len = b->s != NULL ? strlen(b->s) : 0;

	if (b->i < len) {
		ev->fkey = 0;
		ev->wc = (unsigned char)b->s[b->i++];
		return (1);
	}
	if (b->i - len < b->nkeys) {
		ev->wc = (wint_t)b->keys[b->i++ - len];
		ev->fkey = ev->wc >= KEY_MIN;
		return (1);
	}
	return (0);
}

/* Type s as one burst (what one read of the terminal gives). */
static int
type(const char *s)
{
	struct burst	b = { s, NULL, 0, 0 };

	return (input_burst(burst_next, &b));
}

/* Keys (characters or KEY_* codes) as one burst. */
static int
press(const int *keys, size_t n)
{
	struct burst	b = { NULL, keys, n, 0 };

	return (input_burst(burst_next, &b));
}

/*
 * Test functions:
 *   input_burst, prompt_ask, prompt_key (while a question is open, only
 *   its answers count: text typed on never runs as panel keys)
 */
static void
test_type_ahead(void **state)
{
	struct panel	*p = layout_focused(t.layout);

	(void)state;
	assert_string_equal(panel_selected(p), "A-1");
	assert_int_equal(cmd_run(&t.ctx, "close A-1 fa camera"), CMD_ASKED);
	assert_true(prompt_asking());
	/* a ack, e escalate, r resolve, m mute, c, d, :, q: nothing. */
	assert_int_equal(type("caermdsq:?/zj"), 13);
	assert_int_equal(type("camera"), 6);
	assert_int_equal(t.nsent, 0);
	assert_true(prompt_asking());
	assert_int_equal(t.quit, 0);
	assert_false(t.layout->zoom);
	assert_string_equal(panel_selected(p), "A-1");
	/* Esc answers no. */
	assert_int_equal(press((const int []){ 27 }, 1), 1);
	assert_false(prompt_asking());
	assert_false(prompt_active());
	assert_string_equal(t.message, "Not done: close A-1 fa camera");
	assert_int_equal(t.nsent, 0);

	/* Enter is no too; n is no; y is yes. */
	cmd_run(&t.ctx, "close A-1 fa camera");
	type("\r");
	assert_false(prompt_asking());
	assert_int_equal(t.nsent, 0);
	cmd_run(&t.ctx, "close A-1 fa camera");
	press((const int []){ KEY_ENTER, KEY_DOWN }, 2);
	assert_false(prompt_asking());
	assert_string_equal(panel_selected(p), "A-1");
	cmd_run(&t.ctx, "close A-1 fa camera");
	type("N");
	assert_false(prompt_asking());
	assert_int_equal(t.nsent, 0);
	cmd_run(&t.ctx, "close A-1 fa camera");
	press((const int []){ KEY_UP, KEY_F(1) }, 2);
	assert_true(prompt_asking());
	type("y");
	assert_false(prompt_asking());
	assert_int_equal(t.nsent, 1);
	assert_string_equal(t.sent[0], "close A-1 false_alarm");
}

/*
 * Test functions:
 *   input_burst (keys that come with those that open or answer a
 *   question are dropped)
 */
static void
test_burst_question(void **state)
{
	(void)state;
	/* The command line, the question and a "y" typed ahead in one
	 * burst: the "y" was typed before the question showed. */
	assert_int_equal(type(":close A-1 fa camera\ry"), 22);
	assert_true(prompt_asking());
	assert_false(prompt_active() && !prompt_asking());
	assert_int_equal(t.nsent, 0);
	/* The answer, and more keys with it: only the answer counts. */
	type("nam");
	assert_false(prompt_asking());
	assert_int_equal(t.nsent, 0);
	assert_string_equal(t.message, "Not done: close A-1 fa camera");
	/* In a later burst, keys act again. */
	type("a");
	assert_int_equal(t.nsent, 1);
	assert_string_equal(t.sent[0], "ack A-1");

	/* q asks; "qy" in one burst does not quit. */
	type("qy");
	assert_true(prompt_asking());
	assert_int_equal(t.quit, 0);
	type("y");
	assert_int_equal(t.quit, 1);
	assert_false(prompt_asking());
}

/*
 * Test functions:
 *   input_burst (ESC and a key in one burst: Esc then the key outside the
 *   command line, Alt+key in it)
 */
static void
test_esc_bunch(void **state)
{
	struct panel	*p = layout_focused(t.layout);

	(void)state;
	assert_int_equal(cmd_run(&t.ctx, "search chợ"), CMD_OK);
	assert_non_null(p->search);
	/* Esc clears the search, then a acknowledges. */
	assert_int_equal(type("\033a"), 2);
	assert_null(p->search);
	assert_int_equal(t.nsent, 1);
	assert_string_equal(t.sent[0], "ack A-1");
	/* Esc closes the detail, then j moves down. */
	type("\r");
	assert_true(p->flags & PANEL_DETAIL);
	type("\033j");
	assert_false(p->flags & PANEL_DETAIL);
	assert_string_equal(panel_selected(p), "A-2");
	/* Esc twice then a key. */
	type("\033\033k");
	assert_string_equal(panel_selected(p), "A-1");
	/* Esc and a function key. */
	type("\r");
	press((const int []){ 27, KEY_DOWN }, 2);
	assert_false(p->flags & PANEL_DETAIL);
	assert_string_equal(panel_selected(p), "A-2");

	/* In the command line ESC b is Alt-b (readline's backward-word): the
	 * line stays open; a lone ESC closes it. */
	type(":zoom on");
	assert_true(prompt_active());
	type("\033b");
	assert_true(prompt_active());
	press((const int []){ 27 }, 1);
	assert_false(prompt_active());
	assert_false(t.layout->zoom);
	/* ESC then Enter together: Alt-Enter does nothing; the line stays. */
	type(":zoom on");
	type("\033\r");
	assert_true(prompt_active());
	type("\r");
	assert_false(prompt_active());
	assert_true(t.layout->zoom);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_type_ahead, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_burst_question, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_esc_bunch, setup,
		    teardown),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
