/* cradle-cli-models.c — train, evaluate, predict and compare
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cradle-cli.h"
#include "cradle-metrics.h"
#include "cradle-model.h"
#include "cradle-split.h"
#include "cradle-trainer.h"

/* The default vocabulary's not-cry labels (a folder tree given to
 * `evaluate` has no vocabulary of its own). */
static const char * const not_cry_labels[] = { "background", "laugh", "speech", "silence", NULL };

/* ---- Shared options -------------------------------------------------------- */

typedef struct {
  char                     *task;
  char                     *model;
  char                     *models;
  int                       cv;
  int                       seed;
  char                     *out;
  char                     *name;
  gboolean                  json;
  gboolean                  curves;
  char                     *params;
  char                     *augment;
  gboolean                  augment_set;
  int                       search;
  char                     *space;
  char                     *balance;
  int                       threads;
  gboolean                  full_band_config;
  gboolean                  importance;
  int                       crops;
  gboolean                  room_tone;
  gboolean                  onset_crops;
  char                     *dataset;
  CradleCliAnalysisOptions  analysis;
} ModelOptions;

static void
model_options_clear (ModelOptions *o)
{
  g_free (o->task);
  g_free (o->model);
  g_free (o->models);
  g_free (o->out);
  g_free (o->name);
  g_free (o->params);
  g_free (o->augment);
  g_free (o->space);
  g_free (o->balance);
  g_free (o->dataset);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModelOptions, model_options_clear)

static gboolean
augment_cb (const char  *option_name,
            const char  *value,
            gpointer     data,
            GError     **error)
{
  ModelOptions *o = data;

  o->augment_set = TRUE;
  g_free (o->augment);
  o->augment = g_strdup (value != NULL ? value : "default");
  return TRUE;
}

static void
add_dataset_option (GOptionGroup *group,
                    ModelOptions *o)
{
  GOptionEntry entries[2] = { cradle_cli_dataset_option (&o->dataset), { NULL } };

  g_option_group_add_entries (group, entries);
}

/* The analysis configuration: the trainer's 8 kHz default, or with
 * --full-band-config the library's 16 kHz default; analysis options on top. */
static gboolean
make_config (const ModelOptions   *o,
             CradleAnalysisConfig *config,
             GError              **error)
{
  if (o->full_band_config)
    cradle_analysis_config_init_default (config);
  else
    cradle_trainer_default_config (config);
  return cradle_cli_analysis_options_apply (&o->analysis, config, error);
}

static gboolean
make_train_options (ModelOptions        *o,
                    CradleTrainOptions  *train,
                    CradleAugmentPolicy *policy,
                    GHashTable         **params,
                    GError             **error)
{
  cradle_train_options_init (train);
  train->seed = (guint32) o->seed;
  train->n_threads = o->threads > 0 ? (guint) o->threads : 0;
  if (o->balance == NULL || g_str_equal (o->balance, "weights"))
    train->balance = CRADLE_BALANCE_WEIGHTS;
  else if (g_str_equal (o->balance, "oversample"))
    train->balance = CRADLE_BALANCE_OVERSAMPLE;
  else if (g_str_equal (o->balance, "none"))
    train->balance = CRADLE_BALANCE_NONE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--balance must be weights, oversample or none, not “%s”", o->balance);
      return FALSE;
    }
  if (o->params != NULL)
    {
      *params = cradle_trainer_parse_params (o->params, error);
      if (*params == NULL)
        return FALSE;
      train->params = *params;
    }
  if (o->augment_set)
    {
      if (!cradle_augment_policy_parse (policy, o->augment, error))
        return FALSE;
      train->augment = policy;
    }
  return TRUE;
}

static void
print_metrics_row (const char *name,
                   double      accuracy,
                   double      balanced,
                   double      macro_f1,
                   double      weighted_f1,
                   double      auc,
                   const char *extra)
{
  printf ("  %-20s %8.3f %9.3f %9.3f", name, accuracy, balanced, macro_f1);
  if (isnan (weighted_f1))
    printf (" %11s", "–");
  else
    printf (" %11.3f", weighted_f1);
  if (isnan (auc))
    printf (" %8s", "–");
  else
    printf (" %8.3f", auc);
  printf ("%s%s\n", extra != NULL ? "  " : "", extra != NULL ? extra : "");
}

static void
print_metrics_header (void)
{
  printf ("  %-20s %8s %9s %9s %11s %8s\n", "", "accuracy", "balanced", "macro-F1", "weighted-F1",
          "ROC AUC");
}

static void
print_metrics_text (const CradleMetrics *m,
                    const char          *model_name)
{
  guint width = 7;

  print_metrics_header ();
  print_metrics_row (model_name, m->accuracy, m->balanced_accuracy, m->macro_f1, m->weighted_f1,
                     m->macro_roc_auc, NULL);
  {
    g_autofree char *name = g_strdup_printf ("baseline (%s)", m->labels[m->baseline_class]);

    print_metrics_row (name, m->baseline_accuracy, m->baseline_balanced_accuracy,
                       m->baseline_macro_f1, NAN, NAN, NULL);
  }

  printf ("\n  %-14s %9s %8s %8s %8s %8s %8s\n", "class", "precision", "recall", "F1", "support",
          "ROC AUC", "AP");
  for (guint c = 0; c < m->n_classes; c++)
    {
      printf ("  %-14s %9.3f %8.3f %8.3f %8u", m->labels[c], m->precision[c], m->recall[c], m->f1[c],
              m->support[c]);
      if (isnan (m->roc_auc[c]))
        printf (" %8s %8s\n", "–", "–");
      else
        printf (" %8.3f %8.3f\n", m->roc_auc[c], m->average_precision[c]);
    }

  for (guint c = 0; c < m->n_classes; c++)
    width = MAX (width, (guint) strlen (m->labels[c]));
  printf ("\n  confusion (rows: truth, columns: predicted)\n  %-*s", width, "");
  for (guint c = 0; c < m->n_classes; c++)
    printf (" %*s", width, m->labels[c]);
  printf ("\n");
  for (guint t = 0; t < m->n_classes; t++)
    {
      printf ("  %-*s", width, m->labels[t]);
      for (guint p = 0; p < m->n_classes; p++)
        printf (" %*u", width, m->confusion[(gsize) t * m->n_classes + p]);
      printf ("\n");
    }
}

static void
print_top_confusions_text (const CradleCvResult *r,
                           const CradleTaskData *data)
{
  g_autoptr(GArray) top = cradle_metrics_top_confusions (r->metrics, 5);

  if (top->len == 0)
    return;
  printf ("\n  most common confusions (recording ids)\n");
  for (guint k = 0; k < top->len; k++)
    {
      const CradleConfusion *c = &g_array_index (top, CradleConfusion, k);
      guint shown = 0;

      printf ("  %4u × %s → %s:", c->count, data->classes[c->truth], data->classes[c->predicted]);
      for (guint i = 0; i < data->n && shown < 8; i++)
        if (data->y[i] == c->truth && r->metrics->predicted[i] == c->predicted)
          {
            printf (" %" G_GINT64_FORMAT, data->ids[i]);
            shown++;
          }
      printf ("%s\n", shown < c->count ? " …" : "");
    }
}

/* --crops, --room-tone, --onset-crops: CROPS filled in, or NULL without --crops. */
static const CradleCropOptions *
crop_options (const ModelOptions *o,
              CradleCropOptions  *crops)
{
  if (o->crops <= 0)
    return NULL;
  *crops = (CradleCropOptions) { .n_crops = (guint) o->crops, .seed = (guint32) o->seed,
                                 .room_tone = o->room_tone, .onset = o->onset_crops };
  return crops;
}

/* The task's data: whole recordings, or with CROPS (nullable) crops of each. */
static CradleTaskData *
load_task_data (CradleDataset              *dataset,
                CradleTask                  task,
                const CradleAnalysisConfig *config,
                gboolean                    vectors,
                gboolean                    images,
                guint                       n_threads,
                const CradleCropOptions    *crops,
                gboolean                    quiet)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *classes = NULL;
  CradleTaskData *data;

  if (crops != NULL)
    data = cradle_task_data_load_crops (dataset, task, config, crops, vectors, images,
                                        n_threads, NULL, &error);
  else
    data = cradle_task_data_load (dataset, task, config, vectors, images, n_threads, NULL, &error);

  if (data == NULL)
    {
      cradle_cli_print_error (error);
      return NULL;
    }
  if (!quiet)
    printf ("%s: %u %s in %u groups, classes %s; features %u cached, %u computed in %.1f s "
            "(analysis %u Hz, %s)\n",
            cradle_task_to_string (task), data->n,
            crops != NULL ? "crops of recordings" : "recordings",
            cradle_split_count_groups ((const char * const *) data->groups, data->n),
            classes = g_strjoinv ("/", data->classes), data->n_cache_hits, data->n_computed,
            (g_get_monotonic_time () - start) / 1e6, config->sample_rate, data->config_hash);
  return data;
}

/* ---- train ------------------------------------------------------------------ */

int
cradle_cli_train (int    argc,
                  char **argv)
{
  g_auto(ModelOptions) o = { .cv = 5, .seed = 1 };
  const GOptionEntry entries[] = {
    { "task", 't', 0, G_OPTION_ARG_STRING, &o.task, "detect (cry or not) or cause (among cry labels)", "TASK" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &o.model, "logreg, svm, rf, gbt or cnn", "KIND" },
    { "cv", 0, 0, G_OPTION_ARG_INT, &o.cv, "Grouped cross-validation folds (5; 0: none)", "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &o.seed, "Seed of folds, augmentation and training (1)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out,
      "Fit on all data, save the model to FILE and record it in the dataset", "FILE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, "Name of the recorded model (TASK-KIND)", "NAME" },
    { "params", 'p', 0, G_OPTION_ARG_STRING, &o.params, "Hyperparameters name=value,…", "LIST" },
    { "augment", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, augment_cb,
      "Augment training folds: default, all, or gain,noise,shift,mix,stretch,pitch,copies=N", "SPEC" },
    { "search", 0, 0, G_OPTION_ARG_INT, &o.search,
      "Search N hyperparameter candidates by grouped CV first, then use the best", "N" },
    { "space", 0, 0, G_OPTION_ARG_STRING, &o.space,
      "Search space name=v1|v2,… (a built-in one per kind)", "SPACE" },
    { "balance", 0, 0, G_OPTION_ARG_STRING, &o.balance, "weights (default), oversample or none", "HOW" },
    { "importance", 0, 0, G_OPTION_ARG_NONE, &o.importance,
      "Permutation importance on held-out folds, and the model's own (tree gain, |coef|)", NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o.threads, "Threads (every core)", "N" },
    { "crops", 0, 0, G_OPTION_ARG_INT, &o.crops,
      "Train and score on N crops of --clip-seconds from each recording (seeded; quiet crops of cries redrawn)", "N" },
    { "room-tone", 0, 0, G_OPTION_ARG_NONE, &o.room_tone,
      "With --crops: every second not-cry crop at a random level over quiet room tone", NULL },
    { "onset-crops", 0, 0, G_OPTION_ARG_NONE, &o.onset_crops,
      "With --crops: every fourth crop the start of the sound over room tone, and faint cry crops kept "
      "(sooner alerts, more false alarms)", NULL },
    { "full-band-config", 0, 0, G_OPTION_ARG_NONE, &o.full_band_config,
      "Analyse at the library's 16 kHz default instead of the 8 kHz model default", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, "One JSON object", NULL },
    { "curves", 0, 0, G_OPTION_ARG_NONE, &o.curves, "With --json: ROC and PR points", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— train a model on the dataset");
  g_autoptr(GOptionGroup) main_group = g_option_group_new (NULL, NULL, NULL, &o, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) best_params = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autoptr(JsonNode) cv_json = NULL;
  CradleAnalysisConfig config;
  CradleTrainOptions train;
  CradleAugmentPolicy policy;
  CradleCropOptions crops;
  CradleTask task;
  CradleModelKind kind;
  gint64 model_id = 0;

  g_option_context_set_summary (context,
    "Trains a model on the dataset's confirmed labels. With --cv K (default 5) the model is\n"
    "first scored by grouped K-fold cross-validation (no baby or source group on both sides;\n"
    "augmentation only inside training folds) beside the majority-class baseline; with --out\n"
    "it is then fitted on all data, saved and recorded in the dataset's models table.");
  g_option_group_add_entries (main_group, entries);
  add_dataset_option (main_group, &o);
  g_option_context_set_main_group (context, g_steal_pointer (&main_group));
  g_option_context_add_group (context, cradle_cli_analysis_option_group (&o.analysis));
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (o.task == NULL || !cradle_task_from_string (o.task, &task))
    {
      fprintf (stderr, "cradle-cli: train needs --task detect or --task cause\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (o.model == NULL || !cradle_model_kind_from_string (o.model, &kind))
    {
      fprintf (stderr, "cradle-cli: train needs --model logreg, svm, rf, gbt or cnn\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (o.cv == 1 || o.cv < 0 || o.search < 0 || (o.cv == 0 && o.out == NULL))
    {
      fprintf (stderr, "cradle-cli: --cv must be 0 (with --out) or at least 2\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (o.crops < 0 || o.crops > CRADLE_TRAINER_MAX_CROPS || (o.crops > 0 && o.augment_set) ||
      ((o.room_tone || o.onset_crops) && o.crops <= 0))
    {
      fprintf (stderr, "cradle-cli: --crops must be 0 to %u, cannot be combined with --augment, and "
               "--room-tone and --onset-crops need it\n", CRADLE_TRAINER_MAX_CROPS);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!make_config (&o, &config, &error) ||
      !make_train_options (&o, &train, &policy, &params, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_USAGE;
    }
  train.kind = kind;

  dataset = cradle_cli_open_dataset (o.dataset, &error);
  if (dataset == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  data = load_task_data (dataset, task, &config, kind != CRADLE_MODEL_CNN, kind == CRADLE_MODEL_CNN,
                         train.n_threads, crop_options (&o, &crops), o.json);
  if (data == NULL)
    return CRADLE_CLI_EXIT_ERROR;

  if (o.search > 0)
    {
      trials = cradle_trainer_search (data, &train, o.space, (guint) o.search, o.cv >= 2 ? (guint) o.cv : 5,
                                      &error);
      if (trials == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      if (!o.json)
        {
          printf ("\nhyperparameter search: %u candidates by grouped CV\n  %9s %9s %8s  %s\n",
                  trials->len, "macro-F1", "balanced", "seconds", "parameters");
          for (guint t = 0; t < trials->len; t++)
            {
              CradleSearchTrial *trial = g_ptr_array_index (trials, t);
              g_autoptr(GString) text = g_string_new (NULL);
              g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (trial->params),
                                                   (GCompareFunc) g_strcmp0);

              for (GList *l = keys; l != NULL; l = l->next)
                g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "," : "", (char *) l->data,
                                        (char *) g_hash_table_lookup (trial->params, l->data));
              if (trial->error != NULL)
                printf ("  %9s %9s %8s  %s (%s)\n", "–", "–", "–", text->str, trial->error);
              else
                printf ("  %9.3f %9.3f %8.2f  %s\n", trial->macro_f1, trial->balanced_accuracy,
                        trial->seconds, text->str);
            }
        }
      if (trials->len > 0 && ((CradleSearchTrial *) g_ptr_array_index (trials, 0))->error == NULL)
        {
          best_params = g_hash_table_ref (((CradleSearchTrial *) g_ptr_array_index (trials, 0))->params);
          train.params = best_params;
        }
    }

  if (o.cv >= 2)
    {
      cv = cradle_trainer_cross_validate (data, &train, (guint) o.cv, NULL, o.importance, &error);
      if (cv == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      cv_json = cradle_cv_result_to_json (cv, data, o.curves);
      if (!o.json)
        {
          printf ("\n%s, %s: grouped %d-fold cross-validation, seed %d, %.2f s",
                  cradle_task_to_string (task), o.model, o.cv, o.seed, cv->seconds);
          if (isfinite (cv->seconds_per_epoch))
            printf (" (%.2f s per epoch, %u epochs)", cv->seconds_per_epoch, cv->n_epochs);
          if (cv->n_augmented > 0)
            printf (", %u augmented training clips", cv->n_augmented);
          printf ("\n");
          print_metrics_text (cv->metrics, o.model);
          print_top_confusions_text (cv, data);
          if (cv->full_band != NULL)
            {
              printf ("\n  full-band recordings only (stored above %u Hz: %u of %u)\n",
                      CRADLE_TRAINER_NARROW_BAND_RATE, cv->full_band->n, data->n);
              print_metrics_header ();
              print_metrics_row (o.model, cv->full_band->accuracy, cv->full_band->balanced_accuracy,
                                 cv->full_band->macro_f1, cv->full_band->weighted_f1,
                                 cv->full_band->macro_roc_auc, NULL);
            }
          if (cv->importance != NULL)
            {
              g_autofree guint *order = g_new (guint, data->n_features);

              for (guint c = 0; c < data->n_features; c++)
                order[c] = c;
              for (guint a = 0; a < data->n_features; a++)
                for (guint b = a + 1; b < data->n_features; b++)
                  if (cv->importance[order[b]] > cv->importance[order[a]])
                    {
                      guint t = order[a];

                      order[a] = order[b];
                      order[b] = t;
                    }
              printf ("\n  permutation importance (macro-F1 drop on held-out folds), top 10\n");
              for (guint c = 0; c < MIN (10, data->n_features); c++)
                printf ("  %-24s %8.4f\n", data->feature_names[order[c]], cv->importance[order[c]]);
            }
        }
    }

  if (o.out != NULL)
    {
      model = cradle_trainer_fit (data, &train, cv_json, &error);
      if (model == NULL || !cradle_model_save (model, o.out, &error) ||
          (model_id = cradle_trainer_record_model (dataset, model, o.out, o.name, &error)) == 0)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      if (!o.json)
        {
          g_autofree char *describe = cradle_model_describe (model);

          printf ("\nsaved %s (model %" G_GINT64_FORMAT " in the dataset): %s\n", o.out, model_id, describe);
          if (o.importance && kind != CRADLE_MODEL_CNN)
            {
              g_autofree float *imp = g_new0 (float, data->n_features);

              if (cradle_classifier_feature_importance (cradle_model_get_classifier (model), imp))
                {
                  guint best[10];
                  guint n_best = 0;

                  for (guint c = 0; c < data->n_features; c++)
                    {
                      guint at = n_best < 10 ? n_best++ : 10;

                      if (at == 10 && imp[c] <= imp[best[9]])
                        continue;
                      if (at == 10)
                        at = 9;
                      while (at > 0 && imp[best[at - 1]] < imp[c])
                        {
                          best[at] = best[at - 1];
                          at--;
                        }
                      best[at] = c;
                    }
                  printf ("  the model's own importance (%s), top 10\n",
                          kind == CRADLE_MODEL_LOGREG ? "|coefficient| summed over classes" : "total gain");
                  for (guint c = 0; c < n_best; c++)
                    printf ("  %-24s %10.4g\n", data->feature_names[best[c]], (double) imp[best[c]]);
                }
            }
        }
    }

  if (o.json)
    {
      g_autoptr(JsonNode) root = cv_json != NULL ? json_node_copy (cv_json) : json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj;

      if (cv_json == NULL)
        json_node_take_object (root, json_object_new ());
      obj = json_node_get_object (root);
      json_object_set_string_member (obj, "task", cradle_task_to_string (task));
      json_object_set_string_member (obj, "kind", o.model);
      json_object_set_int_member (obj, "seed", o.seed);
      json_object_set_int_member (obj, "n_recordings", data->n);
      if (o.out != NULL)
        {
          json_object_set_string_member (obj, "model_path", o.out);
          json_object_set_int_member (obj, "model_id", model_id);
        }
      if (train.params != NULL)
        {
          JsonObject *p = json_object_new ();
          GHashTableIter iter;
          gpointer k, v;

          g_hash_table_iter_init (&iter, train.params);
          while (g_hash_table_iter_next (&iter, &k, &v))
            json_object_set_string_member (p, k, v);
          json_object_set_object_member (obj, "params", p);
        }
      if (trials != NULL)
        {
          JsonArray *a = json_array_new ();

          for (guint t = 0; t < trials->len; t++)
            {
              CradleSearchTrial *trial = g_ptr_array_index (trials, t);
              JsonObject *item = json_object_new ();
              JsonObject *p = json_object_new ();
              GHashTableIter iter;
              gpointer k, v;

              g_hash_table_iter_init (&iter, trial->params);
              while (g_hash_table_iter_next (&iter, &k, &v))
                json_object_set_string_member (p, k, v);
              json_object_set_object_member (item, "params", p);
              if (isnan (trial->macro_f1))
                json_object_set_null_member (item, "macro_f1");
              else
                json_object_set_double_member (item, "macro_f1", trial->macro_f1);
              if (trial->error != NULL)
                json_object_set_string_member (item, "error", trial->error);
              json_array_add_object_element (a, item);
            }
          json_object_set_array_member (obj, "search", a);
        }
      cradle_cli_print_json_line (root);
    }
  return CRADLE_CLI_EXIT_OK;
}

/* ---- Features of one file for a model ---------------------------------------- */

static gboolean
model_input_of_file (CradleModel             *model,
                     CradleFeatureExtractor  *extractor,
                     const char              *path,
                     float                   *out,
                     GError                 **error)
{
  const CradleAnalysisConfig *config = cradle_model_get_config (model);
  g_autoptr(GError) local = NULL;
  CradleAudio *audio;
  g_autofree float *clip = NULL;
  g_autofree float *mel = NULL;
  gsize clip_n;
  guint n_frames = 0;

  if (cradle_model_get_input (model) == CRADLE_MODEL_INPUT_CLIP_VECTOR)
    return cradle_feature_extractor_file_vector (extractor, path, out, NULL, error);

  audio = cradle_audio_load (path, config->sample_rate, error);
  if (audio == NULL)
    return FALSE;
  clip_n = cradle_analysis_config_clip_samples (config);
  clip = g_new (float, clip_n);
  cradle_preprocess_clip (config, audio->samples, audio->n_samples, clip);
  cradle_audio_free (audio);
  mel = cradle_feature_extractor_log_mel (extractor, clip, clip_n, &n_frames);
  if (n_frames != cradle_model_get_height (model) || config->n_mels != cradle_model_get_width (model))
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_MISMATCH,
                   "%s gives a %u × %u log-mel image; the model wants %u × %u", path, n_frames,
                   config->n_mels, cradle_model_get_height (model), cradle_model_get_width (model));
      return FALSE;
    }
  memcpy (out, mel, (gsize) n_frames * config->n_mels * sizeof (float));
  return TRUE;
}

static CradleModel *
load_model_or_report (const char *path)
{
  g_autoptr(GError) error = NULL;
  CradleModel *model;

  if (path == NULL)
    {
      fprintf (stderr, "cradle-cli: --model FILE is required\n");
      return NULL;
    }
  model = cradle_model_load (path, &error);
  if (model == NULL)
    cradle_cli_print_error (error);
  return model;
}

/* ---- predict ------------------------------------------------------------------ */

int
cradle_cli_predict (int    argc,
                    char **argv)
{
  g_autofree char *model_path = NULL;
  gboolean json = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The model file", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per file, one per line", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("AUDIO… — label audio files with a model");
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  g_autofree float *proba = NULL;
  const char * const *labels;
  guint n_classes;
  int status = CRADLE_CLI_EXIT_OK;

  g_option_context_set_summary (context,
    "Loads each file, analyses it under the model's own configuration and prints the most\n"
    "probable label and every class probability.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      fprintf (stderr, "cradle-cli: predict needs at least one AUDIO file\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  model = load_model_or_report (model_path);
  if (model == NULL)
    return model_path == NULL ? CRADLE_CLI_EXIT_USAGE : CRADLE_CLI_EXIT_ERROR;
  extractor = cradle_feature_extractor_new (cradle_model_get_config (model), &error);
  if (extractor == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  n_classes = cradle_model_get_n_classes (model);
  labels = cradle_model_get_labels (model);
  x = g_new (float, cradle_model_get_n_features (model));
  proba = g_new (float, n_classes);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) file_error = NULL;
      guint best = 0;

      if (!model_input_of_file (model, extractor, files[i], x, &file_error))
        {
          cradle_cli_print_error (file_error);
          status = CRADLE_CLI_EXIT_ERROR;
          continue;
        }
      cradle_model_predict_proba (model, x, 1, proba);
      for (guint c = 1; c < n_classes; c++)
        if (proba[c] > proba[best])
          best = c;
      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, files[i]);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, labels[best]);
          json_builder_set_member_name (b, "probabilities");
          json_builder_begin_object (b);
          for (guint c = 0; c < n_classes; c++)
            {
              json_builder_set_member_name (b, labels[c]);
              json_builder_add_double_value (b, cradle_cli_float_for_json (proba[c]));
            }
          json_builder_end_object (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cradle_cli_print_json_line (root);
        }
      else
        {
          printf ("%s  %s (%.3f)  ", files[i], labels[best], (double) proba[best]);
          for (guint c = 0; c < n_classes; c++)
            printf (" %s=%.3f", labels[c], (double) proba[c]);
          printf ("\n");
        }
    }
  return status;
}

/* ---- evaluate ----------------------------------------------------------------- */

static gboolean
is_not_cry (const char *label)
{
  return g_strv_contains (not_cry_labels, label);
}

/* The model class of a vocabulary LABEL, or -1. */
static int
class_of_label (CradleModel *model,
                const char  *label,
                gboolean     label_is_cry)
{
  if (cradle_model_get_task (model) == CRADLE_TASK_DETECT)
    return cradle_model_find_label (model, label_is_cry ? "cry" : "not-cry");
  return cradle_model_find_label (model, label);
}

int
cradle_cli_evaluate (int    argc,
                     char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *dataset_dir = NULL;
  gboolean json = FALSE;
  gboolean curves = FALSE;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The model file", "FILE" },
    cradle_cli_dataset_option (&dataset_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object", NULL },
    { "curves", 0, 0, G_OPTION_ARG_NONE, &curves, "With --json: ROC and PR points", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[DIR] — score a model on labelled audio");
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleMetrics) metrics = NULL;
  g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) proba = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) skipped_folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree float *x = NULL;
  g_autofree float *p = NULL;
  guint n_classes;
  guint n_features;
  guint n_failed = 0;
  int baseline = -1;
  JsonNode *trained;

  g_option_context_set_summary (context,
    "Scores a model on labelled audio: DIR with one subfolder per label (named as import\n"
    "understands them: vocabulary names, donateacry and ESC-50 class names such as hungry,\n"
    "belly_pain, crying_baby, noise), read in place without importing it; or, without DIR, the\n"
    "dataset's confirmed recordings. Prints accuracy, balanced accuracy, macro-F1, per-class\n"
    "scores, the confusion matrix, ROC AUC and the majority baseline of the model's training data.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (rest != NULL && g_strv_length (rest) > 1)
    {
      fprintf (stderr, "cradle-cli: evaluate takes one DIR\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  model = load_model_or_report (model_path);
  if (model == NULL)
    return model_path == NULL ? CRADLE_CLI_EXIT_USAGE : CRADLE_CLI_EXIT_ERROR;
  extractor = cradle_feature_extractor_new (cradle_model_get_config (model), &error);
  if (extractor == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  n_classes = cradle_model_get_n_classes (model);
  n_features = cradle_model_get_n_features (model);
  x = g_new (float, n_features);
  p = g_new (float, n_classes);

  if (rest != NULL && rest[0] != NULL)
    {
      g_autoptr(CradleLabelMap) map = cradle_label_map_new ();
      g_autoptr(GPtrArray) files = cradle_cli_list_audio_files (rest[0], &error);

      if (files == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      for (guint f = 0; f < files->len; f++)
        {
          const char *path = g_ptr_array_index (files, f);
          g_autofree char *folder_path = g_path_get_dirname (path);
          g_autofree char *folder = g_path_get_basename (folder_path);
          const char *label = cradle_label_map_lookup (map, folder);
          g_autoptr(GError) file_error = NULL;
          int cls;

          cls = label != NULL && !g_str_equal (label, CRADLE_IMPORT_UNLABELED)
                ? class_of_label (model, label, !is_not_cry (label)) : -1;
          if (cls < 0)
            {
              g_hash_table_add (skipped_folders, g_strdup (folder));
              continue;
            }
          if (!model_input_of_file (model, extractor, path, x, &file_error))
            {
              cradle_cli_print_error (file_error);
              n_failed++;
              continue;
            }
          cradle_model_predict_proba (model, x, 1, p);
          g_array_append_val (y, cls);
          g_array_append_vals (proba, p, n_classes);
          g_ptr_array_add (names, g_strdup (path));
        }
    }
  else
    {
      g_autoptr(CradleDataset) dataset = cradle_cli_open_dataset (dataset_dir, &error);
      g_autoptr(GPtrArray) recordings = NULL;

      if (dataset == NULL || (recordings = cradle_dataset_list_recordings (dataset, NULL, &error)) == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      for (guint r = 0; r < recordings->len; r++)
        {
          CradleRecording *rec = g_ptr_array_index (recordings, r);
          g_autoptr(GError) file_error = NULL;
          g_autofree char *path = NULL;
          gboolean is_cry = FALSE;
          int cls;

          if (rec->label_status != CRADLE_LABEL_STATUS_CONFIRMED || rec->label == NULL ||
              !cradle_dataset_lookup_label (dataset, rec->label, &is_cry))
            continue;
          cls = class_of_label (model, rec->label, is_cry);
          if (cls < 0)
            continue;
          path = cradle_dataset_resolve_path (dataset, rec->path);
          if (!model_input_of_file (model, extractor, path, x, &file_error))
            {
              cradle_cli_print_error (file_error);
              n_failed++;
              continue;
            }
          cradle_model_predict_proba (model, x, 1, p);
          g_array_append_val (y, cls);
          g_array_append_vals (proba, p, n_classes);
          g_ptr_array_add (names, g_steal_pointer (&path));
        }
    }

  if (y->len == 0)
    {
      g_autofree char *classes = g_strjoinv (", ", (char **) cradle_model_get_labels (model));

      fprintf (stderr, "cradle-cli: nothing to evaluate: no audio file under a folder that names one "
                       "of the model's classes (%s)\n", classes);
      return CRADLE_CLI_EXIT_ERROR;
    }

  /* The baseline always predicts the majority of the model's training data. */
  trained = cradle_model_get_metrics (model);
  if (trained != NULL && JSON_NODE_HOLDS_OBJECT (trained) &&
      json_object_has_member (json_node_get_object (trained), "baseline_label"))
    baseline = cradle_model_find_label (model, json_object_get_string_member (json_node_get_object (trained),
                                                                              "baseline_label"));
  if (baseline < 0)
    baseline = (int) cradle_metrics_majority_class ((guint *) y->data, y->len, n_classes);
  metrics = cradle_metrics_compute ((guint *) y->data, (float *) proba->data, y->len, n_classes,
                                    cradle_model_get_labels (model), (guint) baseline);

  if (json)
    {
      g_autoptr(JsonNode) root = cradle_metrics_to_json (metrics, curves);
      JsonObject *obj = json_node_get_object (root);
      g_autoptr(GArray) top = cradle_metrics_top_confusions (metrics, 10);
      JsonArray *confusions = json_array_new ();

      json_object_set_string_member (obj, "model", model_path);
      json_object_set_string_member (obj, "task", cradle_task_to_string (cradle_model_get_task (model)));
      json_object_set_string_member (obj, "kind", cradle_model_kind_to_string (cradle_model_get_kind (model)));
      json_object_set_int_member (obj, "failed", n_failed);
      for (guint k = 0; k < top->len; k++)
        {
          const CradleConfusion *c = &g_array_index (top, CradleConfusion, k);
          JsonObject *item = json_object_new ();
          JsonArray *files = json_array_new ();

          json_object_set_string_member (item, "truth", metrics->labels[c->truth]);
          json_object_set_string_member (item, "predicted", metrics->labels[c->predicted]);
          json_object_set_int_member (item, "count", c->count);
          for (guint i = 0; i < y->len && json_array_get_length (files) < 10; i++)
            if (g_array_index (y, guint, i) == c->truth && metrics->predicted[i] == c->predicted)
              json_array_add_string_element (files, g_ptr_array_index (names, i));
          json_object_set_array_member (item, "files", files);
          json_array_add_object_element (confusions, item);
        }
      json_object_set_array_member (obj, "top_confusions", confusions);
      cradle_cli_print_json_line (root);
    }
  else
    {
      GHashTableIter iter;
      gpointer key;

      printf ("%s (%s %s) on %u files\n", model_path, cradle_task_to_string (cradle_model_get_task (model)),
              cradle_model_kind_to_string (cradle_model_get_kind (model)), y->len);
      print_metrics_text (metrics, cradle_model_kind_to_string (cradle_model_get_kind (model)));
      g_hash_table_iter_init (&iter, skipped_folders);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        printf ("skipped folder “%s”: not one of the model's classes\n", (char *) key);
    }
  return n_failed > 0 ? CRADLE_CLI_EXIT_ERROR : CRADLE_CLI_EXIT_OK;
}

/* ---- compare ------------------------------------------------------------------ */

int
cradle_cli_compare (int    argc,
                    char **argv)
{
  g_auto(ModelOptions) o = { .cv = 5, .seed = 1 };
  const GOptionEntry entries[] = {
    { "task", 't', 0, G_OPTION_ARG_STRING, &o.task, "detect or cause", "TASK" },
    { "models", 0, 0, G_OPTION_ARG_STRING, &o.models,
      "Comma-separated kinds (logreg,svm,rf,gbt,cnn: all)", "LIST" },
    { "cv", 0, 0, G_OPTION_ARG_INT, &o.cv, "Grouped cross-validation folds (5)", "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &o.seed, "Seed of folds and training (1)", "N" },
    { "augment", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, augment_cb,
      "Augment training folds (see train --help)", "SPEC" },
    { "balance", 0, 0, G_OPTION_ARG_STRING, &o.balance, "weights (default), oversample or none", "HOW" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o.threads, "Threads (every core)", "N" },
    { "crops", 0, 0, G_OPTION_ARG_INT, &o.crops,
      "Train and score on N crops of --clip-seconds from each recording (seeded; quiet crops of cries redrawn)", "N" },
    { "room-tone", 0, 0, G_OPTION_ARG_NONE, &o.room_tone,
      "With --crops: every second not-cry crop at a random level over quiet room tone", NULL },
    { "onset-crops", 0, 0, G_OPTION_ARG_NONE, &o.onset_crops,
      "With --crops: every fourth crop the start of the sound over room tone, and faint cry crops kept "
      "(sooner alerts, more false alarms)", NULL },
    { "full-band-config", 0, 0, G_OPTION_ARG_NONE, &o.full_band_config,
      "Analyse at the library's 16 kHz default instead of the 8 kHz model default", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, "One JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— every model on the same grouped folds");
  g_autoptr(GOptionGroup) main_group = g_option_group_new (NULL, NULL, NULL, &o, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GArray) kinds = g_array_new (FALSE, FALSE, sizeof (CradleModelKind));
  CradleAnalysisConfig config;
  CradleTrainOptions train;
  CradleAugmentPolicy policy;
  CradleCropOptions crops;
  CradleTask task;
  gboolean any_cnn = FALSE;
  gboolean any_vector = FALSE;
  gint64 start = g_get_monotonic_time ();
  double feature_seconds;
  const CradleMetrics *first;

  g_option_context_set_summary (context,
    "Cross-validates every model kind on the same grouped folds and prints one table: accuracy,\n"
    "balanced accuracy, macro-F1, weighted F1 and seconds, with the majority-class baseline.");
  g_option_group_add_entries (main_group, entries);
  add_dataset_option (main_group, &o);
  g_option_context_set_main_group (context, g_steal_pointer (&main_group));
  g_option_context_add_group (context, cradle_cli_analysis_option_group (&o.analysis));
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (o.task == NULL || !cradle_task_from_string (o.task, &task))
    {
      fprintf (stderr, "cradle-cli: compare needs --task detect or --task cause\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (o.cv < 2)
    {
      fprintf (stderr, "cradle-cli: --cv must be at least 2\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (o.crops < 0 || o.crops > CRADLE_TRAINER_MAX_CROPS || (o.crops > 0 && o.augment_set) ||
      ((o.room_tone || o.onset_crops) && o.crops <= 0))
    {
      fprintf (stderr, "cradle-cli: --crops must be 0 to %u, cannot be combined with --augment, and "
               "--room-tone and --onset-crops need it\n", CRADLE_TRAINER_MAX_CROPS);
      return CRADLE_CLI_EXIT_USAGE;
    }
  {
    g_auto(GStrv) names = g_strsplit (o.models != NULL ? o.models : "logreg,svm,rf,gbt,cnn", ",", -1);

    for (guint i = 0; names[i] != NULL; i++)
      {
        CradleModelKind kind;

        if (!cradle_model_kind_from_string (g_strstrip (names[i]), &kind))
          {
            fprintf (stderr, "cradle-cli: unknown model kind “%s” (logreg, svm, rf, gbt, cnn)\n", names[i]);
            return CRADLE_CLI_EXIT_USAGE;
          }
        g_array_append_val (kinds, kind);
        any_cnn |= kind == CRADLE_MODEL_CNN;
        any_vector |= kind != CRADLE_MODEL_CNN;
      }
  }
  if (!make_config (&o, &config, &error) ||
      !make_train_options (&o, &train, &policy, &params, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_USAGE;
    }
  dataset = cradle_cli_open_dataset (o.dataset, &error);
  if (dataset == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  data = load_task_data (dataset, task, &config, any_vector, any_cnn, train.n_threads,
                         crop_options (&o, &crops), o.json);
  if (data == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  feature_seconds = (g_get_monotonic_time () - start) / 1e6;

  results = cradle_trainer_compare (data, &train, (CradleModelKind *) kinds->data, kinds->len,
                                    (guint) o.cv, &error);
  if (results == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  first = ((CradleCvResult *) g_ptr_array_index (results, 0))->metrics;

  if (o.json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "task");
      json_builder_add_string_value (b, cradle_task_to_string (task));
      json_builder_set_member_name (b, "folds");
      json_builder_add_int_value (b, o.cv);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, o.seed);
      json_builder_set_member_name (b, "n_recordings");
      json_builder_add_int_value (b, data->n);
      json_builder_set_member_name (b, "sample_rate");
      json_builder_add_int_value (b, config.sample_rate);
      json_builder_set_member_name (b, "feature_seconds");
      json_builder_add_double_value (b, feature_seconds);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, (g_get_monotonic_time () - start) / 1e6);
      json_builder_set_member_name (b, "baseline");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, first->labels[first->baseline_class]);
      json_builder_set_member_name (b, "accuracy");
      json_builder_add_double_value (b, first->baseline_accuracy);
      json_builder_set_member_name (b, "balanced_accuracy");
      json_builder_add_double_value (b, first->baseline_balanced_accuracy);
      json_builder_set_member_name (b, "macro_f1");
      json_builder_add_double_value (b, first->baseline_macro_f1);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "models");
      json_builder_begin_array (b);
      for (guint m = 0; m < results->len; m++)
        {
          CradleCvResult *r = g_ptr_array_index (results, m);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, cradle_model_kind_to_string (r->kind));
          json_builder_set_member_name (b, "accuracy");
          json_builder_add_double_value (b, r->metrics->accuracy);
          json_builder_set_member_name (b, "balanced_accuracy");
          json_builder_add_double_value (b, r->metrics->balanced_accuracy);
          json_builder_set_member_name (b, "macro_f1");
          json_builder_add_double_value (b, r->metrics->macro_f1);
          json_builder_set_member_name (b, "weighted_f1");
          json_builder_add_double_value (b, r->metrics->weighted_f1);
          json_builder_set_member_name (b, "roc_auc");
          if (isnan (r->metrics->macro_roc_auc))
            json_builder_add_null_value (b);
          else
            json_builder_add_double_value (b, r->metrics->macro_roc_auc);
          json_builder_set_member_name (b, "seconds");
          json_builder_add_double_value (b, r->seconds);
          json_builder_set_member_name (b, "seconds_per_epoch");
          if (isfinite (r->seconds_per_epoch))
            json_builder_add_double_value (b, r->seconds_per_epoch);
          else
            json_builder_add_null_value (b);
          if (r->full_band != NULL)
            {
              json_builder_set_member_name (b, "full_band_macro_f1");
              json_builder_add_double_value (b, r->full_band->macro_f1);
              json_builder_set_member_name (b, "full_band_accuracy");
              json_builder_add_double_value (b, r->full_band->accuracy);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cradle_cli_print_json_line (root);
      return CRADLE_CLI_EXIT_OK;
    }

  printf ("\n%s: grouped %d-fold cross-validation, seed %d, the same folds for every model\n",
          cradle_task_to_string (task), o.cv, o.seed);
  printf ("  %-20s %8s %9s %9s %11s %8s %9s %11s\n", "model", "accuracy", "balanced", "macro-F1",
          "weighted-F1", "ROC AUC", "seconds", "full-band F1");
  for (guint m = 0; m < results->len; m++)
    {
      CradleCvResult *r = g_ptr_array_index (results, m);
      g_autofree char *extra = NULL;

      printf ("  %-20s %8.3f %9.3f %9.3f %11.3f %8.3f %9.2f", cradle_model_kind_to_string (r->kind),
              r->metrics->accuracy, r->metrics->balanced_accuracy, r->metrics->macro_f1,
              r->metrics->weighted_f1, r->metrics->macro_roc_auc, r->seconds);
      if (r->full_band != NULL)
        printf (" %11.3f", r->full_band->macro_f1);
      else
        printf (" %11s", "–");
      if (isfinite (r->seconds_per_epoch))
        printf ("  (%.2f s/epoch)", r->seconds_per_epoch);
      printf ("\n");
    }
  {
    g_autofree char *name = g_strdup_printf ("baseline (%s)", first->labels[first->baseline_class]);

    printf ("  %-20s %8.3f %9.3f %9.3f %11s %8s %9s %11s\n", name, first->baseline_accuracy,
            first->baseline_balanced_accuracy, first->baseline_macro_f1, "–", "–", "–", "–");
  }
  printf ("total %.2f s (features %.2f s)\n", (g_get_monotonic_time () - start) / 1e6, feature_seconds);
  return CRADLE_CLI_EXIT_OK;
}
