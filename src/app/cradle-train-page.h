/* cradle-train-page.h — the Train page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-confusion-view.h"
#include "cradle-curve-view.h"
#include "cradle-importance-view.h"
#include "cradle-model.h"
#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_TRAIN_PAGE (cradle_train_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleTrainPage, cradle_train_page, CRADLE, TRAIN_PAGE, AdwBin)

/* The fewest clips, and babies or groups, each class of a task needs
 * before the page trains. */
#define CRADLE_TRAIN_PAGE_MIN_CLIPS_PER_CLASS  2
#define CRADLE_TRAIN_PAGE_MIN_GROUPS_PER_CLASS 2
/* Threads for features and training (2 shared cores). */
#define CRADLE_TRAIN_PAGE_THREADS 2

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore *cradle_train_page_get_store (CradleTrainPage *self);
void         cradle_train_page_set_store (CradleTrainPage *self,
                                         CradleStore    *store);

/* The choices of the Model group, as the rows set them. */
void         cradle_train_page_set_task  (CradleTrainPage *self,
                                          CradleTask       task);
CradleTask   cradle_train_page_get_task  (CradleTrainPage *self);
void         cradle_train_page_set_kind  (CradleTrainPage *self,
                                          CradleModelKind  kind);
/* Sets a hyperparameter's entry (VALUE NULL: back to its default). */
gboolean     cradle_train_page_set_param (CradleTrainPage *self,
                                          const char      *name,
                                          const char      *value);

/* Is a summary, cross-validation, comparison or fit running? */
gboolean     cradle_train_page_is_busy            (CradleTrainPage *self);
/* Why the page cannot train (the empty state's text), or NULL. */
const char  *cradle_train_page_get_missing        (CradleTrainPage *self);
/* The status line under the buttons (the last result or error). */
const char  *cradle_train_page_get_status         (CradleTrainPage *self);

CradleConfusionView  *cradle_train_page_get_confusion_view  (CradleTrainPage *self);
CradleCurveView      *cradle_train_page_get_roc_view        (CradleTrainPage *self);
CradleCurveView      *cradle_train_page_get_pr_view         (CradleTrainPage *self);
CradleCurveView      *cradle_train_page_get_features_view   (CradleTrainPage *self);
CradleImportanceView *cradle_train_page_get_importance_view (CradleTrainPage *self);
/* The last saved model's own importance (|coefficient|, tree gain). */
CradleImportanceView *cradle_train_page_get_own_importance_view (CradleTrainPage *self);
CradleCurveView      *cradle_train_page_get_loss_view       (CradleTrainPage *self);

/* The recordings listed for the last activated confusion cell (element
 * type gint64), or NULL. (transfer none) */
GArray      *cradle_train_page_get_cell_recordings (CradleTrainPage *self);
/* The recording of the last point clicked in the feature explorer, or 0. */
gint64       cradle_train_page_get_selected_point  (CradleTrainPage *self);
/* Rows of the last comparison (model kinds), 0 before one. */
guint        cradle_train_page_get_n_compared      (CradleTrainPage *self);

/* PLOT is "confusion", "roc", "pr", "features", "importance",
 * "own-importance" (the saved model's), "loss" or "accuracy"; the format
 * follows PATH's extension (.png, .svg, .pdf). */
gboolean     cradle_train_page_export_plot   (CradleTrainPage  *self,
                                              const char       *plot,
                                              const char       *path,
                                              GError          **error);
/* Writes the evaluation into DIR: report.md, metrics.json and a PNG of
 * every plot with data. */
gboolean     cradle_train_page_export_report (CradleTrainPage  *self,
                                              const char       *dir,
                                              GError          **error);
/* Validates the model file PATH, copies it into the dataset's models
 * folder and records it. */
gboolean     cradle_train_page_import_model  (CradleTrainPage  *self,
                                              const char       *path,
                                              GError          **error);

G_END_DECLS
