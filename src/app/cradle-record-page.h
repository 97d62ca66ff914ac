/* cradle-record-page.h — the Record page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-import-dialog.h"
#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_RECORD_PAGE (cradle_record_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleRecordPage, cradle_record_page, CRADLE, RECORD_PAGE, AdwBin)

/* Sample rate of new recordings: the analysis rate (capture resamples). */
#define CRADLE_RECORD_PAGE_RATE 16000

typedef enum {
  CRADLE_RECORD_PAGE_IDLE,        /* hidden, or no dataset: the microphone is closed */
  CRADLE_RECORD_PAGE_OPENING,     /* opening the microphone */
  CRADLE_RECORD_PAGE_LISTENING,   /* levels shown, pre-roll kept */
  CRADLE_RECORD_PAGE_RECORDING,
  CRADLE_RECORD_PAGE_LABELING,    /* a clip waits for Save or Discard */
  CRADLE_RECORD_PAGE_SAVING,
  CRADLE_RECORD_PAGE_FAILED,      /* the microphone failed; Retry is offered */
} CradleRecordPageMode;

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore         *cradle_record_page_get_store (CradleRecordPage *self);
void                 cradle_record_page_set_store (CradleRecordPage *self,
                                                   CradleStore      *store);
CradleRecordPageMode cradle_record_page_get_mode  (CradleRecordPage *self);
/* Imports PATHS (element-type filename: files and folders), as a drop or
 * the Import buttons do. (transfer none) (nullable): the progress dialog,
 * NULL when no dataset is open. */
CradleImportDialog  *cradle_record_page_import    (CradleRecordPage *self,
                                                   GPtrArray        *paths);

G_END_DECLS
