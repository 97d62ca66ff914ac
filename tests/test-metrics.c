/* test-metrics.c — metrics against hand-computed cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-metrics.h"

#define TOL 1e-9

/* One-hot probabilities for the predicted classes. */
static float *
one_hot (const guint *pred,
         guint        n,
         guint        n_classes)
{
  float *p = g_new0 (float, (gsize) n * n_classes);

  for (guint i = 0; i < n; i++)
    p[(gsize) i * n_classes + pred[i]] = 1.0f;
  return p;
}

/* truth \ pred   a  b  c
 *   a            3  1  0     support 4
 *   b            1  2  1     support 4
 *   c            0  0  2     support 2
 * precision a 3/4, b 2/3, c 2/3; recall a 3/4, b 1/2, c 1
 * F1 a 3/4, b 4/7, c 4/5; accuracy 7/10; balanced (3/4+1/2+1)/3 = 3/4
 * macro F1 (3/4+4/7+4/5)/3; weighted (4·3/4 + 4·4/7 + 2·4/5)/10 */
static void
test_three_classes (void)
{
  const guint y[10] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2 };
  const guint pred[10] = { 0, 0, 0, 1, 0, 1, 1, 2, 2, 2 };
  const char *labels[] = { "a", "b", "c", NULL };
  g_autofree float *p = one_hot (pred, 10, 3);
  g_autoptr(CradleMetrics) m = cradle_metrics_compute (y, p, 10, 3, labels, 0);
  const guint expected[9] = { 3, 1, 0, 1, 2, 1, 0, 0, 2 };
  g_autoptr(GArray) top = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *o;

  g_assert_cmpmem (m->confusion, sizeof expected, expected, sizeof expected);
  g_assert_cmpfloat_with_epsilon (m->accuracy, 0.7, TOL);
  g_assert_cmpfloat_with_epsilon (m->precision[0], 0.75, TOL);
  g_assert_cmpfloat_with_epsilon (m->precision[1], 2.0 / 3.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->precision[2], 2.0 / 3.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->recall[0], 0.75, TOL);
  g_assert_cmpfloat_with_epsilon (m->recall[1], 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (m->recall[2], 1.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->f1[0], 0.75, TOL);
  g_assert_cmpfloat_with_epsilon (m->f1[1], 4.0 / 7.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->f1[2], 0.8, TOL);
  g_assert_cmpuint (m->support[0], ==, 4);
  g_assert_cmpuint (m->support[2], ==, 2);
  g_assert_cmpfloat_with_epsilon (m->balanced_accuracy, 0.75, TOL);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, (0.75 + 4.0 / 7.0 + 0.8) / 3.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->weighted_f1, (4 * 0.75 + 4 * 4.0 / 7.0 + 2 * 0.8) / 10.0, TOL);

  /* Baseline: always "a": accuracy 0.4, F1 of a = 2·0.4/1.4, macro over 3. */
  g_assert_cmpuint (m->baseline_class, ==, 0);
  g_assert_cmpfloat_with_epsilon (m->baseline_accuracy, 0.4, TOL);
  g_assert_cmpfloat_with_epsilon (m->baseline_macro_f1, (0.8 / 1.4) / 3.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->baseline_balanced_accuracy, 1.0 / 3.0, TOL);

  /* Off-diagonal cells, most common first, then by truth and prediction. */
  top = cradle_metrics_top_confusions (m, 2);
  g_assert_cmpuint (top->len, ==, 2);
  g_assert_cmpuint (g_array_index (top, CradleConfusion, 0).truth, ==, 0);
  g_assert_cmpuint (g_array_index (top, CradleConfusion, 0).predicted, ==, 1);
  g_assert_cmpuint (g_array_index (top, CradleConfusion, 1).truth, ==, 1);
  g_assert_cmpuint (g_array_index (top, CradleConfusion, 1).predicted, ==, 0);

  json = cradle_metrics_to_json (m, TRUE);
  o = json_node_get_object (json);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "accuracy"), 0.7, TOL);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "balanced_accuracy"), 0.75, TOL);
  g_assert_true (json_object_has_member (o, "macro_f1"));
  g_assert_true (json_object_has_member (o, "roc_auc"));
  g_assert_true (json_object_has_member (o, "baseline_accuracy"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "confusion")), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "labels")), ==, 3);
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "roc"), "b"));
}

/* The donateacry baseline the data README quotes: 298 of 359 "hungry" out
 * of 5 classes gives accuracy 0.83 and macro-F1 0.18. */
static void
test_baseline_donateacry (void)
{
  const guint counts[5] = { 13, 7, 22, 298, 19 };
  g_autofree guint *y = g_new (guint, 359);
  g_autofree float *p = g_new0 (float, 359 * 5);
  g_autoptr(CradleMetrics) m = NULL;
  guint i = 0;

  for (guint c = 0; c < 5; c++)
    for (guint k = 0; k < counts[c]; k++)
      y[i++] = c;
  for (i = 0; i < 359; i++)
    p[i * 5 + 3] = 1.0f;
  g_assert_cmpuint (cradle_metrics_majority_class (y, 359, 5), ==, 3);
  m = cradle_metrics_compute (y, p, 359, 5, NULL, 3);
  /* The baseline is exactly the model that always says "hungry". */
  g_assert_cmpfloat_with_epsilon (m->baseline_accuracy, m->accuracy, TOL);
  g_assert_cmpfloat_with_epsilon (m->baseline_macro_f1, m->macro_f1, TOL);
  g_assert_cmpfloat_with_epsilon (m->baseline_balanced_accuracy, m->balanced_accuracy, TOL);
  g_assert_cmpfloat_with_epsilon (m->accuracy, 298.0 / 359.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, 0.18, 0.005);
  g_assert_cmpfloat_with_epsilon (m->balanced_accuracy, 0.2, TOL);
}

static void
test_roc_auc (void)
{
  const gboolean pos[6] = { TRUE, TRUE, TRUE, FALSE, FALSE, FALSE };
  const float perfect[6] = { 0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f };
  const float inverted[6] = { 0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.9f };
  const float tied[6] = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };
  /* Hand case: scores 0.9 P, 0.8 N, 0.7 P, 0.6 P(tie with N), 0.6 N, 0.1 N
   * Pairs (P over N): P0.9 beats 3 N; P0.7 beats 2 (0.6, 0.1); P0.6 beats
   * 0.1 and ties 0.6 (½) → (3 + 2 + 1.5) / 9. */
  const gboolean pos2[6] = { TRUE, FALSE, TRUE, TRUE, FALSE, FALSE };
  const float hand[6] = { 0.9f, 0.8f, 0.7f, 0.6f, 0.6f, 0.1f };
  const gboolean none[3] = { FALSE, FALSE, FALSE };
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CradleCurvePoint));
  const CradleCurvePoint *last;

  g_assert_cmpfloat_with_epsilon (cradle_roc_curve (pos, perfect, 6, points), 1.0, TOL);
  g_assert_cmpuint (points->len, ==, 7);
  g_assert_cmpfloat (g_array_index (points, CradleCurvePoint, 0).x, ==, 0.0);
  last = &g_array_index (points, CradleCurvePoint, points->len - 1);
  g_assert_cmpfloat (last->x, ==, 1.0);
  g_assert_cmpfloat (last->y, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (cradle_roc_curve (pos, inverted, 6, NULL), 0.0, TOL);
  g_array_set_size (points, 0);
  g_assert_cmpfloat_with_epsilon (cradle_roc_curve (pos, tied, 6, points), 0.5, TOL);
  g_assert_cmpuint (points->len, ==, 2);  /* (0,0) and one step to (1,1) */
  g_assert_cmpfloat_with_epsilon (cradle_roc_curve (pos2, hand, 6, NULL), 6.5 / 9.0, TOL);
  g_assert_true (isnan (cradle_roc_curve (none, hand, 3, NULL)));
}

static void
test_average_precision (void)
{
  /* Ranked P N P N: precision at the positives 1 and 2/3, recall steps ½
   * each → AP = ½ · 1 + ½ · 2/3 = 5/6. */
  const gboolean pos[4] = { TRUE, FALSE, TRUE, FALSE };
  const float score[4] = { 0.9f, 0.8f, 0.7f, 0.6f };
  const float tied[4] = { 0.5f, 0.5f, 0.5f, 0.5f };
  const gboolean none[2] = { FALSE, FALSE };
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CradleCurvePoint));

  g_assert_cmpfloat_with_epsilon (cradle_pr_curve (pos, score, 4, points), 5.0 / 6.0, TOL);
  g_assert_cmpuint (points->len, ==, 5);
  g_assert_cmpfloat (g_array_index (points, CradleCurvePoint, 4).x, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (points, CradleCurvePoint, 4).y, 0.5, TOL);
  /* All tied: one threshold, recall 1 at precision ½. */
  g_assert_cmpfloat_with_epsilon (cradle_pr_curve (pos, tied, 4, NULL), 0.5, TOL);
  g_assert_true (isnan (cradle_pr_curve (none, score, 2, NULL)));
}

static void
test_probabilities_and_auc (void)
{
  /* Two classes, separated perfectly by the scores of either class. */
  const guint y[4] = { 0, 0, 1, 1 };
  const float p[8] = { 0.9f, 0.1f, 0.6f, 0.4f, 0.4f, 0.6f, 0.2f, 0.8f };
  g_autoptr(CradleMetrics) m = cradle_metrics_compute (y, p, 4, 2, NULL, 0);

  g_assert_cmpfloat_with_epsilon (m->accuracy, 1.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->roc_auc[0], 1.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->roc_auc[1], 1.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->macro_roc_auc, 1.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->log_loss, -(log (0.9) + log (0.6) + log (0.6) + log (0.8)) / 4, 1e-6);
  g_assert_cmpstr (m->labels[1], ==, "1");
}

static void
test_absent_class (void)
{
  /* Class 2 is neither true nor predicted: left out of the macro averages,
   * its AUC undefined (null in JSON). */
  const guint y[4] = { 0, 1, 0, 1 };
  const guint pred[4] = { 0, 1, 1, 1 };
  g_autofree float *p = one_hot (pred, 4, 3);
  g_autoptr(CradleMetrics) m = cradle_metrics_compute (y, p, 4, 3, NULL, 1);
  g_autoptr(JsonNode) json = cradle_metrics_to_json (m, FALSE);
  JsonArray *per_class = json_object_get_array_member (json_node_get_object (json), "per_class");

  /* F1 class 0: P 1, R ½ → 2/3; class 1: P 2/3, R 1 → 4/5 */
  g_assert_cmpfloat_with_epsilon (m->macro_f1, (2.0 / 3.0 + 0.8) / 2.0, TOL);
  g_assert_cmpfloat_with_epsilon (m->balanced_accuracy, 0.75, TOL);
  g_assert_true (isnan (m->roc_auc[2]));
  g_assert_true (json_node_is_null (json_object_get_member (json_array_get_object_element (per_class, 2),
                                                            "roc_auc")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/metrics/three-classes", test_three_classes);
  g_test_add_func ("/core/metrics/baseline-donateacry", test_baseline_donateacry);
  g_test_add_func ("/core/metrics/roc-auc", test_roc_auc);
  g_test_add_func ("/core/metrics/average-precision", test_average_precision);
  g_test_add_func ("/core/metrics/probabilities-and-auc", test_probabilities_and_auc);
  g_test_add_func ("/core/metrics/absent-class", test_absent_class);
  return g_test_run ();
}
