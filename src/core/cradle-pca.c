/* cradle-pca.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-pca.h"

#include <math.h>
#include <string.h>

#define MAX_ITERATIONS 1000
#define TOLERANCE      1e-10

void
cradle_pca_free (CradlePca *pca)
{
  if (pca == NULL)
    return;
  g_free (pca->components);
  g_free (pca->explained);
  g_free (pca->scores);
  g_free (pca);
}

/* The dominant eigenvector of the symmetric D × D matrix C into V (unit
 * length); returns its eigenvalue. */
static double
power_iteration (const double *c,
                 guint         d,
                 double       *v)
{
  g_autofree double *w = g_new (double, d);
  double lambda = 0.0;

  /* A fixed start with every coordinate non-zero and distinct. */
  for (guint i = 0; i < d; i++)
    v[i] = 1.0 + 0.01 * i;
  for (guint it = 0; it < MAX_ITERATIONS; it++)
    {
      double norm = 0.0;
      double change = 0.0;

      for (guint i = 0; i < d; i++)
        {
          double s = 0.0;

          for (guint j = 0; j < d; j++)
            s += c[(gsize) i * d + j] * v[j];
          w[i] = s;
          norm += s * s;
        }
      norm = sqrt (norm);
      if (norm < 1e-300)
        {
          memset (v, 0, d * sizeof (double));
          return 0.0;
        }
      for (guint i = 0; i < d; i++)
        {
          double next = w[i] / norm;

          change += fabs (next - v[i]);
          v[i] = next;
        }
      lambda = norm;
      if (change < TOLERANCE * d)
        break;
    }
  return lambda;
}

CradlePca *
cradle_pca_compute (const float *x,
                    guint        n,
                    guint        n_features,
                    guint        n_components)
{
  g_autoptr(CradlePca) pca = NULL;
  g_autofree double *z = NULL;
  g_autofree double *cov = NULL;
  double total = 0.0;
  guint d = n_features;

  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (n_components > 0 && n_components <= n_features, NULL);

  if (n < 2)
    return NULL;

  /* Standardised copy. */
  z = g_new (double, (gsize) n * d);
  for (guint j = 0; j < d; j++)
    {
      double sum = 0.0;
      double sq = 0.0;
      guint count = 0;
      double mean;
      double sd;

      for (guint i = 0; i < n; i++)
        {
          double v = x[(gsize) i * d + j];

          if (isfinite (v))
            {
              sum += v;
              count++;
            }
        }
      mean = count > 0 ? sum / count : 0.0;
      for (guint i = 0; i < n; i++)
        {
          double v = x[(gsize) i * d + j];

          v = isfinite (v) ? v - mean : 0.0;
          z[(gsize) i * d + j] = v;
          sq += v * v;
        }
      sd = sqrt (sq / n);
      for (guint i = 0; i < n; i++)
        z[(gsize) i * d + j] = sd > 1e-12 ? z[(gsize) i * d + j] / sd : 0.0;
    }

  cov = g_new0 (double, (gsize) d * d);
  for (guint i = 0; i < n; i++)
    {
      const double *row = z + (gsize) i * d;

      for (guint a = 0; a < d; a++)
        {
          double ra = row[a];

          if (ra == 0.0)
            continue;
          for (guint b = a; b < d; b++)
            cov[(gsize) a * d + b] += ra * row[b];
        }
    }
  for (guint a = 0; a < d; a++)
    for (guint b = a; b < d; b++)
      {
        cov[(gsize) a * d + b] /= n;
        cov[(gsize) b * d + a] = cov[(gsize) a * d + b];
      }
  for (guint a = 0; a < d; a++)
    total += cov[(gsize) a * d + a];

  pca = g_new0 (CradlePca, 1);
  pca->n = n;
  pca->n_features = d;
  pca->n_components = n_components;
  pca->components = g_new0 (double, (gsize) n_components * d);
  pca->explained = g_new0 (double, n_components);
  pca->scores = g_new0 (double, (gsize) n * n_components);

  for (guint k = 0; k < n_components; k++)
    {
      double *v = pca->components + (gsize) k * d;
      double lambda = power_iteration (cov, d, v);
      guint biggest = 0;

      for (guint j = 1; j < d; j++)
        if (fabs (v[j]) > fabs (v[biggest]))
          biggest = j;
      if (v[biggest] < 0.0)
        for (guint j = 0; j < d; j++)
          v[j] = -v[j];
      pca->explained[k] = total > 0.0 ? lambda / total : 0.0;
      /* Deflate: C ← C − λ v vᵀ. */
      for (guint a = 0; a < d; a++)
        for (guint b = 0; b < d; b++)
          cov[(gsize) a * d + b] -= lambda * v[a] * v[b];
    }

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < n_components; k++)
      {
        double s = 0.0;

        for (guint j = 0; j < d; j++)
          s += z[(gsize) i * d + j] * pca->components[(gsize) k * d + j];
        pca->scores[(gsize) i * n_components + k] = s;
      }
  return g_steal_pointer (&pca);
}
