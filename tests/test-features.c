/* test-features.c — the clip feature vector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static CradleFeatureExtractor *
new_default_extractor (void)
{
  CradleAnalysisConfig config;
  g_autoptr(GError) error = NULL;
  CradleFeatureExtractor *fx;

  cradle_analysis_config_init_default (&config);
  fx = cradle_feature_extractor_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx);
  return fx;
}

static float
value (CradleFeatureExtractor *fx,
       const float            *v,
       const char             *name)
{
  int i = cradle_feature_extractor_find_value (fx, name);

  if (i < 0)
    g_error ("no feature named %s", name);
  return v[i];
}

static void
test_names (void)
{
  g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const guide[] = {
    "centroid_mean", "centroid_std", "rolloff_mean", "rolloff_std",
    "zcr_mean", "zcr_std", "rms_mean", "rms_std",
  };
  guint n = cradle_feature_extractor_n_values (fx);
  guint guide_values = 0;

  /* 40 MFCC + 40 deltas, mean and std; 6 descriptors × 2; f0 mean/std; voiced ratio */
  g_assert_cmpuint (n, ==, 4 * 40 + 12 + 3);
  for (guint i = 0; i < n; i++)
    {
      const char *name = cradle_feature_extractor_value_name (fx, i);

      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_cmpint (cradle_feature_extractor_find_value (fx, name), ==, i);
      if (g_str_has_prefix (name, "mfcc_") && !g_str_has_prefix (name, "mfcc_delta_"))
        guide_values++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (guide); i++)
    {
      g_assert_cmpint (cradle_feature_extractor_find_value (fx, guide[i]), >=, 0);
      guide_values++;
    }
  /* The guide's 88 values are all there. */
  g_assert_cmpuint (guide_values, ==, 88);

  /* Stable positions: models store vectors by index. */
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 0), ==, "mfcc_00_mean");
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 39), ==, "mfcc_39_mean");
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 40), ==, "mfcc_00_std");
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 80), ==, "mfcc_delta_00_mean");
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 160), ==, "centroid_mean");
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, n - 1), ==, "voiced_ratio");
  g_assert_cmpint (cradle_feature_extractor_find_value (fx, "no_such_feature"), ==, -1);
}

static void
test_n_mfcc (void)
{
  CradleAnalysisConfig config;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleFeatureExtractor) fx = NULL;

  cradle_analysis_config_init_default (&config);
  config.n_mfcc = 13;
  fx = cradle_feature_extractor_new (&config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cradle_feature_extractor_n_values (fx), ==, 4 * 13 + 15);
  g_assert_cmpstr (cradle_feature_extractor_value_name (fx, 13), ==, "mfcc_00_std");

  config.n_mfcc = 50;
  g_assert_null (cradle_feature_extractor_new (&config, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
}

static double
mean_of_row (const CradleTestMatrix *m,
             guint                   row)
{
  double s = 0.0;

  for (guint c = 0; c < m->cols; c++)
    s += cradle_test_matrix_get (m, row, c);
  return s / m->cols;
}

/* The clip vector's guide values, computed on a fixture signal as it is,
 * equal the means over time of librosa's own per-frame values. */
static void
test_matches_librosa (void)
{
  static const char * const inputs[] = { "cry", "chirp", "noise" };

  for (guint k = 0; k < G_N_ELEMENTS (inputs); k++)
    {
      g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
      g_autofree char *wav = g_strdup_printf ("%s.wav", inputs[k]);
      g_autofree char *mfcc_name = g_strdup_printf ("%s.mfcc.csv", inputs[k]);
      g_autofree char *centroid_name = g_strdup_printf ("%s.centroid.csv", inputs[k]);
      g_autofree char *rms_name = g_strdup_printf ("%s.rms.csv", inputs[k]);
      g_autofree char *zcr_name = g_strdup_printf ("%s.zcr.csv", inputs[k]);
      g_autofree char *rolloff_name = g_strdup_printf ("%s.rolloff.csv", inputs[k]);
      g_autoptr(CradleTestMatrix) mfcc = cradle_test_matrix_load (mfcc_name);
      g_autoptr(CradleTestMatrix) centroid = cradle_test_matrix_load (centroid_name);
      g_autoptr(CradleTestMatrix) rms = cradle_test_matrix_load (rms_name);
      g_autoptr(CradleTestMatrix) zcr = cradle_test_matrix_load (zcr_name);
      g_autoptr(CradleTestMatrix) rolloff = cradle_test_matrix_load (rolloff_name);
      g_autofree float *x = NULL;
      g_autofree float *v = NULL;
      gsize n;
      guint rate;

      x = cradle_test_fixture_audio (wav, &n, &rate);
      g_assert_cmpuint (rate, ==, 16000);
      v = g_new (float, cradle_feature_extractor_n_values (fx));
      cradle_feature_extractor_clip_vector (fx, x, n, v);

      g_assert_cmpuint (mfcc->rows, ==, 40);
      for (guint i = 0; i < 40; i++)
        {
          g_autofree char *name = g_strdup_printf ("mfcc_%02u_mean", i);

          /* MFCC within 1e-2 dB per frame, so the mean too. */
          g_assert_cmpfloat_with_epsilon (value (fx, v, name), mean_of_row (mfcc, i), 1e-2);
        }
      /* centroid/rolloff within one bin (7.8 Hz) per frame */
      g_assert_cmpfloat_with_epsilon (value (fx, v, "centroid_mean"), mean_of_row (centroid, 0), 7.8125);
      g_assert_cmpfloat_with_epsilon (value (fx, v, "rolloff_mean"), mean_of_row (rolloff, 0), 7.8125);
      g_assert_cmpfloat_with_epsilon (value (fx, v, "rms_mean"), mean_of_row (rms, 0), 1e-5);
      g_assert_cmpfloat_with_epsilon (value (fx, v, "zcr_mean"), mean_of_row (zcr, 0), 1e-5);
    }
}

static void
test_sine (void)
{
  g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
  const gsize n = 80000;
  g_autofree float *x = cradle_test_sine (n, 16000, 440.0, 1.0);
  g_autofree float *v = g_new (float, cradle_feature_extractor_n_values (fx));

  cradle_feature_extractor_clip_vector (fx, x, n, v);

  g_assert_cmpfloat_with_epsilon (value (fx, v, "f0_mean"), 440.0, 440.0 * 0.01);
  g_assert_cmpfloat (value (fx, v, "f0_std"), <, 5.0);
  g_assert_cmpfloat (value (fx, v, "voiced_ratio"), >, 0.95);
  g_assert_cmpfloat_with_epsilon (value (fx, v, "centroid_mean"), 440.0, 440.0 * 0.05);
  g_assert_cmpfloat_with_epsilon (value (fx, v, "zcr_mean"), 2.0 * 440.0 / 16000.0, 0.002);
  /* Edge frames are half zero-padding: 2 of 157 frames lose ~30%. */
  g_assert_cmpfloat_with_epsilon (value (fx, v, "rms_mean"), M_SQRT1_2, 0.02);
  g_assert_cmpfloat (value (fx, v, "flatness_mean"), <, 0.05);
  /* A steady tone: the MFCC deltas are near zero in the interior. */
  g_assert_cmpfloat (fabsf (value (fx, v, "mfcc_delta_01_mean")), <, 0.5);
}

static void
test_silence_and_noise (void)
{
  g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
  guint nv = cradle_feature_extractor_n_values (fx);
  const gsize n = 80000;
  g_autofree float *zeros = g_new0 (float, n);
  g_autofree float *noise = cradle_test_noise (n, 0.2, 7);
  g_autofree float *v = g_new (float, nv);

  cradle_feature_extractor_clip_vector (fx, zeros, n, v);
  for (guint i = 0; i < nv; i++)
    g_assert_true (isfinite (v[i]));
  g_assert_cmpfloat (value (fx, v, "voiced_ratio"), ==, 0.0f);
  g_assert_cmpfloat (value (fx, v, "f0_mean"), ==, 0.0f);
  g_assert_cmpfloat (value (fx, v, "rms_mean"), ==, 0.0f);

  cradle_feature_extractor_clip_vector (fx, noise, n, v);
  for (guint i = 0; i < nv; i++)
    g_assert_true (isfinite (v[i]));
  g_assert_cmpfloat (value (fx, v, "voiced_ratio"), <, 0.1);
  g_assert_cmpfloat (value (fx, v, "flatness_mean"), >, 0.4);
  /* White noise: centroid near a quarter of the rate, ZCR near 1/2. */
  g_assert_cmpfloat_with_epsilon (value (fx, v, "centroid_mean"), 4000.0, 300.0);
  g_assert_cmpfloat_with_epsilon (value (fx, v, "zcr_mean"), 0.5, 0.03);
}

static void
test_deterministic (void)
{
  g_autoptr(CradleFeatureExtractor) a = new_default_extractor ();
  g_autoptr(CradleFeatureExtractor) b = new_default_extractor ();
  guint nv = cradle_feature_extractor_n_values (a);
  const gsize n = 80000;
  g_autofree float *noise = cradle_test_noise (n, 0.3, 11);
  g_autofree float *tone = cradle_test_sine (n, 16000, 523.0, 0.5);
  g_autofree float *v1 = g_new (float, nv);
  g_autofree float *v2 = g_new (float, nv);
  g_autofree float *v3 = g_new (float, nv);

  /* The same input gives the same bits, on one extractor after other work
   * and on a fresh one. */
  cradle_feature_extractor_clip_vector (a, noise, n, v1);
  cradle_feature_extractor_clip_vector (a, tone, n, v2);
  cradle_feature_extractor_clip_vector (a, noise, n, v2);
  cradle_feature_extractor_clip_vector (b, noise, n, v3);
  g_assert_cmpmem (v1, nv * sizeof (float), v2, nv * sizeof (float));
  g_assert_cmpmem (v1, nv * sizeof (float), v3, nv * sizeof (float));
}

static void
test_log_mel (void)
{
  g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
  g_autoptr(CradleTestMatrix) mel = cradle_test_matrix_load ("chirp.mel.csv");
  g_autofree float *x = NULL;
  g_autofree float *db = NULL;
  gsize n;
  guint frames = 0;
  double max_db = -G_MAXDOUBLE;

  x = cradle_test_fixture_audio ("chirp.wav", &n, NULL);
  db = cradle_feature_extractor_log_mel (fx, x, n, &frames);
  g_assert_cmpuint (frames, ==, mel->cols);
  for (guint c = 0; c < mel->cols; c++)
    for (guint r = 0; r < mel->rows; r++)
      max_db = MAX (max_db, 10.0 * log10 (MAX (1e-10, cradle_test_matrix_get (mel, r, c))));

  /* power_to_db of librosa's mel, where it is above the 80 dB floor */
  for (guint c = 0; c < mel->cols; c++)
    for (guint r = 0; r < mel->rows; r++)
      {
        double want = MAX (10.0 * log10 (MAX (1e-10, cradle_test_matrix_get (mel, r, c))), max_db - 80.0);

        g_assert_cmpfloat_with_epsilon (db[(gsize) c * 128 + r], want, 1e-2);
      }

  /* Band centres rise from 0 to Nyquist. */
  g_assert_cmpfloat (cradle_feature_extractor_mel_band_hz (fx, 0), <, 50.0);
  g_assert_cmpfloat (cradle_feature_extractor_mel_band_hz (fx, 127), >, 7500.0);
  g_assert_cmpfloat (cradle_feature_extractor_mel_band_hz (fx, 127), <=, 8000.0);
}

static void
test_file_errors (void)
{
  g_autoptr(CradleFeatureExtractor) fx = new_default_extractor ();
  g_autofree float *v = g_new (float, cradle_feature_extractor_n_values (fx));
  g_autoptr(GError) error = NULL;

  g_assert_false (cradle_feature_extractor_file_vector (fx, "/nonexistent/cry.flac", v, NULL, &error));
  g_assert_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "cry.flac"));
}

/* Real cries: finite vectors; F0 where cries sit (300–600 Hz, allow margin). */
static void
test_shared_data (void)
{
  const char *data = cradle_test_shared_data ();
  g_autoptr(CradleFeatureExtractor) fx = NULL;
  g_autofree char *cry_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree float *v = NULL;
  const char *name;
  guint files = 0;
  double f0_sum = 0.0;

  if (data == NULL)
    {
      g_test_skip ("../shared/data is absent: set CRADLE_SHARED_DATA or put the data beside the source tree");
      return;
    }
  fx = new_default_extractor ();
  v = g_new (float, cradle_feature_extractor_n_values (fx));
  cry_dir = g_build_filename (data, "detection", "cry", NULL);
  dir = g_dir_open (cry_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (cry_dir, name, NULL);
      g_autoptr(GError) error = NULL;
      double duration = 0.0;

      if (!g_str_has_suffix (name, ".flac"))
        continue;
      g_assert_true (cradle_feature_extractor_file_vector (fx, path, v, &duration, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (duration, 5.0, 0.05);
      for (guint i = 0; i < cradle_feature_extractor_n_values (fx); i++)
        g_assert_true (isfinite (v[i]));
      f0_sum += value (fx, v, "f0_mean");
      files++;
    }
  g_assert_cmpuint (files, ==, 85);
  g_test_message ("mean F0 of %u cries: %.0f Hz", files, f0_sum / files);
  g_assert_cmpfloat (f0_sum / files, >, 250.0);
  g_assert_cmpfloat (f0_sum / files, <, 700.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/features/names", test_names);
  g_test_add_func ("/core/features/n-mfcc", test_n_mfcc);
  g_test_add_func ("/core/features/matches-librosa", test_matches_librosa);
  g_test_add_func ("/core/features/sine", test_sine);
  g_test_add_func ("/core/features/silence-and-noise", test_silence_and_noise);
  g_test_add_func ("/core/features/deterministic", test_deterministic);
  g_test_add_func ("/core/features/log-mel", test_log_mel);
  g_test_add_func ("/core/features/file-errors", test_file_errors);
  g_test_add_func ("/core/features/shared-data", test_shared_data);

  return g_test_run ();
}
