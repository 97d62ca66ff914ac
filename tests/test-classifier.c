/* test-classifier.c — the classical model kinds behind CradleClassifier
 *
 * Synthetic data made here: Gaussian blobs in 10-D, the class carried by
 * features 0 and 1 only, features 2..9 pure noise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-classifier.h"
#include "cradle-test-util.h"

#include <math.h>
#include <string.h>

#define N_FEATURES 10

typedef struct {
  guint  n_rows;
  guint  n_features;
  float *x;
  guint *y;
  float *weight;
} Data;

static void
data_free (Data *d)
{
  g_free (d->x);
  g_free (d->y);
  g_free (d->weight);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Data, data_free)

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* COUNTS[c] rows of class c (K classes) around CENTRES[c] (features 0, 1,
 * unit spread), shuffled. */
static Data *
make_blobs (guint                k,
            const guint         *counts,
            const double       (*centres)[2],
            guint                n_features,
            guint32              seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Data *d = g_new0 (Data, 1);
  guint n = 0, row = 0;

  for (guint c = 0; c < k; c++)
    n += counts[c];
  d->n_rows = n;
  d->n_features = n_features;
  d->x = g_new (float, (gsize) n * n_features);
  d->y = g_new (guint, n);
  for (guint c = 0; c < k; c++)
    for (guint i = 0; i < counts[c]; i++, row++)
      {
        float *x = d->x + (gsize) row * n_features;

        d->y[row] = c;
        for (guint j = 0; j < n_features; j++)
          x[j] = (float) gauss (rand);
        x[0] += (float) centres[c][0];
        x[1] += (float) centres[c][1];
      }
  /* Shuffle rows (Fisher–Yates). */
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1);
      guint ty = d->y[i];

      d->y[i] = d->y[j];
      d->y[j] = ty;
      for (guint f = 0; f < n_features; f++)
        {
          float t = d->x[(gsize) i * n_features + f];

          d->x[(gsize) i * n_features + f] = d->x[(gsize) j * n_features + f];
          d->x[(gsize) j * n_features + f] = t;
        }
    }
  return d;
}

static const double three_centres[3][2] = { { 0.0, 0.0 }, { 4.0, 0.0 }, { 2.0, 3.5 } };

static Data *
make_three (guint   per_class,
            guint32 seed)
{
  guint counts[3] = { per_class, per_class, per_class };

  return make_blobs (3, counts, three_centres, N_FEATURES, seed);
}

static CradleMatrix
matrix_of (const Data *d)
{
  return (CradleMatrix) { .n_rows = d->n_rows, .n_features = d->n_features,
                          .x = d->x, .y = d->y, .weight = d->weight };
}

/* Small models so the whole program stays quick. */
static GHashTable *
test_params (CradleModelKind kind)
{
  GHashTable *params = g_hash_table_new (g_str_hash, g_str_equal);

  if (kind == CRADLE_MODEL_RF)
    g_hash_table_insert (params, "n_estimators", "30");
  else if (kind == CRADLE_MODEL_GBT)
    g_hash_table_insert (params, "n_estimators", "60");
  return params;
}

static CradleClassifier *
train_kind (CradleModelKind  kind,
            const Data      *train,
            guint            k,
            guint32          seed)
{
  g_autoptr(GHashTable) params = test_params (kind);
  g_autoptr(GError) error = NULL;
  CradleMatrix m = matrix_of (train);
  /* One thread: the test machines are small and shared, and OpenMP's
   * spin-waiting makes XGBoost crawl when its threads compete for cores. */
  CradleTrainRequest req = { .train = &m, .n_classes = k, .seed = seed, .params = params,
                             .n_threads = 1 };
  CradleClassifier *c;

  if (kind == CRADLE_MODEL_RF && train->weight != NULL)
    g_hash_table_insert (params, "max_depth", "4");
  c = cradle_classifier_train (kind, &req, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_assert_cmpint (cradle_classifier_get_kind (c), ==, kind);
  g_assert_cmpuint (cradle_classifier_get_n_classes (c), ==, k);
  g_assert_cmpuint (cradle_classifier_get_n_features (c), ==, train->n_features);
  return c;
}

static float *
predict (CradleClassifier *c,
         const Data       *d)
{
  guint k = cradle_classifier_get_n_classes (c);
  float *p = g_new (float, (gsize) d->n_rows * k);

  cradle_classifier_predict_proba (c, d->x, d->n_rows, p);
  return p;
}

/* Probabilities finite, in [0, 1], rows summing to 1 (1e-5). */
static void
assert_proba_valid (const float *p,
                    guint        n_rows,
                    guint        k)
{
  for (guint i = 0; i < n_rows; i++)
    {
      double sum = 0.0;

      for (guint c = 0; c < k; c++)
        {
          float v = p[(gsize) i * k + c];

          g_assert_true (isfinite (v));
          g_assert_cmpfloat (v, >=, 0.0f);
          g_assert_cmpfloat (v, <=, 1.0f);
          sum += v;
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
}

static guint
argmax (const float *p,
        guint        k)
{
  guint best = 0;

  for (guint c = 1; c < k; c++)
    if (p[c] > p[best])
      best = c;
  return best;
}

static double
accuracy (const float *p,
          const Data  *d,
          guint        k)
{
  guint correct = 0;

  for (guint i = 0; i < d->n_rows; i++)
    correct += argmax (p + (gsize) i * k, k) == d->y[i];
  return (double) correct / d->n_rows;
}

static CradleModelKind
kind_of (gconstpointer data)
{
  return (CradleModelKind) GPOINTER_TO_UINT (data);
}

static void
test_learns (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  g_autoptr(Data) train = make_three (100, 1);
  g_autoptr(Data) test = make_three (100, 2);
  g_autoptr(CradleClassifier) c = train_kind (kind, train, 3, 42);
  g_autofree float *p = predict (c, test);
  double acc = accuracy (p, test, 3);
  g_autofree char *describe = cradle_classifier_describe (c);

  assert_proba_valid (p, test->n_rows, 3);
  g_test_message ("%s: test accuracy %.3f", describe, acc);
  g_assert_cmpfloat (acc, >, 0.9);
  g_assert_true (g_str_has_prefix (describe, cradle_model_kind_to_string (kind)));
}

static void
test_two_classes (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  static const double centres[2][2] = { { 0.0, 0.0 }, { 3.5, 1.0 } };
  guint counts[2] = { 120, 80 };
  g_autoptr(Data) train = make_blobs (2, counts, centres, N_FEATURES, 3);
  g_autoptr(Data) test = make_blobs (2, counts, centres, N_FEATURES, 4);
  g_autoptr(CradleClassifier) c = train_kind (kind, train, 2, 7);
  g_autofree float *p = predict (c, test);

  assert_proba_valid (p, test->n_rows, 2);
  g_assert_cmpfloat (accuracy (p, test, 2), >, 0.9);
}

static void
test_deterministic (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  g_autoptr(Data) train = make_three (100, 5);
  g_autoptr(Data) test = make_three (50, 6);
  g_autoptr(CradleClassifier) a = train_kind (kind, train, 3, 11);
  g_autoptr(CradleClassifier) b = train_kind (kind, train, 3, 11);
  g_autoptr(CradleClassifier) other = train_kind (kind, train, 3, 12);
  g_autofree float *pa = predict (a, test);
  g_autofree float *pb = predict (b, test);
  g_autofree float *po = predict (other, test);
  gsize size = (gsize) test->n_rows * 3 * sizeof (float);

  g_assert_cmpmem (pa, size, pb, size);
  /* A different seed may give a different model (rf, gbt, svm); logistic
   * regression has no randomness at all. */
  if (kind == CRADLE_MODEL_LOGREG)
    g_assert_cmpmem (pa, size, po, size);
  else
    g_test_message ("different seed gives %s probabilities",
                    memcmp (pa, po, size) == 0 ? "the same" : "different");
}

static void
check_garbage (CradleModelKind  kind,
               const guint8    *bytes,
               gsize            len,
               const Data      *test,
               guint           *n_rejected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleClassifier) c =
    cradle_classifier_deserialize (kind, bytes, len, N_FEATURES, 0, 0, 3, &error);

  if (c == NULL)
    {
      g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
      (*n_rejected)++;
    }
  else
    {
      g_autofree float *p = predict (c, test);

      g_assert_no_error (error);
      for (gsize i = 0; i < (gsize) test->n_rows * 3; i++)
        g_assert_true (isfinite (p[i]));
    }
}

static void
test_serialize (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  g_autoptr(Data) train = make_three (100, 8);
  g_autoptr(Data) test = make_three (20, 9);
  g_autoptr(CradleClassifier) c = train_kind (kind, train, 3, 3);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleClassifier) loaded = NULL;
  g_autoptr(GHashTable) params_a = NULL;
  g_autoptr(GHashTable) params_b = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autofree float *pa = predict (c, test);
  g_autofree float *pb = NULL;
  g_autofree guint8 *copy = NULL;
  gsize size = (gsize) test->n_rows * 3 * sizeof (float);
  guint n_rejected = 0, n_tried = 0;

  g_assert_true (cradle_classifier_serialize (c, bytes, &error));
  g_assert_no_error (error);
  loaded = cradle_classifier_deserialize (kind, bytes->data, bytes->len, N_FEATURES, 0, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  pb = predict (loaded, test);
  g_assert_cmpmem (pa, size, pb, size);   /* bitwise */

  params_a = cradle_classifier_get_params (c);
  params_b = cradle_classifier_get_params (loaded);
  g_assert_cmpuint (g_hash_table_size (params_a), ==, g_hash_table_size (params_b));
  {
    g_autofree char *da = cradle_classifier_describe (c);
    g_autofree char *db = cradle_classifier_describe (loaded);

    g_assert_cmpstr (da, ==, db);
  }

  /* Wrong sizes are refused. */
  g_clear_pointer (&loaded, cradle_classifier_free);
  loaded = cradle_classifier_deserialize (kind, bytes->data, bytes->len, N_FEATURES + 1, 0, 0, 3, &error);
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
  g_assert_null (loaded);
  g_clear_error (&error);

  /* Truncations: every length up to 64, then about 200 more. */
  for (gsize len = 0; len < bytes->len; len += len < 64 ? 1 : MAX (bytes->len / 200, 1))
    {
      check_garbage (kind, bytes->data, len, test, &n_rejected);
      n_tried++;
    }
  g_assert_cmpuint (n_rejected, ==, n_tried);

  /* ~300 random mutations of 1–4 bytes: an error or a usable model. */
  copy = g_memdup2 (bytes->data, bytes->len);
  n_rejected = 0;
  for (guint t = 0; t < 300; t++)
    {
      guint n = g_rand_int_range (rand, 1, 5);

      memcpy (copy, bytes->data, bytes->len);
      for (guint m = 0; m < n; m++)
        copy[g_rand_int_range (rand, 0, bytes->len)] = (guint8) g_rand_int_range (rand, 0, 256);
      check_garbage (kind, copy, bytes->len, test, &n_rejected);
    }
  g_test_message ("%u of 300 mutated payloads rejected", n_rejected);
}

static void
expect_invalid_param (CradleModelKind  kind,
                      const char      *name,
                      const char      *value)
{
  g_autoptr(Data) train = make_three (20, 10);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  CradleMatrix m = matrix_of (train);
  CradleTrainRequest req = { .train = &m, .n_classes = 3, .params = params };
  CradleClassifier *c;

  g_hash_table_insert (params, (char *) name, (char *) value);
  c = cradle_classifier_train (kind, &req, &error);
  g_assert_null (c);
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_hyperparams (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  const char * const *help = cradle_classifier_param_help (kind);

  g_assert_nonnull (help);
  g_assert_nonnull (help[0]);
  for (guint i = 0; help[i] != NULL; i++)
    g_assert_nonnull (strchr (help[i], '='));

  expect_invalid_param (kind, "no_such_parameter", "1");
  switch (kind)
    {
    case CRADLE_MODEL_LOGREG:
      expect_invalid_param (kind, "C", "-1");
      expect_invalid_param (kind, "max_iter", "many");
      break;
    case CRADLE_MODEL_SVM:
      expect_invalid_param (kind, "C", "0");
      expect_invalid_param (kind, "gamma", "nan");
      break;
    case CRADLE_MODEL_RF:
      expect_invalid_param (kind, "max_features", "1.5");
      expect_invalid_param (kind, "n_estimators", "0");
      break;
    case CRADLE_MODEL_GBT:
      expect_invalid_param (kind, "eta", "2");
      expect_invalid_param (kind, "max_depth", "-3");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Minority recall on a balanced test set. */
static double
minority_recall (CradleModelKind  kind,
                 Data            *train,
                 const Data      *test)
{
  g_autoptr(CradleClassifier) c = train_kind (kind, train, 2, 5);
  g_autofree float *p = predict (c, test);
  guint hit = 0, n = 0;

  for (guint i = 0; i < test->n_rows; i++)
    {
      if (test->y[i] != 1)
        continue;
      n++;
      hit += argmax (p + (gsize) i * 2, 2) == 1;
    }
  return (double) hit / n;
}

static void
test_weights (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  static const double centres[2][2] = { { 0.0, 0.0 }, { 1.5, 0.0 } };
  guint train_counts[2] = { 400, 40 };
  guint test_counts[2] = { 200, 200 };
  g_autoptr(Data) train = make_blobs (2, train_counts, centres, N_FEATURES, 21);
  g_autoptr(Data) test = make_blobs (2, test_counts, centres, N_FEATURES, 22);
  double plain, weighted;

  plain = minority_recall (kind, train, test);
  /* "balanced" class weights: n / (k n_c). */
  train->weight = g_new (float, train->n_rows);
  for (guint i = 0; i < train->n_rows; i++)
    train->weight[i] = (float) train->n_rows / (2.0f * train_counts[train->y[i]]);
  weighted = minority_recall (kind, train, test);
  g_test_message ("minority recall: %.3f unweighted, %.3f weighted", plain, weighted);
  g_assert_cmpfloat (weighted, >, plain + 0.15);
}

static void
test_importance (gconstpointer data)
{
  CradleModelKind kind = kind_of (data);
  g_autoptr(Data) train = make_three (100, 30);
  g_autoptr(CradleClassifier) c = train_kind (kind, train, 3, 1);
  float importance[N_FEATURES];
  gboolean has = cradle_classifier_feature_importance (c, importance);

  if (kind == CRADLE_MODEL_SVM)
    {
      g_assert_false (has);
      return;
    }
  g_assert_true (has);
  for (guint j = 2; j < N_FEATURES; j++)
    {
      g_assert_cmpfloat (importance[0], >, importance[j]);
      g_assert_cmpfloat (importance[1], >, importance[j]);
    }
}

static void
test_bad_input (void)
{
  g_autoptr(Data) train = make_three (10, 40);
  g_autoptr(GError) error = NULL;
  CradleMatrix m = matrix_of (train);
  CradleTrainRequest req = { .train = &m, .n_classes = 2 };  /* labels go up to 2 */

  g_assert_null (cradle_classifier_train (CRADLE_MODEL_LOGREG, &req, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
  g_clear_error (&error);

  req.n_classes = 3;
  train->x[5] = NAN;
  g_assert_null (cradle_classifier_train (CRADLE_MODEL_GBT, &req, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
}

static void
test_kind_strings (void)
{
  for (guint i = 0; i < CRADLE_MODEL_N_KINDS; i++)
    {
      CradleModelKind kind;

      g_assert_true (cradle_model_kind_from_string (cradle_model_kind_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  {
    CradleModelKind kind;

    g_assert_false (cradle_model_kind_from_string ("knn", &kind));
  }
}

static gboolean
count_progress (guint    step,
                guint    n_steps,
                double   train_loss,
                double   valid_loss,
                double   valid_accuracy,
                gpointer user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (step, <=, n_steps);
  g_assert_true (isfinite (train_loss));
  g_assert_true (isfinite (valid_loss));
  g_assert_cmpfloat (valid_accuracy, >=, 0.0);
  (*count)++;
  return TRUE;
}

static void
test_progress_early_stopping (void)
{
  g_autoptr(Data) train = make_three (100, 50);
  g_autoptr(Data) valid = make_three (50, 51);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleClassifier) c = NULL;
  CradleMatrix mt = matrix_of (train), mv = matrix_of (valid);
  guint count = 0;
  CradleTrainRequest req = { .train = &mt, .valid = &mv, .n_classes = 3, .params = params,
                             .progress = count_progress, .user_data = &count };

  g_hash_table_insert (params, "n_estimators", "2000");
  g_hash_table_insert (params, "early_stopping_rounds", "10");
  g_hash_table_insert (params, "eta", "0.5");
  c = cradle_classifier_train (CRADLE_MODEL_GBT, &req, &error);
  g_assert_no_error (error);
  g_test_message ("gbt stopped after %u rounds", count);
  g_assert_cmpuint (count, <, 2000);
  g_assert_cmpuint (count, >, 10);

  count = 0;
  g_clear_pointer (&c, cradle_classifier_free);
  c = cradle_classifier_train (CRADLE_MODEL_LOGREG, &req, &error);
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);  /* unknown params */
  g_assert_null (c);
  g_clear_error (&error);
  g_hash_table_remove_all (params);
  c = cradle_classifier_train (CRADLE_MODEL_LOGREG, &req, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, >, 0);
}

/* -m perf: training time on ~700 × 175 features, default parameters. */
typedef struct {
  CradleModelKind  kind;
  Data            *train;
  Data            *valid;
} PerfData;

static void
perf_run (gpointer user_data)
{
  PerfData *pd = user_data;
  g_autoptr(GError) error = NULL;
  CradleMatrix mt = matrix_of (pd->train), mv = matrix_of (pd->valid);
  CradleTrainRequest req = { .train = &mt, .valid = &mv, .n_classes = 3, .seed = 1,
                             .n_threads = (guint) g_ascii_strtoull (g_getenv ("PERF_THREADS") ?: "0", NULL, 10) };
  g_autoptr(CradleClassifier) c = cradle_classifier_train (pd->kind, &req, &error);

  g_assert_no_error (error);
}

static void
test_perf (void)
{
  guint counts[3] = { 234, 233, 233 };
  guint valid_counts[3] = { 60, 60, 60 };
  g_autoptr(Data) train = make_blobs (3, counts, three_centres, 175, 60);
  g_autoptr(Data) valid = make_blobs (3, valid_counts, three_centres, 175, 61);

  if (!g_test_perf ())
    {
      g_test_skip ("run with -m perf");
      return;
    }
  for (guint kind = CRADLE_MODEL_LOGREG; kind <= CRADLE_MODEL_GBT; kind++)
    {
      PerfData pd = { kind, train, valid };
      double us = cradle_test_best_time_us (perf_run, &pd, 1);

      g_test_minimized_result (us / 1e6, "train %s on %u × 175: %.2f s",
                               cradle_model_kind_to_string (kind), train->n_rows, us / 1e6);
      g_printerr ("# train %s on %u x 175 (3 classes, defaults, 180 validation rows): %.3f s\n",
                  cradle_model_kind_to_string (kind), train->n_rows, us / 1e6);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const CradleModelKind kinds[] = {
    CRADLE_MODEL_LOGREG, CRADLE_MODEL_SVM, CRADLE_MODEL_RF, CRADLE_MODEL_GBT,
  };
  static const struct { const char *name; GTestDataFunc func; } tests[] = {
    { "learns", test_learns },
    { "two-classes", test_two_classes },
    { "deterministic", test_deterministic },
    { "serialize", test_serialize },
    { "params", test_hyperparams },
    { "weights", test_weights },
    { "importance", test_importance },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *path = g_strdup_printf ("/core/classifier/%s/%s",
                                                 cradle_model_kind_to_string (kinds[i]), tests[t].name);

        g_test_add_data_func (path, GUINT_TO_POINTER (kinds[i]), tests[t].func);
      }
  g_test_add_func ("/core/classifier/bad-input", test_bad_input);
  g_test_add_func ("/core/classifier/kind-strings", test_kind_strings);
  g_test_add_func ("/core/classifier/progress-early-stopping", test_progress_early_stopping);
  g_test_add_func ("/core/classifier/perf", test_perf);

  return g_test_run ();
}
