/* test-detector.c — the streaming detector on synthetic streams
 *
 * A tiny logistic-regression detect model is trained here on 1 s clips:
 * "cry" is a harmonic tone of 350–550 Hz, "not-cry" is noise, hum or near
 * silence. Streams are noise with tone bursts at known times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cradle-core.h"
#include "cradle-detector.h"
#include "cradle-model.h"
#include "cradle-test-model.h"
#include "cradle-test-util.h"

#define RATE     CRADLE_TEST_MODEL_RATE
#define NOISE_SD 0.02

static CradleModel *detect_model;
static CradleModel *cause_model;

/* ---- Running a stream --------------------------------------------------- */

typedef struct {
  GPtrArray *notices;  /* every notice, in order */
  GArray    *trace;    /* float pairs: p, ema per window */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->notices, g_ptr_array_unref);
  g_clear_pointer (&run->trace, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
on_window (double   time,
           float    p_cry,
           float    ema,
           gboolean gated,
           gpointer user_data)
{
  Run *run = user_data;

  g_array_append_val (run->trace, p_cry);
  g_array_append_val (run->trace, ema);
}

/* Pushes X in chunks of CHUNKS[i % N_CHUNKS] (or all at once). */
static void
run_stream (const CradleDetectorSettings *settings,
            CradleModel                  *cause,
            const float                  *x,
            gsize                         n,
            const gsize                  *chunks,
            guint                         n_chunks,
            Run                          *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDetector) detector = cradle_detector_new (detect_model, cause, settings, &error);
  CradleDetectorEvent *event;
  gsize off = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (cradle_detector_get_rate (detector), ==, RATE);
  run->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_detector_event_free);
  run->trace = g_array_new (FALSE, FALSE, sizeof (float));
  cradle_detector_set_window_func (detector, on_window, run);
  for (guint i = 0; off < n; i++)
    {
      gsize take = n_chunks == 0 ? n : MIN (chunks[i % n_chunks], n - off);

      cradle_detector_push (detector, x + off, take);
      off += take;
      while ((event = cradle_detector_pop (detector)) != NULL)
        g_ptr_array_add (run->notices, event);
    }
  cradle_detector_finish (detector);
  while ((event = cradle_detector_pop (detector)) != NULL)
    g_ptr_array_add (run->notices, event);
  g_assert_cmpfloat_with_epsilon (cradle_detector_get_time (detector), (double) n / RATE, 1e-9);
}

static GPtrArray *
ended (Run *run)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < run->notices->len; i++)
    {
      CradleDetectorEvent *e = g_ptr_array_index (run->notices, i);

      if (e->kind == CRADLE_DETECTOR_NOTICE_ENDED)
        g_ptr_array_add (out, e);
    }
  return out;
}

static void
test_settings (void)
{
  CradleDetectorSettings s;
  g_autoptr(GError) error = NULL;
  cradle_detector_settings_init_default (&s);
  g_assert_true (cradle_detector_settings_validate (&s, &error));
  g_assert_no_error (error);
  /* The defaults alert within about a second of a clear cry. */
  g_assert_cmpfloat (s.hop_seconds * s.confirm_windows, <=, 1.0);

#define EXPECT_INVALID(field, value) \
  G_STMT_START { \
    CradleDetectorSettings bad = s; \
    g_autoptr(GError) e = NULL; \
    bad.field = value; \
    g_assert_false (cradle_detector_settings_validate (&bad, &e)); \
    g_assert_error (e, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS); \
    g_assert_null (cradle_detector_new (detect_model, NULL, &bad, NULL)); \
  } G_STMT_END

  EXPECT_INVALID (ema_alpha, 0.0);
  EXPECT_INVALID (ema_alpha, 1.5);
  EXPECT_INVALID (ema_alpha, NAN);
  EXPECT_INVALID (off_threshold, 0.9);  /* above on (0.5) */
  EXPECT_INVALID (on_threshold, 0.0);
  EXPECT_INVALID (on_threshold, 1.2);
  EXPECT_INVALID (window_seconds, 0.05);
  EXPECT_INVALID (hop_seconds, 0.0);
  EXPECT_INVALID (confirm_windows, 0);
  EXPECT_INVALID (release_windows, 0);
  EXPECT_INVALID (energy_gate_dbfs, 3.0);
  EXPECT_INVALID (preroll_seconds, -1.0);
  EXPECT_INVALID (cooldown_seconds, -1.0);
#undef EXPECT_INVALID

  {
    CradleDetectorSettings bad = s;
    g_autoptr(CradleDetector) detector = NULL;

    /* The window defaults to the model's clip (1 s here); a hop may not exceed it. */
    g_assert_cmpfloat (s.window_seconds, ==, 0.0);
    detector = cradle_detector_new (detect_model, NULL, &s, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (cradle_detector_get_settings (detector)->window_seconds, ==, 1.0);
    bad.window_seconds = 1.0;
    bad.hop_seconds = 3.0;
    g_assert_false (cradle_detector_settings_validate (&bad, &error));
    g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS);
    g_clear_error (&error);
    bad.window_seconds = 0.0;
    g_assert_null (cradle_detector_new (detect_model, NULL, &bad, &error));
    g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS);
    g_clear_error (&error);
  }

  /* Models in the wrong role. */
  g_assert_null (cradle_detector_new (cause_model, NULL, &s, &error));
  g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_MODEL);
  g_clear_error (&error);
  g_assert_null (cradle_detector_new (detect_model, detect_model, &s, &error));
  g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_MODEL);
}

static void
test_settings_for_tests (CradleDetectorSettings *s)
{
  cradle_detector_settings_init_default (s);
  s->window_seconds = 1.0;
  s->hop_seconds = 0.25;
  s->confirm_windows = 2;
  s->release_windows = 4;
  s->preroll_seconds = 2.0;
  s->cooldown_seconds = 0.0;
  s->escalate_minutes = 0.0;
}

/* Bursts at 5–9 s and 20–24 s in 30 s of noise. */
static void
test_events_at_known_times (void)
{
  const double bursts[][2] = { { 5.0, 9.0 }, { 20.0, 24.0 } };
  CradleDetectorSettings s;
  g_auto(Run) run = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (30.0, NOISE_SD, 11, &n);

  test_settings_for_tests (&s);
  for (guint b = 0; b < G_N_ELEMENTS (bursts); b++)
    cradle_test_add_tone (x, n, bursts[b][0], bursts[b][1], 420.0 + 60.0 * b, 0.3);
  run_stream (&s, NULL, x, n, NULL, 0, &run);
  /* 1 s windows every 0.25 s over 30 s. */
  g_assert_cmpuint (run.trace->len / 2, ==, (guint) ((30.0 - 1.0) / 0.25) + 1);

  events = ended (&run);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (bursts));
  for (guint b = 0; b < events->len; b++)
    {
      CradleDetectorEvent *e = g_ptr_array_index (events, b);
      double clip_end;

      g_assert_cmpuint (e->index, ==, b);
      /* Start within a window of the onset; alert at most 1.5 s after it. */
      g_assert_cmpfloat (fabs (e->start - bursts[b][0]), <=, 1.0);
      g_assert_cmpfloat (e->alert, >=, bursts[b][0]);
      g_assert_cmpfloat (e->alert - bursts[b][0], <=, 1.5);
      g_assert_cmpfloat (fabs (e->end - bursts[b][1]), <=, 1.5);
      g_assert_cmpfloat (e->peak_confidence, >=, e->mean_confidence);
      g_assert_cmpfloat (e->peak_confidence, >, 0.9);
      g_assert_cmpfloat (e->mean_confidence, >, 0.5);
      g_assert_false (e->escalated);
      g_assert_cmpuint (e->n_causes, ==, 0);
      g_assert_cmpint (e->cause, ==, -1);
      /* The clip: 2 s of pre-roll, then the event, at the model's rate. */
      g_assert_cmpuint (e->clip_rate, ==, RATE);
      g_assert_cmpfloat_with_epsilon (e->clip_start, e->start - 2.0, 1.0 / RATE);
      clip_end = e->clip_start + (double) e->clip_n / RATE;
      g_assert_cmpfloat_with_epsilon (clip_end, e->end, 1.0 / RATE);
      g_assert_cmpmem (e->clip, 100 * sizeof (float), x + (gsize) llround (e->clip_start * RATE),
                       100 * sizeof (float));
    }
  /* Each event's ALERT notice came before its ENDED one. */
  g_assert_cmpint (((CradleDetectorEvent *) g_ptr_array_index (run.notices, 0))->kind, ==,
                   CRADLE_DETECTOR_NOTICE_ALERT);
}

static void
test_no_event_in_noise_or_silence (void)
{
  CradleDetectorSettings s;
  gsize n;
  g_autofree float *noise = cradle_test_noise_stream (30.0, 0.1, 12, &n);
  g_autofree float *silence = g_new0 (float, n);

  test_settings_for_tests (&s);
  for (guint k = 0; k < 2; k++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleDetector) detector = cradle_detector_new (detect_model, NULL, &s, &error);

      run_stream (&s, NULL, k == 0 ? noise : silence, n, NULL, 0, &run);
      g_assert_cmpuint (run.notices->len, ==, 0);
      for (guint i = 1; i < run.trace->len; i += 2)
        g_assert_cmpfloat (g_array_index (run.trace, float, i), <, s.off_threshold);

      /* Silence is under the energy gate: the model never runs. */
      cradle_detector_push (detector, k == 0 ? noise : silence, n);
      g_assert_cmpuint (cradle_detector_get_n_windows (detector), ==, run.trace->len / 2);
      if (k == 1)
        g_assert_cmpuint (cradle_detector_get_n_model_runs (detector), ==, 0);
      else
        g_assert_cmpuint (cradle_detector_get_n_model_runs (detector), ==, run.trace->len / 2);
    }
}

/* A 0.3 s blip under a 3 s minimum event gives nothing; a 5 s cry does,
 * with its alert no earlier than 3 s after its start. */
static void
test_min_event (void)
{
  CradleDetectorSettings s;
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (20.0, NOISE_SD, 13, &n);
  g_auto(Run) blip = { 0 };
  g_auto(Run) cry = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  CradleDetectorEvent *e;

  test_settings_for_tests (&s);
  s.min_event_seconds = 3.0;
  cradle_test_add_tone (x, n, 5.0, 5.3, 450.0, 0.3);
  run_stream (&s, NULL, x, n, NULL, 0, &blip);
  g_assert_cmpuint (blip.notices->len, ==, 0);
  /* The model did see the blip: the hysteresis dropped it. */
  {
    float peak = 0.0f;

    for (guint i = 0; i < blip.trace->len; i += 2)
      peak = MAX (peak, g_array_index (blip.trace, float, i));
    g_assert_cmpfloat (peak, >, s.on_threshold);
  }

  cradle_test_add_tone (x, n, 10.0, 15.0, 450.0, 0.3);
  run_stream (&s, NULL, x, n, NULL, 0, &cry);
  events = ended (&cry);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpfloat (fabs (e->start - 10.0), <=, 1.0);
  g_assert_cmpfloat (e->alert - e->start, >=, 3.0);
}

/* Bursts at 5–9 s and 12–16 s: two events without a cooldown, one with 30 s. */
static void
test_cooldown (void)
{
  CradleDetectorSettings s;
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (25.0, NOISE_SD, 14, &n);

  cradle_test_add_tone (x, n, 5.0, 9.0, 400.0, 0.3);
  cradle_test_add_tone (x, n, 12.0, 16.0, 500.0, 0.3);
  test_settings_for_tests (&s);
  for (guint k = 0; k < 2; k++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GPtrArray) events = NULL;

      s.cooldown_seconds = k == 0 ? 0.0 : 30.0;
      run_stream (&s, NULL, x, n, NULL, 0, &run);
      events = ended (&run);
      g_assert_cmpuint (events->len, ==, k == 0 ? 2 : 1);
      g_assert_cmpfloat (fabs (((CradleDetectorEvent *) g_ptr_array_index (events, 0))->start - 5.0), <=, 1.0);
    }
}

static void
test_cause_and_escalation (void)
{
  CradleDetectorSettings s;
  g_auto(Run) run = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (20.0, NOISE_SD, 15, &n);
  CradleDetectorEvent *e;
  guint n_cause = 0, n_escalated = 0;

  test_settings_for_tests (&s);
  s.cause_after_seconds = 2.0;
  s.escalate_minutes = 4.0 / 60.0;   /* 4 s */
  cradle_test_add_tone (x, n, 3.0, 12.0, 370.0, 0.3);  /* "hunger": the low class */
  run_stream (&s, cause_model, x, n, NULL, 0, &run);
  for (guint i = 0; i < run.notices->len; i++)
    {
      e = g_ptr_array_index (run.notices, i);
      if (e->kind == CRADLE_DETECTOR_NOTICE_CAUSE)
        {
          n_cause++;
          g_assert_cmpfloat (e->alert - e->start, <=, 2.0 + 1e-9 + 1.5);
          g_assert_cmpuint (e->n_causes, ==, 2);
        }
      else if (e->kind == CRADLE_DETECTOR_NOTICE_ESCALATED)
        n_escalated++;
    }
  g_assert_cmpuint (n_cause, ==, 1);
  g_assert_cmpuint (n_escalated, ==, 1);
  events = ended (&run);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_true (e->escalated);
  g_assert_cmpuint (e->n_causes, ==, 2);
  g_assert_true (e->cause_labels == cradle_model_get_labels (cause_model));
  g_assert_cmpstr (e->cause_labels[e->cause], ==, "hunger");
  g_assert_cmpfloat_with_epsilon (e->cause_proba[0] + e->cause_proba[1], 1.0f, 1e-4);
  g_assert_cmpfloat (e->cause_proba[0], >, 0.5f);
}

/* Same input, same notices and trace: run twice, and in odd chunk sizes. */
static void
test_deterministic_and_chunking (void)
{
  static const gsize odd[] = { 1, 7, 333, 4097, 50, 8191 };
  CradleDetectorSettings s;
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (30.0, NOISE_SD, 16, &n);
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  cradle_test_add_tone (x, n, 4.0, 8.0, 430.0, 0.3);
  cradle_test_add_tone (x, n, 15.0, 21.5, 520.0, 0.2);
  test_settings_for_tests (&s);
  s.cause_after_seconds = 2.0;
  run_stream (&s, cause_model, x, n, NULL, 0, &a);
  run_stream (&s, cause_model, x, n, NULL, 0, &b);
  run_stream (&s, cause_model, x, n, odd, G_N_ELEMENTS (odd), &c);
  g_assert_cmpuint (a.notices->len, >=, 4);
  for (guint k = 0; k < 2; k++)
    {
      Run *other = k == 0 ? &b : &c;

      g_assert_cmpuint (other->trace->len, ==, a.trace->len);
      g_assert_cmpmem (other->trace->data, other->trace->len * sizeof (float),
                       a.trace->data, a.trace->len * sizeof (float));
      g_assert_cmpuint (other->notices->len, ==, a.notices->len);
      for (guint i = 0; i < a.notices->len; i++)
        {
          CradleDetectorEvent *p = g_ptr_array_index (a.notices, i);
          CradleDetectorEvent *q = g_ptr_array_index (other->notices, i);

          g_assert_cmpint (p->kind, ==, q->kind);
          g_assert_cmpfloat (p->start, ==, q->start);
          g_assert_cmpfloat (p->alert, ==, q->alert);
          g_assert_cmpfloat (p->end, ==, q->end);
          g_assert_cmpfloat (p->peak_confidence, ==, q->peak_confidence);
          g_assert_cmpfloat (p->mean_confidence, ==, q->mean_confidence);
          g_assert_cmpuint (p->n_causes, ==, q->n_causes);
          if (p->n_causes > 0)
            g_assert_cmpmem (p->cause_proba, p->n_causes * sizeof (float),
                             q->cause_proba, q->n_causes * sizeof (float));
          g_assert_cmpuint (p->clip_n, ==, q->clip_n);
          if (p->clip_n > 0)
            g_assert_cmpmem (p->clip, p->clip_n * sizeof (float), q->clip, q->clip_n * sizeof (float));
        }
    }
}

/* The decision stage replayed over the detector's own P(cry) gives the
 * detector's events, for several settings, bit for bit. */
static void
test_replay_matches_detector (void)
{
  const struct { double on; guint confirm; double alpha; double cooldown; double min_event; } variants[] = {
    { 0.5, 2, 0.6, 0.0, 0.5 }, { 0.7, 1, 1.0, 5.0, 0.0 }, { 0.3, 4, 0.3, 1.0, 2.0 },
  };
  gsize n;
  g_autofree float *x = cradle_test_noise_stream (40.0, NOISE_SD, 21, &n);

  cradle_test_add_tone (x, n, 3.0, 7.0, 430.0, 0.3);
  cradle_test_add_tone (x, n, 8.0, 9.0, 480.0, 0.05);
  cradle_test_add_tone (x, n, 12.0, 20.0, 520.0, 0.2);
  cradle_test_add_tone (x, n, 21.5, 26.0, 400.0, 0.3);
  cradle_test_add_tone (x, n, 38.0, 40.0, 450.0, 0.3);  /* open at the end */
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      CradleDetectorSettings s;
      g_auto(Run) run = { 0 };
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) p = g_array_new (FALSE, FALSE, sizeof (float));
      g_autoptr(GArray) spans = NULL;

      test_settings_for_tests (&s);
      s.on_threshold = variants[v].on;
      s.off_threshold = MAX (0.0, variants[v].on - 0.15);
      s.confirm_windows = variants[v].confirm;
      s.ema_alpha = variants[v].alpha;
      s.cooldown_seconds = variants[v].cooldown;
      s.min_event_seconds = variants[v].min_event;
      run_stream (&s, NULL, x, n, NULL, 0, &run);
      events = ended (&run);
      g_assert_cmpuint (events->len, >=, 2);
      /* The window function saw p and EMA; the replay needs p and times. */
      for (guint i = 0; i < run.trace->len / 2; i++)
        {
          double t = 1.0 + 0.25 * i;

          g_array_append_val (times, t);
          g_array_append_val (p, g_array_index (run.trace, float, 2 * i));
        }
      spans = cradle_detector_replay (&s, (const double *) times->data, (const float *) p->data, p->len);
      g_assert_cmpuint (spans->len, ==, events->len);
      for (guint e = 0; e < spans->len; e++)
        {
          const CradleDetectorSpan *span = &g_array_index (spans, CradleDetectorSpan, e);
          const CradleDetectorEvent *event = g_ptr_array_index (events, e);

          g_assert_cmpfloat (span->start, ==, event->start);
          g_assert_cmpfloat (span->alert, ==, event->alert);
          g_assert_cmpfloat (span->end, ==, event->end);
          g_assert_cmpfloat (span->peak_confidence, ==, event->peak_confidence);
        }
    }
}

/* The decision settings as JSON: a round trip, subsets, and errors that
 * name the field and leave the settings alone. */
static void
test_settings_json (void)
{
  CradleDetectorSettings s, back, before;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const struct { const char *json; const char *field; } bad[] = {
    { "{\"threshold\": \"high\"}", "threshold" },
    { "{\"confirm\": 2.5}", "confirm" },
    { "{\"confirm\": -1}", "confirm" },
    { "{\"hop\": true}", "hop" },
    { "{\"threshold\": 1.5}", "on threshold" },
    { "{\"release\": 0}", "release" },
    { "[1, 2]", "settings" },
  };

  cradle_detector_settings_init_default (&s);
  s.window_seconds = 1.0;
  s.hop_seconds = 0.25;
  s.ema_alpha = 1.0;
  s.on_threshold = 0.75;
  s.off_threshold = 0.6;
  s.confirm_windows = 4;
  s.release_windows = 3;
  s.min_event_seconds = 0.0;
  s.cooldown_seconds = 1.0;
  s.energy_gate_dbfs = -60.0;
  s.preroll_seconds = 7.0;   /* not a decision setting: not in the JSON */
  node = cradle_detector_settings_to_json (&s);
  g_assert_false (json_object_has_member (json_node_get_object (node), "preroll"));
  cradle_detector_settings_init_default (&back);
  g_assert_true (cradle_detector_settings_apply_json (&back, node, &error));
  g_assert_no_error (error);
  back.preroll_seconds = s.preroll_seconds;
  g_assert_cmpmem (&back, sizeof back, &s, sizeof s);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = json_from_string (bad[i].json, NULL);

      cradle_detector_settings_init_default (&before);
      back = before;
      g_assert_false (cradle_detector_settings_apply_json (&back, b, &error));
      g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS);
      g_assert_nonnull (strstr (error->message, bad[i].field));
      g_assert_cmpmem (&back, sizeof back, &before, sizeof before);
      g_clear_error (&error);
    }
}

/* A model file carries its tuned settings; a model without them gives the
 * defaults; invalid ones are refused with the field named. */
static void
test_settings_from_model (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-detector-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tuned.model", NULL);
  g_autoptr(CradleModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = json_from_string (
    "{\"settings\": {\"hop\": 0.25, \"threshold\": 0.8, \"off_threshold\": 0.65, \"confirm\": 3},"
    " \"tuned\": {\"recall\": 0.97}}", NULL);
  g_autoptr(JsonNode) broken = json_from_string ("{\"settings\": {\"alpha\": 0}}", NULL);
  CradleDetectorSettings s, defaults;

  cradle_detector_settings_init_default (&defaults);
  g_assert_null (cradle_model_get_detector (detect_model));
  g_assert_true (cradle_detector_settings_init_for_model (&s, detect_model, &error));
  g_assert_cmpmem (&s, sizeof s, &defaults, sizeof defaults);

  cradle_model_set_detector (detect_model, record);
  g_assert_true (cradle_model_save (detect_model, path, &error));
  g_assert_no_error (error);
  cradle_model_set_detector (detect_model, NULL);
  loaded = cradle_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cradle_model_get_detector (loaded));
  g_assert_true (cradle_detector_settings_init_for_model (&s, loaded, &error));
  g_assert_cmpfloat (s.hop_seconds, ==, 0.25);
  g_assert_cmpfloat (s.on_threshold, ==, 0.8);
  g_assert_cmpfloat (s.off_threshold, ==, 0.65);
  g_assert_cmpuint (s.confirm_windows, ==, 3);
  g_assert_cmpfloat (s.cooldown_seconds, ==, defaults.cooldown_seconds);

  cradle_model_set_detector (loaded, broken);
  g_assert_false (cradle_detector_settings_init_for_model (&s, loaded, &error));
  g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (error->message, "alpha"));
  g_assert_cmpmem (&s, sizeof s, &defaults, sizeof defaults);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  detect_model = cradle_test_model_train (CRADLE_TASK_DETECT);
  cause_model = cradle_test_model_train (CRADLE_TASK_CAUSE);

  g_test_add_func ("/core/detector/settings", test_settings);
  g_test_add_func ("/core/detector/events-at-known-times", test_events_at_known_times);
  g_test_add_func ("/core/detector/no-event-in-noise-or-silence", test_no_event_in_noise_or_silence);
  g_test_add_func ("/core/detector/min-event", test_min_event);
  g_test_add_func ("/core/detector/cooldown", test_cooldown);
  g_test_add_func ("/core/detector/cause-and-escalation", test_cause_and_escalation);
  g_test_add_func ("/core/detector/deterministic-and-chunking", test_deterministic_and_chunking);
  g_test_add_func ("/core/detector/replay-matches-detector", test_replay_matches_detector);
  g_test_add_func ("/core/detector/settings-json", test_settings_json);
  g_test_add_func ("/core/detector/settings-from-model", test_settings_from_model);
  status = g_test_run ();
  cradle_model_free (detect_model);
  cradle_model_free (cause_model);
  return status;
}
