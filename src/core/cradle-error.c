/* cradle-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-error.h"

G_DEFINE_QUARK (cradle-audio-error-quark, cradle_audio_error)
G_DEFINE_QUARK (cradle-feature-error-quark, cradle_feature_error)
