/* cradle-trainer.c — task data, grouped CV, compare, search, final fit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-trainer.h"

#include <math.h>
#include <string.h>
#include <sqlite3.h>

#include "cradle-audio.h"
#include "cradle-augment.h"
#include "cradle-features.h"
#include "cradle-preprocess.h"
#include "cradle-split.h"

G_DEFINE_QUARK (cradle-trainer-error-quark, cradle_trainer_error)

#define LOG_MEL_SUFFIX "/log-mel"

void
cradle_trainer_default_config (CradleAnalysisConfig *config)
{
  g_return_if_fail (config != NULL);

  cradle_analysis_config_init_default (config);
  config->sample_rate = 8000;
  config->n_fft = 1024;
  config->hop_length = 256;
  config->n_mels = 64;
  config->n_mfcc = 40;
  config->yin_frame_length = 512;
  config->yin_hop_length = 256;
}

void
cradle_train_options_init (CradleTrainOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (CradleTrainOptions) {
    .kind = CRADLE_MODEL_LOGREG,
    .seed = 1,
    .n_threads = 0,
    .balance = CRADLE_BALANCE_WEIGHTS,
    .valid_fraction = -1.0,
  };
}

static guint
effective_threads (guint n_threads)
{
  return n_threads > 0 ? n_threads : MAX (1, g_get_num_processors ());
}

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_CANCELLED, "Training was cancelled");
      return TRUE;
    }
  return FALSE;
}

/* ---- Feature jobs, run on worker threads ---------------------------------- */

typedef struct {
  const char *path;
  gboolean    augment;   /* apply the policy with SEED */
  guint32     seed;
  float      *vector;    /* nullable: n_features out (n_crops × n_features with crops) */
  float      *image;     /* nullable: height × width out (n_crops × … with crops) */
  guint       n_crops;   /* 0: the whole recording is one clip; else crops drawn with SEED */
  double      quiet_db;  /* redraw crops this far under the recording's loudest (cry clips), 0: never */
  gboolean    room_tone; /* every second crop at a random level over room tone (not-cry clips) */
  gboolean    onset;     /* every CRADLE_TRAINER_ONSET_EVERY-th crop an onset crop */
} FeatureJob;

typedef struct {
  const CradleAnalysisConfig *config;
  FeatureJob                 *jobs;
  guint                       n_jobs;
  guint                       height;
  guint                       width;
  const CradleAugmentPolicy  *policy;
  GPtrArray                  *backgrounds;   /* CradleAudio */
  GCancellable               *cancellable;
  gint                        next;          /* atomic */
  GMutex                      lock;
  GError                     *error;
} FeatureRun;

static double
mean_square (const float *x,
             gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return n > 0 ? sum / n : 0.0;
}

/* The largest mean square of any CLIP_N-sample stretch of AUDIO (of the
 * whole of it when it is shorter), and where that stretch starts. */
static double
loudest_mean_square (const float *audio,
                     gsize        n,
                     gsize        clip_n,
                     gsize       *start)
{
  double sum = 0.0;
  double best;

  *start = 0;
  if (n <= clip_n)
    return mean_square (audio, n);
  for (gsize i = 0; i < clip_n; i++)
    sum += (double) audio[i] * audio[i];
  best = sum;
  for (gsize i = clip_n; i < n; i++)
    {
      sum += (double) audio[i] * audio[i] - (double) audio[i - clip_n] * audio[i - clip_n];
      if (sum > best)
        {
          best = sum;
          *start = i + 1 - clip_n;
        }
    }
  return best / clip_n;
}

/* Start of one crop of CLIP_N samples out of AUDIO (N samples): uniform,
 * and with QUIET_DB > 0 redrawn (up to CRADLE_TRAINER_CROP_DRAWS times, then
 * LOUDEST_START) while its mean square is more than QUIET_DB under
 * LOUDEST_MS, that of the recording's loudest crop-length stretch, which
 * starts at LOUDEST_START. */
static gsize
draw_crop (const float *audio,
           gsize        n,
           gsize        clip_n,
           double       loudest_ms,
           gsize        loudest_start,
           double       quiet_db,
           GRand       *rand)
{
  gboolean skip_quiet = quiet_db > 0.0;
  double floor_ms = loudest_ms * pow (10.0, -quiet_db / 10.0);

  if (n <= clip_n)
    return 0;
  for (guint k = 0; k < CRADLE_TRAINER_CROP_DRAWS; k++)
    {
      gsize start = MIN ((gsize) (g_rand_double (rand) * (double) (n - clip_n + 1)), n - clip_n);

      if (!skip_quiet || mean_square (audio + start, clip_n) >= floor_ms)
        return start;
    }
  return loudest_start;
}

/* Where the sound of AUDIO (N samples at RATE) starts: the first 10 ms
 * frame whose mean square is within CRADLE_TRAINER_ONSET_DB of the loudest
 * frame's. */
static gsize
find_onset (const float *audio,
            gsize        n,
            guint        rate)
{
  gsize frame = MAX (rate / 100, 1);
  double loudest = 0.0;
  double floor_ms;

  for (gsize i = 0; i + frame <= n; i += frame)
    loudest = MAX (loudest, mean_square (audio + i, frame));
  floor_ms = loudest * pow (10.0, -CRADLE_TRAINER_ONSET_DB / 10.0);
  for (gsize i = 0; i + frame <= n; i += frame)
    if (mean_square (audio + i, frame) >= floor_ms)
      return i;
  return 0;
}

/* X scaled to a peak of LEVEL_DB dBFS, plus white noise of
 * CRADLE_TRAINER_ROOM_TONE_DBFS RMS: a background as a room hears it. */
static void
place_over_room_tone (float   *x,
                      gsize    n,
                      double   level_db,
                      guint32  seed)
{
  float peak = 0.0f;
  double power;

  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, fabsf (x[i]));
  if (peak <= 0.0f || !isfinite (peak))
    return;
  cradle_augment_gain (x, n, level_db - 20.0 * log10 (peak));
  power = mean_square (x, n);
  cradle_augment_noise (x, n, 10.0 * log10 (power / pow (10.0, CRADLE_TRAINER_ROOM_TONE_DBFS / 10.0)), seed);
}

/* An onset crop into OUT (CROP_N samples): silence, then the first
 * CRADLE_TRAINER_ONSET_MIN_SECONDS .. CROP_N samples (drawn from RAND) of
 * AUDIO's sound from ONSET, all placed over room tone at a random level, as
 * a live window holds a cry that has just begun. */
static void
make_onset_crop (const float *audio,
                 gsize        n,
                 guint        rate,
                 gsize        onset,
                 gsize        crop_n,
                 GRand       *rand,
                 float       *out)
{
  double seconds = g_rand_double_range (rand, CRADLE_TRAINER_ONSET_MIN_SECONDS, (double) crop_n / rate);
  double level = g_rand_double_range (rand, CRADLE_TRAINER_ROOM_TONE_LEVEL_MIN,
                                      CRADLE_TRAINER_ROOM_TONE_LEVEL_MAX);
  guint32 noise_seed = g_rand_int (rand);
  gsize u = (gsize) (seconds * rate);

  g_assert (onset <= n);
  u = MIN (u, MIN (crop_n, n - onset));
  memset (out, 0, (crop_n - u) * sizeof (float));
  memcpy (out + crop_n - u, audio + onset, u * sizeof (float));
  place_over_room_tone (out, crop_n, level, noise_seed);
}

static void
extract_into (FeatureRun             *run,
              CradleFeatureExtractor *extractor,
              const float            *clip,
              float                  *vector,
              float                  *image)
{
  gsize clip_n = cradle_analysis_config_clip_samples (run->config);

  if (vector != NULL)
    cradle_feature_extractor_clip_vector (extractor, clip, clip_n, vector);
  if (image != NULL)
    {
      guint n_frames = 0;
      g_autofree float *mel = cradle_feature_extractor_log_mel (extractor, clip, clip_n, &n_frames);

      g_assert (n_frames == run->height);
      memcpy (image, mel, (gsize) run->height * run->width * sizeof (float));
    }
}

/* Mixed into a job's seed for its onset crops. */
#define CRADLE_TRAINER_ONSET_SEED 0x6f6e7365u

static gboolean
run_one (FeatureRun             *run,
         CradleFeatureExtractor *extractor,
         FeatureJob             *job,
         float                  *clip,
         GError                **error)
{
  g_autoptr(GError) local = NULL;
  CradleAudio *audio;
  gsize clip_n = cradle_analysis_config_clip_samples (run->config);

  audio = cradle_audio_load (job->path, run->config->sample_rate, &local);
  if (audio == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (job->augment)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);

      if (!cradle_augment_apply (run->policy, audio->samples, audio->n_samples, audio->sample_rate,
                                 run->backgrounds, rand, &local))
        {
          g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                       "Augmenting %s: %s", job->path, local->message);
          cradle_audio_free (audio);
          return FALSE;
        }
    }
  if (job->n_crops > 0)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);
      /* Onset crops draw from their own generator: without room tone the
       * other crops are the same with them as without. */
      g_autoptr(GRand) onset_rand = g_rand_new_with_seed (job->seed ^ CRADLE_TRAINER_ONSET_SEED);
      gsize loudest_start = 0;
      double loudest_ms = job->quiet_db > 0.0 ? loudest_mean_square (audio->samples, audio->n_samples,
                                                                     clip_n, &loudest_start)
                                              : 0.0;
      gsize onset = job->onset ? find_onset (audio->samples, audio->n_samples, audio->sample_rate) : 0;
      gsize n_features = job->vector != NULL ? cradle_feature_extractor_n_values (extractor) : 0;

      gsize crop_n = MIN (clip_n, audio->n_samples);
      g_autofree float *toned = job->room_tone || job->onset ? g_new (float, crop_n) : NULL;

      for (guint c = 0; c < job->n_crops; c++)
        {
          gsize start = draw_crop (audio->samples, audio->n_samples, clip_n, loudest_ms,
                                   loudest_start, job->quiet_db, rand);
          const float *crop = audio->samples + start;

          if (job->onset && c % CRADLE_TRAINER_ONSET_EVERY == CRADLE_TRAINER_ONSET_EVERY - 1)
            {
              make_onset_crop (audio->samples, audio->n_samples, audio->sample_rate, onset, crop_n,
                               onset_rand, toned);
              crop = toned;
            }
          else if (job->room_tone && c % 2 == 1)
            {
              double level = g_rand_double_range (rand, CRADLE_TRAINER_ROOM_TONE_LEVEL_MIN,
                                                  CRADLE_TRAINER_ROOM_TONE_LEVEL_MAX);
              guint32 noise_seed = g_rand_int (rand);

              memcpy (toned, crop, crop_n * sizeof (float));
              place_over_room_tone (toned, crop_n, level, noise_seed);
              crop = toned;
            }
          cradle_preprocess_clip (run->config, crop, crop_n, clip);
          extract_into (run, extractor, clip,
                        job->vector != NULL ? job->vector + c * n_features : NULL,
                        job->image != NULL ? job->image + (gsize) c * run->height * run->width : NULL);
        }
      cradle_audio_free (audio);
      return TRUE;
    }
  cradle_preprocess_clip (run->config, audio->samples, audio->n_samples, clip);
  cradle_audio_free (audio);
  extract_into (run, extractor, clip, job->vector, job->image);
  return TRUE;
}

static gpointer
feature_worker (gpointer data)
{
  FeatureRun *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleFeatureExtractor) extractor = cradle_feature_extractor_new (run->config, &error);
  g_autofree float *clip = g_new (float, cradle_analysis_config_clip_samples (run->config));

  while (extractor != NULL)
    {
      guint i = (guint) g_atomic_int_add (&run->next, 1);

      if (i >= run->n_jobs)
        break;
      if (run->cancellable != NULL && g_cancellable_is_cancelled (run->cancellable))
        break;
      g_mutex_lock (&run->lock);
      if (run->error != NULL)
        {
          g_mutex_unlock (&run->lock);
          break;
        }
      g_mutex_unlock (&run->lock);
      if (!run_one (run, extractor, &run->jobs[i], clip, &error))
        break;
    }
  if (error != NULL)
    {
      g_mutex_lock (&run->lock);
      if (run->error == NULL)
        run->error = g_steal_pointer (&error);
      g_mutex_unlock (&run->lock);
    }
  return NULL;
}

static gboolean
run_feature_jobs (const CradleAnalysisConfig *config,
                  FeatureJob                 *jobs,
                  guint                       n_jobs,
                  guint                       height,
                  guint                       width,
                  const CradleAugmentPolicy  *policy,
                  GPtrArray                  *backgrounds,
                  guint                       n_threads,
                  GCancellable               *cancellable,
                  GError                    **error)
{
  FeatureRun run = {
    .config = config, .jobs = jobs, .n_jobs = n_jobs, .height = height, .width = width,
    .policy = policy, .backgrounds = backgrounds, .cancellable = cancellable,
  };
  guint n = MIN (effective_threads (n_threads), MAX (n_jobs, 1));
  g_autofree GThread **threads = g_new0 (GThread *, n);

  if (n_jobs == 0)
    return TRUE;
  g_mutex_init (&run.lock);
  for (guint t = 0; t < n; t++)
    threads[t] = g_thread_new ("cradle-features", feature_worker, &run);
  for (guint t = 0; t < n; t++)
    g_thread_join (threads[t]);
  g_mutex_clear (&run.lock);
  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  return !cancelled (cancellable, error);
}

/* ---- Task data ----------------------------------------------------------- */

void
cradle_task_data_free (CradleTaskData *data)
{
  if (data == NULL)
    return;
  g_free (data->config_hash);
  g_strfreev (data->classes);
  g_free (data->y);
  g_strfreev (data->groups);
  g_strfreev (data->labels);
  g_free (data->ids);
  g_strfreev (data->paths);
  g_strfreev (data->sha256);
  g_free (data->sample_rates);
  g_free (data->is_background);
  g_strfreev (data->extra_backgrounds);
  g_strfreev (data->feature_names);
  g_free (data->x);
  g_free (data->images);
  g_free (data->dataset_hash);
  g_free (data);
}

gboolean
cradle_task_data_is_full_band (const CradleTaskData *data,
                               guint                 i)
{
  g_return_val_if_fail (data != NULL && i < data->n, FALSE);

  return data->sample_rates[i] > CRADLE_TRAINER_NARROW_BAND_RATE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
snapshot_hash (GPtrArray *rows)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < rows->len; i++)
    {
      const CradleRecording *r = g_ptr_array_index (rows, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s\t%s\t%s\n", r->sha256, r->label, r->group_key));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_checksum_update (sum, g_ptr_array_index (lines, i), -1);
  return g_strdup (g_checksum_get_string (sum));
}

static char **
strv_from_array (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_free (array, FALSE);
}

CradleTaskData *
cradle_task_data_load (CradleDataset               *dataset,
                       CradleTask                   task,
                       const CradleAnalysisConfig  *config,
                       gboolean                     vectors,
                       gboolean                     images,
                       guint                        n_threads,
                       GCancellable                *cancellable,
                       GError                     **error)
{
  g_autoptr(CradleTaskData) data = g_new0 (CradleTaskData, 1);
  g_autoptr(GPtrArray) vocabulary = NULL;
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GPtrArray) used = g_ptr_array_new ();
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) class_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) label_groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) jobs = g_array_new (FALSE, TRUE, sizeof (FeatureJob));
  g_autoptr(GArray) job_sample = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autofree char *image_key = NULL;
  g_autofree gboolean *vector_missing = NULL;
  g_autofree gboolean *image_missing = NULL;
  GPtrArray *names;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cradle_analysis_config_validate (config, error))
    return NULL;
  extractor = cradle_feature_extractor_new (config, error);
  if (extractor == NULL)
    return NULL;
  data->task = task;
  data->config = *config;
  data->config_hash = cradle_analysis_config_hash (config);

  vocabulary = cradle_dataset_list_labels (dataset, error);
  if (vocabulary == NULL)
    return NULL;
  recordings = cradle_dataset_list_recordings (dataset, NULL, error);
  if (recordings == NULL)
    return NULL;

  if (task == CRADLE_TASK_DETECT)
    {
      g_ptr_array_add (classes, g_strdup ("not-cry"));
      g_ptr_array_add (classes, g_strdup ("cry"));
    }
  else
    {
      /* Groups per cause label. */
      for (guint i = 0; i < recordings->len; i++)
        {
          CradleRecording *r = g_ptr_array_index (recordings, i);
          GHashTable *set;

          if (r->label_status != CRADLE_LABEL_STATUS_CONFIRMED || r->label == NULL)
            continue;
          set = g_hash_table_lookup (label_groups, r->label);
          if (set == NULL)
            {
              set = g_hash_table_new (g_str_hash, g_str_equal);
              g_hash_table_insert (label_groups, r->label, set);
            }
          g_hash_table_add (set, r->group_key);
        }
      for (guint v = 0; v < vocabulary->len; v++)
        {
          CradleLabelInfo *info = g_ptr_array_index (vocabulary, v);
          GHashTable *set = g_hash_table_lookup (label_groups, info->name);

          if (info->is_cry && !g_str_equal (info->name, "cry") && set != NULL &&
              g_hash_table_size (set) >= CRADLE_TRAINER_MIN_CAUSE_GROUPS)
            {
              g_hash_table_insert (class_index, info->name, GUINT_TO_POINTER (classes->len));
              g_ptr_array_add (classes, g_strdup (info->name));
            }
        }
    }

  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      gboolean is_cry = FALSE;

      if (r->label_status != CRADLE_LABEL_STATUS_CONFIRMED || r->label == NULL ||
          !cradle_dataset_lookup_label (dataset, r->label, &is_cry))
        continue;
      if (task == CRADLE_TASK_DETECT ||
          g_hash_table_contains (class_index, r->label))
        g_ptr_array_add (used, r);
      else if (!is_cry)
        g_ptr_array_add (extra, cradle_dataset_resolve_path (dataset, r->path));
    }

  if (classes->len < 2 || used->len < 2)
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_NO_DATA,
                   "The dataset %s has too little for the %s task: %u recordings with confirmed "
                   "labels in %u classes (it needs two classes%s)",
                   cradle_dataset_get_dir (dataset), cradle_task_to_string (task), used->len,
                   classes->len,
                   task == CRADLE_TASK_CAUSE ? ", each a cry cause held by at least two groups" : "");
      return NULL;
    }

  data->n = used->len;
  data->n_classes = classes->len;
  data->classes = strv_from_array (g_steal_pointer (&classes));
  data->extra_backgrounds = strv_from_array (g_steal_pointer (&extra));
  data->y = g_new0 (guint, data->n);
  data->ids = g_new0 (gint64, data->n);
  data->sample_rates = g_new0 (guint, data->n);
  data->is_background = g_new0 (gboolean, data->n);
  data->groups = g_new0 (char *, data->n + 1);
  data->labels = g_new0 (char *, data->n + 1);
  data->paths = g_new0 (char *, data->n + 1);
  data->sha256 = g_new0 (char *, data->n + 1);
  {
    g_autofree guint *counts = g_new0 (guint, data->n_classes);

    for (guint i = 0; i < data->n; i++)
      {
        CradleRecording *r = g_ptr_array_index (used, i);
        gboolean is_cry = FALSE;

        cradle_dataset_lookup_label (dataset, r->label, &is_cry);
        data->y[i] = task == CRADLE_TASK_DETECT ? (is_cry ? 1 : 0)
                                                : GPOINTER_TO_UINT (g_hash_table_lookup (class_index, r->label));
        data->is_background[i] = !is_cry;
        data->ids[i] = r->id;
        data->sample_rates[i] = r->sample_rate;
        data->groups[i] = g_strdup (r->group_key);
        data->labels[i] = g_strdup (r->label);
        data->paths[i] = cradle_dataset_resolve_path (dataset, r->path);
        data->sha256[i] = g_strdup (r->sha256);
        counts[data->y[i]]++;
      }
    for (guint c = 0; c < data->n_classes; c++)
      if (counts[c] == 0)
        {
          g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_NO_DATA,
                       "The dataset %s has no confirmed “%s” recordings for the %s task",
                       cradle_dataset_get_dir (dataset), data->classes[c], cradle_task_to_string (task));
          return NULL;
        }
  }
  data->dataset_hash = snapshot_hash (used);

  /* Features: the cache first, then the rest on worker threads. */
  names = g_ptr_array_new ();
  data->n_features = cradle_feature_extractor_n_values (extractor);
  for (guint k = 0; k < data->n_features; k++)
    g_ptr_array_add (names, g_strdup (cradle_feature_extractor_value_name (extractor, k)));
  data->feature_names = strv_from_array (names);
  if (!vectors)
    data->n_features = 0;
  if (images)
    {
      data->height = (guint) (cradle_analysis_config_clip_samples (config) / config->hop_length) + 1;
      data->width = config->n_mels;
      data->images = g_new (float, (gsize) data->n * data->height * data->width);
    }
  if (vectors)
    data->x = g_new (float, (gsize) data->n * data->n_features);
  image_key = g_strconcat (data->config_hash, LOG_MEL_SUFFIX, NULL);
  vector_missing = g_new0 (gboolean, data->n);
  image_missing = g_new0 (gboolean, data->n);

  for (guint i = 0; i < data->n; i++)
    {
      FeatureJob job = { data->paths[i], FALSE, 0, NULL, NULL, 0, FALSE, FALSE };
      float *v = vectors ? data->x + (gsize) i * data->n_features : NULL;
      float *img = images ? data->images + (gsize) i * data->height * data->width : NULL;

      if (v != NULL && cradle_dataset_cache_lookup (dataset, data->sha256[i], data->config_hash,
                                                    v, data->n_features))
        data->n_cache_hits++;
      else if (v != NULL)
        job.vector = v;
      if (img != NULL && cradle_dataset_cache_lookup (dataset, data->sha256[i], image_key, img,
                                                      data->height * data->width))
        data->n_cache_hits++;
      else if (img != NULL)
        job.image = img;
      vector_missing[i] = job.vector != NULL;
      image_missing[i] = job.image != NULL;
      if (job.vector != NULL || job.image != NULL)
        {
          g_array_append_val (jobs, job);
          g_array_append_val (job_sample, i);
        }
    }
  if (!run_feature_jobs (config, (FeatureJob *) jobs->data, jobs->len, data->height, data->width,
                         NULL, NULL, n_threads, cancellable, error))
    return NULL;

  if (jobs->len > 0)
    {
      gboolean in_transaction = cradle_dataset_begin (dataset, NULL);

      for (guint j = 0; j < job_sample->len; j++)
        {
          guint i = g_array_index (job_sample, guint, j);
          g_autoptr(GError) store_error = NULL;

          if (vector_missing[i] &&
              !cradle_dataset_cache_store (dataset, data->sha256[i], data->config_hash,
                                           data->x + (gsize) i * data->n_features, data->n_features,
                                           &store_error))
            g_warning ("Could not cache the features of %s: %s", data->paths[i], store_error->message);
          g_clear_error (&store_error);
          if (image_missing[i] &&
              !cradle_dataset_cache_store (dataset, data->sha256[i], image_key,
                                           data->images + (gsize) i * data->height * data->width,
                                           data->height * data->width, &store_error))
            g_warning ("Could not cache the log-mel image of %s: %s", data->paths[i], store_error->message);
          data->n_computed += (vector_missing[i] ? 1 : 0) + (image_missing[i] ? 1 : 0);
        }
      if (in_transaction && !cradle_dataset_commit (dataset, NULL))
        cradle_dataset_rollback (dataset);
    }
  return g_steal_pointer (&data);
}

/* A copy of STRV's first N strings, each repeated TIMES times. */
static char **
strv_repeat (char  **strv,
             guint   n,
             guint   times)
{
  char **out = g_new0 (char *, (gsize) n * times + 1);

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < times; c++)
      out[(gsize) i * times + c] = g_strdup (strv[i]);
  return out;
}

#define REPEAT_ARRAY(type, field) \
  G_STMT_START { \
    type *copy = g_new (type, (gsize) data->n * n_crops); \
    for (guint i = 0; i < data->n; i++) \
      for (guint c = 0; c < n_crops; c++) \
        copy[(gsize) i * n_crops + c] = data->field[i]; \
    g_free (data->field); \
    data->field = copy; \
  } G_STMT_END

/**
 * cradle_task_data_load_crops:
 *
 * Returns: (transfer full) (nullable): the task's data with N_CROPS samples
 * per recording, each a clip-length crop of its audio.
 */
CradleTaskData *
cradle_task_data_load_crops (CradleDataset               *dataset,
                             CradleTask                   task,
                             const CradleAnalysisConfig  *config,
                             const CradleCropOptions     *crops,
                             gboolean                     vectors,
                             gboolean                     images,
                             guint                        n_threads,
                             GCancellable                *cancellable,
                             GError                     **error)
{
  g_autoptr(CradleTaskData) data = NULL;
  g_autofree FeatureJob *jobs = NULL;
  guint n_clips;
  guint n_crops;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (crops != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_crops = crops->n_crops;
  if (n_crops == 0 || n_crops > CRADLE_TRAINER_MAX_CROPS)
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                   "Crops per recording must be 1 to %u, not %u", CRADLE_TRAINER_MAX_CROPS, n_crops);
      return NULL;
    }
  data = cradle_task_data_load (dataset, task, config, FALSE, FALSE, n_threads, cancellable, error);
  if (data == NULL)
    return NULL;

  /* Every per-recording field repeated: a crop inherits its recording's
   * class, group (so folds keep a recording's crops together), label,
   * id, path and rate. */
  n_clips = data->n;
  REPEAT_ARRAY (guint, y);
  REPEAT_ARRAY (gint64, ids);
  REPEAT_ARRAY (guint, sample_rates);
  REPEAT_ARRAY (gboolean, is_background);
  {
    char **groups = strv_repeat (data->groups, n_clips, n_crops);
    char **labels = strv_repeat (data->labels, n_clips, n_crops);
    char **paths = strv_repeat (data->paths, n_clips, n_crops);
    char **sha256 = strv_repeat (data->sha256, n_clips, n_crops);

    g_strfreev (data->groups);
    g_strfreev (data->labels);
    g_strfreev (data->paths);
    g_strfreev (data->sha256);
    data->groups = groups;
    data->labels = labels;
    data->paths = paths;
    data->sha256 = sha256;
  }
  data->n = n_clips * n_crops;
  data->n_crops = n_crops;
  data->crop_seed = crops->seed;
  data->room_tone = crops->room_tone;
  data->onset = crops->onset;

  if (vectors)
    {
      data->n_features = g_strv_length (data->feature_names);
      data->x = g_new (float, (gsize) data->n * data->n_features);
    }
  if (images)
    {
      data->height = (guint) (cradle_analysis_config_clip_samples (config) / config->hop_length) + 1;
      data->width = config->n_mels;
      data->images = g_new (float, (gsize) data->n * data->height * data->width);
    }
  jobs = g_new0 (FeatureJob, n_clips);
  for (guint i = 0; i < n_clips; i++)
    {
      gsize first = (gsize) i * n_crops;

      jobs[i] = (FeatureJob) {
        .path = data->paths[first],
        /* Seeded by the recording's content, not its place in the list. */
        .seed = crops->seed ^ g_str_hash (data->sha256[first]),
        .vector = vectors ? data->x + first * data->n_features : NULL,
        .image = images ? data->images + first * data->height * data->width : NULL,
        .n_crops = n_crops,
        .quiet_db = data->is_background[first] ? 0.0
                    : crops->onset ? CRADLE_TRAINER_ONSET_QUIET_DB : CRADLE_TRAINER_CROP_QUIET_DB,
        .room_tone = crops->room_tone && data->is_background[first],
        .onset = crops->onset,
      };
    }
  if (!run_feature_jobs (config, jobs, n_clips, data->height, data->width, NULL, NULL, n_threads,
                         cancellable, error))
    return NULL;
  data->n_computed = (vectors ? data->n : 0) + (images ? data->n : 0);
  return g_steal_pointer (&data);
}

#undef REPEAT_ARRAY

/* ---- Folds and training ---------------------------------------------------- */

guint *
cradle_trainer_make_folds (const CradleTaskData  *data,
                           guint                  k,
                           guint32                seed,
                           GError               **error)
{
  g_autofree guint *fold = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  fold = g_new (guint, data->n);
  if (!cradle_split_kfold (data->y, (const char * const *) data->groups, data->n, data->n_classes,
                           k, seed, fold, error))
    return NULL;
  return g_steal_pointer (&fold);
}

static gboolean
uses_images (CradleModelKind kind)
{
  return kind == CRADLE_MODEL_CNN;
}

static double
valid_fraction_for (const CradleTrainOptions *options)
{
  if (options->valid_fraction >= 0.0)
    return options->valid_fraction;
  return options->kind == CRADLE_MODEL_CNN ? 0.15 : 0.0;
}

/* Rows of one training or validation set. */
typedef struct {
  GArray *x;       /* float */
  GArray *y;       /* guint */
  GArray *weight;  /* float */
  guint   n_features;
} Rows;

static void
rows_init (Rows  *rows,
           guint  n_features)
{
  rows->x = g_array_new (FALSE, FALSE, sizeof (float));
  rows->y = g_array_new (FALSE, FALSE, sizeof (guint));
  rows->weight = g_array_new (FALSE, FALSE, sizeof (float));
  rows->n_features = n_features;
}

static void
rows_clear (Rows *rows)
{
  g_clear_pointer (&rows->x, g_array_unref);
  g_clear_pointer (&rows->y, g_array_unref);
  g_clear_pointer (&rows->weight, g_array_unref);
}

static void
rows_add (Rows        *rows,
          const float *x,
          guint        y)
{
  float one = 1.0f;

  g_array_append_vals (rows->x, x, rows->n_features);
  g_array_append_val (rows->y, y);
  g_array_append_val (rows->weight, one);
}

static CradleMatrix
rows_matrix (const Rows           *rows,
             const CradleTaskData *data,
             gboolean              images,
             gboolean              weights)
{
  return (CradleMatrix) {
    .n_rows = rows->y->len,
    .n_features = rows->n_features,
    .height = images ? data->height : 0,
    .width = images ? data->width : 0,
    .x = (const float *) rows->x->data,
    .y = (const guint *) rows->y->data,
    .weight = weights ? (const float *) rows->weight->data : NULL,
  };
}

static void
rows_balance (Rows          *rows,
              guint          n_classes,
              CradleBalance  balance,
              guint32        seed)
{
  g_autofree guint *counts = g_new0 (guint, n_classes);
  guint n = rows->y->len;
  guint present = 0;
  guint largest = 0;

  for (guint i = 0; i < n; i++)
    counts[g_array_index (rows->y, guint, i)]++;
  for (guint c = 0; c < n_classes; c++)
    {
      present += counts[c] > 0;
      largest = MAX (largest, counts[c]);
    }
  if (balance == CRADLE_BALANCE_WEIGHTS)
    {
      for (guint i = 0; i < n; i++)
        g_array_index (rows->weight, float, i) =
          (float) ((double) n / ((double) present * counts[g_array_index (rows->y, guint, i)]));
    }
  else if (balance == CRADLE_BALANCE_OVERSAMPLE)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autofree float *row = g_new (float, rows->n_features);

      for (guint c = 0; c < n_classes; c++)
        {
          g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint i = 0; i < n; i++)
            if (g_array_index (rows->y, guint, i) == c)
              g_array_append_val (members, i);
          for (guint extra = counts[c]; counts[c] > 0 && extra < largest; extra++)
            {
              guint pick = g_array_index (members, guint, g_rand_int_range (rand, 0, (gint32) members->len));

              memcpy (row, &g_array_index (rows->x, float, (gsize) pick * rows->n_features),
                      rows->n_features * sizeof (float));
              rows_add (rows, row, c);
            }
        }
    }
}

static const float *
sample_row (const CradleTaskData *data,
            gboolean              images,
            guint                 i)
{
  if (images)
    return data->images + (gsize) i * data->height * data->width;
  return data->x + (gsize) i * data->n_features;
}

static GPtrArray *
load_backgrounds (const CradleTaskData *data,
                  const gboolean       *train_mask,
                  guint32               seed)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  GPtrArray *audio = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_audio_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  /* Only the training part's not-cry clips (never a held-out one), or, for
   * the cause task, the dataset's not-cry clips, which it never scores. */
  for (guint i = 0; i < data->n; i++)
    if (train_mask[i] && data->is_background[i])
      g_ptr_array_add (candidates, data->paths[i]);
  for (guint i = 0; data->extra_backgrounds[i] != NULL; i++)
    g_ptr_array_add (candidates, data->extra_backgrounds[i]);
  for (guint k = 0; k < 32 && candidates->len > 0; k++)
    {
      guint pick = (guint) g_rand_int_range (rand, 0, (gint32) candidates->len);
      CradleAudio *a = cradle_audio_load (g_ptr_array_index (candidates, pick), data->config.sample_rate, NULL);

      if (a != NULL)
        g_ptr_array_add (audio, a);
      g_ptr_array_remove_index_fast (candidates, pick);
    }
  return audio;
}

typedef struct {
  const CradleTrainOptions *options;
  guint                     steps;
} ProgressCount;

static gboolean
count_progress (guint    step,
                guint    n_steps,
                double   train_loss,
                double   valid_loss,
                double   valid_accuracy,
                gpointer user_data)
{
  ProgressCount *count = user_data;

  count->steps++;
  if (count->options->progress != NULL)
    return count->options->progress (step, n_steps, train_loss, valid_loss, valid_accuracy,
                                     count->options->user_data);
  return TRUE;
}

/* Fits a model on the samples in TRAIN_MASK: a grouped validation part when
 * asked, augmented copies of the training clips, class balancing. */
static CradleModel *
fit_on (const CradleTaskData     *data,
        const CradleTrainOptions *options,
        const gboolean           *train_mask,
        guint32                   seed,
        guint                    *n_augmented,
        guint                    *n_steps,
        GError                  **error)
{
  gboolean images = uses_images (options->kind);
  guint n_features = images ? data->height * data->width : data->n_features;
  double valid_fraction = valid_fraction_for (options);
  g_autofree guint *part = NULL;
  g_autoptr(GArray) train_idx = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CradleModel) model = NULL;
  Rows train = { 0 };
  Rows valid = { 0 };
  CradleMatrix train_m;
  CradleMatrix valid_m;
  CradleTrainRequest request = { 0 };
  ProgressCount count = { options, 0 };
  gboolean ok;

  if ((images && data->images == NULL) || (!images && data->x == NULL))
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                   "The %s model needs %s, which were not loaded", cradle_model_kind_to_string (options->kind),
                   images ? "log-mel images" : "clip vectors");
      return NULL;
    }
  if (data->n_crops > 0 && options->augment != NULL)
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                   "Augmentation works on whole recordings and cannot be combined with crops");
      return NULL;
    }
  for (guint i = 0; i < data->n; i++)
    if (train_mask[i])
      g_array_append_val (train_idx, i);

  /* The validation part is grouped too: split the training groups. */
  if (valid_fraction > 0.0)
    {
      g_autofree guint *y = g_new (guint, train_idx->len);
      g_autofree const char **groups = g_new (const char *, train_idx->len);
      g_autoptr(GError) split_error = NULL;

      part = g_new0 (guint, train_idx->len);
      for (guint j = 0; j < train_idx->len; j++)
        {
          guint i = g_array_index (train_idx, guint, j);

          y[j] = data->y[i];
          groups[j] = data->groups[i];
        }
      if (!cradle_split_train_valid_test (y, groups, train_idx->len, data->n_classes, valid_fraction,
                                          0.0, seed ^ 0x5a17u, part, &split_error))
        g_clear_pointer (&part, g_free);  /* too few groups: no validation part */
    }

  rows_init (&train, n_features);
  rows_init (&valid, n_features);
  for (guint j = 0; j < train_idx->len; j++)
    {
      guint i = g_array_index (train_idx, guint, j);

      rows_add (part != NULL && part[j] == CRADLE_SPLIT_VALID ? &valid : &train,
                sample_row (data, images, i), data->y[i]);
    }

  /* Augmented copies of the training rows (never of validation rows). */
  if (options->augment != NULL && options->augment->copies > 0)
    {
      g_autoptr(GPtrArray) backgrounds = load_backgrounds (data, train_mask, seed ^ 0xb6u);
      g_autoptr(GArray) jobs = g_array_new (FALSE, TRUE, sizeof (FeatureJob));
      g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree float *out = NULL;
      guint n_jobs = 0;

      for (guint j = 0; j < train_idx->len; j++)
        if (part == NULL || part[j] != CRADLE_SPLIT_VALID)
          n_jobs += options->augment->copies;
      out = g_new (float, (gsize) MAX (n_jobs, 1) * n_features);
      for (guint j = 0; j < train_idx->len; j++)
        {
          guint i = g_array_index (train_idx, guint, j);

          if (part != NULL && part[j] == CRADLE_SPLIT_VALID)
            continue;
          for (guint c = 0; c < options->augment->copies; c++)
            {
              FeatureJob job = {
                data->paths[i], TRUE,
                seed * 2654435761u + i * 40503u + c * 97u + 1u,
                NULL, NULL,
              };
              float *dest = out + (gsize) jobs->len * n_features;

              if (images)
                job.image = dest;
              else
                job.vector = dest;
              g_array_append_val (jobs, job);
              g_array_append_val (labels, data->y[i]);
            }
        }
      if (!run_feature_jobs (&data->config, (FeatureJob *) jobs->data, jobs->len, data->height,
                             data->width, options->augment, backgrounds, options->n_threads,
                             options->cancellable, error))
        {
          rows_clear (&train);
          rows_clear (&valid);
          return NULL;
        }
      for (guint j = 0; j < jobs->len; j++)
        rows_add (&train, out + (gsize) j * n_features, g_array_index (labels, guint, j));
      if (n_augmented != NULL)
        *n_augmented += jobs->len;
    }

  rows_balance (&train, data->n_classes, options->balance, seed ^ 0x0b5eu);

  model = cradle_model_new (options->kind, data->task,
                            images ? CRADLE_MODEL_INPUT_LOG_MEL : CRADLE_MODEL_INPUT_CLIP_VECTOR,
                            &data->config, (const char * const *) data->classes, data->n_classes, error);
  if (model == NULL)
    {
      rows_clear (&train);
      rows_clear (&valid);
      return NULL;
    }
  if (!images)
    cradle_model_set_feature_names (model, (const char * const *) data->feature_names);
  train_m = rows_matrix (&train, data, images, options->balance == CRADLE_BALANCE_WEIGHTS);
  valid_m = rows_matrix (&valid, data, images, FALSE);
  request.seed = seed;
  request.params = options->params;
  request.n_threads = options->n_threads;
  request.progress = count_progress;
  request.user_data = &count;
  request.cancellable = options->cancellable;
  ok = cradle_model_fit (model, &train_m, valid.y->len > 0 ? &valid_m : NULL, &request, error);
  rows_clear (&train);
  rows_clear (&valid);
  if (n_steps != NULL)
    *n_steps += count.steps;
  if (!ok)
    return NULL;
  cradle_model_set_dataset_hash (model, data->dataset_hash);
  return g_steal_pointer (&model);
}

void
cradle_cv_result_free (CradleCvResult *result)
{
  if (result == NULL)
    return;
  g_free (result->fold);
  g_free (result->proba);
  cradle_metrics_free (result->metrics);
  cradle_metrics_free (result->full_band);
  g_free (result->importance);
  g_free (result);
}

static double
macro_f1_of (const guint *y,
             const float *proba,
             guint        n,
             guint        n_classes)
{
  g_autoptr(CradleMetrics) m = cradle_metrics_compute (y, proba, n, n_classes, NULL, 0);

  return m->macro_f1;
}

CradleCvResult *
cradle_trainer_cross_validate (const CradleTaskData      *data,
                               const CradleTrainOptions  *options,
                               guint                      k,
                               const guint               *fold,
                               gboolean                   permutation_importance,
                               GError                   **error)
{
  g_autoptr(CradleCvResult) result = g_new0 (CradleCvResult, 1);
  gboolean images;
  guint n_features;
  guint majority;
  gint64 start;
  double train_seconds = 0.0;
  guint full = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  images = uses_images (options->kind);
  n_features = images ? data->height * data->width : data->n_features;
  result->kind = options->kind;
  result->k = k;
  if (fold != NULL)
    result->fold = g_memdup2 (fold, data->n * sizeof (guint));
  else if ((result->fold = cradle_trainer_make_folds (data, k, options->seed, error)) == NULL)
    return NULL;
  result->proba = g_new0 (float, (gsize) data->n * data->n_classes);
  if (permutation_importance && !images && data->x != NULL)
    result->importance = g_new0 (float, data->n_features);

  start = g_get_monotonic_time ();
  for (guint f = 0; f < k; f++)
    {
      g_autofree gboolean *train_mask = g_new0 (gboolean, data->n);
      g_autoptr(GArray) test_idx = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(CradleModel) model = NULL;
      g_autofree float *x = NULL;
      g_autofree float *proba = NULL;
      g_autofree guint *y = NULL;
      gint64 fit_start;

      if (cancelled (options->cancellable, error))
        return NULL;
      for (guint i = 0; i < data->n; i++)
        {
          train_mask[i] = result->fold[i] != f;
          if (!train_mask[i])
            g_array_append_val (test_idx, i);
        }
      if (test_idx->len == 0)
        continue;
      fit_start = g_get_monotonic_time ();
      model = fit_on (data, options, train_mask, options->seed + f * 7919u,
                      &result->n_augmented, &result->n_epochs, error);
      train_seconds += (g_get_monotonic_time () - fit_start) / 1e6;
      if (model == NULL)
        {
          g_prefix_error (error, "Fold %u of %u: ", f + 1, k);
          return NULL;
        }

      x = g_new (float, (gsize) test_idx->len * n_features);
      y = g_new (guint, test_idx->len);
      proba = g_new (float, (gsize) test_idx->len * data->n_classes);
      for (guint j = 0; j < test_idx->len; j++)
        {
          guint i = g_array_index (test_idx, guint, j);

          memcpy (x + (gsize) j * n_features, sample_row (data, images, i), n_features * sizeof (float));
          y[j] = data->y[i];
        }
      cradle_model_predict_proba (model, x, test_idx->len, proba);
      for (guint j = 0; j < test_idx->len; j++)
        memcpy (result->proba + (gsize) g_array_index (test_idx, guint, j) * data->n_classes,
                proba + (gsize) j * data->n_classes, data->n_classes * sizeof (float));

      /* Permutation importance on the held-out fold. */
      if (result->importance != NULL)
        {
          double base = macro_f1_of (y, proba, test_idx->len, data->n_classes);
          g_autoptr(GRand) rand = g_rand_new_with_seed (options->seed ^ (f * 31u + 17u));
          g_autofree float *column = g_new (float, test_idx->len);
          g_autofree float *permuted = g_new (float, (gsize) test_idx->len * data->n_classes);

          for (guint c = 0; c < data->n_features; c++)
            {
              for (guint j = 0; j < test_idx->len; j++)
                column[j] = x[(gsize) j * n_features + c];
              for (guint j = test_idx->len; j > 1; j--)
                {
                  guint r = (guint) g_rand_int_range (rand, 0, (gint32) j);

                  x[(gsize) (j - 1) * n_features + c] = column[r];
                  column[r] = column[j - 1];
                }
              if (test_idx->len > 0)
                x[c] = column[0];
              cradle_model_predict_proba (model, x, test_idx->len, permuted);
              result->importance[c] += (float) ((base - macro_f1_of (y, permuted, test_idx->len,
                                                                      data->n_classes)) / k);
              for (guint j = 0; j < test_idx->len; j++)
                x[(gsize) j * n_features + c] =
                  sample_row (data, images, g_array_index (test_idx, guint, j))[c];
            }
        }
    }
  result->seconds = (g_get_monotonic_time () - start) / 1e6;
  result->seconds_per_epoch = options->kind == CRADLE_MODEL_CNN && result->n_epochs > 0
                              ? train_seconds / result->n_epochs : NAN;

  majority = cradle_metrics_majority_class (data->y, data->n, data->n_classes);
  result->metrics = cradle_metrics_compute (data->y, result->proba, data->n, data->n_classes,
                                            (const char * const *) data->classes, majority);

  /* The bandwidth check: the same out-of-fold predictions on full-band
   * clips alone. */
  for (guint i = 0; i < data->n; i++)
    full += cradle_task_data_is_full_band (data, i);
  if (full > 0 && full < data->n)
    {
      g_autofree guint *y = g_new (guint, full);
      g_autofree float *p = g_new (float, (gsize) full * data->n_classes);
      guint j = 0;

      for (guint i = 0; i < data->n; i++)
        if (cradle_task_data_is_full_band (data, i))
          {
            y[j] = data->y[i];
            memcpy (p + (gsize) j * data->n_classes, result->proba + (gsize) i * data->n_classes,
                    data->n_classes * sizeof (float));
            j++;
          }
      result->full_band = cradle_metrics_compute (y, p, full, data->n_classes,
                                                  (const char * const *) data->classes,
                                                  cradle_metrics_majority_class (y, full, data->n_classes));
    }
  return g_steal_pointer (&result);
}

GPtrArray *
cradle_trainer_compare (const CradleTaskData      *data,
                        const CradleTrainOptions  *options,
                        const CradleModelKind     *kinds,
                        guint                      n_kinds,
                        guint                      k,
                        GError                   **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_cv_result_free);
  g_autofree guint *fold = NULL;

  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  g_return_val_if_fail (kinds != NULL || n_kinds == 0, NULL);

  fold = cradle_trainer_make_folds (data, k, options->seed, error);
  if (fold == NULL)
    return NULL;
  for (guint m = 0; m < n_kinds; m++)
    {
      CradleTrainOptions o = *options;
      CradleCvResult *r;

      o.kind = kinds[m];
      r = cradle_trainer_cross_validate (data, &o, k, fold, FALSE, error);
      if (r == NULL)
        {
          g_prefix_error (error, "%s: ", cradle_model_kind_to_string (kinds[m]));
          return NULL;
        }
      g_ptr_array_add (results, r);
    }
  return g_steal_pointer (&results);
}

CradleModel *
cradle_trainer_fit (const CradleTaskData      *data,
                    const CradleTrainOptions  *options,
                    JsonNode                  *metrics,
                    GError                   **error)
{
  g_autofree gboolean *all = NULL;
  CradleModel *model;

  g_return_val_if_fail (data != NULL && options != NULL, NULL);

  all = g_new (gboolean, data->n);
  for (guint i = 0; i < data->n; i++)
    all[i] = TRUE;
  model = fit_on (data, options, all, options->seed, NULL, NULL, error);
  if (model != NULL && metrics != NULL)
    cradle_model_set_metrics (model, metrics);
  return model;
}

/* ---- Hyperparameter search ------------------------------------------------ */

void
cradle_search_trial_free (CradleSearchTrial *trial)
{
  if (trial == NULL)
    return;
  g_clear_pointer (&trial->params, g_hash_table_unref);
  g_free (trial->error);
  g_free (trial);
}

const char *
cradle_trainer_default_space (CradleModelKind kind)
{
  switch (kind)
    {
    case CRADLE_MODEL_LOGREG:
      return "C=0.01|0.03|0.1|0.3|1|3|10";
    case CRADLE_MODEL_SVM:
      return "C=1|3|10|30|100,gamma=0|0.002|0.005|0.01|0.02";
    case CRADLE_MODEL_RF:
      return "max_depth=6|12|20,max_features=0|0.3|0.6";
    case CRADLE_MODEL_GBT:
      return "max_depth=2|4|6,eta=0.05|0.1|0.3";
    case CRADLE_MODEL_CNN:
      return "lr=0.0003|0.001|0.003,dropout=0.2|0.3|0.5";
    default:
      return NULL;
    }
}

GHashTable *
cradle_trainer_parse_params (const char  *text,
                             GError     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) items = NULL;
  g_autofree char *last_name = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *eq = strchr (item, '=');

      if (item[0] == '\0')
        continue;
      if (eq == NULL)
        {
          const char *prev;

          if (last_name == NULL)
            {
              g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                           "Hyperparameter “%s” has no value: write name=value", item);
              return NULL;
            }
          prev = g_hash_table_lookup (params, last_name);
          g_hash_table_insert (params, g_strdup (last_name), g_strconcat (prev, ",", item, NULL));
          continue;
        }
      *eq = '\0';
      g_strstrip (item);
      if (item[0] == '\0')
        {
          g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                       "A hyperparameter in “%s” has no name", text);
          return NULL;
        }
      g_hash_table_insert (params, g_strdup (item), g_strdup (g_strstrip (eq + 1)));
      g_free (last_name);
      last_name = g_strdup (item);
    }
  return g_steal_pointer (&params);
}

static int
compare_trials (gconstpointer a,
                gconstpointer b)
{
  const CradleSearchTrial *ta = *(CradleSearchTrial * const *) a;
  const CradleSearchTrial *tb = *(CradleSearchTrial * const *) b;
  double fa = isnan (ta->macro_f1) ? -1.0 : ta->macro_f1;
  double fb = isnan (tb->macro_f1) ? -1.0 : tb->macro_f1;

  return fa > fb ? -1 : fa < fb;
}

GPtrArray *
cradle_trainer_search (const CradleTaskData      *data,
                       const CradleTrainOptions  *options,
                       const char                *space,
                       guint                      budget,
                       guint                      k,
                       GError                   **error)
{
  g_autoptr(GPtrArray) trials = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_search_trial_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GRand) rand = NULL;
  g_autofree guint *fold = NULL;
  g_autofree guint *picks = NULL;
  g_auto(GStrv) dims = NULL;
  guint64 grid = 1;
  guint n_picks;

  g_return_val_if_fail (data != NULL && options != NULL, NULL);

  if (space == NULL)
    space = cradle_trainer_default_space (options->kind);
  if (space == NULL || budget == 0)
    {
      g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                   "A search needs a space and a budget of at least one candidate");
      return NULL;
    }
  dims = g_strsplit (space, ",", -1);
  for (guint d = 0; dims[d] != NULL; d++)
    {
      char *eq = strchr (dims[d], '=');
      char **vals;

      if (eq == NULL || eq == dims[d] || eq[1] == '\0')
        {
          g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                       "Search space item “%s” is not name=value|value|…", dims[d]);
          return NULL;
        }
      *eq = '\0';
      vals = g_strsplit (eq + 1, "|", -1);
      g_ptr_array_add (names, g_strdup (g_strstrip (dims[d])));
      g_ptr_array_add (values, vals);
      grid *= g_strv_length (vals);
      if (grid > 1000000)
        {
          g_set_error (error, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_INVALID,
                       "The search space “%s” has more than a million points", space);
          return NULL;
        }
    }

  /* The whole grid when it fits the budget, else a seeded sample of it. */
  n_picks = (guint) MIN (grid, (guint64) budget);
  picks = g_new (guint, grid);
  for (guint p = 0; p < grid; p++)
    picks[p] = p;
  rand = g_rand_new_with_seed (options->seed ^ 0x5eac4u);
  if (n_picks < grid)
    for (guint p = 0; p < n_picks; p++)
      {
        guint j = p + (guint) g_rand_int_range (rand, 0, (gint32) (grid - p));
        guint t = picks[p];

        picks[p] = picks[j];
        picks[j] = t;
      }

  fold = cradle_trainer_make_folds (data, k, options->seed, error);
  if (fold == NULL)
    return NULL;
  for (guint p = 0; p < n_picks; p++)
    {
      CradleSearchTrial *trial = g_new0 (CradleSearchTrial, 1);
      CradleTrainOptions o = *options;
      g_autoptr(GError) local = NULL;
      g_autoptr(CradleCvResult) r = NULL;
      guint index = picks[p];
      GHashTableIter iter;
      gpointer key;
      gpointer value;

      trial->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (options->params != NULL)
        {
          g_hash_table_iter_init (&iter, options->params);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_insert (trial->params, g_strdup (key), g_strdup (value));
        }
      for (guint d = 0; d < names->len; d++)
        {
          char **vals = g_ptr_array_index (values, d);
          guint len = g_strv_length (vals);

          g_hash_table_insert (trial->params, g_strdup (g_ptr_array_index (names, d)),
                               g_strdup (g_strstrip (vals[index % len])));
          index /= len;
        }
      o.params = trial->params;
      r = cradle_trainer_cross_validate (data, &o, k, fold, FALSE, &local);
      if (r == NULL)
        {
          if (g_error_matches (local, CRADLE_TRAINER_ERROR, CRADLE_TRAINER_ERROR_CANCELLED))
            {
              cradle_search_trial_free (trial);
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          trial->macro_f1 = trial->balanced_accuracy = NAN;
          trial->error = g_strdup (local->message);
        }
      else
        {
          trial->macro_f1 = r->metrics->macro_f1;
          trial->balanced_accuracy = r->metrics->balanced_accuracy;
          trial->seconds = r->seconds;
        }
      g_ptr_array_add (trials, trial);
    }
  g_ptr_array_sort (trials, compare_trials);
  return g_steal_pointer (&trials);
}

/* ---- Results ----------------------------------------------------------------- */

JsonNode *
cradle_cv_result_to_json (const CradleCvResult *result,
                          const CradleTaskData *data,
                          gboolean              with_curves)
{
  JsonNode *node;
  JsonObject *o;
  g_autoptr(GArray) top = NULL;
  JsonArray *confusions;

  g_return_val_if_fail (result != NULL && data != NULL, NULL);

  node = cradle_metrics_to_json (result->metrics, with_curves);
  o = json_node_get_object (node);
  json_object_set_string_member (o, "task", cradle_task_to_string (data->task));
  json_object_set_string_member (o, "kind", cradle_model_kind_to_string (result->kind));
  json_object_set_int_member (o, "folds", result->k);
  json_object_set_string_member (o, "config_hash", data->config_hash);
  json_object_set_int_member (o, "sample_rate", data->config.sample_rate);
  json_object_set_string_member (o, "dataset_hash", data->dataset_hash);
  json_object_set_double_member (o, "seconds", result->seconds);
  if (isfinite (result->seconds_per_epoch))
    json_object_set_double_member (o, "seconds_per_epoch", result->seconds_per_epoch);
  else
    json_object_set_null_member (o, "seconds_per_epoch");
  json_object_set_int_member (o, "augmented_rows", result->n_augmented);
  json_object_set_int_member (o, "crops", data->n_crops);
  json_object_set_boolean_member (o, "room_tone", data->room_tone);
  json_object_set_boolean_member (o, "onset_crops", data->onset);
  json_object_set_double_member (o, "clip_seconds", data->config.clip_seconds);
  if (result->full_band != NULL)
    json_object_set_member (o, "full_band", cradle_metrics_to_json (result->full_band, FALSE));

  /* The most common confusions, with the recordings involved. */
  top = cradle_metrics_top_confusions (result->metrics, 10);
  confusions = json_array_new ();
  for (guint c = 0; c < top->len; c++)
    {
      const CradleConfusion *pair = &g_array_index (top, CradleConfusion, c);
      JsonObject *item = json_object_new ();
      JsonArray *recs = json_array_new ();

      json_object_set_string_member (item, "truth", data->classes[pair->truth]);
      json_object_set_string_member (item, "predicted", data->classes[pair->predicted]);
      json_object_set_int_member (item, "count", pair->count);
      for (guint i = 0; i < data->n && json_array_get_length (recs) < 10; i++)
        if (data->y[i] == pair->truth && result->metrics->predicted[i] == pair->predicted)
          {
            JsonObject *rec = json_object_new ();

            json_object_set_int_member (rec, "id", data->ids[i]);
            json_object_set_string_member (rec, "path", data->paths[i]);
            json_object_set_string_member (rec, "label", data->labels[i]);
            json_array_add_object_element (recs, rec);
          }
      json_object_set_array_member (item, "recordings", recs);
      json_array_add_object_element (confusions, item);
    }
  json_object_set_array_member (o, "top_confusions", confusions);

  /* How each dataset label fared (e.g. laugh or silence within not-cry). */
  {
    JsonObject *per_label = json_object_new ();

    for (guint i = 0; i < data->n; i++)
      {
        JsonObject *item;

        if (!json_object_has_member (per_label, data->labels[i]))
          {
            item = json_object_new ();
            json_object_set_string_member (item, "class", data->classes[data->y[i]]);
            json_object_set_int_member (item, "n", 0);
            json_object_set_int_member (item, "correct", 0);
            json_object_set_object_member (per_label, data->labels[i], item);
          }
        item = json_object_get_object_member (per_label, data->labels[i]);
        json_object_set_int_member (item, "n", json_object_get_int_member (item, "n") + 1);
        if (result->metrics->predicted[i] == data->y[i])
          json_object_set_int_member (item, "correct", json_object_get_int_member (item, "correct") + 1);
      }
    json_object_set_object_member (o, "per_label", per_label);
  }

  if (result->importance != NULL)
    {
      JsonObject *imp = json_object_new ();

      for (guint c = 0; c < data->n_features; c++)
        json_object_set_double_member (imp, data->feature_names[c], result->importance[c]);
      json_object_set_object_member (o, "permutation_importance", imp);
    }
  return node;
}

gint64
cradle_trainer_record_model (CradleDataset  *dataset,
                             CradleModel    *model,
                             const char     *path,
                             const char     *name,
                             GError        **error)
{
  sqlite3 *db;
  sqlite3_stmt *s = NULL;
  g_autofree char *default_name = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *absolute = NULL;
  JsonNode *node;
  int rc;
  gint64 id = 0;

  g_return_val_if_fail (dataset != NULL && model != NULL && path != NULL, 0);

  db = cradle_dataset_get_db (dataset);
  if (name == NULL)
    name = default_name = g_strdup_printf ("%s-%s", cradle_task_to_string (cradle_model_get_task (model)),
                                           cradle_model_kind_to_string (cradle_model_get_kind (model)));
  node = cradle_model_get_metrics (model);
  if (node != NULL)
    metrics = json_to_string (node, FALSE);
  absolute = g_canonicalize_filename (path, NULL);

  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO models (name, path, task, kind, config_hash, metrics, "
                           "dataset_hash, created, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                           -1, &s, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (s, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (s, 2, absolute, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (s, 3, cradle_task_to_string (cradle_model_get_task (model)), -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 4, cradle_model_kind_to_string (cradle_model_get_kind (model)), -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 5, cradle_model_get_config_hash (model), -1, SQLITE_TRANSIENT);
      if (metrics != NULL)
        sqlite3_bind_text (s, 6, metrics, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (s, 6);
      if (cradle_model_get_dataset_hash (model) != NULL)
        sqlite3_bind_text (s, 7, cradle_model_get_dataset_hash (model), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (s, 7);
      sqlite3_bind_text (s, 8, cradle_model_get_created (model), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (s);
      if (rc == SQLITE_DONE)
        id = sqlite3_last_insert_rowid (db);
    }
  if (id == 0)
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_SQL,
                 "Could not record the model %s in the dataset %s: %s", path,
                 cradle_dataset_get_dir (dataset), sqlite3_errmsg (db));
  sqlite3_finalize (s);
  return id;
}
