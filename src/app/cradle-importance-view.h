/* cradle-importance-view.h — feature importance as horizontal bars
 *
 * Draws cradle_bars_render() (src/draw/cradle-plot-curves.h): the largest
 * values of a feature-importance vector, largest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-plot-view.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_IMPORTANCE_VIEW (cradle_importance_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleImportanceView, cradle_importance_view, CRADLE, IMPORTANCE_VIEW, CradlePlotView)

GtkWidget *cradle_importance_view_new   (void);
/* The TOP largest of N VALUES named NAMES; NULL values clear the view. */
void       cradle_importance_view_set   (CradleImportanceView *self,
                                         const char * const   *names,
                                         const float          *values,
                                         guint                 n,
                                         guint                 top,
                                         const char           *x_title);
/* Bars shown now; NAMES/VALUES (nullable) receive them. (transfer none) */
guint      cradle_importance_view_get   (CradleImportanceView *self,
                                         const char * const  **names,
                                         const double        **values);

G_END_DECLS
