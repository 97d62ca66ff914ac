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
