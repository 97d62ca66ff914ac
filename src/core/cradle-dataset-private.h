/* cradle-dataset-private.h — test hooks of the dataset store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-dataset.h"

G_BEGIN_DECLS

/* How long statements (and the open-time lock) wait for another process
 * before CRADLE_DATASET_ERROR_LOCKED; CRADLE_DATASET_BUSY_TIMEOUT_MS by
 * default. For tests. */
void  cradle_dataset_set_busy_timeout (CradleDataset *self,
                                       guint          timeout_ms);

G_END_DECLS
