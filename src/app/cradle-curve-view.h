/* cradle-curve-view.h — an x-y plot widget: ROC and precision-recall
 * curves, training curves, the PCA feature explorer
 *
 * Draws cradle_xy_render() (src/draw/cradle-plot-curves.h). Series are
 * copied in; points can be appended one at a time (live training curves).
 * A click near a point of a clickable series emits ::point-activated
 * (series, index).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-plot-curves.h"
#include "cradle-plot-view.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_CURVE_VIEW (cradle_curve_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleCurveView, cradle_curve_view, CRADLE, CURVE_VIEW, CradlePlotView)

GtkWidget *cradle_curve_view_new            (void);
void       cradle_curve_view_clear          (CradleCurveView *self);
/* Returns the new series' index. X, Y: N values (copied). */
guint      cradle_curve_view_add_series     (CradleCurveView *self,
                                             const char      *name,
                                             const double    *x,
                                             const double    *y,
                                             guint            n,
                                             guint            color_index,
                                             CradleXyMode     mode,
                                             gboolean         dashed);
void       cradle_curve_view_append_point   (CradleCurveView *self,
                                             guint            series,
                                             double           x,
                                             double           y);
guint      cradle_curve_view_get_n_series   (CradleCurveView *self);
/* Fixed ranges (max <= min: from the data), titles, diagonal, legend. */
void       cradle_curve_view_set_axes       (CradleCurveView *self,
                                             double           x_min,
                                             double           x_max,
                                             double           y_min,
                                             double           y_max,
                                             const char      *x_title,
                                             const char      *y_title,
                                             gboolean         diagonal,
                                             CradleXyLegend   legend);
void       cradle_curve_view_set_marker     (CradleCurveView *self,
                                             gboolean         shown,
                                             double           x,
                                             double           y,
                                             const char      *label);
/* Which series a click picks from: its index, -1 any, -2 none (default). */
void       cradle_curve_view_set_clickable  (CradleCurveView *self,
                                             int              series);
/* Emits ::point-activated as a click on that point does. */
void       cradle_curve_view_activate_point (CradleCurveView *self,
                                             guint            series,
                                             guint            index);
/* The point's coordinates. */
gboolean   cradle_curve_view_get_point      (CradleCurveView *self,
                                             guint            series,
                                             guint            index,
                                             double          *x,
                                             double          *y);
/* Where the point is drawn now, in widget coordinates (for tests and
 * tooltips); FALSE for no such point. */
gboolean   cradle_curve_view_point_position (CradleCurveView *self,
                                             guint            series,
                                             guint            index,
                                             double          *x,
                                             double          *y);
/* The series' legend name (transfer none). */
const char *cradle_curve_view_get_series_name (CradleCurveView *self,
                                               guint            series);

G_END_DECLS
