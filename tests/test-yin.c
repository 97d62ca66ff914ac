/* test-yin.c — YIN fundamental frequency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static const char *const fixtures[] = { "chirp", "noise", "cry", "cry_padded" };

/* The fixtures: yin (y, fmin=150, fmax=1000, sr=16000, frame_length=1024),
 * so hop 256 and trough threshold 0.1. */
#define SR      16000
#define FRAME   1024
#define HOP     256
#define FMIN    150.0f
#define FMAX    1000.0f
#define THRESH  0.1f

/* Against librosa.yin: on the frames where a trough fell below the
 * threshold (our VOICED flag; librosa's output does not say), F0 within
 * 1 % (measured: 1e-7). Unvoiced frames take the global minimum of the
 * normalised difference, which is ill-conditioned on nearly flat curves
 * (noise, onsets); they must stay inside the period range and 95 % of them
 * agree within 1 % too (measured: all). Silent frames give sr / min_period
 * like librosa. */
static void
test_matches_librosa (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, FRAME, HOP, FMIN, FMAX, THRESH, &error);

  g_assert_no_error (error);
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *wav = g_strdup_printf ("%s.wav", fixtures[f]);
      g_autofree char *csv = g_strdup_printf ("%s.yin.csv", fixtures[f]);
      g_autoptr(CradleTestMatrix) ref = cradle_test_matrix_load (csv);
      g_autofree float *x = NULL;
      g_autofree float *f0 = NULL;
      g_autofree gboolean *voiced = NULL;
      gsize n;
      guint sr, n_frames, n_voiced = 0, n_unvoiced_equal = 0;
      double worst = 0.0;

      x = cradle_test_fixture_audio (wav, &n, &sr);
      n_frames = cradle_yin_n_frames (yin, n);
      g_assert_cmpuint (ref->cols, ==, n_frames);
      f0 = g_new (float, n_frames);
      voiced = g_new (gboolean, n_frames);
      cradle_yin_do (yin, x, n, f0, voiced);

      for (guint t = 0; t < n_frames; t++)
        {
          double want = cradle_test_matrix_get (ref, 0, t);
          double rel = fabs (f0[t] - want) / want;

          /* period in [min_period - 1, max_period + 1] samples */
          g_assert_cmpfloat (f0[t], >=, SR / (107.0 + 1.0));
          g_assert_cmpfloat (f0[t], <=, SR / (16.0 - 1.0));
          if (voiced[t])
            {
              if (rel > 0.01)
                g_error ("%s yin[frame %u] = %.3f Hz, librosa %.3f Hz", fixtures[f], t, f0[t], want);
              worst = MAX (worst, rel);
              n_voiced++;
            }
          else if (rel <= 0.01)
            {
              n_unvoiced_equal++;
            }
        }
      if (g_str_equal (fixtures[f], "noise"))
        g_assert_cmpuint (n_voiced, ==, 0);
      else
        g_assert_cmpuint (n_voiced, >=, n_frames / 5);
      g_test_message ("%s: %u frames, %u voiced, worst voiced error %.2e; %u of the %u unvoiced "
                      "frames also within 1 %%", fixtures[f], n_frames, n_voiced, worst,
                      n_unvoiced_equal, n_frames - n_voiced);
      /* Measured: every unvoiced frame agrees too (same curve, same
       * argmin); allow a few flips of an ill-conditioned minimum. */
      g_assert_cmpuint (n_unvoiced_equal, >=, (n_frames - n_voiced) * 95 / 100);
    }
}

/* A sine's period is found within 1 % (parabolic interpolation does much
 * better), and every frame inside the signal is voiced. */
static void
test_sines (void)
{
  const double freqs[] = { 200.0, 400.0, 600.0, 155.0, 950.0, 311.1 };
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      gsize n = SR;
      g_autofree float *x = cradle_test_sine (n, SR, freqs[i], 0.4);
      guint n_frames = cradle_yin_n_frames (yin, n);
      g_autofree float *f0 = g_new (float, n_frames);
      g_autofree gboolean *voiced = g_new (gboolean, n_frames);
      double worst = 0.0;

      g_assert_cmpuint (n_frames, ==, 32);
      cradle_yin_do (yin, x, n, f0, voiced);
      /* frames 1 .. n - 2 lie inside the signal */
      for (guint t = 1; t + 1 < n_frames; t++)
        {
          g_assert_true (voiced[t]);
          g_assert_cmpfloat_with_epsilon (f0[t] / freqs[i], 1.0, 0.01);
          worst = MAX (worst, fabs (f0[t] / freqs[i] - 1.0));
        }
      g_test_message ("%.1f Hz: worst error %.2e", freqs[i], worst);
    }
}

/* A tone just below fmin (period 107.3 samples, beyond max_period 107):
 * the normalised difference still falls at the last lag, which librosa
 * counts as a trough (x[n-1] < x[n-2]), so the frame is voiced at
 * sr / 107 with no interpolation at the edge (librosa's 149.53 Hz). */
static void
test_last_lag_trough (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  gsize n = SR / 2;
  g_autofree float *x = cradle_test_sine (n, SR, SR / 107.3, 0.5);
  float f0[16];
  gboolean voiced[16];

  g_assert_cmpuint (cradle_yin_n_frames (yin, n), ==, 16);
  cradle_yin_do (yin, x, n, f0, voiced);
  for (guint t = 1; t < 15; t++)
    {
      g_assert_true (voiced[t]);
      g_assert_cmpfloat_with_epsilon (f0[t], SR / 107.0, 1e-3);
    }
}

/* A harmonic tone (f0 plus 2nd and 3rd harmonics) is still found at f0,
 * not at a harmonic. */
static void
test_harmonic_tone (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  gsize n = SR / 2;
  g_autofree float *x = g_new (float, n);
  float f0[32];
  gboolean voiced[32];

  for (gsize i = 0; i < n; i++)
    x[i] = (float) (0.3 * sin (2 * G_PI * 250.0 * i / SR) + 0.25 * sin (2 * G_PI * 500.0 * i / SR + 1.0)
                    + 0.2 * sin (2 * G_PI * 750.0 * i / SR + 2.0));
  cradle_yin_do (yin, x, n, f0, voiced);
  for (guint t = 1; t + 1 < cradle_yin_n_frames (yin, n); t++)
    {
      g_assert_true (voiced[t]);
      g_assert_cmpfloat_with_epsilon (f0[t], 250.0, 2.5);
    }
}

/* Silence has no trough: unvoiced, and like librosa the global minimum of
 * an all-zero curve is its first lag, sr / min_period = 1000 Hz. */
static void
test_silence (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  gsize n = 8000;
  g_autofree float *x = g_new0 (float, n);
  float f0[16];
  gboolean voiced[16];

  g_assert_cmpuint (cradle_yin_n_frames (yin, n), ==, 16);
  cradle_yin_do (yin, x, n, f0, voiced);
  for (guint t = 0; t < 16; t++)
    {
      g_assert_false (voiced[t]);
      g_assert_cmpfloat (f0[t], ==, 1000.0f);
    }
  /* VOICED may be NULL */
  cradle_yin_do (yin, x, n, f0, NULL);
  g_assert_cmpfloat (f0[3], ==, 1000.0f);
}

/* White noise has no period: mostly unvoiced. */
static void
test_noise_unvoiced (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  gsize n = 2 * SR;
  g_autofree float *x = cradle_test_noise (n, 0.2, 31);
  guint n_frames = cradle_yin_n_frames (yin, n);
  g_autofree float *f0 = g_new (float, n_frames);
  g_autofree gboolean *voiced = g_new (gboolean, n_frames);
  guint n_voiced = 0;

  cradle_yin_do (yin, x, n, f0, voiced);
  for (guint t = 0; t < n_frames; t++)
    n_voiced += voiced[t] ? 1 : 0;
  g_assert_cmpuint (n_voiced, <=, n_frames / 10);
}

/* Short signals: one frame, zero-padded; a signal shorter than the lag
 * window must not be read out of bounds (the ASan run checks that). */
static void
test_short_signal (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  g_autofree float *x = cradle_test_sine (300, SR, 400.0, 0.5);
  float f0[1];
  gboolean voiced[1];

  g_assert_cmpuint (cradle_yin_n_frames (yin, 300), ==, 1);
  cradle_yin_do (yin, x, 300, f0, voiced);
  /* frame 0 is [-512, 512): the lag window y[1 .. 512 + 107] holds the
   * 300 samples at 512 ..; only the lags' ends see signal */
  g_assert_true (isfinite (f0[0]));
  cradle_yin_do (yin, NULL, 0, f0, voiced);
  g_assert_false (voiced[0]);
  g_assert_cmpfloat (f0[0], ==, 1000.0f);
}

static void
test_errors (void)
{
  const struct { guint sr, frame, hop; float fmin, fmax, threshold; } bad[] = {
    { 16000, 1024, 512, 150.0f, 8001.0f, 0.1f },   /* fmax above Nyquist */
    { 16000, 1024, 512, 0.0f, 1000.0f, 0.1f },     /* fmin not positive */
    { 16000, 1024, 512, -5.0f, 1000.0f, 0.1f },
    { 16000, 1024, 512, 1000.0f, 1000.0f, 0.1f },  /* fmin >= fmax */
    { 16000, 1024, 512, 150.0f, NAN, 0.1f },
    { 16000, 32, 16, 150.0f, 1000.0f, 0.1f },      /* longest period 15 < shortest 16 */
    { 16000, 1024, 0, 150.0f, 1000.0f, 0.1f },     /* hop 0 */
    { 16000, 1024, 512, 150.0f, 1000.0f, 0.0f },   /* threshold */
    { 16000, 4, 2, 150.0f, 1000.0f, 0.1f },        /* tiny frame */
    { 0, 1024, 512, 150.0f, 1000.0f, 0.1f },       /* no sample rate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleYin) yin = cradle_yin_new (bad[i].sr, bad[i].frame, bad[i].hop, bad[i].fmin,
                                                 bad[i].fmax, bad[i].threshold, &error);

      g_assert_null (yin);
      g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
    }

  /* the smallest frame librosa accepts for this range: 16 + 2 lags */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CradleYin) yin = cradle_yin_new (16000, 36, 16, 150.0f, 1000.0f, 0.1f, &error);

    g_assert_no_error (error);
    g_assert_nonnull (yin);
  }
}

typedef struct {
  CradleYin   *yin;
  const float *x;
  gsize        n;
  float       *f0;
  gboolean    *voiced;
} YinRun;

static void
run_yin (gpointer data)
{
  YinRun *r = data;

  cradle_yin_do (r->yin, r->x, r->n, r->f0, r->voiced);
}

/* A 5 s clip at 16 kHz under the default analysis: 157 frames of 1024,
 * hop 512, 150–1000 Hz (lags up to 107). */
static void
test_timing (void)
{
  g_autoptr(CradleYin) yin = cradle_yin_new (SR, 1024, 512, FMIN, FMAX, THRESH, NULL);
  gsize n = 80000;
  guint n_frames = cradle_yin_n_frames (yin, n);
  g_autofree float *x = cradle_test_sine (n, SR, 330.0, 0.3);
  g_autofree float *f0 = g_new (float, n_frames);
  g_autofree gboolean *voiced = g_new (gboolean, n_frames);
  YinRun r = { yin, x, n, f0, voiced };
  double us;

  if (!g_test_perf ())
    {
      g_test_skip ("timing runs with -m perf");
      return;
    }
  us = cradle_test_best_time_us (run_yin, &r, 200);
  g_test_minimized_result (us, "cradle_yin_do, 5 s clip (157 frames of 1024): %.0f us", us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/yin/matches-librosa", test_matches_librosa);
  g_test_add_func ("/core/yin/sines", test_sines);
  g_test_add_func ("/core/yin/last-lag-trough", test_last_lag_trough);
  g_test_add_func ("/core/yin/harmonic-tone", test_harmonic_tone);
  g_test_add_func ("/core/yin/silence", test_silence);
  g_test_add_func ("/core/yin/noise-unvoiced", test_noise_unvoiced);
  g_test_add_func ("/core/yin/short-signal", test_short_signal);
  g_test_add_func ("/core/yin/errors", test_errors);
  g_test_add_func ("/core/yin/timing", test_timing);

  return g_test_run ();
}
