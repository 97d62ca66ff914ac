/* cradle-pca.h — principal components of a feature matrix, for plots
 *
 * Standardises each column (mean 0, population standard deviation 1; a
 * constant column stays 0), forms the covariance matrix and finds its
 * leading eigenvectors by power iteration with deflation — no LAPACK, the
 * matrices are a few hundred features wide. The sign of each component is
 * fixed (its largest-magnitude loading is positive) so the same data
 * always gives the same picture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint   n;                /* rows */
  guint   n_features;
  guint   n_components;
  double *components;       /* n_components × n_features, unit vectors */
  double *explained;        /* n_components: share of the total variance */
  double *scores;           /* n × n_components: the projected rows */
} CradlePca;

/* X: N × N_FEATURES floats (non-finite values count as the column mean).
 * N_COMPONENTS <= N_FEATURES. NULL when N < 2. (transfer full) */
CradlePca *cradle_pca_compute (const float *x,
                               guint        n,
                               guint        n_features,
                               guint        n_components);
void       cradle_pca_free    (CradlePca   *pca);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradlePca, cradle_pca_free)

G_END_DECLS
