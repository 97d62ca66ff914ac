/* test-stream-eval.c — scoring events against labelled cries, and tuning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-dataset.h"
#include "cradle-stream-eval.h"

static GPtrArray *
make_cries (const double (*c)[2],
            guint         n)
{
  GPtrArray *cries = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);

  for (guint i = 0; i < n; i++)
    {
      CradleSegment *segment = g_new0 (CradleSegment, 1);

      segment->start = c[i][0];
      segment->end = c[i][1];
      segment->label = g_strdup ("cry");
      g_ptr_array_add (cries, segment);
    }
  return cries;
}

static void
test_score (void)
{
  const double c[][2] = { { 10, 15 }, { 30, 35 }, { 50, 52 } };
  const CradleDetectorSpan spans[] = {
    { 9, 16, 11, 0.9f },      /* detects the first cry, 1 s late */
    { 31, 36, 33, 0.9f },     /* the second, 3 s late … */
    { 32, 34, 34.5, 0.9f },   /* … not later: the earliest alert counts */
    { 40, 42, 41, 0.8f },     /* a false alarm */
    { 60, 61, 60.5, 0.7f },   /* another */
    { 52, 53, 52.5, 0.7f },   /* touches the third cry's end only: no overlap */
  };
  g_autoptr(GPtrArray) cries = make_cries (c, G_N_ELEMENTS (c));
  CradleStreamScore score;

  cradle_stream_score_init (&score);
  g_assert_true (isnan (cradle_stream_score_recall (&score)));
  g_assert_true (isnan (cradle_stream_score_delay (&score, 0.5)));
  cradle_stream_score_add (&score, spans, G_N_ELEMENTS (spans), cries, 100.0);
  g_assert_cmpuint (score.n_cries, ==, 3);
  g_assert_cmpuint (score.detected, ==, 2);
  g_assert_cmpuint (score.n_events, ==, 6);
  g_assert_cmpuint (score.false_alarms, ==, 3);
  g_assert_cmpfloat_with_epsilon (score.non_cry_hours, 88.0 / 3600.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_recall (&score), 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_fa_per_hour (&score), 3.0 / (88.0 / 3600.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_delay (&score, 0.5), 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_delay (&score, 0.95), 2.9, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_delay (&score, 1.0), 3.0, 1e-12);

  /* A second stream adds up. */
  cradle_stream_score_add (&score, spans, 1, cries, 100.0);
  g_assert_cmpuint (score.n_cries, ==, 6);
  g_assert_cmpuint (score.detected, ==, 3);
  g_assert_cmpuint (score.false_alarms, ==, 3);
  g_assert_cmpfloat_with_epsilon (score.non_cry_hours, 176.0 / 3600.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_stream_score_delay (&score, 0.5), 1.0, 1e-12);
  cradle_stream_score_clear (&score);
}

/* A trace made by hand: two clear cries (P 0.9), one faint (P 0.5) and two
 * two-window blips (P 0.6) of not-cry. */
static CradleStreamTrace *
make_trace (void)
{
  CradleStreamTrace *trace = g_new0 (CradleStreamTrace, 1);

  cradle_detector_settings_init_default (&trace->settings);
  trace->settings.window_seconds = 1.0;
  trace->settings.hop_seconds = 0.25;
  trace->settings.ema_alpha = 1.0;
  trace->settings.min_event_seconds = 0.0;
  trace->settings.cooldown_seconds = 1.0;
  trace->times = g_array_new (FALSE, FALSE, sizeof (double));
  trace->p_cry = g_array_new (FALSE, FALSE, sizeof (float));
  trace->duration = 100.0;
  for (double t = 1.0; t <= 100.0; t += 0.25)
    {
      float p = 0.0f;

      if ((t >= 10.5 && t < 15.5) || (t >= 30.5 && t < 35.5))
        p = 0.9f;
      else if (t >= 50.5 && t < 55.5)
        p = 0.5f;
      else if (t == 20.0 || t == 20.25 || t == 70.0 || t == 70.25)
        p = 0.6f;
      g_array_append_val (trace->times, t);
      g_array_append_val (trace->p_cry, p);
    }
  return trace;
}

static const CradleTunePoint *
find_point (GArray *points,
            double  threshold,
            guint   confirm)
{
  for (guint i = 0; i < points->len; i++)
    {
      const CradleTunePoint *p = &g_array_index (points, CradleTunePoint, i);

      if (fabs (p->threshold - threshold) < 1e-9 && p->confirm == confirm)
        return p;
    }
  g_assert_not_reached ();
}

static void
test_tune (void)
{
  const double c[][2] = { { 10, 15 }, { 30, 35 }, { 50, 55 } };
  g_autoptr(GPtrArray) cries = make_cries (c, G_N_ELEMENTS (c));
  g_autoptr(CradleStreamTrace) trace = make_trace ();
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) some = NULL;
  g_autoptr(GArray) twice = NULL;
  CradleStreamTrace *traces[] = { trace, trace };
  GPtrArray *cry_lists[] = { cries, cries };
  CradleDetectorSettings best;
  const CradleTunePoint *p;
  guint chosen;

  /* Every cry: thresholds up to 0.5; no blip: confirm 3 or more; the
   * shortest delay: 3; then the higher threshold. */
  all = cradle_stream_tune (traces, cry_lists, 1, 1.0, &chosen, &best);
  g_assert_cmpuint (all->len, ==, 14 * CRADLE_TUNE_MAX_CONFIRM);
  p = &g_array_index (all, CradleTunePoint, chosen);
  g_assert_cmpfloat_with_epsilon (p->threshold, 0.5, 1e-9);
  g_assert_cmpuint (p->confirm, ==, 3);
  g_assert_cmpuint (p->detected, ==, 3);
  g_assert_cmpuint (p->false_alarms, ==, 0);
  g_assert_cmpfloat_with_epsilon (p->delay_median, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (best.on_threshold, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (best.off_threshold, 0.35, 1e-9);
  g_assert_cmpuint (best.confirm_windows, ==, 3);
  g_assert_cmpfloat (best.hop_seconds, ==, 0.25);
  /* The blips are false alarms at confirm 1 and 2. */
  g_assert_cmpuint (find_point (all, 0.5, 1)->false_alarms, ==, 2);
  g_assert_cmpuint (find_point (all, 0.5, 2)->false_alarms, ==, 2);
  g_assert_cmpuint (find_point (all, 0.55, 3)->detected, ==, 2);
  g_assert_cmpuint (find_point (all, 0.95, 1)->detected, ==, 0);

  /* Two thirds is enough: over the blips, confirm 1 alerts soonest; then
   * the highest threshold (0.85: the float 0.9f is just under 0.9). */
  some = cradle_stream_tune (traces, cry_lists, 1, 0.6, &chosen, &best);
  p = &g_array_index (some, CradleTunePoint, chosen);
  g_assert_cmpfloat_with_epsilon (p->threshold, 0.85, 1e-9);
  g_assert_cmpuint (p->confirm, ==, 1);
  g_assert_cmpuint (p->false_alarms, ==, 0);
  g_assert_cmpfloat_with_epsilon (p->delay_median, 0.5, 1e-9);
  g_assert_cmpuint (p->detected, ==, 2);

  /* Out of reach: the highest recall. Two streams pool. */
  twice = cradle_stream_tune (traces, cry_lists, 2, 1.0, &chosen, &best);
  p = &g_array_index (twice, CradleTunePoint, chosen);
  g_assert_cmpuint (p->n_cries, ==, 6);
  g_assert_cmpuint (p->detected, ==, 6);
  g_assert_cmpfloat_with_epsilon (p->threshold, 0.5, 1e-9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/stream-eval/score", test_score);
  g_test_add_func ("/core/stream-eval/tune", test_tune);
  return g_test_run ();
}
