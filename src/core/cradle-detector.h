/* cradle-detector.h — the streaming cry detector
 *
 * Fed with mono samples at the detect model's analysis rate, in chunks of
 * any size. Every HOP seconds the last WINDOW seconds go through the same
 * chain as training (cradle_preprocess_clip, then the clip vector or the
 * log-mel image) and the detect model gives P(cry); an exponential moving
 * average smooths it, and hysteresis turns it into events:
 *
 * - a candidate starts when the EMA reaches ON_THRESHOLD, and is confirmed
 *   after CONFIRM_WINDOWS windows in a row at or above it;
 * - its start is estimated as the middle of its first window;
 * - the alert is raised on the first window where the candidate is
 *   confirmed, has lasted MIN_EVENT_SECONDS since that start (so with a
 *   long window the minimum is met at once) and the cooldown after the
 *   previous event has passed; a candidate that ends before that is a blip
 *   and gives no event at all;
 * - the event ends after RELEASE_WINDOWS windows in a row below
 *   OFF_THRESHOLD; its end is the last window at or above it.
 *
 * By default the window is the detect model's clip length, so that every
 * window is exactly what the model was trained on (a shorter window is
 * zero-padded to the clip length, as short clips were in training).
 *
 * Windows quieter than ENERGY_GATE_DBFS (RMS) are not-cry without running
 * the model. Times are stream seconds (samples pushed / rate); a window's
 * time is its end. The detector is pure and deterministic: no threads, no
 * I/O, and the same samples give the same events however they are chunked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-model.h"

G_BEGIN_DECLS

#define CRADLE_DETECTOR_ERROR (cradle_detector_error_quark ())

typedef enum {
  CRADLE_DETECTOR_ERROR_INVALID_SETTINGS,  /* a setting is out of range */
  CRADLE_DETECTOR_ERROR_MODEL,             /* not a detect (or cause) model */
} CradleDetectorError;

GQuark cradle_detector_error_quark (void);

typedef struct {
  double  window_seconds;       /* analysis window; 0: the detect model's clip length (0) */
  double  hop_seconds;          /* between windows (0.5) */
  double  ema_alpha;            /* weight of the newest P(cry), 0 < alpha <= 1 (0.6) */
  double  on_threshold;         /* EMA that starts a candidate (0.5) */
  double  off_threshold;        /* EMA under which an event may end, <= on (0.35) */
  guint   confirm_windows;      /* windows in a row >= on to confirm (1) */
  guint   release_windows;      /* windows in a row < off to end (2) */
  double  min_event_seconds;    /* shorter candidates give no event (0.5) */
  double  cooldown_seconds;     /* from an event's end to the next alert (5) */
  double  energy_gate_dbfs;     /* quieter windows are not-cry (-55) */
  double  preroll_seconds;      /* audio kept before the start in the clip (3) */
  double  max_clip_seconds;     /* the clip keeps at most this much (120) */
  double  cause_after_seconds;  /* event length before the cause is estimated (3) */
  double  escalate_minutes;     /* crying this long escalates; 0: never (5) */
} CradleDetectorSettings;

void     cradle_detector_settings_init_default (CradleDetectorSettings       *settings);
gboolean cradle_detector_settings_validate     (const CradleDetectorSettings *settings,
                                                GError                      **error);

/* The decision settings (window, hop, alpha, threshold, off_threshold,
 * confirm, release, min_event, cooldown, gate) as a JSON object; the clip,
 * cause and escalation settings are not part of it. (transfer full) */
JsonNode *cradle_detector_settings_to_json     (const CradleDetectorSettings *settings);
/* Sets the members NODE has (any subset of the above) and validates the
 * result; on error SETTINGS is unchanged and the message names the field. */
gboolean cradle_detector_settings_apply_json   (CradleDetectorSettings       *settings,
                                                JsonNode                     *node,
                                                GError                      **error);
/* The defaults, then the settings DETECT was tuned with, if its file has
 * them (a "detector" header object whose "settings" member is the JSON
 * above, written by `cradle-cli tune-detector`). FALSE with a message if
 * they are invalid; SETTINGS then holds the defaults. */
gboolean cradle_detector_settings_init_for_model (CradleDetectorSettings   *settings,
                                                  CradleModel              *detect,
                                                  GError                  **error);

typedef enum {
  CRADLE_DETECTOR_NOTICE_ALERT,      /* an event was confirmed: START and ALERT are set */
  CRADLE_DETECTOR_NOTICE_CAUSE,      /* the event reached cause_after_seconds: CAUSE set */
  CRADLE_DETECTOR_NOTICE_ESCALATED,  /* crying has lasted escalate_minutes */
  CRADLE_DETECTOR_NOTICE_ENDED,      /* finished: every field set, and the clip */
} CradleDetectorNoticeKind;

const char *cradle_detector_notice_kind_to_string (CradleDetectorNoticeKind kind);

typedef struct {
  CradleDetectorNoticeKind  kind;
  guint                     index;            /* event number, from 0 */
  double                    start;            /* stream seconds */
  double                    alert;            /* when the alert was raised */
  double                    end;              /* -1 until ENDED */
  float                     peak_confidence;  /* of the raw P(cry), over the event */
  float                     mean_confidence;
  gboolean                  escalated;
  /* The cause model's mean probabilities over the event's audio, or
   * n_causes 0 (no cause model, or the event too short). CAUSE_LABELS is
   * the cause model's own array: valid while that model lives. */
  guint                     n_causes;
  float                    *cause_proba;
  const char * const       *cause_labels;
  int                       cause;            /* most probable, or -1 */
  /* ENDED only: pre-roll + event at the detector's rate (else NULL, 0). */
  float                    *clip;
  gsize                     clip_n;
  double                    clip_start;       /* stream seconds of clip[0] */
  guint                     clip_rate;
} CradleDetectorEvent;

void cradle_detector_event_free (CradleDetectorEvent *event);

/* Called for every analysed window (from cradle_detector_push). */
typedef void (*CradleDetectorWindowFunc) (double   time,
                                          float    p_cry,
                                          float    ema,
                                          gboolean gated,
                                          gpointer user_data);

typedef struct _CradleDetector CradleDetector;

/* DETECT must be a detect model with a "cry" class; CAUSE (nullable) a
 * cause model. Both are borrowed and must outlive the detector. */
CradleDetector *cradle_detector_new              (CradleModel                  *detect,
                                                  CradleModel                  *cause,
                                                  const CradleDetectorSettings *settings,
                                                  GError                      **error);
void            cradle_detector_free             (CradleDetector               *self);

/* The rate the samples must come at: the detect model's analysis rate. */
guint           cradle_detector_get_rate         (CradleDetector               *self);
/* The settings in use (window_seconds resolved). */
const CradleDetectorSettings *
                cradle_detector_get_settings     (CradleDetector               *self);
void            cradle_detector_set_window_func  (CradleDetector               *self,
                                                  CradleDetectorWindowFunc      func,
                                                  gpointer                      user_data);

/* Analyses every window that SAMPLES completes; notices queue up. */
void            cradle_detector_push             (CradleDetector               *self,
                                                  const float                  *samples,
                                                  gsize                         n);
/* The end of the stream: an open event that was alerted ends here. */
void            cradle_detector_finish           (CradleDetector               *self);
/* The oldest queued notice, or NULL. (transfer full) */
CradleDetectorEvent *cradle_detector_pop         (CradleDetector               *self);

double          cradle_detector_get_time         (CradleDetector               *self);
/* The last window's P(cry) and EMA (0 before the first window). */
void            cradle_detector_get_last         (CradleDetector               *self,
                                                  float                        *p_cry,
                                                  float                        *ema);
gboolean        cradle_detector_in_event         (CradleDetector               *self);
/* Windows analysed and windows the model actually ran on. */
guint64         cradle_detector_get_n_windows    (CradleDetector               *self);
guint64         cradle_detector_get_n_model_runs (CradleDetector               *self);

/* One finished event of a replay. */
typedef struct {
  double start;
  double end;
  double alert;
  float  peak_confidence;
} CradleDetectorSpan;

/* The decision stage alone (EMA, hysteresis, confirm, minimum length,
 * cooldown) over P(cry) values already computed, one per window (TIMES:
 * the windows' ends, as the window function reports them, ungated or with
 * gated windows' P = 0). It runs the detector's own code, so the events are
 * those a detector with SETTINGS would give on the same audio, as long as
 * SETTINGS has the window (resolved: not 0), hop and gate the P values were
 * made with. For tuning: one pass of the model, many decisions.
 * Returns CradleDetectorSpan, one per ended event. (transfer full) */
GArray *cradle_detector_replay                   (const CradleDetectorSettings *settings,
                                                  const double                 *times,
                                                  const float                  *p_cry,
                                                  gsize                         n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleDetector, cradle_detector_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleDetectorEvent, cradle_detector_event_free)

G_END_DECLS
