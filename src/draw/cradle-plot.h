/* cradle-plot.h — what the evaluation plots share: style, text, colours and
 * export to PNG/SVG/PDF
 *
 * Every plot of the Train page (confusion matrix, ROC and precision-recall
 * curves, training curves, the feature explorer, feature importance) is a
 * pure Cairo + Pango function of the form CradlePlotRenderFunc. A GTK
 * widget calls it from its snapshot with the theme's colours and Pango
 * context; cradle_plot_export() calls the same function on a PNG, SVG or
 * PDF surface. Axes and ticks come from cradle-axis.h, like the
 * spectrogram's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

#include "cradle-colormap.h"

G_BEGIN_DECLS

/**
 * CradlePlotStyle:
 * @foreground: text, axes and frames (the theme's foreground colour)
 * @background: fills the whole area first; alpha 0 leaves it as it is
 * @grid: grid lines (the foreground at low alpha by default)
 * @font: (nullable): the labels' font; %NULL is "Sans 10"
 * @pango_context: (nullable): measures and shapes text; a widget passes
 *   gtk_widget_get_pango_context(). %NULL: the default font map at 96 dpi,
 *   without metric hinting, alike for every file format.
 * @title: (nullable): drawn centred above the plot
 *
 * Initialise with cradle_plot_style_init() (black on white), then change
 * fields.
 */
typedef struct {
  CradleRGBA                  foreground;
  CradleRGBA                  background;
  CradleRGBA                  grid;
  const PangoFontDescription *font;
  PangoContext               *pango_context;
  const char                 *title;
} CradlePlotStyle;

void cradle_plot_style_init (CradlePlotStyle *style);

/* Draws DATA into (0, 0, WIDTH, HEIGHT) of CR's user space. STYLE is never
 * NULL when called through cradle_plot_export(). */
typedef void (*CradlePlotRenderFunc) (cairo_t               *cr,
                                      double                 width,
                                      double                 height,
                                      gconstpointer          data,
                                      const CradlePlotStyle *style);

/* Draws WIDTH × HEIGHT with RENDER into PATH: PNG (pixels), SVG (px) or PDF
 * (points), chosen by PATH's extension, any case. Written to a temporary
 * name beside PATH and renamed into place when complete, so on error PATH
 * is untouched. STYLE nullable (black on white). Errors are
 * CRADLE_DRAW_ERROR (cradle-spectrogram-render.h) and name the file. */
gboolean cradle_plot_export (const char             *path,
                             int                     width,
                             int                     height,
                             CradlePlotRenderFunc    render,
                             gconstpointer           data,
                             const CradlePlotStyle  *style,
                             GError                **error);

/* ---- Helpers for the render functions ------------------------------------ */

/* A layout for STYLE's font (FONT_SCALE × its size, bold when BOLD) on
 * STYLE's Pango context (or the default one). (transfer full) */
PangoLayout *cradle_plot_create_layout (const CradlePlotStyle *style,
                                        double                 font_scale,
                                        gboolean               bold);
/* Pixel width and height of TEXT in LAYOUT (its text is changed). */
void         cradle_plot_text_size     (PangoLayout           *layout,
                                        const char            *text,
                                        double                *width,
                                        double                *height);
/* Draws TEXT with its top-left corner at X, Y. */
void         cradle_plot_show_text     (cairo_t               *cr,
                                        PangoLayout           *layout,
                                        const char            *text,
                                        double                 x,
                                        double                 y);
/* Fills the background and draws the title; returns the title's height
 * (plus its gap), 0 without a title. */
double       cradle_plot_begin         (cairo_t               *cr,
                                        double                 width,
                                        double                 height,
                                        const CradlePlotStyle *style);
void         cradle_plot_set_color     (cairo_t               *cr,
                                        const CradleRGBA      *color,
                                        double                 alpha_scale);

/* The categorical colour of series INDEX (repeats after 8): Adwaita's
 * palette, mid tones that read on light and dark backgrounds. */
void         cradle_plot_series_color  (guint                  index,
                                        CradleRGBA            *color);
/* Relative luminance (0 black … 1 white) of COLOR, for choosing text over
 * a filled cell. */
double       cradle_plot_luminance     (const CradleRGBA      *color);

/* Formats a fraction as "42 %" (no decimals) or with DECIMALS. (g_free) */
char        *cradle_plot_format_percent (double                fraction,
                                         guint                 decimals);

G_END_DECLS
