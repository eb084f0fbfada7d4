/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/cmd.c: finding, parsing, checks, commands, completion. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "input.h"
#include "log.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/* What the commands did, recorded by the fake cmd_ops. */
struct rec {
	int	 online;
	int	 fail_send;
	int	 nsent;
	char	*sent[8];		/* {"args":..,"cmd":..}, compact. */
	char	*summary[8];
	char	*message;
	int	 error;
	char	*pager;
	char	*prompt;
	int	 quit, redraw, digest;
};

static int
rec_online(void *arg)
{
	return (((struct rec *)arg)->online);
}

static int
rec_send(void *arg, const char *cmd, json_t *args, const char *summary,
    char **cause)
{
	struct rec	*r = arg;
	json_t		*o;

	if (r->fail_send) {
		json_decref(args);
		*cause = xstrdup("send failed");
		return (-1);
	}
	o = json_pack("{s:s s:o}", "cmd", cmd, "args", args);
	r->sent[r->nsent] = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	r->summary[r->nsent++] = xstrdup(summary);
	json_decref(o);
	return (0);
}

static int
rec_digest(void *arg, char **cause)
{
	(void)cause;
	((struct rec *)arg)->digest++;
	return (0);
}

static void
rec_message(void *arg, int error, const char *text)
{
	struct rec	*r = arg;

	free(r->message);
	r->message = xstrdup(text);
	r->error = error;
}

static void
rec_pager(void *arg, const char *title, const char *text)
{
	struct rec	*r = arg;

	(void)title;
	free(r->pager);
	r->pager = xstrdup(text);
}

static void
rec_prompt(void *arg, const char *text)
{
	struct rec	*r = arg;

	free(r->prompt);
	r->prompt = xstrdup(text);
}

static void
rec_quit(void *arg)
{
	((struct rec *)arg)->quit++;
}

static void
rec_redraw(void *arg)
{
	((struct rec *)arg)->redraw++;
}

static const struct cmd_ops rec_ops = {
	.online = rec_online,
	.send = rec_send,
	.digest = rec_digest,
	.message = rec_message,
	.pager = rec_pager,
	.prompt = rec_prompt,
	.redraw = rec_redraw,
	.quit = rec_quit
};

struct fixture {
	struct store	*store;
	struct rec	 rec;
	struct cmd_ctx	 ctx;
};

static void
put_alert(struct store *s, const char *id, enum alert_state state,
    uint32_t version)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	strcpy(a.id, id);
	a.kind = ALERT_FLOOD;
	a.severity = 3;
	strcpy(a.area, "HL");
	a.title = xstrdup("Ngập úng");
	a.state = state;
	a.version = version;
	store_put_alert(s, &a);
}

static void
put_unit(struct store *s, const char *id, enum unit_status status)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	strcpy(u.id, id);
	u.type = UNIT_RESCUE;
	strcpy(u.area, "HL");
	u.name = xstrdup("Cứu hộ");
	u.status = status;
	u.version = 1;
	store_put_unit(s, &u);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->store = store_new();
	put_alert(f->store, "A-1", ALERT_NEW, 3);
	put_alert(f->store, "A-2", ALERT_NEW, 5);
	put_alert(f->store, "A-3", ALERT_RESOLVED, 9);
	put_alert(f->store, "B-4", ALERT_ACKNOWLEDGED, 2);
	put_unit(f->store, "U-1", UNIT_AVAILABLE);
	put_unit(f->store, "U-2", UNIT_AVAILABLE);
	put_unit(f->store, "U-3", UNIT_ON_SCENE);
	f->rec.online = 1;
	f->ctx.store = f->store;
	f->ctx.ops = &rec_ops;
	f->ctx.arg = &f->rec;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	for (i = 0; i < f->rec.nsent; i++) {
		free(f->rec.sent[i]);
		free(f->rec.summary[i]);
	}
	free(f->rec.message);
	free(f->rec.pager);
	free(f->rec.prompt);
	store_free(f->store);
	free(f);
	return (0);
}

/*
 * Test functions:
 *   cmd_find
 */
static void
test_cmd_find(void **state)
{
	const struct cmd_entry	*ce;
	char			*cause = NULL;

	(void)state;
	ce = cmd_find("ack", NULL);
	assert_non_null(ce);
	assert_string_equal(ce->name, "ack");
	/* Aliases: Vietnamese without diacritics. */
	assert_string_equal(cmd_find("xn", NULL)->name, "ack");
	assert_string_equal(cmd_find("dieu", NULL)->name, "dispatch");
	assert_string_equal(cmd_find("thoat", NULL)->name, "quit");
	assert_string_equal(cmd_find("trogiup", NULL)->name, "help");
	/* Unique prefixes. */
	assert_string_equal(cmd_find("dis", NULL)->name, "dispatch");
	assert_string_equal(cmd_find("dig", NULL)->name, "digest");
	assert_string_equal(cmd_find("q", NULL)->name, "quit");
	assert_string_equal(cmd_find("h", NULL)->name, "help");

	assert_null(cmd_find("di", &cause));
	assert_string_equal(cause, "ambiguous: digest, dispatch");
	free(cause);
	assert_null(cmd_find("zzz", &cause));
	assert_non_null(strstr(cause, "unknown command: zzz"));
	free(cause);
	assert_null(cmd_find("", &cause));
	free(cause);
	/* Longer than the name is no prefix. */
	assert_null(cmd_find("acknowledge", NULL));
}

/*
 * Test functions:
 *   cmd_table
 */
static void
test_cmd_table_sorted(void **state)
{
	int	i;

	(void)state;
	for (i = 1; cmd_table[i] != NULL; i++)
		assert_true(strcmp(cmd_table[i - 1]->name,
		    cmd_table[i]->name) < 0);
	for (i = 0; cmd_table[i] != NULL; i++) {
		assert_non_null(cmd_table[i]->help);
		assert_non_null(cmd_table[i]->usage);
		assert_non_null(cmd_table[i]->exec);
	}
}

/*
 * Test functions:
 *   cmd_tokenize, cmd_args_free, cmd_quote
 */
static void
test_cmd_tokenize(void **state)
{
	struct cmd_args	 args;
	char		*cause = NULL, *q;

	(void)state;
	assert_int_equal(cmd_tokenize("  ack\tA-1   A-2 ", &args, &cause),
	    0);
	assert_int_equal(args.argc, 3);
	assert_string_equal(args.argv[0], "ack");
	assert_string_equal(args.argv[2], "A-2");
	assert_null(args.argv[3]);
	cmd_args_free(&args);

	assert_int_equal(cmd_tokenize("note A-1 \"Hạ Long \\\"bridge\\\"\" "
	    "'a\\b' x\"y z\"", &args, &cause), 0);
	assert_int_equal(args.argc, 5);
	assert_string_equal(args.argv[2], "Hạ Long \"bridge\"");
	assert_string_equal(args.argv[3], "a\\b");
	assert_string_equal(args.argv[4], "xy z");
	cmd_args_free(&args);

	assert_int_equal(cmd_tokenize("", &args, &cause), 0);
	assert_int_equal(args.argc, 0);
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("\"\"", &args, &cause), 0);
	assert_int_equal(args.argc, 1);
	assert_string_equal(args.argv[0], "");
	cmd_args_free(&args);

	assert_int_equal(cmd_tokenize("ack \"A-1", &args, &cause), -1);
	assert_string_equal(cause, "missing closing \"");
	assert_null(args.argv);
	free(cause);
	assert_int_equal(cmd_tokenize("ack 'A-1", &args, NULL), -1);

	q = cmd_quote("dispatch A-1 ");
	assert_string_equal(q, "\"dispatch A-1 \"");
	assert_int_equal(cmd_tokenize(q, &args, NULL), 0);
	assert_int_equal(args.argc, 1);
	assert_string_equal(args.argv[0], "dispatch A-1 ");
	cmd_args_free(&args);
	free(q);
	q = cmd_quote("plain");
	assert_string_equal(q, "plain");
	free(q);
}

/*
 * Test functions:
 *   cmd_tokenize
 */
static void
test_cmd_tokenize_limit(void **state)
{
	struct cmd_args	 args;
	char		*line = xstrdup(""), *tmp, *cause = NULL;
	int		 i;

	(void)state;
	for (i = 0; i < CMD_MAX_WORDS + 1; i++) {
		xasprintf(&tmp, "%s w%d", line, i);
		free(line);
		line = tmp;
	}
	assert_int_equal(cmd_tokenize(line, &args, &cause), -1);
	assert_non_null(strstr(cause, "too many words"));
	free(cause);
	free(line);
}

/*
 * Test functions:
 *   cmd_run (arity, unknown, ambiguous)
 */
static void
test_cmd_run_arity(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "ack"), CMD_ERROR);
	assert_true(f->rec.error);
	assert_string_equal(f->rec.message,
	    "usage: ack ID [ID...] (see: help ack)");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-1"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "usage: dispatch ID UNIT [UNIT...] (see: help dispatch)");
	assert_int_equal(cmd_run(&f->ctx, "quit now"), CMD_ERROR);
	assert_string_equal(f->rec.message, "usage: quit (see: help quit)");
	assert_int_equal(f->rec.quit, 0);
	assert_int_equal(cmd_run(&f->ctx, "di A-1"), CMD_ERROR);
	assert_string_equal(f->rec.message, "ambiguous: digest, dispatch");
	assert_int_equal(cmd_run(&f->ctx, "frobnicate"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "unknown command"));
	assert_int_equal(cmd_run(&f->ctx, "ack \"A-1"), CMD_ERROR);
	assert_int_equal(f->rec.nsent, 0);
	assert_int_equal(cmd_run(&f->ctx, "   "), CMD_OK);
}

/*
 * Test functions:
 *   cmd_run (CMD_NEEDCONN)
 */
static void
test_cmd_run_offline(void **state)
{
	struct fixture	*f = *state;

	f->rec.online = 0;
	assert_int_equal(cmd_run(&f->ctx, "ack A-1"), CMD_ERROR);
	assert_true(f->rec.error);
	assert_non_null(strstr(f->rec.message, "offline"));
	assert_int_equal(f->rec.nsent, 0);
	/* Console commands work offline. */
	assert_int_equal(cmd_run(&f->ctx, "thoat"), CMD_OK);
	assert_int_equal(f->rec.quit, 1);
}

/*
 * Test functions:
 *   cmd_run, ack (one command per id, with the versions held)
 */
static void
test_cmd_ack_many(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-2"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 2);
	assert_string_equal(f->rec.sent[0],
	    "{\"args\":{\"alert\":\"A-1\",\"version\":3},\"cmd\":\"ack\"}");
	assert_string_equal(f->rec.sent[1],
	    "{\"args\":{\"alert\":\"A-2\",\"version\":5},\"cmd\":\"ack\"}");
	assert_string_equal(f->rec.summary[0], "ack A-1");
	assert_string_equal(f->rec.summary[1], "ack A-2");
	assert_false(f->rec.error);

	/* The alias, and an unknown id among known ones. */
	assert_int_equal(cmd_run(&f->ctx, "xn A-9 A-1"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 3);
	assert_true(f->rec.error);
	assert_string_equal(f->rec.message,
	    "ack: no such alert: A-9 (1 other sent)");

	assert_int_equal(cmd_run(&f->ctx, "ack 'A 1'"), CMD_ERROR);
	assert_string_equal(f->rec.message, "ack: not an alert id: A 1");
	assert_int_equal(f->rec.nsent, 3);

	f->rec.fail_send = 1;
	assert_int_equal(cmd_run(&f->ctx, "ack A-2"), CMD_ERROR);
	assert_string_equal(f->rec.message, "ack: send failed");
}

/*
 * Test functions:
 *   cmd_run, dispatch
 */
static void
test_cmd_dispatch(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "dieu A-2 U-1 U-2"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 1);
	assert_string_equal(f->rec.sent[0], "{\"args\":{\"alert\":\"A-2\","
	    "\"units\":[\"U-1\",\"U-2\"],\"version\":5},"
	    "\"cmd\":\"dispatch\"}");
	assert_string_equal(f->rec.summary[0], "dispatch A-2 U-1 U-2");

	assert_int_equal(cmd_run(&f->ctx, "dispatch A-2 U-1 U-1"),
	    CMD_ERROR);
	assert_string_equal(f->rec.message, "dispatch: U-1 given twice");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-2 U-7"), CMD_ERROR);
	assert_string_equal(f->rec.message, "dispatch: no such unit: U-7");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-7 U-1"), CMD_ERROR);
	assert_string_equal(f->rec.message, "dispatch: no such alert: A-7");
	assert_int_equal(cmd_run(&f->ctx,
	    "dispatch A-2 U-1 U-2 U-3 U-4 U-5 U-6 U-7 U-8 U-9"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "usage: dispatch"));
	assert_int_equal(f->rec.nsent, 1);
}

/*
 * Test functions:
 *   cmd_run (help, keys, prompt, redraw, digest), cmd_help_text,
 *   input_help_text
 */
static void
test_cmd_console(void **state)
{
	struct fixture		*f = *state;
	const struct cmd_entry	*const *cep;

	assert_int_equal(cmd_run(&f->ctx, "help"), CMD_OK);
	for (cep = cmd_table; *cep != NULL; cep++) {
		assert_non_null(strstr(f->rec.pager, (*cep)->name));
		assert_non_null(strstr(f->rec.pager, (*cep)->help));
	}
	assert_int_equal(cmd_run(&f->ctx, "help dis"), CMD_OK);
	assert_non_null(strstr(f->rec.message, "dispatch ID UNIT"));
	assert_int_equal(cmd_run(&f->ctx, "help nope"), CMD_ERROR);

	assert_int_equal(cmd_run(&f->ctx, "keys"), CMD_OK);
	assert_non_null(strstr(f->rec.pager, "Acknowledge the selected"));
	assert_non_null(strstr(f->rec.pager, "C-l"));

	assert_int_equal(cmd_run(&f->ctx, "prompt \"dispatch A-1 \""),
	    CMD_OK);
	assert_string_equal(f->rec.prompt, "dispatch A-1 ");
	assert_int_equal(cmd_run(&f->ctx, "redraw"), CMD_OK);
	assert_int_equal(f->rec.redraw, 1);
	assert_int_equal(cmd_run(&f->ctx, "digest"), CMD_WAIT);
	assert_int_equal(f->rec.digest, 1);
}

/*
 * Test functions:
 *   input_key_parse, input_bindings
 */
static void
test_input_bindings(void **state)
{
	const struct input_binding	*b;
	struct cmd_args			 args;

	(void)state;
	assert_int_equal(input_key_parse("a"), 'a');
	assert_int_equal(input_key_parse("C-l"), 12);
	assert_int_equal(input_key_parse("C-c"), 3);
	assert_int_equal(input_key_parse("Enter"), '\r');
	assert_int_equal(input_key_parse("nope"), -1);
	/* Every binding has a key we know and runs a command we know. */
	for (b = input_bindings; b->table != NULL; b++) {
		assert_int_not_equal(input_key_parse(b->key), -1);
		assert_int_equal(cmd_tokenize(b->command, &args, NULL), 0);
		assert_non_null(cmd_find(args.argv[0], NULL));
		cmd_args_free(&args);
	}
}

/*
 * Test functions:
 *   cmd_complete, cmd_complete_free
 */
static void
test_cmd_complete(void **state)
{
	struct fixture	*f = *state;
	char		**m;
	size_t		 n;

	m = cmd_complete(f->store, "d", 0, "d", &n);
	assert_int_equal(n, 2);
	assert_string_equal(m[0], "digest");
	assert_string_equal(m[1], "dispatch");
	assert_null(m[2]);
	cmd_complete_free(m);

	/* Alerts ack accepts, newest first; resolved and acked ones not. */
	m = cmd_complete(f->store, "ack ", 4, "", &n);
	assert_int_equal(n, 2);
	assert_string_equal(m[0], "A-2");
	assert_string_equal(m[1], "A-1");
	cmd_complete_free(m);
	/* The words already typed are not offered again. */
	m = cmd_complete(f->store, "ack A-2 a", 8, "a", &n);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "A-1");
	cmd_complete_free(m);

	/* dispatch: alerts it accepts, then available units. */
	m = cmd_complete(f->store, "dispatch ", 9, "", &n);
	assert_int_equal(n, 3);
	assert_string_equal(m[0], "B-4");
	cmd_complete_free(m);
	m = cmd_complete(f->store, "dispatch A-1 U-1 ", 17, "", &n);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "U-2");
	cmd_complete_free(m);

	m = cmd_complete(f->store, "help q", 5, "q", &n);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "quit");
	cmd_complete_free(m);

	m = cmd_complete(f->store, "quit ", 5, "", &n);
	assert_int_equal(n, 0);
	assert_null(m);
	m = cmd_complete(f->store, "nope ", 5, "", &n);
	assert_int_equal(n, 0);
	cmd_complete_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_find),
		cmocka_unit_test(test_cmd_table_sorted),
		cmocka_unit_test(test_cmd_tokenize),
		cmocka_unit_test(test_cmd_tokenize_limit),
		cmocka_unit_test_setup_teardown(test_cmd_run_arity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_run_offline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_ack_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_dispatch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_console, setup,
		    teardown),
		cmocka_unit_test(test_input_bindings),
		cmocka_unit_test_setup_teardown(test_cmd_complete, setup,
		    teardown),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
