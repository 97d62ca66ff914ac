/* cradle-classifier-private.h — the vtable every model kind implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-classifier.h"

G_BEGIN_DECLS

typedef struct {
  CradleModelKind     kind;
  const char * const *param_help;
  /* Validates request->params (unknown names or bad values are
   * CRADLE_MODEL_ERROR_INVALID naming the parameter). */
  CradleClassifier *(*train)              (const CradleTrainRequest *request,
                                           GError                  **error);
  void              (*predict_proba)      (CradleClassifier *self,
                                           const float      *x,
                                           guint             n_rows,
                                           float            *proba);
  gboolean          (*serialize)          (CradleClassifier *self,
                                           GByteArray       *out,
                                           GError          **error);
  /* Must reject any byte sequence it did not write with an error, never crash. */
  CradleClassifier *(*deserialize)        (const guint8     *data,
                                           gsize             length,
                                           guint             n_features,
                                           guint             height,
                                           guint             width,
                                           guint             n_classes,
                                           GError          **error);
  GHashTable       *(*get_params)         (CradleClassifier *self);
  gboolean          (*feature_importance) (CradleClassifier *self,
                                           float            *importance);  /* nullable */
  void              (*free)               (CradleClassifier *self);
} CradleClassifierVTable;

/* The first member of every kind's struct. */
struct _CradleClassifier {
  const CradleClassifierVTable *vtable;
  guint                         n_features;
  guint                         height;
  guint                         width;
  guint                         n_classes;
};

extern const CradleClassifierVTable cradle_logreg_vtable;
extern const CradleClassifierVTable cradle_svm_vtable;
extern const CradleClassifierVTable cradle_rf_vtable;
extern const CradleClassifierVTable cradle_gbt_vtable;
extern const CradleClassifierVTable cradle_cnn_vtable;

/* Helpers for the kinds: a parameter as a number / integer within
 * [MIN, MAX], DEFAULT when absent; FALSE with an error naming it when bad. */
gboolean cradle_param_double (GHashTable  *params,
                              const char  *name,
                              double       default_value,
                              double       min,
                              double       max,
                              double      *out,
                              GError     **error);
gboolean cradle_param_uint   (GHashTable  *params,
                              const char  *name,
                              guint        default_value,
                              guint        min,
                              guint        max,
                              guint       *out,
                              GError     **error);
/* Every name in PARAMS must be in HELP ("name=default: …"). */
gboolean cradle_params_check_known (GHashTable          *params,
                                    const char * const  *help,
                                    const char          *kind_name,
                                    GError             **error);

G_END_DECLS
