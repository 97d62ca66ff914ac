/* cradle-live-spectrogram.h — the Monitor page's scrolling spectrogram
 *
 * Draws the last few seconds of log-mel columns that CradleMonitor computes
 * in its worker (the widget never computes features), newest at the right,
 * with the smoothed cry probability over it and the alert threshold as a
 * dashed line. The columns are kept in a cached image used as a ring: a new
 * column is written into one pixel column, and drawing shifts the image so
 * that it scrolls; nothing else is redrawn per column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_LIVE_SPECTROGRAM (cradle_live_spectrogram_get_type ())

G_DECLARE_FINAL_TYPE (CradleLiveSpectrogram, cradle_live_spectrogram, CRADLE, LIVE_SPECTROGRAM, GtkWidget)

GtkWidget *cradle_live_spectrogram_new              (void);
/* Forgets every column and probability (a new monitoring run). */
void       cradle_live_spectrogram_reset            (CradleLiveSpectrogram *self);
/* N_COLUMNS columns of N_BANDS dB values (column-major) from stream
 * seconds TIME, COLUMN_SECONDS apart; BAND_HZ[b] is band b's centre. */
void       cradle_live_spectrogram_add_columns      (CradleLiveSpectrogram *self,
                                                     double                 time,
                                                     const float           *columns,
                                                     guint                  n_columns,
                                                     guint                  n_bands,
                                                     double                 column_seconds,
                                                     const float           *band_hz);
/* The detector's P(cry) and its EMA at stream seconds TIME. */
void       cradle_live_spectrogram_add_probability  (CradleLiveSpectrogram *self,
                                                     double                 time,
                                                     float                  p_cry,
                                                     float                  ema);
void       cradle_live_spectrogram_set_threshold    (CradleLiveSpectrogram *self,
                                                     double                 threshold);
double     cradle_live_spectrogram_get_threshold    (CradleLiveSpectrogram *self);
/* Columns received since the last reset. */
guint64    cradle_live_spectrogram_get_n_columns    (CradleLiveSpectrogram *self);

G_END_DECLS
