/* cradle-record-page.c — the Record page of the main window
 *
 * Record, label and keep cries. While the page is visible and a dataset is
 * open, a CradleRecorder listens to the chosen microphone: the level meter
 * moves and the last few seconds (the pre-roll) are kept, so a recording
 * starts that much before Record was pressed. Record/Stop is Space. After
 * Stop the clip waits for a label (number keys 1–9, 0 for “Don’t Know”),
 * a baby and notes, and Save (Ctrl+S) writes it through a worker thread's
 * own dataset connection. Below, the recordings list and the class
 * balance; files and folders dropped on the page are imported.
 *
 * The UI thread never waits for the microphone: the recorder runs in its
 * own thread and the page polls its levels 30 times a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cradle-application.h"
#include "cradle-balance-view.h"
#include "cradle-capture.h"
#include "cradle-level-meter.h"
#include "cradle-device-row.h"
#include "cradle-record-page.h"
#include "cradle-recorder.h"
#include "cradle-recording-list.h"
#include "cradle-toast.h"
#include "cradle-waveform-view.h"

#define POLL_MS 33
#define N_LABEL_KEYS 9

struct _CradleRecordPage
{
  AdwBin                parent_instance;

  CradleStore          *store;
  gulong                changed_id;
  GSettings            *settings;
  GCancellable         *cancellable;     /* device list, save */

  CradleRecorder       *recorder;
  guint                 poll_id;
  CradleRecordPageMode  mode;
  char                 *failure;         /* why the microphone failed */
  float                *envelope;        /* scratch for the live waveform */
  gsize                 envelope_size;

  /* The clip waiting for a label. */
  CradleAudio          *clip;
  gint64                clip_created;
  double                clip_preroll;
  char                 *clip_device;
  char                 *chosen_label;    /* NULL: none chosen; "": don't know */

  gboolean              devices_requested;
  GArray               *baby_ids;        /* (element-type gint64) behind baby_row's items; 0 first */
  gint64                last_baby_id;
  GPtrArray            *label_buttons;   /* GtkToggleButton, vocabulary order, "Don't Know" last */
  GtkFileChooserNative *chooser;

  /* Template widgets */
  GtkStack             *top_stack;
  CradleDeviceRow      *device_row;
  GtkWidget            *live_box;
  CradleLevelMeter     *meter;
  GtkLabel             *level_label;
  CradleWaveformView   *waveform;
  GtkButton            *record_button;
  GtkLabel             *timer_label;
  GtkLabel             *hint_label;
  GtkWidget            *error_box;
  GtkLabel             *error_label;
  GtkLabel             *clip_title;
  CradleWaveformView   *clip_waveform;
  GtkFlowBox           *label_box;
  AdwComboRow          *baby_row;
  AdwEntryRow          *notes_row;
  GtkButton            *save_button;
  GtkWidget            *lower_box;
  CradleRecordingList  *recording_list;
  CradleBalanceView    *balance_view;
};

G_DEFINE_FINAL_TYPE (CradleRecordPage, cradle_record_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cradle_record_page_update_recorder (CradleRecordPage *self);
static void cradle_record_page_back_to_recorder (CradleRecordPage *self);

/* Helpers */

static void
cradle_record_page_toast (CradleRecordPage *self,
                          const char       *text)
{
  cradle_toast_show (GTK_WIDGET (self), adw_toast_new (text));
}

static void
cradle_record_page_show_error (CradleRecordPage *self,
                               const char       *heading,
                               const char       *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
format_seconds (double seconds)
{
  int s = (int) MAX (0.0, seconds);

  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static double
preroll_setting (CradleRecordPage *self)
{
  return self->settings != NULL ? g_settings_get_double (self->settings, "record-preroll") : 2.0;
}

static void
cradle_record_page_set_mode (CradleRecordPage     *self,
                             CradleRecordPageMode  mode)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean recording = mode == CRADLE_RECORD_PAGE_RECORDING;
  gboolean labeling = mode == CRADLE_RECORD_PAGE_LABELING;

  self->mode = mode;

  gtk_widget_action_set_enabled (widget, "record.toggle",
                                 mode == CRADLE_RECORD_PAGE_LISTENING || recording);
  gtk_widget_action_set_enabled (widget, "record.label", labeling);
  gtk_widget_action_set_enabled (widget, "record.dont-know", labeling);
  gtk_widget_action_set_enabled (widget, "record.save", labeling);
  gtk_widget_action_set_enabled (widget, "record.discard", labeling);
  gtk_widget_action_set_enabled (widget, "record.add-baby", self->store != NULL);
  gtk_widget_action_set_enabled (widget, "record.retry", mode == CRADLE_RECORD_PAGE_FAILED);
  gtk_widget_action_set_enabled (widget, "record.import-folder", self->store != NULL);
  gtk_widget_action_set_enabled (widget, "record.import-files", self->store != NULL);

  gtk_button_set_icon_name (self->record_button,
                            recording ? "media-playback-stop-symbolic" : "media-record-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_button),
                               recording ? _("Stop (Space)") : _("Record (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->record_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, recording ? _("Stop") : _("Record"),
                                  -1);
  if (recording)
    gtk_widget_add_css_class (GTK_WIDGET (self->record_button), "recording");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->record_button), "recording");
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row),
                            !recording && cradle_device_row_is_loaded (self->device_row));

  gtk_widget_set_visible (self->live_box, mode != CRADLE_RECORD_PAGE_FAILED);
  gtk_widget_set_visible (self->error_box, mode == CRADLE_RECORD_PAGE_FAILED);
  if (mode == CRADLE_RECORD_PAGE_FAILED)
    gtk_label_set_text (self->error_label, self->failure);

  switch (mode)
    {
    case CRADLE_RECORD_PAGE_IDLE:
      gtk_label_set_text (self->hint_label, self->store == NULL ? _("Open a dataset to record.") : "");
      break;
    case CRADLE_RECORD_PAGE_OPENING:
      gtk_label_set_text (self->hint_label, _("Opening the microphone…"));
      break;
    case CRADLE_RECORD_PAGE_LISTENING:
      {
        double preroll = preroll_setting (self);
        g_autofree char *hint = NULL;

        if (preroll > 0.0)
          /* Translators: %g is a number of seconds, e.g. "2" or "0.5". */
          hint = g_strdup_printf (_("Press Space to record. The %g s before are kept too."), preroll);
        else
          hint = g_strdup (_("Press Space to record."));
        gtk_label_set_text (self->hint_label, hint);
      }
      break;
    case CRADLE_RECORD_PAGE_RECORDING:
      gtk_label_set_text (self->hint_label, _("Recording — press Space to stop."));
      break;
    case CRADLE_RECORD_PAGE_LABELING:
    case CRADLE_RECORD_PAGE_SAVING:
    case CRADLE_RECORD_PAGE_FAILED:
    default:
      break;
    }

  gtk_stack_set_visible_child_name (self->top_stack,
                                    labeling || mode == CRADLE_RECORD_PAGE_SAVING ? "label" : "recorder");
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), labeling);
  /* Labelling gets the whole page: the list comes back after Save. */
  gtk_widget_set_visible (self->lower_box, !labeling && mode != CRADLE_RECORD_PAGE_SAVING);
}

/* Levels and the live waveform, 30 times a second */

static void
cradle_record_page_finish_recording (CradleRecordPage *self);

static gboolean
cradle_record_page_poll_cb (gpointer user_data)
{
  CradleRecordPage *self = user_data;
  g_auto(CradleRecorderStatus) status = { 0 };
  g_autofree char *level = NULL;

  if (self->recorder == NULL)
    {
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }

  cradle_recorder_get_status (self->recorder, &status);
  cradle_level_meter_set_levels (self->meter, status.peak_db, status.rms_db, status.clipping);
  if (status.clipping)
    level = g_strdup (_("Too loud"));
  else if (status.state == CRADLE_RECORDER_MONITORING || status.state == CRADLE_RECORDER_RECORDING)
    /* Translators: the input level in decibels below full scale. */
    level = g_strdup_printf (_("%.0f dB"), MAX (status.peak_db, CRADLE_LEVEL_METER_MIN_DB));
  gtk_label_set_text (self->level_label, level != NULL ? level : "");

  switch (status.state)
    {
    case CRADLE_RECORDER_OPENING:
      break;
    case CRADLE_RECORDER_MONITORING:
      if (self->mode == CRADLE_RECORD_PAGE_OPENING)
        {
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->meter), status.device_name);
          cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_LISTENING);
        }
      if (self->mode == CRADLE_RECORD_PAGE_LISTENING)
        {
          /* What is heard, dimmed: not being recorded (beyond the pre-roll). */
          gsize n = cradle_recorder_copy_monitor_envelope (self->recorder, self->envelope, self->envelope_size);

          cradle_waveform_view_set_envelope (self->waveform, self->envelope, n,
                                             CRADLE_RECORDER_ENVELOPE_RATE, n, TRUE);
        }
      break;
    case CRADLE_RECORDER_RECORDING:
      {
        gsize n = cradle_recorder_copy_envelope (self->recorder, self->envelope, self->envelope_size);
        gsize total = (gsize) (status.recorded_seconds * CRADLE_RECORDER_ENVELOPE_RATE);
        gsize preroll = (gsize) (status.preroll_seconds * CRADLE_RECORDER_ENVELOPE_RATE);
        g_autofree char *timer = format_seconds (status.recorded_seconds - status.preroll_seconds);

        /* The copy is the end of the envelope: shift the pre-roll mark. */
        preroll = total > n ? (preroll > total - n ? preroll - (total - n) : 0) : preroll;
        cradle_waveform_view_set_envelope (self->waveform, self->envelope, n,
                                           CRADLE_RECORDER_ENVELOPE_RATE, preroll, TRUE);
        gtk_label_set_text (self->timer_label, timer);
      }
      break;
    case CRADLE_RECORDER_FINISHED:
      cradle_record_page_finish_recording (self);
      break;
    case CRADLE_RECORDER_FAILED:
      g_free (self->failure);
      self->failure = g_strdup (status.error_message);
      if (self->mode == CRADLE_RECORD_PAGE_RECORDING)
        /* Keep what was heard before the device went away. */
        cradle_record_page_finish_recording (self);
      g_clear_pointer (&self->recorder, cradle_recorder_unref);
      cradle_level_meter_set_levels (self->meter, CRADLE_RECORDER_FLOOR_DB, CRADLE_RECORDER_FLOOR_DB, FALSE);
      if (self->mode != CRADLE_RECORD_PAGE_LABELING && self->mode != CRADLE_RECORD_PAGE_SAVING)
        cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_FAILED);
      else
        /* The clip waits; the microphone is tried again after Save. */
        cradle_record_page_toast (self, self->failure);
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Starts or stops listening: the microphone is open while the page is
 * visible with a dataset, and for as long as a recording runs. */
static void
cradle_record_page_update_recorder (CradleRecordPage *self)
{
  gboolean recording = self->mode == CRADLE_RECORD_PAGE_RECORDING;
  gboolean want = recording ||
                  (self->store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                   self->mode != CRADLE_RECORD_PAGE_FAILED);

  if (want && self->recorder == NULL)
    {
      g_autofree char *device = self->settings != NULL ? g_settings_get_string (self->settings, "input-device")
                                                       : g_strdup ("");

      self->recorder = cradle_recorder_new (device, CRADLE_RECORD_PAGE_RATE, preroll_setting (self));
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add (POLL_MS, cradle_record_page_poll_cb, self);
      if (self->mode != CRADLE_RECORD_PAGE_LABELING && self->mode != CRADLE_RECORD_PAGE_SAVING)
        cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_OPENING);
    }
  else if (!want && self->recorder != NULL)
    {
      g_clear_pointer (&self->recorder, cradle_recorder_unref);
      g_clear_handle_id (&self->poll_id, g_source_remove);
      cradle_level_meter_set_levels (self->meter, CRADLE_RECORDER_FLOOR_DB, CRADLE_RECORDER_FLOOR_DB, FALSE);
      gtk_label_set_text (self->level_label, "");
      if (self->mode == CRADLE_RECORD_PAGE_OPENING || self->mode == CRADLE_RECORD_PAGE_LISTENING)
        cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_IDLE);
    }
  else if (!want && self->mode != CRADLE_RECORD_PAGE_FAILED && self->mode != CRADLE_RECORD_PAGE_LABELING &&
           self->mode != CRADLE_RECORD_PAGE_SAVING)
    cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_IDLE);
}

static void
cradle_record_page_restart_recorder (CradleRecordPage *self)
{
  if (self->mode == CRADLE_RECORD_PAGE_RECORDING)
    return;
  g_clear_pointer (&self->recorder, cradle_recorder_unref);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->mode == CRADLE_RECORD_PAGE_FAILED)
    cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_IDLE);
  cradle_record_page_update_recorder (self);
}

static void
cradle_record_page_settings_changed_cb (CradleRecordPage *self,
                                        const char       *key,
                                        GSettings        *settings)
{
  if (g_str_equal (key, "input-device") || g_str_equal (key, "record-preroll"))
    cradle_record_page_restart_recorder (self);
}

/* Labelling */

static void
cradle_record_page_clear_clip (CradleRecordPage *self)
{
  g_clear_pointer (&self->clip, cradle_audio_free);
  g_clear_pointer (&self->clip_device, g_free);
  g_clear_pointer (&self->chosen_label, g_free);
  for (guint i = 0; i < self->label_buttons->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->label_buttons, i), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), "");
  cradle_waveform_view_clear (self->clip_waveform);
}

static void
cradle_record_page_finish_recording (CradleRecordPage *self)
{
  g_auto(CradleRecorderStatus) status = { 0 };
  g_autofree char *length = NULL;
  g_autofree char *title = NULL;
  CradleAudio *audio;

  if (self->recorder == NULL)
    return;

  cradle_recorder_get_status (self->recorder, &status);
  audio = cradle_recorder_end (self->recorder, &self->clip_created);
  cradle_waveform_view_clear (self->waveform);
  gtk_label_set_text (self->timer_label, "0:00");
  if (audio == NULL)
    {
      cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_LISTENING);
      cradle_record_page_update_recorder (self);
      return;
    }

  cradle_record_page_clear_clip (self);
  self->clip = audio;
  self->clip_preroll = status.preroll_seconds;
  self->clip_device = g_strdup (status.device_name);
  cradle_waveform_view_set_samples (self->clip_waveform, audio->samples, audio->n_samples,
                                    audio->sample_rate, self->clip_preroll);
  length = g_strdup_printf ("%.1f", (double) audio->n_samples / audio->sample_rate);
  /* Translators: %s is the length of the recording in seconds, e.g. "4.2". */
  title = g_strdup_printf (_("What Was It? (%s s)"), length);
  gtk_label_set_text (self->clip_title, title);
  cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_LABELING);
  if (self->label_buttons->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->label_buttons, 0));

  /* Listening goes on only while the page is visible. */
  cradle_record_page_update_recorder (self);
}

static void
label_toggled_cb (GtkToggleButton  *button,
                  CradleRecordPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  g_free (self->chosen_label);
  self->chosen_label = g_strdup (g_object_get_data (G_OBJECT (button), "cradle-label"));
}

static GtkWidget *
label_button_new (const char *name,
                  const char *title,
                  const char *key,
                  const char *tooltip)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title_label = gtk_label_new (title);

  if (key != NULL)
    {
      GtkWidget *key_label = gtk_label_new (key);

      gtk_widget_add_css_class (key_label, "dim-label");
      gtk_widget_add_css_class (key_label, "numeric");
      gtk_box_append (GTK_BOX (box), key_label);
    }
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "cradle-label-button");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "cradle-label", g_strdup (name), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return button;
}

static void
cradle_record_page_reload_labels (CradleRecordPage *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  GtkToggleButton *group = NULL;
  GtkWidget *dont_know;

  for (guint i = 0; i < self->label_buttons->len; i++)
    gtk_flow_box_remove (self->label_box, gtk_widget_get_parent (g_ptr_array_index (self->label_buttons, i)));
  g_ptr_array_set_size (self->label_buttons, 0);
  g_clear_pointer (&self->chosen_label, g_free);

  if (self->store == NULL)
    return;
  labels = cradle_dataset_list_labels (cradle_store_get_dataset (self->store), NULL);
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      CradleLabelInfo *info = g_ptr_array_index (labels, i);
      g_autofree char *key = i < N_LABEL_KEYS ? g_strdup_printf ("%u", i + 1) : NULL;
      g_autofree char *title = g_strdup (info->name);
      GtkWidget *button;

      title[0] = g_ascii_toupper (title[0]);
      button = label_button_new (info->name, title, key, info->description);
      if (info->is_cry)
        gtk_widget_add_css_class (button, "cradle-cry");
      g_ptr_array_add (self->label_buttons, button);
    }
  dont_know = label_button_new ("", _("Don’t Know"), "0", _("You listened and cannot tell"));
  g_ptr_array_add (self->label_buttons, dont_know);

  for (guint i = 0; i < self->label_buttons->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->label_buttons, i);

      gtk_toggle_button_set_group (button, group);
      group = group != NULL ? group : button;
      g_signal_connect_object (button, "toggled", G_CALLBACK (label_toggled_cb), self, 0);
      gtk_flow_box_append (self->label_box, GTK_WIDGET (button));
    }
}

static void
cradle_record_page_reload_babies (CradleRecordPage *self)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) babies = NULL;
  guint selected = 0;
  gint64 none = 0;

  g_array_set_size (self->baby_ids, 0);
  gtk_string_list_append (items, _("No baby"));
  g_array_append_val (self->baby_ids, none);
  if (self->store != NULL)
    babies = cradle_dataset_list_babies (cradle_store_get_dataset (self->store), NULL);
  for (guint i = 0; babies != NULL && i < babies->len; i++)
    {
      CradleBaby *baby = g_ptr_array_index (babies, i);

      gtk_string_list_append (items, baby->alias);
      g_array_append_val (self->baby_ids, baby->id);
      if (baby->id == self->last_baby_id)
        selected = self->baby_ids->len - 1;
    }
  adw_combo_row_set_model (self->baby_row, G_LIST_MODEL (items));
  adw_combo_row_set_selected (self->baby_row, selected);
}

static gint64
selected_baby_id (CradleRecordPage *self)
{
  guint selected = adw_combo_row_get_selected (self->baby_row);

  return selected < self->baby_ids->len ? g_array_index (self->baby_ids, gint64, selected) : 0;
}

static void
baby_selected_cb (CradleRecordPage *self,
                  GParamSpec       *pspec,
                  AdwComboRow      *row)
{
  guint selected = adw_combo_row_get_selected (row);

  /* Remembered for the next recording. */
  if (selected < self->baby_ids->len)
    self->last_baby_id = g_array_index (self->baby_ids, gint64, selected);
}

static void
cradle_record_page_store_changed_cb (CradleRecordPage *self,
                                     guint             what,
                                     CradleStore      *store)
{
  if (what & CRADLE_STORE_CHANGE_LABELS)
    cradle_record_page_reload_labels (self);
  if (what & CRADLE_STORE_CHANGE_BABIES)
    cradle_record_page_reload_babies (self);
}

/* Saving */

typedef struct {
  char        *dir;
  CradleAudio *audio;
  char        *label;
  CradleLabelStatus status;
  gint64       baby_id;
  char        *notes;
  char        *device;
  gint64       created;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->dir);
  cradle_audio_free (job->audio);
  g_free (job->label);
  g_free (job->notes);
  g_free (job->device);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autoptr(CradleDataset) dataset = NULL;
  CradleRecordingSpec spec = { 0 };
  GError *error = NULL;
  gint64 id;

  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  spec.audio = job->audio;
  spec.label = job->label;
  spec.label_status = job->status;
  spec.confidence = -1;
  spec.baby_id = job->baby_id;
  spec.source = "record";
  spec.channels = 1;
  spec.device = job->device;
  spec.created = job->created;
  spec.notes = job->notes;
  id = cradle_dataset_add_recording (dataset, &spec, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CradleRecordPage) self = user_data;
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  id = g_task_propagate_int (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (id == 0)
    {
      /* The clip stays, so Save can be tried again. */
      cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_LABELING);
      cradle_record_page_show_error (self, _("Cannot Save the Recording"), error->message);
      return;
    }

  if (job->label != NULL)
    /* Translators: %s is a label such as "hunger". */
    text = g_strdup_printf (_("Saved as “%s”"), job->label);
  else
    text = g_strdup (_("Saved"));
  cradle_record_page_toast (self, text);
  cradle_record_page_back_to_recorder (self);
  if (self->store != NULL)
    cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
}

/* After Save or Discard: listening again, or opening the microphone. */
static void
cradle_record_page_back_to_recorder (CradleRecordPage *self)
{
  CradleRecordPageMode mode = CRADLE_RECORD_PAGE_IDLE;

  cradle_record_page_clear_clip (self);
  if (self->recorder != NULL)
    {
      g_auto(CradleRecorderStatus) status = { 0 };

      cradle_recorder_get_status (self->recorder, &status);
      mode = status.state == CRADLE_RECORDER_MONITORING ? CRADLE_RECORD_PAGE_LISTENING : CRADLE_RECORD_PAGE_OPENING;
    }
  cradle_record_page_set_mode (self, mode);
  cradle_record_page_update_recorder (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->record_button));
}

/* Actions */

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);

  if (self->recorder == NULL)
    return;

  if (self->mode == CRADLE_RECORD_PAGE_RECORDING)
    cradle_record_page_finish_recording (self);
  else if (self->mode == CRADLE_RECORD_PAGE_LISTENING)
    {
      int auto_stop = self->settings != NULL ? g_settings_get_int (self->settings, "record-auto-stop") : 0;

      if (cradle_recorder_begin (self->recorder, auto_stop))
        {
          gtk_label_set_text (self->timer_label, "0:00");
          cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_RECORDING);
        }
    }
}

static void
label_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);
  int index = g_variant_get_int32 (parameter);

  /* The last button is "Don't Know", which has its own key. */
  if (index < 0 || (guint) index + 1 >= self->label_buttons->len)
    return;
  gtk_toggle_button_set_active (g_ptr_array_index (self->label_buttons, index), TRUE);
}

static void
dont_know_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);

  if (self->label_buttons->len > 0)
    gtk_toggle_button_set_active (g_ptr_array_index (self->label_buttons, self->label_buttons->len - 1), TRUE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  const char *notes;
  SaveJob *job;

  if (self->clip == NULL || self->store == NULL || self->mode != CRADLE_RECORD_PAGE_LABELING)
    return;

  notes = gtk_editable_get_text (GTK_EDITABLE (self->notes_row));
  job = g_new0 (SaveJob, 1);
  job->dir = g_strdup (cradle_store_get_dir (self->store));
  /* A copy: the clip stays until the save succeeds. */
  job->audio = cradle_audio_new (self->clip->sample_rate, self->clip->n_samples);
  memcpy (job->audio->samples, self->clip->samples, self->clip->n_samples * sizeof (float));
  if (self->chosen_label != NULL && self->chosen_label[0] != '\0')
    {
      job->label = g_strdup (self->chosen_label);
      job->status = CRADLE_LABEL_STATUS_CONFIRMED;
    }
  else
    job->status = self->chosen_label != NULL ? CRADLE_LABEL_STATUS_DONT_KNOW : CRADLE_LABEL_STATUS_NONE;
  job->baby_id = selected_baby_id (self);
  job->notes = notes[0] != '\0' ? g_strdup (notes) : NULL;
  job->device = g_strdup (self->clip_device);
  job->created = self->clip_created;

  cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_SAVING);
  task = g_task_new (NULL, self->cancellable, save_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cradle_record_page_back_to_recorder (CRADLE_RECORD_PAGE (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cradle_record_page_restart_recorder (CRADLE_RECORD_PAGE (widget));
}

static void
add_baby_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      CradleRecordPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cradle-entry");
  g_autofree char *alias = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  CradleBaby baby = { 0 };
  gint64 id;

  if (!g_str_equal (response, "add") || alias[0] == '\0' || self->store == NULL)
    return;

  baby.alias = alias;
  id = cradle_dataset_add_baby (cradle_store_get_dataset (self->store), &baby, &error);
  if (id == 0)
    {
      cradle_record_page_show_error (self, _("Cannot Add the Baby"), error->message);
      return;
    }
  self->last_baby_id = id;
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_BABIES);
}

static void
add_baby_entry_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *alias = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "add", alias[0] != '\0');
}

static void
add_baby_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Add Baby"),
                                   _("A first name or nickname. It stays on this computer."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "cradle-entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (add_baby_entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_baby_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Importing */

static void
import_files (CradleRecordPage *self,
              GListModel       *files)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      char *path = g_file_get_path (file);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    {
      cradle_record_page_toast (self, _("Only files on this computer can be imported"));
      return;
    }
  cradle_record_page_import (self, paths);
}

static void
chooser_response_cb (CradleRecordPage     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
  if (files != NULL)
    import_files (self, files);
}

static void
open_chooser (CradleRecordPage     *self,
              GtkFileChooserAction  action,
              const char           *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) audio = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
      gtk_file_filter_set_name (audio, _("Audio"));
      gtk_file_filter_add_mime_type (audio, "audio/*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), audio);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_chooser (CRADLE_RECORD_PAGE (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                _("Import a Folder of Audio"));
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_chooser (CRADLE_RECORD_PAGE (widget), GTK_FILE_CHOOSER_ACTION_OPEN, _("Import Audio Files"));
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         CradleRecordPage *self)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  GSList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->store == NULL)
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  g_slist_free (list);
  import_files (self, G_LIST_MODEL (files));
  return TRUE;
}

/* GObject */

static void
cradle_record_page_map (GtkWidget *widget)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);

  GTK_WIDGET_CLASS (cradle_record_page_parent_class)->map (widget);
  cradle_record_page_update_recorder (self);

  /* Keyboard first: Space records as soon as the page shows, unless the
   * focus is in the page already. (Focus left elsewhere, e.g. in a toast,
   * would also keep that toast from timing out.) */
  if (self->mode != CRADLE_RECORD_PAGE_LABELING && self->mode != CRADLE_RECORD_PAGE_SAVING)
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus == NULL || !gtk_widget_is_ancestor (focus, widget))
        gtk_widget_grab_focus (GTK_WIDGET (self->record_button));
    }
}

static void
cradle_record_page_unmap (GtkWidget *widget)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);

  GTK_WIDGET_CLASS (cradle_record_page_parent_class)->unmap (widget);
  cradle_record_page_update_recorder (self);
}

static void
device_row_loaded_cb (CradleRecordPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), self->mode != CRADLE_RECORD_PAGE_RECORDING);
}

static void
cradle_record_page_realize (GtkWidget *widget)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (widget);

  GTK_WIDGET_CLASS (cradle_record_page_parent_class)->realize (widget);

  /* The list comes once, from a worker: PortAudio may take a moment. */
  if (self->devices_requested || self->settings == NULL)
    return;
  self->devices_requested = TRUE;
  cradle_device_row_bind (self->device_row, self->settings);
}

static void
cradle_record_page_dispose (GObject *object)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->recorder != NULL)
    {
      g_clear_pointer (&self->recorder, cradle_recorder_unref);
      /* The page goes with its window, often at exit: let the worker close
       * the device before PortAudio is torn down under it. Bounded, since
       * the UI thread waits here. */
      cradle_recorder_wait_all (500);
    }
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  if (self->settings != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->settings, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_RECORD_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cradle_record_page_parent_class)->dispose (object);
}

static void
cradle_record_page_finalize (GObject *object)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->clip, cradle_audio_free);
  g_free (self->clip_device);
  g_free (self->chosen_label);
  g_free (self->failure);
  g_free (self->envelope);
  g_clear_pointer (&self->baby_ids, g_array_unref);
  g_clear_pointer (&self->label_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (cradle_record_page_parent_class)->finalize (object);
}

static void
cradle_record_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (object);

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
cradle_record_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CradleRecordPage *self = CRADLE_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cradle_record_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_record_page_class_init (CradleRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_record_page_dispose;
  object_class->finalize = cradle_record_page_finalize;
  object_class->get_property = cradle_record_page_get_property;
  object_class->set_property = cradle_record_page_set_property;
  widget_class->map = cradle_record_page_map;
  widget_class->unmap = cradle_record_page_unmap;
  widget_class->realize = cradle_record_page_realize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRADLE_TYPE_DEVICE_ROW);
  g_type_ensure (CRADLE_TYPE_LEVEL_METER);
  g_type_ensure (CRADLE_TYPE_WAVEFORM_VIEW);
  g_type_ensure (CRADLE_TYPE_RECORDING_LIST);
  g_type_ensure (CRADLE_TYPE_BALANCE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, top_stack);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, live_box);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, meter);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, level_label);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, waveform);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, timer_label);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, clip_title);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, clip_waveform);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, label_box);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, baby_row);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, lower_box);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, recording_list);
  gtk_widget_class_bind_template_child (widget_class, CradleRecordPage, balance_view);

  gtk_widget_class_install_action (widget_class, "record.toggle", NULL, toggle_action);
  gtk_widget_class_install_action (widget_class, "record.label", "i", label_action);
  gtk_widget_class_install_action (widget_class, "record.dont-know", NULL, dont_know_action);
  gtk_widget_class_install_action (widget_class, "record.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "record.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "record.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "record.add-baby", NULL, add_baby_action);
  gtk_widget_class_install_action (widget_class, "record.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "record.import-files", NULL, import_files_action);

  /* Keys for the page, after the focused widget had its chance (an entry
   * keeps its spaces and digits). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "record.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "record.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "record.dont-know", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "record.dont-know", NULL);
  for (int i = 0; i < N_LABEL_KEYS; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, 0, "record.label", "i", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1 + i, 0, "record.label", "i", i);
    }
}

static void
cradle_record_page_init (CradleRecordPage *self)
{
  GApplication *app = g_application_get_default ();
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "cradle-record-page");

  self->cancellable = g_cancellable_new ();
  self->baby_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->label_buttons = g_ptr_array_new ();
  self->envelope_size = (gsize) (CRADLE_WAVEFORM_VIEW_FOLLOW_SECONDS * CRADLE_RECORDER_ENVELOPE_RATE);
  self->envelope = g_new0 (float, self->envelope_size);

  if (CRADLE_IS_APPLICATION (app))
    {
      self->settings = g_object_ref (cradle_application_get_settings (CRADLE_APPLICATION (app)));
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (cradle_record_page_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->baby_row, "notify::selected", G_CALLBACK (baby_selected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device_row, "notify::loaded", G_CALLBACK (device_row_loaded_cb),
                           self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  cradle_record_page_reload_babies (self);
  cradle_record_page_set_mode (self, CRADLE_RECORD_PAGE_IDLE);
}

CradleStore *
cradle_record_page_get_store (CradleRecordPage *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORD_PAGE (self), NULL);

  return self->store;
}

void
cradle_record_page_set_store (CradleRecordPage *self,
                              CradleStore      *store)
{
  g_return_if_fail (CRADLE_IS_RECORD_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect_object (store, "changed",
                                                G_CALLBACK (cradle_record_page_store_changed_cb),
                                                self, G_CONNECT_SWAPPED);

  /* A clip waiting for a label belonged to the old dataset's session;
   * it is kept and saved into the new one. */
  cradle_record_page_reload_labels (self);
  cradle_record_page_reload_babies (self);
  cradle_recording_list_set_store (self->recording_list, store);
  cradle_balance_view_set_store (self->balance_view, store);
  cradle_record_page_set_mode (self, self->mode);
  cradle_record_page_update_recorder (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

CradleRecordPageMode
cradle_record_page_get_mode (CradleRecordPage *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORD_PAGE (self), CRADLE_RECORD_PAGE_IDLE);

  return self->mode;
}

CradleImportDialog *
cradle_record_page_import (CradleRecordPage *self,
                           GPtrArray        *paths)
{
  GtkRoot *root;
  CradleImportDialog *dialog;

  g_return_val_if_fail (CRADLE_IS_RECORD_PAGE (self), NULL);
  g_return_val_if_fail (paths != NULL && paths->len > 0, NULL);

  if (self->store == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = cradle_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, paths);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
