/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's test fixture: the small province of tests/data
 * (be-province.json, be-texts.json), found under $TRUCBAN_SRCDIR when
 * it is set, else under the current directory (make check runs the tests
 * from the source tree).
 */

#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

struct be_data;
struct be_rng;
struct store;

const char	*test_srcdir(void);
/* The fixture loaded into s, with rng; fails the test if it does not. */
struct be_data	*test_fixture_load(struct store *, struct be_rng *);

#endif
