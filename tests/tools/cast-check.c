/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * cast-check: is a file a valid asciicast v2 (docs.asciinema.org,
 * "asciicast v2")? The first line a JSON object with "version" 2 and
 * positive integer "width" and "height" (and, when present, an integer
 * "timestamp", a number "duration" and "idle_time_limit", strings
 * "command" and "title", an object of strings "env"); every other line
 * an event, [TIME, CODE, DATA], TIME a number not below the one before,
 * CODE one of "o", "i", "m", "r", DATA a string ("r": "COLSxROWS").
 *
 *   cast-check [-o] FILE
 *
 * Prints "events N, duration S" and exits 0, or prints what is wrong and
 * exits 1. With -o, prints what the "o" events wrote instead, as one
 * text (the terminal's input, for tests to grep).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int
cast_check_fail(const char *file, size_t line, const char *why)
{
	fprintf(stderr, "cast-check: %s:%zu: %s\n", file, line, why);
	return (1);
}

static int
cast_check_header(json_t *h, const char *file)
{
	json_t		*v;
	const char	*key;

	if (!json_is_object(h))
		return (cast_check_fail(file, 1, "the header is not an "
		    "object"));
	if (json_integer_value(json_object_get(h, "version")) != 2 ||
	    !json_is_integer(json_object_get(h, "version")))
		return (cast_check_fail(file, 1, "\"version\" is not 2"));
	if (json_integer_value(json_object_get(h, "width")) <= 0 ||
	    json_integer_value(json_object_get(h, "height")) <= 0)
		return (cast_check_fail(file, 1, "\"width\" and \"height\" "
		    "must be positive integers"));
	if ((v = json_object_get(h, "timestamp")) != NULL &&
	    !json_is_integer(v))
		return (cast_check_fail(file, 1, "\"timestamp\" is not an "
		    "integer"));
	if (((v = json_object_get(h, "duration")) != NULL &&
	    !json_is_number(v)) || ((v = json_object_get(h,
	    "idle_time_limit")) != NULL && !json_is_number(v)))
		return (cast_check_fail(file, 1, "\"duration\" or "
		    "\"idle_time_limit\" is not a number"));
	if (((v = json_object_get(h, "title")) != NULL &&
	    !json_is_string(v)) || ((v = json_object_get(h, "command")) !=
	    NULL && !json_is_string(v)))
		return (cast_check_fail(file, 1, "\"title\" or \"command\" is "
		    "not a string"));
	if ((v = json_object_get(h, "env")) != NULL) {
		if (!json_is_object(v))
			return (cast_check_fail(file, 1, "\"env\" is not an "
			    "object"));
		json_object_foreach(json_object_get(h, "env"), key, v) {
			if (!json_is_string(v))
				return (cast_check_fail(file, 1, "\"env\" "
				    "holds a value that is not a string"));
		}
	}
	return (0);
}

int
main(int argc, char **argv)
{
	FILE		*f;
	json_t		*v, *t, *code, *data;
	json_error_t	 jerr;
	const char	*file, *c;
	char		*line = NULL;
	size_t		 cap = 0, lineno = 0, events = 0;
	ssize_t		 n;
	double		 last = 0;
	int		 out = 0, cols, rows;

	if (argc == 3 && strcmp(argv[1], "-o") == 0)
		out = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: cast-check [-o] FILE\n");
		return (2);
	}
	file = argv[argc - 1];
	if ((f = fopen(file, "r")) == NULL) {
		perror(file);
		return (1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] != '\n')
			return (cast_check_fail(file, lineno, "no end of "
			    "line"));
		if ((v = json_loadb(line, (size_t)n, 0, &jerr)) == NULL)
			return (cast_check_fail(file, lineno, jerr.text));
		if (lineno == 1) {
			if (cast_check_header(v, file) != 0)
				return (1);
			json_decref(v);
			continue;
		}
		t = json_array_get(v, 0);
		code = json_array_get(v, 1);
		data = json_array_get(v, 2);
		if (!json_is_array(v) || json_array_size(v) != 3 ||
		    !json_is_number(t) || !json_is_string(code) ||
		    !json_is_string(data))
			return (cast_check_fail(file, lineno, "an event is "
			    "[TIME, CODE, DATA]"));
		if (json_number_value(t) < last)
			return (cast_check_fail(file, lineno, "time goes "
			    "back"));
		last = json_number_value(t);
		c = json_string_value(code);
		if (strcmp(c, "o") != 0 && strcmp(c, "i") != 0 &&
		    strcmp(c, "m") != 0 && strcmp(c, "r") != 0)
			return (cast_check_fail(file, lineno, "an unknown "
			    "event code"));
		if (strcmp(c, "r") == 0 && (sscanf(json_string_value(data),
		    "%dx%d", &cols, &rows) != 2 || cols <= 0 || rows <= 0))
			return (cast_check_fail(file, lineno, "a resize is not "
			    "COLSxROWS"));
		if (out && strcmp(c, "o") == 0)
			fwrite(json_string_value(data), 1,
			    json_string_length(data), stdout);
		events++;
		json_decref(v);
	}
	free(line);
	fclose(f);
	if (lineno == 0)
		return (cast_check_fail(file, 0, "empty"));
	if (!out)
		printf("events %zu, duration %.3f\n", events, last);
	return (0);
}
