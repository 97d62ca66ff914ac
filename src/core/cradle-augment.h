/* cradle-augment.h — audio augmentation for training clips
 *
 * Each augmentation is a function on a mono float clip at its own rate
 * that keeps the clip's length: gain, white noise at a signal-to-noise
 * ratio, time shift, mixing with a background clip at an SNR, time stretch
 * and pitch shift (librubberband, offline). A CradleAugmentPolicy says
 * which of them to draw, in what ranges, and how many augmented copies to
 * make of each training clip; every draw comes from a caller's GRand, so a
 * seed repeats a run exactly.
 *
 * The trainer applies them only to the training part of each fold, before
 * preprocessing, and never caches what they produce.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-audio.h"

G_BEGIN_DECLS

#define CRADLE_AUGMENT_ERROR (cradle_augment_error_quark ())

typedef enum {
  CRADLE_AUGMENT_ERROR_INVALID,   /* a bad policy text or parameter */
  CRADLE_AUGMENT_ERROR_FAILED,    /* librubberband produced nothing */
} CradleAugmentError;

GQuark cradle_augment_error_quark (void);

/* Multiplies X by 10^(DB / 20). */
void     cradle_augment_gain          (float       *x,
                                       gsize        n,
                                       double       db);
/* Adds white Gaussian noise whose power is the clip's mean power divided by
 * 10^(SNR_DB / 10). A silent clip is left as it is. */
void     cradle_augment_noise         (float       *x,
                                       gsize        n,
                                       double       snr_db,
                                       guint32      seed);
/* Moves X by SHIFT samples (positive: later). CIRCULAR wraps what falls
 * off one end round to the other; otherwise the gap is zero-filled. */
void     cradle_augment_shift         (float       *x,
                                       gsize        n,
                                       gssize       shift,
                                       gboolean     circular);
/* Adds BACKGROUND (looped when shorter, read from OFFSET), scaled so that
 * the clip's mean power over the background's is 10^(SNR_DB / 10). A
 * silent background or clip leaves X as it is. */
void     cradle_augment_mix           (float       *x,
                                       gsize        n,
                                       const float *background,
                                       gsize        background_n,
                                       gsize        offset,
                                       double       snr_db);
/* Time stretch by FACTOR (> 1: slower, longer), pitch kept; the result is
 * centre-trimmed or zero-padded back to N samples. OUT may not be X. */
gboolean cradle_augment_time_stretch  (const float *x,
                                       gsize        n,
                                       guint        sample_rate,
                                       double       factor,
                                       float       *out,
                                       GError     **error);
/* Pitch shift by SEMITONES, duration kept; OUT holds N samples. */
gboolean cradle_augment_pitch_shift   (const float *x,
                                       gsize        n,
                                       guint        sample_rate,
                                       double       semitones,
                                       float       *out,
                                       GError     **error);

typedef enum {
  CRADLE_AUGMENT_GAIN    = 1 << 0,
  CRADLE_AUGMENT_NOISE   = 1 << 1,
  CRADLE_AUGMENT_SHIFT   = 1 << 2,
  CRADLE_AUGMENT_MIX     = 1 << 3,
  CRADLE_AUGMENT_STRETCH = 1 << 4,
  CRADLE_AUGMENT_PITCH   = 1 << 5,
} CradleAugmentFlags;

#define CRADLE_AUGMENT_ALL (CRADLE_AUGMENT_GAIN | CRADLE_AUGMENT_NOISE | CRADLE_AUGMENT_SHIFT | \
                            CRADLE_AUGMENT_MIX | CRADLE_AUGMENT_STRETCH | CRADLE_AUGMENT_PITCH)

typedef struct {
  CradleAugmentFlags flags;
  guint   copies;               /* augmented copies per training clip (1) */
  double  gain_db_min;          /* -6 .. 6 */
  double  gain_db_max;
  double  noise_snr_db_min;     /* 10 .. 30 */
  double  noise_snr_db_max;
  double  shift_max_seconds;    /* 0.5, both ways */
  gboolean shift_circular;      /* TRUE */
  double  mix_snr_db_min;       /* 5 .. 20 */
  double  mix_snr_db_max;
  double  stretch_min;          /* 0.9 .. 1.1 */
  double  stretch_max;
  double  pitch_semitones_min;  /* -2 .. 2 */
  double  pitch_semitones_max;
} CradleAugmentPolicy;

/* The default policy: noise, shift, mix, stretch and pitch, one copy.
 * (Gain is off: clips are peak-normalised before features, so a gain alone
 * changes nothing; it matters only together with noise or mixing.) */
void     cradle_augment_policy_init_default (CradleAugmentPolicy *policy);
/* "default", "all", or a comma-separated list of gain, noise, shift, mix,
 * stretch, pitch, and copies=N; e.g. "noise,mix,copies=2". */
gboolean cradle_augment_policy_parse        (CradleAugmentPolicy *policy,
                                             const char          *text,
                                             GError             **error);
/* "noise,shift,…,copies=N" (g_free) */
char    *cradle_augment_policy_to_string    (const CradleAugmentPolicy *policy);

/* One augmented copy of X (N samples at SAMPLE_RATE), in place: each
 * augmentation the policy names, with parameters drawn from RAND, in the
 * order stretch, pitch, shift, gain, mix, noise. BACKGROUNDS (nullable,
 * element-type CradleAudio at SAMPLE_RATE): clips to mix with, one drawn at
 * random; without any, mixing is skipped. */
gboolean cradle_augment_apply               (const CradleAugmentPolicy *policy,
                                             float                     *x,
                                             gsize                      n,
                                             guint                      sample_rate,
                                             GPtrArray                 *backgrounds,
                                             GRand                     *rand,
                                             GError                   **error);

G_END_DECLS
