/* cradle-train-page.c — the Train page of the main window
 *
 * For developers of the models: pick a task, a model type and its
 * hyperparameters, see what the dataset holds for the task (per class
 * clips and babies or groups, the majority baseline), run grouped
 * cross-validation in a worker (progress, cancel, live loss and accuracy
 * for the CNN), then read the results: metrics beside the baseline, the
 * confusion matrix (click a cell for its recordings: open one on the
 * Spectrogram page or relabel it), ROC and precision-recall curves (click
 * the detect model's curve to set the monitor's alert threshold), the
 * feature explorer (PCA of the clip vectors) and permutation importance.
 * Compare All runs every model type on the same folds. Save Model fits on
 * all data in a worker and records the model in the dataset; the Saved
 * Models list activates a model for the monitor (GSettings detect-model /
 * cause-model), renames, deletes, exports and imports model files. Every
 * plot exports to PNG, SVG or PDF, and the whole evaluation to a folder
 * (report.md, metrics.json, plots).
 *
 * Everything numeric is core's: cradle_task_data_load(),
 * cradle_trainer_cross_validate(), cradle_trainer_compare(),
 * cradle_trainer_fit(), cradle_pca_compute(). Workers open their own
 * CradleDataset on the store's folder; the UI thread only draws.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cradle-application.h"
#include "cradle-model-registry.h"
#include "cradle-pca.h"
#include "cradle-plot-confusion.h"
#include "cradle-split.h"
#include "cradle-train-page-private.h"
#include "cradle-trainer.h"

/* Progress of the classical kinds (an update per solver iteration) is
 * passed to the UI at most this often. */
#define PROGRESS_INTERVAL_US (50 * 1000)

static const CradleModelKind all_kinds[] = {
  CRADLE_MODEL_LOGREG, CRADLE_MODEL_SVM, CRADLE_MODEL_RF, CRADLE_MODEL_GBT, CRADLE_MODEL_CNN,
};

/* ---- A finished cross-validation, shared with workers ------------------------ */



static void
train_run_clear (TrainRun *run)
{
  g_clear_pointer (&run->params, g_hash_table_unref);
  g_clear_pointer (&run->data, cradle_task_data_free);
  g_clear_pointer (&run->cv, cradle_cv_result_free);
  g_clear_pointer (&run->pca, cradle_pca_free);
  g_clear_pointer (&run->json, json_node_unref);
  g_clear_pointer (&run->model_json, json_node_unref);
}

static TrainRun *
train_run_ref (TrainRun *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
train_run_unref (TrainRun *run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) train_run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrainRun, train_run_unref)

typedef struct {
  char   *name;
  char   *default_value;
  GtkEditable *entry;
} ParamRow;

static void
param_row_free (ParamRow *row)
{
  g_free (row->name);
  g_free (row->default_value);
  g_free (row);
}

G_DEFINE_FINAL_TYPE (CradleTrainPage, cradle_train_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cradle_train_page_refresh_summary (CradleTrainPage *self);

/* ---- Small helpers ------------------------------------------------------------- */

GSettings *
cradle_train_page_settings (void)
{
  GApplication *app = g_application_get_default ();

  if (app == NULL || !CRADLE_IS_APPLICATION (app))
    return NULL;
  return cradle_application_get_settings (CRADLE_APPLICATION (app));
}

void
cradle_train_page_toast (CradleTrainPage *self,
            const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

void
cradle_train_page_error_dialog (CradleTrainPage *self,
                   const char      *heading,
                   const char      *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_status (CradleTrainPage *self,
            const char      *text)
{
  g_free (self->status);
  self->status = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->status_label, self->status);
}

static CradleModelKind
selected_kind (CradleTrainPage *self)
{
  guint i = adw_combo_row_get_selected (self->kind_row);

  return i < G_N_ELEMENTS (all_kinds) ? all_kinds[i] : CRADLE_MODEL_LOGREG;
}

static CradleTask
selected_task (CradleTrainPage *self)
{
  return adw_combo_row_get_selected (self->task_row) == 1 ? CRADLE_TASK_CAUSE : CRADLE_TASK_DETECT;
}

static guint
selected_folds (CradleTrainPage *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->folds_spin);
}

static void
update_actions (CradleTrainPage *self)
{
  gboolean busy = self->busy_what != NULL;
  gboolean open = self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.start", open && !busy && self->can_train);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.compare", open && !busy && self->can_train);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.save-model",
                                 open && !busy && self->run != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-report", self->run != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-plot",
                                 self->run != NULL || cradle_plot_view_has_data (CRADLE_PLOT_VIEW (self->loss_view)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.import-model", open);
}

/* Starts a job: a new cancellable and generation. */
static GCancellable *
begin_job (CradleTrainPage *self,
           const char      *what)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->busy_what = what;
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  set_status (self, what);
  update_actions (self);
  return self->cancellable;
}

static void
end_job (CradleTrainPage *self)
{
  self->busy_what = NULL;
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  update_actions (self);
}

char *
cradle_train_page_format_score (double v)
{
  return isfinite (v) ? g_strdup_printf ("%.3f", v) : g_strdup ("–");
}

/* ---- Hyperparameters ----------------------------------------------------------- */

static void
rebuild_param_rows (CradleTrainPage *self)
{
  const char * const *help = cradle_classifier_param_help (selected_kind (self));

  for (guint i = 0; i < self->param_widgets->len; i++)
    adw_expander_row_remove (self->params_row, g_ptr_array_index (self->param_widgets, i));
  g_ptr_array_set_size (self->param_widgets, 0);
  g_ptr_array_set_size (self->params, 0);

  for (guint i = 0; help != NULL && help[i] != NULL; i++)
    {
      const char *eq = strchr (help[i], '=');
      const char *colon = eq != NULL ? strstr (eq, ": ") : NULL;
      ParamRow *param;
      GtkWidget *row;
      GtkWidget *entry;

      if (eq == NULL || colon == NULL)
        continue;
      param = g_new0 (ParamRow, 1);
      param->name = g_strndup (help[i], eq - help[i]);
      param->default_value = g_strndup (eq + 1, colon - eq - 1);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), param->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), colon + 2);
      entry = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (entry), param->default_value);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
      gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, param->name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), entry);
      param->entry = GTK_EDITABLE (entry);
      adw_expander_row_add_row (self->params_row, row);
      g_ptr_array_add (self->param_widgets, row);
      g_ptr_array_add (self->params, param);
    }
}

/* The hyperparameters that differ from their defaults, or NULL. */
static GHashTable *
collect_params (CradleTrainPage *self)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *param = g_ptr_array_index (self->params, i);
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (param->entry)));

      if (value[0] != '\0' && !g_str_equal (value, param->default_value))
        g_hash_table_insert (params, g_strdup (param->name), g_steal_pointer (&value));
    }
  return g_hash_table_size (params) > 0 ? g_steal_pointer (&params) : NULL;
}

/* ---- The task's data: summary and what is missing ---------------------------------- */

typedef struct {
  char       *dir;
  CradleTask  task;
  guint       k;
} SummaryJob;

typedef struct {
  CradleTaskData *data;       /* nullable */
  char           *error;      /* nullable: not a NO_DATA error */
  /* Per class name → clips, groups (when DATA is NULL: counted here) */
  GPtrArray      *names;
  GArray         *clips;
  GArray         *groups;
  guint           n_groups;
} SummaryResult;

static void
summary_job_free (SummaryJob *job)
{
  g_free (job->dir);
  g_free (job);
}

static void
summary_result_free (SummaryResult *r)
{
  cradle_task_data_free (r->data);
  g_free (r->error);
  g_ptr_array_unref (r->names);
  g_array_unref (r->clips);
  g_array_unref (r->groups);
  g_free (r);
}

/* Per class counts of confirmed clips and of their groups, as the task
 * would see them, from the recordings themselves (for when the task's data
 * cannot be built). Detect: cry / not-cry; cause: every cry label but
 * "cry". */
static void
count_classes (CradleDataset *dataset,
               CradleTask     task,
               SummaryResult *r)
{
  g_autoptr(GPtrArray) recordings = cradle_dataset_list_recordings (dataset, NULL, NULL);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) group_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) all_groups = g_hash_table_new (g_str_hash, g_str_equal);

  if (task == CRADLE_TASK_DETECT)
    {
      g_ptr_array_add (r->names, g_strdup ("not-cry"));
      g_ptr_array_add (r->names, g_strdup ("cry"));
    }
  for (guint i = 0; i < r->names->len; i++)
    g_hash_table_insert (index, g_ptr_array_index (r->names, i), GUINT_TO_POINTER (i + 1));

  for (guint i = 0; recordings != NULL && i < recordings->len; i++)
    {
      CradleRecording *rec = g_ptr_array_index (recordings, i);
      gboolean is_cry = FALSE;
      const char *cls;
      guint at;

      if (rec->label_status != CRADLE_LABEL_STATUS_CONFIRMED || rec->label == NULL
          || !cradle_dataset_lookup_label (dataset, rec->label, &is_cry))
        continue;
      if (task == CRADLE_TASK_DETECT)
        cls = is_cry ? "cry" : "not-cry";
      else if (is_cry && !g_str_equal (rec->label, "cry"))
        cls = rec->label;
      else
        continue;
      at = GPOINTER_TO_UINT (g_hash_table_lookup (index, cls));
      if (at == 0)
        {
          g_ptr_array_add (r->names, g_strdup (cls));
          at = r->names->len;
          g_hash_table_insert (index, g_ptr_array_index (r->names, at - 1), GUINT_TO_POINTER (at));
        }
      while (group_sets->len < r->names->len)
        g_ptr_array_add (group_sets, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
      while (r->clips->len < r->names->len)
        {
          guint zero = 0;

          g_array_append_val (r->clips, zero);
        }
      g_array_index (r->clips, guint, at - 1)++;
      g_hash_table_add (g_ptr_array_index (group_sets, at - 1), g_strdup (rec->group_key));
      g_hash_table_add (all_groups, rec->group_key);
    }
  while (r->clips->len < r->names->len)
    {
      guint zero = 0;

      g_array_append_val (r->clips, zero);
    }
  for (guint c = 0; c < r->names->len; c++)
    {
      guint n = c < group_sets->len ? g_hash_table_size (g_ptr_array_index (group_sets, c)) : 0;

      g_array_append_val (r->groups, n);
    }
  r->n_groups = g_hash_table_size (all_groups);
}

static void
summary_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SummaryJob *job = task_data;
  SummaryResult *r = g_new0 (SummaryResult, 1);
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  CradleAnalysisConfig config;

  r->names = g_ptr_array_new_with_free_func (g_free);
  r->clips = g_array_new (FALSE, TRUE, sizeof (guint));
  r->groups = g_array_new (FALSE, TRUE, sizeof (guint));
  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL)
    {
      r->error = g_strdup (error->message);
      g_task_return_pointer (task, r, (GDestroyNotify) summary_result_free);
      return;
    }
  cradle_trainer_default_config (&config);
  r->data = cradle_task_data_load (dataset, job->task, &config, FALSE, FALSE, 1, cancellable, &error);
  if (r->data != NULL)
    {
      for (guint c = 0; c < r->data->n_classes; c++)
        {
          g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
          guint clips = 0;
          guint n_groups;

          for (guint i = 0; i < r->data->n; i++)
            if (r->data->y[i] == c)
              {
                clips++;
                g_hash_table_add (groups, r->data->groups[i]);
              }
          n_groups = g_hash_table_size (groups);
          g_ptr_array_add (r->names, g_strdup (r->data->classes[c]));
          g_array_append_val (r->clips, clips);
          g_array_append_val (r->groups, n_groups);
        }
      r->n_groups = cradle_split_count_groups ((const char * const *) r->data->groups, r->data->n);
    }
  else if (g_error_matches (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_NO_DATA))
    count_classes (dataset, job->task, r);
  else
    r->error = g_strdup (error->message);
  g_task_return_pointer (task, r, (GDestroyNotify) summary_result_free);
}

/* What the task lacks, in words, or NULL when it can train with K folds. */
static char *
describe_missing (CradleTask           task,
                  const SummaryResult *r,
                  guint                k)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_ok = 0;

  for (guint c = 0; c < r->names->len; c++)
    {
      guint clips = g_array_index (r->clips, guint, c);
      guint groups = g_array_index (r->groups, guint, c);

      if (clips >= CRADLE_TRAIN_PAGE_MIN_CLIPS_PER_CLASS && groups >= CRADLE_TRAIN_PAGE_MIN_GROUPS_PER_CLASS)
        n_ok++;
      else if (task == CRADLE_TASK_DETECT)
        g_string_append_printf (text,
                                /* Translators: the first %s is a class ("cry", "not-cry"). */
                                _("“%s” has %u confirmed clips from %u babies or groups; label at least %u clips from %u babies or groups. "),
                                (const char *) g_ptr_array_index (r->names, c), clips, groups,
                                CRADLE_TRAIN_PAGE_MIN_CLIPS_PER_CLASS, CRADLE_TRAIN_PAGE_MIN_GROUPS_PER_CLASS);
    }

  if (task == CRADLE_TASK_CAUSE && n_ok < 2)
    {
      g_autoptr(GString) have = g_string_new (NULL);

      for (guint c = 0; c < r->names->len; c++)
        g_string_append_printf (have, "%s%s %u/%u", have->len > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (r->names, c),
                                g_array_index (r->clips, guint, c), g_array_index (r->groups, guint, c));
      g_string_append_printf (text,
                              _("The cause task needs at least two causes (hunger, pain, …), each with at least %u confirmed clips from %u babies or groups. "),
                              CRADLE_TRAIN_PAGE_MIN_CLIPS_PER_CLASS, CRADLE_TRAIN_PAGE_MIN_GROUPS_PER_CLASS);
      if (have->len > 0)
        /* Translators: %s lists causes as "hunger 3/1" (clips/babies). */
        g_string_append_printf (text, _("Now: %s (clips/babies or groups)."), have->str);
      else
        g_string_append (text, _("No clip has a confirmed cause yet."));
    }
  else if (task == CRADLE_TASK_DETECT && n_ok < 2 && text->len == 0)
    g_string_append (text, _("Label clips as a cry and as not a cry first."));

  if (text->len == 0 && r->n_groups < k)
    g_string_append_printf (text,
                            _("%u-fold cross-validation needs clips from at least %u babies or groups; there are %u. Lower the folds or add recordings of %u more."),
                            k, k, r->n_groups, k - r->n_groups);
  if (text->len == 0)
    return NULL;
  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
cradle_train_page_clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_data_row (CradleTrainPage *self,
              const char      *title,
              const char      *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (self->data_group, row);
  g_ptr_array_add (self->data_rows, row);
}

static void
summary_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (source);
  g_autoptr(GError) error = NULL;
  SummaryResult *r = g_task_propagate_pointer (G_TASK (result), &error);
  CradleTask task = selected_task (self);

  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->summary_cancellable)
    {
      g_clear_pointer (&r, summary_result_free);
      return;
    }
  g_clear_object (&self->summary_cancellable);
  if (self->summary_again)
    {
      self->summary_again = FALSE;
      g_clear_pointer (&r, summary_result_free);
      cradle_train_page_refresh_summary (self);
      return;
    }

  cradle_train_page_clear_rows (self->data_group, self->data_rows);
  g_clear_pointer (&self->missing, g_free);
  if (r == NULL || r->error != NULL)
    {
      self->missing = g_strdup (r != NULL ? r->error : error->message);
      adw_preferences_group_set_description (self->data_group, NULL);
    }
  else
    {
      guint total = 0;
      guint majority = 0;

      for (guint c = 0; c < r->names->len; c++)
        {
          g_autofree char *value = NULL;
          guint clips = g_array_index (r->clips, guint, c);

          total += clips;
          if (clips > g_array_index (r->clips, guint, majority))
            majority = c;
          /* Translators: clips of one class, and how many babies or groups they come from. */
          value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u clip from %u babies or groups",
                                                "%u clips from %u babies or groups", clips),
                                   clips, g_array_index (r->groups, guint, c));
          add_data_row (self, g_ptr_array_index (r->names, c), value);
        }
      {
        g_autofree char *groups = g_strdup_printf ("%u", r->n_groups);

        add_data_row (self, _("Babies or groups"), groups);
      }
      if (total > 0)
        {
          g_autofree char *share = g_strdup_printf ("%.1f", 100.0 * g_array_index (r->clips, guint, majority) / total);
          /* Translators: the baseline always predicts the class %s; %s%% is its accuracy. */
          g_autofree char *value = g_strdup_printf (_("always “%s”: %s %% accuracy"),
                                                    (const char *) g_ptr_array_index (r->names, majority),
                                                    share);

          add_data_row (self, _("Majority baseline"), value);
        }
      adw_preferences_group_set_description (self->data_group,
                                             task == CRADLE_TASK_DETECT
                                             ? _("Confirmed clip labels, split into cry and not cry.")
                                             : _("Confirmed cry labels that name a cause held by at least two babies or groups."));
      self->missing = describe_missing (task, r, selected_folds (self));
    }

  self->can_train = self->missing == NULL;
  gtk_label_set_text (self->empty_label, self->missing != NULL ? self->missing : "");
  gtk_widget_set_visible (self->empty_status, self->missing != NULL);
  if (self->missing != NULL)
    gtk_widget_set_visible (self->results_box, FALSE);
  else if (self->run != NULL)
    gtk_widget_set_visible (self->results_box, TRUE);
  update_actions (self);
  g_clear_pointer (&r, summary_result_free);
}

static void
cradle_train_page_refresh_summary (CradleTrainPage *self)
{
  g_autoptr(GTask) task = NULL;
  SummaryJob *job;

  if (self->store == NULL)
    return;
  if (self->summary_cancellable != NULL)
    {
      /* One summary at a time; the newest choice wins. */
      self->summary_again = TRUE;
      return;
    }
  self->summary_cancellable = g_cancellable_new ();
  job = g_new0 (SummaryJob, 1);
  job->dir = g_strdup (cradle_store_get_dir (self->store));
  job->task = selected_task (self);
  job->k = selected_folds (self);
  task = g_task_new (self, self->summary_cancellable, summary_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) summary_job_free);
  g_task_run_in_thread (task, summary_thread);
}

/* ---- Cross-validation ------------------------------------------------------------ */

typedef struct {
  CradleTrainPage *page;       /* a ref */
  guint            generation;
  double           fraction;
  gboolean         epoch;      /* an epoch ended (CNN): the losses are new points */
  double           train_loss;
  double           valid_loss;
  double           valid_accuracy;
  char            *text;
} ProgressUpdate;

typedef struct {
  CradleTrainPage *page;       /* a ref, for progress updates */
  guint            generation;
  char            *dir;
  CradleTask       task;
  CradleModelKind  kind;
  GHashTable      *params;
  guint32          seed;
  guint            k;
  gboolean         include_cnn; /* compare */
  TrainRun        *run;         /* save: the run to fit */
  /* progress state, worker side */
  guint            fold;
  guint            last_step;
  guint            n_parts;     /* folds, or kinds × folds when comparing */
  gint64           last_update;
} TrainJob;

static void
train_job_free (TrainJob *job)
{
  g_object_unref (job->page);
  g_free (job->dir);
  g_clear_pointer (&job->params, g_hash_table_unref);
  g_clear_pointer (&job->run, train_run_unref);
  g_free (job);
}

static void
progress_update_free (ProgressUpdate *u)
{
  g_object_unref (u->page);
  g_free (u->text);
  g_free (u);
}

static gboolean
progress_update_cb (gpointer user_data)
{
  ProgressUpdate *u = user_data;
  CradleTrainPage *self = u->page;

  if (self->disposed || u->generation != self->generation || self->busy_what == NULL)
    return G_SOURCE_REMOVE;
  if (u->fraction >= 0.0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (u->fraction, 0.0, 1.0));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  if (u->text != NULL)
    set_status (self, u->text);
  if (u->epoch)
    {
      self->epoch++;
      cradle_curve_view_append_point (self->loss_view, 0, self->epoch, u->train_loss);
      cradle_curve_view_append_point (self->loss_view, 1, self->epoch, u->valid_loss);
      cradle_curve_view_append_point (self->accuracy_view, 0, self->epoch, u->valid_accuracy);
    }
  return G_SOURCE_REMOVE;
}

static void
post_progress (TrainJob   *job,
               double      fraction,
               gboolean    epoch,
               double      train_loss,
               double      valid_loss,
               double      valid_accuracy,
               const char *text)
{
  ProgressUpdate *u = g_new0 (ProgressUpdate, 1);

  u->page = g_object_ref (job->page);
  u->generation = job->generation;
  u->fraction = fraction;
  u->epoch = epoch;
  u->train_loss = train_loss;
  u->valid_loss = valid_loss;
  u->valid_accuracy = valid_accuracy;
  u->text = g_strdup (text);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, progress_update_cb, u,
                              (GDestroyNotify) progress_update_free);
}

/* CradleTrainProgressFunc: STEP restarts at each fit (fold, kind). */
static gboolean
train_progress_cb (guint    step,
                   guint    n_steps,
                   double   train_loss,
                   double   valid_loss,
                   double   valid_accuracy,
                   gpointer user_data)
{
  TrainJob *job = user_data;
  gboolean is_cnn_epoch = job->kind == CRADLE_MODEL_CNN && !job->include_cnn;
  gint64 now = g_get_monotonic_time ();
  double fraction;

  if (step <= job->last_step)
    job->fold++;
  job->last_step = step;
  fraction = (job->fold + (n_steps > 0 ? (double) step / n_steps : 0.0)) / MAX (job->n_parts, 1);
  if (is_cnn_epoch || now - job->last_update >= PROGRESS_INTERVAL_US || step == n_steps)
    {
      job->last_update = now;
      post_progress (job, fraction, is_cnn_epoch, train_loss, valid_loss, valid_accuracy, NULL);
    }
  return TRUE;
}

static void
init_train_options (TrainJob           *job,
                    CradleTrainOptions *options,
                    GCancellable       *cancellable)
{
  cradle_train_options_init (options);
  options->kind = job->kind;
  options->params = job->params;
  options->seed = job->seed;
  options->n_threads = CRADLE_TRAIN_PAGE_THREADS;
  options->progress = train_progress_cb;
  options->user_data = job;
  options->cancellable = cancellable;
}

static void
add_options_json (JsonNode   *node,
                  TrainRun   *run)
{
  JsonObject *obj = json_node_get_object (node);

  json_object_set_string_member (obj, "task", cradle_task_to_string (run->task));
  json_object_set_string_member (obj, "kind", cradle_model_kind_to_string (run->kind));
  json_object_set_int_member (obj, "seed", run->seed);
  json_object_set_int_member (obj, "n_recordings", run->data->n);
  if (run->params != NULL)
    {
      JsonObject *p = json_object_new ();
      GHashTableIter iter;
      gpointer k;
      gpointer v;

      g_hash_table_iter_init (&iter, run->params);
      while (g_hash_table_iter_next (&iter, &k, &v))
        json_object_set_string_member (p, k, v);
      json_object_set_object_member (obj, "params", p);
    }
}

static void
cv_thread (GTask        *task,
           gpointer      source,
           gpointer      task_data,
           GCancellable *cancellable)
{
  TrainJob *job = task_data;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TrainRun) run = g_atomic_rc_box_new0 (TrainRun);
  CradleAnalysisConfig config;
  CradleTrainOptions options;

  run->task = job->task;
  run->kind = job->kind;
  run->seed = job->seed;
  run->k = job->k;
  run->params = job->params != NULL ? g_hash_table_ref (job->params) : NULL;

  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cradle_trainer_default_config (&config);
  post_progress (job, -1.0, FALSE, NAN, NAN, NAN, _("Computing features (cached ones are reused)…"));
  /* Clip vectors always (the feature explorer), log-mel images for the CNN. */
  run->data = cradle_task_data_load (dataset, job->task, &config, TRUE, job->kind == CRADLE_MODEL_CNN,
                                     CRADLE_TRAIN_PAGE_THREADS, cancellable, &error);
  if (run->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  post_progress (job, 0.0, FALSE, NAN, NAN, NAN, _("Cross-validating…"));
  job->n_parts = job->k;
  init_train_options (job, &options, cancellable);
  run->cv = cradle_trainer_cross_validate (run->data, &options, job->k, NULL,
                                           job->kind != CRADLE_MODEL_CNN, &error);
  if (run->cv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (run->data->x != NULL && run->data->n_features >= 2)
    run->pca = cradle_pca_compute (run->data->x, run->data->n, run->data->n_features, 2);
  run->json = cradle_cv_result_to_json (run->cv, run->data, TRUE);
  add_options_json (run->json, run);
  run->model_json = cradle_cv_result_to_json (run->cv, run->data, FALSE);
  add_options_json (run->model_json, run);
  g_task_return_pointer (task, g_steal_pointer (&run), (GDestroyNotify) train_run_unref);
}

/* The metrics tables: per class, then the summary beside the baseline. */
static GtkWidget *
grid_label (const char *text,
            gboolean    header,
            float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static GtkWidget *
new_table (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "cradle-table");
  return grid;
}

/* A table that scrolls sideways rather than widen a narrow window. */
static void
append_table (GtkBox    *box,
              GtkWidget *grid)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_widget_set_halign (scrolled, GTK_ALIGN_START);
  gtk_box_append (box, scrolled);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
show_metrics_table (CradleTrainPage *self)
{
  const CradleMetrics *m = self->run->cv->metrics;
  GtkWidget *summary = new_table ();
  GtkWidget *classes = new_table ();
  const char *class_headers[] = {
    N_("Class"), N_("Precision"), N_("Recall"), N_("F1"), N_("Support"), N_("ROC AUC"), N_("Avg. precision"),
  };
  g_autofree char *baseline_title = g_strdup_printf (_("Majority baseline (“%s”)"),
                                                     m->labels[m->baseline_class]);
  struct {
    const char *name;
    double      model;
    double      baseline;
  } rows[] = {
    { N_("Accuracy"), m->accuracy, m->baseline_accuracy },
    { N_("Balanced accuracy"), m->balanced_accuracy, m->baseline_balanced_accuracy },
    { N_("Macro-F1"), m->macro_f1, m->baseline_macro_f1 },
    { N_("Weighted F1"), m->weighted_f1, NAN },
    { N_("ROC AUC (macro)"), m->macro_roc_auc, NAN },
    { N_("Log loss"), m->log_loss, NAN },
  };
  g_autofree char *caption = NULL;
  GtkWidget *label;

  clear_box (self->metrics_box);

  caption = g_strdup_printf (_("%s, %s: grouped %u-fold cross-validation, seed %u, %u clips, %.2f s"),
                             cradle_task_to_string (self->run->task),
                             cradle_model_kind_to_string (self->run->kind), self->run->k,
                             self->run->seed, m->n, self->run->cv->seconds);
  label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (self->metrics_box, label);

  gtk_grid_attach (GTK_GRID (summary), grid_label (_("Score"), TRUE, 0), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (summary), grid_label (cradle_model_kind_to_string (self->run->kind), TRUE, 1), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (summary), grid_label (baseline_title, TRUE, 1), 2, 0, 1, 1);
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_autofree char *model = cradle_train_page_format_score (rows[r].model);
      g_autofree char *baseline = cradle_train_page_format_score (rows[r].baseline);

      gtk_grid_attach (GTK_GRID (summary), grid_label (_(rows[r].name), FALSE, 0), 0, r + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (summary), grid_label (model, FALSE, 1), 1, r + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (summary), grid_label (baseline, FALSE, 1), 2, r + 1, 1, 1);
    }
  append_table (self->metrics_box, summary);

  for (guint h = 0; h < G_N_ELEMENTS (class_headers); h++)
    gtk_grid_attach (GTK_GRID (classes), grid_label (_(class_headers[h]), TRUE, h == 0 ? 0 : 1), h, 0, 1, 1);
  for (guint c = 0; c < m->n_classes; c++)
    {
      g_autofree char *p = cradle_train_page_format_score (m->precision[c]);
      g_autofree char *r = cradle_train_page_format_score (m->recall[c]);
      g_autofree char *f = cradle_train_page_format_score (m->f1[c]);
      g_autofree char *s = g_strdup_printf ("%u", m->support[c]);
      g_autofree char *auc = cradle_train_page_format_score (m->roc_auc[c]);
      g_autofree char *ap = cradle_train_page_format_score (m->average_precision[c]);
      const char *cells[] = { m->labels[c], p, r, f, s, auc, ap };

      for (guint h = 0; h < G_N_ELEMENTS (cells); h++)
        gtk_grid_attach (GTK_GRID (classes), grid_label (cells[h], FALSE, h == 0 ? 0 : 1), h, c + 1, 1, 1);
    }
  append_table (self->metrics_box, classes);

  if (self->run->cv->full_band != NULL)
    {
      g_autofree char *f1 = cradle_train_page_format_score (self->run->cv->full_band->macro_f1);
      g_autofree char *text = g_strdup_printf (_("On the %u full-band clips alone (stored above %u Hz): macro-F1 %s."),
                                               self->run->cv->full_band->n, CRADLE_TRAINER_NARROW_BAND_RATE, f1);

      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (self->metrics_box, label);
    }
}

/* The label of a ROC or PR series: the class and its area, as shown. */
static char *
curve_series_name (const char *label,
                   const char *what,
                   double      value)
{
  g_autofree char *v = cradle_train_page_format_score (value);

  /* Translators: a curve's legend: class, "AUC" or "AP", value. */
  return g_strdup_printf (_("%s (%s %s)"), label, what, v);
}

/* The class whose scores the monitor's threshold applies to: "cry" of the
 * detect task; -1 otherwise. */
static int
threshold_class (TrainRun *run)
{
  if (run == NULL || run->task != CRADLE_TASK_DETECT)
    return -1;
  for (guint c = 0; c < run->data->n_classes; c++)
    if (g_str_equal (run->data->classes[c], "cry"))
      return (int) c;
  return -1;
}

static void
show_threshold_marker (CradleTrainPage *self)
{
  GSettings *settings = cradle_train_page_settings ();
  int cls = threshold_class (self->run);
  double threshold;
  GArray *curves[2];
  CradleCurveView *views[2] = { self->roc_view, self->pr_view };

  if (cls < 0 || settings == NULL)
    return;
  threshold = g_settings_get_double (settings, "alert-threshold");
  curves[0] = self->run->cv->metrics->roc[cls];
  curves[1] = self->run->cv->metrics->pr[cls];
  /* The curve point with the lowest threshold still at or above the
   * setting: what the monitor would do at it. */
  for (guint v = 0; v < 2; v++)
    {
      const CradleCurvePoint *best = NULL;
      g_autofree char *label = NULL;

      for (guint i = 0; curves[v] != NULL && i < curves[v]->len; i++)
        {
          const CradleCurvePoint *p = &g_array_index (curves[v], CradleCurvePoint, i);

          if (isfinite (p->threshold) && p->threshold >= threshold
              && (best == NULL || p->threshold < best->threshold))
            best = p;
        }
      if (best == NULL)
        {
          cradle_curve_view_set_marker (views[v], FALSE, 0, 0, NULL);
          continue;
        }
      /* Translators: the monitor's alert threshold on the curve. */
      label = g_strdup_printf (_("Monitor threshold %.2f"), threshold);
      cradle_curve_view_set_marker (views[v], TRUE, best->x, best->y, label);
    }
}

static void
show_curves (CradleTrainPage *self)
{
  const CradleMetrics *m = self->run->cv->metrics;
  int cls = threshold_class (self->run);

  cradle_curve_view_clear (self->roc_view);
  cradle_curve_view_clear (self->pr_view);
  for (guint c = 0; c < m->n_classes; c++)
    {
      GArray *curves[2] = { m->roc[c], m->pr[c] };
      CradleCurveView *views[2] = { self->roc_view, self->pr_view };

      for (guint v = 0; v < 2; v++)
        {
          g_autofree double *x = NULL;
          g_autofree double *y = NULL;
          g_autofree char *name = NULL;
          guint n = curves[v] != NULL ? curves[v]->len : 0;

          x = g_new (double, MAX (n, 1));
          y = g_new (double, MAX (n, 1));
          for (guint i = 0; i < n; i++)
            {
              x[i] = g_array_index (curves[v], CradleCurvePoint, i).x;
              y[i] = g_array_index (curves[v], CradleCurvePoint, i).y;
            }
          name = curve_series_name (m->labels[c], v == 0 ? _("AUC") : _("AP"),
                                    v == 0 ? m->roc_auc[c] : m->average_precision[c]);
          cradle_curve_view_add_series (views[v], name, x, y, n, c, CRADLE_XY_LINE, FALSE);
        }
    }
  cradle_curve_view_set_axes (self->roc_view, 0, 1, 0, 1, _("False-positive rate"),
                              _("True-positive rate (recall)"), TRUE, CRADLE_XY_LEGEND_BOTTOM_RIGHT);
  cradle_curve_view_set_axes (self->pr_view, 0, 1, 0, 1, _("Recall"), _("Precision"), FALSE,
                              CRADLE_XY_LEGEND_BOTTOM_LEFT);
  cradle_curve_view_set_clickable (self->roc_view, cls >= 0 ? cls : -2);
  cradle_curve_view_set_clickable (self->pr_view, cls >= 0 ? cls : -2);
  gtk_label_set_text (self->roc_hint,
                      cls >= 0
                      ? _("One-vs-rest ROC per class. Click a point of the “cry” curve to make its threshold the monitor’s alert threshold.")
                      : _("One-vs-rest ROC per class; the dashed diagonal is chance."));
  show_threshold_marker (self);
}

static void
show_features (CradleTrainPage *self)
{
  const CradleTaskData *data = self->run->data;
  const CradlePca *pca = self->run->pca;

  cradle_curve_view_clear (self->features_view);
  gtk_label_set_text (self->point_label, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->point_open_button), FALSE);
  self->point_id = 0;
  if (pca == NULL)
    return;
  for (guint c = 0; c < data->n_classes; c++)
    {
      g_autofree double *x = g_new (double, data->n);
      g_autofree double *y = g_new (double, data->n);
      guint n = 0;

      for (guint i = 0; i < data->n; i++)
        if (data->y[i] == c)
          {
            x[n] = pca->scores[(gsize) i * 2];
            y[n] = pca->scores[(gsize) i * 2 + 1];
            n++;
          }
      cradle_curve_view_add_series (self->features_view, data->classes[c], x, y, n, c,
                                    CRADLE_XY_MARKERS, FALSE);
    }
  {
    g_autofree char *x_title = g_strdup_printf (_("Principal component 1 (%.0f %% of the variance)"),
                                                pca->explained[0] * 100.0);
    g_autofree char *y_title = g_strdup_printf (_("Principal component 2 (%.0f %%)"),
                                                pca->explained[1] * 100.0);

    cradle_curve_view_set_axes (self->features_view, 0, 0, 0, 0, x_title, y_title, FALSE,
                                CRADLE_XY_LEGEND_TOP_RIGHT);
  }
  cradle_curve_view_set_clickable (self->features_view, -1);
}

static void
show_importance (CradleTrainPage *self)
{
  const CradleCvResult *cv = self->run->cv;

  /* The model's own importance belongs to the model saved from a run. */
  cradle_importance_view_set (self->own_importance_view, NULL, NULL, 0, 0, NULL);
  gtk_widget_set_visible (self->own_importance_box, FALSE);

  if (cv->importance == NULL)
    {
      cradle_importance_view_set (self->importance_view, NULL, NULL, 0, 0, NULL);
      gtk_label_set_text (self->importance_status,
                          _("The CNN reads log-mel images, not named features, so it has no feature importance."));
      gtk_stack_set_visible_child_name (self->importance_stack, "none");
      return;
    }
  cradle_importance_view_set (self->importance_view, (const char * const *) self->run->data->feature_names,
                              cv->importance, self->run->data->n_features, CRADLE_TRAIN_PAGE_IMPORTANCE_TOP,
                              _("Drop in macro-F1 when the feature is shuffled"));
  gtk_stack_set_visible_child_name (self->importance_stack, "chart");
}

static void
set_plot_titles (CradleTrainPage *self)
{
  const char *task = cradle_task_to_string (self->run->task);
  const char *kind = cradle_model_kind_to_string (self->run->kind);
  struct {
    CradlePlotView *view;
    const char     *what;
  } views[] = {
    { CRADLE_PLOT_VIEW (self->confusion_view), _("Confusion matrix") },
    { CRADLE_PLOT_VIEW (self->roc_view), _("ROC curves") },
    { CRADLE_PLOT_VIEW (self->pr_view), _("Precision-recall curves") },
    { CRADLE_PLOT_VIEW (self->features_view), _("Clip features, first two principal components") },
    { CRADLE_PLOT_VIEW (self->importance_view), _("Permutation importance, top 20") },
    { CRADLE_PLOT_VIEW (self->own_importance_view), _("The saved model’s own importance, top 20") },
    { CRADLE_PLOT_VIEW (self->loss_view), _("Loss per epoch") },
    { CRADLE_PLOT_VIEW (self->accuracy_view), _("Validation accuracy per epoch") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      /* Translators: a plot's title in exported files: what, task, model. */
      g_autofree char *title = g_strdup_printf (_("%s — %s, %s"), views[i].what, task, kind);

      cradle_plot_view_set_title (views[i].view, title);
    }
}

static void
show_run (CradleTrainPage *self)
{
  const CradleMetrics *m = self->run->cv->metrics;

  show_metrics_table (self);
  cradle_confusion_view_set_matrix (self->confusion_view, m->n_classes, (const char * const *) m->labels,
                                    m->confusion);
  cradle_confusion_view_set_axis_titles (self->confusion_view, _("True class"), _("Predicted class"));
  show_curves (self);
  show_features (self);
  show_importance (self);
  set_plot_titles (self);
  gtk_widget_set_visible (self->results_box, self->missing == NULL);
}

/* Cancel reaches the worker through GIO, the trainer or a model. */
static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_CANCELLED)
         || g_error_matches (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED);
}

static void
cv_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (source);
  g_autoptr(GError) error = NULL;
  TrainRun *run = g_task_propagate_pointer (G_TASK (result), &error);
  TrainJob *job = g_task_get_task_data (G_TASK (result));

  if (self->disposed)
    {
      g_clear_pointer (&run, train_run_unref);
      return;
    }
  end_job (self);
  /* Another dataset was opened meanwhile: these results are not its. */
  if (job->generation != self->generation)
    {
      g_clear_pointer (&run, train_run_unref);
      return;
    }
  if (run == NULL)
    {
      if (error_is_cancelled (error))
        set_status (self, _("Training cancelled."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("Training failed: %s"), error->message);

          set_status (self, text);
          cradle_train_page_toast (self, _("Training failed"));
        }
      return;
    }

  g_clear_pointer (&self->run, train_run_unref);
  self->run = run;
  {
    g_autofree char *f1 = cradle_train_page_format_score (run->cv->metrics->macro_f1);
    g_autofree char *base = cradle_train_page_format_score (run->cv->metrics->baseline_macro_f1);
    g_autofree char *text = g_strdup_printf (_("Macro-F1 %s (the majority baseline: %s) in %.1f s."),
                                             f1, base, run->cv->seconds);

    set_status (self, text);
  }
  show_run (self);
  update_actions (self);
}

static void
cradle_train_page_start (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  TrainJob *job;
  GCancellable *cancellable;

  if (self->store == NULL || self->busy_what != NULL || !self->can_train)
    return;
  cancellable = begin_job (self, _("Training…"));
  job = g_new0 (TrainJob, 1);
  job->page = g_object_ref (self);
  job->generation = self->generation;
  job->dir = g_strdup (cradle_store_get_dir (self->store));
  job->task = selected_task (self);
  job->kind = selected_kind (self);
  job->params = collect_params (self);
  job->seed = (guint32) gtk_spin_button_get_value_as_int (self->seed_spin);
  job->k = selected_folds (self);

  /* Live curves for the CNN, an epoch at a time. */
  self->epoch = 0;
  cradle_curve_view_clear (self->loss_view);
  cradle_curve_view_clear (self->accuracy_view);
  if (job->kind == CRADLE_MODEL_CNN)
    {
      cradle_curve_view_add_series (self->loss_view, _("Training loss"), NULL, NULL, 0, 0, CRADLE_XY_LINE, FALSE);
      cradle_curve_view_add_series (self->loss_view, _("Validation loss"), NULL, NULL, 0, 1, CRADLE_XY_LINE, TRUE);
      cradle_curve_view_add_series (self->accuracy_view, _("Validation accuracy"), NULL, NULL, 0, 2,
                                    CRADLE_XY_LINE, FALSE);
      cradle_curve_view_set_axes (self->loss_view, 0, 0, 0, 0, _("Epoch (all folds)"), _("Loss"), FALSE,
                                  CRADLE_XY_LEGEND_TOP_RIGHT);
      cradle_curve_view_set_axes (self->accuracy_view, 0, 0, 0, 1, _("Epoch (all folds)"), _("Accuracy"),
                                  FALSE, CRADLE_XY_LEGEND_BOTTOM_RIGHT);
    }
  gtk_widget_set_visible (self->curves_box, job->kind == CRADLE_MODEL_CNN);

  task = g_task_new (self, cancellable, cv_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_free);
  g_task_run_in_thread (task, cv_thread);
}

static void
cradle_train_page_cancel (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_status (self, _("Cancelling…"));
    }
}

/* ---- The recordings of a confusion cell ----------------------------------------- */

typedef struct {
  CradleTrainPage *page;
  gint64           id;
} RelabelData;

static void
relabel_selected_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     RelabelData *data)
{
  CradleTrainPage *self = data->page;
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
  g_autoptr(GError) error = NULL;
  const char *label;

  if (item == NULL || self->store == NULL)
    return;
  label = gtk_string_object_get_string (item);
  if (!cradle_dataset_set_label (cradle_store_get_dataset (self->store), data->id, label,
                                 CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error))
    {
      cradle_train_page_error_dialog (self, _("Cannot Relabel"), error->message);
      return;
    }
  {
    /* Translators: %s is a label name. */
    g_autofree char *text = g_strdup_printf (_("Relabelled as “%s”; train again to see the effect"), label);

    cradle_train_page_toast (self, text);
  }
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
}

static GtkWidget *
recording_row (CradleTrainPage *self,
               GPtrArray       *vocabulary,
               guint            i,
               guint            predicted)
{
  const CradleTaskData *data = self->run->data;
  g_autofree char *base = g_path_get_basename (data->paths[i]);
  float p = self->run->cv->proba[(gsize) i * data->n_classes + predicted];
  /* Translators: a recording's dataset label, its group, and the model's probability. */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s · P(%s) = %.2f"), data->labels[i], data->groups[i],
                                               data->classes[predicted], p);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("document-open-symbolic");
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;
  RelabelData *relabel = g_new0 (RelabelData, 1);
  guint selected = GTK_INVALID_LIST_POSITION;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  for (guint v = 0; v < vocabulary->len; v++)
    {
      CradleLabelInfo *info = g_ptr_array_index (vocabulary, v);

      gtk_string_list_append (names, info->name);
      if (g_str_equal (info->name, data->labels[i]))
        selected = v;
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dropdown, _("Relabel"));
  relabel->page = self;
  relabel->id = data->ids[i];
  g_signal_connect_data (dropdown, "notify::selected", G_CALLBACK (relabel_selected_cb), relabel,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);

  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Open in Spectrogram"));
  gtk_widget_add_css_class (open, "flat");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (open), g_variant_new_int64 (data->ids[i]));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-recording");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  return row;
}

static void
cell_activated_cb (CradleConfusionView *view,
                   guint                truth,
                   guint                predicted,
                   CradleTrainPage     *self)
{
  const CradleTaskData *data;
  g_autoptr(GPtrArray) vocabulary = NULL;
  CradleConfusionLayout layout;
  CradlePlotStyle style;
  cairo_rectangle_t cell;
  guint n_classes;
  const guint *counts;
  GtkWidget *popover;
  GtkWidget *box;
  GtkWidget *scrolled;
  GtkWidget *list;
  GtkWidget *heading;
  g_autofree char *title = NULL;

  if (self->run == NULL || self->store == NULL)
    return;
  data = self->run->data;
  vocabulary = cradle_dataset_list_labels (cradle_store_get_dataset (self->store), NULL);
  if (vocabulary == NULL)
    vocabulary = g_ptr_array_new ();

  if (self->cell_ids != NULL)
    g_array_unref (self->cell_ids);
  self->cell_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < data->n; i++)
    if (data->y[i] == truth && self->run->cv->metrics->predicted[i] == predicted)
      {
        gtk_list_box_append (GTK_LIST_BOX (list), recording_row (self, vocabulary, i, predicted));
        g_array_append_val (self->cell_ids, data->ids[i]);
      }

  counts = cradle_confusion_view_get_counts (view, &n_classes);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u clip: true “%s”, predicted “%s”",
                                        "%u clips: true “%s”, predicted “%s”", self->cell_ids->len),
                           self->cell_ids->len, data->classes[truth], data->classes[predicted]);
  heading = gtk_label_new (title);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  g_assert (counts == NULL || counts[truth * n_classes + predicted] == self->cell_ids->len);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), heading);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_visible (scrolled, self->cell_ids->len > 0);
  gtk_box_append (GTK_BOX (box), scrolled);

  /* One popover, kept as the view's child (CradlePlotView unparents it). */
  popover = gtk_widget_get_last_child (GTK_WIDGET (view));
  if (popover == NULL || !GTK_IS_POPOVER (popover))
    {
      popover = gtk_popover_new ();
      gtk_widget_set_parent (popover, GTK_WIDGET (view));
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  cradle_plot_view_get_style (CRADLE_PLOT_VIEW (view), &style);
  {
    CradleConfusionData cd = { n_classes, (const char * const *) data->classes, counts, -1, -1, NULL, NULL };

    cradle_confusion_layout_compute (&layout, gtk_widget_get_width (GTK_WIDGET (view)),
                                     gtk_widget_get_height (GTK_WIDGET (view)), &cd, &style);
  }
  cradle_confusion_layout_cell (&layout, truth, predicted, &cell);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) cell.x, (int) cell.y, (int) cell.width, (int) cell.height });
  if (gtk_widget_get_mapped (GTK_WIDGET (view)))
    gtk_popover_popup (GTK_POPOVER (popover));
}

/* ---- Points: operating point, feature explorer ------------------------------------ */

static void
curve_point_activated_cb (CradleCurveView *view,
                          guint            series,
                          guint            index,
                          CradleTrainPage *self)
{
  GSettings *settings = cradle_train_page_settings ();
  int cls = threshold_class (self->run);
  GArray *curve;
  double threshold;
  g_autofree char *text = NULL;

  if (cls < 0 || (int) series != cls || settings == NULL)
    return;
  curve = view == self->roc_view ? self->run->cv->metrics->roc[cls] : self->run->cv->metrics->pr[cls];
  if (curve == NULL || index >= curve->len)
    return;
  threshold = g_array_index (curve, CradleCurvePoint, index).threshold;
  /* The (0, 0) end of the ROC curve has an infinite threshold: never alert. */
  if (!isfinite (threshold))
    threshold = 1.0;
  /* The setting's range, and two decimals as the toast says. */
  threshold = CLAMP (round (threshold * 100.0) / 100.0, 0.05, 0.95);
  g_settings_set_double (settings, "alert-threshold", threshold);
  /* Translators: %.2f is a probability such as 0.42. */
  text = g_strdup_printf (_("Monitor threshold set to %.2f"), threshold);
  cradle_train_page_toast (self, text);
  show_threshold_marker (self);
}

static void
features_point_activated_cb (CradleCurveView *view,
                             guint            series,
                             guint            index,
                             CradleTrainPage *self)
{
  const CradleTaskData *data;
  guint seen = 0;

  if (self->run == NULL)
    return;
  data = self->run->data;
  /* Series are classes; INDEX counts that class's clips in order. */
  for (guint i = 0; i < data->n; i++)
    if (data->y[i] == series && seen++ == index)
      {
        g_autofree char *base = g_path_get_basename (data->paths[i]);
        /* Translators: file name, dataset label, group, predicted class. */
        g_autofree char *text = g_strdup_printf (_("%s — %s, %s; predicted “%s”"), base, data->labels[i],
                                                 data->groups[i],
                                                 data->classes[self->run->cv->metrics->predicted[i]]);

        self->point_id = data->ids[i];
        gtk_label_set_text (self->point_label, text);
        gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->point_open_button),
                                                g_variant_new_int64 (data->ids[i]));
        gtk_actionable_set_action_name (GTK_ACTIONABLE (self->point_open_button), "win.open-recording");
        gtk_widget_set_sensitive (GTK_WIDGET (self->point_open_button), TRUE);
        cradle_curve_view_set_marker (view, TRUE, self->run->pca->scores[(gsize) i * 2],
                                      self->run->pca->scores[(gsize) i * 2 + 1], base);
        return;
      }
}

/* ---- Compare ---------------------------------------------------------------------- */

static void
compare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TrainJob *job = task_data;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  GPtrArray *results;
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  guint n_kinds = job->include_cnn ? G_N_ELEMENTS (all_kinds) : G_N_ELEMENTS (all_kinds) - 1;

  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cradle_trainer_default_config (&config);
  post_progress (job, -1.0, FALSE, NAN, NAN, NAN, _("Computing features (cached ones are reused)…"));
  data = cradle_task_data_load (dataset, job->task, &config, TRUE, job->include_cnn,
                                CRADLE_TRAIN_PAGE_THREADS, cancellable, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  post_progress (job, 0.0, FALSE, NAN, NAN, NAN, _("Comparing every model type on the same folds…"));
  job->n_parts = job->k * n_kinds;
  init_train_options (job, &options, cancellable);
  /* Each kind's defaults: the hyperparameter rows are one kind's. */
  options.params = NULL;
  results = cradle_trainer_compare (data, &options, all_kinds, n_kinds, job->k, &error);
  if (results == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
show_comparison (CradleTrainPage *self)
{
  GtkWidget *grid = new_table ();
  const char *headers[] = {
    N_("Model"), N_("Accuracy"), N_("Balanced accuracy"), N_("Macro-F1"), N_("Weighted F1"), N_("ROC AUC"), N_("Seconds"),
  };
  const CradleMetrics *first;
  guint row = 1;

  clear_box (self->compare_box);
  if (self->compared == NULL || self->compared->len == 0)
    return;
  first = ((CradleCvResult *) g_ptr_array_index (self->compared, 0))->metrics;
  for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
    gtk_grid_attach (GTK_GRID (grid), grid_label (_(headers[h]), TRUE, h == 0 ? 0 : 1), h, 0, 1, 1);
  for (guint i = 0; i < self->compared->len; i++, row++)
    {
      CradleCvResult *r = g_ptr_array_index (self->compared, i);
      g_autofree char *a = cradle_train_page_format_score (r->metrics->accuracy);
      g_autofree char *b = cradle_train_page_format_score (r->metrics->balanced_accuracy);
      g_autofree char *f = cradle_train_page_format_score (r->metrics->macro_f1);
      g_autofree char *w = cradle_train_page_format_score (r->metrics->weighted_f1);
      g_autofree char *auc = cradle_train_page_format_score (r->metrics->macro_roc_auc);
      g_autofree char *s = g_strdup_printf ("%.2f", r->seconds);
      const char *cells[] = { cradle_model_kind_to_string (r->kind), a, b, f, w, auc, s };

      for (guint h = 0; h < G_N_ELEMENTS (cells); h++)
        gtk_grid_attach (GTK_GRID (grid), grid_label (cells[h], FALSE, h == 0 ? 0 : 1), h, row, 1, 1);
    }
  {
    g_autofree char *name = g_strdup_printf (_("baseline (“%s”)"), first->labels[first->baseline_class]);
    g_autofree char *a = cradle_train_page_format_score (first->baseline_accuracy);
    g_autofree char *b = cradle_train_page_format_score (first->baseline_balanced_accuracy);
    g_autofree char *f = cradle_train_page_format_score (first->baseline_macro_f1);
    const char *cells[] = { name, a, b, f, "–", "–", "–" };

    for (guint h = 0; h < G_N_ELEMENTS (cells); h++)
      gtk_grid_attach (GTK_GRID (grid), grid_label (cells[h], FALSE, h == 0 ? 0 : 1), h, row, 1, 1);
  }
  append_table (self->compare_box, grid);
}

static void
compare_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (source);
  g_autoptr(GError) error = NULL;
  GPtrArray *results = g_task_propagate_pointer (G_TASK (result), &error);
  TrainJob *job = g_task_get_task_data (G_TASK (result));

  if (self->disposed)
    {
      g_clear_pointer (&results, g_ptr_array_unref);
      return;
    }
  end_job (self);
  if (job->generation != self->generation)
    {
      g_clear_pointer (&results, g_ptr_array_unref);
      return;
    }
  if (results == NULL)
    {
      if (error_is_cancelled (error))
        set_status (self, _("Comparison cancelled."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("Comparison failed: %s"), error->message);

          set_status (self, text);
        }
      return;
    }
  g_clear_pointer (&self->compared, g_ptr_array_unref);
  self->compared = results;
  set_status (self, _("Compared every model type on the same folds."));
  show_comparison (self);
  if (self->run != NULL && self->missing == NULL)
    {
      gtk_widget_set_visible (self->results_box, TRUE);
      gtk_stack_set_visible_child_name (self->results_stack, "compare");
    }
  else
    set_status (self, _("Compared every model type on the same folds; train one to see its plots and the table."));
  update_actions (self);
}

static void
cradle_train_page_compare (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  TrainJob *job;
  GCancellable *cancellable;

  if (self->store == NULL || self->busy_what != NULL || !self->can_train)
    return;
  cancellable = begin_job (self, _("Comparing…"));
  job = g_new0 (TrainJob, 1);
  job->page = g_object_ref (self);
  job->generation = self->generation;
  job->dir = g_strdup (cradle_store_get_dir (self->store));
  job->task = selected_task (self);
  job->kind = CRADLE_MODEL_LOGREG;
  job->include_cnn = gtk_switch_get_active (self->compare_cnn_switch);
  job->seed = (guint32) gtk_spin_button_get_value_as_int (self->seed_spin);
  job->k = selected_folds (self);
  task = g_task_new (self, cancellable, compare_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_free);
  g_task_run_in_thread (task, compare_thread);
}

/* ---- Save Model ------------------------------------------------------------------- */

typedef struct {
  char  *name;
  float *importance;  /* nullable: n_features values of the run's data */
} SaveResult;

static void
save_result_free (SaveResult *r)
{
  g_free (r->name);
  g_free (r->importance);
  g_free (r);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TrainJob *job = task_data;
  TrainRun *run = job->run;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *dir = NULL;
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  CradleTrainOptions options;
  SaveResult *result;
  gint64 id;

  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL || (dir = cradle_model_registry_dir (dataset, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->n_parts = 1;
  init_train_options (job, &options, cancellable);
  model = cradle_trainer_fit (run->data, &options, run->model_json, &error);
  if (model == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  name = g_strdup_printf ("%s-%s", cradle_task_to_string (run->task), cradle_model_kind_to_string (run->kind));
  for (guint n = 0; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *file = n == 0 ? g_strdup_printf ("%s-%s.model", name, stamp)
                                     : g_strdup_printf ("%s-%s-%u.model", name, stamp, n);

      g_free (path);
      path = g_build_filename (dir, file, NULL);
    }
  if (!cradle_model_save (model, path, &error)
      || (id = cradle_trainer_record_model (dataset, model, path, name, &error)) == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = g_new0 (SaveResult, 1);
  result->name = g_steal_pointer (&name);
  /* The fitted model's own view of its features (|coefficient|, gain). */
  if (run->data->n_features > 0 && cradle_model_get_input (model) == CRADLE_MODEL_INPUT_CLIP_VECTOR)
    {
      result->importance = g_new0 (float, run->data->n_features);
      if (!cradle_classifier_feature_importance (cradle_model_get_classifier (model), result->importance))
        g_clear_pointer (&result->importance, g_free);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) save_result_free);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (source);
  g_autoptr(GError) error = NULL;
  SaveResult *saved = g_task_propagate_pointer (G_TASK (result), &error);
  const char *name = saved != NULL ? saved->name : NULL;

  if (self->disposed)
    {
      g_clear_pointer (&saved, save_result_free);
      return;
    }
  end_job (self);
  if (saved == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Saving the model failed: %s"), error->message);

      set_status (self, text);
      return;
    }
  {
    /* Translators: %s is a model's name, e.g. "detect-logreg". */
    g_autofree char *text = g_strdup_printf (_("Saved model “%s”"), name);

    set_status (self, text);
    cradle_train_page_toast (self, text);
  }
  if (saved->importance != NULL && self->run != NULL)
    {
      const char *what = self->run->kind == CRADLE_MODEL_LOGREG
                         ? _("|coefficient| summed over classes") : _("total gain of the splits on it");
      /* Translators: %s is a model's name; the second %s says how importance is measured. */
      g_autofree char *text = g_strdup_printf (_("The saved model “%s” and its own importance: %s, top 20."),
                                               name, what);

      cradle_importance_view_set (self->own_importance_view,
                                  (const char * const *) self->run->data->feature_names, saved->importance,
                                  self->run->data->n_features, CRADLE_TRAIN_PAGE_IMPORTANCE_TOP, what);
      gtk_label_set_text (self->own_importance_label, text);
      gtk_widget_set_visible (self->own_importance_box, TRUE);
    }
  if (self->store != NULL)
    cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_MODELS);
  save_result_free (saved);
}

static void
cradle_train_page_save_model (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  TrainJob *job;
  GCancellable *cancellable;

  if (self->store == NULL || self->busy_what != NULL || self->run == NULL)
    return;
  cancellable = begin_job (self, _("Fitting the model on all the data…"));
  job = g_new0 (TrainJob, 1);
  job->page = g_object_ref (self);
  job->generation = self->generation;
  job->dir = g_strdup (cradle_store_get_dir (self->store));
  job->run = train_run_ref (self->run);
  job->task = self->run->task;
  job->kind = self->run->kind;
  job->params = self->run->params != NULL ? g_hash_table_ref (self->run->params) : NULL;
  job->seed = self->run->seed;
  job->include_cnn = TRUE;  /* no live curves for the final fit */
  task = g_task_new (self, cancellable, save_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_free);
  g_task_run_in_thread (task, save_thread);
}

/* ---- The store and the choices ------------------------------------------------------ */

static void
store_changed_cb (CradleStore     *store,
                  guint            what,
                  CradleTrainPage *self)
{
  if (what & (CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_LABELS | CRADLE_STORE_CHANGE_BABIES))
    cradle_train_page_refresh_summary (self);
  if (what & CRADLE_STORE_CHANGE_MODELS)
    cradle_train_page_refresh_models (self);
}

static void
task_changed_cb (CradleTrainPage *self)
{
  cradle_train_page_refresh_summary (self);
}

static void
kind_changed_cb (CradleTrainPage *self)
{
  rebuild_param_rows (self);
}

static void
settings_threshold_cb (GSettings       *settings,
                       const char      *key,
                       CradleTrainPage *self)
{
  if (self->run != NULL)
    show_threshold_marker (self);
}

static void
settings_models_cb (GSettings       *settings,
                    const char      *key,
                    CradleTrainPage *self)
{
  cradle_train_page_refresh_models (self);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
cradle_train_page_dispose (GObject *object)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->summary_cancellable != NULL)
    g_cancellable_cancel (self->summary_cancellable);
  cradle_train_page_close_chooser (self);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_TRAIN_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->summary_cancellable);

  G_OBJECT_CLASS (cradle_train_page_parent_class)->dispose (object);
}

static void
cradle_train_page_finalize (GObject *object)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (object);

  g_clear_pointer (&self->run, train_run_unref);
  g_clear_pointer (&self->compared, g_ptr_array_unref);
  g_clear_pointer (&self->cell_ids, g_array_unref);
  g_ptr_array_unref (self->params);
  g_ptr_array_unref (self->param_widgets);
  g_ptr_array_unref (self->data_rows);
  g_ptr_array_unref (self->model_rows);
  g_free (self->missing);
  g_free (self->status);
  g_free (self->chooser_plot);

  G_OBJECT_CLASS (cradle_train_page_parent_class)->finalize (object);
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
  object_class->finalize = cradle_train_page_finalize;
  object_class->get_property = cradle_train_page_get_property;
  object_class->set_property = cradle_train_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRADLE_TYPE_CONFUSION_VIEW);
  g_type_ensure (CRADLE_TYPE_CURVE_VIEW);
  g_type_ensure (CRADLE_TYPE_IMPORTANCE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-train-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, task_row);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, params_row);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, folds_spin);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, compare_cnn_switch);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, data_group);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, curves_box);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, loss_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, accuracy_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, metrics_box);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, confusion_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, roc_hint);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, roc_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, pr_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, features_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, point_label);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, point_open_button);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, importance_stack);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, importance_status);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, importance_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, own_importance_box);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, own_importance_label);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, own_importance_view);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, compare_box);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, CradleTrainPage, train_button);

  gtk_widget_class_install_action (widget_class, "train.start", NULL, cradle_train_page_start);
  gtk_widget_class_install_action (widget_class, "train.cancel", NULL, cradle_train_page_cancel);
  gtk_widget_class_install_action (widget_class, "train.compare", NULL, cradle_train_page_compare);
  gtk_widget_class_install_action (widget_class, "train.save-model", NULL, cradle_train_page_save_model);
  gtk_widget_class_install_action (widget_class, "train.export-report", NULL,
                                   cradle_train_page_export_report_action);
  gtk_widget_class_install_action (widget_class, "train.export-plot", "s",
                                   cradle_train_page_export_plot_action);
  gtk_widget_class_install_action (widget_class, "train.import-model", NULL,
                                   cradle_train_page_import_model_action);
  gtk_widget_class_install_action (widget_class, "train.activate-model", "x", cradle_train_page_activate_model);
  gtk_widget_class_install_action (widget_class, "train.rename-model", "x", cradle_train_page_rename_model);
  gtk_widget_class_install_action (widget_class, "train.delete-model", "x", cradle_train_page_delete_model);
  gtk_widget_class_install_action (widget_class, "train.export-model", "x", cradle_train_page_export_model);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "train.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "train.start", NULL);
}

static void
cradle_train_page_init (CradleTrainPage *self)
{
  GSettings *settings;

  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_row_free);
  self->param_widgets = g_ptr_array_new ();
  self->data_rows = g_ptr_array_new ();
  self->model_rows = g_ptr_array_new ();
  self->status = g_strdup ("");

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->task_row, "notify::selected", G_CALLBACK (task_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->folds_spin, "value-changed", G_CALLBACK (task_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->confusion_view, "cell-activated", G_CALLBACK (cell_activated_cb), self, 0);
  g_signal_connect_object (self->roc_view, "point-activated", G_CALLBACK (curve_point_activated_cb), self, 0);
  g_signal_connect_object (self->pr_view, "point-activated", G_CALLBACK (curve_point_activated_cb), self, 0);
  g_signal_connect_object (self->features_view, "point-activated", G_CALLBACK (features_point_activated_cb),
                           self, 0);
  settings = cradle_train_page_settings ();
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::alert-threshold", G_CALLBACK (settings_threshold_cb), self, 0);
      g_signal_connect_object (settings, "changed::detect-model", G_CALLBACK (settings_models_cb), self, 0);
      g_signal_connect_object (settings, "changed::cause-model", G_CALLBACK (settings_models_cb), self, 0);
    }
  rebuild_param_rows (self);
  update_actions (self);
}

/* ---- Public API -------------------------------------------------------------------- */

CradleStore *
cradle_train_page_get_store (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->store;
}

void
cradle_train_page_set_store (CradleTrainPage *self,
                             CradleStore     *store)
{
  g_return_if_fail (CRADLE_IS_TRAIN_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* Progress and results of work on the previous dataset are dropped. */
  self->generation++;
  g_set_object (&self->store, store);
  if (store != NULL)
    self->store_changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);

  /* Results belong to the dataset they came from. */
  g_clear_pointer (&self->run, train_run_unref);
  g_clear_pointer (&self->compared, g_ptr_array_unref);
  g_clear_pointer (&self->cell_ids, g_array_unref);
  gtk_widget_set_visible (self->results_box, FALSE);
  gtk_widget_set_visible (self->curves_box, FALSE);
  clear_box (self->compare_box);
  clear_box (self->metrics_box);
  cradle_confusion_view_set_matrix (self->confusion_view, 0, NULL, NULL);
  cradle_curve_view_clear (self->roc_view);
  cradle_curve_view_clear (self->pr_view);
  cradle_curve_view_clear (self->features_view);
  cradle_curve_view_clear (self->loss_view);
  cradle_curve_view_clear (self->accuracy_view);
  cradle_importance_view_set (self->importance_view, NULL, NULL, 0, 0, NULL);
  cradle_importance_view_set (self->own_importance_view, NULL, NULL, 0, 0, NULL);
  gtk_widget_set_visible (self->own_importance_box, FALSE);
  set_status (self, NULL);
  self->can_train = FALSE;
  update_actions (self);
  cradle_train_page_refresh_summary (self);
  cradle_train_page_refresh_models (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
cradle_train_page_set_task (CradleTrainPage *self,
                            CradleTask       task)
{
  g_return_if_fail (CRADLE_IS_TRAIN_PAGE (self));

  adw_combo_row_set_selected (self->task_row, task == CRADLE_TASK_CAUSE ? 1 : 0);
}

CradleTask
cradle_train_page_get_task (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), CRADLE_TASK_DETECT);

  return selected_task (self);
}

void
cradle_train_page_set_kind (CradleTrainPage *self,
                            CradleModelKind  kind)
{
  g_return_if_fail (CRADLE_IS_TRAIN_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    if (all_kinds[i] == kind)
      adw_combo_row_set_selected (self->kind_row, i);
}

gboolean
cradle_train_page_set_param (CradleTrainPage *self,
                             const char      *name,
                             const char      *value)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), FALSE);

  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *param = g_ptr_array_index (self->params, i);

      if (g_str_equal (param->name, name))
        {
          gtk_editable_set_text (param->entry, value != NULL ? value : param->default_value);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
cradle_train_page_is_busy (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), FALSE);

  return self->busy_what != NULL || self->summary_cancellable != NULL;
}

const char *
cradle_train_page_get_missing (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->missing;
}

const char *
cradle_train_page_get_status (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->status;
}

CradleConfusionView *
cradle_train_page_get_confusion_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->confusion_view;
}

CradleCurveView *
cradle_train_page_get_roc_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->roc_view;
}

CradleCurveView *
cradle_train_page_get_pr_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->pr_view;
}

CradleCurveView *
cradle_train_page_get_features_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->features_view;
}

CradleImportanceView *
cradle_train_page_get_importance_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->importance_view;
}

CradleImportanceView *
cradle_train_page_get_own_importance_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->own_importance_view;
}

CradleCurveView *
cradle_train_page_get_loss_view (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->loss_view;
}

GArray *
cradle_train_page_get_cell_recordings (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), NULL);

  return self->cell_ids;
}

gint64
cradle_train_page_get_selected_point (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), 0);

  return self->point_id;
}

guint
cradle_train_page_get_n_compared (CradleTrainPage *self)
{
  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), 0);

  return self->compared != NULL ? self->compared->len : 0;
}
