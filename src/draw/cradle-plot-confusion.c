/* cradle-plot-confusion.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-plot-confusion.h"

#include "cradle-axis.h"

#include <math.h>
#include <pango/pangocairo.h>

#define PAD            8.0
#define LABEL_GAP      6.0
#define AXIS_GAP       4.0
#define COLORBAR_WIDTH 12.0
#define COLORBAR_GAP   16.0

static const CradlePlotStyle *
style_or_default (const CradlePlotStyle *style,
                  CradlePlotStyle       *fallback)
{
  if (style != NULL)
    return style;
  cradle_plot_style_init (fallback);
  return fallback;
}

static double
widest_label (PangoLayout               *layout,
              const CradleConfusionData *data,
              double                    *tallest)
{
  double widest = 0.0;

  *tallest = 0.0;
  for (guint c = 0; c < data->n_classes; c++)
    {
      double w;
      double h;

      cradle_plot_text_size (layout, data->labels[c], &w, &h);
      widest = MAX (widest, w);
      *tallest = MAX (*tallest, h);
    }
  return widest;
}

void
cradle_confusion_layout_compute (CradleConfusionLayout     *layout,
                                 double                     width,
                                 double                     height,
                                 const CradleConfusionData *data,
                                 const CradlePlotStyle     *style)
{
  CradlePlotStyle fallback;
  g_autoptr(PangoLayout) text = NULL;
  g_autoptr(PangoLayout) axis = NULL;
  double label_w;
  double label_h;
  double axis_h;
  double bar_label_w;
  double left;
  double top;
  double avail_w;
  double avail_h;
  double cell;
  guint n;

  g_return_if_fail (layout != NULL && data != NULL && data->n_classes > 0);

  style = style_or_default (style, &fallback);
  n = data->n_classes;
  text = cradle_plot_create_layout (style, 1.0, FALSE);
  axis = cradle_plot_create_layout (style, 1.0, TRUE);
  label_w = widest_label (text, data, &label_h);
  cradle_plot_text_size (axis, "Predicted", NULL, &axis_h);
  cradle_plot_text_size (text, "100\u202f%", &bar_label_w, NULL);

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

  /* Left: the rotated "True class" title, then the row labels. Bottom: the
   * column labels, then "Predicted class". */
  left = PAD + axis_h + AXIS_GAP + label_w + LABEL_GAP;
  top = PAD + layout->title_height;
  avail_w = width - left - PAD - COLORBAR_GAP - COLORBAR_WIDTH - CRADLE_AXIS_TICK_LENGTH
            - CRADLE_AXIS_LABEL_GAP - bar_label_w;
  avail_h = height - top - PAD - axis_h - AXIS_GAP - label_h - LABEL_GAP;
  cell = floor (MIN (avail_w, avail_h) / n);
  if (cell < 1.0)
    cell = 1.0;
  layout->cell_width = cell;
  layout->cell_height = cell;
  /* Centred in the width left over (the grid is square). */
  if (avail_w > cell * n)
    left += floor ((avail_w - cell * n) / 2.0);
  layout->truth_title_x = round (left - LABEL_GAP - label_w - AXIS_GAP - axis_h);
  layout->grid.x = round (left);
  layout->grid.y = round (top);
  layout->grid.width = cell * n;
  layout->grid.height = cell * n;
  layout->colorbar.x = layout->grid.x + layout->grid.width + COLORBAR_GAP;
  layout->colorbar.y = layout->grid.y;
  layout->colorbar.width = COLORBAR_WIDTH;
  layout->colorbar.height = layout->grid.height;
}

void
cradle_confusion_layout_cell (const CradleConfusionLayout *layout,
                              guint                        truth,
                              guint                        predicted,
                              cairo_rectangle_t           *cell)
{
  cell->x = layout->grid.x + predicted * layout->cell_width;
  cell->y = layout->grid.y + truth * layout->cell_height;
  cell->width = layout->cell_width;
  cell->height = layout->cell_height;
}

gboolean
cradle_confusion_layout_hit (const CradleConfusionLayout *layout,
                             const CradleConfusionData   *data,
                             double                       x,
                             double                       y,
                             guint                       *truth,
                             guint                       *predicted)
{
  double col = (x - layout->grid.x) / layout->cell_width;
  double row = (y - layout->grid.y) / layout->cell_height;

  if (col < 0.0 || row < 0.0 || col >= data->n_classes || row >= data->n_classes)
    return FALSE;
  *truth = (guint) row;
  *predicted = (guint) col;
  return TRUE;
}

double
cradle_confusion_row_fraction (const CradleConfusionData *data,
                               guint                      truth,
                               guint                      predicted)
{
  guint64 total = 0;

  for (guint p = 0; p < data->n_classes; p++)
    total += data->counts[(gsize) truth * data->n_classes + p];
  if (total == 0)
    return 0.0;
  return (double) data->counts[(gsize) truth * data->n_classes + predicted] / total;
}

void
cradle_confusion_cell_colors (const CradleConfusionData *data,
                              guint                      truth,
                              guint                      predicted,
                              CradleRGBA                *fill,
                              CradleRGBA                *text)
{
  guint8 rgb[3];

  cradle_colormap_lookup_rgb (CRADLE_COLORMAP_VIRIDIS,
                              (float) cradle_confusion_row_fraction (data, truth, predicted), rgb);
  fill->red = rgb[0] / 255.0;
  fill->green = rgb[1] / 255.0;
  fill->blue = rgb[2] / 255.0;
  fill->alpha = 1.0;
  /* Black text when it contrasts better than white (WCAG contrast ratio). */
  if ((cradle_plot_luminance (fill) + 0.05) / 0.05 >= 1.05 / (cradle_plot_luminance (fill) + 0.05))
    *text = (CradleRGBA) { 0.0, 0.0, 0.0, 1.0 };
  else
    *text = (CradleRGBA) { 1.0, 1.0, 1.0, 1.0 };
}

static void
draw_colorbar (cairo_t                     *cr,
               PangoLayout                 *text,
               const CradleConfusionLayout *layout,
               const CradlePlotStyle       *style)
{
  const cairo_rectangle_t *bar = &layout->colorbar;
  cairo_pattern_t *gradient;
  CradleAxisTick ticks[5];
  char *labels[5] = { NULL };

  if (bar->height < 20.0)
    return;
  gradient = cairo_pattern_create_linear (0, bar->y + bar->height, 0, bar->y);
  for (guint i = 0; i <= 16; i++)
    {
      guint8 rgb[3];

      cradle_colormap_lookup_rgb (CRADLE_COLORMAP_VIRIDIS, i / 16.0f, rgb);
      cairo_pattern_add_color_stop_rgb (gradient, i / 16.0, rgb[0] / 255.0, rgb[1] / 255.0,
                                        rgb[2] / 255.0);
    }
  cairo_rectangle (cr, bar->x, bar->y, bar->width, bar->height);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  for (guint i = 0; i < 5; i++)
    {
      labels[i] = cradle_plot_format_percent (i / 4.0, 0);
      ticks[i].position = i / 4.0;
      ticks[i].label = labels[i];
    }
  cradle_axis_draw_ruler (cr, text, bar, CRADLE_AXIS_EDGE_RIGHT, ticks, 5, &style->foreground);
  for (guint i = 0; i < 5; i++)
    g_free (labels[i]);
}

void
cradle_confusion_render (cairo_t               *cr,
                         double                 width,
                         double                 height,
                         gconstpointer          user_data,
                         const CradlePlotStyle *style)
{
  const CradleConfusionData *data = user_data;
  CradlePlotStyle fallback;
  CradleConfusionLayout layout;
  g_autoptr(PangoLayout) text = NULL;
  g_autoptr(PangoLayout) bold = NULL;
  g_autoptr(PangoLayout) axis = NULL;
  guint n;
  double w;
  double h;

  g_return_if_fail (cr != NULL && data != NULL && data->n_classes > 0);

  style = style_or_default (style, &fallback);
  n = data->n_classes;
  cairo_save (cr);
  cradle_plot_begin (cr, width, height, style);
  cradle_confusion_layout_compute (&layout, width, height, data, style);
  text = cradle_plot_create_layout (style, 1.0, FALSE);
  bold = cradle_plot_create_layout (style, layout.cell_width >= 60 ? 1.15 : 0.9, TRUE);
  axis = cradle_plot_create_layout (style, 1.0, TRUE);

  /* Cells: the count in bold, the row share under it when there is room. */
  for (guint t = 0; t < n; t++)
    for (guint p = 0; p < n; p++)
      {
        cairo_rectangle_t cell;
        CradleRGBA fill;
        CradleRGBA ink;
        guint count = data->counts[(gsize) t * n + p];
        g_autofree char *count_text = g_strdup_printf ("%u", count);
        g_autofree char *share = cradle_plot_format_percent (cradle_confusion_row_fraction (data, t, p), 0);
        double cw;
        double ch;
        double sw = 0.0;
        double sh = 0.0;
        gboolean show_share;

        cradle_confusion_layout_cell (&layout, t, p, &cell);
        cradle_confusion_cell_colors (data, t, p, &fill, &ink);
        cradle_plot_set_color (cr, &fill, 1.0);
        cairo_rectangle (cr, cell.x, cell.y, cell.width, cell.height);
        cairo_fill (cr);

        cradle_plot_text_size (bold, count_text, &cw, &ch);
        cradle_plot_text_size (text, share, &sw, &sh);
        show_share = ch + sh + 4 <= cell.height && sw + 4 <= cell.width;
        cradle_plot_set_color (cr, &ink, 1.0);
        if (cw + 2 <= cell.width && ch + 2 <= cell.height)
          {
            double y = cell.y + (cell.height - (show_share ? ch + sh : ch)) / 2.0;

            cradle_plot_show_text (cr, bold, count_text, cell.x + (cell.width - cw) / 2.0, y);
            if (show_share)
              {
                cradle_plot_set_color (cr, &ink, 0.85);
                cradle_plot_show_text (cr, text, share, cell.x + (cell.width - sw) / 2.0, y + ch);
              }
          }
      }

  /* Cell borders in the background colour, so cells stay apart. */
  if (style->background.alpha > 0.0)
    {
      cradle_plot_set_color (cr, &style->background, 1.0);
      cairo_set_line_width (cr, 1.0);
      for (guint i = 1; i < n; i++)
        {
          cairo_move_to (cr, layout.grid.x + i * layout.cell_width, layout.grid.y);
          cairo_rel_line_to (cr, 0, layout.grid.height);
          cairo_move_to (cr, layout.grid.x, layout.grid.y + i * layout.cell_height);
          cairo_rel_line_to (cr, layout.grid.width, 0);
        }
      cairo_stroke (cr);
    }

  /* The selected cell: a frame in the foreground colour. */
  if (data->selected_truth >= 0 && data->selected_predicted >= 0
      && (guint) data->selected_truth < n && (guint) data->selected_predicted < n)
    {
      cairo_rectangle_t cell;

      cradle_confusion_layout_cell (&layout, data->selected_truth, data->selected_predicted, &cell);
      cairo_set_line_width (cr, 3.0);
      cradle_plot_set_color (cr, &style->foreground, 1.0);
      cairo_rectangle (cr, cell.x + 1.5, cell.y + 1.5, cell.width - 3, cell.height - 3);
      cairo_stroke (cr);
    }

  /* Row labels (truth) right-aligned left of the grid; column labels
   * (predicted) centred under it, ellipsized to the cell width. */
  cradle_plot_set_color (cr, &style->foreground, 1.0);
  for (guint c = 0; c < n; c++)
    {
      cradle_plot_text_size (text, data->labels[c], &w, &h);
      cradle_plot_show_text (cr, text, data->labels[c], layout.grid.x - LABEL_GAP - w,
                             layout.grid.y + (c + 0.5) * layout.cell_height - h / 2.0);
    }
  pango_layout_set_width (text, (int) (layout.cell_width * PANGO_SCALE));
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);
  for (guint c = 0; c < n; c++)
    {
      cradle_plot_text_size (text, data->labels[c], &w, &h);
      cradle_plot_show_text (cr, text, data->labels[c],
                             layout.grid.x + (c + 0.5) * layout.cell_width - w / 2.0,
                             layout.grid.y + layout.grid.height + LABEL_GAP);
    }
  pango_layout_set_width (text, -1);

  /* Axis titles. */
  {
    const char *predicted = data->predicted_title != NULL ? data->predicted_title : "Predicted class";
    const char *truth = data->truth_title != NULL ? data->truth_title : "True class";

    cradle_plot_text_size (axis, predicted, &w, &h);
    cradle_plot_show_text (cr, axis, predicted, layout.grid.x + (layout.grid.width - w) / 2.0,
                           layout.grid.y + layout.grid.height + LABEL_GAP + h + AXIS_GAP);
    cradle_plot_text_size (axis, truth, &w, &h);
    cairo_save (cr);
    cairo_translate (cr, layout.truth_title_x, layout.grid.y + (layout.grid.height + w) / 2.0);
    cairo_rotate (cr, -G_PI / 2.0);
    cradle_plot_show_text (cr, axis, truth, 0, 0);
    cairo_restore (cr);
  }

  draw_colorbar (cr, text, &layout, style);
  cairo_restore (cr);
}
