/* cradle-train-page.c — the Train page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-train-page.h"

struct _CradleTrainPage
{
  AdwBin       parent_instance;

  CradleStore *store;
};

G_DEFINE_FINAL_TYPE (CradleTrainPage, cradle_train_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cradle_train_page_dispose (GObject *object)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_TRAIN_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cradle_train_page_parent_class)->dispose (object);
}

static void
cradle_train_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (object);

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
cradle_train_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cradle_train_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_train_page_class_init (CradleTrainPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_train_page_dispose;
  object_class->get_property = cradle_train_page_get_property;
  object_class->set_property = cradle_train_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-train-page.ui");
}

static void
cradle_train_page_init (CradleTrainPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CradleStore *
cradle_train_page_get_store (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->store;
}

void
cradle_train_page_set_store (CradleTrainPage *self,
                            CradleStore    *store)
{
  g_return_if_fail (CRADLE_IS_TRAIN_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

