/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Seeded pseudo-random numbers: splitmix64 seeding, xoshiro256** output. */

#include "be-rng.h"

static uint64_t
be_rng_splitmix(uint64_t *x)
{
	uint64_t	z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static uint64_t
be_rng_rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/*
 * Seed the generator. Every seed, 0 included, gives a usable state.
 */
void
be_rng_seed(struct be_rng *r, uint64_t seed)
{
	uint64_t	x = seed;
	int		i;

	for (i = 0; i < 4; i++)
		r->s[i] = be_rng_splitmix(&x);
}

/*
 * Return the next 64 random bits.
 */
uint64_t
be_rng_next(struct be_rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = be_rng_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = be_rng_rotl(s[3], 45);
	return (result);
}

/*
 * Return a uniform number in [0, n), without modulo bias; 0 when n is 0.
 */
uint32_t
be_rng_below(struct be_rng *r, uint32_t n)
{
	uint32_t	x, limit;

	if (n == 0)
		return (0);
	limit = UINT32_MAX - UINT32_MAX % n;
	do
		x = (uint32_t)(be_rng_next(r) >> 32);
	while (x >= limit);
	return (x % n);
}

/*
 * Return a uniform integer in [lo, hi]; lo when hi <= lo.
 */
int
be_rng_range(struct be_rng *r, int lo, int hi)
{
	if (hi <= lo)
		return (lo);
	return (lo + (int)be_rng_below(r, (uint32_t)((int64_t)hi - lo + 1)));
}

/*
 * Return 1 with the given probability in percent, else 0.
 */
int
be_rng_percent(struct be_rng *r, int percent)
{
	return ((int)be_rng_below(r, 100) < percent);
}

/*
 * Pick an index in [0, n) with probability proportional to weights[i].
 * Returns n when every weight is zero.
 */
size_t
be_rng_weighted(struct be_rng *r, const unsigned *weights, size_t n)
{
	uint64_t	total = 0, x;
	size_t		i;

	for (i = 0; i < n; i++)
		total += weights[i];
	if (total == 0 || total > UINT32_MAX)
		return (n);
	x = be_rng_below(r, (uint32_t)total);
	for (i = 0; i < n; i++) {
		if (x < weights[i])
			return (i);
		x -= weights[i];
	}
	return (n);
}
