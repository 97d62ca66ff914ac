/* cradle-application.c — the Cradle desktop application
 *
 * Owns the application-wide actions (quit, about, keyboard shortcuts) and
 * their accelerators, and opens the main window on activation. Resources
 * (window template, shortcuts window, style.css, icons) live under
 * /io/github/cradle/Cradle; GtkApplication installs the shortcuts window from
 * gtk/help-overlay.ui there, and AdwApplication loads style.css.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-application.h"
#include "cradle-window.h"

struct _CradleApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (CradleApplication, cradle_application, ADW_TYPE_APPLICATION)

static const struct {
  const char *action;
  const char *accels[2];
} cradle_application_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.open-dataset", { "<Control>o", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "win.show-page::record", { "<Control>1", NULL } },
  { "win.show-page::spectrogram", { "<Control>2", NULL } },
  { "win.show-page::train", { "<Control>3", NULL } },
  { "win.show-page::monitor", { "<Control>4", NULL } },
};

static void
cradle_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
cradle_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  CradleApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *about;

  /* Owned by GTK, like every window, until it is closed. */
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", "Cradle",
                        "version", PACKAGE_VERSION,
                        "comments", _("Record, study and monitor baby cries"),
                        "developer-name", _("The Cradle developers"),
                        "copyright", "© 2026 The Cradle developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line, to thank you in the About window. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
cradle_application_shortcuts_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  CradleApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkShortcutsWindow *overlay;

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  if (overlay != NULL)
    gtk_window_present (GTK_WINDOW (overlay));
}

static void
cradle_application_preferences_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  CradleApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CRADLE_IS_WINDOW (parent))
    cradle_window_show_preferences (CRADLE_WINDOW (parent));
}

static const GActionEntry cradle_application_actions[] = {
  { .name = "preferences", .activate = cradle_application_preferences_action },
  { .name = "quit", .activate = cradle_application_quit_action },
  { .name = "about", .activate = cradle_application_about_action },
  { .name = "shortcuts", .activate = cradle_application_shortcuts_action },
};

static void
cradle_application_startup (GApplication *application)
{
  GtkApplication *gtk_app = GTK_APPLICATION (application);

  G_APPLICATION_CLASS (cradle_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   cradle_application_actions,
                                   G_N_ELEMENTS (cradle_application_actions),
                                   application);

  /* GtkApplication binds Ctrl+? to win.show-help-overlay when it finds
   * gtk/help-overlay.ui; app.shortcuts owns that key here instead, so that the
   * primary menu and the key are one action. */
  gtk_application_set_accels_for_action (gtk_app,
                                         "win.show-help-overlay",
                                         (const char *[]) { NULL });

  for (guint i = 0; i < G_N_ELEMENTS (cradle_application_accels); i++)
    gtk_application_set_accels_for_action (gtk_app,
                                           cradle_application_accels[i].action,
                                           cradle_application_accels[i].accels);
}

static void
cradle_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (cradle_window_new (CRADLE_APPLICATION (application)));

  gtk_window_present (window);
}

static void
cradle_application_finalize (GObject *object)
{
  CradleApplication *self = CRADLE_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cradle_application_parent_class)->finalize (object);
}

static void
cradle_application_shutdown (GApplication *application)
{
  CradleApplication *self = CRADLE_APPLICATION (application);

  G_APPLICATION_CLASS (cradle_application_parent_class)->shutdown (application);

  /* The windows saved their state while being destroyed; write it out
   * before the process ends. */
  if (self->settings != NULL)
    g_settings_sync ();
}

static void
cradle_application_class_init (CradleApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cradle_application_finalize;

  app_class->startup = cradle_application_startup;
  app_class->activate = cradle_application_activate;
  app_class->shutdown = cradle_application_shutdown;
}

static void
cradle_application_init (CradleApplication *self)
{
}

/**
 * cradle_application_new:
 *
 * Returns: (transfer full): the application, with id `io.github.cradle.Cradle`
 */
CradleApplication *
cradle_application_new (void)
{
  return g_object_new (CRADLE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/cradle/Cradle",
                       NULL);
}

/**
 * cradle_application_get_settings:
 * @self: the application
 *
 * The application's settings (schema `io.github.cradle.Cradle`): from the
 * installed schemas, or — for the program run from its build folder and for
 * the tests — from the schema compiled there.
 *
 * Returns: (transfer none): the settings
 */
GSettings *
cradle_application_get_settings (CradleApplication *self)
{
  g_return_val_if_fail (CRADLE_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

      if (schema == NULL)
        {
          g_autoptr(GSettingsSchemaSource) build_source = NULL;
          g_autoptr(GError) error = NULL;

          build_source = g_settings_schema_source_new_from_directory (BUILD_SCHEMA_DIR,
                                                                      source, FALSE,
                                                                      &error);
          if (build_source != NULL)
            schema = g_settings_schema_source_lookup (build_source, APP_ID, FALSE);
          /* Without its schema the program is not installed properly. */
          if (schema == NULL)
            g_error ("The settings schema %s is not installed (nor compiled in %s)",
                     APP_ID, BUILD_SCHEMA_DIR);
        }

      self->settings = g_settings_new_full (schema, NULL, NULL);
    }

  return self->settings;
}
