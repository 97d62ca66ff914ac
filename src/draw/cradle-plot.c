/* cradle-plot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-plot.h"
#include "cradle-export.h"
#include "cradle-spectrogram-render.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define DEFAULT_FONT "Sans 10"
#define TEXT_DPI     96.0
#define TITLE_GAP    6.0
#define OUTER_PAD    8.0

void
cradle_plot_style_init (CradlePlotStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->foreground = (CradleRGBA) { 0.0, 0.0, 0.0, 1.0 };
  style->background = (CradleRGBA) { 1.0, 1.0, 1.0, 1.0 };
  style->grid = (CradleRGBA) { 0.0, 0.0, 0.0, 0.12 };
}

/* ---- Text ------------------------------------------------------------------ */

static PangoContext *
create_context (const CradlePlotStyle *style)
{
  PangoContext *context;
  cairo_font_options_t *options;

  if (style != NULL && style->pango_context != NULL)
    return g_object_ref (style->pango_context);

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, TEXT_DPI);
  return context;
}

PangoLayout *
cradle_plot_create_layout (const CradlePlotStyle *style,
                           double                 font_scale,
                           gboolean               bold)
{
  PangoContext *context = create_context (style);
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *font = style != NULL && style->font != NULL
                                 ? pango_font_description_copy (style->font)
                                 : pango_font_description_from_string (DEFAULT_FONT);
  int size = pango_font_description_get_size (font);

  if (size > 0 && font_scale != 1.0)
    {
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * font_scale);
      else
        pango_font_description_set_size (font, (int) (size * font_scale));
    }
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  g_object_unref (context);
  return layout;
}

void
cradle_plot_text_size (PangoLayout *layout,
                       const char  *text,
                       double      *width,
                       double      *height)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = logical.width;
  if (height != NULL)
    *height = logical.height;
}

void
cradle_plot_show_text (cairo_t     *cr,
                       PangoLayout *layout,
                       const char  *text,
                       double       x,
                       double       y)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (cr, round (x) - logical.x, round (y) - logical.y);
  pango_cairo_show_layout (cr, layout);
}

void
cradle_plot_set_color (cairo_t          *cr,
                       const CradleRGBA *color,
                       double            alpha_scale)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha_scale);
}

double
cradle_plot_begin (cairo_t               *cr,
                   double                 width,
                   double                 height,
                   const CradlePlotStyle *style)
{
  g_autoptr(PangoLayout) layout = NULL;
  double tw;
  double th;

  if (style->background.alpha > 0.0)
    {
      cradle_plot_set_color (cr, &style->background, 1.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }
  if (style->title == NULL || style->title[0] == '\0')
    return 0.0;

  layout = cradle_plot_create_layout (style, 1.2, TRUE);
  pango_layout_set_width (layout, (int) (MAX (width - 2 * OUTER_PAD, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cradle_plot_text_size (layout, style->title, &tw, &th);
  cradle_plot_set_color (cr, &style->foreground, 1.0);
  cairo_move_to (cr, OUTER_PAD, OUTER_PAD);
  pango_cairo_show_layout (cr, layout);
  return th + TITLE_GAP;
}

/* Adwaita's palette, the "3" shades: blue, orange, green, purple, red,
 * yellow-brown, teal-ish light blue, brown. */
static const guint32 palette[] = {
  0x3584e4, 0xff7800, 0x2ec27e, 0x9141ac, 0xe01b24, 0xe5a50a, 0x1a5fb4, 0x986a44,
};

void
cradle_plot_series_color (guint       index,
                          CradleRGBA *color)
{
  guint32 c = palette[index % G_N_ELEMENTS (palette)];

  color->red = ((c >> 16) & 0xff) / 255.0;
  color->green = ((c >> 8) & 0xff) / 255.0;
  color->blue = (c & 0xff) / 255.0;
  color->alpha = 1.0;
}

static double
linear_channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

double
cradle_plot_luminance (const CradleRGBA *color)
{
  return 0.2126 * linear_channel (color->red) + 0.7152 * linear_channel (color->green)
         + 0.0722 * linear_channel (color->blue);
}

char *
cradle_plot_format_percent (double fraction,
                            guint  decimals)
{
  /* A narrow no-break space before the sign, as GNOME writes it. */
  return g_strdup_printf ("%.*f\u202f%%", (int) decimals, fraction * 100.0);
}

/* ---- Export ------------------------------------------------------------------ */

typedef struct {
  CradlePlotRenderFunc   render;
  gconstpointer          data;
  const CradlePlotStyle *style;
} PlotDrawing;

static void
draw_plot (cairo_t  *cr,
           int       width,
           int       height,
           gpointer  user_data)
{
  PlotDrawing *drawing = user_data;

  drawing->render (cr, width, height, drawing->data, drawing->style);
}

gboolean
cradle_plot_export (const char             *path,
                    int                     width,
                    int                     height,
                    CradlePlotRenderFunc    render,
                    gconstpointer           data,
                    const CradlePlotStyle  *style,
                    GError                **error)
{
  CradlePlotStyle default_style;
  PlotDrawing drawing;

  g_return_val_if_fail (render != NULL, FALSE);

  if (style == NULL)
    {
      cradle_plot_style_init (&default_style);
      style = &default_style;
    }
  drawing = (PlotDrawing) { render, data, style };

  return cradle_draw_export (path, width, height, draw_plot, &drawing, error);
}
