/* cradle-core.h — the Cradle feature/model library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-error.h"
#include "cradle-config.h"
#include "cradle-audio.h"
#include "cradle-preprocess.h"
#include "cradle-stft.h"
#include "cradle-mel.h"
#include "cradle-spectral.h"
#include "cradle-yin.h"
#include "cradle-features.h"
