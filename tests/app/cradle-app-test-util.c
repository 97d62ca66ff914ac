/* cradle-app-test-util.c — helpers shared by the UI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-app-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static guint n_bad_messages;
static guint wait_timeout_seconds = 10;

static GLogWriterOutput
fail_on_warnings_writer (GLogLevelFlags   log_level,
                         const GLogField *fields,
                         gsize            n_fields,
                         gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
    n_bad_messages++;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
cradle_app_test_init (int    *argc,
                      char ***argv,
                      guint   timeout_seconds)
{
  wait_timeout_seconds = timeout_seconds;
  g_log_set_writer_func (fail_on_warnings_writer, NULL, NULL);
  g_test_init (argc, argv, NULL);
}

guint
cradle_app_test_get_n_bad_messages (void)
{
  return n_bad_messages;
}

int
cradle_app_test_check_bad_messages (int ret)
{
  if (n_bad_messages > 0)
    {
      g_printerr ("%u warning(s) or critical(s) were logged\n", n_bad_messages);
      return EXIT_FAILURE;
    }
  return ret;
}

char *
cradle_app_test_make_data_home (const char *prefix)
{
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  char *data_home = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  return data_home;
}

CradleApplication *
cradle_app_test_application_new (gboolean close_button_only)
{
  g_autoptr(GError) error = NULL;
  CradleApplication *app = cradle_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);
  if (close_button_only)
    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  return app;
}

/* ---- Main loop waits ------------------------------------------------------ */

gboolean
cradle_app_test_wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
cradle_app_test_iterate_until_timeout (CradleAppTestPredicate done,
                                       gpointer               data,
                                       const char            *what,
                                       guint                  seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  guint wake_up = g_timeout_add (10, cradle_app_test_wake_up_cb, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("Timed out after %u s waiting for %s", seconds, what);
          g_assert_not_reached ();
        }
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake_up);
}

void
cradle_app_test_iterate_until (CradleAppTestPredicate done,
                               gpointer               data,
                               const char            *what)
{
  cradle_app_test_iterate_until_timeout (done, data, what, wait_timeout_seconds);
}

gboolean
cradle_app_test_widget_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

gboolean
cradle_app_test_window_is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

gboolean
cradle_app_test_pointer_is_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
cradle_app_test_uint_is_zero (gpointer data)
{
  return *(guint *) data == 0;
}

static gboolean
count_down_frames_cb (GtkWidget     *widget,
                      GdkFrameClock *frame_clock,
                      gpointer       data)
{
  guint *frames_left = data;

  if (*frames_left > 0)
    (*frames_left)--;

  return *frames_left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void
cradle_app_test_wait_for_frames (GtkWidget *widget,
                                 guint      n)
{
  guint frames_left = n;

  g_assert_true (gtk_widget_get_mapped (widget));
  gtk_widget_add_tick_callback (widget, count_down_frames_cb, &frames_left, NULL);
  cradle_app_test_iterate_until (cradle_app_test_uint_is_zero, &frames_left, "frames to be drawn");
}

void
cradle_app_test_wait_until_mapped (GtkWidget *widget)
{
  cradle_app_test_iterate_until (cradle_app_test_widget_is_mapped, widget, G_OBJECT_TYPE_NAME (widget));
  cradle_app_test_wait_for_frames (widget, 3);
}

void
cradle_app_test_close_and_wait (GtkWindow *closing)
{
  gpointer weak = closing;

  g_object_add_weak_pointer (G_OBJECT (closing), &weak);
  gtk_window_destroy (closing);
  cradle_app_test_iterate_until (cradle_app_test_pointer_is_cleared, &weak, "a window to be destroyed");
}

void
cradle_app_test_close_all_windows (GtkApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (app)) != NULL)
    cradle_app_test_close_and_wait (windows->data);
}

/* ---- The widget tree ------------------------------------------------------ */

GtkWidget *
cradle_app_test_find_widget (GtkWidget                *root,
                             CradleAppTestWidgetMatch  match,
                             gconstpointer             data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;

      found = cradle_app_test_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) data);
}

GtkWidget *
cradle_app_test_find_descendant (GtkWidget *root,
                                 GType      type)
{
  return cradle_app_test_find_widget (root, is_of_type, &type);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

GtkWidget *
cradle_app_test_find_label_with_text (GtkWidget  *root,
                                      const char *text)
{
  return cradle_app_test_find_widget (root, is_label_with_text, text);
}

static gboolean
is_button_with_label (GtkWidget     *widget,
                      gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

GtkWidget *
cradle_app_test_find_button_with_label (GtkWidget  *root,
                                        const char *label)
{
  return cradle_app_test_find_widget (root, is_button_with_label, label);
}

static gboolean
is_row_with_title (GtkWidget     *widget,
                   gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

GtkWidget *
cradle_app_test_find_row_with_title (GtkWidget  *root,
                                     const char *title)
{
  return cradle_app_test_find_widget (root, is_row_with_title, title);
}

GtkWindow *
cradle_app_test_find_toplevel (GType    type,
                               gboolean visible_only)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          (!visible_only || gtk_widget_get_visible (GTK_WIDGET (toplevel))))
        found = toplevel;
      g_object_unref (toplevel);
    }

  return found;
}

/* ---- Screenshots ---------------------------------------------------------- */

void
cradle_app_test_assert_texture_has_content (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  double min_luma = 255.0;
  double max_luma = 0.0;

  /* Cairo's ARGB32: B, G, R, A in memory on little-endian machines. */
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;
        guint32 argb;
        double luma;

        memcpy (&argb, p, sizeof argb);
        luma = 0.2126 * ((argb >> 16) & 0xff) + 0.7152 * ((argb >> 8) & 0xff) + 0.0722 * (argb & 0xff);
        min_luma = MIN (min_luma, luma);
        max_luma = MAX (max_luma, luma);
      }

  g_assert_cmpfloat (max_luma - min_luma, >, 100.0);
}

void
cradle_app_test_save_screenshot_full (GtkWidget  *widget,
                                      const char *name,
                                      guint       n_frames,
                                      gboolean    check_content)
{
  const char *dir = g_getenv ("CRADLE_SCREENSHOT_DIR");
  int width;
  int height;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  /* Let transitions (switcher highlight, squeezer, revealer: 200–300 ms)
   * finish, so the picture shows what a person sees once things settle.
   * Animations stay on: GTK 4.8 logs a size warning when the switcher bar is
   * revealed with animations off. */
  cradle_app_test_wait_for_frames (widget, n_frames);

  g_assert_true (gtk_widget_get_mapped (widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);
  if (check_content)
    cradle_app_test_assert_texture_has_content (texture);

  if (dir == NULL || *dir == '\0')
    {
      g_test_message ("CRADLE_SCREENSHOT_DIR is not set: %s.png not saved", name);
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  filename = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s (%d×%d)", path, width, height);
}

void
cradle_app_test_save_screenshot (GtkWidget  *widget,
                                 const char *name)
{
  cradle_app_test_save_screenshot_full (widget, name, 30, TRUE);
}
