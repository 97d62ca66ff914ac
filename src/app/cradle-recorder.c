/* cradle-recorder.c — the Record page's microphone worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cradle-capture.h"
#include "cradle-recorder.h"

/* Samples per cradle_capture_read: 20 ms at 16 kHz. */
#define READ_SECONDS        0.02
#define READ_TIMEOUT_MS     100
/* Levels are published per block of this length. */
#define LEVEL_BLOCK_SECONDS 0.05
#define CLIP_HOLD_US        (G_USEC_PER_SEC * 3 / 2)
#define CLIP_LEVEL          0.999f
/* Audio the capture ring holds between reads. */
#define RING_SECONDS        2.0

struct _CradleRecorder
{
  gatomicrefcount  refs;          /* the owner's and the worker's */
  gint             cancelled;     /* atomic */

  /* Set at creation, then read-only. */
  char            *device;
  guint            rate;
  gsize            preroll_capacity;

  GMutex           mutex;         /* everything below */
  CradleRecorderState state;
  char            *device_name;
  char            *error_message;
  double           peak_db;
  double           rms_db;
  gint64           clip_until;
  guint64          overruns;

  float           *preroll;       /* ring of the last preroll_capacity samples */
  gsize            preroll_head;  /* next write position */
  gsize            preroll_fill;

  GArray          *recording;     /* (element-type float) nullable */
  GArray          *envelope;      /* (element-type float) peak per 1/100 s */
  float            envelope_peak; /* of the envelope block being filled */
  gsize            envelope_fill;
  gsize            preroll_used;  /* samples of the recording from before begin() */
  float            monitor[CRADLE_RECORDER_MONITOR_SECONDS * CRADLE_RECORDER_ENVELOPE_RATE];
  gsize            monitor_head;  /* next write position */
  gsize            monitor_fill;
  float            monitor_peak;  /* of the block being filled */
  gsize            monitor_block_fill;
  gsize            stop_at;       /* recording length that finishes it */
  gint64           created;
};

static GMutex workers_mutex;
static GCond  workers_cond;
static guint  n_workers;

void
cradle_recorder_status_clear (CradleRecorderStatus *status)
{
  g_clear_pointer (&status->device_name, g_free);
  g_clear_pointer (&status->error_message, g_free);
}

static void
cradle_recorder_release (CradleRecorder *self)
{
  if (!g_atomic_ref_count_dec (&self->refs))
    return;

  g_mutex_clear (&self->mutex);
  g_free (self->device);
  g_free (self->device_name);
  g_free (self->error_message);
  g_free (self->preroll);
  g_clear_pointer (&self->recording, g_array_unref);
  g_clear_pointer (&self->envelope, g_array_unref);
  g_free (self);
}

static double
to_db (double amplitude)
{
  if (amplitude <= 0.0)
    return CRADLE_RECORDER_FLOOR_DB;
  return MAX (20.0 * log10 (amplitude), CRADLE_RECORDER_FLOOR_DB);
}

/* Called with the mutex held. */
static void
envelope_push (CradleRecorder *self,
               const float    *x,
               gsize           n)
{
  gsize block = self->rate / CRADLE_RECORDER_ENVELOPE_RATE;

  for (gsize i = 0; i < n; i++)
    {
      self->envelope_peak = MAX (self->envelope_peak, fabsf (x[i]));
      if (++self->envelope_fill == block)
        {
          g_array_append_val (self->envelope, self->envelope_peak);
          self->envelope_peak = 0.0f;
          self->envelope_fill = 0;
        }
    }
}

/* Called with the mutex held. */
static void
monitor_push (CradleRecorder *self,
              const float    *x,
              gsize           n)
{
  gsize block = self->rate / CRADLE_RECORDER_ENVELOPE_RATE;

  for (gsize i = 0; i < n; i++)
    {
      self->monitor_peak = MAX (self->monitor_peak, fabsf (x[i]));
      if (++self->monitor_block_fill == block)
        {
          self->monitor[self->monitor_head] = self->monitor_peak;
          self->monitor_head = (self->monitor_head + 1) % G_N_ELEMENTS (self->monitor);
          self->monitor_fill = MIN (self->monitor_fill + 1, G_N_ELEMENTS (self->monitor));
          self->monitor_peak = 0.0f;
          self->monitor_block_fill = 0;
        }
    }
}

/* Called with the mutex held. */
static void
preroll_push (CradleRecorder *self,
              const float    *x,
              gsize           n)
{
  if (self->preroll_capacity == 0)
    return;
  if (n >= self->preroll_capacity)
    {
      x += n - self->preroll_capacity;
      n = self->preroll_capacity;
    }
  for (gsize i = 0; i < n; i++)
    {
      self->preroll[self->preroll_head] = x[i];
      self->preroll_head = (self->preroll_head + 1) % self->preroll_capacity;
    }
  self->preroll_fill = MIN (self->preroll_fill + n, self->preroll_capacity);
}

/* Called with the mutex held. */
static void
take_samples (CradleRecorder *self,
              const float    *x,
              gsize           n)
{
  if (self->state == CRADLE_RECORDER_RECORDING)
    {
      gsize room = self->stop_at - MIN (self->stop_at, self->recording->len);
      gsize take = MIN (n, room);

      g_array_append_vals (self->recording, x, take);
      envelope_push (self, x, take);
      if (self->recording->len >= self->stop_at)
        self->state = CRADLE_RECORDER_FINISHED;
    }
  preroll_push (self, x, n);
  monitor_push (self, x, n);
}

static void
fail (CradleRecorder *self,
      const GError   *error)
{
  g_mutex_lock (&self->mutex);
  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  self->state = CRADLE_RECORDER_FAILED;
  self->peak_db = self->rms_db = CRADLE_RECORDER_FLOOR_DB;
  g_mutex_unlock (&self->mutex);
}

static gpointer
cradle_recorder_thread (gpointer data)
{
  CradleRecorder *self = data;
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *buffer = NULL;
  gsize chunk = MAX (1, (gsize) (self->rate * READ_SECONDS));
  gsize level_block = MAX (1, (gsize) (self->rate * LEVEL_BLOCK_SECONDS));
  gsize level_n = 0;
  double level_sum = 0.0;
  float level_peak = 0.0f;

  capture = cradle_capture_open (self->device, self->rate, RING_SECONDS, &error);
  if (capture != NULL && !g_atomic_int_get (&self->cancelled))
    cradle_capture_start (capture, &error);
  if (error != NULL)
    fail (self, error);
  else if (capture != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->device_name = g_strdup (cradle_capture_get_device_name (capture));
      if (self->state == CRADLE_RECORDER_OPENING)
        self->state = CRADLE_RECORDER_MONITORING;
      g_mutex_unlock (&self->mutex);
    }

  buffer = g_new (float, chunk);
  while (error == NULL && !g_atomic_int_get (&self->cancelled))
    {
      gssize n = cradle_capture_read (capture, buffer, chunk, READ_TIMEOUT_MS, &error);
      gboolean clipped = FALSE;

      if (n < 0)
        {
          fail (self, error);
          break;
        }

      for (gssize i = 0; i < n; i++)
        {
          float a = fabsf (buffer[i]);

          level_peak = MAX (level_peak, a);
          level_sum += (double) buffer[i] * buffer[i];
          clipped |= a >= CLIP_LEVEL;
        }
      level_n += n;

      g_mutex_lock (&self->mutex);
      take_samples (self, buffer, n);
      if (clipped)
        self->clip_until = g_get_monotonic_time () + CLIP_HOLD_US;
      if (level_n >= level_block)
        {
          self->peak_db = to_db (level_peak);
          self->rms_db = to_db (sqrt (level_sum / level_n));
          level_n = 0;
          level_sum = 0.0;
          level_peak = 0.0f;
        }
      self->overruns = cradle_capture_get_overruns (capture);
      g_mutex_unlock (&self->mutex);
    }

  /* Close the device before saying the worker is done. */
  g_clear_pointer (&capture, cradle_capture_free);
  cradle_recorder_release (self);

  g_mutex_lock (&workers_mutex);
  n_workers--;
  g_cond_broadcast (&workers_cond);
  g_mutex_unlock (&workers_mutex);

  return NULL;
}

CradleRecorder *
cradle_recorder_new (const char *device,
                     guint       sample_rate,
                     double      preroll_seconds)
{
  CradleRecorder *self;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (sample_rate >= CRADLE_AUDIO_MIN_RATE && sample_rate <= CRADLE_AUDIO_MAX_RATE, NULL);
  g_return_val_if_fail (preroll_seconds >= 0.0 && preroll_seconds <= 60.0, NULL);

  self = g_new0 (CradleRecorder, 1);
  g_atomic_ref_count_init (&self->refs);
  g_mutex_init (&self->mutex);
  self->device = g_strdup (device != NULL && device[0] != '\0' ? device : NULL);
  self->rate = sample_rate;
  self->preroll_capacity = (gsize) lround (preroll_seconds * sample_rate);
  self->preroll = g_new0 (float, MAX (self->preroll_capacity, 1));
  self->state = CRADLE_RECORDER_OPENING;
  self->peak_db = self->rms_db = CRADLE_RECORDER_FLOOR_DB;

  /* The worker's reference. */
  g_atomic_ref_count_inc (&self->refs);
  g_mutex_lock (&workers_mutex);
  n_workers++;
  g_mutex_unlock (&workers_mutex);
  thread = g_thread_try_new ("cradle-recorder", cradle_recorder_thread, self, &error);
  if (thread == NULL)
    {
      fail (self, error);
      cradle_recorder_release (self);
      g_mutex_lock (&workers_mutex);
      n_workers--;
      g_cond_broadcast (&workers_cond);
      g_mutex_unlock (&workers_mutex);
    }

  return self;
}

void
cradle_recorder_unref (CradleRecorder *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->cancelled, TRUE);
  cradle_recorder_release (self);
}

gboolean
cradle_recorder_wait_all (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean done;

  g_mutex_lock (&workers_mutex);
  while (n_workers > 0)
    if (!g_cond_wait_until (&workers_cond, &workers_mutex, deadline))
      break;
  done = n_workers == 0;
  g_mutex_unlock (&workers_mutex);

  return done;
}

guint
cradle_recorder_get_sample_rate (CradleRecorder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rate;
}

void
cradle_recorder_get_status (CradleRecorder       *self,
                            CradleRecorderStatus *status)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (status != NULL);

  g_mutex_lock (&self->mutex);
  status->state = self->state;
  status->peak_db = self->peak_db;
  status->rms_db = self->rms_db;
  status->clipping = g_get_monotonic_time () < self->clip_until;
  status->recorded_seconds = self->recording != NULL ? (double) self->recording->len / self->rate : 0.0;
  status->preroll_seconds = (double) self->preroll_used / self->rate;
  status->overruns = self->overruns;
  status->device_name = g_strdup (self->device_name);
  status->error_message = g_strdup (self->error_message);
  g_mutex_unlock (&self->mutex);
}

gboolean
cradle_recorder_begin (CradleRecorder *self,
                       double          auto_stop_seconds)
{
  gsize start;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  if (self->state != CRADLE_RECORDER_MONITORING)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  g_clear_pointer (&self->recording, g_array_unref);
  g_clear_pointer (&self->envelope, g_array_unref);
  self->recording = g_array_sized_new (FALSE, FALSE, sizeof (float), self->rate * 10);
  self->envelope = g_array_new (FALSE, FALSE, sizeof (float));
  self->envelope_peak = 0.0f;
  self->envelope_fill = 0;

  /* The pre-roll, oldest first. */
  start = (self->preroll_head + self->preroll_capacity - self->preroll_fill) % MAX (self->preroll_capacity, 1);
  for (gsize i = 0; i < self->preroll_fill; i++)
    {
      float x = self->preroll[(start + i) % self->preroll_capacity];

      g_array_append_val (self->recording, x);
      envelope_push (self, &x, 1);
    }
  self->preroll_used = self->preroll_fill;
  self->created = g_get_real_time () / G_USEC_PER_SEC - (gint64) (self->preroll_fill / self->rate);
  self->stop_at = (gsize) (CRADLE_RECORDER_MAX_SECONDS * self->rate);
  if (auto_stop_seconds > 0.0)
    self->stop_at = MIN (self->stop_at, self->preroll_used + (gsize) lround (auto_stop_seconds * self->rate));
  self->state = CRADLE_RECORDER_RECORDING;
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

CradleAudio *
cradle_recorder_end (CradleRecorder *self,
                     gint64         *created)
{
  CradleAudio *audio = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  if (self->recording != NULL && self->recording->len > 0)
    {
      audio = g_new0 (CradleAudio, 1);
      audio->sample_rate = self->rate;
      audio->n_samples = self->recording->len;
      audio->samples = (float *) (gpointer) g_array_free (g_steal_pointer (&self->recording), FALSE);
      if (created != NULL)
        *created = self->created;
    }
  g_clear_pointer (&self->recording, g_array_unref);
  g_clear_pointer (&self->envelope, g_array_unref);
  self->preroll_used = 0;
  /* The pre-roll starts afresh: what it held is in this recording. */
  self->preroll_fill = 0;
  if (self->state == CRADLE_RECORDER_RECORDING || self->state == CRADLE_RECORDER_FINISHED)
    self->state = CRADLE_RECORDER_MONITORING;
  g_mutex_unlock (&self->mutex);

  return audio;
}

gsize
cradle_recorder_copy_envelope (CradleRecorder *self,
                               float          *out,
                               gsize           max)
{
  gsize n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (out != NULL || max == 0, 0);

  g_mutex_lock (&self->mutex);
  if (self->envelope != NULL)
    {
      n = MIN (max, self->envelope->len);
      memcpy (out, &g_array_index (self->envelope, float, self->envelope->len - n), n * sizeof (float));
    }
  g_mutex_unlock (&self->mutex);

  return n;
}

gsize
cradle_recorder_copy_monitor_envelope (CradleRecorder *self,
                                       float          *out,
                                       gsize           max)
{
  gsize n, start;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (out != NULL || max == 0, 0);

  g_mutex_lock (&self->mutex);
  n = MIN (max, self->monitor_fill);
  start = (self->monitor_head + G_N_ELEMENTS (self->monitor) - n) % G_N_ELEMENTS (self->monitor);
  for (gsize i = 0; i < n; i++)
    out[i] = self->monitor[(start + i) % G_N_ELEMENTS (self->monitor)];
  g_mutex_unlock (&self->mutex);

  return n;
}
