/* cradle-spectral.c — per-frame spectral and time-domain descriptors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-spectral.h"
#include "cradle-dsp-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FLATNESS_AMIN 1e-10f

/* The per-bin loops below run 16 bins a step in two sets of
 * CRADLE_DOT_BLOCK lanes: four SSE accumulators per sum, so the adds are
 * not serialised on their latency. */
#define STEP (2 * CRADLE_DOT_BLOCK)

typedef struct {
  float mag;       /* sum |X| */
  float bin_mag;   /* sum k |X| */
} MagnitudeSums;

/* |X| into MAG, and its sums. */
static inline MagnitudeSums
magnitude_pass (const float *restrict power,
                guint                 n_bins,
                float       *restrict mag)
{
  float mag0[CRADLE_DOT_BLOCK] = { 0 }, mag1[CRADLE_DOT_BLOCK] = { 0 };
  float bin0[CRADLE_DOT_BLOCK] = { 0 }, bin1[CRADLE_DOT_BLOCK] = { 0 };
  guint nb = n_bins / STEP * STEP;
  MagnitudeSums sums = { 0 };

  for (guint i = 0; i < nb; i += STEP)
    {
      /* bin indices as base + lane constant (exact below 2^24): an
       * unsigned-to-float conversion per lane does not vectorise well */
      float base = (float) (gint) i;

      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float m = sqrtf (power[i + l]);

          mag[i + l] = m;
          mag0[l] += m;
          bin0[l] += (base + (float) l) * m;
        }
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float m = sqrtf (power[i + CRADLE_DOT_BLOCK + l]);

          mag[i + CRADLE_DOT_BLOCK + l] = m;
          mag1[l] += m;
          bin1[l] += (base + (float) (CRADLE_DOT_BLOCK + l)) * m;
        }
    }
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    {
      sums.mag += mag0[l] + mag1[l];
      sums.bin_mag += bin0[l] + bin1[l];
    }
  for (guint i = nb; i < n_bins; i++)
    {
      float m = sqrtf (power[i]);

      mag[i] = m;
      sums.mag += m;
      sums.bin_mag += (float) i * m;
    }
  return sums;
}

/* One step of the log-sum of a positive normal float V: the product of
 * mantissas in [1, 2) is kept in *PROD (renormalised to [1, 2) every step)
 * and the exponents summed in *EXP, so that sum ln v = ln prod + exp ln 2
 * without a logarithm per value. Integer and bit operations only, besides
 * one multiply: vectorises. */
static inline void
log_product_step (float   v,
                  float  *prod,
                  gint32 *exp)
{
  guint32 vb, pb;
  float m, p;

  memcpy (&vb, &v, sizeof vb);
  *exp += (gint32) (vb >> 23) - 127;
  vb = (vb & 0x007fffffu) | 0x3f800000u;
  memcpy (&m, &vb, sizeof m);

  p = *prod * m;   /* [1, 4) */
  memcpy (&pb, &p, sizeof pb);
  *exp += (gint32) (pb >> 23) - 127;
  pb = (pb & 0x007fffffu) | 0x3f800000u;
  memcpy (prod, &pb, sizeof pb);
}

/* sum max (amin, power) and sum ln max (amin, power) for the flatness.
 * The product of 2 x 8 lanes of about 64 mantissas each carries a relative
 * rounding of ~1e-6 at most, i.e. ~1e-6 absolute on a sum of ~1000 logs. */
static inline void
log_power_pass (const float *restrict power,
                guint                 n_bins,
                float                *sum_power,
                double               *sum_log)
{
  float pow0[CRADLE_DOT_BLOCK] = { 0 }, pow1[CRADLE_DOT_BLOCK] = { 0 };
  float prod0[CRADLE_DOT_BLOCK], prod1[CRADLE_DOT_BLOCK];
  gint32 exp0[CRADLE_DOT_BLOCK] = { 0 }, exp1[CRADLE_DOT_BLOCK] = { 0 };
  guint nb = n_bins / STEP * STEP;
  float sp = 0.0f, tail_prod = 1.0f;
  gint32 tail_exp = 0;
  double sl = 0.0;

  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    prod0[l] = prod1[l] = 1.0f;
  for (guint i = 0; i < nb; i += STEP)
    {
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float p = cradle_max_positive (power[i + l], FLATNESS_AMIN);

          pow0[l] += p;
          log_product_step (p, &prod0[l], &exp0[l]);
        }
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float p = cradle_max_positive (power[i + CRADLE_DOT_BLOCK + l], FLATNESS_AMIN);

          pow1[l] += p;
          log_product_step (p, &prod1[l], &exp1[l]);
        }
    }
  for (guint i = nb; i < n_bins; i++)
    {
      float p = cradle_max_positive (power[i], FLATNESS_AMIN);

      sp += p;
      log_product_step (p, &tail_prod, &tail_exp);
    }
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    {
      sp += pow0[l] + pow1[l];
      sl += log ((double) prod0[l] * prod1[l]) + (double) (exp0[l] + exp1[l]) * G_LN2;
    }
  sl += log (tail_prod) + tail_exp * G_LN2;
  *sum_power = sp;
  *sum_log = sl;
}

/* sum_k |X_k| (f_k - centroid)^2 */
static inline float
spread_pass (const float *restrict mag,
             guint                 n_bins,
             float                 bin_hz,
             float                 centroid)
{
  float acc0[CRADLE_DOT_BLOCK] = { 0 }, acc1[CRADLE_DOT_BLOCK] = { 0 };
  guint nb = n_bins / STEP * STEP;
  float sum = 0.0f;

  for (guint i = 0; i < nb; i += STEP)
    {
      float base = (float) (gint) i;

      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float d = (base + (float) l) * bin_hz - centroid;

          acc0[l] += mag[i + l] * d * d;
        }
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        {
          float d = (base + (float) (CRADLE_DOT_BLOCK + l)) * bin_hz - centroid;

          acc1[l] += mag[i + CRADLE_DOT_BLOCK + l] * d * d;
        }
    }
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    sum += acc0[l] + acc1[l];
  for (guint i = nb; i < n_bins; i++)
    {
      float d = (float) i * bin_hz - centroid;

      sum += mag[i] * d * d;
    }
  return sum;
}

static inline float
block_sum (const float *restrict m)
{
  return ((m[0] + m[1]) + (m[2] + m[3])) + ((m[4] + m[5]) + (m[6] + m[7]));
}

/* The first bin of [FIRST, LAST) at which CUM plus the magnitudes reaches
 * THRESHOLD, or -1 (and *CUM advanced over the range). */
static inline gssize
scan_bins (const float *power,
           guint        first,
           guint        last,
           float        threshold,
           float       *cum)
{
  for (guint k = first; k < last; k++)
    {
      *cum += sqrtf (power[k]);
      if (*cum >= threshold)
        return k;
    }
  return -1;
}

/* The lowest bin whose cumulative magnitude reaches ROLL_PERCENT of TOTAL
 * (librosa: the first bin where cumsum (|X|) >= roll_percent * sum |X|).
 * The cumulative sum runs over blocks of 8 bins, groups of 8 blocks, then
 * inside the block that crosses the threshold, so only ~30 adds are in
 * sequence. Overwrites MAG (the magnitudes) with the block sums. */
static guint
rolloff_bin (const float *restrict power,
             guint                 n_bins,
             float                 roll_percent,
             float                 total,
             float       *restrict mag)
{
  guint n_blocks = n_bins / CRADLE_DOT_BLOCK;
  float threshold = roll_percent * total;
  float cum = 0.0f;
  gssize k;

  /* In place: block j is read (mag[8j .. 8j+7]) before mag[j] is written. */
  for (guint j = 0; j < n_blocks; j++)
    mag[j] = block_sum (mag + (gsize) j * CRADLE_DOT_BLOCK);

  for (guint g = 0; g < n_blocks; g += CRADLE_DOT_BLOCK)
    {
      guint g_end = MIN (g + CRADLE_DOT_BLOCK, n_blocks);
      float group = 0.0f;

      if (g_end - g == CRADLE_DOT_BLOCK)
        group = block_sum (mag + g);
      else
        for (guint j = g; j < g_end; j++)
          group += mag[j];
      if (cum + group < threshold)
        {
          cum += group;
          continue;
        }
      for (guint j = g; j < g_end; j++)
        {
          float c;

          if (cum + mag[j] < threshold)
            {
              cum += mag[j];
              continue;
            }
          c = cum;
          k = scan_bins (power, j * CRADLE_DOT_BLOCK, (j + 1) * CRADLE_DOT_BLOCK, threshold, &c);
          /* Rounding may leave the bin-by-bin sum short of the block sum. */
          return k >= 0 ? (guint) k : (j + 1) * CRADLE_DOT_BLOCK - 1;
        }
      /* Rounding: the group sum crossed, its blocks did not. Go on. */
    }
  k = scan_bins (power, n_blocks * CRADLE_DOT_BLOCK, n_bins, threshold, &cum);
  return k >= 0 ? (guint) k : n_bins - 1;
}

void
cradle_spectral_descriptors (const float *power,
                             guint        n_frames,
                             guint        n_bins,
                             guint        sample_rate,
                             float        roll_percent,
                             float       *scratch,
                             float       *centroid,
                             float       *rolloff,
                             float       *bandwidth,
                             float       *flatness)
{
  float bin_hz;

  g_return_if_fail (power != NULL || n_frames == 0);
  g_return_if_fail (n_bins >= 2);
  g_return_if_fail (sample_rate > 0);
  g_return_if_fail (scratch != NULL);
  g_return_if_fail (rolloff == NULL || (roll_percent > 0.0f && roll_percent < 1.0f));

  /* fft_frequencies: bin k is at k * sr / n_fft, n_fft = 2 (n_bins - 1). */
  bin_hz = (float) ((double) sample_rate / (2.0 * (n_bins - 1)));

  for (guint t = 0; t < n_frames; t++)
    {
      const float *p = power + (gsize) t * n_bins;
      MagnitudeSums sums = magnitude_pass (p, n_bins, scratch);
      /* librosa's util.normalize leaves a column whose norm is below
       * tiny(float32) as it is: all its weighted sums are then ~0. */
      gboolean silent = !(sums.mag >= FLT_MIN);
      float c = silent ? 0.0f : bin_hz * (sums.bin_mag / sums.mag);

      if (centroid != NULL)
        centroid[t] = c;
      if (bandwidth != NULL)
        bandwidth[t] = silent ? 0.0f : sqrtf (spread_pass (scratch, n_bins, bin_hz, c) / sums.mag);
      if (flatness != NULL)
        {
          float sum_power;
          double sum_log;

          log_power_pass (p, n_bins, &sum_power, &sum_log);
          flatness[t] = (float) (exp (sum_log / n_bins) / ((double) sum_power / n_bins));
        }
      if (rolloff != NULL)
        rolloff[t] = bin_hz * (float) rolloff_bin (p, n_bins, roll_percent, sums.mag, scratch);
    }
}

guint
cradle_centered_n_frames (gsize n,
                          guint hop_length)
{
  g_return_val_if_fail (hop_length > 0, 0);

  return (guint) (1 + n / hop_length);
}

/* Number of k in [a, b) (1 <= a) with signbit'(x[k - 1]) != signbit'(x[k]),
 * where signbit' treats |v| <= 1e-10 as +0. */
static inline guint
count_crossings (const float *restrict x,
                 gsize                 a,
                 gsize                 b)
{
  const float neg = -1e-10f;
  guint count = 0;

  for (gsize k = a; k < b; k++)
    count += (guint) ((x[k - 1] < neg) != (x[k] < neg));
  return count;
}

/**
 * cradle_zero_crossing_rate:
 *
 * Frame t of the edge-padded signal covers x[t * hop - frame_length / 2 ..]
 * (indices clamped into x). The padding repeats the end samples, so it holds
 * no crossings; the pairs (k - 1, k) of frame t are those with
 * k in [t * hop - L/2 + 1, t * hop - L/2 + L - 1], clipped to [1, n - 1].
 * The count slides from frame to frame, so the whole signal costs O(n).
 */
void
cradle_zero_crossing_rate (const float *x,
                           gsize        n,
                           guint        frame_length,
                           guint        hop_length,
                           float       *out)
{
  guint n_frames;
  gsize lo_prev = 1, hi_prev = 1;   /* [lo, hi) of the previous frame's pairs */
  guint count = 0;

  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (frame_length > 0);
  g_return_if_fail (hop_length > 0);
  g_return_if_fail (out != NULL);

  n_frames = cradle_centered_n_frames (n, hop_length);
  for (guint t = 0; t < n_frames; t++)
    {
      gssize start = (gssize) ((gsize) t * hop_length) - (gssize) (frame_length / 2);
      gsize lo, hi;

      if (n < 2)
        {
          out[t] = 0.0f;
          continue;
        }
      lo = (gsize) CLAMP (start + 1, 1, (gssize) n);
      hi = (gsize) CLAMP (start + (gssize) frame_length, 1, (gssize) n);
      if (lo >= hi_prev)
        {
          count = count_crossings (x, lo, hi);
        }
      else
        {
          count += count_crossings (x, hi_prev, hi);
          count -= count_crossings (x, lo_prev, lo);
        }
      lo_prev = lo;
      hi_prev = hi;
      out[t] = (float) count / (float) frame_length;
    }
}

void
cradle_rms (const float *x,
            gsize        n,
            guint        frame_length,
            guint        hop_length,
            float       *out)
{
  CradleFramePower fp;
  guint n_frames;

  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (frame_length > 0);
  g_return_if_fail (hop_length > 0);
  g_return_if_fail (out != NULL);

  n_frames = cradle_centered_n_frames (n, hop_length);
  cradle_frame_power_init (&fp, x, n, frame_length, hop_length);
  for (guint t = 0; t < n_frames; t++)
    out[t] = (float) sqrt (cradle_frame_power_next (&fp));
}
