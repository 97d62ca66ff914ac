/* cradle-cli-monitor.c — monitor, evaluate-stream and tune-detector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cradle-capture.h"
#include "cradle-cli.h"
#include "cradle-detector.h"
#include "cradle-monitor.h"
#include "cradle-stream-eval.h"

/* Samples pushed at a time by evaluate-stream, as the monitor does. */
#define CHUNK_SECONDS       CRADLE_MONITOR_CHUNK_SECONDS

/* ---- Options shared by both commands ---------------------------------------- */

typedef struct {
  double threshold;
  double off_threshold;
  double window;
  double hop;
  double alpha;
  int    confirm;
  int    release;
  double min_event;
  double cooldown;
  double gate;
  double preroll;
  double cause_after;
  double escalate;
} DetectorOptions;

static void
detector_options_init (DetectorOptions *o)
{
  *o = (DetectorOptions) {
    .threshold = NAN, .off_threshold = NAN, .window = NAN, .hop = NAN, .alpha = NAN,
    .confirm = -1, .release = -1, .min_event = NAN, .cooldown = NAN, .gate = NAN,
    .preroll = NAN, .cause_after = NAN, .escalate = NAN,
  };
}

/* The detector options, in the main group so that --help lists them. */
static void
add_detector_options (GOptionContext  *context,
                      DetectorOptions *o)
{
  const GOptionEntry entries[] = {
    { "threshold", 't', 0, G_OPTION_ARG_DOUBLE, &o->threshold, "EMA of P(cry) that starts an event (0.5)", "P" },
    { "off-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o->off_threshold, "EMA under which it may end (threshold − 0.15)", "P" },
    { "window", 0, 0, G_OPTION_ARG_DOUBLE, &o->window, "Analysis window in seconds (0: the model's clip length)", "S" },
    { "hop", 0, 0, G_OPTION_ARG_DOUBLE, &o->hop, "Seconds between windows (0.5)", "S" },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o->alpha, "EMA weight of the newest window (0.6)", "A" },
    { "confirm", 0, 0, G_OPTION_ARG_INT, &o->confirm, "Windows in a row over the threshold to confirm (1)", "N" },
    { "release", 0, 0, G_OPTION_ARG_INT, &o->release, "Windows in a row under the off threshold to end (2)", "N" },
    { "min-event", 0, 0, G_OPTION_ARG_DOUBLE, &o->min_event, "Shorter events are dropped, in seconds (0.5)", "S" },
    { "cooldown", 0, 0, G_OPTION_ARG_DOUBLE, &o->cooldown, "Seconds from an event's end to the next alert (5)", "S" },
    { "gate", 0, 0, G_OPTION_ARG_DOUBLE, &o->gate, "Windows quieter than this RMS are not cry, in dBFS (-55)", "DB" },
    { "preroll", 0, 0, G_OPTION_ARG_DOUBLE, &o->preroll, "Seconds kept before an event in its clip (3)", "S" },
    { "cause-after", 0, 0, G_OPTION_ARG_DOUBLE, &o->cause_after, "Event length before the cause is estimated (3)", "S" },
    { "escalate-minutes", 0, 0, G_OPTION_ARG_DOUBLE, &o->escalate, "Crying this long escalates, 0 never (5)", "M" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

/* The detect model's tuned settings (or the defaults), then the options
 * given. FALSE: the model's settings are invalid (*MODEL_ERROR set) or an
 * option is (*MODEL_ERROR FALSE). */
static gboolean
detector_options_apply (const DetectorOptions  *o,
                        CradleModel            *detect,
                        const char             *detect_path,
                        CradleDetectorSettings *s,
                        gboolean               *model_error,
                        GError                **error)
{
  g_autoptr(GError) local = NULL;

  *model_error = FALSE;
  if (!cradle_detector_settings_init_for_model (s, detect, &local))
    {
      g_autofree char *display = g_filename_display_name (detect_path);

      *model_error = TRUE;
      g_set_error (error, local->domain, local->code, "%s: %s", display, local->message);
      return FALSE;
    }
  if (!isnan (o->threshold))
    {
      s->on_threshold = o->threshold;
      s->off_threshold = MAX (0.0, o->threshold - 0.15);
    }
  if (!isnan (o->off_threshold))
    s->off_threshold = o->off_threshold;
  if (!isnan (o->window))
    s->window_seconds = o->window;
  if (!isnan (o->hop))
    s->hop_seconds = o->hop;
  if (!isnan (o->alpha))
    s->ema_alpha = o->alpha;
  if (o->confirm >= 0)
    s->confirm_windows = (guint) o->confirm;
  if (o->release >= 0)
    s->release_windows = (guint) o->release;
  if (!isnan (o->min_event))
    s->min_event_seconds = o->min_event;
  if (!isnan (o->cooldown))
    s->cooldown_seconds = o->cooldown;
  if (!isnan (o->gate))
    s->energy_gate_dbfs = o->gate;
  if (!isnan (o->preroll))
    s->preroll_seconds = o->preroll;
  if (!isnan (o->cause_after))
    s->cause_after_seconds = o->cause_after;
  if (!isnan (o->escalate))
    s->escalate_minutes = o->escalate;
  return cradle_detector_settings_validate (s, error);
}

static CradleModel *
load_model (const char *path)
{
  g_autoptr(GError) error = NULL;
  CradleModel *model;

  model = cradle_model_load (path, &error);
  if (model == NULL)
    cradle_cli_print_error (error);
  return model;
}

/* The detect model at PATH and its settings: the model's tuned ones (or the
 * defaults), then the options. NULL with the error printed and *STATUS set. */
static CradleModel *
load_detect_model (const char             *path,
                   const DetectorOptions  *options,
                   CradleDetectorSettings *settings,
                   int                    *status)
{
  g_autoptr(CradleModel) model = load_model (path);
  g_autoptr(GError) error = NULL;
  gboolean model_error;

  *status = CRADLE_CLI_EXIT_ERROR;
  if (model == NULL)
    return NULL;
  if (!detector_options_apply (options, model, path, settings, &model_error, &error))
    {
      cradle_cli_print_error (error);
      *status = model_error ? CRADLE_CLI_EXIT_ERROR : CRADLE_CLI_EXIT_USAGE;
      return NULL;
    }
  *status = CRADLE_CLI_EXIT_OK;
  return g_steal_pointer (&model);
}

static char *
cause_label (const CradleDetectorEvent *event)
{
  if (event->cause < 0)
    return NULL;
  return g_strdup (event->cause_labels[event->cause]);
}

/* ---- monitor ------------------------------------------------------------------ */

/* The command is the glue around a CradleMonitor (cradle-monitor.h), the
 * engine the app's Monitor page runs too: it prints what the monitor's
 * worker thread reports while the main thread waits for Ctrl+C. */

static volatile sig_atomic_t stop_requested = 0;

static void
on_signal (int signum)
{
  (void) signum;
  stop_requested = 1;
}

typedef struct {
  gboolean  json;
  gboolean  status;
  guint     rate;
  guint     failures;
  gint64    last_status_us;
  /* At the first status report: --cpu also reports the steady state from
   * there, without PortAudio's start-up and the model's loading. */
  gint64    listen_us;
  double    listen_cpu;
} Monitor;

static double cpu_seconds (void);

static void
print_event (Monitor                   *m,
             const CradleDetectorEvent *event,
             gint64                     recording_id)
{
  g_autofree char *cause = cause_label (event);

  if (m->status)
    fprintf (stderr, "\r\033[K");
  if (m->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "start");
      json_builder_add_double_value (b, round (event->start * 1000.0) / 1000.0);
      json_builder_set_member_name (b, "end");
      json_builder_add_double_value (b, round (event->end * 1000.0) / 1000.0);
      json_builder_set_member_name (b, "alert");
      json_builder_add_double_value (b, round (event->alert * 1000.0) / 1000.0);
      json_builder_set_member_name (b, "confidence");
      json_builder_add_double_value (b, cradle_cli_float_for_json (event->peak_confidence));
      json_builder_set_member_name (b, "mean_confidence");
      json_builder_add_double_value (b, cradle_cli_float_for_json (event->mean_confidence));
      json_builder_set_member_name (b, "cause");
      if (cause != NULL)
        json_builder_add_string_value (b, cause);
      else
        json_builder_add_null_value (b);
      if (event->n_causes > 0)
        {
          json_builder_set_member_name (b, "causes");
          json_builder_begin_object (b);
          for (guint c = 0; c < event->n_causes; c++)
            {
              json_builder_set_member_name (b, event->cause_labels[c]);
              json_builder_add_double_value (b, cradle_cli_float_for_json (event->cause_proba[c]));
            }
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "escalated");
      json_builder_add_boolean_value (b, event->escalated);
      json_builder_set_member_name (b, "clip_seconds");
      json_builder_add_double_value (b, round ((double) event->clip_n / event->clip_rate * 1000.0) / 1000.0);
      if (recording_id > 0)
        {
          json_builder_set_member_name (b, "recording_id");
          json_builder_add_int_value (b, recording_id);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cradle_cli_print_json_line (root);
    }
  else
    {
      printf ("cry %.2f–%.2f s  alert at %.2f s  confidence %.3f (mean %.3f)", event->start,
              event->end, event->alert, (double) event->peak_confidence, (double) event->mean_confidence);
      if (cause != NULL)
        printf ("  cause %s (%.3f)", cause, (double) event->cause_proba[event->cause]);
      if (event->escalated)
        printf ("  escalated");
      if (recording_id > 0)
        printf ("  saved as recording %" G_GINT64_FORMAT, recording_id);
      printf ("\n");
    }
  fflush (stdout);
}

static void
print_status (Monitor                   *m,
              const CradleMonitorReport *report)
{
  gint64 now = g_get_monotonic_time ();

  if (!m->status || now - m->last_status_us < G_USEC_PER_SEC)
    return;
  m->last_status_us = now;
  fprintf (stderr, "\r\033[K%8.1f s  P(cry) %.2f  EMA %.2f  %s", report->time, (double) report->p_cry,
           (double) report->ema, report->in_event ? "CRYING" : "quiet");
}

/* On the monitor's worker thread. */
static void
on_report (const CradleMonitorReport *report,
           gpointer                   user_data)
{
  Monitor *m = user_data;

  switch (report->kind)
    {
    case CRADLE_MONITOR_REPORT_LISTENING:
      if (m->failures == 0 && !m->json)
        fprintf (stderr, "Listening on “%s” (%.0f Hz, analysed at %u Hz). Ctrl+C stops.\n",
                 report->device, report->device_rate, m->rate);
      break;
    case CRADLE_MONITOR_REPORT_STATUS:
      /* The first status follows the first audio: PortAudio's start-up
       * (its ALSA back-end spins for a second or two while the stream
       * comes up) is behind us. */
      if (m->listen_us == 0)
        {
          m->listen_cpu = cpu_seconds ();
          m->listen_us = g_get_monotonic_time ();
        }
      print_status (m, report);
      break;
    case CRADLE_MONITOR_REPORT_ALERT:
    case CRADLE_MONITOR_REPORT_ESCALATED:
      if (!m->json)
        {
          if (m->status)
            fprintf (stderr, "\r\033[K");
          if (report->kind == CRADLE_MONITOR_REPORT_ALERT)
            printf ("ALERT: crying since %.2f s (alert at %.2f s)\n", report->event->start, report->event->alert);
          else
            printf ("ESCALATED: crying since %.2f s\n", report->event->start);
          fflush (stdout);
        }
      break;
    case CRADLE_MONITOR_REPORT_ENDED:
      if (report->error != NULL)
        cradle_cli_print_error (report->error);
      print_event (m, report->event, report->recording_id);
      break;
    case CRADLE_MONITOR_REPORT_ERROR:
      if (m->status)
        fprintf (stderr, "\r\033[K");
      if (!report->fatal && report->retry_seconds > 0)
        {
          m->failures++;
          fprintf (stderr, "cradle-cli: %s; trying again in %.0f s\n", report->error->message,
                   report->retry_seconds);
        }
      else
        cradle_cli_print_error (report->error);
      break;
    case CRADLE_MONITOR_REPORT_STOPPED:
      if (m->status)
        fprintf (stderr, "\r\033[K");
      break;
    case CRADLE_MONITOR_REPORT_CAUSE:
    case CRADLE_MONITOR_REPORT_SPECTRUM:
    default:
      break;
    }
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return NAN;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
         + usage.ru_stime.tv_usec / 1e6;
}

static void
write_trace (double   time,
             float    p_cry,
             float    ema,
             gboolean gated,
             gpointer user_data)
{
  fprintf (user_data, "%.3f\t%.4f\t%.4f\t%d\n", time, (double) p_cry, (double) ema, gated ? 1 : 0);
}

int
cradle_cli_monitor (int    argc,
                    char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *cause_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *input = NULL;
  g_autofree char *dataset_dir = NULL;
  gboolean realtime = FALSE;
  gboolean json = FALSE;
  gboolean no_save = FALSE;
  g_autofree char *trace_path = NULL;
  double seconds = 0.0;
  gboolean cpu = FALSE;
  DetectorOptions dopts;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The detect model", "DETECT" },
    { "cause-model", 'c', 0, G_OPTION_ARG_FILENAME, &cause_path, "A cause model for long enough events", "CAUSE" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "Listen to this input device (\"default\": the default)", "NAME" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, "Read this audio file instead", "FILE" },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &realtime, "Read the file at its own pace, not as fast as possible", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per event, one per line", NULL },
    cradle_cli_dataset_option (&dataset_dir),
    { "no-save", 0, 0, G_OPTION_ARG_NONE, &no_save, "Do not save events in the dataset", NULL },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path, "Write every window's time, P(cry), EMA and gate as TSV", "FILE" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Stop after this many seconds of wall time", "S" },
    { "cpu", 0, 0, G_OPTION_ARG_NONE, &cpu, "At the end, print the process's CPU time over the wall time", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— detect crying in a live input or a file");
  g_autoptr(CradleModel) detect = NULL;
  g_autoptr(CradleModel) cause = NULL;
  g_autoptr(CradleMonitor) monitor = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  CradleDetectorSettings settings;
  Monitor m = { 0 };
  struct sigaction sa = { 0 };
  FILE *trace = NULL;
  gint64 t0;
  double cpu0;
  int status;

  detector_options_init (&dopts);
  g_option_context_set_summary (context,
    "Runs the streaming detector over a device or a file and prints each event when it ends\n"
    "(start, end, alert time, confidence, cause). Each event's clip, with a few seconds of\n"
    "pre-roll, is saved in the dataset as a predicted, unreviewed recording, unless --no-save.\n"
    "On a terminal a status line shows the stream time, P(cry) and its EMA every second.");
  g_option_context_add_main_entries (context, entries, NULL);
  add_detector_options (context, &dopts);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (model_path == NULL)
    {
      fprintf (stderr, "cradle-cli: --model DETECT is required\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if ((device == NULL) == (input == NULL))
    {
      fprintf (stderr, "cradle-cli: give exactly one of --device NAME and --input FILE\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (realtime && input == NULL)
    {
      fprintf (stderr, "cradle-cli: --realtime is for --input\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  detect = load_detect_model (model_path, &dopts, &settings, &status);
  if (detect == NULL)
    return status;
  if (cause_path != NULL && (cause = load_model (cause_path)) == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  monitor = cradle_monitor_new (g_steal_pointer (&detect), g_steal_pointer (&cause), &settings, &error);
  if (monitor == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (!no_save)
    {
      dataset = cradle_cli_open_dataset (dataset_dir, &error);
      if (dataset == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
    }

  if (trace_path != NULL)
    {
      trace = fopen (trace_path, "w");
      if (trace == NULL)
        {
          fprintf (stderr, "cradle-cli: cannot write %s: %s\n", trace_path, g_strerror (errno));
          return CRADLE_CLI_EXIT_ERROR;
        }
      /* A line at a time, so a live trace can be followed as it grows. */
      setvbuf (trace, NULL, _IOLBF, 0);
      fprintf (trace, "time\tp_cry\tema\tgated\n");
      cradle_monitor_set_window_func (monitor, write_trace, trace);
    }

  sa.sa_handler = on_signal;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);

  m.json = json;
  m.status = isatty (STDERR_FILENO);
  m.rate = cradle_monitor_get_rate (monitor);
  if (input != NULL)
    cradle_monitor_set_input_file (monitor, input, realtime);
  else
    cradle_monitor_set_device (monitor, device);
  if (dataset != NULL)
    cradle_monitor_set_dataset (monitor, g_steal_pointer (&dataset));
  cradle_monitor_set_report_func (monitor, on_report, &m, NULL);

  t0 = g_get_monotonic_time ();
  cpu0 = cpu_seconds ();
  if (!cradle_monitor_start (monitor, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  while (cradle_monitor_is_running (monitor) && !stop_requested
         && (seconds <= 0 || g_get_monotonic_time () - t0 < seconds * G_USEC_PER_SEC))
    g_usleep (G_USEC_PER_SEC / 10);
  cradle_monitor_stop (monitor);
  status = cradle_monitor_join (monitor) ? CRADLE_CLI_EXIT_OK : CRADLE_CLI_EXIT_ERROR;
  if (cpu)
    {
      double wall = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
      double used = cpu_seconds () - cpu0;

      fprintf (stderr, "CPU %.2f s over %.1f s of wall time: %.2f %% of one core\n", used, wall,
               100.0 * used / MAX (wall, 1e-9));
      if (m.listen_us > 0)
        {
          double listen_wall = (g_get_monotonic_time () - m.listen_us) / (double) G_USEC_PER_SEC;
          double listen_used = cpu_seconds () - m.listen_cpu;

          fprintf (stderr, "CPU while listening (from the first audio): %.2f s over "
                   "%.1f s: %.2f %% of one core\n", listen_used, listen_wall,
                   100.0 * listen_used / MAX (listen_wall, 1e-9));
        }
    }
  if (trace != NULL && fclose (trace) != 0)
    {
      fprintf (stderr, "cradle-cli: cannot write %s: %s\n", trace_path, g_strerror (errno));
      status = CRADLE_CLI_EXIT_ERROR;
    }
  return status;
}

/* ---- evaluate-stream ---------------------------------------------------------- */

static GArray *
run_stream (CradleModel                  *model,
            const CradleDetectorSettings *settings,
            const CradleAudio            *audio,
            GError                      **error)
{
  g_autoptr(CradleDetector) detector = cradle_detector_new (model, NULL, settings, error);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (CradleDetectorSpan));
  gsize chunk;
  CradleDetectorEvent *popped;

  if (detector == NULL)
    return NULL;
  chunk = (gsize) (CHUNK_SECONDS * cradle_detector_get_rate (detector));
  for (gsize off = 0; off <= audio->n_samples; off += chunk)
    {
      if (off < audio->n_samples)
        cradle_detector_push (detector, audio->samples + off, MIN (chunk, audio->n_samples - off));
      else
        cradle_detector_finish (detector);
      while ((popped = cradle_detector_pop (detector)) != NULL)
        {
          g_autoptr(CradleDetectorEvent) event = popped;

          if (event->kind == CRADLE_DETECTOR_NOTICE_ENDED)
            {
              CradleDetectorSpan f = { event->start, event->end, event->alert, event->peak_confidence };

              g_array_append_val (found, f);
            }
        }
    }
  return g_steal_pointer (&found);
}

#define ADD_DOUBLE(b, name, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, name); \
    if (isfinite (value)) \
      json_builder_add_double_value (b, round ((value) * 10000.0) / 10000.0); \
    else \
      json_builder_add_null_value (b); \
  } G_STMT_END
#define ADD_INT(b, name, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, name); \
    json_builder_add_int_value (b, value); \
  } G_STMT_END

/* The figures of a score, as members of the object B is building. */
static void
add_score_members (JsonBuilder             *b,
                   const CradleStreamScore *s)
{
  ADD_INT (b, "cries", s->n_cries);
  ADD_INT (b, "detected", s->detected);
  ADD_DOUBLE (b, "recall", cradle_stream_score_recall (s));
  ADD_INT (b, "events", s->n_events);
  ADD_INT (b, "false_alarms", s->false_alarms);
  ADD_DOUBLE (b, "non_cry_hours", s->non_cry_hours);
  ADD_DOUBLE (b, "false_alarms_per_hour", cradle_stream_score_fa_per_hour (s));
  ADD_DOUBLE (b, "delay_median", cradle_stream_score_delay (s, 0.5));
  ADD_DOUBLE (b, "delay_p95", cradle_stream_score_delay (s, 0.95));
}

static void
print_score (const CradleStreamScore *s,
             double                   threshold,
             double                   seconds,
             double                   audio_seconds,
             gboolean                 json,
             gboolean                 table)
{
  double recall = cradle_stream_score_recall (s);
  double fa_hour = cradle_stream_score_fa_per_hour (s);
  double median = cradle_stream_score_delay (s, 0.5), p95 = cradle_stream_score_delay (s, 0.95);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      ADD_DOUBLE (b, "threshold", threshold);
      add_score_members (b, s);
      ADD_DOUBLE (b, "seconds", seconds);
      ADD_DOUBLE (b, "realtime_factor", seconds > 0 ? audio_seconds / seconds : NAN);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cradle_cli_print_json_line (root);
    }
  else if (table)
    printf ("%9.2f  %3u/%-3u %6.3f  %6u  %8.2f  %8.2f  %8.2f\n", threshold, s->detected, s->n_cries,
            recall, s->false_alarms, fa_hour, median, p95);
  else
    {
      printf ("cries detected     %u of %u (recall %.3f)\n", s->detected, s->n_cries, recall);
      printf ("events             %u\n", s->n_events);
      printf ("false alarms       %u in %.3f h of non-cry audio (%.2f per hour)\n", s->false_alarms,
              s->non_cry_hours, fa_hour);
      printf ("delay              median %.2f s, 95th percentile %.2f s (alert − labelled start)\n",
              median, p95);
      printf ("speed              %.1f s for %.1f s of audio (%.0f× real time)\n", seconds, audio_seconds,
              audio_seconds / MAX (seconds, 1e-9));
    }
}

/* The model, its settings with the options applied, and a stream with its
 * labels: what evaluate-stream and tune-detector start from. */
static int
load_stream (const char        *labels_path,
             const char        *input,
             CradleModel       *model,
             GPtrArray        **cries,
             CradleAudio      **audio)
{
  g_autoptr(GError) error = NULL;

  *cries = cradle_audacity_labels_read (labels_path, &error);
  if (*cries == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  *audio = cradle_audio_load (input, cradle_model_get_config (model)->sample_rate, &error);
  if (*audio == NULL)
    {
      cradle_cli_print_error (error);
      g_clear_pointer (cries, g_ptr_array_unref);
      return CRADLE_CLI_EXIT_ERROR;
    }
  return CRADLE_CLI_EXIT_OK;
}

int
cradle_cli_evaluate_stream (int    argc,
                            char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *input = NULL;
  g_autofree char *labels_path = NULL;
  gboolean json = FALSE;
  gboolean sweep = FALSE;
  DetectorOptions dopts;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The detect model", "DETECT" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, "The audio stream", "FILE" },
    { "labels", 'l', 0, G_OPTION_ARG_FILENAME, &labels_path, "Audacity labels: one line per cry", "LABELS.txt" },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &sweep, "Score thresholds 0.1 to 0.9 (off threshold 0.15 under)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per threshold, one per line", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— score the detector on a labelled stream");
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GPtrArray) cries = NULL;
  g_autoptr(GError) error = NULL;
  CradleAudio *audio = NULL;
  CradleDetectorSettings settings;
  double audio_seconds;
  int status;

  detector_options_init (&dopts);
  g_option_context_set_summary (context,
    "Runs the detector over FILE as fast as it can and scores its events against the labelled\n"
    "cries (every segment of the label file is a cry). An event overlapping a labelled cry\n"
    "detects it, with delay = alert − labelled start; an event overlapping none is a false\n"
    "alarm, counted per hour of audio outside the labelled cries. The settings are the model's\n"
    "tuned ones (tune-detector) or the defaults, with the options given on top.");
  g_option_context_add_main_entries (context, entries, NULL);
  add_detector_options (context, &dopts);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (model_path == NULL || input == NULL || labels_path == NULL)
    {
      fprintf (stderr, "cradle-cli: evaluate-stream needs --model, --input and --labels\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  model = load_detect_model (model_path, &dopts, &settings, &status);
  if (model == NULL)
    return status;
  status = load_stream (labels_path, input, model, &cries, &audio);
  if (status != CRADLE_CLI_EXIT_OK)
    return status;
  audio_seconds = (double) audio->n_samples / audio->sample_rate;

  if (sweep && !json)
    printf ("threshold  detected recall  false  FA/hour  median s  p95 s\n");
  for (guint i = 0; i < (sweep ? 9u : 1u); i++)
    {
      g_autoptr(GArray) found = NULL;
      CradleDetectorSettings run = settings;
      gint64 t0 = g_get_monotonic_time ();
      CradleStreamScore score;
      double seconds;

      if (sweep)
        {
          run.on_threshold = 0.1 * (i + 1);
          run.off_threshold = MAX (0.0, run.on_threshold - 0.15);
        }
      found = run_stream (model, &run, audio, &error);
      if (found == NULL)
        {
          cradle_cli_print_error (error);
          status = CRADLE_CLI_EXIT_ERROR;
          break;
        }
      seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
      cradle_stream_score_init (&score);
      cradle_stream_score_add (&score, (const CradleDetectorSpan *) found->data, found->len, cries,
                               audio_seconds);
      print_score (&score, run.on_threshold, seconds, audio_seconds, json, sweep);
      cradle_stream_score_clear (&score);
    }
  cradle_audio_free (audio);
  return status;
}

/* ---- tune-detector ------------------------------------------------------------ */

/* The "detector" header object: the chosen settings and how they scored. */
static JsonNode *
tuning_record (const CradleDetectorSettings *best,
               const CradleTunePoint        *point,
               double                        min_recall,
               char                        **inputs,
               CradleStreamTrace           **traces,
               GPtrArray                   **cries,
               guint                         n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "settings");
  json_builder_add_value (b, cradle_detector_settings_to_json (best));
  json_builder_set_member_name (b, "tuned");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);
  ADD_DOUBLE (b, "min_recall", min_recall);
  ADD_INT (b, "cries", point->n_cries);
  ADD_INT (b, "detected", point->detected);
  ADD_DOUBLE (b, "recall", point->recall);
  ADD_INT (b, "false_alarms", point->false_alarms);
  ADD_DOUBLE (b, "false_alarms_per_hour", point->fa_per_hour);
  ADD_DOUBLE (b, "delay_median", point->delay_median);
  ADD_DOUBLE (b, "delay_p95", point->delay_p95);
  json_builder_set_member_name (b, "streams");
  json_builder_begin_array (b);
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(GArray) spans = cradle_detector_replay (best, (const double *) traces[k]->times->data,
                                                        (const float *) traces[k]->p_cry->data,
                                                        traces[k]->times->len);
      g_autofree char *name = g_path_get_basename (inputs[k]);
      CradleStreamScore score;

      cradle_stream_score_init (&score);
      cradle_stream_score_add (&score, (const CradleDetectorSpan *) spans->data, spans->len, cries[k],
                               traces[k]->duration);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      ADD_DOUBLE (b, "seconds", traces[k]->duration);
      add_score_members (b, &score);
      json_builder_end_object (b);
      cradle_stream_score_clear (&score);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
cradle_cli_tune_detector (int    argc,
                          char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) inputs = NULL;
  g_auto(GStrv) labels = NULL;
  double min_recall = 0.95;
  gboolean json = FALSE;
  DetectorOptions dopts;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The detect model", "DETECT" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, "A dev stream (repeat for more)", "FILE" },
    { "labels", 'l', 0, G_OPTION_ARG_FILENAME_ARRAY, &labels, "Its Audacity labels, in the same order", "LABELS.txt" },
    { "min-recall", 0, 0, G_OPTION_ARG_DOUBLE, &min_recall, "Recall the choice must reach (0.95)", "R" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the model with the chosen settings here", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per grid point, then the choice", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— choose the detector's threshold and confirm count");
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GPtrArray) traces = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_stream_trace_free);
  g_autoptr(GPtrArray) cries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  CradleDetectorSettings settings, best;
  const CradleTunePoint *point;
  guint n, chosen;
  int status;

  detector_options_init (&dopts);
  g_option_context_set_summary (context,
    "Runs the detect model once over each labelled dev stream, then scores every on-threshold\n"
    "0.30 … 0.95 (off threshold 0.15 under) × confirm 1 … 4 windows, pooled over the streams,\n"
    "with the other settings as given (or the model's, or the defaults). The choice: recall at\n"
    "least --min-recall, then the fewest false alarms per hour, the shortest median delay, the\n"
    "shortest 95th percentile. With --out, writes the model with the chosen settings and their\n"
    "scores in its file: monitor, evaluate-stream and the app then use them by default.\n"
    "Tune on dev streams; score held-out streams with evaluate-stream.");
  g_option_context_add_main_entries (context, entries, NULL);
  add_detector_options (context, &dopts);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  n = inputs != NULL ? g_strv_length (inputs) : 0;
  if (model_path == NULL || n == 0 || labels == NULL || g_strv_length (labels) != n)
    {
      fprintf (stderr, "cradle-cli: tune-detector needs --model and one --labels per --input\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!(min_recall >= 0.0 && min_recall <= 1.0))
    {
      fprintf (stderr, "cradle-cli: --min-recall must be 0 to 1\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!isnan (dopts.threshold) || !isnan (dopts.off_threshold) || dopts.confirm >= 0)
    {
      fprintf (stderr, "cradle-cli: tune-detector chooses --threshold, --off-threshold and --confirm itself\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  model = load_detect_model (model_path, &dopts, &settings, &status);
  if (model == NULL)
    return status;
  for (guint k = 0; k < n; k++)
    {
      GPtrArray *stream_cries = NULL;
      CradleAudio *audio = NULL;
      CradleStreamTrace *trace;

      status = load_stream (labels[k], inputs[k], model, &stream_cries, &audio);
      if (status != CRADLE_CLI_EXIT_OK)
        return status;
      g_ptr_array_add (cries, stream_cries);
      trace = cradle_stream_trace_new (model, &settings, audio, &error);
      cradle_audio_free (audio);
      if (trace == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      g_ptr_array_add (traces, trace);
    }

  {
    guint n_cries = 0;

    for (guint k = 0; k < n; k++)
      n_cries += ((GPtrArray *) g_ptr_array_index (cries, k))->len;
    if (n_cries == 0)
      {
        fprintf (stderr, "cradle-cli: the label files name no cries: there is no recall to tune for\n");
        return CRADLE_CLI_EXIT_ERROR;
      }
  }
  points = cradle_stream_tune ((CradleStreamTrace * const *) traces->pdata,
                               (GPtrArray * const *) cries->pdata, n, min_recall, &chosen, &best);
  point = &g_array_index (points, CradleTunePoint, chosen);
  if (!json)
    printf ("threshold  confirm  detected recall  false  FA/hour  median s  p95 s\n");
  for (guint i = 0; i < points->len; i++)
    {
      const CradleTunePoint *p = &g_array_index (points, CradleTunePoint, i);

      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          ADD_DOUBLE (b, "threshold", p->threshold);
          ADD_INT (b, "confirm", p->confirm);
          ADD_INT (b, "cries", p->n_cries);
          ADD_INT (b, "detected", p->detected);
          ADD_DOUBLE (b, "recall", p->recall);
          ADD_INT (b, "false_alarms", p->false_alarms);
          ADD_DOUBLE (b, "false_alarms_per_hour", p->fa_per_hour);
          ADD_DOUBLE (b, "delay_median", p->delay_median);
          ADD_DOUBLE (b, "delay_p95", p->delay_p95);
          json_builder_set_member_name (b, "chosen");
          json_builder_add_boolean_value (b, i == chosen);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cradle_cli_print_json_line (root);
        }
      else
        printf ("%9.2f  %7u  %3u/%-3u %6.3f  %5u  %7.2f  %8.2f  %5.2f%s\n", p->threshold, p->confirm,
                p->detected, p->n_cries, p->recall, p->false_alarms, p->fa_per_hour, p->delay_median,
                p->delay_p95, i == chosen ? "  ← chosen" : "");
    }
  if (!json)
    {
      if (point->recall < min_recall)
        printf ("No setting reaches recall %.2f; the one with the highest recall is chosen.\n", min_recall);
      printf ("Chosen: threshold %.2f, confirm %u (%.2f s of windows at hop %.2f s)\n", best.on_threshold,
              best.confirm_windows, best.confirm_windows * best.hop_seconds, best.hop_seconds);
    }

  if (out != NULL)
    {
      g_autoptr(JsonNode) record = tuning_record (&best, point, min_recall, inputs,
                                                  (CradleStreamTrace **) traces->pdata,
                                                  (GPtrArray **) cries->pdata, n);

      cradle_model_set_detector (model, record);
      if (!cradle_model_save (model, out, &error))
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      if (!json)
        printf ("Wrote %s\n", out);
    }
  return CRADLE_CLI_EXIT_OK;
}

#undef ADD_DOUBLE
#undef ADD_INT
