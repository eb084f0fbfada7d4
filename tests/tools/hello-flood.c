/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * hello-flood: many websocket connections to a backend that never say
 * hello (or, with -H, say it and then only hold the session), the way a
 * token holder would try to starve the officers' consoles.
 *
 *   hello-flood [-H | -R] [-b B] [-n N] [-T TOKEN]... PORT
 *
 * It opens N connections (default 1000) to 127.0.0.1:PORT at once (with
 * -b, at most B at a time before their upgrade is answered), the
 * Nth with the (N mod count)th token given (none: no Authorization), and
 * upgrades each with a plain HTTP request (no permessage-deflate; with
 * -R it sends nothing at all, a bare TCP connection). It
 * never answers anything: not a ping, not a close. It reads what comes,
 * frame by frame, and keeps the first bytes of each text frame (an error
 * code) and the code and reason of a close frame. Once every connection
 * was tried, and again whenever a count changes (at most every 100 ms),
 * one line on stdout:
 *
 *   hello-flood: tried T open O upgraded U refused R closed C connecting N
 *
 * (connecting: open, and the TCP connect not done yet: the server's
 * backlog was full and the kernel retries the SYN.)
 *
 * and one line for each close frame or error it got, the first time a
 * reason is seen and then every hundredth:
 *
 *   hello-flood: close 1008 "no hello within 3 s" (N)
 *   hello-flood: error too_many_sessions (N)
 *
 * One poll() loop, no threads; SIGTERM or SIGINT ends it.
 */

#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HF_MAX		8192	/* Connections at most. */
#define HF_TOKENS	16
#define HF_KEEP		128	/* Payload bytes kept of a frame. */
#define HF_REASONS	16

enum hf_state {
	HF_CONNECTING,		/* Connect under way. */
	HF_HTTP,		/* Request sent, response awaited. */
	HF_WS,			/* Upgraded: frames. */
	HF_DONE			/* Closed (by the server, or refused). */
};

struct hf_conn {
	int		 fd;
	enum hf_state	 state;
	const char	*token;
	char		 http[1024];	/* The response, to its blank line. */
	size_t		 hlen;
	unsigned char	 hdr[14];	/* The frame header being read. */
	size_t		 nhdr;
	unsigned long long left;	/* Payload bytes of this frame left. */
	int		 opcode;
	unsigned char	 keep[HF_KEEP + 1];
	size_t		 nkeep;
};

/* A reason seen, and how often. */
struct hf_reason {
	char		 text[HF_KEEP + 32];
	unsigned	 n;
};

static struct hf_conn	 hf_conns[HF_MAX];
static struct hf_reason	 hf_reasons[HF_REASONS];
static size_t		 hf_n = 1000;
static size_t		 hf_batch;	/* 0: all at once. */
static unsigned		 hf_tried, hf_open, hf_upgraded, hf_refused;
static unsigned		 hf_closed;
static int		 hf_hello;
static int		 hf_raw;

static void
hf_reason(const char *text)
{
	size_t	i;

	for (i = 0; i < HF_REASONS && hf_reasons[i].n > 0; i++) {
		if (strcmp(hf_reasons[i].text, text) == 0)
			break;
	}
	if (i == HF_REASONS)
		return;
	if (hf_reasons[i].n++ == 0)
		snprintf(hf_reasons[i].text, sizeof hf_reasons[i].text, "%s",
		    text);
	if (hf_reasons[i].n % 100 == 1) {
		printf("hello-flood: %s (%u)\n", text, hf_reasons[i].n);
		fflush(stdout);
	}
}

static void
hf_close(struct hf_conn *c)
{
	if (c->state == HF_DONE)
		return;
	close(c->fd);
	c->fd = -1;
	c->state = HF_DONE;
	hf_open--;
	hf_closed++;
}

static void
hf_write_all(struct hf_conn *c, const void *buf, size_t len)
{
	/* Small requests into an empty socket buffer: one write. */
	if (write(c->fd, buf, len) != (ssize_t)len)
		hf_close(c);
}

static void
hf_request(struct hf_conn *c, int port)
{
	char	req[1024];
	int	n;

	if (hf_raw) {
		c->state = HF_HTTP;
		return;
	}
	n = snprintf(req, sizeof req,
	    "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
	    "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
	    "trucban.v1\r\n%s%s%s\r\n", port, c->token != NULL ?
	    "Authorization: Bearer " : "", c->token != NULL ? c->token : "",
	    c->token != NULL ? "\r\n" : "");
	hf_write_all(c, req, (size_t)n);
	c->state = HF_HTTP;
}

/* A masked text frame from the client: the hello. */
static void
hf_send_hello(struct hf_conn *c)
{
	static const char	 hello[] = "{\"type\":\"hello\",\"proto\":1,"
				    "\"client\":\"hello-flood\"}";
	unsigned char		 f[6 + sizeof hello];
	size_t			 i, n = sizeof hello - 1;

	f[0] = 0x81;
	f[1] = 0x80 | (unsigned char)n;
	memset(f + 2, 0, 4);			/* Mask 0: plain text. */
	for (i = 0; i < n; i++)
		f[6 + i] = (unsigned char)hello[i];
	hf_write_all(c, f, 6 + n);
}

/* A whole frame was read (its first HF_KEEP bytes in keep). */
static void
hf_frame(struct hf_conn *c)
{
	char		 text[HF_KEEP + 32];
	const char	*p, *q;
	unsigned	 code;

	c->keep[c->nkeep] = '\0';
	if (c->opcode == 8) {
		code = c->nkeep >= 2 ? (unsigned)c->keep[0] << 8 | c->keep[1] :
		    0;
		snprintf(text, sizeof text, "close %u \"%.*s\"", code,
		    c->nkeep >= 2 ? (int)c->nkeep - 2 : 0,
		    (const char *)c->keep + 2);
		hf_reason(text);
		hf_close(c);
	} else if (c->opcode == 1 && (p = strstr((const char *)c->keep,
	    "\"type\":\"error\"")) != NULL &&
	    (p = strstr((const char *)c->keep, "\"code\":\"")) != NULL) {
		p += 8;
		q = strchr(p, '"');
		snprintf(text, sizeof text, "error %.*s", q != NULL ?
		    (int)(q - p) : 0, p);
		hf_reason(text);
	}
	c->nhdr = 0;
	c->nkeep = 0;
}

/* Bytes of frames: header, then payload (the first bytes kept). */
static void
hf_frames(struct hf_conn *c, const unsigned char *b, size_t n)
{
	size_t	need, take;
	int	i;

	while (n > 0 && c->state == HF_WS) {
		if (c->nhdr < 2 || c->left == ~0ULL) {
			c->hdr[c->nhdr++] = *b++;
			n--;
			if (c->nhdr < 2)
				continue;
			need = 2 + ((c->hdr[1] & 0x7f) == 126 ? 2 :
			    (c->hdr[1] & 0x7f) == 127 ? 8 : 0);
			if (c->nhdr < need) {
				c->left = ~0ULL;
				continue;
			}
			c->opcode = c->hdr[0] & 0x0f;
			if ((c->hdr[1] & 0x7f) < 126)
				c->left = c->hdr[1] & 0x7f;
			else {
				c->left = 0;
				for (i = 2; i < (int)need; i++)
					c->left = c->left << 8 | c->hdr[i];
			}
			if (c->left == 0)
				hf_frame(c);
			continue;
		}
		take = n < c->left ? n : (size_t)c->left;
		if (c->nkeep < HF_KEEP) {
			need = HF_KEEP - c->nkeep < take ? HF_KEEP - c->nkeep :
			    take;
			memcpy(c->keep + c->nkeep, b, need);
			c->nkeep += need;
		}
		b += take;
		n -= take;
		c->left -= take;
		if (c->left == 0)
			hf_frame(c);
	}
}

static void
hf_read(struct hf_conn *c)
{
	unsigned char	 buf[65536];
	char		*end;
	ssize_t		 n;
	size_t		 used, prev = c->hlen;

	if ((n = read(c->fd, buf, sizeof buf)) <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			hf_close(c);
		return;
	}
	if (c->state == HF_WS) {
		hf_frames(c, buf, (size_t)n);
		return;
	}
	used = (size_t)n < sizeof c->http - 1 - c->hlen ? (size_t)n :
	    sizeof c->http - 1 - c->hlen;
	memcpy(c->http + c->hlen, buf, used);
	c->hlen += used;
	c->http[c->hlen] = '\0';
	if ((end = strstr(c->http, "\r\n\r\n")) == NULL) {
		if (c->hlen == sizeof c->http - 1)
			hf_close(c);
		return;
	}
	if (strncmp(c->http, "HTTP/1.1 101", 12) != 0) {
		hf_refused++;
		hf_close(c);
		return;
	}
	hf_upgraded++;
	c->state = HF_WS;
	if (hf_hello)
		hf_send_hello(c);
	/* Frames that came in the same read as the response's end. */
	used = (size_t)(end + 4 - c->http) - prev;
	if ((size_t)n > used)
		hf_frames(c, buf + used, (size_t)n - used);
}

/* Open connections, up to hf_batch of them on the way to their upgrade. */
static void
hf_dial(const struct sockaddr_in *sin, int port, const char **tokens,
    size_t ntokens)
{
	struct hf_conn	*c;
	size_t		 i, going = 0;

	for (i = 0; i < hf_tried; i++) {
		if (hf_conns[i].state == HF_CONNECTING ||
		    hf_conns[i].state == HF_HTTP)
			going++;
	}
	while (hf_tried < hf_n && (hf_batch == 0 || going < hf_batch)) {
		c = &hf_conns[hf_tried++];
		c->token = ntokens > 0 ? tokens[(hf_tried - 1) % ntokens] :
		    NULL;
		c->state = HF_DONE;
		if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
		    == -1) {
			fprintf(stderr, "hello-flood: socket: %s\n",
			    strerror(errno));
			hf_closed++;
			continue;
		}
		hf_open++;
		going++;
		c->state = HF_CONNECTING;
		if (connect(c->fd, (const struct sockaddr *)sin, sizeof *sin) ==
		    0)
			hf_request(c, port);
		else if (errno != EINPROGRESS)
			hf_close(c);
	}
}

static long long
hf_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
main(int argc, char **argv)
{
	static struct pollfd	 pfd[HF_MAX + 1];
	const char		*tokens[HF_TOKENS];
	struct sockaddr_in	 sin;
	struct rlimit		 rl;
	struct hf_conn		*c;
	unsigned long		 v;
	unsigned		 connecting;
	sigset_t		 ss;
	char			*end;
	char			 last[128], line[128];
	size_t			 ntokens = 0, i;
	long long		 printed = 0;
	int			 ch, port, sfd, stop = 0, err;
	socklen_t		 len;

	while ((ch = getopt(argc, argv, "b:Hn:RT:")) != -1) {
		switch (ch) {
		case 'b':
			v = strtoul(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > HF_MAX) {
				fprintf(stderr, "hello-flood: bad -b %s\n",
				    optarg);
				return (2);
			}
			hf_batch = v;
			break;
		case 'H':
			hf_hello = 1;
			break;
		case 'R':
			hf_raw = 1;
			break;
		case 'n':
			hf_n = strtoul(optarg, &end, 10);
			if (*end != '\0' || hf_n < 1 || hf_n > HF_MAX) {
				fprintf(stderr, "hello-flood: bad -n %s\n",
				    optarg);
				return (2);
			}
			break;
		case 'T':
			if (ntokens == HF_TOKENS) {
				fprintf(stderr, "hello-flood: too many -T\n");
				return (2);
			}
			tokens[ntokens++] = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	port = atoi(argv[optind]);

	/* A descriptor for each connection, and some. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < hf_n + 16) {
		rl.rlim_cur = rl.rlim_max < hf_n + 16 ? rl.rlim_max :
		    hf_n + 16;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < hf_n; i++)
		hf_conns[i].state = HF_DONE;
	last[0] = '\0';
	while (!stop) {
		hf_dial(&sin, port, tokens, ntokens);
		for (i = 0; i < hf_n; i++) {
			c = &hf_conns[i];
			pfd[i].fd = c->state == HF_DONE ? -1 : c->fd;
			pfd[i].events = c->state == HF_CONNECTING ? POLLOUT :
			    POLLIN;
			pfd[i].revents = 0;
		}
		pfd[hf_n].fd = sfd;
		pfd[hf_n].events = POLLIN;
		if (poll(pfd, hf_n + 1, 100) == -1 && errno != EINTR)
			break;
		if (pfd[hf_n].revents != 0)
			stop = 1;
		for (i = 0; i < hf_n; i++) {
			c = &hf_conns[i];
			if (pfd[i].revents == 0 || c->state == HF_DONE)
				continue;
			if (c->state == HF_CONNECTING) {
				len = sizeof err;
				if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
				    &len) != 0 || err != 0)
					hf_close(c);
				else
					hf_request(c, port);
				continue;
			}
			hf_read(c);
		}
		for (i = 0, connecting = 0; i < hf_tried; i++)
			connecting += hf_conns[i].state == HF_CONNECTING;
		snprintf(line, sizeof line, "hello-flood: tried %u open %u "
		    "upgraded %u refused %u closed %u connecting %u", hf_tried,
		    hf_open, hf_upgraded, hf_refused, hf_closed, connecting);
		if (strcmp(line, last) != 0 && hf_ms() - printed >= 100) {
			printf("%s\n", line);
			fflush(stdout);
			snprintf(last, sizeof last, "%s", line);
			printed = hf_ms();
		}
	}
	return (0);

usage:
	fprintf(stderr, "usage: hello-flood [-H | -R] [-b B] [-n N] "
	    "[-T TOKEN]... PORT\n");
	return (2);
}
