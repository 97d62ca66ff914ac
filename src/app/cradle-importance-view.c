/* cradle-importance-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-importance-view.h"
#include "cradle-plot-curves.h"

struct _CradleImportanceView
{
  CradlePlotView  parent_instance;

  CradleBarsData  data;
  char          **names;
  double         *values;
  char           *x_title;
};

G_DEFINE_FINAL_TYPE (CradleImportanceView, cradle_importance_view, CRADLE_TYPE_PLOT_VIEW)

static CradlePlotRenderFunc
cradle_importance_view_get_render (CradlePlotView *view,
                                   gconstpointer  *data)
{
  CradleImportanceView *self = CRADLE_IMPORTANCE_VIEW (view);

  if (self->values == NULL || self->data.n == 0)
    return NULL;
  *data = &self->data;
  return cradle_bars_render;
}

static void
cradle_importance_view_finalize (GObject *object)
{
  CradleImportanceView *self = CRADLE_IMPORTANCE_VIEW (object);

  g_strfreev (self->names);
  g_free (self->values);
  g_free (self->x_title);

  G_OBJECT_CLASS (cradle_importance_view_parent_class)->finalize (object);
}

static void
cradle_importance_view_class_init (CradleImportanceViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cradle_importance_view_finalize;
  CRADLE_PLOT_VIEW_CLASS (klass)->get_render = cradle_importance_view_get_render;
}

static void
cradle_importance_view_init (CradleImportanceView *self)
{
}

GtkWidget *
cradle_importance_view_new (void)
{
  return g_object_new (CRADLE_TYPE_IMPORTANCE_VIEW, NULL);
}

void
cradle_importance_view_set (CradleImportanceView *self,
                            const char * const   *names,
                            const float          *values,
                            guint                 n,
                            guint                 top,
                            const char           *x_title)
{
  g_autofree guint *order = NULL;
  guint shown;

  g_return_if_fail (CRADLE_IS_IMPORTANCE_VIEW (self));

  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  g_free (self->x_title);
  self->x_title = g_strdup (x_title);
  self->data.n = 0;
  if (values != NULL && n > 0)
    {
      /* Partial selection sort: the TOP largest, largest first. */
      order = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        order[i] = i;
      shown = MIN (top, n);
      for (guint a = 0; a < shown; a++)
        for (guint b = a + 1; b < n; b++)
          if (values[order[b]] > values[order[a]])
            {
              guint t = order[a];

              order[a] = order[b];
              order[b] = t;
            }
      self->names = g_new0 (char *, shown + 1);
      self->values = g_new (double, shown);
      for (guint i = 0; i < shown; i++)
        {
          self->names[i] = g_strdup (names[order[i]]);
          self->values[i] = values[order[i]];
        }
      self->data.n = shown;
      self->data.names = (const char * const *) self->names;
      self->data.values = self->values;
      self->data.x_title = self->x_title;
    }
  cradle_plot_view_invalidate (CRADLE_PLOT_VIEW (self));
}

guint
cradle_importance_view_get (CradleImportanceView *self,
                            const char * const  **names,
                            const double        **values)
{
  g_return_val_if_fail (CRADLE_IS_IMPORTANCE_VIEW (self), 0);

  if (names != NULL)
    *names = (const char * const *) self->names;
  if (values != NULL)
    *values = self->values;
  return self->data.n;
}
