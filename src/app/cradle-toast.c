/* cradle-toast.c — one toast at a time from the Record page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-toast.h"

/* The toast last shown here; only touched on the UI thread. */
static GWeakRef last_toast;

gboolean
cradle_toast_show (GtkWidget *widget,
                   AdwToast  *toast)
{
  g_autoptr(AdwToast) owned = toast;
  g_autoptr(AdwToast) previous = NULL;
  GtkWidget *overlay;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (ADW_IS_TOAST (toast), FALSE);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return FALSE;

  previous = g_weak_ref_get (&last_toast);
  if (previous != NULL)
    adw_toast_dismiss (previous);
  g_weak_ref_set (&last_toast, toast);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_steal_pointer (&owned));

  return TRUE;
}
