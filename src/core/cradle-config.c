/* cradle-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-config.h"
#include "cradle-error.h"

#include <math.h>

void
cradle_analysis_config_init_default (CradleAnalysisConfig *config)
{
  g_return_if_fail (config != NULL);

  *config = (CradleAnalysisConfig) {
    .sample_rate = 16000,
    .n_fft = 2048,
    .hop_length = 512,
    .n_mels = 128,
    .n_mfcc = 40,
    .fmin = 0.0f,
    .fmax = 0.0f,
    .clip_seconds = 5.0f,
    .trim_top_db = 20.0f,
    .yin_fmin = 150.0f,
    .yin_fmax = 1000.0f,
    .yin_frame_length = 1024,
    .yin_hop_length = 512,
    .yin_threshold = 0.1f,
  };
}

float
cradle_analysis_config_get_fmax (const CradleAnalysisConfig *config)
{
  g_return_val_if_fail (config != NULL, 0.0f);

  return config->fmax > 0.0f ? config->fmax : config->sample_rate / 2.0f;
}

gsize
cradle_analysis_config_clip_samples (const CradleAnalysisConfig *config)
{
  g_return_val_if_fail (config != NULL, 0);

  return (gsize) llround ((double) config->clip_seconds * config->sample_rate);
}

static gboolean
invalid (GError **error, const char *field, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
               "Analysis setting “%s” is invalid: %s", field, why);
  return FALSE;
}

gboolean
cradle_analysis_config_validate (const CradleAnalysisConfig  *config,
                                 GError                     **error)
{
  float nyquist;
  float fmax;

  g_return_val_if_fail (config != NULL, FALSE);

  if (config->sample_rate < 4000 || config->sample_rate > 192000)
    return invalid (error, "sample_rate", "%u Hz is outside 4000–192000 Hz", config->sample_rate);
  if (config->n_fft < 64 || config->n_fft > 16384 || (config->n_fft & (config->n_fft - 1)) != 0)
    return invalid (error, "n_fft", "%u is not a power of two between 64 and 16384", config->n_fft);
  if (config->hop_length == 0 || config->hop_length > config->n_fft)
    return invalid (error, "hop_length", "%u must be between 1 and n_fft (%u)",
                    config->hop_length, config->n_fft);
  if (config->n_mels < 8 || config->n_mels > 512)
    return invalid (error, "n_mels", "%u is outside 8–512", config->n_mels);
  if (config->n_mfcc < CRADLE_MFCC_MIN || config->n_mfcc > CRADLE_MFCC_MAX)
    return invalid (error, "n_mfcc", "%u is outside %u–%u", config->n_mfcc,
                    CRADLE_MFCC_MIN, CRADLE_MFCC_MAX);
  if (config->n_mfcc > config->n_mels)
    return invalid (error, "n_mfcc", "%u is more than n_mels (%u)", config->n_mfcc, config->n_mels);

  nyquist = config->sample_rate / 2.0f;
  fmax = cradle_analysis_config_get_fmax (config);
  if (!isfinite (config->fmin) || config->fmin < 0.0f)
    return invalid (error, "fmin", "%g Hz must be zero or positive", config->fmin);
  if (!isfinite (config->fmax) || fmax > nyquist || fmax <= config->fmin)
    return invalid (error, "fmax", "%g Hz must be above fmin and at most %g Hz", fmax, nyquist);
  if (!isfinite (config->clip_seconds) || config->clip_seconds < 0.5f || config->clip_seconds > 60.0f)
    return invalid (error, "clip_seconds", "%g s is outside 0.5–60 s", config->clip_seconds);
  if (!isfinite (config->trim_top_db) || config->trim_top_db <= 0.0f || config->trim_top_db > 120.0f)
    return invalid (error, "trim_top_db", "%g dB is outside 0–120 dB", config->trim_top_db);
  if (config->yin_frame_length < 64 || config->yin_frame_length > 8192)
    return invalid (error, "yin_frame_length", "%u is outside 64–8192", config->yin_frame_length);
  if (config->yin_hop_length == 0 || config->yin_hop_length > config->yin_frame_length)
    return invalid (error, "yin_hop_length", "%u must be between 1 and yin_frame_length (%u)",
                    config->yin_hop_length, config->yin_frame_length);
  if (!isfinite (config->yin_fmin) || !isfinite (config->yin_fmax) ||
      config->yin_fmin <= 0.0f || config->yin_fmin >= config->yin_fmax || config->yin_fmax > nyquist)
    return invalid (error, "yin_fmin", "the range %g–%g Hz must be positive, increasing and below %g Hz",
                    config->yin_fmin, config->yin_fmax, nyquist);
  /* YIN needs at least two lags between the shortest and the longest period
   * inside half a frame (librosa's check). */
  if (floorf (config->sample_rate / config->yin_fmax) + 2 >
      MIN (ceilf (config->sample_rate / config->yin_fmin), config->yin_frame_length / 2.0f - 1))
    return invalid (error, "yin_frame_length", "%u samples is too short for F0 down to %g Hz at %u Hz",
                    config->yin_frame_length, config->yin_fmin, config->sample_rate);
  if (!isfinite (config->yin_threshold) || config->yin_threshold <= 0.0f || config->yin_threshold >= 1.0f)
    return invalid (error, "yin_threshold", "%g is outside (0, 1)", config->yin_threshold);

  return TRUE;
}

/* The canonical text form: every field, in a fixed order, with floats printed
 * exactly (%.9g round-trips a float). The hash is taken over this text, so
 * it is the same on every machine and build. */
char *
cradle_analysis_config_to_string (const CradleAnalysisConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return g_strdup_printf ("cradle-analysis;feature_version=%d;sample_rate=%u;n_fft=%u;"
                          "hop_length=%u;n_mels=%u;n_mfcc=%u;fmin=%.9g;fmax=%.9g;"
                          "clip_seconds=%.9g;trim_top_db=%.9g;yin_fmin=%.9g;yin_fmax=%.9g;"
                          "yin_frame_length=%u;yin_hop_length=%u;yin_threshold=%.9g",
                          CRADLE_FEATURE_VERSION, config->sample_rate, config->n_fft,
                          config->hop_length, config->n_mels, config->n_mfcc,
                          (double) config->fmin, (double) cradle_analysis_config_get_fmax (config),
                          (double) config->clip_seconds, (double) config->trim_top_db,
                          (double) config->yin_fmin, (double) config->yin_fmax,
                          config->yin_frame_length, config->yin_hop_length,
                          (double) config->yin_threshold);
}

/**
 * cradle_analysis_config_hash:
 *
 * Returns: (transfer full): the first 16 hex digits of the SHA-256 of the
 * canonical text form.
 */
char *
cradle_analysis_config_hash (const CradleAnalysisConfig *config)
{
  g_autofree char *text = NULL;
  g_autofree char *sha = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  text = cradle_analysis_config_to_string (config);
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  return g_strndup (sha, 16);
}

gboolean
cradle_analysis_config_equal (const CradleAnalysisConfig *a,
                              const CradleAnalysisConfig *b)
{
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  sa = cradle_analysis_config_to_string (a);
  sb = cradle_analysis_config_to_string (b);
  return g_str_equal (sa, sb);
}
