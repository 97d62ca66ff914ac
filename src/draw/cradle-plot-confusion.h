/* cradle-plot-confusion.h — the confusion matrix as a heat map
 *
 * Rows are the true classes, columns the predicted ones. Each cell shows
 * its count and its share of the row (recall on the diagonal) and is
 * filled by that share through viridis, so a good model draws a bright
 * diagonal whatever the class sizes; the text is black or white, whichever
 * reads on the fill. A colour bar on the right gives the scale.
 * cradle_confusion_layout_compute() returns the geometry the render
 * function uses, for hit tests (clicking a cell).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-plot.h"

G_BEGIN_DECLS

/**
 * CradleConfusionData:
 * @n_classes: classes, > 0
 * @labels: @n_classes names
 * @counts: @n_classes × @n_classes, rows = truth
 * @selected_truth: the highlighted cell's row, or -1
 * @selected_predicted: its column, or -1
 * @truth_title: (nullable): the rows' axis title ("True class")
 * @predicted_title: (nullable): the columns' axis title ("Predicted class")
 */
typedef struct {
  guint               n_classes;
  const char * const *labels;
  const guint        *counts;
  int                 selected_truth;
  int                 selected_predicted;
  const char         *truth_title;
  const char         *predicted_title;
} CradleConfusionData;

typedef struct {
  double            width;
  double            height;
  double            title_height;
  cairo_rectangle_t grid;        /* the cells */
  double            cell_width;
  double            cell_height;
  cairo_rectangle_t colorbar;    /* zero width when it does not fit */
  double            truth_title_x; /* left edge of the rotated rows' title */
} CradleConfusionLayout;

void     cradle_confusion_layout_compute (CradleConfusionLayout       *layout,
                                          double                       width,
                                          double                       height,
                                          const CradleConfusionData   *data,
                                          const CradlePlotStyle       *style);
/* The cell of row TRUTH, column PREDICTED. */
void     cradle_confusion_layout_cell    (const CradleConfusionLayout *layout,
                                          guint                        truth,
                                          guint                        predicted,
                                          cairo_rectangle_t           *cell);
/* The cell under X, Y; FALSE outside the grid. */
gboolean cradle_confusion_layout_hit     (const CradleConfusionLayout *layout,
                                          const CradleConfusionData   *data,
                                          double                       x,
                                          double                       y,
                                          guint                       *truth,
                                          guint                       *predicted);

/* The cell's share of its row (0 for an empty row). */
double   cradle_confusion_row_fraction   (const CradleConfusionData   *data,
                                          guint                        truth,
                                          guint                        predicted);
/* The cell's fill and the text colour drawn on it. */
void     cradle_confusion_cell_colors    (const CradleConfusionData   *data,
                                          guint                        truth,
                                          guint                        predicted,
                                          CradleRGBA                  *fill,
                                          CradleRGBA                  *text);

/* A CradlePlotRenderFunc: DATA is a CradleConfusionData. */
void     cradle_confusion_render         (cairo_t                     *cr,
                                          double                       width,
                                          double                       height,
                                          gconstpointer                data,
                                          const CradlePlotStyle       *style);

G_END_DECLS
