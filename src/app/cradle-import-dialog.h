/* cradle-import-dialog.h — importing dropped or chosen files and folders
 *
 * A modal window that imports a list of paths into the store's dataset in a
 * worker thread (its own CradleDataset connection) and shows a progress
 * bar, a Cancel button and then a summary: added, already in the dataset,
 * and every skipped file with its reason. A folder goes through
 * cradle_import_folder() (labels from its sub-folders' names, as
 * `cradle-cli import` does); a single file is added with the label its
 * folder's name gives, else unlabeled, so it can be labelled in the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-import.h"
#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_IMPORT_DIALOG (cradle_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CradleImportDialog, cradle_import_dialog, CRADLE, IMPORT_DIALOG, AdwWindow)

/* PATHS: (element-type filename) files and folders. Starts importing at
 * once; emits ::changed on STORE when done. (transfer none): owned by GTK. */
CradleImportDialog        *cradle_import_dialog_new         (GtkWindow          *parent,
                                                             CradleStore        *store,
                                                             GPtrArray          *paths);
gboolean                   cradle_import_dialog_is_running  (CradleImportDialog *self);
void                       cradle_import_dialog_cancel      (CradleImportDialog *self);
/* (nullable) What was done; NULL while running. */
const CradleImportSummary *cradle_import_dialog_get_summary (CradleImportDialog *self);
/* (nullable) Why the import stopped early (cancelled, folder unreadable). */
const char                *cradle_import_dialog_get_error   (CradleImportDialog *self);

G_END_DECLS
