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
  float         *window;    /* periodic Hann, Hamming or Blackman, n_fft */
  double         window_sum;
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

static const char *const window_names[] = { "hann", "hamming", "blackman" };

gboolean
cradle_stft_window_from_string (const char       *name,
                                CradleStftWindow *window)
{
  g_return_val_if_fail (window != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (window_names); i++)
    if (g_ascii_strcasecmp (name, window_names[i]) == 0)
      {
        *window = (CradleStftWindow) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cradle_stft_window_to_string (CradleStftWindow window)
{
  if ((guint) window >= G_N_ELEMENTS (window_names))
    return NULL;
  return window_names[window];
}

/**
 * cradle_stft_new:
 * @n_fft: frame and FFT size: even, 16 .. 65536
 * @hop_length: samples between frames, 1 .. @n_fft
 * @error: return location for a #CRADLE_FEATURE_ERROR
 *
 * A periodic Hann STFT.
 *
 * Returns: (transfer full) (nullable): a new STFT, or %NULL with @error set.
 */
CradleStft *
cradle_stft_new (guint    n_fft,
                 guint    hop_length,
                 GError **error)
{
  return cradle_stft_new_with_window (n_fft, hop_length, CRADLE_STFT_WINDOW_HANN, error);
}

/**
 * cradle_stft_new_with_window:
 * @window: the analysis window (periodic)
 *
 * As cradle_stft_new() with another window.
 *
 * Returns: (transfer full) (nullable): a new STFT, or %NULL with @error set.
 */
CradleStft *
cradle_stft_new_with_window (guint             n_fft,
                             guint             hop_length,
                             CradleStftWindow  window,
                             GError          **error)
{
  CradleStft *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail ((guint) window <= CRADLE_STFT_WINDOW_BLACKMAN, NULL);

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

  /* Periodic windows (scipy.signal.get_window (name, n_fft, fftbins=True)),
   * computed in double like scipy and rounded once. */
  for (guint i = 0; i < n_fft; i++)
    {
      double phase = 2.0 * G_PI * (double) i / (double) n_fft;
      double w;

      switch (window)
        {
        case CRADLE_STFT_WINDOW_HAMMING:
          w = 0.54 - 0.46 * cos (phase);
          break;
        case CRADLE_STFT_WINDOW_BLACKMAN:
          w = 0.42 - 0.5 * cos (phase) + 0.08 * cos (2.0 * phase);
          break;
        case CRADLE_STFT_WINDOW_HANN:
        default:
          w = 0.5 - 0.5 * cos (phase);
          break;
        }
      self->window[i] = (float) w;
      self->window_sum += self->window[i];
    }
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

double
cradle_stft_get_window_sum (const CradleStft *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->window_sum;
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
 * cradle_stft_power_frames:
 * @x: (array length=n): the whole signal
 * @first_frame: the first frame wanted
 * @n_frames: how many; FIRST_FRAME + N_FRAMES ≤ cradle_stft_n_frames (N)
 * @power: (out caller-allocates): @n_frames * n_bins floats
 *
 * Rows FIRST_FRAME … of cradle_stft_power(), computed alone. Never
 * allocates.
 */
void
cradle_stft_power_frames (CradleStft  *self,
                          const float *x,
                          gsize        n,
                          guint64      first_frame,
                          guint        n_frames,
                          float       *power)
{
  gssize half;

  g_return_if_fail (self != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (power != NULL || n_frames == 0);
  g_return_if_fail (first_frame + n_frames <= (guint64) cradle_stft_n_frames (self, n));

  half = self->n_fft / 2;

  for (guint i = 0; i < n_frames; i++)
    {
      /* Frame t covers x[start .. start + n_fft) with zeros outside x. */
      guint64 t = first_frame + i;
      gssize start = (gssize) (t * self->hop_length) - half;
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
      power_spectrum (power + (gsize) i * self->n_bins, self->spectrum, self->n_bins);
    }
}

/**
 * cradle_stft_power:
 * @x: (array length=n): the signal
 * @power: (out caller-allocates): cradle_stft_n_frames() * n_bins floats
 *
 * The power spectrogram |X|^2 of the zero-padded, centred, windowed frames
 * of @x, frame-major. Never allocates.
 */
void
cradle_stft_power (CradleStft  *self,
                   const float *x,
                   gsize        n,
                   float       *power)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (power != NULL);

  cradle_stft_power_frames (self, x, n, 0, cradle_stft_n_frames (self, n), power);
}
