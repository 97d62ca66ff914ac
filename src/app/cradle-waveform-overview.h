/* cradle-waveform-overview.h — the whole recording's waveform with the
 * spectrogram's visible range; dragging the range scrolls
 *
 * The min/max peaks come from cradle_waveform_peaks () on the decoding
 * worker; the waveform is drawn once per size into a cached render node,
 * the visible range fresh each frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_WAVEFORM_OVERVIEW (cradle_waveform_overview_get_type ())

G_DECLARE_FINAL_TYPE (CradleWaveformOverview, cradle_waveform_overview, CRADLE, WAVEFORM_OVERVIEW, GtkWidget)

GtkWidget *cradle_waveform_overview_new       (void);
/* MINS and MAXS: N_BUCKETS peaks over DURATION seconds (copied); NULL clears. */
void       cradle_waveform_overview_set_peaks (CradleWaveformOverview *self,
                                               const float            *mins,
                                               const float            *maxs,
                                               guint                   n_buckets,
                                               double                  duration);
/* The highlighted range. */
void       cradle_waveform_overview_set_range (CradleWaveformOverview *self,
                                               double                  start,
                                               double                  span);
/* Time at widget X. */
double     cradle_waveform_overview_x_to_time (CradleWaveformOverview *self,
                                               double                  x);

G_END_DECLS
