/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Durable logs: framed records, appends, syncs, atomic rewrites, locks. */

#include "dlog.h"

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

/*
 * Durability is the same three steps everywhere: write the whole record
 * (a short write is retried; a failed one is an error), sync the file
 * before anything that depends on the record is done, and sync the
 * directory whenever a name is created or replaced, so the name survives
 * a crash too. A file is replaced by writing NAME.tmp, syncing it,
 * renaming it over NAME and syncing the directory: after a crash either
 * the old file or the new one is there, whole.
 *
 * A crash can leave the last record of a log without its newline, or (a
 * power cut, the file system's page order) with wrong bytes: the reader
 * says DLOG_TORN or DLOG_BAD and the caller decides; a damaged record
 * with good records after it is not a torn write but damage.
 *
 * Every file is opened with O_NOFOLLOW and O_CLOEXEC and created 0600,
 * and must turn out to be a regular file of our own with no other name
 * (a hard link) before anything is written to it, so that a link planted
 * in the directory never makes us truncate or append to its target. A
 * planted NAME.tmp is refused the same way; a link planted at NAME itself
 * is simply replaced by a rename.
 */

/* ==== CRC-32 ==== */

static uint32_t	dlog_crc_table[8][256];
static int	dlog_crc_ready;

static void
dlog_crc_init(void)
{
	uint32_t	c;
	int		i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		dlog_crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = dlog_crc_table[0][i];
		for (k = 1; k < 8; k++) {
			c = dlog_crc_table[0][c & 0xff] ^ (c >> 8);
			dlog_crc_table[k][i] = c;
		}
	}
	dlog_crc_ready = 1;
}

/* Little-endian 32 bits at p. */
static uint32_t
dlog_le32(const unsigned char *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

/*
 * The CRC-32 of len bytes (polynomial 0xedb88320, as zlib's crc32()),
 * eight bytes a step.
 */
uint32_t
dlog_crc32(const void *buf, size_t len)
{
	const uint32_t		(*t)[256] = dlog_crc_table;
	const unsigned char	*p = buf;
	uint32_t		 c = 0xffffffffU, lo, hi;

	if (!dlog_crc_ready)
		dlog_crc_init();
	for (; len >= 8; p += 8, len -= 8) {
		lo = c ^ dlog_le32(p);
		hi = dlog_le32(p + 4);
		c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
		    t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		    t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		    t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
	}
	for (; len > 0; p++, len--)
		c = t[0][(c ^ *p) & 0xff] ^ (c >> 8);
	return (c ^ 0xffffffffU);
}

/* ==== Records ==== */

/*
 * Append one record holding len bytes of text to b. The text must not
 * hold a newline (compact JSON never does).
 */
void
dlog_frame(struct buf *b, const char *text, size_t len)
{
	if (memchr(text, '\n', len) != NULL)
		fatalx("%s: a newline in a record", __func__);
	buf_printf(b, "%08x ", dlog_crc32(text, len));
	buf_add(b, text, len);
	buf_addc(b, '\n');
}

/*
 * Start reading the records of size bytes at p (borrowed; they must stay
 * until reading ends). flags: DLOG_READ_BARE, DLOG_READ_CHECKED, or 0.
 */
void
dlog_reader_init(struct dlog_reader *r, const void *p, size_t size,
    int flags)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->size = size;
	r->flags = flags;
}

/*
 * Read the next record. Returns DLOG_OK with r->text and r->len set,
 * DLOG_BAD for a line that is not a good record (r->why says why; reading
 * goes on after it), DLOG_TORN for bytes without a newline at the very
 * end, or DLOG_END. r->start and r->end are the bytes the record or line
 * took, its newline included.
 */
enum dlog_status
dlog_read(struct dlog_reader *r)
{
	const unsigned char	*p, *nl;
	size_t			 n, i;
	uint32_t		 crc = 0;
	int			 d;

	r->text = NULL;
	r->len = 0;
	r->bare = 0;
	r->why = NULL;
	if (r->off >= r->size)
		return (DLOG_END);
	r->start = r->off;
	p = r->p + r->off;
	if ((nl = memchr(p, '\n', r->size - r->off)) == NULL) {
		r->end = r->off = r->size;
		r->why = "no newline at the end";
		return (DLOG_TORN);
	}
	n = (size_t)(nl - p);
	r->end = r->off = r->start + n + 1;
	if ((r->flags & DLOG_READ_BARE) && n > 0 && p[0] == '{') {
		r->text = (const char *)p;
		r->len = n;
		r->bare = 1;
		return (DLOG_OK);
	}
	if (n <= DLOG_HEAD || p[DLOG_HEAD - 1] != ' ') {
		r->why = n == 0 ? "an empty line" : "not a record";
		return (DLOG_BAD);
	}
	for (i = 0; i < DLOG_HEAD - 1; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else {
			r->why = "not a record";
			return (DLOG_BAD);
		}
		crc = crc << 4 | (uint32_t)d;
	}
	if (~r->flags & DLOG_READ_CHECKED &&
	    dlog_crc32(p + DLOG_HEAD, n - DLOG_HEAD) != crc) {
		r->why = "checksum mismatch";
		return (DLOG_BAD);
	}
	r->text = (const char *)p + DLOG_HEAD;
	r->len = n - DLOG_HEAD;
	return (DLOG_OK);
}

/*
 * 1 when a good record follows what r read last, else 0. Does not move
 * r.
 */
int
dlog_reader_more(const struct dlog_reader *r)
{
	struct dlog_reader	copy = *r;
	enum dlog_status	s;

	while ((s = dlog_read(&copy)) != DLOG_END) {
		if (s == DLOG_OK)
			return (1);
	}
	return (0);
}

/* ==== Files ==== */

/* Set *cause (when not NULL) and leave errno as error. */
static void __attribute__((format(printf, 3, 4)))
dlog_error(char **cause, int error, const char *fmt, ...)
{
	va_list	ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		*cause = xvprintf(fmt, ap);
		va_end(ap);
	}
	errno = error;
}

/*
 * Open path (relative to dirfd, which may be AT_FDCWD) as a private file:
 * flags are open(2)'s (O_CREAT creates it 0600); it is never followed if
 * it is a symbolic link, and it must be a regular file of this user's; a
 * file opened for writing must have no other name (a hard link). O_TRUNC
 * truncates only once all that holds. Returns the descriptor (close on
 * exec; the caller closes it), or -1 with errno set (ELOOP: a symbolic
 * link; EINVAL: not a regular file; EPERM: another user's; EMLINK: hard
 * linked) and *cause set when cause is not NULL (allocated; caller frees).
 */
int
dlog_open_private(int dirfd, const char *path, int flags, char **cause)
{
	struct stat	sb;
	int		fd, fl, error, trunc = flags & O_TRUNC;

	flags &= ~O_TRUNC;
	fd = openat(dirfd, path, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK, 0600);
	if (fd == -1) {
		error = errno;
		if (error == ELOOP)
			dlog_error(cause, error, "%s: a symbolic link, not "
			    "followed", path);
		else
			dlog_error(cause, error, "%s: %s", path,
			    strerror(error));
		return (-1);
	}
	if (fstat(fd, &sb) == -1) {
		error = errno;
		dlog_error(cause, error, "%s: %s", path, strerror(error));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		dlog_error(cause, EINVAL, "%s: not a regular file", path);
		goto fail;
	}
	if (sb.st_uid != geteuid()) {
		dlog_error(cause, EPERM, "%s: owned by another user", path);
		goto fail;
	}
	if ((flags & O_ACCMODE) != O_RDONLY && sb.st_nlink > 1) {
		dlog_error(cause, EMLINK, "%s: has another name (a hard "
		    "link), not written", path);
		goto fail;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ||
	    (trunc && ftruncate(fd, 0) == -1)) {
		error = errno;
		dlog_error(cause, error, "%s: %s", path, strerror(error));
		goto fail;
	}
	return (fd);

fail:
	error = errno;
	close(fd);
	errno = error;
	return (-1);
}

/*
 * fopen(3) for a private file, as dlog_open_private(): mode is "r", "r+",
 * "w", "wx" (a new file only), "a" or "a+". Returns the stream (caller
 * fcloses), or NULL with errno and *cause (when not NULL) set.
 */
FILE *
dlog_fopen_private(const char *path, const char *mode, char **cause)
{
	FILE	*f;
	int	 flags, fd, error;

	if (strcmp(mode, "r") == 0)
		flags = O_RDONLY;
	else if (strcmp(mode, "r+") == 0)
		flags = O_RDWR;
	else if (strcmp(mode, "w") == 0)
		flags = O_WRONLY | O_CREAT | O_TRUNC;
	else if (strcmp(mode, "wx") == 0)
		flags = O_WRONLY | O_CREAT | O_EXCL;
	else if (strcmp(mode, "a") == 0)
		flags = O_WRONLY | O_CREAT | O_APPEND;
	else if (strcmp(mode, "a+") == 0)
		flags = O_RDWR | O_CREAT | O_APPEND;
	else
		fatalx("%s: mode %s", __func__, mode);
	if ((fd = dlog_open_private(AT_FDCWD, path, flags, cause)) == -1)
		return (NULL);
	if ((f = fdopen(fd, mode[0] == 'w' ? "w" : mode)) == NULL) {
		error = errno;
		close(fd);
		dlog_error(cause, error, "%s: %s", path, strerror(error));
		return (NULL);
	}
	return (f);
}

/*
 * Make sure path is a private file, as dlog_open_private() opens one
 * (created 0600, empty, when missing), before it is handed to a library
 * that opens files by name and follows links (readline's history). In a
 * directory only this user can write, nobody else can change that before
 * the library opens it. Returns 0, or -1 with errno and *cause (when not
 * NULL; allocated, caller frees) set.
 */
int
dlog_check_private(const char *path, char **cause)
{
	int	fd;

	if ((fd = dlog_open_private(AT_FDCWD, path, O_RDWR | O_CREAT,
	    cause)) == -1)
		return (-1);
	close(fd);
	return (0);
}

/*
 * Take the lock file name in dirfd (created 0600) with flock(), without
 * waiting. Returns its descriptor, which holds the lock until it is
 * closed, or -1 with *cause set (allocated; caller frees) and errno
 * EWOULDBLOCK when another process holds it.
 */
int
dlog_lock(int dirfd, const char *name, char **cause)
{
	int	fd, error;

	if ((fd = dlog_open_private(dirfd, name, O_RDWR | O_CREAT, cause)) ==
	    -1)
		return (-1);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		error = errno;
		close(fd);
		if (error == EWOULDBLOCK)
			dlog_error(cause, error, "%s: held by another process",
			    name);
		else
			dlog_error(cause, error, "%s: %s", name,
			    strerror(error));
		return (-1);
	}
	return (fd);
}

/*
 * Open the directory of path ("." when it has no slash) and set *base to
 * the name of path in it (allocated; caller frees). Returns the
 * directory's descriptor (caller closes), or -1 with *cause set
 * (allocated; caller frees).
 */
int
dlog_open_dir(const char *path, char **base, char **cause)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd, error;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if ((slash != NULL ? slash[1] : *path) == '\0') {
		dlog_error(cause, EINVAL, "%s: not a file name", path);
		free(dir);
		return (-1);
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		error = errno;
		dlog_error(cause, error, "%s: %s", dir, strerror(error));
		free(dir);
		return (-1);
	}
	free(dir);
	*base = xstrdup(slash != NULL ? slash + 1 : path);
	return (fd);
}

/*
 * Map the file fd (borrowed; it stays open) read-only into m. Returns 0
 * (m->p is NULL for an empty file), or -1 with *cause set (allocated;
 * caller frees).
 */
int
dlog_map_fd(int fd, struct dlog_map *m, char **cause)
{
	struct stat	sb;
	int		error;

	m->fd = -1;
	m->p = NULL;
	m->size = 0;
	if (fstat(fd, &sb) == -1) {
		error = errno;
		dlog_error(cause, error, "%s", strerror(error));
		return (-1);
	}
	m->size = (size_t)sb.st_size;
	if (m->size == 0)
		return (0);
	m->p = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m->p == MAP_FAILED) {
		error = errno;
		m->p = NULL;
		m->size = 0;
		dlog_error(cause, error, "%s", strerror(error));
		return (-1);
	}
	madvise(m->p, m->size, MADV_SEQUENTIAL);
	return (0);
}

/*
 * Open name in dirfd privately (read-only, or read-write when writable,
 * so the caller can ftruncate(m->fd) a torn tail) and map it into m.
 * Returns 0, or -1 with *cause set (allocated; caller frees). Undo with
 * dlog_unmap().
 */
int
dlog_map(int dirfd, const char *name, int writable, struct dlog_map *m,
    char **cause)
{
	char	*c = NULL;
	int	 fd;

	m->fd = -1;
	m->p = NULL;
	m->size = 0;
	fd = dlog_open_private(dirfd, name, writable ? O_RDWR : O_RDONLY,
	    cause);
	if (fd == -1)
		return (-1);
	if (dlog_map_fd(fd, m, &c) != 0) {
		dlog_error(cause, errno, "%s: %s", name, c);
		free(c);
		close(fd);
		return (-1);
	}
	m->fd = fd;
	return (0);
}

/*
 * Unmap m, and close its file when dlog_map() opened it.
 */
void
dlog_unmap(struct dlog_map *m)
{
	if (m->p != NULL)
		munmap(m->p, m->size);
	if (m->fd != -1)
		close(m->fd);
	m->p = NULL;
	m->size = 0;
	m->fd = -1;
}

/*
 * Write all len bytes to fd, again after a short write or EINTR. Returns
 * 0, or -1 with errno set (part may have been written).
 */
int
dlog_write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * Replace name in dirfd with len bytes: write name.tmp, sync it with
 * sync, rename it, fsync the directory. Returns 0, or -1 with *cause set
 * (allocated; caller frees). *fdp (when fdp is not NULL) is set to the
 * new file, open for appending, as soon as it has replaced the old one,
 * even when syncing the directory then fails; it is left alone when name
 * is untouched. *nsync counts the syncs.
 */
static int
dlog_replace1(int dirfd, const char *name, const void *data, size_t len,
    int (*sync)(int), int *fdp, uint64_t *nsync, char **cause)
{
	char	*tmp;
	int	 fd, error;

	xasprintf(&tmp, "%s.tmp", name);
	fd = dlog_open_private(dirfd, tmp, O_RDWR | O_CREAT | O_TRUNC |
	    O_APPEND, cause);
	if (fd == -1) {
		free(tmp);
		return (-1);
	}
	(*nsync)++;
	if (fchmod(fd, 0600) != 0 || dlog_write_all(fd, data, len) != 0 ||
	    sync(fd) != 0 ||
	    renameat(dirfd, tmp, dirfd, name) != 0) {
		error = errno;
		dlog_error(cause, error, "%s: %s", tmp, strerror(error));
		close(fd);
		unlinkat(dirfd, tmp, 0);
		free(tmp);
		errno = error;
		return (-1);
	}
	free(tmp);
	if (fdp != NULL)
		*fdp = fd;
	else
		close(fd);
	(*nsync)++;
	if (fsync(dirfd) != 0) {
		error = errno;
		dlog_error(cause, error, "%s: syncing its directory: %s", name,
		    strerror(error));
		return (-1);
	}
	return (0);
}

/*
 * Replace name in dirfd with the len bytes at data, atomically: after a
 * crash the old file or the new one is there, whole. sync makes the new
 * file durable (fsync or fdatasync). Returns 0, or -1 with *cause set
 * (allocated; caller frees): name is then the old file, unless only the
 * directory could not be synced.
 */
int
dlog_replace(int dirfd, const char *name, const void *data, size_t len,
    int (*sync)(int), char **cause)
{
	uint64_t	n = 0;

	return (dlog_replace1(dirfd, name, data, len, sync, NULL, &n, cause));
}

/* ==== Appending ==== */

/*
 * Open the log name in dirfd (borrowed; it must outlive the log) for
 * appending, creating it (0600, and the directory synced) when missing.
 * Returns the log (free with dlog_free()), or NULL with errno and *cause
 * set (allocated; caller frees).
 */
struct dlog *
dlog_open(int dirfd, const char *name, char **cause)
{
	struct dlog	*d;
	char		*c = NULL;
	int		 fd, made = 1;

	fd = dlog_open_private(dirfd, name, O_RDWR | O_APPEND | O_CREAT |
	    O_EXCL, &c);
	if (fd == -1 && errno == EEXIST) {
		free(c);
		made = 0;
		fd = dlog_open_private(dirfd, name, O_RDWR | O_APPEND, &c);
	}
	if (fd == -1) {
		dlog_error(cause, errno, "%s", c);
		free(c);
		return (NULL);
	}
	d = xcalloc(1, sizeof *d);
	d->dirfd = dirfd;
	d->name = xstrdup(name);
	d->fd = fd;
	d->sync = fdatasync;
	if (made && dlog_sync_dir(d) != 0)
		log_warn("%s: syncing its directory: %s", name,
		    strerror(errno));
	return (d);
}

/*
 * Close the log; what was added and not written is lost. NULL is a
 * no-op.
 */
void
dlog_free(struct dlog *d)
{
	if (d == NULL)
		return;
	if (d->fd != -1)
		close(d->fd);
	buf_free(&d->buf);
	free(d->name);
	free(d);
}

/*
 * Add a record of len bytes of text (copied) to the log's buffer; it is
 * written by dlog_write() or dlog_sync().
 */
void
dlog_add(struct dlog *d, const char *text, size_t len)
{
	dlog_frame(&d->buf, text, len);
}

/*
 * Write what was added (no sync). Returns 0, or -1 with errno set: the
 * buffer is kept, and the file may hold part of it.
 */
int
dlog_write(struct dlog *d)
{
	if (d->buf.len == 0)
		return (0);
	if (dlog_write_all(d->fd, d->buf.s, d->buf.len) != 0)
		return (-1);
	d->written += d->buf.len;
	buf_truncate(&d->buf, 0);
	d->unsynced = 1;
	return (0);
}

/*
 * Write what was added and sync the file, if anything is not durable.
 * Returns 0 when everything added is durable, or -1 with errno set.
 */
int
dlog_sync(struct dlog *d)
{
	if (dlog_write(d) != 0)
		return (-1);
	if (!d->unsynced)
		return (0);
	d->nsync++;
	if (d->sync(d->fd) != 0)
		return (-1);
	d->unsynced = 0;
	return (0);
}

/*
 * Append a record now: written and synced when this returns 0. On
 * failure the file is cut back to what it was, nothing of the record
 * stays, and -1 is returned with errno and *cause (when not NULL;
 * allocated; caller frees) set.
 */
int
dlog_append(struct dlog *d, const char *text, size_t len, char **cause)
{
	struct stat	sb;
	off_t		before = -1;
	int		error;

	if (d->buf.len == 0 && fstat(d->fd, &sb) == 0)
		before = sb.st_size;
	dlog_add(d, text, len);
	if (dlog_sync(d) == 0)
		return (0);
	error = errno;
	buf_truncate(&d->buf, 0);
	if (before != -1 && ftruncate(d->fd, before) == -1)
		log_warn("%s: cutting back a failed write: %s", d->name,
		    strerror(errno));
	d->unsynced = 0;
	dlog_error(cause, error, "%s: %s", d->name, strerror(error));
	return (-1);
}

/*
 * Cut the file to len bytes and sync it (a torn tail, or everything).
 * Returns 0, or -1 with errno set.
 */
int
dlog_truncate(struct dlog *d, off_t len)
{
	buf_truncate(&d->buf, 0);
	if (ftruncate(d->fd, len) == -1)
		return (-1);
	d->nsync++;
	if (d->sync(d->fd) != 0)
		return (-1);
	d->unsynced = 0;
	return (0);
}

/*
 * Replace the whole log with len bytes of framed records (compaction),
 * atomically (see dlog_replace()), and go on appending to the new file.
 * Nothing may be waiting in the buffer. Returns 0, or -1 with *cause set
 * (allocated; caller frees); the log is then the old file, unless only
 * the directory could not be synced.
 */
int
dlog_rewrite(struct dlog *d, const void *data, size_t len, char **cause)
{
	int	fd = -1, rc;

	if (d->buf.len != 0)
		fatalx("%s: %s has records not written", __func__, d->name);
	rc = dlog_replace1(d->dirfd, d->name, data, len, d->sync, &fd,
	    &d->nsync, cause);
	if (fd != -1) {
		close(d->fd);
		d->fd = fd;
		d->unsynced = 0;
		d->written += len;
	}
	return (rc);
}

/*
 * fsync() the log's directory, so a name made or replaced in it survives
 * a crash. Returns 0, or -1 with errno set.
 */
int
dlog_sync_dir(struct dlog *d)
{
	d->nsync++;
	return (fsync(d->dirfd));
}
