/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Unit tests for themes: styles, theme files, the search path, colour. */

#include <sys/stat.h>

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "theme.h"
#include "xmalloc.h"
#include "lib/test-term.h"

/* The tests run from the top of the tree (scripts/run-tests.sh). */
#define SHIPPED	"themes"

static struct test_term	tterm;

/*
 * Test functions:
 *   theme_style_parse, theme_find, theme_set
 */
static void
test_theme_style(void **state)
{
	struct theme_style	 st;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(theme_style_parse("fg=red, bold,bg=colour244",
	    &st, NULL), 0);
	assert_int_equal(st.fg, COLOR_RED);
	assert_int_equal(st.bg, 244);
	assert_int_equal(st.attrs, A_BOLD);
	assert_int_equal(theme_style_parse("default", &st, NULL), 0);
	assert_int_equal(st.fg, THEME_COLOUR_DEFAULT);
	assert_int_equal(st.attrs, A_NORMAL);
	assert_int_equal(theme_style_parse("reverse,underline,dim,fg=color7",
	    &st, NULL), 0);
	assert_int_equal(st.attrs, A_REVERSE | A_UNDERLINE | A_DIM);
	assert_int_equal(st.fg, 7);
	assert_int_equal(theme_style_parse("fg=brightred,bg=brightwhite", &st,
	    NULL), 0);
	assert_int_equal(st.fg, 9);
	assert_int_equal(st.bg, 15);

	assert_int_equal(theme_style_parse("fg=purple", &st, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "fg=purple"));
	free(cause);
	cause = NULL;
	assert_int_equal(theme_style_parse("fg=colour256", &st, NULL), -1);
	assert_int_equal(theme_style_parse("fg=colour", &st, NULL), -1);
	assert_int_equal(theme_style_parse("fg=colour-1", &st, NULL), -1);
	assert_int_equal(theme_style_parse("blink", &st, NULL), -1);

	assert_int_equal(theme_find("alert.sev4"), THEME_SEV4);
	assert_int_equal(theme_find("panel.border.focus"), THEME_BORDER_FOCUS);
	assert_int_equal(theme_find("panel.stale"), THEME_STALE);
	assert_int_equal(theme_find("alert.sev5"), -1);
	assert_int_equal(theme_set("alert.sev5", "bold", 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(theme_set("muted", "fg=nope", 1, &cause), -1);
	free(cause);
	theme_reset();
}

/*
 * Test functions:
 *   theme_parse, theme_warning, theme_name, theme_reset
 */
static void
test_theme_parse_warnings(void **state)
{
	const char	*text =
	    "# comment\n"
	    "name = t1\n"
	    "colour = yes\n"
	    "\n"
	    "[styles]\n"
	    "alert.sev4 = fg=red,bold\n"
	    "alert.eror = fg=red\n"
	    "panel.border = fg=purple\n"
	    "no equals here\n"
	    "panel.title =\n"
	    "[sideways]\n"
	    "normal = fg=green\n"
	    "[mono]\n"
	    "selected = underline\n"
	    "  ok =  fg=green , bold  \r\n";
	char		*cause = NULL;

	(void)state;
	theme_init(0);
	assert_int_equal(theme_parse(text, "t1.theme", &cause), 6);
	assert_non_null(cause);
	/* The first warning names the file and the line. */
	assert_string_equal(theme_warning(),
	    "t1.theme:3: unknown key \"colour\"");
	assert_non_null(strstr(cause, "t1.theme:3:"));
	free(cause);
	assert_string_equal(theme_name(), "t1");
	/* The good lines took effect (mono styles: colour is off). */
	assert_int_equal(theme_attr(THEME_SELECTED), A_UNDERLINE);
	/* A slot the file left out keeps its built-in style. */
	assert_int_equal(theme_attr(THEME_SEV4), A_BOLD | A_REVERSE);

	/* Nothing at all is a good theme; so is NULL. */
	assert_int_equal(theme_parse("", "empty", NULL), 0);
	assert_string_equal(theme_warning(), "");
	assert_int_equal(theme_attr(THEME_SELECTED), A_REVERSE);
	assert_int_equal(theme_parse(NULL, "null", NULL), 0);

	/* Long and odd lines do not break it. */
	{
		char	*big = xmalloc(100000);

		memset(big, 'x', 99999);
		big[99999] = '\0';
		big[50] = '=';
		assert_int_equal(theme_parse(big, "big", NULL), 1);
		big[50] = '\n';
		assert_int_equal(theme_parse(big, "big", NULL), 2);
		free(big);
	}
	assert_int_equal(theme_parse("[styles]\nok = fg=green\xff\n",
	    "bad-utf8", NULL), 1);
	theme_reset();
	assert_string_equal(theme_name(), "default");
}

/*
 * Test functions:
 *   theme_load_file, theme_load, theme_path, theme_list
 */
static void
test_theme_files(void **state)
{
	static const char *const shipped[] = {
		"default", "light", "high-contrast", "mono", "colourblind"
	};
	char		*cause = NULL, *path, **names;
	size_t		 i, k;
	int		 found;

	(void)state;
	theme_init(0);
	/* Every shipped theme loads without a single warning. */
	for (i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		path = theme_path(shipped[i]);
		assert_non_null(path);
		assert_non_null(strstr(path, SHIPPED "/"));
		assert_int_equal(theme_load(shipped[i], &cause), 0);
		assert_null(cause);
		assert_string_equal(theme_name(), shipped[i]);
		free(path);
	}

	/* The broken fixture: warnings with file:line, never a failure. */
	assert_int_equal(theme_load("tests/data/broken.theme", &cause), 7);
	assert_non_null(cause);
	assert_string_equal(theme_warning(),
	    "tests/data/broken.theme:3: unknown key \"colour\"");
	free(cause);
	cause = NULL;
	assert_string_equal(theme_name(), "broken");
	/* A NUL byte ends the text. */
	assert_int_equal(theme_load("tests/data/nul.theme", &cause), 0);
	assert_string_equal(theme_name(), "nul");

	/* Unknown: an error, and the theme in use stays. */
	assert_int_equal(theme_load("no-such-theme", &cause), -1);
	assert_non_null(strstr(cause, "no-such-theme"));
	free(cause);
	cause = NULL;
	assert_string_equal(theme_name(), "nul");
	assert_int_equal(theme_load("/nonexistent/x.theme", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(theme_load_file("tests/data", &cause), -1);
	free(cause);
	cause = NULL;
	assert_null(theme_path("../etc/passwd"));
	assert_null(theme_path(""));

	/* "default" works even without its file. */
	assert_int_equal(theme_load("default", NULL), 0);
	assert_string_equal(theme_name(), "default");

	/* XDG_CONFIG_HOME/trucban/themes is searched, after ./themes. */
	{
		char	 dir[] = "/tmp/test-theme.XXXXXX", *sub, *file;
		FILE	*f;

		assert_non_null(mkdtemp(dir));
		xasprintf(&sub, "%s/trucban", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
		free(sub);
		xasprintf(&sub, "%s/trucban/themes", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
		xasprintf(&file, "%s/mine.theme", sub);
		f = fopen(file, "w");
		assert_non_null(f);
		fprintf(f, "name = mine\n[mono]\nselected = bold\n");
		fclose(f);
		setenv("XDG_CONFIG_HOME", dir, 1);
		assert_int_equal(theme_load("mine", NULL), 0);
		assert_string_equal(theme_name(), "mine");
		assert_int_equal(theme_attr(THEME_SELECTED), A_BOLD);
		names = theme_list();
		for (k = 0; k < sizeof shipped / sizeof shipped[0]; k++) {
			found = 0;
			for (i = 0; names[i] != NULL; i++)
				found += strcmp(names[i], shipped[k]) == 0;
			assert_int_equal(found, 1);
		}
		found = 0;
		for (i = 0; names[i] != NULL; i++) {
			found += strcmp(names[i], "mine") == 0;
			if (i > 0)
				assert_true(strcmp(names[i - 1],
				    names[i]) < 0);
		}
		assert_int_equal(found, 1);
		theme_list_free(names);
		theme_list_free(NULL);
		unlink(file);
		rmdir(sub);
		free(file);
		free(sub);
		xasprintf(&sub, "%s/trucban", dir);
		rmdir(sub);
		free(sub);
		rmdir(dir);
		unsetenv("XDG_CONFIG_HOME");
	}
	theme_reset();
}

/* Write a theme called name into dir/name.theme. */
static void
write_theme(const char *dir, const char *name)
{
	char	*file;
	FILE	*f;

	xasprintf(&file, "%s/%s.theme", dir, name);
	assert_non_null(f = fopen(file, "w"));
	fprintf(f, "name = %s\n[mono]\nselected = bold\n", name);
	fclose(f);
	free(file);
}

/*
 * Test functions:
 *   theme_path, theme_load, theme_list (from another directory: the
 *   build tree's themes, $TRUCBAN_DATADIR/themes, a unique prefix)
 */
static void
test_theme_elsewhere(void **state)
{
	char	 dir[] = "/tmp/test-theme-dir.XXXXXX", cwd[4096];
	char	*path, *themes, *cause = NULL;

	(void)state;
	theme_init(0);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_non_null(mkdtemp(dir));
	xasprintf(&themes, "%s/themes", dir);
	assert_int_equal(mkdir(themes, 0700), 0);
	write_theme(themes, "installed");
	write_theme(themes, "lighter");
	setenv("TRUCBAN_DATADIR", dir, 1);
	/* No ./themes here: the build tree's are found all the same. */
	assert_int_equal(chdir("/"), 0);
	path = theme_path("light");
	assert_non_null(path);
	assert_true(path[0] == '/');
	assert_non_null(strstr(path, "/themes/light.theme"));
	assert_null(strstr(path, "/../"));
	free(path);
	assert_int_equal(theme_load("colourblind", NULL), 0);
	assert_string_equal(theme_name(), "colourblind");
	/* The installed data directory. */
	assert_int_equal(theme_load("installed", NULL), 0);
	assert_string_equal(theme_name(), "installed");
	/* A unique start of a name; an ambiguous one is refused. */
	assert_int_equal(theme_load("high", NULL), 0);
	assert_string_equal(theme_name(), "high-contrast");
	assert_int_equal(theme_load("li", &cause), -1);
	assert_non_null(strstr(cause, "\"li\""));
	free(cause);
	assert_string_equal(theme_name(), "high-contrast");
	assert_int_equal(theme_load("ligh", &cause), -1);
	free(cause);
	assert_int_equal(theme_load("lighte", NULL), 0);
	assert_string_equal(theme_name(), "lighter");

	assert_int_equal(chdir(cwd), 0);
	unsetenv("TRUCBAN_DATADIR");
	xasprintf(&path, "%s/installed.theme", themes);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/lighter.theme", themes);
	unlink(path);
	free(path);
	rmdir(themes);
	free(themes);
	rmdir(dir);
	theme_reset();
}

static int
term_setup(void **state)
{
	(void)state;
	return (test_term_open(&tterm, 24, 80));
}

static int
term_teardown(void **state)
{
	(void)state;
	test_term_close(&tterm);
	return (0);
}

/*
 * Test functions:
 *   theme_init, theme_attr, theme_colour, theme_set, theme_load (with a
 *   terminal: colour pairs, NO_COLOR, the mono theme)
 */
static void
test_theme_colour(void **state)
{
	char	*cause = NULL;
	int	 i;

	(void)state;
	/* NO_COLOR: attributes only, from the monochrome styles. */
	setenv("NO_COLOR", "1", 1);
	theme_init(1);
	assert_int_equal(theme_colour(), 0);
	assert_int_equal(theme_attr(THEME_SEV4), A_BOLD | A_REVERSE);
	assert_int_equal(theme_attr(THEME_SELECTED), A_REVERSE);
	assert_int_equal(theme_attr(THEME_SEV4) & A_COLOR, 0);
	assert_int_equal(theme_set("alert.sev4", "underline", 1, &cause), 0);
	assert_int_equal(theme_attr(THEME_SEV4), A_UNDERLINE);
	/* A colour theme under NO_COLOR: still no colour anywhere. */
	assert_int_equal(theme_load("high-contrast", NULL), 0);
	for (i = 0; i < THEME_COUNT; i++)
		assert_int_equal(theme_attr(i) & A_COLOR, 0);
	/* An empty NO_COLOR does not count. */
	setenv("NO_COLOR", "", 1);
	theme_init(1);
	assert_int_equal(theme_colour(), 1);
	unsetenv("NO_COLOR");

	/* Colour asked for but turned off by the caller. */
	theme_init(0);
	assert_int_equal(theme_colour(), 0);
	assert_int_equal(theme_attr(THEME_SEV4), A_BOLD | A_REVERSE);

	/* Colour: pairs are allocated, shared between equal styles. */
	theme_init(1);
	assert_int_equal(theme_colour(), 1);
	assert_int_not_equal(PAIR_NUMBER(theme_attr(THEME_SEV4)), 0);
	assert_true(theme_attr(THEME_SEV4) & A_BOLD);
	assert_int_equal(PAIR_NUMBER(theme_attr(THEME_SEV4)),
	    PAIR_NUMBER(theme_attr(THEME_ERROR)));
	assert_int_not_equal(PAIR_NUMBER(theme_attr(THEME_SEV4)),
	    PAIR_NUMBER(theme_attr(THEME_OK)));
	assert_int_equal(theme_attr(THEME_SELECTED), A_REVERSE);
	assert_int_equal(theme_set("ok", "fg=red,bold", 0, &cause), 0);
	assert_int_equal(theme_attr(THEME_OK), theme_attr(THEME_SEV4));
	assert_int_equal(theme_attr(THEME_COUNT), A_NORMAL);

	/* mono.theme on a colour terminal: not one colour pair. */
	assert_int_equal(theme_load("mono", NULL), 0);
	assert_int_equal(theme_colour(), 1);
	for (i = 0; i < THEME_COUNT; i++)
		assert_int_equal(PAIR_NUMBER(theme_attr(i)), 0);
	assert_int_equal(theme_attr(THEME_SEV4), A_BOLD | A_REVERSE);

	/* Switching themes at run time changes the attributes. */
	assert_int_equal(theme_load("light", NULL), 0);
	assert_int_not_equal(PAIR_NUMBER(theme_attr(THEME_SELECTED)), 0);
	assert_int_equal(theme_load("default", NULL), 0);
	assert_int_equal(theme_attr(THEME_SELECTED), A_REVERSE);
	theme_init(1);
}

/*
 * Test functions:
 *   theme_slots (parents), theme_attr, theme_set, theme_load (a slot that
 *   adds to a parent keeps the look the code had with "| A_BOLD" in every
 *   theme, and follows its parent when a theme changes it)
 */
static void
test_theme_parents(void **state)
{
	static const struct {
		enum theme_slot	 slot, parent;
		attr_t		 colour, mono;	/* What the code added. */
	} was[] = {
		{ THEME_HEADER_BRAND, THEME_HEADER, A_BOLD, A_BOLD },
		{ THEME_HEADER_LINK, THEME_HEADER, A_BOLD, A_BOLD },
		{ THEME_HEADER_LINK_WARN, THEME_WARN, A_REVERSE | A_BOLD,
		  A_REVERSE | A_BOLD },
		{ THEME_HEADER_LINK_CRIT, THEME_CRIT, A_REVERSE | A_BOLD,
		  A_REVERSE | A_BOLD },
		{ THEME_HEADER_EXERCISE, THEME_EXERCISE, A_REVERSE | A_BOLD,
		  A_REVERSE | A_BOLD },
		{ THEME_TAB_FOCUS, THEME_SELECTED, A_BOLD, A_BOLD },
		{ THEME_STATUS_SEV4, THEME_STATUS, 0, A_BOLD },
		{ THEME_STATUS_OVERDUE, THEME_STATUS, A_BOLD, A_BOLD },
		{ THEME_STATUS_ERROR, THEME_ERROR, A_BOLD, A_BOLD | A_REVERSE },
		{ THEME_TOO_SMALL, THEME_WARN, A_BOLD, A_BOLD },
		{ THEME_PROMPT_QUESTION, THEME_WARN, A_BOLD, A_BOLD },
		{ THEME_ALERT_ROW_CRITICAL, THEME_NORMAL, A_BOLD, A_BOLD },
		{ THEME_ALERT_ROW_NEW, THEME_NORMAL, A_BOLD, A_BOLD },
		{ THEME_ALERT_DETAIL_SEV1, THEME_SEV1, A_BOLD, A_BOLD },
		{ THEME_ALERT_DETAIL_SEV2, THEME_SEV2, A_BOLD, A_BOLD },
		{ THEME_ALERT_DETAIL_SEV3, THEME_SEV3, A_BOLD, A_BOLD },
		{ THEME_ALERT_DETAIL_SEV4, THEME_SEV4, A_BOLD, A_BOLD },
		{ THEME_ALERT_DETAIL_STATE, THEME_NORMAL, A_BOLD, A_BOLD },
	};
	static const char *const themes[] = { "default", "light",
	    "high-contrast", "mono" };
	char	*cause = NULL;
	size_t	 i, t;
	int	 mono;

	(void)state;
	for (i = 0; i < THEME_COUNT; i++) {
		assert_int_equal(theme_slots[i].slot, i);
		assert_true(theme_slots[i].parent < (int)i);
	}
	assert_int_equal(sizeof was / sizeof was[0],
	    THEME_COUNT - THEME_HEADER_BRAND);
	for (mono = 0; mono < 2; mono++) {
		if (mono)
			setenv("NO_COLOR", "1", 1);
		for (t = 0; t < sizeof themes / sizeof themes[0]; t++) {
			theme_init(1);
			assert_int_equal(theme_load(themes[t], NULL), 0);
			for (i = 0; i < sizeof was / sizeof was[0]; i++) {
				assert_int_equal(theme_slots[was[i].slot].parent,
				    was[i].parent);
				assert_int_equal(theme_attr(was[i].slot),
				    theme_attr(was[i].parent) |
				    (mono ? was[i].mono : was[i].colour));
			}
		}
		unsetenv("NO_COLOR");
	}

	/* A parent changed: its slots follow, in the parent's colours. */
	theme_init(1);
	assert_int_equal(theme_set("header", "fg=white,bg=blue", 0, &cause),
	    0);
	assert_int_equal(theme_attr(THEME_HEADER_BRAND),
	    theme_attr(THEME_HEADER) | A_BOLD);
	assert_int_not_equal(PAIR_NUMBER(theme_attr(THEME_HEADER_BRAND)), 0);
	/* A slot of its own: its colour wins, the parent's attributes stay. */
	assert_int_equal(theme_set("header.brand", "fg=yellow", 0, &cause),
	    0);
	assert_int_not_equal(PAIR_NUMBER(theme_attr(THEME_HEADER_BRAND)),
	    PAIR_NUMBER(theme_attr(THEME_HEADER)));
	assert_int_equal(theme_attr(THEME_HEADER_BRAND) & A_BOLD, 0);
	assert_int_equal(theme_set("header", "fg=white,bg=blue,underline", 0,
	    &cause), 0);
	assert_true(theme_attr(THEME_HEADER_BRAND) & A_UNDERLINE);
	theme_init(1);
}

int
main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_theme_style),
		cmocka_unit_test(test_theme_parse_warnings),
		cmocka_unit_test(test_theme_files),
		cmocka_unit_test(test_theme_elsewhere),
	};
	const struct CMUnitTest term[] = {
		cmocka_unit_test(test_theme_colour),
		cmocka_unit_test(test_theme_parents),
	};
	int	 fails;

	setlocale(LC_ALL, "C.UTF-8");
	fails = cmocka_run_group_tests_name("theme", plain, NULL, NULL);
	fails += cmocka_run_group_tests_name("theme-term", term, term_setup,
	    term_teardown);
	return (fails);
}
