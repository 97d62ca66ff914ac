/* cradle-recording-list.h — the recordings of the open dataset
 *
 * A column view (date, baby, label, status, duration and row actions) over
 * a GListStore of CradleRecordingItem, filtered by a search entry (label,
 * baby, notes) and sorted by clicking the column headers. Row actions:
 * play (cradle-playback, the file decoded in a worker; again to stop),
 * relabel (a menu of the vocabulary), open in the Spectrogram page
 * (win.open-recording) and delete with Undo — a deleted row is hidden and
 * a toast offers Undo; the recording is really deleted when the toast goes
 * away, or when the list is disposed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_RECORDING_LIST (cradle_recording_list_get_type ())

G_DECLARE_FINAL_TYPE (CradleRecordingList, cradle_recording_list, CRADLE, RECORDING_LIST, AdwBin)

GtkWidget   *cradle_recording_list_new       (void);
void         cradle_recording_list_set_store (CradleRecordingList *self,
                                              CradleStore         *store);
/* (transfer none) The rows as shown: filtered and sorted (element-type
 * CradleRecordingItem). */
GListModel  *cradle_recording_list_get_model (CradleRecordingList *self);
/* Recordings in the dataset, hidden ones (deleted, Undo still offered)
 * left out. */
guint        cradle_recording_list_get_n_recordings (CradleRecordingList *self);

G_END_DECLS
