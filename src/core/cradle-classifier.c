/* cradle-classifier.c — the dispatcher over the model kinds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-classifier-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (cradle-model-error-quark, cradle_model_error)

static const char * const kind_names[CRADLE_MODEL_N_KINDS] = {
  [CRADLE_MODEL_LOGREG] = "logreg",
  [CRADLE_MODEL_SVM] = "svm",
  [CRADLE_MODEL_RF] = "rf",
  [CRADLE_MODEL_GBT] = "gbt",
  [CRADLE_MODEL_CNN] = "cnn",
};

const char *
cradle_model_kind_to_string (CradleModelKind kind)
{
  g_return_val_if_fail ((guint) kind < CRADLE_MODEL_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
cradle_model_kind_from_string (const char      *name,
                               CradleModelKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < CRADLE_MODEL_N_KINDS; i++)
    {
      if (g_ascii_strcasecmp (name, kind_names[i]) == 0)
        {
          *kind = (CradleModelKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

static const CradleClassifierVTable *
vtable_for_kind (CradleModelKind kind)
{
  switch (kind)
    {
    case CRADLE_MODEL_LOGREG:
      return &cradle_logreg_vtable;
    case CRADLE_MODEL_SVM:
      return &cradle_svm_vtable;
    case CRADLE_MODEL_RF:
      return &cradle_rf_vtable;
    case CRADLE_MODEL_GBT:
      return &cradle_gbt_vtable;
    case CRADLE_MODEL_CNN:
      return &cradle_cnn_vtable;
    default:
      return NULL;
    }
}

/* Checks the parts of a request every kind relies on, so the kinds can
 * assume a consistent matrix. */
static gboolean
check_matrix (const CradleMatrix  *m,
              const char          *what,
              guint                n_features,
              guint                n_classes,
              GError             **error)
{
  if (m->n_rows == 0)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The %s data has no rows", what);
      return FALSE;
    }
  if (m->n_features != n_features)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_MISMATCH,
                   "The %s data has %u features, the training data %u",
                   what, m->n_features, n_features);
      return FALSE;
    }
  if ((m->height != 0 || m->width != 0) && (guint64) m->height * m->width != m->n_features)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The %s images are %u × %u, which is not %u features",
                   what, m->height, m->width, m->n_features);
      return FALSE;
    }
  if (m->x == NULL || m->y == NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The %s data has no %s", what, m->x == NULL ? "inputs" : "labels");
      return FALSE;
    }
  for (guint i = 0; i < m->n_rows; i++)
    {
      if (m->y[i] >= n_classes)
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Row %u of the %s data has class %u, but there are only %u classes",
                       i, what, m->y[i], n_classes);
          return FALSE;
        }
      if (m->weight != NULL && (!isfinite (m->weight[i]) || m->weight[i] < 0.0f))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Row %u of the %s data has the weight %g; weights must be finite and not negative",
                       i, what, (double) m->weight[i]);
          return FALSE;
        }
    }
  for (gsize i = 0; i < (gsize) m->n_rows * m->n_features; i++)
    {
      if (!isfinite (m->x[i]))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Row %u of the %s data has a value that is not finite (feature %u)",
                       (guint) (i / m->n_features), what, (guint) (i % m->n_features));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * cradle_classifier_train:
 *
 * Returns: (transfer full) (nullable): the trained classifier, or NULL with
 * ERROR set.
 */
CradleClassifier *
cradle_classifier_train (CradleModelKind            kind,
                         const CradleTrainRequest  *request,
                         GError                   **error)
{
  const CradleClassifierVTable *vtable;
  CradleClassifier *self;

  g_return_val_if_fail ((guint) kind < CRADLE_MODEL_N_KINDS, NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->train != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (request->n_classes < 2)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "A classifier needs at least two classes, not %u", request->n_classes);
      return NULL;
    }
  if (request->train->n_features == 0)
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                           "The training data has no features");
      return NULL;
    }
  if (!check_matrix (request->train, "training", request->train->n_features,
                     request->n_classes, error))
    return NULL;
  if (request->valid != NULL &&
      !check_matrix (request->valid, "validation", request->train->n_features,
                     request->n_classes, error))
    return NULL;
  if (g_cancellable_is_cancelled (request->cancellable))
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED,
                           "Training was cancelled");
      return NULL;
    }

  vtable = vtable_for_kind (kind);
  self = vtable->train (request, error);
  if (self == NULL)
    return NULL;
  g_assert (self->vtable == vtable);
  return self;
}

void
cradle_classifier_predict_proba (CradleClassifier *self,
                                 const float      *x,
                                 guint             n_rows,
                                 float            *proba)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_rows == 0 || (x != NULL && proba != NULL));

  if (n_rows == 0)
    return;
  self->vtable->predict_proba (self, x, n_rows, proba);
}

gboolean
cradle_classifier_serialize (CradleClassifier  *self,
                             GByteArray        *out,
                             GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return self->vtable->serialize (self, out, error);
}

/**
 * cradle_classifier_deserialize:
 *
 * Rebuilds a classifier from the bytes cradle_classifier_serialize() wrote.
 * Any other byte sequence is an error (CRADLE_MODEL_ERROR_CORRUPT).
 *
 * Returns: (transfer full) (nullable):
 */
CradleClassifier *
cradle_classifier_deserialize (CradleModelKind   kind,
                               const guint8     *data,
                               gsize             length,
                               guint             n_features,
                               guint             height,
                               guint             width,
                               guint             n_classes,
                               GError          **error)
{
  const CradleClassifierVTable *vtable;
  CradleClassifier *self;

  g_return_val_if_fail ((guint) kind < CRADLE_MODEL_N_KINDS, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_classes < 2 || n_features == 0)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                   "A %s classifier with %u classes and %u features is not possible",
                   kind_names[kind], n_classes, n_features);
      return NULL;
    }
  if (data == NULL)
    data = (const guint8 *) "";

  vtable = vtable_for_kind (kind);
  self = vtable->deserialize (data, length, n_features, height, width, n_classes, error);
  if (self == NULL)
    return NULL;
  g_assert (self->vtable == vtable);
  return self;
}

CradleModelKind
cradle_classifier_get_kind (CradleClassifier *self)
{
  g_return_val_if_fail (self != NULL, CRADLE_MODEL_LOGREG);

  return self->vtable->kind;
}

guint
cradle_classifier_get_n_classes (CradleClassifier *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_classes;
}

guint
cradle_classifier_get_n_features (CradleClassifier *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_features;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * cradle_classifier_describe:
 *
 * Returns: (transfer full): "kind name=value name=value …", names sorted.
 */
char *
cradle_classifier_describe (CradleClassifier *self)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree const char **names = NULL;
  GString *s;
  guint n = 0;

  g_return_val_if_fail (self != NULL, NULL);

  s = g_string_new (kind_names[self->vtable->kind]);
  params = cradle_classifier_get_params (self);
  names = (const char **) g_hash_table_get_keys_as_array (params, &n);
  qsort (names, n, sizeof *names, compare_strings);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, " %s=%s", names[i], (const char *) g_hash_table_lookup (params, names[i]));
  return g_string_free (s, FALSE);
}

/**
 * cradle_classifier_get_params:
 *
 * Returns: (transfer full): name → value strings, as used.
 */
GHashTable *
cradle_classifier_get_params (CradleClassifier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->vtable->get_params (self);
}

gboolean
cradle_classifier_feature_importance (CradleClassifier *self,
                                      float            *importance)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (importance != NULL, FALSE);

  if (self->vtable->feature_importance == NULL)
    return FALSE;
  return self->vtable->feature_importance (self, importance);
}

void
cradle_classifier_free (CradleClassifier *self)
{
  if (self == NULL)
    return;
  self->vtable->free (self);
}

const char * const *
cradle_classifier_param_help (CradleModelKind kind)
{
  g_return_val_if_fail ((guint) kind < CRADLE_MODEL_N_KINDS, NULL);

  return vtable_for_kind (kind)->param_help;
}

/* Parameter helpers for the kinds. */

static gboolean
param_invalid (GError     **error,
               const char  *name,
               const char  *value,
               const char  *why)
{
  g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
               "Hyperparameter “%s” = “%s” is invalid: %s", name, value, why);
  return FALSE;
}

gboolean
cradle_param_double (GHashTable  *params,
                     const char  *name,
                     double       default_value,
                     double       min,
                     double       max,
                     double      *out,
                     GError     **error)
{
  const char *value;
  char *end = NULL;
  double v;

  g_return_val_if_fail (name != NULL && out != NULL, FALSE);

  value = params != NULL ? g_hash_table_lookup (params, name) : NULL;
  if (value == NULL)
    {
      *out = default_value;
      return TRUE;
    }
  errno = 0;
  v = g_ascii_strtod (value, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == value || end == NULL || *end != '\0' || errno == ERANGE || !isfinite (v))
    return param_invalid (error, name, value, "not a number");
  if (v < min || v > max)
    {
      g_autofree char *why = g_strdup_printf ("must be between %g and %g", min, max);
      return param_invalid (error, name, value, why);
    }
  *out = v;
  return TRUE;
}

gboolean
cradle_param_uint (GHashTable  *params,
                   const char  *name,
                   guint        default_value,
                   guint        min,
                   guint        max,
                   guint       *out,
                   GError     **error)
{
  const char *value;
  guint64 v = 0;

  g_return_val_if_fail (name != NULL && out != NULL, FALSE);

  value = params != NULL ? g_hash_table_lookup (params, name) : NULL;
  if (value == NULL)
    {
      *out = default_value;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &v, NULL))
    return param_invalid (error, name, value, "not a whole number");
  if (v < min || v > max)
    {
      g_autofree char *why = g_strdup_printf ("must be between %u and %u", min, max);
      return param_invalid (error, name, value, why);
    }
  *out = (guint) v;
  return TRUE;
}

gboolean
cradle_params_check_known (GHashTable          *params,
                           const char * const  *help,
                           const char          *kind_name,
                           GError             **error)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (help != NULL, FALSE);

  if (params == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;
      gsize len = strlen (name);
      gboolean known = FALSE;

      for (guint i = 0; help[i] != NULL && !known; i++)
        known = len > 0 && strncmp (help[i], name, len) == 0 && help[i][len] == '=';
      if (!known)
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; help[i] != NULL; i++)
            {
              const char *eq = strchr (help[i], '=');

              if (names->len > 0)
                g_string_append (names, ", ");
              g_string_append_len (names, help[i], eq != NULL ? eq - help[i] : (gssize) strlen (help[i]));
            }
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Unknown hyperparameter “%s” for %s (known: %s)",
                       name, kind_name, names->str);
          return FALSE;
        }
    }
  return TRUE;
}
