/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The bottom line: the ':' command line (GNU readline in callback mode,
 * drawn by us), a y/n question, or the key hints; and the overlay that
 * shows several lines (help, keys).
 */

#ifndef PROMPT_H
#define PROMPT_H

#include <wchar.h>

struct layout;
struct cmd_ctx;
struct outbox;
struct store;

void	prompt_init(struct layout *, struct cmd_ctx *, struct store *);
void	prompt_set_outbox(struct outbox *);
void	prompt_free(void);
void	prompt_resize(int lines, int cols);
int	prompt_active(void);
int	prompt_asking(void);
void	prompt_ask(const char *question, const char *line);
void	prompt_open(const char *text);
void	prompt_cancel(void);
void	prompt_key(int fkey, wint_t wc, int meta);
void	prompt_changed(void);
void	prompt_draw(void);
int	prompt_place_cursor(void);
void	prompt_pager(const char *title, const char *text);
int	prompt_pager_active(void);
int	prompt_pager_key(int fkey, wint_t wc);
void	prompt_pager_close(void);

#endif
