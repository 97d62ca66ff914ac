/* cradle-capture.h — microphone capture with PortAudio
 *
 * The PortAudio callback only mixes the device's frames to mono and copies
 * them into a lock-free ring (cradle-ring.h): no allocation, lock, log or
 * I/O there. Samples that do not fit are counted as overruns, as are
 * PortAudio's own input overflows; neither is fatal. The reading side
 * (a worker thread) resamples to the analysis rate with libsoxr.
 *
 * A device that stops delivering audio (unplugged, sound server gone) makes
 * cradle_capture_read() fail with CRADLE_CAPTURE_ERROR_STREAM after
 * CRADLE_CAPTURE_STALL_MS without data, so the caller can close and retry.
 * Closing never hangs: see cradle_capture_stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRADLE_CAPTURE_ERROR (cradle_capture_error_quark ())

typedef enum {
  CRADLE_CAPTURE_ERROR_INIT,       /* PortAudio could not start */
  CRADLE_CAPTURE_ERROR_NO_DEVICE,  /* no input device, or none matches the name */
  CRADLE_CAPTURE_ERROR_OPEN,       /* the device refused the stream */
  CRADLE_CAPTURE_ERROR_STREAM,     /* the running stream failed or stalled */
  CRADLE_CAPTURE_ERROR_RESAMPLE,
  CRADLE_CAPTURE_ERROR_STOP,       /* the device did not stop in time (left open) */
} CradleCaptureError;

GQuark cradle_capture_error_quark (void);

/* A stream that delivers nothing for this long has failed. */
#define CRADLE_CAPTURE_STALL_MS 2000

typedef struct {
  int       index;          /* PortAudio device index */
  char     *name;
  char     *host_api;       /* "ALSA", "JACK Audio Connection Kit", … */
  guint     max_channels;   /* input channels */
  double    default_rate;
  gboolean  is_default;     /* the default input device */
} CradleInputDevice;

void       cradle_input_device_free     (CradleInputDevice *device);
/* (element-type CradleInputDevice) every device with input channels */
GPtrArray *cradle_capture_list_devices  (GError           **error);

typedef struct _CradleCapture CradleCapture;

/* Opens DEVICE — an exact name, else a case-insensitive substring of one;
 * NULL or "default" for the default input — as a mono stream at the
 * device's default rate. Samples come out at TARGET_RATE. RING_SECONDS of
 * audio can wait between reads before overruns start (≥ 1). */
CradleCapture *cradle_capture_open          (const char      *device,
                                             guint            target_rate,
                                             double           ring_seconds,
                                             GError         **error);
gboolean       cradle_capture_start         (CradleCapture   *self,
                                             GError         **error);
/* Waits up to TIMEOUT_MS for audio and returns the samples written to OUT
 * (at most MAX), 0 on timeout, or -1 with ERROR when the stream failed. */
gssize         cradle_capture_read          (CradleCapture   *self,
                                             float           *out,
                                             gsize            max,
                                             guint            timeout_ms,
                                             GError         **error);
/* Stops and closes the device; the capture cannot be started again.
 * Bounded: a device that does not stop within
 * CRADLE_PORTAUDIO_STOP_TIMEOUT_MS (4 s; a sound server that died can wedge
 * PortAudio) is left open on purpose and this fails with
 * CRADLE_CAPTURE_ERROR_STOP naming it; the caller carries on (and may open
 * a capture again). */
gboolean       cradle_capture_stop          (CradleCapture   *self,
                                             GError         **error);
/* Stops as cradle_capture_stop() does (bounded, the error dropped). */
void           cradle_capture_free          (CradleCapture   *self);

const char    *cradle_capture_get_device_name (CradleCapture *self);
double         cradle_capture_get_device_rate (CradleCapture *self);
guint          cradle_capture_get_target_rate (CradleCapture *self);
/* Device frames lost: the ring was full, or PortAudio reported an input
 * overflow (counted as one callback's worth of frames). */
guint64        cradle_capture_get_overruns    (CradleCapture *self);
/* Device frames delivered by the callback so far. */
guint64        cradle_capture_get_frames      (CradleCapture *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleInputDevice, cradle_input_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleCapture, cradle_capture_free)

G_END_DECLS
