/* cradle-window.h — the main window: header bar and the four pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-application.h"
#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_WINDOW (cradle_window_get_type ())

G_DECLARE_FINAL_TYPE (CradleWindow, cradle_window, CRADLE, WINDOW, AdwApplicationWindow)

CradleWindow *cradle_window_new              (CradleApplication *application);
void          cradle_window_add_toast        (CradleWindow      *self,
                                              AdwToast          *toast);
/* The open dataset (transfer none; NULL when none could be opened). */
CradleStore  *cradle_window_get_store        (CradleWindow      *self);
/* Opens DIR (creating a dataset there when it has none) and hands it to
 * every page; on failure the current dataset stays and ERROR names DIR. */
gboolean      cradle_window_open_dataset     (CradleWindow      *self,
                                              const char        *dir,
                                              GError           **error);
void          cradle_window_show_preferences (CradleWindow      *self);

G_END_DECLS
