/* test-monitor.c — the Monitor page, on a real X server (Xvfb) and a
 * private PulseAudio daemon
 *
 * A dataset with the tiny detect and cause models of cradle-test-model.c in
 * its models table; the page finds them, starts listening to the daemon's
 * null source, hears a cry played with paplay, shows the alert banner and,
 * when the cry ends, the event in the timeline; "False Alarm" and "Correct
 * Cause" write the label into the dataset. A dataset without models shows
 * the empty state, whose button goes to the Train page. Screenshots
 * (listening, alert, night mode) go to $CRADLE_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cradle-application.h"
#include "cradle-cause-bars.h"
#include "cradle-core.h"
#include "cradle-event-row.h"
#include "cradle-live-spectrogram.h"
#include "cradle-monitor-page.h"
#include "cradle-test-model.h"
#include "cradle-app-test-util.h"
#include "cradle-test-util.h"
#include "cradle-trainer.h"
#include "cradle-window.h"

#define WAIT_TIMEOUT_SECONDS 20

static CradleApplication *app;
static CradleWindow      *window;
static CradleTestPulse   *pulse;
static char              *skip_reason;
static char              *data_home;
static char              *dataset_dir;
static char              *cry_path;
static guint              n_notifications;   /* received by the test's notification server */
static char              *last_notification;

/* ---- Main loop and widget helpers ---------------------------------------------- */

static gboolean
uint_is_positive (gpointer data)
{
  return *(guint *) data > 0;
}

static gboolean
is_label_with_prefix (GtkWidget     *widget,
                      gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

static GtkWidget *
find_label_with_prefix (GtkWidget  *root,
                        const char *prefix)
{
  return cradle_app_test_find_widget (root, is_label_with_prefix, prefix);
}

static gboolean
is_night_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "weather-clear-night-symbolic") == 0;
}

static GtkWidget *
find_night_button (GtkWidget *root)
{
  return cradle_app_test_find_widget (root, is_night_button, NULL);
}

/* ---- The page -------------------------------------------------------------------- */

/* A screenshot of the window with the page scrolled so that WIDGET is
 * ABOVE pixels under the top, then scrolled back. */
static void
save_screenshot_scrolled_to (GtkWidget  *widget,
                             double      above,
                             const char *name)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t top;

  g_assert_true (gtk_widget_compute_point (
      widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
      &GRAPHENE_POINT_INIT (0, 0), &top));
  gtk_adjustment_set_value (v, top.y - above);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), name);
  gtk_adjustment_set_value (v, 0);
}


static void
ensure_window (void)
{
  if (window != NULL)
    return;
  g_application_activate (G_APPLICATION (app));
  window = CRADLE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CRADLE_IS_WINDOW (window));
  cradle_app_test_iterate_until (cradle_app_test_widget_is_mapped, window, "the window");
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static CradleMonitorPage *
monitor_page (void)
{
  GtkWidget *page = cradle_app_test_find_descendant (GTK_WIDGET (window), CRADLE_TYPE_MONITOR_PAGE);

  g_assert_nonnull (page);
  return CRADLE_MONITOR_PAGE (page);
}

static const char *
page_stack_child (void)
{
  GtkWidget *stack = cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), GTK_TYPE_STACK);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static const char *
window_page (void)
{
  GtkWidget *stack = cradle_app_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);

  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack));
}

static gboolean
page_is_train (gpointer data)
{
  return g_strcmp0 (window_page (), "train") == 0;
}

static gboolean
page_is_spectrogram (gpointer data)
{
  return g_strcmp0 (window_page (), "spectrogram") == 0;
}

static gboolean
label_shown (gpointer data)
{
  GtkWidget *label = find_label_with_prefix (GTK_WIDGET (monitor_page ()), data);

  return label != NULL && gtk_widget_is_drawable (label);
}

static GtkRevealer *
alert_revealer (void)
{
  GtkWidget *title = find_label_with_prefix (GTK_WIDGET (monitor_page ()), "Crying ");
  GtkWidget *revealer;

  g_assert_nonnull (title);
  revealer = gtk_widget_get_ancestor (title, GTK_TYPE_REVEALER);
  g_assert_nonnull (revealer);
  return GTK_REVEALER (revealer);
}

static gboolean
alert_is_shown (gpointer data)
{
  GtkRevealer *revealer = alert_revealer ();

  return gtk_revealer_get_reveal_child (revealer) && gtk_revealer_get_child_revealed (revealer);
}

static gboolean
spectrogram_has_columns (gpointer data)
{
  GtkWidget *spectrogram
      = cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), CRADLE_TYPE_LIVE_SPECTROGRAM);

  return cradle_live_spectrogram_get_n_columns (CRADLE_LIVE_SPECTROGRAM (spectrogram))
         >= GPOINTER_TO_UINT (data);
}

static gboolean
event_row_shown (gpointer data)
{
  return cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), CRADLE_TYPE_EVENT_ROW) != NULL;
}

static gboolean
not_monitoring (gpointer data)
{
  return !cradle_monitor_page_get_monitoring (monitor_page ());
}

typedef struct {
  gint64             id;
  const char        *label;
  CradleLabelStatus  status;
} ExpectedLabel;

static gboolean
recording_has_label (gpointer data)
{
  ExpectedLabel *e = data;
  g_autoptr(CradleDataset) dataset = cradle_dataset_open (dataset_dir, NULL);
  g_autoptr(CradleRecording) rec = cradle_dataset_get_recording (dataset, e->id, NULL);

  return rec != NULL && g_strcmp0 (rec->label, e->label) == 0 && rec->label_status == e->status;
}

static gboolean
row_says (gpointer data)
{
  GtkWidget *row = cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), CRADLE_TYPE_EVENT_ROW);

  return row != NULL && strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), data) != NULL;
}

/* ---- Test cases --------------------------------------------------------------------- */

/* A dataset without any model: the empty state, whose button goes to Train. */
static void
test_empty_state (void)
{
  g_autofree char *other = g_build_filename (data_home, "no-models", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *button;

  ensure_window ();
  g_assert_true (cradle_window_open_dataset (window, other, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "monitor"));
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_cmpstr (page_stack_child (), ==, "no-model");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (monitor_page ()), "monitor.toggle", NULL)
                  && cradle_monitor_page_get_monitoring (monitor_page ()));
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "monitor-no-model");

  button = cradle_app_test_find_button_with_label (GTK_WIDGET (monitor_page ()), "_Go to Train");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  cradle_app_test_iterate_until (page_is_train, NULL, "the Train page");

  g_assert_true (cradle_window_open_dataset (window, dataset_dir, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (page_stack_child (), ==, "monitor");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_listen_alert_review (void)
{
  CradleMonitorPage *page;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *row, *night, *content;
  const CradleEventInfo *info;
  ExpectedLabel expected;
  gint64 recording_id;

  if (pulse == NULL)
    {
      g_test_skip (skip_reason);
      return;
    }
  ensure_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "monitor"));
  page = monitor_page ();
  g_assert_cmpstr (page_stack_child (), ==, "monitor");
  /* The dataset's newest models, found in its models table. */
  g_assert_true (label_shown ("detect.model"));
  g_assert_true (label_shown ("cause.model"));

  /* Ctrl+M's action starts listening on the default source. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.toggle", NULL));
  cradle_app_test_iterate_until (label_shown, "Listening on", "the monitor to listen");
  g_assert_true (cradle_monitor_page_get_monitoring (page));
  g_assert_true (gtk_window_get_hide_on_close (GTK_WINDOW (window)));
  cradle_app_test_iterate_until (spectrogram_has_columns, GUINT_TO_POINTER (60), "two seconds of spectrogram");
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "monitor-listening");

  /* A cry: the banner, the window presented. */
  player = cradle_test_pulse_play (pulse, cry_path);
  cradle_app_test_iterate_until (alert_is_shown, NULL, "the alert banner");
  g_assert_true (label_shown ("Since "));
  /* … and a desktop notification. */
  cradle_app_test_iterate_until (uint_is_positive, &n_notifications, "the desktop notification");
  g_assert_cmpstr (last_notification, ==, "Crying Detected");
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "monitor-alert");

  /* When it ends, the event is in the timeline, saved as a prediction. */
  g_assert_true (g_subprocess_wait_check (player, NULL, &error));
  g_assert_no_error (error);
  cradle_app_test_iterate_until (event_row_shown, NULL, "the event in the timeline");
  row = cradle_app_test_find_descendant (GTK_WIDGET (page), CRADLE_TYPE_EVENT_ROW);
  info = cradle_event_row_get_info (CRADLE_EVENT_ROW (row));
  recording_id = info->recording_id;
  g_assert_cmpint (recording_id, >, 0);
  g_assert_cmpint (info->label_status, ==, CRADLE_LABEL_STATUS_PREDICTED);
  g_assert_cmpfloat (info->seconds, >, 1.0);
  g_assert_cmpfloat (info->confidence, >, 0.5);
  g_assert_nonnull (info->cause);
  g_assert_true (row_says ("Not reviewed"));
  save_screenshot_scrolled_to (row, 200, "monitor-timeline");

  /* The row's first button shows the clip on the Spectrogram page. */
  {
    GtkWidget *open = cradle_app_test_find_descendant (row, GTK_TYPE_BUTTON);
    g_autoptr(GVariant) target = NULL;

    g_assert_nonnull (open);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (open)), ==, "win.open-recording");
    target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (open)));
    g_assert_cmpint (g_variant_get_int64 (target), ==, recording_id);
    g_assert_true (gtk_widget_activate (open));
    cradle_app_test_iterate_until (page_is_spectrogram, NULL, "the Spectrogram page");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "monitor"));
    cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  }

  /* Night mode: dark and dimmed while monitoring. */
  night = find_night_button (GTK_WIDGET (page));
  g_assert_nonnull (night);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (night), TRUE);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_true (adw_style_manager_get_dark (style));
  content = gtk_widget_get_parent (night);
  while (content != NULL && !gtk_widget_has_css_class (content, "cradle-night"))
    content = gtk_widget_get_parent (content);
  g_assert_nonnull (content);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "monitor-night");

  /* Snooze hides the banner. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.snooze", "i", 5));
  g_assert_false (gtk_revealer_get_reveal_child (alert_revealer ()));

  /* "False Alarm": one click, and the clip is confirmed background. */
  g_assert_true (gtk_widget_activate (cradle_app_test_find_button_with_label (row, "_False Alarm")));
  expected = (ExpectedLabel) { recording_id, "background", CRADLE_LABEL_STATUS_CONFIRMED };
  cradle_app_test_iterate_until (recording_has_label, &expected, "the label to be background");
  cradle_app_test_iterate_until (row_says, "False alarm", "the row to say false alarm");

  /* "Correct Cause": the menu's item, and the clip is confirmed hunger. */
  row = cradle_app_test_find_descendant (GTK_WIDGET (page), CRADLE_TYPE_EVENT_ROW);
  g_assert_true (gtk_widget_activate_action (row, "event.correct-cause", "s", "hunger"));
  expected = (ExpectedLabel) { recording_id, "hunger", CRADLE_LABEL_STATUS_CONFIRMED };
  g_assert_true (recording_has_label (&expected));
  cradle_app_test_iterate_until (row_says, "Confirmed: hunger", "the row to say hunger");
  {
    g_autoptr(CradleDataset) dataset = cradle_dataset_open (dataset_dir, &error);
    sqlite3_stmt *s = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (
        sqlite3_prepare_v2 (cradle_dataset_get_db (dataset),
                            "SELECT reviewed FROM monitor_events WHERE recording_id = ?", -1, &s,
                            NULL),
        ==, SQLITE_OK);
    sqlite3_bind_int64 (s, 1, recording_id);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (s, 0), ==, 1);
    sqlite3_finalize (s);
  }

  /* Closing the window while listening only hides it: the application
   * keeps running and the monitor keeps listening. */
  {
    GtkWidget *spectrogram = cradle_app_test_find_descendant (GTK_WIDGET (page), CRADLE_TYPE_LIVE_SPECTROGRAM);
    guint64 before = cradle_live_spectrogram_get_n_columns (CRADLE_LIVE_SPECTROGRAM (spectrogram));

    gtk_window_close (GTK_WINDOW (window));
    cradle_app_test_iterate_until (cradle_app_test_window_is_hidden, window, "the window to hide");
    g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window) != NULL);
    cradle_app_test_iterate_until (spectrogram_has_columns, GUINT_TO_POINTER ((guint) before + 60),
                   "two more seconds of listening while hidden");
    g_assert_true (cradle_monitor_page_get_monitoring (page));
    g_application_activate (G_APPLICATION (app));
    cradle_app_test_iterate_until (cradle_app_test_widget_is_mapped, window, "the window to come back");
  }

  /* Stop: the worker ends, the style comes back, the window closes again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.toggle", NULL));
  cradle_app_test_iterate_until (not_monitoring, NULL, "the monitor to stop");
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_false (adw_style_manager_get_dark (style));
  g_assert_false (gtk_widget_has_css_class (content, "cradle-night"));
  g_assert_false (gtk_window_get_hide_on_close (GTK_WINDOW (window)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (night), FALSE);
  g_assert_true (label_shown ("Not listening"));
  /* One cry, one event: the chime the alert played (into the same null
   * sink the monitor listens to) was not taken for a cry. */
  {
    GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_ancestor (row, GTK_TYPE_LIST_BOX));

    g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));
    g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  }

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
progress_started (gpointer data)
{
  GtkWidget *bar = cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), GTK_TYPE_PROGRESS_BAR);

  return gtk_widget_get_visible (bar)
         && gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)) > 0.0;
}

static gboolean
progress_hidden (gpointer data)
{
  GtkWidget *bar = cradle_app_test_find_descendant (GTK_WIDGET (monitor_page ()), GTK_TYPE_PROGRESS_BAR);

  return !gtk_widget_get_visible (bar);
}

/* Room calibration shows its progress and can be cancelled; monitoring is
 * off meanwhile. */
static void
test_calibration_cancel (void)
{
  CradleMonitorPage *page;

  if (pulse == NULL)
    {
      g_test_skip (skip_reason);
      return;
    }
  ensure_window ();
  page = monitor_page ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.calibrate", NULL));
  cradle_app_test_iterate_until (progress_started, NULL, "calibration progress");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.toggle", NULL)
                  && cradle_monitor_page_get_monitoring (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "monitor.calibrate", NULL));
  cradle_app_test_iterate_until (progress_hidden, NULL, "calibration to stop");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* ---- A desktop notification server on the private bus ---------------------------- */

static const char notifications_xml[]
    = "<node>"
      "  <interface name='org.freedesktop.Notifications'>"
      "    <method name='Notify'>"
      "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' "
      "direction='in'/>"
      "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' "
      "direction='in'/>"
      "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' "
      "direction='out'/>"
      "    </method>"
      "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
      "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
      "    <method name='GetServerInformation'>"
      "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
      "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
      "    </method>"
      "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
      "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
      "  </interface>"
      "</node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      n_notifications++;
      g_free (last_notification);
      last_notification = g_strdup (summary);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n_notifications));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "cradle", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable
    = { notifications_method_call, NULL, NULL, { 0 } };

static gboolean
notifications_name_owned;

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  notifications_name_owned = TRUE;
}

static gboolean
bool_is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
serve_notifications (GDBusConnection *connection)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (info);
  g_dbus_connection_register_object (connection, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &notifications_vtable, NULL, NULL,
                                     &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (connection, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL, NULL, NULL);
  cradle_app_test_iterate_until (bool_is_true, &notifications_name_owned, "the notification server's name");
}

/* A detect model whose file holds tuned detector settings: the page reads
 * them off the UI thread, describes them, and they stand for the threshold
 * and cooldown rows until the switch is turned off. */
static void
test_tuned_settings (void)
{
  GSettings *settings = cradle_application_get_settings (app);
  g_autofree char *path = g_build_filename (data_home, "tuned.model", NULL);
  g_autofree char *untuned = g_build_filename (data_home, "detect.model", NULL);
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(JsonNode) record = json_from_string (
    "{\"settings\": {\"hop\": 0.25, \"threshold\": 0.8, \"off_threshold\": 0.65, \"confirm\": 3,"
    " \"cooldown\": 2}, \"tuned\": {\"cries\": 30, \"detected\": 29, \"false_alarms_per_hour\": 8.57}}",
    NULL);
  g_autoptr(GError) error = NULL;
  CradleMonitorPage *page;
  GtkWidget *scale;

  ensure_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "monitor"));
  page = monitor_page ();
  g_settings_set_string (settings, "detect-model", untuned);
  cradle_app_test_iterate_until (label_shown, "This model has none", "the untuned model's row");
  scale = cradle_app_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SCALE);
  g_assert_nonnull (scale);
  g_assert_true (gtk_widget_is_sensitive (scale));

  model = cradle_model_load (untuned, &error);
  g_assert_no_error (error);
  cradle_model_set_detector (model, record);
  g_assert_true (cradle_model_save (model, path, &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "detect-model", path);
  cradle_app_test_iterate_until (label_shown,
                                 "Threshold 0.80 held for 0.75 s, cooldown 2 s. On its dev streams: "
                                 "29 of 30 cries, 8.6 false alarms per hour",
                                 "the tuned settings' description");
  g_assert_false (gtk_widget_is_sensitive (scale));
  save_screenshot_scrolled_to (scale, 300, "monitor-tuned");

  g_settings_set_boolean (settings, "use-tuned-settings", FALSE);
  g_assert_true (gtk_widget_is_sensitive (scale));
  g_settings_set_boolean (settings, "use-tuned-settings", TRUE);
  g_assert_false (gtk_widget_is_sensitive (scale));

  g_settings_reset (settings, "detect-model");
  cradle_app_test_iterate_until (label_shown, "This model has none", "the dataset's model again");
  g_assert_true (gtk_widget_is_sensitive (scale));
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* ---- Set-up ------------------------------------------------------------------------------ */

static void
make_dataset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  CradleTask tasks[] = { CRADLE_TASK_DETECT, CRADLE_TASK_CAUSE };
  const char *names[] = { "detect.model", "cause.model" };

  dataset_dir = g_build_filename (data_home, "cradle", "default", NULL);
  dataset = cradle_dataset_open (dataset_dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr(CradleModel) model = cradle_test_model_train (tasks[i]);
      g_autofree char *path = g_build_filename (data_home, names[i], NULL);

      g_assert_true (cradle_model_save (model, path, &error));
      g_assert_cmpint (cradle_trainer_record_model (dataset, model, path, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
}

/* A real cry from ../shared/data, else the tone "cry" the tiny model knows. */
static void
make_cry (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  CradleAudio audio = { .sample_rate = 16000 };
  gsize n;

  if (cradle_test_shared_data () != NULL)
    {
      cry_path = g_build_filename (cradle_test_shared_data (), "detection", "cry",
                                   "margot_m4a_3.flac", NULL);
      if (g_file_test (cry_path, G_FILE_TEST_IS_REGULAR))
        return;
      g_clear_pointer (&cry_path, g_free);
    }
  cry_path = g_build_filename (data_home, "cry.wav", NULL);
  x = cradle_test_noise_stream (7.0, 0.02, 31, &n);
  cradle_test_add_tone (x, n, 1.0, 6.0, 450.0, 0.3);
  audio.samples = cradle_resample (x, n, CRADLE_TEST_MODEL_RATE, 16000, &audio.n_samples, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_audio_write (&audio, cry_path, CRADLE_AUDIO_FILE_WAV, &error));
  g_free (audio.samples);
}

int
main (int   argc,
      char *argv[])
{
  GList *windows;
  int ret;

  cradle_app_test_init (&argc, &argv, WAIT_TIMEOUT_SECONDS);

  /* Before anything asks GLib for the user folders, and before threads:
   * a fresh data home, and the PulseAudio daemon's environment. */
  data_home = cradle_app_test_make_data_home ("cradle-test-monitor");
  pulse = cradle_test_pulse_start (&skip_reason);
  make_dataset ();
  make_cry ();

  app = cradle_app_test_application_new (TRUE);
  serve_notifications (g_application_get_dbus_connection (G_APPLICATION (app)));

  g_test_add_func ("/app/monitor/1-empty-state", test_empty_state);
  g_test_add_func ("/app/monitor/2-listen-alert-review", test_listen_alert_review);
  g_test_add_func ("/app/monitor/3-calibration-cancel", test_calibration_cancel);
  g_test_add_func ("/app/monitor/4-tuned-settings", test_tuned_settings);

  ret = g_test_run ();

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    {
      gpointer weak = windows->data;

      g_object_add_weak_pointer (G_OBJECT (weak), &weak);
      gtk_window_destroy (GTK_WINDOW (weak));
      while (weak != NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&app);
  g_clear_pointer (&pulse, cradle_test_pulse_stop);
  cradle_test_rm_rf (data_home);
  g_free (data_home);
  g_free (dataset_dir);
  g_free (cry_path);
  g_free (skip_reason);
  g_free (last_notification);

  return cradle_app_test_check_bad_messages (ret);
}
