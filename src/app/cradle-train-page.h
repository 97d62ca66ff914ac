/* cradle-train-page.h — the Train page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_TRAIN_PAGE (cradle_train_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleTrainPage, cradle_train_page, CRADLE, TRAIN_PAGE, AdwBin)

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore *cradle_train_page_get_store (CradleTrainPage *self);
void         cradle_train_page_set_store (CradleTrainPage *self,
                                         CradleStore    *store);


G_END_DECLS
