/* cradle-monitor-page.h — the Monitor page of the main window: the night
 * monitor (see cradle-monitor-page.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_MONITOR_PAGE (cradle_monitor_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleMonitorPage, cradle_monitor_page, CRADLE, MONITOR_PAGE, AdwBin)

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore *cradle_monitor_page_get_store (CradleMonitorPage *self);
void         cradle_monitor_page_set_store (CradleMonitorPage *self,
                                            CradleStore       *store);
/* TRUE from Start until the worker's last report after Stop. */
gboolean     cradle_monitor_page_get_monitoring (CradleMonitorPage *self);


G_END_DECLS
