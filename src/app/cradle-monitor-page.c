/* cradle-monitor-page.c — the Monitor page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-monitor-page.h"

struct _CradleMonitorPage
{
  AdwBin       parent_instance;

  CradleStore *store;
};

G_DEFINE_FINAL_TYPE (CradleMonitorPage, cradle_monitor_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cradle_monitor_page_dispose (GObject *object)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_MONITOR_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cradle_monitor_page_parent_class)->dispose (object);
}

static void
cradle_monitor_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_monitor_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cradle_monitor_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_monitor_page_class_init (CradleMonitorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_monitor_page_dispose;
  object_class->get_property = cradle_monitor_page_get_property;
  object_class->set_property = cradle_monitor_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-monitor-page.ui");
}

static void
cradle_monitor_page_init (CradleMonitorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CradleStore *
cradle_monitor_page_get_store (CradleMonitorPage *self)
{
  g_return_val_if_fail (CRADLE_IS_MONITOR_PAGE (self), NULL);

  return self->store;
}

void
cradle_monitor_page_set_store (CradleMonitorPage *self,
                            CradleStore    *store)
{
  g_return_if_fail (CRADLE_IS_MONITOR_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

