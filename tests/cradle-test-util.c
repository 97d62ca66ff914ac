/* cradle-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-test-util.h"

#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <stdlib.h>

char *
cradle_test_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "librosa-0.10.1", name, NULL);
}

CradleTestMatrix *
cradle_test_matrix_load (const char *name)
{
  g_autofree char *path = cradle_test_fixture_path (name);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  CradleTestMatrix *m = g_new0 (CradleTestMatrix, 1);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      guint n_cells;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      cells = g_strsplit (lines[i], ",", -1);
      n_cells = g_strv_length (cells);
      if (m->rows == 0)
        m->cols = n_cells;
      g_assert_cmpuint (n_cells, ==, m->cols);
      for (guint j = 0; j < n_cells; j++)
        {
          char *end = NULL;
          double v = g_ascii_strtod (cells[j], &end);

          g_assert_true (end != cells[j]);
          g_array_append_val (values, v);
        }
      m->rows++;
    }
  m->values = (double *) g_array_free (g_steal_pointer (&values), FALSE);
  return m;
}

void
cradle_test_matrix_free (CradleTestMatrix *m)
{
  if (m == NULL)
    return;
  g_free (m->values);
  g_free (m);
}

double
cradle_test_matrix_get (const CradleTestMatrix *m,
                        guint                   row,
                        guint                   col)
{
  g_assert_cmpuint (row, <, m->rows);
  g_assert_cmpuint (col, <, m->cols);
  return m->values[(gsize) row * m->cols + col];
}

float *
cradle_test_fixture_audio (const char *name,
                           gsize      *n,
                           guint      *sample_rate)
{
  g_autofree char *path = cradle_test_fixture_path (name);
  SF_INFO info = { 0 };
  SNDFILE *sf = sf_open (path, SFM_READ, &info);
  float *x;

  g_assert_nonnull (sf);
  g_assert_cmpint (info.channels, ==, 1);
  x = g_new (float, info.frames);
  g_assert_cmpint (sf_readf_float (sf, x, info.frames), ==, info.frames);
  sf_close (sf);
  *n = info.frames;
  if (sample_rate)
    *sample_rate = info.samplerate;
  return x;
}

const char *
cradle_test_shared_data (void)
{
  const char *dir = g_getenv ("CRADLE_SHARED_DATA");

  if (dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    return dir;
  return NULL;
}

float *
cradle_test_sine (gsize  n,
                  guint  rate,
                  double hz,
                  double amp)
{
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float) (amp * sin (2.0 * G_PI * hz * (double) i / rate));
  return x;
}

float *
cradle_test_noise (gsize   n,
                   double  sd,
                   guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *x = g_new (float, n);

  /* Box–Muller */
  for (gsize i = 0; i < n; i += 2)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1.0);
      double u2 = g_rand_double (rand);
      double r = sqrt (-2.0 * log (u1)) * sd;

      x[i] = (float) (r * cos (2.0 * G_PI * u2));
      if (i + 1 < n)
        x[i + 1] = (float) (r * sin (2.0 * G_PI * u2));
    }
  return x;
}

double
cradle_test_best_time_us (void     (*run) (gpointer data),
                          gpointer   data,
                          guint      reps)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  double best = G_MAXDOUBLE;

  for (guint r = 0; r < reps; r++)
    {
      g_timer_start (timer);
      run (data);
      best = MIN (best, g_timer_elapsed (timer, NULL) * 1e6);
    }
  return best;
}

struct _CradleTestPulse
{
  GSubprocess *daemon;
};

/* One folder and one environment per test process: set before the first
 * daemon starts (ideally before any thread exists), reused by restarts,
 * removed at exit. */
static char *pulse_dir;

static void
remove_pulse_dir (void)
{
  cradle_test_rm_rf (pulse_dir);
}

static gboolean
pulse_ready (void)
{
  g_autoptr(GSubprocess) info = NULL;

  info = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           NULL, "pactl", "info", NULL);
  return info != NULL && g_subprocess_wait_check (info, NULL, NULL);
}

/* In the daemon's child process before exec: SIGTERM when the test that
 * started it exits, however it exits. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

CradleTestPulse *
cradle_test_pulse_start (char **skip_reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *native = NULL;
  g_autofree char *log_target = NULL;
  g_autoptr(GSubprocess) set_source = NULL;
  g_autofree char *pulseaudio = g_find_program_in_path ("pulseaudio");
  g_autofree char *paplay = g_find_program_in_path ("paplay");
  CradleTestPulse *pulse;

  if (pulseaudio == NULL || paplay == NULL)
    {
      *skip_reason = g_strdup ("pulseaudio and paplay are not installed (Debian: pulseaudio, "
                               "pulseaudio-utils, libasound2-plugins)");
      return NULL;
    }

  if (pulse_dir == NULL)
    {
      g_autofree char *runtime = NULL;
      g_autofree char *home = NULL;
      g_autofree char *server = NULL;

      pulse_dir = g_dir_make_tmp ("cradle-pulse-XXXXXX", &error);
      g_assert_no_error (error);
      runtime = g_build_filename (pulse_dir, "runtime", NULL);
      home = g_build_filename (pulse_dir, "home", NULL);
      g_mkdir (runtime, 0700);
      g_mkdir (home, 0700);
      server = g_strdup_printf ("unix:%s/native", pulse_dir);
      g_setenv ("PULSE_SERVER", server, TRUE);
      g_setenv ("PULSE_RUNTIME_PATH", runtime, TRUE);
      g_setenv ("PULSE_STATE_PATH", runtime, TRUE);
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
      g_setenv ("HOME", home, TRUE);
      atexit (remove_pulse_dir);
    }

  pulse = g_new0 (CradleTestPulse, 1);
  socket = g_build_filename (pulse_dir, "native", NULL);
  g_remove (socket);
  native = g_strdup_printf ("module-native-protocol-unix socket=%s auth-anonymous=1", socket);
  log_target = g_strdup_printf ("--log-target=file:%s/pulse.log", pulse_dir);
  /* The daemon dies with the test, also when an assertion aborts it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  pulse->daemon = g_subprocess_launcher_spawn (launcher, &error,
                                               "pulseaudio", "-n", "--daemonize=no",
                                               "--exit-idle-time=-1", "--disallow-exit",
                                               "--use-pid-file=no", "--disable-shm", log_target,
                                               "-L", native,
                                               "-L", "module-null-sink sink_name=cradle_test rate=16000 channels=1",
                                               NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 100 && !pulse_ready (); i++)
    g_usleep (50000);
  g_assert_true (pulse_ready ());
  set_source = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "pactl", "set-default-source",
                                 "cradle_test.monitor", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (set_source, NULL, NULL));
  return pulse;
}

GSubprocess *
cradle_test_pulse_play (CradleTestPulse *pulse,
                        const char      *file)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *player;

  player = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             "paplay", "-d", "cradle_test", file, NULL);
  g_assert_no_error (error);
  return player;
}

void
cradle_test_pulse_kill (CradleTestPulse *pulse)
{
  if (pulse->daemon == NULL)
    return;
  g_subprocess_force_exit (pulse->daemon);
  g_subprocess_wait (pulse->daemon, NULL, NULL);
  g_clear_object (&pulse->daemon);
}

void
cradle_test_pulse_stop (CradleTestPulse *pulse)
{
  if (pulse == NULL)
    return;
  cradle_test_pulse_kill (pulse);
  g_free (pulse);
}

void
cradle_test_rm_rf (const char *path)
{
  if (path == NULL)
    return;
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cradle_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

void
cradle_test_run_clear (CradleTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
cradle_test_run_cli (CradleTestRun *run,
                     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("CRADLE_CLI");
  const char *arg;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "CRADLE_DATASET");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
}

struct _CradleTestWatchdog
{
  GMutex   mutex;
  GCond    cond;
  gboolean stopped;
  char    *what;
  guint    seconds;
  GThread *thread;
};

static gpointer
watchdog_thread (gpointer data)
{
  CradleTestWatchdog *w = data;
  gint64 deadline = g_get_monotonic_time () + (gint64) w->seconds * G_USEC_PER_SEC;

  g_mutex_lock (&w->mutex);
  while (!w->stopped)
    if (!g_cond_wait_until (&w->cond, &w->mutex, deadline))
      {
        if (!w->stopped)
          g_error ("%s took more than %u s", w->what, w->seconds);
      }
  g_mutex_unlock (&w->mutex);
  return NULL;
}

CradleTestWatchdog *
cradle_test_watchdog_start (const char *what,
                            guint       seconds)
{
  CradleTestWatchdog *w = g_new0 (CradleTestWatchdog, 1);

  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  w->what = g_strdup (what);
  w->seconds = seconds;
  w->thread = g_thread_new ("watchdog", watchdog_thread, w);
  return w;
}

void
cradle_test_watchdog_stop (CradleTestWatchdog *w)
{
  g_mutex_lock (&w->mutex);
  w->stopped = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->mutex);
  g_thread_join (w->thread);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_free (w->what);
  g_free (w);
}
