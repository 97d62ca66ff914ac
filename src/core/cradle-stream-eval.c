/* cradle-stream-eval.c — scoring and tuning the detector on labelled streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-stream-eval.h"

#include <math.h>

#include "cradle-dataset.h"

/* Feeding the detector in pieces of this length, as a device would. */
#define TRACE_CHUNK_SECONDS 1.0

void
cradle_stream_score_init (CradleStreamScore *score)
{
  g_return_if_fail (score != NULL);

  *score = (CradleStreamScore) { 0 };
  score->delays = g_array_new (FALSE, FALSE, sizeof (double));
}

void
cradle_stream_score_clear (CradleStreamScore *score)
{
  g_return_if_fail (score != NULL);

  g_clear_pointer (&score->delays, g_array_unref);
}

static gboolean
overlaps (double a0, double a1, double b0, double b1)
{
  return a0 < b1 && b0 < a1;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

void
cradle_stream_score_add (CradleStreamScore        *score,
                         const CradleDetectorSpan *spans,
                         gsize                     n_spans,
                         GPtrArray                *cries,
                         double                    duration)
{
  double cry_seconds = 0.0;

  g_return_if_fail (score != NULL && score->delays != NULL);
  g_return_if_fail (spans != NULL || n_spans == 0);
  g_return_if_fail (cries != NULL);

  score->n_cries += cries->len;
  score->n_events += n_spans;
  for (guint c = 0; c < cries->len; c++)
    {
      const CradleSegment *cry = g_ptr_array_index (cries, c);
      double best = INFINITY;

      cry_seconds += cry->end - cry->start;
      for (gsize e = 0; e < n_spans; e++)
        if (overlaps (spans[e].start, spans[e].end, cry->start, cry->end))
          best = MIN (best, spans[e].alert - cry->start);
      if (isfinite (best))
        {
          score->detected++;
          g_array_append_val (score->delays, best);
        }
    }
  for (gsize e = 0; e < n_spans; e++)
    {
      gboolean hit = FALSE;

      for (guint c = 0; c < cries->len && !hit; c++)
        {
          const CradleSegment *cry = g_ptr_array_index (cries, c);

          hit = overlaps (spans[e].start, spans[e].end, cry->start, cry->end);
        }
      if (!hit)
        score->false_alarms++;
    }
  score->non_cry_hours += MAX (duration - cry_seconds, 0.0) / 3600.0;
}

double
cradle_stream_score_recall (const CradleStreamScore *score)
{
  g_return_val_if_fail (score != NULL, NAN);
  return score->n_cries > 0 ? (double) score->detected / score->n_cries : NAN;
}

double
cradle_stream_score_fa_per_hour (const CradleStreamScore *score)
{
  g_return_val_if_fail (score != NULL, NAN);
  return score->non_cry_hours > 0.0 ? score->false_alarms / score->non_cry_hours : NAN;
}

double
cradle_stream_score_delay (const CradleStreamScore *score,
                           double                   q)
{
  g_autoptr(GArray) sorted = NULL;
  double pos, frac;
  guint lo;

  g_return_val_if_fail (score != NULL && score->delays != NULL, NAN);
  g_return_val_if_fail (q >= 0.0 && q <= 1.0, NAN);

  if (score->delays->len == 0)
    return NAN;
  sorted = g_array_copy (score->delays);
  g_array_sort (sorted, compare_double);
  pos = q * (sorted->len - 1);
  lo = (guint) floor (pos);
  frac = pos - lo;
  if (lo + 1 >= sorted->len)
    return g_array_index (sorted, double, sorted->len - 1);
  return g_array_index (sorted, double, lo) * (1.0 - frac) + g_array_index (sorted, double, lo + 1) * frac;
}

/* ---- Traces ------------------------------------------------------------- */

void
cradle_stream_trace_free (CradleStreamTrace *trace)
{
  if (trace == NULL)
    return;
  g_clear_pointer (&trace->times, g_array_unref);
  g_clear_pointer (&trace->p_cry, g_array_unref);
  g_free (trace);
}

static void
on_window (double   time,
           float    p_cry,
           float    ema,
           gboolean gated,
           gpointer user_data)
{
  CradleStreamTrace *trace = user_data;

  g_array_append_val (trace->times, time);
  g_array_append_val (trace->p_cry, p_cry);
}

CradleStreamTrace *
cradle_stream_trace_new (CradleModel                  *detect,
                         const CradleDetectorSettings *settings,
                         const CradleAudio            *audio,
                         GError                      **error)
{
  g_autoptr(CradleStreamTrace) trace = NULL;
  g_autoptr(CradleDetector) detector = NULL;
  CradleDetectorEvent *event;
  gsize chunk;

  g_return_val_if_fail (detect != NULL && settings != NULL && audio != NULL, NULL);

  detector = cradle_detector_new (detect, NULL, settings, error);
  if (detector == NULL)
    return NULL;
  g_return_val_if_fail (audio->sample_rate == cradle_detector_get_rate (detector), NULL);

  trace = g_new0 (CradleStreamTrace, 1);
  trace->settings = *cradle_detector_get_settings (detector);
  trace->times = g_array_new (FALSE, FALSE, sizeof (double));
  trace->p_cry = g_array_new (FALSE, FALSE, sizeof (float));
  trace->duration = (double) audio->n_samples / audio->sample_rate;
  cradle_detector_set_window_func (detector, on_window, trace);
  chunk = MAX ((gsize) 1, (gsize) (TRACE_CHUNK_SECONDS * audio->sample_rate));
  for (gsize off = 0; off < audio->n_samples; off += chunk)
    {
      cradle_detector_push (detector, audio->samples + off, MIN (chunk, audio->n_samples - off));
      /* The events are the replay's business; drop the notices. */
      while ((event = cradle_detector_pop (detector)) != NULL)
        cradle_detector_event_free (event);
    }
  return g_steal_pointer (&trace);
}

/* ---- Tuning ------------------------------------------------------------- */

/* TRUE when A is a better choice than B (see cradle_stream_tune). */
static gboolean
better (const CradleTunePoint *a,
        const CradleTunePoint *b,
        double                 min_recall)
{
  gboolean a_ok = a->recall >= min_recall, b_ok = b->recall >= min_recall;
  double a_med = isnan (a->delay_median) ? INFINITY : a->delay_median;
  double b_med = isnan (b->delay_median) ? INFINITY : b->delay_median;
  double a_p95 = isnan (a->delay_p95) ? INFINITY : a->delay_p95;
  double b_p95 = isnan (b->delay_p95) ? INFINITY : b->delay_p95;

  if (a_ok != b_ok)
    return a_ok;
  if (!a_ok && a->recall != b->recall)
    return a->recall > b->recall;
  if (a->fa_per_hour != b->fa_per_hour)
    return a->fa_per_hour < b->fa_per_hour;
  if (a_med != b_med)
    return a_med < b_med;
  if (a_p95 != b_p95)
    return a_p95 < b_p95;
  return a->threshold > b->threshold;
}

GArray *
cradle_stream_tune (CradleStreamTrace * const *traces,
                    GPtrArray * const         *cries,
                    guint                      n,
                    double                     min_recall,
                    guint                     *chosen,
                    CradleDetectorSettings    *best)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (CradleTunePoint));
  guint n_thresholds = (guint) lround ((CRADLE_TUNE_MAX_THRESHOLD - CRADLE_TUNE_MIN_THRESHOLD) / 0.05) + 1;

  g_return_val_if_fail (traces != NULL && cries != NULL && n > 0, points);
  g_return_val_if_fail (chosen != NULL && best != NULL, points);

  *chosen = 0;
  *best = traces[0]->settings;
  for (guint i = 0; i < n_thresholds; i++)
    for (guint confirm = 1; confirm <= CRADLE_TUNE_MAX_CONFIRM; confirm++)
      {
        CradleDetectorSettings s = traces[0]->settings;
        CradleStreamScore score;
        CradleTunePoint point;

        s.on_threshold = round ((CRADLE_TUNE_MIN_THRESHOLD + 0.05 * i) * 100.0) / 100.0;
        s.off_threshold = MAX (0.0, s.on_threshold - 0.15);
        s.confirm_windows = confirm;
        cradle_stream_score_init (&score);
        for (guint k = 0; k < n; k++)
          {
            g_autoptr(GArray) spans = cradle_detector_replay (&s, (const double *) traces[k]->times->data,
                                                              (const float *) traces[k]->p_cry->data,
                                                              traces[k]->times->len);

            cradle_stream_score_add (&score, (const CradleDetectorSpan *) spans->data, spans->len,
                                     cries[k], traces[k]->duration);
          }
        point = (CradleTunePoint) {
          .threshold = s.on_threshold,
          .confirm = confirm,
          .n_cries = score.n_cries,
          .detected = score.detected,
          .false_alarms = score.false_alarms,
          .recall = score.n_cries > 0 ? cradle_stream_score_recall (&score) : 0.0,
          .fa_per_hour = score.non_cry_hours > 0.0 ? cradle_stream_score_fa_per_hour (&score) : 0.0,
          .delay_median = cradle_stream_score_delay (&score, 0.5),
          .delay_p95 = cradle_stream_score_delay (&score, 0.95),
        };
        cradle_stream_score_clear (&score);
        g_array_append_val (points, point);
        if (points->len == 1
            || better (&point, &g_array_index (points, CradleTunePoint, *chosen), min_recall))
          {
            *chosen = points->len - 1;
            *best = s;
          }
      }
  return points;
}
