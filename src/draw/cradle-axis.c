/* cradle-axis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-axis.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>

#include "cradle-mel.h"

/* Gap kept between two labels along a ruler, in pixels. */
#define LABEL_SPACING 4.0
/* The most ticks any axis function returns; far more than fit on a screen. */
#define MAX_TICKS 1000

/* ---- Tick choice ------------------------------------------------------- */

double
cradle_axis_nice_step (double range,
                       double length_px,
                       double min_spacing_px)
{
  static const double multipliers[] = { 1.0, 2.0, 5.0, 10.0 };
  double raw;
  double base;

  g_return_val_if_fail (length_px > 0.0, 1.0);

  range = fabs (range);
  if (!(range > 0.0) || !isfinite (range))
    return 1.0;
  min_spacing_px = MAX (min_spacing_px, 1.0);

  /* The smallest step whose ticks land MIN_SPACING_PX apart. */
  raw = range * min_spacing_px / length_px;
  base = pow (10.0, floor (log10 (raw)));
  for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
    {
      if (multipliers[i] * base >= raw * (1.0 - 1e-9))
        return multipliers[i] * base;
    }
  return 10.0 * base;
}

double
cradle_axis_time_step (double range,
                       double length_px,
                       double min_spacing_px)
{
  static const double clock_steps[] = {
    10, 15, 20, 30,
    60, 120, 300, 600, 900, 1200, 1800,
    3600, 7200, 10800, 21600, 43200, 86400,
  };
  double step;

  g_return_val_if_fail (length_px > 0.0, 1.0);

  step = cradle_axis_nice_step (range, length_px, min_spacing_px);
  if (step < 10.0)
    return step;

  /* Past 10 s, steps that divide minutes and hours. */
  {
    double raw = fabs (range) * MAX (min_spacing_px, 1.0) / length_px;

    for (guint i = 0; i < G_N_ELEMENTS (clock_steps); i++)
      {
        if (clock_steps[i] >= raw * (1.0 - 1e-9))
          return clock_steps[i];
      }
  }
  /* More than a day per tick: whole days, 1-2-5. */
  return 86400.0 * cradle_axis_nice_step (range / 86400.0, length_px, min_spacing_px);
}

double *
cradle_axis_ticks (double  lo,
                   double  hi,
                   double  step,
                   guint  *n_ticks)
{
  g_autoptr(GArray) ticks = g_array_new (FALSE, FALSE, sizeof (double));
  double tolerance;
  double first;
  double last;

  g_return_val_if_fail (n_ticks != NULL, NULL);

  *n_ticks = 0;
  if (!(step > 0.0) || !isfinite (lo) || !isfinite (hi))
    return NULL;
  if (lo > hi)
    {
      double tmp = lo;

      lo = hi;
      hi = tmp;
    }

  tolerance = step * 1e-9;
  first = ceil ((lo - tolerance) / step);
  last = floor ((hi + tolerance) / step);
  for (double k = first; k <= last && ticks->len < MAX_TICKS; k += 1.0)
    {
      /* k * step, not a running sum, so 0.1 steps do not drift. */
      double value = k * step;

      if (fabs (value) < tolerance)
        value = 0.0;
      g_array_append_val (ticks, value);
    }

  *n_ticks = ticks->len;
  return (double *) g_array_free (g_steal_pointer (&ticks), FALSE);
}

/* ---- Labels ------------------------------------------------------------ */

/* The fewest decimals (at most MAX_DECIMALS) that write multiples of STEP
 * exactly: 1 → 0, 0.5 → 1, 0.25 → 2. */
static int
decimals_for_step (double step,
                   int    max_decimals)
{
  double scaled;

  step = fabs (step);
  if (!(step > 0.0) || !isfinite (step))
    return 0;

  scaled = step;
  for (int d = 0; d < max_decimals; d++)
    {
      if (fabs (scaled - round (scaled)) <= 1e-6 * MAX (1.0, scaled))
        return d;
      scaled *= 10.0;
    }
  return max_decimals;
}

/* VALUE with at most MAX_DECIMALS decimals, trailing zeros dropped; the
 * decimal separator is the locale's. */
static char *
format_trimmed (double value,
                int    max_decimals)
{
  double scale = pow (10.0, max_decimals);
  double r = round (value * scale);
  int d = max_decimals;

  while (d > 0 && fmod (r, 10.0) == 0.0)
    {
      r /= 10.0;
      d--;
    }
  return g_strdup_printf ("%.*f", d, value);
}

char *
cradle_axis_format_time (double seconds,
                         double step,
                         double max_seconds)
{
  int decimals = decimals_for_step (step, 6);
  const char *sign = "";
  double scale;
  double total;
  double whole;
  double frac;
  guint64 secs;

  if (!isfinite (seconds))
    return g_strdup ("–");

  if (fabs (max_seconds) < 60.0)
    return g_strdup_printf ("%.*f s", decimals, seconds);

  /* Round once, then split, so 59.96 s at one decimal reads 1:00.0. */
  scale = pow (10.0, decimals);
  total = round (fabs (seconds) * scale);
  if (seconds < 0.0 && total > 0.0)
    sign = "−";
  whole = floor (total / scale);
  frac = total - whole * scale;
  secs = (guint64) whole;

  {
    g_autofree char *fraction = NULL;

    if (decimals > 0)
      fraction = g_strdup_printf (".%0*" G_GUINT64_FORMAT, decimals, (guint64) frac);
    else
      fraction = g_strdup ("");

    if (fabs (max_seconds) < 3600.0)
      return g_strdup_printf ("%s%" G_GUINT64_FORMAT ":%02u%s",
                              sign, secs / 60, (guint) (secs % 60), fraction);

    return g_strdup_printf ("%s%" G_GUINT64_FORMAT ":%02u:%02u%s",
                            sign, secs / 3600, (guint) ((secs / 60) % 60),
                            (guint) (secs % 60), fraction);
  }
}

char *
cradle_axis_format_hz (double hz,
                       double resolution)
{
  g_autofree char *number = NULL;

  if (!isfinite (hz))
    return g_strdup ("–");

  if (fabs (hz) < 999.5)
    {
      int decimals = resolution > 0.0 ? MIN (decimals_for_step (resolution, 6), 1) : 1;

      number = format_trimmed (hz, decimals);
      return g_strdup_printf ("%s Hz", number);
    }
  else
    {
      int decimals = resolution > 0.0 ? MIN (decimals_for_step (resolution / 1000.0, 6), 3) : 3;

      number = format_trimmed (hz / 1000.0, decimals);
      return g_strdup_printf ("%s kHz", number);
    }
}

char *
cradle_axis_format_db (double db,
                       double step)
{
  int decimals = decimals_for_step (step, 3);
  double scale = pow (10.0, decimals);

  if (!isfinite (db))
    return g_strdup ("–");

  /* No "−0 dB". */
  if (round (fabs (db) * scale) == 0.0)
    db = 0.0;
  return g_strdup_printf ("%s%.*f dB", db < 0.0 ? "−" : "", decimals, fabs (db));
}

/* ---- Frequency display scales ----------------------------------------- */

static const char *const freq_scale_names[CRADLE_FREQ_SCALE_N_SCALES] = {
  [CRADLE_FREQ_SCALE_LINEAR] = "linear",
  [CRADLE_FREQ_SCALE_MEL] = "mel",
  [CRADLE_FREQ_SCALE_LOG] = "log",
};

gboolean
cradle_freq_scale_from_string (const char      *name,
                               CradleFreqScale *scale)
{
  g_return_val_if_fail (scale != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (freq_scale_names); i++)
    {
      if (g_ascii_strcasecmp (name, freq_scale_names[i]) == 0)
        {
          *scale = (CradleFreqScale) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
cradle_freq_scale_to_string (CradleFreqScale scale)
{
  if ((guint) scale >= CRADLE_FREQ_SCALE_N_SCALES)
    return NULL;
  return freq_scale_names[scale];
}

static double
warp (CradleFreqScale scale,
      double          hz)
{
  switch (scale)
    {
    case CRADLE_FREQ_SCALE_MEL:
      return cradle_hz_to_mel (hz);
    case CRADLE_FREQ_SCALE_LOG:
      return log2 (MAX (hz, 1e-3));
    case CRADLE_FREQ_SCALE_LINEAR:
    default:
      return hz;
    }
}

static double
unwarp (CradleFreqScale scale,
        double          u)
{
  switch (scale)
    {
    case CRADLE_FREQ_SCALE_MEL:
      return cradle_mel_to_hz (u);
    case CRADLE_FREQ_SCALE_LOG:
      return exp2 (u);
    case CRADLE_FREQ_SCALE_LINEAR:
    default:
      return u;
    }
}

void
cradle_freq_axis_init (CradleFreqAxis  *axis,
                       CradleFreqScale  scale,
                       double           fmin,
                       double           fmax)
{
  g_return_if_fail (axis != NULL);

  if ((guint) scale >= CRADLE_FREQ_SCALE_N_SCALES)
    scale = CRADLE_FREQ_SCALE_LINEAR;
  if (!isfinite (fmin))
    fmin = 0.0;
  if (scale == CRADLE_FREQ_SCALE_LOG)
    fmin = MAX (fmin, CRADLE_FREQ_SCALE_LOG_MIN_HZ);
  /* An empty range cannot be drawn; widen it rather than divide by zero. */
  if (!(fmax > fmin) || !isfinite (fmax))
    fmax = scale == CRADLE_FREQ_SCALE_LOG ? 2.0 * fmin : fmin + 1.0;

  axis->scale = scale;
  axis->fmin = fmin;
  axis->fmax = fmax;
  axis->lo = warp (scale, fmin);
  axis->hi = warp (scale, fmax);
}

double
cradle_freq_axis_hz_to_pos (const CradleFreqAxis *axis,
                            double                hz)
{
  g_return_val_if_fail (axis != NULL, 0.0);

  return (warp (axis->scale, hz) - axis->lo) / (axis->hi - axis->lo);
}

double
cradle_freq_axis_pos_to_hz (const CradleFreqAxis *axis,
                            double                pos)
{
  g_return_val_if_fail (axis != NULL, 0.0);

  return unwarp (axis->scale, axis->lo + pos * (axis->hi - axis->lo));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Whether ACCEPTED plus CANDIDATES (all in Hz) are pairwise at least
 * MIN_SPACING_PX apart on AXIS drawn LENGTH_PX long. */
static gboolean
ticks_fit (const CradleFreqAxis *axis,
           double                length_px,
           double                min_spacing_px,
           const GArray         *accepted,
           const double         *candidates,
           guint                 n_candidates)
{
  g_autoptr(GArray) px = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                            accepted->len + n_candidates);

  for (guint i = 0; i < accepted->len; i++)
    {
      double p = cradle_freq_axis_hz_to_pos (axis, g_array_index (accepted, double, i)) * length_px;

      g_array_append_val (px, p);
    }
  for (guint i = 0; i < n_candidates; i++)
    {
      double p = cradle_freq_axis_hz_to_pos (axis, candidates[i]) * length_px;

      g_array_append_val (px, p);
    }
  g_array_sort (px, compare_doubles);
  for (guint i = 1; i < px->len; i++)
    {
      if (g_array_index (px, double, i) - g_array_index (px, double, i - 1)
          < min_spacing_px - 1e-9)
        return FALSE;
    }
  return TRUE;
}

static double *
warped_ticks (const CradleFreqAxis *axis,
              double                length_px,
              double                min_spacing_px,
              guint                *n_ticks)
{
  /* Per decade (10^k, 10^(k+1)], from the densest choice to the sparsest;
   * 0 ends a list. */
  static const double choices[][10] = {
    { 2, 3, 4, 5, 6, 7, 8, 9, 10, 0 },
    { 2, 4, 6, 8, 10, 0 },
    { 2, 5, 10, 0 },
    { 5, 10, 0 },
    { 10, 0 },
  };
  g_autoptr(GArray) accepted = g_array_new (FALSE, FALSE, sizeof (double));
  double eps = (axis->fmax - axis->fmin) * 1e-9;
  int kmax;
  int kmin;

  if (axis->fmin <= 0.0 && axis->fmax >= 0.0)
    {
      double zero = 0.0;

      g_array_append_val (accepted, zero);
    }

  kmax = (int) floor (log10 (MAX (axis->fmax, 1e-3)));
  if (axis->fmin > 0.0)
    kmin = (int) floor (log10 (axis->fmin)) - 1;
  else
    kmin = MAX (kmax - 8, -3);

  for (int k = kmax; k >= kmin; k--)
    {
      double base = pow (10.0, k);

      for (guint c = 0; c < G_N_ELEMENTS (choices); c++)
        {
          double candidates[10];
          guint n = 0;

          for (guint i = 0; choices[c][i] != 0; i++)
            {
              double hz = choices[c][i] * base;

              if (hz >= axis->fmin - eps && hz <= axis->fmax + eps)
                candidates[n++] = hz;
            }
          if (n == 0)
            break;
          if (ticks_fit (axis, length_px, min_spacing_px, accepted, candidates, n))
            {
              g_array_append_vals (accepted, candidates, n);
              break;
            }
        }
    }

  g_array_sort (accepted, compare_doubles);
  *n_ticks = accepted->len;
  return (double *) g_array_free (g_steal_pointer (&accepted), FALSE);
}

double *
cradle_freq_axis_ticks (const CradleFreqAxis *axis,
                        double                length_px,
                        double                min_spacing_px,
                        guint                *n_ticks)
{
  g_return_val_if_fail (axis != NULL, NULL);
  g_return_val_if_fail (n_ticks != NULL, NULL);

  *n_ticks = 0;
  if (!(length_px > 0.0))
    return NULL;

  if (axis->scale == CRADLE_FREQ_SCALE_LINEAR)
    {
      double step = cradle_axis_nice_step (axis->fmax - axis->fmin, length_px, min_spacing_px);

      return cradle_axis_ticks (axis->fmin, axis->fmax, step, n_ticks);
    }

  return warped_ticks (axis, length_px, MAX (min_spacing_px, 1.0), n_ticks);
}

/* ---- Rulers ------------------------------------------------------------ */

static gboolean
edge_is_vertical (CradleAxisEdge edge)
{
  return edge == CRADLE_AXIS_EDGE_LEFT || edge == CRADLE_AXIS_EDGE_RIGHT;
}

double
cradle_axis_ruler_extent (PangoLayout          *layout,
                          CradleAxisEdge        edge,
                          const CradleAxisTick *ticks,
                          guint                 n_ticks)
{
  double widest = 0.0;

  g_return_val_if_fail (PANGO_IS_LAYOUT (layout), 0.0);
  g_return_val_if_fail (ticks != NULL || n_ticks == 0, 0.0);

  for (guint i = 0; i < n_ticks; i++)
    {
      PangoRectangle logical;

      if (ticks[i].label == NULL)
        continue;
      pango_layout_set_text (layout, ticks[i].label, -1);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      widest = MAX (widest, edge_is_vertical (edge) ? logical.width : logical.height);
    }

  if (widest == 0.0)
    return CRADLE_AXIS_TICK_LENGTH;
  return CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + widest;
}

void
cradle_axis_draw_ruler (cairo_t                 *cr,
                        PangoLayout             *layout,
                        const cairo_rectangle_t *rect,
                        CradleAxisEdge           edge,
                        const CradleAxisTick    *ticks,
                        guint                    n_ticks,
                        const CradleRGBA        *color)
{
  const double reach = CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP;
  gboolean vertical = edge_is_vertical (edge);
  gboolean have_previous = FALSE;
  double previous_lo = 0.0;
  double previous_hi = 0.0;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (PANGO_IS_LAYOUT (layout));
  g_return_if_fail (rect != NULL);
  g_return_if_fail (ticks != NULL || n_ticks == 0);
  g_return_if_fail (color != NULL);

  if (n_ticks == 0)
    return;

  cairo_save (cr);

  /* Tick marks: 1 px lines on pixel centres, inside the edge's span so the
   * ticks at 0 and 1 line up with the plot's first and last pixel. */
  cairo_set_line_width (cr, 1.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint i = 0; i < n_ticks; i++)
    {
      double p = CLAMP (ticks[i].position, 0.0, 1.0);

      if (vertical)
        {
          double y = rect->y + (1.0 - p) * rect->height;
          double x0 = edge == CRADLE_AXIS_EDGE_LEFT ? rect->x : rect->x + rect->width;
          double dx = edge == CRADLE_AXIS_EDGE_LEFT ? -CRADLE_AXIS_TICK_LENGTH
                                                    : CRADLE_AXIS_TICK_LENGTH;

          y = CLAMP (floor (y), rect->y, rect->y + rect->height - 1.0) + 0.5;
          cairo_move_to (cr, x0, y);
          cairo_rel_line_to (cr, dx, 0.0);
        }
      else
        {
          double x = rect->x + p * rect->width;
          double y0 = edge == CRADLE_AXIS_EDGE_TOP ? rect->y : rect->y + rect->height;
          double dy = edge == CRADLE_AXIS_EDGE_TOP ? -CRADLE_AXIS_TICK_LENGTH
                                                   : CRADLE_AXIS_TICK_LENGTH;

          x = CLAMP (floor (x), rect->x, rect->x + rect->width - 1.0) + 0.5;
          cairo_move_to (cr, x, y0);
          cairo_rel_line_to (cr, 0.0, dy);
        }
    }
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.6);
  cairo_stroke (cr);

  /* Labels, centred on their tick; one that would run into the previous
   * label is left out (as sysprof's time ruler does). */
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
  for (guint i = 0; i < n_ticks; i++)
    {
      double p = CLAMP (ticks[i].position, 0.0, 1.0);
      PangoRectangle logical;
      double lx;
      double ly;
      double lo;
      double hi;

      if (ticks[i].label == NULL || ticks[i].label[0] == '\0')
        continue;

      pango_layout_set_text (layout, ticks[i].label, -1);
      pango_layout_get_pixel_extents (layout, NULL, &logical);

      switch (edge)
        {
        case CRADLE_AXIS_EDGE_LEFT:
          lx = rect->x - reach - logical.width;
          ly = rect->y + (1.0 - p) * rect->height - logical.height / 2.0;
          break;
        case CRADLE_AXIS_EDGE_RIGHT:
          lx = rect->x + rect->width + reach;
          ly = rect->y + (1.0 - p) * rect->height - logical.height / 2.0;
          break;
        case CRADLE_AXIS_EDGE_TOP:
          lx = rect->x + p * rect->width - logical.width / 2.0;
          ly = rect->y - reach - logical.height;
          break;
        case CRADLE_AXIS_EDGE_BOTTOM:
        default:
          lx = rect->x + p * rect->width - logical.width / 2.0;
          ly = rect->y + rect->height + reach;
          break;
        }
      lx = round (lx);
      ly = round (ly);

      lo = vertical ? ly : lx;
      hi = lo + (vertical ? logical.height : logical.width);
      if (have_previous && lo < previous_hi + (vertical ? 0.0 : LABEL_SPACING)
          && hi + (vertical ? 0.0 : LABEL_SPACING) > previous_lo)
        continue;

      cairo_move_to (cr, lx - logical.x, ly - logical.y);
      pango_cairo_show_layout (cr, layout);
      have_previous = TRUE;
      previous_lo = lo;
      previous_hi = hi;
    }

  cairo_restore (cr);
}
