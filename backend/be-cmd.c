/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Commands as messages. be_cmd_exec() checks the envelope, answers a
 * repeated command id from memory (same payload: the first result; other
 * payload: conflict), runs the command with the state's engine (core/
 * engine.c), which holds every command's checks and changes, remembers
 * the result, and tells the state's listeners (the journal) the new id
 * after the command's events. The simulator and scenarios call the engine
 * directly: their changes have no command id.
 */

#include "be-cmd.h"

#include <stdlib.h>
#include <string.h>

#include "be-idem.h"
#include "be-state.h"
#include "engine.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * The canonical payload of a command, for idempotency: {by, cmd, args}
 * with sorted keys, compact, so the same id from another operator is a
 * conflict too. Caller frees.
 */
static char *
be_cmd_payload(const char *by, const char *name, json_t *args)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s s:s s:O}", "by", by != NULL ? by : "", "cmd",
	    name, "args", args);
	if (o == NULL || (s = json_dumps(o, JSON_SORT_KEYS |
	    JSON_COMPACT)) == NULL)
		fatalx("%s: cannot serialise", __func__);
	json_decref(o);
	return (s);
}

/*
 * A refusal of the server's own (reason r of engine_reasons[], with one
 * argument key = value, or none when key is NULL). Returns a new
 * reference.
 */
json_t *
be_cmd_refuse(const char *id, enum engine_reason r, const char *key,
    const char *value)
{
	json_t	*args = json_object(), *res;
	char	*msg;

	if (key != NULL)
		json_object_set_new(args, key, json_string(value));
	msg = engine_reason_message(r, args);
	res = proto_result_refused(id, engine_reasons[r].code,
	    engine_reason_name(r), args, msg);
	free(msg);
	json_decref(args);
	return (res);
}

/*
 * Execute a command message ({"type":"cmd","id","cmd","args"}) for an
 * operator. Events go through the state's sink (and so to its listeners)
 * before this returns, and then the record of a newly remembered id.
 * Returns the result message (new reference, never NULL): ok with the seq
 * of the last event produced (and "item" for inject), or a refusal with a
 * code, a reason and its arguments, and the English message. A repeated
 * id with the same payload returns the first result again, whatever it
 * was, and changes nothing; with another payload it is refused with
 * "conflict".
 */
json_t *
be_cmd_exec(struct be_state *st, const struct operator *op, json_t *msg)
{
	struct engine_outcome	 out;
	json_t			*idv, *namev, *args, *res;
	const char		*payload0, *result0, *id, *name;
	char			*payload, *text;

	idv = json_object_get(msg, "id");
	if (!json_is_string(idv) ||
	    !model_id_valid(json_string_value(idv), BE_CMD_ID_MAX))
		return (be_cmd_refuse(json_is_string(idv) ?
		    json_string_value(idv) : "", ENGINE_R_BAD_COMMAND_ID, NULL,
		    NULL));
	id = json_string_value(idv);
	namev = json_object_get(msg, "cmd");
	args = json_object_get(msg, "args");
	if (!json_is_string(namev) || !json_is_object(args))
		return (be_cmd_refuse(id, ENGINE_R_BAD_COMMAND, NULL, NULL));
	name = json_string_value(namev);

	payload = be_cmd_payload(op->name, name, args);
	if (be_idem_find(st->idem, id, &payload0, &result0)) {
		if (strcmp(payload, payload0) == 0 &&
		    (res = json_loads(result0, 0, NULL)) != NULL) {
			free(payload);
			return (res);
		}
		free(payload);
		return (be_cmd_refuse(id, ENGINE_R_CONFLICT, "id", id));
	}

	if (engine_run(st->engine, op, name, args, 0, &out) != 0) {
		res = proto_result_refused(id, out.err,
		    engine_reason_name(out.reason), out.args, out.msg);
		log_info("cmd %s %s by %s: %s: %s", id, name, op->name,
		    proto_err_names[out.err], out.msg);
	} else {
		res = proto_result_ok(id, out.seq);
		if (out.item[0] != '\0')
			json_object_set_new(res, "item",
			    json_string(out.item));
		log_info("cmd %s %s by %s: ok, seq %llu", id, name, op->name,
		    (unsigned long long)out.seq);
	}
	/*
	 * Every answer is remembered, "internal" too: a retry of the id
	 * gets it again instead of running the command once more (and
	 * failing the same way, or applying twice what went through before
	 * the failure). Trying again is a new command with a new id.
	 */
	text = proto_dump(res);
	be_idem_put(st->idem, id, payload, text);
	be_state_command(st, id, op->name, payload, text);
	free(text);
	engine_outcome_clear(&out);
	free(payload);
	return (res);
}
