/* cradle-cause-bars.h — the cause model's probabilities as labelled bars
 *
 * One row per cause: its name, a level bar and the percentage; the most
 * probable cause is in bold. With no probabilities (no cause model, or the
 * event too short so far) a placeholder line says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_CAUSE_BARS (cradle_cause_bars_get_type ())

G_DECLARE_FINAL_TYPE (CradleCauseBars, cradle_cause_bars, CRADLE, CAUSE_BARS, GtkBox)

GtkWidget *cradle_cause_bars_new          (void);
/* LABELS: N causes' names; PROBA: theirs. N 0 shows PLACEHOLDER. */
void       cradle_cause_bars_set          (CradleCauseBars    *self,
                                           const char * const *labels,
                                           const float        *proba,
                                           guint               n);
void       cradle_cause_bars_set_placeholder (CradleCauseBars *self,
                                              const char      *text);
/* The value shown for LABEL, or -1. */
double     cradle_cause_bars_get_value    (CradleCauseBars    *self,
                                           const char         *label);

G_END_DECLS
