/* test-playback.c — PortAudio playback into a private PulseAudio null sink
 *
 * The tone played comes back through the sink's monitor (captured with
 * CradleCapture), and the position follows the clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-capture.h"
#include "cradle-playback.h"
#include "cradle-portaudio-private.h"
#include "cradle-test-util.h"

#define RATE 16000

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
test_invalid (void)
{
  g_autoptr(CradlePlayback) playback = cradle_playback_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  float x[16] = { 0 };

  g_assert_false (cradle_playback_play (playback, x, 0, RATE, 0.0, 0.0, &error));
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  g_assert_false (cradle_playback_play (playback, x, 16, 0, 0.0, 0.0, &error));
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (cradle_playback_play (playback, x, 16, RATE, 1.0, 0.0, &error));
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1.000 s"));
  g_assert_false (cradle_playback_is_playing (playback));
}

static void
test_no_such_device (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(CradlePlayback) playback = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;

  if (pulse == NULL)
    return;
  x = cradle_test_sine (RATE, RATE, 440.0, 0.5);
  playback = cradle_playback_new ("no-such-output-device-xyz", &error);
  g_assert_no_error (error);
  g_assert_false (cradle_playback_play (playback, x, RATE, RATE, 0.0, 0.0, &error));
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "no-such-output-device-xyz"));
}

/* Waits until capture has delivered audio (a fresh daemon takes ~2 s). */
static gsize
capture_until_flowing (CradleCapture *capture,
                       float         *buf,
                       gsize          cap)
{
  g_autoptr(GError) error = NULL;
  gssize got = cradle_capture_read (capture, buf, cap, 6000, &error);

  g_assert_no_error (error);
  g_assert_cmpint (got, >, 0);
  return (gsize) got;
}

/* A 1 kHz tone from 0.5 s to the end of a 2 s buffer: it is heard (through
 * the sink's monitor) for 1.5 s, the position moves with the clock, and the
 * stream stops by itself at the end. */
static void
test_plays_to_the_end (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(CradlePlayback) playback = NULL;
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  g_autofree float *buf = NULL;
  gsize cap = RATE * 6;
  gsize n = 0;
  gsize loud_start = 0;
  gsize loud_n = 0;
  guint crossings = 0;
  double last = 0.0;
  double pos;
  gint64 started;
  gint64 until;

  if (pulse == NULL)
    return;
  x = cradle_test_sine (2 * RATE, RATE, 1000.0, 0.5);

  capture = cradle_capture_open (NULL, RATE, 5.0, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (capture, &error));
  buf = g_new0 (float, cap);
  n = capture_until_flowing (capture, buf, cap);

  playback = cradle_playback_new ("default", &error);
  g_assert_no_error (error);
  g_assert_true (cradle_playback_play (playback, x, 2 * RATE, RATE, 0.5, 0.0, &error));
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  g_assert_true (cradle_playback_is_playing (playback));
  g_assert_cmpfloat (cradle_playback_get_position (playback), >=, 0.5);

  /* The position never goes back and keeps up with the clock (less the
   * output latency, at most 0.3 s on the null sink). */
  until = started + 5 * G_USEC_PER_SEC;
  while (cradle_playback_is_playing (playback) && g_get_monotonic_time () < until)
    {
      gssize got = cradle_capture_read (capture, buf + n, cap - n, 20, &error);
      double elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

      g_assert_no_error (error);
      n += (gsize) MAX (got, 0);
      pos = cradle_playback_get_position (playback);
      g_assert_cmpfloat (pos, >=, last - 1e-9);
      /* (Once the stream has ended the position is the end.) */
      if (cradle_playback_is_playing (playback))
        {
          g_assert_cmpfloat (pos, <=, 0.5 + elapsed + 0.01);
          if (elapsed > 0.6)
            g_assert_cmpfloat (pos, >=, 0.5 + elapsed - 0.4);
        }
      last = pos;
    }
  g_assert_false (cradle_playback_is_playing (playback));
  g_test_message ("ended after %.3f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpfloat (g_get_monotonic_time () - started, >=, 1.3 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (cradle_playback_get_position (playback), 2.0, 1e-6);
  g_assert_true (cradle_playback_stop (playback, NULL));
  g_assert_cmpfloat_with_epsilon (cradle_playback_get_position (playback), 2.0, 1e-6);

  /* Let the tail reach the monitor. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (n < cap && g_get_monotonic_time () < until)
    {
      gssize got = cradle_capture_read (capture, buf + n, cap - n, 50, &error);

      g_assert_no_error (error);
      n += (gsize) MAX (got, 0);
    }

  for (gsize i = 0; i < n; i++)
    if (fabsf (buf[i]) > 0.05f)
      {
        if (loud_n == 0)
          loud_start = i;
        loud_n = i - loud_start + 1;
      }
  g_test_message ("tone heard over %.3f s", loud_n / (double) RATE);
  g_assert_cmpfloat (loud_n / (double) RATE, >, 1.4);
  g_assert_cmpfloat (loud_n / (double) RATE, <, 1.6);
  for (gsize i = loud_start + 4000; i < loud_start + 20000; i++)
    if ((buf[i] >= 0.0f) != (buf[i + 1] >= 0.0f))
      crossings++;
  g_assert_cmpfloat_with_epsilon (crossings / 2.0, 1000.0, 20.0);
}

/* Stopping keeps the position where the listener was; a range ends at its
 * end; a rate the device refuses would be resampled (11025 Hz plays). */
static void
test_stop_and_range (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(CradlePlayback) playback = NULL;
  g_autoptr(CradleCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  g_autofree float *buf = NULL;
  double pos;
  gint64 until;

  if (pulse == NULL)
    return;
  x = cradle_test_sine (4 * RATE, RATE, 440.0, 0.3);
  playback = cradle_playback_new (NULL, &error);

  /* The test daemon's null sink consumes only while its monitor is read,
   * and a fresh daemon's first audio takes ~2 s: capture throughout. */
  capture = cradle_capture_open (NULL, RATE, 30.0, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_capture_start (capture, &error));
  buf = g_new (float, RATE);
  capture_until_flowing (capture, buf, RATE);

  g_assert_true (cradle_playback_play (playback, x, 4 * RATE, RATE, 1.0, 0.0, &error));
  g_assert_no_error (error);
  /* A fresh daemon takes a moment before the first buffer is heard. */
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (cradle_playback_get_position (playback) < 1.05 && g_get_monotonic_time () < until)
    g_usleep (5 * 1000);
  g_usleep (500 * 1000);
  g_assert_true (cradle_playback_stop (playback, NULL));
  pos = cradle_playback_get_position (playback);
  g_test_message ("stopped at %.3f s", pos);
  g_assert_false (cradle_playback_is_playing (playback));
  g_assert_cmpfloat (pos, >, 1.05 + 0.4);
  g_assert_cmpfloat (pos, <, 1.05 + 0.65);
  g_usleep (200 * 1000);
  g_assert_cmpfloat (cradle_playback_get_position (playback), ==, pos);

  /* 0.2 s from 3.0 s. */
  g_assert_true (cradle_playback_play (playback, x, 4 * RATE, RATE, 3.0, 3.2, &error));
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (cradle_playback_is_playing (playback) && g_get_monotonic_time () < until)
    g_usleep (10 * 1000);
  g_assert_false (cradle_playback_is_playing (playback));
  g_assert_cmpfloat_with_epsilon (cradle_playback_get_position (playback), 3.2, 1e-3);

  g_assert_true (cradle_playback_play (playback, x, 4 * RATE, 11025, 0.0, 0.3, &error));
  g_assert_no_error (error);
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (cradle_playback_is_playing (playback) && g_get_monotonic_time () < until)
    g_usleep (10 * 1000);
  g_assert_false (cradle_playback_is_playing (playback));
  g_assert_cmpfloat_with_epsilon (cradle_playback_get_position (playback), 0.3, 2e-3);
}

/* PortAudio's stop never returns (held here, as a back-end wedged by a
 * dead sound server would): the stop gives up after its timeout with an
 * error naming the device, later plays say the device is still held, and
 * freeing does not hang. Once the back-end lets go, the stream closes. */
static void
test_stuck_stop (void)
{
  g_autoptr(CradleTestPulse) pulse = start_pulse_or_skip ();
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  CradlePlayback *playback;
  CradleTestWatchdog *watchdog;
  gint64 t0;

  if (pulse == NULL)
    return;
  x = cradle_test_sine (4 * RATE, RATE, 1000.0, 0.5);
  playback = cradle_playback_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_playback_play (playback, x, 4 * RATE, RATE, 0.0, 0.0, &error));
  g_assert_no_error (error);

  cradle_portaudio_hold_closes_for_tests (TRUE);
  watchdog = cradle_test_watchdog_start ("a playback stop that PortAudio does not let finish", 10);
  g_assert_false (cradle_playback_stop (playback, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_STOP);
  g_assert_nonnull (strstr (error->message, "did not stop within 4 s"));
  g_assert_false (cradle_playback_is_playing (playback));
  g_assert_cmpuint (cradle_portaudio_get_n_left_streams (), ==, 1);
  g_clear_error (&error);

  g_assert_false (cradle_playback_play (playback, x, 4 * RATE, RATE, 0.0, 0.0, &error));
  g_assert_error (error, CRADLE_PLAYBACK_ERROR, CRADLE_PLAYBACK_ERROR_STOP);
  g_assert_nonnull (strstr (error->message, "still held"));
  cradle_playback_free (playback);
  cradle_test_watchdog_stop (watchdog);

  cradle_portaudio_hold_closes_for_tests (FALSE);
  t0 = g_get_monotonic_time ();
  while (cradle_portaudio_get_n_left_streams () > 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 20 * G_USEC_PER_SEC);
      g_usleep (10000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/playback/invalid", test_invalid);
  g_test_add_func ("/core/playback/no-such-device", test_no_such_device);
  g_test_add_func ("/core/playback/plays-to-the-end", test_plays_to_the_end);
  g_test_add_func ("/core/playback/stop-and-range", test_stop_and_range);
  g_test_add_func ("/core/playback/stuck-stop", test_stuck_stop);

  return g_test_run ();
}
