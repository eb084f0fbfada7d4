/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* A training sandbox: the core engine answering the console locally. */

#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The engine reads the store the console shows and changes it only
 * through the sandbox's sink, which makes each change the event a
 * backend would send (the next seq, the time, "by" the operator, "cmd")
 * and gives it to the host, who applies it through the console's sync
 * before the sink returns: the engine reads its own change back, as in
 * the backend. Then the result goes the same way. The operator is the
 * recording's (its name, role and areas), so the trainee may do what the
 * officer could, and is refused what the officer would have been.
 * Injected items get ids of their own ("TA-0001", "TPA-0001") that a
 * recording's never are.
 */

struct sandbox {
	struct store		*store;		/* Borrowed. */
	struct engine		*engine;
	struct sandbox_hooks	 hooks;
	char			*name;
	char			**areas;
	size_t			 nareas;
	struct operator		 op;
	uint32_t		 ids[KIND_COUNT];
	uint64_t		 ncmds;
	char			*refuse;	/* Every command refused. */
};

static int
sandbox_emit(void *arg, const struct kind *k, const void *item,
    const char *by, const char *cmd, int64_t ts, uint64_t *seq)
{
	struct sandbox	*sb = arg;
	json_t		*ev;
	uint64_t	 next = sb->hooks.next_seq(sb->hooks.arg);
	char		*text;

	ev = proto_event_new(next, ts, k->name, k->encode(item));
	if (by != NULL)
		json_object_set_new(ev, "by", json_string(by));
	if (cmd != NULL)
		json_object_set_new(ev, "cmd", json_string(cmd));
	text = proto_dump(ev);
	json_decref(ev);
	sb->hooks.event(sb->hooks.arg, text, strlen(text));
	free(text);
	if (seq != NULL)
		*seq = next;
	return (0);
}

static void
sandbox_new_id(void *arg, const struct kind *k, char id[MODEL_ID_MAX])
{
	struct sandbox	*sb = arg;

	do {
		snprintf(id, MODEL_ID_MAX, "T%s-%04u", k->index == KIND_ALERT ?
		    "A" : k->index == KIND_FEEDBACK ? "PA" : "X",
		    ++sb->ids[k->index]);
	} while (store_find(sb->store, k, id) != NULL);
}

static int64_t
sandbox_now(void *arg)
{
	struct sandbox	*sb = arg;

	return (sb->hooks.now(sb->hooks.arg));
}

/*
 * Make a sandbox on store (borrowed: the console's) that answers through
 * hooks (copied), acting as operator with role and areas (an array of
 * area codes; empty or NULL: all), injecting exercises when exercise is
 * set. Returns it; free with sandbox_free().
 */
struct sandbox *
sandbox_new(struct store *st, const struct sandbox_hooks *hooks,
    const char *operator, const char *role, const json_t *areas,
    int exercise)
{
	struct sandbox		*sb;
	struct engine_sink	 sink;
	json_t			*v;
	size_t			 i;

	sb = xcalloc(1, sizeof *sb);
	sb->store = st;
	sb->hooks = *hooks;
	sb->name = xstrdup(operator != NULL ? operator : "trainee");
	json_array_foreach(areas, i, v) {
		if (!json_is_string(v))
			continue;
		sb->areas = xreallocarray(sb->areas, sb->nareas + 1,
		    sizeof *sb->areas);
		sb->areas[sb->nareas++] = xstrdup(json_string_value(v));
	}
	sb->op.name = sb->name;
	sb->op.role = operator_role_parse(role != NULL ? role : "");
	sb->op.areas = (const char *const *)sb->areas;
	sb->op.nareas = sb->nareas;

	memset(&sink, 0, sizeof sink);
	sink.emit = sandbox_emit;
	sink.new_id = sandbox_new_id;
	sink.now = sandbox_now;
	sink.arg = sb;
	sb->engine = engine_new(st, &sink);
	engine_set_exercise(sb->engine, exercise);
	return (sb);
}

/*
 * Free the sandbox (not the store). NULL is a no-op.
 */
void
sandbox_free(struct sandbox *sb)
{
	size_t	i;

	if (sb == NULL)
		return;
	engine_free(sb->engine);
	for (i = 0; i < sb->nareas; i++)
		free(sb->areas[i]);
	free(sb->areas);
	free(sb->name);
	free(sb->refuse);
	free(sb);
}

/*
 * Refuse every command from now on (forbidden, with why as the message),
 * or run them again (why NULL).
 */
void
sandbox_refuse(struct sandbox *sb, const char *why)
{
	free(sb->refuse);
	sb->refuse = why != NULL ? xstrdup(why) : NULL;
}

/* Commands the sandbox ran (applied or refused). */
uint64_t
sandbox_commands(const struct sandbox *sb)
{
	return (sb->ncmds);
}

static void
sandbox_answer(struct sandbox *sb, json_t *msg)
{
	char	*text = proto_dump(msg);

	json_decref(msg);
	sb->hooks.answer(sb->hooks.arg, text, strlen(text));
	free(text);
}

/*
 * Answer one message of len bytes the console sent, as a backend would:
 * a command runs through the engine (its changes come as events, then
 * the result), a digest request gets the store's digest, a hello nothing
 * (the host plays the backend's side of a session from the recording).
 * Returns 0, or -1 when the message is not one a console sends (logged).
 */
int
sandbox_handle(struct sandbox *sb, const char *text, size_t len)
{
	struct engine_outcome	 out;
	enum proto_type		 type;
	enum proto_err		 err;
	json_t			*msg, *res;
	const char		*id, *cmd;
	char			*cause = NULL, digest[17];

	if ((msg = proto_parse(text, len, &type, &err, &cause)) == NULL) {
		log_warn("sandbox: %s", cause);
		free(cause);
		return (-1);
	}
	id = json_string_value(json_object_get(msg, "id"));
	switch (type) {
	case PROTO_HELLO:
		break;
	case PROTO_CMD:
		cmd = json_string_value(json_object_get(msg, "cmd"));
		sb->ncmds++;
		if (sb->refuse != NULL) {
			sandbox_answer(sb, proto_result_err(id,
			    PROTO_E_FORBIDDEN, sb->refuse));
			break;
		}
		if (engine_run(sb->engine, &sb->op, cmd, json_object_get(msg,
		    "args"), 0, &out) != 0) {
			log_info("sandbox: %s %s refused: %s: %s", id, cmd,
			    proto_err_names[out.err], out.msg);
			res = proto_result_err(id, out.err, out.msg);
		} else {
			log_info("sandbox: %s %s: %zu change%s", id, cmd,
			    out.changes, out.changes == 1 ? "" : "s");
			res = proto_result_ok(id, out.seq);
			if (out.item[0] != '\0')
				json_object_set_new(res, "item",
				    json_string(out.item));
		}
		engine_outcome_clear(&out);
		sandbox_answer(sb, res);
		break;
	case PROTO_DIGEST:
		store_digest(sb->store, digest);
		res = proto_result_ok(id, sb->store->seq);
		json_object_set_new(res, "digest", json_string(digest));
		sandbox_answer(sb, res);
		break;
	default:
		log_warn("sandbox: a %s message from the console ignored",
		    proto_type_names[type]);
		json_decref(msg);
		return (-1);
	}
	json_decref(msg);
	return (0);
}
