/* cradle-toast.h — one toast at a time from the Record page
 *
 * AdwToastOverlay queues a toast behind the one on screen until that one
 * times out, and libadwaita 1.2 asserts when a high-priority toast pushes
 * back another. The Record page's widgets therefore show their toasts
 * through cradle_toast_show(), which dismisses the previous one first, so
 * an Undo appears at once rather than seconds after "Saved".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows TOAST (transfer full) on WIDGET's ancestor AdwToastOverlay,
 * dismissing the toast shown before through this function. Returns FALSE
 * (and drops TOAST) when WIDGET has no such ancestor. */
gboolean cradle_toast_show (GtkWidget *widget,
                            AdwToast  *toast);

G_END_DECLS
