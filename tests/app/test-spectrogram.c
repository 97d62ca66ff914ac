/* test-spectrogram.c — the Spectrogram page on a real X server (Xvfb)
 *
 * Runs CradleApplication, adds a recording with known tones to a fresh
 * dataset, opens it through win.open-recording and checks what a person
 * would: the tiles fill in, the read-out at a known point of a known sine,
 * zooming halves the span, scrolling moves it, a selection labelled from
 * the popover becomes a dataset segment, and the export is a PNG of the
 * asked size. Screenshots (light and dark) go to $CRADLE_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>

#include "cradle-application.h"
#include "cradle-capture.h"
#include "cradle-spectrogram-page.h"
#include "cradle-app-test-util.h"
#include "cradle-test-util.h"
#include "cradle-window.h"

#define WAIT_TIMEOUT_SECONDS 30
#define RATE 16000

static CradleApplication *app;
static CradleWindow      *window;
static gint64             recording_id;
static char              *tmp_dir;

static CradleSpectrogramPage *
page (void)
{
  GtkWidget *found = cradle_app_test_find_descendant (GTK_WIDGET (window), CRADLE_TYPE_SPECTROGRAM_PAGE);

  g_assert_nonnull (found);
  return CRADLE_SPECTROGRAM_PAGE (found);
}

static gboolean
image_is_ready (gpointer data)
{
  return cradle_spectrogram_view_is_image_ready (data);
}

static void
wait_for_image (CradleSpectrogramView *view)
{
  cradle_app_test_iterate_until (image_is_ready, view, "the spectrogram's tiles and image");
  cradle_app_test_wait_for_frames (GTK_WIDGET (view), 2);
}

/* 10 s: 1 kHz at amplitude 0.5 for 5 s, then 2 kHz at 0.25. */
static void
add_recording (void)
{
  CradleStore *store = cradle_window_get_store (window);
  g_autoptr(CradleAudio) audio = cradle_audio_new (RATE, 10 * RATE);
  g_autoptr(GError) error = NULL;
  CradleRecordingSpec spec = { 0 };

  for (gsize i = 0; i < audio->n_samples; i++)
    {
      double t = (double) i / RATE;

      audio->samples[i] = t < 5.0 ? (float) (0.5 * sin (2 * G_PI * 1000.0 * t))
                                  : (float) (0.25 * sin (2 * G_PI * 2000.0 * t));
    }
  spec.audio = audio;
  spec.label = "hunger";
  spec.label_status = CRADLE_LABEL_STATUS_CONFIRMED;
  spec.confidence = -1;
  spec.source = "record";
  spec.file_stem = "tones";
  recording_id = cradle_dataset_add_recording (cradle_store_get_dataset (store), &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (recording_id, >, 0);
}

static void
ensure_open (void)
{
  if (window != NULL)
    return;

  g_application_activate (G_APPLICATION (app));
  window = CRADLE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CRADLE_IS_WINDOW (window));
  cradle_app_test_iterate_until (cradle_app_test_widget_is_mapped, window, "the window");
  add_recording ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recording", "x", recording_id));
  wait_for_image (cradle_spectrogram_page_get_view (page ()));
}

static void
test_open (void)
{
  CradleSpectrogramView *view;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());
  g_assert_cmpint (cradle_spectrogram_page_get_recording_id (page ()), ==, recording_id);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (cradle_app_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))),
                   ==, "spectrogram");
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_duration (view), 10.0, 1e-9);
  /* A 10 s recording opens whole. */
  g_assert_cmpfloat (cradle_spectrogram_view_get_view_start (view), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_span (view), 10.0, 1e-9);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "spectrogram");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* FFT 1024 at 16 kHz: 1 kHz is bin 64's centre, so a sine of amplitude A
 * reads 20 log10 A dB re full scale there. */
static void
test_readout (void)
{
  CradleSpectrogramView *view;
  float db = NAN;
  double x;
  double y;
  double seconds;
  double hz;
  const char *readout;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());

  g_assert_true (cradle_spectrogram_view_value_at (view, 2.0, 1000.0, &db));
  g_test_message ("1 kHz at 2 s: %.3f dB", db);
  g_assert_cmpfloat_with_epsilon (db, 20.0 * log10 (0.5), 0.05);
  g_assert_true (cradle_spectrogram_view_value_at (view, 7.0, 2000.0, &db));
  g_assert_cmpfloat_with_epsilon (db, 20.0 * log10 (0.25), 0.05);
  g_assert_true (cradle_spectrogram_view_value_at (view, 2.0, 4000.0, &db));
  g_assert_cmpfloat (db, <, -60.0);

  /* The pointer over (2 s, 1 kHz): the label shows time, Hz and dB. */
  cradle_spectrogram_view_time_hz_to_point (view, 2.0, 1000.0, &x, &y);
  g_assert_true (cradle_spectrogram_view_point_to_time_hz (view, x, y, &seconds, &hz));
  g_assert_cmpfloat_with_epsilon (seconds, 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (hz, 1000.0, 1e-3);
  cradle_spectrogram_view_update_readout (view, x, y);
  readout = cradle_spectrogram_view_get_readout (view);
  g_test_message ("read-out: %s", readout);
  g_assert_true (g_str_has_prefix (readout, "2.000 s · 1 kHz · −6"));
  g_assert_true (g_str_has_suffix (readout, " dB"));
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static GtkEventController *
view_controller (GtkWidget *view,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return GTK_EVENT_CONTROLLER (controller);
    }
  g_assert_not_reached ();
}

static void
test_zoom_and_scroll (void)
{
  CradleSpectrogramView *view;
  GtkAdjustment *adjustment;
  double span;
  double centre;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());
  span = cradle_spectrogram_view_get_view_span (view);
  centre = cradle_spectrogram_view_get_view_start (view) + span / 2.0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_span (view), span / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_start (view) + span / 4.0, centre, 1e-9);
  wait_for_image (view);

  /* The scroll bar moves the view, and the view the scroll bar. */
  adjustment = cradle_spectrogram_view_get_adjustment (view);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_page_size (adjustment), span / 2.0, 1e-9);
  gtk_adjustment_set_value (adjustment, 5.0);
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_start (view), 5.0, 1e-9);
  wait_for_image (view);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "spectrogram-zoomed");

  /* The wheel: a notch scrolls a tenth of the view (back from 5 s). */
  {
    gboolean handled = FALSE;

    g_signal_emit_by_name (view_controller (GTK_WIDGET (view), GTK_TYPE_EVENT_CONTROLLER_SCROLL),
                           "scroll", 0.0, -2.0, &handled);
    g_assert_true (handled);
    g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_start (view), 5.0 - 2 * span / 2.0 / 10.0, 1e-9);
  }

  /* A pinch to twice the size halves the span again, around the centre. */
  {
    GtkEventController *pinch = view_controller (GTK_WIDGET (view), GTK_TYPE_GESTURE_ZOOM);
    double before = cradle_spectrogram_view_get_view_span (view);

    g_signal_emit_by_name (pinch, "begin", NULL);
    g_signal_emit_by_name (pinch, "scale-changed", 2.0);
    g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_span (view), before / 2.0, 1e-9);
    g_signal_emit_by_name (pinch, "scale-changed", 1.0);
    g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_span (view), before, 1e-9);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_view_span (view), span, 1e-9);
  g_assert_cmpfloat (cradle_spectrogram_view_get_view_start (view), ==, 0.0);
  wait_for_image (view);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static GtkWidget *
find_popover (GtkWidget *view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return child;
  return NULL;
}

static gboolean
popover_gone (gpointer data)
{
  return find_popover (data) == NULL;
}

static void
test_segment (void)
{
  CradleSpectrogramView *view;
  CradleStore *store;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover;
  GtkWidget *button;
  CradleSegment *segment;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());
  store = cradle_window_get_store (window);

  /* A selection opens the label popover; choosing a label saves it. */
  cradle_spectrogram_view_set_selection (view, 1.0, 2.5);
  popover = find_popover (GTK_WIDGET (view));
  g_assert_nonnull (popover);
  cradle_app_test_iterate_until (cradle_app_test_widget_is_mapped, popover, "the label popover");
  cradle_app_test_wait_for_frames (popover, 5);
  cradle_app_test_save_screenshot (popover, "spectrogram-label-popover");
  button = cradle_app_test_find_button_with_label (popover, "pain");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  cradle_app_test_iterate_until (popover_gone, view, "the popover to close");

  segments = cradle_dataset_list_segments (cradle_store_get_dataset (store), recording_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, 1);
  segment = g_ptr_array_index (segments, 0);
  g_assert_cmpfloat_with_epsilon (segment->start, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (segment->end, 2.5, 1e-9);
  g_assert_cmpstr (segment->label, ==, "pain");
  /* The view shows it, and the selection is gone. */
  g_assert_cmpuint (cradle_spectrogram_view_get_segments (view)->len, ==, 1);
  g_assert_false (cradle_spectrogram_view_get_selection (view, NULL, NULL));
  cradle_app_test_wait_for_frames (GTK_WIDGET (view), 3);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "spectrogram-segment");

  /* Delete removes the active one. */
  cradle_spectrogram_view_set_active_segment (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.delete-segment", NULL));
  g_clear_pointer (&segments, g_ptr_array_unref);
  segments = cradle_dataset_list_segments (cradle_store_get_dataset (store), recording_id, &error);
  g_assert_cmpuint (segments->len, ==, 0);
  g_assert_cmpuint (cradle_spectrogram_view_get_segments (view)->len, ==, 0);

  /* Put one back for the screenshots. */
  g_assert_true (cradle_spectrogram_page_add_segment (page (), 5.5, 7.0, "cry", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static GtkGesture *
view_drag_gesture (GtkWidget *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

/* Drags with the view's own gesture handlers, from time A to time B at
 * 1 kHz (as a pointer would, in widget coordinates). */
static void
drag (CradleSpectrogramView *view,
      double                 a,
      double                 b)
{
  GtkGesture *gesture = view_drag_gesture (GTK_WIDGET (view));
  double xa;
  double xb;
  double y;

  cradle_spectrogram_view_time_hz_to_point (view, a, 1000.0, &xa, &y);
  cradle_spectrogram_view_time_hz_to_point (view, b, 1000.0, &xb, NULL);
  g_signal_emit_by_name (gesture, "drag-begin", xa, y);
  g_signal_emit_by_name (gesture, "drag-update", (xb - xa) / 2.0, 0.0);
  g_signal_emit_by_name (gesture, "drag-update", xb - xa, 0.0);
  g_signal_emit_by_name (gesture, "drag-end", xb - xa, 0.0);
}

/* Dragging selects; dragging a segment's edge moves it in the dataset;
 * a click on a segment offers to relabel it. */
static void
test_drag (void)
{
  CradleSpectrogramView *view;
  CradleStore *store;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover;
  CradleSegment *segment;
  double start;
  double end;
  /* One pixel of the plot, in seconds. */
  double px;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());
  store = cradle_window_get_store (window);
  {
    double x0;
    double x1;

    cradle_spectrogram_view_time_hz_to_point (view, 0.0, 1000.0, &x0, NULL);
    cradle_spectrogram_view_time_hz_to_point (view, 1.0, 1000.0, &x1, NULL);
    px = 1.0 / (x1 - x0);
  }

  /* The segment of test_segment: 5.5 … 7 s, "cry". Its end edge to 8 s. */
  segments = cradle_dataset_list_segments (cradle_store_get_dataset (store), recording_id, &error);
  g_assert_cmpuint (segments->len, ==, 1);
  drag (view, 7.0, 8.0);
  g_clear_pointer (&segments, g_ptr_array_unref);
  segments = cradle_dataset_list_segments (cradle_store_get_dataset (store), recording_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, 1);
  segment = g_ptr_array_index (segments, 0);
  g_assert_cmpfloat_with_epsilon (segment->start, 5.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (segment->end, 8.0, 2 * px);
  g_assert_cmpstr (segment->label, ==, "cry");

  /* A click inside it offers the relabel popover. */
  drag (view, 6.0, 6.0);
  popover = find_popover (GTK_WIDGET (view));
  g_assert_nonnull (popover);
  g_assert_nonnull (cradle_app_test_find_button_with_label (popover, "Delete Segment"));
  g_signal_emit_by_name (cradle_app_test_find_button_with_label (popover, "laugh"), "clicked");
  cradle_app_test_iterate_until (popover_gone, view, "the popover to close");
  g_clear_pointer (&segments, g_ptr_array_unref);
  segments = cradle_dataset_list_segments (cradle_store_get_dataset (store), recording_id, &error);
  g_assert_cmpuint (segments->len, ==, 1);
  g_assert_cmpstr (((CradleSegment *) g_ptr_array_index (segments, 0))->label, ==, "laugh");

  /* A drag elsewhere selects (and offers the labels; dismissed here). */
  drag (view, 2.0, 3.0);
  g_assert_true (cradle_spectrogram_view_get_selection (view, &start, &end));
  g_assert_cmpfloat_with_epsilon (start, 2.0, 2 * px);
  g_assert_cmpfloat_with_epsilon (end, 3.0, 2 * px);
  popover = find_popover (GTK_WIDGET (view));
  g_assert_nonnull (popover);
  gtk_popover_popdown (GTK_POPOVER (popover));
  cradle_app_test_iterate_until (popover_gone, view, "the popover to close");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.clear-selection", NULL));
  g_assert_false (cradle_spectrogram_view_get_selection (view, NULL, NULL));
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (!cradle_spectrogram_page_export_finish (CRADLE_SPECTROGRAM_PAGE (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, 0, "ok");
}

typedef struct {
  CradleSpectrogramView *view;
  double                 past;
} PlayheadWait;

static gboolean
playhead_past (gpointer data)
{
  PlayheadWait *wait = data;

  return cradle_spectrogram_view_get_playhead (wait->view) > wait->past;
}

static gboolean
playhead_hidden (gpointer data)
{
  return isnan (cradle_spectrogram_view_get_playhead (data));
}

/* Space's action plays from the cursor through PortAudio into a private
 * PulseAudio null sink; the playhead moves and hides at the end. */
static void
test_play (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(CradleTestPulse) pulse = cradle_test_pulse_start (&reason);
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *buf = NULL;
  CradleSpectrogramView *view;
  PlayheadWait wait;
  GtkWidget *play_button;

  if (pulse == NULL)
    {
      g_test_skip (reason);
      return;
    }
  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());

  /* The test daemon's null sink consumes only while its monitor is read
   * (and starts after ~2 s): capture throughout, as test-playback does. */
  capture = cradle_capture_open (NULL, RATE, 30.0, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (capture, &error));
  buf = g_new (float, RATE);
  g_assert_cmpint (cradle_capture_read (capture, buf, RATE, 6000, &error), >, 0);

  cradle_spectrogram_view_set_cursor (view, 8.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.play", NULL));
  play_button = cradle_app_test_find_descendant (GTK_WIDGET (page ()), GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (play_button)), ==, "media-playback-pause-symbolic");
  wait = (PlayheadWait) { view, 8.8 };
  cradle_app_test_iterate_until (playhead_past, &wait, "the playhead to move");
  cradle_app_test_iterate_until (playhead_hidden, view, "the end of the recording");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (play_button)), ==, "media-playback-start-symbolic");
  /* The end leaves the cursor where it was; pausing moves it to where
   * playback stopped. */
  g_assert_cmpfloat (cradle_spectrogram_view_get_cursor (view), ==, 8.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.play", NULL));
  wait = (PlayheadWait) { view, 8.7 };
  cradle_app_test_iterate_until (playhead_past, &wait, "the playhead to move again");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "spectrogram.play", NULL));
  g_assert_true (isnan (cradle_spectrogram_view_get_playhead (view)));
  g_assert_cmpfloat (cradle_spectrogram_view_get_cursor (view), >, 8.7);
  g_assert_cmpfloat (cradle_spectrogram_view_get_cursor (view), <, 10.0);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_export (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "view.png", NULL);
  GError *result = NULL;
  cairo_surface_t *png;

  ensure_open ();
  cradle_spectrogram_page_export_async (page (), path, 900, 450, export_cb, &result);
  cradle_app_test_iterate_until (pointer_is_set, &result, "the export");
  g_assert_cmpstr (result->message, ==, "ok");
  g_clear_error (&result);

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 900);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 450);
  cairo_surface_destroy (png);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_dark (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  CradleSpectrogramView *view;

  ensure_open ();
  view = cradle_spectrogram_page_get_view (page ());
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (cradle_app_test_find_button_with_label (GTK_WIDGET (page ()), "F0")), TRUE);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  wait_for_image (view);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "spectrogram-dark");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* A file outside the dataset (as dropped on the page): shown, no segments. */
static void
test_open_file (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "dropped.wav", NULL);
  g_autoptr(CradleAudio) audio = cradle_audio_new (8000, 3 * 8000);
  g_autoptr(GError) error = NULL;
  CradleSpectrogramView *view;
  GtkWidget *details;

  ensure_open ();
  for (gsize i = 0; i < audio->n_samples; i++)
    audio->samples[i] = (float) (0.5 * sin (2 * G_PI * 500.0 * i / 8000.0));
  g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);

  cradle_spectrogram_page_open_file (page (), path);
  view = cradle_spectrogram_page_get_view (page ());
  wait_for_image (view);
  g_assert_cmpint (cradle_spectrogram_page_get_recording_id (page ()), ==, 0);
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_view_get_duration (view), 3.0, 1e-9);
  g_assert_null (cradle_spectrogram_view_get_segments (view));
  details = cradle_app_test_find_label_with_text (GTK_WIDGET (page ()), "Not in the dataset");
  g_assert_nonnull (details);
  /* 500 Hz at amplitude 0.5 (FFT 1024 at 8 kHz: bin 64). */
  {
    float db = NAN;

    g_assert_true (cradle_spectrogram_view_value_at (view, 1.5, 500.0, &db));
    g_assert_cmpfloat_with_epsilon (db, 20.0 * log10 (0.5), 0.05);
  }
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int ret;

  cradle_app_test_init (&argc, &argv, WAIT_TIMEOUT_SECONDS);

  data_home = cradle_app_test_make_data_home ("cradle-test-spectrogram");
  tmp_dir = data_home;

  app = cradle_app_test_application_new (TRUE);

  g_test_add_func ("/app/spectrogram/open", test_open);
  g_test_add_func ("/app/spectrogram/readout", test_readout);
  g_test_add_func ("/app/spectrogram/zoom-and-scroll", test_zoom_and_scroll);
  g_test_add_func ("/app/spectrogram/segment", test_segment);
  g_test_add_func ("/app/spectrogram/drag", test_drag);
  g_test_add_func ("/app/spectrogram/play", test_play);
  g_test_add_func ("/app/spectrogram/export", test_export);
  g_test_add_func ("/app/spectrogram/dark", test_dark);
  g_test_add_func ("/app/spectrogram/open-file", test_open_file);

  ret = g_test_run ();

  cradle_app_test_close_all_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  cradle_test_rm_rf (data_home);

  return cradle_app_test_check_bad_messages (ret);
}
