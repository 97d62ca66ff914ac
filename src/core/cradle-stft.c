/* cradle-stft.c — centred STFT power spectrum on FFTW3 (float r2c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-stft.h"
#include "cradle-error.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

#define CRADLE_STFT_MIN_N_FFT 16
#define CRADLE_STFT_MAX_N_FFT 65536

struct _CradleStft
{
  guint          n_fft;
  guint          hop_length;
  guint          n_bins;
  float         *window;    /* periodic Hann, n_fft */
  float         *frame;     /* windowed frame, n_fft (FFT input) */
  fftwf_complex *spectrum;  /* n_bins (FFT output) */
  fftwf_plan     plan;
};

/* FFTW's planner (and plan destruction) is not thread-safe; execution of an
 * existing plan on its own buffers is. */
static GMutex fftw_mutex;

void
cradle_fftw_lock (void)
{
  g_mutex_lock (&fftw_mutex);
}

void
cradle_fftw_unlock (void)
{
  g_mutex_unlock (&fftw_mutex);
}

/**
 * cradle_stft_new:
 * @n_fft: frame and FFT size: even, 16 .. 65536
 * @hop_length: samples between frames, 1 .. @n_fft
 * @error: return location for a #CRADLE_FEATURE_ERROR
 *
 * Returns: (transfer full) (nullable): a new STFT, or %NULL with @error set.
 */
CradleStft *
cradle_stft_new (guint    n_fft,
                 guint    hop_length,
                 GError **error)
{
  CradleStft *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_fft < CRADLE_STFT_MIN_N_FFT || n_fft > CRADLE_STFT_MAX_N_FFT || n_fft % 2 != 0)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "STFT size %u is invalid: it must be even and between %u and %u",
                   n_fft, CRADLE_STFT_MIN_N_FFT, CRADLE_STFT_MAX_N_FFT);
      return NULL;
    }
  if (hop_length == 0 || hop_length > n_fft)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "STFT hop %u is invalid: it must be between 1 and the FFT size (%u)",
                   hop_length, n_fft);
      return NULL;
    }

  self = g_new0 (CradleStft, 1);
  self->n_fft = n_fft;
  self->hop_length = hop_length;
  self->n_bins = n_fft / 2 + 1;
  self->window = fftwf_alloc_real (n_fft);
  self->frame = fftwf_alloc_real (n_fft);
  self->spectrum = fftwf_alloc_complex (self->n_bins);
  if (self->window == NULL || self->frame == NULL || self->spectrum == NULL)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_FFT,
                   "Could not allocate the buffers of a %u-point FFT", n_fft);
      cradle_stft_free (self);
      return NULL;
    }

  /* Periodic Hann (scipy.signal.get_window ("hann", n_fft, fftbins=True)),
   * computed in double like scipy and rounded once. */
  for (guint i = 0; i < n_fft; i++)
    self->window[i] = (float) (0.5 - 0.5 * cos (2.0 * G_PI * (double) i / (double) n_fft));
  memset (self->frame, 0, sizeof (float) * n_fft);

  /* FFTW_ESTIMATE: deterministic, no timing runs, fast to create. */
  cradle_fftw_lock ();
  self->plan = fftwf_plan_dft_r2c_1d ((int) n_fft, self->frame, self->spectrum,
                                      FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
  cradle_fftw_unlock ();
  if (self->plan == NULL)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_FFT,
                   "FFTW could not plan a %u-point real FFT", n_fft);
      cradle_stft_free (self);
      return NULL;
    }

  return self;
}

void
cradle_stft_free (CradleStft *self)
{
  if (self == NULL)
    return;

  if (self->plan != NULL)
    {
      cradle_fftw_lock ();
      fftwf_destroy_plan (self->plan);
      cradle_fftw_unlock ();
    }
  fftwf_free (self->window);
  fftwf_free (self->frame);
  fftwf_free (self->spectrum);
  g_free (self);
}

guint
cradle_stft_get_n_fft (const CradleStft *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_fft;
}

guint
cradle_stft_get_hop (const CradleStft *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->hop_length;
}

guint
cradle_stft_get_n_bins (const CradleStft *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_bins;
}

guint
cradle_stft_n_frames (const CradleStft *self,
                      gsize             n_samples)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) (1 + n_samples / self->hop_length);
}

static inline void
window_segment (float       *restrict out,
                const float *restrict x,
                const float *restrict window,
                gsize                 n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = x[i] * window[i];
}

static inline void
power_spectrum (float               *restrict power,
                const fftwf_complex *restrict spectrum,
                guint                         n_bins)
{
  const float *restrict s = (const float *) spectrum;

  for (guint k = 0; k < n_bins; k++)
    power[k] = s[2 * k] * s[2 * k] + s[2 * k + 1] * s[2 * k + 1];
}

/**
 * cradle_stft_power:
 * @x: (array length=n): the signal
 * @power: (out caller-allocates): cradle_stft_n_frames() * n_bins floats
 *
 * The power spectrogram |X|^2 of the zero-padded, centred, Hann-windowed
 * frames of @x, frame-major. Never allocates.
 */
void
cradle_stft_power (CradleStft  *self,
                   const float *x,
                   gsize        n,
                   float       *power)
{
  guint n_frames;
  gssize half;

  g_return_if_fail (self != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (power != NULL);

  n_frames = cradle_stft_n_frames (self, n);
  half = self->n_fft / 2;

  for (guint t = 0; t < n_frames; t++)
    {
      /* Frame t covers x[start .. start + n_fft) with zeros outside x. */
      gssize start = (gssize) t * self->hop_length - half;
      gssize lo = MAX (0, -start);                             /* first in-signal index in the frame */
      gssize hi = MIN ((gssize) self->n_fft, (gssize) n - start); /* one past the last */

      if (hi <= lo)
        {
          memset (self->frame, 0, sizeof (float) * self->n_fft);
        }
      else
        {
          if (lo > 0)
            memset (self->frame, 0, sizeof (float) * lo);
          window_segment (self->frame + lo, x + start + lo, self->window + lo, hi - lo);
          if (hi < (gssize) self->n_fft)
            memset (self->frame + hi, 0, sizeof (float) * (self->n_fft - hi));
        }

      fftwf_execute (self->plan);
      power_spectrum (power + (gsize) t * self->n_bins, self->spectrum, self->n_bins);
    }
}
