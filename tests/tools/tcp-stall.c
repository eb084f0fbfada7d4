/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * tcp-stall: a TCP proxy on loopback that can hang like a tunnel whose
 * far end stopped answering (ssh -L to a hung host, a stuck NAT).
 *
 *   tcp-stall [-p PORT] TARGET_PORT
 *
 * It listens on 127.0.0.1:PORT (0: any free port), prints
 * "tcp-stall: listening on 127.0.0.1:PORT", and forwards each connection
 * to 127.0.0.1:TARGET_PORT. SIGUSR1 makes it hang: connections it forwards
 * stop moving bytes either way, and new ones are accepted and held, never
 * forwarded and never answered. SIGUSR2 ends the hang: forwarded
 * connections move again and new ones are forwarded; held ones stay held
 * until their client gives up. One line on stdout for each event:
 *
 *   tcp-stall: accepted N forwarded|held
 *   tcp-stall: closed N
 *   tcp-stall: stalled | tcp-stall: flowing
 *
 * One poll() loop, no threads; SIGTERM ends it.
 */

#include <sys/signalfd.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TS_MAX		64		/* Connections at once. */
#define TS_BUF		65536		/* Bytes in flight each way. */

/* Bytes read from one side, not yet written to the other. */
struct ts_buf {
	char	data[TS_BUF];
	size_t	off, len;
};

struct ts_pair {
	int		n;
	int		cfd;		/* The client; -1: slot free. */
	int		tfd;		/* The target; -1: held. */
	struct ts_buf	up;		/* Client to target. */
	struct ts_buf	down;		/* Target to client. */
};

static struct ts_pair	ts_pairs[TS_MAX];
static int		ts_stalled;
static int		ts_count;
static int		ts_target;

static void
ts_say(const char *what, int n)
{
	if (n > 0)
		printf("tcp-stall: %s %d\n", what, n);
	else
		printf("tcp-stall: %s\n", what);
	fflush(stdout);
}

static void
ts_close(struct ts_pair *p)
{
	close(p->cfd);
	if (p->tfd != -1)
		close(p->tfd);
	printf("tcp-stall: closed %d\n", p->n);
	fflush(stdout);
	p->cfd = p->tfd = -1;
}

static int
ts_connect(void)
{
	struct sockaddr_in	sin;
	int			fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)ts_target);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
ts_accept(int lfd)
{
	struct ts_pair	*p = NULL;
	int		 fd, i;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1)
		return;
	for (i = 0; i < TS_MAX && p == NULL; i++) {
		if (ts_pairs[i].cfd == -1)
			p = &ts_pairs[i];
	}
	if (p == NULL) {
		close(fd);
		return;
	}
	memset(p, 0, sizeof *p);
	p->n = ++ts_count;
	p->cfd = fd;
	p->tfd = -1;
	if (!ts_stalled && (p->tfd = ts_connect()) == -1) {
		ts_close(p);
		return;
	}
	printf("tcp-stall: accepted %d %s\n", p->n, p->tfd == -1 ? "held" :
	    "forwarded");
	fflush(stdout);
}

/* Move bytes from fd into b; 0, or -1 when the side is gone. */
static int
ts_read(int fd, struct ts_buf *b)
{
	ssize_t	n;

	if (b->len != 0)
		return (0);
	n = read(fd, b->data, sizeof b->data);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		return (-1);
	if (n > 0) {
		b->off = 0;
		b->len = (size_t)n;
	}
	return (0);
}

static int
ts_write(int fd, struct ts_buf *b)
{
	ssize_t	n;

	if (b->len == 0)
		return (0);
	n = write(fd, b->data + b->off, b->len);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR ? 0 : -1);
	b->off += (size_t)n;
	b->len -= (size_t)n;
	return (0);
}

int
main(int argc, char **argv)
{
	struct pollfd		 pfd[2 + 2 * TS_MAX];
	struct ts_pair		*map[2 + 2 * TS_MAX];
	struct sockaddr_in	 sin;
	struct signalfd_siginfo	 si;
	socklen_t		 slen = sizeof sin;
	sigset_t		 ss;
	int			 ch, port = 0, lfd, sfd, one = 1, i, n;
	short			 ev;
	struct ts_pair		*p;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		switch (ch) {
		case 'p':
			port = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || (ts_target = atoi(argv[optind])) <= 0)
		goto usage;
	for (i = 0; i < TS_MAX; i++)
		ts_pairs[i].cfd = -1;

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	sigaddset(&ss, SIGUSR2);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) == -1 ||
	    (lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		perror("tcp-stall");
		return (1);
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(lfd, 16) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1) {
		perror("tcp-stall");
		return (1);
	}
	printf("tcp-stall: listening on 127.0.0.1:%d\n", ntohs(sin.sin_port));
	fflush(stdout);

	for (;;) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		n = 2;
		for (i = 0; i < TS_MAX; i++) {
			p = &ts_pairs[i];
			if (p->cfd == -1)
				continue;
			/* Held or stalled: only notice the client leaving. */
			ev = POLLRDHUP;
			if (p->tfd != -1 && !ts_stalled) {
				if (p->up.len == 0)
					ev |= POLLIN;
				if (p->down.len != 0)
					ev |= POLLOUT;
			}
			map[n] = p;
			pfd[n].fd = p->cfd;
			pfd[n++].events = ev;
			if (p->tfd == -1)
				continue;
			ev = 0;
			if (!ts_stalled) {
				if (p->down.len == 0)
					ev |= POLLIN;
				if (p->up.len != 0)
					ev |= POLLOUT;
			}
			map[n] = p;
			pfd[n].fd = p->tfd;
			pfd[n++].events = ev;
		}
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			perror("tcp-stall: poll");
			return (1);
		}
		if (pfd[1].revents & POLLIN) {
			while (read(sfd, &si, sizeof si) ==
			    (ssize_t)sizeof si) {
				ts_stalled = si.ssi_signo == SIGUSR1;
				ts_say(ts_stalled ? "stalled" : "flowing", 0);
			}
		}
		if (pfd[0].revents & POLLIN)
			ts_accept(lfd);
		for (i = 2; i < n; i++) {
			p = map[i];
			if (p->cfd == -1 || pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == p->cfd) {
				if ((pfd[i].revents & (POLLERR | POLLHUP)) ||
				    ((pfd[i].revents & POLLRDHUP) &&
				    (p->tfd == -1 || ts_stalled)) ||
				    ((pfd[i].revents & POLLIN) &&
				    ts_read(p->cfd, &p->up) != 0) ||
				    ((pfd[i].revents & POLLOUT) &&
				    ts_write(p->cfd, &p->down) != 0))
					ts_close(p);
			} else if (((pfd[i].revents & (POLLERR | POLLHUP)) &&
			    !(pfd[i].revents & POLLIN)) ||
			    ((pfd[i].revents & POLLIN) &&
			    ts_read(p->tfd, &p->down) != 0) ||
			    ((pfd[i].revents & POLLOUT) &&
			    ts_write(p->tfd, &p->up) != 0))
				ts_close(p);
		}
	}

usage:
	fprintf(stderr, "usage: tcp-stall [-p PORT] TARGET_PORT\n");
	return (2);
}
