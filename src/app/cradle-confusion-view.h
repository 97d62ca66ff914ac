/* cradle-confusion-view.h — the confusion matrix widget
 *
 * Draws cradle_confusion_render() (src/draw/cradle-plot-confusion.h);
 * clicking a cell selects it and emits ::cell-activated (truth, predicted).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-plot-view.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_CONFUSION_VIEW (cradle_confusion_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleConfusionView, cradle_confusion_view, CRADLE, CONFUSION_VIEW, CradlePlotView)

GtkWidget   *cradle_confusion_view_new           (void);
/* Copies LABELS (N_CLASSES) and COUNTS (N_CLASSES², rows = truth); NULL
 * counts clears the view. */
void         cradle_confusion_view_set_matrix    (CradleConfusionView *self,
                                                  guint                n_classes,
                                                  const char * const  *labels,
                                                  const guint         *counts);
/* The counts drawn now (rows = truth), or NULL; *N_CLASSES receives their
 * size. (transfer none) */
const guint *cradle_confusion_view_get_counts    (CradleConfusionView *self,
                                                  guint               *n_classes);
void         cradle_confusion_view_set_axis_titles (CradleConfusionView *self,
                                                    const char          *truth,
                                                    const char          *predicted);
/* Selects the cell and emits ::cell-activated, as a click on it does. */
void         cradle_confusion_view_activate_cell (CradleConfusionView *self,
                                                  guint                truth,
                                                  guint                predicted);
/* The selected cell; FALSE when none. */
gboolean     cradle_confusion_view_get_selected  (CradleConfusionView *self,
                                                  guint               *truth,
                                                  guint               *predicted);

G_END_DECLS
