/* cradle-capture.c — microphone capture with PortAudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-capture.h"

#include <fcntl.h>
#include <portaudio.h>
#include <soxr.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle-portaudio-private.h"
#include "cradle-ring.h"

G_DEFINE_QUARK (cradle-capture-error-quark, cradle_capture_error)

/* Frames per PortAudio callback: 32 ms at 16 kHz, 11.6 ms at 44.1 kHz. */
#define FRAMES_PER_BUFFER 512
/* The callback mixes to mono through this preallocated scratch. */
#define MIX_FRAMES        1024
/* How much device audio the reader converts per step. */
#define READ_CHUNK        4096
/* How often a read with nothing waiting looks again: 50 wake-ups a second
 * at most, a small part of a window hop. */
#define CRADLE_CAPTURE_POLL_US 20000

struct _CradleCapture
{
  /* The caller's, and a left stream's close helper's while it may still
   * call the callback (cradle-portaudio-private.h). */
  gatomicrefcount ref;
  PaStream       *stream;
  char           *device_name;
  double          device_rate;
  guint           target_rate;
  int             channels;
  CradleRing     *ring;
  soxr_t          soxr;
  float          *chunk;          /* READ_CHUNK device samples */
  gboolean        pa_acquired;
  gboolean        started;
  gint64          last_data_us;   /* reader side: when data last arrived */

  /* Written by the callback, read by anyone. */
  atomic_uint_fast64_t overruns;
  atomic_uint_fast64_t frames;
  float           mix[MIX_FRAMES];
};

/* PortAudio is started and stopped under one lock shared with every other
 * user in core (cradle-portaudio-private.h). */
static gboolean
pa_acquire (GError **error)
{
  return cradle_portaudio_acquire (CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_INIT, error);
}

static void
pa_release (void)
{
  cradle_portaudio_release ();
}

void
cradle_input_device_free (CradleInputDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->host_api);
  g_free (device);
}

static GPtrArray *
list_devices_locked (void)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_input_device_free);
  PaDeviceIndex default_input = Pa_GetDefaultInputDevice ();
  int n = Pa_GetDeviceCount ();

  for (int i = 0; i < n; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
      const PaHostApiInfo *api;
      CradleInputDevice *device;

      if (info == NULL || info->maxInputChannels <= 0)
        continue;
      api = Pa_GetHostApiInfo (info->hostApi);
      device = g_new0 (CradleInputDevice, 1);
      device->index = i;
      device->name = g_strdup (info->name);
      device->host_api = g_strdup (api != NULL ? api->name : "");
      device->max_channels = (guint) info->maxInputChannels;
      device->default_rate = info->defaultSampleRate;
      device->is_default = (i == default_input);
      g_ptr_array_add (devices, device);
    }
  return devices;
}

GPtrArray *
cradle_capture_list_devices (GError **error)
{
  GPtrArray *devices;

  if (!pa_acquire (error))
    return NULL;
  devices = list_devices_locked ();
  pa_release ();
  return devices;
}

/* The real-time side: mix to mono, copy into the ring, count losses. */
static int
capture_callback (const void                     *input,
                  void                           *output,
                  unsigned long                   frame_count,
                  const PaStreamCallbackTimeInfo *time_info,
                  PaStreamCallbackFlags           status,
                  void                           *user_data)
{
  CradleCapture *self = user_data;
  const float *in = input;
  unsigned long done = 0;
  guint64 lost = 0;

  if (status & paInputOverflow)
    lost += frame_count;
  if (in == NULL)
    return paContinue;

  while (done < frame_count)
    {
      unsigned long n = MIN (frame_count - done, (unsigned long) MIX_FRAMES);
      const float *src;

      if (self->channels == 1)
        src = in + done;
      else
        {
          const float *frames = in + done * self->channels;
          float scale = 1.0f / self->channels;

          for (unsigned long f = 0; f < n; f++)
            {
              float sum = 0.0f;

              for (int c = 0; c < self->channels; c++)
                sum += frames[f * self->channels + c];
              self->mix[f] = sum * scale;
            }
          src = self->mix;
        }
      lost += n - cradle_ring_write (self->ring, src, n);
      done += n;
    }

  atomic_fetch_add_explicit (&self->frames, frame_count, memory_order_relaxed);
  if (lost > 0)
    atomic_fetch_add_explicit (&self->overruns, lost, memory_order_relaxed);
  return paContinue;
}

static gboolean
find_device (const char         *wanted,
             PaDeviceIndex      *index,
             GError            **error)
{
  g_autoptr(GPtrArray) devices = list_devices_locked ();
  g_autofree char *wanted_fold = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (devices->len == 0)
    {
      g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE,
                   "There is no audio input device");
      return FALSE;
    }

  if (wanted == NULL || g_ascii_strcasecmp (wanted, "default") == 0)
    {
      PaDeviceIndex def = Pa_GetDefaultInputDevice ();

      if (def == paNoDevice)
        {
          g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE,
                       "There is no default audio input device");
          return FALSE;
        }
      *index = def;
      return TRUE;
    }

  for (guint i = 0; i < devices->len; i++)
    {
      CradleInputDevice *d = g_ptr_array_index (devices, i);

      if (g_str_equal (d->name, wanted))
        {
          *index = d->index;
          return TRUE;
        }
    }
  wanted_fold = g_utf8_casefold (wanted, -1);
  for (guint i = 0; i < devices->len; i++)
    {
      CradleInputDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *fold = g_utf8_casefold (d->name, -1);

      if (strstr (fold, wanted_fold) != NULL)
        {
          *index = d->index;
          return TRUE;
        }
      g_string_append_printf (names, "%s“%s”", names->len ? ", " : "", d->name);
    }
  g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE,
               "No input device matches “%s” (there are: %s)", wanted, names->str);
  return FALSE;
}

CradleCapture *
cradle_capture_open (const char  *device,
                     guint        target_rate,
                     double       ring_seconds,
                     GError     **error)
{
  g_autoptr(CradleCapture) self = NULL;
  const PaDeviceInfo *info;
  PaStreamParameters params = { 0 };
  PaDeviceIndex index = paNoDevice;
  PaError err;
  soxr_error_t soxr_err = NULL;
  soxr_io_spec_t io;
  soxr_quality_spec_t quality;

  g_return_val_if_fail (target_rate >= 1000 && target_rate <= 768000, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pa_acquire (error))
    return NULL;
  self = g_new0 (CradleCapture, 1);
  g_atomic_ref_count_init (&self->ref);
  self->target_rate = target_rate;
  atomic_init (&self->overruns, 0);
  atomic_init (&self->frames, 0);
  self->pa_acquired = TRUE;

  if (!find_device (device, &index, error))
    return NULL;
  info = Pa_GetDeviceInfo (index);
  self->device_name = g_strdup (info->name);
  self->device_rate = info->defaultSampleRate;

  params.device = index;
  params.sampleFormat = paFloat32;
  params.suggestedLatency = info->defaultHighInputLatency;
  /* Mono when the device takes it (ALSA's plug layer and sound servers
   * do); else its own channels, mixed down in the callback. */
  params.channelCount = 1;
  if (Pa_IsFormatSupported (&params, NULL, self->device_rate) != paFormatIsSupported)
    params.channelCount = MIN (info->maxInputChannels, 2);
  self->channels = params.channelCount;

  self->ring = cradle_ring_new ((gsize) (MAX (ring_seconds, 1.0) * self->device_rate));
  self->chunk = g_new (float, READ_CHUNK);

  io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  quality = soxr_quality_spec (SOXR_HQ, 0);
  self->soxr = soxr_create (self->device_rate, target_rate, 1, &soxr_err, &io, &quality, NULL);
  if (soxr_err != NULL)
    {
      g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_RESAMPLE,
                   "Could not resample “%s” from %g Hz to %u Hz: %s",
                   self->device_name, self->device_rate, target_rate, soxr_err);
      return NULL;
    }

  err = Pa_OpenStream (&self->stream, &params, NULL, self->device_rate, FRAMES_PER_BUFFER,
                       paNoFlag, capture_callback, self);
  if (err != paNoError)
    {
      self->stream = NULL;
      g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_OPEN,
                   "Could not open the input device “%s” at %g Hz: %s",
                   self->device_name, self->device_rate, Pa_GetErrorText (err));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
cradle_capture_start (CradleCapture  *self,
                      GError        **error)
{
  PaError err;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->stream != NULL, FALSE);   /* not after a stop */

  if (self->started)
    return TRUE;
  err = Pa_StartStream (self->stream);
  if (err != paNoError)
    {
      g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_OPEN,
                   "Could not start recording from “%s”: %s",
                   self->device_name, Pa_GetErrorText (err));
      return FALSE;
    }
  self->started = TRUE;
  self->last_data_us = g_get_monotonic_time ();
  return TRUE;
}

gssize
cradle_capture_read (CradleCapture  *self,
                     float          *out,
                     gsize           max,
                     guint           timeout_ms,
                     GError        **error)
{
  gint64 deadline;
  gsize written = 0;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (out != NULL || max == 0, -1);
  g_return_val_if_fail (self->started, -1);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      gint64 now;

      /* Convert what is waiting, without producing more than MAX. */
      while (written < max)
        {
          double ratio = self->target_rate / self->device_rate;
          gsize want = (gsize) ((max - written) / ratio) + 1;
          gsize got = cradle_ring_read (self->ring, self->chunk, MIN (want, (gsize) READ_CHUNK));
          size_t idone = 0;
          size_t odone = 0;
          soxr_error_t err;

          if (got == 0)
            break;
          err = soxr_process (self->soxr, self->chunk, got, &idone, out + written,
                              max - written, &odone);
          if (err != NULL)
            {
              g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_RESAMPLE,
                           "Resampling audio from “%s” failed: %s", self->device_name, err);
              return -1;
            }
          written += odone;
          self->last_data_us = g_get_monotonic_time ();
        }
      if (written > 0)
        return (gssize) written;

      now = g_get_monotonic_time ();
      if (Pa_IsStreamActive (self->stream) != 1)
        {
          g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STREAM,
                       "Recording from “%s” stopped", self->device_name);
          return -1;
        }
      if (now - self->last_data_us > (gint64) CRADLE_CAPTURE_STALL_MS * 1000)
        {
          g_set_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STREAM,
                       "No audio from “%s” for %d s: the device or the sound server is gone",
                       self->device_name, CRADLE_CAPTURE_STALL_MS / 1000);
          return -1;
        }
      if (now >= deadline)
        return 0;
      g_usleep (MIN (CRADLE_CAPTURE_POLL_US, deadline - now));
    }
}

static void
capture_unref (gpointer data)
{
  CradleCapture *self = data;

  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  if (self->soxr != NULL)
    soxr_delete (self->soxr);
  g_clear_pointer (&self->ring, cradle_ring_free);
  g_free (self->chunk);
  g_free (self->device_name);
  g_free (self);
}

gboolean
cradle_capture_stop (CradleCapture  *self,
                     GError        **error)
{
  PaStream *stream;
  gboolean closed;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->stream == NULL)
    return TRUE;
  stream = g_steal_pointer (&self->stream);
  /* If the stream is left, its callback may still write into SELF: the
   * helper keeps a reference until the close returns. */
  g_atomic_ref_count_inc (&self->ref);
  closed = cradle_portaudio_close_stream (stream,
                                          self->started ? CRADLE_PORTAUDIO_ABORT
                                                        : CRADLE_PORTAUDIO_CLOSE,
                                          self->device_name, capture_unref, self,
                                          CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STOP, error);
  if (closed)
    capture_unref (self);
  self->started = FALSE;
  return closed;
}

void
cradle_capture_free (CradleCapture *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  /* Callers that want to hear about a device that would not stop call
   * cradle_capture_stop() first; here it is only bounded. */
  if (!cradle_capture_stop (self, &error))
    g_debug ("%s", error->message);
  if (self->pa_acquired)
    pa_release ();
  self->pa_acquired = FALSE;
  capture_unref (self);
}

const char *
cradle_capture_get_device_name (CradleCapture *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->device_name;
}

double
cradle_capture_get_device_rate (CradleCapture *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->device_rate;
}

guint
cradle_capture_get_target_rate (CradleCapture *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->target_rate;
}

guint64
cradle_capture_get_overruns (CradleCapture *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return atomic_load_explicit (&self->overruns, memory_order_relaxed);
}

guint64
cradle_capture_get_frames (CradleCapture *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return atomic_load_explicit (&self->frames, memory_order_relaxed);
}
