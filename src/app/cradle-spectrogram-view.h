/* cradle-spectrogram-view.h — the zoomable spectrogram plot
 *
 * Draws the dB columns of a CradleSpectrogramTiles with the same code as
 * `cradle-cli spectrogram` (cradle_spectrogram_render_image () for the
 * image, cradle_spectrogram_render () for the rulers and colour bar), plus
 * the cursor, the playhead, the selection, segments and the F0 track.
 *
 * The image of the visible range and half a view either side is built on
 * a worker thread and kept as a texture; scrolling and zooming move and
 * scale that texture until the next one is ready, so a frame never waits
 * for tiles or image building. Rulers are a cached render node rebuilt when
 * the view moves; cursors and the playhead are drawn fresh each frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cradle-axis.h"
#include "cradle-colormap.h"
#include "cradle-dataset.h"
#include "cradle-spectrogram-render.h"
#include "cradle-spectrogram-tiles.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_SPECTROGRAM_VIEW (cradle_spectrogram_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleSpectrogramView, cradle_spectrogram_view, CRADLE, SPECTROGRAM_VIEW, GtkWidget)

GtkWidget     *cradle_spectrogram_view_new            (void);

/* Worker threads and the tile cache's memory limit. */
#define CRADLE_SPECTROGRAM_VIEW_THREADS     2
#define CRADLE_SPECTROGRAM_VIEW_CACHE_BYTES ((gsize) 64 << 20)

/* Shows SIGNAL (mono float samples at params->sample_rate; NULL clears)
 * analysed with PARAMS: a new tile cache, the whole recording's range
 * forgotten (set the view next). */
gboolean       cradle_spectrogram_view_set_signal     (CradleSpectrogramView         *self,
                                                       const CradleSpectrogramParams *params,
                                                       GBytes                        *signal,
                                                       GError                       **error);
/* (transfer none) (nullable) */
CradleSpectrogramTiles *
               cradle_spectrogram_view_get_tiles      (CradleSpectrogramView *self);
double         cradle_spectrogram_view_get_duration   (CradleSpectrogramView *self);

void           cradle_spectrogram_view_set_colormap   (CradleSpectrogramView *self,
                                                       CradleColormap         colormap);
void           cradle_spectrogram_view_set_freq_scale (CradleSpectrogramView *self,
                                                       CradleFreqScale        scale);
/* dB from the bottom colour to the top one; GAIN raises the picture (the
 * top colour is at −GAIN dB re full scale). */
void           cradle_spectrogram_view_set_levels     (CradleSpectrogramView *self,
                                                       double                 db_range,
                                                       double                 gain);
/* F0 in Hz per frame (transfer full; 0 or NaN where unvoiced), N_FRAMES,
 * SECONDS_PER_FRAME; NULL hides the track. */
void           cradle_spectrogram_view_set_f0         (CradleSpectrogramView *self,
                                                       float                 *f0,
                                                       guint                  n_frames,
                                                       double                 seconds_per_frame);

/* The visible time range ("view-start", "view-span" notify). */
void           cradle_spectrogram_view_set_view       (CradleSpectrogramView *self,
                                                       double                 start,
                                                       double                 span);
double         cradle_spectrogram_view_get_view_start (CradleSpectrogramView *self);
double         cradle_spectrogram_view_get_view_span  (CradleSpectrogramView *self);
/* Multiplies the span by 1 / FACTOR around time AT (NAN: the centre). */
void           cradle_spectrogram_view_zoom           (CradleSpectrogramView *self,
                                                       double                 factor,
                                                       double                 at);
/* Lower 0, upper the duration, page size the span, value the start. */
GtkAdjustment *cradle_spectrogram_view_get_adjustment (CradleSpectrogramView *self);

/* The cursor ("cursor" notify), in seconds. */
void           cradle_spectrogram_view_set_cursor     (CradleSpectrogramView *self,
                                                       double                 seconds);
double         cradle_spectrogram_view_get_cursor     (CradleSpectrogramView *self);
/* The playhead; NAN hides it. */
void           cradle_spectrogram_view_set_playhead   (CradleSpectrogramView *self,
                                                       double                 seconds);
double         cradle_spectrogram_view_get_playhead   (CradleSpectrogramView *self);
/* The selection ("selection-changed"); FALSE when there is none. */
gboolean       cradle_spectrogram_view_get_selection  (CradleSpectrogramView *self,
                                                       double                *start,
                                                       double                *end);
void           cradle_spectrogram_view_set_selection  (CradleSpectrogramView *self,
                                                       double                 start,
                                                       double                 end);
void           cradle_spectrogram_view_clear_selection (CradleSpectrogramView *self);

/* SEGMENTS (element-type CradleSegment; the view keeps a reference).
 * Dragging an edge changes the array in place and emits
 * "segments-edited"; clicking one emits "segment-activated" (index). */
void           cradle_spectrogram_view_set_segments   (CradleSpectrogramView *self,
                                                       GPtrArray             *segments);
GPtrArray     *cradle_spectrogram_view_get_segments   (CradleSpectrogramView *self);
int            cradle_spectrogram_view_get_active_segment (CradleSpectrogramView *self);
void           cradle_spectrogram_view_set_active_segment (CradleSpectrogramView *self,
                                                           int                    index);
/* Where time range START..END lies in widget coordinates (the plot's
 * height), for pointing a popover at it. */
void           cradle_spectrogram_view_range_rect     (CradleSpectrogramView *self,
                                                       double                 start,
                                                       double                 end,
                                                       GdkRectangle          *rect);

/* Read-outs. The dB value at SECONDS / HZ from the cached tiles (FALSE
 * while its tile is not computed yet). */
gboolean       cradle_spectrogram_view_value_at       (CradleSpectrogramView *self,
                                                       double                 seconds,
                                                       double                 hz,
                                                       float                 *db);
/* Widget coordinates → time and frequency (FALSE outside the plot). */
gboolean       cradle_spectrogram_view_point_to_time_hz (CradleSpectrogramView *self,
                                                         double                 x,
                                                         double                 y,
                                                         double                *seconds,
                                                         double                *hz);
void           cradle_spectrogram_view_time_hz_to_point (CradleSpectrogramView *self,
                                                         double                 seconds,
                                                         double                 hz,
                                                         double                *x,
                                                         double                *y);
/* "1.250 s · 1 kHz · −12.3 dB" for the pointer position ("readout" notify). */
const char    *cradle_spectrogram_view_get_readout    (CradleSpectrogramView *self);
void           cradle_spectrogram_view_update_readout (CradleSpectrogramView *self,
                                                       double                 x,
                                                       double                 y);

/* TRUE when the image on screen covers the visible range, at its
 * resolution, with every tile computed ("image-ready" notify). */
gboolean       cradle_spectrogram_view_is_image_ready (CradleSpectrogramView *self);

/* The style the view draws with (for export): colours from the theme,
 * levels, scale, the visible range. */
void           cradle_spectrogram_view_get_style      (CradleSpectrogramView  *self,
                                                       CradleSpectrogramStyle *style);

/* Microseconds the last snapshot took (benchmarks). */
gint64         cradle_spectrogram_view_get_snapshot_time (CradleSpectrogramView *self);

G_END_DECLS
