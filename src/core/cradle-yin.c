/* cradle-yin.c — fundamental frequency by YIN, as librosa.yin (0.10)
 *
 * For a frame y[0 .. frame_length) (centred, zero-padded) and
 * W = frame_length / 2, librosa's difference function is
 *
 *   d(tau) = e(0) + e(tau) - 2 r(tau),   e(tau) = sum_{j=1..W} y[j + tau]^2,
 *                                        r(tau) = sum_{j=1..W} y[j] y[j + tau]
 *
 * (its window starts at index 1 of the frame) with |e| < 1e-6 and
 * |r| < 1e-6 set to 0. Only lags 0 .. max_period are needed. The energies
 * slide in O(1) per lag (double). r is the cross-correlation of the window
 * a = y[1 .. W] with the segment s = y[1 .. W + max_period], by FFT:
 * r = IFFT (conj (FFT a) FFT s) is free of wrap-around for
 * tau <= max_period once the FFT size N >= W + max_period, so N is the
 * smallest 2^k or 5 * 2^k that fits (640 for the default 1024 / 107).
 *
 * Measured for 157 frames of 1024 (16 kHz, 150–1000 Hz), x86-64 -O2:
 * the direct dot products, even four lags at a time at the SSE
 * multiply-add limit, take 2.6 us a frame; FFTW's 640-point transforms
 * (three per frame, SIMD chosen at run time) 1.2 us.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-yin.h"
#include "cradle-error.h"
#include "cradle-dsp-private.h"
#include "cradle-stft.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

/* librosa zeroes autocorrelation and energy terms below this. */
#define YIN_SMALL 1e-6

struct _CradleYin
{
  guint          sample_rate;
  guint          frame_length;
  guint          hop_length;
  guint          win_length;    /* W = frame_length / 2 */
  guint          min_period;
  guint          max_period;
  guint          fft_size;      /* N >= W + max_period */
  float          threshold;
  float         *segment;       /* N: s = y[1 .. W + max_period], zeros after */
  float         *window;        /* N: a = y[1 .. W], zeros after */
  float         *corr;          /* N: N r(tau) */
  fftwf_complex *segment_spec;  /* N / 2 + 1 */
  fftwf_complex *window_spec;
  fftwf_plan     segment_plan;  /* segment -> segment_spec */
  fftwf_plan     window_plan;   /* window -> window_spec */
  fftwf_plan     corr_plan;     /* segment_spec -> corr (c2r) */
  double        *diff;          /* d(tau), tau = 0 .. max_period */
  double        *cmnd;          /* tau = min_period .. max_period */
};

/* Sets ERROR and returns NULL. */
static gpointer
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gpointer
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
               "YIN: %s", why);
  return NULL;
}

/* The smallest 2^k or 5 * 2^k >= NEED: sizes FFTW_ESTIMATE plans well. */
static guint
fft_size_at_least (guint need)
{
  guint pow2 = 1;

  while (pow2 < need)
    pow2 *= 2;
  /* 5 * 2^k lies between pow2 / 2 and pow2 when 5 * pow2 / 8 >= need */
  if (pow2 >= 8 && pow2 / 8 * 5 >= need)
    return pow2 / 8 * 5;
  return pow2;
}

/**
 * cradle_yin_new:
 * @sample_rate: in Hz
 * @frame_length: samples per frame (>= 8); the difference window is half of it
 * @hop_length: samples between frames (>= 1)
 * @fmin: lowest F0 in Hz, > 0
 * @fmax: highest F0 in Hz, above @fmin and at most @sample_rate / 2
 * @threshold: trough threshold on the normalised difference, > 0
 *
 * Returns: (transfer full) (nullable): a new estimator, or %NULL with @error set.
 */
CradleYin *
cradle_yin_new (guint    sample_rate,
                guint    frame_length,
                guint    hop_length,
                float    fmin,
                float    fmax,
                float    threshold,
                GError **error)
{
  g_autoptr(CradleYin) self = NULL;
  guint win_length;
  double min_period, max_period;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sample_rate == 0)
    return invalid (error, "the sample rate must be positive");
  if (frame_length < 8 || frame_length > 65536)
    return invalid (error, "frame length %u is outside 8–65536", frame_length);
  if (hop_length == 0)
    return invalid (error, "the hop must be at least one sample");
  if (!isfinite (fmin) || fmin <= 0.0f)
    return invalid (error, "fmin %g Hz must be positive", (double) fmin);
  if (!isfinite (fmax) || fmax <= fmin || fmax > sample_rate / 2.0)
    return invalid (error, "fmax %g Hz must be above fmin (%g Hz) and at most the Nyquist "
                    "frequency (%g Hz)", (double) fmax, (double) fmin, sample_rate / 2.0);
  if (!isfinite (threshold) || threshold <= 0.0f)
    return invalid (error, "the trough threshold %g must be positive", (double) threshold);

  win_length = frame_length / 2;
  min_period = floor (sample_rate / (double) fmax);
  max_period = MIN (ceil (sample_rate / (double) fmin), (double) (frame_length - win_length - 1));
  /* librosa: frame_length - win_length - 1 > sr // fmax, i.e. at least two lags. */
  if (max_period <= min_period)
    return invalid (error, "a frame of %u samples is too short for F0 down to %g Hz at %u Hz "
                    "(the longest period that fits is %u samples, the shortest searched %g)",
                    frame_length, (double) fmin, sample_rate,
                    frame_length - win_length - 1, min_period);

  self = g_new0 (CradleYin, 1);
  self->sample_rate = sample_rate;
  self->frame_length = frame_length;
  self->hop_length = hop_length;
  self->win_length = win_length;
  self->min_period = (guint) min_period;
  self->max_period = (guint) max_period;
  self->fft_size = fft_size_at_least (win_length + self->max_period);
  self->threshold = threshold;
  self->diff = g_new0 (double, self->max_period + 1);
  self->cmnd = g_new0 (double, self->max_period - self->min_period + 1);

  self->segment = fftwf_alloc_real (self->fft_size);
  self->window = fftwf_alloc_real (self->fft_size);
  self->corr = fftwf_alloc_real (self->fft_size);
  self->segment_spec = fftwf_alloc_complex (self->fft_size / 2 + 1);
  self->window_spec = fftwf_alloc_complex (self->fft_size / 2 + 1);
  if (self->segment == NULL || self->window == NULL || self->corr == NULL ||
      self->segment_spec == NULL || self->window_spec == NULL)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_FFT,
                   "YIN: could not allocate the buffers of a %u-point FFT", self->fft_size);
      return NULL;
    }
  memset (self->segment, 0, sizeof (float) * self->fft_size);
  memset (self->window, 0, sizeof (float) * self->fft_size);

  cradle_fftw_lock ();
  self->segment_plan = fftwf_plan_dft_r2c_1d ((int) self->fft_size, self->segment,
                                              self->segment_spec, FFTW_ESTIMATE);
  self->window_plan = fftwf_plan_dft_r2c_1d ((int) self->fft_size, self->window,
                                             self->window_spec, FFTW_ESTIMATE);
  self->corr_plan = fftwf_plan_dft_c2r_1d ((int) self->fft_size, self->segment_spec,
                                           self->corr, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
  cradle_fftw_unlock ();
  if (self->segment_plan == NULL || self->window_plan == NULL || self->corr_plan == NULL)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_FFT,
                   "YIN: FFTW could not plan a %u-point real FFT", self->fft_size);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
cradle_yin_free (CradleYin *self)
{
  if (self == NULL)
    return;

  cradle_fftw_lock ();
  if (self->segment_plan != NULL)
    fftwf_destroy_plan (self->segment_plan);
  if (self->window_plan != NULL)
    fftwf_destroy_plan (self->window_plan);
  if (self->corr_plan != NULL)
    fftwf_destroy_plan (self->corr_plan);
  cradle_fftw_unlock ();
  fftwf_free (self->segment);
  fftwf_free (self->window);
  fftwf_free (self->corr);
  fftwf_free (self->segment_spec);
  fftwf_free (self->window_spec);
  g_free (self->diff);
  g_free (self->cmnd);
  g_free (self);
}

guint
cradle_yin_n_frames (const CradleYin *self,
                     gsize            n_samples)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) (1 + n_samples / self->hop_length);
}

/* corr[tau] = N r(tau): conj (FFT window) * FFT segment, inverse FFT. */
static void
cross_correlate (CradleYin *self)
{
  guint n_bins = self->fft_size / 2 + 1;
  float *restrict s = (float *) self->segment_spec;
  const float *restrict w = (const float *) self->window_spec;

  fftwf_execute (self->segment_plan);
  fftwf_execute (self->window_plan);
  for (guint k = 0; k < n_bins; k++)
    {
      float sr = s[2 * k], si = s[2 * k + 1];
      float wr = w[2 * k], wi = w[2 * k + 1];

      s[2 * k] = wr * sr + wi * si;
      s[2 * k + 1] = wr * si - wi * sr;
    }
  fftwf_execute (self->corr_plan);
}

static inline double
zero_small (double v)
{
  return fabs (v) < YIN_SMALL ? 0.0 : v;
}

/* One frame: returns the period in samples (with the parabolic shift);
 * *VOICED tells whether a trough below the threshold was found. */
static double
yin_frame (CradleYin *self,
           gboolean  *voiced)
{
  const float *s = self->segment;   /* s[i] = y[1 + i] */
  guint w = self->win_length;
  guint max_tau = self->max_period;
  guint n_lags = self->max_period - self->min_period + 1;
  double inv_n = 1.0 / self->fft_size;
  double *d = self->diff;
  double *x = self->cmnd;
  double e0, e, cum;
  gssize period = -1;
  double shift = 0.0;

  /* The window is the segment's first W samples (its tail stays zero). */
  memcpy (self->window, s, sizeof (float) * w);
  cross_correlate (self);

  /* e(tau) = sum_{i<W} s[i + tau]^2 slides by one sample per lag. */
  e0 = cradle_sum_squares (s, w);
  e = e0;
  e0 = zero_small (e0);
  d[0] = 0.0;
  cum = 0.0;
  for (guint tau = 1; tau <= max_tau; tau++)
    {
      e += (double) s[w + tau - 1] * s[w + tau - 1] - (double) s[tau - 1] * s[tau - 1];
      d[tau] = e0 + zero_small (e) - 2.0 * zero_small (self->corr[tau] * inv_n);
      cum += d[tau];
      if (tau >= self->min_period)
        x[tau - self->min_period] = d[tau] / (cum / tau + DBL_MIN);
    }

  /* The first trough below the threshold. Troughs: x[i] < x[i-1] and
   * x[i] <= x[i+1] inside; x[0] < x[1] at the start, x[n-1] < x[n-2] at the
   * end. */
  for (guint i = 0; i < n_lags && period < 0; i++)
    {
      gboolean trough;

      if (i == 0)
        trough = x[0] < x[1];
      else if (i == n_lags - 1)
        trough = x[i] < x[i - 1];
      else
        trough = x[i] < x[i - 1] && x[i] <= x[i + 1];
      if (trough && x[i] < self->threshold)
        period = i;
    }
  *voiced = period >= 0;
  if (period < 0)
    {
      /* The global minimum (the first one). */
      period = 0;
      for (guint i = 1; i < n_lags; i++)
        if (x[i] < x[period])
          period = i;
    }

  if (period > 0 && period < (gssize) n_lags - 1)
    {
      double a = x[period + 1] + x[period - 1] - 2.0 * x[period];
      double b = (x[period + 1] - x[period - 1]) / 2.0;

      shift = fabs (b) >= fabs (a) ? 0.0 : -b / a;
    }

  return self->min_period + period + shift;
}

/**
 * cradle_yin_do:
 * @x: (array length=n): the signal
 * @f0: (out caller-allocates): cradle_yin_n_frames() floats, Hz
 * @voiced: (out caller-allocates) (nullable): as many booleans
 *
 * Never allocates.
 */
void
cradle_yin_do (CradleYin   *self,
               const float *x,
               gsize        n,
               float       *f0,
               gboolean    *voiced)
{
  guint n_frames;
  gsize span;

  g_return_if_fail (self != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (f0 != NULL);

  n_frames = cradle_yin_n_frames (self, n);
  span = self->win_length + self->max_period;   /* y[1 .. W + max_period] */

  for (guint t = 0; t < n_frames; t++)
    {
      /* The segment starts at frame sample 1. */
      gssize start = (gssize) ((gsize) t * self->hop_length) - (gssize) (self->frame_length / 2) + 1;
      gssize lo = CLAMP (-start, 0, (gssize) span);
      gssize hi = CLAMP ((gssize) n - start, lo, (gssize) span);
      gboolean is_voiced;
      double period;

      memset (self->segment, 0, sizeof (float) * lo);
      if (hi > lo)
        memcpy (self->segment + lo, x + start + lo, sizeof (float) * (hi - lo));
      memset (self->segment + hi, 0, sizeof (float) * (span - hi));

      period = yin_frame (self, &is_voiced);
      f0[t] = (float) (self->sample_rate / period);
      if (voiced != NULL)
        voiced[t] = is_voiced;
    }
}
