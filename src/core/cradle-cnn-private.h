/* cradle-cnn-private.h — the CNN's layers on plain arrays, for the tests
 *
 * Activations are channel-major over the batch: x[c][n][y][x] (C × N × H ×
 * W), so one channel of a whole batch is contiguous (batch norm reads it in
 * one pass) and a run of images of one channel is one GEMM operand. A
 * one-channel batch is simply N images one after the other.
 *
 * Backward functions take dY and write dX (overwriting it); parameter
 * gradients are overwritten too, never accumulated. None of them allocates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-classifier-private.h"

G_BEGIN_DECLS

#define CRADLE_CNN_BN_EPS 1e-5f

/* Scratch floats the conv functions need for COL (and DCOL) for any
 * chunking: at least C_IN × 9 × H × W (one image); more lets a GEMM cover
 * several images. */
gsize  cradle_cnn_conv_col_min   (guint c_in, guint h, guint w);

/* 3 × 3 convolution, same padding, stride 1. WEIGHT: c_out × c_in × 9;
 * BIAS nullable. Y: c_out × n × h × w. */
void   cradle_cnn_conv_forward   (const float *x, guint n, guint c_in, guint h, guint w,
                                  const float *weight, const float *bias, guint c_out,
                                  float *col, gsize col_size, float *y);
/* DBIAS and DX nullable (a first layer needs no input gradient). */
void   cradle_cnn_conv_backward  (const float *x, const float *dy, guint n, guint c_in,
                                  guint h, guint w, const float *weight, guint c_out,
                                  float *col, float *dcol, gsize col_size,
                                  float *dweight, float *dbias, float *dx);

/* Batch norm per channel over M = n × h × w values, training mode: batch
 * statistics, written to MEAN and INV_STD (c values each) for backward and
 * the running averages. VAR gets the biased variance. */
void   cradle_cnn_bn_forward_train (const float *x, guint c, gsize m, const float *gamma,
                                    const float *beta, float *mean, float *var,
                                    float *inv_std, float *y);
void   cradle_cnn_bn_forward_eval  (const float *x, guint c, gsize m, const float *gamma,
                                    const float *beta, const float *running_mean,
                                    const float *running_var, float *y);
void   cradle_cnn_bn_backward      (const float *x, const float *dy, guint c, gsize m,
                                    const float *gamma, const float *mean,
                                    const float *inv_std, float *dgamma, float *dbeta,
                                    float *dx);

/* Y may be X. Backward: DX may be DY; Y is the forward output. */
void   cradle_cnn_relu_forward   (const float *x, gsize n, float *y);
void   cradle_cnn_relu_backward  (const float *y, const float *dy, gsize n, float *dx);

/* 2 × 2 max pool, stride 2, over PLANES planes of h × w (an odd last row or
 * column is dropped). ARGMAX: the index in the plane of each output's
 * maximum. */
void   cradle_cnn_maxpool_forward  (const float *x, guint planes, guint h, guint w,
                                    float *y, guint32 *argmax);
void   cradle_cnn_maxpool_backward (const float *dy, const guint32 *argmax, guint planes,
                                    guint h, guint w, float *dx);

/* Global average pool: X c × n × hw → Y n × c (row-major per image). */
void   cradle_cnn_gap_forward    (const float *x, guint c, guint n, guint hw, float *y);
void   cradle_cnn_gap_backward   (const float *dy, guint c, guint n, guint hw, float *dx);

/* Inverted dropout with a fixed MASK (0 or 1 / (1 - p)): Y = X · MASK; the
 * backward pass is the same product. Y may be X. */
void   cradle_cnn_dropout_apply  (const float *x, const float *mask, gsize n, float *y);

/* Dense: X n × in, WEIGHT out × in, BIAS out → Y n × out. DX nullable. */
void   cradle_cnn_dense_forward  (const float *x, guint n, guint in, const float *weight,
                                  const float *bias, guint out, float *y);
void   cradle_cnn_dense_backward (const float *x, const float *dy, guint n, guint in,
                                  const float *weight, guint out, float *dweight,
                                  float *dbias, float *dx);

/* Softmax and weighted cross-entropy: the loss is
 * Σ w_i · −log p_i,y_i / Σ w_i (WEIGHT NULL: all 1). PROBA n × k (nullable
 * when only the loss is wanted), DLOGITS nullable. A row whose logits are
 * not finite gets uniform probabilities. */
double cradle_cnn_softmax_xent   (const float *logits, guint n, guint k, const guint *y,
                                  const float *weight, float *proba, float *dlogits);

/* After training: the learning rate used in each epoch run (N_EPOCHS of
 * them) and the epoch whose weights were kept (0-based). */
const float *cradle_cnn_get_lr_history (CradleClassifier *self,
                                        guint            *n_epochs,
                                        guint            *best_epoch);

/* The whole network on a batch, for the gradient check of the chain: a
 * network with default hyperparameters but DROPOUT, He-initialised from
 * SEED; its parameter vector (conv, gamma, beta per block; dense weights,
 * bias); and the training-mode loss of N images with dropout MASK
 * (n × c_last, nullable when dropout is 0) and its gradient (GRAD nullable). */
CradleClassifier *cradle_cnn_test_new       (guint height, guint width, guint n_classes,
                                             guint n_blocks, const guint *channels,
                                             double dropout, guint32 seed);
float            *cradle_cnn_test_params    (CradleClassifier *self,
                                             gsize            *n_params);
double            cradle_cnn_test_loss_grad (CradleClassifier *self, const float *x, guint n,
                                             const guint *y, const float *weight,
                                             const float *mask, float *grad);

G_END_DECLS
