/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Operators: roles, areas, and what each role may do. */

#include "operator.h"

#include <string.h>

#include "model.h"

const char *const operator_role_names[OPERATOR_ROLE_COUNT] = {
	"unknown", "observer", "operator", "trainer", "supervisor"
};

/*
 * The role named s ("supervisor", "operator", "observer", "trainer"), or
 * OPERATOR_UNKNOWN for anything else (NULL too).
 */
enum operator_role
operator_role_parse(const char *s)
{
	int	i;

	i = MODEL_ENUM_PARSE(operator_role_names, s);
	return (i <= 0 ? OPERATOR_UNKNOWN : (enum operator_role)i);
}

/*
 * The name of a role (static), "unknown" for one out of range.
 */
const char *
operator_role_name(enum operator_role role)
{
	if ((int)role < 0 || role >= OPERATOR_ROLE_COUNT)
		role = OPERATOR_UNKNOWN;
	return (operator_role_names[role]);
}

/*
 * 1 when area is one of the operator's (an operator without areas has
 * every area; an item without an area, "" or NULL, is everybody's), else
 * 0. This is what the operator sees when its view is scoped.
 */
int
operator_has_area(const struct operator *op, const char *area)
{
	size_t	i;

	if (op->nareas == 0 || area == NULL || *area == '\0')
		return (1);
	for (i = 0; i < op->nareas; i++) {
		if (op->areas[i] != NULL && strcmp(op->areas[i], area) == 0)
			return (1);
	}
	return (0);
}

/*
 * 1 when the role may change anything at all (not an observer, not a
 * role we do not know), else 0.
 */
int
operator_may_change(const struct operator *op)
{
	return (op->role == OPERATOR_OPERATOR ||
	    op->role == OPERATOR_TRAINER || op->role == OPERATOR_SUPERVISOR);
}

/*
 * 1 when the role may inject items (drills, tests): trainers and
 * supervisors.
 */
int
operator_may_inject(const struct operator *op)
{
	return (op->role == OPERATOR_TRAINER ||
	    op->role == OPERATOR_SUPERVISOR);
}

/*
 * 1 when the operator may act on an item in area: supervisors and
 * trainers everywhere, whatever their areas; operators in their areas;
 * nobody else anywhere.
 */
int
operator_may_act_in(const struct operator *op, const char *area)
{
	switch (op->role) {
	case OPERATOR_SUPERVISOR:
	case OPERATOR_TRAINER:
		return (1);
	case OPERATOR_OPERATOR:
		return (operator_has_area(op, area));
	default:
		return (0);
	}
}
