/* cradle-spectrogram-page.h — the Spectrogram page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

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

G_END_DECLS
