/* cradle-classifier.h — one interface over every model kind
 *
 * A classifier maps standardised inputs to class probabilities. It knows
 * nothing of audio, labels or files: CradleModel (cradle-model.h) wraps it
 * with the analysis configuration, the label names and the scaler, and
 * writes the model file. Each kind lives in its own file behind a vtable
 * (cradle-classifier-private.h):
 *
 *   LOGREG  multinomial logistic regression, L2 (cradle-logreg.c)
 *   SVM     RBF kernel with Platt probabilities, libsvm (cradle-svm.c)
 *   RF      random forest, XGBoost with num_parallel_tree (cradle-xgb.c)
 *   GBT     gradient-boosted trees, XGBoost (cradle-xgb.c)
 *   CNN     a small CNN on log-mel patches, C on CBLAS (cradle-cnn.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRADLE_MODEL_ERROR (cradle_model_error_quark ())

typedef enum {
  CRADLE_MODEL_ERROR_NOT_MODEL,       /* not a Cradle model file (foreign magic) */
  CRADLE_MODEL_ERROR_TRUNCATED,       /* shorter than its own lengths say */
  CRADLE_MODEL_ERROR_CORRUPT,         /* checksum mismatch, or a section that does not parse */
  CRADLE_MODEL_ERROR_FUTURE_VERSION,  /* written by a newer Cradle */
  CRADLE_MODEL_ERROR_INVALID,         /* bad arguments / hyperparameters / inconsistent data */
  CRADLE_MODEL_ERROR_MISMATCH,        /* input does not fit the model (features, config) */
  CRADLE_MODEL_ERROR_TRAIN,           /* training failed (library error, no data for a class…) */
  CRADLE_MODEL_ERROR_CANCELLED,
  CRADLE_MODEL_ERROR_IO,              /* reading or writing the file */
} CradleModelError;

GQuark cradle_model_error_quark (void);

typedef enum {
  CRADLE_MODEL_LOGREG,
  CRADLE_MODEL_SVM,
  CRADLE_MODEL_RF,
  CRADLE_MODEL_GBT,
  CRADLE_MODEL_CNN,
} CradleModelKind;

#define CRADLE_MODEL_N_KINDS (CRADLE_MODEL_CNN + 1)

/* "logreg", "svm", "rf", "gbt", "cnn" */
const char *cradle_model_kind_to_string   (CradleModelKind  kind);
gboolean    cradle_model_kind_from_string (const char      *name,
                                           CradleModelKind *kind);

/* Rows of standardised inputs. Vector kinds read N_FEATURES values per
 * row; the CNN reads an image of HEIGHT × WIDTH (time frames × mel bands,
 * row-major, so N_FEATURES = HEIGHT * WIDTH). */
typedef struct {
  guint        n_rows;
  guint        n_features;
  guint        height;       /* 0 for vectors */
  guint        width;        /* 0 for vectors */
  const float *x;            /* n_rows × n_features */
  const guint *y;            /* n_rows classes < n_classes; NULL when predicting */
  const float *weight;       /* nullable: per-row sample weight (class balancing) */
} CradleMatrix;

/* Called after each epoch (CNN) or boosting round / iteration (others):
 * VALID_* are NAN without validation data. Return FALSE to stop. */
typedef gboolean (*CradleTrainProgressFunc) (guint    step,
                                             guint    n_steps,
                                             double   train_loss,
                                             double   valid_loss,
                                             double   valid_accuracy,
                                             gpointer user_data);

/* In-place augmentation of a batch of training images (CNN): N rows of
 * HEIGHT × WIDTH, with RNG state owned by the caller. */
typedef void (*CradleAugmentFunc) (float    *images,
                                   guint     n,
                                   guint     height,
                                   guint     width,
                                   GRand    *rand,
                                   gpointer  user_data);

typedef struct {
  const CradleMatrix      *train;
  const CradleMatrix      *valid;        /* nullable: early stopping, plateau (CNN, GBT) */
  guint                    n_classes;    /* >= 2 */
  guint32                  seed;         /* the same seed and data give the same model */
  GHashTable              *params;       /* nullable: hyperparameters, name → string value */
  guint                    n_threads;    /* 0: every core */
  CradleTrainProgressFunc  progress;     /* nullable */
  gpointer                 user_data;
  GCancellable            *cancellable;  /* nullable */
  CradleAugmentFunc        augment;      /* nullable: CNN only */
  gpointer                 augment_data;
} CradleTrainRequest;

typedef struct _CradleClassifier CradleClassifier;

CradleClassifier *cradle_classifier_train        (CradleModelKind           kind,
                                                  const CradleTrainRequest *request,
                                                  GError                  **error);
/* PROBA: n_rows × n_classes, each row sums to 1. X: n_rows × n_features. */
void              cradle_classifier_predict_proba (CradleClassifier *self,
                                                   const float      *x,
                                                   guint             n_rows,
                                                   float            *proba);
/* The model's own bytes, for the model file. Never a format that runs code. */
gboolean          cradle_classifier_serialize     (CradleClassifier *self,
                                                   GByteArray       *out,
                                                   GError          **error);
CradleClassifier *cradle_classifier_deserialize   (CradleModelKind   kind,
                                                   const guint8     *data,
                                                   gsize             length,
                                                   guint             n_features,
                                                   guint             height,
                                                   guint             width,
                                                   guint             n_classes,
                                                   GError          **error);
CradleModelKind   cradle_classifier_get_kind      (CradleClassifier *self);
guint             cradle_classifier_get_n_classes (CradleClassifier *self);
guint             cradle_classifier_get_n_features (CradleClassifier *self);
/* One line: the kind and its effective hyperparameters. (transfer full) */
char             *cradle_classifier_describe      (CradleClassifier *self);
/* Effective hyperparameters, name → value, as used. (transfer full) */
GHashTable       *cradle_classifier_get_params    (CradleClassifier *self);
/* IMPORTANCE: n_features values (tree total gain; |coefficient| summed over
 * classes for logreg). FALSE when the kind has none (SVM, CNN). */
gboolean          cradle_classifier_feature_importance (CradleClassifier *self,
                                                        float            *importance);
void              cradle_classifier_free          (CradleClassifier *self);

/* The hyperparameters each kind understands, with defaults, for --help and
 * the UI: a NULL-terminated array of "name=default: description". */
const char * const *cradle_classifier_param_help  (CradleModelKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleClassifier, cradle_classifier_free)

G_END_DECLS
