/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * fake-backend: a scripted, hostile backend for the console's tests.
 *
 *   fake-backend [-p PORT] SCRIPT
 *
 * It listens on 127.0.0.1:PORT (0: any free port), prints
 * "fake-backend: listening on ws://127.0.0.1:PORT", and answers each
 * console as SCRIPT says, byte for byte: whatever it sends is sent as it
 * is, valid or not. What happens is printed on stdout, one line each:
 *
 *   fake-backend: upgrade N authorization=yes|no
 *   fake-backend: hello N resume=SEQ|none
 *   fake-backend: cmd N ID
 *   fake-backend: closed N
 *
 * The script is a text file of lines; blank lines and lines starting with
 * '#' are skipped. A line "[fresh]" starts the section played after a
 * hello without resume, "[resume]" after a hello with one: the first such
 * hello plays the first section of its kind, the second the second, and
 * the last one repeats. "[cmd]" is played after every cmd and "[digest]"
 * after every digest request, with "$ID" replaced by the request's id.
 * Every other line of a section is a message, sent as one text frame,
 * unless it is one of these:
 *
 *   @after MS        the lines after it go MS milliseconds later
 *   @silent          nothing more is sent on this connection
 *   @close           close the connection once the lines before went
 *   @big SEQ BYTES   an event with seq SEQ of BYTES bytes (padding)
 *   @deep SEQ DEPTH  an event with seq SEQ whose item nests DEPTH deep
 *
 * Before the first section, "@http CODE LOCATION" makes it answer every
 * upgrade with that HTTP status and Location instead (a redirect), and
 * never speak websocket. No permessage-deflate: the bytes on the wire are
 * the script's.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "log.h"
#include "xmalloc.h"

#define FB_RX_MAX	(1024 * 1024)

enum fb_kind {
	FB_FRESH,
	FB_RESUME,
	FB_CMD,
	FB_DIGEST,
	FB_KINDS
};

struct fb_section {
	enum fb_kind	  kind;
	char		**lines;
	size_t		  n;
};

struct fb_out {
	unsigned char	*buf;		/* LWS_PRE + text. */
	size_t		 len;
	struct fb_out	*next;
};

/* One console; lws allocates it per connection. */
struct fb_session {
	struct lws		*wsi;
	int			 n;		/* Connection number. */
	struct fb_section	*playing;	/* Its hello's section. */
	size_t			 next;		/* Line to play next. */
	lws_sorted_usec_list_t	 sul;		/* @after. */
	int			 silent;
	int			 closing;
	struct fb_out		*out, **tail;
	unsigned char		*inflight;	/* Until the next WRITEABLE. */
	char			*rx;
	size_t			 rxlen, rxcap;
	int			 rx_skip;
};

static struct fb_section	*fb_sections;
static size_t			 fb_nsections;
static int			 fb_http_code;
static char			*fb_http_location;
static int			 fb_nconn;
static int			 fb_nhello[FB_KINDS];

static void
fb_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
fb_say(const char *fmt, ...)
{
	va_list	ap;

	printf("fake-backend: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ==== The script ==== */

static void
fb_load(const char *path)
{
	struct fb_section	*sec = NULL;
	FILE			*f;
	char			*line = NULL, *loc;
	size_t			 cap = 0, lineno = 0;
	ssize_t			 len;
	int			 code;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "fake-backend: %s: %s\n", path,
		    strerror(errno));
		exit(2);
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (line[0] == '[') {
			fb_sections = xreallocarray(fb_sections,
			    fb_nsections + 1, sizeof *fb_sections);
			sec = &fb_sections[fb_nsections++];
			memset(sec, 0, sizeof *sec);
			if (strcmp(line, "[fresh]") == 0)
				sec->kind = FB_FRESH;
			else if (strcmp(line, "[resume]") == 0)
				sec->kind = FB_RESUME;
			else if (strcmp(line, "[cmd]") == 0)
				sec->kind = FB_CMD;
			else if (strcmp(line, "[digest]") == 0)
				sec->kind = FB_DIGEST;
			else {
				fprintf(stderr, "fake-backend: %s:%zu: unknown "
				    "section %s\n", path, lineno, line);
				exit(2);
			}
			continue;
		}
		if (sec == NULL) {
			if (sscanf(line, "@http %d", &code) != 1 ||
			    (loc = strchr(line, ' ')) == NULL ||
			    (loc = strchr(loc + 1, ' ')) == NULL) {
				fprintf(stderr, "fake-backend: %s:%zu: not in "
				    "a section\n", path, lineno);
				exit(2);
			}
			fb_http_code = code;
			fb_http_location = xstrdup(loc + 1);
			continue;
		}
		sec->lines = xreallocarray(sec->lines, sec->n + 1,
		    sizeof *sec->lines);
		sec->lines[sec->n++] = xstrndup(line, (size_t)len);
	}
	free(line);
	fclose(f);
}

/* The k-th section of kind (0: the first), or the last one; NULL. */
static struct fb_section *
fb_section(enum fb_kind kind, int k)
{
	struct fb_section	*last = NULL;
	size_t			 i;

	for (i = 0; i < fb_nsections; i++) {
		if (fb_sections[i].kind != kind)
			continue;
		last = &fb_sections[i];
		if (k-- == 0)
			break;
	}
	return (last);
}

/* ==== Sending ==== */

static void
fb_queue(struct fb_session *ss, const char *text, size_t len)
{
	struct fb_out	*o;

	o = xcalloc(1, sizeof *o);
	o->buf = xmalloc(LWS_PRE + len + 1);
	memcpy(o->buf + LWS_PRE, text, len);
	o->buf[LWS_PRE + len] = '\0';
	o->len = len;
	*ss->tail = o;
	ss->tail = &o->next;
	lws_callback_on_writable(ss->wsi);
}

/* An event of about bytes bytes, or one whose item nests depth deep. */
static void
fb_queue_made(struct fb_session *ss, unsigned long long seq, size_t bytes,
    int depth)
{
	char	*text, *pad;
	size_t	 n, head;
	int	 i;

	if (depth > 0) {
		pad = xmalloc(2 * (size_t)depth + 1);
		for (i = 0; i < depth; i++) {
			pad[i] = '[';
			pad[2 * depth - 1 - i] = ']';
		}
		pad[2 * depth] = '\0';
		xasprintf(&text, "{\"type\":\"event\",\"seq\":%llu,\"ts\":1,"
		    "\"kind\":\"alert\",\"item\":{\"x\":%s}}", seq, pad);
		free(pad);
	} else {
		head = 80;
		n = bytes > head ? bytes - head : 1;
		pad = xmalloc(n + 1);
		memset(pad, 'x', n);
		pad[n] = '\0';
		xasprintf(&text, "{\"type\":\"event\",\"seq\":%llu,\"ts\":1,"
		    "\"kind\":\"alert\",\"item\":{\"pad\":\"%s\"}}", seq, pad);
		free(pad);
	}
	fb_queue(ss, text, strlen(text));
	free(text);
}

static void	fb_play(struct fb_session *);

static void
fb_after_cb(lws_sorted_usec_list_t *sul)
{
	struct fb_session	*ss = lws_container_of(sul, struct fb_session,
				    sul);

	fb_play(ss);
}

/* Send the lines of a section from line next: $ID becomes id. */
static size_t
fb_lines(struct fb_session *ss, struct fb_section *sec, size_t next,
    const char *id, int *wait_ms)
{
	const char		*line, *p;
	char			*text;
	unsigned long long	 seq;
	size_t			 n;
	int			 ms;

	*wait_ms = -1;
	for (; next < sec->n && !ss->silent; next++) {
		line = sec->lines[next];
		if (sscanf(line, "@after %d", &ms) == 1) {
			*wait_ms = ms;
			return (next + 1);
		}
		if (strcmp(line, "@silent") == 0)
			ss->silent = 1;
		else if (strcmp(line, "@close") == 0) {
			ss->closing = 1;
			ss->silent = 1;
			lws_callback_on_writable(ss->wsi);
		} else if (sscanf(line, "@big %llu %zu", &seq, &n) == 2)
			fb_queue_made(ss, seq, n, 0);
		else if (sscanf(line, "@deep %llu %zu", &seq, &n) == 2)
			fb_queue_made(ss, seq, 0, (int)n);
		else if (id != NULL && (p = strstr(line, "$ID")) != NULL) {
			xasprintf(&text, "%.*s%s%s", (int)(p - line), line, id,
			    p + 3);
			fb_queue(ss, text, strlen(text));
			free(text);
		} else
			fb_queue(ss, line, strlen(line));
	}
	return (next);
}

static void
fb_play(struct fb_session *ss)
{
	int	ms;

	if (ss->playing == NULL)
		return;
	ss->next = fb_lines(ss, ss->playing, ss->next, NULL, &ms);
	if (ms >= 0)
		lws_sul_schedule(lws_get_context(ss->wsi), 0, &ss->sul,
		    fb_after_cb, (lws_usec_t)ms * LWS_US_PER_MS);
}

/* ==== Receiving ==== */

static void
fb_message(struct fb_session *ss, const char *text, size_t len)
{
	json_t			*msg;
	const char		*type, *id;
	struct fb_section	*sec;
	enum fb_kind		 kind;
	int			 ms;

	if ((msg = json_loadb(text, len, 0, NULL)) == NULL)
		return;
	type = json_string_value(json_object_get(msg, "type"));
	id = json_string_value(json_object_get(msg, "id"));
	if (type != NULL && strcmp(type, "hello") == 0) {
		if (json_object_get(msg, "resume") != NULL) {
			kind = FB_RESUME;
			fb_say("hello %d resume=%" JSON_INTEGER_FORMAT, ss->n,
			    json_integer_value(json_object_get(msg,
			    "resume")));
		} else {
			kind = FB_FRESH;
			fb_say("hello %d resume=none", ss->n);
		}
		if ((sec = fb_section(kind, fb_nhello[kind]++)) == NULL &&
		    kind == FB_RESUME)
			sec = fb_section(FB_FRESH, 0);
		ss->playing = sec;
		ss->next = 0;
		fb_play(ss);
	} else if (type != NULL && id != NULL && (strcmp(type, "cmd") == 0 ||
	    strcmp(type, "digest") == 0)) {
		kind = strcmp(type, "cmd") == 0 ? FB_CMD : FB_DIGEST;
		fb_say("%s %d %s", type, ss->n, id);
		if ((sec = fb_section(kind, 0)) != NULL && !ss->silent)
			fb_lines(ss, sec, 0, id, &ms);
	}
	json_decref(msg);
}

static void
fb_rx(struct fb_session *ss, const char *in, size_t len)
{
	if (lws_is_first_fragment(ss->wsi)) {
		ss->rxlen = 0;
		ss->rx_skip = 0;
	}
	if (ss->rxlen + len > FB_RX_MAX)
		ss->rx_skip = 1;
	if (!ss->rx_skip && len > 0) {
		if (ss->rxlen + len > ss->rxcap) {
			ss->rxcap = ss->rxlen + len + 4096;
			ss->rx = xreallocarray(ss->rx, ss->rxcap, 1);
		}
		memcpy(ss->rx + ss->rxlen, in, len);
		ss->rxlen += len;
	}
	if (lws_is_final_fragment(ss->wsi) &&
	    !lws_remaining_packet_payload(ss->wsi)) {
		if (!ss->rx_skip)
			fb_message(ss, ss->rx, ss->rxlen);
		ss->rxlen = 0;
	}
}

static int
fb_writeable(struct fb_session *ss)
{
	struct fb_out	*o;

	free(ss->inflight);
	ss->inflight = NULL;
	if ((o = ss->out) == NULL)
		return (ss->closing ? -1 : 0);
	if ((ss->out = o->next) == NULL)
		ss->tail = &ss->out;
	if (lws_write(ss->wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT) <
	    (int)o->len) {
		free(o->buf);
		free(o);
		return (-1);
	}
	ss->inflight = o->buf;
	free(o);
	if (ss->out != NULL || ss->closing)
		lws_callback_on_writable(ss->wsi);
	return (0);
}

/* Answer the upgrade with fb_http_code and its Location; no websocket. */
static int
fb_http_answer(struct lws *wsi)
{
	unsigned char	 buf[LWS_PRE + 1024], *start = buf + LWS_PRE;
	unsigned char	*p = start, *end = buf + sizeof buf;

	if (lws_add_http_header_status(wsi, (unsigned int)fb_http_code, &p,
	    end) != 0 ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_LOCATION,
	    (unsigned char *)fb_http_location, (int)strlen(fb_http_location),
	    &p, end) != 0 ||
	    lws_add_http_header_content_length(wsi, 0, &p, end) != 0 ||
	    lws_finalize_http_header(wsi, &p, end) != 0)
		return (1);
	lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS);
	return (1);
}

static void
fb_closed(struct fb_session *ss)
{
	struct fb_out	*o;

	lws_sul_cancel(&ss->sul);
	while ((o = ss->out) != NULL) {
		ss->out = o->next;
		free(o->buf);
		free(o);
	}
	free(ss->inflight);
	free(ss->rx);
	fb_say("closed %d", ss->n);
	memset(ss, 0, sizeof *ss);
}

static int
fb_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct fb_session	*ss = user;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		fb_say("upgrade %d authorization=%s", ++fb_nconn,
		    lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) >
		    0 ? "yes" : "no");
		if (fb_http_code != 0)
			return (fb_http_answer(wsi));
		break;
	case LWS_CALLBACK_ESTABLISHED:
		memset(ss, 0, sizeof *ss);
		ss->wsi = wsi;
		ss->n = fb_nconn;
		ss->tail = &ss->out;
		break;
	case LWS_CALLBACK_RECEIVE:
		if (ss->wsi != NULL)
			fb_rx(ss, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (ss->wsi != NULL)
			return (fb_writeable(ss));
		break;
	case LWS_CALLBACK_CLOSED:
		if (ss->wsi != NULL)
			fb_closed(ss);
		break;
	default:
		break;
	}
	return (0);
}

static const struct lws_protocols fb_protocols[] = {
	{ "trucban.v1", fb_callback, sizeof (struct fb_session), 65536, 0,
	  NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct lws_context			*ctx;
	struct lws_vhost			*vh;
	int					 ch, port = 0;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		switch (ch) {
		case 'p':
			port = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	log_open("/dev/null", "fake-backend");
	lws_set_log_level(LLL_ERR, NULL);
	fb_load(argv[optind]);

	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = "127.0.0.1";
	info.protocols = fb_protocols;
	info.vhost_name = "default";
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.gid = -1;
	info.uid = -1;
	if ((ctx = lws_create_context(&info)) == NULL ||
	    (vh = lws_create_vhost(ctx, &info)) == NULL) {
		fprintf(stderr, "fake-backend: cannot listen on port %d\n",
		    port);
		return (1);
	}
	fb_say("listening on ws://127.0.0.1:%d",
	    lws_get_vhost_listen_port(vh));
	for (;;) {
		if (lws_service(ctx, 0) < 0)
			break;
	}
	lws_context_destroy(ctx);
	return (0);

usage:
	fprintf(stderr, "usage: fake-backend [-p PORT] SCRIPT\n");
	return (2);
}
