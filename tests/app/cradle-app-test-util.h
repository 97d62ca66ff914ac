/* cradle-app-test-util.h — helpers shared by the UI test programs
 *
 * The test programs in tests/app run the real application on an X server
 * (Xvfb) and drive it through the main loop. Every such program:
 *
 *  - calls cradle_app_test_init() instead of g_test_init(), which also
 *    installs a log writer that counts warnings and criticals, and ends
 *    main() with cradle_app_test_check_bad_messages();
 *  - waits with cradle_app_test_iterate_until() (a timeout fails the test);
 *  - finds widgets with cradle_app_test_find_*();
 *  - saves screenshots with cradle_app_test_save_screenshot().
 *
 * bench-spectrogram, which is no GTest program, uses only the data home,
 * the application and the finders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cradle-application.h"

G_BEGIN_DECLS

/* ---- Set-up and the bad-message counter ---------------------------------- */

/* Installs the fail-on-warnings log writer (before g_test_init(), so that
 * nothing GLib logs while starting is missed), then calls g_test_init()
 * with ARGC and ARGV. WAIT_TIMEOUT_SECONDS is how long
 * cradle_app_test_iterate_until() and the helpers built on it
 * (wait_for_frames, wait_until_mapped, close_and_wait, save_screenshot)
 * wait before failing the test. */
void        cradle_app_test_init                  (int          *argc,
                                                   char       ***argv,
                                                   guint         wait_timeout_seconds);

/* How many errors, criticals and warnings have been logged since
 * cradle_app_test_init(). g_test_init() makes them fatal; the count
 * catches those a library logs with its fatal flag cleared. */
guint       cradle_app_test_get_n_bad_messages    (void);

/* For the end of main(): when anything bad was logged, prints
 * "N warning(s) or critical(s) were logged" to stderr and returns
 * EXIT_FAILURE; otherwise returns RET. */
int         cradle_app_test_check_bad_messages    (int           ret);

/* Makes a fresh temporary folder "<PREFIX>-XXXXXX" (e.g. "cradle-test-window")
 * and sets $XDG_DATA_HOME to it, so that the default dataset is never made
 * in the developer's own. Call it before anything asks GLib for that folder.
 * Returns the folder (g_free; remove it with cradle_test_rm_rf()). */
char       *cradle_app_test_make_data_home        (const char   *prefix);

/* A CradleApplication as the `cradle` program makes it, but with
 * G_APPLICATION_NON_UNIQUE: it neither finds, nor is found by, a Cradle
 * already running. It is registered (g_error() when that fails). With
 * CLOSE_BUTTON_ONLY, sets gtk-decoration-layout to "appmenu:close" as GNOME
 * and Phosh do: without a settings daemon GTK on X11 falls back to
 * minimize, maximize and close, which alone make the header bar wider
 * than a phone. */
CradleApplication *cradle_app_test_application_new (gboolean   close_button_only);

/* Destroys APP's windows one after the other, each with
 * cradle_app_test_close_and_wait(). */
void        cradle_app_test_close_all_windows     (GtkApplication *app);

/* ---- Main loop waits ------------------------------------------------------ */

typedef gboolean (*CradleAppTestPredicate) (gpointer data);

/* A no-op timeout callback (G_SOURCE_CONTINUE): a 10 ms source of it keeps
 * g_main_context_iteration() from blocking while a wait polls. */
gboolean    cradle_app_test_wake_up_cb            (gpointer      data);

/* Runs the main loop until DONE (DATA) is true. After the timeout given to
 * cradle_app_test_init() it logs "Timed out after N s waiting for WHAT" as a
 * test message and fails with g_assert_not_reached(). */
void        cradle_app_test_iterate_until         (CradleAppTestPredicate done,
                                                   gpointer      data,
                                                   const char   *what);
/* The same with a timeout of SECONDS instead of the default one. */
void        cradle_app_test_iterate_until_timeout (CradleAppTestPredicate done,
                                                   gpointer      data,
                                                   const char   *what,
                                                   guint         seconds);

/* Predicates for the waits. */
gboolean    cradle_app_test_widget_is_mapped      (gpointer      widget);
gboolean    cradle_app_test_window_is_hidden      (gpointer      widget);
/* *(gpointer *) DATA == NULL (a weak pointer cleared). */
gboolean    cradle_app_test_pointer_is_cleared    (gpointer      data);
/* *(guint *) DATA == 0. */
gboolean    cradle_app_test_uint_is_zero          (gpointer      data);

/* Lets WIDGET's frame clock lay out and paint N frames; WIDGET must be
 * mapped. */
void        cradle_app_test_wait_for_frames       (GtkWidget    *widget,
                                                   guint         n);
/* Waits until WIDGET is mapped, then for 3 frames. */
void        cradle_app_test_wait_until_mapped     (GtkWidget    *widget);
/* Destroys WINDOW and waits until it has been finalized. */
void        cradle_app_test_close_and_wait        (GtkWindow    *window);

/* ---- The widget tree ------------------------------------------------------ */

typedef gboolean (*CradleAppTestWidgetMatch) (GtkWidget     *widget,
                                              gconstpointer  data);

/* The first descendant of ROOT (depth first, ROOT itself excluded) for
 * which MATCH (descendant, DATA) is true, or NULL. The finders below are
 * built on it. */
GtkWidget  *cradle_app_test_find_widget           (GtkWidget    *root,
                                                   CradleAppTestWidgetMatch match,
                                                   gconstpointer data);
/* The first descendant of ROOT of TYPE, or NULL. */
GtkWidget  *cradle_app_test_find_descendant       (GtkWidget    *root,
                                                   GType         type);
/* The first GtkLabel below ROOT whose text is exactly TEXT, or NULL. */
GtkWidget  *cradle_app_test_find_label_with_text  (GtkWidget    *root,
                                                   const char   *text);
/* The first GtkButton below ROOT whose label is exactly LABEL, or NULL. */
GtkWidget  *cradle_app_test_find_button_with_label (GtkWidget   *root,
                                                    const char  *label);
/* The first AdwPreferencesRow below ROOT whose title is exactly TITLE
 * (with its mnemonic underline), or NULL. */
GtkWidget  *cradle_app_test_find_row_with_title   (GtkWidget    *root,
                                                   const char   *title);
/* The first toplevel of TYPE, or NULL; with VISIBLE_ONLY, the first one
 * that is also visible (hidden windows kept for next time are skipped). */
GtkWindow  *cradle_app_test_find_toplevel         (GType         type,
                                                   gboolean      visible_only);

/* ---- Screenshots ---------------------------------------------------------- */

/* Fails unless TEXTURE has both dark and light pixels (a luma range above
 * 100 of 255): a blank or single-colour render means nothing was drawn. */
void        cradle_app_test_assert_texture_has_content (GdkTexture *texture);

/* Waits N_FRAMES frames (so that transitions settle), renders WIDGET with
 * its window's GskRenderer and, with CHECK_CONTENT, checks the picture with
 * cradle_app_test_assert_texture_has_content(). Then saves it as
 * $CRADLE_SCREENSHOT_DIR/NAME.png (the folder is made when missing) and
 * logs "Saved PATH (W×H)"; when the variable is unset or empty it logs
 * that NAME.png was not saved. */
void        cradle_app_test_save_screenshot_full  (GtkWidget    *widget,
                                                   const char   *name,
                                                   guint         n_frames,
                                                   gboolean      check_content);
/* cradle_app_test_save_screenshot_full (WIDGET, NAME, 30, TRUE). */
void        cradle_app_test_save_screenshot       (GtkWidget    *widget,
                                                   const char   *name);

G_END_DECLS
