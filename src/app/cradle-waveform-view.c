/* cradle-waveform-view.c — a peak-envelope waveform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cradle-recorder.h"
#include "cradle-waveform-view.h"

struct _CradleWaveformView
{
  GtkWidget  parent_instance;

  GArray    *envelope;  /* (element-type float) */
  guint      rate;
  gsize      preroll;
  gboolean   follow;
};

G_DEFINE_FINAL_TYPE (CradleWaveformView, cradle_waveform_view, GTK_TYPE_WIDGET)

static void
cradle_waveform_view_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  CradleWaveformView *self = CRADLE_WAVEFORM_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double mid = height / 2.0;
  gsize n = self->envelope->len;
  gsize first = 0;
  double x_offset = 0.0;
  double per_pixel;
  double values_shown;
  GdkRGBA fg, accent;
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The zero line. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.2 * fg.alpha);
  cairo_rectangle (cr, 0, floor (mid), width, 1);
  cairo_fill (cr);

  if (n == 0)
    {
      cairo_destroy (cr);
      return;
    }

  if (self->follow)
    {
      values_shown = CRADLE_WAVEFORM_VIEW_FOLLOW_SECONDS * self->rate;
      if (n > values_shown)
        first = n - (gsize) values_shown;
    }
  else
    values_shown = n;
  per_pixel = values_shown / width;
  /* Following, the newest audio is at the right edge from the start. */
  if (self->follow && n < values_shown)
    x_offset = floor ((values_shown - n) / per_pixel);

  /* Columns: a bar per pixel, height on a 60 dB scale so quiet sounds
   * show too; the pre-roll dimmer. */
  for (int x = 0; x + x_offset < width; x++)
    {
      gsize from = first + (gsize) floor (x * per_pixel);
      gsize to = first + (gsize) floor ((x + 1) * per_pixel);
      float peak = 0.0f;
      double h;

      if (from >= n)
        break;
      to = MIN (MAX (to, from + 1), n);
      for (gsize i = from; i < to; i++)
        peak = MAX (peak, g_array_index (self->envelope, float, i));
      h = peak > 0.0f ? CLAMP ((20.0 * log10 (peak) + 60.0) / 60.0, 0.0, 1.0) : 0.0;
      h = MAX (h * (mid - 1.0), 0.5);
      if (from < self->preroll)
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35 * fg.alpha);
      else
        gdk_cairo_set_source_rgba (cr, &accent);
      cairo_rectangle (cr, x + x_offset, mid - h, 1, 2.0 * h);
      cairo_fill (cr);
    }

  /* Where Record was pressed. */
  if (self->preroll > first && self->preroll < n)
    {
      double x = x_offset + round ((self->preroll - first) / per_pixel) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7 * fg.alpha);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x, height);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static void
cradle_waveform_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 100;
      *natural = 400;
    }
  else
    {
      *minimum = 48;
      *natural = 96;
    }
}

static void
cradle_waveform_view_finalize (GObject *object)
{
  CradleWaveformView *self = CRADLE_WAVEFORM_VIEW (object);

  g_clear_pointer (&self->envelope, g_array_unref);

  G_OBJECT_CLASS (cradle_waveform_view_parent_class)->finalize (object);
}

static void
cradle_waveform_view_class_init (CradleWaveformViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cradle_waveform_view_finalize;
  widget_class->snapshot = cradle_waveform_view_snapshot;
  widget_class->measure = cradle_waveform_view_measure;

  gtk_widget_class_set_css_name (widget_class, "waveformview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cradle_waveform_view_init (CradleWaveformView *self)
{
  self->envelope = g_array_new (FALSE, FALSE, sizeof (float));
  self->rate = CRADLE_RECORDER_ENVELOPE_RATE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Waveform"),
                                  -1);
}

GtkWidget *
cradle_waveform_view_new (void)
{
  return g_object_new (CRADLE_TYPE_WAVEFORM_VIEW, NULL);
}

void
cradle_waveform_view_set_envelope (CradleWaveformView *self,
                                   const float        *envelope,
                                   gsize               n,
                                   guint               rate,
                                   gsize               preroll,
                                   gboolean            follow)
{
  g_return_if_fail (CRADLE_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (envelope != NULL || n == 0);
  g_return_if_fail (rate > 0);

  g_array_set_size (self->envelope, 0);
  g_array_append_vals (self->envelope, envelope, n);
  self->rate = rate;
  self->preroll = preroll;
  self->follow = follow;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_waveform_view_set_samples (CradleWaveformView *self,
                                  const float        *samples,
                                  gsize               n_samples,
                                  guint               sample_rate,
                                  double              preroll_seconds)
{
  gsize block;

  g_return_if_fail (CRADLE_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (samples != NULL || n_samples == 0);
  g_return_if_fail (sample_rate >= CRADLE_RECORDER_ENVELOPE_RATE);

  block = sample_rate / CRADLE_RECORDER_ENVELOPE_RATE;
  g_array_set_size (self->envelope, 0);
  for (gsize i = 0; i < n_samples; i += block)
    {
      float peak = 0.0f;

      for (gsize j = i; j < MIN (i + block, n_samples); j++)
        peak = MAX (peak, fabsf (samples[j]));
      g_array_append_val (self->envelope, peak);
    }
  self->rate = CRADLE_RECORDER_ENVELOPE_RATE;
  self->preroll = (gsize) lround (preroll_seconds * CRADLE_RECORDER_ENVELOPE_RATE);
  self->follow = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_waveform_view_clear (CradleWaveformView *self)
{
  g_return_if_fail (CRADLE_IS_WAVEFORM_VIEW (self));

  g_array_set_size (self->envelope, 0);
  self->preroll = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gsize
cradle_waveform_view_get_n_values (CradleWaveformView *self)
{
  g_return_val_if_fail (CRADLE_IS_WAVEFORM_VIEW (self), 0);

  return self->envelope->len;
}
