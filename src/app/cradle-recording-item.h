/* cradle-recording-item.h — one recording of the dataset as a list item
 *
 * An immutable GObject around a CradleRecording, with read-only
 * properties for the recordings list's column sorters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cradle-dataset.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_RECORDING_ITEM (cradle_recording_item_get_type ())

G_DECLARE_FINAL_TYPE (CradleRecordingItem, cradle_recording_item, CRADLE, RECORDING_ITEM, GObject)

/* Takes RECORDING (transfer full). */
CradleRecordingItem   *cradle_recording_item_new           (CradleRecording     *recording);
const CradleRecording *cradle_recording_item_get_recording (CradleRecordingItem *self);
gint64                 cradle_recording_item_get_id        (CradleRecordingItem *self);
/* The created time in local time, for people ("2026-11-24 10:41"). (g_free) */
char                  *cradle_recording_item_format_created (CradleRecordingItem *self);
/* The label column's text: the label, "Don't know" or "—". */
const char            *cradle_recording_item_get_label_text (CradleRecordingItem *self);
/* The status column's text: "Confirmed", "Predicted", … (translated). */
const char            *cradle_recording_item_get_status_text (CradleRecordingItem *self);
/* Whether TEXT (already case-folded) is in the label, baby alias or notes. */
gboolean               cradle_recording_item_matches       (CradleRecordingItem *self,
                                                            const char          *folded_text);

G_END_DECLS
