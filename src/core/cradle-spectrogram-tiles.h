/* cradle-spectrogram-tiles.h — the dB spectrogram of a long signal, in
 * tiles computed on worker threads and kept in a bounded cache
 *
 * A viewer of an hour-long recording cannot hold its whole spectrogram
 * (225 000 frames × 513 bins at 16 kHz, FFT 1024, hop 256: 460 MB) nor wait
 * for it. It asks for the columns it shows; this module computes them.
 *
 * - CradleSpectrogramComputer computes dB columns for any column range of
 *   a float signal: the centred STFT (cradle_stft_power_frames(), any
 *   window), optionally a mel filterbank, then 10 log10 (max (1e-10, p))
 *   relative to a full-scale sine (0 dB is the peak bin of a sine of
 *   amplitude 1 with the analysis window; the mel filterbank's Slaney
 *   weights lower mel bands below that). A column at DECIMATION d is the
 *   maximum of frames c·d … c·d + d − 1, so a zoomed-out view loses no short
 *   event. One computer per thread; never allocates while computing.
 * - CradleSpectrogramTiles cuts the column axis of each decimation level
 *   (d = 2^level) into tiles of CRADLE_SPECTROGRAM_TILE_COLUMNS columns,
 *   computes requested tiles on a GThreadPool (the most recently requested
 *   first) and keeps them in an LRU cache under a memory limit. Copying a
 *   range never waits: missing columns come back as NaN, their tiles are
 *   queued, and the ready function is called (on a worker thread) as each
 *   one lands.
 *
 * The values do not depend on how the signal is cut: a tile equals the
 * same rows of the whole-signal STFT (tests/test-spectrogram-tiles.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-stft.h"

G_BEGIN_DECLS

#define CRADLE_SPECTROGRAM_TILE_COLUMNS 256
/* Levels 0 .. MAX_LEVEL: up to 2^20 frames per column. */
#define CRADLE_SPECTROGRAM_MAX_LEVEL    20
/* Powers below this are drawn at this (−100 dB re 1). */
#define CRADLE_SPECTROGRAM_AMIN         1e-10f

/**
 * CradleSpectrogramParams:
 * @sample_rate: of the signal, Hz
 * @n_fft: FFT size, even, 16 .. 65536
 * @hop: samples between frames, 1 .. @n_fft
 * @window: analysis window
 * @n_mels: mel bands, or 0 for the STFT's n_fft / 2 + 1 linear bins
 * @fmin: lowest mel frequency (mel bands only)
 * @fmax: highest mel frequency; 0 means the Nyquist frequency
 */
typedef struct {
  guint             sample_rate;
  guint             n_fft;
  guint             hop;
  CradleStftWindow  window;
  guint             n_mels;
  float             fmin;
  float             fmax;
} CradleSpectrogramParams;

/* FFT 1024, hop 256, Hann, linear bins. */
void      cradle_spectrogram_params_init     (CradleSpectrogramParams       *params,
                                              guint                          sample_rate);
/* Frames of a centred STFT of N_SAMPLES: 1 + n_samples / hop. */
guint64   cradle_spectrogram_params_n_frames (const CradleSpectrogramParams *params,
                                              gsize                          n_samples);

typedef struct _CradleSpectrogramComputer CradleSpectrogramComputer;

/* CRADLE_FEATURE_ERROR_INVALID_CONFIG for a bad field, naming it. */
CradleSpectrogramComputer *cradle_spectrogram_computer_new     (const CradleSpectrogramParams *params,
                                                                GError                       **error);
void                       cradle_spectrogram_computer_free    (CradleSpectrogramComputer     *self);
guint                      cradle_spectrogram_computer_get_n_bands (const CradleSpectrogramComputer *self);
/* Centre frequency of band I in Hz. */
double                     cradle_spectrogram_computer_band_hz (const CradleSpectrogramComputer *self,
                                                                guint                            band);
/* DB: N_COLUMNS × n_bands, frame-major. Columns FIRST_COLUMN … of the
 * signal X (N samples) at DECIMATION frames per column (≥ 1); a column
 * past the last frame is NaN, the last one may cover fewer frames. */
void                       cradle_spectrogram_computer_do      (CradleSpectrogramComputer     *self,
                                                                const float                   *x,
                                                                gsize                          n,
                                                                guint64                        first_column,
                                                                guint                          n_columns,
                                                                guint                          decimation,
                                                                float                         *db);

/* Min and max of X over N_BUCKETS equal spans (a waveform overview):
 * MINS and MAXS hold N_BUCKETS values; an empty span repeats its
 * neighbour's sample. */
void                       cradle_waveform_peaks               (const float                   *x,
                                                                gsize                          n,
                                                                guint                          n_buckets,
                                                                float                         *mins,
                                                                float                         *maxs);

typedef struct _CradleSpectrogramTiles CradleSpectrogramTiles;

/* Called on a worker thread when tile INDEX of LEVEL is in the cache. */
typedef void (*CradleSpectrogramTileFunc) (guint    level,
                                           guint64  index,
                                           gpointer user_data);

/* SIGNAL: mono float samples at params->sample_rate (kept, not copied).
 * N_THREADS workers (≥ 1); MEMORY_LIMIT bytes of cached tiles (the tiles
 * of one copy are kept even beyond it until the next copy). READY
 * (nullable) is called on a worker thread. */
CradleSpectrogramTiles *cradle_spectrogram_tiles_new        (const CradleSpectrogramParams *params,
                                                             GBytes                        *signal,
                                                             guint                          n_threads,
                                                             gsize                          memory_limit,
                                                             CradleSpectrogramTileFunc      ready,
                                                             gpointer                       user_data,
                                                             GError                       **error);
/* Drops queued work, waits for running tiles. READY is not called after. */
void                    cradle_spectrogram_tiles_free       (CradleSpectrogramTiles        *self);
const CradleSpectrogramParams *
                        cradle_spectrogram_tiles_get_params (CradleSpectrogramTiles        *self);
guint                   cradle_spectrogram_tiles_get_n_bands (CradleSpectrogramTiles       *self);
/* n_bands ascending centre frequencies (transfer none). */
const double           *cradle_spectrogram_tiles_get_band_hz (CradleSpectrogramTiles       *self);
guint64                 cradle_spectrogram_tiles_get_n_frames (CradleSpectrogramTiles      *self);
/* ceil (n_frames / 2^LEVEL) */
guint64                 cradle_spectrogram_tiles_n_columns  (CradleSpectrogramTiles        *self,
                                                             guint                          level);
/* Copies columns FIRST … FIRST + N_COLUMNS − 1 of LEVEL into OUT
 * (N_COLUMNS × n_bands). Columns whose tile is not computed yet (or lie past
 * the end) are NaN; with REQUEST their tiles are queued, ahead of older
 * requests. Returns the number of NaN columns. Never waits for a worker. */
guint64                 cradle_spectrogram_tiles_copy       (CradleSpectrogramTiles        *self,
                                                             guint                          level,
                                                             guint64                        first,
                                                             guint                          n_columns,
                                                             gboolean                       request,
                                                             float                         *out);
/* Bytes of tile data in the cache now, and the most it ever held. */
gsize                   cradle_spectrogram_tiles_get_memory (CradleSpectrogramTiles        *self,
                                                             gsize                         *peak);
/* Tiles queued or being computed. */
guint                   cradle_spectrogram_tiles_get_pending (CradleSpectrogramTiles       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleSpectrogramComputer, cradle_spectrogram_computer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleSpectrogramTiles, cradle_spectrogram_tiles_free)

G_END_DECLS
