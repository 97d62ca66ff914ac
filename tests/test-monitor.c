/* test-monitor.c — CradleMonitor: the live monitor engine
 *
 * A file input gives exactly the events the detector gives on the same
 * samples (which is what `cradle-cli monitor --input` prints), saves them as
 * the CLI does, and reports status, spectrum and notices in order, ending
 * with STOPPED. A device input on a private PulseAudio daemon hears a cry
 * played into it and alerts within 3 s. Stopping joins the worker at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cradle-capture.h"
#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-monitor.h"
#include "cradle-portaudio-private.h"
#include "cradle-test-model.h"
#include "cradle-test-util.h"

#define STREAM_SECONDS 40.0

static const struct {
  double start, end, f0;
} cries[] = {
  { 5.0, 9.0, 430.0 },
  { 18.0, 23.0, 520.0 },   /* "pain" for the cause model */
  { 30.0, 34.0, 370.0 },   /* "hunger" */
};

typedef struct {
  char *tmp;
  char *stream;
} Fixture;

/* Every report, copied, in arrival order. */
typedef struct {
  GPtrArray *kinds;     /* GUINT_TO_POINTER (kind) */
  GPtrArray *events;    /* (element-type CradleDetectorEvent) of ENDED, with fields copied */
  GArray    *recording_ids;
  GArray    *alert_times;
  guint      n_status;
  guint      n_columns;
  double     last_column_time;
  gboolean   columns_in_order;
  /* Mean dB of the band nearest 430 Hz in the first cry and in the noise before it. */
  double     cry_db, noise_db;
  guint      n_cry_db, n_noise_db;
  guint      tone_band;
  gboolean   stopped;
  gboolean   fatal_error;
  guint      n_errors;
  guint      n_retries;      /* non-fatal errors with a retry time */
  guint      n_listening;
  GPtrArray *messages;       /* every error's message */
  guint      n_escalated;
  guint      n_ended_escalated;
  float      max_peak_dbfs;   /* of the STATUS reports since it was last reset */
  GError    *error;
  gint64     alert_wall_us;  /* g_get_monotonic_time() of the first ALERT */
  double     first_sound;    /* stream time of the first spectrum column above digital silence */
  GThread   *thread;         /* where the reports arrived */
} Collected;

static void
collected_init (Collected *c)
{
  memset (c, 0, sizeof *c);
  c->kinds = g_ptr_array_new ();
  c->events = g_ptr_array_new_with_free_func (g_free);
  c->recording_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->alert_times = g_array_new (FALSE, FALSE, sizeof (double));
  c->messages = g_ptr_array_new_with_free_func (g_free);
  c->first_sound = -1.0;
  c->columns_in_order = TRUE;
  c->last_column_time = -1.0;
  c->tone_band = G_MAXUINT;
}

static void
collected_clear (Collected *c)
{
  g_ptr_array_unref (c->kinds);
  g_ptr_array_unref (c->events);
  g_array_unref (c->recording_ids);
  g_array_unref (c->alert_times);
  g_ptr_array_unref (c->messages);
  g_clear_error (&c->error);
}

/* The fields compared, without the clip and cause arrays. */
typedef struct {
  double start, alert, end;
  float  peak, mean;
  gsize  clip_n;
} EventSummary;

static void
on_report (const CradleMonitorReport *report,
           gpointer                   user_data)
{
  Collected *c = user_data;

  c->thread = g_thread_self ();
  g_assert_false (c->stopped);
  g_ptr_array_add (c->kinds, GUINT_TO_POINTER (report->kind));
  switch (report->kind)
    {
    case CRADLE_MONITOR_REPORT_STATUS:
      c->n_status++;
      g_assert_cmpfloat (report->p_cry, >=, 0.0f);
      g_assert_cmpfloat (report->p_cry, <=, 1.0f);
      g_assert_cmpfloat (report->level_dbfs, <=, 0.5f);
      c->max_peak_dbfs = MAX (c->max_peak_dbfs, report->peak_dbfs);
      break;
    case CRADLE_MONITOR_REPORT_SPECTRUM:
      g_assert_cmpuint (report->n_bands, ==, CRADLE_MONITOR_SPECTRUM_BANDS);
      g_assert_cmpuint (report->n_columns, >, 0);
      g_assert_nonnull (report->band_hz);
      if (c->tone_band == G_MAXUINT)
        {
          double best = INFINITY;

          for (guint b = 0; b < report->n_bands; b++)
            if (fabs (report->band_hz[b] - cries[0].f0) < best)
              {
                best = fabs (report->band_hz[b] - cries[0].f0);
                c->tone_band = b;
              }
        }
      for (guint i = 0; i < report->n_columns; i++)
        {
          double t = report->time + i * report->column_seconds;
          float db = report->columns[i * report->n_bands + c->tone_band];

          g_assert_true (isfinite (db));
          for (guint b = 0; b < report->n_bands && c->first_sound < 0.0; b++)
            if (report->columns[i * report->n_bands + b] > -60.0f)
              c->first_sound = t;
          if (t <= c->last_column_time)
            c->columns_in_order = FALSE;
          c->last_column_time = t;
          if (t > cries[0].start + 0.5 && t < cries[0].end - 0.5)
            {
              c->cry_db += db;
              c->n_cry_db++;
            }
          else if (t > 1.0 && t < cries[0].start - 0.5)
            {
              c->noise_db += db;
              c->n_noise_db++;
            }
        }
      c->n_columns += report->n_columns;
      break;
    case CRADLE_MONITOR_REPORT_ALERT:
      if (c->alert_wall_us == 0)
        c->alert_wall_us = g_get_monotonic_time ();
      g_array_append_val (c->alert_times, report->event->alert);
      break;
    case CRADLE_MONITOR_REPORT_ESCALATED:
      g_assert_true (report->event->escalated);
      c->n_escalated++;
      break;
    case CRADLE_MONITOR_REPORT_ENDED:
      {
        EventSummary *s = g_new (EventSummary, 1);

        if (report->event->escalated)
          c->n_ended_escalated++;
        g_assert_no_error (report->error);
        *s = (EventSummary) { report->event->start, report->event->alert, report->event->end,
                              report->event->peak_confidence, report->event->mean_confidence,
                              report->event->clip_n };
        g_ptr_array_add (c->events, s);
        g_array_append_val (c->recording_ids, report->recording_id);
      }
      break;
    case CRADLE_MONITOR_REPORT_ERROR:
      c->n_errors++;
      g_ptr_array_add (c->messages, g_strdup (report->error->message));
      if (!report->fatal && report->retry_seconds > 0)
        c->n_retries++;
      if (report->fatal)
        {
          c->fatal_error = TRUE;
          g_clear_error (&c->error);
          c->error = g_error_copy (report->error);
        }
      break;
    case CRADLE_MONITOR_REPORT_STOPPED:
      c->stopped = TRUE;
      break;
    case CRADLE_MONITOR_REPORT_LISTENING:
      c->n_listening++;
      break;
    default:
      break;
    }
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  CradleAudio audio = { .sample_rate = 16000 };
  gsize n;

  f->tmp = g_dir_make_tmp ("cradle-monitor-XXXXXX", &error);
  g_assert_no_error (error);
  f->stream = g_build_filename (f->tmp, "stream.wav", NULL);
  x = cradle_test_noise_stream (STREAM_SECONDS, 0.02, 21, &n);
  for (guint i = 0; i < G_N_ELEMENTS (cries); i++)
    cradle_test_add_tone (x, n, cries[i].start, cries[i].end, cries[i].f0, 0.3);
  audio.samples = cradle_resample (x, n, CRADLE_TEST_MODEL_RATE, 16000, &audio.n_samples, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_audio_write (&audio, f->stream, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  g_free (audio.samples);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  cradle_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->stream);
}

static void
settings_for_tests (CradleDetectorSettings *s)
{
  cradle_detector_settings_init_default (s);
  s->window_seconds = 1.0;
  s->cause_after_seconds = 2.0;
  s->preroll_seconds = 2.0;
  /* 3.6 s: the 4 s and 5 s cries escalate. */
  s->escalate_minutes = 0.06;
}

/* The events of the detector alone on the file, as the CLI computed them
 * before it ran on CradleMonitor. */
static GPtrArray *
reference_events (const char *path)
{
  g_autoptr(CradleModel) detect = cradle_test_model_train (CRADLE_TASK_DETECT);
  g_autoptr(CradleModel) cause = cradle_test_model_train (CRADLE_TASK_CAUSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDetector) detector = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  CradleDetectorSettings s;
  CradleAudio *audio;
  CradleDetectorEvent *popped;
  gsize chunk;

  settings_for_tests (&s);
  detector = cradle_detector_new (detect, cause, &s, &error);
  g_assert_no_error (error);
  audio = cradle_audio_load (path, cradle_detector_get_rate (detector), &error);
  g_assert_no_error (error);
  chunk = (gsize) (CRADLE_MONITOR_CHUNK_SECONDS * audio->sample_rate);
  for (gsize off = 0; off <= audio->n_samples; off += chunk)
    {
      if (off < audio->n_samples)
        cradle_detector_push (detector, audio->samples + off, MIN (chunk, audio->n_samples - off));
      else
        cradle_detector_finish (detector);
      while ((popped = cradle_detector_pop (detector)) != NULL)
        {
          g_autoptr(CradleDetectorEvent) event = popped;
          EventSummary *sum;

          if (event->kind != CRADLE_DETECTOR_NOTICE_ENDED)
            continue;
          sum = g_new (EventSummary, 1);
          *sum = (EventSummary) { event->start, event->alert, event->end, event->peak_confidence,
                                  event->mean_confidence, event->clip_n };
          g_ptr_array_add (events, sum);
        }
    }
  cradle_audio_free (audio);
  return events;
}

/* Iterates CONTEXT until *COUNT reaches AT_LEAST; fails after SECONDS. */
static void
iterate_until_count (GMainContext *context,
                     const guint  *count,
                     guint         at_least,
                     double        seconds,
                     const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (*count < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no %s within %.0f s", what, seconds);
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
    }
}

static gboolean
collected_stopped (gpointer data)
{
  return ((Collected *) data)->stopped;
}

static void
iterate_until_stopped (GMainContext *context,
                       Collected    *c,
                       double        timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_seconds * G_USEC_PER_SEC);

  while (!collected_stopped (c))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
    }
}

static void
test_file_matches_detector (Fixture      *f,
                            gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->tmp, "dataset", NULL);
  g_autoptr(GPtrArray) expected = reference_events (f->stream);
  /* The global default context, which is also the worker's thread-default
   * one: reports must still wait for this thread to dispatch them. */
  GMainContext *context = g_main_context_default ();
  g_autoptr(CradleMonitor) monitor = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  CradleDetectorSettings s;
  Collected c;
  sqlite3_stmt *st = NULL;
  guint rows = 0;
  int alert_at = -1, ended_at = -1;

  g_assert_cmpuint (expected->len, ==, G_N_ELEMENTS (cries));
  collected_init (&c);
  settings_for_tests (&s);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT),
                                cradle_test_model_train (CRADLE_TASK_CAUSE), &s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cradle_monitor_get_rate (monitor), ==, CRADLE_TEST_MODEL_RATE);
  cradle_monitor_set_input_file (monitor, f->stream, FALSE);
  cradle_monitor_set_dataset_dir (monitor, dir);
  cradle_monitor_set_spectrum (monitor, TRUE);
  cradle_monitor_set_report_func (monitor, on_report, &c, context);
  g_assert_true (cradle_monitor_start (monitor, &error));
  g_assert_no_error (error);
  /* Starting twice is refused. */
  g_assert_false (cradle_monitor_start (monitor, &error));
  g_assert_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_RUNNING);
  g_clear_error (&error);

  /* Nothing is delivered while this thread does not iterate. */
  g_assert_true (cradle_monitor_join (monitor));
  g_assert_false (cradle_monitor_is_running (monitor));
  g_assert_cmpuint (c.kinds->len, ==, 0);
  iterate_until_stopped (context, &c, 60.0);
  /* Reports came in this thread, through the context. */
  g_assert_true (c.thread == g_thread_self ());
  g_assert_false (c.fatal_error);

  /* The same events, bit for bit. */
  g_assert_cmpuint (c.events->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const EventSummary *a = g_ptr_array_index (c.events, i);
      const EventSummary *b = g_ptr_array_index (expected, i);

      g_assert_cmpfloat (a->start, ==, b->start);
      g_assert_cmpfloat (a->alert, ==, b->alert);
      g_assert_cmpfloat (a->end, ==, b->end);
      g_assert_cmpfloat (a->peak, ==, b->peak);
      g_assert_cmpfloat (a->mean, ==, b->mean);
      g_assert_cmpuint (a->clip_n, ==, b->clip_n);
      g_assert_cmpfloat (fabs (a->start - cries[i].start), <=, 1.0);
    }
  g_assert_cmpuint (c.alert_times->len, ==, expected->len);
  /* Each event lasted over 3.6 s after its start: escalated once each. */
  g_assert_cmpuint (c.n_escalated, ==, expected->len);
  g_assert_cmpuint (c.n_ended_escalated, ==, expected->len);

  /* Order: the first ALERT before the first ENDED; STOPPED last. */
  for (guint i = 0; i < c.kinds->len; i++)
    {
      CradleMonitorReportKind kind = GPOINTER_TO_UINT (g_ptr_array_index (c.kinds, i));

      if (kind == CRADLE_MONITOR_REPORT_ALERT && alert_at < 0)
        alert_at = (int) i;
      if (kind == CRADLE_MONITOR_REPORT_ENDED && ended_at < 0)
        ended_at = (int) i;
    }
  g_assert_cmpint (alert_at, >=, 0);
  g_assert_cmpint (alert_at, <, ended_at);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (c.kinds, c.kinds->len - 1)), ==,
                    CRADLE_MONITOR_REPORT_STOPPED);
  g_assert_cmpuint (c.n_status, >=, 1);

  /* The spectrum covers the stream, in order, and shows the tone: its band
   * is at least 20 dB louder in the cry than in the noise before it. */
  g_assert_true (c.columns_in_order);
  g_assert_cmpfloat (c.last_column_time, >, STREAM_SECONDS - 1.0);
  g_assert_cmpuint (c.n_columns, >, (guint) (STREAM_SECONDS / 0.033));
  g_assert_cmpuint (c.n_cry_db, >, 0);
  g_assert_cmpuint (c.n_noise_db, >, 0);
  g_test_message ("tone band: cry %.1f dB, noise %.1f dB", c.cry_db / c.n_cry_db,
                  c.noise_db / c.n_noise_db);
  g_assert_cmpfloat (c.cry_db / c.n_cry_db - c.noise_db / c.n_noise_db, >, 20.0);

  /* Saved as the CLI saves: predicted recordings and monitor_events rows. */
  dataset = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < c.recording_ids->len; i++)
    {
      gint64 id = g_array_index (c.recording_ids, gint64, i);
      const EventSummary *e = g_ptr_array_index (c.events, i);
      g_autoptr(CradleRecording) rec = cradle_dataset_get_recording (dataset, id, &error);

      g_assert_no_error (error);
      g_assert_cmpint (rec->label_status, ==, CRADLE_LABEL_STATUS_PREDICTED);
      g_assert_cmpstr (rec->source, ==, "monitor");
      g_assert_cmpuint (rec->sample_rate, ==, CRADLE_TEST_MODEL_RATE);
      g_assert_cmpfloat_with_epsilon (rec->duration, e->end - e->start + 2.0, 0.01);
      g_assert_cmpfloat_with_epsilon (rec->confidence, e->peak, 1e-6);
    }
  g_assert_cmpint (
      sqlite3_prepare_v2 (cradle_dataset_get_db (dataset),
                          "SELECT recording_id, causes FROM monitor_events ORDER BY id", -1, &st,
                          NULL),
      ==, SQLITE_OK);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int64 (st, 0), ==,
                       g_array_index (c.recording_ids, gint64, rows));
      g_assert_nonnull (strstr ((const char *) sqlite3_column_text (st, 1), "\"pain\""));
      rows++;
    }
  sqlite3_finalize (st);
  g_assert_cmpuint (rows, ==, G_N_ELEMENTS (cries));
  {
    g_autoptr(CradleRecording) pain = cradle_dataset_get_recording (
        dataset, g_array_index (c.recording_ids, gint64, 1), &error);
    g_autoptr(CradleRecording) hunger = cradle_dataset_get_recording (
        dataset, g_array_index (c.recording_ids, gint64, 2), &error);

    g_assert_cmpstr (pain->label, ==, "pain");
    g_assert_cmpstr (hunger->label, ==, "hunger");
  }
  collected_clear (&c);
}

/* A file read in real time, stopped after half a second: the worker ends
 * at once, reports STOPPED last, and a freed monitor drops what is queued. */
static void
test_stop_joins (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  CradleMonitor *monitor;
  CradleDetectorSettings s;
  Collected c;
  gint64 t0;

  collected_init (&c);
  settings_for_tests (&s);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  cradle_monitor_set_input_file (monitor, f->stream, TRUE);
  cradle_monitor_set_spectrum (monitor, TRUE);
  cradle_monitor_set_report_func (monitor, on_report, &c, context);
  g_assert_true (cradle_monitor_start (monitor, &error));
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_true (cradle_monitor_is_running (monitor));
  t0 = g_get_monotonic_time ();
  cradle_monitor_stop (monitor);
  g_assert_true (cradle_monitor_join (monitor));
  g_test_message ("joined %.0f ms after stop", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC / 2);
  iterate_until_stopped (context, &c, 5.0);
  g_assert_cmpuint (c.events->len, ==, 0);
  g_assert_cmpuint (c.n_status, >=, 2);
  cradle_monitor_free (monitor);
  collected_clear (&c);

  /* Freed while reports are still queued: none is delivered afterwards. */
  collected_init (&c);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  cradle_monitor_set_input_file (monitor, f->stream, FALSE);
  cradle_monitor_set_spectrum (monitor, TRUE);
  cradle_monitor_set_report_func (monitor, on_report, &c, context);
  g_assert_true (cradle_monitor_start (monitor, &error));
  cradle_monitor_free (monitor);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpuint (c.kinds->len, ==, 0);
  collected_clear (&c);
}

static void
test_errors (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->tmp, "missing.wav", NULL);
  g_autoptr(GError) error = NULL;
  CradleDetectorSettings s;
  CradleMonitor *monitor;
  Collected c;

  settings_for_tests (&s);

  /* A cause model is not a detect model (and is freed by new). */
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_CAUSE), NULL, &s, &error);
  g_assert_null (monitor);
  g_assert_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_MODEL);
  g_clear_error (&error);

  /* No source. */
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  g_assert_false (cradle_monitor_start (monitor, &error));
  g_assert_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_NO_SOURCE);
  g_clear_error (&error);

  /* A missing file: a fatal error naming it, then STOPPED; on the worker
   * thread without a context. */
  collected_init (&c);
  cradle_monitor_set_input_file (monitor, missing, FALSE);
  cradle_monitor_set_report_func (monitor, on_report, &c, NULL);
  g_assert_true (cradle_monitor_start (monitor, &error));
  g_assert_false (cradle_monitor_join (monitor));
  g_assert_true (c.stopped);
  g_assert_true (c.fatal_error);
  g_assert_false (c.thread == g_thread_self ());
  g_assert_nonnull (strstr (c.error->message, "missing.wav"));
  cradle_monitor_free (monitor);
  collected_clear (&c);
}

/* The private PulseAudio daemon's null source: a real cry from
 * ../shared/data played into it raises an alert within 3 s, and a device
 * name that matches nothing is a fatal error. */
static void
test_device (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(CradleTestPulse) pulse = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autofree char *cry = NULL;
  g_autofree char *dir = g_build_filename (f->tmp, "live", NULL);
  CradleDetectorSettings s;
  CradleMonitor *monitor;
  Collected c;
  gint64 listening_deadline, played_us, deadline;
  gboolean listening = FALSE;

  if (cradle_test_shared_data () == NULL)
    {
      g_test_skip ("../shared/data is missing: no real cry to play");
      return;
    }
  cry = g_build_filename (cradle_test_shared_data (), "detection", "cry", "margot_m4a_3.flac",
                          NULL);
  if (!g_file_test (cry, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("../shared/data/detection/cry/margot_m4a_3.flac is missing");
      return;
    }
  pulse = cradle_test_pulse_start (&reason);
  if (pulse == NULL)
    {
      g_test_skip (reason);
      return;
    }

  /* No such device: fatal at the first attempt. */
  collected_init (&c);
  settings_for_tests (&s);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  cradle_monitor_set_device (monitor, "no such microphone anywhere");
  cradle_monitor_set_report_func (monitor, on_report, &c, NULL);
  g_assert_true (cradle_monitor_start (monitor, &error));
  g_assert_false (cradle_monitor_join (monitor));
  g_assert_true (c.fatal_error);
  g_assert_error (c.error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE);
  cradle_monitor_free (monitor);
  collected_clear (&c);

  /* The default source (the null sink's monitor), a real cry. */
  collected_init (&c);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  cradle_monitor_set_device (monitor, NULL);
  cradle_monitor_set_dataset_dir (monitor, dir);
  cradle_monitor_set_spectrum (monitor, TRUE);
  cradle_monitor_set_report_func (monitor, on_report, &c, context);
  g_assert_true (cradle_monitor_start (monitor, &error));
  listening_deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!listening)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, listening_deadline);
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
      for (guint i = 0; i < c.kinds->len && !listening; i++)
        listening
            = GPOINTER_TO_UINT (g_ptr_array_index (c.kinds, i)) == CRADLE_MONITOR_REPORT_LISTENING;
    }
  /* Audio flows (a fresh daemon takes about 2 s), then a second of room
   * tone: digital silence, so the cry's start is the first sound. */
  iterate_until_count (context, &c.n_status, 1, 60.0, "first audio");
  g_usleep (G_USEC_PER_SEC);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpuint (c.alert_times->len, ==, 0);
  g_assert_cmpfloat (c.first_sound, <, 0.0);
  played_us = g_get_monotonic_time ();
  player = cradle_test_pulse_play (pulse, cry);
  deadline = played_us + 60 * G_USEC_PER_SEC;
  while (c.alert_wall_us == 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
    }
  g_assert_true (g_subprocess_wait_check (player, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c.alert_wall_us, >, 0);
  /* Within 3 s of the cry's start, in stream time (the room is digital
   * silence until the cry plays), so a loaded machine that runs the worker
   * late does not move either. */
  g_assert_cmpfloat (c.first_sound, >=, 0.0);
  g_test_message ("sound from %.2f s, alert at %.2f s (stream time; %.2f s after paplay started)",
                  c.first_sound, g_array_index (c.alert_times, double, 0),
                  (c.alert_wall_us - played_us) / 1e6);
  g_assert_cmpfloat (g_array_index (c.alert_times, double, 0), >=, c.first_sound);
  g_assert_cmpfloat (g_array_index (c.alert_times, double, 0) - c.first_sound, <=, 3.0);
  g_assert_cmpuint (c.n_columns, >, 0);

  /* The chime, played by the worker on the default output (the null
   * sink), comes back through its monitor source: loud, where the room
   * was digital silence once the cry ended. */
  g_usleep (G_USEC_PER_SEC);
  while (g_main_context_iteration (context, FALSE))
    ;
  c.max_peak_dbfs = -200.0f;
  {
    gsize n;
    g_autofree float *chime = cradle_monitor_make_chime (16000, &n);
    float peak = 0.0f;

    for (gsize i = 0; i < n; i++)
      peak = MAX (peak, fabsf (chime[i]));
    g_assert_cmpfloat (peak, >, 0.2f);
    g_assert_cmpfloat (peak, <, 0.5f);
  }
  cradle_monitor_chime (monitor);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (c.max_peak_dbfs < -20.0f && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
    }
  g_test_message ("loudest status peak with the chime: %.1f dBFS", (double) c.max_peak_dbfs);
  g_assert_cmpfloat (c.max_peak_dbfs, >=, -20.0f);
  g_assert_cmpuint (c.n_errors, ==, 0);

  /* Stop: the open event ends, is saved, and STOPPED comes last. */
  cradle_monitor_stop (monitor);
  iterate_until_stopped (context, &c, 10.0);
  g_assert_true (cradle_monitor_join (monitor));
  g_assert_cmpuint (c.events->len, >=, 1);
  g_assert_cmpint (g_array_index (c.recording_ids, gint64, 0), >, 0);
  cradle_monitor_free (monitor);
  collected_clear (&c);
}

static gboolean
messages_contain (Collected  *c,
                  const char *text)
{
  for (guint i = 0; i < c->messages->len; i++)
    if (strstr (g_ptr_array_index (c->messages, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The sound server is SIGKILLed while the monitor listens: the worker
 * reports the lost device, retries with back-off, hears the server once
 * it is back, and stops promptly when asked. With STUCK, PortAudio's stop
 * never returns (held, as under ASan with a killed daemon): each stop gives
 * up after its timeout and says so, and the monitor carries on all the
 * same. */
static void
run_server_killed (gboolean stuck)
{
  g_autofree char *reason = NULL;
  g_autoptr(CradleTestPulse) pulse = NULL;
  g_autoptr(CradleTestPulse) pulse2 = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  CradleTestWatchdog *watchdog;
  CradleDetectorSettings s;
  CradleMonitor *monitor;
  Collected c;
  gint64 t0;

  pulse = cradle_test_pulse_start (&reason);
  if (pulse == NULL)
    {
      g_test_skip (reason);
      return;
    }
  collected_init (&c);
  settings_for_tests (&s);
  monitor = cradle_monitor_new (cradle_test_model_train (CRADLE_TASK_DETECT), NULL, &s, &error);
  g_assert_no_error (error);
  cradle_monitor_set_device (monitor, NULL);
  cradle_monitor_set_report_func (monitor, on_report, &c, context);
  g_assert_true (cradle_monitor_start (monitor, &error));
  iterate_until_count (context, &c.n_listening, 1, 30.0, "LISTENING");
  iterate_until_count (context, &c.n_status, 1, 30.0, "first audio");

  if (stuck)
    cradle_portaudio_hold_closes_for_tests (TRUE);
  cradle_test_pulse_kill (pulse);
  t0 = g_get_monotonic_time ();
  /* A retry, then another once the first reopen failed too. */
  iterate_until_count (context, &c.n_retries, 2, 30.0, "two errors with a retry after the kill");
  g_test_message ("%.1f s after the kill: %s", (g_get_monotonic_time () - t0) / 1e6,
                  (char *) g_ptr_array_index (c.messages, 0));
  g_assert_false (c.fatal_error);
  if (stuck)
    {
      g_assert_true (messages_contain (&c, "did not stop within 4 s"));
      g_assert_cmpuint (cradle_portaudio_get_n_left_streams (), ==, 1);
    }

  /* The server is back: the worker's back-off finds it. */
  pulse2 = cradle_test_pulse_start (&reason);
  g_assert_nonnull (pulse2);
  iterate_until_count (context, &c.n_listening, 2, 60.0, "LISTENING after the server came back");
  g_test_message ("listening again %.1f s after the kill, after %u retries",
                  (g_get_monotonic_time () - t0) / 1e6, c.n_retries);

  /* Stop: prompt, and bounded even when the device does not stop. */
  watchdog = cradle_test_watchdog_start ("stopping the monitor", 10);
  cradle_monitor_stop (monitor);
  iterate_until_stopped (context, &c, 10.0);
  g_assert_false (c.fatal_error);
  g_assert_true (cradle_monitor_join (monitor));
  cradle_test_watchdog_stop (watchdog);
  if (stuck)
    {
      /* The last stop was left too, and said so. */
      g_assert_cmpuint (cradle_portaudio_get_n_left_streams (), >=, 2);
      g_assert_cmpstr (g_ptr_array_index (c.messages, c.messages->len - 1), ==,
                       "The sound device “default” did not stop within 4 s; it is left open "
                       "until it does (restarting Cradle frees it)");
      cradle_portaudio_hold_closes_for_tests (FALSE);
      t0 = g_get_monotonic_time ();
      while (cradle_portaudio_get_n_left_streams () > 0)
        {
          g_assert_cmpint (g_get_monotonic_time () - t0, <, 20 * G_USEC_PER_SEC);
          g_usleep (10000);
        }
    }
  cradle_monitor_free (monitor);
  collected_clear (&c);
}

static void
test_device_server_killed (Fixture      *f,
                           gconstpointer data)
{
  run_server_killed (FALSE);
}

static void
test_device_stuck_stop (Fixture      *f,
                        gconstpointer data)
{
  run_server_killed (TRUE);
}

static void
count_progress (guint    saved,
                guint    total,
                double   seconds_done,
                gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (saved, <=, total);
  g_assert_cmpfloat (seconds_done, >=, *last);
  *last = seconds_done;
}

/* Room calibration: two seconds of the private daemon's source in 1 s
 * clips, saved as confirmed background; a cancelled run saves nothing. */
static void
test_record_background (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(CradleTestPulse) pulse = cradle_test_pulse_start (&reason);
  g_autofree char *dir = g_build_filename (f->tmp, "room", NULL);
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) player = NULL;
  double last = 0.0;
  int saved;

  if (pulse == NULL)
    {
      g_test_skip (reason);
      return;
    }
  dataset = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  player = cradle_test_pulse_play (pulse, f->stream);
  saved = cradle_monitor_record_background (dataset, NULL, 16000, 2.0, 1.0, count_progress, &last,
                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved, ==, 2);
  g_assert_cmpfloat_with_epsilon (last, 2.0, 1e-6);
  recordings = cradle_dataset_list_recordings (dataset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recordings->len, ==, 2);
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *rec = g_ptr_array_index (recordings, i);

      g_assert_cmpstr (rec->label, ==, "background");
      g_assert_cmpint (rec->label_status, ==, CRADLE_LABEL_STATUS_CONFIRMED);
      g_assert_cmpuint (rec->sample_rate, ==, 16000);
      g_assert_cmpfloat_with_epsilon (rec->duration, 1.0, 1e-3);
    }

  g_cancellable_cancel (cancellable);
  saved = cradle_monitor_record_background (dataset, NULL, 16000, 2.0, 1.0, NULL, NULL, cancellable,
                                            &error);
  g_assert_cmpint (saved, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/monitor/file-matches-detector", Fixture, NULL, fixture_setup,
              test_file_matches_detector, fixture_teardown);
  g_test_add ("/core/monitor/stop-joins", Fixture, NULL, fixture_setup, test_stop_joins,
              fixture_teardown);
  g_test_add ("/core/monitor/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/core/monitor/device", Fixture, NULL, fixture_setup, test_device, fixture_teardown);
  g_test_add ("/core/monitor/device-server-killed", Fixture, NULL, fixture_setup,
              test_device_server_killed, fixture_teardown);
  g_test_add ("/core/monitor/device-stuck-stop", Fixture, NULL, fixture_setup,
              test_device_stuck_stop, fixture_teardown);
  g_test_add ("/core/monitor/record-background", Fixture, NULL, fixture_setup,
              test_record_background, fixture_teardown);
  return g_test_run ();
}
