/* cradle-portaudio.c — one lock around PortAudio's start and stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <portaudio.h>
#include <stdio.h>
#include <unistd.h>

#include "cradle-portaudio-private.h"

static GMutex pa_mutex;
static guint  pa_users;

gboolean
cradle_portaudio_acquire (GQuark    domain,
                          gint      code,
                          GError  **error)
{
  PaError err;
  int saved = -1;
  int null_fd;

  g_mutex_lock (&pa_mutex);
  if (pa_users > 0)
    {
      pa_users++;
      g_mutex_unlock (&pa_mutex);
      return TRUE;
    }

  fflush (stderr);
  null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0)
    {
      saved = dup (STDERR_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      close (null_fd);
    }
  err = Pa_Initialize ();
  if (saved >= 0)
    {
      dup2 (saved, STDERR_FILENO);
      close (saved);
    }

  if (err != paNoError)
    {
      g_mutex_unlock (&pa_mutex);
      g_set_error (error, domain, code, "Could not start PortAudio: %s", Pa_GetErrorText (err));
      return FALSE;
    }

  pa_users = 1;
  g_mutex_unlock (&pa_mutex);
  return TRUE;
}

void
cradle_portaudio_release (void)
{
  g_mutex_lock (&pa_mutex);
  g_assert (pa_users > 0);
  if (--pa_users == 0)
    Pa_Terminate ();
  g_mutex_unlock (&pa_mutex);
}

/* ---- Bounded stop ---------------------------------------------------------------- */

static GMutex hold_mutex;
static GCond  hold_cond;
static gboolean hold_closes;
static guint  n_left;   /* under pa_mutex */

typedef struct {
  PaStream            *stream;
  CradlePortaudioStop  how;
  GDestroyNotify       late_closed;
  gpointer             data;
  GMutex               mutex;
  GCond                cond;
  gboolean             done;      /* under mutex */
  gboolean             left;      /* under mutex: the caller stopped waiting */
} CloseJob;

static void
close_job_free (CloseJob *job)
{
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

static gpointer
close_thread (gpointer data)
{
  CloseJob *job = data;
  gboolean left;

  g_mutex_lock (&hold_mutex);
  while (hold_closes)
    g_cond_wait (&hold_cond, &hold_mutex);
  g_mutex_unlock (&hold_mutex);

  if (job->how == CRADLE_PORTAUDIO_ABORT)
    Pa_AbortStream (job->stream);
  else if (job->how == CRADLE_PORTAUDIO_DRAIN)
    Pa_StopStream (job->stream);
  Pa_CloseStream (job->stream);

  g_mutex_lock (&job->mutex);
  job->done = TRUE;
  left = job->left;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);

  if (left)
    {
      /* Nobody waits any more: the callback's data and the stream's
       * PortAudio reference are ours to let go. */
      if (job->late_closed != NULL)
        job->late_closed (job->data);
      g_mutex_lock (&pa_mutex);
      n_left--;
      g_mutex_unlock (&pa_mutex);
      cradle_portaudio_release ();
      close_job_free (job);
    }
  return NULL;
}

gboolean
cradle_portaudio_close_stream (PaStream             *stream,
                               CradlePortaudioStop   how,
                               const char           *device_name,
                               GDestroyNotify        late_closed,
                               gpointer              data,
                               GQuark                domain,
                               gint                  code,
                               GError              **error)
{
  CloseJob *job;
  GThread *thread;
  gint64 deadline;
  gboolean done;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = g_new0 (CloseJob, 1);
  job->stream = stream;
  job->how = how;
  job->late_closed = late_closed;
  job->data = data;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  /* The helper's reference, in case it is left with the stream: taken
   * now, while the caller's keeps PortAudio up, so the count never passes
   * through zero. */
  g_mutex_lock (&pa_mutex);
  g_assert (pa_users > 0);
  pa_users++;
  g_mutex_unlock (&pa_mutex);

  thread = g_thread_new ("cradle-pa-close", close_thread, job);
  deadline = g_get_monotonic_time () + (gint64) CRADLE_PORTAUDIO_STOP_TIMEOUT_MS * 1000;
  g_mutex_lock (&job->mutex);
  while (!job->done)
    if (!g_cond_wait_until (&job->cond, &job->mutex, deadline))
      break;
  done = job->done;
  if (!done)
    {
      job->left = TRUE;
      g_mutex_lock (&pa_mutex);
      n_left++;
      g_mutex_unlock (&pa_mutex);
    }
  g_mutex_unlock (&job->mutex);

  if (done)
    {
      g_thread_join (thread);
      close_job_free (job);
      cradle_portaudio_release ();
      return TRUE;
    }

  /* Left: the helper owns the job, the stream, DATA and its reference. */
  g_thread_unref (thread);
  g_set_error (error, domain, code,
               "The sound device “%s” did not stop within %d s; it is left open until it "
               "does (restarting Cradle frees it)",
               device_name != NULL ? device_name : "(unknown)",
               CRADLE_PORTAUDIO_STOP_TIMEOUT_MS / 1000);
  return FALSE;
}

void
cradle_portaudio_hold_closes_for_tests (gboolean hold)
{
  g_mutex_lock (&hold_mutex);
  hold_closes = hold;
  g_cond_broadcast (&hold_cond);
  g_mutex_unlock (&hold_mutex);
}

guint
cradle_portaudio_get_n_left_streams (void)
{
  guint n;

  g_mutex_lock (&pa_mutex);
  n = n_left;
  g_mutex_unlock (&pa_mutex);
  return n;
}
