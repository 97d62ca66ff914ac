/* cradle-train-page-private.h — what the Train page's files share
 *
 * cradle-train-page.c holds the page (data summary, training, results),
 * cradle-train-page-models.c the Saved Models list and its actions, and
 * cradle-train-page-export.c the plot and report exports and the file
 * choosers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "cradle-pca.h"
#include "cradle-train-page.h"
#include "cradle-trainer.h"

G_BEGIN_DECLS

#define CRADLE_TRAIN_PAGE_IMPORTANCE_TOP   20
#define CRADLE_TRAIN_PAGE_EXPORT_WIDTH     900
#define CRADLE_TRAIN_PAGE_EXPORT_HEIGHT    700

/* A finished cross-validation, shared with workers (atomic refcounted). */
typedef struct {
  CradleTask       task;
  CradleModelKind  kind;
  guint32          seed;
  guint            k;
  GHashTable      *params;    /* nullable */
  CradleTaskData  *data;
  CradleCvResult  *cv;
  CradlePca       *pca;       /* nullable: too few clips or no clip vectors */
  JsonNode        *json;      /* cradle_cv_result_to_json with curves, plus the options */
  JsonNode        *model_json; /* the same without curves: stored with a saved model */
} TrainRun;

struct _CradleTrainPage
{
  AdwBin           parent_instance;

  CradleStore     *store;
  gulong           store_changed_id;
  gboolean         disposed;

  /* Work in progress: one job at a time; GENERATION tells stale progress
   * and results apart. */
  GCancellable    *cancellable;
  guint            generation;
  const char      *busy_what;     /* nullable: what runs */
  GCancellable    *summary_cancellable;
  gboolean         summary_again;

  TrainRun        *run;           /* nullable: the results shown */
  GPtrArray       *compared;      /* nullable: (element-type CradleCvResult) of the last comparison */
  char            *missing;       /* nullable: why the task cannot train */
  gboolean         can_train;
  char            *status;
  GPtrArray       *params;        /* (element-type ParamRow) */
  GPtrArray       *param_widgets; /* rows added to the expander */
  GPtrArray       *data_rows;
  GPtrArray       *model_rows;
  GArray          *cell_ids;      /* nullable */
  gint64           point_id;
  guint            epoch;         /* live curves: epochs so far, all folds */
  GtkNativeDialog *chooser;
  char            *chooser_plot;  /* the plot a save chooser exports */
  gint64           chooser_model; /* the model an export chooser copies */

  /* Template widgets */
  AdwComboRow          *task_row;
  AdwComboRow          *kind_row;
  AdwExpanderRow       *params_row;
  GtkSpinButton        *folds_spin;
  GtkSpinButton        *seed_spin;
  GtkSwitch            *compare_cnn_switch;
  AdwPreferencesGroup  *data_group;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkWidget            *curves_box;
  CradleCurveView      *loss_view;
  CradleCurveView      *accuracy_view;
  GtkWidget            *empty_status;
  GtkLabel             *empty_label;
  GtkWidget            *results_box;
  GtkStack             *results_stack;
  GtkBox               *metrics_box;
  CradleConfusionView  *confusion_view;
  GtkLabel             *roc_hint;
  CradleCurveView      *roc_view;
  CradleCurveView      *pr_view;
  CradleCurveView      *features_view;
  GtkLabel             *point_label;
  GtkButton            *point_open_button;
  GtkStack             *importance_stack;
  GtkLabel             *importance_status;
  CradleImportanceView *importance_view;
  GtkWidget            *own_importance_box;
  GtkLabel             *own_importance_label;
  CradleImportanceView *own_importance_view;
  GtkBox               *compare_box;
  AdwPreferencesGroup  *models_group;
  GtkButton            *train_button;
};

/* cradle-train-page.c */
GSettings             *cradle_train_page_settings          (void);
void                   cradle_train_page_toast             (CradleTrainPage      *self,
                                                            const char           *text);
void                   cradle_train_page_error_dialog      (CradleTrainPage      *self,
                                                            const char           *heading,
                                                            const char           *body);
char                  *cradle_train_page_format_score      (double                v);
/* Removes ROWS (and empties the array) from GROUP. */
void                   cradle_train_page_clear_rows        (AdwPreferencesGroup  *group,
                                                            GPtrArray            *rows);

/* cradle-train-page-models.c */
void                   cradle_train_page_refresh_models    (CradleTrainPage      *self);
void                   cradle_train_page_activate_model    (GtkWidget            *widget,
                                                            const char           *action_name,
                                                            GVariant             *parameter);
void                   cradle_train_page_rename_model      (GtkWidget            *widget,
                                                            const char           *action_name,
                                                            GVariant             *parameter);
void                   cradle_train_page_delete_model      (GtkWidget            *widget,
                                                            const char           *action_name,
                                                            GVariant             *parameter);
void                   cradle_train_page_export_model      (GtkWidget            *widget,
                                                            const char           *action_name,
                                                            GVariant             *parameter);
void                   cradle_train_page_import_model_action (GtkWidget          *widget,
                                                              const char         *action_name,
                                                              GVariant           *parameter);

/* cradle-train-page-export.c */
GtkFileChooserNative  *cradle_train_page_new_chooser       (CradleTrainPage      *self,
                                                            const char           *title,
                                                            GtkFileChooserAction  action,
                                                            const char           *accept);
void                   cradle_train_page_close_chooser     (CradleTrainPage      *self);
/* The chosen file (ACCEPT) or NULL; closes the chooser. (transfer full) */
GFile                 *cradle_train_page_chooser_take_file (CradleTrainPage      *self,
                                                            int                   response);
void                   cradle_train_page_export_plot_action (GtkWidget           *widget,
                                                             const char          *action_name,
                                                             GVariant            *parameter);
void                   cradle_train_page_export_report_action (GtkWidget         *widget,
                                                               const char        *action_name,
                                                               GVariant          *parameter);

G_END_DECLS
