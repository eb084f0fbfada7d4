/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The one clock. Every timestamp in both programs comes from here, so tests,
 * simulations and replays can drive time. Times are milliseconds since the
 * Unix epoch (UTC) in int64_t.
 */

#ifndef CLOCK_H
#define CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t	clock_now(void);	/* Wall time in ms, real or driven. */
int64_t	clock_mono(void);	/* Monotonic ms; driven too when set. */
int64_t	clock_mono_us(void);	/* Monotonic us, real: measuring. */
void	clock_set_real(void);
void	clock_set_fixed(int64_t);	/* Freeze at this wall time. */
void	clock_advance(int64_t);		/* Move a frozen clock on. */
void	clock_set_offset(int64_t);	/* Real time plus an offset (replay). */
void	clock_pin(int64_t);		/* Wall time set; monotonic real. */
int	clock_is_driven(void);

/* Format ms as local "HH:MM:SS" at utc_offset_min (UTC+7 = 420). */
void	clock_hms(int64_t, int utc_offset_min, char *, size_t);

#endif
