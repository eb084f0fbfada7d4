/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The backend's seeded pseudo-random generator (xoshiro256**, seeded with
 * splitmix64). The same seed gives the same sequence on every machine, so a
 * simulated province is reproducible.
 */

#ifndef BE_RNG_H
#define BE_RNG_H

#include <stddef.h>
#include <stdint.h>

struct be_rng {
	uint64_t	s[4];
};

void		be_rng_seed(struct be_rng *, uint64_t seed);
uint64_t	be_rng_next(struct be_rng *);
uint32_t	be_rng_below(struct be_rng *, uint32_t n);
int		be_rng_range(struct be_rng *, int lo, int hi);
int		be_rng_percent(struct be_rng *, int percent);
size_t		be_rng_weighted(struct be_rng *, const unsigned *weights,
		    size_t n);

#endif
