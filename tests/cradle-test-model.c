/* cradle-test-model.c — tiny detect and cause models for detector tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-test-model.h"

#include <math.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

#define N_TRAIN 150  /* clips per class */

static void
small_config (CradleAnalysisConfig *config)
{
  cradle_analysis_config_init_default (config);
  config->sample_rate = CRADLE_TEST_MODEL_RATE;
  config->n_fft = 256;
  config->hop_length = 128;
  config->n_mels = 32;
  config->n_mfcc = 13;
  config->clip_seconds = 1.0f;
  config->yin_frame_length = 256;
  config->yin_hop_length = 128;
}

void
cradle_test_add_tone (float  *x,
                      gsize   n,
                      double  t0,
                      double  t1,
                      double  f0,
                      double  amp)
{
  gsize a = (gsize) (t0 * CRADLE_TEST_MODEL_RATE), b = MIN (n, (gsize) (t1 * CRADLE_TEST_MODEL_RATE));
  double phase = 0.0;

  for (gsize i = a; i < b; i++)
    {
      /* A slow vibrato: the phase integrates the frequency. */
      double f = f0 * (1.0 + 0.02 * sin (2 * G_PI * 4.0 * (double) i / CRADLE_TEST_MODEL_RATE));
      double v = 0.0;

      phase += 2 * G_PI * f / CRADLE_TEST_MODEL_RATE;
      for (guint h = 1; h <= 3; h++)
        v += amp / h * sin (h * phase);
      x[i] += (float) v;
    }
}

float *
cradle_test_noise_stream (double  seconds,
                          double  sd,
                          guint32 seed,
                          gsize  *n)
{
  *n = (gsize) (seconds * CRADLE_TEST_MODEL_RATE);
  return cradle_test_noise (*n, sd, seed);
}

CradleModel *
cradle_test_model_train (CradleTask task)
{
  static const char * const detect_labels[] = { "not-cry", "cry" };
  static const char * const cause_labels[] = { "hunger", "pain" };
  CradleAnalysisConfig config_storage;
  const CradleAnalysisConfig *config = &config_storage;
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  guint n_features;
  gsize clip_n;
  guint n_rows = 2 * N_TRAIN;
  g_autofree float *x = NULL;
  g_autofree guint *y = g_new (guint, n_rows);
  g_autofree float *clip = NULL;
  CradleMatrix m = { .n_rows = n_rows, .y = y };
  CradleTrainRequest request = { .seed = 1, .n_threads = 1 };
  CradleModel *model;

  small_config (&config_storage);
  extractor = cradle_feature_extractor_new (config, NULL);
  n_features = cradle_feature_extractor_n_values (extractor);
  x = g_new (float, (gsize) n_rows * n_features);
  m.n_features = n_features;
  m.x = x;
  clip_n = cradle_analysis_config_clip_samples (config);
  clip = g_new (float, clip_n);
  for (guint r = 0; r < n_rows; r++)
    {
      guint cls = r % 2;
      gsize n;
      g_autofree float *audio = NULL;

      if (task == CRADLE_TASK_DETECT && cls == 0)
        {
          /* Noise at any level, sometimes with mains hum, sometimes near silence. */
          audio = cradle_test_noise_stream (1.0, g_rand_double_range (rand, 0.0005, 0.3), r + 1000, &n);
          if (r % 3 == 0)
            cradle_test_add_tone (audio, n, 0.0, 1.0, 60.0, 0.1);
        }
      else
        {
          double f0 = task == CRADLE_TASK_DETECT ? g_rand_double_range (rand, 350, 550)
                    : cls == 0 ? g_rand_double_range (rand, 340, 400) : g_rand_double_range (rand, 500, 560);
          /* The tone fills the clip, or starts or stops inside it. */
          guint variant = (r / 2) % 3;
          double start = variant == 1 ? g_rand_double_range (rand, 0.0, 0.6) : 0.0;
          double end = variant == 2 ? g_rand_double_range (rand, 0.4, 1.0) : 1.0;

          audio = cradle_test_noise_stream (1.0, g_rand_double_range (rand, 0.005, 0.05), r + 2000, &n);
          cradle_test_add_tone (audio, n, start, end, f0, g_rand_double_range (rand, 0.1, 0.5));
        }
      cradle_preprocess_clip (config, audio, n, clip);
      cradle_feature_extractor_clip_vector (extractor, clip, clip_n, x + (gsize) r * n_features);
      y[r] = cls;
    }
  model = cradle_model_new (CRADLE_MODEL_LOGREG, task, CRADLE_MODEL_INPUT_CLIP_VECTOR, config,
                            task == CRADLE_TASK_DETECT ? detect_labels : cause_labels, 2,
                            &error);
  g_assert_no_error (error);
  g_assert_true (cradle_model_fit (model, &m, NULL, &request, &error));
  g_assert_no_error (error);
  return model;
}

