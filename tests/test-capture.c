/* test-capture.c — the lock-free ring and PortAudio capture through a real
 * (private) PulseAudio daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cradle-audio.h"
#include "cradle-capture.h"
#include "cradle-portaudio-private.h"
#include "cradle-ring.h"
#include "cradle-test-util.h"

static void
test_ring_basics (void)
{
  g_autoptr(CradleRing) ring = cradle_ring_new (5);
  float in[16];
  float out[16];

  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    in[i] = (float) i;

  g_assert_cmpuint (cradle_ring_capacity (ring), ==, 8);
  g_assert_cmpuint (cradle_ring_readable (ring), ==, 0);
  g_assert_cmpuint (cradle_ring_writable (ring), ==, 8);

  /* A write that does not fit writes what fits. */
  g_assert_cmpuint (cradle_ring_write (ring, in, 10), ==, 8);
  g_assert_cmpuint (cradle_ring_write (ring, in, 1), ==, 0);
  g_assert_cmpuint (cradle_ring_read (ring, out, 5), ==, 5);
  g_assert_cmpmem (out, 5 * sizeof (float), in, 5 * sizeof (float));

  /* Across the wrap. */
  g_assert_cmpuint (cradle_ring_write (ring, in + 8, 5), ==, 5);
  g_assert_cmpuint (cradle_ring_readable (ring), ==, 8);
  g_assert_cmpuint (cradle_ring_read (ring, out, 16), ==, 8);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (out[i], ==, (float) (5 + i));
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat (out[3 + i], ==, (float) (8 + i));
  g_assert_cmpuint (cradle_ring_read (ring, out, 1), ==, 0);
}

#define RING_TOTAL 4000000

static gpointer
producer (gpointer data)
{
  CradleRing *ring = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  float chunk[700];
  guint next = 0;

  while (next < RING_TOTAL)
    {
      guint n = MIN ((guint) g_rand_int_range (rand, 1, 700), RING_TOTAL - next);
      guint done = 0;

      for (guint i = 0; i < n; i++)
        chunk[i] = (float) ((next + i) % 1000003);
      while (done < n)
        {
          gsize w = cradle_ring_write (ring, chunk + done, n - done);

          done += w;
          if (w == 0)
            g_thread_yield ();
        }
      next += n;
    }
  return NULL;
}

/* One producer and one consumer thread: every sample arrives, in order. */
static void
test_ring_threads (void)
{
  g_autoptr(CradleRing) ring = cradle_ring_new (1024);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  GThread *thread = g_thread_new ("producer", producer, ring);
  float chunk[900];
  guint expected = 0;

  while (expected < RING_TOTAL)
    {
      gsize n = cradle_ring_read (ring, chunk, g_rand_int_range (rand, 1, 900));

      for (gsize i = 0; i < n; i++)
        {
          if (chunk[i] != (float) ((expected + i) % 1000003))
            g_error ("sample %" G_GSIZE_FORMAT " is %g", expected + i, chunk[i]);
        }
      expected += n;
      if (n == 0)
        g_thread_yield ();
    }
  g_thread_join (thread);
  g_assert_cmpuint (cradle_ring_readable (ring), ==, 0);
}

static CradleTestPulse *
start_pulse_or_skip (void)
{
  g_autofree char *reason = NULL;
  CradleTestPulse *pulse = cradle_test_pulse_start (&reason);

  if (pulse == NULL)
    g_test_skip (reason);
  return pulse;
}

static void
test_list_devices (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_default = FALSE;

  if (pulse == NULL)
    return;
  devices = cradle_capture_list_devices (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 0);
  for (guint i = 0; i < devices->len; i++)
    {
      CradleInputDevice *d = g_ptr_array_index (devices, i);

      g_assert_nonnull (d->name);
      g_assert_cmpuint (d->max_channels, >, 0);
      g_assert_cmpfloat (d->default_rate, >, 0.0);
      has_default |= d->is_default;
    }
  g_assert_true (has_default);
}

static void
test_no_such_device (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GError) error = NULL;

  if (pulse == NULL)
    return;
  capture = cradle_capture_open ("no-such-microphone-xyz", 16000, 2.0, &error);
  g_assert_null (capture);
  g_assert_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "no-such-microphone-xyz"));
}

static char *
write_tone (const char *dir,
            double      hz,
            double      seconds)
{
  g_autoptr(CradleAudio) audio = cradle_audio_new (16000, (gsize) (16000 * seconds));
  g_autofree float *x = cradle_test_sine (audio->n_samples, 16000, hz, 0.5);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "tone.wav", NULL);

  memcpy (audio->samples, x, audio->n_samples * sizeof (float));
  g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  return path;
}

/* A tone played into the null sink comes back through PortAudio → ALSA →
 * PulseAudio's monitor source, resampled to 16 kHz. */
static void
test_capture_tone (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autofree char *dir = NULL;
  g_autofree char *tone = NULL;
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *buf = NULL;
  gsize cap = 16000 * 6;
  gsize n = 0;
  gsize loud_start = 0;
  gsize loud_n = 0;
  guint crossings = 0;
  double ss = 0.0;
  gint64 until;

  if (pulse == NULL)
    return;
  dir = g_dir_make_tmp ("cradle-capture-XXXXXX", NULL);
  tone = write_tone (dir, 1000.0, 2.0);

  capture = cradle_capture_open (NULL, 16000, 4.0, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (capture, &error));
  g_assert_no_error (error);
  g_test_message ("capturing from “%s” at %g Hz", cradle_capture_get_device_name (capture),
                  cradle_capture_get_device_rate (capture));

  /* Play only once audio flows: a freshly started daemon takes about 2 s. */
  buf = g_new0 (float, cap);
  {
    gssize got = cradle_capture_read (capture, buf, cap, 6000, &error);

    g_assert_no_error (error);
    g_assert_cmpint (got, >, 0);
    n = (gsize) got;
  }
  player = cradle_test_pulse_play (pulse, tone);
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (n < cap && g_get_monotonic_time () < until)
    {
      gssize got = cradle_capture_read (capture, buf + n, cap - n, 200, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got, >=, 0);
      n += (gsize) got;
    }
  g_assert_true (g_subprocess_wait_check (player, NULL, NULL));
  g_assert_cmpuint (n, >, 16000 * 3);

  /* The loud part: samples above a tenth of the tone's amplitude. */
  for (gsize i = 0; i < n; i++)
    if (fabsf (buf[i]) > 0.05f)
      {
        if (loud_n == 0)
          loud_start = i;
        loud_n = i - loud_start + 1;
      }
  g_test_message ("%" G_GSIZE_FORMAT " samples, tone over %" G_GSIZE_FORMAT " of them", n, loud_n);
  g_assert_cmpfloat (loud_n / 16000.0, >, 1.8);
  g_assert_cmpfloat (loud_n / 16000.0, <, 2.3);

  /* Its middle second: 1 kHz and the level it was played at. */
  for (gsize i = loud_start + 4000; i < loud_start + 20000; i++)
    {
      ss += buf[i] * buf[i];
      if ((buf[i] >= 0.0f) != (buf[i + 1] >= 0.0f))
        crossings++;
    }
  g_assert_cmpfloat_with_epsilon (crossings / 2.0, 1000.0, 20.0);
  g_assert_cmpfloat_with_epsilon (sqrt (ss / 16000.0), 0.5 / G_SQRT2, 0.05);
  g_assert_cmpuint (cradle_capture_get_overruns (capture), ==, 0);
  g_assert_cmpuint (cradle_capture_get_frames (capture), >, 0);

  g_remove (tone);
  g_rmdir (dir);
}

/* The sound server dies mid-stream: reads fail with a clear error (no
 * crash, no hang), and a new capture works once it is back. */
static void
test_server_killed (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(CradleTestPulse) pulse2 = NULL;
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(CradleCapture) again = NULL;
  g_autoptr(GError) error = NULL;
  float buf[4096];
  gssize got = 0;
  gint64 killed_at;
  gint64 deadline;

  if (pulse == NULL)
    return;
  capture = cradle_capture_open (NULL, 16000, 2.0, &error);
  g_assert_no_error (error);
  {
    gint64 t0 = g_get_monotonic_time ();

    g_assert_true (cradle_capture_start (capture, &error));
    g_assert_cmpint (cradle_capture_read (capture, buf, G_N_ELEMENTS (buf), 5000, &error), >, 0);
    g_test_message ("first audio after %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  }

  cradle_test_pulse_kill (pulse);
  killed_at = g_get_monotonic_time ();
  deadline = killed_at + (CRADLE_CAPTURE_STALL_MS + 3000) * 1000;
  while (g_get_monotonic_time () < deadline)
    {
      got = cradle_capture_read (capture, buf, G_N_ELEMENTS (buf), 200, &error);
      if (got < 0)
        break;
    }
  g_assert_cmpint (got, ==, -1);
  g_assert_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STREAM);
  g_test_message ("error %.1f s after the kill: %s",
                  (g_get_monotonic_time () - killed_at) / 1e6, error->message);
  g_clear_error (&error);
  {
    CradleTestWatchdog *watchdog = cradle_test_watchdog_start ("freeing a capture whose server died", 10);

    g_clear_pointer (&capture, cradle_capture_free);
    cradle_test_watchdog_stop (watchdog);
  }

  /* Retry once the server is back. */
  pulse2 = start_pulse_or_skip ();
  again = cradle_capture_open (NULL, 16000, 2.0, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (again, &error));
  g_assert_no_error (error);
  /* A freshly started daemon takes about 2 s to deliver the first audio. */
  g_assert_cmpint (cradle_capture_read (again, buf, G_N_ELEMENTS (buf), 6000, &error), >, 0);
  g_assert_no_error (error);
}

/* Opens the default source and waits for its first audio. */
static CradleCapture *
open_listening (void)
{
  g_autoptr(GError) error = NULL;
  CradleCapture *capture = cradle_capture_open (NULL, 16000, 2.0, &error);
  float buf[4096];

  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (capture, &error));
  g_assert_no_error (error);
  /* A freshly started daemon takes about 2 s to deliver the first audio. */
  g_assert_cmpint (cradle_capture_read (capture, buf, G_N_ELEMENTS (buf), 10000, &error), >, 0);
  g_assert_no_error (error);
  return capture;
}

/* The sound server is SIGKILLed under a running stream, which is stopped
 * at once, before any read noticed: stopping and freeing return (closed,
 * or left with an error naming the device), never hang. */
static void
test_stop_after_server_killed (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(GError) error = NULL;
  CradleCapture *capture;
  CradleTestWatchdog *watchdog;
  gint64 t0;
  gboolean stopped;

  if (pulse == NULL)
    return;
  capture = open_listening ();
  cradle_test_pulse_kill (pulse);

  watchdog = cradle_test_watchdog_start ("stopping a capture whose server was killed", 10);
  t0 = g_get_monotonic_time ();
  stopped = cradle_capture_stop (capture, &error);
  g_test_message ("stop returned %s after %.2f s%s%s", stopped ? "TRUE" : "FALSE",
                  (g_get_monotonic_time () - t0) / 1e6, error != NULL ? ": " : "",
                  error != NULL ? error->message : "");
  if (!stopped)
    {
      g_assert_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STOP);
      g_assert_nonnull (strstr (error->message, cradle_capture_get_device_name (capture)));
    }
  else
    g_assert_no_error (error);
  /* Stopping again does nothing. */
  g_assert_true (cradle_capture_stop (capture, NULL));
  cradle_capture_free (capture);
  cradle_test_watchdog_stop (watchdog);
}

/* A back-end that never returns from Pa_AbortStream (held here, as a
 * killed PulseAudio did under ASan): the stop gives up after
 * CRADLE_PORTAUDIO_STOP_TIMEOUT_MS with an error naming the device, leaves
 * the stream, and another capture opens and hears audio meanwhile. Once
 * the back-end lets go, the left stream is closed and forgotten. */
static void
test_stuck_stop_is_left (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  CradleCapture *stuck;
  CradleCapture *again;
  CradleTestWatchdog *watchdog;
  float buf[4096];
  gint64 t0;
  double took;

  if (pulse == NULL)
    return;
  g_assert_cmpuint (cradle_portaudio_get_n_left_streams (), ==, 0);
  stuck = open_listening ();
  device = g_strdup (cradle_capture_get_device_name (stuck));

  cradle_portaudio_hold_closes_for_tests (TRUE);
  watchdog = cradle_test_watchdog_start ("a stop that PortAudio does not let finish", 10);
  t0 = g_get_monotonic_time ();
  g_assert_false (cradle_capture_stop (stuck, &error));
  took = (g_get_monotonic_time () - t0) / 1e6;
  cradle_capture_free (stuck);
  cradle_test_watchdog_stop (watchdog);
  g_test_message ("gave up after %.2f s: %s", took, error->message);
  g_assert_error (error, CRADLE_CAPTURE_ERROR, CRADLE_CAPTURE_ERROR_STOP);
  g_assert_nonnull (strstr (error->message, device));
  g_assert_nonnull (strstr (error->message, "did not stop within 4 s"));
  /* It waited the whole timeout (less a scheduling tick), not less. */
  g_assert_cmpfloat (took, >=, CRADLE_PORTAUDIO_STOP_TIMEOUT_MS / 1000.0 - 0.01);
  g_assert_cmpuint (cradle_portaudio_get_n_left_streams (), ==, 1);
  g_clear_error (&error);

  /* The caller carries on: another capture of the same source works. */
  again = open_listening ();
  g_assert_cmpint (cradle_capture_read (again, buf, G_N_ELEMENTS (buf), 5000, &error), >, 0);
  g_assert_no_error (error);

  /* The back-end lets go: the left stream closes (its callback's data is
   * freed then; ASan would see a use after free). */
  cradle_portaudio_hold_closes_for_tests (FALSE);
  t0 = g_get_monotonic_time ();
  while (cradle_portaudio_get_n_left_streams () > 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 20 * G_USEC_PER_SEC);
      g_usleep (10000);
    }
  g_assert_cmpint (cradle_capture_read (again, buf, G_N_ELEMENTS (buf), 5000, &error), >, 0);
  g_assert_no_error (error);
  watchdog = cradle_test_watchdog_start ("stopping a capture", 10);
  g_assert_true (cradle_capture_stop (again, &error));
  g_assert_no_error (error);
  cradle_capture_free (again);
  cradle_test_watchdog_stop (watchdog);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The PulseAudio tests first: they set the environment once, before any
   * thread exists. */
  g_test_add_func ("/core/capture/list-devices", test_list_devices);
  g_test_add_func ("/core/capture/no-such-device", test_no_such_device);
  g_test_add_func ("/core/capture/tone-through-pulseaudio", test_capture_tone);
  g_test_add_func ("/core/capture/server-killed", test_server_killed);
  g_test_add_func ("/core/capture/stop-after-server-killed", test_stop_after_server_killed);
  g_test_add_func ("/core/capture/stuck-stop-is-left", test_stuck_stop_is_left);
  g_test_add_func ("/core/ring/basics", test_ring_basics);
  g_test_add_func ("/core/ring/threads", test_ring_threads);

  return g_test_run ();
}
