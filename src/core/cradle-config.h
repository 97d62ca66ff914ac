/* cradle-config.h — the one analysis configuration
 *
 * Every feature, cached feature row and model is computed under one
 * CradleAnalysisConfig. Its hash is stored beside them so that inference
 * always runs with the configuration the model was trained with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bumped whenever feature code changes what it computes for the same
 * configuration: it is part of the hash, so caches and models made by older
 * code are recognised as stale. */
#define CRADLE_FEATURE_VERSION 1

#define CRADLE_MFCC_MIN 13
#define CRADLE_MFCC_MAX 40

typedef struct {
  guint  sample_rate;      /* analysis rate in Hz (16000) */
  guint  n_fft;            /* STFT size, a power of two (2048) */
  guint  hop_length;       /* STFT hop in samples (512) */
  guint  n_mels;           /* mel bands (128) */
  guint  n_mfcc;           /* MFCC coefficients, 13..40 (40) */
  float  fmin;             /* lowest mel frequency in Hz (0) */
  float  fmax;             /* highest mel frequency in Hz; 0 means sample_rate / 2 */
  float  clip_seconds;     /* clip length after preprocessing (5.0) */
  float  trim_top_db;      /* silence threshold below peak for trimming (20) */
  float  yin_fmin;         /* YIN search range in Hz (150 .. 1000) */
  float  yin_fmax;
  guint  yin_frame_length; /* YIN frame (1024) */
  guint  yin_hop_length;   /* YIN hop (512) */
  float  yin_threshold;    /* YIN trough threshold (0.1) */
} CradleAnalysisConfig;

void      cradle_analysis_config_init_default (CradleAnalysisConfig       *config);
gboolean  cradle_analysis_config_validate     (const CradleAnalysisConfig *config,
                                               GError                    **error);
float     cradle_analysis_config_get_fmax     (const CradleAnalysisConfig *config);
gsize     cradle_analysis_config_clip_samples (const CradleAnalysisConfig *config);
char     *cradle_analysis_config_to_string    (const CradleAnalysisConfig *config);
char     *cradle_analysis_config_hash         (const CradleAnalysisConfig *config);
gboolean  cradle_analysis_config_equal        (const CradleAnalysisConfig *a,
                                               const CradleAnalysisConfig *b);

G_END_DECLS
