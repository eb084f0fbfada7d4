/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A main for a libFuzzer target without libFuzzer: runs the target once
 * on every file named, and on every regular file in every directory
 * named (in name order). make check links each tests/fuzz/fuzz-NAME.c
 * with this, under gcc with ASan and UBSan, and replays the seed corpus
 * tests/fuzz/corpus/NAME/, so every input that ever found a bug stays a
 * regression test on a machine without clang.
 *
 *   replay-NAME [-v] FILE|DIR...
 *
 * -v names each input before it runs. Exits 0 when every input ran
 * (a crash is the sanitiser's abort), 1 when there was none or one could
 * not be read.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static int	replay_verbose;

/*
 * Run the target on the file at path, read into a buffer of exactly its
 * size (so ASan sees a read past the end). Returns 0, or -1 when the
 * file cannot be read.
 */
static int
replay_file(const char *path)
{
	FILE		*f;
	struct stat	 sb;
	uint8_t		*buf;
	size_t		 len;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &sb) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return (-1);
	}
	len = (size_t)sb.st_size;
	if ((buf = malloc(len > 0 ? len : 1)) == NULL ||
	    fread(buf, 1, len, f) != len) {
		fprintf(stderr, "replay: %s: cannot read it\n", path);
		free(buf);
		fclose(f);
		return (-1);
	}
	fclose(f);
	if (replay_verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return (0);
}

static int
replay_select(const struct dirent *d)
{
	return (d->d_name[0] != '.');
}

/*
 * Run the target on path: a file, or every regular file in a directory.
 * Adds the inputs run to *n. Returns 0, or -1 on an unreadable one.
 */
static int
replay_path(const char *path, int *n)
{
	struct dirent	**list;
	struct stat	  sb;
	char		 *file;
	int		  i, count, rv = 0;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		if (replay_file(path) != 0)
			return (-1);
		(*n)++;
		return (0);
	}
	if ((count = scandir(path, &list, replay_select, alphasort)) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	for (i = 0; i < count; i++) {
		if (asprintf(&file, "%s/%s", path, list[i]->d_name) == -1)
			abort();
		if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (replay_file(file) != 0)
				rv = -1;
			else
				(*n)++;
		}
		free(file);
		free(list[i]);
	}
	free(list);
	return (rv);
}

int
main(int argc, char **argv)
{
	int	i, n = 0, rv = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			replay_verbose = 1;
			continue;
		}
		if (replay_path(argv[i], &n) != 0)
			rv = 1;
	}
	printf("replay: %d input%s\n", n, n == 1 ? "" : "s");
	if (n == 0) {
		fprintf(stderr, "replay: no inputs\n");
		rv = 1;
	}
	return (rv);
}
