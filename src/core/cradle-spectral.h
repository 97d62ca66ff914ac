/* cradle-spectral.h — per-frame spectral and time-domain descriptors
 *
 * Each matches the librosa 0.10.1 function of the same name with its
 * defaults. Spectral functions take the POWER spectrogram from
 * cradle_stft_power() (n_frames * n_bins, frame-major); those that librosa
 * defines on the magnitude take its square root themselves, into SCRATCH
 * (n_bins floats) — they never allocate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One pass over the power spectrogram that yields all four spectral
 * descriptors per frame (any output may be NULL):
 *  centroid  = sum(f |X|) / sum(|X|)                   (0 for a silent frame)
 *  rolloff   = lowest bin frequency whose cumulative |X| >= roll_percent * total
 *  bandwidth = sqrt(sum(|X|/sum|X| * (f - centroid)^2))
 *  flatness  = geometric mean / arithmetic mean of max(amin=1e-10, |X|^2) */
void cradle_spectral_descriptors (const float *power,
                                  guint        n_frames,
                                  guint        n_bins,
                                  guint        sample_rate,
                                  float        roll_percent,
                                  float       *scratch,
                                  float       *centroid,
                                  float       *rolloff,
                                  float       *bandwidth,
                                  float       *flatness);

/* Number of frames librosa gives for a centred framing: 1 + n / hop. */
guint cradle_centered_n_frames   (gsize n,
                                  guint hop_length);

/* librosa.feature.zero_crossing_rate(center=True): edge padding, threshold
 * 1e-10, sign changes counted between consecutive samples / frame_length. */
void cradle_zero_crossing_rate   (const float *x,
                                  gsize        n,
                                  guint        frame_length,
                                  guint        hop_length,
                                  float       *out);

/* librosa.feature.rms(y, center=True, pad_mode="constant"). */
void cradle_rms                  (const float *x,
                                  gsize        n,
                                  guint        frame_length,
                                  guint        hop_length,
                                  float       *out);

G_END_DECLS
