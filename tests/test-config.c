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

#include "config.h"
#include "input.h"
#include "layout.h"
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

/*
 * Test functions:
 *   config_apply_keys, layout_bind, layout_unbind, layout_keys_reset,
 *   layout_action_find, layout_help_text, input_bind, input_help_text
 */
static void
test_config_keys(void **state)
{
	struct config	 cf;
	struct store	*s = make_store();
	struct layout	*l;
	char		*help;

	(void)state;
	l = layout_create(s);
	config_init(&cf);
	assert_int_equal(config_parse(&cf,
	    "bind J down\n"
	    "bind K up\n"
	    "unbind z\n"
	    "bind x zoom\n"
	    "bind F2 ack %s\n"
	    "bind j quit\n"
	    "bind -T alerts Z zoom\n", "keys"), 0);
	assert_int_equal(config_apply_keys(&cf), 1);
	assert_string_equal(cf.warning,
	    "keys:7: layout actions are bound in the root table");

	/* J and K now move; z no longer zooms; x does. */
	assert_string_equal(panel_selected(layout_focused(l)), "A0");
	assert_int_equal(layout_key(l, 'J'), 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A1");
	assert_int_equal(layout_key(l, 'K'), 1);
	assert_string_equal(panel_selected(layout_focused(l)), "A0");
	assert_int_equal(layout_key(l, 'z'), 0);
	assert_int_equal(l->zoom, 0);
	assert_int_equal(layout_key(l, 'x'), 1);
	assert_int_equal(l->zoom, 1);
	/* j went to a command: the layout lets it through. */
	assert_int_equal(layout_key(l, 'j'), 0);
	/* Down still moves. */
	assert_int_equal(layout_key(l, KEY_DOWN), 1);

	/* The help shows the keys as they are now. */
	help = input_help_text();
	assert_non_null(strstr(help, "Down, J "));
	assert_non_null(strstr(help, ":ack %s"));
	assert_non_null(strstr(help, ":quit"));
	assert_null(strstr(help, "\nz "));
	free(help);

	/* Unknown actions are refused; reset gives the defaults back. */
	assert_int_equal(layout_bind('Q', "Q", "no-such-action"), -1);
	assert_int_equal(layout_action_find("detail") >= 0, 1);
	layout_keys_reset();
	input_unbind_all();
	assert_int_equal(layout_key(l, 'J'), 0);
	assert_int_equal(layout_key(l, 'z'), 1);
	help = layout_help_text();
	assert_non_null(strstr(help, "Tab"));
	assert_non_null(strstr(help, "Up, k "));
	free(help);
	config_free(&cf);
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

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
