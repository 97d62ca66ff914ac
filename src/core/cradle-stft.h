/* cradle-stft.h — centred short-time Fourier transform on FFTW3 (float r2c)
 *
 * Matches librosa.stft(center=True, pad_mode="constant", window="hann"):
 * the signal is zero-padded by n_fft/2 on both sides, frame t starts at
 * t * hop in the padded signal, the window is the periodic Hann window.
 * Plans are made once per object, under a global mutex (FFTW's planner is
 * not thread-safe); cradle_stft_power() never allocates.
 *
 * Layout of every time-frequency matrix in Cradle: frame-major,
 * m[frame * n_bins + bin].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CradleStft CradleStft;

/* Periodic analysis windows (scipy.signal.get_window (…, fftbins=True)). */
typedef enum {
  CRADLE_STFT_WINDOW_HANN,
  CRADLE_STFT_WINDOW_HAMMING,
  CRADLE_STFT_WINDOW_BLACKMAN,
} CradleStftWindow;

/* "hann", "hamming", "blackman", any case; FALSE for any other name. */
gboolean    cradle_stft_window_from_string (const char       *name,
                                            CradleStftWindow *window);
const char *cradle_stft_window_to_string   (CradleStftWindow  window);

/* A Hann STFT. */
CradleStft *cradle_stft_new        (guint        n_fft,
                                    guint        hop_length,
                                    GError     **error);
CradleStft *cradle_stft_new_with_window (guint             n_fft,
                                         guint             hop_length,
                                         CradleStftWindow  window,
                                         GError          **error);
/* Sum of the window's coefficients: a full-scale sine centred on a bin has
 * power (sum / 2)^2 there. */
double      cradle_stft_get_window_sum (const CradleStft *stft);
void        cradle_stft_free       (CradleStft  *stft);
guint       cradle_stft_get_n_fft  (const CradleStft *stft);
guint       cradle_stft_get_hop    (const CradleStft *stft);
guint       cradle_stft_get_n_bins (const CradleStft *stft);   /* n_fft / 2 + 1 */
/* 1 + n / hop (librosa, centred) */
guint       cradle_stft_n_frames   (const CradleStft *stft,
                                    gsize             n_samples);

/* |X|^2 for every frame: POWER holds n_frames * n_bins floats. */
void        cradle_stft_power      (CradleStft  *stft,
                                    const float *x,
                                    gsize        n,
                                    float       *power);

/* Frames FIRST_FRAME .. FIRST_FRAME + N_FRAMES - 1 of the STFT of the whole
 * signal X (N samples): the same values as those rows of
 * cradle_stft_power (X, N), so a long signal can be analysed in pieces on
 * several threads (one CradleStft each). Frames past the last one are
 * programmer errors. POWER holds N_FRAMES * n_bins floats. Never allocates. */
void        cradle_stft_power_frames (CradleStft  *stft,
                                      const float *x,
                                      gsize        n,
                                      guint64      first_frame,
                                      guint        n_frames,
                                      float       *power);

/* Runs the FFTW planner under the global mutex. Exposed for other modules
 * that make their own plans (YIN). */
void        cradle_fftw_lock       (void);
void        cradle_fftw_unlock     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleStft, cradle_stft_free)

G_END_DECLS
