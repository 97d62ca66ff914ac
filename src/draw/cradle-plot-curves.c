/* cradle-plot-curves.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-plot-curves.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "cradle-axis.h"

#define PAD          8.0
#define AXIS_GAP     4.0
#define MIN_TICK_GAP 48.0
#define MARKER_R     3.0
#define LEGEND_PAD   6.0
#define LEGEND_LINE  18.0

static const CradlePlotStyle *
style_or_default (const CradlePlotStyle *style,
                  CradlePlotStyle       *fallback)
{
  if (style != NULL)
    return style;
  cradle_plot_style_init (fallback);
  return fallback;
}

static guint
decimals_for_step (double step)
{
  double d = -floor (log10 (step) + 1e-9);

  return (guint) CLAMP (d, 0.0, 6.0);
}

static char *
format_tick (double value,
             double step)
{
  guint decimals = decimals_for_step (step);

  /* Step 0.25 needs two decimals, not one. */
  if (fabs (step * pow (10, decimals) - round (step * pow (10, decimals))) > 1e-6)
    decimals++;
  if (fabs (value) < step * 1e-9)
    value = 0.0;
  return g_strdup_printf ("%.*f", (int) decimals, value);
}

static void
resolve_range (const CradleXyData *data,
               gboolean            is_x,
               double             *lo,
               double             *hi)
{
  double min = is_x ? data->x_min : data->y_min;
  double max = is_x ? data->x_max : data->y_max;
  double margin;

  if (max > min)
    {
      *lo = min;
      *hi = max;
      return;
    }
  min = INFINITY;
  max = -INFINITY;
  for (guint s = 0; s < data->n_series; s++)
    for (guint i = 0; i < data->series[s].n; i++)
      {
        double v = is_x ? data->series[s].x[i] : data->series[s].y[i];

        if (isfinite (v))
          {
            min = MIN (min, v);
            max = MAX (max, v);
          }
      }
  if (!isfinite (min))
    {
      min = 0.0;
      max = 1.0;
    }
  if (max - min < 1e-12)
    {
      min -= 0.5;
      max += 0.5;
    }
  margin = (max - min) * 0.05;
  *lo = min - margin;
  *hi = max + margin;
}

void
cradle_xy_layout_compute (CradleXyLayout        *layout,
                          double                 width,
                          double                 height,
                          const CradleXyData    *data,
                          const CradlePlotStyle *style)
{
  CradlePlotStyle fallback;
  g_autoptr(PangoLayout) text = NULL;
  double text_h;
  double y_label_w = 0.0;
  double left;
  double bottom;
  double plot_h;
  g_autofree double *ticks = NULL;
  guint n_ticks = 0;

  g_return_if_fail (layout != NULL && data != NULL);

  style = style_or_default (style, &fallback);
  text = cradle_plot_create_layout (style, 1.0, FALSE);
  cradle_plot_text_size (text, "0.0", NULL, &text_h);

  layout->width = width;
  layout->height = height;
  layout->title_height = 0.0;
  if (style->title != NULL && style->title[0] != '\0')
    {
      g_autoptr(PangoLayout) title = cradle_plot_create_layout (style, 1.2, TRUE);
      double th;

      cradle_plot_text_size (title, style->title, NULL, &th);
      layout->title_height = th + 6.0;
    }
  resolve_range (data, TRUE, &layout->x_min, &layout->x_max);
  resolve_range (data, FALSE, &layout->y_min, &layout->y_max);

  bottom = PAD + CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + text_h
           + (data->x_title != NULL ? AXIS_GAP + text_h : 0.0);
  plot_h = MAX (height - PAD - layout->title_height - bottom, 10.0);
  layout->y_step = cradle_axis_nice_step (layout->y_max - layout->y_min, plot_h, text_h * 2.2);
  ticks = cradle_axis_ticks (layout->y_min, layout->y_max, layout->y_step, &n_ticks);
  for (guint i = 0; i < n_ticks; i++)
    {
      g_autofree char *label = format_tick (ticks[i], layout->y_step);
      double w;

      cradle_plot_text_size (text, label, &w, NULL);
      y_label_w = MAX (y_label_w, w);
    }
  left = PAD + (data->y_title != NULL ? text_h + AXIS_GAP : 0.0) + y_label_w
         + CRADLE_AXIS_LABEL_GAP + CRADLE_AXIS_TICK_LENGTH;
  layout->plot.x = round (left);
  layout->plot.y = round (PAD + layout->title_height);
  layout->plot.width = MAX (round (width - left - PAD * 2), 10.0);
  layout->plot.height = round (plot_h);
  layout->x_step = cradle_axis_nice_step (layout->x_max - layout->x_min, layout->plot.width,
                                          MIN_TICK_GAP);
}

double
cradle_xy_layout_x_to_px (const CradleXyLayout *layout,
                          double                x)
{
  return layout->plot.x + (x - layout->x_min) / (layout->x_max - layout->x_min) * layout->plot.width;
}

double
cradle_xy_layout_y_to_px (const CradleXyLayout *layout,
                          double                y)
{
  return layout->plot.y + layout->plot.height
         - (y - layout->y_min) / (layout->y_max - layout->y_min) * layout->plot.height;
}

gboolean
cradle_xy_layout_nearest (const CradleXyLayout *layout,
                          const CradleXyData   *data,
                          double                px,
                          double                py,
                          double                max_distance,
                          int                   only_series,
                          guint                *series,
                          guint                *index)
{
  double best = max_distance * max_distance;
  gboolean found = FALSE;

  for (guint s = 0; s < data->n_series; s++)
    {
      if (only_series >= 0 && (guint) only_series != s)
        continue;
      for (guint i = 0; i < data->series[s].n; i++)
        {
          double dx = cradle_xy_layout_x_to_px (layout, data->series[s].x[i]) - px;
          double dy = cradle_xy_layout_y_to_px (layout, data->series[s].y[i]) - py;
          double d = dx * dx + dy * dy;

          if (d <= best)
            {
              best = d;
              *series = s;
              *index = i;
              found = TRUE;
            }
        }
    }
  return found;
}

static void
draw_axes (cairo_t               *cr,
           PangoLayout           *text,
           const CradleXyLayout  *layout,
           const CradleXyData    *data,
           const CradlePlotStyle *style)
{
  const cairo_rectangle_t *plot = &layout->plot;
  guint nx = 0;
  guint ny = 0;
  g_autofree double *xt = cradle_axis_ticks (layout->x_min, layout->x_max, layout->x_step, &nx);
  g_autofree double *yt = cradle_axis_ticks (layout->y_min, layout->y_max, layout->y_step, &ny);
  g_autofree CradleAxisTick *ticks = g_new0 (CradleAxisTick, MAX (nx, ny) + 1);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double text_h;

  /* Grid lines at the ticks. */
  cairo_set_line_width (cr, 1.0);
  cradle_plot_set_color (cr, &style->grid, 1.0);
  for (guint i = 0; i < nx; i++)
    {
      double x = floor (cradle_xy_layout_x_to_px (layout, xt[i])) + 0.5;

      cairo_move_to (cr, x, plot->y);
      cairo_line_to (cr, x, plot->y + plot->height);
    }
  for (guint i = 0; i < ny; i++)
    {
      double y = floor (cradle_xy_layout_y_to_px (layout, yt[i])) + 0.5;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->width, y);
    }
  cairo_stroke (cr);

  cradle_plot_set_color (cr, &style->foreground, 0.6);
  cairo_rectangle (cr, plot->x + 0.5, plot->y + 0.5, plot->width - 1, plot->height - 1);
  cairo_stroke (cr);

  for (guint i = 0; i < nx; i++)
    {
      char *label = format_tick (xt[i], layout->x_step);

      g_ptr_array_add (labels, label);
      ticks[i].position = (xt[i] - layout->x_min) / (layout->x_max - layout->x_min);
      ticks[i].label = label;
    }
  cradle_axis_draw_ruler (cr, text, plot, CRADLE_AXIS_EDGE_BOTTOM, ticks, nx, &style->foreground);
  for (guint i = 0; i < ny; i++)
    {
      char *label = format_tick (yt[i], layout->y_step);

      g_ptr_array_add (labels, label);
      ticks[i].position = (yt[i] - layout->y_min) / (layout->y_max - layout->y_min);
      ticks[i].label = label;
    }
  cradle_axis_draw_ruler (cr, text, plot, CRADLE_AXIS_EDGE_LEFT, ticks, ny, &style->foreground);

  cradle_plot_text_size (text, "0.0", NULL, &text_h);
  cradle_plot_set_color (cr, &style->foreground, 1.0);
  if (data->x_title != NULL)
    {
      double w;

      cradle_plot_text_size (text, data->x_title, &w, NULL);
      cradle_plot_show_text (cr, text, data->x_title, plot->x + (plot->width - w) / 2.0,
                             plot->y + plot->height + CRADLE_AXIS_TICK_LENGTH
                             + CRADLE_AXIS_LABEL_GAP + text_h + AXIS_GAP);
    }
  if (data->y_title != NULL)
    {
      double w;

      cradle_plot_text_size (text, data->y_title, &w, NULL);
      cairo_save (cr);
      cairo_translate (cr, PAD, plot->y + (plot->height + w) / 2.0);
      cairo_rotate (cr, -G_PI / 2.0);
      cradle_plot_show_text (cr, text, data->y_title, 0, 0);
      cairo_restore (cr);
    }
}

static void
draw_legend (cairo_t               *cr,
             PangoLayout           *text,
             const CradleXyLayout  *layout,
             const CradleXyData    *data,
             const CradlePlotStyle *style)
{
  double w = 0.0;
  double line_h = 0.0;
  guint n = 0;
  double box_w;
  double box_h;
  double x;
  double y;

  if (data->legend == CRADLE_XY_LEGEND_NONE)
    return;
  for (guint s = 0; s < data->n_series; s++)
    if (data->series[s].name != NULL)
      {
        double tw;
        double th;

        cradle_plot_text_size (text, data->series[s].name, &tw, &th);
        w = MAX (w, tw);
        line_h = MAX (line_h, th);
        n++;
      }
  if (n == 0)
    return;
  box_w = LEGEND_PAD * 3 + LEGEND_LINE + w;
  box_h = LEGEND_PAD * 2 + n * line_h;
  x = data->legend == CRADLE_XY_LEGEND_BOTTOM_LEFT ? layout->plot.x + LEGEND_PAD
                                                     : layout->plot.x + layout->plot.width - box_w - LEGEND_PAD;
  y = data->legend == CRADLE_XY_LEGEND_TOP_RIGHT ? layout->plot.y + LEGEND_PAD
                                                   : layout->plot.y + layout->plot.height - box_h - LEGEND_PAD;
  x = round (x);
  y = round (y);

  if (style->background.alpha > 0.0)
    {
      cradle_plot_set_color (cr, &style->background, 0.85);
      cairo_rectangle (cr, x, y, box_w, box_h);
      cairo_fill (cr);
    }
  cradle_plot_set_color (cr, &style->foreground, 0.3);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x + 0.5, y + 0.5, box_w - 1, box_h - 1);
  cairo_stroke (cr);

  y += LEGEND_PAD;
  for (guint s = 0; s < data->n_series; s++)
    {
      const CradleXySeries *series = &data->series[s];
      CradleRGBA color;
      double cy;

      if (series->name == NULL)
        continue;
      cradle_plot_series_color (series->color_index, &color);
      cradle_plot_set_color (cr, &color, 1.0);
      cy = y + line_h / 2.0;
      if (series->mode == CRADLE_XY_MARKERS)
        {
          cairo_arc (cr, x + LEGEND_PAD + LEGEND_LINE / 2.0, cy, MARKER_R + 1, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          double dashes[] = { 5.0, 3.0 };

          cairo_set_line_width (cr, 2.0);
          cairo_set_dash (cr, dashes, series->dashed ? 2 : 0, 0);
          cairo_move_to (cr, x + LEGEND_PAD, cy);
          cairo_rel_line_to (cr, LEGEND_LINE, 0);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      cradle_plot_set_color (cr, &style->foreground, 1.0);
      cradle_plot_show_text (cr, text, series->name, x + LEGEND_PAD * 2 + LEGEND_LINE, y);
      y += line_h;
    }
}

void
cradle_xy_render (cairo_t               *cr,
                  double                 width,
                  double                 height,
                  gconstpointer          user_data,
                  const CradlePlotStyle *style)
{
  const CradleXyData *data = user_data;
  CradlePlotStyle fallback;
  CradleXyLayout layout;
  g_autoptr(PangoLayout) text = NULL;

  g_return_if_fail (cr != NULL && data != NULL);

  style = style_or_default (style, &fallback);
  cairo_save (cr);
  cradle_plot_begin (cr, width, height, style);
  cradle_xy_layout_compute (&layout, width, height, data, style);
  text = cradle_plot_create_layout (style, 1.0, FALSE);
  draw_axes (cr, text, &layout, data, style);

  cairo_save (cr);
  cairo_rectangle (cr, layout.plot.x, layout.plot.y, layout.plot.width, layout.plot.height);
  cairo_clip (cr);

  if (data->diagonal)
    {
      double dashes[] = { 4.0, 4.0 };

      cradle_plot_set_color (cr, &style->foreground, 0.45);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_move_to (cr, cradle_xy_layout_x_to_px (&layout, layout.x_min),
                     cradle_xy_layout_y_to_px (&layout, layout.y_min));
      cairo_line_to (cr, cradle_xy_layout_x_to_px (&layout, layout.x_max),
                     cradle_xy_layout_y_to_px (&layout, layout.y_max));
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  for (guint s = 0; s < data->n_series; s++)
    {
      const CradleXySeries *series = &data->series[s];
      CradleRGBA color;
      gboolean started = FALSE;

      cradle_plot_series_color (series->color_index, &color);
      if (series->mode == CRADLE_XY_MARKERS)
        {
          cradle_plot_set_color (cr, &color, 0.8);
          for (guint i = 0; i < series->n; i++)
            {
              if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, cradle_xy_layout_x_to_px (&layout, series->x[i]),
                         cradle_xy_layout_y_to_px (&layout, series->y[i]), MARKER_R, 0, 2 * G_PI);
            }
          cairo_fill (cr);
          continue;
        }

      cradle_plot_set_color (cr, &color, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (series->dashed)
        {
          double dashes[] = { 6.0, 3.0 };

          cairo_set_dash (cr, dashes, 2, 0);
        }
      for (guint i = 0; i < series->n; i++)
        {
          double x;
          double y;

          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            {
              started = FALSE;
              continue;
            }
          x = cradle_xy_layout_x_to_px (&layout, series->x[i]);
          y = cradle_xy_layout_y_to_px (&layout, series->y[i]);
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      /* A single point still shows. */
      if (series->n == 1 && isfinite (series->x[0]) && isfinite (series->y[0]))
        cairo_arc (cr, cradle_xy_layout_x_to_px (&layout, series->x[0]),
                   cradle_xy_layout_y_to_px (&layout, series->y[0]), 2.0, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_restore (cr);

  if (data->has_marker)
    {
      double mx = cradle_xy_layout_x_to_px (&layout, data->marker_x);
      double my = cradle_xy_layout_y_to_px (&layout, data->marker_y);

      cradle_plot_set_color (cr, &style->background, 1.0);
      cairo_arc (cr, mx, my, 6.0, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      cradle_plot_set_color (cr, &style->foreground, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
      if (data->marker_label != NULL)
        {
          double tw;
          double th;
          double tx;
          double ty;

          cradle_plot_text_size (text, data->marker_label, &tw, &th);
          tx = mx + 10.0;
          ty = my - th - 4.0;
          if (tx + tw > layout.plot.x + layout.plot.width)
            tx = mx - 10.0 - tw;
          if (ty < layout.plot.y)
            ty = my + 6.0;
          if (style->background.alpha > 0.0)
            {
              cradle_plot_set_color (cr, &style->background, 0.85);
              cairo_rectangle (cr, tx - 2, ty - 1, tw + 4, th + 2);
              cairo_fill (cr);
            }
          cradle_plot_set_color (cr, &style->foreground, 1.0);
          cradle_plot_show_text (cr, text, data->marker_label, tx, ty);
        }
    }

  draw_legend (cr, text, &layout, data, style);
  cairo_restore (cr);
}

/* ---- Bars -------------------------------------------------------------------- */

void
cradle_bars_render (cairo_t               *cr,
                    double                 width,
                    double                 height,
                    gconstpointer          user_data,
                    const CradlePlotStyle *style)
{
  const CradleBarsData *data = user_data;
  CradlePlotStyle fallback;
  g_autoptr(PangoLayout) text = NULL;
  double top;
  double name_w = 0.0;
  double text_h;
  double lo = 0.0;
  double hi = 0.0;
  double step;
  cairo_rectangle_t plot;
  double bar_h;
  guint n_ticks = 0;
  g_autofree double *ticks = NULL;
  g_autofree CradleAxisTick *axis_ticks = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  CradleRGBA color;

  g_return_if_fail (cr != NULL && data != NULL);

  style = style_or_default (style, &fallback);
  cairo_save (cr);
  top = PAD + cradle_plot_begin (cr, width, height, style);
  text = cradle_plot_create_layout (style, 1.0, FALSE);
  cradle_plot_text_size (text, "0.0", NULL, &text_h);
  for (guint i = 0; i < data->n; i++)
    {
      double w;

      cradle_plot_text_size (text, data->names[i], &w, NULL);
      name_w = MAX (name_w, w);
      if (isfinite (data->values[i]))
        {
          lo = MIN (lo, data->values[i]);
          hi = MAX (hi, data->values[i]);
        }
    }
  if (hi - lo < 1e-12)
    hi = lo + 1.0;
  plot.x = round (PAD + name_w + 6.0);
  plot.y = round (top);
  /* Room on the right for half of the last tick label. */
  plot.width = MAX (width - plot.x - PAD * 3.5, 10.0);
  plot.height = MAX (height - top - PAD - text_h * 2 - CRADLE_AXIS_TICK_LENGTH - 8.0, 10.0);
  step = cradle_axis_nice_step (hi - lo, plot.width, MIN_TICK_GAP);
  lo = floor (lo / step) * step;
  hi = ceil (hi / step) * step;

  ticks = cradle_axis_ticks (lo, hi, step, &n_ticks);
  axis_ticks = g_new0 (CradleAxisTick, n_ticks + 1);
  cradle_plot_set_color (cr, &style->grid, 1.0);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < n_ticks; i++)
    {
      char *label = format_tick (ticks[i], step);
      double x = floor (plot.x + (ticks[i] - lo) / (hi - lo) * plot.width) + 0.5;

      g_ptr_array_add (labels, label);
      axis_ticks[i].position = (ticks[i] - lo) / (hi - lo);
      axis_ticks[i].label = label;
      cairo_move_to (cr, x, plot.y);
      cairo_line_to (cr, x, plot.y + plot.height);
    }
  cairo_stroke (cr);
  cradle_axis_draw_ruler (cr, text, &plot, CRADLE_AXIS_EDGE_BOTTOM, axis_ticks, n_ticks,
                          &style->foreground);

  bar_h = data->n > 0 ? plot.height / data->n : 0.0;
  cradle_plot_series_color (0, &color);
  for (guint i = 0; i < data->n; i++)
    {
      double v = isfinite (data->values[i]) ? data->values[i] : 0.0;
      double x0 = plot.x + (0.0 - lo) / (hi - lo) * plot.width;
      double x1 = plot.x + (v - lo) / (hi - lo) * plot.width;
      double y = plot.y + i * bar_h;
      double w;
      double h;

      cradle_plot_set_color (cr, &color, 1.0);
      cairo_rectangle (cr, MIN (x0, x1), y + bar_h * 0.15, fabs (x1 - x0), bar_h * 0.7);
      cairo_fill (cr);
      cradle_plot_text_size (text, data->names[i], &w, &h);
      if (h <= bar_h + 2)
        {
          cradle_plot_set_color (cr, &style->foreground, 1.0);
          cradle_plot_show_text (cr, text, data->names[i], plot.x - 6.0 - w, y + (bar_h - h) / 2.0);
        }
    }
  /* The zero line. */
  cradle_plot_set_color (cr, &style->foreground, 0.6);
  cairo_move_to (cr, floor (plot.x + (0.0 - lo) / (hi - lo) * plot.width) + 0.5, plot.y);
  cairo_rel_line_to (cr, 0, plot.height);
  cairo_stroke (cr);

  if (data->x_title != NULL)
    {
      double w;

      cradle_plot_text_size (text, data->x_title, &w, NULL);
      cradle_plot_set_color (cr, &style->foreground, 1.0);
      cradle_plot_show_text (cr, text, data->x_title, plot.x + (plot.width - w) / 2.0,
                             plot.y + plot.height + CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP
                             + text_h + 2.0);
    }
  cairo_restore (cr);
}
