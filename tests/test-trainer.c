/* test-trainer.c — task data, grouped CV, cache, augmentation, final fit
 *
 * A small synthetic dataset is made through the dataset API: "cries" are
 * harmonic tones with vibrato, "backgrounds" are noise with a low hum, in
 * groups of three clips; two cry causes differ in pitch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <sqlite3.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-import.h"
#include "cradle-split.h"
#include "cradle-trainer.h"
#include "cradle-test-util.h"

#define SECONDS 1.5

typedef struct {
  char          *dir;
  CradleDataset *ds;
} Fixture;

static CradleAudio *
make_clip (guint   rate,
           gboolean cry,
           double  f0,
           guint32 seed)
{
  gsize n = (gsize) (SECONDS * rate);
  CradleAudio *audio = cradle_audio_new (rate, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double jitter = g_rand_double_range (rand, 0.9, 1.1);
  g_autofree float *noise = cradle_test_noise (n, cry ? 0.01 : 0.2, seed);

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double v = noise[i];

      if (cry)
        {
          double f = f0 * jitter * (1.0 + 0.03 * sin (2 * G_PI * 5.0 * t));
          double env = 0.5 + 0.5 * sin (2 * G_PI * 1.3 * t);

          for (guint h = 1; h <= 4; h++)
            v += env * 0.4 / h * sin (2 * G_PI * f * h * t);
        }
      else
        v += 0.1 * sin (2 * G_PI * 60.0 * jitter * t);
      audio->samples[i] = (float) CLAMP (v, -1.0, 1.0);
    }
  return audio;
}

/* AUDIO as a confirmed recording of LABEL in GROUP. */
static void
add_audio (CradleDataset     *ds,
           const CradleAudio *audio,
           const char        *label,
           const char        *group,
           gint64             created)
{
  g_autoptr(GError) error = NULL;
  CradleRecordingSpec spec = { 0 };

  spec.audio = audio;
  spec.label = label;
  spec.label_status = CRADLE_LABEL_STATUS_CONFIRMED;
  spec.confidence = -1;
  spec.group_key = group;
  spec.source = "import";
  spec.created = created;
  g_assert_cmpint (cradle_dataset_add_recording (ds, &spec, &error), >, 0);
  g_assert_no_error (error);
}

static void
add_clip (CradleDataset *ds,
          const char    *label,
          const char    *group,
          guint          rate,
          gboolean       cry,
          double         f0,
          guint32        seed)
{
  g_autoptr(CradleAudio) audio = make_clip (rate, cry, f0, seed);

  add_audio (ds, audio, label, group, 1700000000 + seed);
}

/* 8 groups of cries (4 hunger at 350 Hz, 4 pain at 600 Hz; 8 kHz), 8 groups
 * of backgrounds (16 kHz, so the set mixes bandwidths), one "sleepy" group
 * (too few groups for the cause task) and one "cry" (cause unknown). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint32 seed = 1;

  f->dir = g_dir_make_tmp ("cradle-trainer-XXXXXX", &error);
  g_assert_no_error (error);
  f->ds = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_begin (f->ds, &error));
  for (guint g = 0; g < 8; g++)
    for (guint k = 0; k < 3; k++)
      {
        g_autofree char *cry_group = g_strdup_printf ("baby-%u", g);
        g_autofree char *bg_group = g_strdup_printf ("room-%u", g);

        add_clip (f->ds, g < 4 ? "hunger" : "pain", cry_group, 8000, TRUE, g < 4 ? 350.0 : 600.0, seed++);
        add_clip (f->ds, g % 2 ? "background" : "silence", bg_group, 16000, FALSE, 0.0, seed++);
      }
  add_clip (f->ds, "sleepy", "baby-x", 8000, TRUE, 450.0, seed++);
  add_clip (f->ds, "cry", "baby-y", 8000, TRUE, 450.0, seed++);
  g_assert_true (cradle_dataset_commit (f->ds, &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->ds, cradle_dataset_free);
  cradle_test_rm_rf (f->dir);
  g_free (f->dir);
}

static gint64
count_rows (CradleDataset *ds,
            const char    *sql)
{
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (ds), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return n;
}

static void
test_task_data (Fixture       *f,
                gconstpointer  unused)
{
  CradleAnalysisConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) detect = NULL;
  g_autoptr(CradleTaskData) cause = NULL;
  g_autoptr(CradleTaskData) again = NULL;
  guint n_cry = 0;

  cradle_trainer_default_config (&config);
  g_assert_cmpuint (config.sample_rate, ==, 8000);
  g_assert_true (cradle_analysis_config_validate (&config, NULL));

  detect = cradle_task_data_load (f->ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detect->n, ==, 50);
  g_assert_cmpuint (detect->n_classes, ==, 2);
  g_assert_cmpstr (detect->classes[0], ==, "not-cry");
  g_assert_cmpstr (detect->classes[1], ==, "cry");
  for (guint i = 0; i < detect->n; i++)
    {
      n_cry += detect->y[i];
      g_assert_cmpuint (detect->y[i], ==, g_str_equal (detect->labels[i], "background") ||
                                          g_str_equal (detect->labels[i], "silence") ? 0 : 1);
      g_assert_true (isfinite (detect->x[(gsize) i * detect->n_features]));
    }
  g_assert_cmpuint (n_cry, ==, 26);
  g_assert_cmpuint (detect->n_computed, ==, 50);
  g_assert_cmpuint (detect->n_cache_hits, ==, 0);
  g_assert_cmpuint (strlen (detect->dataset_hash), ==, 64);

  /* Second run: every vector from the cache, the same values. */
  again = cradle_task_data_load (f->ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_cache_hits, ==, 50);
  g_assert_cmpuint (again->n_computed, ==, 0);
  g_assert_cmpmem (again->x, (gsize) 50 * again->n_features * sizeof (float),
                   detect->x, (gsize) 50 * detect->n_features * sizeof (float));
  g_assert_cmpstr (again->dataset_hash, ==, detect->dataset_hash);

  /* Cause: hunger and pain; sleepy has one group, "cry" names no cause. */
  cause = cradle_task_data_load (f->ds, CRADLE_TASK_CAUSE, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cause->n_classes, ==, 2);
  g_assert_cmpstr (cause->classes[0], ==, "hunger");
  g_assert_cmpstr (cause->classes[1], ==, "pain");
  g_assert_cmpuint (cause->n, ==, 24);
  g_assert_cmpuint (g_strv_length (cause->extra_backgrounds), ==, 24);
  g_assert_cmpuint (cause->n_cache_hits, ==, 24);  /* shared with detect */
}

static void
test_cross_validate (Fixture       *f,
                     gconstpointer  unused)
{
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  g_autoptr(CradleCvResult) cv2 = NULL;
  g_autoptr(GHashTable) fold_of_group = g_hash_table_new (g_str_hash, g_str_equal);

  cradle_trainer_default_config (&config);
  data = cradle_task_data_load (f->ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cradle_train_options_init (&options);
  options.kind = CRADLE_MODEL_LOGREG;
  options.n_threads = 2;
  options.seed = 3;

  cv = cradle_trainer_cross_validate (data, &options, 4, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cv);
  /* Out of fold: every row was predicted once, a distribution. */
  for (guint i = 0; i < data->n; i++)
    {
      double sum = cv->proba[i * 2] + cv->proba[i * 2 + 1];
      gpointer fold;

      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
      g_assert_cmpuint (cv->fold[i], <, 4);
      /* No leakage: a group sits in one fold only. */
      if (g_hash_table_lookup_extended (fold_of_group, data->groups[i], NULL, &fold))
        g_assert_cmpuint (GPOINTER_TO_UINT (fold), ==, cv->fold[i]);
      else
        g_hash_table_insert (fold_of_group, data->groups[i], GUINT_TO_POINTER (cv->fold[i]));
    }
  g_assert_cmpfloat (cv->metrics->macro_f1, >, 0.9);
  g_assert_cmpuint (cv->metrics->n, ==, 50);
  g_assert_cmpfloat_with_epsilon (cv->metrics->baseline_accuracy, 26.0 / 50.0, 1e-9);
  g_assert_nonnull (cv->full_band);  /* 8 and 16 kHz recordings mixed */
  g_assert_cmpuint (cv->full_band->n, ==, 24);
  g_assert_nonnull (cv->importance);
  g_assert_true (isnan (cv->seconds_per_epoch));

  /* The same seed repeats the run exactly. */
  cv2 = cradle_trainer_cross_validate (data, &options, 4, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (cv->fold, data->n * sizeof (guint), cv2->fold, data->n * sizeof (guint));
  g_assert_cmpmem (cv->proba, data->n * 2 * sizeof (float), cv2->proba, data->n * 2 * sizeof (float));

  /* More folds than groups. */
  g_clear_pointer (&cv2, cradle_cv_result_free);
  cv2 = cradle_trainer_cross_validate (data, &options, 40, NULL, FALSE, &error);
  g_assert_null (cv2);
  g_assert_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_TOO_FEW_GROUPS);
}

static void
test_augment_in_folds (Fixture       *f,
                       gconstpointer  unused)
{
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  CradleAugmentPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  guint expected = 0;
  gint64 cached_before;

  cradle_trainer_default_config (&config);
  data = cradle_task_data_load (f->ds, CRADLE_TASK_CAUSE, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cached_before = count_rows (f->ds, "SELECT count(*) FROM feature_cache");
  g_assert_true (cradle_augment_policy_parse (&policy, "noise,mix,shift,pitch,copies=2", &error));
  cradle_train_options_init (&options);
  options.kind = CRADLE_MODEL_LOGREG;
  options.n_threads = 2;
  options.augment = &policy;

  cv = cradle_trainer_cross_validate (data, &options, 4, NULL, FALSE, &error);
  g_assert_no_error (error);
  /* Copies of training clips only: each clip is in the training part of
   * k − 1 folds. */
  for (guint i = 0; i < data->n; i++)
    expected += 2 * (4 - 1);
  g_assert_cmpuint (cv->n_augmented, ==, expected);
  g_assert_cmpfloat (cv->metrics->macro_f1, >, 0.8);
  /* Nothing augmented reached the cache. */
  g_assert_cmpint (count_rows (f->ds, "SELECT count(*) FROM feature_cache"), ==, cached_before);
}

static void
test_fit_record (Fixture       *f,
                 gconstpointer  unused)
{
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(CradleModel) loaded = NULL;
  g_autoptr(JsonNode) metrics = NULL;
  g_autofree char *path = g_build_filename (f->dir, "detect.cradlemodel", NULL);
  g_autofree float *p1 = NULL;
  g_autofree float *p2 = NULL;
  gint64 id;

  cradle_trainer_default_config (&config);
  data = cradle_task_data_load (f->ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cradle_train_options_init (&options);
  options.kind = CRADLE_MODEL_RF;
  options.n_threads = 2;
  options.params = cradle_trainer_parse_params ("n_estimators=20,max_depth=4", &error);
  g_assert_no_error (error);
  cv = cradle_trainer_cross_validate (data, &options, 3, NULL, FALSE, &error);
  g_assert_no_error (error);
  metrics = cradle_cv_result_to_json (cv, data, FALSE);
  g_assert_true (json_object_has_member (json_node_get_object (metrics), "per_label"));
  model = cradle_trainer_fit (data, &options, metrics, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cradle_model_get_dataset_hash (model), ==, data->dataset_hash);
  g_assert_true (cradle_model_save (model, path, &error));
  g_assert_no_error (error);

  id = cradle_trainer_record_model (f->ds, model, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (count_rows (f->ds, "SELECT count(*) FROM models WHERE task = 'detect' AND kind = 'rf' "
                                      "AND name = 'detect-rf' AND metrics LIKE '%macro_f1%' "
                                      "AND length (dataset_hash) = 64"), ==, 1);

  /* The saved model predicts as the fitted one. */
  loaded = cradle_model_load (path, &error);
  g_assert_no_error (error);
  p1 = g_new (float, 2 * 5);
  p2 = g_new (float, 2 * 5);
  cradle_model_predict_proba (model, data->x, 5, p1);
  cradle_model_predict_proba (loaded, data->x, 5, p2);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpfloat_with_epsilon (p1[i], p2[i], 1e-5);
  g_hash_table_unref (options.params);
}

static void
test_compare_and_search (Fixture       *f,
                         gconstpointer  unused)
{
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  const CradleModelKind kinds[2] = { CRADLE_MODEL_LOGREG, CRADLE_MODEL_SVM };
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autoptr(GHashTable) params = NULL;
  CradleCvResult *a;
  CradleCvResult *b;

  cradle_trainer_default_config (&config);
  data = cradle_task_data_load (f->ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cradle_train_options_init (&options);
  options.n_threads = 2;
  results = cradle_trainer_compare (data, &options, kinds, 2, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  a = g_ptr_array_index (results, 0);
  b = g_ptr_array_index (results, 1);
  g_assert_cmpint (a->kind, ==, CRADLE_MODEL_LOGREG);
  g_assert_cmpint (b->kind, ==, CRADLE_MODEL_SVM);
  g_assert_cmpmem (a->fold, data->n * sizeof (guint), b->fold, data->n * sizeof (guint));

  /* Grid of 3, budget 2: two candidates drawn, best first; a bad value is
   * reported on its trial, not fatal. */
  trials = cradle_trainer_search (data, &options, "C=0.1|1|-5", 3, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trials->len, ==, 3);
  g_assert_null (((CradleSearchTrial *) g_ptr_array_index (trials, 0))->error);
  g_assert_nonnull (((CradleSearchTrial *) g_ptr_array_index (trials, 2))->error);
  g_clear_pointer (&trials, g_ptr_array_unref);
  trials = cradle_trainer_search (data, &options, NULL, 2, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trials->len, ==, 2);
  g_assert_true (((CradleSearchTrial *) g_ptr_array_index (trials, 0))->macro_f1 >=
                 ((CradleSearchTrial *) g_ptr_array_index (trials, 1))->macro_f1);
  g_assert_null (cradle_trainer_search (data, &options, "C", 2, 4, &error));
  g_assert_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID);
  g_clear_error (&error);

  params = cradle_trainer_parse_params ("channels=16,32,64,lr=0.01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "channels"), ==, "16,32,64");
  g_assert_cmpstr (g_hash_table_lookup (params, "lr"), ==, "0.01");
}

static void
test_no_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-trainer-XXXXXX", NULL);
  g_autoptr(CradleDataset) ds = cradle_dataset_open (dir, NULL);
  g_autoptr(GError) error = NULL;
  CradleAnalysisConfig config;

  cradle_trainer_default_config (&config);
  g_assert_null (cradle_task_data_load (ds, CRADLE_TASK_CAUSE, &config, TRUE, FALSE, 1, NULL, &error));
  g_assert_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

/* The real recordings: a quick grouped 5-fold detect CV with logreg. */
static void
test_shared_data_detect (void)
{
  const char *shared = cradle_test_shared_data ();
  g_autofree char *detection = NULL;
  g_autofree char *donateacry = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  CradleImportOptions import = { 0 };
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  guint full_cry = 0;
  guint full_cry_hit = 0;

  if (shared == NULL)
    {
      g_test_skip ("../shared/data is absent (set CRADLE_SHARED_DATA)");
      return;
    }
  detection = g_build_filename (shared, "detection", NULL);
  donateacry = g_build_filename (shared, "donateacry", NULL);
  dir = g_dir_make_tmp ("cradle-trainer-real-XXXXXX", NULL);
  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  import.layout = CRADLE_IMPORT_LAYOUT_AUTO;
  {
    g_auto(CradleImportSummary) s1 = { 0 };
    g_auto(CradleImportSummary) s2 = { 0 };

    g_assert_true (cradle_import_folder (ds, detection, &import, &s1, &error));
    g_assert_true (cradle_import_folder (ds, donateacry, &import, &s2, &error));
    g_assert_no_error (error);
  }

  cradle_trainer_default_config (&config);
  data = cradle_task_data_load (ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cradle_train_options_init (&options);
  options.n_threads = 2;
  cv = cradle_trainer_cross_validate (data, &options, 5, NULL, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < data->n; i++)
    if (cradle_task_data_is_full_band (data, i) && data->y[i] == 1)
      {
        full_cry++;
        full_cry_hit += cv->metrics->predicted[i] == 1;
      }
  g_test_message ("detect, logreg, grouped 5-fold: macro-F1 %.3f (baseline %.3f), full-band cries "
                  "found %u of %u", cv->metrics->macro_f1, cv->metrics->baseline_macro_f1,
                  full_cry_hit, full_cry);
  /* Not 0.9: the 88 laughs are one source recording, so the fold that
   * tests them trains on no laugh at all, and a linear model calls most of
   * them cries (README, Models: 0.764). What must hold: well above the
   * baseline, and most full-band cries found (61 of 85 measured) although
   * most cries in training are 8 kHz phone recordings. */
  g_assert_cmpfloat (cv->metrics->macro_f1, >, 0.7);
  g_assert_cmpfloat (cv->metrics->macro_f1, >, cv->metrics->baseline_macro_f1 + 0.3);
  g_assert_cmpfloat ((double) full_cry_hit / full_cry, >, 0.6);
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

/* Crops: N samples per recording, each inheriting its recording's class and
 * group (so grouped folds keep them together), seeded by the recording's
 * content, never cached; a crop of a cry that is a quiet pause is redrawn,
 * a background's quiet crop is kept. */
static void
add_tone_then_hush (CradleDataset *ds,
                    const char    *label,
                    const char    *group,
                    guint32        seed)
{
  /* 3 s at 8 kHz: 0.6 s of a 440 Hz tone, then 2.4 s of faint noise. */
  g_autoptr(CradleAudio) audio = cradle_audio_new (8000, 24000);
  g_autofree float *noise = cradle_test_noise (24000, 1e-4, seed);

  for (gsize i = 0; i < 24000; i++)
    audio->samples[i] = noise[i] + (i < 4800 ? 0.5f * (float) sin (2 * G_PI * 440.0 * i / 8000.0) : 0.0f);
  add_audio (ds, audio, label, group, 1700000000 + seed);
}

typedef void (*AddFunc) (CradleDataset *ds,
                         const char    *label,
                         const char    *group,
                         guint32        seed);

/* A dataset in DIR with three "hunger" groups and three "background"
 * groups, one recording each made by ADD (seeds from SEED). */
static CradleDataset *
open_three_by_three (const char *dir,
                     AddFunc     add,
                     guint32     seed)
{
  g_autoptr(GError) error = NULL;
  CradleDataset *ds = cradle_dataset_open (dir, &error);

  g_assert_no_error (error);
  for (guint g = 0; g < 3; g++)
    {
      g_autofree char *cry_group = g_strdup_printf ("baby-%u", g);
      g_autofree char *bg_group = g_strdup_printf ("room-%u", g);

      add (ds, "hunger", cry_group, seed + g);
      add (ds, "background", bg_group, seed + 10 + g);
    }
  return ds;
}

static void
test_crops (Fixture       *f,
            gconstpointer  unused)
{
  CradleAnalysisConfig config;
  CradleTrainOptions options;
  CradleAugmentPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) data = NULL;
  g_autoptr(CradleTaskData) again = NULL;
  g_autoptr(CradleTaskData) other = NULL;
  g_autoptr(CradleCvResult) cv = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GHashTable) fold_of_group = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *dir = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  gint64 cached_before;
  guint zcr;
  gboolean differ = FALSE;
  CradleCropOptions crops = { .n_crops = 4, .seed = 7 };

  cradle_trainer_default_config (&config);
  config.clip_seconds = 0.5f;
  cached_before = count_rows (f->ds, "SELECT count(*) FROM feature_cache");
  data = cradle_task_data_load_crops (f->ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->n, ==, 50 * 4);
  g_assert_cmpuint (data->n_crops, ==, 4);
  g_assert_cmpuint (data->n_computed, ==, 200);
  g_assert_cmpuint (data->n_cache_hits, ==, 0);
  g_assert_cmpint (count_rows (f->ds, "SELECT count(*) FROM feature_cache"), ==, cached_before);
  for (guint i = 0; i < data->n; i++)
    {
      guint first = i - i % 4;

      g_assert_cmpuint (data->y[i], ==, data->y[first]);
      g_assert_cmpstr (data->groups[i], ==, data->groups[first]);
      g_assert_cmpstr (data->labels[i], ==, data->labels[first]);
      g_assert_cmpstr (data->sha256[i], ==, data->sha256[first]);
      g_assert_cmpint (data->ids[i], ==, data->ids[first]);
      g_assert_true (isfinite (data->x[(gsize) i * data->n_features]));
      if (i != first && memcmp (data->x + (gsize) i * data->n_features,
                                data->x + (gsize) first * data->n_features,
                                data->n_features * sizeof (float)) != 0)
        differ = TRUE;
    }
  g_assert_true (differ);  /* crops of a 1.5 s recording are different 0.5 s pieces */

  /* The same seed gives the same crops on any number of threads; another
   * seed other crops. */
  again = cradle_task_data_load_crops (f->ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->x, (gsize) data->n * data->n_features * sizeof (float),
                   data->x, (gsize) data->n * data->n_features * sizeof (float));
  crops.seed = 8;
  other = cradle_task_data_load_crops (f->ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (other->x, data->x, (gsize) data->n * data->n_features * sizeof (float)) != 0);

  /* Grouped folds keep a recording's crops (and its group) together. */
  cradle_train_options_init (&options);
  options.kind = CRADLE_MODEL_LOGREG;
  options.n_threads = 2;
  cv = cradle_trainer_cross_validate (data, &options, 4, NULL, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < data->n; i++)
    {
      gpointer fold;

      if (g_hash_table_lookup_extended (fold_of_group, data->groups[i], NULL, &fold))
        g_assert_cmpuint (GPOINTER_TO_UINT (fold), ==, cv->fold[i]);
      else
        g_hash_table_insert (fold_of_group, data->groups[i], GUINT_TO_POINTER (cv->fold[i]));
    }
  g_assert_cmpfloat (cv->metrics->macro_f1, >, 0.9);

  /* Augmentation works on whole recordings: refused with crops. */
  g_assert_true (cradle_augment_policy_parse (&policy, "noise", &error));
  options.augment = &policy;
  model = cradle_trainer_fit (data, &options, NULL, &error);
  g_assert_null (model);
  g_assert_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID);
  g_clear_error (&error);

  crops.n_crops = 0;
  g_assert_null (cradle_task_data_load_crops (f->ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2,
                                              NULL, &error));
  g_assert_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID);
  g_clear_error (&error);

  /* Quiet crops: a tone for 0.6 s, then 2.4 s of faint noise. Every crop
   * of a cry holds tone (zero-crossing rate near 2 · 440 / 8000 = 0.11;
   * faint noise, peak-normalised, is near 0.5); a background keeps some
   * noise-only crops. */
  dir = g_dir_make_tmp ("cradle-crops-XXXXXX", &error);
  g_assert_no_error (error);
  ds = open_three_by_three (dir, add_tone_then_hush, 10);
  g_clear_pointer (&data, cradle_task_data_free);
  crops = (CradleCropOptions) { .n_crops = 16, .seed = 1 };
  data = cradle_task_data_load_crops (ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                      &error);
  g_assert_no_error (error);
  zcr = 0;
  while (data->feature_names[zcr] != NULL && !g_str_equal (data->feature_names[zcr], "zcr_mean"))
    zcr++;
  g_assert_nonnull (data->feature_names[zcr]);
  {
    guint noisy_bg = 0;

    for (guint i = 0; i < data->n; i++)
      {
        float v = data->x[(gsize) i * data->n_features + zcr];

        if (data->y[i] == 1)
          g_assert_cmpfloat (v, <, 0.25f);
        else
          noisy_bg += v > 0.3f;
      }
    /* Uniform draws land in the hush about 2/3 of the time. */
    g_assert_cmpuint (noisy_bg, >, 3 * 16 / 3);
  }

  /* Room tone: cry crops are untouched; every second crop of a background
   * lies over white noise 20 to 44 dB under its peak, which lifts a pure
   * tone's empty mel bands off the 80 dB floor: its mean MFCC 0 (about
   * −280 alone) rises above −200. */
  {
    g_autoptr(CradleTaskData) toned = NULL;
    g_autoptr(CradleAudio) sine = cradle_audio_new (8000, 24000);
    CradleRecordingSpec spec = { 0 };
    guint c0 = 0;
    guint sine_row = G_MAXUINT;

    while (data->feature_names[c0] != NULL && !g_str_equal (data->feature_names[c0], "mfcc_00_mean"))
      c0++;
    for (gsize i = 0; i < 24000; i++)
      sine->samples[i] = 0.9f * (float) sin (2 * G_PI * 440.0 * i / 8000.0);
    spec.audio = sine;
    spec.label = "background";
    spec.label_status = CRADLE_LABEL_STATUS_CONFIRMED;
    spec.confidence = -1;
    spec.group_key = "sine";
    spec.source = "import";
    spec.created = 1700000100;
    g_assert_cmpint (cradle_dataset_add_recording (ds, &spec, &error), >, 0);
    g_assert_no_error (error);
    g_clear_pointer (&data, cradle_task_data_free);
    data = cradle_task_data_load_crops (ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                        &error);
    g_assert_no_error (error);
    crops.room_tone = TRUE;
    toned = cradle_task_data_load_crops (ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                         &error);
    g_assert_no_error (error);
    g_assert_true (toned->room_tone);
    for (guint i = 0; i < data->n; i++)
      {
        if (data->y[i] == 1)
          g_assert_cmpmem (toned->x + (gsize) i * data->n_features, data->n_features * sizeof (float),
                           data->x + (gsize) i * data->n_features, data->n_features * sizeof (float));
        if (g_str_equal (data->groups[i], "sine") && sine_row == G_MAXUINT)
          sine_row = i;
      }
    g_assert_cmpuint (sine_row, !=, G_MAXUINT);
    for (guint c = 0; c < 16; c++)
      {
        float plain = data->x[(gsize) (sine_row + c) * data->n_features + c0];
        float over = toned->x[(gsize) (sine_row + c) * data->n_features + c0];

        g_assert_cmpfloat (plain, <, -250.0f);
        if (c % 2 == 0)
          g_assert_cmpfloat (over, <, -250.0f);
        else
          g_assert_cmpfloat (over, >, -200.0f);
      }
  }
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

/* A cry that grows: 0.25 s of silence, 1.25 s of a 220 Hz tone 22 dB under
 * the 700 Hz tone of its last 1.5 s (3 s at 8 kHz); or a background: a
 * steady 440 Hz tone. */
static void
add_growing (CradleDataset *ds,
             const char    *label,
             const char    *group,
             guint32        seed)
{
  g_autoptr(CradleAudio) audio = cradle_audio_new (8000, 24000);
  g_autofree float *noise = cradle_test_noise (24000, 1e-5, seed);
  gboolean cry = !g_str_equal (label, "background");

  for (gsize i = 0; i < 24000; i++)
    {
      double t = i / 8000.0;
      double tone = !cry ? 0.9 * sin (2 * G_PI * 440.0 * t)
                    : t < 0.25 ? 0.0
                    : t < 1.5 ? 0.5 * pow (10.0, -22.0 / 20.0) * sin (2 * G_PI * 220.0 * t)
                    : 0.5 * sin (2 * G_PI * 700.0 * t);

      audio->samples[i] = noise[i] + (float) tone;
    }
  add_audio (ds, audio, label, group, 1700000000 + seed);
}

static guint
feature_index (const CradleTaskData *data,
               const char           *name)
{
  guint k = 0;

  while (data->feature_names[k] != NULL && !g_str_equal (data->feature_names[k], name))
    k++;
  g_assert_nonnull (data->feature_names[k]);
  return k;
}

/* Onset crops: every fourth crop of a recording is silence, then the first
 * 0.25–0.5 s of its sound, over room tone; the other crops of a background
 * stay where they were, and a cry keeps its faint crops. The pitch tells
 * the parts of the growing cry apart (f0 within 30 Hz of 220 Hz, or under
 * 250 Hz: all faint start; near 700 Hz, or between: some loud end); room
 * tone 20 to 44 dB under the peak lifts a pure tone's mean MFCC 0 from below
 * −250 to above −230. */
static void
test_onset_crops (void)
{
  CradleAnalysisConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleTaskData) plain = NULL;
  g_autoptr(CradleTaskData) onset = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cradle-onset-XXXXXX", &error);
  g_autoptr(CradleDataset) ds = NULL;
  CradleCropOptions crops = { .n_crops = 16, .seed = 1 };
  guint f0, c0;
  guint faint_plain = 0;
  guint faint_kept = 0;

  g_assert_no_error (error);
  ds = open_three_by_three (dir, add_growing, 30);
  cradle_trainer_default_config (&config);
  config.clip_seconds = 0.5f;
  plain = cradle_task_data_load_crops (ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                       &error);
  g_assert_no_error (error);
  crops.onset = TRUE;
  onset = cradle_task_data_load_crops (ds, CRADLE_TASK_DETECT, &config, &crops, TRUE, FALSE, 2, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_false (plain->onset);
  g_assert_true (onset->onset);
  g_assert_cmpuint (onset->n, ==, plain->n);
  f0 = feature_index (onset, "f0_mean");
  c0 = feature_index (onset, "mfcc_00_mean");

  for (guint i = 0; i < onset->n; i++)
    {
      const float *p = plain->x + (gsize) i * plain->n_features;
      const float *o = onset->x + (gsize) i * onset->n_features;
      gboolean is_onset = i % 16 % CRADLE_TRAINER_ONSET_EVERY == CRADLE_TRAINER_ONSET_EVERY - 1;

      g_assert_cmpuint (onset->y[i], ==, plain->y[i]);
      if (is_onset)
        {
          /* The start of the sound, over room tone. */
          g_assert_cmpfloat (o[c0], >, -230.0f);
          if (onset->y[i] == 1)
            g_assert_cmpfloat_with_epsilon (o[f0], 220.0f, 30.0f);
        }
      else if (onset->y[i] == 0)
        {
          g_assert_cmpmem (o, onset->n_features * sizeof (float), p, plain->n_features * sizeof (float));
          g_assert_cmpfloat (o[c0], <, -250.0f);
        }
      else
        faint_kept += o[f0] < 250.0f;
      if (plain->y[i] == 1)
        faint_plain += p[f0] < 250.0f;
      else
        g_assert_cmpfloat (p[c0], <, -250.0f);
    }
  /* Crops of the faint start (22 dB under) are redrawn by the 10 dB rule,
   * kept by the 25 dB one: uniform draws land there about 2/5 of the time. */
  g_assert_cmpuint (faint_plain, ==, 0);
  g_assert_cmpuint (faint_kept, >=, 3 * 12 / 5);
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/core/trainer/task-data", Fixture, NULL, fixture_set_up, test_task_data, fixture_tear_down);
  g_test_add ("/core/trainer/cross-validate", Fixture, NULL, fixture_set_up, test_cross_validate,
              fixture_tear_down);
  g_test_add ("/core/trainer/augment-in-folds", Fixture, NULL, fixture_set_up, test_augment_in_folds,
              fixture_tear_down);
  g_test_add ("/core/trainer/fit-record", Fixture, NULL, fixture_set_up, test_fit_record, fixture_tear_down);
  g_test_add ("/core/trainer/compare-search", Fixture, NULL, fixture_set_up, test_compare_and_search,
              fixture_tear_down);
  g_test_add ("/core/trainer/crops", Fixture, NULL, fixture_set_up, test_crops, fixture_tear_down);
  g_test_add_func ("/core/trainer/onset-crops", test_onset_crops);
  g_test_add_func ("/core/trainer/no-data", test_no_data);
  g_test_add_func ("/core/trainer/shared-data-detect", test_shared_data_detect);
  return g_test_run ();
}
