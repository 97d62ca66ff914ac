/* cradle-recorder.h — the Record page's microphone worker
 *
 * A CradleRecorder owns one worker thread that opens a CradleCapture,
 * reads it continuously, keeps the last PREROLL seconds in a ring, and —
 * between cradle_recorder_begin() and cradle_recorder_end() — appends
 * everything it hears to the recording, which therefore starts PREROLL
 * seconds before Record was pressed. Levels (peak and RMS in dBFS over
 * 50 ms blocks), clipping and a peak envelope (one value per 10 ms) are
 * published under a mutex that only the worker and the UI thread take
 * (never the PortAudio callback); the UI polls them at up to 30 Hz.
 *
 * The worker holds its own reference: cradle_recorder_unref() on the UI
 * thread only asks it to stop, and never waits for the device to close.
 * cradle_recorder_wait_all() waits for every worker to have closed its
 * device (at exit, and in tests before the sound server is stopped).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-audio.h"

G_BEGIN_DECLS

typedef struct _CradleRecorder CradleRecorder;

typedef enum {
  CRADLE_RECORDER_OPENING,     /* the device is being opened */
  CRADLE_RECORDER_MONITORING,  /* levels and pre-roll, not recording */
  CRADLE_RECORDER_RECORDING,
  CRADLE_RECORDER_FINISHED,    /* auto-stop or length limit reached; waiting for cradle_recorder_end() */
  CRADLE_RECORDER_FAILED,      /* see error; a recording in progress is kept for cradle_recorder_end() */
} CradleRecorderState;

/* The lowest level reported, for silence. */
#define CRADLE_RECORDER_FLOOR_DB   (-90.0)
/* A recording stops by itself at this length. */
#define CRADLE_RECORDER_MAX_SECONDS (30.0 * 60.0)
/* Envelope values per second. */
#define CRADLE_RECORDER_ENVELOPE_RATE 100
/* How much envelope of what is heard (recording or not) is kept. */
#define CRADLE_RECORDER_MONITOR_SECONDS 10

typedef struct {
  CradleRecorderState  state;
  double               peak_db;          /* last 50 ms block, dBFS */
  double               rms_db;
  gboolean             clipping;         /* a sample reached full scale in the last 1.5 s */
  double               recorded_seconds; /* of the recording so far, pre-roll included */
  double               preroll_seconds;  /* of that, from before Record was pressed */
  guint64              overruns;         /* device frames lost */
  char                *device_name;      /* nullable until opened */
  char                *error_message;    /* nullable: FAILED's reason */
} CradleRecorderStatus;

void            cradle_recorder_status_clear (CradleRecorderStatus *status);

/* DEVICE: as for cradle_capture_open (NULL or "" for the default). Starts
 * the worker at once. */
CradleRecorder *cradle_recorder_new          (const char     *device,
                                              guint           sample_rate,
                                              double          preroll_seconds);
/* Asks the worker to stop (it closes the device on its own thread) and
 * drops the caller's reference; never waits. */
void            cradle_recorder_unref        (CradleRecorder *self);
guint           cradle_recorder_get_sample_rate (CradleRecorder *self);

void            cradle_recorder_get_status   (CradleRecorder       *self,
                                              CradleRecorderStatus *status);
/* Starts a recording with the pre-roll heard so far. AUTO_STOP_SECONDS > 0
 * finishes it that long after this call. FALSE when not monitoring. */
gboolean        cradle_recorder_begin        (CradleRecorder *self,
                                              double          auto_stop_seconds);
/* Ends the recording. (transfer full) (nullable): NULL when nothing was
 * recorded. CREATED: unix time of the first sample. */
CradleAudio    *cradle_recorder_end          (CradleRecorder *self,
                                              gint64         *created);
/* Copies the last MAX envelope values (peak |x| per 1/100 s) of the
 * recording in progress into OUT; returns how many. */
gsize           cradle_recorder_copy_envelope (CradleRecorder *self,
                                               float          *out,
                                               gsize           max);

/* Waits up to TIMEOUT_MS for every stopped worker to finish; FALSE on
 * timeout. */
gboolean        cradle_recorder_wait_all      (guint           timeout_ms);

/* The same for the last CRADLE_RECORDER_MONITOR_SECONDS heard, recording
 * or not, oldest first. */
gsize           cradle_recorder_copy_monitor_envelope (CradleRecorder *self,
                                                       float          *out,
                                                       gsize           max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleRecorder, cradle_recorder_unref)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleRecorderStatus, cradle_recorder_status_clear)

G_END_DECLS
