/* test-pca.c — principal components by power iteration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-pca.h"
#include "cradle-test-util.h"

/* Points along a known direction in 3-D plus small noise: the first
 * component is that direction (after standardisation, which here keeps it
 * because every column has the same scale), and it explains nearly all the
 * variance. */
static void
test_pca_line (void)
{
  const guint n = 400;
  g_autofree float *x = g_new (float, n * 3);
  g_autofree float *noise = cradle_test_noise (n * 3, 0.01, 7);
  g_autoptr(CradlePca) pca = NULL;
  const double dir[3] = { 1 / sqrt (3.0), 1 / sqrt (3.0), -1 / sqrt (3.0) };
  double dot = 0.0;
  double norm2 = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double t = (i - n / 2.0) / 50.0;

      for (guint j = 0; j < 3; j++)
        x[i * 3 + j] = (float) (t * dir[j] + noise[i * 3 + j]);
    }
  pca = cradle_pca_compute (x, n, 3, 2);
  g_assert_nonnull (pca);
  for (guint j = 0; j < 3; j++)
    {
      dot += pca->components[j] * dir[j];
      norm2 += pca->components[3 + j] * pca->components[3 + j];
    }
  /* Sign fixed so the largest loading is positive: |dot| = 1 within the
   * noise (tolerance 1e-3); the second component is a unit vector. */
  g_assert_cmpfloat (fabs (dot), >, 0.999);
  g_assert_cmpfloat_with_epsilon (norm2, 1.0, 1e-9);
  g_assert_cmpfloat (pca->explained[0], >, 0.99);
  g_assert_cmpfloat (pca->explained[1], <, 0.01);
  /* Scores are centred (tolerance 1e-9 × n). */
  {
    double mean = 0.0;

    for (guint i = 0; i < n; i++)
      mean += pca->scores[i * 2];
    g_assert_cmpfloat (fabs (mean / n), <, 1e-9);
  }
}

/* A constant column contributes nothing; too few rows give NULL. */
static void
test_pca_degenerate (void)
{
  const float x[] = { 1, 5, 2, 5, 3, 5, 4, 5 };
  g_autoptr(CradlePca) pca = cradle_pca_compute (x, 4, 2, 1);

  g_assert_nonnull (pca);
  g_assert_cmpfloat (fabs (pca->components[1]), <, 1e-12);
  g_assert_cmpfloat_with_epsilon (pca->components[0], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pca->explained[0], 1.0, 1e-9);
  g_assert_null (cradle_pca_compute (x, 1, 2, 1));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/pca/line", test_pca_line);
  g_test_add_func ("/core/pca/degenerate", test_pca_degenerate);

  return g_test_run ();
}
