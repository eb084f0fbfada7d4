/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Resource commands: unit status and hospital diversion. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "model.h"
#include "xmalloc.h"

/*
 * "status" reads its status word from the end of the line, as CAD command
 * lines do (TicketsCAD "/s M21 av"): every word before it is a unit, or an
 * alert standing for the units bound to it, so "status A-12 os" puts the
 * crew of A-12 on scene. One unit_status command goes out per unit.
 */

static enum cmd_retval	cmd_res_divert_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_res_status_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_res_divert_entry = {
	.name = "divert",
	.alias = "chuyen",
	.args = {
		{ "HOSPITAL", "hospital", 0, 0 },
		{ "ON|OFF", "onoff", 0, 0 },
	},
	.help = N_("Turn a hospital's ambulance diversion on or off."),
	.exec = cmd_res_divert_exec
};

const struct cmd_entry cmd_res_status_entry = {
	.name = "status",
	.alias = "tt",
	.args = {
		{ "UNIT", "unit.any", CMD_ARG_MANY, 0 },
		{ "STATUS", "status", 0, 0 },
	},
	.help = N_("Set units' status, the status word last: en_route (enr), "
	    "on_scene (os), returning (ret), available (av), out_of_service "
	    "(oos). An alert id stands for its units."),
	.exec = cmd_res_status_exec
};

static json_t *
cmd_res_build_status(struct cmd_ctx *ctx, const char *id, void *data)
{
	struct unit	*u = store_unit(ctx->store, id);

	return (json_pack("{s:s s:s s:I}", "unit", id, "status",
	    (const char *)data, "version", (json_int_t)(u != NULL ?
	    u->version : 0)));
}

static int
cmd_res_has(const char **ids, int n, const char *id)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], id) == 0)
			return (1);
	}
	return (0);
}

static enum cmd_retval
cmd_res_status_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	**ids, *w;
	struct alert	 *a;
	enum cmd_retval	  rv;
	int		  i, j, n = 0, cap;

	cap = cmd_arg_count(args, 0) * ALERT_MAX_UNITS + 1;
	ids = xcalloc(cap, sizeof *ids);
	for (i = 0; i < cmd_arg_count(args, 0); i++) {
		w = cmd_arg_value(args, 0, i);
		if (store_unit(ctx->store, w) != NULL) {
			if (!cmd_res_has(ids, n, w))
				ids[n++] = w;
			continue;
		}
		a = store_alert(ctx->store, w);
		if (a == NULL || a->nunits == 0) {
			cmd_error(ctx, _("status: alert %s has no units"), w);
			free(ids);
			return (CMD_ERROR);
		}
		for (j = 0; j < a->nunits; j++) {
			if (!cmd_res_has(ids, n, a->units[j]))
				ids[n++] = a->units[j];
		}
	}
	rv = cmd_send_each(ctx, "unit_status", "status",
	    cmd_arg_value(args, 1, 0), n, ids, cmd_res_build_status,
	    (void *)cmd_arg_value(args, 1, 0));
	free(ids);
	return (rv);
}

static enum cmd_retval
cmd_res_divert_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	const char	*onoff = cmd_arg_value(args, 1, 0);
	struct hospital	*h = store_hospital(ctx->store, id);
	char		*summary;
	enum cmd_retval	 rv;

	summary = xprintf("divert %s %s", id, onoff);
	rv = cmd_send_one(ctx, "divert", json_pack("{s:s s:b s:I}",
	    "hospital", id, "on", strcmp(onoff, "on") == 0, "version",
	    (json_int_t)(h != NULL ? h->version : 0)), summary);
	free(summary);
	return (rv);
}
