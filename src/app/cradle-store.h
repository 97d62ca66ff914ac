/* cradle-store.h — the open dataset, shared by the window's pages
 *
 * A CradleStore is the UI thread's handle on one dataset folder: it owns a
 * CradleDataset connection used for quick reads and single-row writes on
 * the UI thread (listing recordings, relabelling, adding a baby), and tells
 * every page when the dataset changed so lists and summaries refresh. Long
 * work (saving a recording's FLAC, importing, computing features, training)
 * runs in a worker thread that opens its own connection with
 * cradle_dataset_open (cradle_store_get_dir (store), …) — a CradleDataset
 * is used from one thread at a time, and SQLite's WAL lets both work at
 * once — and calls cradle_store_emit_changed() back on the UI thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cradle-dataset.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_STORE (cradle_store_get_type ())

G_DECLARE_FINAL_TYPE (CradleStore, cradle_store, CRADLE, STORE, GObject)

/**
 * CradleStoreChange:
 * @CRADLE_STORE_CHANGE_RECORDINGS: recordings were added, deleted, relabelled or edited
 * @CRADLE_STORE_CHANGE_BABIES: babies were added, renamed or forgotten
 * @CRADLE_STORE_CHANGE_LABELS: the label vocabulary changed
 * @CRADLE_STORE_CHANGE_SEGMENTS: a recording's segments changed
 * @CRADLE_STORE_CHANGE_MODELS: models were trained, deleted or activated
 * @CRADLE_STORE_CHANGE_EVENTS: monitor events were added or reviewed
 *
 * What a #CradleStore::changed emission is about (flags).
 */
typedef enum {
  CRADLE_STORE_CHANGE_RECORDINGS = 1 << 0,
  CRADLE_STORE_CHANGE_BABIES     = 1 << 1,
  CRADLE_STORE_CHANGE_LABELS     = 1 << 2,
  CRADLE_STORE_CHANGE_SEGMENTS   = 1 << 3,
  CRADLE_STORE_CHANGE_MODELS     = 1 << 4,
  CRADLE_STORE_CHANGE_EVENTS     = 1 << 5,
  CRADLE_STORE_CHANGE_ALL        = (1 << 6) - 1,
} CradleStoreChange;

CradleStore   *cradle_store_open         (const char        *dir,
                                          GError           **error);
const char    *cradle_store_get_dir      (CradleStore       *self);
/* The UI thread's connection (transfer none); never hand it to a thread. */
CradleDataset *cradle_store_get_dataset  (CradleStore       *self);
/* Emits ::changed (WHAT). Call on the UI thread. */
void           cradle_store_emit_changed (CradleStore       *self,
                                          CradleStoreChange  what);

G_END_DECLS
