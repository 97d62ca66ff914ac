/* cradle-spectrogram-view.c — the zoomable spectrogram plot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cradle-spectrogram-render.h"
#include "cradle-spectrogram-view.h"

/* The shortest and longest visible spans. */
#define MIN_SPAN_SECONDS   0.05
/* Pixels from a segment edge that grab it. */
#define EDGE_GRAB          5.0
/* The cached image covers this many view widths either side. */
#define IMAGE_MARGIN       0.5
#define MAX_TEXTURE_SIDE   8192

/* How a tile worker reaches the view: through an idle on the main context
 * that holds this (atomically counted), never a strong reference taken on
 * a worker thread (whose unref could finalise the widget there). */
typedef struct {
  GWeakRef view;
} Notifier;

static void
notifier_clear (gpointer data)
{
  Notifier *notifier = data;

  g_weak_ref_clear (&notifier->view);
}

static void
notifier_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, notifier_clear);
}

/* TILES with an atomic reference count, so that an image job on a worker
 * thread keeps them alive while the view moves on to other tiles (the last
 * release may happen on that thread). */
typedef struct {
  CradleSpectrogramTiles *tiles;
  Notifier               *notifier;   /* the tiles' ready function's data */
} TilesRef;

static void
tiles_ref_clear (gpointer data)
{
  TilesRef *ref = data;

  /* Waits for running workers: no ready call comes after. */
  cradle_spectrogram_tiles_free (ref->tiles);
  notifier_release (ref->notifier);
}

/* What an image job builds, and what it built. */
typedef struct {
  TilesRef               *tiles;
  guint                   level;
  guint64                 first;
  guint                   n_columns;
  double                  t0;
  double                  t1;
  int                     width_px;
  int                     height_px;
  CradleSpectrogramStyle  style;
  guint                   serial;
  /* results */
  GdkTexture             *texture;
  cairo_surface_t        *surface;    /* the same pixels */
  guint64                 missing;
} ImageJob;

static void
image_job_free (gpointer data)
{
  ImageJob *job = data;

  g_atomic_rc_box_release_full (job->tiles, tiles_ref_clear);
  g_clear_object (&job->texture);
  g_clear_pointer (&job->surface, cairo_surface_destroy);
  g_free (job);
}

struct _CradleSpectrogramView
{
  GtkWidget       parent_instance;

  TilesRef       *tiles;
  double          duration;
  double          seconds_per_frame;   /* at level 0 */
  guint           n_bands;
  double          nyquist;

  CradleColormap  colormap;
  CradleFreqScale freq_scale;
  double          db_range;
  double          gain;
  guint           settings_serial;     /* bumped on any change the image depends on */
  guint           tiles_serial;        /* bumped when tiles land */

  float          *f0;
  guint           n_f0;
  double          f0_seconds_per_frame;

  double          view_start;
  double          view_span;
  GtkAdjustment  *adjustment;
  gboolean        updating_adjustment;

  double          cursor;
  double          playhead;
  gboolean        has_selection;
  double          sel_start;
  double          sel_end;
  GPtrArray      *segments;
  int             active_segment;

  /* The image on screen. */
  GdkTexture     *image;
  cairo_surface_t *image_surface;
  double          image_t0;
  double          image_t1;
  int             image_height_px;
  double          image_px_per_second;
  guint           image_settings_serial;
  guint           image_tiles_serial;
  guint64         image_missing;
  gboolean        image_ready;
  GCancellable   *job_cancellable;
  gboolean        job_running;

  /* Rulers and colour bar, for one size and view. */
  GskRenderNode  *decor;
  GskRenderNode  *time_decor;
  gint64          snapshot_us;
  int             decor_width;
  int             decor_height;
  double          decor_start;
  double          decor_span;
  guint           decor_serial;
  gboolean        dark;

  /* Interaction. */
  int             drag_mode;           /* DragMode */
  double          drag_origin_time;
  double          drag_x;
  double          drag_y;
  int             drag_segment;
  gboolean        drag_moved;
  double          zoom_span_at_begin;
  char           *readout;
};

typedef enum {
  DRAG_NONE,
  DRAG_SELECT,
  DRAG_SEGMENT_START,
  DRAG_SEGMENT_END,
} DragMode;

G_DEFINE_FINAL_TYPE (CradleSpectrogramView, cradle_spectrogram_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEW_START,
  PROP_VIEW_SPAN,
  PROP_CURSOR,
  PROP_READOUT,
  PROP_IMAGE_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECTION_CHANGED,
  SEGMENT_ACTIVATED,
  SEGMENTS_EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void request_image (CradleSpectrogramView *self);

/* ---- Geometry ----------------------------------------------------------- */

/* A stand-in for the data when only the rulers are drawn: its single
 * column lies far outside any visible range, so the image part is
 * transparent. */
static void
decor_data (CradleSpectrogramView *self,
            CradleSpectrogramData *data,
            double                 band_hz[2])
{
  static const float values[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

  band_hz[0] = 0.0;
  band_hz[1] = self->nyquist > 0.0 ? self->nyquist : 8000.0;
  *data = (CradleSpectrogramData) {
    .values = values,
    .n_frames = 2,
    .n_bands = 2,
    .seconds_per_frame = 1.0,
    .start_time = -1e12,
    .band_hz = band_hz,
    .fmin = 0.0,
    .fmax = band_hz[1],
  };
}

void
cradle_spectrogram_view_get_style (CradleSpectrogramView  *self,
                                   CradleSpectrogramStyle *style)
{
  GdkRGBA fg;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  cradle_spectrogram_style_init (style);
  style->colormap = self->colormap;
  style->freq_scale = self->freq_scale;
  style->db_top = -self->gain;
  style->db_range = self->db_range;
  style->time_start = self->view_start;
  style->time_end = self->view_start + self->view_span;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  style->foreground = (CradleRGBA) { fg.red, fg.green, fg.blue, fg.alpha };
  style->background = (CradleRGBA) { 0, 0, 0, 0 };
  style->pango_context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  style->pixel_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
compute_layout (CradleSpectrogramView   *self,
                CradleSpectrogramLayout *layout)
{
  CradleSpectrogramStyle style;
  CradleSpectrogramData data;
  double band_hz[2];

  decor_data (self, &data, band_hz);
  cradle_spectrogram_view_get_style (self, &style);
  cradle_spectrogram_layout_compute (layout, gtk_widget_get_width (GTK_WIDGET (self)),
                                     gtk_widget_get_height (GTK_WIDGET (self)), &data, &style);
}

gboolean
cradle_spectrogram_view_point_to_time_hz (CradleSpectrogramView *self,
                                          double                 x,
                                          double                 y,
                                          double                *seconds,
                                          double                *hz)
{
  CradleSpectrogramLayout layout;

  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), FALSE);

  compute_layout (self, &layout);
  if (seconds != NULL)
    *seconds = cradle_spectrogram_layout_x_to_time (&layout, x);
  if (hz != NULL)
    *hz = cradle_spectrogram_layout_y_to_hz (&layout, y);
  return cradle_spectrogram_layout_in_plot (&layout, x, y);
}

void
cradle_spectrogram_view_time_hz_to_point (CradleSpectrogramView *self,
                                          double                 seconds,
                                          double                 hz,
                                          double                *x,
                                          double                *y)
{
  CradleSpectrogramLayout layout;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  compute_layout (self, &layout);
  if (x != NULL)
    *x = cradle_spectrogram_layout_time_to_x (&layout, seconds);
  if (y != NULL)
    *y = cradle_spectrogram_layout_hz_to_y (&layout, hz);
}

void
cradle_spectrogram_view_range_rect (CradleSpectrogramView *self,
                                    double                 start,
                                    double                 end,
                                    GdkRectangle          *rect)
{
  CradleSpectrogramLayout layout;
  double x0;
  double x1;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  compute_layout (self, &layout);
  x0 = CLAMP (cradle_spectrogram_layout_time_to_x (&layout, start), layout.plot.x,
              layout.plot.x + layout.plot.width);
  x1 = CLAMP (cradle_spectrogram_layout_time_to_x (&layout, end), layout.plot.x,
              layout.plot.x + layout.plot.width);
  rect->x = (int) floor (x0);
  rect->y = (int) layout.plot.y;
  rect->width = MAX (1, (int) ceil (x1 - x0));
  rect->height = (int) layout.plot.height;
}

/* ---- The view range ------------------------------------------------------ */

static double
clamp_span (CradleSpectrogramView *self,
            double                 span)
{
  double longest = self->duration > 0.0 ? self->duration : 1.0;

  return CLAMP (span, MIN (MIN_SPAN_SECONDS, longest), longest);
}

void
cradle_spectrogram_view_set_view (CradleSpectrogramView *self,
                                  double                 start,
                                  double                 span)
{
  gboolean start_changed;
  gboolean span_changed;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  span = clamp_span (self, span);
  start = CLAMP (start, 0.0, MAX (0.0, self->duration - span));
  start_changed = start != self->view_start;
  span_changed = span != self->view_span;
  if (!start_changed && !span_changed)
    return;

  self->view_start = start;
  self->view_span = span;

  self->updating_adjustment = TRUE;
  gtk_adjustment_configure (self->adjustment, start, 0.0, MAX (self->duration, span),
                            span / 20.0, span * 0.9, span);
  self->updating_adjustment = FALSE;

  request_image (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (start_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_START]);
  if (span_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_SPAN]);
}

double
cradle_spectrogram_view_get_view_start (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), 0.0);

  return self->view_start;
}

double
cradle_spectrogram_view_get_view_span (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), 0.0);

  return self->view_span;
}

void
cradle_spectrogram_view_zoom (CradleSpectrogramView *self,
                              double                 factor,
                              double                 at)
{
  double span;
  double frac;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (factor > 0.0);

  if (!isfinite (at))
    at = self->view_start + self->view_span / 2.0;
  frac = self->view_span > 0.0 ? (at - self->view_start) / self->view_span : 0.5;
  span = clamp_span (self, self->view_span / factor);
  cradle_spectrogram_view_set_view (self, at - frac * span, span);
}

GtkAdjustment *
cradle_spectrogram_view_get_adjustment (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), NULL);

  return self->adjustment;
}

static void
adjustment_value_changed_cb (GtkAdjustment         *adjustment,
                             CradleSpectrogramView *self)
{
  if (self->updating_adjustment)
    return;
  cradle_spectrogram_view_set_view (self, gtk_adjustment_get_value (adjustment), self->view_span);
}

/* ---- Data and settings --------------------------------------------------- */

static void
invalidate_image (CradleSpectrogramView *self)
{
  self->settings_serial++;
  g_clear_pointer (&self->decor, gsk_render_node_unref);
  g_clear_pointer (&self->time_decor, gsk_render_node_unref);
  request_image (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
tiles_landed_idle (gpointer data)
{
  Notifier *notifier = data;
  g_autoptr(CradleSpectrogramView) self = g_weak_ref_get (&notifier->view);

  if (self != NULL)
    {
      self->tiles_serial++;
      request_image (self);
    }
  return G_SOURCE_REMOVE;
}

/* On a worker thread: wake the view up on the main context. */
static void
tile_ready_cb (guint    level,
               guint64  index,
               gpointer user_data)
{
  TilesRef *tiles_ref = user_data;

  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, tiles_landed_idle,
                   g_atomic_rc_box_acquire (tiles_ref->notifier), notifier_release);
}

gboolean
cradle_spectrogram_view_set_signal (CradleSpectrogramView         *self,
                                    const CradleSpectrogramParams *params,
                                    GBytes                        *signal,
                                    GError                       **error)
{
  CradleSpectrogramTiles *tiles = NULL;
  TilesRef *ref = NULL;
  double duration = 0.0;

  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), FALSE);
  g_return_val_if_fail (signal == NULL || params != NULL, FALSE);

  if (signal != NULL)
    {
      ref = g_atomic_rc_box_new0 (TilesRef);
      ref->notifier = g_atomic_rc_box_new0 (Notifier);
      g_weak_ref_init (&ref->notifier->view, self);
      tiles = cradle_spectrogram_tiles_new (params, signal, CRADLE_SPECTROGRAM_VIEW_THREADS,
                                            CRADLE_SPECTROGRAM_VIEW_CACHE_BYTES, tile_ready_cb, ref,
                                            error);
      if (tiles == NULL)
        {
          notifier_release (ref->notifier);
          g_atomic_rc_box_release (ref);
          return FALSE;
        }
      ref->tiles = tiles;
      duration = (double) (g_bytes_get_size (signal) / sizeof (float)) / params->sample_rate;
    }

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  self->job_running = FALSE;
  if (self->tiles != NULL)
    g_atomic_rc_box_release_full (self->tiles, tiles_ref_clear);
  self->tiles = NULL;
  g_clear_object (&self->image);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  self->image_ready = FALSE;

  self->duration = duration;
  self->tiles = ref;
  if (tiles != NULL)
    {
      const CradleSpectrogramParams *p = cradle_spectrogram_tiles_get_params (tiles);

      self->seconds_per_frame = (double) p->hop / p->sample_rate;
      self->n_bands = cradle_spectrogram_tiles_get_n_bands (tiles);
      self->nyquist = p->sample_rate / 2.0;
    }
  self->has_selection = FALSE;
  self->cursor = 0.0;
  self->playhead = NAN;
  /* Forces the notifications of the next set_view, and no image job until. */
  self->view_start = -1.0;
  self->view_span = 0.0;
  invalidate_image (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_READY]);
  return TRUE;
}

CradleSpectrogramTiles *
cradle_spectrogram_view_get_tiles (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), NULL);

  return self->tiles != NULL ? self->tiles->tiles : NULL;
}

double
cradle_spectrogram_view_get_duration (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), 0.0);

  return self->duration;
}

void
cradle_spectrogram_view_set_colormap (CradleSpectrogramView *self,
                                      CradleColormap         colormap)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  if (self->colormap == colormap)
    return;
  self->colormap = colormap;
  invalidate_image (self);
}

void
cradle_spectrogram_view_set_freq_scale (CradleSpectrogramView *self,
                                        CradleFreqScale        scale)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  if (self->freq_scale == scale)
    return;
  self->freq_scale = scale;
  invalidate_image (self);
}

void
cradle_spectrogram_view_set_levels (CradleSpectrogramView *self,
                                    double                 db_range,
                                    double                 gain)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (db_range > 0.0);

  if (self->db_range == db_range && self->gain == gain)
    return;
  self->db_range = db_range;
  self->gain = gain;
  invalidate_image (self);
}

void
cradle_spectrogram_view_set_f0 (CradleSpectrogramView *self,
                                float                 *f0,
                                guint                  n_frames,
                                double                 seconds_per_frame)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  g_free (self->f0);
  self->f0 = f0;
  self->n_f0 = f0 != NULL ? n_frames : 0;
  self->f0_seconds_per_frame = seconds_per_frame;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Cursor, playhead, selection, segments ------------------------------ */

void
cradle_spectrogram_view_set_cursor (CradleSpectrogramView *self,
                                    double                 seconds)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  seconds = CLAMP (seconds, 0.0, self->duration);
  if (seconds == self->cursor)
    return;
  self->cursor = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

double
cradle_spectrogram_view_get_cursor (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), 0.0);

  return self->cursor;
}

void
cradle_spectrogram_view_set_playhead (CradleSpectrogramView *self,
                                      double                 seconds)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  self->playhead = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cradle_spectrogram_view_get_playhead (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), NAN);

  return self->playhead;
}

gboolean
cradle_spectrogram_view_get_selection (CradleSpectrogramView *self,
                                       double                *start,
                                       double                *end)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), FALSE);

  if (!self->has_selection)
    return FALSE;
  if (start != NULL)
    *start = MIN (self->sel_start, self->sel_end);
  if (end != NULL)
    *end = MAX (self->sel_start, self->sel_end);
  return TRUE;
}

void
cradle_spectrogram_view_set_selection (CradleSpectrogramView *self,
                                       double                 start,
                                       double                 end)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  self->has_selection = TRUE;
  self->sel_start = CLAMP (MIN (start, end), 0.0, self->duration);
  self->sel_end = CLAMP (MAX (start, end), 0.0, self->duration);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
cradle_spectrogram_view_clear_selection (CradleSpectrogramView *self)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  if (!self->has_selection)
    return;
  self->has_selection = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
cradle_spectrogram_view_set_segments (CradleSpectrogramView *self,
                                      GPtrArray             *segments)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  if (segments != NULL)
    g_ptr_array_ref (segments);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  self->segments = segments;
  if (segments == NULL || self->active_segment >= (int) segments->len)
    self->active_segment = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GPtrArray *
cradle_spectrogram_view_get_segments (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), NULL);

  return self->segments;
}

int
cradle_spectrogram_view_get_active_segment (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), -1);

  return self->active_segment;
}

void
cradle_spectrogram_view_set_active_segment (CradleSpectrogramView *self,
                                            int                    index)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  self->active_segment = self->segments != NULL && index >= 0 && index < (int) self->segments->len
                         ? index : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Read-outs ----------------------------------------------------------- */

gboolean
cradle_spectrogram_view_value_at (CradleSpectrogramView *self,
                                  double                 seconds,
                                  double                 hz,
                                  float                  *db)
{
  CradleSpectrogramTiles *tiles;
  g_autofree float *column = NULL;
  CradleSpectrogramData data;
  double frame;
  guint64 index;

  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), FALSE);

  if (self->tiles == NULL || !(seconds >= 0.0) || seconds > self->duration)
    return FALSE;
  tiles = self->tiles->tiles;
  frame = seconds / self->seconds_per_frame;
  index = (guint64) MAX (0.0, floor (frame + 0.5));
  if (index >= cradle_spectrogram_tiles_get_n_frames (tiles))
    index = cradle_spectrogram_tiles_get_n_frames (tiles) - 1;
  column = g_new (float, self->n_bands);
  if (cradle_spectrogram_tiles_copy (tiles, 0, index, 1, FALSE, column) > 0)
    return FALSE;

  data = (CradleSpectrogramData) {
    .values = column,
    .n_frames = 1,
    .n_bands = self->n_bands,
    .seconds_per_frame = self->seconds_per_frame,
    .start_time = index * self->seconds_per_frame,
    .band_hz = cradle_spectrogram_tiles_get_band_hz (tiles),
    .fmin = 0.0,
    .fmax = self->nyquist,
  };
  return cradle_spectrogram_data_value_at (&data, index * self->seconds_per_frame, hz, db);
}

const char *
cradle_spectrogram_view_get_readout (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), NULL);

  return self->readout != NULL ? self->readout : "";
}

void
cradle_spectrogram_view_update_readout (CradleSpectrogramView *self,
                                        double                 x,
                                        double                 y)
{
  double seconds;
  double hz;
  float db;
  char *text = NULL;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self));

  if (self->tiles != NULL && cradle_spectrogram_view_point_to_time_hz (self, x, y, &seconds, &hz)
      && seconds >= 0.0 && seconds <= self->duration)
    {
      g_autofree char *t = cradle_axis_format_time (seconds, 0.001, self->duration);
      g_autofree char *f = cradle_axis_format_hz (round (hz), 1.0);

      if (cradle_spectrogram_view_value_at (self, seconds, hz, &db))
        {
          g_autofree char *d = cradle_axis_format_db (db, 0.1);

          /* Translators: time · frequency · level under the pointer */
          text = g_strdup_printf (_("%s · %s · %s"), t, f, d);
        }
      else
        {
          text = g_strdup_printf (_("%s · %s"), t, f);
        }
    }

  if (g_strcmp0 (text, self->readout) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->readout);
  self->readout = text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

gboolean
cradle_spectrogram_view_is_image_ready (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), FALSE);

  return self->image_ready;
}

/* ---- The image, built on a worker thread --------------------------------- */

static void
image_job_run (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImageJob *job = task_data;
  CradleSpectrogramTiles *tiles = job->tiles->tiles;
  const CradleSpectrogramParams *p = cradle_spectrogram_tiles_get_params (tiles);
  guint nb = cradle_spectrogram_tiles_get_n_bands (tiles);
  double spf = (double) p->hop / p->sample_rate;
  double d = (double) (1u << job->level);
  g_autofree float *values = g_new (float, (gsize) job->n_columns * nb);
  cairo_surface_t *surface;
  CradleSpectrogramData data;
  g_autoptr(GBytes) bytes = NULL;

  job->missing = cradle_spectrogram_tiles_copy (tiles, job->level, job->first, job->n_columns,
                                                TRUE, values);
  if (g_task_return_error_if_cancelled (task))
    return;

  data = (CradleSpectrogramData) {
    .values = values,
    .n_frames = job->n_columns,
    .n_bands = nb,
    .seconds_per_frame = spf * d,
    .start_time = (job->first * d + (d - 1.0) / 2.0) * spf,
    .band_hz = cradle_spectrogram_tiles_get_band_hz (tiles),
    .fmin = 0.0,
    .fmax = p->sample_rate / 2.0,
  };
  surface = cradle_spectrogram_render_image (&data, &job->style, job->width_px, job->height_px);
  if (surface == NULL || cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      if (surface != NULL)
        cairo_surface_destroy (surface);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not build a %d × %d image",
                               job->width_px, job->height_px);
      return;
    }
  cairo_surface_flush (surface);
  job->surface = cairo_surface_reference (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * job->height_px,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  job->texture = gdk_memory_texture_new (job->width_px, job->height_px, GDK_MEMORY_DEFAULT, bytes,
                                         cairo_image_surface_get_stride (surface));
  g_task_return_boolean (task, TRUE);
}

static void
image_job_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (source);
  GTask *task = G_TASK (result);
  ImageJob *job = g_task_get_task_data (task);
  gboolean was_ready = self->image_ready;

  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;   /* the view moved on to other tiles and reset job_running */
  self->job_running = FALSE;
  if (!g_task_propagate_boolean (task, &error))
    {
      g_warning ("%s", error->message);
      return;
    }

  if (job->texture != NULL)
    {
      g_set_object (&self->image, job->texture);
      g_clear_pointer (&self->image_surface, cairo_surface_destroy);
      self->image_surface = cairo_surface_reference (job->surface);
      self->image_t0 = job->t0;
      self->image_t1 = job->t1;
      self->image_height_px = job->height_px;
      self->image_px_per_second = job->width_px / (job->t1 - job->t0);
      self->image_settings_serial = job->serial;
      self->image_missing = job->missing;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  request_image (self);
  if (self->image_ready != was_ready)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_READY]);
}

/* Device pixels of the plot, and the plot's rectangle. */
static gboolean
plot_pixels (CradleSpectrogramView   *self,
             CradleSpectrogramLayout *layout,
             int                     *width_px,
             int                     *height_px)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  compute_layout (self, layout);
  *width_px = (int) ceil (layout->plot.width * scale);
  *height_px = (int) ceil (layout->plot.height * scale);
  return *width_px > 1 && *height_px > 1;
}

/* Whether the image on screen covers the view and SLACK seconds either
 * side (within the recording), with the current settings and height. */
static gboolean
image_covers (CradleSpectrogramView *self,
              int                    height_px,
              double                 slack)
{
  double lo = MAX (0.0, self->view_start - slack);
  double hi = MIN (self->duration, self->view_start + self->view_span + slack);

  if (self->image == NULL || self->image_settings_serial != self->settings_serial
      || self->image_height_px != height_px)
    return FALSE;
  return lo >= self->image_t0 - 1e-9 && hi <= self->image_t1 + 1e-9;
}

static gboolean
image_resolution_ok (CradleSpectrogramView *self,
                     double                 px_per_second)
{
  return self->image != NULL && fabs (log2 (self->image_px_per_second / px_per_second)) < 0.01;
}

static void
request_image (CradleSpectrogramView *self)
{
  CradleSpectrogramLayout layout;
  CradleSpectrogramTiles *tiles;
  int width_px;
  int height_px;
  double px_per_second;
  double frames_per_px;
  double t0;
  double t1;
  double d;
  guint level = 0;
  guint64 n_level;
  double c0;
  double c1;
  ImageJob *job;
  g_autoptr(GTask) task = NULL;
  gboolean ready;
  gboolean was_ready = self->image_ready;

  if (self->tiles == NULL || self->view_span <= 0.0 || !gtk_widget_get_realized (GTK_WIDGET (self))
      || !plot_pixels (self, &layout, &width_px, &height_px))
    return;

  px_per_second = width_px / self->view_span;
  ready = image_covers (self, height_px, 0.0) && image_resolution_ok (self, px_per_second)
          && self->image_missing == 0;
  self->image_ready = ready;
  if (ready != was_ready)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_READY]);

  if (self->job_running)
    return;
  /* Rebuild before the view reaches the image's edge, at a new zoom, or
   * when tiles it lacked have landed since. */
  if (image_covers (self, height_px, self->view_span * IMAGE_MARGIN / 2.0)
      && image_resolution_ok (self, px_per_second)
      && (self->image_missing == 0 || self->image_tiles_serial == self->tiles_serial))
    return;

  tiles = self->tiles->tiles;
  frames_per_px = 1.0 / (px_per_second * self->seconds_per_frame);
  while (level < CRADLE_SPECTROGRAM_MAX_LEVEL && (double) (2u << level) <= frames_per_px)
    level++;
  d = (double) (1u << level);

  t0 = MAX (0.0, self->view_start - IMAGE_MARGIN * self->view_span);
  t1 = MIN (self->duration, self->view_start + self->view_span * (1.0 + IMAGE_MARGIN));
  if ((t1 - t0) * px_per_second > MAX_TEXTURE_SIDE)
    {
      double half = MAX_TEXTURE_SIDE / px_per_second / 2.0;
      double mid = self->view_start + self->view_span / 2.0;

      t0 = MAX (0.0, mid - half);
      t1 = MIN (self->duration, mid + half);
    }

  n_level = cradle_spectrogram_tiles_n_columns (tiles, level);
  c0 = floor (t0 / (self->seconds_per_frame * d)) - 1.0;
  c1 = ceil (t1 / (self->seconds_per_frame * d)) + 1.0;
  c0 = MAX (0.0, c0);
  c1 = MIN ((double) n_level, c1);
  if (c1 <= c0)
    return;

  job = g_new0 (ImageJob, 1);
  job->tiles = g_atomic_rc_box_acquire (self->tiles);
  job->level = level;
  job->first = (guint64) c0;
  job->n_columns = (guint) (c1 - c0);
  job->t0 = t0;
  job->t1 = t1;
  job->width_px = MAX (1, (int) ceil ((t1 - t0) * px_per_second));
  job->height_px = height_px;
  cradle_spectrogram_view_get_style (self, &job->style);
  job->style.time_start = t0;
  job->style.time_end = t1;
  job->style.pango_context = NULL;
  job->serial = self->settings_serial;
  self->image_tiles_serial = self->tiles_serial;

  if (self->job_cancellable == NULL)
    self->job_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->job_cancellable, image_job_done, NULL);
  g_task_set_task_data (task, job, image_job_free);
  g_task_set_source_tag (task, request_image);
  self->job_running = TRUE;
  g_task_run_in_thread (task, image_job_run);
}

/* ---- Drawing --------------------------------------------------------------- */

static void
append_vline (GtkSnapshot   *snapshot,
              const GdkRGBA *color,
              double         x,
              double         y,
              double         height,
              double         width)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x - width / 2.0, y, width, height));
}

static void
label_color (const char *label,
             gboolean    dark,
             GdkRGBA    *color)
{
  /* Adwaita's palette: blue, green, yellow, orange, red, purple, brown. */
  static const char *const palette[] = {
    "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac", "#986a44",
  };
  guint h = g_str_hash (label != NULL ? label : "");

  gdk_rgba_parse (color, palette[h % G_N_ELEMENTS (palette)]);
  color->alpha = dark ? 0.35 : 0.3;
}

/* The rulers, frame and colour bar clipped to RECT: only RECT is
 * rasterised, never the plot's interior. */
static void
append_decor_strip (CradleSpectrogramView *self,
                    GtkSnapshot           *snapshot,
                    int                    width,
                    int                    height,
                    double                 x,
                    double                 y,
                    double                 w,
                    double                 h)
{
  CradleSpectrogramStyle style;
  CradleSpectrogramData data;
  double band_hz[2];
  cairo_t *cr;

  if (w <= 0.0 || h <= 0.0)
    return;
  decor_data (self, &data, band_hz);
  cradle_spectrogram_view_get_style (self, &style);
  /* The (transparent) image of the stand-in data needs few pixels. */
  style.pixel_scale = 0.25;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x, y, w, h));
  cradle_spectrogram_render (cr, width, height, &data, &style);
  cairo_destroy (cr);
}

/* Where the time ruler's strip starts below the plot: past the tick
 * marks and the gap, so that the frequency ruler's and the colour bar's
 * lowest labels (centred on the plot's bottom edge) stay whole in the
 * static strips; a label split between two separately rasterised strips
 * can land a pixel apart. */
#define TIME_LABELS_TOP (CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + 1.0)

/* Left ruler, top and colour bar: change with the size and settings. */
static GskRenderNode *
build_static_decor (CradleSpectrogramView         *self,
                    const CradleSpectrogramLayout *layout,
                    int                            width,
                    int                            height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  const cairo_rectangle_t *p = &layout->plot;
  double bottom = MIN (height, p->y + p->height + TIME_LABELS_TOP);

  append_decor_strip (self, snapshot, width, height, 0, 0, p->x, bottom);
  append_decor_strip (self, snapshot, width, height, p->x, 0, p->width, p->y);
  append_decor_strip (self, snapshot, width, height, p->x + p->width, 0, width - p->x - p->width, bottom);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* The time ruler (ticks and labels): changes with the view. */
static GskRenderNode *
build_time_decor (CradleSpectrogramView         *self,
                  const CradleSpectrogramLayout *layout,
                  int                            width,
                  int                            height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  const cairo_rectangle_t *p = &layout->plot;
  double bottom = p->y + p->height;
  double labels = MIN (height, bottom + TIME_LABELS_TOP);

  append_decor_strip (self, snapshot, width, height, p->x, bottom, p->width, labels - bottom);
  append_decor_strip (self, snapshot, width, height, 0, labels, width, height - labels);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
cradle_spectrogram_view_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CradleSpectrogramLayout layout;
  const cairo_rectangle_t *plot;
  graphene_rect_t plot_rect;
  GdkRGBA fg;
  GdkRGBA accent;
  double view_end = self->view_start + self->view_span;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gint64 snapshot_start = g_get_monotonic_time ();

  if (self->tiles == NULL || width <= 1 || height <= 1)
    return;

  compute_layout (self, &layout);
  plot = &layout.plot;
  plot_rect = GRAPHENE_RECT_INIT (plot->x, plot->y, plot->width, plot->height);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gdk_rgba_parse (&accent, dark ? "#78aeed" : "#1c71d8");

  /* 1. The image, moved and scaled to the view. */
  gtk_snapshot_push_clip (snapshot, &plot_rect);
  if (self->image != NULL)
    {
      double x0 = plot->x + (self->image_t0 - self->view_start) / self->view_span * plot->width;
      double x1 = plot->x + (self->image_t1 - self->view_start) / self->view_span * plot->width;
      int scale = gtk_widget_get_scale_factor (widget);
      double texture_width = (double) gdk_texture_get_width (self->image) / scale;
      gboolean exact = fabs ((x1 - x0) - texture_width) < 0.5;

      /* At the image's own zoom (scrolling), whole pixels: the texture is
       * copied, not resampled. */
      if (exact)
        {
          x0 = round (x0 * scale) / scale;
          x1 = x0 + texture_width;
        }
      if (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (gtk_widget_get_native (widget))))
        {
          /* GTK 4.8's cairo renderer converts a memory texture through
           * floats on every frame; a cairo node paints the surface as it
           * is (nearest while it is scaled, until the next image). */
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &plot_rect);
          int sw = cairo_image_surface_get_width (self->image_surface);
          int sh = cairo_image_surface_get_height (self->image_surface);

          cairo_translate (cr, x0, plot->y);
          cairo_scale (cr, (x1 - x0) / sw, plot->height / sh);
          cairo_set_source_surface (cr, self->image_surface, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (cr), exact ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_FAST);
          cairo_paint (cr);
          cairo_destroy (cr);
        }
      else
        {
          gtk_snapshot_append_texture (snapshot, self->image,
                                       &GRAPHENE_RECT_INIT (x0, plot->y, x1 - x0, plot->height));
        }
    }

  /* 2. Segments, the selection, F0, the cursor and the playhead. */
  for (guint i = 0; self->segments != NULL && i < self->segments->len; i++)
    {
      CradleSegment *segment = g_ptr_array_index (self->segments, i);
      double x0;
      double x1;
      GdkRGBA color;

      if (segment->end < self->view_start || segment->start > view_end)
        continue;
      x0 = cradle_spectrogram_layout_time_to_x (&layout, segment->start);
      x1 = cradle_spectrogram_layout_time_to_x (&layout, segment->end);
      label_color (segment->label, dark, &color);
      if ((int) i == self->active_segment)
        color.alpha += 0.2;
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x0, plot->y, x1 - x0, plot->height));
      color.alpha = 1.0;
      append_vline (snapshot, &color, x0, plot->y, plot->height, 2.0);
      append_vline (snapshot, &color, x1, plot->y, plot->height, 2.0);
      {
        g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, segment->label);
        GdkRGBA white = { 1, 1, 1, 1 };
        GdkRGBA shade = { 0, 0, 0, 0.55 };
        int tw;
        int th;

        pango_layout_get_pixel_size (text, &tw, &th);
        gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (x0 + 2, plot->y + 2, tw + 6, th + 2));
        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0 + 5, plot->y + 3));
        gtk_snapshot_append_layout (snapshot, text, &white);
        gtk_snapshot_restore (snapshot);
      }
    }

  if (self->has_selection)
    {
      double a;
      double b;
      GdkRGBA fill = accent;

      cradle_spectrogram_view_get_selection (self, &a, &b);
      a = cradle_spectrogram_layout_time_to_x (&layout, a);
      b = cradle_spectrogram_layout_time_to_x (&layout, b);
      fill.alpha = 0.25;
      gtk_snapshot_append_color (snapshot, &fill, &GRAPHENE_RECT_INIT (a, plot->y, b - a, plot->height));
      append_vline (snapshot, &accent, a, plot->y, plot->height, 1.0);
      append_vline (snapshot, &accent, b, plot->y, plot->height, 1.0);
    }

  if (self->f0 != NULL && self->f0_seconds_per_frame > 0.0)
    {
      GdkRGBA dot = { 1.0, 1.0, 1.0, 0.95 };
      GdkRGBA rim = { 0.0, 0.0, 0.0, 0.6 };
      double first = floor (self->view_start / self->f0_seconds_per_frame);
      double last = ceil (view_end / self->f0_seconds_per_frame);
      /* At most about one point per pixel. */
      double step = MAX (1.0, floor ((last - first) / plot->width));

      for (double f = MAX (0.0, first); f <= last && f < self->n_f0; f += step)
        {
          float hz = self->f0[(guint) f];
          double x;
          double y;

          if (!(hz > 0.0f))
            continue;
          x = cradle_spectrogram_layout_time_to_x (&layout, f * self->f0_seconds_per_frame);
          y = cradle_spectrogram_layout_hz_to_y (&layout, hz);
          if (y < plot->y || y > plot->y + plot->height)
            continue;
          gtk_snapshot_append_color (snapshot, &rim, &GRAPHENE_RECT_INIT (x - 2, y - 2, 4, 4));
          gtk_snapshot_append_color (snapshot, &dot, &GRAPHENE_RECT_INIT (x - 1, y - 1, 2, 2));
        }
    }

  if (self->cursor >= self->view_start && self->cursor <= view_end)
    {
      GdkRGBA c = fg;

      c.alpha = 0.8;
      append_vline (snapshot, &c, cradle_spectrogram_layout_time_to_x (&layout, self->cursor),
                    plot->y, plot->height, 1.0);
    }
  if (isfinite (self->playhead) && self->playhead >= self->view_start && self->playhead <= view_end)
    {
      GdkRGBA red;

      gdk_rgba_parse (&red, "#e01b24");
      append_vline (snapshot, &red, cradle_spectrogram_layout_time_to_x (&layout, self->playhead),
                    plot->y, plot->height, 2.0);
    }
  gtk_snapshot_pop (snapshot);

  /* 3. Rulers and colour bar: cached for this size and settings; the time
   * ruler also for this view. */
  if (self->decor == NULL || self->decor_width != width || self->decor_height != height
      || self->decor_serial != self->settings_serial || self->dark != dark)
    {
      g_clear_pointer (&self->decor, gsk_render_node_unref);
      g_clear_pointer (&self->time_decor, gsk_render_node_unref);
      self->decor = build_static_decor (self, &layout, width, height);
      self->decor_width = width;
      self->decor_height = height;
      self->decor_serial = self->settings_serial;
      self->dark = dark;
    }
  if (self->time_decor == NULL || self->decor_start != self->view_start
      || self->decor_span != self->view_span)
    {
      g_clear_pointer (&self->time_decor, gsk_render_node_unref);
      self->time_decor = build_time_decor (self, &layout, width, height);
      self->decor_start = self->view_start;
      self->decor_span = self->view_span;
    }
  if (self->decor != NULL)
    gtk_snapshot_append_node (snapshot, self->decor);
  if (self->time_decor != NULL)
    gtk_snapshot_append_node (snapshot, self->time_decor);
  self->snapshot_us = g_get_monotonic_time () - snapshot_start;
}

gint64
cradle_spectrogram_view_get_snapshot_time (CradleSpectrogramView *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_VIEW (self), 0);

  return self->snapshot_us;
}

static void
cradle_spectrogram_view_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  request_image (CRADLE_SPECTROGRAM_VIEW (widget));
}

static void
cradle_spectrogram_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cradle_spectrogram_view_parent_class)->realize (widget);
  request_image (CRADLE_SPECTROGRAM_VIEW (widget));
}

static void
cradle_spectrogram_view_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (widget);

  GTK_WIDGET_CLASS (cradle_spectrogram_view_parent_class)->css_changed (widget, change);
  g_clear_pointer (&self->decor, gsk_render_node_unref);
  g_clear_pointer (&self->time_decor, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

static void
cradle_spectrogram_view_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 360;
}

/* ---- Input ------------------------------------------------------------------ */

/* The segment edge under X, or -1; *AT_END tells which edge. */
static int
segment_edge_at (CradleSpectrogramView *self,
                 double                 x,
                 gboolean              *at_end)
{
  CradleSpectrogramLayout layout;

  if (self->segments == NULL)
    return -1;
  compute_layout (self, &layout);
  for (guint i = 0; i < self->segments->len; i++)
    {
      CradleSegment *segment = g_ptr_array_index (self->segments, i);

      if (fabs (cradle_spectrogram_layout_time_to_x (&layout, segment->end) - x) <= EDGE_GRAB)
        {
          *at_end = TRUE;
          return (int) i;
        }
      if (fabs (cradle_spectrogram_layout_time_to_x (&layout, segment->start) - x) <= EDGE_GRAB)
        {
          *at_end = FALSE;
          return (int) i;
        }
    }
  return -1;
}

static int
segment_at (CradleSpectrogramView *self,
            double                 seconds)
{
  for (guint i = 0; self->segments != NULL && i < self->segments->len; i++)
    {
      CradleSegment *segment = g_ptr_array_index (self->segments, i);

      if (seconds >= segment->start && seconds <= segment->end)
        return (int) i;
    }
  return -1;
}

static int
compare_segments (gconstpointer a,
                  gconstpointer b)
{
  const CradleSegment *sa = *(CradleSegment * const *) a;
  const CradleSegment *sb = *(CradleSegment * const *) b;

  return sa->start < sb->start ? -1 : sa->start > sb->start ? 1 : 0;
}

static void
drag_begin_cb (GtkGestureDrag        *gesture,
               double                 x,
               double                 y,
               CradleSpectrogramView *self)
{
  double seconds;
  gboolean at_end = FALSE;
  int edge;

  if (self->tiles == NULL || !cradle_spectrogram_view_point_to_time_hz (self, x, y, &seconds, NULL))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  self->drag_moved = FALSE;
  self->drag_origin_time = CLAMP (seconds, 0.0, self->duration);
  edge = segment_edge_at (self, x, &at_end);
  if (edge >= 0)
    {
      self->drag_mode = at_end ? DRAG_SEGMENT_END : DRAG_SEGMENT_START;
      self->drag_segment = edge;
    }
  else
    {
      self->drag_mode = DRAG_SELECT;
    }
}

static void
drag_update_cb (GtkGestureDrag        *gesture,
                double                 dx,
                double                 dy,
                CradleSpectrogramView *self)
{
  double seconds;

  if (!self->drag_moved && fabs (dx) < 3.0)
    return;
  self->drag_moved = TRUE;
  cradle_spectrogram_view_point_to_time_hz (self, self->drag_x + dx, self->drag_y + dy, &seconds, NULL);
  seconds = CLAMP (seconds, 0.0, self->duration);

  if (self->drag_mode == DRAG_SELECT)
    {
      self->has_selection = TRUE;
      self->sel_start = self->drag_origin_time;
      self->sel_end = seconds;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (self->drag_mode == DRAG_SEGMENT_START || self->drag_mode == DRAG_SEGMENT_END)
    {
      CradleSegment *segment = g_ptr_array_index (self->segments, self->drag_segment);

      if (self->drag_mode == DRAG_SEGMENT_START)
        segment->start = MIN (seconds, segment->end - 0.01);
      else
        segment->end = MAX (seconds, segment->start + 0.01);
      segment->start = MAX (0.0, segment->start);
      segment->end = MIN (self->duration, segment->end);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  cradle_spectrogram_view_update_readout (self, self->drag_x + dx, self->drag_y + dy);
}

static void
drag_end_cb (GtkGestureDrag        *gesture,
             double                 dx,
             double                 dy,
             CradleSpectrogramView *self)
{
  DragMode mode = self->drag_mode;

  self->drag_mode = DRAG_NONE;
  if (mode == DRAG_NONE)
    return;

  if (!self->drag_moved)
    {
      int index = segment_at (self, self->drag_origin_time);

      cradle_spectrogram_view_clear_selection (self);
      cradle_spectrogram_view_set_cursor (self, self->drag_origin_time);
      if (index >= 0)
        {
          cradle_spectrogram_view_set_active_segment (self, index);
          g_signal_emit (self, signals[SEGMENT_ACTIVATED], 0, index);
        }
      else
        {
          cradle_spectrogram_view_set_active_segment (self, -1);
        }
      return;
    }

  if (mode == DRAG_SELECT)
    {
      double a;
      double b;

      cradle_spectrogram_view_get_selection (self, &a, &b);
      if (b - a <= 0.0)
        cradle_spectrogram_view_clear_selection (self);
      else
        cradle_spectrogram_view_set_selection (self, a, b);
    }
  else
    {
      self->active_segment = self->drag_segment;
      g_ptr_array_sort (self->segments, compare_segments);
      g_signal_emit (self, signals[SEGMENTS_EDITED], 0);
    }
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CradleSpectrogramView    *self)
{
  gboolean at_end;

  cradle_spectrogram_view_update_readout (self, x, y);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   segment_edge_at (self, x, &at_end) >= 0 ? "col-resize" : NULL);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          CradleSpectrogramView    *self)
{
  cradle_spectrogram_view_update_readout (self, -1, -1);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           CradleSpectrogramView    *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GdkModifierType state = event != NULL ? gdk_event_get_modifier_state (event) : 0;
  /* (GTK 4.8 reads the unit from the current event.) */
  GdkScrollUnit unit = event != NULL ? gtk_event_controller_scroll_get_unit (controller) : GDK_SCROLL_UNIT_WHEEL;
  double scale = unit == GDK_SCROLL_UNIT_SURFACE ? 0.02 : 1.0;

  if (self->tiles == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double x = 0.0;
      double y = 0.0;
      double at = NAN;

      if (event != NULL && gdk_event_get_position (event, &x, &y))
        {
          graphene_point_t p;

          if (gtk_widget_compute_point (GTK_WIDGET (gtk_widget_get_native (GTK_WIDGET (self))),
                                        GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &p))
            cradle_spectrogram_view_point_to_time_hz (self, p.x, p.y, &at, NULL);
        }
      cradle_spectrogram_view_zoom (self, pow (1.25, -dy * scale), at);
      return TRUE;
    }

  /* Vertical wheel or horizontal swipe: a tenth of the view per notch. */
  cradle_spectrogram_view_set_view (self, self->view_start + (dx + dy) * scale * self->view_span / 10.0,
                                    self->view_span);
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture            *gesture,
               GdkEventSequence      *sequence,
               CradleSpectrogramView *self)
{
  self->zoom_span_at_begin = self->view_span;
}

static void
zoom_scale_changed_cb (GtkGestureZoom        *gesture,
                       double                 scale,
                       CradleSpectrogramView *self)
{
  double cx;
  double cy;
  double at = NAN;
  double target;

  if (scale <= 0.0 || self->zoom_span_at_begin <= 0.0)
    return;
  if (gtk_gesture_is_recognized (GTK_GESTURE (gesture))
      && gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    cradle_spectrogram_view_point_to_time_hz (self, cx, cy, &at, NULL);
  target = self->zoom_span_at_begin / scale;
  cradle_spectrogram_view_zoom (self, self->view_span / target, at);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
cradle_spectrogram_view_dispose (GObject *object)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (object);
  GtkWidget *child;

  /* Popovers the page pointed at us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->tiles != NULL)
    g_atomic_rc_box_release_full (self->tiles, tiles_ref_clear);
  self->tiles = NULL;
  g_clear_object (&self->image);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  g_clear_pointer (&self->decor, gsk_render_node_unref);
  g_clear_pointer (&self->time_decor, gsk_render_node_unref);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_clear_object (&self->adjustment);

  G_OBJECT_CLASS (cradle_spectrogram_view_parent_class)->dispose (object);
}

static void
cradle_spectrogram_view_finalize (GObject *object)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (object);

  g_free (self->f0);
  g_free (self->readout);

  G_OBJECT_CLASS (cradle_spectrogram_view_parent_class)->finalize (object);
}

static void
cradle_spectrogram_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CradleSpectrogramView *self = CRADLE_SPECTROGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_VIEW_START:
      g_value_set_double (value, self->view_start);
      break;
    case PROP_VIEW_SPAN:
      g_value_set_double (value, self->view_span);
      break;
    case PROP_CURSOR:
      g_value_set_double (value, self->cursor);
      break;
    case PROP_READOUT:
      g_value_set_string (value, cradle_spectrogram_view_get_readout (self));
      break;
    case PROP_IMAGE_READY:
      g_value_set_boolean (value, self->image_ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_spectrogram_view_class_init (CradleSpectrogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_spectrogram_view_dispose;
  object_class->finalize = cradle_spectrogram_view_finalize;
  object_class->get_property = cradle_spectrogram_view_get_property;

  widget_class->snapshot = cradle_spectrogram_view_snapshot;
  widget_class->size_allocate = cradle_spectrogram_view_size_allocate;
  widget_class->realize = cradle_spectrogram_view_realize;
  widget_class->css_changed = cradle_spectrogram_view_css_changed;
  widget_class->measure = cradle_spectrogram_view_measure;

  properties[PROP_VIEW_START] =
    g_param_spec_double ("view-start", NULL, NULL, -1.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_SPAN] =
    g_param_spec_double ("view-span", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR] =
    g_param_spec_double ("cursor", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_READY] =
    g_param_spec_boolean ("image-ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SEGMENT_ACTIVATED] =
    g_signal_new ("segment-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SEGMENTS_EDITED] =
    g_signal_new ("segments-edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "spectrogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cradle_spectrogram_view_init (CradleSpectrogramView *self)
{
  GtkGesture *drag;
  GtkGesture *zoom;
  GtkEventController *motion;
  GtkEventController *scroll;

  self->colormap = CRADLE_COLORMAP_VIRIDIS;
  self->freq_scale = CRADLE_FREQ_SCALE_MEL;
  self->db_range = 80.0;
  self->playhead = NAN;
  self->active_segment = -1;
  self->adjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 1, 0.1, 0.9, 1));
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
cradle_spectrogram_view_new (void)
{
  return g_object_new (CRADLE_TYPE_SPECTROGRAM_VIEW, NULL);
}
