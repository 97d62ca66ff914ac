/* cradle-mel.h — mel filterbank, power to dB, MFCC and deltas
 *
 * librosa defaults: Slaney mel scale (htk=False) and Slaney area
 * normalisation (norm="slaney"); power_to_db(ref=1.0, amin=1e-10,
 * top_db=80); MFCC = DCT-II (orthonormal) of the dB mel spectrogram;
 * delta = Savitzky–Golay derivative (width 9, mode "interp").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double cradle_hz_to_mel (double hz);   /* Slaney */
double cradle_mel_to_hz (double mel);

typedef struct _CradleMelFilterbank CradleMelFilterbank;

CradleMelFilterbank *cradle_mel_filterbank_new       (guint   sample_rate,
                                                      guint   n_fft,
                                                      guint   n_mels,
                                                      float   fmin,
                                                      float   fmax,
                                                      GError **error);
void                 cradle_mel_filterbank_free      (CradleMelFilterbank *fb);
guint                cradle_mel_filterbank_get_n_mels (const CradleMelFilterbank *fb);
/* Centre frequency of band I in Hz (for axes). */
double               cradle_mel_filterbank_band_hz   (const CradleMelFilterbank *fb,
                                                      guint                      band);
/* POWER: n_frames * (n_fft/2+1); MEL: n_frames * n_mels. Never allocates. */
void                 cradle_mel_filterbank_apply     (const CradleMelFilterbank *fb,
                                                      const float               *power,
                                                      guint                      n_frames,
                                                      float                     *mel);

/* In place: 10 log10(max(amin, x)) - 10 log10(max(amin, ref)), then floored
 * at (max over all N values) - top_db when top_db > 0. */
void   cradle_power_to_db (float *x,
                           gsize  n,
                           float  ref,
                           float  amin,
                           float  top_db);

typedef struct _CradleMfcc CradleMfcc;

CradleMfcc *cradle_mfcc_new   (guint        n_mels,
                               guint        n_mfcc,
                               GError     **error);
void        cradle_mfcc_free  (CradleMfcc  *mfcc);
/* MEL_DB: n_frames * n_mels; OUT: n_frames * n_mfcc. Never allocates. */
void        cradle_mfcc_apply (const CradleMfcc *mfcc,
                               const float      *mel_db,
                               guint             n_frames,
                               float            *out);

/* librosa.feature.delta(width=WIDTH (odd, >= 3), order=1, mode="interp")
 * along time, for every one of N_COEFFS coefficients. X and OUT are
 * n_frames * n_coeffs, frame-major. N_FRAMES must be >= WIDTH. */
void        cradle_delta      (const float *x,
                               guint        n_frames,
                               guint        n_coeffs,
                               guint        width,
                               float       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleMelFilterbank, cradle_mel_filterbank_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleMfcc, cradle_mfcc_free)

G_END_DECLS
