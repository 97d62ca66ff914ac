/* cradle-metrics.c — confusion, P/R/F1, ROC/PR curves, baseline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-metrics.h"

#include <math.h>

static double
ratio (double num,
       double den)
{
  return den > 0.0 ? num / den : 0.0;
}

guint
cradle_metrics_majority_class (const guint *y,
                               guint        n,
                               guint        n_classes)
{
  g_autofree guint *counts = NULL;
  guint best = 0;

  g_return_val_if_fail (n_classes > 0, 0);
  g_return_val_if_fail (y != NULL || n == 0, 0);

  counts = g_new0 (guint, n_classes);
  for (guint i = 0; i < n; i++)
    if (y[i] < n_classes)
      counts[y[i]]++;
  for (guint c = 1; c < n_classes; c++)
    if (counts[c] > counts[best])
      best = c;
  return best;
}

static int
compare_desc (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const float *score = user_data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;

  if (score[ia] != score[ib])
    return score[ia] > score[ib] ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* Indices by score, highest first. */
static guint *
sort_by_score (const float *score,
               guint        n)
{
  guint *order = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_desc, (gpointer) score);
  return order;
}

static void
add_point (GArray *points,
           double  x,
           double  y,
           double  threshold)
{
  CradleCurvePoint p = { x, y, threshold };

  if (points != NULL)
    g_array_append_val (points, p);
}

double
cradle_roc_curve (const gboolean *positive,
                  const float    *score,
                  guint           n,
                  GArray         *points)
{
  g_autofree guint *order = NULL;
  guint n_pos = 0;
  guint tp = 0;
  guint fp = 0;
  double prev_x = 0.0;
  double prev_y = 0.0;
  double auc = 0.0;

  g_return_val_if_fail (positive != NULL || n == 0, NAN);
  g_return_val_if_fail (score != NULL || n == 0, NAN);

  for (guint i = 0; i < n; i++)
    n_pos += positive[i] ? 1 : 0;
  if (n_pos == 0 || n_pos == n)
    return NAN;

  order = sort_by_score (score, n);
  add_point (points, 0.0, 0.0, INFINITY);
  for (guint r = 0; r < n; r++)
    {
      guint i = order[r];
      double x;
      double y;

      if (positive[i])
        tp++;
      else
        fp++;
      /* One step per distinct score: tied samples move together. */
      if (r + 1 < n && score[order[r + 1]] == score[i])
        continue;
      x = (double) fp / (n - n_pos);
      y = (double) tp / n_pos;
      auc += (x - prev_x) * (y + prev_y) / 2.0;
      add_point (points, x, y, score[i]);
      prev_x = x;
      prev_y = y;
    }
  return auc;
}

double
cradle_pr_curve (const gboolean *positive,
                 const float    *score,
                 guint           n,
                 GArray         *points)
{
  g_autofree guint *order = NULL;
  guint n_pos = 0;
  guint tp = 0;
  guint fp = 0;
  double prev_recall = 0.0;
  double ap = 0.0;

  g_return_val_if_fail (positive != NULL || n == 0, NAN);
  g_return_val_if_fail (score != NULL || n == 0, NAN);

  for (guint i = 0; i < n; i++)
    n_pos += positive[i] ? 1 : 0;
  if (n_pos == 0)
    return NAN;

  order = sort_by_score (score, n);
  add_point (points, 0.0, 1.0, INFINITY);
  for (guint r = 0; r < n; r++)
    {
      guint i = order[r];
      double recall;
      double precision;

      if (positive[i])
        tp++;
      else
        fp++;
      if (r + 1 < n && score[order[r + 1]] == score[i])
        continue;
      recall = (double) tp / n_pos;
      precision = (double) tp / (tp + fp);
      ap += (recall - prev_recall) * precision;
      add_point (points, recall, precision, score[i]);
      prev_recall = recall;
    }
  return ap;
}

CradleMetrics *
cradle_metrics_compute (const guint        *y_true,
                        const float        *proba,
                        guint               n,
                        guint               n_classes,
                        const char * const *labels,
                        guint               baseline_class)
{
  CradleMetrics *m;
  g_autofree guint *pred_count = NULL;
  g_autofree gboolean *positive = NULL;
  g_autofree float *score = NULL;
  guint correct = 0;
  guint n_present = 0;
  guint n_macro = 0;
  guint n_auc = 0;
  double sum_auc = 0.0;
  double sum_weighted = 0.0;
  double loss = 0.0;

  g_return_val_if_fail (n_classes >= 1, NULL);
  g_return_val_if_fail (y_true != NULL || n == 0, NULL);
  g_return_val_if_fail (proba != NULL || n == 0, NULL);
  g_return_val_if_fail (baseline_class < n_classes, NULL);

  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (y_true[i] < n_classes, NULL);

  m = g_new0 (CradleMetrics, 1);
  m->n = n;
  m->n_classes = n_classes;
  m->labels = g_new0 (char *, n_classes + 1);
  for (guint c = 0; c < n_classes; c++)
    m->labels[c] = labels != NULL ? g_strdup (labels[c]) : g_strdup_printf ("%u", c);
  m->predicted = g_new0 (guint, MAX (n, 1));
  m->confusion = g_new0 (guint, (gsize) n_classes * n_classes);
  m->support = g_new0 (guint, n_classes);
  m->precision = g_new0 (double, n_classes);
  m->recall = g_new0 (double, n_classes);
  m->f1 = g_new0 (double, n_classes);
  m->roc_auc = g_new0 (double, n_classes);
  m->average_precision = g_new0 (double, n_classes);
  m->roc = g_new0 (GArray *, n_classes);
  m->pr = g_new0 (GArray *, n_classes);
  pred_count = g_new0 (guint, n_classes);

  for (guint i = 0; i < n; i++)
    {
      const float *row = proba + (gsize) i * n_classes;
      guint best = 0;
      double p;

      for (guint c = 1; c < n_classes; c++)
        if (row[c] > row[best])
          best = c;
      m->predicted[i] = best;
      m->confusion[(gsize) y_true[i] * n_classes + best]++;
      m->support[y_true[i]]++;
      pred_count[best]++;
      correct += best == y_true[i];
      p = MAX ((double) row[y_true[i]], 1e-15);
      loss -= log (p);
    }
  m->accuracy = ratio (correct, n);
  m->log_loss = ratio (loss, n);

  for (guint c = 0; c < n_classes; c++)
    {
      double tp = m->confusion[(gsize) c * n_classes + c];

      m->precision[c] = ratio (tp, pred_count[c]);
      m->recall[c] = ratio (tp, m->support[c]);
      m->f1[c] = ratio (2.0 * m->precision[c] * m->recall[c], m->precision[c] + m->recall[c]);
      if (m->support[c] > 0)
        {
          n_present++;
          m->balanced_accuracy += m->recall[c];
        }
      if (m->support[c] > 0 || pred_count[c] > 0)
        {
          n_macro++;
          m->macro_precision += m->precision[c];
          m->macro_recall += m->recall[c];
          m->macro_f1 += m->f1[c];
        }
      sum_weighted += m->f1[c] * m->support[c];
    }
  m->balanced_accuracy = ratio (m->balanced_accuracy, n_present);
  m->macro_precision = ratio (m->macro_precision, n_macro);
  m->macro_recall = ratio (m->macro_recall, n_macro);
  m->macro_f1 = ratio (m->macro_f1, n_macro);
  m->weighted_f1 = ratio (sum_weighted, n);

  /* One-vs-rest curves. */
  positive = g_new (gboolean, MAX (n, 1));
  score = g_new (float, MAX (n, 1));
  for (guint c = 0; c < n_classes; c++)
    {
      for (guint i = 0; i < n; i++)
        {
          positive[i] = y_true[i] == c;
          score[i] = proba[(gsize) i * n_classes + c];
        }
      m->roc[c] = g_array_new (FALSE, FALSE, sizeof (CradleCurvePoint));
      m->pr[c] = g_array_new (FALSE, FALSE, sizeof (CradleCurvePoint));
      m->roc_auc[c] = cradle_roc_curve (positive, score, n, m->roc[c]);
      m->average_precision[c] = cradle_pr_curve (positive, score, n, m->pr[c]);
      if (!isnan (m->roc_auc[c]))
        {
          sum_auc += m->roc_auc[c];
          n_auc++;
        }
    }
  m->macro_roc_auc = n_auc > 0 ? sum_auc / n_auc : NAN;

  /* Always predicting BASELINE_CLASS: its recall is 1, its precision the
   * share of that class; every other class scores 0. */
  m->baseline_class = baseline_class;
  {
    double share = ratio (m->support[baseline_class], n);
    double f1 = ratio (2.0 * share, share + 1.0);
    guint n_classes_macro = n_present + (m->support[baseline_class] == 0 ? 1 : 0);

    m->baseline_accuracy = share;
    m->baseline_balanced_accuracy = m->support[baseline_class] > 0 ? ratio (1.0, n_present) : 0.0;
    m->baseline_macro_f1 = ratio (f1, n_classes_macro);
  }
  return m;
}

void
cradle_metrics_free (CradleMetrics *m)
{
  if (m == NULL)
    return;
  for (guint c = 0; c < m->n_classes; c++)
    {
      if (m->roc != NULL && m->roc[c] != NULL)
        g_array_unref (m->roc[c]);
      if (m->pr != NULL && m->pr[c] != NULL)
        g_array_unref (m->pr[c]);
    }
  g_strfreev (m->labels);
  g_free (m->predicted);
  g_free (m->confusion);
  g_free (m->support);
  g_free (m->precision);
  g_free (m->recall);
  g_free (m->f1);
  g_free (m->roc_auc);
  g_free (m->average_precision);
  g_free (m->roc);
  g_free (m->pr);
  g_free (m);
}

static int
compare_confusions (gconstpointer a,
                    gconstpointer b)
{
  const CradleConfusion *ca = a;
  const CradleConfusion *cb = b;

  if (ca->count != cb->count)
    return ca->count > cb->count ? -1 : 1;
  if (ca->truth != cb->truth)
    return ca->truth < cb->truth ? -1 : 1;
  return ca->predicted < cb->predicted ? -1 : ca->predicted > cb->predicted;
}

GArray *
cradle_metrics_top_confusions (const CradleMetrics *m,
                               guint                max)
{
  GArray *out;

  g_return_val_if_fail (m != NULL, NULL);

  out = g_array_new (FALSE, FALSE, sizeof (CradleConfusion));
  for (guint t = 0; t < m->n_classes; t++)
    for (guint p = 0; p < m->n_classes; p++)
      {
        CradleConfusion c = { t, p, m->confusion[(gsize) t * m->n_classes + p] };

        if (t != p && c.count > 0)
          g_array_append_val (out, c);
      }
  g_array_sort (out, compare_confusions);
  if (max > 0 && out->len > max)
    g_array_set_size (out, max);
  return out;
}

/* JSON has no NaN or infinity: those are null. */
static void
add_number (JsonBuilder *b,
            double       value)
{
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_number (JsonBuilder *b,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (b, name);
  add_number (b, value);
}

static void
add_curves (JsonBuilder         *b,
            const char          *name,
            const CradleMetrics *m,
            GArray             **curves)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint c = 0; c < m->n_classes; c++)
    {
      json_builder_set_member_name (b, m->labels[c]);
      json_builder_begin_array (b);
      for (guint k = 0; k < curves[c]->len; k++)
        {
          const CradleCurvePoint *p = &g_array_index (curves[c], CradleCurvePoint, k);

          json_builder_begin_array (b);
          add_number (b, p->x);
          add_number (b, p->y);
          add_number (b, p->threshold);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

JsonNode *
cradle_metrics_to_json (const CradleMetrics *m,
                        gboolean             with_curves)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) top = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, m->n);
  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint c = 0; c < m->n_classes; c++)
    json_builder_add_string_value (b, m->labels[c]);
  json_builder_end_array (b);
  add_member_number (b, "accuracy", m->accuracy);
  add_member_number (b, "balanced_accuracy", m->balanced_accuracy);
  add_member_number (b, "macro_f1", m->macro_f1);
  add_member_number (b, "weighted_f1", m->weighted_f1);
  add_member_number (b, "macro_precision", m->macro_precision);
  add_member_number (b, "macro_recall", m->macro_recall);
  add_member_number (b, "log_loss", m->log_loss);
  add_member_number (b, "roc_auc", m->macro_roc_auc);
  json_builder_set_member_name (b, "baseline_label");
  json_builder_add_string_value (b, m->labels[m->baseline_class]);
  add_member_number (b, "baseline_accuracy", m->baseline_accuracy);
  add_member_number (b, "baseline_balanced_accuracy", m->baseline_balanced_accuracy);
  add_member_number (b, "baseline_macro_f1", m->baseline_macro_f1);

  json_builder_set_member_name (b, "confusion");
  json_builder_begin_array (b);
  for (guint t = 0; t < m->n_classes; t++)
    {
      json_builder_begin_array (b);
      for (guint p = 0; p < m->n_classes; p++)
        json_builder_add_int_value (b, m->confusion[(gsize) t * m->n_classes + p]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "per_class");
  json_builder_begin_array (b);
  for (guint c = 0; c < m->n_classes; c++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, m->labels[c]);
      add_member_number (b, "precision", m->precision[c]);
      add_member_number (b, "recall", m->recall[c]);
      add_member_number (b, "f1", m->f1[c]);
      json_builder_set_member_name (b, "support");
      json_builder_add_int_value (b, m->support[c]);
      add_member_number (b, "roc_auc", m->roc_auc[c]);
      add_member_number (b, "average_precision", m->average_precision[c]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  top = cradle_metrics_top_confusions (m, 10);
  json_builder_set_member_name (b, "top_confusions");
  json_builder_begin_array (b);
  for (guint k = 0; k < top->len; k++)
    {
      const CradleConfusion *c = &g_array_index (top, CradleConfusion, k);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "truth");
      json_builder_add_string_value (b, m->labels[c->truth]);
      json_builder_set_member_name (b, "predicted");
      json_builder_add_string_value (b, m->labels[c->predicted]);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, c->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (with_curves)
    {
      add_curves (b, "roc", m, m->roc);
      add_curves (b, "pr", m, m->pr);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
