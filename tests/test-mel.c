/* test-mel.c — mel filterbank, power to dB, MFCC and deltas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static const char *const fixtures[] = { "chirp", "noise", "cry", "cry_padded" };

/* librosa's defaults in the fixtures */
#define SR     16000
#define N_FFT  2048
#define HOP    512
#define N_MELS 128
#define N_MFCC 40

/* The mel spectrogram of fixture NAME (frame-major); *N_FRAMES set. */
static float *
fixture_mel (const char *name,
             guint      *n_frames)
{
  g_autofree char *wav = g_strdup_printf ("%s.wav", name);
  g_autoptr(CradleStft) stft = cradle_stft_new (N_FFT, HOP, NULL);
  g_autoptr(CradleMelFilterbank) fb = cradle_mel_filterbank_new (SR, N_FFT, N_MELS, 0.0f, SR / 2.0f, NULL);
  g_autofree float *x = NULL;
  g_autofree float *power = NULL;
  float *mel;
  gsize n;
  guint sr;

  x = cradle_test_fixture_audio (wav, &n, &sr);
  g_assert_cmpuint (sr, ==, SR);
  *n_frames = cradle_stft_n_frames (stft, n);
  power = g_new (float, (gsize) *n_frames * cradle_stft_get_n_bins (stft));
  cradle_stft_power (stft, x, n, power);
  mel = g_new (float, (gsize) *n_frames * N_MELS);
  cradle_mel_filterbank_apply (fb, power, *n_frames, mel);
  return mel;
}

/* Mel power against librosa.feature.melspectrogram: 1e-4 relative, with an
 * absolute floor of 1e-10 (-100 dB) times the loudest band of the same
 * frame. librosa runs its FFT in double, this a float FFTW whose rounding
 * noise in a power bin is ~1e-12 of the frame's peak: bands 90+ dB below
 * the peak (the chirp's empty high bands go down to 1e-17 of it) can only
 * agree to that level, not relatively. Measured: all noise bands, and all
 * but 1-6 bands of each cry, are within 1e-4 relative; the rest are within
 * 8e-12 of the frame peak. */
static void
test_mel_matches_librosa (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *csv = g_strdup_printf ("%s.mel.csv", fixtures[f]);
      g_autoptr(CradleTestMatrix) ref = cradle_test_matrix_load (csv);
      g_autofree float *mel = NULL;
      guint n_frames;
      double worst_rel = 0.0, worst_floor = 0.0;
      guint n_floor = 0, n_checked = 0;

      mel = fixture_mel (fixtures[f], &n_frames);
      g_assert_cmpuint (ref->rows, ==, N_MELS);
      g_assert_cmpuint (ref->cols, ==, n_frames);

      for (guint t = 0; t < n_frames; t++)
        {
          double peak = 0.0;

          for (guint m = 0; m < N_MELS; m++)
            peak = MAX (peak, cradle_test_matrix_get (ref, m, t));
          for (guint m = 0; m < N_MELS; m++)
            {
              double want = cradle_test_matrix_get (ref, m, t);
              double got = mel[(gsize) t * N_MELS + m];
              double err = fabs (got - want);
              double floor_abs = 1e-10 * peak;

              if (err > 1e-4 * fabs (want) + floor_abs)
                g_error ("%s mel[band %u, frame %u] = %.9g, librosa %.9g (frame peak %.6g)",
                         fixtures[f], m, t, got, want, peak);
              if (err > 1e-4 * fabs (want))
                {
                  n_floor++;
                  worst_floor = MAX (worst_floor, err / peak);
                }
              else if (want != 0.0)
                {
                  worst_rel = MAX (worst_rel, err / fabs (want));
                }
              n_checked++;
            }
        }
      g_test_message ("%s: %u mel values; %u within 1e-4 relative (worst %.2e), %u only within "
                      "the floor (worst |error| / frame peak %.2e)", fixtures[f], n_checked,
                      n_checked - n_floor, worst_rel, n_floor, worst_floor);
    }
}

/* MFCC (power_to_db ref 1, amin 1e-10, top_db 80; DCT-II ortho) against
 * librosa.feature.mfcc: 1e-2 absolute (dB units). */
static void
test_mfcc_matches_librosa (void)
{
  g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (N_MELS, N_MFCC, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *csv = g_strdup_printf ("%s.mfcc.csv", fixtures[f]);
      g_autoptr(CradleTestMatrix) ref = cradle_test_matrix_load (csv);
      g_autofree float *mel = NULL;
      g_autofree float *out = NULL;
      guint n_frames;
      double worst = 0.0;

      mel = fixture_mel (fixtures[f], &n_frames);
      cradle_power_to_db (mel, (gsize) n_frames * N_MELS, 1.0f, 1e-10f, 80.0f);
      out = g_new (float, (gsize) n_frames * N_MFCC);
      cradle_mfcc_apply (mfcc, mel, n_frames, out);

      g_assert_cmpuint (ref->rows, ==, N_MFCC);
      g_assert_cmpuint (ref->cols, ==, n_frames);
      for (guint t = 0; t < n_frames; t++)
        for (guint k = 0; k < N_MFCC; k++)
          {
            double want = cradle_test_matrix_get (ref, k, t);
            double got = out[(gsize) t * N_MFCC + k];

            if (fabs (got - want) > 1e-2)
              g_error ("%s mfcc[%u, frame %u] = %.6f, librosa %.6f", fixtures[f], k, t, got, want);
            worst = MAX (worst, fabs (got - want));
          }
      g_test_message ("%s: worst MFCC error %.2e dB", fixtures[f], worst);
    }
}

static void
test_mel_scale (void)
{
  /* librosa.hz_to_mel (htk=False) */
  g_assert_cmpfloat_with_epsilon (cradle_hz_to_mel (0.0), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_hz_to_mel (440.0), 6.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_hz_to_mel (1000.0), 15.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_hz_to_mel (4000.0), 35.16376031461665, 1e-10);
  g_assert_cmpfloat_with_epsilon (cradle_hz_to_mel (8000.0), 45.24564047192497, 1e-10);
  for (double hz = 0.0; hz <= 24000.0; hz += 123.25)
    g_assert_cmpfloat_with_epsilon (cradle_mel_to_hz (cradle_hz_to_mel (hz)), hz, 1e-8 * MAX (1.0, hz));
}

/* The dense filterbank read back through apply (one-hot power frames):
 * frame k of the output is column k of the filterbank. */
static float *
dense_filterbank (const CradleMelFilterbank *fb,
                  guint                      n_bins)
{
  g_autofree float *onehot = g_new0 (float, (gsize) n_bins * n_bins);
  guint n_mels = cradle_mel_filterbank_get_n_mels (fb);
  float *dense = g_new (float, (gsize) n_bins * n_mels);

  for (guint k = 0; k < n_bins; k++)
    onehot[(gsize) k * n_bins + k] = 1.0f;
  cradle_mel_filterbank_apply (fb, onehot, n_bins, dense);
  return dense;   /* dense[k * n_mels + m] = W[m][k] */
}

/* Against an independent double-precision construction of
 * librosa.filters.mel (triangles between mel-spaced edges, area norm), and
 * for several shapes of filterbank so the sparse padding is exercised. */
static void
test_filterbank_shape (void)
{
  const struct { guint sr, n_fft, n_mels; float fmin, fmax; } cases[] = {
    { 16000, 2048, 128, 0.0f, 8000.0f },
    { 16000, 512, 40, 0.0f, 8000.0f },
    { 22050, 2048, 64, 300.0f, 6000.0f },
    { 8000, 256, 20, 100.0f, 4000.0f },
    { 16000, 64, 8, 0.0f, 8000.0f },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint sr = cases[c].sr, n_fft = cases[c].n_fft, n_mels = cases[c].n_mels;
      guint n_bins = n_fft / 2 + 1;
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleMelFilterbank) fb = cradle_mel_filterbank_new (sr, n_fft, n_mels, cases[c].fmin,
                                                                     cases[c].fmax, &error);
      g_autofree float *dense = NULL;
      g_autofree double *edges = g_new (double, n_mels + 2);
      double lo = cradle_hz_to_mel (cases[c].fmin), hi = cradle_hz_to_mel (cases[c].fmax);

      g_assert_no_error (error);
      g_assert_cmpuint (cradle_mel_filterbank_get_n_mels (fb), ==, n_mels);
      dense = dense_filterbank (fb, n_bins);

      for (guint i = 0; i < n_mels + 2; i++)
        edges[i] = cradle_mel_to_hz (lo + (hi - lo) * i / (n_mels + 1));
      for (guint m = 0; m < n_mels; m++)
        {
          /* the band's centre is the apex of its triangle */
          g_assert_cmpfloat_with_epsilon (cradle_mel_filterbank_band_hz (fb, m), edges[m + 1],
                                          1e-9 * edges[m + 1]);
          if (m > 0)
            g_assert_cmpfloat (cradle_mel_filterbank_band_hz (fb, m), >,
                               cradle_mel_filterbank_band_hz (fb, m - 1));
          for (guint k = 0; k < n_bins; k++)
            {
              double f = (double) k * sr / n_fft;
              double up = (f - edges[m]) / (edges[m + 1] - edges[m]);
              double down = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
              double want = MAX (0.0, MIN (up, down)) * 2.0 / (edges[m + 2] - edges[m]);

              g_assert_cmpfloat_with_epsilon (dense[(gsize) k * n_mels + m], want,
                                              1e-6 * MAX (want, 1e-3));
            }
        }

      /* Slaney area norm: sum_m W[m][k] (f[m+2] - f[m]) / 2 = 1 between the
       * first and last apex (the unnormalised triangles cover 1 there). */
      for (guint k = 0; k < n_bins; k++)
        {
          double f = (double) k * sr / n_fft;
          double cover = 0.0;

          if (f < edges[1] || f > edges[n_mels])
            continue;
          for (guint m = 0; m < n_mels; m++)
            cover += dense[(gsize) k * n_mels + m] * (edges[m + 2] - edges[m]) / 2.0;
          g_assert_cmpfloat_with_epsilon (cover, 1.0, 1e-5);
        }
    }
}

/* Flat power spectrum: each band gives the sum of its weights; with the
 * area norm that is close to 1 / bin width for bands many bins wide. */
static void
test_filterbank_flat_spectrum (void)
{
  const guint n_bins = N_FFT / 2 + 1;
  g_autoptr(CradleMelFilterbank) fb = cradle_mel_filterbank_new (SR, N_FFT, N_MELS, 0.0f, 8000.0f, NULL);
  g_autofree float *flat = g_new (float, n_bins);
  float mel[N_MELS];
  double bin_hz = (double) SR / N_FFT;

  for (guint k = 0; k < n_bins; k++)
    flat[k] = 1.0f;
  cradle_mel_filterbank_apply (fb, flat, 1, mel);
  for (guint m = 0; m < N_MELS; m++)
    {
      double width = cradle_mel_filterbank_band_hz (fb, m + 1 < N_MELS ? m + 1 : m) -
                     cradle_mel_filterbank_band_hz (fb, m > 0 ? m - 1 : m);

      g_assert_cmpfloat (mel[m], >=, 0.0f);
      /* triangles at least ~8 bins wide integrate to 1 within 5 % */
      if (width > 8 * bin_hz)
        g_assert_cmpfloat_with_epsilon (mel[m] * bin_hz, 1.0, 0.05);
    }
}

static void
test_power_to_db (void)
{
  float x[] = { 1.0f, 10.0f, 100.0f, 0.5f, 0.0f, 1e-12f, 1e-10f, 3.0e4f };
  float y[8];
  float big[] = { 1e6f, 1.0f, 1e-3f, 0.0f };

  cradle_power_to_db (x, G_N_ELEMENTS (x), 1.0f, 1e-10f, 0.0f);   /* top_db 0: no floor */
  g_assert_cmpfloat_with_epsilon (x[0], 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (x[1], 10.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (x[2], 20.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (x[3], -3.0103, 1e-4);
  g_assert_cmpfloat_with_epsilon (x[4], -100.0, 1e-4);   /* amin */
  g_assert_cmpfloat_with_epsilon (x[5], -100.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (x[6], -100.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (x[7], 44.7712, 1e-4);

  /* ref shifts; top_db floors at (max - top_db) */
  for (guint i = 0; i < 4; i++)
    y[i] = big[i];
  cradle_power_to_db (y, 4, 10.0f, 1e-10f, 80.0f);
  g_assert_cmpfloat_with_epsilon (y[0], 50.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (y[1], -10.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (y[2], -30.0, 1e-4);   /* max - 80 */
  g_assert_cmpfloat_with_epsilon (y[3], -30.0, 1e-4);

  /* The vectorised logarithm over the whole float range in use:
   * 10 log10 within 2e-5 dB (a few float ulp at 100 dB). */
  {
    double worst = 0.0;

    for (double v = 1e-10; v < 1e12; v *= 1.0007)
      {
        float z = (float) v;

        cradle_power_to_db (&z, 1, 1.0f, 1e-10f, 0.0f);
        worst = MAX (worst, fabs (z - 10.0 * log10 ((double) (float) v)));
      }
    g_test_message ("worst power_to_db error %.2e dB", worst);
    g_assert_cmpfloat (worst, <, 2e-5);
  }

  /* inf and NaN pass through */
  {
    float s[] = { INFINITY, NAN, 1.0f };

    cradle_power_to_db (s, 3, 1.0f, 1e-10f, 0.0f);
    g_assert_true (isinf (s[0]) && s[0] > 0);
    g_assert_true (isnan (s[1]));
    g_assert_cmpfloat_with_epsilon (s[2], 0.0, 1e-6);
  }
}

/* The MFCC basis read back through apply on one-hot inputs is the
 * orthonormal DCT-II: with n_mfcc = n_mels, D D^T = I; and every row
 * matches the closed form. */
static void
test_dct_orthonormal (void)
{
  const guint sizes[][2] = { { 128, 128 }, { 128, 40 }, { 40, 13 }, { 7, 7 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint n_mels = sizes[s][0], n_mfcc = sizes[s][1];
      g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (n_mels, n_mfcc, NULL);
      g_autofree float *onehot = g_new0 (float, (gsize) n_mels * n_mels);
      g_autofree float *d = g_new (float, (gsize) n_mels * n_mfcc);   /* d[m * n_mfcc + k] = D[k][m] */

      for (guint m = 0; m < n_mels; m++)
        onehot[(gsize) m * n_mels + m] = 1.0f;
      cradle_mfcc_apply (mfcc, onehot, n_mels, d);

      for (guint k = 0; k < n_mfcc; k++)
        {
          for (guint m = 0; m < n_mels; m++)
            {
              double scale = k == 0 ? sqrt (1.0 / n_mels) : sqrt (2.0 / n_mels);
              double want = scale * cos (G_PI * k * (2.0 * m + 1) / (2.0 * n_mels));

              g_assert_cmpfloat_with_epsilon (d[(gsize) m * n_mfcc + k], want, 1e-6);
            }
          for (guint j = 0; j < n_mfcc; j++)
            {
              double dot = 0.0;

              for (guint m = 0; m < n_mels; m++)
                dot += (double) d[(gsize) m * n_mfcc + k] * d[(gsize) m * n_mfcc + j];
              g_assert_cmpfloat_with_epsilon (dot, k == j ? 1.0 : 0.0, 1e-5);
            }
        }
    }

  /* a constant input has only a DC term: c0 = sqrt(N) * value */
  {
    g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (64, 20, NULL);
    float in[64], out[20];

    for (guint m = 0; m < 64; m++)
      in[m] = -3.0f;
    cradle_mfcc_apply (mfcc, in, 1, out);
    g_assert_cmpfloat_with_epsilon (out[0], -3.0 * 8.0, 1e-5);
    for (guint k = 1; k < 20; k++)
      g_assert_cmpfloat_with_epsilon (out[k], 0.0, 1e-5);
  }
}

/* savgol_filter (width, polyorder 1, deriv 1, mode "interp") of a linear
 * ramp is its slope everywhere, edges included. */
static void
test_delta_ramp (void)
{
  const guint n_frames = 30, n_coeffs = 5;
  float x[30 * 5], out[30 * 5];
  const float slope[5] = { 1.0f, -2.5f, 0.0f, 0.125f, 40.0f };

  for (guint t = 0; t < n_frames; t++)
    for (guint c = 0; c < n_coeffs; c++)
      x[t * n_coeffs + c] = slope[c] * t + 3.0f * c - 7.0f;

  for (guint width = 3; width <= 11; width += 2)
    {
      cradle_delta (x, n_frames, n_coeffs, width, out);
      for (guint t = 0; t < n_frames; t++)
        for (guint c = 0; c < n_coeffs; c++)
          g_assert_cmpfloat_with_epsilon (out[t * n_coeffs + c], slope[c], 1e-4 * MAX (1.0f, fabsf (slope[c])));
    }
}

/* A parabola t^2 tells the interior from the edges: inside, the symmetric
 * least-squares slope is exactly 2t; the first 4 frames (width 9) take the
 * slope of the line fitted through frames 0..8 (= 8), the last 4 that
 * through the last 9 frames (= 2 (n - 5)). scipy gives the same (checked
 * with scipy 1.10 savgol_filter). */
static void
test_delta_edges (void)
{
  const guint n_frames = 20;
  float x[20], out[20];

  for (guint t = 0; t < n_frames; t++)
    x[t] = (float) (t * t);
  cradle_delta (x, n_frames, 1, 9, out);
  for (guint t = 0; t < n_frames; t++)
    {
      double want = t < 4 ? 8.0 : t >= n_frames - 4 ? 2.0 * (n_frames - 5) : 2.0 * t;

      g_assert_cmpfloat_with_epsilon (out[t], want, 1e-4);
    }

  /* Exactly width frames: one fit for everything. */
  cradle_delta (x, 9, 1, 9, out);
  for (guint t = 0; t < 9; t++)
    g_assert_cmpfloat_with_epsilon (out[t], 8.0, 1e-4);
}

/* scipy.signal.savgol_filter (x, 9, 1, deriv=1, mode="interp") of
 * x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9], by scipy 1.10. */
static void
test_delta_matches_scipy (void)
{
  const float x[15] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9 };
  const double want[15] = {
    0.45, 0.45, 0.45, 0.45, 0.45, 0.30, 0.11666667, 0.31666667,
    0.26666667, 0.28333333, 0.73333333, 0.73333333, 0.73333333, 0.73333333, 0.73333333,
  };
  float out[15];

  cradle_delta (x, 15, 1, 9, out);
  for (guint t = 0; t < 15; t++)
    g_assert_cmpfloat_with_epsilon (out[t], want[t], 1e-6);
}

static void
test_errors (void)
{
  const struct { guint sr, n_fft, n_mels; float fmin, fmax; } bad[] = {
    { 16000, 2048, 128, 0.0f, 8001.0f },      /* fmax above Nyquist */
    { 16000, 2048, 128, -1.0f, 8000.0f },     /* negative fmin */
    { 16000, 2048, 128, 4000.0f, 4000.0f },   /* fmax <= fmin */
    { 16000, 2048, 128, 0.0f, NAN },
    { 16000, 2048, 0, 0.0f, 8000.0f },        /* no bands */
    { 16000, 2047, 128, 0.0f, 8000.0f },      /* odd n_fft */
    { 16000, 8, 128, 0.0f, 8000.0f },         /* tiny n_fft */
    { 0, 2048, 128, 0.0f, 0.0f },             /* no sample rate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleMelFilterbank) fb = cradle_mel_filterbank_new (bad[i].sr, bad[i].n_fft, bad[i].n_mels,
                                                                     bad[i].fmin, bad[i].fmax, &error);

      g_assert_null (fb);
      g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (40, 41, &error);   /* n_mfcc > n_mels */

    g_assert_null (mfcc);
    g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (40, 0, &error);

    g_assert_null (mfcc);
    g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (0, 0, &error);

    g_assert_null (mfcc);
    g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  }
}

typedef struct {
  const CradleMelFilterbank *fb;
  const CradleMfcc          *mfcc;
  const float               *power;
  guint                      n_frames;
  float                     *mel;
  float                     *coeffs;
  float                     *delta;
} MelRun;

static void
run_mel (gpointer data)
{
  MelRun *r = data;

  cradle_mel_filterbank_apply (r->fb, r->power, r->n_frames, r->mel);
  cradle_power_to_db (r->mel, (gsize) r->n_frames * N_MELS, 1.0f, 1e-10f, 80.0f);
  cradle_mfcc_apply (r->mfcc, r->mel, r->n_frames, r->coeffs);
  cradle_delta (r->coeffs, r->n_frames, N_MFCC, 9, r->delta);
}

/* A 5 s clip at 16 kHz under the default analysis: mel, dB, MFCC, delta
 * for 157 frames (the STFT is timed in test-stft). */
static void
test_timing (void)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (N_FFT, HOP, NULL);
  g_autoptr(CradleMelFilterbank) fb = cradle_mel_filterbank_new (SR, N_FFT, N_MELS, 0.0f, SR / 2.0f, NULL);
  g_autoptr(CradleMfcc) mfcc = cradle_mfcc_new (N_MELS, N_MFCC, NULL);
  gsize n = 80000;
  guint n_frames = cradle_stft_n_frames (stft, n);
  g_autofree float *x = cradle_test_noise (n, 0.1, 1);
  g_autofree float *power = g_new (float, (gsize) n_frames * (N_FFT / 2 + 1));
  g_autofree float *mel = g_new (float, (gsize) n_frames * N_MELS);
  g_autofree float *coeffs = g_new (float, (gsize) n_frames * N_MFCC);
  g_autofree float *delta = g_new (float, (gsize) n_frames * N_MFCC);
  MelRun r = { fb, mfcc, power, n_frames, mel, coeffs, delta };
  double us;

  if (!g_test_perf ())
    {
      g_test_skip ("timing runs with -m perf");
      return;
    }
  cradle_stft_power (stft, x, n, power);
  us = cradle_test_best_time_us (run_mel, &r, 200);
  g_test_minimized_result (us, "mel + power_to_db + MFCC + delta, 5 s clip (157 frames): %.0f us", us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/mel/matches-librosa", test_mel_matches_librosa);
  g_test_add_func ("/core/mfcc/matches-librosa", test_mfcc_matches_librosa);
  g_test_add_func ("/core/mel/scale", test_mel_scale);
  g_test_add_func ("/core/mel/filterbank-shape", test_filterbank_shape);
  g_test_add_func ("/core/mel/flat-spectrum", test_filterbank_flat_spectrum);
  g_test_add_func ("/core/mel/power-to-db", test_power_to_db);
  g_test_add_func ("/core/mfcc/dct-orthonormal", test_dct_orthonormal);
  g_test_add_func ("/core/mfcc/delta-ramp", test_delta_ramp);
  g_test_add_func ("/core/mfcc/delta-edges", test_delta_edges);
  g_test_add_func ("/core/mfcc/delta-matches-scipy", test_delta_matches_scipy);
  g_test_add_func ("/core/mel/errors", test_errors);
  g_test_add_func ("/core/mel/timing", test_timing);

  return g_test_run ();
}
