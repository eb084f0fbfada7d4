/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/key.c: key names, the tables, bind, unbind, the help. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "cmd.h"
#include "key.h"
#include "log.h"
#include "xmalloc.h"

static int
reset(void **state)
{
	(void)state;
	key_reset();
	return (0);
}

static int
release(void **state)
{
	(void)state;
	key_free();
	return (0);
}

/* The text of file between the lines begin and end, or fail. */
static char *
between(const char *file, const char *begin, const char *end)
{
	FILE	*fp;
	char	*all, *b, *e, *out;
	long	 len;

	if ((fp = fopen(file, "r")) == NULL)
		fail_msg("%s: run the tests from the top of the tree", file);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	all = xcalloc((size_t)len + 1, 1);
	assert_int_equal(fread(all, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	b = strstr(all, begin);
	e = strstr(all, end);
	if (b == NULL || e == NULL || e < b)
		fail_msg("%s: no %s ... %s", file, begin, end);
	b += strlen(begin);
	out = xstrndup(b, (size_t)(e - b));
	free(all);
	return (out);
}

/*
 * Test functions:
 *   key_parse, key_string
 */
static void
test_key_names(void **state)
{
	static const char *const names[] = {
		"a", "Z", ":", "?", "/", "+", "-", "]", "0", "%", "\"",
		"C-a", "C-l", "C-z", "C-@", "C-\\", "C-_", "Enter", "Tab",
		"BTab", "Esc", "Space", "BSpace", "Up", "Down", "Left",
		"Right", "Home", "End", "PgUp", "PgDn", "IC", "DC", "F1",
		"F9", "F10", "F12"
	};
	char	buf[16];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_int_not_equal(key_parse(names[i]), -1);
		assert_string_equal(key_string(key_parse(names[i]), buf,
		    sizeof buf), names[i]);
	}
	assert_int_equal(key_parse("a"), 'a');
	assert_int_equal(key_parse("C-l"), 12);
	assert_int_equal(key_parse("C-c"), 3);
	assert_int_equal(key_parse("Enter"), '\r');
	assert_int_equal(key_parse("Up"), KEY_UP);
	assert_int_equal(key_parse("F2"), KEY_F(2));
	/* Other names of the same key; a terminal's Enter is either. */
	assert_int_equal(key_parse("C-m"), '\r');
	assert_int_equal(key_parse("C-j"), '\r');
	assert_int_equal(key_parse("\n"), '\r');
	assert_int_equal(key_parse("C-i"), '\t');
	assert_int_equal(key_parse("C-["), 27);
	assert_string_equal(key_string(' ', buf, sizeof buf), "Space");
	/* Nothing. */
	assert_int_equal(key_parse(""), -1);
	assert_int_equal(key_parse("nope"), -1);
	assert_int_equal(key_parse("C-"), -1);
	assert_int_equal(key_parse("C-ab"), -1);
	assert_int_equal(key_parse("C-1"), -1);
	assert_int_equal(key_parse("F0"), -1);
	assert_int_equal(key_parse("F13"), -1);
	assert_int_equal(key_parse("F1x"), -1);
	assert_int_equal(key_parse("ă"), -1);
}

/*
 * Test functions:
 *   key_defaults, key_check_command, key_reset (every built-in binding's
 *   command parses in the command table)
 */
static void
test_key_defaults(void **state)
{
	static const char *const want[][3] = {
		{ "alerts", "a", "ack" }, { "alerts", "d", "prompt" },
		{ "alerts", "s", "prompt" }, { "alerts", "n", "prompt" },
		{ "alerts", "e", "escalate" }, { "alerts", "r", "resolve" },
		{ "alerts", "m", "mute" }, { "feedback", "c", "prompt" },
		{ "feedback", "r", "prompt" }, { "root", "R", "retry" },
		{ "root", "q", "confirm" }, { "root", "C-c", "quit" },
		{ "root", "j", "select" }, { "root", "Tab", "focus" },
		{ "root", "Enter", "detail" }, { "root", "Esc", "back" },
		{ "root", "+", "filter" }, { "root", "z", "zoom" },
	};
	const struct key_default	*d;
	const struct key_binding	*b;
	const struct cmd_entry		*ce;
	struct cmd_args			 args;
	char				*cause = NULL;
	size_t				 i;

	(void)state;
	for (d = key_defaults; d->table != NULL; d++) {
		/* A table, a key and a command that all exist... */
		assert_true(key_table_valid(d->table));
		assert_int_not_equal(key_parse(d->key), -1);
		if (key_check_command(d->command, &cause) != 0)
			fail_msg("%s %s: \"%s\": %s", d->table, d->key,
			    d->command, cause);
		/* ...and with "%s" for an id the command table takes it. */
		assert_int_equal(cmd_tokenize(d->command, &args, NULL), 0);
		ce = cmd_find(args.argv[0], NULL);
		assert_non_null(ce);
		assert_string_equal(ce->name, args.argv[0]);
		assert_int_equal(cmd_bind(ce, &args, NULL), 0);
		cmd_args_free(&args);
		/* Installed as it is. */
		b = key_lookup(d->table, key_parse(d->key));
		assert_non_null(b);
		assert_string_equal(b->command, d->command);
		assert_non_null(b->note);
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		b = key_lookup(want[i][0], key_parse(want[i][1]));
		assert_non_null(b);
		assert_int_equal(strncmp(b->command, want[i][2],
		    strlen(want[i][2])), 0);
	}
	/* The command table refuses, so does key_check_command. */
	assert_int_equal(key_check_command("nothing", &cause), -1);
	free(cause);
	assert_int_equal(key_check_command("zoom on off", &cause), -1);
	free(cause);
	assert_int_equal(key_check_command("", &cause), -1);
	free(cause);
	assert_int_equal(key_check_command("ack \"%s", &cause), -1);
	free(cause);
	assert_int_equal(key_check_command("ack %s", &cause), 0);
}

/*
 * Test functions:
 *   key_bind, key_unbind, key_lookup, key_list_text, key_hint_text
 */
static void
test_key_bind(void **state)
{
	const struct key_binding	*b;
	const char			*first;
	char				*cause = NULL, *text;

	(void)state;
	text = key_hint_text();
	assert_string_equal(text, "a ack  d dispatch  r resolve  : command  "
	    "? keys  / search  q quit");
	free(text);
	text = key_list_text();
	assert_non_null(strstr(text, "Up, k      Select the row above"));
	assert_non_null(strstr(text, "\na          Acknowledge the selected "
	    "alert (Alerts)\n"));
	assert_non_null(strstr(text, "\nr          Reply to the selected case "
	    "(opens the command line) (Feedback)\n"));
	free(text);

	/* A new key for a command already bound shares its note. */
	assert_int_equal(key_bind("root", "J", "select down", &cause), 0);
	b = key_lookup("root", 'J');
	assert_non_null(b);
	assert_string_equal(b->note, "Select the row below (scroll down in "
	    "a detail)");
	/* Rebinding replaces the command in place; a new command has no
	 * note, and a built-in key bound elsewhere leaves the hints. */
	assert_int_equal(key_bind("alerts", "a", "mute %s 60", &cause), 0);
	b = key_lookup("alerts", 'a');
	assert_string_equal(b->command, "mute %s 60");
	assert_null(b->note);
	assert_null(b->hint);
	assert_int_equal(key_bind("root", "F2", "ack %s", &cause), 0);
	assert_int_equal(key_unbind("root", "j", &cause), 0);
	assert_null(key_lookup("root", 'j'));
	assert_int_equal(key_unbind("root", "j", &cause), 0);
	text = key_list_text();
	assert_non_null(strstr(text, "\nDown, J    Select the row below"));
	/* The officer's own commands first, in the order of the tables. */
	first = "a          :mute %s 60 (Alerts)\nF2         :ack %s\n"
	    "Tab        Focus";
	assert_int_equal(strncmp(text, first, strlen(first)), 0);
	free(text);
	text = key_hint_text();
	assert_string_equal(text, "d dispatch  r resolve  : command  ? keys  "
	    "/ search  q quit");
	free(text);

	/* Refused: a table, a key or a command that does not exist. */
	assert_int_equal(key_bind("nowhere", "x", "zoom", &cause), -1);
	assert_non_null(strstr(cause, "no key table \"nowhere\""));
	free(cause);
	assert_int_equal(key_bind("root", "Hyper-x", "zoom", &cause), -1);
	assert_string_equal(cause, "unknown key \"Hyper-x\"");
	free(cause);
	assert_int_equal(key_bind("root", "x", "fly away", &cause), -1);
	assert_non_null(strstr(cause, "unknown command: fly"));
	free(cause);
	assert_int_equal(key_unbind("nowhere", "x", &cause), -1);
	free(cause);
	assert_int_equal(key_unbind("root", "Hyper-x", &cause), -1);
	free(cause);
	assert_null(key_lookup("root", 'x'));

	/* Back to the built-in bindings. */
	key_reset();
	b = key_lookup("alerts", 'a');
	assert_string_equal(b->command, "ack %s");
	assert_null(key_lookup("root", KEY_F(2)));
	assert_non_null(key_lookup("root", 'j'));
	key_free();
	/* The next use installs them again. */
	assert_non_null(key_lookup("root", 'j'));
}

/*
 * Test functions:
 *   cmd_run (bind, unbind and keys at the command line)
 */
static char	*said;

static void
say(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	free(said);
	said = xstrdup(text);
}

static void
test_key_commands(void **state)
{
	static const struct cmd_ops	 ops = { .message = say };
	struct cmd_ctx			 ctx;
	struct store			*s = NULL;

	(void)state;
	cmd_ctx_init(&ctx, s, &ops, NULL);
	assert_int_equal(cmd_run(&ctx, "bind F3 ack %s"), CMD_OK);
	assert_string_equal(key_lookup("root", KEY_F(3))->command, "ack %s");
	assert_string_equal(said, "F3 bound to :ack %s");
	assert_int_equal(cmd_run(&ctx, "bind -T feedback x \"assign %s "
	    "SYT\""), CMD_OK);
	assert_string_equal(key_lookup("feedback", 'x')->command,
	    "assign %s SYT");
	assert_int_equal(cmd_run(&ctx, "ganphim -T alerts D prompt "
	    "\"dispatch %s \""), CMD_OK);
	assert_string_equal(key_lookup("alerts", 'D')->command,
	    "prompt \"dispatch %s \"");
	assert_int_equal(cmd_run(&ctx, "bind - filter severity -1"), CMD_OK);
	assert_int_equal(cmd_run(&ctx, "bind F4 zoom on off"), CMD_ERROR);
	assert_non_null(strstr(said, "bind: "));
	assert_int_equal(cmd_run(&ctx, "bind -T moon x zoom"), CMD_ERROR);
	assert_int_equal(cmd_run(&ctx, "bind F4"), CMD_ERROR);
	assert_non_null(strstr(said, "usage: bind [-T TABLE] KEY "
	    "COMMAND..."));
	assert_null(key_lookup("root", KEY_F(4)));

	assert_int_equal(cmd_run(&ctx, "unbind F3"), CMD_OK);
	assert_null(key_lookup("root", KEY_F(3)));
	assert_int_equal(cmd_run(&ctx, "unbind -T alerts a"), CMD_OK);
	assert_null(key_lookup("alerts", 'a'));
	assert_int_equal(cmd_run(&ctx, "bophim -T nowhere a"), CMD_ERROR);
	assert_int_equal(cmd_run(&ctx, "unbind"), CMD_ERROR);

	/* keys (and list-keys) show them, without an overlay here. */
	assert_int_equal(cmd_run(&ctx, "list-keys"), CMD_OK);
	assert_non_null(strstr(said, "x          :assign %s SYT (Feedback)"));
	assert_null(strstr(said, "Acknowledge the selected alert"));
	free(said);
	said = NULL;
}

/*
 * Test functions:
 *   key_markdown_text (README.md holds exactly this table), key_man_text
 *   (docs/trucban.1 holds exactly this list)
 */
static void
test_key_docs(void **state)
{
	char	*want, *got;

	(void)state;
	want = key_markdown_text();
	assert_non_null(strstr(want, "| `Up`, `k` | anywhere | Select the "
	    "row above (scroll up in a detail) |\n"));
	assert_non_null(strstr(want, "| `r` | Feedback | Reply to the "
	    "selected case (opens the command line) |\n"));
	got = between("README.md", "<!-- BEGIN KEYS -->\n",
	    "<!-- END KEYS -->\n");
	if (strcmp(got, want) != 0) {
		print_message("README.md should hold, between the BEGIN/END "
		    "KEYS marks:\n%s", want);
		fail_msg("README.md is out of step with key_defaults[]");
	}
	free(got);
	free(want);

	want = key_man_text();
	assert_non_null(strstr(want, ".TP\n.BR \"Up\" \", \" \"k\"\n"
	    "\\fBselect up\\fP: Select the row above"));
	assert_non_null(strstr(want, ".BR \"\\-\"\n"));
	got = between("docs/trucban.1", ".\\\" BEGIN KEYS\n",
	    ".\\\" END KEYS\n");
	if (strcmp(got, want) != 0) {
		print_message("docs/trucban.1 should list, between the "
		    "BEGIN/END KEYS marks:\n%s", want);
		fail_msg("docs/trucban.1 is out of step with key_defaults[]");
	}
	free(got);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test_setup_teardown(test_key_defaults, reset,
		    release),
		cmocka_unit_test_setup_teardown(test_key_bind, reset,
		    release),
		cmocka_unit_test_setup_teardown(test_key_commands, reset,
		    release),
		cmocka_unit_test_setup_teardown(test_key_docs, reset,
		    release),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
