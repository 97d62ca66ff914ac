/* cradle-svm.c — C-SVC with an RBF kernel and Platt probabilities (libsvm)
 *
 * Training goes through libsvm's svm_train (probability = 1: pairwise Platt
 * scaling fitted by an internal 5-fold cross-validation, then Wu–Lin–Weng
 * pairwise coupling). That cross-validation shuffles with rand(), so
 * training holds one global lock and seeds rand() with the request's seed:
 * the same seed and data give the same model.
 *
 * The trained model is copied out of libsvm into arrays this file owns, and
 * a struct svm_model is pointed at them: a loaded model is built the same
 * way, so there is one representation and one free function.
 * svm_predict_probability reads it as if libsvm had made it.
 *
 * Class weights (the mean per-row weight of each class) scale each class's
 * C. Platt scaling is then fitted on unweighted cross-validation decisions,
 * which brings the training prior back into the probabilities and undoes
 * most of the weighting; so the pairwise-coupled probabilities are
 * multiplied by the class weights and renormalised, giving posteriors under
 * the weighted class prior, as the other kinds (weighted losses) give.
 *
 * Payload (little-endian): "CSVMRBF1", n_features u32, n_classes u32,
 * C f64, gamma f64, cache_mb u32, nr_class u32, l u32 (support vectors),
 * class_weight n_classes × f64, label nr_class × u32, nSV nr_class × u32, rho / probA / probB
 * P × f64 each (P = nr_class (nr_class − 1) / 2), sv_coef (nr_class − 1) × l
 * f64, then the l support vectors as dense n_features × f32.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-classifier-private.h"
#include "cradle-serial-private.h"

#include <libsvm/svm.h>
#include <math.h>
#include <stdlib.h>

#define SVM_MAGIC "CSVMRBF1"
/* |values| beyond this are not something C-SVC produces; a payload holding
 * them is garbage (and could overflow a decision value). */
#define SVM_MAX_ABS 1e15

typedef struct {
  CradleClassifier  parent;
  double            C;
  double            gamma;
  guint             cache_mb;
  double           *class_weight;  /* n_classes, all 1 without row weights */

  struct svm_model  model;       /* points into the arrays below */
  struct svm_node  *nodes;       /* l × (n_features + 1), index −1 terminated */
  struct svm_node **sv;          /* l */
  double           *coef;        /* (nr_class − 1) × l */
  double          **sv_coef;     /* nr_class − 1 */
  double           *rho;
  double           *prob_a;
  double           *prob_b;
  int              *label;
  int              *n_sv;
} CradleSvm;

static const char * const svm_param_help[] = {
  "C=10: penalty of a margin violation (larger fits the training data harder)",
  "gamma=0: RBF kernel width exp(−gamma·|x−y|²); 0 means 1 / n_features",
  "cache_mb=200: kernel cache size in MiB",
  NULL
};

static GMutex svm_train_lock;

static void
svm_print_nothing (const char *message)
{
}

static void
svm_free (CradleClassifier *classifier)
{
  CradleSvm *self = (CradleSvm *) classifier;

  g_free (self->class_weight);
  g_free (self->nodes);
  g_free (self->sv);
  g_free (self->coef);
  g_free (self->sv_coef);
  g_free (self->rho);
  g_free (self->prob_a);
  g_free (self->prob_b);
  g_free (self->label);
  g_free (self->n_sv);
  g_free (self);
}

/* An empty model with arrays for NR_CLASS classes and L support vectors,
 * the struct svm_model pointed at them. */
static CradleSvm *
svm_alloc (guint n_features,
           guint height,
           guint width,
           guint n_classes,
           guint nr_class,
           guint l)
{
  CradleSvm *self = g_new0 (CradleSvm, 1);
  guint n_pairs = nr_class * (nr_class - 1) / 2;

  self->parent.vtable = &cradle_svm_vtable;
  self->parent.n_features = n_features;
  self->parent.height = height;
  self->parent.width = width;
  self->parent.n_classes = n_classes;

  self->class_weight = g_new (double, n_classes);
  for (guint c = 0; c < n_classes; c++)
    self->class_weight[c] = 1.0;
  self->nodes = g_new0 (struct svm_node, (gsize) l * (n_features + 1));
  self->sv = g_new (struct svm_node *, l);
  self->coef = g_new0 (double, (gsize) (nr_class - 1) * l);
  self->sv_coef = g_new (double *, nr_class - 1);
  self->rho = g_new0 (double, n_pairs);
  self->prob_a = g_new0 (double, n_pairs);
  self->prob_b = g_new0 (double, n_pairs);
  self->label = g_new0 (int, nr_class);
  self->n_sv = g_new0 (int, nr_class);

  for (guint i = 0; i < l; i++)
    {
      struct svm_node *row = self->nodes + (gsize) i * (n_features + 1);

      for (guint j = 0; j < n_features; j++)
        row[j].index = (int) j + 1;
      row[n_features].index = -1;
      self->sv[i] = row;
    }
  for (guint c = 0; c + 1 < nr_class; c++)
    self->sv_coef[c] = self->coef + (gsize) c * l;

  self->model.param.svm_type = C_SVC;
  self->model.param.kernel_type = RBF;
  self->model.param.probability = 1;
  self->model.nr_class = (int) nr_class;
  self->model.l = (int) l;
  self->model.SV = self->sv;
  self->model.sv_coef = self->sv_coef;
  self->model.rho = self->rho;
  self->model.probA = self->prob_a;
  self->model.probB = self->prob_b;
  self->model.sv_indices = NULL;
  self->model.label = self->label;
  self->model.nSV = self->n_sv;
  self->model.free_sv = 1;
  return self;
}

/* Log-loss (weighted) and accuracy of SELF on M, for the progress report. */
static void svm_predict_proba (CradleClassifier *classifier, const float *x,
                               guint n_rows, float *proba);

static void
svm_evaluate (CradleSvm          *self,
              const CradleMatrix *m,
              double             *loss,
              double             *accuracy)
{
  guint k = self->parent.n_classes;
  g_autofree float *proba = g_new (float, (gsize) m->n_rows * k);
  double sum = 0.0, sum_w = 0.0;
  guint correct = 0;

  svm_predict_proba ((CradleClassifier *) self, m->x, m->n_rows, proba);
  for (guint i = 0; i < m->n_rows; i++)
    {
      const float *p = proba + (gsize) i * k;
      double wi = m->weight != NULL ? m->weight[i] : 1.0;
      guint best = 0;

      for (guint c = 1; c < k; c++)
        if (p[c] > p[best])
          best = c;
      correct += best == m->y[i];
      sum += wi * -log (MAX ((double) p[m->y[i]], 1e-15));
      sum_w += wi;
    }
  *loss = sum_w > 0.0 ? sum / sum_w : NAN;
  *accuracy = (double) correct / m->n_rows;
}

static CradleClassifier *
svm_train_classifier (const CradleTrainRequest  *request,
                      GError                   **error)
{
  const CradleMatrix *train = request->train;
  guint d = train->n_features;
  guint k = request->n_classes;
  double C, gamma;
  guint cache_mb;
  struct svm_problem problem = { 0 };
  struct svm_parameter param = { 0 };
  g_autofree struct svm_node *nodes = NULL;
  g_autofree struct svm_node **rows = NULL;
  g_autofree double *y = NULL;
  g_autofree double *class_weight_sum = NULL;
  g_autofree guint *class_count = NULL;
  g_autofree int *weight_label = NULL;
  g_autofree double *weight = NULL;
  struct svm_model *trained;
  const char *problem_msg;
  guint n_present = 0;
  guint nr_class, l;
  CradleSvm *self;

  if (!cradle_params_check_known (request->params, svm_param_help, "svm", error) ||
      !cradle_param_double (request->params, "C", 10.0, 1e-6, 1e6, &C, error) ||
      !cradle_param_double (request->params, "gamma", 0.0, 0.0, 1e6, &gamma, error) ||
      !cradle_param_uint (request->params, "cache_mb", 200, 1, 65536, &cache_mb, error))
    return NULL;
  if (gamma == 0.0)
    gamma = 1.0 / d;

  class_weight_sum = g_new0 (double, k);
  class_count = g_new0 (guint, k);
  for (guint i = 0; i < train->n_rows; i++)
    {
      class_count[train->y[i]]++;
      class_weight_sum[train->y[i]] += train->weight != NULL ? train->weight[i] : 1.0;
    }
  for (guint c = 0; c < k; c++)
    n_present += class_count[c] > 0;
  if (n_present < 2)
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_TRAIN,
                           "The SVM needs training rows of at least two classes");
      return NULL;
    }

  /* Dense rows: index 1..d, then −1. */
  nodes = g_new (struct svm_node, (gsize) train->n_rows * (d + 1));
  rows = g_new (struct svm_node *, train->n_rows);
  y = g_new (double, train->n_rows);
  for (guint i = 0; i < train->n_rows; i++)
    {
      struct svm_node *row = nodes + (gsize) i * (d + 1);

      for (guint j = 0; j < d; j++)
        {
          row[j].index = (int) j + 1;
          row[j].value = train->x[(gsize) i * d + j];
        }
      row[d].index = -1;
      row[d].value = 0.0;
      rows[i] = row;
      y[i] = train->y[i];
    }
  problem.l = (int) train->n_rows;
  problem.y = y;
  problem.x = rows;

  param.svm_type = C_SVC;
  param.kernel_type = RBF;
  param.gamma = gamma;
  param.cache_size = cache_mb;
  param.eps = 1e-3;
  param.C = C;
  param.shrinking = 1;
  param.probability = 1;
  if (train->weight != NULL)
    {
      /* Per-row weights become per-class penalties: C_c = C × mean weight
       * of class c (libsvm has no per-row weights). */
      weight_label = g_new (int, k);
      weight = g_new (double, k);
      for (guint c = 0; c < k; c++)
        {
          if (class_count[c] == 0)
            continue;
          if (!(class_weight_sum[c] > 0.0))
            {
              g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_TRAIN,
                           "Every training row of class %u has weight zero", c);
              return NULL;
            }
          weight_label[param.nr_weight] = (int) c;
          weight[param.nr_weight] = class_weight_sum[c] / class_count[c];
          param.nr_weight++;
        }
      param.weight_label = weight_label;
      param.weight = weight;
    }
  problem_msg = svm_check_parameter (&problem, &param);
  if (problem_msg != NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "libsvm rejected the parameters: %s", problem_msg);
      return NULL;
    }

  g_mutex_lock (&svm_train_lock);
  svm_set_print_string_function (svm_print_nothing);
  srand (request->seed);
  trained = svm_train (&problem, &param);
  g_mutex_unlock (&svm_train_lock);

  if (trained == NULL || trained->nr_class < 2 || trained->probA == NULL || trained->probB == NULL)
    {
      if (trained != NULL)
        svm_free_and_destroy_model (&trained);
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_TRAIN,
                           "libsvm did not produce a probability model");
      return NULL;
    }

  /* Copy the model out of libsvm (its SVs point into NODES). */
  nr_class = (guint) trained->nr_class;
  l = (guint) trained->l;
  self = svm_alloc (d, train->height, train->width, k, nr_class, l);
  self->C = C;
  self->gamma = gamma;
  self->cache_mb = cache_mb;
  self->model.param.gamma = gamma;
  for (guint w = 0; w < (guint) param.nr_weight; w++)
    self->class_weight[weight_label[w]] = weight[w];
  for (guint c = 0; c < nr_class; c++)
    {
      self->label[c] = trained->label[c];
      self->n_sv[c] = trained->nSV[c];
    }
  for (guint p = 0; p < nr_class * (nr_class - 1) / 2; p++)
    {
      self->rho[p] = trained->rho[p];
      self->prob_a[p] = trained->probA[p];
      self->prob_b[p] = trained->probB[p];
    }
  for (guint c = 0; c + 1 < nr_class; c++)
    memcpy (self->sv_coef[c], trained->sv_coef[c], l * sizeof (double));
  for (guint i = 0; i < l; i++)
    {
      struct svm_node *dst = self->sv[i];

      for (const struct svm_node *n = trained->SV[i]; n->index != -1; n++)
        {
          g_assert (n->index >= 1 && (guint) n->index <= d);
          dst[n->index - 1].value = n->value;
        }
    }
  svm_free_and_destroy_model (&trained);

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      svm_free ((CradleClassifier *) self);
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED,
                           "Training was cancelled");
      return NULL;
    }
  if (request->progress != NULL)
    {
      double train_loss, train_accuracy, valid_loss = NAN, valid_accuracy = NAN;

      svm_evaluate (self, train, &train_loss, &train_accuracy);
      if (request->valid != NULL)
        svm_evaluate (self, request->valid, &valid_loss, &valid_accuracy);
      request->progress (1, 1, train_loss, valid_loss, valid_accuracy, request->user_data);
    }
  return (CradleClassifier *) self;
}

static void
svm_predict_proba (CradleClassifier *classifier,
                   const float      *x,
                   guint             n_rows,
                   float            *proba)
{
  CradleSvm *self = (CradleSvm *) classifier;
  guint d = classifier->n_features;
  guint k = classifier->n_classes;
  guint nr_class = (guint) self->model.nr_class;
  g_autofree struct svm_node *row = g_new (struct svm_node, d + 1);
  g_autofree double *est = g_new (double, nr_class);

  for (guint j = 0; j < d; j++)
    row[j].index = (int) j + 1;
  row[d].index = -1;
  row[d].value = 0.0;

  for (guint i = 0; i < n_rows; i++)
    {
      float *out = proba + (gsize) i * k;
      double sum = 0.0;

      for (guint j = 0; j < d; j++)
        row[j].value = x[(gsize) i * d + j];

      svm_predict_probability (&self->model, row, est);
      for (guint c = 0; c < nr_class; c++)
        {
          est[c] *= self->class_weight[self->label[c]];
          sum += est[c];
        }
      for (guint c = 0; c < k; c++)
        out[c] = 0.0f;
      for (guint c = 0; c < nr_class; c++)
        out[self->label[c]] = (float) (est[c] / sum);
    }
}

static gboolean
svm_serialize (CradleClassifier  *classifier,
               GByteArray        *out,
               GError           **error)
{
  CradleSvm *self = (CradleSvm *) classifier;
  guint d = classifier->n_features;
  guint nr_class = (guint) self->model.nr_class;
  guint l = (guint) self->model.l;
  guint n_pairs = nr_class * (nr_class - 1) / 2;

  g_byte_array_append (out, (const guint8 *) SVM_MAGIC, 8);
  cradle_serial_put_u32 (out, d);
  cradle_serial_put_u32 (out, classifier->n_classes);
  cradle_serial_put_f64 (out, self->C);
  cradle_serial_put_f64 (out, self->gamma);
  cradle_serial_put_u32 (out, self->cache_mb);
  cradle_serial_put_u32 (out, nr_class);
  cradle_serial_put_u32 (out, l);
  for (guint c = 0; c < classifier->n_classes; c++)
    cradle_serial_put_f64 (out, self->class_weight[c]);
  for (guint c = 0; c < nr_class; c++)
    cradle_serial_put_u32 (out, (guint32) self->label[c]);
  for (guint c = 0; c < nr_class; c++)
    cradle_serial_put_u32 (out, (guint32) self->n_sv[c]);
  for (guint p = 0; p < n_pairs; p++)
    cradle_serial_put_f64 (out, self->rho[p]);
  for (guint p = 0; p < n_pairs; p++)
    cradle_serial_put_f64 (out, self->prob_a[p]);
  for (guint p = 0; p < n_pairs; p++)
    cradle_serial_put_f64 (out, self->prob_b[p]);
  for (gsize i = 0; i < (gsize) (nr_class - 1) * l; i++)
    cradle_serial_put_f64 (out, self->coef[i]);
  for (guint i = 0; i < l; i++)
    for (guint j = 0; j < d; j++)
      cradle_serial_put_f32 (out, (float) self->sv[i][j].value);
  return TRUE;
}

static CradleClassifier *
svm_corrupt (CradleSvm  *self,
             GError    **error,
             const char *why)
{
  if (self != NULL)
    svm_free ((CradleClassifier *) self);
  g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
               "The SVM data is not valid: %s", why);
  return NULL;
}

static gboolean
bounded (double v)
{
  return fabs (v) <= SVM_MAX_ABS;  /* FALSE for NaN */
}

static CradleClassifier *
svm_deserialize (const guint8  *data,
                 gsize          length,
                 guint          n_features,
                 guint          height,
                 guint          width,
                 guint          n_classes,
                 GError       **error)
{
  CradleSerialReader r;
  const guint8 *magic;
  guint32 d, k, cache_mb, nr_class, l;
  double C, gamma;
  guint64 need;
  guint n_pairs;
  guint64 n_sv_sum = 0;
  g_autofree gboolean *seen = NULL;
  CradleSvm *self;

  cradle_serial_reader_init (&r, data, length);
  if (!cradle_serial_get_bytes (&r, 8, &magic) || memcmp (magic, SVM_MAGIC, 8) != 0 ||
      !cradle_serial_get_u32 (&r, &d) || !cradle_serial_get_u32 (&r, &k) ||
      !cradle_serial_get_f64 (&r, &C) || !cradle_serial_get_f64 (&r, &gamma) ||
      !cradle_serial_get_u32 (&r, &cache_mb) || !cradle_serial_get_u32 (&r, &nr_class) ||
      !cradle_serial_get_u32 (&r, &l))
    return svm_corrupt (NULL, error, "bad header");
  if (d != n_features || k != n_classes)
    return svm_corrupt (NULL, error, "made for another number of features or classes");
  if (!(C >= 1e-6 && C <= 1e6) || !(gamma > 0.0 && gamma <= 1e6) || cache_mb == 0)
    return svm_corrupt (NULL, error, "impossible hyperparameters");
  if (nr_class < 2 || nr_class > k || l == 0)
    return svm_corrupt (NULL, error, "impossible class or support vector count");

  /* The exact size the counts imply, before anything is allocated. */
  n_pairs = nr_class * (nr_class - 1) / 2;
  need = (guint64) k * 8 + (guint64) nr_class * 8 + (guint64) n_pairs * 24;
  if ((guint64) l > cradle_serial_remaining (&r) / ((guint64) d * 4 + (nr_class - 1) * 8))
    return svm_corrupt (NULL, error, "more support vectors than the data holds");
  need += (guint64) (nr_class - 1) * l * 8 + (guint64) l * d * 4;
  if (need != cradle_serial_remaining (&r))
    return svm_corrupt (NULL, error, "the length does not match the counts");

  self = svm_alloc (d, height, width, k, nr_class, l);
  self->C = C;
  self->gamma = gamma;
  self->cache_mb = cache_mb;
  self->model.param.gamma = gamma;

  for (guint c = 0; c < k; c++)
    {
      double v = 0.0;

      cradle_serial_get_f64 (&r, &v);
      if (!(v > 1e-12 && v <= SVM_MAX_ABS))
        return svm_corrupt (self, error, "a class weight is out of range");
      self->class_weight[c] = v;
    }
  seen = g_new0 (gboolean, k);
  for (guint c = 0; c < nr_class; c++)
    {
      guint32 v = 0;

      cradle_serial_get_u32 (&r, &v);
      if (v >= k || seen[v])
        return svm_corrupt (self, error, "bad class labels");
      seen[v] = TRUE;
      self->label[c] = (int) v;
    }
  for (guint c = 0; c < nr_class; c++)
    {
      guint32 v = 0;

      cradle_serial_get_u32 (&r, &v);
      if (v > l)
        return svm_corrupt (self, error, "bad support vector counts");
      self->n_sv[c] = (int) v;
      n_sv_sum += v;
    }
  if (n_sv_sum != l)
    return svm_corrupt (self, error, "the support vector counts do not add up");
  for (guint p = 0; p < 3 * n_pairs; p++)
    {
      double v = 0.0;

      cradle_serial_get_f64 (&r, &v);
      if (!bounded (v))
        return svm_corrupt (self, error, "a decision or probability constant is out of range");
      (p < n_pairs ? self->rho : p < 2 * n_pairs ? self->prob_a : self->prob_b)[p % n_pairs] = v;
    }
  for (gsize i = 0; i < (gsize) (nr_class - 1) * l; i++)
    {
      double v = 0.0;

      cradle_serial_get_f64 (&r, &v);
      if (!bounded (v))
        return svm_corrupt (self, error, "a support vector coefficient is out of range");
      self->coef[i] = v;
    }
  for (guint i = 0; i < l; i++)
    for (guint j = 0; j < d; j++)
      {
        float v = 0.0f;

        cradle_serial_get_f32 (&r, &v);
        if (!bounded (v))
          return svm_corrupt (self, error, "a support vector value is out of range");
        self->sv[i][j].value = v;
      }
  g_assert (cradle_serial_remaining (&r) == 0);
  return (CradleClassifier *) self;
}

static GHashTable *
svm_get_params (CradleClassifier *classifier)
{
  CradleSvm *self = (CradleSvm *) classifier;
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (params, g_strdup ("C"), cradle_serial_format_double (self->C));
  g_hash_table_insert (params, g_strdup ("gamma"), cradle_serial_format_double (self->gamma));
  g_hash_table_insert (params, g_strdup ("cache_mb"), g_strdup_printf ("%u", self->cache_mb));
  return params;
}

const CradleClassifierVTable cradle_svm_vtable = {
  .kind = CRADLE_MODEL_SVM,
  .param_help = svm_param_help,
  .train = svm_train_classifier,
  .predict_proba = svm_predict_proba,
  .serialize = svm_serialize,
  .deserialize = svm_deserialize,
  .get_params = svm_get_params,
  .feature_importance = NULL,
  .free = svm_free,
};
