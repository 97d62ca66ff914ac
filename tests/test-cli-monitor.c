/* test-cli-monitor.c — monitor, evaluate-stream and tune-detector, end to end
 *
 * A 40 s stream at 16 kHz (noise with three tone "cries"), its Audacity
 * label file and the tiny models of cradle-test-model.c, saved to files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
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
  char *labels;
  char *detect;
  char *cause;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleModel) detect = cradle_test_model_train (CRADLE_TASK_DETECT);
  g_autoptr(CradleModel) cause = cradle_test_model_train (CRADLE_TASK_CAUSE);
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree float *x = NULL;
  CradleAudio audio = { .sample_rate = 16000 };
  gsize n;

  f->tmp = g_dir_make_tmp ("cradle-cli-monitor-XXXXXX", &error);
  g_assert_no_error (error);
  f->stream = g_build_filename (f->tmp, "stream.wav", NULL);
  f->labels = g_build_filename (f->tmp, "stream.txt", NULL);
  f->detect = g_build_filename (f->tmp, "detect.model", NULL);
  f->cause = g_build_filename (f->tmp, "cause.model", NULL);

  x = cradle_test_noise_stream (STREAM_SECONDS, 0.02, 21, &n);
  for (guint i = 0; i < G_N_ELEMENTS (cries); i++)
    {
      cradle_test_add_tone (x, n, cries[i].start, cries[i].end, cries[i].f0, 0.3);
      g_string_append_printf (labels, "%.6f\t%.6f\tcry\n", cries[i].start, cries[i].end);
    }
  /* At 16 kHz, so the command resamples to the model's 8 kHz. */
  audio.samples = cradle_resample (x, n, CRADLE_TEST_MODEL_RATE, 16000, &audio.n_samples, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_audio_write (&audio, f->stream, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  g_free (audio.samples);
  g_assert_true (g_file_set_contents (f->labels, labels->str, -1, &error));
  g_assert_true (cradle_model_save (detect, f->detect, &error));
  g_assert_true (cradle_model_save (cause, f->cause, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  cradle_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->stream);
  g_free (f->labels);
  g_free (f->detect);
  g_free (f->cause);
}

/* (element-type JsonObject) one per line of OUT */
static GPtrArray *
parse_lines (const char *out)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonNode *root;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      root = json_parser_get_root (parser);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (root)));
    }
  return objects;
}

static void
test_help_and_usage (Fixture      *f,
                     gconstpointer data)
{
  const char *commands[] = { "monitor", "evaluate-stream", "tune-detector" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CradleTestRun) r = { 0 };

      cradle_test_run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, "--json"));
      g_assert_nonnull (strstr (r.out, "--threshold"));
      g_assert_nonnull (strstr (r.out, "--window"));
    }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "monitor", "--help", NULL);
    g_assert_nonnull (strstr (r.out, "--device"));
    g_assert_nonnull (strstr (r.out, "--realtime"));
    g_assert_nonnull (strstr (r.out, "--no-save"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "monitor", "--model", f->detect, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--input"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "monitor", "--model", f->detect, "--input", f->stream, "--device", "x", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "monitor", "--model", f->detect, "--input", f->stream, "--no-save",
                         "--alpha", "0", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "alpha"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "evaluate-stream", "--model", f->detect, "--input", f->stream, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    /* A cause model is not a detect model. */
    cradle_test_run_cli (&r, "monitor", "--model", f->cause, "--input", f->stream, "--no-save", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "detect"));
  }
}

static void
check_events (GPtrArray *events)
{
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (cries));
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *o = g_ptr_array_index (events, i);
      double start = json_object_get_double_member (o, "start");
      double alert = json_object_get_double_member (o, "alert");
      double end = json_object_get_double_member (o, "end");

      g_assert_cmpfloat (fabs (start - cries[i].start), <=, 1.0);
      g_assert_cmpfloat (alert - cries[i].start, >=, 0.0);
      g_assert_cmpfloat (alert - cries[i].start, <=, 1.5);
      g_assert_cmpfloat (fabs (end - cries[i].end), <=, 1.5);
      g_assert_cmpfloat (json_object_get_double_member (o, "confidence"), >, 0.9);
      g_assert_true (json_object_has_member (o, "cause"));
    }
}

static void
test_monitor_file (Fixture      *f,
                   gconstpointer data)
{
  g_auto(CradleTestRun) r = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  cradle_test_run_cli (&r, "monitor", "--model", f->detect, "--input", f->stream, "--no-save", "--json",
                       "--window", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  events = parse_lines (r.out);
  check_events (events);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *o = g_ptr_array_index (events, i);

      g_assert_true (json_object_get_null_member (o, "cause"));
      g_assert_false (json_object_has_member (o, "recording_id"));
    }
}

static void
test_monitor_saves (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->tmp, "dataset", NULL);
  g_auto(CradleTestRun) r = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *s = NULL;
  guint rows = 0;

  cradle_test_run_cli (&r, "monitor", "--model", f->detect, "--cause-model", f->cause, "--input", f->stream,
                       "--dataset", dir, "--json", "--window", "1", "--cause-after", "2", "--preroll", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  events = parse_lines (r.out);
  check_events (events);
  /* The cause model hears the low cry as hunger and the high one as pain. */
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 1), "cause"), ==, "pain");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 2), "cause"), ==, "hunger");

  dataset = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *o = g_ptr_array_index (events, i);
      gint64 id = json_object_get_int_member (o, "recording_id");
      g_autoptr(CradleRecording) rec = cradle_dataset_get_recording (dataset, id, &error);
      double clip = json_object_get_double_member (o, "clip_seconds");

      g_assert_no_error (error);
      g_assert_cmpstr (rec->label, ==, json_object_get_string_member (o, "cause"));
      g_assert_cmpint (rec->label_status, ==, CRADLE_LABEL_STATUS_PREDICTED);
      g_assert_cmpuint (rec->sample_rate, ==, CRADLE_TEST_MODEL_RATE);
      g_assert_cmpfloat_with_epsilon (rec->confidence, json_object_get_double_member (o, "confidence"), 1e-6);
      /* 2 s of pre-roll before the event. */
      g_assert_cmpfloat_with_epsilon (clip, json_object_get_double_member (o, "end")
                                            - json_object_get_double_member (o, "start") + 2.0, 0.01);
    }
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (dataset),
                                       "SELECT recording_id, peak_confidence, causes, reviewed"
                                       " FROM monitor_events ORDER BY id", -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *o = g_ptr_array_index (events, rows);

      g_assert_cmpint (sqlite3_column_int64 (s, 0), ==, json_object_get_int_member (o, "recording_id"));
      g_assert_cmpfloat_with_epsilon (sqlite3_column_double (s, 1),
                                      json_object_get_double_member (o, "confidence"), 1e-6);
      g_assert_nonnull (strstr ((const char *) sqlite3_column_text (s, 2), "\"hunger\""));
      g_assert_cmpint (sqlite3_column_int (s, 3), ==, 0);
      rows++;
    }
  sqlite3_finalize (s);
  g_assert_cmpuint (rows, ==, G_N_ELEMENTS (cries));
}

static void
test_evaluate_stream (Fixture      *f,
                      gconstpointer data)
{
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) sweep = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) sweep_lines = NULL;
  JsonObject *o;

  cradle_test_run_cli (&r, "evaluate-stream", "--model", f->detect, "--input", f->stream,
                       "--labels", f->labels, "--window", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = parse_lines (r.out);
  g_assert_cmpuint (lines->len, ==, 1);
  o = g_ptr_array_index (lines, 0);
  g_assert_cmpint (json_object_get_int_member (o, "cries"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "detected"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (o, "recall"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (o, "false_alarms"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "false_alarms_per_hour"), ==, 0.0);
  /* 40 s minus 13 s of cries. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "non_cry_hours"), 27.0 / 3600.0, 1e-4);
  g_assert_cmpfloat (json_object_get_double_member (o, "delay_median"), >=, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "delay_median"), <=, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "delay_p95"), >=,
                     json_object_get_double_member (o, "delay_median"));
  g_assert_cmpfloat (json_object_get_double_member (o, "realtime_factor"), >, 1.0);

  cradle_test_run_cli (&sweep, "evaluate-stream", "--model", f->detect, "--input", f->stream,
                       "--labels", f->labels, "--window", "1", "--sweep", "--json", NULL);
  g_assert_cmpint (sweep.status, ==, 0);
  sweep_lines = parse_lines (sweep.out);
  g_assert_cmpuint (sweep_lines->len, ==, 9);
  for (guint i = 0; i < sweep_lines->len; i++)
    {
      o = g_ptr_array_index (sweep_lines, i);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "threshold"), 0.1 * (i + 1), 1e-9);
      g_assert_cmpint (json_object_get_int_member (o, "cries"), ==, 3);
    }
  /* The default threshold (0.5) is the fifth line, and scores the same. */
  o = g_ptr_array_index (sweep_lines, 4);
  g_assert_cmpint (json_object_get_int_member (o, "detected"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "false_alarms"), ==, 0);
}

/* tune-detector: one model run, the grid, the choice written into the
 * model file, and evaluate-stream then scoring with it by default. */
static void
test_tune_detector (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *tuned = g_build_filename (f->tmp, "tuned.model", NULL);
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) eval = { 0 };
  g_auto(CradleTestRun) table = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) eval_lines = NULL;
  JsonObject *chosen = NULL, *o;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GError) error = NULL;

  cradle_test_run_cli (&r, "tune-detector", "--model", f->detect, "--input", f->stream,
                       "--labels", f->labels, "--window", "1", "--hop", "0.25", "--alpha", "1",
                       "--out", tuned, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = parse_lines (r.out);
  g_assert_cmpuint (lines->len, ==, 14 * 4);
  for (guint i = 0; i < lines->len; i++)
    {
      o = g_ptr_array_index (lines, i);
      g_assert_cmpint (json_object_get_int_member (o, "cries"), ==, 3);
      if (json_object_get_boolean_member (o, "chosen"))
        {
          g_assert_null (chosen);
          chosen = o;
        }
    }
  g_assert_nonnull (chosen);
  g_assert_cmpint (json_object_get_int_member (chosen, "detected"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (chosen, "false_alarms"), ==, 0);

  /* The file holds the choice; evaluate-stream uses it without options
   * and scores exactly what the replay scored. */
  model = cradle_model_load (tuned, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cradle_model_get_detector (model));
  cradle_test_run_cli (&eval, "evaluate-stream", "--model", tuned, "--input", f->stream,
                       "--labels", f->labels, "--json", NULL);
  g_assert_cmpint (eval.status, ==, 0);
  eval_lines = parse_lines (eval.out);
  o = g_ptr_array_index (eval_lines, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "threshold"), ==,
                     json_object_get_double_member (chosen, "threshold"));
  g_assert_cmpint (json_object_get_int_member (o, "detected"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "false_alarms"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "delay_median"), ==,
                     json_object_get_double_member (chosen, "delay_median"));
  g_assert_cmpfloat (json_object_get_double_member (o, "delay_p95"), ==,
                     json_object_get_double_member (chosen, "delay_p95"));

  /* The table, and what tune-detector refuses. */
  cradle_test_run_cli (&table, "tune-detector", "--model", tuned, "--input", f->stream,
                       "--labels", f->labels, NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "← chosen"));
  g_assert_nonnull (strstr (table.out, "Chosen: threshold"));
  {
    g_auto(CradleTestRun) u = { 0 };

    cradle_test_run_cli (&u, "tune-detector", "--model", f->detect, "--input", f->stream,
                         "--labels", f->labels, "--threshold", "0.5", NULL);
    g_assert_cmpint (u.status, ==, 2);
    g_assert_nonnull (strstr (u.err, "chooses --threshold"));
  }
  {
    g_auto(CradleTestRun) u = { 0 };

    cradle_test_run_cli (&u, "tune-detector", "--model", f->detect, "--input", f->stream,
                         "--input", f->stream, "--labels", f->labels, NULL);
    g_assert_cmpint (u.status, ==, 2);
    g_assert_nonnull (strstr (u.err, "one --labels per --input"));
  }
  {
    g_auto(CradleTestRun) u = { 0 };

    cradle_test_run_cli (&u, "tune-detector", "--model", f->detect, "--input", f->stream,
                         "--labels", f->stream, NULL);
    g_assert_cmpint (u.status, ==, 1);
    g_assert_nonnull (strstr (u.err, "stream.wav"));
  }
  {
    g_auto(CradleTestRun) u = { 0 };
    g_autofree char *empty = g_build_filename (f->tmp, "empty.txt", NULL);

    g_assert_true (g_file_set_contents (empty, "", 0, NULL));
    cradle_test_run_cli (&u, "tune-detector", "--model", f->detect, "--input", f->stream,
                         "--labels", empty, NULL);
    g_assert_cmpint (u.status, ==, 1);
    g_assert_nonnull (strstr (u.err, "no cries"));
  }
}

/* Writes X (N samples at the test models' rate) to PATH at 16 kHz. */
static void
write_16k (const char  *path,
           const float *x,
           gsize        n)
{
  g_autoptr(GError) error = NULL;
  CradleAudio audio = { .sample_rate = 16000 };

  audio.samples = cradle_resample (x, n, CRADLE_TEST_MODEL_RATE, 16000, &audio.n_samples, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_audio_write (&audio, path, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  g_free (audio.samples);
}

/* The stream time of the last window in the trace file PATH that heard
 * sound (was not gated), or -1 when there is none yet. */
static double
last_heard_time (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  double last = -1.0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1.0;
  lines = g_strsplit (contents, "\n", -1);
  /* The header, then complete lines only (the last may be half written). */
  for (guint i = 1; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (fields) == 4 && g_str_equal (fields[3], "0"))
        last = g_ascii_strtod (fields[0], NULL);
    }
  return last;
}

/* Whether PATH holds at least one complete line. */
static gboolean
has_line (const char *path)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strchr (contents, '\n') != NULL;
}

/* Live: a tone "cry" played over room noise into a private PulseAudio
 * daemon's null sink, heard by `monitor --device default` through its
 * monitor source. The room noise plays throughout, so the monitor never
 * hears the edge between digital silence and sound (a window half silent
 * is trimmed, normalised and may look like a cry to the tiny model).
 * Nothing waits a fixed time: the cry is played once the monitor's trace
 * shows it analysing the room, and Ctrl+C comes once the event has been
 * printed, each with a generous deadline, so a loaded machine is only
 * slower. What is checked is in stream time. */
static void
test_monitor_device (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(CradleTestPulse) pulse = cradle_test_pulse_start (&reason);
  g_autofree char *room = NULL;
  g_autofree char *cry = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *err_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) monitor = NULL;
  g_autoptr(GSubprocess) room_player = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  CradleTestWatchdog *watchdog;
  JsonObject *o;
  double played_at;
  gint64 deadline;

  if (pulse == NULL)
    {
      g_test_skip (reason);
      return;
    }
  room = g_build_filename (f->tmp, "room.wav", NULL);
  cry = g_build_filename (f->tmp, "cry.wav", NULL);
  trace = g_build_filename (f->tmp, "trace.tsv", NULL);
  out_path = g_build_filename (f->tmp, "monitor.out", NULL);
  err_path = g_build_filename (f->tmp, "monitor.err", NULL);
  {
    gsize n;
    g_autofree float *x = cradle_test_noise_stream (180.0, 0.02, 31, &n);

    write_16k (room, x, n);
  }
  {
    gsize n = (gsize) (8.0 * CRADLE_TEST_MODEL_RATE);
    g_autofree float *x = g_new0 (float, n);

    cradle_test_add_tone (x, n, 2.0, 6.0, 450.0, 0.3);
    write_16k (cry, x, n);
  }
  room_player = cradle_test_pulse_play (pulse, room);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  g_subprocess_launcher_unsetenv (launcher, "CRADLE_DATASET");
  /* ALSA's pulse plugin, dlopen()ed by PortAudio, leaks by design (see
   * the capture test in meson.build): no leak check in this child. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  monitor = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CRADLE_CLI"), "monitor", "--model",
                                         f->detect, "--device", "default", "--no-save", "--json", "--window",
                                         "1", "--trace", trace, NULL);
  g_assert_no_error (error);

  /* Play once the monitor analyses the room: its trace has a window that
   * heard sound. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((played_at = last_heard_time (trace)) < 0.0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the monitor analysed no room noise within 60 s");
      g_usleep (G_USEC_PER_SEC / 20);
    }
  g_test_message ("playing at stream time %.2f s or later", played_at);
  player = cradle_test_pulse_play (pulse, cry);
  g_assert_true (g_subprocess_wait_check (player, NULL, &error));
  g_assert_no_error (error);

  /* The event is printed when it ends, in the room noise after the tone. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!has_line (out_path))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the monitor printed no event within 60 s of the end of the stream");
      g_usleep (G_USEC_PER_SEC / 20);
    }

  /* Ctrl+C: the monitor ends cleanly and reports what it heard. */
  watchdog = cradle_test_watchdog_start ("cradle-cli monitor's exit after Ctrl+C", 60);
  g_subprocess_send_signal (monitor, SIGINT);
  g_assert_true (g_subprocess_wait (monitor, NULL, &error));
  cradle_test_watchdog_stop (watchdog);
  g_assert_no_error (error);
  g_subprocess_force_exit (room_player);
  g_subprocess_wait (room_player, NULL, NULL);
  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  g_test_message ("monitor said: %s", err);
  {
    g_autofree char *windows = NULL;

    g_assert_true (g_file_get_contents (trace, &windows, NULL, NULL));
    g_test_message ("its windows:\n%s", windows);
  }
  g_assert_true (g_subprocess_get_if_exited (monitor));
  g_assert_cmpint (g_subprocess_get_exit_status (monitor), ==, 0);
  events = parse_lines (out);
  g_assert_cmpuint (events->len, ==, 1);
  o = g_ptr_array_index (events, 0);
  g_test_message ("event %.2f–%.2f s, alert at %.2f s (stream time)",
                  json_object_get_double_member (o, "start"), json_object_get_double_member (o, "end"),
                  json_object_get_double_member (o, "alert"));
  /* Stream time starts when the device delivers its first samples, so the
   * tone (2 s into its file, played after stream time PLAYED_AT) starts
   * later than PLAYED_AT + 2 s, whatever the latency; the event's start
   * may lead the tone by up to a window (the file test allows 1 s). */
  g_assert_cmpfloat (json_object_get_double_member (o, "start"), >, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "start"), >=, played_at + 1.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "alert") - json_object_get_double_member (o, "start"),
                     <=, 1.5);
  /* About the tone's 4 s. The start is half a window before the end of the
   * first window whose EMA reaches the on threshold (up to 0.5 s early);
   * the end is the end of the last window whose EMA is still above the off
   * threshold, which trails the tone by up to a window and a hop (1.5 s).
   * Where the tone falls on the 0.5 s window grid depends on when paplay
   * starts, so the length moves by a hop from run to run (5.5 s is
   * usual): the bounds are what these rules allow, not one run's value. */
  g_assert_cmpfloat (json_object_get_double_member (o, "end") - json_object_get_double_member (o, "start"),
                     >=, 4.0 - 0.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "end") - json_object_get_double_member (o, "start"),
                     <=, 4.0 + 0.5 + 1.5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/monitor/help-and-usage", Fixture, NULL, fixture_setup, test_help_and_usage,
              fixture_teardown);
  g_test_add ("/cli/monitor/file", Fixture, NULL, fixture_setup, test_monitor_file, fixture_teardown);
  g_test_add ("/cli/monitor/saves-events", Fixture, NULL, fixture_setup, test_monitor_saves,
              fixture_teardown);
  g_test_add ("/cli/monitor/evaluate-stream", Fixture, NULL, fixture_setup, test_evaluate_stream,
              fixture_teardown);
  g_test_add ("/cli/monitor/tune-detector", Fixture, NULL, fixture_setup, test_tune_detector,
              fixture_teardown);
  g_test_add ("/cli/monitor/device", Fixture, NULL, fixture_setup, test_monitor_device, fixture_teardown);
  return g_test_run ();
}
