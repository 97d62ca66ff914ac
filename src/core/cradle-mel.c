/* cradle-mel.c — mel filterbank, power to dB, MFCC and deltas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-mel.h"
#include "cradle-error.h"
#include "cradle-dsp-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define CRADLE_MEL_MAX_BANDS 1024

/* Slaney's Auditory Toolbox mel scale (librosa htk=False): linear below
 * 1 kHz (3 mel per 200 Hz), logarithmic above (27 mel per factor 6.4). */
#define MEL_F_SP        (200.0 / 3.0)
#define MEL_MIN_LOG_HZ  1000.0
#define MEL_MIN_LOG_MEL (MEL_MIN_LOG_HZ / MEL_F_SP)
#define MEL_LOGSTEP     (1.8562979903656263 / 27.0)   /* log (6.4) / 27 */

double
cradle_hz_to_mel (double hz)
{
  if (hz >= MEL_MIN_LOG_HZ)
    return MEL_MIN_LOG_MEL + log (hz / MEL_MIN_LOG_HZ) / MEL_LOGSTEP;
  return hz / MEL_F_SP;
}

double
cradle_mel_to_hz (double mel)
{
  if (mel >= MEL_MIN_LOG_MEL)
    return MEL_MIN_LOG_HZ * exp (MEL_LOGSTEP * (mel - MEL_MIN_LOG_MEL));
  return MEL_F_SP * mel;
}

/* The filterbank is stored sparsely. Band m has the weights
 * weights[offset[m] .. offset[m] + length[m]) for the bins
 * first[m] .. first[m] + length[m]. Each length is a multiple of
 * CRADLE_DOT_BLOCK where the bins allow it (zero weights pad the triangle,
 * on the side where bins exist), so the dot product is a whole number of
 * vector blocks with no scalar tail; the zeros cost a few MACs per band. */
struct _CradleMelFilterbank
{
  guint   sample_rate;
  guint   n_fft;
  guint   n_bins;
  guint   n_mels;
  double *band_edges_hz;  /* n_mels + 2: mel_frequencies (n_mels + 2, fmin, fmax) */
  guint  *first;
  guint  *length;
  guint  *offset;
  float  *weights;
};

/**
 * cradle_mel_filterbank_new:
 * @sample_rate: in Hz
 * @n_fft: the STFT size (even, >= 16)
 * @n_mels: number of bands, 1 .. 1024
 * @fmin: lowest frequency, >= 0
 * @fmax: highest frequency, above @fmin and at most @sample_rate / 2
 *
 * The librosa.filters.mel (htk=False, norm="slaney") filterbank.
 *
 * Returns: (transfer full) (nullable): a new filterbank, or %NULL with @error set.
 */
CradleMelFilterbank *
cradle_mel_filterbank_new (guint    sample_rate,
                           guint    n_fft,
                           guint    n_mels,
                           float    fmin,
                           float    fmax,
                           GError **error)
{
  g_autoptr(CradleMelFilterbank) self = NULL;
  g_autofree double *mel_f = NULL;
  g_autofree float *dense = NULL;
  double min_mel, max_mel;
  double nyquist = sample_rate / 2.0;
  guint n_weights = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sample_rate == 0)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Mel filterbank: the sample rate must be positive");
      return NULL;
    }
  if (n_fft < 16 || n_fft % 2 != 0 || n_fft > 65536)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Mel filterbank: FFT size %u must be even and between 16 and 65536", n_fft);
      return NULL;
    }
  if (n_mels == 0 || n_mels > CRADLE_MEL_MAX_BANDS)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Mel filterbank: %u bands is outside 1–%u", n_mels, CRADLE_MEL_MAX_BANDS);
      return NULL;
    }
  if (!isfinite (fmin) || fmin < 0.0f)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Mel filterbank: fmin %g Hz must be zero or positive", (double) fmin);
      return NULL;
    }
  if (!isfinite (fmax) || fmax <= fmin || fmax > nyquist)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Mel filterbank: fmax %g Hz must be above fmin (%g Hz) and at most "
                   "the Nyquist frequency (%g Hz)", (double) fmax, (double) fmin, nyquist);
      return NULL;
    }

  self = g_new0 (CradleMelFilterbank, 1);
  self->sample_rate = sample_rate;
  self->n_fft = n_fft;
  self->n_bins = n_fft / 2 + 1;
  self->n_mels = n_mels;

  /* mel_frequencies: n_mels + 2 points evenly spaced in mel (np.linspace). */
  mel_f = g_new (double, n_mels + 2);
  min_mel = cradle_hz_to_mel (fmin);
  max_mel = cradle_hz_to_mel (fmax);
  for (guint i = 0; i < n_mels + 2; i++)
    {
      double mel = (i == n_mels + 1) ? max_mel
                                     : min_mel + (double) i * ((max_mel - min_mel) / (n_mels + 1));

      mel_f[i] = cradle_mel_to_hz (mel);
    }

  /* The dense weights exactly as librosa makes them: triangles computed in
   * double and stored as float, then scaled in double by the Slaney area
   * norm 2 / (f[m + 2] - f[m]) and rounded to float again. */
  dense = g_new0 (float, (gsize) n_mels * self->n_bins);
  for (guint m = 0; m < n_mels; m++)
    {
      double fdiff_lo = mel_f[m + 1] - mel_f[m];
      double fdiff_hi = mel_f[m + 2] - mel_f[m + 1];
      double enorm = 2.0 / (mel_f[m + 2] - mel_f[m]);
      float *row = dense + (gsize) m * self->n_bins;

      for (guint k = 0; k < self->n_bins; k++)
        {
          double f = (double) k * sample_rate / n_fft;
          double lower = -(mel_f[m] - f) / fdiff_lo;
          double upper = (mel_f[m + 2] - f) / fdiff_hi;
          float w = (float) MAX (0.0, MIN (lower, upper));

          row[k] = (float) ((double) w * enorm);
        }
    }

  /* Sparse form: the nonzero run of each band, padded to whole blocks. */
  self->first = g_new (guint, n_mels);
  self->length = g_new (guint, n_mels);
  self->offset = g_new (guint, n_mels);
  for (guint m = 0; m < n_mels; m++)
    {
      const float *row = dense + (gsize) m * self->n_bins;
      guint lo = 0, hi = self->n_bins;
      guint len, padded;

      while (lo < self->n_bins && row[lo] == 0.0f)
        lo++;
      while (hi > lo && row[hi - 1] == 0.0f)
        hi--;
      len = hi - lo;
      padded = (len + CRADLE_DOT_BLOCK - 1) / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
      if (padded <= self->n_bins)
        {
          /* Pad on the right, or on the left where the bins run out. */
          if (lo + padded > self->n_bins)
            lo = self->n_bins - padded;
          len = padded;
        }
      self->first[m] = lo;
      self->length[m] = len;
      self->offset[m] = n_weights;
      n_weights += len;
    }
  self->weights = g_new (float, MAX (n_weights, 1));
  for (guint m = 0; m < n_mels; m++)
    memcpy (self->weights + self->offset[m],
            dense + (gsize) m * self->n_bins + self->first[m],
            sizeof (float) * self->length[m]);

  self->band_edges_hz = g_steal_pointer (&mel_f);

  /* Check the padding kept every nonzero weight. */
  for (guint m = 0; m < n_mels; m++)
    {
      const float *row = dense + (gsize) m * self->n_bins;

      for (guint k = 0; k < self->n_bins; k++)
        g_assert (row[k] == 0.0f || (k >= self->first[m] && k < self->first[m] + self->length[m]));
    }

  return g_steal_pointer (&self);
}

void
cradle_mel_filterbank_free (CradleMelFilterbank *self)
{
  if (self == NULL)
    return;

  g_free (self->band_edges_hz);
  g_free (self->first);
  g_free (self->length);
  g_free (self->offset);
  g_free (self->weights);
  g_free (self);
}

guint
cradle_mel_filterbank_get_n_mels (const CradleMelFilterbank *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_mels;
}

double
cradle_mel_filterbank_band_hz (const CradleMelFilterbank *self,
                               guint                      band)
{
  g_return_val_if_fail (self != NULL, 0.0);
  g_return_val_if_fail (band < self->n_mels, 0.0);

  /* The apex of triangle BAND. */
  return self->band_edges_hz[band + 1];
}

void
cradle_mel_filterbank_apply (const CradleMelFilterbank *self,
                             const float               *power,
                             guint                      n_frames,
                             float                     *mel)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (power != NULL || n_frames == 0);
  g_return_if_fail (mel != NULL || n_frames == 0);

  for (guint t = 0; t < n_frames; t++)
    {
      const float *p = power + (gsize) t * self->n_bins;
      float *out = mel + (gsize) t * self->n_mels;

      for (guint m = 0; m < self->n_mels; m++)
        out[m] = cradle_dot (self->weights + self->offset[m], p + self->first[m],
                                    self->length[m]);
    }
}

static inline void
scale_offset (float *restrict x,
              gsize           n,
              float           scale,
              float           offset)
{
  for (gsize i = 0; i < n; i++)
    x[i] = scale * x[i] + offset;
}

/* 10 log10 (v) = DB_PER_LN * ln (v) */
#define DB_PER_LN 4.3429448190325181

void
cradle_power_to_db (float *x,
                    gsize  n,
                    float  ref,
                    float  amin,
                    float  top_db)
{
  float offset;
  float peak;
  float floor_db;

  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (amin >= FLT_MIN);

  offset = (float) (DB_PER_LN * log (MAX (amin, fabsf (ref))));
  cradle_log_inplace (x, n, amin);
  scale_offset (x, n, (float) DB_PER_LN, -offset);
  peak = cradle_max (x, n);

  if (top_db > 0.0f && n > 0)
    {
      floor_db = peak - top_db;
      for (gsize i = 0; i < n; i++)
        x[i] = MAX (x[i], floor_db);
    }
}

struct _CradleMfcc
{
  guint  n_mels;
  guint  n_mfcc;
  guint  stride;    /* n_mfcc rounded up to CRADLE_DOT_BLOCK */
  float *basis_t;   /* n_mels * stride: basis_t[m * stride + k] = D[k][m], zero for k >= n_mfcc */
};

/**
 * cradle_mfcc_new:
 * @n_mels: the input size (mel bands)
 * @n_mfcc: coefficients kept, 1 .. @n_mels
 *
 * The first @n_mfcc rows of the orthonormal DCT-II of size @n_mels
 * (scipy.fftpack.dct (type=2, norm="ortho")).
 *
 * Returns: (transfer full) (nullable): a new MFCC transform, or %NULL with @error set.
 */
CradleMfcc *
cradle_mfcc_new (guint    n_mels,
                 guint    n_mfcc,
                 GError **error)
{
  CradleMfcc *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_mels == 0 || n_mels > CRADLE_MEL_MAX_BANDS)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "MFCC: %u mel bands is outside 1–%u", n_mels, CRADLE_MEL_MAX_BANDS);
      return NULL;
    }
  if (n_mfcc == 0 || n_mfcc > n_mels)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "MFCC: %u coefficients must be between 1 and the number of mel bands (%u)",
                   n_mfcc, n_mels);
      return NULL;
    }

  self = g_new0 (CradleMfcc, 1);
  self->n_mels = n_mels;
  self->n_mfcc = n_mfcc;
  self->stride = (n_mfcc + CRADLE_DOT_BLOCK - 1) / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
  self->basis_t = g_new0 (float, (gsize) n_mels * self->stride);
  for (guint k = 0; k < n_mfcc; k++)
    {
      double scale = k == 0 ? sqrt (1.0 / n_mels) : sqrt (2.0 / n_mels);

      for (guint m = 0; m < n_mels; m++)
        self->basis_t[(gsize) m * self->stride + k] =
          (float) (scale * cos (G_PI * k * (2.0 * m + 1.0) / (2.0 * n_mels)));
    }

  return self;
}

void
cradle_mfcc_free (CradleMfcc *self)
{
  if (self == NULL)
    return;

  g_free (self->basis_t);
  g_free (self);
}

/* FRAMES frames (1 .. 4) of OUT, coefficients [k0, k0 + CRADLE_DOT_BLOCK):
 * accumulators for 4 frames x 8 coefficients stay in registers, each
 * basis load serves 4 frames. */
static inline void
mfcc_block (const CradleMfcc *self,
            const float      *restrict in,
            guint             frames,
            guint             k0,
            float            *restrict out)
{
  float acc0[CRADLE_DOT_BLOCK] = { 0 }, acc1[CRADLE_DOT_BLOCK] = { 0 };
  float acc2[CRADLE_DOT_BLOCK] = { 0 }, acc3[CRADLE_DOT_BLOCK] = { 0 };
  const float *restrict in0 = in;
  const float *restrict in1 = in + (frames > 1 ? self->n_mels : 0);
  const float *restrict in2 = in + (frames > 2 ? 2 * self->n_mels : 0);
  const float *restrict in3 = in + (frames > 3 ? 3 * self->n_mels : 0);
  guint n_out = MIN (CRADLE_DOT_BLOCK, self->n_mfcc - k0);

  for (guint m = 0; m < self->n_mels; m++)
    {
      const float *restrict d = self->basis_t + (gsize) m * self->stride + k0;
      float x0 = in0[m], x1 = in1[m], x2 = in2[m], x3 = in3[m];

      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc0[l] += d[l] * x0;
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc1[l] += d[l] * x1;
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc2[l] += d[l] * x2;
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc3[l] += d[l] * x3;
    }

  memcpy (out + k0, acc0, sizeof (float) * n_out);
  if (frames > 1)
    memcpy (out + self->n_mfcc + k0, acc1, sizeof (float) * n_out);
  if (frames > 2)
    memcpy (out + 2 * self->n_mfcc + k0, acc2, sizeof (float) * n_out);
  if (frames > 3)
    memcpy (out + 3 * self->n_mfcc + k0, acc3, sizeof (float) * n_out);
}

void
cradle_mfcc_apply (const CradleMfcc *self,
                   const float      *mel_db,
                   guint             n_frames,
                   float            *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (mel_db != NULL || n_frames == 0);
  g_return_if_fail (out != NULL || n_frames == 0);

  for (guint t = 0; t < n_frames; t += 4)
    {
      guint frames = MIN (4, n_frames - t);

      for (guint k0 = 0; k0 < self->n_mfcc; k0 += CRADLE_DOT_BLOCK)
        mfcc_block (self, mel_db + (gsize) t * self->n_mels, frames, k0,
                    out + (gsize) t * self->n_mfcc);
    }
}

/* out[t] = sum_{k=1..h} k (x[t + k] - x[t - k]) / norm, for every coefficient. */
static inline void
delta_frame (const float *restrict x,
             guint                 n_coeffs,
             guint                 half,
             float                 inv_norm,
             guint                 t,
             float       *restrict out)
{
  memset (out, 0, sizeof (float) * n_coeffs);
  for (guint k = 1; k <= half; k++)
    {
      const float *restrict after = x + (gsize) (t + k) * n_coeffs;
      const float *restrict before = x + (gsize) (t - k) * n_coeffs;
      float w = (float) k;

      for (guint c = 0; c < n_coeffs; c++)
        out[c] += w * (after[c] - before[c]);
    }
  for (guint c = 0; c < n_coeffs; c++)
    out[c] *= inv_norm;
}

/**
 * cradle_delta:
 *
 * scipy.signal.savgol_filter (x, width, polyorder=1, deriv=1, mode="interp")
 * along time. With a first-order polynomial the Savitzky–Golay derivative
 * is the slope of the least-squares line through the WIDTH frames around t;
 * "interp" fits one line through the first (last) WIDTH frames for the first
 * (last) WIDTH / 2 frames, which is the slope at frame WIDTH / 2
 * (n_frames - 1 - WIDTH / 2).
 */
void
cradle_delta (const float *x,
              guint        n_frames,
              guint        n_coeffs,
              guint        width,
              float       *out)
{
  guint half;
  double norm = 0.0;
  float inv_norm;

  g_return_if_fail (x != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (x != out);
  g_return_if_fail (width >= 3 && width % 2 == 1);
  g_return_if_fail (n_frames >= width);

  half = width / 2;
  for (guint k = 1; k <= half; k++)
    norm += 2.0 * k * k;
  inv_norm = (float) (1.0 / norm);

  for (guint t = half; t < n_frames - half; t++)
    delta_frame (x, n_coeffs, half, inv_norm, t, out + (gsize) t * n_coeffs);

  for (guint t = 0; t < half; t++)
    {
      memcpy (out + (gsize) t * n_coeffs, out + (gsize) half * n_coeffs,
              sizeof (float) * n_coeffs);
      memcpy (out + (gsize) (n_frames - 1 - t) * n_coeffs,
              out + (gsize) (n_frames - 1 - half) * n_coeffs, sizeof (float) * n_coeffs);
    }
}
