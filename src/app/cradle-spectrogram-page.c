/* cradle-spectrogram-page.c — the Spectrogram page of the main window
 *
 * Opens a recording of the dataset (win.open-recording) or a dropped audio
 * file, decodes it on a worker thread (with the overview's peaks), and
 * shows it in a CradleSpectrogramView whose tiles are computed by worker
 * threads. Playback, segments and export are page actions:
 *
 *   spectrogram.play            Space    play or pause, from the selection or the cursor
 *   spectrogram.zoom-in         +        halve the visible span
 *   spectrogram.zoom-out        −        double it
 *   spectrogram.delete-segment  Delete   delete the active segment
 *   spectrogram.export          Ctrl+E   save the view as PNG, SVG or PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cradle-application.h"
#include "cradle-audio.h"
#include "cradle-playback.h"
#include "cradle-spectrogram-page.h"
#include "cradle-spectrogram-view.h"
#include "cradle-waveform-overview.h"
#include "cradle-yin.h"

/* Peaks for the overview: enough for a wide screen. */
#define OVERVIEW_BUCKETS      4096
/* A longer recording opens on its first minute. */
#define OPEN_WHOLE_UP_TO      120.0
#define OPEN_SPAN             60.0

struct _CradleSpectrogramPage
{
  AdwBin                  parent_instance;

  CradleStore            *store;
  GSettings              *settings;

  GtkStack               *stack;
  AdwStatusPage          *empty_page;
  GtkLabel               *title_label;
  GtkLabel               *details_label;
  GtkLabel               *readout_label;
  GtkLabel               *status_label;
  GtkButton              *play_button;
  GtkDropDown            *colormap_dropdown;
  GtkDropDown            *scale_dropdown;
  GtkDropDown            *fft_dropdown;
  GtkDropDown            *window_dropdown;
  GtkSpinButton          *range_spin;
  GtkSpinButton          *gain_spin;
  GtkToggleButton        *f0_toggle;
  CradleSpectrogramView  *view;
  GtkScrollbar           *scrollbar;
  CradleWaveformOverview *overview;

  /* What is open. */
  gint64                  recording_id;   /* 0: a file outside the dataset */
  char                   *path;
  char                   *name;
  GBytes                 *signal;
  guint                   sample_rate;
  double                  duration;
  GCancellable           *cancellable;    /* loading and F0 */

  CradlePlayback         *playback;
  guint                   playback_tick;

  GtkPopover             *popover;
};

G_DEFINE_FINAL_TYPE (CradleSpectrogramPage, cradle_spectrogram_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void stop_playback (CradleSpectrogramPage *self);
static void reload_segments (CradleSpectrogramPage *self);

static void
show_status (CradleSpectrogramPage *self,
             const char            *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

/* ---- Analysis parameters from GSettings ---------------------------------- */

static void
params_from_settings (CradleSpectrogramPage   *self,
                      CradleSpectrogramParams *params)
{
  int fft = g_settings_get_int (self->settings, "fft-size");
  double hop_fraction = g_settings_get_double (self->settings, "hop-fraction");
  g_autofree char *window = g_settings_get_string (self->settings, "window-function");
  guint n_fft = 256;

  /* The nearest power of two. */
  while (n_fft < 4096 && fabs ((double) (n_fft * 2) - fft) < fabs ((double) n_fft - fft))
    n_fft *= 2;

  cradle_spectrogram_params_init (params, self->sample_rate);
  params->n_fft = n_fft;
  params->hop = (guint) CLAMP (round (n_fft * hop_fraction), 1, n_fft);
  if (!cradle_stft_window_from_string (window, &params->window))
    params->window = CRADLE_STFT_WINDOW_HANN;
}

static void
apply_display_settings (CradleSpectrogramPage *self)
{
  g_autofree char *colormap = g_settings_get_string (self->settings, "colormap");
  g_autofree char *scale = g_settings_get_string (self->settings, "frequency-scale");
  CradleColormap map = CRADLE_COLORMAP_VIRIDIS;
  CradleFreqScale freq = CRADLE_FREQ_SCALE_MEL;

  cradle_colormap_from_string (colormap, &map);
  cradle_freq_scale_from_string (scale, &freq);
  cradle_spectrogram_view_set_colormap (self->view, map);
  cradle_spectrogram_view_set_freq_scale (self->view, freq);
  cradle_spectrogram_view_set_levels (self->view, g_settings_get_double (self->settings, "db-range"),
                                      gtk_spin_button_get_value (self->gain_spin));
}

/* New tiles for the open signal, keeping the view where it was. */
static void
reanalyse (CradleSpectrogramPage *self)
{
  CradleSpectrogramParams params;
  g_autoptr(GError) error = NULL;
  double start = cradle_spectrogram_view_get_view_start (self->view);
  double span = cradle_spectrogram_view_get_view_span (self->view);
  double cursor = cradle_spectrogram_view_get_cursor (self->view);

  if (self->signal == NULL)
    return;
  params_from_settings (self, &params);
  if (!cradle_spectrogram_view_set_signal (self->view, &params, self->signal, &error))
    {
      show_status (self, error->message);
      return;
    }
  cradle_spectrogram_view_set_view (self->view, start, span);
  cradle_spectrogram_view_set_cursor (self->view, cursor);
}

/* ---- F0 (YIN) on a worker thread ------------------------------------------- */

typedef struct {
  GBytes *signal;
  guint   rate;
  float  *f0;
  guint   n_frames;
  double  seconds_per_frame;
} F0Job;

static void
f0_job_free (gpointer data)
{
  F0Job *job = data;

  g_bytes_unref (job->signal);
  g_free (job->f0);
  g_free (job);
}

static void
f0_run (GTask        *task,
        gpointer      source,
        gpointer      task_data,
        GCancellable *cancellable)
{
  F0Job *job = task_data;
  gsize n = g_bytes_get_size (job->signal) / sizeof (float);
  const float *x = g_bytes_get_data (job->signal, NULL);
  guint frame = 256;
  g_autoptr(CradleYin) yin = NULL;
  g_autoptr(GError) error = NULL;

  /* 64 ms frames (1024 at 16 kHz), as the analysis configuration. */
  while (frame < job->rate * 0.064)
    frame *= 2;
  yin = cradle_yin_new (job->rate, frame, frame / 2, 150.0f, MIN (1000.0f, job->rate / 4.0f), 0.1f, &error);
  if (yin == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->n_frames = cradle_yin_n_frames (yin, n);
  job->f0 = g_new (float, job->n_frames);
  {
    g_autofree gboolean *voiced = g_new (gboolean, job->n_frames);

    cradle_yin_do (yin, x, n, job->f0, voiced);
    for (guint i = 0; i < job->n_frames; i++)
      if (!voiced[i])
        job->f0[i] = 0.0f;
  }
  job->seconds_per_frame = (double) (frame / 2) / job->rate;
  g_task_return_boolean (task, TRUE);
}

static void
f0_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (source);
  F0Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, error->message);
      return;
    }
  if (job->signal != self->signal || !gtk_toggle_button_get_active (self->f0_toggle))
    return;
  cradle_spectrogram_view_set_f0 (self->view, g_steal_pointer (&job->f0), job->n_frames,
                                  job->seconds_per_frame);
}

static void
update_f0 (CradleSpectrogramPage *self)
{
  F0Job *job;
  g_autoptr(GTask) task = NULL;

  cradle_spectrogram_view_set_f0 (self->view, NULL, 0, 0.0);
  if (self->signal == NULL || !gtk_toggle_button_get_active (self->f0_toggle))
    return;

  job = g_new0 (F0Job, 1);
  job->signal = g_bytes_ref (self->signal);
  job->rate = self->sample_rate;
  task = g_task_new (self, self->cancellable, f0_done, NULL);
  g_task_set_task_data (task, job, f0_job_free);
  g_task_run_in_thread (task, f0_run);
}

/* ---- Opening ------------------------------------------------------------------ */

typedef struct {
  char   *path;
  GBytes *signal;
  guint   rate;
  float  *mins;
  float  *maxs;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->signal, g_bytes_unref);
  g_free (job->mins);
  g_free (job->maxs);
  g_free (job);
}

static void
load_run (GTask        *task,
          gpointer      source,
          gpointer      task_data,
          GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(GError) error = NULL;
  CradleAudio *audio = cradle_audio_load (job->path, 0, &error);

  if (audio == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->rate = audio->sample_rate;
  job->mins = g_new (float, OVERVIEW_BUCKETS);
  job->maxs = g_new (float, OVERVIEW_BUCKETS);
  cradle_waveform_peaks (audio->samples, audio->n_samples, OVERVIEW_BUCKETS, job->mins, job->maxs);
  /* The one copy of the samples: tiles, F0 and playback share it. */
  job->signal = g_bytes_new_take (g_steal_pointer (&audio->samples), audio->n_samples * sizeof (float));
  cradle_audio_free (audio);
  g_task_return_boolean (task, TRUE);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (source);
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CradleSpectrogramParams params;
  double span;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_title (self->empty_page, _("Could Not Open the Recording"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (g_strcmp0 (job->path, self->path) != 0)
    return;   /* another one was opened since */

  g_clear_pointer (&self->signal, g_bytes_unref);
  self->signal = g_steal_pointer (&job->signal);
  self->sample_rate = job->rate;
  self->duration = (double) (g_bytes_get_size (self->signal) / sizeof (float)) / job->rate;

  params_from_settings (self, &params);
  apply_display_settings (self);
  if (!cradle_spectrogram_view_set_signal (self->view, &params, self->signal, &error))
    {
      adw_status_page_set_title (self->empty_page, _("Could Not Open the Recording"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  span = self->duration <= OPEN_WHOLE_UP_TO ? self->duration : OPEN_SPAN;
  cradle_spectrogram_view_set_view (self->view, 0.0, span);
  cradle_waveform_overview_set_peaks (self->overview, job->mins, job->maxs, OVERVIEW_BUCKETS,
                                      self->duration);
  cradle_waveform_overview_set_range (self->overview, 0.0, span);
  reload_segments (self);
  update_f0 (self);
  show_status (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "view");
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
open_path (CradleSpectrogramPage *self,
           const char            *path,
           gint64                 recording_id,
           const char            *details)
{
  LoadJob *job;
  g_autoptr(GTask) task = NULL;
  g_autofree char *base = g_path_get_basename (path);

  stop_playback (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  cradle_spectrogram_view_set_signal (self->view, NULL, NULL, NULL);
  cradle_spectrogram_view_set_segments (self->view, NULL);
  cradle_spectrogram_view_set_f0 (self->view, NULL, 0, 0.0);
  g_clear_pointer (&self->signal, g_bytes_unref);
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->name);
  self->name = g_steal_pointer (&base);
  self->recording_id = recording_id;
  gtk_label_set_text (self->title_label, self->name);
  gtk_label_set_text (self->details_label, details);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  job = g_new0 (LoadJob, 1);
  job->path = g_strdup (path);
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, job, load_job_free);
  g_task_run_in_thread (task, load_run);
}

void
cradle_spectrogram_page_open_file (CradleSpectrogramPage *self,
                                   const char            *path)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self));
  g_return_if_fail (path != NULL);

  open_path (self, path, 0, _("Not in the dataset"));
}

static char *
recording_details (CradleRecording *recording)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *duration = cradle_axis_format_time (recording->duration, 0.1, recording->duration);

  switch (recording->label_status)
    {
    case CRADLE_LABEL_STATUS_CONFIRMED:
      g_ptr_array_add (parts, g_strdup (recording->label));
      break;
    case CRADLE_LABEL_STATUS_PREDICTED:
      /* Translators: a label a model chose, not yet reviewed */
      g_ptr_array_add (parts, g_strdup_printf (_("%s (predicted)"), recording->label));
      break;
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      g_ptr_array_add (parts, g_strdup (_("Don’t know")));
      break;
    case CRADLE_LABEL_STATUS_NONE:
    default:
      g_ptr_array_add (parts, g_strdup (_("Unlabeled")));
      break;
    }
  if (recording->baby_alias != NULL)
    g_ptr_array_add (parts, g_strdup (recording->baby_alias));
  g_ptr_array_add (parts, g_steal_pointer (&duration));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

void
cradle_spectrogram_page_open_recording (CradleSpectrogramPage *self,
                                        gint64                 id)
{
  g_autoptr(CradleRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *details = NULL;
  CradleDataset *dataset;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self));
  g_return_if_fail (self->store != NULL);

  dataset = cradle_store_get_dataset (self->store);
  recording = cradle_dataset_get_recording (dataset, id, &error);
  if (recording == NULL)
    {
      stop_playback (self);
      adw_status_page_set_title (self->empty_page, _("Could Not Open the Recording"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  path = cradle_dataset_resolve_path (dataset, recording->path);
  details = recording_details (recording);
  open_path (self, path, id, details);
}

gint64
cradle_spectrogram_page_get_recording_id (CradleSpectrogramPage *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self), 0);

  return self->recording_id;
}

/* ---- Segments --------------------------------------------------------------- */

static void
reload_segments (CradleSpectrogramPage *self)
{
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->recording_id == 0)
    {
      cradle_spectrogram_view_set_segments (self->view, NULL);
      return;
    }
  segments = cradle_dataset_list_segments (cradle_store_get_dataset (self->store), self->recording_id,
                                           &error);
  if (segments == NULL)
    show_status (self, error->message);
  cradle_spectrogram_view_set_segments (self->view, segments);
}

static void
segments_written (CradleSpectrogramPage *self,
                  gboolean               ok,
                  GError                *error)
{
  if (!ok)
    show_status (self, error->message);
  else
    show_status (self, NULL);
  /* The store's "changed" handler reloads them. */
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_SEGMENTS);
}

gboolean
cradle_spectrogram_page_add_segment (CradleSpectrogramPage  *self,
                                     double                  start,
                                     double                  end,
                                     const char             *label,
                                     GError                **error)
{
  gint64 id;

  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self), FALSE);
  g_return_val_if_fail (self->store != NULL && self->recording_id > 0, FALSE);

  id = cradle_dataset_add_segment (cradle_store_get_dataset (self->store), self->recording_id,
                                   start, end, label, NULL, error);
  if (id == 0)
    return FALSE;
  cradle_spectrogram_view_clear_selection (self->view);
  segments_written (self, TRUE, NULL);
  return TRUE;
}

static void
write_all_segments (CradleSpectrogramPage *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *segments = cradle_spectrogram_view_get_segments (self->view);
  gboolean ok;

  if (segments == NULL || self->recording_id == 0)
    return;
  ok = cradle_dataset_replace_segments (cradle_store_get_dataset (self->store), self->recording_id,
                                        segments, &error);
  segments_written (self, ok, error);
}

static void
delete_active_segment (CradleSpectrogramPage *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *segments = cradle_spectrogram_view_get_segments (self->view);
  int index = cradle_spectrogram_view_get_active_segment (self->view);
  CradleSegment *segment;
  gboolean ok;

  if (segments == NULL || index < 0 || self->recording_id == 0)
    return;
  segment = g_ptr_array_index (segments, index);
  ok = cradle_dataset_delete_segment (cradle_store_get_dataset (self->store), segment->id, &error);
  cradle_spectrogram_view_set_active_segment (self->view, -1);
  segments_written (self, ok, error);
}

static void
label_clicked_cb (GtkButton             *button,
                  CradleSpectrogramPage *self)
{
  const char *label = g_object_get_data (G_OBJECT (button), "label");
  g_autoptr(GError) error = NULL;
  GtkPopover *popover = self->popover;
  double start;
  double end;
  int index = cradle_spectrogram_view_get_active_segment (self->view);

  if (popover != NULL)
    gtk_popover_popdown (popover);

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "relabel")) && index >= 0)
    {
      CradleSegment *segment = g_ptr_array_index (cradle_spectrogram_view_get_segments (self->view), index);

      g_free (segment->label);
      segment->label = g_strdup (label);
      write_all_segments (self);
      return;
    }
  if (cradle_spectrogram_view_get_selection (self->view, &start, &end)
      && !cradle_spectrogram_page_add_segment (self, start, end, label, &error))
    show_status (self, error->message);
}

static void
delete_clicked_cb (GtkButton             *button,
                   CradleSpectrogramPage *self)
{
  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);
  delete_active_segment (self);
}

static gboolean
unparent_idle (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  return G_SOURCE_REMOVE;
}

/* Unparented once the emission (often a button inside it) is over. */
static void
popover_closed_cb (GtkPopover            *popover,
                   CradleSpectrogramPage *self)
{
  if (self->popover == popover)
    self->popover = NULL;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, unparent_idle, g_object_ref (popover), g_object_unref);
}

/* A popover over START..END listing the vocabulary's labels; RELABEL for a
 * segment (with a Delete button), else for the selection. */
static void
show_label_popover (CradleSpectrogramPage *self,
                    double                 start,
                    double                 end,
                    gboolean               relabel)
{
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover;
  GtkWidget *box;
  GtkWidget *flow;
  GtkWidget *heading;
  GdkRectangle rect;

  if (self->store == NULL || self->recording_id == 0)
    return;
  labels = cradle_dataset_list_labels (cradle_store_get_dataset (self->store), &error);
  if (labels == NULL)
    {
      show_status (self, error->message);
      return;
    }
  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);

  popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new (relabel ? _("Relabel Segment") : _("Label Selection as…"));
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  for (guint i = 0; i < labels->len; i++)
    {
      CradleLabelInfo *info = g_ptr_array_index (labels, i);
      GtkWidget *button = gtk_button_new_with_label (info->name);

      g_object_set_data_full (G_OBJECT (button), "label", g_strdup (info->name), g_free);
      g_object_set_data (G_OBJECT (button), "relabel", GINT_TO_POINTER (relabel));
      gtk_widget_set_tooltip_text (button, info->description);
      g_signal_connect (button, "clicked", G_CALLBACK (label_clicked_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (GTK_BOX (box), flow);
  if (relabel)
    {
      GtkWidget *del = gtk_button_new_with_label (_("Delete Segment"));

      gtk_widget_add_css_class (del, "destructive-action");
      g_signal_connect (del, "clicked", G_CALLBACK (delete_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), del);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (self->view));
  cradle_spectrogram_view_range_rect (self->view, start, end, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_TOP);
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), self);
  self->popover = GTK_POPOVER (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
selection_changed_cb (CradleSpectrogramView *view,
                      CradleSpectrogramPage *self)
{
  double start;
  double end;

  if (cradle_spectrogram_view_get_selection (view, &start, &end) && end > start)
    show_label_popover (self, start, end, FALSE);
}

static void
segment_activated_cb (CradleSpectrogramView *view,
                      int                    index,
                      CradleSpectrogramPage *self)
{
  CradleSegment *segment = g_ptr_array_index (cradle_spectrogram_view_get_segments (view), index);

  show_label_popover (self, segment->start, segment->end, TRUE);
}

static void
segments_edited_cb (CradleSpectrogramView *view,
                    CradleSpectrogramPage *self)
{
  write_all_segments (self);
}

static void
store_changed_cb (CradleStore           *store,
                  CradleStoreChange      what,
                  CradleSpectrogramPage *self)
{
  if (what & (CRADLE_STORE_CHANGE_SEGMENTS | CRADLE_STORE_CHANGE_LABELS))
    reload_segments (self);
}

/* ---- Playback ---------------------------------------------------------------- */

static void
set_play_icon (CradleSpectrogramPage *self,
               gboolean               playing)
{
  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
}

static gboolean
playback_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  CradleSpectrogramPage *self = data;
  double position = cradle_playback_get_position (self->playback);
  double start = cradle_spectrogram_view_get_view_start (self->view);
  double span = cradle_spectrogram_view_get_view_span (self->view);

  if (!cradle_playback_is_playing (self->playback))
    {
      self->playback_tick = 0;
      cradle_spectrogram_view_set_playhead (self->view, NAN);
      set_play_icon (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  /* Page along with the playhead. */
  if (position > start + span)
    cradle_spectrogram_view_set_view (self->view, position, span);
  cradle_spectrogram_view_set_playhead (self->view, position);
  return G_SOURCE_CONTINUE;
}

static void
stop_playback (CradleSpectrogramPage *self)
{
  if (self->playback_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->playback_tick);
  self->playback_tick = 0;
  if (self->playback != NULL)
    cradle_playback_stop (self->playback, NULL);   /* a stuck device: the next play says so */
  cradle_spectrogram_view_set_playhead (self->view, NAN);
  set_play_icon (self, FALSE);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (widget);
  g_autoptr(GError) error = NULL;
  double start;
  double end = 0.0;

  if (self->signal == NULL)
    return;
  if (self->playback != NULL && cradle_playback_is_playing (self->playback))
    {
      double position = cradle_playback_get_position (self->playback);

      stop_playback (self);
      cradle_spectrogram_view_set_cursor (self->view, position);
      return;
    }

  if (!cradle_spectrogram_view_get_selection (self->view, &start, &end))
    {
      start = cradle_spectrogram_view_get_cursor (self->view);
      end = 0.0;
      if (start >= self->duration - 1e-3)
        start = 0.0;
    }
  if (self->playback == NULL)
    self->playback = cradle_playback_new (NULL, NULL);
  if (!cradle_playback_play (self->playback, g_bytes_get_data (self->signal, NULL),
                             g_bytes_get_size (self->signal) / sizeof (float), self->sample_rate,
                             start, end, &error))
    {
      show_status (self, error->message);
      return;
    }
  show_status (self, NULL);
  set_play_icon (self, TRUE);
  if (self->playback_tick == 0)
    self->playback_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view), playback_tick_cb, self, NULL);
}

/* ---- Zoom, delete, export --------------------------------------------------- */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (widget);

  cradle_spectrogram_view_zoom (self->view, 2.0, NAN);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (widget);

  cradle_spectrogram_view_zoom (self->view, 0.5, NAN);
}

static void
delete_segment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  delete_active_segment (CRADLE_SPECTROGRAM_PAGE (widget));
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (widget);

  cradle_spectrogram_view_clear_selection (self->view);
  cradle_spectrogram_view_set_active_segment (self->view, -1);
}

typedef struct {
  char                   *path;
  int                     width;
  int                     height;
  CradleSpectrogramParams params;
  GBytes                 *signal;
  CradleSpectrogramStyle  style;
  char                   *title;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_bytes_unref (job->signal);
  g_free (job->title);
  g_free (job);
}

/* The visible range computed afresh (never a pending tile), then the same
 * drawing as cradle-cli spectrogram. */
static void
export_run (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(CradleSpectrogramComputer) computer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *values = NULL;
  g_autofree double *band_hz = NULL;
  gsize n = g_bytes_get_size (job->signal) / sizeof (float);
  const float *x = g_bytes_get_data (job->signal, NULL);
  double spf = (double) job->params.hop / job->params.sample_rate;
  double frames_per_px = (job->style.time_end - job->style.time_start) / spf / MAX (1, job->width * 2);
  guint64 n_frames = cradle_spectrogram_params_n_frames (&job->params, n);
  guint decimation = 1;
  guint64 first;
  guint64 last;
  guint nb;
  CradleSpectrogramData data;

  computer = cradle_spectrogram_computer_new (&job->params, &error);
  if (computer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while (decimation * 2 <= frames_per_px)
    decimation *= 2;
  first = (guint64) MAX (0.0, floor (job->style.time_start / (spf * decimation)) - 1);
  last = MIN ((n_frames + decimation - 1) / decimation,
              (guint64) ceil (job->style.time_end / (spf * decimation)) + 2);
  nb = cradle_spectrogram_computer_get_n_bands (computer);
  values = g_new (float, (gsize) (last - first) * nb);
  cradle_spectrogram_computer_do (computer, x, n, first, (guint) (last - first), decimation, values);
  band_hz = g_new (double, nb);
  for (guint b = 0; b < nb; b++)
    band_hz[b] = cradle_spectrogram_computer_band_hz (computer, b);

  data = (CradleSpectrogramData) {
    .values = values,
    .n_frames = (guint) (last - first),
    .n_bands = nb,
    .seconds_per_frame = spf * decimation,
    .start_time = (first * decimation + (decimation - 1) / 2.0) * spf,
    .band_hz = band_hz,
    .fmin = 0.0,
    .fmax = job->params.sample_rate / 2.0,
  };
  job->style.title = job->title;
  if (!cradle_spectrogram_export (job->path, job->width, job->height, &data, &job->style, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
cradle_spectrogram_page_export_async (CradleSpectrogramPage *self,
                                      const char            *path,
                                      int                    width,
                                      int                    height,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, cradle_spectrogram_page_export_async);
  if (self->signal == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No recording is open"));
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->width = width;
  job->height = height;
  params_from_settings (self, &job->params);
  job->signal = g_bytes_ref (self->signal);
  cradle_spectrogram_view_get_style (self->view, &job->style);
  /* Files: black on white, the default font. */
  job->style.foreground = (CradleRGBA) { 0, 0, 0, 1 };
  job->style.background = (CradleRGBA) { 1, 1, 1, 1 };
  job->style.pango_context = NULL;
  job->style.pixel_scale = 0.0;
  job->title = g_strdup (self->name);
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_run);
}

gboolean
cradle_spectrogram_page_export_finish (CradleSpectrogramPage  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!cradle_spectrogram_page_export_finish (self, result, &error))
    show_status (self, error->message);
}

static void
export_response_cb (GtkNativeDialog       *dialog,
                    int                    response,
                    CradleSpectrogramPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        cradle_spectrogram_page_export_async (self, path,
                                              MAX (400, gtk_widget_get_width (GTK_WIDGET (self->view))),
                                              MAX (300, gtk_widget_get_height (GTK_WIDGET (self->view))),
                                              export_done, NULL);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  char *dot;

  if (self->signal == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Spectrogram"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PNG, SVG or PDF"));
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "svg");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  stem = g_strdup (self->name != NULL ? self->name : "spectrogram");
  dot = strrchr (stem, '.');
  if (dot != NULL)
    *dot = '\0';
  name = g_strconcat (stem, ".png", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- Toolbar ↔ GSettings ------------------------------------------------------ */

static const char *const colormap_names[] = { "viridis", "magma", "grayscale", NULL };
static const char *const scale_names[] = { "linear", "mel", "log", NULL };
static const char *const window_names[] = { "hann", "hamming", "blackman", NULL };

static gboolean
string_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *const *names = user_data;
  const char *s = g_variant_get_string (variant, NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], s))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_string (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  const char *const *names = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) names))
    return NULL;
  return g_variant_new_string (names[i]);
}

static gboolean
fft_to_index (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  int fft = g_variant_get_int32 (variant);
  guint index = 0;

  while (index < 4 && (256 << (index + 1)) <= fft)
    index++;
  g_value_set_uint (value, index);
  return TRUE;
}

static GVariant *
index_to_fft (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i <= 4 ? g_variant_new_int32 (256 << i) : NULL;
}

static void
settings_changed_cb (GSettings             *settings,
                     const char            *key,
                     CradleSpectrogramPage *self)
{
  if (g_str_equal (key, "fft-size") || g_str_equal (key, "hop-fraction")
      || g_str_equal (key, "window-function"))
    reanalyse (self);
  else if (g_str_equal (key, "colormap") || g_str_equal (key, "frequency-scale")
           || g_str_equal (key, "db-range"))
    apply_display_settings (self);
}

static void
gain_changed_cb (GtkSpinButton         *spin,
                 CradleSpectrogramPage *self)
{
  apply_display_settings (self);
}

static void
f0_toggled_cb (GtkToggleButton       *toggle,
               CradleSpectrogramPage *self)
{
  update_f0 (self);
}

static void
readout_cb (CradleSpectrogramView *view,
            GParamSpec            *pspec,
            CradleSpectrogramPage *self)
{
  gtk_label_set_text (self->readout_label, cradle_spectrogram_view_get_readout (view));
}

static void
view_range_cb (CradleSpectrogramView *view,
               GParamSpec            *pspec,
               CradleSpectrogramPage *self)
{
  cradle_waveform_overview_set_range (self->overview, cradle_spectrogram_view_get_view_start (view),
                                      cradle_spectrogram_view_get_view_span (view));
}

static void
overview_seek_cb (CradleWaveformOverview *overview,
                  double                  start,
                  CradleSpectrogramPage  *self)
{
  cradle_spectrogram_view_set_view (self->view, start, cradle_spectrogram_view_get_view_span (self->view));
}

static gboolean
drop_cb (GtkDropTarget         *target,
         const GValue          *value,
         double                 x,
         double                 y,
         CradleSpectrogramPage *self)
{
  GSList *files;
  g_autofree char *path = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  path = g_file_get_path (files->data);
  if (path == NULL)
    return FALSE;
  cradle_spectrogram_page_open_file (self, path);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------------- */

static void
cradle_spectrogram_page_dispose (GObject *object)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (object);

  if (self->playback_tick != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->playback_tick);
  self->playback_tick = 0;
  g_clear_pointer (&self->playback, cradle_playback_free);
  if (self->popover != NULL)
    {
      GtkWidget *popover = GTK_WIDGET (g_steal_pointer (&self->popover));

      g_signal_handlers_disconnect_by_data (popover, self);
      if (gtk_widget_get_parent (popover) != NULL)
        gtk_widget_unparent (popover);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  cradle_spectrogram_page_set_store (self, NULL);
  /* The stack is AdwBin's child and a template child: let AdwBin drop it
   * first, or it unparents a finalized widget. */
  if (self->view != NULL)
    stop_playback (self);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_SPECTROGRAM_PAGE);
  g_clear_pointer (&self->signal, g_bytes_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (cradle_spectrogram_page_parent_class)->dispose (object);
}

static void
cradle_spectrogram_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_spectrogram_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CradleSpectrogramPage *self = CRADLE_SPECTROGRAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cradle_spectrogram_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_spectrogram_page_class_init (CradleSpectrogramPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_spectrogram_page_dispose;
  object_class->get_property = cradle_spectrogram_page_get_property;
  object_class->set_property = cradle_spectrogram_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRADLE_TYPE_SPECTROGRAM_VIEW);
  g_type_ensure (CRADLE_TYPE_WAVEFORM_OVERVIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-spectrogram-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, readout_label);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, scale_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, fft_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, range_spin);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, gain_spin);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, f0_toggle);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, view);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, scrollbar);
  gtk_widget_class_bind_template_child (widget_class, CradleSpectrogramPage, overview);

  gtk_widget_class_install_action (widget_class, "spectrogram.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "spectrogram.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "spectrogram.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "spectrogram.delete-segment", NULL, delete_segment_action);
  gtk_widget_class_install_action (widget_class, "spectrogram.clear-selection", NULL, clear_selection_action);
  gtk_widget_class_install_action (widget_class, "spectrogram.export", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "spectrogram.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "spectrogram.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "spectrogram.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "spectrogram.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "spectrogram.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "spectrogram.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "spectrogram.delete-segment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "spectrogram.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "spectrogram.export", NULL);
}

static void
cradle_spectrogram_page_init (CradleSpectrogramPage *self)
{
  GtkDropTarget *drop;
  GApplication *app = g_application_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  if (app != NULL && CRADLE_IS_APPLICATION (app))
    self->settings = g_object_ref (cradle_application_get_settings (CRADLE_APPLICATION (app)));

  gtk_scrollbar_set_adjustment (self->scrollbar, cradle_spectrogram_view_get_adjustment (self->view));
  g_signal_connect (self->view, "notify::readout", G_CALLBACK (readout_cb), self);
  g_signal_connect (self->view, "notify::view-start", G_CALLBACK (view_range_cb), self);
  g_signal_connect (self->view, "notify::view-span", G_CALLBACK (view_range_cb), self);
  g_signal_connect (self->view, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (self->view, "segment-activated", G_CALLBACK (segment_activated_cb), self);
  g_signal_connect (self->view, "segments-edited", G_CALLBACK (segments_edited_cb), self);
  g_signal_connect (self->overview, "seek", G_CALLBACK (overview_seek_cb), self);
  g_signal_connect (self->gain_spin, "value-changed", G_CALLBACK (gain_changed_cb), self);
  g_signal_connect (self->f0_toggle, "toggled", G_CALLBACK (f0_toggled_cb), self);

  if (self->settings != NULL)
    {
      g_settings_bind_with_mapping (self->settings, "colormap", self->colormap_dropdown, "selected",
                                    G_SETTINGS_BIND_DEFAULT, string_to_index, index_to_string,
                                    (gpointer) colormap_names, NULL);
      g_settings_bind_with_mapping (self->settings, "frequency-scale", self->scale_dropdown, "selected",
                                    G_SETTINGS_BIND_DEFAULT, string_to_index, index_to_string,
                                    (gpointer) scale_names, NULL);
      g_settings_bind_with_mapping (self->settings, "window-function", self->window_dropdown, "selected",
                                    G_SETTINGS_BIND_DEFAULT, string_to_index, index_to_string,
                                    (gpointer) window_names, NULL);
      g_settings_bind_with_mapping (self->settings, "fft-size", self->fft_dropdown, "selected",
                                    G_SETTINGS_BIND_DEFAULT, fft_to_index, index_to_fft, NULL, NULL);
      g_settings_bind (self->settings, "db-range", self->range_spin, "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "show-f0", self->f0_toggle, "active", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
    }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

CradleStore *
cradle_spectrogram_page_get_store (CradleSpectrogramPage *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self), NULL);

  return self->store;
}

void
cradle_spectrogram_page_set_store (CradleSpectrogramPage *self,
                                   CradleStore           *store)
{
  g_return_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  /* A recording of the previous dataset is no longer its recording. */
  if (self->recording_id != 0)
    {
      self->recording_id = 0;
      cradle_spectrogram_view_set_segments (self->view, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

CradleSpectrogramView *
cradle_spectrogram_page_get_view (CradleSpectrogramPage *self)
{
  g_return_val_if_fail (CRADLE_IS_SPECTROGRAM_PAGE (self), NULL);

  return self->view;
}
