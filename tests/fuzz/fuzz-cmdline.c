/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * libFuzzer target for the console's command line: what an officer types
 * at ':', a key binding's command, a line of a --script file. Each input
 * is one line (up to its first NUL), run through cmd_tokenize() and
 * cmd_run() against a small store (two areas, alerts in several states,
 * units, a hospital, feedback cases), with hooks that accept everything,
 * so the words are found, bound, checked, canonicalised and sent. A line
 * that asks (y/n) is run again as confirmed. Also a property: every word
 * cmd_tokenize() gives, quoted with cmd_quote() and tokenised again,
 * comes back the same. Build and run: make fuzz (scripts/fuzz.sh).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(e) do { if (!(e)) abort(); } while (0)

static struct store	*fuzz_store;
static char		*fuzz_asked;	/* The line a y/n question is for. */

static int
fuzz_online(void *arg)
{
	(void)arg;
	return (1);
}

static int
fuzz_send(void *arg, const char *cmd, json_t *args, const char *summary,
    char **cause)
{
	(void)arg;
	(void)cause;
	FUZZ_CHECK(cmd != NULL && summary != NULL && json_is_object(args));
	json_decref(args);
	return (0);
}

static int
fuzz_digest(void *arg, char **cause)
{
	(void)arg;
	(void)cause;
	return (0);
}

static void
fuzz_message(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	FUZZ_CHECK(text != NULL);
}

static void
fuzz_pager(void *arg, const char *title, const char *text)
{
	(void)arg;
	FUZZ_CHECK(title != NULL && text != NULL);
}

static void
fuzz_prompt(void *arg, const char *text)
{
	(void)arg;
	FUZZ_CHECK(text != NULL);
}

static void
fuzz_confirm(void *arg, const char *question, const char *line)
{
	(void)arg;
	FUZZ_CHECK(question != NULL);
	free(fuzz_asked);
	fuzz_asked = xstrdup(line);
}

static void
fuzz_void(void *arg)
{
	(void)arg;
}

static int
fuzz_record(void *arg, const char *what, char **msg)
{
	(void)arg;
	(void)what;
	*msg = xstrdup("recording");
	return (0);
}

static const struct cmd_ops fuzz_ops = {
	.online = fuzz_online,
	.send = fuzz_send,
	.digest = fuzz_digest,
	.message = fuzz_message,
	.pager = fuzz_pager,
	.prompt = fuzz_prompt,
	.confirm = fuzz_confirm,
	.redraw = fuzz_void,
	.quit = fuzz_void,
	.record = fuzz_record
};

static void
fuzz_alert(const char *id, const char *area, int sev, enum alert_state st,
    const char *unit)
{
	struct alert	a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.area, sizeof a.area, "%s", area);
	a.kind = ALERT_FLOOD;
	a.severity = sev;
	a.state = st;
	a.title = xstrdup("Ngập sâu tại Hạ Long");
	a.place = xstrdup("Phường Bãi Cháy");
	a.created = a.updated = 1767225600000;
	a.version = 3;
	if (unit != NULL) {
		alert_add_unit(&a, unit);
	}
	store_put_alert(fuzz_store, &a);
}

static void
fuzz_unit(const char *id, const char *area, enum unit_status st,
    const char *alert)
{
	struct unit	u;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "%s", id);
	snprintf(u.area, sizeof u.area, "%s", area);
	u.type = UNIT_RESCUE;
	u.name = xstrdup("Cứu hộ Hạ Long");
	u.status = st;
	snprintf(u.alert, sizeof u.alert, "%s", alert);
	u.version = 1;
	store_put_unit(fuzz_store, &u);
}

static void
fuzz_feedback(const char *id, enum fb_state st)
{
	struct feedback	f;

	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	snprintf(f.area, sizeof f.area, "CP");
	snprintf(f.category, sizeof f.category, "power");
	f.channel = FB_HOTLINE;
	f.state = st;
	f.text = xstrdup("Đèn đường hỏng ở phường Cẩm Thủy");
	f.received = 1767225600000;
	f.version = 2;
	store_put_feedback(fuzz_store, &f);
}

static void
fuzz_fill(void)
{
	struct hospital	h;

	fuzz_store = store_new();
	store_add_area(fuzz_store, "HL", "Hạ Long");
	store_add_area(fuzz_store, "CP", "Cẩm Phả");
	store_add_department(fuzz_store, "SYT", "Sở Y tế");
	store_add_department(fuzz_store, "SCT", "Sở Công Thương");
	fuzz_alert("A-0001", "HL", 4, ALERT_NEW, NULL);
	fuzz_alert("A-0002", "HL", 2, ALERT_DISPATCHED, "RES-HL-01");
	fuzz_alert("A-0003", "CP", 3, ALERT_RESOLVED, NULL);
	fuzz_alert("A-0004", "CP", 1, ALERT_CLOSED, NULL);
	fuzz_unit("RES-HL-01", "HL", UNIT_DISPATCHED, "A-0002");
	fuzz_unit("RES-HL-02", "HL", UNIT_AVAILABLE, "");
	fuzz_unit("AMB-CP-01", "CP", UNIT_AVAILABLE, "");
	memset(&h, 0, sizeof h);
	snprintf(h.id, sizeof h.id, "H01");
	snprintf(h.area, sizeof h.area, "HL");
	h.name = xstrdup("Bệnh viện Bãi Cháy");
	h.beds = 700;
	h.version = 1;
	store_put_hospital(fuzz_store, &h);
	fuzz_feedback("PA-0001", FB_NEW);
	fuzz_feedback("PA-0002", FB_ASSIGNED);
	fuzz_feedback("PA-0003", FB_ANSWERED);
}

/* Every word of line survives cmd_quote() and cmd_tokenize() again. */
static void
fuzz_quote_round_trip(const char *line)
{
	struct cmd_args	 a, b;
	char		*joined, *q, *tmp, *cause = NULL;
	int		 i;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (cmd_tokenize(line, &a, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		return;
	}
	joined = xstrdup("");
	for (i = 0; i < a.argc; i++) {
		q = cmd_quote(a.argv[i]);
		xasprintf(&tmp, "%s%s%s", joined, i > 0 ? " " : "", q);
		free(q);
		free(joined);
		joined = tmp;
	}
	if (cmd_tokenize(joined, &b, &cause) != 0)
		abort();
	FUZZ_CHECK(b.argc == a.argc);
	for (i = 0; i < a.argc; i++)
		FUZZ_CHECK(strcmp(a.argv[i], b.argv[i]) == 0);
	cmd_args_free(&a);
	cmd_args_free(&b);
	free(joined);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_ctx	 ctx;
	char		*line, *again;

	if (fuzz_store == NULL) {
		/* The log's code runs, but not to stderr. */
		log_open("/dev/null", "fuzz");
		log_level = LOG_DEBUG;
		fuzz_fill();
	}
	line = xmalloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';

	fuzz_quote_round_trip(line);

	cmd_ctx_init(&ctx, fuzz_store, &fuzz_ops, NULL);
	if (cmd_run(&ctx, line) == CMD_ASKED && fuzz_asked != NULL) {
		again = fuzz_asked;
		fuzz_asked = NULL;
		cmd_run_confirmed(&ctx, again);
		free(again);
	}
	cmd_retry_all(&ctx);
	cmd_ctx_clear(&ctx);
	free(fuzz_asked);
	fuzz_asked = NULL;
	free(line);
	return (0);
}
