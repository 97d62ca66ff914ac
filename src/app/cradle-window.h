/* cradle-window.h — the main window: header bar and the four pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-application.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_WINDOW (cradle_window_get_type ())

G_DECLARE_FINAL_TYPE (CradleWindow, cradle_window, CRADLE, WINDOW, AdwApplicationWindow)

CradleWindow *cradle_window_new       (CradleApplication *application);
void          cradle_window_add_toast (CradleWindow      *self,
                                       AdwToast          *toast);

G_END_DECLS
