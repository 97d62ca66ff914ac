/* cradle-split.c — grouped, stratified k-fold and train/validation/test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-split.h"

#include <math.h>

G_DEFINE_QUARK (cradle-split-error-quark, cradle_split_error)

typedef struct {
  guint  size;
  guint  rank;    /* position after the seeded shuffle: breaks ties in size */
  guint *counts;  /* per class */
} Group;

guint
cradle_split_count_groups (const char * const *groups,
                           guint               n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (groups != NULL || n == 0, 0);

  for (guint i = 0; i < n; i++)
    g_hash_table_add (seen, (gpointer) groups[i]);
  return g_hash_table_size (seen);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const Group *groups = user_data;
  const Group *ga = &groups[*(const guint *) a];
  const Group *gb = &groups[*(const guint *) b];

  if (ga->size != gb->size)
    return ga->size > gb->size ? -1 : 1;
  return ga->rank < gb->rank ? -1 : ga->rank > gb->rank;
}

/* Places whole groups into N_PARTS parts whose share of the samples should
 * be FRACTION[p] (0: the part stays empty). */
static gboolean
assign_groups (const guint        *y,
               const char * const *group_names,
               guint               n,
               guint               n_classes,
               guint               n_parts,
               const double       *fraction,
               guint32             seed,
               guint              *part_of_sample,
               GError            **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint *group_of = g_new (guint, n);
  g_autofree guint *order = NULL;
  g_autofree guint *part_of_group = NULL;
  g_autofree guint *class_total = g_new0 (guint, n_classes);
  g_autofree double *part_counts = g_new0 (double, (gsize) n_parts * n_classes);
  g_autofree double *part_size = g_new0 (double, n_parts);
  g_autofree guint *part_groups = g_new0 (guint, n_parts);
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (Group));
  guint n_groups;
  guint n_used_parts = 0;
  guint n_empty;

  for (guint p = 0; p < n_parts; p++)
    if (fraction[p] > 0.0)
      n_used_parts++;

  for (guint i = 0; i < n; i++)
    {
      gpointer value;
      guint g;

      if (y[i] >= n_classes)
        {
          g_set_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID,
                       "Sample %u has class %u, but there are only %u classes", i, y[i], n_classes);
          return FALSE;
        }
      if (group_names[i] == NULL)
        {
          g_set_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID,
                       "Sample %u has no group", i);
          return FALSE;
        }
      if (g_hash_table_lookup_extended (index, group_names[i], NULL, &value))
        g = GPOINTER_TO_UINT (value);
      else
        {
          Group new_group = { 0, 0, g_new0 (guint, n_classes) };

          g = groups->len;
          g_array_append_val (groups, new_group);
          g_hash_table_insert (index, (gpointer) group_names[i], GUINT_TO_POINTER (g));
        }
      group_of[i] = g;
      g_array_index (groups, Group, g).size++;
      g_array_index (groups, Group, g).counts[y[i]]++;
      class_total[y[i]]++;
    }
  n_groups = groups->len;

  if (n_groups < n_used_parts)
    {
      for (guint g = 0; g < n_groups; g++)
        g_free (g_array_index (groups, Group, g).counts);
      g_set_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_TOO_FEW_GROUPS,
                   "Cannot split %u group%s into %u parts: every part needs a group of its own "
                   "(a group is never on both sides)",
                   n_groups, n_groups == 1 ? "" : "s", n_used_parts);
      return FALSE;
    }

  /* Seeded shuffle (Fisher–Yates), then largest groups first. */
  order = g_new (guint, n_groups);
  for (guint g = 0; g < n_groups; g++)
    order[g] = g;
  for (guint g = n_groups; g > 1; g--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) g);
      guint t = order[g - 1];

      order[g - 1] = order[j];
      order[j] = t;
    }
  for (guint r = 0; r < n_groups; r++)
    g_array_index (groups, Group, order[r]).rank = r;
  g_qsort_with_data (order, n_groups, sizeof (guint), compare_groups, groups->data);

  part_of_group = g_new (guint, n_groups);
  n_empty = n_used_parts;
  for (guint r = 0; r < n_groups; r++)
    {
      const Group *group = &g_array_index (groups, Group, order[r]);
      gboolean only_empty = (n_groups - r) <= n_empty;
      double best_cost = INFINITY;
      guint best = G_MAXUINT;

      for (guint p = 0; p < n_parts; p++)
        {
          double cost = 0.0;
          double target;
          double size;

          if (fraction[p] <= 0.0 || (only_empty && part_groups[p] > 0))
            continue;
          /* The change in squared distance from the targets, each class
           * relative to its size so that rare classes count as much. */
          for (guint c = 0; c < n_classes; c++)
            {
              double have = part_counts[(gsize) p * n_classes + c];

              if (class_total[c] == 0)
                continue;
              target = fraction[p] * class_total[c];
              cost += ((have + group->counts[c] - target) * (have + group->counts[c] - target) -
                       (have - target) * (have - target)) / class_total[c];
            }
          target = fraction[p] * n;
          size = part_size[p];
          cost += ((size + group->size - target) * (size + group->size - target) -
                   (size - target) * (size - target)) / n;
          if (cost < best_cost - 1e-12 ||
              (fabs (cost - best_cost) <= 1e-12 && part_groups[p] < part_groups[best]))
            {
              best_cost = cost;
              best = p;
            }
        }
      g_assert (best != G_MAXUINT);

      part_of_group[order[r]] = best;
      if (part_groups[best] == 0)
        n_empty--;
      part_groups[best]++;
      part_size[best] += group->size;
      for (guint c = 0; c < n_classes; c++)
        part_counts[(gsize) best * n_classes + c] += group->counts[c];
    }

  for (guint i = 0; i < n; i++)
    part_of_sample[i] = part_of_group[group_of[i]];
  for (guint g = 0; g < n_groups; g++)
    g_free (g_array_index (groups, Group, g).counts);
  return TRUE;
}

gboolean
cradle_split_kfold (const guint        *y,
                    const char * const *groups,
                    guint               n,
                    guint               n_classes,
                    guint               k,
                    guint32             seed,
                    guint              *fold,
                    GError            **error)
{
  g_autofree double *fraction = NULL;

  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (groups != NULL || n == 0, FALSE);
  g_return_val_if_fail (fold != NULL || n == 0, FALSE);
  g_return_val_if_fail (n_classes > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (k < 2)
    {
      g_set_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID,
                   "Cross-validation needs at least 2 folds, not %u", k);
      return FALSE;
    }
  fraction = g_new (double, k);
  for (guint f = 0; f < k; f++)
    fraction[f] = 1.0 / k;
  return assign_groups (y, groups, n, n_classes, k, fraction, seed, fold, error);
}

gboolean
cradle_split_train_valid_test (const guint        *y,
                               const char * const *groups,
                               guint               n,
                               guint               n_classes,
                               double              valid_fraction,
                               double              test_fraction,
                               guint32             seed,
                               guint              *part,
                               GError            **error)
{
  double fraction[3];

  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (groups != NULL || n == 0, FALSE);
  g_return_val_if_fail (part != NULL || n == 0, FALSE);
  g_return_val_if_fail (n_classes > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(valid_fraction >= 0.0 && test_fraction >= 0.0 && valid_fraction + test_fraction < 1.0))
    {
      g_set_error (error, CRADLE_SPLIT_ERROR, CRADLE_SPLIT_ERROR_INVALID,
                   "Validation (%g) and test (%g) fractions must be ≥ 0 and leave some "
                   "data for training", valid_fraction, test_fraction);
      return FALSE;
    }
  fraction[CRADLE_SPLIT_TRAIN] = 1.0 - valid_fraction - test_fraction;
  fraction[CRADLE_SPLIT_VALID] = valid_fraction;
  fraction[CRADLE_SPLIT_TEST] = test_fraction;
  return assign_groups (y, groups, n, n_classes, 3, fraction, seed, part, error);
}
