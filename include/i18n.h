/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Translation of the strings an officer reads. Write them in English and
 * wrap them: _("Quit?") where they are used, N_("Quit?") in static tables
 * (translated where they are shown). The catalogue is set up by
 * i18n_init() in the console.
 */

#ifndef I18N_H
#define I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)

#endif
