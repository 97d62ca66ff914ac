/* cradle-dsp-private.h — small inner loops shared by the DSP modules
 *
 * Not installed, not part of the API. Everything here is written so that
 * GCC vectorises it at -O2 -ftree-vectorize without -ffast-math: float
 * reductions keep CRADLE_DOT_BLOCK independent partial sums in an array
 * (no reassociation needed), elementwise loops take restrict pointers and
 * have no branches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <float.h>
#include <math.h>
#include <string.h>

G_BEGIN_DECLS

#define CRADLE_DOT_BLOCK 8

/* sum_i a[i] * b[i], with CRADLE_DOT_BLOCK partial sums. */
static inline float
cradle_dot (const float *restrict a,
            const float *restrict b,
            gsize                 n)
{
  float acc[CRADLE_DOT_BLOCK] = { 0 };
  gsize nb = n / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
  float sum;

  for (gsize i = 0; i < nb; i += CRADLE_DOT_BLOCK)
    for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
      acc[l] += a[i + l] * b[i + l];
  sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (gsize i = nb; i < n; i++)
    sum += a[i] * b[i];
  return sum;
}

/* sum_i a[i] * b[i] for long vectors: four blocks of CRADLE_DOT_BLOCK
 * partial sums, so GCC keeps 32 accumulators in registers (8 SSE
 * registers) and the adds do not wait on each other. (A single 32-wide
 * block is not unrolled by GCC 12 and ends up with its accumulators in
 * memory.) */
static inline float
cradle_dot_long (const float *restrict a,
                 const float *restrict b,
                 gsize                 n)
{
  float acc0[CRADLE_DOT_BLOCK] = { 0 }, acc1[CRADLE_DOT_BLOCK] = { 0 };
  float acc2[CRADLE_DOT_BLOCK] = { 0 }, acc3[CRADLE_DOT_BLOCK] = { 0 };
  gsize nb = n / (4 * CRADLE_DOT_BLOCK) * (4 * CRADLE_DOT_BLOCK);
  float sum = 0.0f;

  for (gsize i = 0; i < nb; i += 4 * CRADLE_DOT_BLOCK)
    {
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc0[l] += a[i + l] * b[i + l];
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc1[l] += a[i + CRADLE_DOT_BLOCK + l] * b[i + CRADLE_DOT_BLOCK + l];
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc2[l] += a[i + 2 * CRADLE_DOT_BLOCK + l] * b[i + 2 * CRADLE_DOT_BLOCK + l];
      for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
        acc3[l] += a[i + 3 * CRADLE_DOT_BLOCK + l] * b[i + 3 * CRADLE_DOT_BLOCK + l];
    }
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    sum += (acc0[l] + acc1[l]) + (acc2[l] + acc3[l]);
  return sum + cradle_dot (a + nb, b + nb, n - nb);
}

/* sum_i x[i]^2 in double (for RMS and energies). */
static inline double
cradle_sum_squares (const float *restrict x,
                    gsize                 n)
{
  double acc[CRADLE_DOT_BLOCK] = { 0 };
  gsize nb = n / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
  double sum;

  for (gsize i = 0; i < nb; i += CRADLE_DOT_BLOCK)
    for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
      acc[l] += (double) x[i + l] * (double) x[i + l];
  sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (gsize i = nb; i < n; i++)
    sum += (double) x[i] * (double) x[i];
  return sum;
}

/* max_i x[i] (-FLT_MAX when N is 0; NaNs are skipped). */
static inline float
cradle_max (const float *restrict x,
            gsize                 n)
{
  float acc[CRADLE_DOT_BLOCK];
  gsize nb = n / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
  float peak = -FLT_MAX;

  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    acc[l] = -FLT_MAX;
  for (gsize i = 0; i < nb; i += CRADLE_DOT_BLOCK)
    for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
      acc[l] = x[i + l] > acc[l] ? x[i + l] : acc[l];
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    peak = acc[l] > peak ? acc[l] : peak;
  for (gsize i = nb; i < n; i++)
    peak = x[i] > peak ? x[i] : peak;
  return peak;
}

/* ln (v) for v >= FLT_MIN, +inf and NaN, written to vectorise.
 *
 * glibc's logf does not vectorise without -ffast-math, and this runs over
 * every mel value and every spectral bin. V is split as m * 2^k with m in
 * [sqrt(1/2), sqrt(2)); ln m = 2 atanh (s), s = (m - 1) / (m + 1), |s| <=
 * 0.1716, by its series to s^9 (truncation below 1e-9 relative). The
 * result is within a few float ulp of ln; +inf and NaN pass through.
 * Zero, negative and subnormal V are the caller's business (clamp first). */
static inline float
cradle_ln (float v)
{
  guint32 bits, vbits, ybits, special;
  gint32 k;
  float m, s, z, r, y;

  memcpy (&vbits, &v, sizeof vbits);
  /* Mantissas >= sqrt(1/2) (0x3f3504f3) keep their exponent, smaller ones
   * borrow one from it. */
  bits = vbits + (0x3f800000u - 0x3f3504f3u);
  k = (gint32) (bits >> 23) - 127;
  bits = (bits & 0x007fffffu) + 0x3f3504f3u;
  memcpy (&m, &bits, sizeof m);

  s = (m - 1.0f) / (m + 1.0f);
  z = s * s;
  r = 2.0f / 3.0f + z * (2.0f / 5.0f + z * (2.0f / 7.0f + z * (2.0f / 9.0f)));
  /* k ln 2 in two parts; k * LN2_HI is exact (LN2_HI has 8 trailing zero bits) */
  y = (float) k * 0.693145752f + ((2.0f * s + s * z * r) + (float) k * 1.42860677e-06f);

  /* +inf and NaN are their own logarithm. The select is done on the bits:
   * a float select would let GCC move the polynomial into a branch, which
   * it then cannot if-convert (FP may trap) and the loop would not
   * vectorise. */
  special = (vbits & 0x7fffffffu) >= 0x7f800000u ? 0xffffffffu : 0u;
  memcpy (&ybits, &y, sizeof ybits);
  ybits = (ybits & ~special) | (vbits & special);
  memcpy (&y, &ybits, sizeof y);
  return y;
}

/* max (lo, v) for lo > 0, done on the bits (positive floats order like
 * their bit patterns as signed integers; negative ones are all below):
 * an integer MAX vectorises where a float select may end up as a branch.
 * A positive NaN is kept. */
static inline float
cradle_max_positive (float v,
                     float lo)
{
  gint32 vb, lb;

  memcpy (&vb, &v, sizeof vb);
  memcpy (&lb, &lo, sizeof lb);
  vb = vb > lb ? vb : lb;
  memcpy (&v, &vb, sizeof v);
  return v;
}

/* x[i] = ln (max (amin, x[i])), for AMIN >= FLT_MIN (NaN stays NaN). */
static inline void
cradle_log_inplace (float *restrict x,
                    gsize           n,
                    float           amin)
{
  for (gsize i = 0; i < n; i++)
    x[i] = cradle_ln (cradle_max_positive (x[i], amin));
}

/* sum_i x[i]^2, squares and partial sums in float (32 lanes, so a block of
 * a few hundred samples keeps ~1e-7 relative accuracy), total in double. */
static inline double
cradle_sum_squares_fast (const float *restrict x,
                         gsize                 n)
{
  return (double) cradle_dot_long (x, x, n);
}

/* Iterates the mean squares of centred, zero-padded frames (librosa
 * feature.rms with center=True, pad_mode="constant"): frame t covers
 * x[t * hop - frame_length / 2 .. + frame_length), in O(n) overall.
 *
 * When the hop divides the frame (the usual case), the signal is cut into
 * hop-long blocks on the frames' grid; each block's energy is computed once
 * (float SIMD) and a frame adds its frame_length / hop blocks from a ring.
 * Nothing is subtracted, so a silent frame after a loud one is exactly 0.
 * Otherwise a running sum in double adds the samples that enter and
 * subtracts those that leave. */
#define CRADLE_FRAME_POWER_MAX_BLOCKS 64

typedef struct {
  const float *x;
  gsize        n;
  guint        frame_length;
  guint        hop_length;
  gsize        t;
  guint        n_blocks;   /* frame_length / hop_length, or 0: running sum */
  double       block[CRADLE_FRAME_POWER_MAX_BLOCKS];
  gsize        lo;         /* running sum: clipped window [lo, hi) of the previous frame */
  gsize        hi;
  double       sum;
} CradleFramePower;

static inline void
cradle_frame_power_init (CradleFramePower *fp,
                         const float      *x,
                         gsize             n,
                         guint             frame_length,
                         guint             hop_length)
{
  fp->x = x;
  fp->n = n;
  fp->frame_length = frame_length;
  fp->hop_length = hop_length;
  fp->t = 0;
  fp->n_blocks = 0;
  if (frame_length % hop_length == 0 && frame_length / hop_length <= CRADLE_FRAME_POWER_MAX_BLOCKS)
    fp->n_blocks = frame_length / hop_length;
  fp->lo = 0;
  fp->hi = 0;
  fp->sum = 0.0;
}

/* Energy of block k: x[k * hop - frame_length / 2 ..) for hop samples, clipped. */
static inline double
cradle_frame_power_block (const CradleFramePower *fp,
                          gsize                   k)
{
  gssize start = (gssize) (k * fp->hop_length) - (gssize) (fp->frame_length / 2);
  gsize lo = (gsize) CLAMP (start, 0, (gssize) fp->n);
  gsize hi = (gsize) CLAMP (start + (gssize) fp->hop_length, 0, (gssize) fp->n);

  return hi > lo ? cradle_sum_squares_fast (fp->x + lo, hi - lo) : 0.0;
}

/* Mean square of the next frame. */
static inline double
cradle_frame_power_next (CradleFramePower *fp)
{
  double sum = 0.0;

  if (fp->n_blocks > 0)
    {
      guint r = fp->n_blocks;

      if (fp->t == 0)
        for (guint j = 0; j < r; j++)
          fp->block[j] = cradle_frame_power_block (fp, j);
      else
        fp->block[(fp->t + r - 1) % r] = cradle_frame_power_block (fp, fp->t + r - 1);
      for (guint j = 0; j < r; j++)
        sum += fp->block[j];
    }
  else
    {
      gssize start = (gssize) (fp->t * fp->hop_length) - (gssize) (fp->frame_length / 2);
      gsize lo = (gsize) CLAMP (start, 0, (gssize) fp->n);
      gsize hi = (gsize) CLAMP (start + (gssize) fp->frame_length, 0, (gssize) fp->n);

      if (hi == lo)
        {
          fp->sum = 0.0;   /* all padding: exactly silent, whatever was rounded before */
        }
      else if (lo >= fp->hi)
        {
          /* No overlap with the previous window (first frame, or hop > frame). */
          fp->sum = cradle_sum_squares (fp->x + lo, hi - lo);
        }
      else
        {
          fp->sum += cradle_sum_squares (fp->x + fp->hi, hi - fp->hi);
          fp->sum -= cradle_sum_squares (fp->x + fp->lo, lo - fp->lo);
          if (fp->sum < 0.0)
            fp->sum = 0.0;
        }
      fp->lo = lo;
      fp->hi = hi;
      sum = fp->sum;
    }
  fp->t++;
  return sum / fp->frame_length;
}

G_END_DECLS
