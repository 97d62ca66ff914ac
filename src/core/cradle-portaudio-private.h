/* cradle-portaudio-private.h — one lock around PortAudio's start and stop
 *
 * Pa_Initialize and Pa_Terminate are reference counted by PortAudio but not
 * thread-safe, and capture, playback and the monitor's chime start
 * PortAudio from different threads (the UI thread, the monitor's worker, a
 * Preferences device listing). Every user in core goes through this pair,
 * which serialises them under one mutex. Initialising prints the ALSA and
 * JACK back-ends' probing chatter on stderr ("cannot find card '0'", "jack
 * server is not running"), which says nothing about Cradle: stderr points at
 * /dev/null for the duration of Pa_Initialize.
 *
 * Stopping a stream is bounded. Pa_AbortStream, Pa_StopStream and
 * Pa_CloseStream join PortAudio's own threads, and a back-end stuck in the
 * sound server (a PulseAudio daemon killed mid-stream, seen under ASan)
 * never lets them return. cradle_portaudio_close_stream() runs them on a
 * helper thread and waits at most CRADLE_PORTAUDIO_STOP_TIMEOUT_MS. When
 * that passes, the stream is left to the helper on purpose — a leak, not a
 * hang — and the caller carries on with an error naming the device. A left
 * stream may still call its callback, so whatever the callback touches
 * must outlive it: the helper calls the caller's LATE_CLOSED notify once
 * the close returns, if it ever does. A left stream also holds its own
 * reference on PortAudio, so Pa_Terminate (which would close the stream
 * and hang the same way) is not called while it may still run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <portaudio.h>

G_BEGIN_DECLS

/* On failure sets ERROR in DOMAIN with CODE, "Could not start PortAudio: …". */
gboolean cradle_portaudio_acquire (GQuark    domain,
                                   gint      code,
                                   GError  **error);
/* Once for every successful acquire. */
void     cradle_portaudio_release (void);

/* How long stopping and closing a stream may take before it is left. */
#define CRADLE_PORTAUDIO_STOP_TIMEOUT_MS 4000

typedef enum {
  CRADLE_PORTAUDIO_ABORT,   /* Pa_AbortStream: drop what is buffered */
  CRADLE_PORTAUDIO_DRAIN,   /* Pa_StopStream: play what is buffered first */
  CRADLE_PORTAUDIO_CLOSE,   /* the stream is not running: close only */
} CradlePortaudioStop;

/* Stops (as HOW says) and closes STREAM, waiting at most
 * CRADLE_PORTAUDIO_STOP_TIMEOUT_MS. Returns TRUE when the stream is closed
 * (PortAudio's own stop and close errors are ignored: the stream is gone
 * either way). Otherwise sets ERROR in DOMAIN with CODE, "The sound device
 * “DEVICE_NAME” did not stop within N s", and leaves the stream to the
 * helper thread, which calls LATE_CLOSED (DATA) if the close ever
 * returns. The caller holds a PortAudio reference (acquire) and releases
 * it as usual either way. */
gboolean cradle_portaudio_close_stream (PaStream             *stream,
                                        CradlePortaudioStop   how,
                                        const char           *device_name,
                                        GDestroyNotify        late_closed,
                                        gpointer              data,
                                        GQuark                domain,
                                        gint                  code,
                                        GError              **error);

/* Tests only: while HOLD, every close waits before calling into
 * PortAudio, as a stuck back-end would; clearing it lets them go on. */
void     cradle_portaudio_hold_closes_for_tests (gboolean hold);
/* Streams left by a timed-out close that have not closed since. */
guint    cradle_portaudio_get_n_left_streams    (void);

G_END_DECLS
