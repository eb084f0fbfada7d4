/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * "trucban --demo": run trucban-backend as a child on a free loopback port,
 * read its address, and end it when the console ends.
 */

#ifndef DEMO_H
#define DEMO_H

#define DEMO_START_MS	5000	/* Wait this long for "listening on". */

int	 demo_start(const char *data_dir, const char *log_path,
	     const char *const *args, int nargs, char **url, char **cause);
int	 demo_fd(void);
int	 demo_read(void);
char	*demo_reap(void);
void	 demo_stop(void);

#endif
