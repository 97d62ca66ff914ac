/* cradle-window.c — the main window: header bar and the four pages
 *
 * The window is a view stack of four pages (record, spectrogram, train,
 * monitor) with a view switcher in the header bar that moves to a bar at the
 * bottom when the window is too narrow for it. `win.show-page` is a stateful
 * string action whose state is the name of the visible page, so menus and
 * keyboard shortcuts (Ctrl+1…4) stay in step with the switcher.
 *
 * The window owns the open dataset (a CradleStore) and hands it to the
 * pages through their "store" property; `win.open-dataset` picks another
 * folder. `win.open-recording(x)` shows a recording of the dataset on the
 * spectrogram page, from any page. The size, maximized state and visible
 * page are saved in GSettings and restored on start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-monitor-page.h"
#include "cradle-preferences-window.h"
#include "cradle-record-page.h"
#include "cradle-spectrogram-page.h"
#include "cradle-train-page.h"
#include "cradle-window.h"

struct _CradleWindow
{
  AdwApplicationWindow   parent_instance;

  GSettings             *settings;
  CradleStore           *store;
  GtkFileChooserNative  *dataset_chooser;

  /* Template widgets */
  AdwViewStack          *stack;
  AdwToastOverlay       *toast_overlay;
  CradleRecordPage      *record_page;
  CradleSpectrogramPage *spectrogram_page;
  CradleTrainPage       *train_page;
  CradleMonitorPage     *monitor_page;
};

G_DEFINE_FINAL_TYPE (CradleWindow, cradle_window, ADW_TYPE_APPLICATION_WINDOW)

static void
cradle_window_show_page_change_state (GSimpleAction *action,
                                      GVariant      *value,
                                      gpointer       user_data)
{
  CradleWindow *self = user_data;
  const char *name = g_variant_get_string (value, NULL);

  /* The accelerators and menus name fixed pages, so an unknown name is a
   * programmer error. */
  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_critical ("Cradle has no page named “%s”", name);
      return;
    }

  /* The state follows from notify::visible-child-name. */
  adw_view_stack_set_visible_child_name (self->stack, name);
}

static void
cradle_window_notify_visible_child_name_cb (CradleWindow *self,
                                            GParamSpec   *pspec,
                                            AdwViewStack *stack)
{
  const char *name = adw_view_stack_get_visible_child_name (stack);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-page");

  if (name != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
}

static void
cradle_window_show_error (CradleWindow *self,
                          const char   *heading,
                          const char   *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cradle_window_dataset_chooser_response_cb (CradleWindow         *self,
                                           int                   response,
                                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->dataset_chooser);

  if (folder == NULL)
    return;

  path = g_file_get_path (folder);
  if (path == NULL)
    {
      cradle_window_show_error (self, _("Cannot Open Dataset"),
                                _("The chosen folder is not on this computer’s file system."));
      return;
    }

  if (!cradle_window_open_dataset (self, path, &error))
    cradle_window_show_error (self, _("Cannot Open Dataset"), error->message);
  else
    {
      g_autofree char *name = g_path_get_basename (path);
      /* Translators: %s is a dataset folder's name. */
      g_autofree char *title = g_strdup_printf (_("Opened “%s”"), name);

      g_settings_set_string (self->settings, "dataset-dir", path);
      cradle_window_add_toast (self, adw_toast_new (title));
    }
}

static void
cradle_window_open_dataset_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CradleWindow *self = CRADLE_WINDOW (widget);

  if (self->dataset_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->dataset_chooser));
      return;
    }

  self->dataset_chooser = gtk_file_chooser_native_new (_("Open or Create a Dataset Folder"),
                                                       GTK_WINDOW (self),
                                                       GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                       _("_Open"),
                                                       _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->dataset_chooser), TRUE);
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (self->dataset_chooser), TRUE);
  if (self->store != NULL)
    {
      g_autoptr(GFile) current = g_file_new_for_path (cradle_store_get_dir (self->store));
      g_autoptr(GFile) parent = g_file_get_parent (current);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->dataset_chooser), parent, NULL);
    }
  g_signal_connect_object (self->dataset_chooser, "response",
                           G_CALLBACK (cradle_window_dataset_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->dataset_chooser));
}

static void
cradle_window_open_recording_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CradleWindow *self = CRADLE_WINDOW (widget);

  if (self->store == NULL)
    return;

  cradle_spectrogram_page_open_recording (self->spectrogram_page, g_variant_get_int64 (parameter));
  adw_view_stack_set_visible_child_name (self->stack, "spectrogram");
}

static void
cradle_window_restore_state (CradleWindow *self)
{
  g_autofree char *page = g_settings_get_string (self->settings, "page");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (294, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (adw_view_stack_get_child_by_name (self->stack, page) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, page);
}

/* Called on close and on destruction (Ctrl+Q destroys windows without a
 * close request), whichever comes first. */
static void
cradle_window_save_state (CradleWindow *self)
{
  GtkWindow *window = GTK_WINDOW (self);
  const char *page;
  int width, height;

  if (self->settings == NULL || self->stack == NULL)
    return;

  page = adw_view_stack_get_visible_child_name (self->stack);

  /* The unmaximized size, so a maximized window comes back as it was. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (page != NULL)
    g_settings_set_string (self->settings, "page", page);
  g_settings_apply (self->settings);
}

static gboolean
cradle_window_close_request (GtkWindow *window)
{
  cradle_window_save_state (CRADLE_WINDOW (window));

  return GTK_WINDOW_CLASS (cradle_window_parent_class)->close_request (window);
}

/* After construction, because g_object_new() sets "application" after
 * constructed(). */
static void
cradle_window_setup (CradleWindow      *self,
                     CradleApplication *app)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  self->settings = g_object_ref (cradle_application_get_settings (app));
  cradle_window_restore_state (self);

  dir = g_settings_get_string (self->settings, "dataset-dir");
  if (dir[0] == '\0')
    {
      g_free (dir);
      dir = cradle_dataset_default_dir ();
    }
  if (!cradle_window_open_dataset (self, dir, &error))
    cradle_window_show_error (self, _("Cannot Open Dataset"), error->message);
}

static void
cradle_window_dispose (GObject *object)
{
  CradleWindow *self = CRADLE_WINDOW (object);

  if (self->dataset_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->dataset_chooser));
  g_clear_object (&self->dataset_chooser);
  cradle_window_save_state (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cradle_window_parent_class)->dispose (object);
}

static const GActionEntry cradle_window_actions[] = {
  { .name = "show-page",
    .parameter_type = "s",
    .state = "'record'",
    .change_state = cradle_window_show_page_change_state },
};

static void
cradle_window_class_init (CradleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cradle_window_dispose;
  window_class->close_request = cradle_window_close_request;

  g_type_ensure (CRADLE_TYPE_RECORD_PAGE);
  g_type_ensure (CRADLE_TYPE_SPECTROGRAM_PAGE);
  g_type_ensure (CRADLE_TYPE_TRAIN_PAGE);
  g_type_ensure (CRADLE_TYPE_MONITOR_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, record_page);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, spectrogram_page);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, train_page);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, monitor_page);

  gtk_widget_class_install_action (widget_class, "win.open-dataset", NULL,
                                   cradle_window_open_dataset_action);
  gtk_widget_class_install_action (widget_class, "win.open-recording", "x",
                                   cradle_window_open_recording_action);
}

static void
cradle_window_init (CradleWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   cradle_window_actions,
                                   G_N_ELEMENTS (cradle_window_actions),
                                   self);

  g_signal_connect_object (self->stack,
                           "notify::visible-child-name",
                           G_CALLBACK (cradle_window_notify_visible_child_name_cb),
                           self,
                           G_CONNECT_SWAPPED);
  cradle_window_notify_visible_child_name_cb (self, NULL, self->stack);
}

/**
 * cradle_window_new:
 * @application: the application the window belongs to
 *
 * Creates a main window showing the dataset named by the `dataset-dir`
 * setting (the default dataset when it is empty). Like every #GtkWindow it
 * is owned by GTK until it is closed or destroyed.
 *
 * Returns: (transfer none): a new main window
 */
CradleWindow *
cradle_window_new (CradleApplication *application)
{
  CradleWindow *self;

  g_return_val_if_fail (CRADLE_IS_APPLICATION (application), NULL);

  self = g_object_new (CRADLE_TYPE_WINDOW,
                       "application", application,
                       NULL);
  cradle_window_setup (self, application);

  return self;
}

/**
 * cradle_window_add_toast:
 * @self: a window
 * @toast: (transfer full): a toast to show over the current page
 *
 * Shows a short message at the bottom of the page area.
 */
void
cradle_window_add_toast (CradleWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (CRADLE_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

CradleStore *
cradle_window_get_store (CradleWindow *self)
{
  g_return_val_if_fail (CRADLE_IS_WINDOW (self), NULL);

  return self->store;
}

gboolean
cradle_window_open_dataset (CradleWindow  *self,
                            const char    *dir,
                            GError       **error)
{
  g_autoptr(CradleStore) store = NULL;

  g_return_val_if_fail (CRADLE_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  store = cradle_store_open (dir, error);
  if (store == NULL)
    return FALSE;

  g_set_object (&self->store, store);
  cradle_record_page_set_store (self->record_page, store);
  cradle_spectrogram_page_set_store (self->spectrogram_page, store);
  cradle_train_page_set_store (self->train_page, store);
  cradle_monitor_page_set_store (self->monitor_page, store);

  return TRUE;
}

void
cradle_window_show_preferences (CradleWindow *self)
{
  CradlePreferencesWindow *prefs;

  g_return_if_fail (CRADLE_IS_WINDOW (self));

  prefs = cradle_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (prefs));
}
