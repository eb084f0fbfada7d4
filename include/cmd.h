/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The console's one command table: what the ':' prompt runs, what key
 * bindings and scripts run, what "help", the '?' screen and the man page
 * list. Commands reach the world only through struct cmd_ops, so tests
 * can replace the network and the screen.
 */

#ifndef CMD_H
#define CMD_H

#include <stddef.h>

#include <jansson.h>

#include "store.h"

struct buf;
struct layout;
struct outbox;

enum cmd_retval {
	CMD_ERROR = -1,
	CMD_OK = 0,
	CMD_WAIT,			/* Reply pending from the backend. */
	CMD_ASKED			/* Waiting for a y/n answer. */
};

#define CMD_MAX_WORDS		64	/* Words in one command line. */
#define CMD_MAX_SPEC		4	/* Argument specs per command. */
#define CMD_MAX_FLAGS		2	/* Flags per command. */
#define CMD_CONFIRM_BATCH	5	/* More items than this: ask first. */
#define CMD_MUTE_DEFAULT	30	/* Minutes, when mute has none. */
#define CMD_RETRY_MAX		32	/* Stale commands kept for retry. */

/*
 * One positional argument. kind says what it holds, how cmd_run() checks
 * and canonicalises it, and what completes it (console/complete.c):
 *
 *   alert[.ACTION]	an alert the console holds (ACTION, for completion
 *			only: ack, dispatch, resolve, close, reopen, note,
 *			escalate, mute, open)
 *   case[.ACTION]	a feedback case (ACTION: assign, reply, return,
 *			close, open)
 *   item[.ACTION]	an alert or a feedback case
 *   unit[.available]	a unit; for status also an alert (its units)
 *   hospital		a hospital
 *   status		a unit status word (en_route, os, av...)
 *   disposition	a close disposition (false_alarm, fa, dup...)
 *   dept, area		a department or area code, or its name without
 *			accents ("so y te", "halong")
 *   minutes		1-240, "30", "45m", "2h"
 *   onoff		on/off (yes/no, bat/tat, 1/0)
 *   text		free text, 1-4096 bytes
 *   panel[.focus]	a panel: its name or a unique start of it, its
 *			title, or its number; canonicalised to the name
 *			(.focus: also next and prev)
 *   lang, layout, move, replay
 *			a word of a fixed list (cmd_words()), or a
 *			unique start of one; canonicalised
 *   command		a command name; as a REST arg, a whole command
 *			line (one word is taken as it is, several are
 *			quoted and joined)
 *   filter, sort, theme, keytable, key, word
 *			console words, checked by the command itself
 */
struct cmd_arg {
	const char	*name;		/* For the usage: "ALERT". */
	const char	*kind;
	int		 flags;
#define CMD_ARG_OPT	0x1		/* May be left out. */
#define CMD_ARG_MANY	0x2		/* One or more. */
#define CMD_ARG_REST	0x4		/* The rest of the line, one text. */
#define CMD_ARG_LOOKS	0x8		/* OPT: takes a word only if it looks
					   like its kind ("sort [PANEL]
					   [FIELD]"). */
	int		 max;		/* MANY: at most; 0 = PROTO_MAX_ARGS. */
};

/*
 * A flag before the positional words ("bind -T alerts x ..."); every flag
 * takes a value.
 */
struct cmd_flag {
	char		 flag;		/* 'T'; 0 ends the list. */
	const char	*name;		/* Its value, for the usage: "TABLE". */
	const char	*kind;		/* What completes the value. */
};

/* A tokenised command line, and its words bound to the entry's args. */
struct cmd_args {
	int		 argc;
	char		**argv;		/* Owned, NULL-terminated. */
	int		 first[CMD_MAX_SPEC];	/* argv index per arg. */
	int		 count[CMD_MAX_SPEC];	/* Words bound; 0: left out. */
	char		*rest[CMD_MAX_SPEC];	/* Owned: REST words joined. */
	char		 flag[CMD_MAX_FLAGS];	/* Flags given... */
	int		 flagv[CMD_MAX_FLAGS];	/* ...their values' index. */
	int		 nflags;
};

/*
 * The effects a command may have. main.c points these at the connection,
 * the prompt and the screen; script.c at stdout; tests at recorders. arg
 * is passed back unchanged. Any hook may be NULL except message.
 */
struct cmd_ops {
	/* 1 when the backend link is up and commands go out at once. */
	int	(*online)(void *arg);
	/*
	 * Send one backend command (args stolen), or keep it in the outbox
	 * until the link is back. summary ("ack A-0003") names it in the
	 * result. Returns 0 sent, 1 queued, or -1 with *cause set
	 * (allocated; caller frees).
	 */
	int	(*send)(void *arg, const char *cmd, json_t *args,
		    const char *summary, char **cause);
	/* Ask the backend for its state digest; as send, never queued. */
	int	(*digest)(void *arg, char **cause);
	/*
	 * Ask the backend for a page of its archive: items of kind (NULL:
	 * both) that left the live state since from (ms), or with next the
	 * page after the last; as digest.
	 */
	int	(*archive)(void *arg, const char *kind, int64_t from,
		    int next, char **cause);
	/* One line for the message line. */
	void	(*message)(void *arg, int error, const char *text);
	/* Several lines of text in an overlay (help, keys). */
	void	(*pager)(void *arg, const char *title, const char *text);
	/* Open the command prompt with text already typed (may be ""). */
	void	(*prompt)(void *arg, const char *text);
	/* Ask question (y/n); on "y" run line with cmd_run_confirmed(). */
	void	(*confirm)(void *arg, const char *question, const char *line);
	void	(*redraw)(void *arg);
	void	(*quit)(void *arg);
	/*
	 * Recording for training: what is a file to start recording into,
	 * "stop", or NULL for the state. Returns 0 with *msg set to what to
	 * tell the officer, or -1 with *msg the reason (allocated; caller
	 * frees either).
	 */
	int	(*record)(void *arg, const char *what, char **msg);
	/*
	 * Training: a replay's controls (verb "play", "seek", "score" ...
	 * with its value, or NULL; console/replay.c) and marks (verb
	 * "mark": in the recording, or the replay). Returns 0 with *msg a
	 * line to tell (or NULL), 1 with *msg several lines to show, or -1
	 * with *msg the reason (allocated; caller frees).
	 */
	int	(*train)(void *arg, const char *verb, const char *value,
		    char **msg);
};

/* Commands refused with stale_version, for "retry" (cmd.c). */
struct cmd_retry {
	char		*cmd;
	json_t		*args;
	char		*summary;
};

struct cmd_ctx {
	struct store		*store;		/* Borrowed. */
	/* The screen's panels, for the view commands (focus, zoom, sort,
	 * filter, search, select...); borrowed; NULL without a screen. */
	struct layout		*layout;
	const struct cmd_ops	*ops;		/* Borrowed. */
	void			*arg;
	struct outbox		*outbox;	/* Borrowed; may be NULL. */
	int			 ascii;		/* Words, not glyphs. */
	int			 flags;
#define CMD_CTX_SCRIPT		0x1		/* No "sent" chatter, no y/n. */

	struct cmd_retry	 retry[CMD_RETRY_MAX];	/* Owned. */
	int			 nretry;
	int			 confirmed;	/* Running after a "y". */
};

struct cmd_entry {
	const char	*name;
	const char	*alias;		/* Space-separated; Vietnamese
					   without diacritics first. */
	struct cmd_flag	 flags[CMD_MAX_FLAGS];	/* Ends at flag == 0. */
	struct cmd_arg	 args[CMD_MAX_SPEC];	/* Ends at name == NULL. */
	const char	*help;		/* One sentence, N_() (translated
					   where shown). */
	int		 cflags;
#define CMD_NEEDCONN	0x1		/* Refused while offline (never
					   queued). */
#define CMD_READONLY	0x2		/* Changes nothing on the backend. */
#define CMD_CONFIRM	0x4		/* Always asks first. */
#define CMD_CONFIRM_CRIT 0x8		/* Asks when an alert is critical. */
#define CMD_NEEDSCREEN	0x10		/* Refused without a screen
					   (ctx->layout NULL). */

	enum cmd_retval	(*exec)(struct cmd_ctx *, struct cmd_args *);
};

/* Alphabetical, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/* The entries, one family per file. */
extern const struct cmd_entry cmd_alert_ack_entry;
extern const struct cmd_entry cmd_drill_annotate_entry;
extern const struct cmd_entry cmd_drill_inject_entry;
extern const struct cmd_entry cmd_alert_close_entry;
extern const struct cmd_entry cmd_alert_dispatch_entry;
extern const struct cmd_entry cmd_alert_escalate_entry;
extern const struct cmd_entry cmd_alert_mute_entry;
extern const struct cmd_entry cmd_alert_note_entry;
extern const struct cmd_entry cmd_alert_reopen_entry;
extern const struct cmd_entry cmd_alert_resolve_entry;
extern const struct cmd_entry cmd_case_assign_entry;
extern const struct cmd_entry cmd_case_reply_entry;
extern const struct cmd_entry cmd_case_return_entry;
extern const struct cmd_entry cmd_key_bind_entry;
extern const struct cmd_entry cmd_key_keys_entry;
extern const struct cmd_entry cmd_key_unbind_entry;
extern const struct cmd_entry cmd_replay_mark_entry;
extern const struct cmd_entry cmd_replay_replay_entry;
extern const struct cmd_entry cmd_replay_score_entry;
extern const struct cmd_entry cmd_res_divert_entry;
extern const struct cmd_entry cmd_res_status_entry;
extern const struct cmd_entry cmd_view_archive_entry;
extern const struct cmd_entry cmd_view_back_entry;
extern const struct cmd_entry cmd_view_confirm_entry;
extern const struct cmd_entry cmd_view_detail_entry;
extern const struct cmd_entry cmd_view_digest_entry;
extern const struct cmd_entry cmd_view_filter_entry;
extern const struct cmd_entry cmd_view_focus_entry;
extern const struct cmd_entry cmd_view_help_entry;
extern const struct cmd_entry cmd_view_lang_entry;
extern const struct cmd_entry cmd_view_layout_entry;
extern const struct cmd_entry cmd_view_messages_entry;
extern const struct cmd_entry cmd_view_outbox_entry;
extern const struct cmd_entry cmd_view_prompt_entry;
extern const struct cmd_entry cmd_view_quit_entry;
extern const struct cmd_entry cmd_view_record_entry;
extern const struct cmd_entry cmd_view_redraw_entry;
extern const struct cmd_entry cmd_view_retry_entry;
extern const struct cmd_entry cmd_view_search_entry;
extern const struct cmd_entry cmd_view_select_entry;
extern const struct cmd_entry cmd_view_sort_entry;
extern const struct cmd_entry cmd_view_theme_entry;
extern const struct cmd_entry cmd_view_zoom_entry;

/* Finding, parsing. */
const struct cmd_entry	*cmd_find(const char *name, char **cause);
int			 cmd_alias_is(const struct cmd_entry *,
			     const char *word);
int			 cmd_tokenize(const char *line, struct cmd_args *,
			     char **cause);
void			 cmd_args_free(struct cmd_args *);
char			*cmd_quote(const char *word);
char			*cmd_usage(const struct cmd_entry *);
int			 cmd_bind(const struct cmd_entry *, struct cmd_args *,
			     char **cause);
int			 cmd_status_parse(const char *word);
int			 cmd_disposition_parse(const char *word);
int			 cmd_minutes_parse(const char *word);
int			 cmd_onoff_parse(const char *word);
const char *const	*cmd_words(const char *kind);
const char		*cmd_panel_parse(const char *word);

/* Bound values, after cmd_run() checked and canonicalised them. */
int			 cmd_arg_count(struct cmd_args *, int spec);
const char		*cmd_arg_value(struct cmd_args *, int spec, int i);
const char		*cmd_arg_text(struct cmd_args *, int spec);
const char		*cmd_arg_flag(struct cmd_args *, char flag);

/* Running. */
void			 cmd_ctx_init(struct cmd_ctx *, struct store *,
			     const struct cmd_ops *, void *arg);
void			 cmd_ctx_clear(struct cmd_ctx *);
enum cmd_retval		 cmd_run(struct cmd_ctx *, const char *line);
enum cmd_retval		 cmd_run_confirmed(struct cmd_ctx *,
			     const char *line);
enum cmd_retval		 cmd_run_asking(struct cmd_ctx *, const char *line);
void			 cmd_error(struct cmd_ctx *, const char *, ...)
			     __attribute__((format(printf, 2, 3)));
void			 cmd_print(struct cmd_ctx *, const char *, ...)
			     __attribute__((format(printf, 2, 3)));
void			 cmd_show(struct cmd_ctx *, const char *title,
			     const char *text);
int			 cmd_send(struct cmd_ctx *, const char *cmd,
			     json_t *args, const char *summary, char **cause);
enum cmd_retval		 cmd_send_one(struct cmd_ctx *, const char *cmd,
			     json_t *args, const char *summary);
enum cmd_retval		 cmd_send_each(struct cmd_ctx *, const char *cmd,
			     const char *label, const char *suffix, int n,
			     const char *const *ids,
			     json_t *(*build)(struct cmd_ctx *, const char *,
			     void *), void *data);
void			 cmd_result(struct cmd_ctx *, const char *summary,
			     const json_t *sent, int ok, const char *code,
			     const char *message);
char			*cmd_said(const char *);
char			*cmd_result_text(struct cmd_ctx *,
			     const char *summary, int ok, const char *code,
			     const char *message);
enum cmd_retval		 cmd_retry_all(struct cmd_ctx *);

/* Help, from the table. */
char			*cmd_help_text(void);
char			*cmd_help_one(const struct cmd_entry *);
char			*cmd_man_text(void);
void			 cmd_roff(struct buf *, const char *, int nbsp);

#endif
