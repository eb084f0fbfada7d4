/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Unit tests for the configuration file and remapped keys. */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "config.h"
#include "input.h"
#include "key.h"
#include "layout.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Test functions:
 *   config_init, config_parse, config_free
 */
static void
test_config_parse(void **state)
{
	struct config	cf;
	const char	*text =
	    "# trucban\n"
	    "url = ws://127.0.0.1:7600\n"
	    "token_file = \"~/tok en\"\n"
	    "theme=light\n"
	    "lang = vi\n"
	    "ascii = yes\n"
	    "\n"
	    "colour = always\n"
	    "lang = fr\n"
	    "ascii = maybe\n"
	    "bind F2 ack %s\n"
	    "bind -T feedback x \"assign %s SYT\"\n"
	    "unbind z\n"
	    "bind NoSuchKey quit\n"
	    "bind\n"
	    "unbind -T alerts\n"
	    "just words\n";

	(void)state;
	config_init(&cf);
	assert_int_equal(cf.ascii, -1);
	assert_int_equal(config_parse(&cf, text, "cfg"), 7);
	assert_string_equal(cf.warning, "cfg:8: unknown setting \"colour\"");
	assert_string_equal(cf.url, "ws://127.0.0.1:7600");
	assert_string_equal(cf.token_file, "~/tok en");
	assert_string_equal(cf.theme, "light");
	assert_string_equal(cf.lang, "vi");	/* "fr" was refused. */
	assert_int_equal(cf.ascii, 1);		/* "maybe" too. */
	assert_int_equal(cf.nbinds, 3);
	assert_string_equal(cf.binds[0].table, "root");
	assert_string_equal(cf.binds[0].key, "F2");
	assert_string_equal(cf.binds[0].command, "ack %s");
	assert_int_equal(cf.binds[0].line, 11);
	assert_string_equal(cf.binds[1].table, "feedback");
	assert_string_equal(cf.binds[1].command, "assign %s SYT");
	assert_string_equal(cf.binds[2].key, "z");
	assert_null(cf.binds[2].command);
	config_free(&cf);
	config_free(&cf);
	config_free(NULL);

	/* Later lines win; "no" turns ascii off. */
	config_init(&cf);
	assert_int_equal(config_parse(&cf, "theme = a\ntheme = b\nascii = no",
	    "x"), 0);
	assert_string_equal(cf.theme, "b");
	assert_int_equal(cf.ascii, 0);
	config_free(&cf);

	/* The screen's gauge rate: seconds, tenths at most, 0 to 600. */
	config_init(&cf);
	assert_int_equal(cf.gauge_ms, -1);
	assert_int_equal(config_parse(&cf, "gauge_refresh = 2.5", "x"), 0);
	assert_int_equal(cf.gauge_ms, 2500);
	assert_int_equal(config_parse(&cf, "gauge_refresh = 0", "x"), 0);
	assert_int_equal(cf.gauge_ms, 0);
	assert_int_equal(config_parse(&cf, "gauge_refresh = 600", "x"), 0);
	assert_int_equal(cf.gauge_ms, 600000);
	assert_int_equal(config_parse(&cf, "gauge_refresh = 601\n"
	    "gauge_refresh = 1.25\ngauge_refresh = -1\ngauge_refresh = 5s\n"
	    "gauge_refresh = .5\ngauge_refresh =", "x"), 6);
	assert_int_equal(cf.gauge_ms, 600000);
	config_free(&cf);
}

/*
 * Test functions:
 *   config_load, config_default_path, config_expand
 */
static void
test_config_load(void **state)
{
	struct config	 cf;
	char		 dir[] = "/tmp/test-config.XXXXXX", *p, *cause = NULL;
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	p = config_default_path();
	assert_non_null(p);
	assert_int_equal(strncmp(p, dir, strlen(dir)), 0);
	assert_string_equal(p + strlen(dir), "/trucban/config");

	/* No file at the default path: fine, nothing set. */
	config_init(&cf);
	assert_int_equal(config_load(&cf, NULL, &cause), 0);
	assert_null(cause);
	assert_null(cf.url);
	/* A file named on purpose must be there. */
	assert_int_equal(config_load(&cf, "/nonexistent/config", &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	/* A directory is not a configuration file. */
	assert_int_equal(config_load(&cf, dir, &cause), -1);
	free(cause);
	cause = NULL;

	xasprintf(&cause, "%s/trucban", dir);
	assert_int_equal(mkdir(cause, 0700), 0);
	free(cause);
	cause = NULL;
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "url = ws://h:1\nnonsense\n");
	fclose(f);
	assert_int_equal(config_load(&cf, NULL, &cause), 1);
	assert_string_equal(cf.url, "ws://h:1");
	assert_string_equal(cf.path, p);
	assert_non_null(strstr(cf.warning, ":2: "));
	config_free(&cf);
	unlink(p);
	free(p);
	xasprintf(&p, "%s/trucban", dir);
	rmdir(p);
	free(p);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");

	setenv("HOME", "/home/officer", 1);
	p = config_expand("~/tok");
	assert_string_equal(p, "/home/officer/tok");
	free(p);
	p = config_expand("/abs/~/x");
	assert_string_equal(p, "/abs/~/x");
	free(p);
}

static struct store *
make_store(void)
{
	struct store	*s = store_new();
	struct alert	 a;
	int		 i;

	for (i = 0; i < 3; i++) {
		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "A%d", i);
		snprintf(a.area, sizeof a.area, "HL");
		a.severity = 2;
		a.title = xstrdup("t");
		a.place = xstrdup("");
		a.created = i;
		a.version = 1;
		store_put_alert(s, &a);
	}
	return (s);
}

static int	quits;

static void
no_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	(void)text;
}

static void
count_quit(void *arg)
{
	(void)arg;
	quits++;
}

static const struct cmd_ops test_ops = {
	.message = no_message,
	.quit = count_quit
};

/* A key as the terminal gives it: 1 if something took it. */
static int
key(int k)
{
	return (input_key(k >= KEY_MIN, (wint_t)k, 0));
}

/*
 * Test functions:
 *   config_apply_keys (through key_bind and key_unbind; the names of the
 *   old layout actions), key_list_text, key_reset, input_key
 */
static void
test_config_keys(void **state)
{
	struct config	 cf;
	struct store	*s = make_store();
	struct layout	*l;
	struct cmd_ctx	 ctx;
	char		*help, *cause = NULL;

	(void)state;
	l = layout_create(s);
	cmd_ctx_init(&ctx, s, &test_ops, NULL);
	ctx.layout = l;
	input_init(l, &ctx);
	config_init(&cf);
	assert_int_equal(config_parse(&cf,
	    "bind J down\n"
	    "bind K up\n"
	    "unbind z\n"
	    "bind x zoom\n"
	    "bind F2 ack %s\n"
	    "bind j quit\n"
	    "bind -T nowhere Z zoom\n"
	    "bind -T alerts Z zoom\n"
	    "bind Q no-such-action\n", "keys"), 0);
	assert_int_equal(config_apply_keys(&cf), 2);
	assert_string_equal(cf.warning,
	    "keys:7: no key table \"nowhere\" (root, replay, or a "
	    "panel: alerts, hospitals, schools, feedback)");

	/* J and K now move; z no longer zooms; x does. */
	assert_string_equal(panel_selected(layout_focused(l)), "A0");
	assert_int_equal(key('J'), 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A1");
	assert_int_equal(key('K'), 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A0");
	assert_int_equal(key('z'), 0);
	assert_int_equal(l->zoom, 0);
	assert_int_equal(key('x'), 1);
	assert_int_equal(l->zoom, 1);
	/* Z zooms in the alerts panel's table. */
	assert_int_equal(key('Z'), 1);
	assert_int_equal(l->zoom, 0);
	/* j went to quit: it no longer moves. */
	assert_int_equal(key('j'), 1);
	assert_int_equal(quits, 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A0");
	/* Down still moves. */
	assert_int_equal(key(KEY_DOWN), 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A1");
	/* An unknown command was not bound. */
	assert_int_equal(key('Q'), 0);

	/* The help shows the keys as they are now. */
	help = key_list_text();
	assert_non_null(strstr(help, "Down, J "));
	assert_non_null(strstr(help, ":ack %s"));
	assert_non_null(strstr(help, "j, C-c "));
	assert_non_null(strstr(help, "Z          :zoom (Alerts)"));
	assert_null(strstr(help, "\nz "));
	free(help);

	/* Unknown commands are refused; reset gives the defaults back. */
	assert_int_equal(key_bind("root", "Q", "no-such-action", &cause), -1);
	assert_non_null(strstr(cause, "no-such-action"));
	free(cause);
	cause = NULL;
	assert_int_equal(key_check_command("detail", &cause), 0);
	key_reset();
	assert_int_equal(key('J'), 0);
	assert_int_equal(key('z'), 1);
	help = key_list_text();
	assert_non_null(strstr(help, "Tab"));
	assert_non_null(strstr(help, "Up, k "));
	free(help);
	config_free(&cf);
	input_free();
	layout_free(l);
	store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_parse),
		cmocka_unit_test(test_config_load),
		cmocka_unit_test(test_config_keys),
	};

	log_level = LOG_WARN;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
