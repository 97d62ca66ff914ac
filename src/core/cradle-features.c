/* cradle-features.c — the clip feature vector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-features.h"

#include <math.h>
#include <string.h>

#include "cradle-audio.h"
#include "cradle-error.h"
#include "cradle-mel.h"
#include "cradle-preprocess.h"
#include "cradle-spectral.h"
#include "cradle-stft.h"
#include "cradle-yin.h"

#define ROLL_PERCENT 0.85f
#define DELTA_WIDTH  9

struct _CradleFeatureExtractor
{
  CradleAnalysisConfig  config;

  CradleStft           *stft;
  CradleMelFilterbank  *mel_fb;
  CradleMfcc           *mfcc;
  CradleYin            *yin;

  GPtrArray            *names;      /* (element-type utf8) */
  GHashTable           *index;      /* name → index + 1 */

  /* Scratch, sized for `capacity` samples; grown only for longer input. */
  gsize                 capacity;
  guint                 n_bins;
  float                *clip;       /* preprocessed clip of the file being read */
  float                *power;      /* frames × bins */
  float                *mel;        /* frames × n_mels */
  float                *mfcc_out;   /* frames × n_mfcc */
  float                *delta;      /* frames × n_mfcc */
  float                *descriptors;/* 6 × frames: centroid, rolloff, bandwidth, flatness, zcr, rms */
  float                *spectrum;   /* n_bins, for the magnitude */
  float                *f0;         /* yin frames */
  gboolean             *voiced;
};

/* The per-frame descriptors after the MFCCs, in vector order. */
static const char * const descriptor_names[] = {
  "centroid", "rolloff", "zcr", "rms", "bandwidth", "flatness",
};
enum { D_CENTROID, D_ROLLOFF, D_ZCR, D_RMS, D_BANDWIDTH, D_FLATNESS, N_DESCRIPTORS };

static void
add_name (CradleFeatureExtractor *self,
          char                   *name)
{
  g_ptr_array_add (self->names, name);
  g_hash_table_insert (self->index, name, GUINT_TO_POINTER (self->names->len));
}

static void
build_names (CradleFeatureExtractor *self)
{
  guint n_mfcc = self->config.n_mfcc;
  static const char * const stats[] = { "mean", "std" };

  for (guint s = 0; s < G_N_ELEMENTS (stats); s++)
    for (guint i = 0; i < n_mfcc; i++)
      add_name (self, g_strdup_printf ("mfcc_%02u_%s", i, stats[s]));
  for (guint s = 0; s < G_N_ELEMENTS (stats); s++)
    for (guint i = 0; i < n_mfcc; i++)
      add_name (self, g_strdup_printf ("mfcc_delta_%02u_%s", i, stats[s]));
  for (guint d = 0; d < N_DESCRIPTORS; d++)
    for (guint s = 0; s < G_N_ELEMENTS (stats); s++)
      add_name (self, g_strdup_printf ("%s_%s", descriptor_names[d], stats[s]));
  add_name (self, g_strdup ("f0_mean"));
  add_name (self, g_strdup ("f0_std"));
  add_name (self, g_strdup ("voiced_ratio"));
}

static void
free_buffers (CradleFeatureExtractor *self)
{
  g_clear_pointer (&self->clip, g_free);
  g_clear_pointer (&self->power, g_free);
  g_clear_pointer (&self->mel, g_free);
  g_clear_pointer (&self->mfcc_out, g_free);
  g_clear_pointer (&self->delta, g_free);
  g_clear_pointer (&self->descriptors, g_free);
  g_clear_pointer (&self->spectrum, g_free);
  g_clear_pointer (&self->f0, g_free);
  g_clear_pointer (&self->voiced, g_free);
}

/* Makes room for N input samples. Allocates only when N is larger than any
 * input seen so far (a clip of the configured length never is). */
static void
ensure_capacity (CradleFeatureExtractor *self,
                 gsize                   n)
{
  gsize clip_samples = cradle_analysis_config_clip_samples (&self->config);
  guint frames;
  guint yin_frames;

  if (n <= self->capacity && self->clip != NULL)
    return;

  free_buffers (self);
  self->capacity = MAX (n, clip_samples);
  frames = cradle_stft_n_frames (self->stft, self->capacity);
  yin_frames = cradle_yin_n_frames (self->yin, self->capacity);

  self->clip = g_new0 (float, clip_samples);
  self->power = g_new (float, (gsize) frames * self->n_bins);
  self->mel = g_new (float, (gsize) frames * self->config.n_mels);
  self->mfcc_out = g_new (float, (gsize) frames * self->config.n_mfcc);
  self->delta = g_new (float, (gsize) frames * self->config.n_mfcc);
  self->descriptors = g_new (float, (gsize) N_DESCRIPTORS * MAX (frames, cradle_centered_n_frames (self->capacity, self->config.hop_length)));
  self->spectrum = g_new (float, self->n_bins);
  self->f0 = g_new (float, yin_frames);
  self->voiced = g_new (gboolean, yin_frames);
}

/**
 * cradle_feature_extractor_new:
 * @config: the analysis configuration (copied)
 *
 * Returns: (transfer full) (nullable): a new extractor, or %NULL with @error
 * set when @config is invalid.
 */
CradleFeatureExtractor *
cradle_feature_extractor_new (const CradleAnalysisConfig  *config,
                              GError                     **error)
{
  g_autoptr(CradleFeatureExtractor) self = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cradle_analysis_config_validate (config, error))
    return NULL;

  self = g_new0 (CradleFeatureExtractor, 1);
  self->config = *config;
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);

  self->stft = cradle_stft_new (config->n_fft, config->hop_length, error);
  if (self->stft == NULL)
    return NULL;
  self->n_bins = cradle_stft_get_n_bins (self->stft);

  self->mel_fb = cradle_mel_filterbank_new (config->sample_rate, config->n_fft, config->n_mels,
                                            config->fmin, cradle_analysis_config_get_fmax (config),
                                            error);
  if (self->mel_fb == NULL)
    return NULL;

  self->mfcc = cradle_mfcc_new (config->n_mels, config->n_mfcc, error);
  if (self->mfcc == NULL)
    return NULL;

  self->yin = cradle_yin_new (config->sample_rate, config->yin_frame_length, config->yin_hop_length,
                              config->yin_fmin, config->yin_fmax, config->yin_threshold, error);
  if (self->yin == NULL)
    return NULL;

  build_names (self);
  ensure_capacity (self, cradle_analysis_config_clip_samples (config));

  return g_steal_pointer (&self);
}

void
cradle_feature_extractor_free (CradleFeatureExtractor *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->stft, cradle_stft_free);
  g_clear_pointer (&self->mel_fb, cradle_mel_filterbank_free);
  g_clear_pointer (&self->mfcc, cradle_mfcc_free);
  g_clear_pointer (&self->yin, cradle_yin_free);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->index, g_hash_table_unref);
  free_buffers (self);
  g_free (self);
}

const CradleAnalysisConfig *
cradle_feature_extractor_get_config (const CradleFeatureExtractor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->config;
}

guint
cradle_feature_extractor_n_values (const CradleFeatureExtractor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->names->len;
}

const char *
cradle_feature_extractor_value_name (const CradleFeatureExtractor *self,
                                     guint                         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->names->len, NULL);

  return g_ptr_array_index (self->names, index);
}

int
cradle_feature_extractor_find_value (const CradleFeatureExtractor *self,
                                     const char                   *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (self->index, name)) - 1;
}

/* Mean and population standard deviation of a strided column, in double. */
static void
column_stats (const float *x,
              guint        n,
              guint        stride,
              float       *mean_out,
              float       *std_out)
{
  double sum = 0.0;
  double mean;
  double ss = 0.0;

  if (n == 0)
    {
      *mean_out = 0.0f;
      *std_out = 0.0f;
      return;
    }
  for (guint i = 0; i < n; i++)
    sum += x[(gsize) i * stride];
  mean = sum / n;
  for (guint i = 0; i < n; i++)
    {
      double d = x[(gsize) i * stride] - mean;
      ss += d * d;
    }
  *mean_out = (float) mean;
  *std_out = (float) sqrt (ss / n);
}

/* Computes the dB mel spectrogram of X into self->mel; returns the frames. */
static guint
compute_log_mel (CradleFeatureExtractor *self,
                 const float            *x,
                 gsize                   n)
{
  guint frames = cradle_stft_n_frames (self->stft, n);

  cradle_stft_power (self->stft, x, n, self->power);
  cradle_mel_filterbank_apply (self->mel_fb, self->power, frames, self->mel);
  cradle_power_to_db (self->mel, (gsize) frames * self->config.n_mels, 1.0f, 1e-10f, 80.0f);
  return frames;
}

void
cradle_feature_extractor_clip_vector (CradleFeatureExtractor *self,
                                      const float            *clip,
                                      gsize                   n,
                                      float                  *out)
{
  guint n_mfcc;
  guint frames;
  guint yin_frames;
  guint voiced = 0;
  float *d;
  float *o = out;
  double f0_sum = 0.0;
  double f0_ss = 0.0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (clip != NULL || n == 0);
  g_return_if_fail (out != NULL);

  ensure_capacity (self, n);
  n_mfcc = self->config.n_mfcc;
  d = self->descriptors;

  /* Spectral path: power → mel dB → MFCC → delta; descriptors from power. */
  frames = compute_log_mel (self, clip, n);
  cradle_mfcc_apply (self->mfcc, self->mel, frames, self->mfcc_out);
  if (frames >= DELTA_WIDTH)
    cradle_delta (self->mfcc_out, frames, n_mfcc, DELTA_WIDTH, self->delta);
  else
    memset (self->delta, 0, sizeof (float) * frames * n_mfcc);

  cradle_spectral_descriptors (self->power, frames, self->n_bins, self->config.sample_rate,
                               ROLL_PERCENT, self->spectrum,
                               d + D_CENTROID * frames, d + D_ROLLOFF * frames,
                               d + D_BANDWIDTH * frames, d + D_FLATNESS * frames);
  /* Time-domain descriptors on the STFT's framing (frame n_fft, same hop):
   * cradle_centered_n_frames() equals the STFT's frame count. */
  cradle_zero_crossing_rate (clip, n, self->config.n_fft, self->config.hop_length, d + D_ZCR * frames);
  cradle_rms (clip, n, self->config.n_fft, self->config.hop_length, d + D_RMS * frames);

  /* MFCC and delta: all means, then all standard deviations. */
  for (guint i = 0; i < n_mfcc; i++)
    column_stats (self->mfcc_out + i, frames, n_mfcc, &o[i], &o[n_mfcc + i]);
  o += 2 * n_mfcc;
  for (guint i = 0; i < n_mfcc; i++)
    column_stats (self->delta + i, frames, n_mfcc, &o[i], &o[n_mfcc + i]);
  o += 2 * n_mfcc;
  for (guint k = 0; k < N_DESCRIPTORS; k++)
    {
      column_stats (d + (gsize) k * frames, frames, 1, &o[0], &o[1]);
      o += 2;
    }

  /* F0 over voiced frames. */
  yin_frames = cradle_yin_n_frames (self->yin, n);
  cradle_yin_do (self->yin, clip, n, self->f0, self->voiced);
  for (guint t = 0; t < yin_frames; t++)
    if (self->voiced[t])
      {
        voiced++;
        f0_sum += self->f0[t];
      }
  if (voiced > 0)
    {
      double mean = f0_sum / voiced;

      for (guint t = 0; t < yin_frames; t++)
        if (self->voiced[t])
          f0_ss += (self->f0[t] - mean) * (self->f0[t] - mean);
      o[0] = (float) mean;
      o[1] = (float) sqrt (f0_ss / voiced);
    }
  else
    {
      o[0] = 0.0f;
      o[1] = 0.0f;
    }
  o[2] = yin_frames > 0 ? (float) voiced / yin_frames : 0.0f;
  o += 3;

  g_assert ((guint) (o - out) == self->names->len);
}

gboolean
cradle_feature_extractor_file_vector (CradleFeatureExtractor  *self,
                                      const char              *path,
                                      float                   *out,
                                      double                  *duration,
                                      GError                 **error)
{
  g_autoptr(CradleAudio) audio = NULL;
  gsize clip_samples;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  audio = cradle_audio_load (path, self->config.sample_rate, error);
  if (audio == NULL)
    return FALSE;

  if (duration != NULL)
    *duration = (double) audio->n_samples / audio->sample_rate;

  clip_samples = cradle_analysis_config_clip_samples (&self->config);
  ensure_capacity (self, clip_samples);
  cradle_preprocess_clip (&self->config, audio->samples, audio->n_samples, self->clip);
  cradle_feature_extractor_clip_vector (self, self->clip, clip_samples, out);
  return TRUE;
}

/**
 * cradle_feature_extractor_log_mel:
 *
 * Returns: (transfer full): *@n_frames × n_mels dB values, frame-major.
 */
float *
cradle_feature_extractor_log_mel (CradleFeatureExtractor *self,
                                  const float            *x,
                                  gsize                   n,
                                  guint                  *n_frames)
{
  guint frames;
  float *result;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (n_frames != NULL, NULL);

  ensure_capacity (self, n);
  frames = compute_log_mel (self, x, n);
  result = g_memdup2 (self->mel, sizeof (float) * frames * self->config.n_mels);
  *n_frames = frames;
  return result;
}

double
cradle_feature_extractor_mel_band_hz (const CradleFeatureExtractor *self,
                                      guint                         band)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return cradle_mel_filterbank_band_hz (self->mel_fb, band);
}
