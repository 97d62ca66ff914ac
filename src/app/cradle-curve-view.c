/* cradle-curve-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-curve-view.h"

/* Pick radius of a click, in pixels. */
#define PICK_DISTANCE 12.0

typedef struct {
  char         *name;
  GArray       *x;
  GArray       *y;
  guint         color_index;
  CradleXyMode  mode;
  gboolean      dashed;
} Series;

struct _CradleCurveView
{
  CradlePlotView  parent_instance;

  GPtrArray      *series;     /* (element-type Series) */
  GArray         *xy_series;  /* CradleXySeries views of SERIES, rebuilt per draw */
  CradleXyData    data;
  char           *x_title;
  char           *y_title;
  char           *marker_label;
  int             clickable;
};

G_DEFINE_FINAL_TYPE (CradleCurveView, cradle_curve_view, CRADLE_TYPE_PLOT_VIEW)

enum {
  SIGNAL_POINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
series_free (Series *s)
{
  g_free (s->name);
  g_array_unref (s->x);
  g_array_unref (s->y);
  g_free (s);
}

static void
sync_data (CradleCurveView *self)
{
  g_array_set_size (self->xy_series, 0);
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      CradleXySeries xy = {
        s->name, (const double *) s->x->data, (const double *) s->y->data, s->x->len,
        s->color_index, s->mode, s->dashed,
      };

      g_array_append_val (self->xy_series, xy);
    }
  self->data.series = (const CradleXySeries *) self->xy_series->data;
  self->data.n_series = self->xy_series->len;
}

static CradlePlotRenderFunc
cradle_curve_view_get_render (CradlePlotView *view,
                              gconstpointer  *data)
{
  CradleCurveView *self = CRADLE_CURVE_VIEW (view);

  if (self->series->len == 0)
    return NULL;
  sync_data (self);
  *data = &self->data;
  return cradle_xy_render;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            CradleCurveView *self)
{
  CradleXyLayout layout;
  CradlePlotStyle style;
  guint series;
  guint index;

  if (self->clickable == -2 || self->series->len == 0)
    return;
  sync_data (self);
  cradle_plot_view_get_style (CRADLE_PLOT_VIEW (self), &style);
  cradle_xy_layout_compute (&layout, gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)), &self->data, &style);
  if (cradle_xy_layout_nearest (&layout, &self->data, x, y, PICK_DISTANCE, self->clickable, &series,
                                &index))
    cradle_curve_view_activate_point (self, series, index);
}

static void
cradle_curve_view_finalize (GObject *object)
{
  CradleCurveView *self = CRADLE_CURVE_VIEW (object);

  g_ptr_array_unref (self->series);
  g_array_unref (self->xy_series);
  g_free (self->x_title);
  g_free (self->y_title);
  g_free (self->marker_label);

  G_OBJECT_CLASS (cradle_curve_view_parent_class)->finalize (object);
}

static void
cradle_curve_view_class_init (CradleCurveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CradlePlotViewClass *plot_class = CRADLE_PLOT_VIEW_CLASS (klass);

  object_class->finalize = cradle_curve_view_finalize;
  plot_class->get_render = cradle_curve_view_get_render;

  /**
   * CradleCurveView::point-activated:
   * @series: the series' index
   * @index: the point's index in it
   */
  signals[SIGNAL_POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
cradle_curve_view_init (CradleCurveView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->xy_series = g_array_new (FALSE, TRUE, sizeof (CradleXySeries));
  self->clickable = -2;
  self->data.legend = CRADLE_XY_LEGEND_TOP_RIGHT;
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
cradle_curve_view_new (void)
{
  return g_object_new (CRADLE_TYPE_CURVE_VIEW, NULL);
}

void
cradle_curve_view_clear (CradleCurveView *self)
{
  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));

  g_ptr_array_set_size (self->series, 0);
  self->data.has_marker = FALSE;
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

guint
cradle_curve_view_add_series (CradleCurveView *self,
                              const char      *name,
                              const double    *x,
                              const double    *y,
                              guint            n,
                              guint            color_index,
                              CradleXyMode     mode,
                              gboolean         dashed)
{
  Series *s;

  g_return_val_if_fail (CRADLE_IS_CURVE_VIEW (self), 0);
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), 0);

  s = g_new0 (Series, 1);
  s->name = g_strdup (name);
  s->x = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  s->y = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  if (n > 0)
    {
      g_array_append_vals (s->x, x, n);
      g_array_append_vals (s->y, y, n);
    }
  s->color_index = color_index;
  s->mode = mode;
  s->dashed = dashed;
  g_ptr_array_add (self->series, s);
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
  return self->series->len - 1;
}

void
cradle_curve_view_append_point (CradleCurveView *self,
                                guint            series,
                                double           x,
                                double           y)
{
  Series *s;

  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));
  g_return_if_fail (series < self->series->len);

  s = g_ptr_array_index (self->series, series);
  g_array_append_val (s->x, x);
  g_array_append_val (s->y, y);
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

guint
cradle_curve_view_get_n_series (CradleCurveView *self)
{
  g_return_val_if_fail (CRADLE_IS_CURVE_VIEW (self), 0);

  return self->series->len;
}

void
cradle_curve_view_set_axes (CradleCurveView *self,
                            double           x_min,
                            double           x_max,
                            double           y_min,
                            double           y_max,
                            const char      *x_title,
                            const char      *y_title,
                            gboolean         diagonal,
                            CradleXyLegend   legend)
{
  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));

  g_free (self->x_title);
  g_free (self->y_title);
  self->x_title = g_strdup (x_title);
  self->y_title = g_strdup (y_title);
  self->data.x_min = x_min;
  self->data.x_max = x_max;
  self->data.y_min = y_min;
  self->data.y_max = y_max;
  self->data.x_title = self->x_title;
  self->data.y_title = self->y_title;
  self->data.diagonal = diagonal;
  self->data.legend = legend;
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

void
cradle_curve_view_set_marker (CradleCurveView *self,
                              gboolean         shown,
                              double           x,
                              double           y,
                              const char      *label)
{
  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));

  g_free (self->marker_label);
  self->marker_label = g_strdup (label);
  self->data.has_marker = shown;
  self->data.marker_x = x;
  self->data.marker_y = y;
  self->data.marker_label = self->marker_label;
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

void
cradle_curve_view_set_clickable (CradleCurveView *self,
                                 int              series)
{
  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));

  self->clickable = series;
  if (series == -2)
    gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  else
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

void
cradle_curve_view_activate_point (CradleCurveView *self,
                                  guint            series,
                                  guint            index)
{
  g_return_if_fail (CRADLE_IS_CURVE_VIEW (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (index < ((Series *) g_ptr_array_index (self->series, series))->x->len);

  g_signal_emit (self, signals[SIGNAL_POINT_ACTIVATED], 0, series, index);
}

gboolean
cradle_curve_view_get_point (CradleCurveView *self,
                             guint            series,
                             guint            index,
                             double          *x,
                             double          *y)
{
  Series *s;

  g_return_val_if_fail (CRADLE_IS_CURVE_VIEW (self), FALSE);

  if (series >= self->series->len)
    return FALSE;
  s = g_ptr_array_index (self->series, series);
  if (index >= s->x->len)
    return FALSE;
  *x = g_array_index (s->x, double, index);
  *y = g_array_index (s->y, double, index);
  return TRUE;
}

const char *
cradle_curve_view_get_series_name (CradleCurveView *self,
                                   guint            series)
{
  g_return_val_if_fail (CRADLE_IS_CURVE_VIEW (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);

  return ((Series *) g_ptr_array_index (self->series, series))->name;
}

gboolean
cradle_curve_view_point_position (CradleCurveView *self,
                                  guint            series,
                                  guint            index,
                                  double          *x,
                                  double          *y)
{
  CradleXyLayout layout;
  CradlePlotStyle style;
  double px;
  double py;

  g_return_val_if_fail (CRADLE_IS_CURVE_VIEW (self), FALSE);

  if (!cradle_curve_view_get_point (self, series, index, &px, &py))
    return FALSE;
  sync_data (self);
  cradle_plot_view_get_style (CRADLE_PLOT_VIEW (self), &style);
  cradle_xy_layout_compute (&layout, gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)), &self->data, &style);
  *x = cradle_xy_layout_x_to_px (&layout, px);
  *y = cradle_xy_layout_y_to_px (&layout, py);
  return TRUE;
}
