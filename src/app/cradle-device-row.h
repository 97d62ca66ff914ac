/* cradle-device-row.h — a combo row choosing the input device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_DEVICE_ROW (cradle_device_row_get_type ())

G_DECLARE_FINAL_TYPE (CradleDeviceRow, cradle_device_row, CRADLE, DEVICE_ROW, AdwComboRow)

/* Lists PortAudio's input devices in a worker thread ("System Default"
 * first), then binds the row's selection to SETTINGS' `input-device` key
 * (the device's name; "" for the default) and turns "loaded" TRUE. A saved
 * device that is not plugged in stays in the setting and selects nothing.
 * When listing fails the subtitle says why and only the default is offered.
 * Call once. */
void     cradle_device_row_bind      (CradleDeviceRow *self,
                                      GSettings       *settings);
gboolean cradle_device_row_is_loaded (CradleDeviceRow *self);

G_END_DECLS
