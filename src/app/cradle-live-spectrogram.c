/* cradle-live-spectrogram.c — the Monitor page's scrolling spectrogram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cradle-colormap.h"
#include "cradle-live-spectrogram.h"

/* Seconds shown, and the dB range mapped onto the colour map. The monitor's
 * columns are power_to_db of the mel power of samples in [-1, 1]: room tone
 * sits near −40 dB, a loud cry near +20 dB. */
#define SPAN_SECONDS 20.0
#define DB_MIN       (-70.0f)
#define DB_MAX       30.0f

typedef struct {
  double time;
  float  p_cry;
  float  ema;
} Point;

struct _CradleLiveSpectrogram
{
  GtkWidget        parent_instance;

  cairo_surface_t *image;        /* capacity × n_bands, used as a ring */
  guint            capacity;     /* columns */
  guint            n_bands;
  double           column_seconds;
  double           top_hz;
  guint64          n_columns;    /* received since the reset */
  double           latest_time;  /* of the newest column */
  GArray          *points;       /* Point, oldest first */
  double           threshold;
};

G_DEFINE_FINAL_TYPE (CradleLiveSpectrogram, cradle_live_spectrogram, GTK_TYPE_WIDGET)

static void
cradle_live_spectrogram_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    {
      *minimum = 160;
      *natural = 220;
    }
}

static void
draw_text (CradleLiveSpectrogram *self,
           cairo_t               *cr,
           const char            *text,
           double                 x,
           double                 y,
           double                 align)  /* 0 left, 0.5 centre, 1 right of X */
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int w, h;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, &w, &h);
  x -= align * w;
  /* White on a dark halo, legible on every colour of the map. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_move_to (cr, x + 1, y + 1);
  pango_cairo_show_layout (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
time_to_x (CradleLiveSpectrogram *self,
           double                 time,
           double                 width)
{
  double span = self->capacity > 0 ? self->capacity * self->column_seconds : SPAN_SECONDS;

  return width * (1.0 - (self->latest_time - time) / span);
}

static void
draw_probability (CradleLiveSpectrogram *self,
                  cairo_t               *cr,
                  double                 width,
                  double                 height)
{
  static const double dash[] = { 6.0, 4.0 };
  double ty = height * (1.0 - self->threshold);
  g_autofree char *label = NULL;

  /* The threshold. */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  cairo_set_source_rgba (cr, 1.0, 0.47, 0.0, 0.95);
  cairo_move_to (cr, 0, ty);
  cairo_line_to (cr, width, ty);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* Translators: the alert threshold drawn over the live spectrogram. */
  label = g_strdup_printf (_("Threshold %.2f"), self->threshold);
  draw_text (self, cr, label, 6, ty < 40 ? ty + 4 : ty - 20, 0.0);

  if (self->points->len == 0)
    return;
  /* P(cry) of each window, thin; its EMA, which raises alerts, thick. */
  for (int pass = 0; pass < 2; pass++)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < self->points->len; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);
          double x = time_to_x (self, p->time, width);
          double y = height * (1.0 - (pass == 0 ? p->p_cry : p->ema));

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      if (pass == 0)
        {
          cairo_set_line_width (cr, 1.0);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.45);
        }
      else
        {
          cairo_set_line_width (cr, 2.5);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
        }
      cairo_stroke (cr);
    }
}

static void
cradle_live_spectrogram_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  CradleLiveSpectrogram *self = CRADLE_LIVE_SPECTROGRAM (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  const guint8 *low = cradle_colormap_get_table (CRADLE_COLORMAP_VIRIDIS);
  g_autofree char *top = NULL;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Silence's colour under the image, so columns not yet heard look quiet. */
  cairo_set_source_rgb (cr, low[0] / 255.0, low[1] / 255.0, low[2] / 255.0);
  cairo_paint (cr);

  if (self->image != NULL && self->n_columns > 0)
    {
      cairo_pattern_t *pattern;
      guint oldest = (guint) (self->n_columns % self->capacity);
      cairo_matrix_t m;

      /* The ring repeats; offsetting it by the oldest column makes the
       * newest land at the right edge. */
      pattern = cairo_pattern_create_for_surface (self->image);
      cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
      cairo_matrix_init_scale (&m, self->capacity / width, self->n_bands / height);
      m.x0 = oldest;
      cairo_pattern_set_matrix (pattern, &m);
      cairo_set_source (cr, pattern);
      if (self->n_columns < self->capacity)
        cairo_rectangle (cr, width * (1.0 - (double) self->n_columns / self->capacity), 0, width,
                         height);
      else
        cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);
    }

  draw_probability (self, cr, width, height);

  /* Rulers: P(cry) on the left, time along the bottom, the top band's
   * frequency. */
  draw_text (self, cr, _("P(cry) 1"), 6, 4, 0.0);
  draw_text (self, cr, "0", 6, height - 20, 0.0);
  draw_text (self, cr, _("now"), width - 6, height - 20, 1.0);
  {
    /* Translators: seconds before now on the live spectrogram's time axis. */
    g_autofree char *past = g_strdup_printf (_("−%.0f s"), SPAN_SECONDS / 2);

    draw_text (self, cr, past, width / 2, height - 20, 0.5);
  }
  if (self->top_hz > 0)
    {
      /* Translators: the highest frequency shown, in kilohertz. */
      top = g_strdup_printf (_("%.1f kHz"), self->top_hz / 1000.0);
      draw_text (self, cr, top, width / 2, 4, 0.5);
    }
  if (self->n_columns == 0)
    draw_text (self, cr, _("Not listening"), width / 2, height / 2 - 8, 0.5);

  cairo_destroy (cr);
}

static void
cradle_live_spectrogram_finalize (GObject *object)
{
  CradleLiveSpectrogram *self = CRADLE_LIVE_SPECTROGRAM (object);

  g_clear_pointer (&self->image, cairo_surface_destroy);
  g_array_unref (self->points);

  G_OBJECT_CLASS (cradle_live_spectrogram_parent_class)->finalize (object);
}

static void
cradle_live_spectrogram_class_init (CradleLiveSpectrogramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cradle_live_spectrogram_finalize;
  widget_class->measure = cradle_live_spectrogram_measure;
  widget_class->snapshot = cradle_live_spectrogram_snapshot;
  gtk_widget_class_set_css_name (widget_class, "cradle-live-spectrogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cradle_live_spectrogram_init (CradleLiveSpectrogram *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->threshold = 0.5;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
}

GtkWidget *
cradle_live_spectrogram_new (void)
{
  return g_object_new (CRADLE_TYPE_LIVE_SPECTROGRAM, NULL);
}

void
cradle_live_spectrogram_reset (CradleLiveSpectrogram *self)
{
  g_return_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self));

  g_clear_pointer (&self->image, cairo_surface_destroy);
  self->capacity = 0;
  self->n_columns = 0;
  self->latest_time = 0;
  self->top_hz = 0;
  g_array_set_size (self->points, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_live_spectrogram_add_columns (CradleLiveSpectrogram *self,
                                     double                 time,
                                     const float           *columns,
                                     guint                  n_columns,
                                     guint                  n_bands,
                                     double                 column_seconds,
                                     const float           *band_hz)
{
  guchar *data;
  int stride;

  g_return_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self));
  g_return_if_fail (n_bands > 0 && column_seconds > 0);

  if (self->image == NULL || self->n_bands != n_bands
      || fabs (self->column_seconds - column_seconds) > 1e-9)
    {
      g_clear_pointer (&self->image, cairo_surface_destroy);
      self->n_bands = n_bands;
      self->column_seconds = column_seconds;
      self->capacity = (guint) ceil (SPAN_SECONDS / column_seconds);
      self->n_columns = 0;
      self->image
          = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) self->capacity, (int) n_bands);
      {
        /* Columns not yet heard are silence's colour, also where the
         * filter blends the newest column with the oldest. */
        const guint8 *low = cradle_colormap_get_table (CRADLE_COLORMAP_VIRIDIS);
        cairo_t *cr = cairo_create (self->image);

        cairo_set_source_rgb (cr, low[0] / 255.0, low[1] / 255.0, low[2] / 255.0);
        cairo_paint (cr);
        cairo_destroy (cr);
      }
    }
  self->top_hz = band_hz != NULL ? band_hz[n_bands - 1] : 0;

  cairo_surface_flush (self->image);
  data = cairo_image_surface_get_data (self->image);
  stride = cairo_image_surface_get_stride (self->image);
  for (guint c = 0; c < n_columns; c++)
    {
      guint x = (guint) (self->n_columns % self->capacity);

      for (guint b = 0; b < n_bands; b++)
        {
          float t = (columns[(gsize) c * n_bands + b] - DB_MIN) / (DB_MAX - DB_MIN);
          guint32 rgb = cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, t);
          /* Low frequencies at the bottom. */
          guint32 *row = (guint32 *) (data + (gsize) (n_bands - 1 - b) * stride);

          row[x] = rgb;
        }
      self->n_columns++;
    }
  cairo_surface_mark_dirty (self->image);
  self->latest_time = time + (n_columns > 0 ? (n_columns - 1) * column_seconds : 0);

  /* Forget probabilities that scrolled out. */
  {
    guint drop = 0;

    while (drop < self->points->len
           && g_array_index (self->points, Point, drop).time
                  < self->latest_time - SPAN_SECONDS - 1.0)
      drop++;
    if (drop > 0)
      g_array_remove_range (self->points, 0, drop);
  }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_live_spectrogram_add_probability (CradleLiveSpectrogram *self,
                                         double                 time,
                                         float                  p_cry,
                                         float                  ema)
{
  Point p = { time, CLAMP (p_cry, 0.0f, 1.0f), CLAMP (ema, 0.0f, 1.0f) };

  g_return_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self));

  if (self->points->len > 0
      && g_array_index (self->points, Point, self->points->len - 1).time >= time)
    return;
  g_array_append_val (self->points, p);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cradle_live_spectrogram_set_threshold (CradleLiveSpectrogram *self,
                                       double                 threshold)
{
  g_return_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self));

  self->threshold = CLAMP (threshold, 0.0, 1.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cradle_live_spectrogram_get_threshold (CradleLiveSpectrogram *self)
{
  g_return_val_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self), 0.0);

  return self->threshold;
}

guint64
cradle_live_spectrogram_get_n_columns (CradleLiveSpectrogram *self)
{
  g_return_val_if_fail (CRADLE_IS_LIVE_SPECTROGRAM (self), 0);

  return self->n_columns;
}
