/* test-spectral.c — spectral descriptors, zero-crossing rate, RMS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static const char *const fixtures[] = { "chirp", "noise", "cry", "cry_padded" };

#define SR    16000
#define N_FFT 2048
#define HOP   512
#define BIN_HZ ((double) SR / N_FFT)

typedef struct {
  guint  n_frames;
  guint  n_bins;
  float *power;
  float *centroid;
  float *rolloff;
  float *bandwidth;
  float *flatness;
} Descriptors;

static void
descriptors_free (Descriptors *d)
{
  g_free (d->power);
  g_free (d->centroid);
  g_free (d->rolloff);
  g_free (d->bandwidth);
  g_free (d->flatness);
}

static void
compute_descriptors (const float *x,
                     gsize        n,
                     guint        sr,
                     guint        n_fft,
                     guint        hop,
                     Descriptors *d)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, hop, NULL);
  g_autofree float *scratch = NULL;

  d->n_frames = cradle_stft_n_frames (stft, n);
  d->n_bins = cradle_stft_get_n_bins (stft);
  d->power = g_new (float, (gsize) d->n_frames * d->n_bins);
  d->centroid = g_new (float, d->n_frames);
  d->rolloff = g_new (float, d->n_frames);
  d->bandwidth = g_new (float, d->n_frames);
  d->flatness = g_new (float, d->n_frames);
  scratch = g_new (float, d->n_bins);
  cradle_stft_power (stft, x, n, d->power);
  cradle_spectral_descriptors (d->power, d->n_frames, d->n_bins, sr, 0.85f, scratch,
                               d->centroid, d->rolloff, d->bandwidth, d->flatness);
}

static float *
load_fixture (const char *name,
              gsize      *n)
{
  g_autofree char *wav = g_strdup_printf ("%s.wav", name);
  guint sr;
  float *x = cradle_test_fixture_audio (wav, n, &sr);

  g_assert_cmpuint (sr, ==, SR);
  return x;
}

/* One row of fixture NAME.WHAT.csv against VALUES, within TOL (absolute). */
static void
compare_row (const char  *name,
             const char  *what,
             const float *values,
             guint        n_frames,
             double       tol)
{
  g_autofree char *csv = g_strdup_printf ("%s.%s.csv", name, what);
  g_autoptr(CradleTestMatrix) ref = cradle_test_matrix_load (csv);
  double worst = 0.0;

  g_assert_cmpuint (ref->rows, ==, 1);
  g_assert_cmpuint (ref->cols, ==, n_frames);
  for (guint t = 0; t < n_frames; t++)
    {
      double want = cradle_test_matrix_get (ref, 0, t);
      double err = fabs (values[t] - want);

      if (!(err <= tol))
        g_error ("%s %s[frame %u] = %.9g, librosa %.9g (tolerance %g)", name, what, t,
                 values[t], want, tol);
      worst = MAX (worst, err);
    }
  g_test_message ("%s %s: worst error %.3g (tolerance %g)", name, what, worst, tol);
}

/* Centroid and rolloff against librosa.feature.spectral_centroid / _rolloff:
 * within one bin (sr / n_fft = 7.8125 Hz). */
static void
test_spectral_matches_librosa (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      gsize n;
      g_autofree float *x = load_fixture (fixtures[f], &n);
      Descriptors d;

      compute_descriptors (x, n, SR, N_FFT, HOP, &d);
      compare_row (fixtures[f], "centroid", d.centroid, d.n_frames, BIN_HZ);
      compare_row (fixtures[f], "rolloff", d.rolloff, d.n_frames, BIN_HZ);
      descriptors_free (&d);
    }
}

/* ZCR and RMS against librosa.feature.zero_crossing_rate / rms: 1e-5. */
static void
test_zcr_rms_matches_librosa (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      gsize n;
      g_autofree float *x = load_fixture (fixtures[f], &n);
      guint n_frames = cradle_centered_n_frames (n, HOP);
      g_autofree float *zcr = g_new (float, n_frames);
      g_autofree float *rms = g_new (float, n_frames);

      cradle_zero_crossing_rate (x, n, N_FFT, HOP, zcr);
      cradle_rms (x, n, N_FFT, HOP, rms);
      compare_row (fixtures[f], "zcr", zcr, n_frames, 1e-5);
      compare_row (fixtures[f], "rms", rms, n_frames, 1e-5);
    }
}

/* Bandwidth and flatness (no librosa fixture) against their definitions
 * evaluated in double on the same power spectrogram: 1e-4 relative. */
static void
test_bandwidth_flatness_definition (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      gsize n;
      g_autofree float *x = load_fixture (fixtures[f], &n);
      Descriptors d;

      compute_descriptors (x, n, SR, N_FFT, HOP, &d);
      for (guint t = 0; t < d.n_frames; t++)
        {
          const float *p = d.power + (gsize) t * d.n_bins;
          double sm = 0.0, sfm = 0.0, spread = 0.0, slog = 0.0, sp = 0.0;
          double centroid, bandwidth, flatness;

          for (guint k = 0; k < d.n_bins; k++)
            {
              double m = sqrt (p[k]);
              double pt = MAX (1e-10, (double) p[k]);

              sm += m;
              sfm += k * BIN_HZ * m;
              slog += log (pt);
              sp += pt;
            }
          centroid = sm > 0.0 ? sfm / sm : 0.0;
          for (guint k = 0; k < d.n_bins; k++)
            spread += sqrt (p[k]) * pow (k * BIN_HZ - centroid, 2.0);
          bandwidth = sm > 0.0 ? sqrt (spread / sm) : 0.0;
          flatness = exp (slog / d.n_bins) / (sp / d.n_bins);

          g_assert_cmpfloat_with_epsilon (d.centroid[t], centroid, 1e-4 * MAX (centroid, 1.0));
          g_assert_cmpfloat_with_epsilon (d.bandwidth[t], bandwidth, 1e-4 * MAX (bandwidth, 1.0));
          g_assert_cmpfloat_with_epsilon (d.flatness[t], flatness, 1e-4 * flatness);
        }
      descriptors_free (&d);
    }
}

static void
test_pure_tone (void)
{
  const double hz = 1000.0;   /* bin 128 */
  gsize n = SR;
  g_autofree float *x = cradle_test_sine (n, SR, hz, 0.5);
  Descriptors d;

  compute_descriptors (x, n, SR, N_FFT, HOP, &d);
  for (guint t = 4; t + 4 < d.n_frames; t++)
    {
      /* The Hann main lobe is symmetric about the tone: centroid within
       * 0.5 Hz (the -1000 Hz image is far below). */
      g_assert_cmpfloat_with_epsilon (d.centroid[t], hz, 0.5);
      /* |X| = (1/4, 1/2, 1/4) around bin 128: the rolloff reaches 85 %
       * (of the 100 % in those three bins) in bin 129. */
      g_assert_cmpfloat_with_epsilon (d.rolloff[t], hz + BIN_HZ, 1e-3);
      /* Three bins (1/4, 1/2, 1/4) alone give bandwidth bin_hz / sqrt 2
       * = 5.52 Hz. The float FFT's magnitude noise (~1e-9 of the peak in
       * every other bin, thousands of Hz away) adds to the second moment:
       * measured 6.9 Hz. Narrow means below two bins here. */
      g_assert_cmpfloat (d.bandwidth[t], >=, BIN_HZ / sqrt (2.0) - 0.01);
      g_assert_cmpfloat (d.bandwidth[t], <, 2.0 * BIN_HZ);
      g_assert_cmpfloat (d.flatness[t], <, 1e-3);
    }
  descriptors_free (&d);
}

/* White noise is spectrally flat (for Gaussian noise, E[geometric mean] /
 * mean of exponential power = exp(-gamma) ~ 0.56); a tone is not. */
static void
test_flatness_noise_vs_tone (void)
{
  gsize n = 2 * SR;
  g_autofree float *noise = cradle_test_noise (n, 0.1, 1234);
  Descriptors d;
  double mean = 0.0;

  compute_descriptors (noise, n, SR, N_FFT, HOP, &d);
  for (guint t = 4; t + 4 < d.n_frames; t++)
    {
      g_assert_cmpfloat (d.flatness[t], >, 0.3);
      g_assert_cmpfloat (d.flatness[t], <, 0.8);
      /* noise spreads over the whole band: centroid near 4 kHz, wide */
      g_assert_cmpfloat_with_epsilon (d.centroid[t], 4000.0, 300.0);
      g_assert_cmpfloat (d.bandwidth[t], >, 2000.0);
      mean += d.flatness[t];
    }
  mean /= d.n_frames - 8;
  g_assert_cmpfloat_with_epsilon (mean, exp (-0.5772156649), 0.05);
  descriptors_free (&d);
}

/* Silent frames: librosa leaves the (zero) column unnormalised, so
 * centroid = bandwidth = rolloff = 0; every power is clamped to amin, so
 * flatness = 1. */
static void
test_silence (void)
{
  gsize n = 8000;
  g_autofree float *x = g_new0 (float, n);
  Descriptors d;

  compute_descriptors (x, n, SR, N_FFT, HOP, &d);
  for (guint t = 0; t < d.n_frames; t++)
    {
      g_assert_cmpfloat (d.centroid[t], ==, 0.0f);
      g_assert_cmpfloat (d.rolloff[t], ==, 0.0f);
      g_assert_cmpfloat (d.bandwidth[t], ==, 0.0f);
      g_assert_cmpfloat_with_epsilon (d.flatness[t], 1.0, 1e-5);
    }
  descriptors_free (&d);
}

/* NULL outputs are skipped; an odd number of bins (not a multiple of the
 * vector block) works the same as the reference loop. */
static void
test_partial_outputs (void)
{
  gsize n = 3000;
  g_autofree float *x = cradle_test_noise (n, 0.2, 99);
  Descriptors d;
  g_autofree float *centroid = NULL;
  g_autofree float *scratch = NULL;

  compute_descriptors (x, n, 8000, 100, 30, &d);   /* 51 bins */
  centroid = g_new (float, d.n_frames);
  scratch = g_new (float, d.n_bins);
  cradle_spectral_descriptors (d.power, d.n_frames, d.n_bins, 8000, 0.85f, scratch,
                               centroid, NULL, NULL, NULL);
  g_assert_cmpmem (centroid, d.n_frames * sizeof (float), d.centroid, d.n_frames * sizeof (float));

  /* the rolloff by a plain cumulative sum in double */
  for (guint t = 0; t < d.n_frames; t++)
    {
      const float *p = d.power + (gsize) t * d.n_bins;
      double total = 0.0, cum = 0.0;
      guint k;

      for (k = 0; k < d.n_bins; k++)
        total += sqrt (p[k]);
      for (k = 0; k < d.n_bins; k++)
        {
          cum += sqrt (p[k]);
          if (cum >= 0.85 * total)
            break;
        }
      /* float vs double sums may land one bin apart */
      g_assert_cmpfloat_with_epsilon (d.rolloff[t], k * 80.0, 80.0 + 1e-3);
    }
  descriptors_free (&d);
}

/* librosa's ZCR, literally: edge padding, |x| <= 1e-10 is +0, signbit
 * changes between consecutive samples of the frame, / frame_length. */
static void
naive_zcr (const float *x,
           gsize        n,
           guint        frame_length,
           guint        hop,
           float       *out)
{
  guint n_frames = 1 + n / hop;

  for (guint t = 0; t < n_frames; t++)
    {
      guint count = 0;

      for (guint i = 1; i < frame_length; i++)
        {
          gssize a = (gssize) t * hop + i - 1 - frame_length / 2;
          gssize b = a + 1;
          float va = x[CLAMP (a, 0, (gssize) n - 1)];
          float vb = x[CLAMP (b, 0, (gssize) n - 1)];
          gboolean sa, sb;

          va = fabsf (va) <= 1e-10f ? 0.0f : va;
          vb = fabsf (vb) <= 1e-10f ? 0.0f : vb;
          sa = signbit (va) != 0;
          sb = signbit (vb) != 0;
          count += sa != sb;
        }
      out[t] = (float) count / frame_length;
    }
}

static void
naive_rms (const float *x,
           gsize        n,
           guint        frame_length,
           guint        hop,
           float       *out)
{
  guint n_frames = 1 + n / hop;

  for (guint t = 0; t < n_frames; t++)
    {
      double sum = 0.0;

      for (guint i = 0; i < frame_length; i++)
        {
          gssize j = (gssize) t * hop + i - frame_length / 2;

          if (j >= 0 && j < (gssize) n)
            sum += (double) x[j] * x[j];
        }
      out[t] = (float) sqrt (sum / frame_length);
    }
}

/* The O(n) sliding versions against the per-frame definitions, for frame
 * and hop shapes including odd frames, hop = frame, hop > frame, signals
 * shorter than a frame; with exact zeros and tiny values in the signal. */
static void
test_zcr_rms_sliding (void)
{
  const struct { gsize n; guint frame, hop; } cases[] = {
    { 16000, 2048, 512 }, { 9999, 2048, 512 }, { 5000, 101, 33 }, { 5000, 64, 64 },
    { 5000, 50, 70 }, { 300, 2048, 512 }, { 1, 16, 4 }, { 2, 16, 4 }, { 1000, 7, 1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n = cases[c].n;
      guint frame = cases[c].frame, hop = cases[c].hop;
      guint n_frames = cradle_centered_n_frames (n, hop);
      g_autofree float *x = cradle_test_noise (n, 0.3, 5 + c);
      g_autofree float *zcr = g_new (float, n_frames);
      g_autofree float *zcr_ref = g_new (float, n_frames);
      g_autofree float *rms = g_new (float, n_frames);
      g_autofree float *rms_ref = g_new (float, n_frames);

      for (gsize i = 0; i < n; i += 17)
        x[i] = (i % 34 == 0) ? 0.0f : 1e-11f;   /* treated as +0 */
      for (gsize i = 5; i < n; i += 29)
        x[i] = -1e-11f;                        /* also +0 */
      for (gsize i = n / 2; i < MIN (n, n / 2 + 300); i++)
        x[i] = 0.0f;                           /* a silent stretch */

      cradle_zero_crossing_rate (x, n, frame, hop, zcr);
      naive_zcr (x, n, frame, hop, zcr_ref);
      g_assert_cmpmem (zcr, n_frames * sizeof (float), zcr_ref, n_frames * sizeof (float));

      cradle_rms (x, n, frame, hop, rms);
      naive_rms (x, n, frame, hop, rms_ref);
      for (guint t = 0; t < n_frames; t++)
        g_assert_cmpfloat_with_epsilon (rms[t], rms_ref[t], 1e-6 * MAX (rms_ref[t], 1e-3f));
    }
}

/* The empty signal has one (padding) frame: no crossings, no energy; and a
 * running-sum configuration (hop not dividing the frame) behaves the same. */
static void
test_zcr_rms_empty (void)
{
  float zcr[1] = { -1.0f }, rms[1] = { -1.0f };

  cradle_zero_crossing_rate (NULL, 0, 2048, 512, zcr);
  cradle_rms (NULL, 0, 2048, 512, rms);
  g_assert_cmpfloat (zcr[0], ==, 0.0f);
  g_assert_cmpfloat (rms[0], ==, 0.0f);
  rms[0] = -1.0f;
  cradle_rms (NULL, 0, 2048, 500, rms);
  g_assert_cmpfloat (rms[0], ==, 0.0f);
}

/* ZCR of a sine ~ 2 f / sr (two crossings a period), RMS = A / sqrt 2. */
static void
test_sine_zcr_rms (void)
{
  const double freqs[] = { 440.0, 1000.0, 3137.0 };

  for (guint i = 0; i < G_N_ELEMENTS (freqs); i++)
    {
      gsize n = SR;
      double amp = 0.7;
      g_autofree float *x = cradle_test_sine (n, SR, freqs[i], amp);
      guint n_frames = cradle_centered_n_frames (n, HOP);
      g_autofree float *zcr = g_new (float, n_frames);
      g_autofree float *rms = g_new (float, n_frames);

      cradle_zero_crossing_rate (x, n, N_FFT, HOP, zcr);
      cradle_rms (x, n, N_FFT, HOP, rms);
      for (guint t = 2; t + 2 < n_frames; t++)
        {
          /* 2 f / sr crossings per sample over the frame's L - 1 sample
           * pairs, divided by L; +-1 crossing */
          g_assert_cmpfloat_with_epsilon (zcr[t], 2.0 * freqs[i] / SR * (N_FFT - 1) / N_FFT,
                                          1.0 / N_FFT + 1e-6);
          /* a frame holds 2048 * f / sr periods, not always whole: 1e-3 */
          g_assert_cmpfloat_with_epsilon (rms[t], amp / G_SQRT2, 1e-3);
        }
      /* frame 0 is half zero-padded: half the energy */
      g_assert_cmpfloat_with_epsilon (rms[0], amp / 2.0, 2e-3);
    }

  /* whole periods: 1000 Hz at 16 kHz, 2048 samples = 128 periods: exact */
  {
    g_autofree float *x = cradle_test_sine (SR, SR, 1000.0, 0.5);
    float rms[32];

    cradle_rms (x, SR, N_FFT, HOP, rms);
    for (guint t = 2; t < 29; t++)
      g_assert_cmpfloat_with_epsilon (rms[t], 0.5 / G_SQRT2, 1e-6);
  }
}

typedef struct {
  const float *x;
  gsize        n;
  const float *power;
  guint        n_frames;
  float       *scratch;
  float       *out;   /* 6 * n_frames */
} SpectralRun;

static void
run_spectral (gpointer data)
{
  SpectralRun *r = data;
  guint f = r->n_frames;

  cradle_spectral_descriptors (r->power, f, N_FFT / 2 + 1, SR, 0.85f, r->scratch, r->out,
                               r->out + f, r->out + 2 * f, r->out + 3 * f);
  cradle_zero_crossing_rate (r->x, r->n, N_FFT, HOP, r->out + 4 * f);
  cradle_rms (r->x, r->n, N_FFT, HOP, r->out + 5 * f);
}

/* A 5 s clip at 16 kHz under the default analysis: the four spectral
 * descriptors, ZCR and RMS for 157 frames. */
static void
test_timing (void)
{
  g_autoptr(CradleStft) stft = cradle_stft_new (N_FFT, HOP, NULL);
  gsize n = 80000;
  guint n_frames = cradle_stft_n_frames (stft, n);
  g_autofree float *x = cradle_test_noise (n, 0.1, 1);
  g_autofree float *power = g_new (float, (gsize) n_frames * (N_FFT / 2 + 1));
  g_autofree float *scratch = g_new (float, N_FFT / 2 + 1);
  g_autofree float *out = g_new (float, (gsize) 6 * n_frames);
  SpectralRun r = { x, n, power, n_frames, scratch, out };
  double us;

  if (!g_test_perf ())
    {
      g_test_skip ("timing runs with -m perf");
      return;
    }
  cradle_stft_power (stft, x, n, power);
  us = cradle_test_best_time_us (run_spectral, &r, 200);
  g_test_minimized_result (us, "spectral descriptors + ZCR + RMS, 5 s clip (157 frames): %.0f us", us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/spectral/matches-librosa", test_spectral_matches_librosa);
  g_test_add_func ("/core/spectral/zcr-rms-matches-librosa", test_zcr_rms_matches_librosa);
  g_test_add_func ("/core/spectral/bandwidth-flatness-definition", test_bandwidth_flatness_definition);
  g_test_add_func ("/core/spectral/pure-tone", test_pure_tone);
  g_test_add_func ("/core/spectral/flatness-noise-vs-tone", test_flatness_noise_vs_tone);
  g_test_add_func ("/core/spectral/silence", test_silence);
  g_test_add_func ("/core/spectral/partial-outputs", test_partial_outputs);
  g_test_add_func ("/core/spectral/zcr-rms-sliding", test_zcr_rms_sliding);
  g_test_add_func ("/core/spectral/sine-zcr-rms", test_sine_zcr_rms);
  g_test_add_func ("/core/spectral/zcr-rms-empty", test_zcr_rms_empty);
  g_test_add_func ("/core/spectral/timing", test_timing);

  return g_test_run ();
}
