/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The unit board: every unit, where it is, what it does, for which alert. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "draw.h"
#include "i18n.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * A dispatcher's question is "who can go, and who is busy where": rows
 * are the units that pass the filter and the search, by area by default
 * (then type, then id), or by type, status, alert or id. Columns, most
 * important first: id, status (a word: never colour alone; one glyph
 * when narrow), area, type, the current alert, the name. The status word
 * says why a unit cannot be dispatched; the completion of "dispatch"
 * says the same for the units it leaves out (console/complete.c).
 */

static const char	*widget_units_id(struct panel *, struct store *,
			     size_t);
static int		 widget_units_cmp(const void *, const void *, void *);
static void		 widget_units_refresh(struct panel *, struct store *);
static int		 widget_units_init(struct panel *);
static void		 widget_units_free(struct panel *);
static void		 widget_units_columns(struct panel *, struct store *,
			     const struct panel_view *);
static void		 widget_units_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_units_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_units_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_units_footer(struct panel *, struct store *,
			     const struct panel_view *, char *, size_t);
static void		 widget_units_legend(int, void (*)(void *,
			    const char *, const char *), void *);

static const char *const widget_units_sorts[] = {
	"area", "type", "status", "alert", "id", NULL
};

const struct panel_class widget_units_class = {
	.name = "units",
	.title = N_("Units"),
	.store_mask = STORE_CH_UNITS | STORE_CH_ALERTS,
	.item_kind = "unit",
	.sorts = widget_units_sorts,
	.init = widget_units_init,
	.free = widget_units_free,
	.refresh = widget_units_refresh,
	.columns = widget_units_columns,
	.head = widget_units_head,
	.row = widget_units_row,
	.row_id = widget_units_id,
	.detail = widget_units_detail,
	.footer = widget_units_footer,
	.legend = widget_units_legend
};

/* Shown in the Type column; translated where drawn. */
static const char *const widget_units_types[UNIT_TYPE_COUNT] = {
	NC_("unit type", "ambulance"), NC_("unit type", "fire"),
	NC_("unit type", "police"), NC_("unit type", "traffic police"),
	NC_("unit type", "rescue"), NC_("unit type", "environment"),
	NC_("unit type", "utility")
};
/* The same words as the alerts' detail uses for its units. */
static const char *const widget_units_status[UNIT_STATUS_COUNT] = {
	N_("available"), N_("dispatched"), N_("en route"), N_("on scene"),
	N_("returning"), N_("out of service")
};
/* One column each, for narrow panels; the legend explains them. */
static const char *const widget_units_glyphs[UNIT_STATUS_COUNT] = {
	"○", "→", "»", "⌂", "←", "⊘"
};
static const char widget_units_glyphs_ascii[UNIT_STATUS_COUNT] = {
	'A', 'D', 'E', 'S', 'R', 'X'
};

enum {
	COL_ID,
	COL_STATUS,
	COL_AREA,
	COL_TYPE,
	COL_ALERT,
	COL_NAME,
	COL_COUNT
};

struct widget_units_data {
	struct draw_col	 c[COL_COUNT];
};

static int
widget_units_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_units_data));
	return (0);
}

static void
widget_units_free(struct panel *p)
{
	free(p->data);
	p->data = NULL;
}

static const char *
widget_units_id(struct panel *p, struct store *store, size_t i)
{
	(void)p;
	if (i >= store->nunits)
		return (NULL);
	return (store->units[i].id);
}

/* The status glyphs, for the legend of the help. */
static void
widget_units_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	char	g[8];
	int	k;

	for (k = 0; k < UNIT_STATUS_COUNT; k++) {
		if (ascii)
			snprintf(g, sizeof g, "%c",
			    widget_units_glyphs_ascii[k]);
		else
			snprintf(g, sizeof g, "%s", widget_units_glyphs[k]);
		add(arg, g, _(widget_units_status[k]));
	}
}

/* The theme slot of a status: free is good news, out of service bad. */
static enum theme_slot
widget_units_slot(enum unit_status st)
{
	switch (st) {
	case UNIT_AVAILABLE:
		return (THEME_OK);
	case UNIT_OUT_OF_SERVICE:
		return (THEME_CRIT);
	default:
		return (THEME_NORMAL);
	}
}

static int
widget_units_cmp(const void *va, const void *vb, void *arg)
{
	struct panel		*p = arg;
	struct store		*store = p->store;
	const struct unit	*a, *b;
	int			 c;

	a = &store->units[*(const size_t *)va];
	b = &store->units[*(const size_t *)vb];
	switch (p->sort) {
	case 1:
		break;
	case 2:
		if (a->status != b->status)
			return (a->status < b->status ? -1 : 1);
		break;
	case 3:		/* The units on an alert first, by alert. */
		if ((a->alert[0] == '\0') != (b->alert[0] == '\0'))
			return (a->alert[0] == '\0' ? 1 : -1);
		if ((c = strcmp(a->alert, b->alert)) != 0)
			return (c);
		break;
	case 4:
		return (strcmp(a->id, b->id));
	default:
		if ((c = strcmp(a->area, b->area)) != 0)
			return (c);
		break;
	}
	if (a->type != b->type)
		return (a->type < b->type ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_units_refresh(struct panel *p, struct store *store)
{
	const struct unit	*u;
	const char		*texts[5];
	size_t			 i;

	panel_rows_clear(p);
	for (i = 0; i < store->nunits; i++) {
		u = &store->units[i];
		texts[0] = u->id;
		texts[1] = u->name;
		texts[2] = u->alert;
		texts[3] = (unsigned)u->type < UNIT_TYPE_COUNT ?
		    unit_type_names[u->type] : NULL;
		texts[4] = (unsigned)u->status < UNIT_STATUS_COUNT ?
		    unit_status_names[u->status] : NULL;
		if (panel_want(p, store, u->area, -1, texts, 5))
			panel_rows_add(p, i);
	}
	p->store = store;
	panel_sort(p, widget_units_cmp, p);
	panel_reselect(p, widget_units_id, store);
}

static void
widget_units_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_units_data	*ud = p->data;
	struct draw_col			*c = ud->c;
	const struct unit		*u;
	size_t				 i;
	int				 iw = p->w - 2, n, k, wid, warea;
	int				 wstatus, wtype, walert;

	wid = draw_width(_("ID"), v->ascii);
	warea = draw_width(_("Area"), v->ascii);
	wstatus = draw_width(_("Status"), v->ascii);
	wtype = draw_width(_("Type"), v->ascii);
	walert = draw_width(_("Alert"), v->ascii);
	for (k = 0; k < UNIT_STATUS_COUNT; k++) {
		if ((n = draw_width(_(widget_units_status[k]), v->ascii)) >
		    wstatus)
			wstatus = n;
	}
	for (k = 0; k < UNIT_TYPE_COUNT; k++) {
		if ((n = draw_width(C_("unit type", widget_units_types[k]),
		    v->ascii)) > wtype)
			wtype = n;
	}
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nunits)
			continue;
		u = &store->units[p->rows[i]];
		if ((n = (int)strlen(u->id)) > wid)
			wid = n;
		if ((n = (int)strlen(areas_label(store, u->area))) > warea)
			warea = n;
		if ((n = (int)strlen(u->alert)) > walert)
			walert = n;
	}
	memset(c, 0, sizeof ud->c);
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_STATUS] = (struct draw_col){ .want = wstatus, .alt = 1,
	    .altprio = 3, .prio = 0 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 1 };
	c[COL_ALERT] = (struct draw_col){ .want = walert, .prio = 2 };
	c[COL_TYPE] = (struct draw_col){ .want = wtype, .prio = 4 };
	c[COL_NAME] = (struct draw_col){ .want = 8, .prio = 5, .fill = 1 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_units_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_units_data	*ud = p->data;
	const struct draw_col		*c = ud->c;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, _("ID"), head, 0);
	if (!c[COL_STATUS].narrow)
		draw_line_text(l, c[COL_STATUS].x, c[COL_STATUS].w,
		    _("Status"), head, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w, _("Area"), head, 0);
	draw_line_text(l, c[COL_TYPE].x, c[COL_TYPE].w, _("Type"), head, 0);
	draw_line_text(l, c[COL_ALERT].x, c[COL_ALERT].w, _("Alert"), head,
	    0);
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, _("Name"), head, 0);
}

static void
widget_units_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_units_data	*ud = p->data;
	const struct draw_col		*c = ud->c;
	const struct unit		*u;
	char				 buf[64];
	attr_t				 normal = theme_attr(THEME_NORMAL);

	if (p->rows[i] >= store->nunits)
		return;
	u = &store->units[p->rows[i]];
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, u->id, normal, 0);
	if ((unsigned)u->status < UNIT_STATUS_COUNT) {
		if (c[COL_STATUS].narrow && v->ascii)
			snprintf(buf, sizeof buf, "%c",
			    widget_units_glyphs_ascii[u->status]);
		else if (c[COL_STATUS].narrow)
			snprintf(buf, sizeof buf, "%s",
			    widget_units_glyphs[u->status]);
		else
			snprintf(buf, sizeof buf, "%s",
			    _(widget_units_status[u->status]));
		draw_line_text(l, c[COL_STATUS].x, c[COL_STATUS].w, buf,
		    theme_attr(widget_units_slot(u->status)), 0);
	}
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w,
	    areas_label(store, u->area), normal, 0);
	if ((unsigned)u->type < UNIT_TYPE_COUNT)
		draw_line_text(l, c[COL_TYPE].x, c[COL_TYPE].w,
		    C_("unit type", widget_units_types[u->type]), normal, 0);
	draw_line_text(l, c[COL_ALERT].x, c[COL_ALERT].w, u->alert, normal,
	    0);
	if (u->name != NULL)
		draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, u->name,
		    normal, DRAW_ELLIPSIS);
}

/* "available 12 · busy 30 · out of service 2" on the bottom border. */
static void
widget_units_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	const struct unit	*u;
	size_t			 i, avail = 0, busy = 0, out = 0;

	(void)v;
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nunits)
			continue;
		u = &store->units[p->rows[i]];
		if (u->status == UNIT_AVAILABLE)
			avail++;
		else if (u->status == UNIT_OUT_OF_SERVICE)
			out++;
		else
			busy++;
	}
	snprintf(buf, sz, "%s %zu · %s %zu · %s %zu", _("available"), avail,
	    _("busy"), busy, _("out of service"), out);
}

static void
widget_units_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	const struct unit	*u;
	const struct area	*ar;
	struct alert		*a;
	char			 buf[512];
	attr_t			 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0' || (u = store_unit(store, p->sel_id)) ==
	    NULL)
		return;
	snprintf(buf, sizeof buf, "%s  %s", u->id, u->name != NULL ?
	    u->name : "");
	panel_detail_text(d, buf, theme_attr(THEME_TITLE), 0);
	panel_detail_blank(d);
	if ((unsigned)u->status < UNIT_STATUS_COUNT)
		panel_detail_field(d, _("Status"),
		    _(widget_units_status[u->status]),
		    theme_attr(widget_units_slot(u->status)));
	if ((unsigned)u->type < UNIT_TYPE_COUNT)
		panel_detail_field(d, _("Type"), C_("unit type",
		    widget_units_types[u->type]), normal);
	ar = store_area(store, u->area);
	panel_detail_field(d, C_("detail", "Area"), ar != NULL &&
	    ar->name != NULL ? ar->name : u->area, normal);
	if (u->alert[0] != '\0') {
		a = store_alert(store, u->alert);
		snprintf(buf, sizeof buf, "%s%s%s", u->alert, a != NULL &&
		    a->title != NULL ? "  " : "", a != NULL &&
		    a->title != NULL ? a->title : "");
		panel_detail_field(d, _("Alert"), buf, normal);
	}
	snprintf(buf, sizeof buf, "%u", (unsigned)u->version);
	panel_detail_field(d, _("Version"), buf, theme_attr(THEME_MUTED));
}
