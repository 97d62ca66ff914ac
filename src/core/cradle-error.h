/* cradle-error.h — error domains of the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CRADLE_AUDIO_ERROR:
 *
 * Errors from reading, resampling and writing audio. Every message names the
 * file (when there is one) and what was wrong with it.
 */
#define CRADLE_AUDIO_ERROR (cradle_audio_error_quark ())

typedef enum {
  CRADLE_AUDIO_ERROR_NOT_FOUND,   /* the file does not exist */
  CRADLE_AUDIO_ERROR_UNREADABLE,  /* permission denied, a directory, I/O error */
  CRADLE_AUDIO_ERROR_FORMAT,      /* not audio, or a format libsndfile cannot decode */
  CRADLE_AUDIO_ERROR_EMPTY,       /* zero frames */
  CRADLE_AUDIO_ERROR_INVALID,     /* absurd sample rate or channel count, truncated data */
  CRADLE_AUDIO_ERROR_TOO_LARGE,   /* longer than CRADLE_AUDIO_MAX_FRAMES */
  CRADLE_AUDIO_ERROR_RESAMPLE,    /* libsoxr failed */
  CRADLE_AUDIO_ERROR_WRITE,       /* the output could not be written */
} CradleAudioError;

/**
 * CRADLE_FEATURE_ERROR:
 *
 * Errors from the analysis configuration and the feature extractor.
 */
#define CRADLE_FEATURE_ERROR (cradle_feature_error_quark ())

typedef enum {
  CRADLE_FEATURE_ERROR_INVALID_CONFIG, /* a field of CradleAnalysisConfig is out of range */
  CRADLE_FEATURE_ERROR_TOO_SHORT,      /* the signal is too short for the analysis */
  CRADLE_FEATURE_ERROR_FFT,            /* FFTW could not make a plan */
} CradleFeatureError;

GQuark cradle_audio_error_quark (void);
GQuark cradle_feature_error_quark (void);

G_END_DECLS
