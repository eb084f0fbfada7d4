/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * tty-scan: check bytes a program wrote to a terminal (a tmux pipe-pane
 * capture) for anything ncurses would not have written to an
 * xterm-256color.
 *
 *   tty-scan [-v] FILE
 *
 * Exits 0 when every byte is accounted for, 1 with one line per offence
 * on stdout ("OFFSET: what: hex bytes"), 2 on a usage or read error; -v
 * also prints how many of each sequence it saw.
 *
 * Allowed, as ncurses 6.4 uses the xterm-256color entry: text in valid
 * UTF-8; CR, LF, BS, TAB, BEL and NUL (padding); CSI sequences with
 * decimal parameters ending in m H J K A B C D E F G d r L M @ P X S T Z
 * or b (SGR, moves, erasing, scrolling, insert and delete, repeat); CSI 4
 * h/l (insert mode); CSI ? 1/5/7/12/25/12;25/1034/1049 h/l (keypad,
 * flash, automatic margins for the last cell, cursor, meta, the alternate
 * screen); CSI 22;0;0 t and 23;0;0 t (the title stack
 * around the alternate screen); ESC ( B, ESC ( 0, ESC 7, ESC 8, ESC =,
 * ESC >, ESC M, ESC E. Everything else is an offence, among them: OSC
 * (ESC ]), DCS (ESC P), APC, PM, SOS, ST, RIS (ESC c), DEC tests (ESC #),
 * other C0 controls, DEL, C1 controls in either form, invalid UTF-8, and
 * the bidirectional controls and separators the sanitiser removes
 * (U+061C, U+200E/F, U+202A-202E, U+2066-2069, U+2028/9, U+FEFF).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"

static const unsigned char	*ts_buf;
static size_t			 ts_len;
static int			 ts_bad;
static unsigned long		 ts_seen[128];	/* By final byte. */

static void
ts_offence(size_t off, size_t len, const char *what)
{
	size_t	i;

	if (ts_bad++ >= 100) {
		if (ts_bad == 101)
			printf("...: more offences not shown\n");
		return;
	}
	printf("%zu: %s:", off, what);
	for (i = 0; i < len && i < 24 && off + i < ts_len; i++)
		printf(" %02x", ts_buf[off + i]);
	printf("\n");
}

/* 1 if params (len bytes) is one of the NUL-separated list. */
static int
ts_oneof(const char *params, size_t len, const char *list)
{
	const char	*p;

	for (p = list; *p != '\0'; p += strlen(p) + 1) {
		if (strlen(p) == len && memcmp(p, params, len) == 0)
			return (1);
	}
	return (0);
}

/* A CSI at off (ESC [ already seen); returns its length. */
static size_t
ts_csi(size_t off)
{
	size_t		 i = off + 2, plen, k;
	const char	*params;
	unsigned char	 c, final;
	int		 private, digits = 1;

	params = (const char *)ts_buf + i;
	while (i < ts_len && ts_buf[i] >= 0x30 && ts_buf[i] <= 0x3f)
		i++;
	plen = (size_t)((const char *)ts_buf + i - params);
	if (i < ts_len && ts_buf[i] >= 0x20 && ts_buf[i] <= 0x2f) {
		while (i < ts_len && ts_buf[i] >= 0x20 && ts_buf[i] <= 0x2f)
			i++;
		ts_offence(off, i + 1 - off, "CSI with intermediates");
		return (i + 1 - off);
	}
	if (i >= ts_len || ts_buf[i] < 0x40 || ts_buf[i] > 0x7e) {
		ts_offence(off, i - off, "unterminated CSI");
		return (i - off);
	}
	final = ts_buf[i];
	private = plen > 0 && params[0] == '?';
	for (k = (size_t)private; k < plen; k++) {
		c = (unsigned char)params[k];
		if (!(c >= '0' && c <= '9') && c != ';')
			digits = 0;
	}
	ts_seen[final]++;
	if (!digits)
		ts_offence(off, i + 1 - off, "CSI with odd parameters");
	else if (private) {
		if ((final != 'h' && final != 'l') || !ts_oneof(params + 1,
		    plen - 1, "1\0" "5\0" "7\0" "12\0" "25\0" "12;25\0" "1034\0"
		    "1049\0"))
			ts_offence(off, i + 1 - off, "CSI ? not from ncurses");
	} else if (final == 'h' || final == 'l') {
		if (!ts_oneof(params, plen, "4\0"))
			ts_offence(off, i + 1 - off,
			    "CSI h/l not from ncurses");
	} else if (final == 't') {
		if (!ts_oneof(params, plen, "22;0;0\0" "23;0;0\0"))
			ts_offence(off, i + 1 - off, "CSI t not from ncurses");
	} else if (strchr("mHJKABCDEFGdrLM@PXSTZb", final) == NULL)
		ts_offence(off, i + 1 - off, "CSI not from ncurses");
	return (i + 1 - off);
}

/* An ESC at off; returns the length of its sequence. */
static size_t
ts_esc(size_t off)
{
	unsigned char	c;

	if (off + 1 >= ts_len) {
		ts_offence(off, 1, "lone ESC at the end");
		return (1);
	}
	c = ts_buf[off + 1];
	switch (c) {
	case '[':
		return (ts_csi(off));
	case '(':
		if (off + 2 < ts_len && (ts_buf[off + 2] == 'B' ||
		    ts_buf[off + 2] == '0'))
			return (3);
		ts_offence(off, 3, "character set not from ncurses");
		return (off + 2 < ts_len ? 3 : 2);
	case '7': case '8': case '=': case '>': case 'M': case 'E':
		return (2);
	case ']':
		ts_offence(off, 16, "OSC");
		return (2);
	case 'P':
		ts_offence(off, 16, "DCS");
		return (2);
	case '_': case '^': case 'X':
		ts_offence(off, 16, "APC, PM or SOS");
		return (2);
	default:
		ts_offence(off, 2, "escape not from ncurses");
		return (2);
	}
}

static int
ts_banned(uint32_t cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
	    cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0xfeff);
}

int
main(int argc, char **argv)
{
	FILE		*f;
	unsigned char	*buf = NULL;
	size_t		 cap = 0, n, off, len;
	uint32_t	 cp;
	unsigned char	 c;
	int		 ch, verbose = 0, i;

	while ((ch = getopt(argc, argv, "v")) != -1) {
		if (ch != 'v')
			goto usage;
		verbose = 1;
	}
	if (argc - optind != 1)
		goto usage;
	if ((f = fopen(argv[optind], "rb")) == NULL) {
		perror(argv[optind]);
		return (2);
	}
	for (;;) {
		if (ts_len + 65536 > cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((buf = realloc(buf, cap)) == NULL) {
				perror("tty-scan");
				return (2);
			}
		}
		if ((n = fread(buf + ts_len, 1, cap - ts_len, f)) == 0)
			break;
		ts_len += n;
	}
	fclose(f);
	ts_buf = buf;

	for (off = 0; off < ts_len; off += len) {
		c = ts_buf[off];
		len = 1;
		if (c == 0x1b)
			len = ts_esc(off);
		else if (c < 0x20 || c == 0x7f) {
			if (c != '\r' && c != '\n' && c != '\b' && c != '\t' &&
			    c != '\a' && c != '\0')
				ts_offence(off, 1, c == 0x7f ? "DEL" :
				    "C0 control");
		} else if (c >= 0x80) {
			len = utf8_decode((const char *)ts_buf + off,
			    ts_len - off, &cp);
			if (cp == UTF8_BAD)
				ts_offence(off, len, c >= 0x80 && c <= 0x9f ?
				    "C1 control (8-bit)" : "invalid UTF-8");
			else if (ts_banned(cp))
				ts_offence(off, len, cp <= 0x9f ?
				    "C1 control" : "bidi control or separator");
		}
	}
	if (verbose) {
		printf("%zu bytes; CSI by final:", ts_len);
		for (i = 0; i < 128; i++) {
			if (ts_seen[i] != 0)
				printf(" %c=%lu", i, ts_seen[i]);
		}
		printf("\n");
	}
	free(buf);
	return (ts_bad > 0);

usage:
	fprintf(stderr, "usage: tty-scan [-v] FILE\n");
	return (2);
}
