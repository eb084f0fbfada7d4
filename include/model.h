/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The domain model shared by the console and the backend: areas,
 * departments, alerts, units, hospitals, schools and feedback cases, their
 * enumerations with wire names, and the alert state machine.
 *
 * Ownership: every "char *" field of a struct is owned by the struct and is
 * released by the matching X_clear(); "char [N]" fields hold short ASCII ids
 * and codes. A struct is copied deeply with X_copy(). An alert or a case
 * held by a store is "pooled" (X_pool()): its strings are then the
 * process's shared copies (strpool.h), read-only; to change one, change a
 * copy and put it back, as the engine does.
 */

#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MODEL_ID_MAX		16	/* Ids: [A-Za-z0-9_.-], at most 15. */
#define MODEL_CODE_MAX		16	/* Area, department, category codes. */
#define ALERT_MAX_UNITS		8
#define ALERT_MAX_ESCALATION	5
#define HISTORY_MAX		200	/* Entries kept, the marker included. */
#define HISTORY_WHAT_MAX	16	/* "created", a command name... */

/*
 * Enumerations. Each has a table of wire names in enum order (model.c) and
 * is parsed with model_enum_parse().
 */
enum alert_kind {
	ALERT_FLOOD,
	ALERT_STORM,
	ALERT_FIRE,
	ALERT_TRAFFIC,
	ALERT_ENVIRONMENT,
	ALERT_HEALTH,
	ALERT_SECURITY,
	ALERT_INFRASTRUCTURE,
	ALERT_ICT,
	ALERT_KIND_COUNT
};

enum alert_source {
	SOURCE_SENSOR,
	SOURCE_CAMERA,
	SOURCE_CITIZEN,
	SOURCE_HOSPITAL,
	SOURCE_MANUAL,
	SOURCE_COUNT
};

enum alert_state {
	ALERT_NEW,
	ALERT_ACKNOWLEDGED,
	ALERT_DISPATCHED,
	ALERT_ON_SCENE,
	ALERT_RESOLVED,
	ALERT_CLOSED,
	ALERT_STATE_COUNT
};

enum disposition {
	DISPOSITION_NONE,
	DISPOSITION_RESOLVED,
	DISPOSITION_FALSE_ALARM,
	DISPOSITION_DUPLICATE,
	DISPOSITION_CANCELLED,
	DISPOSITION_TRANSFERRED,
	DISPOSITION_COUNT
};

/*
 * What can happen to an alert; see alert_can(). ON_SCENE comes from a
 * unit's status, RECALL when the last unit of an open alert is released
 * before the work is done.
 */
enum alert_action {
	ALERT_DO_ACK,
	ALERT_DO_DISPATCH,
	ALERT_DO_ON_SCENE,
	ALERT_DO_RESOLVE,
	ALERT_DO_CLOSE,
	ALERT_DO_REOPEN,
	ALERT_DO_NOTE,
	ALERT_DO_ESCALATE,
	ALERT_DO_MUTE,
	ALERT_DO_RECALL,
	ALERT_DO_ACTION_COUNT
};

enum unit_type {
	UNIT_AMBULANCE,
	UNIT_FIRE,
	UNIT_POLICE,
	UNIT_TRAFFIC_POLICE,
	UNIT_RESCUE,
	UNIT_ENVIRONMENT,
	UNIT_UTILITY,
	UNIT_TYPE_COUNT
};

enum unit_status {
	UNIT_AVAILABLE,
	UNIT_DISPATCHED,
	UNIT_EN_ROUTE,
	UNIT_ON_SCENE,
	UNIT_RETURNING,
	UNIT_OUT_OF_SERVICE,
	UNIT_STATUS_COUNT
};

enum hospital_status {
	HOSPITAL_NORMAL,
	HOSPITAL_BUSY,
	HOSPITAL_CRITICAL,
	HOSPITAL_STATUS_COUNT
};

enum school_level {
	SCHOOL_MN,		/* Mầm non: kindergarten. */
	SCHOOL_TH,		/* Tiểu học: primary. */
	SCHOOL_THCS,		/* Lower secondary. */
	SCHOOL_THPT,		/* Upper secondary. */
	SCHOOL_LEVEL_COUNT
};

enum fb_channel {
	FB_APP,
	FB_HOTLINE,		/* Hotline 1022. */
	FB_WEB,
	FB_ZALO,
	FB_PRESS,
	FB_SOCIAL,
	FB_CHANNEL_COUNT
};

enum fb_state {
	FB_NEW,
	FB_ASSIGNED,
	FB_IN_PROGRESS,
	FB_ANSWERED,
	FB_CLOSED,
	FB_RETURNED,
	FB_STATE_COUNT
};

/* What can happen to a feedback case; see feedback_can(). */
enum fb_action {
	FB_DO_ASSIGN,
	FB_DO_START,		/* The department starts work (simulated). */
	FB_DO_REPLY,
	FB_DO_RETURN,
	FB_DO_CLOSE,
	FB_DO_TRANSFER,		/* The body holding it passes it on. */
	FB_DO_ACTION_COUNT
};

extern const char *const alert_kind_names[ALERT_KIND_COUNT];
extern const char *const alert_source_names[SOURCE_COUNT];
extern const char *const alert_state_names[ALERT_STATE_COUNT];
extern const char *const disposition_names[DISPOSITION_COUNT];
extern const char *const unit_type_names[UNIT_TYPE_COUNT];
extern const char *const unit_status_names[UNIT_STATUS_COUNT];
extern const char *const hospital_status_names[HOSPITAL_STATUS_COUNT];
extern const char *const school_level_names[SCHOOL_LEVEL_COUNT];
extern const char *const fb_channel_names[FB_CHANNEL_COUNT];
extern const char *const fb_state_names[FB_STATE_COUNT];

/* Index of s in names[0..n), or -1. */
int	model_enum_parse(const char *const *names, int n, const char *s);
#define MODEL_ENUM_PARSE(table, s) \
	model_enum_parse((table), (int)(sizeof (table) / sizeof (table)[0]), (s))

/* 1 if s is a valid id or code for a buffer of size max. */
int	model_id_valid(const char *s, size_t max);

/*
 * An area: since 2025 a commune-level unit (phường, xã, đặc khu). Only
 * code and name are required; the rest is for display and search and is
 * NULL or "" when the dataset has none. The group is a region people still
 * name (a former district): display only, never an administrative level.
 */
#define MODEL_ABBR_MAX		5	/* At most 4 ASCII letters or digits. */

struct area {
	char		 code[MODEL_CODE_MAX];	/* "06673" */
	char		*name;			/* "Phường Bãi Cháy" */
	char		*short_name;		/* "Bãi Cháy" */
	char		 abbr[MODEL_ABBR_MAX];	/* "BCha" */
	char		 group[MODEL_CODE_MAX];	/* "HL" */
	char		*group_name;		/* "Hạ Long" */
	char		*former;		/* "phường Hùng Thắng, ..." */
};

struct department {
	char		 code[MODEL_CODE_MAX];
	char		*name;
};

/*
 * An item's history: who did what and when, oldest first, at most
 * HISTORY_MAX entries. When it overflows, the oldest entries are folded
 * into one marker entry (what "trimmed", count = entries folded) at the
 * front.
 *
 * A history is one allocation of 24-byte records: the time, the count,
 * and the ids of its three strings in the process's string pool
 * (strpool.h), where each distinct author, command name and text is kept
 * once. A console holds 100,000 items with a few entries each, mostly by
 * a few people and in the machine's words: entries of three pointers and
 * their own copies were half the store's memory (docs/architecture.md).
 * The records are private; an entry is read through history_at() and
 * the accessors after it, and the history changes only through the
 * functions below, which build a new block.
 */
struct history_entry {
	int64_t		 ts;		/* ms */
	const char	*by;		/* Operator, "sim", or "". */
	const char	*what;		/* "created", a command name... */
	const char	*text;		/* Never NULL; may be "". */
	uint32_t	 count;		/* "trimmed" only. */
};

struct history_rec;			/* Private (model.c). */

struct history {
	struct history_rec	*v;	/* The block; NULL when empty. */
	size_t			 n;
};

struct alert {
	char		 id[MODEL_ID_MAX];
	char		 area[MODEL_CODE_MAX];
	char		*place;
	char		*title;
	char		*acked_by;	/* Operator name or NULL. */
	char		*handler;	/* Operator handling it, or NULL. */
	/*
	 * The units on it: nunits ids, at most ALERT_MAX_UNITS, in an
	 * array of their own (NULL when none: most alerts of a day are
	 * closed with one unit or none). Added with alert_add_unit().
	 */
	char		(*units)[MODEL_ID_MAX];
	struct history	 hist;
	int64_t		 created;	/* ms */
	int64_t		 updated;
	int64_t		 deadline;	/* First response due; 0 = none. */
	int64_t		 muted_until;	/* ms; 0 = not muted. */

	/*
	 * The stage clocks of the current cycle (reopen starts a new one):
	 * when the alert first reached each stage (0: not yet), and when
	 * each is due (0: no limit). deadline is due_ack.
	 */
	int64_t		 acked_at;
	int64_t		 dispatched_at;
	int64_t		 on_scene_at;
	int64_t		 due_ack;
	int64_t		 due_dispatch;
	int64_t		 due_on_scene;

	uint32_t	 version;	/* +1 on every change. */
	int		 exercise;
	/*
	 * Small values in a byte each, after the wider fields, so that
	 * 100,000 alerts carry no padding (docs/architecture.md).
	 */
	uint8_t		 kind;		/* enum alert_kind */
	uint8_t		 source;	/* enum alert_source */
	uint8_t		 state;		/* enum alert_state */
	uint8_t		 disposition;	/* enum disposition */
	int8_t		 severity;	/* 1 (low) .. 4 (critical). */
	uint8_t		 nunits;
	uint8_t		 escalation;	/* 0 = none; at most 100. */
	uint8_t		 pooled;	/* Strings in the pool (X_pool()). */
};

struct unit {
	char		 id[MODEL_ID_MAX];
	enum unit_type	 type;
	char		 area[MODEL_CODE_MAX];
	char		*name;
	enum unit_status status;
	char		 alert[MODEL_ID_MAX];	/* "" when none. */
	uint32_t	 version;
};

struct hospital {
	char		 id[MODEL_ID_MAX];
	char		*name;
	char		 area[MODEL_CODE_MAX];
	int		 smart;
	int		 beds;
	int		 beds_used;
	int		 icu;
	int		 icu_used;
	int		 er_waiting;
	int		 ambulances;	/* Available now. */
	int		 diversion;
	uint32_t	 version;
};

struct school {
	char		 id[MODEL_ID_MAX];
	char		*name;
	char		 area[MODEL_CODE_MAX];
	enum school_level level;
	int		 enrolled;
	int		 present;	/* Today; 0 when no school day. */
	int		 smart_classrooms;
	uint32_t	 version;
};

/*
 * A body a feedback case came through on its way to the one that holds
 * it: it transferred the case, and gets it back, with its clock as it
 * was, when the case is returned (docs/protocol.md §6).
 */
#define FB_VIA_MAX		8

struct fb_hop {
	char		 body[MODEL_CODE_MAX];
	int64_t		 since;		/* It held the case since. */
	int64_t		 deadline;	/* Its deadline then. */
};

struct feedback {
	char		 id[MODEL_ID_MAX];
	char		 area[MODEL_CODE_MAX];
	char		 category[MODEL_CODE_MAX];
	char		 dept[MODEL_CODE_MAX];	/* "" when unassigned. */
	char		 holder[MODEL_CODE_MAX]; /* The body; "": the desk. */
	char		*text;		/* Untrusted citizen text. */
	char		*reply;		/* NULL when none. */
	char		*handler;	/* Operator handling it, or NULL. */
	/*
	 * The hops, oldest first: nvia of them, at most FB_VIA_MAX, in an
	 * array of their own (NULL when none; most cases never move, and
	 * a console holds tens of thousands). Changed only through
	 * feedback_push_via() and feedback_pop_via().
	 */
	struct fb_hop	*via;
	struct history	 hist;
	int64_t		 received;
	int64_t		 deadline;	/* Handled (answered) by; 0 = none. */
	int64_t		 due_assign;	/* Assigned by; 0 = none. */
	int64_t		 held_since;
	uint32_t	 version;
	int		 urgent;
	int		 exercise;	/* A drill's or a trainer's case. */
	/* Small values in a byte each, as in struct alert. */
	uint8_t		 channel;	/* enum fb_channel */
	uint8_t		 state;		/* enum fb_state */
	uint8_t		 nvia;
	uint8_t		 pooled;	/* Strings in the pool (X_pool()). */
};

void	alert_clear(struct alert *);
void	alert_copy(struct alert *dst, const struct alert *src);
void	alert_pool(struct alert *);
int	alert_has_unit(const struct alert *, const char *unit);
int	alert_can(enum alert_state, enum alert_action);
int	alert_is_open(const struct alert *);
/* The stage clock running for an alert, and when it is due. */
enum alert_clock {
	ALERT_CLOCK_NONE,
	ALERT_CLOCK_ACK,		/* To acknowledge. */
	ALERT_CLOCK_DISPATCH,		/* To dispatch a unit. */
	ALERT_CLOCK_ON_SCENE,		/* For a unit to be on scene. */
	ALERT_CLOCK_COUNT
};
enum alert_clock alert_clock(const struct alert *, int64_t *due);
int	alert_remove_unit(struct alert *, const char *unit);
/* Add a unit id; -1 when full or not an id that fits. */
int	alert_add_unit(struct alert *, const char *unit);
/* Take every unit off the alert. */
void	alert_clear_units(struct alert *);

void	history_clear(struct history *);
void	history_copy(struct history *dst, const struct history *src);
/*
 * Entry i (< h->n) into *e, whose strings are the pool's: valid until
 * the history changes. Returns e. The accessors read one field.
 */
const struct history_entry *history_at(const struct history *, size_t i,
	    struct history_entry *e);
int64_t	history_ts(const struct history *, size_t i);
const char *history_by(const struct history *, size_t i);
const char *history_what(const struct history *, size_t i);
const char *history_text(const struct history *, size_t i);
uint32_t history_count(const struct history *, size_t i);
uint64_t history_total(const struct history *);
void	history_add(struct history *, int64_t ts, const char *by,
	    const char *what, const char *text);
/*
 * Replace h with the n entries of v (strings copied; they may point into
 * h itself), the oldest folded into the "trimmed" marker past HISTORY_MAX
 * as history_add() one by one would. A "what" longer than
 * HISTORY_WHAT_MAX - 1 is cut.
 */
void	history_set(struct history *h, const struct history_entry *v,
	    size_t n);
/* Append the entries of add to h (counts kept), folding as above. */
void	history_append(struct history *h, const struct history *add);

void	unit_clear(struct unit *);
void	unit_copy(struct unit *, const struct unit *);
int	unit_can(enum unit_status from, enum unit_status to);
int	unit_is_busy(const struct unit *);

void	hospital_clear(struct hospital *);
void	hospital_copy(struct hospital *, const struct hospital *);
enum hospital_status hospital_status(const struct hospital *);

void	school_clear(struct school *);
void	school_copy(struct school *, const struct school *);

void	feedback_clear(struct feedback *);
void	feedback_copy(struct feedback *, const struct feedback *);
void	feedback_pool(struct feedback *);
int	feedback_is_open(const struct feedback *);
/* Add a hop at the end (at most FB_VIA_MAX: returns -1 when full). */
int	feedback_push_via(struct feedback *, const char *body, int64_t since,
	    int64_t deadline);
/* Take the last hop into *hop; -1 when there is none. */
int	feedback_pop_via(struct feedback *, struct fb_hop *hop);
/* Forget every hop. */
void	feedback_clear_via(struct feedback *);
int	feedback_can(enum fb_state, enum fb_action);

void	area_clear(struct area *);
void	area_copy(struct area *dst, const struct area *src);
int	area_abbr_valid(const char *);
void	department_clear(struct department *);

/* Copy a short code into a fixed buffer; returns -1 if it does not fit. */
int	model_set_code(char *dst, size_t dstsz, const char *src);

#endif
