/* cradle-waveform-view.h — a peak-envelope waveform
 *
 * Draws a mirrored envelope (peak |x| per 1/100 s, as CradleRecorder
 * gives it) in the theme's foreground colour. While recording it follows
 * the end of the envelope and shows the last few seconds; for a finished
 * clip it fits the whole envelope to the width. The pre-roll — audio from
 * before Record was pressed — is drawn dimmer, with a line where Record was
 * pressed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_WAVEFORM_VIEW (cradle_waveform_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleWaveformView, cradle_waveform_view, CRADLE, WAVEFORM_VIEW, GtkWidget)

/* Seconds shown while following a recording. */
#define CRADLE_WAVEFORM_VIEW_FOLLOW_SECONDS 10.0

GtkWidget *cradle_waveform_view_new          (void);
/* Copies N envelope values at RATE per second. The first PREROLL values
 * are the pre-roll. FOLLOW: show the last seconds rather than all. */
void       cradle_waveform_view_set_envelope (CradleWaveformView *self,
                                              const float        *envelope,
                                              gsize               n,
                                              guint               rate,
                                              gsize               preroll,
                                              gboolean            follow);
/* Computes the envelope of SAMPLES at SAMPLE_RATE and shows all of it. */
void       cradle_waveform_view_set_samples  (CradleWaveformView *self,
                                              const float        *samples,
                                              gsize               n_samples,
                                              guint               sample_rate,
                                              double              preroll_seconds);
void       cradle_waveform_view_clear        (CradleWaveformView *self);
gsize      cradle_waveform_view_get_n_values (CradleWaveformView *self);

G_END_DECLS
