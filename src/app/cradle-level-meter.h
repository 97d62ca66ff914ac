/* cradle-level-meter.h — a live input level meter
 *
 * A horizontal bar from -60 to 0 dBFS: the RMS level filled in the accent
 * colour (warning colour above -6 dBFS), the peak as a tick, and the whole
 * bar outlined in the error colour with a "Clipping" mark while the input
 * clips. Colours come from the theme, so dark mode and high contrast work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_LEVEL_METER (cradle_level_meter_get_type ())

G_DECLARE_FINAL_TYPE (CradleLevelMeter, cradle_level_meter, CRADLE, LEVEL_METER, GtkWidget)

/* The lowest level the bar shows. */
#define CRADLE_LEVEL_METER_MIN_DB (-60.0)

GtkWidget *cradle_level_meter_new          (void);
/* Sets what the meter shows (dBFS; values below the scale are clamped in
 * the drawing only). Redraws only when something changed. */
void       cradle_level_meter_set_levels   (CradleLevelMeter *self,
                                            double            peak_db,
                                            double            rms_db,
                                            gboolean          clipping);
double     cradle_level_meter_get_peak_db  (CradleLevelMeter *self);
double     cradle_level_meter_get_rms_db   (CradleLevelMeter *self);
gboolean   cradle_level_meter_get_clipping (CradleLevelMeter *self);

G_END_DECLS
