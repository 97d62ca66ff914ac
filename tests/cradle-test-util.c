/* cradle-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-test-util.h"

#include <math.h>
#include <sndfile.h>
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
