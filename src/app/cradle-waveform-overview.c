/* cradle-waveform-overview.c — the whole recording's waveform
 *
 * Signals: "seek" (double start): the range was dragged (or clicked) so
 * that it starts at START seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cradle-waveform-overview.h"

struct _CradleWaveformOverview
{
  GtkWidget      parent_instance;

  float         *mins;
  float         *maxs;
  guint          n_buckets;
  double         duration;
  double         start;
  double         span;

  GskRenderNode *wave;        /* for one size and colour */
  int            wave_width;
  int            wave_height;

  double         grab_offset; /* pointer time − range start at drag begin */
  double         drag_x;
};

G_DEFINE_FINAL_TYPE (CradleWaveformOverview, cradle_waveform_overview, GTK_TYPE_WIDGET)

enum {
  SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

double
cradle_waveform_overview_x_to_time (CradleWaveformOverview *self,
                                    double                  x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_val_if_fail (CRADLE_IS_WAVEFORM_OVERVIEW (self), 0.0);

  return width > 0 ? x / width * self->duration : 0.0;
}

/* One cairo fill of one-pixel columns, so every renderer blends it once. */
static GskRenderNode *
build_wave (CradleWaveformOverview *self,
            int                     width,
            int                     height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GdkRGBA fg;
  double mid = height / 2.0;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int x = 0; x < width; x++)
    {
      guint a = (guint) ((double) x / width * self->n_buckets);
      guint b = MAX (a + 1, (guint) ((double) (x + 1) / width * self->n_buckets));
      float lo = 0.0f;
      float hi = 0.0f;
      double top;
      double bottom;

      for (guint i = a; i < MIN (b, self->n_buckets); i++)
        {
          lo = MIN (lo, self->mins[i]);
          hi = MAX (hi, self->maxs[i]);
        }
      top = floor (mid - CLAMP (hi, -1.0f, 1.0f) * (mid - 1.0));
      bottom = ceil (mid - CLAMP (lo, -1.0f, 1.0f) * (mid - 1.0));
      cairo_rectangle (cr, x, top, 1, MAX (1.0, bottom - top));
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.75);
  cairo_fill (cr);
  cairo_destroy (cr);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
cradle_waveform_overview_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  CradleWaveformOverview *self = CRADLE_WAVEFORM_OVERVIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA accent;
  GdkRGBA fill;
  double x0;
  double x1;

  if (self->mins == NULL || self->duration <= 0.0 || width <= 0 || height <= 0)
    return;

  if (self->wave == NULL || self->wave_width != width || self->wave_height != height)
    {
      g_clear_pointer (&self->wave, gsk_render_node_unref);
      self->wave = build_wave (self, width, height);
      self->wave_width = width;
      self->wave_height = height;
    }
  if (self->wave != NULL)
    gtk_snapshot_append_node (snapshot, self->wave);

  gdk_rgba_parse (&accent, dark ? "#78aeed" : "#1c71d8");
  fill = accent;
  fill.alpha = 0.22;
  x0 = self->start / self->duration * width;
  x1 = MAX (x0 + 2.0, (self->start + self->span) / self->duration * width);
  gtk_snapshot_append_color (snapshot, &fill, &GRAPHENE_RECT_INIT (x0, 0, x1 - x0, height));
  gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (x0, 0, 1, height));
  gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (x1 - 1, 0, 1, height));
}

static void
cradle_waveform_overview_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 100 : 48;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 56;
}

static void
cradle_waveform_overview_css_changed (GtkWidget         *widget,
                                      GtkCssStyleChange *change)
{
  CradleWaveformOverview *self = CRADLE_WAVEFORM_OVERVIEW (widget);

  GTK_WIDGET_CLASS (cradle_waveform_overview_parent_class)->css_changed (widget, change);
  g_clear_pointer (&self->wave, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

static void
drag_begin_cb (GtkGestureDrag         *gesture,
               double                  x,
               double                  y,
               CradleWaveformOverview *self)
{
  double t = cradle_waveform_overview_x_to_time (self, x);

  self->drag_x = x;
  /* Inside the range: keep the grab point; outside: centre on it. */
  if (t >= self->start && t <= self->start + self->span)
    self->grab_offset = t - self->start;
  else
    self->grab_offset = self->span / 2.0;
  g_signal_emit (self, signals[SEEK], 0, t - self->grab_offset);
}

static void
drag_update_cb (GtkGestureDrag         *gesture,
                double                  dx,
                double                  dy,
                CradleWaveformOverview *self)
{
  double t = cradle_waveform_overview_x_to_time (self, self->drag_x + dx);

  g_signal_emit (self, signals[SEEK], 0, t - self->grab_offset);
}

static void
cradle_waveform_overview_dispose (GObject *object)
{
  CradleWaveformOverview *self = CRADLE_WAVEFORM_OVERVIEW (object);

  g_clear_pointer (&self->wave, gsk_render_node_unref);
  g_clear_pointer (&self->mins, g_free);
  g_clear_pointer (&self->maxs, g_free);

  G_OBJECT_CLASS (cradle_waveform_overview_parent_class)->dispose (object);
}

static void
cradle_waveform_overview_class_init (CradleWaveformOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_waveform_overview_dispose;
  widget_class->snapshot = cradle_waveform_overview_snapshot;
  widget_class->measure = cradle_waveform_overview_measure;
  widget_class->css_changed = cradle_waveform_overview_css_changed;

  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "waveform-overview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cradle_waveform_overview_init (CradleWaveformOverview *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
cradle_waveform_overview_new (void)
{
  return g_object_new (CRADLE_TYPE_WAVEFORM_OVERVIEW, NULL);
}

void
cradle_waveform_overview_set_peaks (CradleWaveformOverview *self,
                                    const float            *mins,
                                    const float            *maxs,
                                    guint                   n_buckets,
                                    double                  duration)
{
  g_return_if_fail (CRADLE_IS_WAVEFORM_OVERVIEW (self));

  g_clear_pointer (&self->mins, g_free);
  g_clear_pointer (&self->maxs, g_free);
  g_clear_pointer (&self->wave, gsk_render_node_unref);
  if (mins != NULL && maxs != NULL && n_buckets > 0)
    {
      self->mins = g_memdup2 (mins, sizeof (float) * n_buckets);
      self->maxs = g_memdup2 (maxs, sizeof (float) * n_buckets);
      self->n_buckets = n_buckets;
      self->duration = duration;
    }
  else
    {
      self->n_buckets = 0;
      self->duration = 0.0;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_waveform_overview_set_range (CradleWaveformOverview *self,
                                    double                  start,
                                    double                  span)
{
  g_return_if_fail (CRADLE_IS_WAVEFORM_OVERVIEW (self));

  self->start = start;
  self->span = span;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
