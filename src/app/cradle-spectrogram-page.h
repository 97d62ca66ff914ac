/* cradle-spectrogram-page.h — the Spectrogram page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cradle-spectrogram-view.h"
#include "cradle-store.h"

G_BEGIN_DECLS

#define CRADLE_TYPE_SPECTROGRAM_PAGE (cradle_spectrogram_page_get_type ())

G_DECLARE_FINAL_TYPE (CradleSpectrogramPage, cradle_spectrogram_page, CRADLE, SPECTROGRAM_PAGE, AdwBin)

/* The dataset the page shows and writes (nullable while none is open). */
CradleStore *cradle_spectrogram_page_get_store (CradleSpectrogramPage *self);
void         cradle_spectrogram_page_set_store (CradleSpectrogramPage *self,
                                         CradleStore    *store);

/* Shows recording ID of the page's store (win.open-recording calls this). */
void         cradle_spectrogram_page_open_recording (CradleSpectrogramPage *self,
                                                     gint64                 id);

/* Shows an audio file that is not in the dataset (a dropped file): no
 * segments. */
void         cradle_spectrogram_page_open_file (CradleSpectrogramPage *self,
                                                const char            *path);
/* The recording shown, 0 for none or a file outside the dataset. */
gint64       cradle_spectrogram_page_get_recording_id (CradleSpectrogramPage *self);
/* (transfer none) */
CradleSpectrogramView *
             cradle_spectrogram_page_get_view  (CradleSpectrogramPage *self);

/* Adds a segment START..END labelled LABEL to the open recording. */
gboolean     cradle_spectrogram_page_add_segment (CradleSpectrogramPage  *self,
                                                  double                  start,
                                                  double                  end,
                                                  const char             *label,
                                                  GError                **error);

/* Draws the visible range, WIDTH × HEIGHT, into PATH (.png, .svg or .pdf)
 * on a worker thread, with the same code as cradle-cli spectrogram. */
void         cradle_spectrogram_page_export_async  (CradleSpectrogramPage  *self,
                                                    const char             *path,
                                                    int                     width,
                                                    int                     height,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean     cradle_spectrogram_page_export_finish (CradleSpectrogramPage  *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

G_END_DECLS
