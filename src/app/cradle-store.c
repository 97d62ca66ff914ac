/* cradle-store.c — the open dataset, shared by the window's pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-store.h"

struct _CradleStore
{
  GObject        parent_instance;

  CradleDataset *dataset;
  char          *dir;
};

G_DEFINE_FINAL_TYPE (CradleStore, cradle_store, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cradle_store_finalize (GObject *object)
{
  CradleStore *self = CRADLE_STORE (object);

  g_clear_pointer (&self->dataset, cradle_dataset_free);
  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (cradle_store_parent_class)->finalize (object);
}

static void
cradle_store_class_init (CradleStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cradle_store_finalize;

  /**
   * CradleStore::changed:
   * @self: the store
   * @what: #CradleStoreChange flags
   *
   * The dataset changed; views showing WHAT reload it.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
cradle_store_init (CradleStore *self)
{
}

/**
 * cradle_store_open:
 * @dir: a dataset folder; created with the default vocabulary when missing
 * @error: the dataset's error (it names the folder or database)
 *
 * Returns: (transfer full) (nullable): the store
 */
CradleStore *
cradle_store_open (const char  *dir,
                   GError     **error)
{
  g_autoptr(CradleStore) self = NULL;
  CradleDataset *dataset;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dataset = cradle_dataset_open (dir, error);
  if (dataset == NULL)
    return NULL;

  self = g_object_new (CRADLE_TYPE_STORE, NULL);
  self->dataset = dataset;
  self->dir = g_strdup (cradle_dataset_get_dir (dataset));

  return g_steal_pointer (&self);
}

const char *
cradle_store_get_dir (CradleStore *self)
{
  g_return_val_if_fail (CRADLE_IS_STORE (self), NULL);

  return self->dir;
}

CradleDataset *
cradle_store_get_dataset (CradleStore *self)
{
  g_return_val_if_fail (CRADLE_IS_STORE (self), NULL);

  return self->dataset;
}

void
cradle_store_emit_changed (CradleStore       *self,
                           CradleStoreChange  what)
{
  g_return_if_fail (CRADLE_IS_STORE (self));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, (guint) what);
}
