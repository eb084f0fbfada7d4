/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The demo backend: a trucban-backend child on a loopback port. */

#include "demo.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "xmalloc.h"

/*
 * The backend is looked for next to our own executable (build/trucban and
 * build/trucban-backend), then in PATH. Its stdout is a pipe: the first
 * thing it prints is "trucban-backend: listening on ws://127.0.0.1:PORT",
 * which we wait for (DEMO_START_MS at most) before the screen starts.
 * After that the pipe is adopted into the lws loop: its lines go to our
 * log, and its end (EOF) means the child died. Its stderr goes to our log
 * file (or /dev/null), never to the screen. The child gets the signals we
 * block unblocked again before exec.
 */

#define DEMO_LISTEN	"listening on "

static pid_t	 demo_pid = -1;
static int	 demo_rfd = -1;
static char	 demo_buf[4096];
static size_t	 demo_len;
static char	 demo_last[256];	/* The last line it printed. */

static char *
demo_find_backend(void)
{
	char	 self[PATH_MAX], *dir, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		dir = dirname(self);
		xasprintf(&path, "%s/trucban-backend", dir);
		if (access(path, X_OK) == 0)
			return (path);
		free(path);
	}
	return (xstrdup("trucban-backend"));	/* execvp looks in PATH. */
}

/* Log the complete lines in demo_buf; return a "listening" URL if seen. */
static char *
demo_lines(void)
{
	char	*nl, *p, *url = NULL, *end;
	size_t	 used;

	while ((nl = memchr(demo_buf, '\n', demo_len)) != NULL) {
		*nl = '\0';
		log_info("backend: %s", demo_buf);
		snprintf(demo_last, sizeof demo_last, "%.*s",
		    (int)sizeof demo_last - 1, demo_buf);
		p = strstr(demo_buf, DEMO_LISTEN);
		if (url == NULL && p != NULL) {
			p += strlen(DEMO_LISTEN);
			end = p + strcspn(p, " \t\r");
			url = xstrndup(p, (size_t)(end - p));
		}
		used = (size_t)(nl - demo_buf) + 1;
		memmove(demo_buf, nl + 1, demo_len - used);
		demo_len -= used;
	}
	if (demo_len == sizeof demo_buf)
		demo_len = 0;	/* A line too long to care about. */
	return (url);
}

/* Whether the officer's backend arguments run a drill. */
static int
demo_is_drill(const char *const *args, int nargs)
{
	int	i;

	for (i = 0; i < nargs; i++) {
		if (strncmp(args[i], "--drill", 7) == 0)
			return (1);
	}
	return (0);
}

static void __attribute__((noreturn))
demo_child(const char *path, const char *data_dir, const char *log_path,
    const char *const *args, int nargs, int wfd)
{
	sigset_t	 none;
	const char	**argv;
	int		 fd, i, argc = 0;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(wfd, STDOUT_FILENO) == -1)
		_exit(127);
	if (wfd != STDOUT_FILENO)
		close(wfd);
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	fd = -1;
	if (log_path != NULL)
		fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd == -1)
		fd = open("/dev/null", O_WRONLY);
	if (fd != -1) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	argv = xcalloc((size_t)nargs + 8, sizeof *argv);
	argv[argc++] = path;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	if (data_dir != NULL) {
		argv[argc++] = "--data";
		argv[argc++] = data_dir;
	}
	/*
	 * A demo starts with alerts to take: colleagues who leave them a
	 * while (a drill's default, none, stays). The officer's own
	 * arguments come last and win.
	 */
	if (!demo_is_drill(args, nargs)) {
		argv[argc++] = "--colleagues";
		argv[argc++] = "slow";
	}
	for (i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	execvp(path, (char *const *)argv);
	dprintf(STDOUT_FILENO, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/*
 * Start the backend (with --data data_dir if not NULL, slow colleagues
 * unless it runs a drill, then the nargs arguments args, which the
 * officer gave after "--"; its stderr appended to log_path if not NULL)
 * and wait for its address. Returns 0 and sets
 * *url (allocated; caller frees), or -1 with *cause set (allocated; caller
 * frees) after cleaning up the child.
 */
int
demo_start(const char *data_dir, const char *log_path,
    const char *const *args, int nargs, char **url, char **cause)
{
	struct pollfd	 pfd;
	char		*path, *found = NULL;
	int		 p[2], flags;
	int64_t		 deadline, left;
	ssize_t		 n;

	path = demo_find_backend();
	if (pipe2(p, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		free(path);
		return (-1);
	}
	fflush(NULL);
	switch (demo_pid = fork()) {
	case -1:
		xasprintf(cause, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		free(path);
		return (-1);
	case 0:
		close(p[0]);
		demo_child(path, data_dir, log_path, args, nargs, p[1]);
	default:
		break;
	}
	close(p[1]);
	demo_rfd = p[0];
	log_info("started %s (pid %ld)", path, (long)demo_pid);

	deadline = clock_mono() + DEMO_START_MS;
	while (found == NULL) {
		if ((left = deadline - clock_mono()) <= 0) {
			xasprintf(cause, "%s did not say where it listens "
			    "within %d s", path, DEMO_START_MS / 1000);
			goto fail;
		}
		pfd.fd = demo_rfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "poll: %s", strerror(errno));
			goto fail;
		}
		if (pfd.revents == 0)
			continue;
		n = read(demo_rfd, demo_buf + demo_len,
		    sizeof demo_buf - demo_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "%s ended before listening%s%s", path,
			    *demo_last != '\0' ? ": " : "", demo_last);
			goto fail;
		}
		demo_len += (size_t)n;
		found = demo_lines();
	}
	flags = fcntl(demo_rfd, F_GETFL);
	fcntl(demo_rfd, F_SETFL, flags | O_NONBLOCK);
	log_info("demo backend at %s", found);
	*url = found;
	free(path);
	return (0);

fail:
	free(path);
	demo_stop();
	return (-1);
}

/*
 * The read end of the child's stdout (owned by demo.c; adopt a dup), or
 * -1 without a child.
 */
int
demo_fd(void)
{
	return (demo_rfd);
}

/*
 * Read what the child printed and log it. Returns 0, or -1 at EOF: the
 * child has gone (call demo_reap).
 */
int
demo_read(void)
{
	ssize_t	 n;

	if (demo_rfd == -1)
		return (-1);
	for (;;) {
		n = read(demo_rfd, demo_buf + demo_len,
		    sizeof demo_buf - demo_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return (0);
		if (n <= 0)
			return (-1);
		demo_len += (size_t)n;
		free(demo_lines());
	}
}

/*
 * Collect the child if it has ended. Returns an allocated description of
 * how it ended (caller frees), or NULL if it is still running or was
 * already collected.
 */
char *
demo_reap(void)
{
	int	 status;
	char	*why;
	pid_t	 r;

	if (demo_pid == -1)
		return (NULL);
	r = waitpid(demo_pid, &status, WNOHANG);
	if (r == 0)
		return (NULL);
	demo_pid = -1;
	if (r == -1)
		return (xprintf("waitpid: %s", strerror(errno)));
	if (WIFEXITED(status))
		why = xprintf("trucban-backend exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		why = xprintf("trucban-backend killed by signal %d",
		    WTERMSIG(status));
	else
		why = xstrdup("trucban-backend ended");
	log_warn("%s", why);
	return (why);
}

/*
 * End the child: SIGTERM, wait up to 3 s, then SIGKILL; reap it. Safe to
 * call twice and from the fatal hook.
 */
void
demo_stop(void)
{
	int64_t	deadline;
	int	status;
	pid_t	r;

	if (demo_pid > 0) {
		kill(demo_pid, SIGTERM);
		deadline = clock_mono() + 3000;
		while ((r = waitpid(demo_pid, &status, WNOHANG)) == 0 &&
		    clock_mono() < deadline)
			poll(NULL, 0, 10);
		if (r == 0) {
			log_warn("trucban-backend did not stop; killing it");
			kill(demo_pid, SIGKILL);
			waitpid(demo_pid, &status, 0);
		} else if (r > 0)
			log_info("trucban-backend stopped (status %d)",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		demo_pid = -1;
	}
	if (demo_rfd != -1) {
		close(demo_rfd);
		demo_rfd = -1;
	}
	demo_len = 0;
}
