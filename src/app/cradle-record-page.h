/* cradle-record-page.h — the Record page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_RECORD_PAGE (cradle_record_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleRecordPage, cradle_record_page, CRADLE, RECORD_PAGE, AdwBin)

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore *cradle_record_page_get_store (CradleRecordPage *self);
void         cradle_record_page_set_store (CradleRecordPage *self,
                                         CradleStore    *store);
G_END_DECLS
