/* test-window.c — the main window, shown on a real X server (Xvfb)
 *
 * Runs CradleApplication as the `cradle` program does, then checks what a
 * person would see: the four pages and their empty states, page switching
 * through win.show-page and its accelerators, the view switcher moving to the
 * bottom bar in a narrow window, toasts, the primary menu, the About window
 * and the keyboard shortcuts window. A PNG of each page and dialog goes to
 * $CRADLE_SCREENSHOT_DIR when it is set.
 *
 * Any GLib/GTK warning or critical fails the run: g_test_init() makes them
 * fatal, and the log writer below also counts them in case a library logs
 * one with its fatal flag cleared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cradle-application.h"
#include "cradle-monitor-page.h"
#include "cradle-preferences-window.h"
#include "cradle-record-page.h"
#include "cradle-app-test-util.h"
#include "cradle-test-util.h"
#include "cradle-train-page.h"
#include "cradle-spectrogram-page.h"
#include "cradle-window.h"

#define WAIT_TIMEOUT_SECONDS 10

typedef struct
{
  const char *name;
  const char *title;
  const char *icon_name;
  const char *accel;
} ExpectedPage;

static const ExpectedPage expected_pages[] = {
  { "record", "Record", "audio-input-microphone-symbolic", "<Control>1" },
  { "spectrogram", "Spectrogram", "cradle-waveform-symbolic", "<Control>2" },
  { "train", "Train", "applications-science-symbolic", "<Control>3" },
  { "monitor", "Monitor", "weather-clear-night-symbolic", "<Control>4" },
};

typedef GType (*PageTypeFunc) (void);

static const PageTypeFunc expected_page_types[] = {
  cradle_record_page_get_type,
  cradle_spectrogram_page_get_type,
  cradle_train_page_get_type,
  cradle_monitor_page_get_type,
};

static CradleApplication *app;
static CradleWindow      *window;

/* Widget tree helpers */

static AdwViewStack *
window_stack (CradleWindow *self)
{
  GtkWidget *stack = cradle_app_test_find_descendant (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  return ADW_VIEW_STACK (stack);
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  if (accel == NULL)
    {
      g_assert_cmpuint (g_strv_length (accels), ==, 0);
      return;
    }

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, accel);
}

static void
show_page (const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
}

static void
assert_visible_page (const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-page");

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_stack (window)), ==, name);
  g_assert_nonnull (state);
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, name);
}

/* The main window, opened by activating the application as the desktop
 * does. g_test runs the cases in path order, so each case calls this. */
static void
ensure_window (void)
{
  if (window != NULL)
    return;

  g_application_activate (G_APPLICATION (app));
  window = CRADLE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CRADLE_IS_WINDOW (window));
  cradle_app_test_wait_until_mapped (GTK_WIDGET (window));
}

/* Test cases */

static void
test_activate_opens_one_window (void)
{
  int width;
  int height;

  ensure_window ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cradle");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 680);
  /* The window's own frame (CSD borders) takes a few pixels of that. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 940);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), >=, 660);

  /* Activating again presents the same window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_four_pages (void)
{
  g_autoptr(GtkSelectionModel) pages = NULL;
  AdwViewStack *stack;

  ensure_window ();
  stack = window_stack (window);
  pages = adw_view_stack_get_pages (stack);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (expected_pages));

  for (guint i = 0; i < G_N_ELEMENTS (expected_pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);

      g_test_message ("Page %u: %s", i, expected_pages[i].name);
      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, expected_pages[i].name);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, expected_pages[i].title);
      g_assert_cmpstr (adw_view_stack_page_get_icon_name (page), ==, expected_pages[i].icon_name);
      g_assert_true (adw_view_stack_get_child_by_name (stack, expected_pages[i].name) == child);

      /* Each page is its own class, tested in its own program. */
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (child, expected_page_types[i] ()));
    }

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_show_page_action (void)
{
  AdwViewStack *stack;

  ensure_window ();
  stack = window_stack (window);

  for (guint i = 0; i < G_N_ELEMENTS (expected_pages); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-page::%s", expected_pages[i].name);

      assert_accel (detailed, expected_pages[i].accel);

      show_page (expected_pages[i].name);
      cradle_app_test_wait_for_frames (GTK_WIDGET (window), 2);
      assert_visible_page (expected_pages[i].name);
      cradle_app_test_save_screenshot (GTK_WIDGET (window), expected_pages[i].name);
    }

  /* Switching in the view switcher (here: on the stack) updates the action's
   * state, so radio menu items and the accelerators agree with it. */
  adw_view_stack_set_visible_child_name (stack, "train");
  assert_visible_page ("train");

  show_page ("record");
  assert_visible_page ("record");

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_switcher_moves_to_bottom_when_narrow (void)
{
  GtkWidget *bar;
  GtkWidget *title;
  CradleWindow *narrow;

  ensure_window ();
  bar = cradle_app_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);
  title = cradle_app_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE);

  /* Wide: the switcher is in the header bar. */
  g_assert_nonnull (bar);
  g_assert_nonnull (title);
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  g_assert_false (adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title)));

  /* Narrow, as on a phone: the header shows the title and the switcher
   * moves to the bottom bar. */
  narrow = cradle_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 640);
  gtk_window_present (GTK_WINDOW (narrow));
  cradle_app_test_wait_until_mapped (GTK_WIDGET (narrow));

  bar = cradle_app_test_find_descendant (GTK_WIDGET (narrow), ADW_TYPE_VIEW_SWITCHER_BAR);
  title = cradle_app_test_find_descendant (GTK_WIDGET (narrow), ADW_TYPE_VIEW_SWITCHER_TITLE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (narrow)), <=, 360);
  g_assert_true (adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title)));
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  cradle_app_test_wait_for_frames (GTK_WIDGET (narrow), 2);
  cradle_app_test_save_screenshot (GTK_WIDGET (narrow), "narrow");

  cradle_app_test_close_and_wait (GTK_WINDOW (narrow));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_dark_style (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  ensure_window ();

  show_page ("monitor");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_true (adw_style_manager_get_dark (style_manager));
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "monitor-dark");

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
  show_page ("record");
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
toast_label_is_gone (gpointer data)
{
  return cradle_app_test_find_label_with_text (GTK_WIDGET (window), data) == NULL;
}

static void
test_toast (void)
{
  const char *text = "Cradle test toast";
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  ensure_window ();

  adw_toast_set_timeout (toast, 0);
  cradle_window_add_toast (window, g_object_ref (toast));
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_nonnull (cradle_app_test_find_label_with_text (GTK_WIDGET (window), text));

  adw_toast_dismiss (toast);
  cradle_app_test_iterate_until (toast_label_is_gone, (gpointer) text, "the toast to go away");

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_primary_menu (void)
{
  static const char * const expected_actions[][3] = {
    { "win.open-dataset", NULL },
    { "app.preferences", "app.shortcuts", "app.about" },
  };
  static const guint expected_counts[] = { 1, 3 };
  GtkWidget *button;
  GtkWidget *popover;
  GMenuModel *menu;

  ensure_window ();
  button = cradle_app_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);

  g_assert_nonnull (button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, G_N_ELEMENTS (expected_counts));

  for (guint s = 0; s < G_N_ELEMENTS (expected_counts); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      g_assert_nonnull (section);
      g_assert_cmpint (g_menu_model_get_n_items (section), ==, expected_counts[s]);

      /* Every item names an action that exists and is enabled. */
      for (guint i = 0; i < expected_counts[s]; i++)
        {
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          g_assert_cmpstr (action, ==, expected_actions[s][i]);
          if (g_str_has_prefix (action, "app."))
            g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), action + strlen ("app.")));
        }
    }

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (popover);
  cradle_app_test_wait_until_mapped (popover);
  cradle_app_test_save_screenshot (popover, "primary-menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
widget_is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static void
test_preferences_window (void)
{
  GSettings *settings = cradle_application_get_settings (app);
  GtkWindow *prefs;
  GtkWidget *colormap_row;
  GtkWidget *scale_row;
  GtkWidget *fft_row;
  GtkWidget *hop_row;
  GtkWidget *device_row;
  g_autofree char *colormap = NULL;

  ensure_window ();

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  assert_accel ("app.preferences", "<Control>comma");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = cradle_app_test_find_toplevel (CRADLE_TYPE_PREFERENCES_WINDOW, FALSE);
  g_assert_nonnull (prefs);
  cradle_app_test_wait_until_mapped (GTK_WIDGET (prefs));
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (window));

  /* A row writes its key at once … */
  colormap_row = cradle_app_test_find_row_with_title (GTK_WIDGET (prefs), "_Colors");
  g_assert_nonnull (colormap_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (colormap_row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (colormap_row), 1);
  colormap = g_settings_get_string (settings, "colormap");
  g_assert_cmpstr (colormap, ==, "magma");

  /* … and follows the key when something else changes it. */
  scale_row = cradle_app_test_find_row_with_title (GTK_WIDGET (prefs), "_Frequency Scale");
  g_assert_nonnull (scale_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (scale_row)), ==, 1);
  g_settings_set_string (settings, "frequency-scale", "log");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (scale_row)), ==, 2);

  fft_row = cradle_app_test_find_row_with_title (GTK_WIDGET (prefs), "FFT _Size");
  g_assert_nonnull (fft_row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (fft_row), 3);
  g_assert_cmpint (g_settings_get_int (settings, "fft-size"), ==, 2048);

  hop_row = cradle_app_test_find_row_with_title (GTK_WIDGET (prefs), "_Hop");
  g_assert_nonnull (hop_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (hop_row)), ==, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (hop_row), 0);
  g_assert_cmpfloat (g_settings_get_double (settings, "hop-fraction"), ==, 0.125);

  /* The microphone list comes from PortAudio in a worker thread; the first
   * item is the system default, which the empty setting selects. */
  device_row = cradle_app_test_find_row_with_title (GTK_WIDGET (prefs), "_Microphone");
  g_assert_nonnull (device_row);
  cradle_app_test_iterate_until (widget_is_sensitive, device_row, "the microphone list");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (device_row)), ==, 0);

  cradle_app_test_save_screenshot (GTK_WIDGET (prefs), "preferences");
  cradle_app_test_close_and_wait (prefs);

  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "frequency-scale");
  g_settings_reset (settings, "fft-size");
  g_settings_reset (settings, "hop-fraction");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_dataset (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "cradle", "default", NULL);
  g_autofree char *not_a_folder = g_build_filename (g_get_user_data_dir (), "not-a-folder", NULL);
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "other-dataset", NULL);
  g_autoptr(GError) error = NULL;
  CradleStore *store;
  CradleStore *page_store = NULL;
  GtkWidget *record_page;

  ensure_window ();

  /* The first start opens (and creates) the default dataset. */
  store = cradle_window_get_store (window);
  g_assert_nonnull (store);
  g_assert_cmpstr (cradle_store_get_dir (store), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_DIR));
  record_page = adw_view_stack_get_child_by_name (window_stack (window), "record");
  g_object_get (record_page, "store", &page_store, NULL);
  g_assert_true (page_store == store);
  g_clear_object (&page_store);

  /* A folder that cannot be a dataset is refused with its name, and the
   * open dataset stays. */
  g_assert_true (g_file_set_contents (not_a_folder, "x", 1, NULL));
  g_assert_false (cradle_window_open_dataset (window, not_a_folder, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not-a-folder"));
  g_assert_true (cradle_window_get_store (window) == store);

  /* Another folder becomes a dataset, and every page gets it. */
  g_assert_true (cradle_window_open_dataset (window, other, NULL));
  store = cradle_window_get_store (window);
  g_assert_cmpstr (cradle_store_get_dir (store), ==, other);
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_DIR));
  for (guint i = 0; i < G_N_ELEMENTS (expected_pages); i++)
    {
      GtkWidget *page = adw_view_stack_get_child_by_name (window_stack (window), expected_pages[i].name);

      g_object_get (page, "store", &page_store, NULL);
      g_assert_true (page_store == store);
      g_clear_object (&page_store);
    }

  assert_accel ("win.open-dataset", "<Control>o");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* Runs last: closes the window and opens a new one. */
static void
test_window_state_restored (void)
{
  GSettings *settings = cradle_application_get_settings (app);
  g_autofree char *page = NULL;
  int width, height;

  ensure_window ();
  show_page ("train");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);

  cradle_app_test_close_and_wait (GTK_WINDOW (window));
  window = NULL;

  page = g_settings_get_string (settings, "page");
  g_assert_cmpstr (page, ==, "train");
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  ensure_window ();
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_stack (window)), ==, "train");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_about_window (void)
{
  GtkWindow *about;

  ensure_window ();

  g_assert_null (cradle_app_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW, FALSE));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  about = cradle_app_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW, FALSE);
  g_assert_nonnull (about);
  cradle_app_test_wait_until_mapped (GTK_WIDGET (about));

  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (about));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Cradle");
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "The Cradle developers");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  /* No placeholder links. */
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==, "");
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)), ==, "");

  /* The icon is found in the resources, without an installed icon theme. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          APP_ID));

  cradle_app_test_save_screenshot (GTK_WIDGET (about), "about");
  cradle_app_test_close_and_wait (about);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_shortcuts_window (void)
{
  GtkShortcutsWindow *overlay;

  ensure_window ();

  assert_accel ("app.shortcuts", "<Control>question");
  assert_accel ("app.quit", "<Control>q");
  assert_accel ("win.show-help-overlay", NULL);

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  cradle_app_test_wait_until_mapped (GTK_WIDGET (overlay));
  cradle_app_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts");

  /* GtkApplicationWindow keeps the shortcuts window for next time. */
  gtk_window_close (GTK_WINDOW (overlay));
  cradle_app_test_iterate_until (cradle_app_test_window_is_hidden, overlay, "the shortcuts window to hide");
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int ret;

  cradle_app_test_init (&argc, &argv, WAIT_TIMEOUT_SECONDS);

  /* The default dataset is made in a fresh $XDG_DATA_HOME, never in the
   * developer's own (before anything asks GLib for that folder). */
  data_home = cradle_app_test_make_data_home ("cradle-test-window");

  /* No D-Bus name: the test must not find, or be found by, a running Cradle;
   * GNOME's and Phosh's title bar buttons. */
  app = cradle_app_test_application_new (TRUE);

  g_test_add_func ("/app/window/activate", test_activate_opens_one_window);
  g_test_add_func ("/app/window/pages", test_four_pages);
  g_test_add_func ("/app/window/show-page", test_show_page_action);
  g_test_add_func ("/app/window/narrow", test_switcher_moves_to_bottom_when_narrow);
  g_test_add_func ("/app/window/dark", test_dark_style);
  g_test_add_func ("/app/window/toast", test_toast);
  g_test_add_func ("/app/window/primary-menu", test_primary_menu);
  g_test_add_func ("/app/about", test_about_window);
  g_test_add_func ("/app/shortcuts", test_shortcuts_window);
  g_test_add_func ("/app/preferences", test_preferences_window);
  g_test_add_func ("/app/window/dataset", test_dataset);
  g_test_add_func ("/app/window/state", test_window_state_restored);

  ret = g_test_run ();

  cradle_app_test_close_all_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  cradle_test_rm_rf (data_home);

  return cradle_app_test_check_bad_messages (ret);
}
