/* cradle-spectrogram-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-spectrogram-render.h"
#include "cradle-export.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* Layout, in user units (pixels on screen and in PNGs, px in SVG, points
 * in PDF). */
#define OUTER_PAD        8.0
#define COLORBAR_WIDTH   12.0
#define COLORBAR_GAP     12.0
#define TITLE_GAP        6.0
/* Labels along a ruler are at least this many text heights apart
 * (vertical) or this many text heights wider than the widest (horizontal). */
#define VERTICAL_SPACING   1.8
#define HORIZONTAL_SPACING 1.5
/* The colour bar's dB labels are sparser: it is a legend, not a ruler. */
#define COLORBAR_SPACING   2.5

#define DEFAULT_FONT     "Sans 10"
#define TEXT_DPI         96.0
/* Cairo image surfaces are limited to 32767 pixels a side. */
#define MAX_IMAGE_SIDE   16384

G_DEFINE_QUARK (cradle-draw-error-quark, cradle_draw_error)

void
cradle_spectrogram_style_init (CradleSpectrogramStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->colormap = CRADLE_COLORMAP_VIRIDIS;
  style->db_top = NAN;
  style->db_range = 80.0;
  style->freq_scale = CRADLE_FREQ_SCALE_MEL;
  style->freq_min = 0.0;
  style->freq_max = 0.0;
  style->time_start = 0.0;
  style->time_end = 0.0;
  style->time_interp = CRADLE_SPECTROGRAM_INTERP_LINEAR;
  style->show_axes = TRUE;
  style->show_colorbar = TRUE;
  style->title = NULL;
  style->font = NULL;
  style->foreground = (CradleRGBA) { 0.0, 0.0, 0.0, 1.0 };
  style->background = (CradleRGBA) { 1.0, 1.0, 1.0, 1.0 };
  style->pixel_scale = 0.0;
  style->pango_context = NULL;
}

static const CradleSpectrogramStyle *
style_or_default (const CradleSpectrogramStyle *style,
                  CradleSpectrogramStyle       *storage)
{
  if (style != NULL)
    return style;
  cradle_spectrogram_style_init (storage);
  return storage;
}

static gboolean
data_is_valid (const CradleSpectrogramData *data)
{
  if (data == NULL || data->values == NULL || data->band_hz == NULL)
    return FALSE;
  if (data->n_frames == 0 || data->n_bands == 0)
    return FALSE;
  if (!(data->seconds_per_frame > 0.0) || !isfinite (data->start_time))
    return FALSE;
  for (guint b = 1; b < data->n_bands; b++)
    {
      if (!(data->band_hz[b] > data->band_hz[b - 1]))
        return FALSE;
    }
  return TRUE;
}

/* The frequency range the data covers. */
static void
data_freq_range (const CradleSpectrogramData *data,
                 double                      *fmin,
                 double                      *fmax)
{
  if (data->fmax > data->fmin && isfinite (data->fmin) && isfinite (data->fmax))
    {
      *fmin = data->fmin;
      *fmax = data->fmax;
    }
  else if (data->n_bands > 1)
    {
      *fmin = data->band_hz[0];
      *fmax = data->band_hz[data->n_bands - 1];
    }
  else
    {
      *fmin = data->band_hz[0] - 0.5;
      *fmax = data->band_hz[0] + 0.5;
    }
}

static double
data_max (const CradleSpectrogramData *data)
{
  gsize n = (gsize) data->n_frames * data->n_bands;
  float top = -INFINITY;

  for (gsize i = 0; i < n; i++)
    {
      if (data->values[i] > top && isfinite (data->values[i]))
        top = data->values[i];
    }
  return isfinite (top) ? top : 0.0;
}

/* What STYLE asks to show of DATA: the visible time range, the frequency
 * display mapping and the dB range. */
static void
resolve_ranges (const CradleSpectrogramData  *data,
                const CradleSpectrogramStyle *style,
                double                       *t0,
                double                       *t1,
                CradleFreqAxis               *freq,
                double                       *db_top,
                double                       *db_range)
{
  if (style->time_end > style->time_start && isfinite (style->time_start)
      && isfinite (style->time_end))
    {
      *t0 = style->time_start;
      *t1 = style->time_end;
    }
  else if (data->n_frames > 1)
    {
      *t0 = data->start_time;
      *t1 = data->start_time + (data->n_frames - 1) * data->seconds_per_frame;
    }
  else
    {
      *t0 = data->start_time - data->seconds_per_frame / 2.0;
      *t1 = data->start_time + data->seconds_per_frame / 2.0;
    }

  if (style->freq_max > style->freq_min && isfinite (style->freq_min)
      && isfinite (style->freq_max))
    {
      cradle_freq_axis_init (freq, style->freq_scale, style->freq_min, style->freq_max);
    }
  else
    {
      double fmin;
      double fmax;

      data_freq_range (data, &fmin, &fmax);
      cradle_freq_axis_init (freq, style->freq_scale, fmin, fmax);
    }

  *db_top = isfinite (style->db_top) ? style->db_top : data_max (data);
  *db_range = style->db_range > 0.0 && isfinite (style->db_range) ? style->db_range : 80.0;
}

/* ---- The image --------------------------------------------------------- */

/* How one output row picks its value from the bands: the maximum over
 * B0..B1 (POOL), or B0 + W × (B1 − B0). B0 == G_MAXUINT: no data. */
typedef struct {
  guint    b0;
  guint    b1;
  float    w;
  gboolean pool;
} RowMap;

/* First index of the ascending POS[0..N) that is >= P. */
static guint
lower_bound (const double *pos,
             guint         n,
             double        p)
{
  guint lo = 0;
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (pos[mid] < p)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* COLBUF (band-major, WIDTH columns) gets, for every output column, the
 * value of each band at that column's time. Returns the span of columns
 * that lie over the data in *X_BEGIN .. *X_END. */
static void
fill_columns (const CradleSpectrogramData *data,
              CradleSpectrogramInterp      interp,
              double                       t0,
              double                       t1,
              int                          width,
              float                       *colbuf,
              int                         *x_begin,
              int                         *x_end)
{
  const guint nb = data->n_bands;
  const guint nf = data->n_frames;
  const double dt = (t1 - t0) / width;
  const double frames_per_column = dt / data->seconds_per_frame;

  *x_begin = width;
  *x_end = 0;

  for (int x = 0; x < width; x++)
    {
      double f_lo = (t0 + x * dt - data->start_time) / data->seconds_per_frame;
      double fc = f_lo + frames_per_column / 2.0;
      double a;
      double b;

      if (fc < -0.5 || fc > nf - 0.5)
        continue;
      *x_begin = MIN (*x_begin, x);
      *x_end = x + 1;

      /* Frames whose centres fall inside the column. */
      a = MAX (ceil (f_lo), 0.0);
      b = MIN (ceil (f_lo + frames_per_column) - 1.0, nf - 1.0);

      if (b > a)
        {
          const float *row = data->values + (gsize) a * nb;

          for (guint band = 0; band < nb; band++)
            colbuf[(gsize) band * width + x] = row[band];
          for (guint f = (guint) a + 1; f <= (guint) b; f++)
            {
              row = data->values + (gsize) f * nb;
              for (guint band = 0; band < nb; band++)
                {
                  float *cell = &colbuf[(gsize) band * width + x];

                  if (row[band] > *cell)
                    *cell = row[band];
                }
            }
        }
      else if (interp == CRADLE_SPECTROGRAM_INTERP_NEAREST)
        {
          double f = CLAMP (round (fc), 0.0, nf - 1.0);
          const float *row = data->values + (gsize) f * nb;

          for (guint band = 0; band < nb; band++)
            colbuf[(gsize) band * width + x] = row[band];
        }
      else
        {
          double f = CLAMP (fc, 0.0, nf - 1.0);
          guint i0 = (guint) f;
          guint i1 = MIN (i0 + 1, nf - 1);
          float w = (float) (f - i0);
          const float *r0 = data->values + (gsize) i0 * nb;
          const float *r1 = data->values + (gsize) i1 * nb;

          for (guint band = 0; band < nb; band++)
            colbuf[(gsize) band * width + x] = r0[band] + w * (r1[band] - r0[band]);
        }
    }
}

/* For every output row, which bands it shows: interpolation between band
 * centres in display position (so mel bands on a mel axis blend evenly), or
 * the maximum where several centres fall inside the row. */
static void
map_rows (const CradleSpectrogramData *data,
          const CradleFreqAxis        *freq,
          int                          height,
          RowMap                      *rows)
{
  const guint nb = data->n_bands;
  g_autofree double *band_pos = g_new (double, nb);
  double fmin;
  double fmax;
  double data_lo;
  double data_hi;

  data_freq_range (data, &fmin, &fmax);
  data_lo = cradle_freq_axis_hz_to_pos (freq, fmin);
  data_hi = cradle_freq_axis_hz_to_pos (freq, fmax);
  for (guint b = 0; b < nb; b++)
    band_pos[b] = cradle_freq_axis_hz_to_pos (freq, data->band_hz[b]);

  for (int y = 0; y < height; y++)
    {
      double p_hi = 1.0 - (double) y / height;
      double p_lo = 1.0 - (double) (y + 1) / height;
      double pc = (p_lo + p_hi) / 2.0;
      RowMap *r = &rows[y];
      guint first;
      guint past;

      r->pool = FALSE;
      r->w = 0.0f;
      if (pc < data_lo || pc > data_hi)
        {
          r->b0 = r->b1 = G_MAXUINT;
          continue;
        }

      first = lower_bound (band_pos, nb, p_lo);
      past = lower_bound (band_pos, nb, p_hi);
      if (past >= first + 2)
        {
          r->b0 = first;
          r->b1 = past - 1;
          r->pool = TRUE;
        }
      else if (pc <= band_pos[0])
        {
          r->b0 = r->b1 = 0;
        }
      else if (pc >= band_pos[nb - 1])
        {
          r->b0 = r->b1 = nb - 1;
        }
      else
        {
          guint i = lower_bound (band_pos, nb, pc);

          r->b0 = i - 1;
          r->b1 = i;
          r->w = (float) ((pc - band_pos[i - 1]) / (band_pos[i] - band_pos[i - 1]));
        }
    }
}

static cairo_surface_t *
build_image (const CradleSpectrogramData *data,
             CradleColormap               colormap,
             CradleSpectrogramInterp      interp,
             double                       t0,
             double                       t1,
             const CradleFreqAxis        *freq,
             double                       db_bottom,
             double                       db_range,
             int                          width,
             int                          height)
{
  cairo_surface_t *surface;
  const guint8 *table = cradle_colormap_get_table (colormap);
  guint32 lut[CRADLE_COLORMAP_N_ENTRIES];
  g_autofree float *colbuf = NULL;
  g_autofree float *line = NULL;
  g_autofree RowMap *rows = NULL;
  const float offset = (float) db_bottom;
  const float k = (float) ((CRADLE_COLORMAP_N_ENTRIES - 1) / db_range);
  guchar *pixels;
  int stride;
  int x_begin;
  int x_end;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;

  for (guint i = 0; i < CRADLE_COLORMAP_N_ENTRIES; i++)
    lut[i] = 0xff000000u | ((guint32) table[3 * i] << 16)
             | ((guint32) table[3 * i + 1] << 8) | table[3 * i + 2];

  colbuf = g_new (float, (gsize) width * data->n_bands);
  line = g_new (float, width);
  rows = g_new (RowMap, height);

  fill_columns (data, interp, t0, t1, width, colbuf, &x_begin, &x_end);
  map_rows (data, freq, height, rows);

  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      guint32 *dst = (guint32 *) (gpointer) (pixels + (gsize) y * stride);
      const RowMap *r = &rows[y];

      if (r->b0 == G_MAXUINT || x_begin >= x_end)
        {
          memset (dst, 0, sizeof (guint32) * width);
          continue;
        }
      memset (dst, 0, sizeof (guint32) * x_begin);
      memset (dst + x_end, 0, sizeof (guint32) * (width - x_end));

      if (r->pool)
        {
          memcpy (line + x_begin, colbuf + (gsize) r->b0 * width + x_begin,
                  sizeof (float) * (x_end - x_begin));
          for (guint b = r->b0 + 1; b <= r->b1; b++)
            {
              const float *src = colbuf + (gsize) b * width;

              for (int x = x_begin; x < x_end; x++)
                line[x] = src[x] > line[x] ? src[x] : line[x];
            }
        }
      else
        {
          const float *r0 = colbuf + (gsize) r->b0 * width;
          const float *r1 = colbuf + (gsize) r->b1 * width;
          const float w = r->w;

          for (int x = x_begin; x < x_end; x++)
            line[x] = r0[x] + w * (r1[x] - r0[x]);
        }

      for (int x = x_begin; x < x_end; x++)
        {
          /* As cradle_colormap_index (); NaN gives the bottom colour. */
          float t = (line[x] - offset) * k + 0.5f;
          guint idx;

          if (!(t > 0.0f))
            idx = 0;
          else if (t >= (float) (CRADLE_COLORMAP_N_ENTRIES - 1))
            idx = CRADLE_COLORMAP_N_ENTRIES - 1;
          else
            idx = (guint) t;
          dst[x] = lut[idx];
        }
    }

  cairo_surface_mark_dirty (surface);
  return surface;
}

cairo_surface_t *
cradle_spectrogram_render_image (const CradleSpectrogramData  *data,
                                 const CradleSpectrogramStyle *style,
                                 int                           width_px,
                                 int                           height_px)
{
  CradleSpectrogramStyle defaults;
  CradleFreqAxis freq;
  double t0;
  double t1;
  double db_top;
  double db_range;

  g_return_val_if_fail (data_is_valid (data), NULL);
  g_return_val_if_fail (width_px > 0 && width_px <= 32767, NULL);
  g_return_val_if_fail (height_px > 0 && height_px <= 32767, NULL);

  style = style_or_default (style, &defaults);
  resolve_ranges (data, style, &t0, &t1, &freq, &db_top, &db_range);
  return build_image (data, style->colormap, style->time_interp, t0, t1, &freq,
                      db_top - db_range, db_range, width_px, height_px);
}

/* ---- Layout ------------------------------------------------------------ */

/* The layout plus what the rulers draw. */
typedef struct {
  CradleSpectrogramLayout geom;
  GPtrArray              *strings;     /* owns the labels */
  GArray                 *freq_ticks;  /* CradleAxisTick */
  GArray                 *time_ticks;
  GArray                 *db_ticks;
  double                  text_height;
} Decor;

static void
decor_init (Decor *decor)
{
  memset (decor, 0, sizeof *decor);
  decor->strings = g_ptr_array_new_with_free_func (g_free);
  decor->freq_ticks = g_array_new (FALSE, FALSE, sizeof (CradleAxisTick));
  decor->time_ticks = g_array_new (FALSE, FALSE, sizeof (CradleAxisTick));
  decor->db_ticks = g_array_new (FALSE, FALSE, sizeof (CradleAxisTick));
}

static void
decor_clear (Decor *decor)
{
  g_clear_pointer (&decor->strings, g_ptr_array_unref);
  g_clear_pointer (&decor->freq_ticks, g_array_unref);
  g_clear_pointer (&decor->time_ticks, g_array_unref);
  g_clear_pointer (&decor->db_ticks, g_array_unref);
}

static void
add_tick (Decor  *decor,
          GArray *ticks,
          double  position,
          char   *label)
{
  CradleAxisTick tick = { position, label };

  g_ptr_array_add (decor->strings, label);
  g_array_append_val (ticks, tick);
}

static double
text_width (PangoLayout *layout,
            const char  *text)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

static PangoContext *
create_pango_context (const CradleSpectrogramStyle *style)
{
  PangoContext *context;
  cairo_font_options_t *options;

  if (style->pango_context != NULL)
    return g_object_ref (style->pango_context);

  /* Independent of the target surface, so a PNG, a PDF and the layout
   * computed for hit tests measure text alike. */
  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, TEXT_DPI);
  return context;
}

static PangoLayout *
create_label_layout (PangoContext                 *context,
                     const CradleSpectrogramStyle *style)
{
  PangoLayout *layout = pango_layout_new (context);

  if (style->font != NULL)
    {
      pango_layout_set_font_description (layout, style->font);
    }
  else
    {
      PangoFontDescription *font = pango_font_description_from_string (DEFAULT_FONT);

      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
    }
  return layout;
}

static PangoLayout *
create_title_layout (PangoContext                 *context,
                     const CradleSpectrogramStyle *style,
                     double                        width)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *font = style->font != NULL
                                 ? pango_font_description_copy (style->font)
                                 : pango_font_description_from_string (DEFAULT_FONT);
  int size = pango_font_description_get_size (font);

  if (size > 0)
    {
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * 1.2);
      else
        pango_font_description_set_size (font, (int) (size * 1.2));
    }
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  pango_layout_set_text (layout, style->title, -1);
  pango_layout_set_width (layout, (int) (MAX (width, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

/* Time ticks for a time axis LENGTH long: the step leaves the widest label
 * plus a gap between neighbours. */
static void
layout_time_ticks (Decor       *decor,
                   PangoLayout *layout,
                   double       length)
{
  const CradleSpectrogramLayout *g = &decor->geom;
  double range = g->time_end - g->time_start;
  double max_seconds = MAX (fabs (g->time_start), fabs (g->time_end));
  double gap = HORIZONTAL_SPACING * decor->text_height;
  double step;

  {
    g_autofree char *sample = cradle_axis_format_time (g->time_end, 0.1, max_seconds);

    step = cradle_axis_time_step (range, length, text_width (layout, sample) + gap);
  }

  for (guint attempt = 0; attempt < 4; attempt++)
    {
      g_autofree double *values = NULL;
      guint n = 0;
      double widest = 0.0;

      g_array_set_size (decor->time_ticks, 0);
      values = cradle_axis_ticks (g->time_start, g->time_end, step, &n);
      for (guint i = 0; i < n; i++)
        {
          char *label = cradle_axis_format_time (values[i], step, max_seconds);

          widest = MAX (widest, text_width (layout, label));
          add_tick (decor, decor->time_ticks, (values[i] - g->time_start) / range, label);
        }
      if (step / range * length >= widest + gap)
        break;
      step = cradle_axis_time_step (range, length, widest + gap);
    }
}

static void
compute_decor (Decor                        *decor,
               PangoContext                 *context,
               double                        width,
               double                        height,
               const CradleSpectrogramData  *data,
               const CradleSpectrogramStyle *style)
{
  CradleSpectrogramLayout *g = &decor->geom;
  g_autoptr(PangoLayout) layout = create_label_layout (context, style);
  double db_range;
  double top = 0.0;
  double bottom = 0.0;
  double left = 0.0;
  double right = 0.0;
  double title_height = 0.0;
  double plot_x;
  double plot_y;
  double plot_w;
  double plot_h;
  gboolean axes = style->show_axes;
  gboolean colorbar = axes && style->show_colorbar;

  g->width = width;
  g->height = height;
  resolve_ranges (data, style, &g->time_start, &g->time_end, &g->freq, &g->db_top, &db_range);
  g->db_bottom = g->db_top - db_range;

  {
    PangoRectangle logical;

    pango_layout_set_text (layout, "0123456789 kHz", -1);
    pango_layout_get_pixel_extents (layout, NULL, &logical);
    decor->text_height = MAX (logical.height, 1);
  }

  if (style->title != NULL && style->title[0] != '\0')
    {
      g_autoptr(PangoLayout) title = create_title_layout (context, style, width);
      PangoRectangle logical;

      pango_layout_get_pixel_extents (title, NULL, &logical);
      title_height = logical.height;
    }

  /* Top and bottom first: they fix the plot's height, which fixes the
   * frequency labels, whose width fixes the left margin. */
  if (axes)
    {
      top = OUTER_PAD + decor->text_height / 2.0;
      bottom = OUTER_PAD + CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + decor->text_height;
    }
  if (title_height > 0.0)
    top = OUTER_PAD + title_height + MAX (TITLE_GAP, axes ? decor->text_height / 2.0 + 2.0 : 0.0);

  plot_y = round (top);
  plot_h = MAX (1.0, floor (height - bottom - plot_y));

  if (axes)
    {
      g_autofree double *hz = NULL;
      guint n = 0;

      hz = cradle_freq_axis_ticks (&g->freq, plot_h, VERTICAL_SPACING * decor->text_height, &n);
      for (guint i = 0; i < n; i++)
        add_tick (decor, decor->freq_ticks, cradle_freq_axis_hz_to_pos (&g->freq, hz[i]),
                  cradle_axis_format_hz (hz[i], 0.0));
      left = OUTER_PAD + cradle_axis_ruler_extent (layout, CRADLE_AXIS_EDGE_LEFT,
                                                   (CradleAxisTick *) (gpointer) decor->freq_ticks->data,
                                                   decor->freq_ticks->len);

      if (colorbar)
        {
          g_autofree double *db = NULL;
          double step = cradle_axis_nice_step (db_range, plot_h,
                                               COLORBAR_SPACING * decor->text_height);

          db = cradle_axis_ticks (g->db_bottom, g->db_top, step, &n);
          for (guint i = 0; i < n; i++)
            add_tick (decor, decor->db_ticks, (db[i] - g->db_bottom) / db_range,
                      cradle_axis_format_db (db[i], step));
          right = OUTER_PAD + COLORBAR_GAP + COLORBAR_WIDTH
                  + cradle_axis_ruler_extent (layout, CRADLE_AXIS_EDGE_RIGHT,
                                              (CradleAxisTick *) (gpointer) decor->db_ticks->data,
                                              decor->db_ticks->len);
        }

      /* The time labels at either end are centred on the plot's edges. */
      {
        double max_seconds = MAX (fabs (g->time_start), fabs (g->time_end));
        g_autofree char *first = cradle_axis_format_time (g->time_start, 0.01, max_seconds);
        g_autofree char *last = cradle_axis_format_time (g->time_end, 0.01, max_seconds);

        left = MAX (left, OUTER_PAD + ceil (text_width (layout, first) / 2.0));
        right = MAX (right, OUTER_PAD + ceil (text_width (layout, last) / 2.0));
      }
    }

  plot_x = round (left);
  plot_w = MAX (1.0, floor (width - right - plot_x));
  g->plot = (cairo_rectangle_t) { plot_x, plot_y, plot_w, plot_h };

  if (axes)
    layout_time_ticks (decor, layout, plot_w);

  if (colorbar)
    g->colorbar = (cairo_rectangle_t) { plot_x + plot_w + COLORBAR_GAP, plot_y,
                                        COLORBAR_WIDTH, plot_h };
  else
    g->colorbar = (cairo_rectangle_t) { plot_x + plot_w, plot_y, 0.0, plot_h };

  if (title_height > 0.0)
    {
      if (axes)
        g->title = (cairo_rectangle_t) { plot_x, OUTER_PAD, plot_w, title_height };
      else
        g->title = (cairo_rectangle_t) { 0.0, OUTER_PAD, width, title_height };
    }
  else
    {
      g->title = (cairo_rectangle_t) { plot_x, 0.0, plot_w, 0.0 };
    }
}

void
cradle_spectrogram_layout_compute (CradleSpectrogramLayout      *layout,
                                   double                        width,
                                   double                        height,
                                   const CradleSpectrogramData  *data,
                                   const CradleSpectrogramStyle *style)
{
  CradleSpectrogramStyle defaults;
  PangoContext *context;
  Decor decor;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (data_is_valid (data));

  style = style_or_default (style, &defaults);
  context = create_pango_context (style);
  decor_init (&decor);
  compute_decor (&decor, context, MAX (width, 1.0), MAX (height, 1.0), data, style);
  *layout = decor.geom;
  decor_clear (&decor);
  g_object_unref (context);
}

gboolean
cradle_spectrogram_layout_in_plot (const CradleSpectrogramLayout *layout,
                                   double                         x,
                                   double                         y)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  return x >= layout->plot.x && x < layout->plot.x + layout->plot.width
         && y >= layout->plot.y && y < layout->plot.y + layout->plot.height;
}

double
cradle_spectrogram_layout_x_to_time (const CradleSpectrogramLayout *layout,
                                     double                         x)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return layout->time_start
         + (x - layout->plot.x) / layout->plot.width * (layout->time_end - layout->time_start);
}

double
cradle_spectrogram_layout_time_to_x (const CradleSpectrogramLayout *layout,
                                     double                         seconds)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return layout->plot.x
         + (seconds - layout->time_start) / (layout->time_end - layout->time_start)
             * layout->plot.width;
}

double
cradle_spectrogram_layout_y_to_hz (const CradleSpectrogramLayout *layout,
                                   double                         y)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return cradle_freq_axis_pos_to_hz (&layout->freq,
                                     1.0 - (y - layout->plot.y) / layout->plot.height);
}

double
cradle_spectrogram_layout_hz_to_y (const CradleSpectrogramLayout *layout,
                                   double                         hz)
{
  g_return_val_if_fail (layout != NULL, 0.0);

  return layout->plot.y
         + (1.0 - cradle_freq_axis_hz_to_pos (&layout->freq, hz)) * layout->plot.height;
}

gboolean
cradle_spectrogram_data_value_at (const CradleSpectrogramData *data,
                                  double                       seconds,
                                  double                       hz,
                                  float                       *db)
{
  const guint nb = data != NULL ? data->n_bands : 0;
  double fmin;
  double fmax;
  double f;
  guint i0;
  guint i1;
  double wt;
  guint b0;
  guint b1;
  double wb;
  double v0;
  double v1;

  g_return_val_if_fail (data_is_valid (data), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);

  f = (seconds - data->start_time) / data->seconds_per_frame;
  data_freq_range (data, &fmin, &fmax);
  if (!(f >= -0.5 && f <= data->n_frames - 0.5) || !(hz >= fmin && hz <= fmax))
    return FALSE;

  f = CLAMP (f, 0.0, data->n_frames - 1.0);
  i0 = (guint) f;
  i1 = MIN (i0 + 1, data->n_frames - 1);
  wt = f - i0;

  if (hz <= data->band_hz[0])
    {
      b0 = b1 = 0;
      wb = 0.0;
    }
  else if (hz >= data->band_hz[nb - 1])
    {
      b0 = b1 = nb - 1;
      wb = 0.0;
    }
  else
    {
      b1 = lower_bound (data->band_hz, nb, hz);
      b0 = b1 - 1;
      wb = (hz - data->band_hz[b0]) / (data->band_hz[b1] - data->band_hz[b0]);
    }

  v0 = data->values[(gsize) i0 * nb + b0]
       + wb * (data->values[(gsize) i0 * nb + b1] - data->values[(gsize) i0 * nb + b0]);
  v1 = data->values[(gsize) i1 * nb + b0]
       + wb * (data->values[(gsize) i1 * nb + b1] - data->values[(gsize) i1 * nb + b0]);
  *db = (float) (v0 + wt * (v1 - v0));
  return TRUE;
}

/* ---- Drawing ----------------------------------------------------------- */

static void
set_source (cairo_t          *cr,
            const CradleRGBA *color,
            double            alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* Device pixels per user unit for the image. */
static double
image_scale (cairo_t                      *cr,
             const CradleSpectrogramStyle *style)
{
  double scale;

  if (style->pixel_scale > 0.0)
    {
      scale = style->pixel_scale;
    }
  else
    {
      double dx = 1.0;
      double dy = 0.0;
      double ex = 0.0;
      double ey = 1.0;

      cairo_user_to_device_distance (cr, &dx, &dy);
      cairo_user_to_device_distance (cr, &ex, &ey);
      scale = MAX (hypot (dx, dy), hypot (ex, ey));
    }

  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
      /* Printed or zoomed: more pixels than points. */
      scale = MAX (scale, 2.0);
      break;
    default:
      break;
    }

  if (!isfinite (scale) || scale <= 0.0)
    scale = 1.0;
  return CLAMP (scale, 0.25, 8.0);
}

static void
paint_surface (cairo_t                 *cr,
               cairo_surface_t         *surface,
               const cairo_rectangle_t *rect,
               int                      width_px,
               int                      height_px)
{
  cairo_save (cr);
  cairo_rectangle (cr, rect->x, rect->y, rect->width, rect->height);
  cairo_clip (cr);
  cairo_translate (cr, rect->x, rect->y);
  cairo_scale (cr, rect->width / width_px, rect->height / height_px);
  cairo_set_source_surface (cr, surface, 0.0, 0.0);
  /* PAD, or bilinear filtering fades the edges into transparency. */
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
draw_frame (cairo_t                 *cr,
            const cairo_rectangle_t *rect,
            const CradleRGBA        *color)
{
  cairo_rectangle (cr, rect->x - 0.5, rect->y - 0.5, rect->width + 1.0, rect->height + 1.0);
  cairo_set_line_width (cr, 1.0);
  set_source (cr, color, 0.5);
  cairo_stroke (cr);
}

static void
draw_colorbar (cairo_t                      *cr,
               const CradleSpectrogramStyle *style,
               const cairo_rectangle_t      *rect)
{
  cairo_surface_t *bar;
  const guint8 *table = cradle_colormap_get_table (style->colormap);
  guchar *pixels;
  int stride;

  bar = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, CRADLE_COLORMAP_N_ENTRIES);
  if (cairo_surface_status (bar) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (bar);
      return;
    }
  cairo_surface_flush (bar);
  pixels = cairo_image_surface_get_data (bar);
  stride = cairo_image_surface_get_stride (bar);
  for (int y = 0; y < CRADLE_COLORMAP_N_ENTRIES; y++)
    {
      const guint8 *rgb = table + 3 * (CRADLE_COLORMAP_N_ENTRIES - 1 - y);
      guint32 *dst = (guint32 *) (gpointer) (pixels + (gsize) y * stride);

      *dst = 0xff000000u | ((guint32) rgb[0] << 16) | ((guint32) rgb[1] << 8) | rgb[2];
    }
  cairo_surface_mark_dirty (bar);

  paint_surface (cr, bar, rect, 1, CRADLE_COLORMAP_N_ENTRIES);
  cairo_surface_destroy (bar);
}

static void
render_decor (cairo_t                      *cr,
              PangoContext                 *context,
              const Decor                  *decor,
              const CradleSpectrogramData  *data,
              const CradleSpectrogramStyle *style)
{
  const CradleSpectrogramLayout *g = &decor->geom;
  cairo_surface_t *image;
  double scale = image_scale (cr, style);
  int width_px = (int) CLAMP (ceil (g->plot.width * scale - 1e-6), 1, MAX_IMAGE_SIDE);
  int height_px = (int) CLAMP (ceil (g->plot.height * scale - 1e-6), 1, MAX_IMAGE_SIDE);

  if (style->background.alpha > 0.0)
    {
      cairo_rectangle (cr, 0.0, 0.0, g->width, g->height);
      set_source (cr, &style->background, 1.0);
      cairo_fill (cr);
    }

  image = build_image (data, style->colormap, style->time_interp, g->time_start, g->time_end,
                       &g->freq, g->db_bottom, g->db_top - g->db_bottom, width_px, height_px);
  if (cairo_surface_status (image) == CAIRO_STATUS_SUCCESS)
    paint_surface (cr, image, &g->plot, width_px, height_px);
  else
    g_warning ("Could not draw a %d × %d spectrogram image: %s",
               width_px, height_px, cairo_status_to_string (cairo_surface_status (image)));
  cairo_surface_destroy (image);

  if (style->show_axes)
    {
      g_autoptr(PangoLayout) layout = create_label_layout (context, style);

      draw_frame (cr, &g->plot, &style->foreground);
      cradle_axis_draw_ruler (cr, layout, &g->plot, CRADLE_AXIS_EDGE_LEFT,
                              (const CradleAxisTick *) (gconstpointer) decor->freq_ticks->data,
                              decor->freq_ticks->len, &style->foreground);
      cradle_axis_draw_ruler (cr, layout, &g->plot, CRADLE_AXIS_EDGE_BOTTOM,
                              (const CradleAxisTick *) (gconstpointer) decor->time_ticks->data,
                              decor->time_ticks->len, &style->foreground);

      if (g->colorbar.width > 0.0)
        {
          draw_colorbar (cr, style, &g->colorbar);
          draw_frame (cr, &g->colorbar, &style->foreground);
          cradle_axis_draw_ruler (cr, layout, &g->colorbar, CRADLE_AXIS_EDGE_RIGHT,
                                  (const CradleAxisTick *) (gconstpointer) decor->db_ticks->data,
                                  decor->db_ticks->len, &style->foreground);
        }
    }

  if (g->title.height > 0.0)
    {
      g_autoptr(PangoLayout) title = create_title_layout (context, style, g->title.width);

      set_source (cr, &style->foreground, 1.0);
      cairo_move_to (cr, g->title.x, g->title.y);
      pango_cairo_show_layout (cr, title);
    }
}

void
cradle_spectrogram_render (cairo_t                      *cr,
                           double                        width,
                           double                        height,
                           const CradleSpectrogramData  *data,
                           const CradleSpectrogramStyle *style)
{
  CradleSpectrogramStyle defaults;
  PangoContext *context;
  Decor decor;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (data_is_valid (data));

  if (!(width >= 1.0) || !(height >= 1.0))
    return;

  style = style_or_default (style, &defaults);
  context = create_pango_context (style);
  decor_init (&decor);
  compute_decor (&decor, context, width, height, data, style);

  cairo_save (cr);
  render_decor (cr, context, &decor, data, style);
  cairo_restore (cr);

  decor_clear (&decor);
  g_object_unref (context);
}

/* ---- Export ------------------------------------------------------------ */

typedef struct {
  const CradleSpectrogramData  *data;
  const CradleSpectrogramStyle *style;
} SpectrogramDrawing;

static void
draw_spectrogram (cairo_t  *cr,
                  int       width,
                  int       height,
                  gpointer  user_data)
{
  SpectrogramDrawing *drawing = user_data;

  cradle_spectrogram_render (cr, width, height, drawing->data, drawing->style);
}

gboolean
cradle_spectrogram_export (const char                   *path,
                           int                           width,
                           int                           height,
                           const CradleSpectrogramData  *data,
                           const CradleSpectrogramStyle *style,
                           GError                      **error)
{
  SpectrogramDrawing drawing = { data, style };

  g_return_val_if_fail (data_is_valid (data), FALSE);

  return cradle_draw_export (path, width, height, draw_spectrogram, &drawing, error);
}
