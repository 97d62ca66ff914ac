/* cradle-metrics.h — classification metrics from probabilities
 *
 * From the true classes and the predicted probabilities (n × C) of a set of
 * samples: the confusion matrix (rows = truth, columns = prediction, the
 * prediction being the most probable class, the lowest index on a tie),
 * accuracy, balanced accuracy, per-class precision / recall / F1 / support,
 * macro and weighted F1, one-vs-rest ROC curves with AUC, precision-recall
 * curves with average precision, the majority-class baseline and the most
 * common confusions.
 *
 * Conventions (as scikit-learn): a ratio with a zero denominator is 0;
 * balanced accuracy is the mean recall over classes present in the truth;
 * macro F1 averages over classes present in the truth or the predictions;
 * AUC and AP are NAN for a class that is absent from the truth or is the
 * whole truth; ties in score form one step of the curve (the trapezoid
 * gives them half credit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  double x;          /* ROC: false-positive rate; PR: recall */
  double y;          /* ROC: true-positive rate;  PR: precision */
  double threshold;  /* the score at or above which a sample counts as positive */
} CradleCurvePoint;

typedef struct {
  guint  truth;
  guint  predicted;
  guint  count;
} CradleConfusion;

typedef struct {
  guint    n;                   /* samples */
  guint    n_classes;
  char   **labels;              /* n_classes names, NULL-terminated */
  guint   *predicted;           /* n: argmax of each row */
  guint   *confusion;           /* n_classes × n_classes, rows = truth */
  guint   *support;             /* per class: samples of that true class */
  double  *precision;           /* per class */
  double  *recall;
  double  *f1;
  double   accuracy;
  double   balanced_accuracy;
  double   macro_precision;
  double   macro_recall;
  double   macro_f1;
  double   weighted_f1;
  double   log_loss;            /* mean −ln p(true class), p clamped at 1e-15 */
  double  *roc_auc;             /* per class, one-vs-rest; NAN when undefined */
  double   macro_roc_auc;       /* mean over defined classes; NAN when none */
  double  *average_precision;   /* per class; NAN when undefined */
  GArray **roc;                 /* per class (element-type CradleCurvePoint), from (0,0) to (1,1) */
  GArray **pr;                  /* per class (element-type CradleCurvePoint), recall increasing */
  guint    baseline_class;      /* the majority class the baseline always predicts */
  double   baseline_accuracy;
  double   baseline_balanced_accuracy;
  double   baseline_macro_f1;
} CradleMetrics;

/* Y_TRUE: N classes < N_CLASSES; PROBA: N × N_CLASSES; LABELS: N_CLASSES
 * names (nullable: "0", "1", …). BASELINE_CLASS: the class a majority
 * baseline always predicts (the majority of the training data). */
CradleMetrics *cradle_metrics_compute        (const guint        *y_true,
                                              const float        *proba,
                                              guint               n,
                                              guint               n_classes,
                                              const char * const *labels,
                                              guint               baseline_class);
void           cradle_metrics_free           (CradleMetrics      *metrics);

/* The majority class of Y (the lowest index on a tie). */
guint          cradle_metrics_majority_class (const guint        *y,
                                              guint               n,
                                              guint               n_classes);

/* One-vs-rest ROC of SCORE against POSITIVE (N flags): the area under the
 * curve (trapezoid; NAN when either side is empty). POINTS (nullable,
 * element-type CradleCurvePoint) receives the curve. */
double         cradle_roc_curve              (const gboolean     *positive,
                                              const float        *score,
                                              guint               n,
                                              GArray             *points);
/* Average precision Σ (R_k − R_{k−1}) P_k over distinct thresholds (NAN
 * without positives). POINTS (nullable) receives the precision-recall curve. */
double         cradle_pr_curve               (const gboolean     *positive,
                                              const float        *score,
                                              guint               n,
                                              GArray             *points);

/* The off-diagonal cells of the confusion matrix with a count > 0, most
 * common first (ties: by truth, then prediction), at most MAX (0: all).
 * (element-type CradleConfusion) */
GArray        *cradle_metrics_top_confusions (const CradleMetrics *metrics,
                                              guint                max);

/* A JSON object: n, labels, accuracy, balanced_accuracy, macro_f1,
 * weighted_f1, macro_precision, macro_recall, log_loss, confusion (rows =
 * truth), per_class [{label, precision, recall, f1, support, roc_auc,
 * average_precision}], roc_auc (macro), baseline_accuracy,
 * baseline_balanced_accuracy, baseline_macro_f1, baseline_label,
 * top_confusions; with WITH_CURVES also roc and pr: per class arrays of
 * [x, y, threshold]. (transfer full) */
JsonNode      *cradle_metrics_to_json        (const CradleMetrics *metrics,
                                              gboolean             with_curves);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleMetrics, cradle_metrics_free)

G_END_DECLS
