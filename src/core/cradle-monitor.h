/* cradle-monitor.h — the live monitor: capture → detector → dataset, on a
 * worker thread
 *
 * A CradleMonitor owns one worker thread that reads audio — a CradleCapture
 * on an input device (by name, or the default), or a file, as fast as it
 * can or at its own pace — pushes it through a CradleDetector, saves each
 * ended event's clip (with its pre-roll) in the dataset as a recording
 * labelled "predicted, unreviewed" plus a monitor_events row, and reopens a
 * device that failed with back-off (1, 2, 4 … 30 s). `cradle-cli monitor`
 * and the app's Monitor page both run on it, so they share one code path.
 *
 * What happens is reported as CradleMonitorReport values: status ticks
 * (stream time, P(cry), its EMA, the input level) about ten times a second,
 * log-mel spectrum columns of the recent audio for a live spectrogram (so a
 * view never computes features), the detector's notices (alert, cause,
 * escalation, end — with the saved recording's id), device errors and
 * retries, and a final STOPPED. Reports go to a callback, either on the
 * worker thread or, when a GMainContext is given, dispatched in that
 * context in the order they were made.
 *
 * Lifetime: cradle_monitor_start() starts the worker; cradle_monitor_stop()
 * asks it to end (thread-safe, returns at once): the open event is ended
 * and saved, then STOPPED is the last report. cradle_monitor_join() waits
 * for the worker; cradle_monitor_free() stops, joins and drops the reports
 * not yet dispatched (call it from the report context's thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cradle-dataset.h"
#include "cradle-detector.h"
#include "cradle-model.h"

G_BEGIN_DECLS

#define CRADLE_MONITOR_ERROR (cradle_monitor_error_quark ())

typedef enum {
  CRADLE_MONITOR_ERROR_NO_SOURCE,  /* neither a device nor a file was set */
  CRADLE_MONITOR_ERROR_RUNNING,    /* started twice */
  CRADLE_MONITOR_ERROR_SOUND,      /* the alert chime could not play */
} CradleMonitorError;

GQuark cradle_monitor_error_quark (void);

/* Device retries after a failed stream: 1, 2, 4 … at most this. */
#define CRADLE_MONITOR_MAX_BACKOFF_SECONDS 30
/* Samples read and pushed at a time. */
#define CRADLE_MONITOR_CHUNK_SECONDS       0.1
/* Status reports are at most this often (wall clock). */
#define CRADLE_MONITOR_STATUS_INTERVAL_MS  100
/* The live spectrum: mel bands and the column step. */
#define CRADLE_MONITOR_SPECTRUM_BANDS      64

typedef enum {
  CRADLE_MONITOR_REPORT_LISTENING,  /* the device is open: DEVICE, DEVICE_RATE */
  CRADLE_MONITOR_REPORT_STATUS,     /* TIME, P_CRY, EMA, LEVEL_DBFS, PEAK_DBFS, IN_EVENT */
  CRADLE_MONITOR_REPORT_SPECTRUM,   /* N_COLUMNS × N_BANDS dB values from TIME */
  CRADLE_MONITOR_REPORT_ALERT,      /* EVENT (start, alert, confidence) */
  CRADLE_MONITOR_REPORT_CAUSE,      /* EVENT with the cause probabilities */
  CRADLE_MONITOR_REPORT_ESCALATED,  /* EVENT */
  CRADLE_MONITOR_REPORT_ENDED,      /* EVENT with its clip; RECORDING_ID, or ERROR when
                                     * saving failed */
  CRADLE_MONITOR_REPORT_ERROR,      /* ERROR; FATAL: the monitor stops; RETRY_SECONDS > 0:
                                     * the device is retried; neither: a passing problem
                                     * (the chime) */
  CRADLE_MONITOR_REPORT_STOPPED,    /* the last report: stopped, end of file or a fatal error */
} CradleMonitorReportKind;

const char *cradle_monitor_report_kind_to_string (CradleMonitorReportKind kind);

typedef struct {
  CradleMonitorReportKind  kind;
  double                   time;          /* stream seconds (SPECTRUM: of the first column) */
  gint64                   wall_us;       /* g_get_real_time() of stream time 0 */

  /* STATUS */
  float                    p_cry;         /* the last window's P(cry) */
  float                    ema;
  float                    level_dbfs;    /* RMS of the last chunk */
  float                    peak_dbfs;
  gboolean                 in_event;
  guint64                  overruns;      /* device frames lost so far */

  /* SPECTRUM: column-major, columns[c * n_bands + b], dB (power_to_db of
   * the mel power, ref 1, of samples in [-1, 1]); BAND_HZ[b] the centres. */
  guint                    n_columns;
  guint                    n_bands;
  float                   *columns;
  const float             *band_hz;       /* valid while the monitor lives */
  double                   column_seconds;

  /* ALERT, CAUSE, ESCALATED, ENDED */
  CradleDetectorEvent     *event;
  gint64                   recording_id;  /* ENDED: the saved recording, or 0 */
  gint64                   event_id;      /* ENDED: the monitor_events row, or 0 */

  /* ERROR, or ENDED when saving failed */
  GError                  *error;
  gboolean                 fatal;
  double                   retry_seconds;

  /* LISTENING */
  char                    *device;
  double                   device_rate;
} CradleMonitorReport;

void cradle_monitor_report_free (CradleMonitorReport *report);

/* Receives REPORT (transfer none: valid during the call). */
typedef void (*CradleMonitorReportFunc) (const CradleMonitorReport *report,
                                         gpointer                   user_data);

typedef struct _CradleMonitor CradleMonitor;

/* DETECT (a detect model) and CAUSE (nullable, a cause model) are owned by
 * the monitor from here on (transfer full), also when it fails. */
CradleMonitor *cradle_monitor_new              (CradleModel                  *detect,
                                                CradleModel                  *cause,
                                                const CradleDetectorSettings *settings,
                                                GError                      **error);
void           cradle_monitor_free             (CradleMonitor                *self);

/* The source: a device (NULL or "default": the default input), or a file
 * read at its own pace (REALTIME) or as fast as possible. Set one before
 * start. */
void           cradle_monitor_set_device       (CradleMonitor                *self,
                                                const char                   *device);
void           cradle_monitor_set_input_file   (CradleMonitor                *self,
                                                const char                   *path,
                                                gboolean                      realtime);
/* Where events are saved: a dataset the worker then owns (transfer full),
 * or a folder it opens itself. Neither: events are not saved. */
void           cradle_monitor_set_dataset      (CradleMonitor                *self,
                                                CradleDataset                *dataset);
void           cradle_monitor_set_dataset_dir  (CradleMonitor                *self,
                                                const char                   *dir);
/* The models table's row of the detect model, stored with each event (0: none). */
void           cradle_monitor_set_model_id     (CradleMonitor                *self,
                                                gint64                        model_id);
/* SPECTRUM reports on or off (off by default). */
void           cradle_monitor_set_spectrum     (CradleMonitor                *self,
                                                gboolean                      enabled);
/* CONTEXT NULL: FUNC runs on the worker thread. Otherwise in CONTEXT. */
void           cradle_monitor_set_report_func  (CradleMonitor                *self,
                                                CradleMonitorReportFunc       func,
                                                gpointer                      user_data,
                                                GMainContext                 *context);
/* Every analysed window, on the worker thread (a trace). */
void           cradle_monitor_set_window_func  (CradleMonitor                *self,
                                                CradleDetectorWindowFunc      func,
                                                gpointer                      user_data);

/* The detector's rate (the detect model's analysis rate). */
guint          cradle_monitor_get_rate         (CradleMonitor                *self);
const CradleDetectorSettings *
               cradle_monitor_get_settings     (CradleMonitor                *self);

gboolean       cradle_monitor_start            (CradleMonitor                *self,
                                                GError                      **error);
/* Thread-safe; returns at once. */
void           cradle_monitor_stop             (CradleMonitor                *self);
/* Asks the worker to play the alert chime (a short two-note tone) on the
 * default output device, between two reads of the input: the worker is the
 * one thread that starts PortAudio while it listens. Thread-safe. */
void           cradle_monitor_chime            (CradleMonitor                *self);
gboolean       cradle_monitor_is_running       (CradleMonitor                *self);
/* Waits for the worker. TRUE when every event was saved and no fatal error
 * happened. */
gboolean       cradle_monitor_join             (CradleMonitor                *self);

/* The chime's samples at RATE (transfer full); *N_SAMPLES set. */
float         *cradle_monitor_make_chime       (guint                         rate,
                                                gsize                        *n_samples);

/* ---- Room calibration --------------------------------------------------- */

/* Progress of cradle_monitor_record_background: clips saved so far. */
typedef void (*CradleCalibrationFunc) (guint    saved,
                                       guint    total,
                                       double   seconds_done,
                                       gpointer user_data);

/* Records SECONDS of the room from DEVICE (NULL: default) at RATE and saves
 * it in DATASET as CLIP_SECONDS clips labelled "background", confirmed, so
 * that a detect model can learn this room's own noise. Runs on the calling
 * thread (a worker); CANCELLABLE stops it (the clips saved so far stay).
 * Returns the number of clips saved, or -1 with ERROR. */
int            cradle_monitor_record_background (CradleDataset         *dataset,
                                                 const char            *device,
                                                 guint                  rate,
                                                 double                 seconds,
                                                 double                 clip_seconds,
                                                 CradleCalibrationFunc  progress,
                                                 gpointer               user_data,
                                                 GCancellable          *cancellable,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleMonitor, cradle_monitor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleMonitorReport, cradle_monitor_report_free)

G_END_DECLS
