/* cradle-xgb.c — random forest and gradient-boosted trees on XGBoost
 *
 * Both kinds train an XGBoost gbtree booster with objective multi:softprob
 * (also for two classes) and the hist tree method:
 *
 *   GBT  one tree per class per round, n_estimators rounds, early stopping
 *        on the validation mlogloss when validation data is given (the
 *        booster is sliced to the best round).
 *   RF   one round of n_estimators parallel trees per class (forest mode:
 *        num_parallel_tree, eta = 1, row subsampling without replacement,
 *        column sampling per node). Per-row weights change split choice
 *        and impure leaves only: with deep trees (pure leaves) class weights
 *        do little, so weighted training wants a smaller max_depth.
 *
 * The model's bytes are XGBoost's JSON model. XGBoost's loader trusts the
 * tree arrays it reads (a child index or a split feature out of range is an
 * out-of-bounds read at prediction), so before XGBoost sees a model this
 * file parses it with json-glib, checks it against the exact schema XGBoost
 * 1.7 writes (every key, type, length, index and tree structure), and hands
 * XGBoost a JSON text it writes itself from the checked values. A freshly
 * trained booster goes through the same round trip, so a trained and a
 * loaded model predict bit for bit the same.
 *
 * Prediction runs one thread per booster (under the booster's lock):
 * batches are small, and OpenMP's spin-waiting costs more than it gains.
 *
 * Payload (little-endian): "CXGBTREE", kind u32, n_features u32,
 * n_classes u32, n_params u32, then per parameter name and value as
 * (u32 length, bytes), then JSON length u64 and the JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-classifier-private.h"
#include "cradle-serial-private.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <xgboost/c_api.h>

#define XGB_MAGIC "CXGBTREE"
/* A leaf value or threshold beyond this is not something training makes. */
#define XGB_MAX_ABS 1e6
#define XGB_MAX_PARAMS 32

typedef struct {
  CradleClassifier  parent;
  BoosterHandle     booster;
  GMutex            lock;       /* XGBoost boosters are not safe to share between threads */
  GHashTable       *params;     /* effective, name → value */
  GBytes           *json;       /* the checked model text */
} CradleXgb;

static const char * const gbt_param_help[] = {
  "n_estimators=300: most boosting rounds",
  "max_depth=4: depth of each tree",
  "eta=0.1: learning rate",
  "subsample=0.8: fraction of rows each tree sees",
  "colsample_bytree=0.8: fraction of features each tree sees",
  "min_child_weight=1: least hessian sum in a leaf",
  "lambda=1: L2 penalty on leaf values",
  "early_stopping_rounds=30: stop after this many rounds without a better validation loss (0: off)",
  NULL
};

static const char * const rf_param_help[] = {
  "n_estimators=300: trees per class",
  "max_depth=12: depth of each tree",
  "max_features=0: fraction of features tried at each split (0: sqrt(n_features) / n_features)",
  "subsample=0.63: fraction of rows each tree sees (drawn without replacement)",
  "min_child_weight=1: least hessian sum in a leaf",
  "lambda=1: L2 penalty on leaf values",
  NULL
};

static gboolean
xgb_failed (int          rc,
            GError     **error,
            CradleModelError code,
            const char  *what)
{
  if (rc == 0)
    return FALSE;
  g_set_error (error, CRADLE_MODEL_ERROR, code, "XGBoost could not %s: %s", what, XGBGetLastError ());
  return TRUE;
}

static void
xgb_free (CradleClassifier *classifier)
{
  CradleXgb *self = (CradleXgb *) classifier;

  if (self->booster != NULL)
    XGBoosterFree (self->booster);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_pointer (&self->json, g_bytes_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Checking XGBoost's JSON model and writing it back out. */

typedef struct {
  GString    *out;
  guint       n_features;
  guint       n_classes;
  const char *why;      /* set on the first failure */
} Checker;

static gboolean
fail (Checker    *c,
      const char *why)
{
  if (c->why == NULL)
    c->why = why;
  return FALSE;
}

/* OBJ has exactly the keys in KEYS (NULL-terminated). */
static gboolean
has_exact_keys (JsonObject         *obj,
                const char * const *keys)
{
  guint n = 0;

  for (; keys[n] != NULL; n++)
    if (!json_object_has_member (obj, keys[n]))
      return FALSE;
  return json_object_get_size (obj) == n;
}

static JsonObject *
get_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A string member that is plain printable ASCII (no quote, no backslash),
 * so it can be written back without escapes. */
static const char *
get_plain_string (JsonObject *obj,
                  const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  const char *s;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  for (const char *p = s; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
      return NULL;
  return strlen (s) <= 256 ? s : NULL;
}

static gboolean
string_is_uint (const char *s,
                guint64     expected)
{
  guint64 v;

  return s != NULL && g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT32, &v, NULL) && v == expected;
}

static gboolean
get_int (JsonNode *node,
         gint64   *v)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *v = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_number (JsonNode *node,
            double   *v)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *v = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *v = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*v);
}

static void
put_double (GString *out,
            double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Tree values are float32: %.9g reads back as the same float. */
  g_ascii_formatd (buf, sizeof buf, "%.9g", (double) (float) v);
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

/* An array member of N numbers (INTEGERS: whole numbers only), written
 * back as "name":[…]. VALUES (nullable) gets them. */
static gboolean
put_array (Checker    *c,
           JsonObject *obj,
           const char *name,
           guint       n,
           gboolean    integers,
           gint64     *ints,
           gboolean    comma)
{
  JsonArray *a = get_array (obj, name);

  if (a == NULL || json_array_get_length (a) != n)
    return fail (c, "a tree array has the wrong length");
  g_string_append_printf (c->out, "%s\"%s\":[", comma ? "," : "", name);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (a, i);

      if (i > 0)
        g_string_append_c (c->out, ',');
      if (integers)
        {
          gint64 v;

          if (!get_int (node, &v) || v < G_MININT32 || v > G_MAXUINT32)
            return fail (c, "a tree array holds something other than an integer");
          if (ints != NULL)
            ints[i] = v;
          g_string_append_printf (c->out, "%" G_GINT64_FORMAT, v);
        }
      else
        {
          double v;

          if (!get_number (node, &v) || fabs (v) > 1e30)
            return fail (c, "a tree array holds something other than a finite number");
          put_double (c->out, v);
        }
    }
  g_string_append_c (c->out, ']');
  return TRUE;
}

static gboolean
check_tree (Checker    *c,
            JsonObject *tree,
            guint       index)
{
  static const char * const tree_keys[] = {
    "base_weights", "categories", "categories_nodes", "categories_segments", "categories_sizes",
    "default_left", "id", "left_children", "loss_changes", "parents", "right_children",
    "split_conditions", "split_indices", "split_type", "sum_hessian", "tree_param", NULL
  };
  static const char * const param_keys[] = {
    "num_deleted", "num_feature", "num_nodes", "size_leaf_vector", NULL
  };
  static const char * const empty_keys[] = {
    "categories", "categories_nodes", "categories_segments", "categories_sizes", NULL
  };
  JsonObject *param;
  guint64 n;
  gint64 id;
  g_autofree gint64 *left = NULL;
  g_autofree gint64 *right = NULL;
  g_autofree gint64 *split_index = NULL;
  g_autofree gint64 *default_left = NULL;
  g_autofree gint64 *split_type = NULL;
  g_autofree gint64 *parents = NULL;
  g_autofree guint *stack = NULL;
  g_autofree gboolean *seen = NULL;
  guint depth = 0, n_seen = 0;
  JsonArray *cond;

  if (!has_exact_keys (tree, tree_keys))
    return fail (c, "a tree has unexpected fields");
  param = get_object (tree, "tree_param");
  if (param == NULL || !has_exact_keys (param, param_keys) ||
      !string_is_uint (get_plain_string (param, "num_deleted"), 0) ||
      !string_is_uint (get_plain_string (param, "num_feature"), c->n_features) ||
      !string_is_uint (get_plain_string (param, "size_leaf_vector"), 0) ||
      !g_ascii_string_to_unsigned (get_plain_string (param, "num_nodes") ?: "", 10, 1, 1 << 24, &n, NULL))
    return fail (c, "a tree's parameters are not valid");
  if (!get_int (json_object_get_member (tree, "id"), &id) || id != index)
    return fail (c, "a tree's id is out of order");
  for (guint i = 0; empty_keys[i] != NULL; i++)
    {
      JsonArray *a = get_array (tree, empty_keys[i]);

      if (a == NULL || json_array_get_length (a) != 0)
        return fail (c, "a tree has categorical splits");
    }

  left = g_new (gint64, n);
  right = g_new (gint64, n);
  split_index = g_new (gint64, n);
  default_left = g_new (gint64, n);
  split_type = g_new (gint64, n);
  parents = g_new (gint64, n);
  g_string_append_printf (c->out, "{\"id\":%u,\"tree_param\":{\"num_deleted\":\"0\",\"num_feature\":\"%u\","
                          "\"num_nodes\":\"%u\",\"size_leaf_vector\":\"0\"},\"categories\":[],"
                          "\"categories_nodes\":[],\"categories_segments\":[],\"categories_sizes\":[]",
                          index, c->n_features, (guint) n);
  if (!put_array (c, tree, "base_weights", n, FALSE, NULL, TRUE) ||
      !put_array (c, tree, "loss_changes", n, FALSE, NULL, TRUE) ||
      !put_array (c, tree, "sum_hessian", n, FALSE, NULL, TRUE) ||
      !put_array (c, tree, "split_conditions", n, FALSE, NULL, TRUE) ||
      !put_array (c, tree, "left_children", n, TRUE, left, TRUE) ||
      !put_array (c, tree, "right_children", n, TRUE, right, TRUE) ||
      !put_array (c, tree, "parents", n, TRUE, parents, TRUE) ||
      !put_array (c, tree, "split_indices", n, TRUE, split_index, TRUE) ||
      !put_array (c, tree, "default_left", n, TRUE, default_left, TRUE) ||
      !put_array (c, tree, "split_type", n, TRUE, split_type, TRUE))
    return FALSE;
  g_string_append_c (c->out, '}');

  /* Structure: from the root every node is reached exactly once; inner
   * nodes split on an existing feature; leaves hold a bounded value. */
  cond = get_array (tree, "split_conditions");
  seen = g_new0 (gboolean, n);
  stack = g_new (guint, n);
  stack[depth++] = 0;
  seen[0] = TRUE;
  while (depth > 0)
    {
      guint i = stack[--depth];
      double v = 0.0;

      n_seen++;
      get_number (json_array_get_element (cond, i), &v);
      if (split_type[i] != 0 || (default_left[i] != 0 && default_left[i] != 1))
        return fail (c, "a tree node has an unknown split type");
      if (split_index[i] < 0 || split_index[i] >= c->n_features)
        return fail (c, "a tree splits on a feature that does not exist");
      if (left[i] == -1 && right[i] == -1)
        {
          if (fabs (v) > XGB_MAX_ABS)
            return fail (c, "a leaf value is out of range");
          continue;
        }
      if (left[i] <= 0 || left[i] >= (gint64) n || right[i] <= 0 || right[i] >= (gint64) n ||
          seen[left[i]] || seen[right[i]] || left[i] == right[i])
        return fail (c, "a tree's children are not a tree");
      if (parents[left[i]] != i || parents[right[i]] != i)
        return fail (c, "a tree's parents do not match its children");
      seen[left[i]] = seen[right[i]] = TRUE;
      stack[depth++] = (guint) left[i];
      stack[depth++] = (guint) right[i];
    }
  if (n_seen != n)
    return fail (c, "a tree has nodes that are not reached from its root");
  return TRUE;
}

/* Checks the XGBoost JSON model TEXT and writes the checked model to
 * C->out. */
static gboolean
check_model (Checker    *c,
             const char *text,
             gsize       length)
{
  static const char * const root_keys[] = { "learner", "version", NULL };
  static const char * const learner_keys[] = {
    "attributes", "feature_names", "feature_types", "gradient_booster",
    "learner_model_param", "objective", NULL
  };
  static const char * const booster_keys[] = { "model", "name", NULL };
  static const char * const model_keys[] = { "gbtree_model_param", "tree_info", "trees", NULL };
  static const char * const gbtree_param_keys[] = {
    "num_parallel_tree", "num_trees", "size_leaf_vector", NULL
  };
  static const char * const lmp_keys[] = {
    "base_score", "boost_from_average", "num_class", "num_feature", "num_target", NULL
  };
  static const char * const objective_keys[] = { "name", "softmax_multiclass_param", NULL };
  static const char * const softmax_keys[] = { "num_class", NULL };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *learner, *booster, *model, *gbp, *lmp, *objective, *softmax;
  JsonArray *a, *trees, *tree_info;
  const char *base_score, *boost_from_average;
  char *end = NULL;
  guint64 n_trees, n_parallel;
  double base;

  if (!g_utf8_validate (text, length, NULL) ||
      !json_parser_load_from_data (parser, text, length, NULL))
    return fail (c, "the model is not JSON");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !has_exact_keys (json_node_get_object (root), root_keys))
    return fail (c, "the model is not an XGBoost model");
  learner = get_object (json_node_get_object (root), "learner");
  if (learner == NULL || !has_exact_keys (learner, learner_keys))
    return fail (c, "the model is not an XGBoost model");

  /* Parts that must be as this file makes them. */
  if (get_object (learner, "attributes") == NULL ||
      json_object_get_size (get_object (learner, "attributes")) != 0 ||
      (a = get_array (learner, "feature_names")) == NULL || json_array_get_length (a) != 0 ||
      (a = get_array (learner, "feature_types")) == NULL || json_array_get_length (a) != 0)
    return fail (c, "the model has attributes or feature names Cradle does not write");
  objective = get_object (learner, "objective");
  softmax = objective != NULL ? get_object (objective, "softmax_multiclass_param") : NULL;
  if (objective == NULL || !has_exact_keys (objective, objective_keys) ||
      g_strcmp0 (get_plain_string (objective, "name"), "multi:softprob") != 0 ||
      softmax == NULL || !has_exact_keys (softmax, softmax_keys) ||
      !string_is_uint (get_plain_string (softmax, "num_class"), c->n_classes))
    return fail (c, "the model's objective is not multi:softprob for these classes");
  lmp = get_object (learner, "learner_model_param");
  if (lmp == NULL || !has_exact_keys (lmp, lmp_keys) ||
      !string_is_uint (get_plain_string (lmp, "num_class"), c->n_classes) ||
      !string_is_uint (get_plain_string (lmp, "num_feature"), c->n_features) ||
      !string_is_uint (get_plain_string (lmp, "num_target"), 1))
    return fail (c, "the model is for another number of classes or features");
  base_score = get_plain_string (lmp, "base_score");
  boost_from_average = get_plain_string (lmp, "boost_from_average");
  if (base_score == NULL || *base_score == '\0' ||
      strspn (base_score, "0123456789.eE+-") != strlen (base_score) ||
      (base = g_ascii_strtod (base_score, &end), *end != '\0') || !(fabs (base) <= XGB_MAX_ABS) ||
      boost_from_average == NULL || (strcmp (boost_from_average, "0") != 0 &&
                                     strcmp (boost_from_average, "1") != 0))
    return fail (c, "the model's base score is not valid");

  booster = get_object (learner, "gradient_booster");
  if (booster == NULL || !has_exact_keys (booster, booster_keys) ||
      g_strcmp0 (get_plain_string (booster, "name"), "gbtree") != 0)
    return fail (c, "the model is not a tree booster");
  model = get_object (booster, "model");
  if (model == NULL || !has_exact_keys (model, model_keys))
    return fail (c, "the tree model has unexpected fields");
  gbp = get_object (model, "gbtree_model_param");
  trees = get_array (model, "trees");
  tree_info = get_array (model, "tree_info");
  if (gbp == NULL || !has_exact_keys (gbp, gbtree_param_keys) || trees == NULL || tree_info == NULL ||
      !string_is_uint (get_plain_string (gbp, "size_leaf_vector"), 0) ||
      !g_ascii_string_to_unsigned (get_plain_string (gbp, "num_trees") ?: "", 10, 1, 1 << 24, &n_trees, NULL) ||
      !g_ascii_string_to_unsigned (get_plain_string (gbp, "num_parallel_tree") ?: "", 10, 1, 1 << 20, &n_parallel, NULL) ||
      json_array_get_length (trees) != n_trees || json_array_get_length (tree_info) != n_trees ||
      n_trees % (n_parallel * c->n_classes) != 0)
    return fail (c, "the tree counts do not agree");

  g_string_append_printf (c->out, "{\"version\":[1,7,4],\"learner\":{\"attributes\":{},\"feature_names\":[],"
                          "\"feature_types\":[],\"objective\":{\"name\":\"multi:softprob\","
                          "\"softmax_multiclass_param\":{\"num_class\":\"%u\"}},"
                          "\"learner_model_param\":{\"base_score\":\"%s\",\"boost_from_average\":\"%s\","
                          "\"num_class\":\"%u\",\"num_feature\":\"%u\",\"num_target\":\"1\"},"
                          "\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{\"gbtree_model_param\":"
                          "{\"num_parallel_tree\":\"%u\",\"num_trees\":\"%u\",\"size_leaf_vector\":\"0\"},"
                          "\"tree_info\":[",
                          c->n_classes, base_score, boost_from_average, c->n_classes, c->n_features,
                          (guint) n_parallel, (guint) n_trees);
  for (guint i = 0; i < n_trees; i++)
    {
      gint64 group;

      /* Trees are stored round by round, class by class. */
      if (!get_int (json_array_get_element (tree_info, i), &group) ||
          group != (gint64) ((i / n_parallel) % c->n_classes))
        return fail (c, "a tree belongs to a class that does not exist");
      g_string_append_printf (c->out, "%s%u", i > 0 ? "," : "", (guint) group);
    }
  g_string_append (c->out, "],\"trees\":[");
  for (guint i = 0; i < n_trees; i++)
    {
      JsonNode *node = json_array_get_element (trees, i);

      if (i > 0)
        g_string_append_c (c->out, ',');
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (c, "a tree is not an object");
      if (!check_tree (c, json_node_get_object (node), i))
        return FALSE;
    }
  g_string_append (c->out, "]}}}}");
  return TRUE;
}

/* A booster from checked JSON bytes; NULL with ERROR (CODE) when XGBoost
 * refuses them. */
static BoosterHandle
booster_from_json (GBytes            *json,
                   guint              n_threads,
                   CradleModelError   code,
                   GError           **error)
{
  BoosterHandle booster = NULL;
  gsize len;
  const char *data = g_bytes_get_data (json, &len);
  g_autofree char *threads = g_strdup_printf ("%u", n_threads);

  if (xgb_failed (XGBoosterCreate (NULL, 0, &booster), error, code, "create a booster"))
    return NULL;
  if (xgb_failed (XGBoosterLoadModelFromBuffer (booster, data, len), error, code, "load the model") ||
      xgb_failed (XGBoosterSetParam (booster, "nthread", threads), error, code, "set nthread") ||
      xgb_failed (XGBoosterSetParam (booster, "verbosity", "0"), error, code, "set verbosity"))
    {
      XGBoosterFree (booster);
      return NULL;
    }
  return booster;
}

static CradleXgb *
xgb_new (CradleModelKind kind,
         guint           n_features,
         guint           height,
         guint           width,
         guint           n_classes)
{
  CradleXgb *self = g_new0 (CradleXgb, 1);

  self->parent.vtable = kind == CRADLE_MODEL_RF ? &cradle_rf_vtable : &cradle_gbt_vtable;
  self->parent.n_features = n_features;
  self->parent.height = height;
  self->parent.width = width;
  self->parent.n_classes = n_classes;
  g_mutex_init (&self->lock);
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/* Checks the model TEXT and makes SELF's booster from the checked form. */
static gboolean
xgb_adopt_json (CradleXgb         *self,
                const char        *text,
                gsize              length,
                guint              n_threads,
                CradleModelError   code,
                GError           **error)
{
  Checker c = { .out = g_string_sized_new (length + 64), .n_features = self->parent.n_features,
                .n_classes = self->parent.n_classes };

  if (!check_model (&c, text, length))
    {
      g_string_free (c.out, TRUE);
      g_set_error (error, CRADLE_MODEL_ERROR, code, "The tree model is not valid: %s", c.why);
      return FALSE;
    }
  self->json = g_string_free_to_bytes (c.out);
  self->booster = booster_from_json (self->json, n_threads, code, error);
  return self->booster != NULL;
}

static DMatrixHandle
make_dmatrix (const CradleMatrix  *m,
              GError             **error)
{
  DMatrixHandle dm = NULL;
  g_autofree float *labels = g_new (float, m->n_rows);

  if (xgb_failed (XGDMatrixCreateFromMat (m->x, m->n_rows, m->n_features, NAN, &dm),
                  error, CRADLE_MODEL_ERROR_TRAIN, "make a data matrix"))
    return NULL;
  for (guint i = 0; i < m->n_rows; i++)
    labels[i] = (float) m->y[i];
  if (xgb_failed (XGDMatrixSetFloatInfo (dm, "label", labels, m->n_rows),
                  error, CRADLE_MODEL_ERROR_TRAIN, "set the labels") ||
      (m->weight != NULL &&
       xgb_failed (XGDMatrixSetFloatInfo (dm, "weight", m->weight, m->n_rows),
                   error, CRADLE_MODEL_ERROR_TRAIN, "set the weights")))
    {
      XGDMatrixFree (dm);
      return NULL;
    }
  return dm;
}

/* "name-metric:value" from an EvalOneIter line, NAN when absent. */
static double
eval_value (const char *line,
            const char *key)
{
  const char *p = strstr (line, key);

  if (p == NULL)
    return NAN;
  return g_ascii_strtod (p + strlen (key), NULL);
}

static void
set_param (GHashTable *params,
           const char *name,
           char       *value)
{
  g_hash_table_insert (params, g_strdup (name), value);
}

static CradleClassifier *
xgb_train (CradleModelKind            kind,
           const CradleTrainRequest  *request,
           GError                   **error)
{
  const CradleMatrix *train = request->train;
  const CradleMatrix *valid = request->valid;
  guint d = train->n_features;
  guint k = request->n_classes;
  gboolean rf = kind == CRADLE_MODEL_RF;
  const char *name = rf ? "rf" : "gbt";
  guint n_estimators, max_depth, early_stopping = 0;
  double eta = 1.0, subsample, colsample = 1.0, max_features = 0.0, min_child_weight, lambda = 1.0;
  guint n_threads = request->n_threads > 0 ? request->n_threads : 2;
  guint n_rounds, best_round = 0, rounds_done = 0;
  double best_loss = INFINITY;
  DMatrixHandle dmats[2] = { NULL, NULL };
  const char *names[2] = { "train", "valid" };
  BoosterHandle booster = NULL;
  g_autoptr(GHashTable) effective = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *seed = g_strdup_printf ("%u", request->seed);
  g_autofree char *threads = g_strdup_printf ("%u", n_threads);
  g_autofree char *classes = g_strdup_printf ("%u", k);
  g_autofree char *depth = NULL;
  g_autofree char *parallel = NULL;
  CradleXgb *self = NULL;
  const char *fmt_text;
  bst_ulong text_len;
  gboolean want_eval = request->progress != NULL || valid != NULL;

  if (!cradle_params_check_known (request->params, rf ? rf_param_help : gbt_param_help, name, error))
    return NULL;
  if (rf)
    {
      if (!cradle_param_uint (request->params, "n_estimators", 300, 1, 100000, &n_estimators, error) ||
          !cradle_param_uint (request->params, "max_depth", 12, 1, 30, &max_depth, error) ||
          !cradle_param_double (request->params, "max_features", 0.0, 0.0, 1.0, &max_features, error) ||
          !cradle_param_double (request->params, "subsample", 0.63, 0.01, 1.0, &subsample, error) ||
          !cradle_param_double (request->params, "min_child_weight", 1.0, 0.0, 1e6, &min_child_weight, error) ||
          !cradle_param_double (request->params, "lambda", 1.0, 0.0, 1e6, &lambda, error))
        return NULL;
      if (max_features == 0.0)
        max_features = sqrt ((double) d) / d;
      n_rounds = 1;
    }
  else
    {
      if (!cradle_param_uint (request->params, "n_estimators", 300, 1, 100000, &n_estimators, error) ||
          !cradle_param_uint (request->params, "max_depth", 4, 1, 30, &max_depth, error) ||
          !cradle_param_double (request->params, "eta", 0.1, 1e-6, 1.0, &eta, error) ||
          !cradle_param_double (request->params, "subsample", 0.8, 0.01, 1.0, &subsample, error) ||
          !cradle_param_double (request->params, "colsample_bytree", 0.8, 0.01, 1.0, &colsample, error) ||
          !cradle_param_double (request->params, "min_child_weight", 1.0, 0.0, 1e6, &min_child_weight, error) ||
          !cradle_param_double (request->params, "lambda", 1.0, 0.0, 1e6, &lambda, error) ||
          !cradle_param_uint (request->params, "early_stopping_rounds", 30, 0, 100000, &early_stopping, error))
        return NULL;
      n_rounds = n_estimators;
    }

  depth = g_strdup_printf ("%u", max_depth);
  parallel = g_strdup_printf ("%u", rf ? n_estimators : 1);
  set_param (effective, "n_estimators", g_strdup_printf ("%u", n_estimators));
  set_param (effective, "max_depth", g_strdup (depth));
  set_param (effective, "subsample", cradle_serial_format_double (subsample));
  set_param (effective, "min_child_weight", cradle_serial_format_double (min_child_weight));
  set_param (effective, "lambda", cradle_serial_format_double (lambda));
  if (rf)
    set_param (effective, "max_features", cradle_serial_format_double (max_features));
  else
    {
      set_param (effective, "eta", cradle_serial_format_double (eta));
      set_param (effective, "colsample_bytree", cradle_serial_format_double (colsample));
      set_param (effective, "early_stopping_rounds", g_strdup_printf ("%u", early_stopping));
    }

  dmats[0] = make_dmatrix (train, error);
  if (dmats[0] == NULL)
    goto out;
  if (valid != NULL && (dmats[1] = make_dmatrix (valid, error)) == NULL)
    goto out;
  if (xgb_failed (XGBoosterCreate (dmats, valid != NULL ? 2 : 1, &booster),
                  error, CRADLE_MODEL_ERROR_TRAIN, "create a booster"))
    goto out;

  {
    struct { const char *name; char *value; } p[] = {
      { "verbosity", g_strdup ("0") },
      { "objective", g_strdup ("multi:softprob") },
      { "num_class", g_strdup (classes) },
      { "eval_metric", g_strdup ("mlogloss") },
      { "eval_metric", g_strdup ("merror") },
      { "tree_method", g_strdup ("hist") },
      { "seed", g_strdup (seed) },
      { "nthread", g_strdup (threads) },
      { "max_depth", g_strdup (depth) },
      { "eta", cradle_serial_format_double (eta) },
      { "subsample", cradle_serial_format_double (subsample) },
      { "min_child_weight", cradle_serial_format_double (min_child_weight) },
      { "lambda", cradle_serial_format_double (lambda) },
      { "colsample_bytree", cradle_serial_format_double (colsample) },
      { "colsample_bynode", cradle_serial_format_double (rf ? max_features : 1.0) },
      { "num_parallel_tree", g_strdup (parallel) },
    };
    gboolean ok = TRUE;

    for (guint i = 0; i < G_N_ELEMENTS (p); i++)
      {
        if (ok && xgb_failed (XGBoosterSetParam (booster, p[i].name, p[i].value),
                              error, CRADLE_MODEL_ERROR_TRAIN, "set a parameter"))
          ok = FALSE;
        g_free (p[i].value);
      }
    if (!ok)
      goto out;
  }

  for (guint round = 0; round < n_rounds; round++)
    {
      double train_loss = NAN, valid_loss = NAN, valid_accuracy = NAN;

      if (g_cancellable_is_cancelled (request->cancellable))
        {
          g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED,
                               "Training was cancelled");
          goto out;
        }
      if (xgb_failed (XGBoosterUpdateOneIter (booster, (int) round, dmats[0]),
                      error, CRADLE_MODEL_ERROR_TRAIN, "train a round"))
        goto out;
      rounds_done = round + 1;
      if (want_eval)
        {
          const char *line = NULL;

          if (xgb_failed (XGBoosterEvalOneIter (booster, (int) round, dmats, names,
                                                valid != NULL ? 2 : 1, &line),
                          error, CRADLE_MODEL_ERROR_TRAIN, "evaluate a round"))
            goto out;
          train_loss = eval_value (line, "train-mlogloss:");
          if (valid != NULL)
            {
              valid_loss = eval_value (line, "valid-mlogloss:");
              valid_accuracy = 1.0 - eval_value (line, "valid-merror:");
            }
        }
      if (valid != NULL && valid_loss < best_loss)
        {
          best_loss = valid_loss;
          best_round = round;
        }
      else if (valid == NULL)
        best_round = round;
      if (request->progress != NULL &&
          !request->progress (round + 1, n_rounds, train_loss, valid_loss, valid_accuracy,
                              request->user_data))
        break;
      if (!rf && valid != NULL && early_stopping > 0 && round - best_round >= early_stopping)
        break;
    }

  if (best_round + 1 < rounds_done)
    {
      BoosterHandle sliced = NULL;

      if (xgb_failed (XGBoosterSlice (booster, 0, (int) best_round + 1, 1, &sliced),
                      error, CRADLE_MODEL_ERROR_TRAIN, "keep the best round"))
        goto out;
      XGBoosterFree (booster);
      booster = sliced;
    }

  /* Through the checked round trip, as a loaded model would be. */
  if (xgb_failed (XGBoosterSaveModelToBuffer (booster, "{\"format\": \"json\"}", &text_len, &fmt_text),
                  error, CRADLE_MODEL_ERROR_TRAIN, "save the model"))
    goto out;
  self = xgb_new (kind, d, train->height, train->width, k);
  g_hash_table_unref (self->params);
  self->params = g_steal_pointer (&effective);
  if (!xgb_adopt_json (self, fmt_text, text_len, 1, CRADLE_MODEL_ERROR_TRAIN, error))
    g_clear_pointer ((CradleClassifier **) &self, xgb_free);

out:
  if (booster != NULL)
    XGBoosterFree (booster);
  if (dmats[0] != NULL)
    XGDMatrixFree (dmats[0]);
  if (dmats[1] != NULL)
    XGDMatrixFree (dmats[1]);
  return (CradleClassifier *) self;
}

static CradleClassifier *
rf_train (const CradleTrainRequest  *request,
          GError                   **error)
{
  return xgb_train (CRADLE_MODEL_RF, request, error);
}

static CradleClassifier *
gbt_train (const CradleTrainRequest  *request,
           GError                   **error)
{
  return xgb_train (CRADLE_MODEL_GBT, request, error);
}

static void
xgb_predict_proba (CradleClassifier *classifier,
                   const float      *x,
                   guint             n_rows,
                   float            *proba)
{
  CradleXgb *self = (CradleXgb *) classifier;
  guint k = classifier->n_classes;
  DMatrixHandle dm = NULL;
  const bst_ulong *shape = NULL;
  bst_ulong dim = 0;
  const float *result = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = XGDMatrixCreateFromMat (x, n_rows, classifier->n_features, NAN, &dm) == 0 &&
       XGBoosterPredictFromDMatrix (self->booster, dm,
                                    "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                    "\"iteration_end\": 0, \"strict_shape\": true}",
                                    &shape, &dim, &result) == 0 &&
       dim == 2 && shape[0] == n_rows && shape[1] == k;
  if (ok)
    memcpy (proba, result, (gsize) n_rows * k * sizeof (float));
  else
    {
      g_warning ("XGBoost prediction failed: %s", XGBGetLastError ());
      for (gsize i = 0; i < (gsize) n_rows * k; i++)
        proba[i] = 1.0f / k;
    }
  if (dm != NULL)
    XGDMatrixFree (dm);
  g_mutex_unlock (&self->lock);
}

static void
put_string (GByteArray *out,
            const char *s)
{
  cradle_serial_put_u32 (out, (guint32) strlen (s));
  g_byte_array_append (out, (const guint8 *) s, strlen (s));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
xgb_serialize (CradleClassifier  *classifier,
               GByteArray        *out,
               GError           **error)
{
  CradleXgb *self = (CradleXgb *) classifier;
  g_autofree const char **names = NULL;
  guint n = 0;
  gsize len;
  const guint8 *json = g_bytes_get_data (self->json, &len);

  names = (const char **) g_hash_table_get_keys_as_array (self->params, &n);
  qsort (names, n, sizeof *names, compare_strings);
  g_byte_array_append (out, (const guint8 *) XGB_MAGIC, 8);
  cradle_serial_put_u32 (out, classifier->vtable->kind);
  cradle_serial_put_u32 (out, classifier->n_features);
  cradle_serial_put_u32 (out, classifier->n_classes);
  cradle_serial_put_u32 (out, n);
  for (guint i = 0; i < n; i++)
    {
      put_string (out, names[i]);
      put_string (out, g_hash_table_lookup (self->params, names[i]));
    }
  cradle_serial_put_u64 (out, len);
  g_byte_array_append (out, json, len);
  return TRUE;
}

/* A short string of [A-Za-z0-9_.+-] from R (a parameter name or value). */
static char *
get_token (CradleSerialReader *r)
{
  guint32 len;
  const guint8 *p;

  if (!cradle_serial_get_u32 (r, &len) || len == 0 || len > 64 || !cradle_serial_get_bytes (r, len, &p))
    return NULL;
  for (guint i = 0; i < len; i++)
    if (!g_ascii_isalnum (p[i]) && strchr ("_.+-", p[i]) == NULL)
      return NULL;
  return g_strndup ((const char *) p, len);
}

static CradleClassifier *
xgb_deserialize (CradleModelKind   kind,
                 const guint8     *data,
                 gsize             length,
                 guint             n_features,
                 guint             height,
                 guint             width,
                 guint             n_classes,
                 GError          **error)
{
  CradleSerialReader r;
  const guint8 *magic, *json;
  guint32 stored_kind, d, k, n_params;
  guint64 json_len;
  CradleXgb *self;
  const char * const *help = kind == CRADLE_MODEL_RF ? rf_param_help : gbt_param_help;

  cradle_serial_reader_init (&r, data, length);
  if (!cradle_serial_get_bytes (&r, 8, &magic) || memcmp (magic, XGB_MAGIC, 8) != 0 ||
      !cradle_serial_get_u32 (&r, &stored_kind) || !cradle_serial_get_u32 (&r, &d) ||
      !cradle_serial_get_u32 (&r, &k) || !cradle_serial_get_u32 (&r, &n_params) ||
      stored_kind != kind || d != n_features || k != n_classes || n_params > XGB_MAX_PARAMS)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                   "The %s data is not valid (bad header)", cradle_model_kind_to_string (kind));
      return NULL;
    }

  self = xgb_new (kind, n_features, height, width, n_classes);
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *name = get_token (&r);
      g_autofree char *value = get_token (&r);
      gboolean known = FALSE;

      for (guint h = 0; name != NULL && help[h] != NULL && !known; h++)
        known = g_str_has_prefix (help[h], name) && help[h][strlen (name)] == '=';
      if (name == NULL || value == NULL || !known || g_hash_table_contains (self->params, name))
        {
          xgb_free ((CradleClassifier *) self);
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                       "The %s data is not valid (bad hyperparameters)", cradle_model_kind_to_string (kind));
          return NULL;
        }
      g_hash_table_insert (self->params, g_steal_pointer (&name), g_steal_pointer (&value));
    }
  if (!cradle_serial_get_u64 (&r, &json_len) || json_len != cradle_serial_remaining (&r) ||
      !cradle_serial_get_bytes (&r, json_len, &json))
    {
      xgb_free ((CradleClassifier *) self);
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
                   "The %s data is not valid (bad length)", cradle_model_kind_to_string (kind));
      return NULL;
    }
  if (!xgb_adopt_json (self, (const char *) json, json_len, 1, CRADLE_MODEL_ERROR_CORRUPT, error))
    {
      xgb_free ((CradleClassifier *) self);
      return NULL;
    }
  return (CradleClassifier *) self;
}

static CradleClassifier *
rf_deserialize (const guint8 *data, gsize length, guint n_features, guint height,
                guint width, guint n_classes, GError **error)
{
  return xgb_deserialize (CRADLE_MODEL_RF, data, length, n_features, height, width, n_classes, error);
}

static CradleClassifier *
gbt_deserialize (const guint8 *data, gsize length, guint n_features, guint height,
                 guint width, guint n_classes, GError **error)
{
  return xgb_deserialize (CRADLE_MODEL_GBT, data, length, n_features, height, width, n_classes, error);
}

static GHashTable *
xgb_get_params (CradleClassifier *classifier)
{
  CradleXgb *self = (CradleXgb *) classifier;
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));
  return params;
}

static gboolean
xgb_feature_importance (CradleClassifier *classifier,
                        float            *importance)
{
  CradleXgb *self = (CradleXgb *) classifier;
  bst_ulong n = 0, dim = 0;
  const char **names = NULL;
  const bst_ulong *shape = NULL;
  const float *scores = NULL;
  gboolean ok;

  memset (importance, 0, classifier->n_features * sizeof *importance);
  g_mutex_lock (&self->lock);
  ok = XGBoosterFeatureScore (self->booster, "{\"importance_type\": \"total_gain\"}",
                              &n, &names, &dim, &shape, &scores) == 0 && dim >= 1 && shape[0] == n;
  if (ok)
    {
      bst_ulong per_feature = 1;

      for (bst_ulong i = 1; i < dim; i++)
        per_feature *= shape[i];
      for (bst_ulong i = 0; i < n; i++)
        {
          guint64 f;

          if (names[i][0] != 'f' ||
              !g_ascii_string_to_unsigned (names[i] + 1, 10, 0, classifier->n_features - 1, &f, NULL))
            continue;
          for (bst_ulong j = 0; j < per_feature; j++)
            importance[f] += scores[i * per_feature + j];
        }
    }
  else
    g_warning ("XGBoost feature importance failed: %s", XGBGetLastError ());
  g_mutex_unlock (&self->lock);
  return ok;
}

const CradleClassifierVTable cradle_rf_vtable = {
  .kind = CRADLE_MODEL_RF,
  .param_help = rf_param_help,
  .train = rf_train,
  .predict_proba = xgb_predict_proba,
  .serialize = xgb_serialize,
  .deserialize = rf_deserialize,
  .get_params = xgb_get_params,
  .feature_importance = xgb_feature_importance,
  .free = xgb_free,
};

const CradleClassifierVTable cradle_gbt_vtable = {
  .kind = CRADLE_MODEL_GBT,
  .param_help = gbt_param_help,
  .train = gbt_train,
  .predict_proba = xgb_predict_proba,
  .serialize = xgb_serialize,
  .deserialize = gbt_deserialize,
  .get_params = xgb_get_params,
  .feature_importance = xgb_feature_importance,
  .free = xgb_free,
};
