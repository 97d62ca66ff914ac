/* cradle-event-row.h — one monitor event in the Monitor page's timeline
 *
 * Shows when the event started, how long it lasted, the estimated cause and
 * the detector's confidence, and what a person said about it since. Its
 * buttons open the recording on the Spectrogram page (win.open-recording),
 * mark it a false alarm, or correct its cause from a menu of the cry
 * labels: at most two clicks. The row only emits signals; the page writes
 * the dataset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-dataset.h"

G_BEGIN_DECLS

typedef struct {
  gint64             event_id;
  gint64             recording_id;
  GDateTime         *started;        /* local time */
  double             seconds;        /* duration, or < 0 when unknown */
  double             confidence;     /* peak P(cry), or < 0 */
  char              *cause;          /* nullable: the most probable cause */
  double             cause_proba;
  char              *label;          /* nullable: the recording's clip label */
  CradleLabelStatus  label_status;
} CradleEventInfo;

void cradle_event_info_free (CradleEventInfo *info);

#define CRADLE_TYPE_EVENT_ROW (cradle_event_row_get_type ())

G_DECLARE_FINAL_TYPE (CradleEventRow, cradle_event_row, CRADLE, EVENT_ROW, AdwActionRow)

/* INFO is owned by the row (transfer full); CRY_LABELS: the vocabulary's
 * cry labels, offered by "Correct Cause". */
GtkWidget             *cradle_event_row_new       (CradleEventInfo    *info,
                                                   const char * const *cry_labels);
const CradleEventInfo *cradle_event_row_get_info  (CradleEventRow     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleEventInfo, cradle_event_info_free)

G_END_DECLS
