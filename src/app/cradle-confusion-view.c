/* cradle-confusion-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-confusion-view.h"
#include "cradle-plot-confusion.h"

struct _CradleConfusionView
{
  CradlePlotView       parent_instance;

  CradleConfusionData  data;
  char               **labels;
  guint               *counts;
  char                *truth_title;
  char                *predicted_title;
};

G_DEFINE_FINAL_TYPE (CradleConfusionView, cradle_confusion_view, CRADLE_TYPE_PLOT_VIEW)

enum {
  SIGNAL_CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CradlePlotRenderFunc
cradle_confusion_view_get_render (CradlePlotView *view,
                                  gconstpointer  *data)
{
  CradleConfusionView *self = CRADLE_CONFUSION_VIEW (view);

  if (self->counts == NULL)
    return NULL;
  *data = &self->data;
  return cradle_confusion_render;
}

static void
pressed_cb (GtkGestureClick     *gesture,
            int                  n_press,
            double               x,
            double               y,
            CradleConfusionView *self)
{
  CradleConfusionLayout layout;
  CradlePlotStyle style;
  guint truth;
  guint predicted;

  if (self->counts == NULL)
    return;
  cradle_plot_view_get_style (CRADLE_PLOT_VIEW (self), &style);
  cradle_confusion_layout_compute (&layout, gtk_widget_get_width (GTK_WIDGET (self)),
                                   gtk_widget_get_height (GTK_WIDGET (self)), &self->data, &style);
  if (cradle_confusion_layout_hit (&layout, &self->data, x, y, &truth, &predicted))
    cradle_confusion_view_activate_cell (self, truth, predicted);
}

static void
cradle_confusion_view_finalize (GObject *object)
{
  CradleConfusionView *self = CRADLE_CONFUSION_VIEW (object);

  g_strfreev (self->labels);
  g_free (self->counts);
  g_free (self->truth_title);
  g_free (self->predicted_title);

  G_OBJECT_CLASS (cradle_confusion_view_parent_class)->finalize (object);
}

static void
cradle_confusion_view_class_init (CradleConfusionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CradlePlotViewClass *plot_class = CRADLE_PLOT_VIEW_CLASS (klass);

  object_class->finalize = cradle_confusion_view_finalize;
  plot_class->get_render = cradle_confusion_view_get_render;

  /**
   * CradleConfusionView::cell-activated:
   * @truth: the cell's row (true class)
   * @predicted: its column (predicted class)
   */
  signals[SIGNAL_CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
cradle_confusion_view_init (CradleConfusionView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->data.selected_truth = -1;
  self->data.selected_predicted = -1;
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

GtkWidget *
cradle_confusion_view_new (void)
{
  return g_object_new (CRADLE_TYPE_CONFUSION_VIEW, NULL);
}

void
cradle_confusion_view_set_matrix (CradleConfusionView *self,
                                  guint                n_classes,
                                  const char * const  *labels,
                                  const guint         *counts)
{
  g_return_if_fail (CRADLE_IS_CONFUSION_VIEW (self));

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->counts, g_free);
  self->data.selected_truth = -1;
  self->data.selected_predicted = -1;
  if (counts != NULL && n_classes > 0)
    {
      self->labels = g_new0 (char *, n_classes + 1);
      for (guint c = 0; c < n_classes; c++)
        self->labels[c] = g_strdup (labels[c]);
      self->counts = g_memdup2 (counts, (gsize) n_classes * n_classes * sizeof (guint));
      self->data.n_classes = n_classes;
      self->data.labels = (const char * const *) self->labels;
      self->data.counts = self->counts;
    }
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

const guint *
cradle_confusion_view_get_counts (CradleConfusionView *self,
                                  guint               *n_classes)
{
  g_return_val_if_fail (CRADLE_IS_CONFUSION_VIEW (self), NULL);

  if (n_classes != NULL)
    *n_classes = self->counts != NULL ? self->data.n_classes : 0;
  return self->counts;
}

void
cradle_confusion_view_set_axis_titles (CradleConfusionView *self,
                                       const char          *truth,
                                       const char          *predicted)
{
  g_return_if_fail (CRADLE_IS_CONFUSION_VIEW (self));

  g_free (self->truth_title);
  g_free (self->predicted_title);
  self->truth_title = g_strdup (truth);
  self->predicted_title = g_strdup (predicted);
  self->data.truth_title = self->truth_title;
  self->data.predicted_title = self->predicted_title;
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

void
cradle_confusion_view_activate_cell (CradleConfusionView *self,
                                     guint                truth,
                                     guint                predicted)
{
  g_return_if_fail (CRADLE_IS_CONFUSION_VIEW (self));
  g_return_if_fail (self->counts != NULL);
  g_return_if_fail (truth < self->data.n_classes && predicted < self->data.n_classes);

  self->data.selected_truth = (int) truth;
  self->data.selected_predicted = (int) predicted;
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
  g_signal_emit (self, signals[SIGNAL_CELL_ACTIVATED], 0, truth, predicted);
}

gboolean
cradle_confusion_view_get_selected (CradleConfusionView *self,
                                    guint               *truth,
                                    guint               *predicted)
{
  g_return_val_if_fail (CRADLE_IS_CONFUSION_VIEW (self), FALSE);

  if (self->data.selected_truth < 0)
    return FALSE;
  *truth = (guint) self->data.selected_truth;
  *predicted = (guint) self->data.selected_predicted;
  return TRUE;
}
