/* cradle-level-meter.c — a live input level meter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cradle-level-meter.h"

#define WARN_DB (-6.0)

struct _CradleLevelMeter
{
  GtkWidget parent_instance;

  double    peak_db;
  double    rms_db;
  gboolean  clipping;
};

G_DEFINE_FINAL_TYPE (CradleLevelMeter, cradle_level_meter, GTK_TYPE_WIDGET)

static double
db_to_fraction (double db)
{
  return CLAMP ((db - CRADLE_LEVEL_METER_MIN_DB) / -CRADLE_LEVEL_METER_MIN_DB, 0.0, 1.0);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2.0);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3.0 * G_PI / 2.0);
  cairo_close_path (cr);
}

static void
cradle_level_meter_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CradleLevelMeter *self = CRADLE_LEVEL_METER (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent, warning, error;
  double rms_x, peak_x, warn_x;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  lookup_color (widget, "accent_bg_color", &accent, "#3584e4");
  lookup_color (widget, "warning_bg_color", &warning, "#e5a50a");
  lookup_color (widget, "error_bg_color", &error, "#e01b24");

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The trough. */
  rounded_rectangle (cr, 0, 0, width, height, 6);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.1 * fg.alpha);
  cairo_fill_preserve (cr);
  cairo_clip (cr);

  /* RMS: accent up to -6 dBFS, warning above. */
  rms_x = width * db_to_fraction (self->rms_db);
  warn_x = width * db_to_fraction (WARN_DB);
  cairo_rectangle (cr, 0, 0, MIN (rms_x, warn_x), height);
  gdk_cairo_set_source_rgba (cr, &accent);
  cairo_fill (cr);
  if (rms_x > warn_x)
    {
      cairo_rectangle (cr, warn_x, 0, rms_x - warn_x, height);
      gdk_cairo_set_source_rgba (cr, &warning);
      cairo_fill (cr);
    }

  /* Ticks every 10 dB. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.25 * fg.alpha);
  for (double db = CRADLE_LEVEL_METER_MIN_DB + 10.0; db < 0.0; db += 10.0)
    {
      double x = round (width * db_to_fraction (db)) + 0.5;

      cairo_move_to (cr, x, height * 0.7);
      cairo_line_to (cr, x, height);
    }
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  /* Peak tick. */
  if (self->peak_db > CRADLE_LEVEL_METER_MIN_DB)
    {
      peak_x = width * db_to_fraction (self->peak_db);
      cairo_rectangle (cr, MAX (0.0, peak_x - 3.0), 0, 3.0, height);
      if (self->peak_db >= WARN_DB)
        gdk_cairo_set_source_rgba (cr, self->clipping ? &error : &warning);
      else
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8 * fg.alpha);
      cairo_fill (cr);
    }

  /* Clipping: the last stretch and the outline turn red. */
  if (self->clipping)
    {
      cairo_reset_clip (cr);
      rounded_rectangle (cr, 1.5, 1.5, width - 3.0, height - 3.0, 5);
      gdk_cairo_set_source_rgba (cr, &error);
      cairo_set_line_width (cr, 3.0);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static void
cradle_level_meter_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 400;
    }
  else
    *minimum = *natural = 20;
}

static void
cradle_level_meter_class_init (CradleLevelMeterClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = cradle_level_meter_snapshot;
  widget_class->measure = cradle_level_meter_measure;

  gtk_widget_class_set_css_name (widget_class, "levelmeter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
cradle_level_meter_init (CradleLevelMeter *self)
{
  self->peak_db = self->rms_db = CRADLE_LEVEL_METER_MIN_DB;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Input level"),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, CRADLE_LEVEL_METER_MIN_DB,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, CRADLE_LEVEL_METER_MIN_DB,
                                  -1);
}

GtkWidget *
cradle_level_meter_new (void)
{
  return g_object_new (CRADLE_TYPE_LEVEL_METER, NULL);
}

void
cradle_level_meter_set_levels (CradleLevelMeter *self,
                               double            peak_db,
                               double            rms_db,
                               gboolean          clipping)
{
  g_return_if_fail (CRADLE_IS_LEVEL_METER (self));

  if (self->peak_db == peak_db && self->rms_db == rms_db && self->clipping == !!clipping)
    return;

  self->peak_db = peak_db;
  self->rms_db = rms_db;
  self->clipping = !!clipping;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                  CLAMP (rms_db, CRADLE_LEVEL_METER_MIN_DB, 0.0),
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cradle_level_meter_get_peak_db (CradleLevelMeter *self)
{
  g_return_val_if_fail (CRADLE_IS_LEVEL_METER (self), 0.0);

  return self->peak_db;
}

double
cradle_level_meter_get_rms_db (CradleLevelMeter *self)
{
  g_return_val_if_fail (CRADLE_IS_LEVEL_METER (self), 0.0);

  return self->rms_db;
}

gboolean
cradle_level_meter_get_clipping (CradleLevelMeter *self)
{
  g_return_val_if_fail (CRADLE_IS_LEVEL_METER (self), FALSE);

  return self->clipping;
}
