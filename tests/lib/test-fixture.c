/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The backend's test fixture (test-fixture.h). */

#include "test-fixture.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "be-data.h"
#include "xmalloc.h"

const char *
test_srcdir(void)
{
	const char	*s = getenv("TRUCBAN_SRCDIR");

	return (s != NULL ? s : ".");
}

struct be_data *
test_fixture_load(struct store *s, struct be_rng *rng)
{
	struct be_data	*d = NULL;
	char		*prov, *texts, *cause = NULL;

	xasprintf(&prov, "%s/tests/data/be-province.json", test_srcdir());
	xasprintf(&texts, "%s/tests/data/be-texts.json", test_srcdir());
	if (be_data_load_files(prov, texts, s, rng, &d, &cause) != 0)
		fail_msg("the fixture does not load: %s", cause);
	free(prov);
	free(texts);
	return (d);
}
