/* cradle-balance-view.h — how many clips each class and baby has
 *
 * One row per label of the vocabulary (cry labels, then not-cry labels)
 * with a bar toward CRADLE_BALANCE_MINIMUM clips — the fewest a class
 * needs for training — and CRADLE_BALANCE_RECOMMENDED, and one row per
 * baby with its share of the recordings. Refreshed from
 * cradle_dataset_get_stats() whenever the store changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_BALANCE_MINIMUM     200
#define CRADLE_BALANCE_RECOMMENDED 500

#define CRADLE_TYPE_BALANCE_VIEW (cradle_balance_view_get_type ())

G_DECLARE_FINAL_TYPE (CradleBalanceView, cradle_balance_view, CRADLE, BALANCE_VIEW, AdwBin)

GtkWidget *cradle_balance_view_new       (void);
void       cradle_balance_view_set_store (CradleBalanceView *self,
                                          CradleStore       *store);
/* The count shown for label or baby KEY, or -1 when there is no such row. */
int        cradle_balance_view_get_count (CradleBalanceView *self,
                                          const char        *key);

G_END_DECLS
