/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Tests for console/conn.c: the link's parts that need no network. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "log.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

/*
 * The link is created without an lws context and never started: its URL
 * parsing, token policy, backoff, test time scale and the transport it
 * gives the sync are what can be tested without a socket. The rest (dial,
 * deadline, reconnect) is in tests/e2e/link-stall.sh and
 * tests/e2e/screen-hostile-backend.sh.
 */

/*
 * Test functions:
 *   conn_create, conn_free
 */
static void
test_conn_create(void **state)
{
	struct store	*st = store_new();
	struct sync	*s = sync_create(st, NULL);
	struct conn	*c;
	char		*cause = NULL;

	(void)state;
	c = conn_create(NULL, "wss://ioc.example:8443/v1", s, &cause);
	assert_non_null(c);
	assert_true(c->tls);
	assert_string_equal(c->host, "ioc.example");
	assert_int_equal(c->port, 8443);
	assert_string_equal(c->path, "/v1");
	assert_ptr_equal(s->tr_arg, c);
	conn_free(c);

	assert_null(conn_create(NULL, "http://x:1", s, &cause));
	assert_non_null(strstr(cause, "not a ws://"));
	free(cause);
	assert_null(conn_create(NULL, "nonsense", s, &cause));
	free(cause);
	conn_free(NULL);
	sync_free(s);
	store_free(st);
}

/*
 * Test functions:
 *   conn_add_url (the rotation on a lost link is in
 *   tests/e2e/console-failover.sh)
 */
static void
test_conn_add_url(void **state)
{
	struct store	*st = store_new();
	struct sync	*s = sync_create(st, NULL);
	struct conn	*c;
	char		*cause = NULL;

	(void)state;
	c = conn_create(NULL, "ws://127.0.0.1:7601", s, &cause);
	assert_non_null(c);
	assert_int_equal(c->nurls, 1);
	assert_int_equal(conn_add_url(c, "wss://ioc.example:8443/", &cause),
	    0);
	assert_int_equal(conn_add_url(c, "http://x:1", &cause), -1);
	assert_non_null(strstr(cause, "not a ws://"));
	free(cause);
	assert_int_equal(c->nurls, 2);
	assert_int_equal(c->cur, 0);
	assert_string_equal(c->urls[1], "wss://ioc.example:8443/");
	/* The first is the one dialled until a link is lost. */
	assert_string_equal(c->url, "ws://127.0.0.1:7601");
	assert_int_equal(c->port, 7601);
	conn_free(c);
	sync_free(s);
	store_free(st);
}

/*
 * Test functions:
 *   conn_check_token
 */
static void
test_conn_check_token(void **state)
{
	static const char *const ok[] = {
		"wss://ioc.example:8443/", "ws://127.0.0.1:7600",
		"ws://127.9.0.1:7600", "ws://localhost:7600",
		"ws://LocalHost:7600/v1", "ws://[::1]:7600/"
	};
	static const char *const remote[] = {
		"ws://ioc.example:7600", "ws://10.0.0.1:7600",
		"ws://128.0.0.1:7600", "ws://[2001:db8::1]:7600",
		"ws://localhost.example:7600"
	};
	char	*cause = NULL;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (conn_check_token(ok[i], 0, &cause) != 0)
			fail_msg("%s refused: %s", ok[i], cause);
	}
	for (i = 0; i < sizeof remote / sizeof remote[0]; i++) {
		assert_int_equal(conn_check_token(remote[i], 0, &cause), -1);
		assert_non_null(strstr(cause, "--allow-plain-token"));
		free(cause);
		cause = NULL;
		assert_int_equal(conn_check_token(remote[i], 1, &cause), 0);
	}
	assert_int_equal(conn_check_token("nonsense", 1, &cause), -1);
	free(cause);
}

/*
 * Test functions:
 *   conn_backoff, conn_create (the test time scale)
 */
static void
test_conn_backoff(void **state)
{
	struct store	*st = store_new();
	struct sync	*s = sync_create(st, NULL);
	struct conn	*c;
	char		*cause = NULL;
	uint32_t	 ms, prev = 0, max = 0;
	int		 i;

	(void)state;
	unsetenv(CONN_TIMESCALE_ENV);
	c = conn_create(NULL, "ws://127.0.0.1:1", s, &cause);
	assert_int_equal(c->dial_ms, CONN_DIAL_MS);
	ms = conn_backoff(c);
	assert_true(ms >= 250 && ms <= 300);
	/* It climbs and never goes past about 30 s, however long. */
	for (i = 0; i < 100000; i++) {
		ms = conn_backoff(c);
		assert_true(ms <= 30000);
		if (i < 6)
			assert_true(ms > prev);
		prev = ms;
		if (ms > max)
			max = ms;
	}
	assert_true(max >= 25000);
	assert_int_equal(c->retry_count, UINT16_MAX);
	assert_int_equal(c->retry.secs_since_valid_ping, CONN_PING_S);
	assert_int_equal(c->retry.secs_since_valid_hangup, CONN_HANGUP_S);
	conn_free(c);

	/* Tests may run the link's clock faster; the sync's deadlines too. */
	setenv(CONN_TIMESCALE_ENV, "10", 1);
	c = conn_create(NULL, "ws://127.0.0.1:1", s, &cause);
	assert_int_equal(c->dial_ms, CONN_DIAL_MS / 10);
	assert_int_equal(c->backoff_ms[CONN_BACKOFF_STEPS - 1], 2500);
	assert_int_equal(c->retry.secs_since_valid_ping, 2);
	assert_int_equal(c->retry.secs_since_valid_hangup, 3);
	assert_int_equal(s->welcome_ms, SYNC_WELCOME_MS / 10);
	assert_int_equal(s->snapshot_ms, SYNC_SNAPSHOT_MS / 10);
	conn_free(c);
	setenv(CONN_TIMESCALE_ENV, "nonsense", 1);
	c = conn_create(NULL, "ws://127.0.0.1:1", s, &cause);
	assert_int_equal(c->scale, 1);
	conn_free(c);
	unsetenv(CONN_TIMESCALE_ENV);
	sync_free(s);
	store_free(st);
}

static char	*fx_message;

static void
fx_say(void *arg, int error, const char *text)
{
	(void)arg;
	(void)error;
	free(fx_message);
	fx_message = xstrdup(text);
}

/*
 * Test functions:
 *   conn_create (the transport it gives the sync: texts queued with
 *   LWS_PRE headroom), conn_lost
 */
static void
test_conn_transport(void **state)
{
	struct store		*st = store_new();
	struct sync_hooks	 hooks;
	struct sync		*s;
	struct conn		*c;
	struct conn_out		*o;
	char			*cause = NULL;

	(void)state;
	memset(&hooks, 0, sizeof hooks);
	hooks.message = fx_say;
	s = sync_create(st, &hooks);
	c = conn_create(NULL, "ws://127.0.0.1:1", s, &cause);
	sync_up(s);
	assert_non_null(o = TAILQ_FIRST(&c->outq));
	assert_int_equal(o->len, strlen((char *)o->buf + LWS_PRE));
	assert_non_null(strstr((char *)o->buf + LWS_PRE,
	    "\"type\":\"hello\""));

	/* The demo backend died: offline, stale, not online, said. */
	s->have_state = 1;
	conn_lost(c, "trucban-backend exited with status 1");
	assert_int_equal(s->st.link, SYNC_LINK_OFFLINE);
	assert_true(s->st.stale_since > 0);
	assert_false(sync_online(s));
	assert_non_null(strstr(fx_message, "backend gone"));
	/* Commands still go to the outbox. */
	assert_int_equal(sync_send_cmd(s, "ack", json_object(), "ack",
	    &cause), 1);
	assert_int_equal(s->outbox->n, 1);
	conn_free(c);
	sync_free(s);
	store_free(st);
	free(fx_message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_create),
		cmocka_unit_test(test_conn_add_url),
		cmocka_unit_test(test_conn_check_token),
		cmocka_unit_test(test_conn_backoff),
		cmocka_unit_test(test_conn_transport),
	};

	log_level = LOG_ERROR;
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
