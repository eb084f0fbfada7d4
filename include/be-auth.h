/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Access tokens (--tokens FILE): each bearer token names an operator with
 * a role and areas (struct operator, operator.h), and may restrict
 * what the operator sees to those areas. The file format is in
 * docs/trucban-backend.1 and docs/protocol.md.
 */

#ifndef BE_AUTH_H
#define BE_AUTH_H

#include <stddef.h>

#include "operator.h"

struct be_auth;
struct store;

#define BE_AUTH_TOKEN_MIN	16	/* Bytes; shorter is refused. */
#define BE_AUTH_TOKEN_MAX	256

/* One line of the file. */
struct be_auth_entry {
	char			*token;
	char			*name;
	char			**areas;	/* NULL when every area. */
	size_t			 nareas;
	int			 scoped;	/* Sees only its areas. */
	char			**act_as;	/* A relay's: for whom. */
	size_t			 nact_as;
	struct operator		 op;		/* Points into the above. */
};

extern const struct operator be_auth_demo;

int	be_auth_load(const char *path, struct be_auth **, char **cause);
void	be_auth_free(struct be_auth *);
size_t	be_auth_count(const struct be_auth *);
int	be_auth_check_areas(const struct be_auth *, struct store *,
	    char **cause);
const struct be_auth_entry *be_auth_find(const struct be_auth *,
	    const char *authorization);
int	be_auth_role_valid(const char *role);
const struct be_auth_entry *be_auth_find_name(const struct be_auth *,
	    const char *name);
int	be_auth_may_act_as(const struct be_auth_entry *, const char *name);

#endif
