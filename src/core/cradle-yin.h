/* cradle-yin.h — fundamental frequency by YIN (librosa.yin)
 *
 * Centred, zero-padded frames of frame_length; difference function over
 * the first frame_length/2 samples; cumulative mean normalised difference;
 * first trough below threshold, else the global minimum; parabolic
 * interpolation. VOICED tells whether a trough below the threshold existed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CradleYin CradleYin;

CradleYin *cradle_yin_new      (guint        sample_rate,
                                guint        frame_length,
                                guint        hop_length,
                                float        fmin,
                                float        fmax,
                                float        threshold,
                                GError     **error);
void       cradle_yin_free     (CradleYin   *yin);
guint      cradle_yin_n_frames (const CradleYin *yin,
                                gsize            n_samples);
/* F0 in Hz per frame; VOICED (nullable) per frame. Never allocates. */
void       cradle_yin_do       (CradleYin   *yin,
                                const float *x,
                                gsize        n,
                                float       *f0,
                                gboolean    *voiced);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleYin, cradle_yin_free)

G_END_DECLS
