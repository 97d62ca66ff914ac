/* cradle-model-registry.h — the dataset's models table
 *
 * cradle_trainer_record_model() adds a row when a model is saved; these
 * functions list, rename, activate and delete the rows. At most one model
 * per task is active (the one the monitor uses); activating one clears the
 * flag of the task's others in the same transaction. Models saved by the
 * app live in DIR/models/ (cradle_model_registry_dir()); deleting a row
 * removes its file too when the file is in that folder, after the commit.
 *
 * Like CradleDataset, use from one thread at a time (the dataset's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-dataset.h"

G_BEGIN_DECLS

#define CRADLE_MODEL_REGISTRY_DIR "models"

typedef struct {
  gint64    id;
  char     *name;
  char     *path;          /* absolute */
  char     *task;          /* "detect", "cause" */
  char     *kind;          /* "logreg", … */
  char     *config_hash;
  char     *metrics;       /* nullable: JSON text of the CV metrics */
  char     *dataset_hash;  /* nullable */
  char     *created;       /* ISO 8601 UTC */
  gboolean  active;
} CradleModelEntry;

void              cradle_model_entry_free         (CradleModelEntry *entry);

/* DIR/models, created (0700) when missing. (g_free) */
char             *cradle_model_registry_dir       (CradleDataset    *dataset,
                                                   GError          **error);
/* (element-type CradleModelEntry), newest first. */
GPtrArray        *cradle_model_registry_list      (CradleDataset    *dataset,
                                                   GError          **error);
/* (transfer full) NOT_FOUND when there is no such row. */
CradleModelEntry *cradle_model_registry_get       (CradleDataset    *dataset,
                                                   gint64            id,
                                                   GError          **error);
/* INVALID for an empty name. */
gboolean          cradle_model_registry_rename    (CradleDataset    *dataset,
                                                   gint64            id,
                                                   const char       *name,
                                                   GError          **error);
gboolean          cradle_model_registry_set_active (CradleDataset   *dataset,
                                                    gint64           id,
                                                    GError         **error);
gboolean          cradle_model_registry_delete    (CradleDataset    *dataset,
                                                   gint64            id,
                                                   GError          **error);
/* A macro-F1 read from ENTRY's metrics JSON, or NAN. */
double            cradle_model_entry_macro_f1     (const CradleModelEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleModelEntry, cradle_model_entry_free)

G_END_DECLS
