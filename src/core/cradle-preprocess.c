/* cradle-preprocess.c — trim silence, peak-normalise, fix the length
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-preprocess.h"
#include "cradle-dsp-private.h"

#include <math.h>
#include <string.h>

/* librosa.effects.trim: amplitude_to_db (rms, ref=np.max) uses amin 1e-5
 * on the RMS, i.e. 1e-10 on the mean square. */
#define TRIM_AMIN_POWER 1e-10

/**
 * cradle_trim_silence:
 *
 * Frame t (centred, zero-padded RMS) is non-silent when
 * 10 log10 (max (amin^2, ms[t])) - 10 log10 (max (amin^2, max ms)) > -top_db,
 * compared here without logarithms. The mean squares are computed twice
 * (once for the maximum, once to find the first and last non-silent
 * frame), so nothing is allocated. Unlike librosa, which keeps everything
 * when even the loudest frame is below amin (1e-5, -100 dBFS), such a
 * signal is all silent here: 0, 0.
 */
void
cradle_trim_silence (const float *x,
                     gsize        n,
                     float        top_db,
                     guint        frame_length,
                     guint        hop_length,
                     gsize       *start,
                     gsize       *end)
{
  CradleFramePower fp;
  guint n_frames;
  double peak = 0.0;
  double floor_power;
  gssize first = -1, last = -1;

  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (top_db > 0.0f);
  g_return_if_fail (frame_length > 0);
  g_return_if_fail (hop_length > 0);
  g_return_if_fail (start != NULL);
  g_return_if_fail (end != NULL);

  *start = 0;
  *end = 0;
  if (n == 0)
    return;

  n_frames = (guint) (1 + n / hop_length);
  cradle_frame_power_init (&fp, x, n, frame_length, hop_length);
  for (guint t = 0; t < n_frames; t++)
    {
      double ms = cradle_frame_power_next (&fp);   /* not inside MAX (): evaluated twice */

      peak = MAX (peak, ms);
    }
  if (!(peak > TRIM_AMIN_POWER))
    return;

  floor_power = peak * pow (10.0, -top_db / 10.0);
  cradle_frame_power_init (&fp, x, n, frame_length, hop_length);
  for (guint t = 0; t < n_frames; t++)
    {
      double ms = cradle_frame_power_next (&fp);

      ms = MAX (TRIM_AMIN_POWER, ms);
      if (ms > floor_power)
        {
          if (first < 0)
            first = t;
          last = t;
        }
    }
  g_assert (first >= 0);

  *start = MIN ((gsize) first * hop_length, n);
  *end = MIN ((gsize) (last + 1) * hop_length, n);
}

static float
peak_magnitude (const float *restrict x,
                gsize                 n)
{
  float acc[CRADLE_DOT_BLOCK] = { 0 };
  gsize nb = n / CRADLE_DOT_BLOCK * CRADLE_DOT_BLOCK;
  float peak = 0.0f;

  for (gsize i = 0; i < nb; i += CRADLE_DOT_BLOCK)
    for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
      {
        float m = fabsf (x[i + l]);

        acc[l] = m > acc[l] ? m : acc[l];
      }
  for (guint l = 0; l < CRADLE_DOT_BLOCK; l++)
    peak = MAX (peak, acc[l]);
  for (gsize i = nb; i < n; i++)
    peak = MAX (peak, fabsf (x[i]));
  return peak;
}

static void
divide (float *restrict x,
        gsize           n,
        float           by)
{
  for (gsize i = 0; i < n; i++)
    x[i] /= by;
}

void
cradle_peak_normalize (float *x,
                       gsize  n)
{
  float peak;

  g_return_if_fail (x != NULL || n == 0);

  peak = peak_magnitude (x, n);
  if (peak > 0.0f && isfinite (peak))
    divide (x, n, peak);
}

void
cradle_fix_length_centered (const float *x,
                            gsize        n,
                            float       *out,
                            gsize        target)
{
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (out != NULL || target == 0);

  if (n >= target)
    {
      if (target > 0)
        memcpy (out, x + (n - target) / 2, sizeof (float) * target);
    }
  else
    {
      gsize before = (target - n) / 2;

      memset (out, 0, sizeof (float) * before);
      if (n > 0)
        memcpy (out + before, x, sizeof (float) * n);
      memset (out + before + n, 0, sizeof (float) * (target - before - n));
    }
}

/**
 * cradle_preprocess_clip:
 *
 * Trim, normalise by the peak of the trimmed signal, then centre-crop or
 * pad to the clip length (normalising after the crop would use a peak the
 * crop may have removed).
 */
void
cradle_preprocess_clip (const CradleAnalysisConfig *config,
                        const float                *x,
                        gsize                       n,
                        float                      *out)
{
  gsize start, end, target;
  const float *kept;
  float peak;

  g_return_if_fail (config != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (out != NULL);

  target = cradle_analysis_config_clip_samples (config);
  cradle_trim_silence (x, n, config->trim_top_db, config->n_fft, config->hop_length,
                       &start, &end);
  kept = n > 0 ? x + start : x;
  peak = peak_magnitude (kept, end - start);
  cradle_fix_length_centered (kept, end - start, out, target);
  if (peak > 0.0f && isfinite (peak))
    divide (out, target, peak);
}
