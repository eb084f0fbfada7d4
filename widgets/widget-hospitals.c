/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Hospitals panel: beds, ICU, ER waiting, ambulances, status. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * Rows are every hospital that passes the filter and the search: smart
 * hospitals first, then by bed occupancy in whole percent (fullest
 * first; two hospitals a few beds apart keep their places while the
 * readings come), then by id; other sorts are by occupancy alone, ER
 * waiting or name. Columns: name
 * (a star marks a smart hospital), beds as a bar and used/total, a
 * sparkline of bed occupancy, ICU used/total, ER waiting, ambulances
 * available, and the status as a glyph and a word (diversion, critical,
 * busy, normal: never colour alone). The bar, the trend and the less
 * important figures go first when the panel is narrow. A name too long
 * for its column is shortened with the usual Vietnamese abbreviations
 * ("Trung tâm Y tế thành phố Hạ Long" gives "TTYT TP Hạ Long") before it
 * is cut, so that rows which begin alike can still be told apart.
 *
 * The sparkline is the panel's own memory: each time the panel is
 * refreshed, every hospital whose occupancy moved adds it to a ring of
 * PANEL_SPARK samples kept in the panel's data; a reading that leaves
 * the occupancy where it was adds nothing, so it does not scroll the
 * line. The figures are gauges: the layout shows them at its gauge
 * rate, but a diversion (an officer's command) at once (records hook).
 */

enum {
	COL_NAME,
	COL_BAR,
	COL_BEDS,
	COL_TREND,
	COL_ICU,
	COL_ER,
	COL_AMB,
	COL_STATUS,
	COL_COUNT
};

struct widget_hospitals_data {
	struct panel_spark	*spark;		/* Owned; one per hospital. */
	size_t			 nspark;
	struct draw_col		 c[COL_COUNT];	/* As laid out. */
};

struct widget_hospitals_sort {
	struct store	*store;
	int		 sort;
};

static int		 widget_hospitals_init(struct panel *);
static void		 widget_hospitals_free(struct panel *);
static const char	*widget_hospitals_id(struct panel *, struct store *,
			     size_t);
static int		 widget_hospitals_cmp(const void *, const void *,
			     void *);
static void		 widget_hospitals_refresh(struct panel *,
			     struct store *);
static void		 widget_hospitals_columns(struct panel *,
			     struct store *, const struct panel_view *);
static void		 widget_hospitals_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_hospitals_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static uint64_t		 widget_hospitals_records(struct panel *,
			     struct store *);
static void		 widget_hospitals_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_hospitals_legend(int, void (*)(void *,
			     const char *, const char *), void *);
static void		 widget_hospitals_footer(struct panel *,
			     struct store *, const struct panel_view *,
			     char *, size_t);
static void		 widget_hospitals_abbrev(const char *, char *,
			     size_t);
static const struct panel_spark *widget_hospitals_spark(struct panel *,
			     const char *);
static const char	*widget_hospitals_status(const struct hospital *,
			     int, enum theme_slot *);
static long		 widget_hospitals_pm(const struct hospital *);

static const char *const widget_hospitals_sorts[] = {
	"status", "occupancy", "er", "name", NULL
};

const struct panel_class widget_hospitals_class = {
	.name = "hospitals",
	.title = N_("Hospitals"),
	.store_mask = STORE_CH_HOSPITALS,
	.item_kind = "hospital",
	.sorts = widget_hospitals_sorts,
	.init = widget_hospitals_init,
	.free = widget_hospitals_free,
	.refresh = widget_hospitals_refresh,
	.columns = widget_hospitals_columns,
	.head = widget_hospitals_head,
	.row = widget_hospitals_row,
	.records = widget_hospitals_records,
	.row_id = widget_hospitals_id,
	.detail = widget_hospitals_detail,
	.footer = widget_hospitals_footer,
	.legend = widget_hospitals_legend,
	.tick = 0
};

/* Longest first where one is the start of another. */
static const struct {
	const char	*from;
	const char	*to;
} widget_hospitals_abbrevs[] = {
	{ "Bệnh viện Đa khoa ", "BVĐK " },
	{ "Bệnh viện ", "BV " },
	{ "Trung tâm Y tế ", "TTYT " },
	{ "thành phố ", "TP " },
	{ "thị xã ", "TX " },
	{ "huyện ", "H. " },
	{ "khu vực ", "KV " },
	{ "Quân dân y ", "QDY " }
};


static int
widget_hospitals_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_hospitals_data));
	return (0);
}

static void
widget_hospitals_free(struct panel *p)
{
	struct widget_hospitals_data	*hd = p->data;

	if (hd != NULL)
		free(hd->spark);
	free(hd);
	p->data = NULL;
}

static const char *
widget_hospitals_id(struct panel *p, struct store *store, size_t i)
{
	(void)p;
	if (i >= store->nhospitals)
		return (NULL);
	return (store->hospitals[i].id);
}

/* Occupancy of a hospital's beds, 0..1000. */
static long
widget_hospitals_pm(const struct hospital *h)
{
	if (h->beds <= 0)
		return (0);
	return ((long)h->beds_used * 1000 / h->beds);
}

static int
widget_hospitals_cmp(const void *va, const void *vb, void *arg)
{
	struct widget_hospitals_sort	*s = arg;
	const struct hospital		*a, *b;
	long				 oa, ob;
	int				 c;

	a = &s->store->hospitals[*(const size_t *)va];
	b = &s->store->hospitals[*(const size_t *)vb];
	if (s->sort == 3) {
		c = strcmp(a->name != NULL ? a->name : a->id,
		    b->name != NULL ? b->name : b->id);
		if (c != 0)
			return (c);
	}
	if (s->sort == 2 && a->er_waiting != b->er_waiting)
		return (a->er_waiting > b->er_waiting ? -1 : 1);
	if (s->sort == 0 && (a->smart != 0) != (b->smart != 0))
		return (a->smart ? -1 : 1);
	/* By the whole percent: readings a hair apart do not swap rows. */
	oa = widget_hospitals_pm(a) / 10;
	ob = widget_hospitals_pm(b) / 10;
	if (oa != ob)
		return (oa > ob ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_hospitals_refresh(struct panel *p, struct store *store)
{
	struct widget_hospitals_data	*hd = p->data;
	struct widget_hospitals_sort	 s;
	struct panel_spark		*sp;
	const struct hospital		*h;
	const char			*texts[2];
	size_t				 i;
	long				 pm;

	panel_rows_clear(p);
	for (i = 0; i < store->nhospitals; i++) {
		h = &store->hospitals[i];
		/* A sample when the occupancy moved, not at every reading. */
		sp = panel_spark_get(&hd->spark, &hd->nspark, h->id);
		pm = widget_hospitals_pm(h);
		if (sp->n == 0 || sp->v[(sp->head + PANEL_SPARK - 1) %
		    PANEL_SPARK] != pm)
			panel_spark_add(sp, (short)pm);
		texts[0] = h->id;
		texts[1] = h->name;
		if (panel_want(p, store, h->area, -1, texts, 2))
			panel_rows_add(p, i);
	}
	s.store = store;
	s.sort = p->sort;
	panel_sort(p, widget_hospitals_cmp, &s);
	panel_reselect(p, widget_hospitals_id, store);
}

/* The ring of samples of hospital id, or NULL. */
static const struct panel_spark *
widget_hospitals_spark(struct panel *p, const char *id)
{
	struct widget_hospitals_data	*hd = p->data;
	size_t				 i;

	for (i = 0; i < hd->nspark; i++) {
		if (strcmp(hd->spark[i].id, id) == 0)
			return (&hd->spark[i]);
	}
	return (NULL);
}

/* Write the abbreviated form of name into out (sz bytes, sz > 0). */
static void
widget_hospitals_abbrev(const char *name, char *out, size_t sz)
{
	size_t	i, o = 0, n, len;

	while (*name != '\0' && o + 1 < sz) {
		for (i = 0; i < sizeof widget_hospitals_abbrevs /
		    sizeof widget_hospitals_abbrevs[0]; i++) {
			n = strlen(widget_hospitals_abbrevs[i].from);
			if (strncmp(name, widget_hospitals_abbrevs[i].from,
			    n) == 0)
				break;
		}
		if (i < sizeof widget_hospitals_abbrevs /
		    sizeof widget_hospitals_abbrevs[0]) {
			len = strlen(widget_hospitals_abbrevs[i].to);
			if (o + len + 1 > sz)
				break;
			memcpy(out + o, widget_hospitals_abbrevs[i].to, len);
			o += len;
			name += n;
		} else
			out[o++] = *name++;
	}
	out[o] = '\0';
}

/*
 * A hospital's status as its row shows it: a glyph and a word, in the
 * order tried (a diversion first), with what it means for the legend.
 */
static const struct {
	const char	*glyph;
	const char	*ascii;
	const char	*word;		/* Context "hospital". */
	const char	*meaning;
	enum theme_slot	 slot;
} widget_hospitals_states[] = {
	{ "⇄ ", "> ", NC_("hospital", "divert"),
	  N_("on diversion: send no patients"), THEME_CRIT },
	{ "◆ ", "* ", NC_("hospital", "crit"),
	  N_("critical: 95 in 100 beds or ICU beds used"), THEME_CRIT },
	{ "▲ ", "^ ", NC_("hospital", "busy"),
	  N_("busy: 85 in 100 beds or ICU beds used"), THEME_WARN },
	{ "· ", ". ", NC_("hospital", "ok"), N_("normal"), THEME_OK }
};

/* The status glyph and word of a hospital, and its slot. */
static const char *
widget_hospitals_status(const struct hospital *h, int ascii,
    enum theme_slot *slot)
{
	static char		buf[64];
	enum hospital_status	hs = hospital_status(h);
	int			k;

	if (h->diversion)
		k = 0;
	else if (hs == HOSPITAL_CRITICAL)
		k = 1;
	else if (hs == HOSPITAL_BUSY)
		k = 2;
	else
		k = 3;
	*slot = widget_hospitals_states[k].slot;
	snprintf(buf, sizeof buf, "%s%s", ascii ?
	    widget_hospitals_states[k].ascii : widget_hospitals_states[k].glyph,
	    C_("hospital", widget_hospitals_states[k].word));
	return (buf);
}

/* The legend: the status glyphs, and the smart hospitals' star. */
static void
widget_hospitals_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	size_t	k;

	add(arg, ascii ? "*" : "★", _("a smart hospital"));
	for (k = 0; k < sizeof widget_hospitals_states /
	    sizeof widget_hospitals_states[0]; k++)
		add(arg, ascii ? widget_hospitals_states[k].ascii :
		    widget_hospitals_states[k].glyph,
		    _(widget_hospitals_states[k].meaning));
}

/* Fit the columns to the width and to the figures of the rows. */
static void
widget_hospitals_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_hospitals_data	*hd = p->data;
	struct draw_col			*c = hd->c;
	const struct hospital		*h;
	enum theme_slot			 slot = THEME_NORMAL;
	char				 buf[160];
	size_t				 i;
	int				 iw = p->w - 2, n, wbeds, wicu = 3, wst;

	wbeds = draw_width(_("Beds"), v->ascii);
	wst = draw_width(_("Status"), v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nhospitals)
			continue;
		h = &store->hospitals[p->rows[i]];
		n = snprintf(buf, sizeof buf, "%d/%d", h->beds_used, h->beds);
		if (n > wbeds)
			wbeds = n;
		n = snprintf(buf, sizeof buf, "%d/%d", h->icu_used, h->icu);
		if (n > wicu)
			wicu = n;
		n = draw_width(widget_hospitals_status(h, v->ascii, &slot),
		    v->ascii);
		if (n > wst)
			wst = n;
	}
	memset(c, 0, sizeof hd->c);
	c[COL_NAME] = (struct draw_col){ .want = 12, .prio = 0, .fill = 1 };
	c[COL_BAR] = (struct draw_col){ .want = 8, .alt = 4, .prio = 5 };
	c[COL_BEDS] = (struct draw_col){ .want = wbeds, .prio = 0 };
	c[COL_TREND] = (struct draw_col){ .want = 8, .alt = 4, .prio = 6 };
	c[COL_ICU] = (struct draw_col){ .want = wicu, .prio = 3 };
	c[COL_ER] = (struct draw_col){ .want = 3, .prio = 4 };
	c[COL_AMB] = (struct draw_col){ .want = 3, .prio = 7 };
	c[COL_STATUS] = (struct draw_col){ .want = wst, .alt = 1,
	    .altprio = 5, .prio = 1 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_hospitals_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_hospitals_data	*hd = p->data;
	const struct draw_col		*c = hd->c;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, _("Name"), head, 0);
	draw_line_text(l, c[COL_BEDS].x, c[COL_BEDS].w, _("Beds"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_TREND].x, c[COL_TREND].w, _("Trend"), head,
	    0);
	draw_line_text(l, c[COL_ICU].x, c[COL_ICU].w, "ICU", head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_ER].x, c[COL_ER].w, _("ER"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_AMB].x, c[COL_AMB].w, _("Amb"), head,
	    DRAW_RIGHT);
	if (!c[COL_STATUS].narrow)
		draw_line_text(l, c[COL_STATUS].x, c[COL_STATUS].w,
		    _("Status"), head, 0);
}

static void
widget_hospitals_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_hospitals_data	*hd = p->data;
	const struct draw_col		*c = hd->c;
	const struct hospital		*h;
	enum theme_slot			 slot = THEME_NORMAL;
	const char			*st;
	char				 buf[160], abbr[160];
	attr_t				 normal = theme_attr(THEME_NORMAL);

	if (p->rows[i] >= store->nhospitals)
		return;
	h = &store->hospitals[p->rows[i]];
	st = widget_hospitals_status(h, v->ascii, &slot);

	snprintf(buf, sizeof buf, "%s%s",
	    h->smart ? (v->ascii ? "* " : "★ ") : "  ",
	    h->name != NULL ? h->name : h->id);
	if (draw_width(buf, v->ascii) > c[COL_NAME].w) {
		widget_hospitals_abbrev(buf, abbr, sizeof abbr);
		memcpy(buf, abbr, sizeof buf);
	}
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, buf, normal,
	    DRAW_ELLIPSIS);
	draw_line_bar(l, c[COL_BAR].x, c[COL_BAR].w, h->beds_used, h->beds,
	    theme_attr(slot));
	snprintf(buf, sizeof buf, "%d/%d", h->beds_used, h->beds);
	draw_line_text(l, c[COL_BEDS].x, c[COL_BEDS].w, buf, normal,
	    DRAW_RIGHT);
	if (c[COL_TREND].w > 0) {
		panel_spark_render(widget_hospitals_spark(p, h->id),
		    c[COL_TREND].w, v->ascii, buf, sizeof buf);
		draw_line_text(l, c[COL_TREND].x, c[COL_TREND].w, buf,
		    theme_attr(slot), 0);
	}
	snprintf(buf, sizeof buf, "%d/%d", h->icu_used, h->icu);
	draw_line_text(l, c[COL_ICU].x, c[COL_ICU].w, buf, normal,
	    DRAW_RIGHT);
	snprintf(buf, sizeof buf, "%d", h->er_waiting);
	draw_line_text(l, c[COL_ER].x, c[COL_ER].w, buf, normal, DRAW_RIGHT);
	snprintf(buf, sizeof buf, "%d", h->ambulances);
	draw_line_text(l, c[COL_AMB].x, c[COL_AMB].w, buf,
	    h->ambulances == 0 ? theme_attr(THEME_WARN) : normal,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_STATUS].x, c[COL_STATUS].w, st,
	    theme_attr(slot), 0);
}

/*
 * What in the hospitals is a record rather than a reading: which ones
 * there are and which are on diversion (an officer's "divert").
 */
static uint64_t
widget_hospitals_records(struct panel *p, struct store *store)
{
	const struct hospital	*h;
	uint64_t		 key = DRAW_HASH_INIT;
	size_t			 i;

	(void)p;
	for (i = 0; i < store->nhospitals; i++) {
		h = &store->hospitals[i];
		key = draw_hash(key, h->id, strlen(h->id) + 1);
		key = draw_hash(key, h->diversion ? "d" : "-", 1);
	}
	return (key);
}

/* "beds free 230 · divert 1" on the bottom border. */
static void
widget_hospitals_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	const struct hospital	*h;
	size_t			 i;
	long			 free_beds = 0, divert = 0, er = 0;
	int			 n;

	(void)v;
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nhospitals)
			continue;
		h = &store->hospitals[p->rows[i]];
		if (h->beds > h->beds_used)
			free_beds += h->beds - h->beds_used;
		divert += h->diversion != 0;
		er += h->er_waiting;
	}
	n = snprintf(buf, sz, "%s %ld · %s %ld", _("beds free"), free_beds,
	    _("ER waiting"), er);
	if (divert > 0 && n > 0 && (size_t)n < sz)
		snprintf(buf + n, sz - n, " · %s %ld", _("on diversion"),
		    divert);
}

static void
widget_hospitals_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	const struct panel_view	*v = d->view;
	const struct hospital	*h;
	const struct area	*ar;
	enum theme_slot		 slot = THEME_NORMAL;
	char			 buf[256], pct[16];
	int			 bw;
	attr_t			 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0' ||
	    (h = store_hospital(store, p->sel_id)) == NULL)
		return;
	snprintf(buf, sizeof buf, "%s%s", h->smart ? (v->ascii ? "* " :
	    "★ ") : "", h->name != NULL ? h->name : h->id);
	panel_detail_text(d, buf, normal | A_BOLD, 0);
	panel_detail_blank(d);
	panel_detail_field(d, C_("detail", "Status"),
	    widget_hospitals_status(h, v->ascii, &slot), theme_attr(slot));
	ar = store_area(store, h->area);
	panel_detail_field(d, C_("detail", "Area"),
	    ar != NULL && ar->name != NULL ? ar->name : h->area, normal);
	draw_permille(h->beds_used, h->beds, !v->lang_en, pct, sizeof pct);
	snprintf(buf, sizeof buf, "%d/%d (%s)", h->beds_used, h->beds, pct);
	panel_detail_field(d, _("Beds"), buf, normal);
	bw = d->w - 16;
	if (bw > 40)
		bw = 40;
	if (bw > 4 && d->win != NULL && d->line - d->top >= 0 &&
	    d->line - d->top < d->h)
		draw_bar(d->win, d->y0 + d->line - d->top, d->x0 + 14, bw,
		    h->beds_used, h->beds, theme_attr(slot), v->ascii);
	if (bw > 4)
		panel_detail_blank(d);
	panel_spark_render(widget_hospitals_spark(p, h->id), PANEL_SPARK,
	    v->ascii, buf, sizeof buf);
	panel_detail_field(d, _("Trend"), buf[0] != '\0' ? buf : "-",
	    theme_attr(slot));
	draw_permille(h->icu_used, h->icu, !v->lang_en, pct, sizeof pct);
	snprintf(buf, sizeof buf, "%d/%d (%s)", h->icu_used, h->icu, pct);
	panel_detail_field(d, "ICU", buf, normal);
	snprintf(buf, sizeof buf, "%d", h->er_waiting);
	panel_detail_field(d, _("ER waiting"), buf, normal);
	snprintf(buf, sizeof buf, "%d", h->ambulances);
	panel_detail_field(d, _("Ambulances"), buf, h->ambulances == 0 ?
	    theme_attr(THEME_WARN) : normal);
	panel_detail_field(d, _("Diversion"), h->diversion ? _("on") :
	    _("off"), h->diversion ? theme_attr(THEME_CRIT) : normal);
	snprintf(buf, sizeof buf, "%u", (unsigned)h->version);
	panel_detail_field(d, _("Version"), buf, theme_attr(THEME_MUTED));
}
