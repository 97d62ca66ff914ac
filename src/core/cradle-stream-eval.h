/* cradle-stream-eval.h — scoring the streaming detector on labelled streams,
 * and tuning its decision settings
 *
 * A labelled stream is audio plus its cries (CradleSegment, e.g. from an
 * Audacity label file). An event overlapping a labelled cry detects it,
 * with delay = its alert − the cry's labelled start (the earliest such
 * alert); an event overlapping no cry is a false alarm, counted per hour of
 * audio outside the labelled cries. Scores add up over several streams.
 *
 * Tuning runs the detect model once per stream (cradle_stream_trace_new:
 * P(cry) of every window), then replays only the decision stage
 * (cradle_detector_replay) for every point of a grid of thresholds and
 * confirm counts: exact, and thousands of times cheaper than rerunning the
 * model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-audio.h"
#include "cradle-detector.h"

G_BEGIN_DECLS

typedef struct {
  guint   n_cries;
  guint   detected;
  guint   n_events;
  guint   false_alarms;
  double  non_cry_hours;
  GArray *delays;          /* double seconds, one per detected cry */
} CradleStreamScore;

void   cradle_stream_score_init       (CradleStreamScore        *score);
void   cradle_stream_score_clear      (CradleStreamScore        *score);
/* Scores SPANS (events of one stream of DURATION seconds) against CRIES
 * (element-type CradleSegment) and adds them to SCORE. */
void   cradle_stream_score_add        (CradleStreamScore        *score,
                                       const CradleDetectorSpan *spans,
                                       gsize                     n_spans,
                                       GPtrArray                *cries,
                                       double                    duration);
double cradle_stream_score_recall     (const CradleStreamScore  *score);  /* NAN without cries */
double cradle_stream_score_fa_per_hour (const CradleStreamScore *score);  /* NAN without non-cry audio */
/* The Q quantile (0..1, linear interpolation) of the delays; NAN without detections. */
double cradle_stream_score_delay      (const CradleStreamScore  *score,
                                       double                    q);

/* P(cry) of every window of a stream, and the settings (window resolved)
 * that made them. */
typedef struct {
  CradleDetectorSettings settings;
  GArray                *times;     /* double: window ends, stream seconds */
  GArray                *p_cry;     /* float, 0 for gated windows */
  double                 duration;  /* seconds of audio */
} CradleStreamTrace;

/* AUDIO must be at DETECT's analysis rate. */
CradleStreamTrace *cradle_stream_trace_new  (CradleModel                  *detect,
                                             const CradleDetectorSettings *settings,
                                             const CradleAudio            *audio,
                                             GError                      **error);
void               cradle_stream_trace_free (CradleStreamTrace            *trace);

/* One point of a tuning grid, pooled over the streams. */
typedef struct {
  double threshold;        /* on threshold; off = MAX (0, on − 0.15) */
  guint  confirm;
  guint  n_cries;
  guint  detected;
  guint  false_alarms;
  double recall;
  double fa_per_hour;
  double delay_median;
  double delay_p95;
} CradleTunePoint;

#define CRADLE_TUNE_MIN_THRESHOLD 0.30
#define CRADLE_TUNE_MAX_THRESHOLD 0.95
#define CRADLE_TUNE_MAX_CONFIRM   4

/* Scores every threshold 0.30, 0.35 … 0.95 × confirm 1 … 4 on the N
 * traces (with the other settings of the first trace; all traces must share
 * window, hop, alpha and gate) against CRIES[i] (element-type
 * CradleSegment), pooled. The choice: among the points whose recall is at
 * least MIN_RECALL, the fewest false alarms per hour, then the shortest
 * median delay, then the shortest 95th percentile, then the higher
 * threshold; if no point reaches MIN_RECALL, the highest recall, then the
 * same order. Returns every point (CradleTunePoint, by threshold then
 * confirm) and sets *CHOSEN to the chosen one's index and BEST to its
 * settings. (transfer full) */
GArray *cradle_stream_tune (CradleStreamTrace * const *traces,
                            GPtrArray * const         *cries,
                            guint                      n,
                            double                     min_recall,
                            guint                     *chosen,
                            CradleDetectorSettings    *best);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleStreamTrace, cradle_stream_trace_free)

G_END_DECLS
