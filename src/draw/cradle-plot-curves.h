/* cradle-plot-curves.h — x-y plots: ROC and precision-recall curves,
 * training curves and the 2-D feature explorer
 *
 * A CradleXyData is a set of series, each drawn as a line or as markers in
 * a categorical colour, on linear axes with nice ticks (cradle-axis.h), an
 * optional chance diagonal (ROC), an optional operating-point marker and a
 * legend. cradle_xy_layout_compute() gives the mapping the render function
 * uses, and cradle_xy_layout_nearest() finds the point under the pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-plot.h"

G_BEGIN_DECLS

typedef enum {
  CRADLE_XY_LINE,      /* straight segments from point to point */
  CRADLE_XY_MARKERS,   /* a dot per point (scatter) */
} CradleXyMode;

typedef enum {
  CRADLE_XY_LEGEND_NONE,
  CRADLE_XY_LEGEND_TOP_RIGHT,
  CRADLE_XY_LEGEND_BOTTOM_RIGHT,
  CRADLE_XY_LEGEND_BOTTOM_LEFT,
} CradleXyLegend;

/**
 * CradleXySeries:
 * @name: (nullable): the legend entry; %NULL leaves it out of the legend
 * @x: @n values
 * @y: @n values
 * @n: points
 * @color_index: cradle_plot_series_color() index
 * @mode: line or markers
 * @dashed: a dashed line
 */
typedef struct {
  const char   *name;
  const double *x;
  const double *y;
  guint         n;
  guint         color_index;
  CradleXyMode  mode;
  gboolean      dashed;
} CradleXySeries;

/**
 * CradleXyData:
 * @series: @n_series series, drawn in order
 * @x_min: the axes' ranges; when @x_max is not above @x_min (or @y_max not
 *   above @y_min) that range is taken from the data with a 5 % margin
 * @x_title: (nullable): under the x axis
 * @y_title: (nullable): left of the y axis, rotated
 * @diagonal: draw the chance line from (x_min, y_min) to (x_max, y_max)
 * @has_marker: draw an operating point at (@marker_x, @marker_y) with
 *   @marker_label (nullable) beside it
 * @legend: where the legend goes
 */
typedef struct {
  const CradleXySeries *series;
  guint                 n_series;
  double                x_min;
  double                x_max;
  double                y_min;
  double                y_max;
  const char           *x_title;
  const char           *y_title;
  gboolean              diagonal;
  gboolean              has_marker;
  double                marker_x;
  double                marker_y;
  const char           *marker_label;
  CradleXyLegend        legend;
} CradleXyData;

typedef struct {
  double            width;
  double            height;
  double            title_height;
  cairo_rectangle_t plot;
  double            x_min;   /* the resolved ranges */
  double            x_max;
  double            y_min;
  double            y_max;
  double            x_step;  /* tick steps */
  double            y_step;
} CradleXyLayout;

void     cradle_xy_layout_compute (CradleXyLayout       *layout,
                                   double                width,
                                   double                height,
                                   const CradleXyData   *data,
                                   const CradlePlotStyle *style);
double   cradle_xy_layout_x_to_px (const CradleXyLayout *layout,
                                   double                x);
double   cradle_xy_layout_y_to_px (const CradleXyLayout *layout,
                                   double                y);
/* The point of DATA nearest to PX, PY within MAX_DISTANCE user units, in
 * series ONLY_SERIES (or any when negative). FALSE when there is none. */
gboolean cradle_xy_layout_nearest (const CradleXyLayout *layout,
                                   const CradleXyData   *data,
                                   double                px,
                                   double                py,
                                   double                max_distance,
                                   int                   only_series,
                                   guint                *series,
                                   guint                *index);

/* A CradlePlotRenderFunc: DATA is a CradleXyData. */
void     cradle_xy_render         (cairo_t              *cr,
                                   double                width,
                                   double                height,
                                   gconstpointer         data,
                                   const CradlePlotStyle *style);

/* ---- Horizontal bars (feature importance) --------------------------------- */

/**
 * CradleBarsData:
 * @n: bars, drawn top to bottom
 * @names: @n names, left of the bars
 * @values: @n values (negative ones draw left of zero)
 * @x_title: (nullable): under the axis
 */
typedef struct {
  guint               n;
  const char * const *names;
  const double       *values;
  const char         *x_title;
} CradleBarsData;

/* A CradlePlotRenderFunc: DATA is a CradleBarsData. */
void     cradle_bars_render       (cairo_t              *cr,
                                   double                width,
                                   double                height,
                                   gconstpointer         data,
                                   const CradlePlotStyle *style);

G_END_DECLS
