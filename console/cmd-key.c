/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Key binding commands: bind, unbind, keys. */

#include <stdlib.h>

#include "cmd.h"
#include "i18n.h"
#include "key.h"
#include "panel.h"
#include "xmalloc.h"

/*
 * bind and unbind change the key tables of console/key.c as the
 * configuration file's lines of the same name do (console/config.c); keys
 * lists them. "-T TABLE" names the table: root (the default) or a panel.
 */

static enum cmd_retval	cmd_key_bind_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_key_keys_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_key_unbind_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_key_bind_entry = {
	.name = "bind",
	.alias = "ganphim",
	.flags = {
		{ 'T', "TABLE", "keytable" },
	},
	.args = {
		{ "KEY", "key", 0, 0 },
		{ "COMMAND", "command", CMD_ARG_REST, 0 },
	},
	.help = N_("Bind a key to a command line (\"%s\": the selected row's "
	    "id), in the root table or a panel's (-T alerts)."),
	.cflags = CMD_READONLY,
	.exec = cmd_key_bind_exec
};

const struct cmd_entry cmd_key_keys_entry = {
	.name = "keys",
	.alias = "phim list-keys",
	.help = N_("List the key bindings."),
	.cflags = CMD_READONLY,
	.exec = cmd_key_keys_exec
};

const struct cmd_entry cmd_key_unbind_entry = {
	.name = "unbind",
	.alias = "bophim",
	.flags = {
		{ 'T', "TABLE", "keytable" },
	},
	.args = {
		{ "KEY", "key", 0, 0 },
	},
	.help = N_("Take a key away from the root table or a panel's "
	    "(-T alerts)."),
	.cflags = CMD_READONLY,
	.exec = cmd_key_unbind_exec
};

static const char *
cmd_key_table(struct cmd_args *args)
{
	const char	*table = cmd_arg_flag(args, 'T');

	return (table != NULL ? table : "root");
}

static enum cmd_retval
cmd_key_bind_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*key = cmd_arg_value(args, 0, 0);
	const char	*command = cmd_arg_text(args, 1);
	char		*cause = NULL;

	if (key_bind(cmd_key_table(args), key, command, &cause) != 0) {
		cmd_error(ctx, "bind: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	cmd_print(ctx, _("%s bound to :%s"), key, command);
	return (CMD_OK);
}

static enum cmd_retval
cmd_key_unbind_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*key = cmd_arg_value(args, 0, 0);
	char		*cause = NULL;

	if (key_unbind(cmd_key_table(args), key, &cause) != 0) {
		cmd_error(ctx, "unbind: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	cmd_print(ctx, _("%s unbound"), key);
	return (CMD_OK);
}

static enum cmd_retval
cmd_key_keys_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*keys, *legend, *text;

	(void)args;
	/* The keys, then what the glyphs on screen mean (issue 13). */
	keys = key_list_text();
	legend = panel_legend_text(ctx->ascii);
	xasprintf(&text, "%s\n%s", keys, legend);
	cmd_show(ctx, _("Keys"), text);
	free(text);
	free(legend);
	free(keys);
	return (CMD_OK);
}
