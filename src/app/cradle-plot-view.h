/* cradle-plot-view.h — the base of the Train page's plot widgets
 *
 * A CradlePlotView draws through a CradlePlotRenderFunc (src/draw) that
 * its subclass hands out, with the theme's colours and the widget's Pango
 * context, into a cached render node that is rebuilt only when the size,
 * the colours (dark mode) or the data change. The same function writes
 * PNG, SVG and PDF files in cradle_plot_view_export(), black on white, so
 * exported plots read alike whatever the theme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cradle-plot.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_PLOT_VIEW (cradle_plot_view_get_type ())

G_DECLARE_DERIVABLE_TYPE (CradlePlotView, cradle_plot_view, CRADLE, PLOT_VIEW, GtkWidget)

struct _CradlePlotViewClass
{
  GtkWidgetClass parent_class;

  /* The draw function and its data; NULL when there is nothing to draw. */
  CradlePlotRenderFunc (*get_render) (CradlePlotView *self,
                                      gconstpointer  *data);

  gpointer padding[4];
};

/* The data changed: drop the cached drawing and redraw. */
void     cradle_plot_view_invalidate (CradlePlotView  *self);
/* The style the view draws with on screen: the theme's colours. */
void     cradle_plot_view_get_style  (CradlePlotView  *self,
                                      CradlePlotStyle *style);
gboolean cradle_plot_view_has_data   (CradlePlotView  *self);
/* The title written into exported files (nullable). */
void     cradle_plot_view_set_title  (CradlePlotView  *self,
                                      const char      *title);
/* WIDTH × HEIGHT into PATH (.png, .svg or .pdf), black on white. */
gboolean cradle_plot_view_export     (CradlePlotView  *self,
                                      const char      *path,
                                      int              width,
                                      int              height,
                                      GError         **error);

G_END_DECLS
