/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Who acts: an operator's name, role and areas, and what each role may do
 * (docs/protocol.md §8). The role is parsed once, where the operator is
 * made (the tokens file, a session); the engine and the server ask the
 * functions below instead of comparing role names.
 */

#ifndef OPERATOR_H
#define OPERATOR_H

#include <stddef.h>

enum operator_role {
	OPERATOR_UNKNOWN,	/* Not a role we know: may change nothing. */
	OPERATOR_OBSERVER,	/* Reads. */
	OPERATOR_OPERATOR,	/* Acts in its areas. */
	OPERATOR_TRAINER,	/* Acts everywhere; injects. */
	OPERATOR_SUPERVISOR,	/* Acts everywhere; injects. */
	OPERATOR_ROLE_COUNT
};

extern const char *const operator_role_names[OPERATOR_ROLE_COUNT];

/*
 * An operator. The strings are borrowed from whoever made it (the tokens
 * table, a test); no areas means every area.
 */
struct operator {
	const char		*name;
	enum operator_role	 role;
	const char *const	*areas;
	size_t			 nareas;
};

enum operator_role	 operator_role_parse(const char *);
const char		*operator_role_name(enum operator_role);
int			 operator_has_area(const struct operator *,
			     const char *area);
int			 operator_may_change(const struct operator *);
int			 operator_may_inject(const struct operator *);
int			 operator_may_act_in(const struct operator *,
			     const char *area);

#endif
