/* bench-spectrogram.c — how the Spectrogram page copes with a long recording
 *
 * Makes a dataset in a temporary folder with one MINUTES-long 16 kHz
 * recording (tones, chirps and noise bursts), opens it in the real app
 * through win.open-recording and measures:
 *
 *  - first_view_ms: from the action to the first frame painted (the frame
 *    clock's "after-paint") once the image of the visible range is built
 *    from computed tiles;
 *  - frames: SECONDS of animation driven from the frame clock, half
 *    scrolling, half zooming (1 s … 10 min); per frame the time from the
 *    clock's "update" to "after-paint" (the work GTK and Cradle do for a
 *    frame: layout, snapshot, render) and the interval between frames;
 *  - the UI thread's CPU time per animated frame (RUSAGE_THREAD), which on a
 *    loaded machine tells our work from waiting for a core;
 *  - peak RSS (getrusage), the tile cache's peak and the load average.
 *
 * Prints one JSON object. Usage: bench-spectrogram [--minutes N] [--seconds S]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "cradle-application.h"
#include "cradle-spectrogram-page.h"
#include "cradle-app-test-util.h"
#include "cradle-test-util.h"
#include "cradle-window.h"

#define RATE 16000

static int minutes = 60;
static double seconds = 6.0;

typedef struct {
  CradleSpectrogramView *view;
  GdkFrameClock         *clock;
  gint64                 opened_at;
  gint64                 first_view_at;
  gint64                 update_at;
  gint64                 last_paint_at;
  gint64                 animation_start;
  gboolean               animating;
  gboolean               done;
  GArray                 *work_ms;
  GArray                 *interval_ms;
  GArray                 *snapshot_ms;
  GArray                 *scroll_ms;
  GArray                 *zoom_ms;
  gboolean                zooming;
  double                  thread_cpu_start;
  double                  thread_cpu_end;
  double                 base_span;
} Bench;

static void
wait_for_flag (gboolean *flag,
               double    timeout_s,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!*flag)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Tones, a chirp every 10 s, noise bursts: a picture with detail. */
static CradleAudio *
make_audio (void)
{
  gsize n = (gsize) minutes * 60 * RATE;
  CradleAudio *audio = cradle_audio_new (RATE, n);
  guint32 state = 1;

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / RATE;
      double local = fmod (t, 10.0);
      double v = 0.05 * sin (2 * G_PI * 440.0 * t);

      if (local < 2.0)
        v += 0.3 * sin (2 * G_PI * (300.0 * local + 400.0 * local * local));
      state = state * 1664525u + 1013904223u;
      if (local > 6.0 && local < 6.5)
        v += 0.2 * ((double) (state >> 8) / (1 << 24) - 0.5);
      audio->samples[i] = (float) v;
    }
  return audio;
}

static double
percentile (GArray *values,
            double  p)
{
  g_autofree double *sorted = NULL;
  guint idx;

  if (values->len == 0)
    return 0.0;
  sorted = g_memdup2 (values->data, sizeof (double) * values->len);
  for (guint i = 1; i < values->len; i++)
    for (guint j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
      {
        double tmp = sorted[j];

        sorted[j] = sorted[j - 1];
        sorted[j - 1] = tmp;
      }
  idx = (guint) MIN ((double) values->len - 1, floor (p * (values->len - 1) + 0.5));
  return sorted[idx];
}

/* CPU seconds the calling thread (the UI thread) has used. */
static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
update_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->update_at = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->first_view_at == 0 && cradle_spectrogram_view_is_image_ready (bench->view))
    bench->first_view_at = now;

  if (bench->animating && bench->update_at > 0)
    {
      double work = (now - bench->update_at) / 1000.0;

      double snap = cradle_spectrogram_view_get_snapshot_time (bench->view) / 1000.0;

      g_array_append_val (bench->work_ms, work);
      g_array_append_val (bench->snapshot_ms, snap);
      g_array_append_val (bench->zooming ? bench->zoom_ms : bench->scroll_ms, work);
      if (bench->last_paint_at > 0)
        {
          double interval = (now - bench->last_paint_at) / 1000.0;

          g_array_append_val (bench->interval_ms, interval);
        }
    }
  bench->last_paint_at = now;
}

/* Each frame: scroll by 2 % of the view, or zoom along a slow sine. */
static gboolean
animate_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  Bench *bench = data;
  double t = (g_get_monotonic_time () - bench->animation_start) / (double) G_USEC_PER_SEC;
  double start = cradle_spectrogram_view_get_view_start (bench->view);
  double span = cradle_spectrogram_view_get_view_span (bench->view);

  if (t >= seconds)
    {
      bench->thread_cpu_end = thread_cpu_seconds ();
      bench->animating = FALSE;
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  if (t < seconds / 2.0)
    {
      cradle_spectrogram_view_set_view (bench->view, start + span * 0.02, span);
    }
  else
    {
      /* 1 s … 10 min on a log scale, one cycle per quarter of the run. */
      double phase = (t - seconds / 2.0) / (seconds / 4.0) * 2.0 * G_PI;
      double target = exp (log (1.0) + (log (600.0) - log (1.0)) * (0.5 - 0.5 * cos (phase)));
      double centre = start + span / 2.0;

      bench->zooming = TRUE;
      target = MIN (target, cradle_spectrogram_view_get_duration (bench->view));
      cradle_spectrogram_view_set_view (bench->view, centre - target / 2.0, target);
    }
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the spectrogram view on a long recording");
  const GOptionEntry entries[] = {
    { "minutes", 0, 0, G_OPTION_ARG_INT, &minutes, "Length of the recording (60)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds of scrolling and zooming (6)", "S" },
    { NULL }
  };
  g_autoptr(CradleApplication) app = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  CradleWindow *window;
  CradleStore *store;
  CradleRecordingSpec spec = { 0 };
  CradleSpectrogramPage *page;
  Bench bench = { 0 };
  struct rusage usage;
  gsize tiles_peak = 0;
  double load[1];
  gint64 id;
  gint64 t_write;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || minutes < 1 || seconds <= 0.0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--minutes ≥ 1 and --seconds > 0");
      return 2;
    }

  data_home = cradle_app_test_make_data_home ("cradle-bench-spectrogram");

  app = cradle_app_test_application_new (FALSE);
  g_application_activate (G_APPLICATION (app));
  window = CRADLE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  /* The recording, stored as the dataset stores everything: 16-bit FLAC. */
  t_write = g_get_monotonic_time ();
  audio = make_audio ();
  store = cradle_window_get_store (window);
  spec.audio = audio;
  spec.confidence = -1;
  spec.source = "record";
  spec.file_stem = "long";
  id = cradle_dataset_add_recording (cradle_store_get_dataset (store), &spec, &error);
  if (id == 0)
    g_error ("Could not add the recording: %s", error->message);
  g_clear_pointer (&audio, cradle_audio_free);
  g_printerr ("wrote %d min of FLAC in %.1f s\n", minutes, (g_get_monotonic_time () - t_write) / 1e6);

  page = CRADLE_SPECTROGRAM_PAGE (cradle_app_test_find_descendant (GTK_WIDGET (window), CRADLE_TYPE_SPECTROGRAM_PAGE));
  bench.view = cradle_spectrogram_page_get_view (page);
  bench.work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.snapshot_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.scroll_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.zoom_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (bench.clock, "update", G_CALLBACK (update_cb), &bench);
  g_signal_connect (bench.clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);

  /* Open, and wait for the first painted frame with the image ready. */
  bench.opened_at = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recording", "x", id);
  while (bench.first_view_at == 0)
    {
      if (g_get_monotonic_time () - bench.opened_at > 60 * G_USEC_PER_SEC)
        g_error ("The first view was not drawn within 60 s");
      gtk_widget_queue_draw (GTK_WIDGET (bench.view));
      g_main_context_iteration (NULL, TRUE);
    }

  /* Animate from the frame clock. */
  bench.thread_cpu_start = thread_cpu_seconds ();
  bench.animating = TRUE;
  bench.animation_start = g_get_monotonic_time ();
  bench.update_at = 0;
  bench.last_paint_at = 0;
  gtk_widget_add_tick_callback (GTK_WIDGET (bench.view), animate_cb, &bench, NULL);
  wait_for_flag (&bench.done, seconds + 30.0, "the animation");

  if (cradle_spectrogram_view_get_tiles (bench.view) != NULL)
    cradle_spectrogram_tiles_get_memory (cradle_spectrogram_view_get_tiles (bench.view), &tiles_peak);
  getrusage (RUSAGE_SELF, &usage);
  if (getloadavg (load, 1) != 1)
    load[0] = -1.0;

  printf ("{\"minutes\":%d,\"first_view_ms\":%.1f,\"frames\":%u,"
          "\"frame_work_ms\":{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f},"
          "\"frame_interval_ms\":{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f},"
          "\"scroll_frame_work_ms\":{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f},"
          "\"zoom_frame_work_ms\":{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f},"
          "\"view_snapshot_ms\":{\"median\":%.2f,\"p95\":%.2f,\"max\":%.2f},"
          "\"ui_thread_cpu_ms_per_frame\":%.2f,\"load_average\":%.2f,"
          "\"peak_rss_mib\":%.1f,\"tile_cache_peak_mib\":%.1f}\n",
          minutes, (bench.first_view_at - bench.opened_at) / 1000.0, bench.work_ms->len,
          percentile (bench.work_ms, 0.5), percentile (bench.work_ms, 0.95), percentile (bench.work_ms, 1.0),
          percentile (bench.interval_ms, 0.5), percentile (bench.interval_ms, 0.95),
          percentile (bench.interval_ms, 1.0),
          percentile (bench.scroll_ms, 0.5), percentile (bench.scroll_ms, 0.95), percentile (bench.scroll_ms, 1.0),
          percentile (bench.zoom_ms, 0.5), percentile (bench.zoom_ms, 0.95), percentile (bench.zoom_ms, 1.0),
          percentile (bench.snapshot_ms, 0.5), percentile (bench.snapshot_ms, 0.95),
          percentile (bench.snapshot_ms, 1.0),
          bench.work_ms->len > 0 ? (bench.thread_cpu_end - bench.thread_cpu_start) * 1000.0 / bench.work_ms->len : 0.0,
          load[0],
          usage.ru_maxrss / 1024.0, tiles_peak / 1048576.0);

  g_signal_handlers_disconnect_by_data (bench.clock, &bench);
  gtk_window_destroy (GTK_WINDOW (window));
  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_array_unref (bench.work_ms);
  g_array_unref (bench.interval_ms);
  g_array_unref (bench.snapshot_ms);
  g_array_unref (bench.scroll_ms);
  g_array_unref (bench.zoom_ms);
  cradle_test_rm_rf (data_home);
  return 0;
}
