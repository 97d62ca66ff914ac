/* cradle-plot-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-plot-view.h"

typedef struct
{
  GskRenderNode *cache;
  int            cache_width;
  int            cache_height;
  GdkRGBA        cache_foreground;
  GdkRGBA        cache_background;
  char          *title;
} CradlePlotViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CradlePlotView, cradle_plot_view, GTK_TYPE_WIDGET)

static CradleRGBA
rgba_from_gdk (const GdkRGBA *c)
{
  return (CradleRGBA) { c->red, c->green, c->blue, c->alpha };
}

static void
theme_colors (CradlePlotView *self,
              GdkRGBA        *foreground,
              GdkRGBA        *background)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, foreground);
  if (!gtk_style_context_lookup_color (context, "view_bg_color", background))
    *background = (GdkRGBA) { 1.0, 1.0, 1.0, 1.0 };
}

void
cradle_plot_view_get_style (CradlePlotView  *self,
                            CradlePlotStyle *style)
{
  GdkRGBA fg;
  GdkRGBA bg;

  g_return_if_fail (CRADLE_IS_PLOT_VIEW (self));

  theme_colors (self, &fg, &bg);
  cradle_plot_style_init (style);
  style->foreground = rgba_from_gdk (&fg);
  style->background = rgba_from_gdk (&bg);
  style->grid = style->foreground;
  style->grid.alpha *= 0.12;
  style->pango_context = gtk_widget_get_pango_context (GTK_WIDGET (self));
}

static void
cradle_plot_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  CradlePlotView *self = CRADLE_PLOT_VIEW (widget);
  CradlePlotViewPrivate *priv = cradle_plot_view_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  GdkRGBA bg;

  if (width <= 0 || height <= 0)
    return;

  theme_colors (self, &fg, &bg);
  if (priv->cache != NULL
      && (priv->cache_width != width || priv->cache_height != height
          || !gdk_rgba_equal (&fg, &priv->cache_foreground) || !gdk_rgba_equal (&bg, &priv->cache_background)))
    g_clear_pointer (&priv->cache, gsk_render_node_unref);

  if (priv->cache == NULL)
    {
      gconstpointer data = NULL;
      CradlePlotRenderFunc render = CRADLE_PLOT_VIEW_GET_CLASS (self)->get_render (self, &data);
      CradlePlotStyle style;
      cairo_t *cr;

      if (render == NULL)
        return;
      cradle_plot_view_get_style (self, &style);
      priv->cache = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, width, height));
      cr = gsk_cairo_node_get_draw_context (priv->cache);
      render (cr, width, height, data, &style);
      cairo_destroy (cr);
      priv->cache_width = width;
      priv->cache_height = height;
      priv->cache_foreground = fg;
      priv->cache_background = bg;
    }
  gtk_snapshot_append_node (snapshot, priv->cache);
}

void
cradle_plot_view_invalidate (CradlePlotView *self)
{
  CradlePlotViewPrivate *priv = cradle_plot_view_get_instance_private (self);

  g_return_if_fail (CRADLE_IS_PLOT_VIEW (self));

  g_clear_pointer (&priv->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
cradle_plot_view_has_data (CradlePlotView *self)
{
  gconstpointer data = NULL;

  g_return_val_if_fail (CRADLE_IS_PLOT_VIEW (self), FALSE);

  return CRADLE_PLOT_VIEW_GET_CLASS (self)->get_render (self, &data) != NULL;
}

void
cradle_plot_view_set_title (CradlePlotView *self,
                            const char     *title)
{
  CradlePlotViewPrivate *priv = cradle_plot_view_get_instance_private (self);

  g_return_if_fail (CRADLE_IS_PLOT_VIEW (self));

  g_free (priv->title);
  priv->title = g_strdup (title);
}

gboolean
cradle_plot_view_export (CradlePlotView  *self,
                         const char      *path,
                         int              width,
                         int              height,
                         GError         **error)
{
  CradlePlotViewPrivate *priv = cradle_plot_view_get_instance_private (self);
  gconstpointer data = NULL;
  CradlePlotRenderFunc render;
  CradlePlotStyle style;

  g_return_val_if_fail (CRADLE_IS_PLOT_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  render = CRADLE_PLOT_VIEW_GET_CLASS (self)->get_render (self, &data);
  if (render == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot export “%s”: the plot has nothing to draw yet", path);
      return FALSE;
    }
  cradle_plot_style_init (&style);
  style.title = priv->title;
  return cradle_plot_export (path, width, height, render, data, &style, error);
}

static CradlePlotRenderFunc
cradle_plot_view_real_get_render (CradlePlotView *self,
                                  gconstpointer  *data)
{
  return NULL;
}

static void
cradle_plot_view_dispose (GObject *object)
{
  GtkWidget *child;

  /* Popovers the page attached (a confusion cell's recordings). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cradle_plot_view_parent_class)->dispose (object);
}

static void
cradle_plot_view_finalize (GObject *object)
{
  CradlePlotViewPrivate *priv = cradle_plot_view_get_instance_private (CRADLE_PLOT_VIEW (object));

  g_clear_pointer (&priv->cache, gsk_render_node_unref);
  g_free (priv->title);

  G_OBJECT_CLASS (cradle_plot_view_parent_class)->finalize (object);
}

static void
cradle_plot_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  /* The cache is checked against the size in snapshot. */
  gtk_widget_queue_draw (widget);
}

static void
cradle_plot_view_class_init (CradlePlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_plot_view_dispose;
  object_class->finalize = cradle_plot_view_finalize;
  widget_class->snapshot = cradle_plot_view_snapshot;
  widget_class->size_allocate = cradle_plot_view_size_allocate;
  klass->get_render = cradle_plot_view_real_get_render;
  gtk_widget_class_set_css_name (widget_class, "plotview");
}

static void
cradle_plot_view_init (CradlePlotView *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}
