/* test-split.c — grouped, stratified splits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "cradle-split.h"

/* A synthetic grouped set: 60 groups of 1–9 samples; a group's samples
 * share its class mostly (as a baby's cries do), 3 classes, one rare. */
typedef struct {
  guint   n;
  guint  *y;
  char  **groups;
} GroupedSet;

static GroupedSet *
make_set (guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GroupedSet *set = g_new0 (GroupedSet, 1);
  GArray *y = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *groups = g_ptr_array_new ();

  for (guint g = 0; g < 60; g++)
    {
      guint size = (guint) g_rand_int_range (rand, 1, 10);
      guint cls = g % 10 == 0 ? 2 : (g % 3 == 0 ? 1 : 0);

      for (guint i = 0; i < size; i++)
        {
          guint c = g_rand_double (rand) < 0.9 ? cls : (guint) g_rand_int_range (rand, 0, 3);

          g_array_append_val (y, c);
          g_ptr_array_add (groups, g_strdup_printf ("baby-%02u", g));
        }
    }
  set->n = y->len;
  set->y = (guint *) g_array_free (y, FALSE);
  g_ptr_array_add (groups, NULL);
  set->groups = (char **) g_ptr_array_free (groups, FALSE);
  return set;
}

static void
free_set (GroupedSet *set)
{
  g_free (set->y);
  g_strfreev (set->groups);
  g_free (set);
}

/* Every group lies in exactly one part. */
static void
assert_no_group_in_two_parts (const GroupedSet *set,
                              const guint      *part)
{
  g_autoptr(GHashTable) where = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < set->n; i++)
    {
      gpointer value;

      if (g_hash_table_lookup_extended (where, set->groups[i], NULL, &value))
        g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, part[i]);
      else
        g_hash_table_insert (where, set->groups[i], GUINT_TO_POINTER (part[i]));
    }
}

static void
test_kfold_grouped_stratified (void)
{
  GroupedSet *set = make_set (7);
  g_autofree guint *fold = g_new (guint, set->n);
  g_autoptr(GError) error = NULL;
  const guint k = 5;
  guint totals[3] = { 0 };
  guint counts[5][3] = { { 0 } };
  guint sizes[5] = { 0 };

  g_assert_true (cradle_split_kfold (set->y, (const char * const *) set->groups, set->n, 3, k, 42,
                                     fold, &error));
  g_assert_no_error (error);
  assert_no_group_in_two_parts (set, fold);

  for (guint i = 0; i < set->n; i++)
    {
      g_assert_cmpuint (fold[i], <, k);
      counts[fold[i]][set->y[i]]++;
      totals[set->y[i]]++;
      sizes[fold[i]]++;
    }
  /* Each fold within 25 % of its share of every class (groups of up to 9
   * make exactness impossible), and of the samples. */
  for (guint f = 0; f < k; f++)
    {
      g_assert_cmpuint (sizes[f], >, 0);
      g_assert_cmpfloat (fabs (sizes[f] - set->n / (double) k), <=, 0.25 * set->n / k);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat (fabs (counts[f][c] - totals[c] / (double) k), <=,
                           MAX (0.25 * totals[c] / k, 2.0));
    }
  free_set (set);
}

static void
test_kfold_deterministic (void)
{
  GroupedSet *set = make_set (11);
  g_autofree guint *a = g_new (guint, set->n);
  g_autofree guint *b = g_new (guint, set->n);
  g_autofree guint *c = g_new (guint, set->n);
  gboolean differs = FALSE;

  g_assert_true (cradle_split_kfold (set->y, (const char * const *) set->groups, set->n, 3, 4, 1, a, NULL));
  g_assert_true (cradle_split_kfold (set->y, (const char * const *) set->groups, set->n, 3, 4, 1, b, NULL));
  g_assert_true (cradle_split_kfold (set->y, (const char * const *) set->groups, set->n, 3, 4, 2, c, NULL));
  g_assert_cmpmem (a, set->n * sizeof (guint), b, set->n * sizeof (guint));
  for (guint i = 0; i < set->n; i++)
    differs |= a[i] != c[i];
  g_assert_true (differs);
  free_set (set);
}

static void
test_kfold_every_fold_gets_a_group (void)
{
  /* One huge group and four singletons: 5 folds, each non-empty. */
  guint y[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1 };
  const char *groups[12] = { "a", "a", "a", "a", "a", "a", "a", "a", "b", "c", "d", "e" };
  guint fold[12];
  guint used[5] = { 0 };

  g_assert_true (cradle_split_kfold (y, groups, 12, 2, 5, 3, fold, NULL));
  for (guint i = 0; i < 12; i++)
    used[fold[i]]++;
  for (guint f = 0; f < 5; f++)
    g_assert_cmpuint (used[f], >, 0);
  for (guint i = 1; i < 8; i++)
    g_assert_cmpuint (fold[i], ==, fold[0]);
}

static void
test_kfold_errors (void)
{
  guint y[4] = { 0, 1, 0, 1 };
  const char *groups[4] = { "a", "a", "b", "c" };
  guint fold[4];
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (cradle_split_count_groups (groups, 4), ==, 3);
  g_assert_false (cradle_split_kfold (y, groups, 4, 2, 4, 0, fold, &error));
  g_assert_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_TOO_FEW_GROUPS);
  g_assert_nonnull (strstr (error->message, "3 groups"));
  g_clear_error (&error);
  g_assert_false (cradle_split_kfold (y, groups, 4, 2, 1, 0, fold, &error));
  g_assert_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cradle_split_kfold (y, groups, 4, 2, 3, 0, fold, &error));
  g_assert_no_error (error);
}

static void
test_train_valid_test (void)
{
  GroupedSet *set = make_set (5);
  g_autofree guint *part = g_new (guint, set->n);
  g_autofree guint *again = g_new (guint, set->n);
  g_autoptr(GError) error = NULL;
  guint sizes[3] = { 0 };
  guint rare[3] = { 0 };
  guint rare_total = 0;

  g_assert_true (cradle_split_train_valid_test (set->y, (const char * const *) set->groups, set->n, 3,
                                                0.15, 0.2, 9, part, &error));
  g_assert_no_error (error);
  assert_no_group_in_two_parts (set, part);
  for (guint i = 0; i < set->n; i++)
    {
      g_assert_cmpuint (part[i], <=, CRADLE_SPLIT_TEST);
      sizes[part[i]]++;
      if (set->y[i] == 2)
        {
          rare[part[i]]++;
          rare_total++;
        }
    }
  g_assert_cmpfloat (fabs (sizes[CRADLE_SPLIT_TRAIN] - 0.65 * set->n), <=, 0.05 * set->n);
  g_assert_cmpfloat (fabs (sizes[CRADLE_SPLIT_VALID] - 0.15 * set->n), <=, 0.05 * set->n);
  g_assert_cmpfloat (fabs (sizes[CRADLE_SPLIT_TEST] - 0.20 * set->n), <=, 0.05 * set->n);
  /* The rare class reaches every part. */
  for (guint p = 0; p < 3; p++)
    g_assert_cmpuint (rare[p], >, 0);
  g_assert_cmpuint (rare_total, >, 0);

  g_assert_true (cradle_split_train_valid_test (set->y, (const char * const *) set->groups, set->n, 3,
                                                0.15, 0.2, 9, again, NULL));
  g_assert_cmpmem (part, set->n * sizeof (guint), again, set->n * sizeof (guint));

  /* No validation part. */
  g_assert_true (cradle_split_train_valid_test (set->y, (const char * const *) set->groups, set->n, 3,
                                                0.0, 0.3, 9, part, NULL));
  for (guint i = 0; i < set->n; i++)
    g_assert_cmpuint (part[i], !=, CRADLE_SPLIT_VALID);

  g_assert_false (cradle_split_train_valid_test (set->y, (const char * const *) set->groups, set->n, 3,
                                                 0.5, 0.5, 9, part, &error));
  g_assert_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID);
  g_clear_error (&error);
  {
    guint y[2] = { 0, 1 };
    const char *groups[2] = { "a", "b" };
    guint p[2];

    g_assert_false (cradle_split_train_valid_test (y, groups, 2, 2, 0.3, 0.3, 0, p, &error));
    g_assert_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_TOO_FEW_GROUPS);
  }
  free_set (set);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/split/kfold/grouped-stratified", test_kfold_grouped_stratified);
  g_test_add_func ("/core/split/kfold/deterministic", test_kfold_deterministic);
  g_test_add_func ("/core/split/kfold/every-fold-gets-a-group", test_kfold_every_fold_gets_a_group);
  g_test_add_func ("/core/split/kfold/errors", test_kfold_errors);
  g_test_add_func ("/core/split/train-valid-test", test_train_valid_test);
  return g_test_run ();
}
