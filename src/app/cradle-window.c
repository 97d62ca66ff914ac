/* cradle-window.c — the main window: header bar and the four pages
 *
 * The window is a view stack of four pages (record, spectrogram, train,
 * monitor) with a view switcher in the header bar that moves to a bar at the
 * bottom when the window is too narrow for it. `win.show-page` is a stateful
 * string action whose state is the name of the visible page, so menus and
 * keyboard shortcuts (Ctrl+1…4) stay in step with the switcher.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-window.h"

struct _CradleWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
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

static const GActionEntry cradle_window_actions[] = {
  { .name = "show-page",
    .parameter_type = "s",
    .state = "'record'",
    .change_state = cradle_window_show_page_change_state },
};

static void
cradle_window_class_init (CradleWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CradleWindow, toast_overlay);
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
 * Creates a main window. Like every #GtkWindow it is owned by GTK until it is
 * closed or destroyed.
 *
 * Returns: (transfer none): a new main window
 */
CradleWindow *
cradle_window_new (CradleApplication *application)
{
  g_return_val_if_fail (CRADLE_IS_APPLICATION (application), NULL);

  return g_object_new (CRADLE_TYPE_WINDOW,
                       "application", application,
                       NULL);
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
