/* cradle-monitor.c — the live monitor on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <portaudio.h>
#include <sqlite3.h>
#include <string.h>

#include "cradle-capture.h"
#include "cradle-mel.h"
#include "cradle-monitor.h"
#include "cradle-portaudio-private.h"
#include "cradle-stft.h"

G_DEFINE_QUARK (cradle-monitor-error-quark, cradle_monitor_error)

/* The live spectrum: a 64 ms Hann window every 32 ms, computed in groups of
 * SPECTRUM_GROUP columns (about eight reports a second). */
#define SPECTRUM_WINDOW_SECONDS 0.064
#define SPECTRUM_GROUP          4

/* Reports dispatched in a GMainContext go through a relay that outlives
 * the monitor, so a report still queued when the monitor is freed is
 * dropped instead of calling into a page that is gone. DETACHED is only
 * touched on the context's thread. */
typedef struct {
  gatomicrefcount          ref;
  CradleMonitorReportFunc  func;
  gpointer                 user_data;
  gboolean                 detached;
} Relay;

static Relay *
relay_ref (Relay *relay)
{
  g_atomic_ref_count_inc (&relay->ref);
  return relay;
}

static void
relay_unref (Relay *relay)
{
  if (g_atomic_ref_count_dec (&relay->ref))
    g_free (relay);
}

typedef struct {
  CradleStft          *stft;
  CradleMelFilterbank *fb;
  guint                n_fft;
  guint                hop;
  guint                n_bins;
  float               *buf;       /* (GROUP + 1) hops */
  gsize                fill;
  guint64              buf_start; /* absolute sample index of buf[0] */
  float               *power;     /* (GROUP + 2) × n_bins */
  float               *band_hz;
} Spectrum;

struct _CradleMonitor {
  CradleModel              *detect;
  CradleModel              *cause;
  CradleDetector           *detector;
  guint                     rate;

  char                     *device;
  char                     *input_path;
  gboolean                  realtime;
  CradleDataset            *dataset;
  char                     *dataset_dir;
  gint64                    model_id;
  gboolean                  spectrum_enabled;
  Spectrum                  spectrum;

  CradleMonitorReportFunc   func;
  gpointer                  user_data;
  GMainContext             *context;
  Relay                    *relay;

  GThread                  *thread;
  gint                      stop_requested;  /* atomic */
  gint                      chime_requested; /* atomic */
  gint                      running;         /* atomic */
  gboolean                  ok;              /* worker only, read after join */

  /* Worker state */
  gint64                    wall_us;
  gint64                    last_status_us;
  const char               *current_device;
  guint64                   overruns;
  float                     level_dbfs;
  float                     peak_dbfs;
};

const char *
cradle_monitor_report_kind_to_string (CradleMonitorReportKind kind)
{
  switch (kind)
    {
    case CRADLE_MONITOR_REPORT_LISTENING:
      return "listening";
    case CRADLE_MONITOR_REPORT_STATUS:
      return "status";
    case CRADLE_MONITOR_REPORT_SPECTRUM:
      return "spectrum";
    case CRADLE_MONITOR_REPORT_ALERT:
      return "alert";
    case CRADLE_MONITOR_REPORT_CAUSE:
      return "cause";
    case CRADLE_MONITOR_REPORT_ESCALATED:
      return "escalated";
    case CRADLE_MONITOR_REPORT_ENDED:
      return "ended";
    case CRADLE_MONITOR_REPORT_ERROR:
      return "error";
    case CRADLE_MONITOR_REPORT_STOPPED:
      return "stopped";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
cradle_monitor_report_free (CradleMonitorReport *report)
{
  if (report == NULL)
    return;
  g_free (report->columns);
  g_clear_pointer (&report->event, cradle_detector_event_free);
  g_clear_error (&report->error);
  g_free (report->device);
  g_free (report);
}

/* ---- Reports --------------------------------------------------------------- */

typedef struct {
  Relay               *relay;
  CradleMonitorReport *report;
} Dispatch;

static gboolean
dispatch_cb (gpointer data)
{
  Dispatch *d = data;

  if (!d->relay->detached && d->relay->func != NULL)
    d->relay->func (d->report, d->relay->user_data);
  return G_SOURCE_REMOVE;
}

static void
dispatch_free (gpointer data)
{
  Dispatch *d = data;

  relay_unref (d->relay);
  cradle_monitor_report_free (d->report);
  g_free (d);
}

/* Hands REPORT (transfer full) to the caller. */
static void
emit (CradleMonitor       *self,
      CradleMonitorReport *report)
{
  report->wall_us = self->wall_us;
  if (self->context == NULL)
    {
      if (self->func != NULL)
        self->func (report, self->user_data);
      cradle_monitor_report_free (report);
      return;
    }
  else
    {
      Dispatch *d = g_new (Dispatch, 1);
      GSource *source;

      d->relay = relay_ref (self->relay);
      d->report = report;
      /* Always queued, never g_main_context_invoke(): that would run the
       * callback right here when CONTEXT is the global default context and
       * nobody holds it at the moment (the worker's thread-default context
       * is the global default too). Idle sources of one priority are
       * dispatched in the order they were attached. */
      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_cb, d, dispatch_free);
      g_source_set_static_name (source, "[cradle-monitor] report");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

static CradleMonitorReport *
report_new (CradleMonitorReportKind kind)
{
  CradleMonitorReport *report = g_new0 (CradleMonitorReport, 1);

  report->kind = kind;
  return report;
}

static void
emit_error (CradleMonitor *self,
            GError        *error,
            gboolean       fatal,
            double         retry_seconds)
{
  CradleMonitorReport *report = report_new (CRADLE_MONITOR_REPORT_ERROR);

  report->error = error;
  report->fatal = fatal;
  report->retry_seconds = retry_seconds;
  if (self->detector != NULL)
    report->time = cradle_detector_get_time (self->detector);
  emit (self, report);
}

static void
emit_status (CradleMonitor *self,
             gboolean       force)
{
  gint64 now = g_get_monotonic_time ();
  CradleMonitorReport *report;

  if (!force && now - self->last_status_us < CRADLE_MONITOR_STATUS_INTERVAL_MS * 1000)
    return;
  self->last_status_us = now;
  report = report_new (CRADLE_MONITOR_REPORT_STATUS);
  report->time = cradle_detector_get_time (self->detector);
  cradle_detector_get_last (self->detector, &report->p_cry, &report->ema);
  report->level_dbfs = self->level_dbfs;
  report->peak_dbfs = self->peak_dbfs;
  report->in_event = cradle_detector_in_event (self->detector);
  report->overruns = self->overruns;
  emit (self, report);
}

/* ---- The live spectrum ------------------------------------------------------- */

static void
spectrum_clear (Spectrum *s)
{
  g_clear_pointer (&s->stft, cradle_stft_free);
  g_clear_pointer (&s->fb, cradle_mel_filterbank_free);
  g_clear_pointer (&s->buf, g_free);
  g_clear_pointer (&s->power, g_free);
  g_clear_pointer (&s->band_hz, g_free);
}

static gboolean
spectrum_init (Spectrum *s,
               guint     rate,
               GError  **error)
{
  guint n_fft = 64;

  while (n_fft < SPECTRUM_WINDOW_SECONDS * rate)
    n_fft *= 2;
  s->n_fft = n_fft;
  s->hop = n_fft / 2;
  s->stft = cradle_stft_new (n_fft, s->hop, error);
  if (s->stft == NULL)
    return FALSE;
  s->fb = cradle_mel_filterbank_new (rate, n_fft, CRADLE_MONITOR_SPECTRUM_BANDS, 0.0f, rate / 2.0f,
                                     error);
  if (s->fb == NULL)
    {
      spectrum_clear (s);
      return FALSE;
    }
  s->n_bins = cradle_stft_get_n_bins (s->stft);
  s->buf = g_new0 (float, (gsize) (SPECTRUM_GROUP + 1) * s->hop);
  s->power = g_new (float, (gsize) (SPECTRUM_GROUP + 2) * s->n_bins);
  s->band_hz = g_new (float, CRADLE_MONITOR_SPECTRUM_BANDS);
  for (guint b = 0; b < CRADLE_MONITOR_SPECTRUM_BANDS; b++)
    s->band_hz[b] = (float) cradle_mel_filterbank_band_hz (s->fb, b);
  s->fill = 0;
  s->buf_start = 0;
  return TRUE;
}

/* The centred STFT of (GROUP + 1) hops has GROUP + 2 frames, of which
 * frames 1 … GROUP lie wholly inside the buffer: those are the columns. */
static void
spectrum_push (CradleMonitor *self,
               const float   *x,
               gsize          n)
{
  Spectrum *s = &self->spectrum;
  gsize len = (gsize) (SPECTRUM_GROUP + 1) * s->hop;

  while (n > 0)
    {
      gsize take = MIN (n, len - s->fill);
      CradleMonitorReport *report;

      memcpy (s->buf + s->fill, x, take * sizeof (float));
      s->fill += take;
      x += take;
      n -= take;
      if (s->fill < len)
        break;

      g_assert (cradle_stft_n_frames (s->stft, len) == SPECTRUM_GROUP + 2);
      cradle_stft_power (s->stft, s->buf, len, s->power);
      report = report_new (CRADLE_MONITOR_REPORT_SPECTRUM);
      report->n_columns = SPECTRUM_GROUP;
      report->n_bands = CRADLE_MONITOR_SPECTRUM_BANDS;
      report->columns = g_new (float, (gsize) SPECTRUM_GROUP * CRADLE_MONITOR_SPECTRUM_BANDS);
      cradle_mel_filterbank_apply (s->fb, s->power + s->n_bins, SPECTRUM_GROUP, report->columns);
      cradle_power_to_db (report->columns, (gsize) SPECTRUM_GROUP * CRADLE_MONITOR_SPECTRUM_BANDS,
                          1.0f, 1e-10f, 0.0f);
      report->band_hz = s->band_hz;
      report->column_seconds = (double) s->hop / self->rate;
      report->time = (double) (s->buf_start + s->hop) / self->rate;
      emit (self, report);

      memmove (s->buf, s->buf + (gsize) SPECTRUM_GROUP * s->hop, s->hop * sizeof (float));
      s->fill = s->hop;
      s->buf_start += (guint64) SPECTRUM_GROUP * s->hop;
    }
}

/* ---- Saving events ------------------------------------------------------------ */

static char *
wall_time_iso (CradleMonitor *self,
               double         stream_seconds)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) at
      = g_date_time_add (epoch, self->wall_us + (gint64) (stream_seconds * G_USEC_PER_SEC));

  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* The shortest decimal that reads back as the same float, as a double (so
 * JSON shows 0.25, not 0.25000000372529). */
static double
shortest_double (float value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return value;
  for (int precision = 1; precision <= 9; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if ((float) g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return g_ascii_strtod (buffer, NULL);
}

static char *
causes_json (const CradleDetectorEvent *event)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint c = 0; c < event->n_causes; c++)
    {
      json_builder_set_member_name (b, event->cause_labels[c]);
      json_builder_add_double_value (b, shortest_double (event->cause_proba[c]));
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* The clip as a PREDICTED recording and its monitor_events row. */
static gint64
save_event (CradleMonitor             *self,
            const CradleDetectorEvent *event,
            gint64                    *event_id,
            GError                   **error)
{
  CradleAudio audio = { .samples = event->clip, .n_samples = event->clip_n,
                        .sample_rate = event->clip_rate };
  const char *cause = event->cause >= 0 ? event->cause_labels[event->cause] : NULL;
  g_autofree char *causes = event->n_causes > 0 ? causes_json (event) : NULL;
  g_autofree char *started = wall_time_iso (self, event->start);
  g_autofree char *ended = wall_time_iso (self, event->end);
  g_autofree char *notes
      = g_strdup_printf ("monitor event: %.2f–%.2f s of the stream, alert at %.2f s, "
                         "pre-roll from %.2f s",
                         event->start, event->end, event->alert, event->clip_start);
  gboolean is_cry = FALSE;
  CradleRecordingSpec spec = {
    .audio = &audio,
    .label = "cry",
    .label_status = CRADLE_LABEL_STATUS_PREDICTED,
    .labeler = "cradle-monitor",
    .confidence = event->peak_confidence,
    .source = "monitor",
    .source_path = self->input_path,
    .device = self->current_device,
    .created = (self->wall_us + (gint64) (event->start * G_USEC_PER_SEC)) / G_USEC_PER_SEC,
    .notes = notes,
    .file_stem = "monitor",
  };
  sqlite3 *db = cradle_dataset_get_db (self->dataset);
  sqlite3_stmt *s = NULL;
  gint64 recording_id;
  int rc;

  /* The cause names a label only when the dataset knows it as a cry. */
  if (cause != NULL && cradle_dataset_lookup_label (self->dataset, cause, &is_cry) && is_cry)
    spec.label = cause;
  recording_id = cradle_dataset_add_recording (self->dataset, &spec, error);
  if (recording_id <= 0)
    return 0;

  rc = sqlite3_prepare_v2 (
      db,
      "INSERT INTO monitor_events (started, ended, peak_confidence, mean_confidence,"
      " causes, model_id, recording_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      -1, &s, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (s, 1, started, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (s, 2, ended, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (s, 3, event->peak_confidence);
      sqlite3_bind_double (s, 4, event->mean_confidence);
      if (causes != NULL)
        sqlite3_bind_text (s, 5, causes, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (s, 5);
      if (self->model_id > 0)
        sqlite3_bind_int64 (s, 6, self->model_id);
      else
        sqlite3_bind_null (s, 6);
      sqlite3_bind_int64 (s, 7, recording_id);
      rc = sqlite3_step (s);
    }
  sqlite3_finalize (s);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_SQL,
                   "Could not record the monitor event in %s: %s",
                   cradle_dataset_get_dir (self->dataset), sqlite3_errmsg (db));
      return 0;
    }
  *event_id = sqlite3_last_insert_rowid (db);
  return recording_id;
}

/* Reports the queued notices, saving each ended event. */
static void
drain (CradleMonitor *self)
{
  CradleDetectorEvent *event;

  while ((event = cradle_detector_pop (self->detector)) != NULL)
    {
      CradleMonitorReport *report = NULL;

      switch (event->kind)
        {
        case CRADLE_DETECTOR_NOTICE_ALERT:
          report = report_new (CRADLE_MONITOR_REPORT_ALERT);
          break;
        case CRADLE_DETECTOR_NOTICE_CAUSE:
          report = report_new (CRADLE_MONITOR_REPORT_CAUSE);
          break;
        case CRADLE_DETECTOR_NOTICE_ESCALATED:
          report = report_new (CRADLE_MONITOR_REPORT_ESCALATED);
          break;
        case CRADLE_DETECTOR_NOTICE_ENDED:
          report = report_new (CRADLE_MONITOR_REPORT_ENDED);
          if (self->dataset != NULL)
            {
              report->recording_id = save_event (self, event, &report->event_id, &report->error);
              if (report->recording_id == 0)
                self->ok = FALSE;
            }
          break;
        default:
          g_assert_not_reached ();
        }
      report->time = event->kind == CRADLE_DETECTOR_NOTICE_ENDED ? event->end : event->alert;
      report->event = event;
      emit (self, report);
    }
}

/* ---- The worker ---------------------------------------------------------------- */

static gboolean
stop_requested (CradleMonitor *self)
{
  return g_atomic_int_get (&self->stop_requested) != 0;
}

static void
measure_level (CradleMonitor *self,
               const float   *x,
               gsize          n)
{
  double sum = 0.0;
  float peak = 0.0f;

  if (n == 0)
    return;
  for (gsize i = 0; i < n; i++)
    {
      sum += (double) x[i] * x[i];
      peak = MAX (peak, fabsf (x[i]));
    }
  self->level_dbfs = (float) (10.0 * log10 (MAX (sum / n, 1e-12)));
  self->peak_dbfs = (float) (20.0 * log10 (MAX (peak, 1e-6f)));
}

/* ---- The chime ------------------------------------------------------------------- */

#define CHIME_SECONDS 0.8

float *
cradle_monitor_make_chime (guint  rate,
                           gsize *n_samples)
{
  /* Two bell-like notes, E6 then C6, each a sine with a 5 ms attack and
   * an exponential decay, well above a cry's pitch. */
  static const struct { double start, hz; } notes[] = { { 0.0, 1318.51 }, { 0.28, 1046.50 } };
  gsize n = (gsize) (CHIME_SECONDS * rate);
  float *x = g_new0 (float, n);

  g_return_val_if_fail (rate > 0, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (notes); k++)
    for (gsize i = (gsize) (notes[k].start * rate); i < n; i++)
      {
        double t = (double) i / rate - notes[k].start;
        double envelope = MIN (t / 0.005, 1.0) * exp (-t / 0.15);

        x[i] += (float) (0.25 * envelope * sin (2.0 * G_PI * notes[k].hz * t));
      }
  *n_samples = n;
  return x;
}

/* On the worker thread, with the blocking PortAudio API (no callback).
 * While listening the capture holds PortAudio initialised, so this
 * acquire only counts one more user. */
static gboolean
play_chime (GError **error)
{
  PaStream *stream = NULL;
  PaError err;
  PaDeviceIndex device;
  const PaDeviceInfo *info;
  g_autofree char *device_name = NULL;
  double rate;
  g_autofree float *x = NULL;
  gsize n;

  if (!cradle_portaudio_acquire (CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_SOUND, error))
    {
      g_prefix_error (error, "Could not play the alert sound: ");
      return FALSE;
    }
  device = Pa_GetDefaultOutputDevice ();
  info = device != paNoDevice ? Pa_GetDeviceInfo (device) : NULL;
  if (info == NULL)
    {
      cradle_portaudio_release ();
      g_set_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_SOUND,
                   "Could not play the alert sound: there is no output device");
      return FALSE;
    }
  device_name = g_strdup (info->name);
  rate = info->defaultSampleRate;
  x = cradle_monitor_make_chime ((guint) rate, &n);
  err = Pa_OpenDefaultStream (&stream, 0, 1, paFloat32, rate, paFramesPerBufferUnspecified, NULL,
                              NULL);
  if (err == paNoError)
    {
      CradlePortaudioStop how = CRADLE_PORTAUDIO_CLOSE;

      err = Pa_StartStream (stream);
      if (err == paNoError)
        {
          err = Pa_WriteStream (stream, x, n);
          how = err == paNoError || err == paOutputUnderflowed ? CRADLE_PORTAUDIO_DRAIN
                                                               : CRADLE_PORTAUDIO_ABORT;
        }
      /* Bounded: a wedged output is left, and said. */
      if (!cradle_portaudio_close_stream (stream, how, device_name, NULL, NULL,
                                          CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_SOUND, error))
        {
          g_prefix_error (error, "Could not play the alert sound: ");
          cradle_portaudio_release ();
          return FALSE;
        }
    }
  if (err != paNoError && err != paOutputUnderflowed)
    {
      g_set_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_SOUND,
                   "Could not play the alert sound on “%s”: %s",
                   device_name, Pa_GetErrorText (err));
      cradle_portaudio_release ();
      return FALSE;
    }
  cradle_portaudio_release ();
  return TRUE;
}

static void
maybe_chime (CradleMonitor *self)
{
  GError *error = NULL;

  if (!g_atomic_int_compare_and_exchange (&self->chime_requested, 1, 0))
    return;
  if (!play_chime (&error))
    emit_error (self, error, FALSE, 0.0);
}

static void
push (CradleMonitor *self,
      const float   *x,
      gsize          n)
{
  measure_level (self, x, n);
  cradle_detector_push (self->detector, x, n);
  drain (self);
  if (self->spectrum_enabled)
    spectrum_push (self, x, n);
  emit_status (self, FALSE);
  maybe_chime (self);
}

static void
run_file (CradleMonitor *self)
{
  GError *error = NULL;
  CradleAudio *audio = cradle_audio_load (self->input_path, self->rate, &error);
  gsize chunk = (gsize) (CRADLE_MONITOR_CHUNK_SECONDS * self->rate);
  gint64 t0 = g_get_monotonic_time ();

  if (audio == NULL)
    {
      self->ok = FALSE;
      emit_error (self, error, TRUE, 0.0);
      return;
    }
  for (gsize off = 0; off < audio->n_samples && !stop_requested (self); off += chunk)
    {
      gsize n = MIN (chunk, audio->n_samples - off);

      if (self->realtime)
        {
          gint64 due = t0 + (gint64) ((double) off / audio->sample_rate * G_USEC_PER_SEC);
          gint64 now = g_get_monotonic_time ();

          if (due > now)
            g_usleep ((gulong) (due - now));
        }
      push (self, audio->samples + off, n);
    }
  cradle_audio_free (audio);
}

static void
run_device (CradleMonitor *self)
{
  gsize chunk = (gsize) (CRADLE_MONITOR_CHUNK_SECONDS * self->rate);
  g_autofree float *buf = g_new (float, chunk);
  guint backoff = 1;
  guint failures = 0;

  while (!stop_requested (self))
    {
      GError *error = NULL;
      g_autoptr(CradleCapture) capture
          = cradle_capture_open (self->device, self->rate, 5.0, &error);
      guint64 overruns_before = self->overruns;

      if (capture == NULL || !cradle_capture_start (capture, &error))
        {
          /* No such device at the first attempt is a mistake in the
           * settings; anything else may pass. */
          if (g_error_matches (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE)
              && failures == 0)
            {
              self->ok = FALSE;
              emit_error (self, error, TRUE, 0.0);
              return;
            }
          goto retry;
        }
      {
        CradleMonitorReport *report = report_new (CRADLE_MONITOR_REPORT_LISTENING);

        report->device = g_strdup (cradle_capture_get_device_name (capture));
        report->device_rate = cradle_capture_get_device_rate (capture);
        report->time = cradle_detector_get_time (self->detector);
        emit (self, report);
      }
      self->current_device = cradle_capture_get_device_name (capture);
      backoff = 1;
      while (!stop_requested (self))
        {
          gssize n = cradle_capture_read (capture, buf, chunk, 200, &error);

          if (n < 0)
            break;
          self->overruns = overruns_before + cradle_capture_get_overruns (capture);
          if (n > 0)
            push (self, buf, (gsize) n);
        }
      self->current_device = NULL;
      {
        /* Bounded: a device wedged by a dead sound server is left open,
         * said, and another opened. */
        GError *stop_error = NULL;

        if (!cradle_capture_stop (capture, &stop_error))
          {
            if (error != NULL && !stop_requested (self))
              {
                /* One message for the retry: what failed, then the stop. */
                g_prefix_error (&stop_error, "%s; ", error->message);
                g_clear_error (&error);
                error = stop_error;
              }
            else
              emit_error (self, stop_error, FALSE, 0.0);
          }
      }
      if (stop_requested (self))
        {
          g_clear_error (&error);
          break;
        }

    retry:
      failures++;
      if (error == NULL)
        g_set_error (&error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STREAM,
                     "The input device failed");
      emit_error (self, error, FALSE, backoff);
      for (guint i = 0; i < backoff * 10 && !stop_requested (self); i++)
        g_usleep (G_USEC_PER_SEC / 10);
      backoff = MIN (backoff * 2, (guint) CRADLE_MONITOR_MAX_BACKOFF_SECONDS);
    }
}

static gpointer
worker (gpointer data)
{
  CradleMonitor *self = data;

  self->wall_us = g_get_real_time ();
  self->ok = TRUE;
  if (self->dataset == NULL && self->dataset_dir != NULL)
    {
      GError *error = NULL;

      self->dataset = cradle_dataset_open (self->dataset_dir, &error);
      if (self->dataset == NULL)
        {
          self->ok = FALSE;
          emit_error (self, error, TRUE, 0.0);
          goto out;
        }
    }

  if (self->input_path != NULL)
    run_file (self);
  else
    run_device (self);
  cradle_detector_finish (self->detector);
  drain (self);
  emit_status (self, TRUE);

out:
  emit (self, report_new (CRADLE_MONITOR_REPORT_STOPPED));
  g_atomic_int_set (&self->running, 0);
  return NULL;
}

/* ---- Public API ------------------------------------------------------------------ */

CradleMonitor *
cradle_monitor_new (CradleModel                  *detect,
                    CradleModel                  *cause,
                    const CradleDetectorSettings *settings,
                    GError                      **error)
{
  g_autoptr(CradleModel) owned_detect = detect;
  g_autoptr(CradleModel) owned_cause = cause;
  CradleMonitor *self;
  CradleDetector *detector;

  g_return_val_if_fail (detect != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  detector = cradle_detector_new (detect, cause, settings, error);
  if (detector == NULL)
    return NULL;

  self = g_new0 (CradleMonitor, 1);
  self->detect = g_steal_pointer (&owned_detect);
  self->cause = g_steal_pointer (&owned_cause);
  self->detector = detector;
  self->rate = cradle_detector_get_rate (detector);
  self->relay = g_new0 (Relay, 1);
  g_atomic_ref_count_init (&self->relay->ref);
  self->level_dbfs = -120.0f;
  self->peak_dbfs = -120.0f;
  return self;
}

void
cradle_monitor_free (CradleMonitor *self)
{
  if (self == NULL)
    return;

  cradle_monitor_stop (self);
  cradle_monitor_join (self);
  self->relay->detached = TRUE;
  relay_unref (self->relay);
  g_clear_pointer (&self->context, g_main_context_unref);
  spectrum_clear (&self->spectrum);
  g_clear_pointer (&self->dataset, cradle_dataset_free);
  g_clear_pointer (&self->detector, cradle_detector_free);
  g_clear_pointer (&self->detect, cradle_model_free);
  g_clear_pointer (&self->cause, cradle_model_free);
  g_free (self->device);
  g_free (self->input_path);
  g_free (self->dataset_dir);
  g_free (self);
}

void
cradle_monitor_set_device (CradleMonitor *self,
                           const char    *device)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  g_clear_pointer (&self->input_path, g_free);
  g_free (self->device);
  self->device = g_strdup (device != NULL && *device != '\0' ? device : "default");
}

void
cradle_monitor_set_input_file (CradleMonitor *self,
                               const char    *path,
                               gboolean       realtime)
{
  g_return_if_fail (self != NULL && self->thread == NULL);
  g_return_if_fail (path != NULL);

  g_clear_pointer (&self->device, g_free);
  g_free (self->input_path);
  self->input_path = g_strdup (path);
  self->realtime = realtime;
}

void
cradle_monitor_set_dataset (CradleMonitor *self,
                            CradleDataset *dataset)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  g_clear_pointer (&self->dataset, cradle_dataset_free);
  g_clear_pointer (&self->dataset_dir, g_free);
  self->dataset = dataset;
}

void
cradle_monitor_set_dataset_dir (CradleMonitor *self,
                                const char    *dir)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  g_clear_pointer (&self->dataset, cradle_dataset_free);
  g_free (self->dataset_dir);
  self->dataset_dir = g_strdup (dir);
}

void
cradle_monitor_set_model_id (CradleMonitor *self,
                             gint64         model_id)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  self->model_id = model_id;
}

void
cradle_monitor_set_spectrum (CradleMonitor *self,
                             gboolean       enabled)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  self->spectrum_enabled = enabled;
}

void
cradle_monitor_set_report_func (CradleMonitor           *self,
                                CradleMonitorReportFunc  func,
                                gpointer                 user_data,
                                GMainContext            *context)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  self->func = func;
  self->user_data = user_data;
  self->relay->func = func;
  self->relay->user_data = user_data;
  g_clear_pointer (&self->context, g_main_context_unref);
  if (context != NULL)
    self->context = g_main_context_ref (context);
}

void
cradle_monitor_set_window_func (CradleMonitor            *self,
                                CradleDetectorWindowFunc  func,
                                gpointer                  user_data)
{
  g_return_if_fail (self != NULL && self->thread == NULL);

  cradle_detector_set_window_func (self->detector, func, user_data);
}

guint
cradle_monitor_get_rate (CradleMonitor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rate;
}

const CradleDetectorSettings *
cradle_monitor_get_settings (CradleMonitor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cradle_detector_get_settings (self->detector);
}

gboolean
cradle_monitor_start (CradleMonitor *self,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread != NULL)
    {
      g_set_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_RUNNING,
                   "The monitor was already started");
      return FALSE;
    }
  if (self->device == NULL && self->input_path == NULL)
    {
      g_set_error (error, CRADLE_MONITOR_ERROR, CRADLE_MONITOR_ERROR_NO_SOURCE,
                   "The monitor has neither an input device nor a file to read");
      return FALSE;
    }
  if (self->spectrum_enabled && self->spectrum.stft == NULL
      && !spectrum_init (&self->spectrum, self->rate, error))
    return FALSE;

  g_atomic_int_set (&self->running, 1);
  self->thread = g_thread_new ("cradle-monitor", worker, self);
  return TRUE;
}

void
cradle_monitor_stop (CradleMonitor *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->stop_requested, 1);
}

void
cradle_monitor_chime (CradleMonitor *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->chime_requested, 1);
}

gboolean
cradle_monitor_is_running (CradleMonitor *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_atomic_int_get (&self->running) != 0;
}

gboolean
cradle_monitor_join (CradleMonitor *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread == NULL)
    return FALSE;
  g_thread_join (self->thread);
  self->thread = NULL;
  return self->ok;
}

/* ---- Room calibration ----------------------------------------------------------------- */

int
cradle_monitor_record_background (CradleDataset         *dataset,
                                  const char            *device,
                                  guint                  rate,
                                  double                 seconds,
                                  double                 clip_seconds,
                                  CradleCalibrationFunc  progress,
                                  gpointer               user_data,
                                  GCancellable          *cancellable,
                                  GError               **error)
{
  g_autoptr(CradleCapture) capture = NULL;
  g_autofree float *clip = NULL;
  gsize clip_n, fill = 0;
  guint total, saved = 0;

  g_return_val_if_fail (dataset != NULL, -1);
  g_return_val_if_fail (rate > 0 && clip_seconds > 0 && seconds >= clip_seconds, -1);

  total = (guint) floor (seconds / clip_seconds + 1e-9);
  clip_n = (gsize) llround (clip_seconds * rate);
  clip = g_new (float, clip_n);
  capture = cradle_capture_open (device, rate, 5.0, error);
  if (capture == NULL || !cradle_capture_start (capture, error))
    return -1;

  while (saved < total)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      n = cradle_capture_read (capture, clip + fill, clip_n - fill, 200, error);
      if (n < 0)
        return -1;
      fill += (gsize) n;
      if (fill == clip_n)
        {
          CradleAudio audio = { .samples = clip, .n_samples = clip_n, .sample_rate = rate };
          CradleRecordingSpec spec = {
            .audio = &audio,
            .label = "background",
            .label_status = CRADLE_LABEL_STATUS_CONFIRMED,
            .labeler = "cradle-calibration",
            .confidence = -1,
            .source = "record",
            .device = cradle_capture_get_device_name (capture),
            .notes = "room calibration: the room's own noise",
            .file_stem = "room",
          };

          if (cradle_dataset_add_recording (dataset, &spec, error) <= 0)
            return -1;
          saved++;
          fill = 0;
        }
      if (progress != NULL)
        progress (saved, total, saved * clip_seconds + (double) fill / rate, user_data);
    }
  return (int) saved;
}
