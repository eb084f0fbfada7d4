/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The websocket server: one lws context (protocol trucban.v1 with
 * permessage-deflate), the clients with their inbound reassembly and
 * outbound queues, the broadcast of every event, and the signal fd that
 * ends the loop.
 */

#ifndef BE_SERVER_H
#define BE_SERVER_H

#include <stddef.h>

struct be_server;
struct be_state;
struct lws_context;

#define BE_SERVER_QUEUE_MSGS	20000	/* Per client, outbound. */
#define BE_SERVER_QUEUE_BYTES	(16 * 1024 * 1024)
#define BE_SERVER_MAX_FDS	1024

struct be_server_opts {
	const char	*iface;		/* Address to listen on. */
	int		 port;		/* 0: ephemeral. */
	int		 signal_fd;	/* signalfd to watch, or -1. */
	size_t		 queue_msgs;	/* 0: BE_SERVER_QUEUE_MSGS. */
	size_t		 queue_bytes; /* 0: BE_SERVER_QUEUE_BYTES. */
};

struct be_server	*be_server_new(struct be_state *,
			     const struct be_server_opts *, char **cause);
void			 be_server_free(struct be_server *);
int			 be_server_port(const struct be_server *);
struct lws_context	*be_server_context(struct be_server *);
int			 be_server_run(struct be_server *);
void			 be_server_stop(struct be_server *);
size_t			 be_server_clients(const struct be_server *);

#endif
