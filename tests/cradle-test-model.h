/* cradle-test-model.h — tiny detect and cause models for detector tests
 *
 * Logistic regression on the clip vectors of 1 s clips at 8 kHz (a small
 * analysis configuration, so training takes a fraction of a second):
 * detect — "cry" is a harmonic tone of 350–550 Hz with a slow vibrato in
 * light noise, "not-cry" is noise at any level, hum or near silence;
 * cause — "hunger" tones of 340–400 Hz, "pain" tones of 500–560 Hz.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-model.h"

G_BEGIN_DECLS

#define CRADLE_TEST_MODEL_RATE 8000

/* The same training data and seed every time. (transfer full) */
CradleModel *cradle_test_model_train     (CradleTask task);

/* Adds a three-harmonic tone of F0 Hz (peak AMP) to X over [T0, T1) s. */
void         cradle_test_add_tone        (float     *x,
                                          gsize      n,
                                          double     t0,
                                          double     t1,
                                          double     f0,
                                          double     amp);
/* SECONDS of Gaussian noise (SD) at the model rate; *N samples. */
float       *cradle_test_noise_stream    (double     seconds,
                                          double     sd,
                                          guint32    seed,
                                          gsize     *n);

G_END_DECLS
