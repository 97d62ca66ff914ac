/* test-stft.c — centred STFT power spectrum
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static double
hann_periodic (guint i,
               guint n)
{
  return 0.5 - 0.5 * cos (2.0 * G_PI * i / n);
}

static void
test_n_frames (void)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (2048, 512, NULL);

  g_assert_nonnull (stft);
  g_assert_cmpuint (cradle_stft_get_n_fft (stft), ==, 2048);
  g_assert_cmpuint (cradle_stft_get_hop (stft), ==, 512);
  g_assert_cmpuint (cradle_stft_get_n_bins (stft), ==, 1025);
  /* librosa, centred: 1 + n // hop */
  g_assert_cmpuint (cradle_stft_n_frames (stft, 0), ==, 1);
  g_assert_cmpuint (cradle_stft_n_frames (stft, 511), ==, 1);
  g_assert_cmpuint (cradle_stft_n_frames (stft, 512), ==, 2);
  g_assert_cmpuint (cradle_stft_n_frames (stft, 80000), ==, 157);
  g_assert_cmpuint (cradle_stft_n_frames (stft, 24000), ==, 47);   /* chirp fixture */
}

/* A sine on a bin centre: the peak is that bin, with |X| = A N / 4 (the
 * Hann window sums to N / 2 and a real sine puts A / 2 on each side). */
static void
test_sine_peak (void)
{
  const guint sr = 16000, n_fft = 2048, hop = 512;
  const double hz = 1000.0, amp = 0.5;   /* bin 128 exactly */
  const gsize n = 16000;
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, hop, NULL);
  g_autofree float *x = cradle_test_sine (n, sr, hz, amp);
  g_autofree float *power = NULL;
  guint n_frames = cradle_stft_n_frames (stft, n);
  guint n_bins = cradle_stft_get_n_bins (stft);
  double expected = pow (amp * n_fft / 4.0, 2.0);

  power = g_new (float, (gsize) n_frames * n_bins);
  cradle_stft_power (stft, x, n, power);

  /* Frames 2 .. n_frames - 3 lie entirely inside the signal. */
  for (guint t = 2; t + 2 < n_frames; t++)
    {
      const float *p = power + (gsize) t * n_bins;
      guint best = 0;

      for (guint k = 1; k < n_bins; k++)
        if (p[k] > p[best])
          best = k;
      g_assert_cmpuint (best, ==, 128);
      /* 1e-4 relative: float FFT of a 2048-point frame */
      g_assert_cmpfloat_with_epsilon (p[128] / expected, 1.0, 1e-4);
      /* Hann: the neighbours carry exactly a quarter of the amplitude */
      g_assert_cmpfloat_with_epsilon (p[127] / expected, 0.25, 1e-4);
      g_assert_cmpfloat_with_epsilon (p[129] / expected, 0.25, 1e-4);
      /* and the bins two away nothing (above float noise, 1e-9 relative) */
      g_assert_cmpfloat (p[126] / expected, <, 1e-9);
      g_assert_cmpfloat (p[130] / expected, <, 1e-9);
    }
}

/* Parseval: sum over the full spectrum of |X_k|^2 / N equals the energy of
 * the windowed frame. The one-sided spectrum counts bins 1 .. N/2-1 twice. */
static void
test_parseval (void)
{
  const guint n_fft = 1024, hop = 256;
  const gsize n = 8000;
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, hop, NULL);
  g_autofree float *x = cradle_test_noise (n, 0.3, 42);
  g_autofree float *power = NULL;
  guint n_frames = cradle_stft_n_frames (stft, n);
  guint n_bins = cradle_stft_get_n_bins (stft);

  power = g_new (float, (gsize) n_frames * n_bins);
  cradle_stft_power (stft, x, n, power);

  for (guint t = 0; t < n_frames; t++)
    {
      const float *p = power + (gsize) t * n_bins;
      gssize start = (gssize) t * hop - n_fft / 2;
      double time_energy = 0.0, freq_energy = 0.0;

      for (guint i = 0; i < n_fft; i++)
        {
          gssize j = start + (gssize) i;
          double v = (j >= 0 && j < (gssize) n) ? x[j] * hann_periodic (i, n_fft) : 0.0;

          time_energy += v * v;
        }
      for (guint k = 0; k < n_bins; k++)
        freq_energy += (k == 0 || k == n_bins - 1 ? 1.0 : 2.0) * p[k];
      freq_energy /= n_fft;
      /* 1e-5 relative (float FFT, float power) */
      g_assert_cmpfloat_with_epsilon (freq_energy / time_energy, 1.0, 1e-5);
    }
}

/* An impulse seen through frames one sample apart: |X_k|^2 = w[i]^2 for
 * every k, where i is the impulse's place in the frame. That reads the
 * window back: it must be the periodic Hann (w[i] = w[N - i], w[N/2] = 1,
 * w[0] = 0), not the symmetric one, and it must not leak across frames. */
static void
test_hann_periodic (void)
{
  const guint n_fft = 64;
  const gsize n = 256, at = 128;
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, 1, NULL);
  g_autofree float *x = g_new0 (float, n);
  g_autofree float *power = NULL;
  guint n_frames = cradle_stft_n_frames (stft, n);
  guint n_bins = cradle_stft_get_n_bins (stft);
  double w[64];

  x[at] = 1.0f;
  power = g_new (float, (gsize) n_frames * n_bins);
  cradle_stft_power (stft, x, n, power);

  for (guint t = 0; t < n_frames; t++)
    {
      const float *p = power + (gsize) t * n_bins;
      gssize i = (gssize) at - ((gssize) t - n_fft / 2);   /* impulse index in frame t */

      if (i < 0 || i >= (gssize) n_fft)
        {
          for (guint k = 0; k < n_bins; k++)
            g_assert_cmpfloat (p[k], ==, 0.0f);
          continue;
        }
      w[i] = sqrt (p[0]);
      for (guint k = 1; k < n_bins; k++)
        g_assert_cmpfloat_with_epsilon (p[k], p[0], 1e-6);
      g_assert_cmpfloat_with_epsilon (w[i], hann_periodic ((guint) i, n_fft), 1e-6);
    }
  g_assert_cmpfloat (w[0], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (w[n_fft / 2], 1.0, 1e-7);
  for (guint i = 1; i < n_fft; i++)
    g_assert_cmpfloat_with_epsilon (w[i], w[n_fft - i], 1e-7);
  /* the symmetric window would have w[N-1] = 0 */
  g_assert_cmpfloat (w[n_fft - 1], >, 1e-3);
}

/* Centring: frame 0 is n_fft / 2 zeros then the first samples. For a
 * constant signal the DC bin of frame 0 is the sum of the window's second
 * half; the last frame of a signal of length k * hop holds only the window's
 * first half. */
static void
test_centered_zero_padding (void)
{
  const guint n_fft = 256, hop = 64;
  const gsize n = 64 * 20;
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, hop, NULL);
  g_autofree float *x = g_new (float, n);
  g_autofree float *power = NULL;
  guint n_frames = cradle_stft_n_frames (stft, n);
  guint n_bins = cradle_stft_get_n_bins (stft);
  double first_half = 0.0, second_half = 0.0, full = 0.0;

  for (gsize i = 0; i < n; i++)
    x[i] = 1.0f;
  for (guint i = 0; i < n_fft; i++)
    {
      full += hann_periodic (i, n_fft);
      if (i < n_fft / 2)
        first_half += hann_periodic (i, n_fft);
      else
        second_half += hann_periodic (i, n_fft);
    }
  power = g_new (float, (gsize) n_frames * n_bins);
  cradle_stft_power (stft, x, n, power);

  g_assert_cmpuint (n_frames, ==, 21);
  g_assert_cmpfloat_with_epsilon (sqrt (power[0]) / second_half, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (sqrt (power[(gsize) 10 * n_bins]) / full, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (sqrt (power[(gsize) 20 * n_bins]) / first_half, 1.0, 1e-6);
}

/* Signals shorter than a frame, and the empty signal, give zero-padded
 * frames, not garbage. */
static void
test_short_signal (void)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (512, 128, NULL);
  guint n_bins = cradle_stft_get_n_bins (stft);
  float x[100];
  float power[257];
  double energy = 0.0, freq_energy = 0.0;

  for (guint i = 0; i < 100; i++)
    x[i] = (float) sin (i * 0.3);
  g_assert_cmpuint (cradle_stft_n_frames (stft, 100), ==, 1);
  cradle_stft_power (stft, x, 100, power);
  /* frame 0 covers x[-256 .. 256): all 100 samples, at window 256 .. 355 */
  for (guint i = 0; i < 100; i++)
    energy += pow (x[i] * hann_periodic (256 + i, 512), 2.0);
  for (guint k = 0; k < n_bins; k++)
    freq_energy += (k == 0 || k == n_bins - 1 ? 1.0 : 2.0) * power[k];
  g_assert_cmpfloat_with_epsilon (freq_energy / 512 / energy, 1.0, 1e-5);

  cradle_stft_power (stft, NULL, 0, power);
  for (guint k = 0; k < n_bins; k++)
    g_assert_cmpfloat (power[k], ==, 0.0f);
}

/* The same object run twice (and a second object) gives identical output:
 * no state leaks between calls. */
static void
test_repeatable (void)
{
  g_autoptr(CradleStft) a = cradle_stft_new (2048, 512, NULL);
  g_autoptr(CradleStft) b = cradle_stft_new (2048, 512, NULL);
  g_autofree float *x = cradle_test_noise (5000, 0.2, 7);
  guint n_frames = cradle_stft_n_frames (a, 5000);
  gsize size = (gsize) n_frames * cradle_stft_get_n_bins (a);
  g_autofree float *p1 = g_new (float, size);
  g_autofree float *p2 = g_new (float, size);
  g_autofree float *p3 = g_new (float, size);

  cradle_stft_power (a, x, 5000, p1);
  cradle_stft_power (a, x, 5000, p2);
  cradle_stft_power (b, x, 5000, p3);
  g_assert_cmpmem (p1, size * sizeof (float), p2, size * sizeof (float));
  g_assert_cmpmem (p1, size * sizeof (float), p3, size * sizeof (float));
}

static void
test_errors (void)
{
  const struct { guint n_fft, hop; } bad[] = {
    { 0, 1 }, { 8, 4 }, { 1023, 256 }, { 1u << 20, 512 }, { 2048, 0 }, { 2048, 2049 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleStft) stft = cradle_stft_new (bad[i].n_fft, bad[i].hop, &error);

      g_assert_null (stft);
      g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
      g_assert_nonnull (error->message);
    }
  /* and NULL error is allowed */
  g_assert_null (cradle_stft_new (1023, 256, NULL));
}

typedef struct {
  CradleStft *stft;
  float      *x;
  gsize       n;
  float      *power;
} StftRun;

static void
run_stft (gpointer data)
{
  StftRun *r = data;

  cradle_stft_power (r->stft, r->x, r->n, r->power);
}

/* A 5 s clip at 16 kHz under the default analysis (157 frames of 2048). */
static void
test_timing (void)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (2048, 512, NULL);
  gsize n = 80000;
  g_autofree float *x = cradle_test_noise (n, 0.1, 1);
  g_autofree float *power = g_new (float, (gsize) cradle_stft_n_frames (stft, n) * 1025);
  StftRun r = { stft, x, n, power };
  double us;

  if (!g_test_perf ())
    {
      g_test_skip ("timing runs with -m perf");
      return;
    }
  us = cradle_test_best_time_us (run_stft, &r, 200);
  g_test_minimized_result (us, "cradle_stft_power, 5 s clip (157 frames of 2048): %.0f us", us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/stft/n-frames", test_n_frames);
  g_test_add_func ("/core/stft/sine-peak", test_sine_peak);
  g_test_add_func ("/core/stft/parseval", test_parseval);
  g_test_add_func ("/core/stft/hann-periodic", test_hann_periodic);
  g_test_add_func ("/core/stft/centered-zero-padding", test_centered_zero_padding);
  g_test_add_func ("/core/stft/short-signal", test_short_signal);
  g_test_add_func ("/core/stft/repeatable", test_repeatable);
  g_test_add_func ("/core/stft/errors", test_errors);
  g_test_add_func ("/core/stft/timing", test_timing);

  return g_test_run ();
}
