/* cradle-logreg.c — multinomial logistic regression with an L2 penalty
 *
 * Minimises, as scikit-learn's LogisticRegression(multi_class="multinomial")
 * does since 1.1,
 *
 *   F(W, b) = (1/S) Σ_i w_i · CE(softmax(W x_i + b), y_i) + ||W||² / (2 C S)
 *
 * with S = Σ_i w_i (the intercepts are not penalised), by L-BFGS with a
 * backtracking (Armijo) line search. Every step is plain double arithmetic in
 * a fixed order, so the same data gives the same model bit for bit. Inputs
 * are already standardised (CradleModel does that).
 *
 * Payload (little-endian): "CLOGREG1", n_features u32, n_classes u32,
 * C f64, max_iter u32, tol f64, iterations used u32, then n_classes rows of
 * n_features + 1 f64 (coefficients, then the intercept).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-classifier-private.h"
#include "cradle-serial-private.h"

#include <float.h>
#include <math.h>

#define LOGREG_MAGIC "CLOGREG1"
#define LBFGS_MEMORY 10
/* Coefficients beyond this are not something training produces; a payload
 * holding them is garbage (and could overflow the logits). */
#define LOGREG_MAX_ABS_COEF 1e30

typedef struct {
  CradleClassifier parent;
  double           C;
  guint            max_iter;
  double           tol;
  guint            n_iter;
  double          *w;       /* n_classes × (n_features + 1) */
} CradleLogreg;

static const char * const logreg_param_help[] = {
  "C=1.0: inverse L2 regularisation strength (larger fits the training data harder)",
  "max_iter=500: most L-BFGS iterations",
  "tol=1e-6: stop when the largest gradient component is below this",
  NULL
};

static CradleLogreg *
logreg_new (guint n_features,
            guint height,
            guint width,
            guint n_classes)
{
  CradleLogreg *self = g_new0 (CradleLogreg, 1);

  self->parent.vtable = &cradle_logreg_vtable;
  self->parent.n_features = n_features;
  self->parent.height = height;
  self->parent.width = width;
  self->parent.n_classes = n_classes;
  self->w = g_new0 (double, (gsize) n_classes * (n_features + 1));
  return self;
}

static void
logreg_free (CradleClassifier *classifier)
{
  CradleLogreg *self = (CradleLogreg *) classifier;

  g_free (self->w);
  g_free (self);
}

/* Z (K) = logits of row X under W; returns log Σ exp(z) and leaves
 * softmax(z) in P. */
static double
softmax_row (const double *w,
             const float  *x,
             guint         d,
             guint         k,
             double       *p)
{
  double max = -INFINITY;
  double sum = 0.0;

  for (guint c = 0; c < k; c++)
    {
      const double *wc = w + (gsize) c * (d + 1);
      double z = wc[d];

      for (guint j = 0; j < d; j++)
        z += wc[j] * x[j];
      p[c] = z;
      if (z > max)
        max = z;
    }
  for (guint c = 0; c < k; c++)
    {
      p[c] = exp (p[c] - max);
      sum += p[c];
    }
  for (guint c = 0; c < k; c++)
    p[c] /= sum;
  return max + log (sum);
}

typedef struct {
  const CradleMatrix *m;
  guint               d;
  guint               k;
  double              inv_s;       /* 1 / Σ w_i */
  double              l2;          /* 1 / (C S) */
  double             *p;           /* k scratch */
} Objective;

/* F at W; GRAD (nullable) gets ∇F. DATA_LOSS (nullable) gets the weighted
 * mean cross-entropy alone. */
static double
objective_eval (Objective    *o,
                const double *w,
                double       *grad,
                double       *data_loss)
{
  const CradleMatrix *m = o->m;
  guint d = o->d, k = o->k;
  gsize n_w = (gsize) k * (d + 1);
  double loss = 0.0;
  double penalty = 0.0;

  if (grad != NULL)
    memset (grad, 0, n_w * sizeof *grad);

  for (guint i = 0; i < m->n_rows; i++)
    {
      const float *x = m->x + (gsize) i * d;
      double wi = m->weight != NULL ? m->weight[i] : 1.0;
      double lse;

      if (wi == 0.0)
        continue;
      lse = softmax_row (w, x, d, k, o->p);
      /* log p_y = z_y − lse; recover z_y from p_y without cancellation
       * trouble by recomputing it. */
      {
        const double *wy = w + (gsize) m->y[i] * (d + 1);
        double zy = wy[d];

        for (guint j = 0; j < d; j++)
          zy += wy[j] * x[j];
        loss += wi * (lse - zy);
      }
      if (grad != NULL)
        {
          for (guint c = 0; c < k; c++)
            {
              double r = wi * (o->p[c] - (c == m->y[i] ? 1.0 : 0.0));
              double *gc = grad + (gsize) c * (d + 1);

              for (guint j = 0; j < d; j++)
                gc[j] += r * x[j];
              gc[d] += r;
            }
        }
    }
  loss *= o->inv_s;
  if (data_loss != NULL)
    *data_loss = loss;

  for (guint c = 0; c < k; c++)
    {
      const double *wc = w + (gsize) c * (d + 1);
      double *gc = grad != NULL ? grad + (gsize) c * (d + 1) : NULL;

      for (guint j = 0; j < d; j++)
        {
          penalty += wc[j] * wc[j];
          if (gc != NULL)
            gc[j] = gc[j] * o->inv_s + o->l2 * wc[j];
        }
      if (gc != NULL)
        gc[d] *= o->inv_s;
    }
  return loss + 0.5 * o->l2 * penalty;
}

/* Weighted mean cross-entropy and (unweighted) accuracy of W on M. */
static void
evaluate (const double       *w,
          const CradleMatrix *m,
          guint               k,
          double             *p,
          double             *loss,
          double             *accuracy)
{
  guint d = m->n_features;
  double sum = 0.0, sum_w = 0.0;
  guint correct = 0;

  for (guint i = 0; i < m->n_rows; i++)
    {
      double wi = m->weight != NULL ? m->weight[i] : 1.0;
      guint best = 0;

      softmax_row (w, m->x + (gsize) i * d, d, k, p);
      for (guint c = 1; c < k; c++)
        if (p[c] > p[best])
          best = c;
      correct += best == m->y[i];
      sum += wi * -log (MAX (p[m->y[i]], 1e-300));
      sum_w += wi;
    }
  *loss = sum_w > 0.0 ? sum / sum_w : NAN;
  *accuracy = (double) correct / m->n_rows;
}

static double
dot (const double *a,
     const double *b,
     gsize         n)
{
  double s = 0.0;

  for (gsize i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

static double
max_abs (const double *a,
         gsize         n)
{
  double m = 0.0;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, fabs (a[i]));
  return m;
}

static CradleClassifier *
logreg_train (const CradleTrainRequest  *request,
              GError                   **error)
{
  const CradleMatrix *train = request->train;
  guint d = train->n_features;
  guint k = request->n_classes;
  gsize n_w = (gsize) k * (d + 1);
  double C, tol;
  guint max_iter;
  double sum_w = 0.0;
  g_autofree double *g = NULL;
  g_autofree double *w_new = NULL;
  g_autofree double *g_new = NULL;
  g_autofree double *dir = NULL;
  g_autofree double *s_hist = NULL;
  g_autofree double *y_hist = NULL;
  g_autofree double *rho = NULL;
  g_autofree double *alpha = NULL;
  g_autofree double *p = NULL;
  CradleLogreg *self;
  Objective o;
  double f, data_loss;
  guint n_hist = 0, head = 0;
  guint iter;

  if (!cradle_params_check_known (request->params, logreg_param_help, "logreg", error) ||
      !cradle_param_double (request->params, "C", 1.0, 1e-8, 1e8, &C, error) ||
      !cradle_param_uint (request->params, "max_iter", 500, 1, 1000000, &max_iter, error) ||
      !cradle_param_double (request->params, "tol", 1e-6, 0.0, 1.0, &tol, error))
    return NULL;

  for (guint i = 0; i < train->n_rows; i++)
    sum_w += train->weight != NULL ? train->weight[i] : 1.0;
  if (!(sum_w > 0.0))
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_TRAIN,
                           "Every training row has weight zero");
      return NULL;
    }

  self = logreg_new (d, train->height, train->width, k);
  self->C = C;
  self->max_iter = max_iter;
  self->tol = tol;

  p = g_new (double, k);
  g = g_new (double, n_w);
  w_new = g_new (double, n_w);
  g_new = g_new (double, n_w);
  dir = g_new (double, n_w);
  s_hist = g_new (double, LBFGS_MEMORY * n_w);
  y_hist = g_new (double, LBFGS_MEMORY * n_w);
  rho = g_new (double, LBFGS_MEMORY);
  alpha = g_new (double, LBFGS_MEMORY);

  o = (Objective) { .m = train, .d = d, .k = k, .inv_s = 1.0 / sum_w, .l2 = 1.0 / (C * sum_w), .p = p };
  f = objective_eval (&o, self->w, g, &data_loss);

  for (iter = 0; iter < max_iter; iter++)
    {
      double gnorm = max_abs (g, n_w);
      double step, slope, f_new = f, new_data_loss = data_loss;
      gboolean accepted = FALSE;

      if (gnorm <= tol)
        break;
      if (g_cancellable_is_cancelled (request->cancellable))
        {
          g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED,
                               "Training was cancelled");
          logreg_free ((CradleClassifier *) self);
          return NULL;
        }

      /* Two-loop recursion: DIR = −H·g. */
      for (gsize i = 0; i < n_w; i++)
        dir[i] = -g[i];
      for (guint h = 0; h < n_hist; h++)
        {
          guint slot = (head + LBFGS_MEMORY - 1 - h) % LBFGS_MEMORY;

          alpha[slot] = rho[slot] * dot (s_hist + slot * n_w, dir, n_w);
          for (gsize i = 0; i < n_w; i++)
            dir[i] -= alpha[slot] * y_hist[slot * n_w + i];
        }
      if (n_hist > 0)
        {
          guint last = (head + LBFGS_MEMORY - 1) % LBFGS_MEMORY;
          double gamma = dot (s_hist + last * n_w, y_hist + last * n_w, n_w) /
                         dot (y_hist + last * n_w, y_hist + last * n_w, n_w);

          for (gsize i = 0; i < n_w; i++)
            dir[i] *= gamma;
        }
      for (guint h = n_hist; h-- > 0;)
        {
          guint slot = (head + LBFGS_MEMORY - 1 - h) % LBFGS_MEMORY;
          double beta = rho[slot] * dot (y_hist + slot * n_w, dir, n_w);

          for (gsize i = 0; i < n_w; i++)
            dir[i] += (alpha[slot] - beta) * s_hist[slot * n_w + i];
        }
      slope = dot (dir, g, n_w);
      if (!(slope < 0.0))
        {
          /* Not a descent direction (numerical trouble): restart from the
           * gradient. */
          for (gsize i = 0; i < n_w; i++)
            dir[i] = -g[i];
          slope = dot (dir, g, n_w);
          n_hist = 0;
        }

      /* Backtracking line search with the Armijo condition. */
      step = n_hist == 0 ? MIN (1.0, 1.0 / gnorm) : 1.0;
      for (guint ls = 0; ls < 40; ls++)
        {
          for (gsize i = 0; i < n_w; i++)
            w_new[i] = self->w[i] + step * dir[i];
          f_new = objective_eval (&o, w_new, g_new, &new_data_loss);
          if (isfinite (f_new) && f_new <= f + 1e-4 * step * slope)
            {
              accepted = TRUE;
              break;
            }
          step *= 0.5;
        }
      if (!accepted)
        break;  /* no further decrease is possible in double precision */

      /* Curvature pair. */
      {
        double *s = s_hist + head * n_w;
        double *y = y_hist + head * n_w;
        double sy;

        for (gsize i = 0; i < n_w; i++)
          {
            s[i] = w_new[i] - self->w[i];
            y[i] = g_new[i] - g[i];
          }
        sy = dot (s, y, n_w);
        if (sy > 1e-12 * dot (y, y, n_w))
          {
            rho[head] = 1.0 / sy;
            head = (head + 1) % LBFGS_MEMORY;
            n_hist = MIN (n_hist + 1, LBFGS_MEMORY);
          }
      }
      memcpy (self->w, w_new, n_w * sizeof *w_new);
      memcpy (g, g_new, n_w * sizeof *g_new);

      {
        double f_old = f;

        f = f_new;
        data_loss = new_data_loss;
        self->n_iter = iter + 1;

        if (request->progress != NULL)
          {
            double valid_loss = NAN, valid_accuracy = NAN;

            if (request->valid != NULL)
              evaluate (self->w, request->valid, k, p, &valid_loss, &valid_accuracy);
            if (!request->progress (iter + 1, max_iter, data_loss, valid_loss, valid_accuracy,
                                    request->user_data))
              break;
          }
        /* scipy's L-BFGS-B stopping rule, as scikit-learn sets it. */
        if ((f_old - f) <= 64 * DBL_EPSILON * MAX (MAX (fabs (f_old), fabs (f)), 1.0))
          break;
      }
    }
  return (CradleClassifier *) self;
}

static void
logreg_predict_proba (CradleClassifier *classifier,
                      const float      *x,
                      guint             n_rows,
                      float            *proba)
{
  CradleLogreg *self = (CradleLogreg *) classifier;
  guint d = classifier->n_features;
  guint k = classifier->n_classes;
  double p[64];
  g_autofree double *heap = NULL;
  double *pp = p;

  if (k > G_N_ELEMENTS (p))
    pp = heap = g_new (double, k);
  for (guint i = 0; i < n_rows; i++)
    {
      softmax_row (self->w, x + (gsize) i * d, d, k, pp);
      for (guint c = 0; c < k; c++)
        proba[(gsize) i * k + c] = (float) pp[c];
    }
}

static gboolean
logreg_serialize (CradleClassifier  *classifier,
                  GByteArray        *out,
                  GError           **error)
{
  CradleLogreg *self = (CradleLogreg *) classifier;
  gsize n_w = (gsize) classifier->n_classes * (classifier->n_features + 1);

  g_byte_array_append (out, (const guint8 *) LOGREG_MAGIC, 8);
  cradle_serial_put_u32 (out, classifier->n_features);
  cradle_serial_put_u32 (out, classifier->n_classes);
  cradle_serial_put_f64 (out, self->C);
  cradle_serial_put_u32 (out, self->max_iter);
  cradle_serial_put_f64 (out, self->tol);
  cradle_serial_put_u32 (out, self->n_iter);
  for (gsize i = 0; i < n_w; i++)
    cradle_serial_put_f64 (out, self->w[i]);
  return TRUE;
}

static CradleClassifier *
logreg_deserialize (const guint8  *data,
                    gsize          length,
                    guint          n_features,
                    guint          height,
                    guint          width,
                    guint          n_classes,
                    GError       **error)
{
  CradleSerialReader r;
  const guint8 *magic;
  guint32 d, k, max_iter, n_iter;
  double C, tol;
  gsize n_w;
  CradleLogreg *self;

  cradle_serial_reader_init (&r, data, length);
  if (!cradle_serial_get_bytes (&r, 8, &magic) || memcmp (magic, LOGREG_MAGIC, 8) != 0 ||
      !cradle_serial_get_u32 (&r, &d) || !cradle_serial_get_u32 (&r, &k) ||
      !cradle_serial_get_f64 (&r, &C) || !cradle_serial_get_u32 (&r, &max_iter) ||
      !cradle_serial_get_f64 (&r, &tol) || !cradle_serial_get_u32 (&r, &n_iter))
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                           "The logistic regression data is not valid (bad header)");
      return NULL;
    }
  if (d != n_features || k != n_classes)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                   "The logistic regression data is for %u features and %u classes, not %u and %u",
                   d, k, n_features, n_classes);
      return NULL;
    }
  if (!(C >= 1e-8 && C <= 1e8) || !(tol >= 0.0 && tol <= 1.0) || max_iter == 0 || n_iter > max_iter)
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                           "The logistic regression data has impossible hyperparameters");
      return NULL;
    }
  n_w = (gsize) k * (d + 1);
  if (cradle_serial_remaining (&r) / 8 != n_w || cradle_serial_remaining (&r) % 8 != 0)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                   "The logistic regression data holds %" G_GSIZE_FORMAT " bytes of coefficients, "
                   "not %" G_GSIZE_FORMAT, cradle_serial_remaining (&r), n_w * 8);
      return NULL;
    }

  self = logreg_new (n_features, height, width, n_classes);
  self->C = C;
  self->max_iter = max_iter;
  self->tol = tol;
  self->n_iter = n_iter;
  for (gsize i = 0; i < n_w; i++)
    {
      double v = 0.0;

      cradle_serial_get_f64 (&r, &v);
      if (!(fabs (v) <= LOGREG_MAX_ABS_COEF))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                       "The logistic regression data has an impossible coefficient (%g)", v);
          logreg_free ((CradleClassifier *) self);
          return NULL;
        }
      self->w[i] = v;
    }
  return (CradleClassifier *) self;
}

static GHashTable *
logreg_get_params (CradleClassifier *classifier)
{
  CradleLogreg *self = (CradleLogreg *) classifier;
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (params, g_strdup ("C"), cradle_serial_format_double (self->C));
  g_hash_table_insert (params, g_strdup ("max_iter"), g_strdup_printf ("%u", self->max_iter));
  g_hash_table_insert (params, g_strdup ("tol"), cradle_serial_format_double (self->tol));
  return params;
}

static gboolean
logreg_feature_importance (CradleClassifier *classifier,
                           float            *importance)
{
  CradleLogreg *self = (CradleLogreg *) classifier;
  guint d = classifier->n_features;

  for (guint j = 0; j < d; j++)
    {
      double s = 0.0;

      for (guint c = 0; c < classifier->n_classes; c++)
        s += fabs (self->w[(gsize) c * (d + 1) + j]);
      importance[j] = (float) s;
    }
  return TRUE;
}

const CradleClassifierVTable cradle_logreg_vtable = {
  .kind = CRADLE_MODEL_LOGREG,
  .param_help = logreg_param_help,
  .train = logreg_train,
  .predict_proba = logreg_predict_proba,
  .serialize = logreg_serialize,
  .deserialize = logreg_deserialize,
  .get_params = logreg_get_params,
  .feature_importance = logreg_feature_importance,
  .free = logreg_free,
};
