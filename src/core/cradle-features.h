/* cradle-features.h — the clip feature vector
 *
 * One extractor per thread: it owns the FFT plans and scratch buffers, so
 * extracting features allocates nothing. The clip vector is, for every
 * per-frame descriptor, its mean and (population) standard deviation over
 * time, each value with a stable name:
 *
 *   mfcc_NN_{mean,std}        NN = 00 .. n_mfcc-1   (the guide's 80 values)
 *   mfcc_delta_NN_{mean,std}
 *   centroid_{mean,std}  rolloff_{mean,std}  zcr_{mean,std}  rms_{mean,std}
 *                                                   (the guide's other 8)
 *   bandwidth_{mean,std}  flatness_{mean,std}
 *   f0_{mean,std}             over voiced frames (0 when none)
 *   voiced_ratio              fraction of YIN frames that are voiced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-config.h"

G_BEGIN_DECLS

typedef struct _CradleFeatureExtractor CradleFeatureExtractor;

CradleFeatureExtractor *cradle_feature_extractor_new        (const CradleAnalysisConfig *config,
                                                             GError                    **error);
void                    cradle_feature_extractor_free       (CradleFeatureExtractor     *self);
const CradleAnalysisConfig *
                        cradle_feature_extractor_get_config (const CradleFeatureExtractor *self);

guint                   cradle_feature_extractor_n_values   (const CradleFeatureExtractor *self);
const char             *cradle_feature_extractor_value_name (const CradleFeatureExtractor *self,
                                                             guint                         index);
/* Index of NAME, or -1. */
int                     cradle_feature_extractor_find_value (const CradleFeatureExtractor *self,
                                                             const char                   *name);

/* The clip vector of CLIP (already preprocessed: analysis rate, fixed
 * length). OUT holds n_values floats. Never allocates. */
void                    cradle_feature_extractor_clip_vector (CradleFeatureExtractor *self,
                                                              const float            *clip,
                                                              gsize                   n,
                                                              float                  *out);

/* Load PATH, resample to the analysis rate, preprocess, extract. DURATION
 * (nullable) receives the file's length in seconds before preprocessing. */
gboolean                cradle_feature_extractor_file_vector (CradleFeatureExtractor *self,
                                                              const char             *path,
                                                              float                  *out,
                                                              double                 *duration,
                                                              GError                **error);

/* The log-mel spectrogram (power_to_db, ref 1, top_db 80) of X as drawn by
 * the spectrogram view and fed to the CNN: a new array of *N_FRAMES * n_mels
 * floats, frame-major (g_free). */
float                  *cradle_feature_extractor_log_mel     (CradleFeatureExtractor *self,
                                                              const float            *x,
                                                              gsize                   n,
                                                              guint                  *n_frames);

/* Centre frequency (Hz) of mel band BAND. */
double                  cradle_feature_extractor_mel_band_hz (const CradleFeatureExtractor *self,
                                                              guint                         band);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleFeatureExtractor, cradle_feature_extractor_free)

G_END_DECLS
