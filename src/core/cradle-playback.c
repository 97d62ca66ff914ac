/* cradle-playback.c — playing a mono buffer through PortAudio
 *
 * The callback copies from the owned buffer and publishes, through a
 * sequence lock of atomics, the index of the first frame it handed over,
 * the monotonic time it ran and how long that buffer takes to reach the
 * DAC (outputBufferDacTime − currentTime, PortAudio's output latency for
 * that buffer). The position is then that frame plus the time elapsed
 * since, less the latency: no call into PortAudio from the reader, so any
 * thread may ask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-playback.h"

#include <fcntl.h>
#include <math.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle-audio.h"
#include "cradle-portaudio-private.h"

G_DEFINE_QUARK (cradle-playback-error-quark, cradle_playback_error)

#define FRAMES_PER_BUFFER 512

struct _CradlePlayback
{
  /* The caller's, and a left stream's close helper's while it may still
   * call the callbacks (cradle-portaudio-private.h). */
  gatomicrefcount  ref;
  char            *device;        /* as asked for; NULL = default */
  char            *stream_device; /* the open stream's device name */
  char            *left_device;   /* set when a stream did not stop in time */
  gboolean         pa_acquired;
  PaStream        *stream;
  int              channels;
  double           rate;          /* the stream's rate */
  float           *buffer;        /* n_frames at RATE (owned, unchanged while playing) */
  gsize            n_frames;
  guint64          tail_frames;   /* silence after the end, so the end is heard before the stream stops */
  double           offset;        /* seconds into the caller's buffer of buffer[0] */

  /* Written by the callback (and play/stop while no stream runs). */
  atomic_uint_fast64_t next_frame;   /* the next frame the callback copies */
  atomic_uint          seq;          /* odd while the three below change */
  atomic_uint_fast64_t cb_frame;     /* first frame of the latest callback */
  atomic_int_fast64_t  cb_time_us;   /* g_get_monotonic_time () in that callback */
  atomic_int_fast64_t  cb_latency_us;/* until that callback's first frame is heard */
  atomic_bool          playing;
  atomic_uint_fast64_t last_position;  /* bits of a double: where a stop or the end left it */
};

/* PortAudio is started and stopped under one lock shared with every other
 * user in core (cradle-portaudio-private.h). */
static gboolean
pa_acquire (GError **error)
{
  return cradle_portaudio_acquire (CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INIT, error);
}

static void
pa_release (void)
{
  cradle_portaudio_release ();
}

CradlePlayback *
cradle_playback_new (const char  *device,
                     GError     **error)
{
  CradlePlayback *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (CradlePlayback, 1);
  g_atomic_ref_count_init (&self->ref);
  if (device != NULL && *device != '\0' && g_ascii_strcasecmp (device, "default") != 0)
    self->device = g_strdup (device);
  atomic_init (&self->next_frame, 0);
  atomic_init (&self->seq, 0);
  atomic_init (&self->cb_frame, 0);
  atomic_init (&self->cb_time_us, 0);
  atomic_init (&self->cb_latency_us, 0);
  atomic_init (&self->playing, false);
  atomic_init (&self->last_position, 0);
  return self;
}

static void
playback_unref (gpointer data)
{
  CradlePlayback *self = data;

  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_free (self->buffer);
  g_free (self->device);
  g_free (self->stream_device);
  g_free (self->left_device);
  g_free (self);
}

void
cradle_playback_free (CradlePlayback *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  if (!cradle_playback_stop (self, &error))
    g_debug ("%s", error->message);
  if (self->pa_acquired)
    pa_release ();
  self->pa_acquired = FALSE;
  playback_unref (self);
}

/* The real-time side: copy, publish where we are, never block. */
static int
playback_callback (const void                     *input,
                   void                           *output,
                   unsigned long                   frame_count,
                   const PaStreamCallbackTimeInfo *time_info,
                   PaStreamCallbackFlags           status,
                   void                           *user_data)
{
  CradlePlayback *self = user_data;
  float *out = output;
  guint64 first = atomic_load_explicit (&self->next_frame, memory_order_relaxed);
  guint64 n = first < self->n_frames ? MIN ((guint64) frame_count, self->n_frames - first) : 0;
  guint64 end = self->n_frames + self->tail_frames;
  gint64 latency_us = 0;

  if (time_info != NULL && time_info->outputBufferDacTime > time_info->currentTime)
    latency_us = (gint64) ((time_info->outputBufferDacTime - time_info->currentTime) * G_USEC_PER_SEC);

  if (self->channels == 1)
    {
      memcpy (out, self->buffer + first, sizeof (float) * n);
      memset (out + n, 0, sizeof (float) * (frame_count - n));
    }
  else
    {
      for (unsigned long f = 0; f < frame_count; f++)
        {
          float v = f < n ? self->buffer[first + f] : 0.0f;

          for (int c = 0; c < self->channels; c++)
            out[f * self->channels + c] = v;
        }
    }

  atomic_fetch_add_explicit (&self->seq, 1, memory_order_acq_rel);
  atomic_store_explicit (&self->cb_frame, first, memory_order_relaxed);
  atomic_store_explicit (&self->cb_time_us, g_get_monotonic_time (), memory_order_relaxed);
  atomic_store_explicit (&self->cb_latency_us, latency_us, memory_order_relaxed);
  atomic_fetch_add_explicit (&self->seq, 1, memory_order_acq_rel);
  atomic_store_explicit (&self->next_frame, first + frame_count, memory_order_release);

  /* PortAudio may drop what the device still buffers when a stream
   * completes: play the output latency's worth of silence first. */
  return first + frame_count >= end ? paComplete : paContinue;
}

static void
store_last_position (CradlePlayback *self,
                     double          seconds)
{
  guint64 bits;

  memcpy (&bits, &seconds, sizeof bits);
  atomic_store_explicit (&self->last_position, bits, memory_order_release);
}

static double
load_last_position (CradlePlayback *self)
{
  guint64 bits = atomic_load_explicit (&self->last_position, memory_order_acquire);
  double seconds;

  memcpy (&seconds, &bits, sizeof seconds);
  return seconds;
}

/* After the last buffer was played (or an abort): everything handed over. */
static void
playback_finished (void *user_data)
{
  CradlePlayback *self = user_data;

  guint64 handed = atomic_load_explicit (&self->next_frame, memory_order_acquire);

  store_last_position (self, self->offset + (double) MIN (handed, (guint64) self->n_frames) / self->rate);
  atomic_store_explicit (&self->playing, false, memory_order_release);
}

/* Frames of the buffer heard so far, from the callback's last report. */
static double
heard_frames (CradlePlayback *self)
{
  guint64 frame;
  gint64 time_us;
  gint64 latency_us;
  unsigned seq;
  double elapsed;
  double heard;
  guint64 handed;

  do
    {
      seq = atomic_load_explicit (&self->seq, memory_order_acquire);
      frame = atomic_load_explicit (&self->cb_frame, memory_order_relaxed);
      time_us = atomic_load_explicit (&self->cb_time_us, memory_order_relaxed);
      latency_us = atomic_load_explicit (&self->cb_latency_us, memory_order_relaxed);
    }
  while ((seq & 1) != 0 || seq != atomic_load_explicit (&self->seq, memory_order_acquire));

  if (seq == 0)
    return 0.0;   /* no callback yet: nothing heard */

  elapsed = (double) (g_get_monotonic_time () - time_us - latency_us) / G_USEC_PER_SEC;
  heard = (double) frame + elapsed * self->rate;
  handed = atomic_load_explicit (&self->next_frame, memory_order_acquire);
  return CLAMP (heard, 0.0, (double) MIN (handed, (guint64) self->n_frames));
}

double
cradle_playback_get_position (CradlePlayback *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  if (!atomic_load_explicit (&self->playing, memory_order_acquire) || self->rate <= 0.0)
    return load_last_position (self);
  return self->offset + heard_frames (self) / self->rate;
}

gboolean
cradle_playback_is_playing (CradlePlayback *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return atomic_load_explicit (&self->playing, memory_order_acquire);
}

static gboolean
find_device (const char     *wanted,
             PaDeviceIndex  *index,
             GError        **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *wanted_fold = NULL;
  int n = Pa_GetDeviceCount ();

  if (wanted == NULL)
    {
      *index = Pa_GetDefaultOutputDevice ();
      if (*index == paNoDevice)
        {
          g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_NO_DEVICE,
                       "There is no default audio output device");
          return FALSE;
        }
      return TRUE;
    }

  for (int i = 0; i < n; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (i);

      if (info != NULL && info->maxOutputChannels > 0 && g_str_equal (info->name, wanted))
        {
          *index = i;
          return TRUE;
        }
    }
  wanted_fold = g_utf8_casefold (wanted, -1);
  for (int i = 0; i < n; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
      g_autofree char *fold = NULL;

      if (info == NULL || info->maxOutputChannels <= 0)
        continue;
      fold = g_utf8_casefold (info->name, -1);
      if (strstr (fold, wanted_fold) != NULL)
        {
          *index = i;
          return TRUE;
        }
      g_string_append_printf (names, "%s“%s”", names->len ? ", " : "", info->name);
    }
  g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_NO_DEVICE,
               "No output device matches “%s” (there are: %s)", wanted,
               names->len > 0 ? names->str : "none");
  return FALSE;
}

gboolean
cradle_playback_play (CradlePlayback  *self,
                      const float     *samples,
                      gsize            n_frames,
                      guint            rate,
                      double           start_seconds,
                      double           end_seconds,
                      GError         **error)
{
  const PaDeviceInfo *info;
  PaStreamParameters params = { 0 };
  PaDeviceIndex index = paNoDevice;
  PaError err;
  double duration;
  gsize first;
  gsize last;
  double stream_rate;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (samples != NULL || n_frames == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cradle_playback_stop (self, error))
    return FALSE;
  if (self->left_device != NULL)
    {
      /* Its callback may still read the buffer and the counters. */
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_STOP,
                   "The output device “%s” did not stop and is still held: "
                   "restart Cradle to play again", self->left_device);
      return FALSE;
    }

  if (n_frames == 0 || rate == 0)
    {
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID,
                   "Nothing to play: %s", n_frames == 0 ? "the buffer is empty" : "the sample rate is 0");
      return FALSE;
    }
  duration = (double) n_frames / rate;
  if (!(start_seconds >= 0.0) || start_seconds >= duration)
    {
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID,
                   "Cannot play from %.3f s: the audio is %.3f s long", start_seconds, duration);
      return FALSE;
    }
  first = (gsize) floor (start_seconds * rate);
  last = end_seconds > start_seconds ? (gsize) MIN (ceil (end_seconds * rate), (double) n_frames) : n_frames;
  if (last <= first)
    last = MIN (first + 1, n_frames);

  if (!self->pa_acquired)
    {
      if (!pa_acquire (error))
        return FALSE;
      self->pa_acquired = TRUE;
    }
  if (!find_device (self->device, &index, error))
    return FALSE;
  info = Pa_GetDeviceInfo (index);

  params.device = index;
  params.channelCount = 1;
  params.sampleFormat = paFloat32;
  params.suggestedLatency = info->defaultLowOutputLatency;
  if (Pa_IsFormatSupported (NULL, &params, rate) != paFormatIsSupported)
    params.channelCount = 2;
  stream_rate = rate;
  if (Pa_IsFormatSupported (NULL, &params, stream_rate) != paFormatIsSupported)
    stream_rate = info->defaultSampleRate;
  if (Pa_IsFormatSupported (NULL, &params, stream_rate) != paFormatIsSupported)
    {
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_OPEN,
                   "The output device “%s” takes neither %u Hz nor %.0f Hz float audio",
                   info->name, rate, info->defaultSampleRate);
      return FALSE;
    }

  g_clear_pointer (&self->buffer, g_free);
  if (stream_rate != rate)
    {
      self->buffer = cradle_resample (samples + first, last - first, rate, (guint) stream_rate,
                                      &self->n_frames, error);
      if (self->buffer == NULL)
        return FALSE;
      if (self->n_frames == 0)
        {
          g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID,
                       "Nothing to play: %.3f s resampled to no frames", (double) (last - first) / rate);
          return FALSE;
        }
    }
  else
    {
      self->buffer = g_memdup2 (samples + first, sizeof (float) * (last - first));
      self->n_frames = last - first;
    }
  self->channels = params.channelCount;
  self->rate = stream_rate;
  self->offset = (double) first / rate;
  store_last_position (self, self->offset);
  atomic_store (&self->next_frame, 0);
  atomic_store (&self->seq, 0);
  atomic_store (&self->playing, true);

  err = Pa_OpenStream (&self->stream, NULL, &params, stream_rate, FRAMES_PER_BUFFER,
                       paClipOff, playback_callback, self);
  if (err != paNoError)
    {
      self->stream = NULL;
      atomic_store (&self->playing, false);
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_OPEN,
                   "Could not open the output device “%s” at %.0f Hz: %s",
                   info->name, stream_rate, Pa_GetErrorText (err));
      return FALSE;
    }
  g_free (self->stream_device);
  self->stream_device = g_strdup (info->name);
  Pa_SetStreamFinishedCallback (self->stream, playback_finished);
  {
    const PaStreamInfo *stream_info = Pa_GetStreamInfo (self->stream);
    double latency = stream_info != NULL ? stream_info->outputLatency : 0.0;

    self->tail_frames = (guint64) ceil (MAX (latency, 0.05) * stream_rate) + FRAMES_PER_BUFFER;
  }
  err = Pa_StartStream (self->stream);
  if (err != paNoError)
    {
      atomic_store (&self->playing, false);
      g_set_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_OPEN,
                   "Could not start the output device “%s”: %s", info->name, Pa_GetErrorText (err));
      cradle_playback_stop (self, NULL);
      return FALSE;
    }

  return TRUE;
}

gboolean
cradle_playback_stop (CradlePlayback  *self,
                      GError         **error)
{
  PaStream *stream;
  gboolean playing;
  double position = 0.0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->stream == NULL)
    return TRUE;

  stream = g_steal_pointer (&self->stream);
  playing = atomic_load (&self->playing);
  /* Where the listener is now, not what was handed to the device; else
   * it ended by itself and playback_finished () stored the end. */
  if (playing)
    position = self->offset + heard_frames (self) / self->rate;
  g_atomic_ref_count_inc (&self->ref);
  if (cradle_portaudio_close_stream (stream,
                                     playing ? CRADLE_PORTAUDIO_ABORT : CRADLE_PORTAUDIO_CLOSE,
                                     self->stream_device, playback_unref, self,
                                     CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_STOP, error))
    playback_unref (self);
  else
    self->left_device = g_strdup (self->stream_device);
  if (playing)
    store_last_position (self, position);
  atomic_store (&self->playing, false);
  return self->left_device == NULL;
}
