/* cradle-cli-monitor.c — monitor and evaluate-stream
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

static gboolean
detector_options_apply (const DetectorOptions  *o,
                        CradleDetectorSettings *s,
                        GError                **error)
{
  cradle_detector_settings_init_default (s);
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
  if (!detector_options_apply (&dopts, &settings, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_USAGE;
    }
  detect = load_model (model_path);
  if (detect == NULL)
    return CRADLE_CLI_EXIT_ERROR;
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

typedef struct {
  double start;
  double end;
  double alert;
} Found;

typedef struct {
  double threshold;
  guint  n_cries;
  guint  detected;
  guint  n_events;
  guint  false_alarms;
  double non_cry_hours;
  double delay_median;   /* NAN without detections */
  double delay_p95;
} Score;

static double
percentile (GArray *sorted,
            double  q)
{
  double pos, frac;
  guint lo;

  if (sorted->len == 0)
    return NAN;
  pos = q * (sorted->len - 1);
  lo = (guint) floor (pos);
  frac = pos - lo;
  if (lo + 1 >= sorted->len)
    return g_array_index (sorted, double, sorted->len - 1);
  return g_array_index (sorted, double, lo) * (1.0 - frac) + g_array_index (sorted, double, lo + 1) * frac;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
overlaps (double a0, double a1, double b0, double b1)
{
  return a0 < b1 && b0 < a1;
}

/* Events overlapping a labelled cry detect it (delay: the first such
 * alert − the labelled start); events overlapping none are false alarms. */
static void
score_events (GArray    *found,
              GPtrArray *cries,
              double     duration,
              Score     *score)
{
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (double));
  double cry_seconds = 0.0;

  score->n_cries = cries->len;
  score->n_events = found->len;
  score->detected = 0;
  score->false_alarms = 0;
  for (guint c = 0; c < cries->len; c++)
    {
      const CradleSegment *cry = g_ptr_array_index (cries, c);
      double best = INFINITY;

      cry_seconds += cry->end - cry->start;
      for (guint e = 0; e < found->len; e++)
        {
          const Found *f = &g_array_index (found, Found, e);

          if (overlaps (f->start, f->end, cry->start, cry->end))
            best = MIN (best, f->alert - cry->start);
        }
      if (isfinite (best))
        {
          score->detected++;
          g_array_append_val (delays, best);
        }
    }
  for (guint e = 0; e < found->len; e++)
    {
      const Found *f = &g_array_index (found, Found, e);
      gboolean hit = FALSE;

      for (guint c = 0; c < cries->len && !hit; c++)
        {
          const CradleSegment *cry = g_ptr_array_index (cries, c);

          hit = overlaps (f->start, f->end, cry->start, cry->end);
        }
      if (!hit)
        score->false_alarms++;
    }
  g_array_sort (delays, compare_double);
  score->non_cry_hours = MAX (duration - cry_seconds, 0.0) / 3600.0;
  score->delay_median = percentile (delays, 0.5);
  score->delay_p95 = percentile (delays, 0.95);
}

static GArray *
run_stream (CradleModel                  *model,
            const CradleDetectorSettings *settings,
            const CradleAudio            *audio,
            GError                      **error)
{
  g_autoptr(CradleDetector) detector = cradle_detector_new (model, NULL, settings, error);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
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
              Found f = { event->start, event->end, event->alert };

              g_array_append_val (found, f);
            }
        }
    }
  return g_steal_pointer (&found);
}

static void
print_score (const Score *s,
             double       seconds,
             double       audio_seconds,
             gboolean     json,
             gboolean     table)
{
  double recall = s->n_cries > 0 ? (double) s->detected / s->n_cries : NAN;
  double fa_hour = s->non_cry_hours > 0 ? s->false_alarms / s->non_cry_hours : NAN;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

#define ADD_DOUBLE(name, value) \
      G_STMT_START { \
        json_builder_set_member_name (b, name); \
        if (isfinite (value)) \
          json_builder_add_double_value (b, round ((value) * 10000.0) / 10000.0); \
        else \
          json_builder_add_null_value (b); \
      } G_STMT_END

      json_builder_begin_object (b);
      ADD_DOUBLE ("threshold", s->threshold);
      json_builder_set_member_name (b, "cries");
      json_builder_add_int_value (b, s->n_cries);
      json_builder_set_member_name (b, "detected");
      json_builder_add_int_value (b, s->detected);
      ADD_DOUBLE ("recall", recall);
      json_builder_set_member_name (b, "events");
      json_builder_add_int_value (b, s->n_events);
      json_builder_set_member_name (b, "false_alarms");
      json_builder_add_int_value (b, s->false_alarms);
      ADD_DOUBLE ("non_cry_hours", s->non_cry_hours);
      ADD_DOUBLE ("false_alarms_per_hour", fa_hour);
      ADD_DOUBLE ("delay_median", s->delay_median);
      ADD_DOUBLE ("delay_p95", s->delay_p95);
      ADD_DOUBLE ("seconds", seconds);
      ADD_DOUBLE ("realtime_factor", seconds > 0 ? audio_seconds / seconds : NAN);
      json_builder_end_object (b);
#undef ADD_DOUBLE
      root = json_builder_get_root (b);
      cradle_cli_print_json_line (root);
    }
  else if (table)
    printf ("%9.2f  %3u/%-3u %6.3f  %6u  %8.2f  %8.2f  %8.2f\n", s->threshold, s->detected, s->n_cries,
            recall, s->false_alarms, fa_hour, s->delay_median, s->delay_p95);
  else
    {
      printf ("cries detected     %u of %u (recall %.3f)\n", s->detected, s->n_cries, recall);
      printf ("events             %u\n", s->n_events);
      printf ("false alarms       %u in %.3f h of non-cry audio (%.2f per hour)\n", s->false_alarms,
              s->non_cry_hours, fa_hour);
      printf ("delay              median %.2f s, 95th percentile %.2f s (alert − labelled start)\n",
              s->delay_median, s->delay_p95);
      printf ("speed              %.1f s for %.1f s of audio (%.0f× real time)\n", seconds, audio_seconds,
              audio_seconds / MAX (seconds, 1e-9));
    }
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
  CradleAudio *audio;
  CradleDetectorSettings settings;
  double audio_seconds;
  int status = CRADLE_CLI_EXIT_OK;

  detector_options_init (&dopts);
  g_option_context_set_summary (context,
    "Runs the detector over FILE as fast as it can and scores its events against the labelled\n"
    "cries (every segment of the label file is a cry). An event overlapping a labelled cry\n"
    "detects it, with delay = alert − labelled start; an event overlapping none is a false\n"
    "alarm, counted per hour of audio outside the labelled cries.");
  g_option_context_add_main_entries (context, entries, NULL);
  add_detector_options (context, &dopts);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (model_path == NULL || input == NULL || labels_path == NULL)
    {
      fprintf (stderr, "cradle-cli: evaluate-stream needs --model, --input and --labels\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!detector_options_apply (&dopts, &settings, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_USAGE;
    }
  model = load_model (model_path);
  if (model == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  cries = cradle_audacity_labels_read (labels_path, &error);
  if (cries == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  audio = cradle_audio_load (input, cradle_model_get_config (model)->sample_rate, &error);
  if (audio == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  audio_seconds = (double) audio->n_samples / audio->sample_rate;

  if (sweep && !json)
    printf ("threshold  detected recall  false  FA/hour  median s  p95 s\n");
  for (guint i = 0; i < (sweep ? 9u : 1u); i++)
    {
      g_autoptr(GArray) found = NULL;
      CradleDetectorSettings run = settings;
      gint64 t0 = g_get_monotonic_time ();
      Score score = { 0 };
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
      score.threshold = run.on_threshold;
      score_events (found, cries, audio_seconds, &score);
      print_score (&score, seconds, audio_seconds, json, sweep);
    }
  cradle_audio_free (audio);
  return status;
}
