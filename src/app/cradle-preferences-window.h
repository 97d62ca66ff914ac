/* cradle-preferences-window.h — the Preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_PREFERENCES_WINDOW (cradle_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CradlePreferencesWindow, cradle_preferences_window,
                      CRADLE, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Every row writes SETTINGS (schema io.github.cradle.Cradle) at once. */
CradlePreferencesWindow *cradle_preferences_window_new (GSettings *settings);

G_END_DECLS
