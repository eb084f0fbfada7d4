/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/cmd*.c: finding, parsing, binding, commands, results. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "layout.h"
#include "log.h"
#include "outbox.h"
#include "panel.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define REC_MAX	64

/* What the commands did, recorded by the fake cmd_ops. */
struct rec {
	int	 online;
	int	 fail_send;
	int	 nsent;
	char	*sent[REC_MAX];		/* {"args":..,"cmd":..}, compact. */
	char	*summary[REC_MAX];
	char	*message;
	int	 error;
	char	*pager;
	char	*prompt;
	char	*question, *asked_line;
	int	 quit, redraw, digest;
	char	*record;		/* What record was asked, "-": NULL. */
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

	if (r->fail_send || r->nsent == REC_MAX) {
		json_decref(args);
		*cause = xstrdup("send failed");
		return (-1);
	}
	o = json_pack("{s:s s:o}", "cmd", cmd, "args", args);
	r->sent[r->nsent] = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	r->summary[r->nsent++] = xstrdup(summary);
	json_decref(o);
	return (r->online ? 0 : 1);
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
rec_confirm(void *arg, const char *question, const char *line)
{
	struct rec	*r = arg;

	free(r->question);
	free(r->asked_line);
	r->question = xstrdup(question);
	r->asked_line = xstrdup(line);
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

static int
rec_record(void *arg, const char *what, char **msg)
{
	struct rec	*r = arg;

	free(r->record);
	r->record = xstrdup(what != NULL ? what : "-");
	if (what != NULL && strcmp(what, "exists.rec") == 0) {
		*msg = xstrdup("exists.rec: exists");
		return (-1);
	}
	*msg = xstrdup("recording");
	return (0);
}

static const struct cmd_ops rec_ops = {
	.record = rec_record,
	.online = rec_online,
	.send = rec_send,
	.digest = rec_digest,
	.message = rec_message,
	.pager = rec_pager,
	.prompt = rec_prompt,
	.confirm = rec_confirm,
	.redraw = rec_redraw,
	.quit = rec_quit
};

struct fixture {
	struct store	*store;
	struct layout	*layout;
	struct rec	 rec;
	struct cmd_ctx	 ctx;
};

static void
put_alert(struct store *s, const char *id, enum alert_state state,
    uint32_t version, int severity)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	strcpy(a.id, id);
	a.kind = ALERT_FLOOD;
	a.severity = severity;
	strcpy(a.area, "HL");
	a.title = xstrdup("Ngập úng");
	a.state = state;
	a.version = version;
	store_put_alert(s, &a);
}

static void
put_unit(struct store *s, const char *id, enum unit_status status,
    const char *alert)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	strcpy(u.id, id);
	u.type = UNIT_RESCUE;
	strcpy(u.area, "HL");
	u.name = xstrdup("Cứu hộ");
	u.status = status;
	strcpy(u.alert, alert);
	u.version = 7;
	store_put_unit(s, &u);
}

static void
put_case(struct store *s, const char *id, enum fb_state state,
    uint32_t version)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	strcpy(f.id, id);
	strcpy(f.area, "HL");
	strcpy(f.category, "moitruong");
	f.text = xstrdup("Rác thải");
	f.state = state;
	f.version = version;
	store_put_feedback(s, &f);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct hospital	 h;
	struct alert	*a;

	f->store = store_new();
	put_alert(f->store, "A-1", ALERT_NEW, 3, 3);
	put_alert(f->store, "A-2", ALERT_NEW, 5, 2);
	put_alert(f->store, "A-3", ALERT_RESOLVED, 9, 3);
	put_alert(f->store, "B-4", ALERT_ACKNOWLEDGED, 2, 1);
	put_alert(f->store, "A-5", ALERT_DISPATCHED, 4, 4);
	for (int i = 6; i <= 9; i++) {
		char	id[16];

		snprintf(id, sizeof id, "A-%d", i);
		put_alert(f->store, id, ALERT_NEW, 1, 2);
	}
	a = store_alert(f->store, "A-5");
	alert_add_unit(a, "U-3");
	alert_add_unit(a, "U-4");
	put_unit(f->store, "U-1", UNIT_AVAILABLE, "");
	put_unit(f->store, "U-2", UNIT_AVAILABLE, "");
	put_unit(f->store, "U-3", UNIT_DISPATCHED, "A-5");
	put_unit(f->store, "U-4", UNIT_EN_ROUTE, "A-5");
	put_case(f->store, "PA-1", FB_NEW, 2);
	put_case(f->store, "PA-2", FB_ANSWERED, 6);
	store_add_department(f->store, "SYT", "Sở Y tế");
	store_add_department(f->store, "SGTVT", "Sở Giao thông vận tải");
	store_add_area(f->store, "HL", "Hạ Long");
	memset(&h, 0, sizeof h);
	strcpy(h.id, "BV-1");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	strcpy(h.area, "HL");
	h.version = 11;
	store_put_hospital(f->store, &h);
	f->rec.online = 1;
	cmd_ctx_init(&f->ctx, f->store, &rec_ops, &f->rec);
	f->layout = layout_create(f->store);
	f->ctx.layout = f->layout;
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
	free(f->rec.question);
	free(f->rec.asked_line);
	free(f->rec.record);
	cmd_ctx_clear(&f->ctx);
	layout_free(f->layout);
	store_free(f->store);
	free(f);
	return (0);
}

/* The last command sent, compact with sorted keys. */
static const char *
last_sent(struct fixture *f)
{
	assert_true(f->rec.nsent > 0);
	return (f->rec.sent[f->rec.nsent - 1]);
}

/*
 * Test functions:
 *   cmd_find, cmd_alias_is
 */
static void
test_cmd_find(void **state)
{
	static const char *const aliases[][2] = {
		{ "xn", "ack" }, { "dd", "dispatch" }, { "dieu", "dispatch" },
		{ "tt", "status" }, { "gc", "note" }, { "nang", "escalate" },
		{ "tat", "mute" }, { "xl", "resolve" }, { "dong", "close" },
		{ "mo", "reopen" }, { "giao", "assign" }, { "tl", "reply" },
		{ "tra", "return" }, { "chuyen", "divert" },
		{ "thoat", "quit" }, { "trogiup", "help" },
		{ "loc", "filter" }, { "tim", "search" }, { "phim", "keys" },
	};
	const struct cmd_entry	*ce;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	ce = cmd_find("ack", NULL);
	assert_non_null(ce);
	assert_string_equal(ce->name, "ack");
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		ce = cmd_find(aliases[i][0], NULL);
		assert_non_null(ce);
		assert_string_equal(ce->name, aliases[i][1]);
	}
	/* Unique prefixes. */
	assert_string_equal(cmd_find("dis", NULL)->name, "dispatch");
	assert_string_equal(cmd_find("dig", NULL)->name, "digest");
	assert_string_equal(cmd_find("q", NULL)->name, "quit");
	assert_string_equal(cmd_find("h", NULL)->name, "help");
	assert_string_equal(cmd_find("st", NULL)->name, "status");
	assert_string_equal(cmd_find("esc", NULL)->name, "escalate");
	assert_string_equal(cmd_find("reo", NULL)->name, "reopen");

	assert_null(cmd_find("di", &cause));
	assert_string_equal(cause, "ambiguous: digest, dispatch, divert");
	free(cause);
	assert_null(cmd_find("re", &cause));
	assert_non_null(strstr(cause, "reopen"));
	assert_non_null(strstr(cause, "return"));
	free(cause);
	assert_null(cmd_find("zzz", &cause));
	assert_non_null(strstr(cause, "unknown command: zzz"));
	free(cause);
	assert_null(cmd_find("", &cause));
	free(cause);
	/* Longer than the name is no prefix. */
	assert_null(cmd_find("acknowledge", NULL));
	/* An alias is a whole word of the list. */
	assert_true(cmd_alias_is(&cmd_alert_dispatch_entry, "dieu"));
	assert_false(cmd_alias_is(&cmd_alert_dispatch_entry, "die"));
}

/*
 * Test functions:
 *   cmd_table, cmd_usage
 */
static void
test_cmd_table(void **state)
{
	const struct cmd_entry	*const *cep, *const *cep2;
	const char		*p, *end;
	char			*word, *usage;
	int			 i;

	(void)state;
	for (i = 1; cmd_table[i] != NULL; i++)
		assert_true(strcmp(cmd_table[i - 1]->name,
		    cmd_table[i]->name) < 0);
	for (cep = cmd_table; *cep != NULL; cep++) {
		assert_non_null((*cep)->help);
		assert_non_null((*cep)->exec);
		assert_non_null((*cep)->alias);
		/* Every alias finds its own command, and nothing else. */
		for (p = (*cep)->alias; *p != '\0'; p = end) {
			while (*p == ' ')
				p++;
			end = p + strcspn(p, " ");
			word = xstrndup(p, (size_t)(end - p));
			assert_ptr_equal(cmd_find(word, NULL), *cep);
			for (cep2 = cmd_table; *cep2 != NULL; cep2++)
				assert_true(cep2 == cep ||
				    !cmd_alias_is(*cep2, word));
			free(word);
		}
	}
	usage = cmd_usage(&cmd_res_status_entry);
	assert_string_equal(usage, "UNIT [UNIT...] STATUS");
	free(usage);
	usage = cmd_usage(&cmd_alert_close_entry);
	assert_string_equal(usage, "ITEM [DISPOSITION] [REASON...]");
	free(usage);
	usage = cmd_usage(&cmd_alert_note_entry);
	assert_string_equal(usage, "ALERT TEXT...");
	free(usage);
	usage = cmd_usage(&cmd_view_quit_entry);
	assert_string_equal(usage, "");
	free(usage);
	usage = cmd_usage(&cmd_key_bind_entry);
	assert_string_equal(usage, "[-T TABLE] KEY COMMAND...");
	free(usage);
	usage = cmd_usage(&cmd_view_sort_entry);
	assert_string_equal(usage, "[PANEL] [FIELD]");
	free(usage);
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

/* Tokenise and bind line for ce; returns cmd_bind()'s result. */
static int
bind_line(const struct cmd_entry *ce, const char *line,
    struct cmd_args *args)
{
	char	*cause = NULL;
	int	 rv;

	assert_int_equal(cmd_tokenize(line, args, NULL), 0);
	rv = cmd_bind(ce, args, &cause);
	if (rv != 0) {
		assert_non_null(strstr(cause, "usage: "));
		free(cause);
	}
	return (rv);
}

/*
 * Test functions:
 *   cmd_bind, cmd_arg_count, cmd_arg_value, cmd_arg_text (the status
 *   word read from the end, trailing optional args, REST)
 */
static void
test_cmd_bind(void **state)
{
	struct cmd_args	args;

	(void)state;
	/* The status word is the last word, however many units. */
	assert_int_equal(bind_line(&cmd_res_status_entry,
	    "status AMB-HL-03 AMB-HL-04 os", &args), 0);
	assert_int_equal(cmd_arg_count(&args, 0), 2);
	assert_string_equal(cmd_arg_value(&args, 0, 1), "AMB-HL-04");
	assert_string_equal(cmd_arg_value(&args, 1, 0), "os");
	assert_null(cmd_arg_value(&args, 0, 2));
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_res_status_entry,
	    "status AMB-HL-03 onscene", &args), 0);
	assert_string_equal(cmd_arg_value(&args, 0, 0), "AMB-HL-03");
	assert_string_equal(cmd_arg_value(&args, 1, 0), "onscene");
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_res_status_entry, "status os",
	    &args), -1);
	cmd_args_free(&args);

	/* A trailing optional arg takes the last word if it fits. */
	assert_int_equal(bind_line(&cmd_alert_mute_entry,
	    "mute A-1 A-2 45m", &args), 0);
	assert_int_equal(cmd_arg_count(&args, 0), 2);
	assert_string_equal(cmd_arg_value(&args, 1, 0), "45m");
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_alert_mute_entry, "mute A-1 A-2",
	    &args), 0);
	assert_int_equal(cmd_arg_count(&args, 0), 2);
	assert_int_equal(cmd_arg_count(&args, 1), 0);
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_alert_mute_entry, "mute 30",
	    &args), 0);
	assert_int_equal(cmd_arg_count(&args, 0), 1);
	cmd_args_free(&args);

	/* REST joins the words; optional args before it. */
	assert_int_equal(bind_line(&cmd_alert_close_entry,
	    "close A-1 fa  same as   \"A-2  here\"", &args), 0);
	assert_string_equal(cmd_arg_value(&args, 1, 0), "fa");
	assert_string_equal(cmd_arg_text(&args, 2), "same as A-2  here");
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_alert_close_entry, "close A-1",
	    &args), 0);
	assert_int_equal(cmd_arg_count(&args, 1), 0);
	assert_null(cmd_arg_text(&args, 2));
	cmd_args_free(&args);

	/* Arity. */
	assert_int_equal(bind_line(&cmd_alert_note_entry, "note A-1",
	    &args), -1);
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_alert_dispatch_entry,
	    "dispatch A-1 U1 U2 U3 U4 U5 U6 U7 U8 U9", &args), -1);
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_alert_dispatch_entry,
	    "dispatch A-1 U1 U2 U3 U4 U5 U6 U7 U8", &args), 0);
	assert_int_equal(cmd_arg_count(&args, 1), 8);
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_view_quit_entry, "quit now", &args),
	    -1);
	cmd_args_free(&args);
	assert_int_equal(bind_line(&cmd_case_assign_entry,
	    "assign PA-1 PA-2 SYT", &args), 0);
	assert_int_equal(cmd_arg_count(&args, 0), 2);
	assert_string_equal(cmd_arg_value(&args, 1, 0), "SYT");
	cmd_args_free(&args);
}

/*
 * Test functions:
 *   cmd_status_parse, cmd_disposition_parse, cmd_minutes_parse,
 *   cmd_onoff_parse
 */
static void
test_cmd_words(void **state)
{
	(void)state;
	assert_int_equal(cmd_status_parse("os"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("onscene"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("on_scene"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("On-Scene"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("on"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("hientruong"), UNIT_ON_SCENE);
	assert_int_equal(cmd_status_parse("enr"), UNIT_EN_ROUTE);
	assert_int_equal(cmd_status_parse("en"), UNIT_EN_ROUTE);
	assert_int_equal(cmd_status_parse("av"), UNIT_AVAILABLE);
	assert_int_equal(cmd_status_parse("a"), UNIT_AVAILABLE);
	assert_int_equal(cmd_status_parse("ret"), UNIT_RETURNING);
	assert_int_equal(cmd_status_parse("oos"), UNIT_OUT_OF_SERVICE);
	assert_int_equal(cmd_status_parse("out"), UNIT_OUT_OF_SERVICE);
	assert_int_equal(cmd_status_parse("o"), -1);	/* Ambiguous. */
	assert_int_equal(cmd_status_parse("dispatched"), -1);
	assert_int_equal(cmd_status_parse(""), -1);
	assert_int_equal(cmd_status_parse("xyz"), -1);

	assert_int_equal(cmd_disposition_parse("fa"),
	    DISPOSITION_FALSE_ALARM);
	assert_int_equal(cmd_disposition_parse("false_alarm"),
	    DISPOSITION_FALSE_ALARM);
	assert_int_equal(cmd_disposition_parse("falsealarm"),
	    DISPOSITION_FALSE_ALARM);
	assert_int_equal(cmd_disposition_parse("dup"),
	    DISPOSITION_DUPLICATE);
	assert_int_equal(cmd_disposition_parse("huy"),
	    DISPOSITION_CANCELLED);
	assert_int_equal(cmd_disposition_parse("res"),
	    DISPOSITION_RESOLVED);
	assert_int_equal(cmd_disposition_parse("none"), -1);

	assert_int_equal(cmd_minutes_parse("30"), 30);
	assert_int_equal(cmd_minutes_parse("45m"), 45);
	assert_int_equal(cmd_minutes_parse("2h"), 120);
	assert_int_equal(cmd_minutes_parse("1h30"), 90);
	assert_int_equal(cmd_minutes_parse("240"), 240);
	assert_int_equal(cmd_minutes_parse("241"), -1);
	assert_int_equal(cmd_minutes_parse("5h"), -1);
	assert_int_equal(cmd_minutes_parse("0"), -1);
	assert_int_equal(cmd_minutes_parse("-3"), -1);
	assert_int_equal(cmd_minutes_parse("x"), -1);
	assert_int_equal(cmd_minutes_parse(""), -1);
	assert_int_equal(cmd_minutes_parse("99999999999999"), -1);

	assert_int_equal(cmd_onoff_parse("on"), 1);
	assert_int_equal(cmd_onoff_parse("BAT"), 1);
	assert_int_equal(cmd_onoff_parse("off"), 0);
	assert_int_equal(cmd_onoff_parse("tat"), 0);
	assert_int_equal(cmd_onoff_parse("maybe"), -1);
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
	    "usage: ack ALERT [ALERT...] (see: help ack)");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-1"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "usage: dispatch ALERT UNIT [UNIT...] (see: help dispatch)");
	assert_int_equal(cmd_run(&f->ctx, "quit now"), CMD_ERROR);
	assert_string_equal(f->rec.message, "usage: quit (see: help quit)");
	assert_int_equal(f->rec.quit, 0);
	assert_int_equal(cmd_run(&f->ctx, "di A-1"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "ambiguous: digest, dispatch, divert");
	assert_int_equal(cmd_run(&f->ctx, "frobnicate"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "unknown command"));
	assert_int_equal(cmd_run(&f->ctx, "ack \"A-1"), CMD_ERROR);
	assert_int_equal(f->rec.nsent, 0);
	assert_int_equal(cmd_run(&f->ctx, "   "), CMD_OK);
}

/*
 * Test functions:
 *   cmd_run (offline: queued; CMD_NEEDCONN refused)
 */
static void
test_cmd_run_offline(void **state)
{
	struct fixture	*f = *state;

	f->rec.online = 0;
	assert_int_equal(cmd_run(&f->ctx, "digest"), CMD_ERROR);
	assert_true(f->rec.error);
	assert_non_null(strstr(f->rec.message, "link"));
	assert_int_equal(f->rec.digest, 0);
	/* Backend commands go to the outbox and say so. */
	assert_int_equal(cmd_run(&f->ctx, "ack A-1"), CMD_WAIT);
	assert_false(f->rec.error);
	assert_string_equal(f->rec.message, "ack A-1: queued (offline)");
	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-2"), CMD_WAIT);
	assert_string_equal(f->rec.message, "ack: 2 queued (offline)");
	assert_int_equal(f->rec.nsent, 3);
	/* Console commands work offline. */
	assert_int_equal(cmd_run(&f->ctx, "thoat"), CMD_OK);
	assert_int_equal(f->rec.quit, 1);
}

/*
 * Test functions:
 *   cmd_run, ack (one command per id, with the versions held; ids
 *   checked first, canonicalised)
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
	assert_string_equal(f->rec.message, "ack: 2 sent");
	assert_false(f->rec.error);

	/* Any case; the store's spelling goes out. */
	assert_int_equal(cmd_run(&f->ctx, "xn a-1"), CMD_WAIT);
	assert_string_equal(f->rec.summary[2], "ack A-1");
	assert_string_equal(f->rec.message, "ack A-1: sent");

	/* An unknown id among known ones: nothing goes. */
	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-99"), CMD_ERROR);
	assert_true(f->rec.error);
	assert_string_equal(f->rec.message, "ack: no such alert: A-99");
	assert_int_equal(cmd_run(&f->ctx, "ack 'A 1'"), CMD_ERROR);
	assert_string_equal(f->rec.message, "ack: not an id: A 1");
	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-1"), CMD_ERROR);
	assert_string_equal(f->rec.message, "ack: A-1 given twice");
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

	assert_int_equal(cmd_run(&f->ctx, "dd A-2 U-1 u-2"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 1);
	assert_string_equal(f->rec.sent[0], "{\"args\":{\"alert\":\"A-2\","
	    "\"units\":[\"U-1\",\"U-2\"],\"version\":5},"
	    "\"cmd\":\"dispatch\"}");
	assert_string_equal(f->rec.summary[0], "dispatch A-2 U-1 U-2");
	assert_string_equal(f->rec.message, "dispatch A-2 U-1 U-2: sent");

	assert_int_equal(cmd_run(&f->ctx, "dispatch A-2 U-1 U-1"),
	    CMD_ERROR);
	assert_string_equal(f->rec.message, "dispatch: U-1 given twice");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-2 U-7"), CMD_ERROR);
	assert_string_equal(f->rec.message, "dispatch: no such unit: U-7");
	assert_int_equal(cmd_run(&f->ctx, "dispatch A-77 U-1"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "dispatch: no such alert: A-77");
	assert_int_equal(f->rec.nsent, 1);
}

/*
 * Test functions:
 *   cmd_run, status (the status word rule; an alert for its units)
 */
static void
test_cmd_status(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "status U-3 os"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"status\":"
	    "\"on_scene\",\"unit\":\"U-3\",\"version\":7},"
	    "\"cmd\":\"unit_status\"}");
	assert_string_equal(f->rec.summary[0], "status U-3 on_scene");
	assert_string_equal(f->rec.message, "status U-3 on_scene: sent");

	assert_int_equal(cmd_run(&f->ctx, "tt U-1 U-3 oos"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 3);
	assert_string_equal(f->rec.summary[2], "status U-3 out_of_service");
	assert_string_equal(f->rec.message, "status: 2 sent");

	/* An alert stands for its units, each once. */
	assert_int_equal(cmd_run(&f->ctx, "status A-5 U-3 enr"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, 5);
	assert_string_equal(f->rec.summary[3], "status U-3 en_route");
	assert_string_equal(f->rec.summary[4], "status U-4 en_route");
	assert_int_equal(cmd_run(&f->ctx, "status A-1 os"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "status: alert A-1 has no units");

	/* The last word must be the status. */
	assert_int_equal(cmd_run(&f->ctx, "status os U-3"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "not a unit status: U-3"));
	assert_int_equal(cmd_run(&f->ctx, "status U-3 o"), CMD_ERROR);
	assert_int_equal(f->rec.nsent, 5);
}

/*
 * Test functions:
 *   cmd_run: note, escalate, mute, resolve, close, reopen, divert
 */
static void
test_cmd_alert_family(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "note A-1 Nước dâng  \"30 cm\""),
	    CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-1\","
	    "\"text\":\"Nước dâng 30 cm\",\"version\":3},\"cmd\":\"note\"}");
	assert_int_equal(cmd_run(&f->ctx, "gc A-1"), CMD_ERROR);

	assert_int_equal(cmd_run(&f->ctx, "nang A-1 A-2"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-2\","
	    "\"version\":5},\"cmd\":\"escalate\"}");

	assert_int_equal(cmd_run(&f->ctx, "mute A-2"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-2\","
	    "\"minutes\":30,\"version\":5},\"cmd\":\"mute\"}");
	assert_int_equal(cmd_run(&f->ctx, "tat A-1 2h"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-1\","
	    "\"minutes\":120,\"version\":3},\"cmd\":\"mute\"}");
	assert_int_equal(cmd_run(&f->ctx, "mute A-1 5h"), CMD_ERROR);

	assert_int_equal(cmd_run(&f->ctx, "resolve A-2"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-2\","
	    "\"version\":5},\"cmd\":\"resolve\"}");
	assert_int_equal(cmd_run(&f->ctx, "xl A-2 xong rồi"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-2\","
	    "\"text\":\"xong rồi\",\"version\":5},\"cmd\":\"resolve\"}");

	assert_int_equal(cmd_run(&f->ctx, "close A-2 fa camera lỗi"),
	    CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-2\","
	    "\"disposition\":\"false_alarm\",\"reason\":\"camera lỗi\","
	    "\"version\":5},\"cmd\":\"close\"}");
	assert_string_equal(f->rec.summary[f->rec.nsent - 1],
	    "close A-2 false_alarm");
	assert_int_equal(cmd_run(&f->ctx, "close A-2 dup"), CMD_ERROR);
	assert_string_equal(f->rec.message,
	    "close A-2 duplicate: give a reason");
	assert_int_equal(cmd_run(&f->ctx, "close A-2"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "give a disposition"));
	assert_int_equal(cmd_run(&f->ctx, "close A-2 lý do"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "not a disposition"));
	/* A resolved alert closes as resolved without more words. */
	assert_int_equal(cmd_run(&f->ctx, "dong A-3"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-3\","
	    "\"disposition\":\"resolved\",\"version\":9},\"cmd\":\"close\"}");
	/* close on a feedback case is close_case. */
	assert_int_equal(cmd_run(&f->ctx, "close PA-2"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"case\":\"PA-2\","
	    "\"version\":6},\"cmd\":\"close_case\"}");
	assert_string_equal(f->rec.summary[f->rec.nsent - 1], "close PA-2");
	assert_int_equal(cmd_run(&f->ctx, "close PA-2 fa x"), CMD_ERROR);

	assert_int_equal(cmd_run(&f->ctx, "mo A-3 chưa xong"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-3\","
	    "\"reason\":\"chưa xong\",\"version\":9},\"cmd\":\"reopen\"}");

	assert_int_equal(cmd_run(&f->ctx, "divert bv-1 bat"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"hospital\":\"BV-1\","
	    "\"on\":true,\"version\":11},\"cmd\":\"divert\"}");
	assert_int_equal(cmd_run(&f->ctx, "divert BV-1 off"), CMD_WAIT);
	assert_non_null(strstr(last_sent(f), "\"on\":false"));
	assert_int_equal(cmd_run(&f->ctx, "divert BV-1 maybe"), CMD_ERROR);
}

/*
 * Test functions:
 *   cmd_run: assign (a department by code or by its name without
 *   accents), reply, return
 */
static void
test_cmd_case_family(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "assign PA-1 SYT"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"case\":\"PA-1\","
	    "\"dept\":\"SYT\",\"version\":2},\"cmd\":\"assign\"}");
	assert_int_equal(cmd_run(&f->ctx, "giao PA-1 syt"), CMD_WAIT);
	assert_non_null(strstr(last_sent(f), "\"dept\":\"SYT\""));
	assert_int_equal(cmd_run(&f->ctx, "giao PA-1 \"so y te\""),
	    CMD_WAIT);
	assert_non_null(strstr(last_sent(f), "\"dept\":\"SYT\""));
	assert_int_equal(cmd_run(&f->ctx, "giao PA-1 sogiao"), CMD_WAIT);
	assert_non_null(strstr(last_sent(f), "\"dept\":\"SGTVT\""));
	assert_int_equal(cmd_run(&f->ctx, "giao PA-1 so"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "fits several"));
	assert_int_equal(cmd_run(&f->ctx, "giao PA-1 XYZ"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "no such department"));
	assert_int_equal(cmd_run(&f->ctx, "giao A-1 SYT"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "no such feedback case"));

	assert_int_equal(cmd_run(&f->ctx, "tl PA-1 Đã xử lý"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"case\":\"PA-1\","
	    "\"text\":\"Đã xử lý\",\"version\":2},\"cmd\":\"reply\"}");
	/* return always asks; confirmed, it goes. */
	assert_int_equal(cmd_run(&f->ctx, "return PA-1 không thuộc thẩm "
	    "quyền"), CMD_ASKED);
	assert_non_null(strstr(f->rec.question, "return PA-1"));
	assert_int_equal(cmd_run_confirmed(&f->ctx, f->rec.asked_line),
	    CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"case\":\"PA-1\","
	    "\"reason\":\"không thuộc thẩm quyền\",\"version\":2},"
	    "\"cmd\":\"return\"}");
}

/*
 * Test functions:
 *   cmd_run (confirmation: critical alerts, batches, scripts),
 *   cmd_run_confirmed
 */
static void
test_cmd_confirm(void **state)
{
	struct fixture	*f = *state;
	int		 n;

	/* A-5 is critical (severity 4). */
	assert_int_equal(cmd_run(&f->ctx, "resolve A-5"), CMD_ASKED);
	assert_int_equal(f->rec.nsent, 0);
	assert_non_null(strstr(f->rec.question, "critical alert A-5"));
	assert_non_null(strstr(f->rec.question, "(y/n)"));
	assert_string_equal(f->rec.asked_line, "resolve A-5");
	assert_int_equal(cmd_run_confirmed(&f->ctx, f->rec.asked_line),
	    CMD_WAIT);
	assert_int_equal(f->rec.nsent, 1);
	assert_int_equal(cmd_run(&f->ctx, "close A-5 cancelled test"),
	    CMD_ASKED);
	/* Non-critical ones do not ask; neither does ack of a critical. */
	assert_int_equal(cmd_run(&f->ctx, "resolve A-1"), CMD_WAIT);
	assert_int_equal(cmd_run(&f->ctx, "note A-5 hello"), CMD_WAIT);
	n = f->rec.nsent;

	/* More than CMD_CONFIRM_BATCH items ask. */
	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-2 A-6 A-7 A-8"),
	    CMD_WAIT);
	assert_int_equal(f->rec.nsent, n + 5);
	assert_int_equal(cmd_run(&f->ctx, "ack A-1 A-2 A-6 A-7 A-8 A-9"),
	    CMD_ASKED);
	assert_non_null(strstr(f->rec.question, "6 items"));
	assert_int_equal(f->rec.nsent, n + 5);
	assert_int_equal(cmd_run_confirmed(&f->ctx, f->rec.asked_line),
	    CMD_WAIT);
	assert_int_equal(f->rec.nsent, n + 11);
	/* A bad line is refused before any question. */
	free(f->rec.question);
	f->rec.question = NULL;
	assert_int_equal(cmd_run(&f->ctx, "resolve A-55"), CMD_ERROR);
	assert_null(f->rec.question);

	/* Scripts do not ask. */
	f->ctx.flags |= CMD_CTX_SCRIPT;
	assert_int_equal(cmd_run(&f->ctx, "resolve A-5"), CMD_WAIT);
	assert_int_equal(f->rec.nsent, n + 12);
}

/*
 * Test functions:
 *   cmd_result, cmd_result_text, cmd_retry_all
 */
static void
test_cmd_result(void **state)
{
	struct fixture	*f = *state;
	struct alert	*a;
	json_t		*sent;
	char		*t;

	cmd_result(&f->ctx, "ack A-1", NULL, 1, NULL, NULL);
	assert_false(f->rec.error);
	assert_string_equal(f->rec.message, "✓ ack A-1");
	cmd_result(&f->ctx, "digest", NULL, 1, NULL, "abc (seq 3)");
	assert_string_equal(f->rec.message, "✓ digest abc (seq 3)");
	cmd_result(&f->ctx, "ack A-1", NULL, 0, "bad_state",
	    "A-1 is acknowledged");
	assert_true(f->rec.error);
	assert_string_equal(f->rec.message,
	    "✗ ack A-1: not possible now: A-1 is acknowledged");
	cmd_result(&f->ctx, "x", NULL, 0, "weird_code", "hm");
	assert_string_equal(f->rec.message, "✗ x: hm");
	f->ctx.ascii = 1;
	t = cmd_result_text(&f->ctx, "ack A-1", 0, "forbidden", "no");
	assert_string_equal(t, "FAILED: ack A-1: not allowed for your role "
	    "or area: no");
	free(t);
	t = cmd_result_text(&f->ctx, "ack A-1", 1, NULL, NULL);
	assert_string_equal(t, "ok: ack A-1");
	free(t);
	f->ctx.ascii = 0;

	/* Nothing to retry yet. */
	assert_int_equal(cmd_run(&f->ctx, "retry"), CMD_ERROR);
	assert_string_equal(f->rec.message, "retry: nothing to retry");

	/* A stale refusal names the versions and offers to retry with the
	 * version the console holds now. */
	a = store_alert(f->store, "A-1");
	a->version = 4;
	sent = json_loads("{\"type\":\"cmd\",\"id\":\"c-1\","
	    "\"cmd\":\"ack\",\"args\":{\"alert\":\"A-1\",\"version\":3}}", 0,
	    NULL);
	cmd_result(&f->ctx, "ack A-1", sent, 0, "stale_version", "A-1 changed: you saw version 3, it is now "
	    "version 4");
	assert_true(f->rec.error);
	assert_string_equal(f->rec.message, "✗ ack A-1: changed since you "
	    "saw it: A-1 changed: you saw version 3, it is now version 4; R "
	    "or :retry sends it again with version 4");
	assert_int_equal(f->ctx.nretry, 1);
	a->version = 5;
	assert_int_equal(cmd_run(&f->ctx, "retry"), CMD_WAIT);
	assert_string_equal(last_sent(f), "{\"args\":{\"alert\":\"A-1\","
	    "\"version\":5},\"cmd\":\"ack\"}");
	assert_string_equal(f->rec.summary[f->rec.nsent - 1], "ack A-1");
	assert_string_equal(f->rec.message, "retry: 1 sent again");
	assert_int_equal(f->ctx.nretry, 0);
	/* The retry is the console's own: the message sent is left as it
	 * was. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    sent, "args"), "version")), 3);
	json_decref(sent);
	/* A message that is not a command is not kept. */
	sent = json_string("not a command");
	cmd_result(&f->ctx, "ack A-1", sent, 0, "stale_version", "x");
	json_decref(sent);
	assert_int_equal(f->ctx.nretry, 0);
	/* At most CMD_RETRY_MAX are kept, the newest. */
	sent = json_loads("{\"cmd\":\"ack\",\"args\":{\"alert\":\"A-2\","
	    "\"version\":1}}", 0, NULL);
	for (int i = 0; i < CMD_RETRY_MAX + 3; i++)
		cmd_result(&f->ctx, "ack A-2", sent, 0, "stale_version", "x");
	json_decref(sent);
	assert_int_equal(f->ctx.nretry, CMD_RETRY_MAX);
}

/*
 * Test functions:
 *   cmd_run (help, keys, prompt, redraw, digest, outbox, record, the
 *   screen's commands), cmd_help_text, cmd_help_one, input_help_text
 */
static void
test_cmd_console(void **state)
{
	struct fixture		*f = *state;
	const struct cmd_entry	*const *cep;
	struct outbox		*ob;

	assert_int_equal(cmd_run(&f->ctx, "help"), CMD_OK);
	for (cep = cmd_table; *cep != NULL; cep++) {
		assert_non_null(strstr(f->rec.pager, (*cep)->name));
		assert_non_null(strstr(f->rec.pager, (*cep)->help));
	}
	assert_int_equal(cmd_run(&f->ctx, "help dis"), CMD_OK);
	assert_non_null(strstr(f->rec.message, "dispatch ALERT UNIT"));
	assert_non_null(strstr(f->rec.message, "Alias: dd dieu."));
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
	assert_int_equal(cmd_run(&f->ctx, "record"), CMD_OK);
	assert_string_equal(f->rec.record, "-");
	assert_int_equal(cmd_run(&f->ctx, "rec /tmp/shift.rec"), CMD_OK);
	assert_string_equal(f->rec.record, "/tmp/shift.rec");
	assert_string_equal(f->rec.message, "recording");
	assert_int_equal(cmd_run(&f->ctx, "ghi stop"), CMD_OK);
	assert_string_equal(f->rec.record, "stop");
	assert_int_equal(cmd_run(&f->ctx, "record exists.rec"), CMD_ERROR);
	assert_true(f->rec.error);
	assert_non_null(strstr(f->rec.message, "exists"));

	/* The outbox listing. */
	assert_int_equal(cmd_run(&f->ctx, "outbox"), CMD_ERROR);
	ob = outbox_open(NULL, NULL);
	f->ctx.outbox = ob;
	assert_int_equal(cmd_run(&f->ctx, "outbox"), CMD_OK);
	assert_non_null(strstr(f->rec.pager, "Nothing waiting"));
	assert_non_null(outbox_add(ob, "c-1", "ack", "ack A-1",
	    "{\"type\":\"cmd\",\"id\":\"c-1\",\"cmd\":\"ack\"}", NULL));
	assert_int_equal(cmd_run(&f->ctx, "hangdoi"), CMD_OK);
	assert_non_null(strstr(f->rec.pager, "ack A-1 (queued)"));
	outbox_free(ob);
	f->ctx.outbox = NULL;

	/* The screen's commands act on the layout, by name. */
	assert_int_equal(cmd_run(&f->ctx, "chon 4"), CMD_OK);
	assert_int_equal(f->layout->focus, 3);
	assert_int_equal(cmd_run(&f->ctx, "chon alerts"), CMD_OK);
	assert_int_equal(f->layout->focus, 0);
	assert_int_equal(cmd_run(&f->ctx, "search ha long"), CMD_OK);
	assert_string_equal(layout_focused(f->layout)->search, "ha long");
	assert_int_equal(cmd_run(&f->ctx, "zoom"), CMD_OK);
	assert_int_equal(f->layout->zoom, 1);
	assert_int_equal(cmd_run(&f->ctx, "focus nope"), CMD_ERROR);
	assert_string_equal(f->rec.message, "focus: no panel \"nope\"");
	/* Without a screen they say so. */
	f->ctx.layout = NULL;
	assert_int_equal(cmd_run(&f->ctx, "zoom"), CMD_ERROR);
	assert_string_equal(f->rec.message, "zoom: only on the screen");
	f->ctx.layout = f->layout;
}

/*
 * Test functions:
 *   cmd_run (the screen's commands with their arguments: zoom, sort,
 *   focus, select, detail, back, filter, layout, search), cmd_bind
 *   (flags, a leading optional arg), cmd_words, cmd_panel_parse
 */
static void
test_cmd_view(void **state)
{
	struct fixture	*f = *state;
	struct layout	*l = f->layout;
	struct panel	*alerts = l->panels[0], *feedback = l->panels[3];
	struct cmd_args	 args;

	/* zoom [on|off]: refused by the table before. */
	assert_int_equal(cmd_run(&f->ctx, "zoom on"), CMD_OK);
	assert_int_equal(l->zoom, 1);
	assert_int_equal(cmd_run(&f->ctx, "zoom on"), CMD_OK);
	assert_int_equal(l->zoom, 1);
	assert_int_equal(cmd_run(&f->ctx, "phong tat"), CMD_OK);
	assert_int_equal(l->zoom, 0);
	assert_int_equal(cmd_run(&f->ctx, "zoom"), CMD_OK);
	assert_int_equal(l->zoom, 1);
	assert_int_equal(cmd_run(&f->ctx, "zoom off"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "zoom sideways"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "zoom on off"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "usage: zoom [on|off]"));

	/* sort [PANEL] [FIELD]: a panel that is not focused, by name. */
	assert_int_equal(cmd_run(&f->ctx, "sort alerts severity"), CMD_OK);
	assert_string_equal(panel_sort_name(alerts), "severity");
	assert_int_equal(cmd_run(&f->ctx, "sort alerts age"), CMD_OK);
	assert_string_equal(panel_sort_name(alerts), "age");
	assert_int_equal(cmd_run(&f->ctx, "sort feedback channel"), CMD_OK);
	assert_string_equal(panel_sort_name(feedback), "channel");
	assert_int_equal(l->focus, 0);
	/* The focused panel when none is named; no field: the usual. */
	assert_int_equal(cmd_run(&f->ctx, "sort dead"), CMD_OK);
	assert_string_equal(panel_sort_name(alerts), "deadline");
	assert_int_equal(cmd_run(&f->ctx, "sort"), CMD_OK);
	assert_string_equal(panel_sort_name(alerts), "severity");
	assert_int_equal(cmd_run(&f->ctx, "sort 4 area"), CMD_OK);
	assert_string_equal(panel_sort_name(feedback), "area");
	assert_int_equal(cmd_run(&f->ctx, "sort alerts bogus"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "severity age"));
	assert_int_equal(cmd_run(&f->ctx, "sort alerts age id"), CMD_ERROR);

	/* focus PANEL|next|prev, by name, start, number or title. */
	assert_int_equal(cmd_run(&f->ctx, "focus hosp"), CMD_OK);
	assert_int_equal(l->focus, 1);
	assert_int_equal(cmd_run(&f->ctx, "focus next"), CMD_OK);
	assert_int_equal(l->focus, 2);
	assert_int_equal(cmd_run(&f->ctx, "focus prev"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "focus prev"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "focus prev"), CMD_OK);
	assert_int_equal(l->focus, 3);
	assert_int_equal(cmd_run(&f->ctx, "focus Alerts"), CMD_OK);
	assert_int_equal(l->focus, 0);
	assert_int_equal(cmd_run(&f->ctx, "focus 9"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "focus"), CMD_ERROR);

	/* select, detail and back on the alerts. */
	assert_int_equal(cmd_run(&f->ctx, "select top"), CMD_OK);
	assert_string_equal(panel_selected(alerts), alerts->sel_id);
	assert_int_equal(cmd_run(&f->ctx, "select bottom"), CMD_OK);
	assert_int_equal(alerts->sel, alerts->nrows - 1);
	assert_int_equal(cmd_run(&f->ctx, "select up"), CMD_OK);
	assert_int_equal(alerts->sel, alerts->nrows - 2);
	assert_int_equal(cmd_run(&f->ctx, "select d"), CMD_OK);
	assert_int_equal(alerts->sel, alerts->nrows - 1);
	assert_int_equal(cmd_run(&f->ctx, "select sideways"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "not up, down, page-up, "
	    "page-down, top, bottom: sideways"));
	assert_int_equal(cmd_run(&f->ctx, "detail"), CMD_OK);
	assert_true(alerts->flags & PANEL_DETAIL);
	assert_int_equal(l->zoom, 1);
	assert_int_equal(cmd_run(&f->ctx, "detail"), CMD_OK);
	assert_false(alerts->flags & PANEL_DETAIL);
	assert_int_equal(cmd_run(&f->ctx, "detail on"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "back"), CMD_OK);
	assert_false(alerts->flags & PANEL_DETAIL);
	assert_int_equal(l->zoom, 0);
	assert_int_equal(cmd_run(&f->ctx, "search ngap"), CMD_OK);
	assert_non_null(alerts->search);
	assert_int_equal(cmd_run(&f->ctx, "back"), CMD_OK);
	assert_null(alerts->search);
	assert_int_equal(cmd_run(&f->ctx, "back"), CMD_OK);

	/* filter: area, severity, steps, clear. */
	assert_int_equal(cmd_run(&f->ctx, "filter severity 3"), CMD_OK);
	assert_int_equal(l->filter.severity, 3);
	assert_int_equal(cmd_run(&f->ctx, "filter severity +1"), CMD_OK);
	assert_int_equal(l->filter.severity, 4);
	assert_int_equal(cmd_run(&f->ctx, "filter severity +1"), CMD_OK);
	assert_int_equal(l->filter.severity, 4);
	assert_int_equal(cmd_run(&f->ctx, "filter severity -1"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "filter severity -1"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "filter severity -1"), CMD_OK);
	assert_int_equal(l->filter.severity, 0);
	assert_int_equal(cmd_run(&f->ctx, "filter 2"), CMD_OK);
	assert_int_equal(l->filter.severity, 2);
	assert_int_equal(cmd_run(&f->ctx, "filter 9"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "filter severity"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "filter ha long"), CMD_OK);
	assert_string_equal(l->filter.area, "HL");
	assert_int_equal(cmd_run(&f->ctx, "filter area next"), CMD_OK);
	assert_string_equal(l->filter.area, "");
	assert_int_equal(cmd_run(&f->ctx, "filter area prev"), CMD_OK);
	assert_string_equal(l->filter.area, "HL");
	assert_int_equal(cmd_run(&f->ctx, "filter area Atlantis"), CMD_ERROR);
	assert_non_null(strstr(f->rec.message, "Atlantis"));
	assert_int_equal(cmd_run(&f->ctx, "loc clear"), CMD_OK);
	assert_int_equal(l->filter.severity, 0);
	assert_string_equal(l->filter.area, "");

	/* layout NAME; a word of the list or its start. */
	assert_int_equal(cmd_run(&f->ctx, "layout gr"), CMD_OK);
	assert_int_equal(l->want, LAYOUT_GRID);
	assert_int_equal(cmd_run(&f->ctx, "layout auto"), CMD_OK);
	assert_int_equal(cmd_run(&f->ctx, "layout round"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "layout"), CMD_ERROR);

	/* The words of the lists; panels by word. */
	assert_string_equal(cmd_words("move")[0], "up");
	assert_string_equal(cmd_words("layout.x")[3], "wide");
	assert_null(cmd_words("alert"));
	assert_string_equal(cmd_panel_parse("3"), "schools");
	assert_string_equal(cmd_panel_parse("FEED"), "feedback");
	assert_string_equal(cmd_panel_parse("Hospitals"), "hospitals");
	assert_null(cmd_panel_parse("x"));
	assert_string_equal(cmd_panel_parse("5"), "units");
	assert_string_equal(cmd_panel_parse("over"), "overview");
	assert_string_equal(cmd_panel_parse("7"), "finished");
	assert_null(cmd_panel_parse("8"));
	assert_null(cmd_panel_parse(""));

	/* Flags come first; "--" ends them; a value is needed. */
	assert_int_equal(cmd_tokenize("bind -T alerts x ack %s", &args,
	    NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), 0);
	assert_string_equal(cmd_arg_flag(&args, 'T'), "alerts");
	assert_null(cmd_arg_flag(&args, 'X'));
	assert_string_equal(cmd_arg_value(&args, 0, 0), "x");
	assert_string_equal(cmd_arg_text(&args, 1), "ack %s");
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind d prompt \"dispatch %s \"",
	    &args, NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), 0);
	assert_null(cmd_arg_flag(&args, 'T'));
	assert_string_equal(cmd_arg_text(&args, 1),
	    "prompt \"dispatch %s \"");
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind x \"assign %s SYT\"", &args,
	    NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), 0);
	assert_string_equal(cmd_arg_text(&args, 1), "assign %s SYT");
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind -- -T quit", &args, NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), 0);
	assert_string_equal(cmd_arg_value(&args, 0, 0), "-T");
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind - filter severity -1", &args,
	    NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), 0);
	assert_string_equal(cmd_arg_value(&args, 0, 0), "-");
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind -T", &args, NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), -1);
	cmd_args_free(&args);
	assert_int_equal(cmd_tokenize("bind -X a quit", &args, NULL), 0);
	assert_int_equal(cmd_bind(&cmd_key_bind_entry, &args, NULL), -1);
	cmd_args_free(&args);
	/* Flags are only for entries that have them. */
	assert_int_equal(cmd_tokenize("filter -T x", &args, NULL), 0);
	assert_int_equal(cmd_bind(&cmd_view_filter_entry, &args, NULL), 0);
	assert_string_equal(cmd_arg_value(&args, 0, 0), "-T");
	cmd_args_free(&args);
}

/*
 * Test functions:
 *   cmd_run (confirm: asks whatever the command; a script does not;
 *   a bad line is refused before asking), cmd_run_asking
 */
static void
test_cmd_confirm_command(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cmd_run(&f->ctx, "confirm quit"), CMD_ASKED);
	assert_int_equal(f->rec.quit, 0);
	assert_string_equal(f->rec.question, "quit: sure? (y/n)");
	assert_string_equal(f->rec.asked_line, "quit");
	assert_int_equal(cmd_run_confirmed(&f->ctx, f->rec.asked_line),
	    CMD_OK);
	assert_int_equal(f->rec.quit, 1);
	/* A command with its own question asks that one. */
	assert_int_equal(cmd_run(&f->ctx, "hoi resolve A-5"), CMD_ASKED);
	assert_non_null(strstr(f->rec.question, "critical alert A-5"));
	assert_int_equal(cmd_run(&f->ctx, "confirm ack A-1 A-2"), CMD_ASKED);
	assert_string_equal(f->rec.asked_line, "ack A-1 A-2");
	assert_int_equal(f->rec.nsent, 0);
	/* Refused before any question. */
	free(f->rec.question);
	f->rec.question = NULL;
	assert_int_equal(cmd_run(&f->ctx, "confirm ack A-77"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "confirm nothing"), CMD_ERROR);
	assert_int_equal(cmd_run(&f->ctx, "confirm"), CMD_ERROR);
	assert_null(f->rec.question);
	/* Scripts do not ask. */
	f->ctx.flags |= CMD_CTX_SCRIPT;
	assert_int_equal(cmd_run(&f->ctx, "confirm quit"), CMD_OK);
	assert_int_equal(f->rec.quit, 2);
}

/*
 * Test functions:
 *   cmd_man_text (docs/trucban.1 lists the commands of the table)
 */
static void
test_cmd_man(void **state)
{
	FILE	*fp;
	char	*man, *want, *begin, *end, *body;
	long	 len;

	(void)state;
	want = cmd_man_text();
	assert_non_null(strstr(want, ".BR ack \", \" xn \" \\fIALERT "
	    "[ALERT...]\\fP\"\n"));
	assert_non_null(strstr(want, ".BR dispatch \", \" dd\\ dieu "));
	fp = fopen("docs/trucban.1", "r");
	if (fp == NULL)
		fail_msg("docs/trucban.1: run the tests from the top of the "
		    "tree");
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	man = xcalloc((size_t)len + 1, 1);
	assert_int_equal(fread(man, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	begin = strstr(man, ".\\\" BEGIN COMMANDS\n");
	end = strstr(man, ".\\\" END COMMANDS\n");
	assert_non_null(begin);
	assert_non_null(end);
	begin += strlen(".\\\" BEGIN COMMANDS\n");
	body = xstrndup(begin, (size_t)(end - begin));
	if (strcmp(body, want) != 0) {
		print_message("docs/trucban.1 should list, between the "
		    "BEGIN/END COMMANDS marks:\n%s", want);
		fail_msg("docs/trucban.1 is out of step with cmd_table[]");
	}
	free(body);
	free(man);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_find),
		cmocka_unit_test(test_cmd_table),
		cmocka_unit_test(test_cmd_tokenize),
		cmocka_unit_test(test_cmd_tokenize_limit),
		cmocka_unit_test(test_cmd_bind),
		cmocka_unit_test(test_cmd_words),
		cmocka_unit_test_setup_teardown(test_cmd_run_arity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_run_offline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_ack_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_dispatch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_status, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_alert_family, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_case_family, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_confirm, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_result, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_console, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_view, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cmd_confirm_command, setup,
		    teardown),
		cmocka_unit_test(test_cmd_man),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
