/* cradle-application.h — the Cradle desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRADLE_TYPE_APPLICATION (cradle_application_get_type ())

G_DECLARE_FINAL_TYPE (CradleApplication, cradle_application, CRADLE, APPLICATION, AdwApplication)

CradleApplication *cradle_application_new          (void);
GSettings         *cradle_application_get_settings (CradleApplication *self);

G_END_DECLS
