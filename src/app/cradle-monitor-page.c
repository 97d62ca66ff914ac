/* cradle-monitor-page.c — the Monitor page: the night monitor
 *
 * Start (Ctrl+M) loads the active models in a worker thread and runs a
 * CradleMonitor (cradle-monitor.h) on the chosen microphone; its reports
 * arrive on the UI thread and only update widgets: the live spectrogram
 * with P(cry), the cause bars, the state line, the alert banner. An alert
 * raises the window, sends a desktop notification (alert-notification),
 * plays a chime (alert-sound, played by the monitor's worker) and can be
 * dismissed or snoozed; each event the monitor saves appears in the
 * "Tonight" timeline, where "False Alarm" and "Correct Cause" confirm its
 * clip's label in the dataset. While monitoring the application holds
 * itself and the window hides instead of closing, so listening goes on
 * until Stop. Room calibration records a minute of the room as confirmed
 * background clips in a worker thread.
 *
 * The models are the settings' detect-model and cause-model, or else the
 * dataset's newest detect and cause models; with no detect model at all the
 * page says how to get one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>

#include "cradle-application.h"
#include "cradle-capture.h"
#include "cradle-cause-bars.h"
#include "cradle-event-row.h"
#include "cradle-live-spectrogram.h"
#include "cradle-device-row.h"
#include "cradle-monitor-page.h"
#include "cradle-monitor.h"
#include "cradle-window.h"

/* Room calibration: this many seconds in clips of CLIP seconds, at RATE. */
#define CALIBRATION_SECONDS      60.0
#define CALIBRATION_CLIP_SECONDS 5.0
#define CALIBRATION_RATE         16000
/* The timeline shows the events of the last this many hours. */
#define TIMELINE_HOURS           12
#define NOTIFICATION_ID          "cradle-alert"

typedef enum {
  STATE_IDLE,
  STATE_STARTING,   /* loading the models */
  STATE_RUNNING,
  STATE_STOPPING,   /* waiting for the worker's last report */
} MonitorState;

/* Shared by the calibration worker and the UI's progress timeout. */
typedef struct {
  gint permille;  /* atomic */
} CalibrationProgress;

struct _CradleMonitorPage
{
  AdwBin                 parent_instance;

  CradleStore           *store;
  GSettings             *settings;
  GCancellable          *cancellable;   /* the page's tasks, cancelled on dispose */

  /* The active models */
  char                  *detect_path;
  char                  *cause_path;
  gint64                 detect_model_id;
  /* The detect model's tuned detector settings (its file's "detector"
   * record), read off the UI thread; NULL: none, or not read yet. */
  JsonNode              *tuning;
  CradleDetectorSettings tuned;          /* its settings, when tuned_valid */
  gboolean               tuned_valid;
  GCancellable          *tuning_read;

  /* Monitoring */
  MonitorState           state;
  CradleMonitor         *monitor;
  gboolean               holding;
  char                  *device_name;
  gint64                 snooze_until_us;   /* g_get_monotonic_time(); 0: not snoozed */
  gboolean               alert_shown;
  double                 event_start;
  gint64                 event_wall_us;
  GStrv                  cause_labels;
  AdwColorScheme         saved_scheme;
  gboolean               night_applied;
  guint                  reload_idle;

  /* Calibration */
  GCancellable          *calibration;
  CalibrationProgress   *calibration_progress;
  guint                  calibration_timeout;

  /* Devices */

  /* Template widgets */
  GtkStack              *main_stack;
  GtkRevealer           *alert_revealer;
  GtkLabel              *alert_title;
  GtkLabel              *alert_detail;
  GtkRevealer           *error_revealer;
  GtkLabel              *error_label;
  GtkWidget             *content;
  GtkButton             *start_button;
  GtkLabel              *start_label;
  GtkLabel              *state_label;
  GtkLabel              *status_label;
  GtkLevelBar           *level_bar;
  GtkToggleButton       *night_button;
  CradleLiveSpectrogram *spectrogram;
  CradleCauseBars       *cause_bars;
  GtkListBox            *event_list;
  CradleDeviceRow       *device_row;
  AdwActionRow          *detect_row;
  AdwActionRow          *cause_row;
  AdwActionRow          *tuned_row;
  GtkSwitch             *tuned_switch;
  GtkWidget             *threshold_row;
  GtkWidget             *cooldown_row;
  GtkAdjustment         *threshold_adjustment;
  GtkAdjustment         *cooldown_adjustment;
  GtkSwitch             *notification_switch;
  GtkSwitch             *sound_switch;
  GtkProgressBar        *calibration_progress_bar;
  GtkButton             *calibration_button;
};

G_DEFINE_FINAL_TYPE (CradleMonitorPage, cradle_monitor_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MONITORING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cradle_monitor_page_update_state (CradleMonitorPage *self);
static void cradle_monitor_page_reload_events (CradleMonitorPage *self);

static void
toast (CradleMonitorPage *self,
       const char        *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CRADLE_IS_WINDOW (root))
    cradle_window_add_toast (CRADLE_WINDOW (root), adw_toast_new (text));
}

static void
show_error (CradleMonitorPage *self,
            const char        *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* ---- The active models ------------------------------------------------------ */

/* The newest model of TASK in the dataset's models table whose file exists. */
static char *
newest_model (CradleDataset *dataset,
              const char    *task,
              gint64        *id)
{
  sqlite3_stmt *s = NULL;
  char *path = NULL;

  *id = 0;
  if (sqlite3_prepare_v2 (
          cradle_dataset_get_db (dataset),
          "SELECT id, path FROM models WHERE task = ? ORDER BY active DESC, id DESC", -1, &s, NULL)
      != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (s, 1, task, -1, SQLITE_STATIC);
  while (path == NULL && sqlite3_step (s) == SQLITE_ROW)
    {
      const char *candidate = (const char *) sqlite3_column_text (s, 1);

      if (candidate != NULL && g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        {
          path = g_strdup (candidate);
          *id = sqlite3_column_int64 (s, 0);
        }
    }
  sqlite3_finalize (s);
  return path;
}

static gint64
model_id_for_path (CradleDataset *dataset,
                   const char    *path)
{
  sqlite3_stmt *s = NULL;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (cradle_dataset_get_db (dataset),
                          "SELECT id FROM models WHERE path = ? ORDER BY id DESC", -1, &s, NULL)
      != SQLITE_OK)
    return 0;
  sqlite3_bind_text (s, 1, path, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return id;
}

/* ---- The detect model's tuned settings -------------------------------------- */

typedef struct {
  JsonNode               *record;    /* the model's "detector" object, or NULL */
  CradleDetectorSettings  settings;  /* read from it, when valid */
  gboolean                valid;
} Tuning;

static void
tuning_free (Tuning *tuning)
{
  g_clear_pointer (&tuning->record, json_node_unref);
  g_free (tuning);
}

static void
read_tuning_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(CradleModel) model = NULL;
  GError *error = NULL;
  JsonNode *detector;
  Tuning *tuning;

  model = cradle_model_load (task_data, &error);
  if (model == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  tuning = g_new0 (Tuning, 1);
  detector = cradle_model_get_detector (model);
  if (detector != NULL)
    {
      tuning->record = json_node_copy (detector);
      tuning->valid = cradle_detector_settings_init_for_model (&tuning->settings, model, NULL);
    }
  g_task_return_pointer (task, tuning, (GDestroyNotify) tuning_free);
}

/* "Threshold 0.75 held for 1.00 s, cooldown 1 s. On its dev streams: …" */
static char *
describe_tuning (CradleMonitorPage *self)
{
  const CradleDetectorSettings *s = &self->tuned;
  JsonObject *scores;
  g_autofree char *settings = NULL;

  if (!self->tuned_valid)
    return g_strdup (_("The model's tuned settings are invalid; the defaults apply"));
  settings = g_strdup_printf (_("Threshold %.2f held for %.2f s, cooldown %.0f s"), s->on_threshold,
                              s->confirm_windows * s->hop_seconds, s->cooldown_seconds);
  scores = json_object_get_object_member (json_node_get_object (self->tuning), "tuned");
  if (scores == NULL || !json_object_has_member (scores, "cries"))
    return g_steal_pointer (&settings);
  /* Translators: the first %s is e.g. "Threshold 0.75 held for 1.00 s, cooldown 1 s". */
  return g_strdup_printf (_("%s. On its dev streams: %d of %d cries, %.1f false alarms per hour"),
                          settings, (int) json_object_get_int_member_with_default (scores, "detected", 0),
                          (int) json_object_get_int_member_with_default (scores, "cries", 0),
                          json_object_get_double_member_with_default (scores, "false_alarms_per_hour", 0.0));
}

/* The threshold line of the live view, while idle: the one the next start
 * will use. (While monitoring it shows the one in use.) */
static void
cradle_monitor_page_show_threshold (CradleMonitorPage *self)
{
  double threshold = gtk_adjustment_get_value (self->threshold_adjustment);

  if (self->state != STATE_IDLE)
    return;
  if (self->tuned_valid && gtk_switch_get_active (self->tuned_switch))
    threshold = self->tuned.on_threshold;
  cradle_live_spectrogram_set_threshold (self->spectrogram, threshold);
}

static void
cradle_monitor_page_show_tuning (CradleMonitorPage *self)
{
  g_autofree char *text = NULL;

  if (self->tuning != NULL)
    text = describe_tuning (self);
  else if (self->detect_path != NULL)
    text = g_strdup (_("This model has none: tune it with “cradle-cli tune-detector”"));
  adw_action_row_set_subtitle (self->tuned_row, text != NULL ? text : "");
  cradle_monitor_page_update_state (self);
  cradle_monitor_page_show_threshold (self);
}

static void
read_tuning_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (source);
  g_autoptr(GError) error = NULL;
  Tuning *tuning = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* An unreadable model is reported when monitoring starts. */
  g_clear_pointer (&self->tuning, json_node_unref);
  self->tuned_valid = FALSE;
  if (tuning != NULL)
    {
      self->tuning = g_steal_pointer (&tuning->record);
      self->tuned = tuning->settings;
      self->tuned_valid = tuning->valid;
      tuning_free (tuning);
    }
  cradle_monitor_page_show_tuning (self);
}

static void
cradle_monitor_page_read_tuning (CradleMonitorPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->tuning_read != NULL)
    g_cancellable_cancel (self->tuning_read);
  g_clear_object (&self->tuning_read);
  g_clear_pointer (&self->tuning, json_node_unref);
  self->tuned_valid = FALSE;
  cradle_monitor_page_show_tuning (self);
  if (self->detect_path == NULL)
    return;
  self->tuning_read = g_cancellable_new ();
  task = g_task_new (self, self->tuning_read, read_tuning_done_cb, NULL);
  g_task_set_source_tag (task, cradle_monitor_page_read_tuning);
  g_task_set_task_data (task, g_strdup (self->detect_path), g_free);
  g_task_run_in_thread (task, read_tuning_thread);
}

static void
cradle_monitor_page_resolve_models (CradleMonitorPage *self)
{
  CradleDataset *dataset = self->store != NULL ? cradle_store_get_dataset (self->store) : NULL;
  g_autofree char *detect
      = self->settings != NULL ? g_settings_get_string (self->settings, "detect-model") : NULL;
  g_autofree char *cause
      = self->settings != NULL ? g_settings_get_string (self->settings, "cause-model") : NULL;
  gint64 unused;

  g_clear_pointer (&self->detect_path, g_free);
  g_clear_pointer (&self->cause_path, g_free);
  self->detect_model_id = 0;

  if (detect != NULL && *detect != '\0' && g_file_test (detect, G_FILE_TEST_IS_REGULAR))
    {
      self->detect_path = g_steal_pointer (&detect);
      if (dataset != NULL)
        self->detect_model_id = model_id_for_path (dataset, self->detect_path);
    }
  else if (dataset != NULL)
    self->detect_path = newest_model (dataset, "detect", &self->detect_model_id);

  if (cause != NULL && *cause != '\0' && g_file_test (cause, G_FILE_TEST_IS_REGULAR))
    self->cause_path = g_steal_pointer (&cause);
  else if (dataset != NULL)
    self->cause_path = newest_model (dataset, "cause", &unused);

  if (self->detect_path != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->detect_path);

      adw_action_row_set_subtitle (self->detect_row, name);
    }
  if (self->cause_path != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->cause_path);

      adw_action_row_set_subtitle (self->cause_row, name);
    }
  else
    adw_action_row_set_subtitle (self->cause_row, _("None: causes are not estimated"));

  cradle_monitor_page_read_tuning (self);
}

/* ---- Night mode ------------------------------------------------------------- */

static void
cradle_monitor_page_apply_night (CradleMonitorPage *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean want = gtk_toggle_button_get_active (self->night_button) && self->state == STATE_RUNNING;

  if (want == self->night_applied)
    return;
  self->night_applied = want;
  if (want)
    {
      self->saved_scheme = adw_style_manager_get_color_scheme (style);
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
      gtk_widget_add_css_class (self->content, "cradle-night");
    }
  else
    {
      adw_style_manager_set_color_scheme (style, self->saved_scheme);
      gtk_widget_remove_css_class (self->content, "cradle-night");
    }
}

/* ---- State ------------------------------------------------------------------- */

static void
set_hold (CradleMonitorPage *self,
          gboolean           hold)
{
  GApplication *app = g_application_get_default ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (hold == self->holding)
    return;
  self->holding = hold;
  if (app != NULL)
    {
      if (hold)
        g_application_hold (app);
      else
        g_application_release (app);
    }
  /* Closing the window while listening hides it: the monitor lives in
   * this page, and the held application keeps running without a visible
   * window until monitoring stops. If it stops while hidden (a fatal
   * error), the window comes back to say why. */
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_hide_on_close (GTK_WINDOW (root), hold);
      if (!hold && !gtk_widget_get_visible (GTK_WIDGET (root)))
        gtk_window_present (GTK_WINDOW (root));
    }
}

static void
cradle_monitor_page_update_state (CradleMonitorPage *self)
{
  gboolean running = self->state != STATE_IDLE;
  gboolean calibrating = self->calibration != NULL;
  GtkWidget *button = GTK_WIDGET (self->start_button);

  gtk_stack_set_visible_child_name (self->main_stack,
                                    self->detect_path != NULL || running ? "monitor" : "no-model");

  switch (self->state)
    {
    case STATE_IDLE:
      gtk_label_set_text_with_mnemonic (self->start_label, _("_Start Monitoring"));
      break;
    case STATE_STARTING:
      gtk_label_set_text_with_mnemonic (self->start_label, _("Starting…"));
      break;
    case STATE_RUNNING:
      gtk_label_set_text_with_mnemonic (self->start_label, _("_Stop Monitoring"));
      break;
    case STATE_STOPPING:
      gtk_label_set_text_with_mnemonic (self->start_label, _("Stopping…"));
      break;
    default:
      g_assert_not_reached ();
    }
  if (self->state == STATE_RUNNING)
    {
      gtk_widget_remove_css_class (button, "suggested-action");
      gtk_widget_add_css_class (button, "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (button, "destructive-action");
      gtk_widget_add_css_class (button, "suggested-action");
    }
  if (self->state == STATE_IDLE)
    {
      gtk_label_set_text (self->state_label, _("Not listening"));
      gtk_label_set_text (self->status_label, "");
      gtk_level_bar_set_value (self->level_bar, 0.0);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.toggle",
                                 !calibrating && self->detect_path != NULL && self->store != NULL
                                 && (self->state == STATE_IDLE || self->state == STATE_RUNNING));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.calibrate",
                                 self->store != NULL && self->state == STATE_IDLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row),
                            !running && cradle_device_row_is_loaded (self->device_row));
  /* The detector's settings are fixed while it runs; the model's tuned
   * ones, when used, stand for the threshold and the cooldown. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->tuned_row), !running && self->tuning != NULL);
  gtk_widget_set_sensitive (self->threshold_row,
                            !running && (self->tuning == NULL || !gtk_switch_get_active (self->tuned_switch)));
  gtk_widget_set_sensitive (self->cooldown_row,
                            !running && (self->tuning == NULL || !gtk_switch_get_active (self->tuned_switch)));
  cradle_monitor_page_apply_night (self);
}

static void
set_state (CradleMonitorPage *self,
           MonitorState       state)
{
  gboolean was = self->state == STATE_RUNNING || self->state == STATE_STOPPING;

  self->state = state;
  cradle_monitor_page_update_state (self);
  if (was != (state == STATE_RUNNING || state == STATE_STOPPING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITORING]);
}

/* ---- Alerts ------------------------------------------------------------------ */

static gboolean
snoozed (CradleMonitorPage *self)
{
  return self->snooze_until_us != 0 && g_get_monotonic_time () < self->snooze_until_us;
}

static char *
alert_detail_text (CradleMonitorPage         *self,
                   const CradleDetectorEvent *event)
{
  g_autoptr(GDateTime) since
      = g_date_time_new_from_unix_local (self->event_wall_us / G_USEC_PER_SEC);
  g_autofree char *time = g_date_time_format (since, "%X");
  GString *text = g_string_new (NULL);

  /* Translators: %s is the time the crying started. */
  g_string_append_printf (text, _("Since %s"), time);
  g_string_append (text, " · ");
  /* Translators: the detector's confidence, in percent. */
  g_string_append_printf (text, _("confidence %.0f %%"), 100.0 * event->peak_confidence);
  if (event->cause >= 0)
    {
      g_string_append (text, " · ");
      /* Translators: the likely cause and its probability in percent. */
      g_string_append_printf (text, _("likely %s (%.0f %%)"), event->cause_labels[event->cause],
                              100.0 * event->cause_proba[event->cause]);
    }
  if (event->escalated)
    {
      g_string_append (text, " · ");
      g_string_append (text, _("still crying"));
    }
  return g_string_free (text, FALSE);
}

static void
raise_alert (CradleMonitorPage         *self,
             const CradleDetectorEvent *event,
             const char                *title)
{
  g_autofree char *detail = alert_detail_text (self, event);
  GApplication *app = g_application_get_default ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_label_set_text (self->alert_title, title);
  gtk_label_set_text (self->alert_detail, detail);
  gtk_revealer_set_reveal_child (self->alert_revealer, TRUE);
  self->alert_shown = TRUE;

  if (GTK_IS_WINDOW (root))
    gtk_window_present (GTK_WINDOW (root));
  if (self->monitor != NULL && self->settings != NULL
      && g_settings_get_boolean (self->settings, "alert-sound"))
    cradle_monitor_chime (self->monitor);
  if (app != NULL && self->settings != NULL
      && g_settings_get_boolean (self->settings, "alert-notification"))
    {
      g_autoptr(GNotification) notification = g_notification_new (title);

      g_notification_set_body (notification, detail);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      g_application_send_notification (app, NOTIFICATION_ID, notification);
    }
}

static void
update_alert_detail (CradleMonitorPage         *self,
                     const CradleDetectorEvent *event)
{
  g_autofree char *detail = NULL;

  if (!self->alert_shown)
    return;
  detail = alert_detail_text (self, event);
  gtk_label_set_text (self->alert_detail, detail);
}

static void
cradle_monitor_page_dismiss (CradleMonitorPage *self)
{
  GApplication *app = g_application_get_default ();

  gtk_revealer_set_reveal_child (self->alert_revealer, FALSE);
  self->alert_shown = FALSE;
  if (app != NULL)
    g_application_withdraw_notification (app, NOTIFICATION_ID);
}

static void
cradle_monitor_page_dismiss_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  cradle_monitor_page_dismiss (CRADLE_MONITOR_PAGE (widget));
}

static void
cradle_monitor_page_snooze_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (widget);
  int minutes = g_variant_get_int32 (parameter);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) until = g_date_time_add_minutes (now, minutes);
  g_autofree char *time = g_date_time_format (until, "%H:%M");
  /* Translators: %s is a time of day. */
  g_autofree char *text = g_strdup_printf (_("No alerts until %s"), time);

  self->snooze_until_us = g_get_monotonic_time () + (gint64) minutes * 60 * G_USEC_PER_SEC;
  cradle_monitor_page_dismiss (self);
  toast (self, text);
}

/* ---- Reports from the monitor --------------------------------------------------- */

static void
keep_cause_labels (CradleMonitorPage         *self,
                   const CradleDetectorEvent *event)
{
  if (self->cause_labels != NULL || event->n_causes == 0)
    return;
  self->cause_labels = g_new0 (char *, event->n_causes + 1);
  for (guint c = 0; c < event->n_causes; c++)
    self->cause_labels[c] = g_strdup (event->cause_labels[c]);
}

static void
show_causes (CradleMonitorPage         *self,
             const CradleDetectorEvent *event)
{
  keep_cause_labels (self, event);
  if (event->n_causes > 0)
    cradle_cause_bars_set (self->cause_bars, (const char * const *) self->cause_labels,
                           event->cause_proba, event->n_causes);
}

static void
on_status (CradleMonitorPage         *self,
           const CradleMonitorReport *report)
{
  g_autofree char *text = NULL;
  guint seconds = (guint) report->time;

  cradle_live_spectrogram_add_probability (self->spectrogram, report->time, report->p_cry,
                                           report->ema);
  gtk_level_bar_set_value (self->level_bar, CLAMP ((report->level_dbfs + 70.0) / 70.0, 0.0, 1.0));
  /* Translators: listening time (hours:minutes:seconds), then the cry
   * probability of the last window and its moving average. */
  text = g_strdup_printf (_("%u:%02u:%02u · P(cry) %.2f · average %.2f"), seconds / 3600,
                          seconds / 60 % 60, seconds % 60, (double) report->p_cry,
                          (double) report->ema);
  gtk_label_set_text (self->status_label, text);
}

static void
on_report (const CradleMonitorReport *report,
           gpointer                   user_data)
{
  CradleMonitorPage *self = user_data;

  switch (report->kind)
    {
    case CRADLE_MONITOR_REPORT_LISTENING:
      {
        /* Translators: %s is the microphone's name. */
        g_autofree char *text = g_strdup_printf (_("Listening on “%s”"), report->device);

        g_free (self->device_name);
        self->device_name = g_strdup (report->device);
        gtk_label_set_text (self->state_label, text);
        show_error (self, NULL);
      }
      break;
    case CRADLE_MONITOR_REPORT_STATUS:
      on_status (self, report);
      break;
    case CRADLE_MONITOR_REPORT_SPECTRUM:
      cradle_live_spectrogram_add_columns (self->spectrogram, report->time, report->columns,
                                           report->n_columns, report->n_bands,
                                           report->column_seconds, report->band_hz);
      break;
    case CRADLE_MONITOR_REPORT_ALERT:
      self->event_start = report->event->start;
      self->event_wall_us = report->wall_us + (gint64) (report->event->start * G_USEC_PER_SEC);
      gtk_label_set_text (self->state_label, _("Crying"));
      show_causes (self, report->event);
      if (!snoozed (self))
        raise_alert (self, report->event, _("Crying Detected"));
      break;
    case CRADLE_MONITOR_REPORT_CAUSE:
      show_causes (self, report->event);
      update_alert_detail (self, report->event);
      break;
    case CRADLE_MONITOR_REPORT_ESCALATED:
      if (!snoozed (self))
        raise_alert (self, report->event, _("Still Crying"));
      break;
    case CRADLE_MONITOR_REPORT_ENDED:
      show_causes (self, report->event);
      update_alert_detail (self, report->event);
      if (self->alert_shown)
        gtk_label_set_text (self->alert_title, _("Crying Stopped"));
      if (self->state == STATE_RUNNING && self->device_name != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Listening on “%s”"), self->device_name);

          gtk_label_set_text (self->state_label, text);
        }
      if (report->error != NULL)
        show_error (self, report->error->message);
      if (self->store != NULL)
        cradle_store_emit_changed (self->store,
                                   CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_EVENTS);
      break;
    case CRADLE_MONITOR_REPORT_ERROR:
      if (!report->fatal && report->retry_seconds > 0)
        {
          /* Translators: %s says what went wrong with the microphone. */
          g_autofree char *text = g_strdup_printf (ngettext ("%s. Trying again in %.0f second.",
                                                             "%s. Trying again in %.0f seconds.",
                                                             (gulong) report->retry_seconds),
                                                   report->error->message, report->retry_seconds);

          show_error (self, text);
          gtk_label_set_text (self->state_label, _("Microphone lost"));
        }
      else
        show_error (self, report->error->message);
      break;
    case CRADLE_MONITOR_REPORT_STOPPED:
      /* The worker has finished: joining is immediate. */
      g_clear_pointer (&self->monitor, cradle_monitor_free);
      set_hold (self, FALSE);
      set_state (self, STATE_IDLE);
      break;
    default:
      break;
    }
}

/* ---- Start and stop -------------------------------------------------------------- */

typedef struct {
  char                   *detect_path;
  char                   *cause_path;
  gboolean                use_tuned;     /* the model's tuned settings, if it has them */
  double                  threshold;     /* else these */
  double                  cooldown;
  double                  escalate_minutes;
  CradleDetectorSettings  settings;      /* set by the thread */
} StartData;

static void
start_data_free (StartData *data)
{
  g_free (data->detect_path);
  g_free (data->cause_path);
  g_free (data);
}

static void
load_models_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StartData *data = task_data;
  CradleModel *detect, *cause = NULL;
  CradleMonitor *monitor;
  GError *error = NULL;

  detect = cradle_model_load (data->detect_path, &error);
  if (detect == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->cause_path != NULL && (cause = cradle_model_load (data->cause_path, &error)) == NULL)
    {
      cradle_model_free (detect);
      g_task_return_error (task, error);
      return;
    }
  if (!cradle_detector_settings_init_for_model (&data->settings, detect, &error))
    {
      g_autofree char *name = g_filename_display_name (data->detect_path);

      g_prefix_error (&error, "%s: ", name);
      cradle_model_free (detect);
      if (cause != NULL)
        cradle_model_free (cause);
      g_task_return_error (task, error);
      return;
    }
  if (!data->use_tuned || cradle_model_get_detector (detect) == NULL)
    {
      data->settings.on_threshold = data->threshold;
      data->settings.off_threshold = MAX (0.0, data->threshold - 0.15);
      data->settings.cooldown_seconds = data->cooldown;
    }
  data->settings.escalate_minutes = data->escalate_minutes;
  monitor = cradle_monitor_new (detect, cause, &data->settings, &error);
  if (monitor == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, monitor, (GDestroyNotify) cradle_monitor_free);
}

static void
load_models_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (source);
  StartData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  CradleMonitor *monitor;

  monitor = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    {
      g_clear_pointer (&monitor, cradle_monitor_free);
      return;
    }
  if (monitor == NULL)
    {
      show_error (self, error->message);
      set_state (self, STATE_IDLE);
      return;
    }

  device = g_settings_get_string (self->settings, "input-device");
  cradle_monitor_set_device (monitor, device);
  cradle_monitor_set_dataset_dir (monitor, cradle_store_get_dir (self->store));
  cradle_monitor_set_model_id (monitor, self->detect_model_id);
  cradle_monitor_set_spectrum (monitor, TRUE);
  cradle_monitor_set_report_func (monitor, on_report, self, g_main_context_default ());
  if (!cradle_monitor_start (monitor, &error))
    {
      cradle_monitor_free (monitor);
      show_error (self, error->message);
      set_state (self, STATE_IDLE);
      return;
    }
  self->monitor = monitor;
  g_clear_pointer (&self->cause_labels, g_strfreev);
  cradle_live_spectrogram_reset (self->spectrogram);
  cradle_live_spectrogram_set_threshold (self->spectrogram, data->settings.on_threshold);
  cradle_cause_bars_set (self->cause_bars, NULL, NULL, 0);
  gtk_label_set_text (self->state_label, _("Opening the microphone…"));
  set_hold (self, TRUE);
  set_state (self, STATE_RUNNING);
}

static void
cradle_monitor_page_start (CradleMonitorPage *self)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;

  g_return_if_fail (self->state == STATE_IDLE && self->detect_path != NULL);

  data = g_new0 (StartData, 1);
  data->detect_path = g_strdup (self->detect_path);
  data->cause_path = g_strdup (self->cause_path);
  data->use_tuned = gtk_switch_get_active (self->tuned_switch);
  data->threshold = gtk_adjustment_get_value (self->threshold_adjustment);
  data->cooldown = gtk_adjustment_get_value (self->cooldown_adjustment);
  data->escalate_minutes = g_settings_get_int (self->settings, "escalate-minutes");

  show_error (self, NULL);
  cradle_monitor_page_dismiss (self);
  self->snooze_until_us = 0;
  set_state (self, STATE_STARTING);
  task = g_task_new (self, self->cancellable, load_models_done_cb, NULL);
  g_task_set_source_tag (task, cradle_monitor_page_start);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  g_task_run_in_thread (task, load_models_thread);
}

static void
cradle_monitor_page_toggle_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (widget);

  if (self->state == STATE_IDLE)
    cradle_monitor_page_start (self);
  else if (self->state == STATE_RUNNING)
    {
      /* The worker ends the open event, saves it and reports STOPPED. */
      cradle_monitor_stop (self->monitor);
      set_state (self, STATE_STOPPING);
    }
}

/* ---- The timeline ------------------------------------------------------------------ */

static void
best_cause (const char  *json,
            char       **cause,
            double      *proba)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  *cause = NULL;
  *proba = -1.0;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      double p = json_object_get_double_member_with_default (object, l->data, -1.0);

      if (p > *proba)
        {
          *proba = p;
          g_free (*cause);
          *cause = g_strdup (l->data);
        }
    }
}

static void
review_event (CradleMonitorPage *self,
              CradleEventRow    *row,
              const char        *label)
{
  const CradleEventInfo *info = cradle_event_row_get_info (row);
  CradleDataset *dataset;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *s = NULL;

  if (self->store == NULL)
    return;
  dataset = cradle_store_get_dataset (self->store);
  if (!cradle_dataset_set_label (dataset, info->recording_id, label, CRADLE_LABEL_STATUS_CONFIRMED,
                                 "caregiver", -1, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (sqlite3_prepare_v2 (cradle_dataset_get_db (dataset),
                          "UPDATE monitor_events SET reviewed = 1 WHERE id = ?", -1, &s, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_int64 (s, 1, info->event_id);
      sqlite3_step (s);
    }
  sqlite3_finalize (s);
  cradle_store_emit_changed (self->store,
                             CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_EVENTS);
}

static void
on_false_alarm (CradleEventRow    *row,
                CradleMonitorPage *self)
{
  review_event (self, row, "background");
  toast (self, _("Saved as background noise"));
}

static void
on_correct_cause (CradleEventRow    *row,
                  const char        *label,
                  CradleMonitorPage *self)
{
  /* Translators: %s is a cry label, e.g. "hunger". */
  g_autofree char *text = g_strdup_printf (_("Saved as “%s”"), label);

  review_event (self, row, label);
  toast (self, text);
}

static GStrv
cry_labels (CradleDataset *dataset)
{
  g_autoptr(GPtrArray) labels = cradle_dataset_list_labels (dataset, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      CradleLabelInfo *label = g_ptr_array_index (labels, i);

      if (label->is_cry)
        g_strv_builder_add (builder, label->name);
    }
  return g_strv_builder_end (builder);
}

static void
cradle_monitor_page_reload_events (CradleMonitorPage *self)
{
  CradleDataset *dataset;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_hours (now, -TIMELINE_HOURS);
  g_autofree char *since_text = g_date_time_format (since, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_auto(GStrv) labels = NULL;
  sqlite3_stmt *s = NULL;

  {
    GtkListBoxRow *row;

    /* gtk_list_box_remove_all() is GTK 4.12. */
    while ((row = gtk_list_box_get_row_at_index (self->event_list, 0)) != NULL)
      gtk_list_box_remove (self->event_list, GTK_WIDGET (row));
  }
  if (self->store == NULL)
    return;
  dataset = cradle_store_get_dataset (self->store);
  labels = cry_labels (dataset);
  if (sqlite3_prepare_v2 (
          cradle_dataset_get_db (dataset),
          "SELECT id, started, ended, peak_confidence, causes, recording_id FROM monitor_events"
          " WHERE started >= ? ORDER BY started DESC LIMIT 500",
          -1, &s, NULL)
      != SQLITE_OK)
    return;
  sqlite3_bind_text (s, 1, since_text, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_autoptr(CradleEventInfo) info = g_new0 (CradleEventInfo, 1);
      g_autoptr(GDateTime) started
          = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (s, 1), NULL);
      g_autoptr(GDateTime) ended = NULL;
      g_autoptr(CradleRecording) recording = NULL;
      GtkWidget *row;

      if (started == NULL || sqlite3_column_type (s, 5) == SQLITE_NULL)
        continue;
      info->event_id = sqlite3_column_int64 (s, 0);
      info->recording_id = sqlite3_column_int64 (s, 5);
      info->started = g_date_time_to_local (started);
      info->seconds = -1;
      if (sqlite3_column_type (s, 2) != SQLITE_NULL
          && (ended = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (s, 2), NULL))
                 != NULL)
        info->seconds = g_date_time_difference (ended, started) / (double) G_USEC_PER_SEC;
      info->confidence
          = sqlite3_column_type (s, 3) == SQLITE_NULL ? -1 : sqlite3_column_double (s, 3);
      best_cause ((const char *) sqlite3_column_text (s, 4), &info->cause, &info->cause_proba);
      recording = cradle_dataset_get_recording (dataset, info->recording_id, NULL);
      if (recording == NULL)
        continue;
      info->label = g_strdup (recording->label);
      info->label_status = recording->label_status;

      row = cradle_event_row_new (g_steal_pointer (&info), (const char * const *) labels);
      g_signal_connect_object (row, "false-alarm", G_CALLBACK (on_false_alarm), self, 0);
      g_signal_connect_object (row, "correct-cause", G_CALLBACK (on_correct_cause), self, 0);
      gtk_list_box_append (self->event_list, row);
    }
  sqlite3_finalize (s);
}

static gboolean
reload_idle_cb (gpointer data)
{
  CradleMonitorPage *self = data;

  self->reload_idle = 0;
  cradle_monitor_page_reload_events (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (CradleStore       *store,
                  CradleStoreChange  what,
                  CradleMonitorPage *self)
{
  if (what & CRADLE_STORE_CHANGE_MODELS)
    cradle_monitor_page_resolve_models (self);
  /* Later: a row's own action may be what changed the dataset, and the
   * reload destroys the rows. */
  if ((what
       & (CRADLE_STORE_CHANGE_EVENTS | CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_LABELS))
      && self->reload_idle == 0)
    self->reload_idle = g_idle_add (reload_idle_cb, self);
}

/* ---- Room calibration --------------------------------------------------------------- */

typedef struct {
  char                *dir;
  char                *device;
  CalibrationProgress *progress;
} CalibrationData;

static void
calibration_data_free (CalibrationData *data)
{
  g_free (data->dir);
  g_free (data->device);
  g_free (data);
}

static void
calibration_progress_cb (guint    saved,
                         guint    total,
                         double   seconds_done,
                         gpointer user_data)
{
  CalibrationProgress *progress = user_data;

  g_atomic_int_set (&progress->permille, (gint) (1000.0 * seconds_done / CALIBRATION_SECONDS));
}

static void
calibration_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CalibrationData *data = task_data;
  g_autoptr(CradleDataset) dataset = NULL;
  GError *error = NULL;
  int saved;

  dataset = cradle_dataset_open (data->dir, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  saved = cradle_monitor_record_background (
      dataset, data->device, CALIBRATION_RATE, CALIBRATION_SECONDS, CALIBRATION_CLIP_SECONDS,
      calibration_progress_cb, data->progress, cancellable, &error);
  if (saved < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, saved);
}

static gboolean
calibration_tick_cb (gpointer data)
{
  CradleMonitorPage *self = data;

  gtk_progress_bar_set_fraction (self->calibration_progress_bar,
                                 g_atomic_int_get (&self->calibration_progress->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
calibration_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize saved = g_task_propagate_int (G_TASK (result), &error);

  g_clear_handle_id (&self->calibration_timeout, g_source_remove);
  g_clear_pointer (&self->calibration_progress, g_free);
  g_clear_object (&self->calibration);
  if (self->store == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->calibration_progress_bar), FALSE);
  gtk_button_set_label (self->calibration_button, _("_Record a Minute"));
  if (saved >= 0)
    {
      /* Translators: %d is a number of 5-second background clips. */
      g_autofree char *text
          = g_strdup_printf (ngettext ("Saved %d clip of the room’s noise",
                                       "Saved %d clips of the room’s noise", saved),
                             (int) saved);

      toast (self, text);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Room calibration cancelled"));
  else
    show_error (self, error->message);
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
  cradle_monitor_page_update_state (self);
}

static void
cradle_monitor_page_calibrate_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  CalibrationData *data;

  if (self->calibration != NULL)
    {
      g_cancellable_cancel (self->calibration);
      return;
    }
  if (self->store == NULL || self->state != STATE_IDLE)
    return;

  self->calibration = g_cancellable_new ();
  self->calibration_progress = g_new0 (CalibrationProgress, 1);
  data = g_new0 (CalibrationData, 1);
  data->dir = g_strdup (cradle_store_get_dir (self->store));
  data->device = g_settings_get_string (self->settings, "input-device");
  data->progress = self->calibration_progress;

  gtk_progress_bar_set_fraction (self->calibration_progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->calibration_progress_bar), TRUE);
  gtk_button_set_label (self->calibration_button, _("_Cancel"));
  show_error (self, NULL);
  self->calibration_timeout = g_timeout_add (100, calibration_tick_cb, self);
  cradle_monitor_page_update_state (self);

  task = g_task_new (self, self->calibration, calibration_done_cb, NULL);
  g_task_set_source_tag (task, cradle_monitor_page_calibrate_action);
  g_task_set_task_data (task, data, (GDestroyNotify) calibration_data_free);
  g_task_run_in_thread (task, calibration_thread);
}

/* ---- Input devices -------------------------------------------------------------------- */

/* ---- GObject ----------------------------------------------------------------------------- */

static void
on_threshold_changed (GtkAdjustment     *adjustment,
                      CradleMonitorPage *self)
{
  cradle_monitor_page_show_threshold (self);
}

static void
on_tuned_switch_changed (CradleMonitorPage *self)
{
  cradle_monitor_page_update_state (self);
  cradle_monitor_page_show_threshold (self);
}

static void
on_models_setting_changed (GSettings         *settings,
                           const char        *key,
                           CradleMonitorPage *self)
{
  cradle_monitor_page_resolve_models (self);
}

static void
on_night_toggled (GtkToggleButton   *button,
                  CradleMonitorPage *self)
{
  cradle_monitor_page_apply_night (self);
}

static void
cradle_monitor_page_dispose (GObject *object)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->tuning_read != NULL)
    g_cancellable_cancel (self->tuning_read);
  g_clear_object (&self->tuning_read);
  g_clear_pointer (&self->tuning, json_node_unref);
  if (self->calibration != NULL)
    g_cancellable_cancel (self->calibration);
  g_clear_handle_id (&self->calibration_timeout, g_source_remove);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  /* Stops and joins the worker; reports still queued are dropped. */
  g_clear_pointer (&self->monitor, cradle_monitor_free);
  if (self->night_applied)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), self->saved_scheme);
      self->night_applied = FALSE;
    }
  if (self->holding)
    {
      GApplication *app = g_application_get_default ();

      self->holding = FALSE;
      if (app != NULL)
        g_application_release (app);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The template's root (main_stack) is a bound child: AdwBin must let go
   * of it before the template unparents it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_MONITOR_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cradle_monitor_page_parent_class)->dispose (object);
}

static void
cradle_monitor_page_finalize (GObject *object)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->detect_path);
  g_free (self->cause_path);
  g_free (self->device_name);
  g_strfreev (self->cause_labels);

  G_OBJECT_CLASS (cradle_monitor_page_parent_class)->finalize (object);
}

static void
cradle_monitor_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MONITORING:
      g_value_set_boolean (value, cradle_monitor_page_get_monitoring (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_monitor_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CradleMonitorPage *self = CRADLE_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cradle_monitor_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_monitor_page_class_init (CradleMonitorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_monitor_page_dispose;
  object_class->finalize = cradle_monitor_page_finalize;
  object_class->get_property = cradle_monitor_page_get_property;
  object_class->set_property = cradle_monitor_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRADLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CradleMonitorPage:monitoring:
   *
   * Whether the monitor is listening (or finishing its last event).
   */
  properties[PROP_MONITORING] =
    g_param_spec_boolean ("monitoring", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRADLE_TYPE_DEVICE_ROW);
  g_type_ensure (CRADLE_TYPE_LIVE_SPECTROGRAM);
  g_type_ensure (CRADLE_TYPE_CAUSE_BARS);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cradle/Cradle/ui/cradle-monitor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, alert_revealer);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, alert_title);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, alert_detail);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, content);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, start_label);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, level_bar);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, night_button);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, spectrogram);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, cause_bars);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, event_list);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, detect_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, cause_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, tuned_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, tuned_switch);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, cooldown_row);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, threshold_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, cooldown_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, notification_switch);
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, sound_switch);
  gtk_widget_class_bind_template_child_full (
      widget_class, "calibration_progress", FALSE,
      G_STRUCT_OFFSET (CradleMonitorPage, calibration_progress_bar));
  gtk_widget_class_bind_template_child (widget_class, CradleMonitorPage, calibration_button);

  gtk_widget_class_install_action (widget_class, "monitor.toggle", NULL,
                                   cradle_monitor_page_toggle_action);
  gtk_widget_class_install_action (widget_class, "monitor.dismiss", NULL,
                                   cradle_monitor_page_dismiss_action);
  gtk_widget_class_install_action (widget_class, "monitor.snooze", "i",
                                   cradle_monitor_page_snooze_action);
  gtk_widget_class_install_action (widget_class, "monitor.calibrate", NULL,
                                   cradle_monitor_page_calibrate_action);
}

static void
cradle_monitor_page_init (CradleMonitorPage *self)
{
  GApplication *app = g_application_get_default ();
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->saved_scheme = ADW_COLOR_SCHEME_DEFAULT;

  /* Ctrl+M starts and stops monitoring from any page of the window. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>m"),
                        gtk_named_action_new ("monitor.toggle")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (self->threshold_adjustment, "value-changed",
                           G_CALLBACK (on_threshold_changed), self, 0);
  g_signal_connect_object (self->night_button, "toggled", G_CALLBACK (on_night_toggled), self, 0);
  g_signal_connect_object (self->tuned_switch, "notify::active", G_CALLBACK (on_tuned_switch_changed),
                           self, G_CONNECT_SWAPPED);

  if (CRADLE_IS_APPLICATION (app))
    {
      self->settings = g_object_ref (cradle_application_get_settings (CRADLE_APPLICATION (app)));
      g_settings_bind (self->settings, "alert-threshold", self->threshold_adjustment, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "alert-cooldown", self->cooldown_adjustment, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "use-tuned-settings", self->tuned_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "alert-notification", self->notification_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "alert-sound", self->sound_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed::detect-model",
                               G_CALLBACK (on_models_setting_changed), self, 0);
      g_signal_connect_object (self->settings, "changed::cause-model",
                               G_CALLBACK (on_models_setting_changed), self, 0);

      g_signal_connect_object (self->device_row, "notify::loaded",
                               G_CALLBACK (cradle_monitor_page_update_state), self,
                               G_CONNECT_SWAPPED);
      cradle_device_row_bind (self->device_row, self->settings);
    }
  {
    GtkWidget *placeholder = gtk_label_new (_("No cries heard in the last 12 hours"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 18);
    gtk_widget_set_margin_bottom (placeholder, 18);
    gtk_list_box_set_placeholder (self->event_list, placeholder);
  }
  cradle_live_spectrogram_set_threshold (self->spectrogram,
                                         gtk_adjustment_get_value (self->threshold_adjustment));
  cradle_monitor_page_resolve_models (self);
}

CradleStore *
cradle_monitor_page_get_store (CradleMonitorPage *self)
{
  g_return_val_if_fail (CRADLE_IS_MONITOR_PAGE (self), NULL);

  return self->store;
}

void
cradle_monitor_page_set_store (CradleMonitorPage *self,
                               CradleStore       *store)
{
  g_return_if_fail (CRADLE_IS_MONITOR_PAGE (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;
  /* A monitor saves into the dataset it was started on; another dataset
   * stops it (the last event is still saved where it belongs). */
  if (self->monitor != NULL && self->state == STATE_RUNNING)
    {
      cradle_monitor_stop (self->monitor);
      set_state (self, STATE_STOPPING);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);
  cradle_monitor_page_resolve_models (self);
  cradle_monitor_page_reload_events (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gboolean
cradle_monitor_page_get_monitoring (CradleMonitorPage *self)
{
  g_return_val_if_fail (CRADLE_IS_MONITOR_PAGE (self), FALSE);

  return self->state == STATE_RUNNING || self->state == STATE_STOPPING;
}
