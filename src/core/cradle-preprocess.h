/* cradle-preprocess.h — clip preprocessing as the guide does it
 *
 * trim leading/trailing silence (librosa.effects.trim), peak-normalise,
 * centre-trim or zero-pad to a fixed length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-config.h"

G_BEGIN_DECLS

/* librosa.effects.trim (top_db, ref=np.max, frame_length, hop_length): frames
 * whose RMS (centred, zero-padded) is more than TOP_DB below the loudest
 * frame are silent; [*START, *END) is the kept sample range. An all-silent
 * signal gives 0, 0. */
void   cradle_trim_silence          (const float *x,
                                     gsize        n,
                                     float        top_db,
                                     guint        frame_length,
                                     guint        hop_length,
                                     gsize       *start,
                                     gsize       *end);

/* Scales X so that its largest magnitude is 1. A silent signal is left as it is. */
void   cradle_peak_normalize        (float       *x,
                                     gsize        n);

/* Copies the centre TARGET samples of X into OUT, or X centred between zeros
 * when it is shorter (the extra zero goes after). */
void   cradle_fix_length_centered   (const float *x,
                                     gsize        n,
                                     float       *out,
                                     gsize        target);

/* The whole chain under CONFIG: trim (frame n_fft, hop hop_length), normalise,
 * fix to cradle_analysis_config_clip_samples(). OUT has that many samples. */
void   cradle_preprocess_clip       (const CradleAnalysisConfig *config,
                                     const float                *x,
                                     gsize                       n,
                                     float                      *out);

G_END_DECLS
