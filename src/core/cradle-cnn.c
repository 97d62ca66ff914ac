/* cradle-cnn.c — a small CNN on log-mel patches, in C on CBLAS
 *
 * Input: one channel of HEIGHT × WIDTH (time frames × mel bands),
 * standardised per band by the caller. Blocks of
 *   conv 3 × 3 (same padding, no bias: batch norm's beta takes its place)
 *   → batch norm → ReLU → max pool 2 × 2
 * then global average pooling → dropout → dense → softmax.
 *
 * Convolutions are im2col + cblas_sgemm over runs of images (activations
 * are channel-major over the batch, see cradle-cnn-private.h), and so are
 * their weight and input gradients (col2im). In the network, batch norm's
 * output is pooled as it is computed and the ReLU applied after the pool
 * (they commute), so the full-size post-norm array is never stored; the
 * layer functions exist separately for the gradient tests. Training is Adam with
 * decoupled weight decay (AdamW) on conv and dense weights, weighted
 * cross-entropy, SpecAugment, early stopping on the validation loss with
 * the best weights restored, and learning-rate reduction on plateau.
 * Everything random comes from GRands seeded with the request's seed.
 *
 * Payload layout (little-endian), version 1:
 *   magic "CCNN", u32 version, u32 height, u32 width, u32 n_classes,
 *   u32 n_blocks, u32 channels[n_blocks], u32 n_hyper, f64 hyper[n_hyper],
 *   u32 n_params, u32 n_running, f32 params[n_params], f32 running[n_running]
 * params: per block conv weights (c_out × c_in × 9), gamma, beta; then the
 * dense weights (n_classes × c_last) and bias. running: per block the
 * running mean then the running variance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-cnn-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* libopenblas; not in every cblas.h. */
extern void openblas_set_num_threads (int n);
extern int  openblas_get_num_threads (void);

#define CNN_MAX_BLOCKS   6
#define CNN_MAX_CHANNELS 512
#define CNN_BN_MOMENTUM  0.1f
#define CNN_ADAM_BETA1   0.9
#define CNN_ADAM_BETA2   0.999
#define CNN_ADAM_EPS     1e-8
#define CNN_COL_BUDGET   (2u << 20)  /* floats of im2col scratch to aim for */
#define CNN_PREDICT_BATCH 64
#define CNN_MAX_ABS      1e6f        /* larger stored values are corrupt */
#define CNN_MAGIC        "CCNN"
#define CNN_VERSION      1

typedef enum {
  P_DROPOUT,
  P_LR,
  P_WEIGHT_DECAY,
  P_BATCH,
  P_EPOCHS,
  P_PATIENCE,
  P_LR_FACTOR,
  P_PLATEAU_PATIENCE,
  P_MIN_LR,
  P_SPECAUGMENT,
  P_TIME_MASKS,
  P_TIME_MASK_WIDTH,
  P_FREQ_MASKS,
  P_FREQ_MASK_WIDTH,
  N_HYPER
} CnnHyper;

typedef struct {
  const char *name;
  double      def;
  double      min;
  double      max;
  gboolean    is_uint;
} CnnHyperSpec;

static const CnnHyperSpec hyper_specs[N_HYPER] = {
  [P_DROPOUT]          = { "dropout", 0.3, 0.0, 0.95, FALSE },
  [P_LR]               = { "lr", 1e-3, 1e-7, 1.0, FALSE },
  [P_WEIGHT_DECAY]     = { "weight_decay", 1e-4, 0.0, 1.0, FALSE },
  [P_BATCH]            = { "batch", 32, 1, 4096, TRUE },
  [P_EPOCHS]           = { "epochs", 30, 1, 10000, TRUE },
  [P_PATIENCE]         = { "patience", 6, 1, 10000, TRUE },
  [P_LR_FACTOR]        = { "lr_factor", 0.5, 0.01, 1.0, FALSE },
  [P_PLATEAU_PATIENCE] = { "plateau_patience", 3, 1, 10000, TRUE },
  [P_MIN_LR]           = { "min_lr", 1e-5, 0.0, 1.0, FALSE },
  [P_SPECAUGMENT]      = { "specaugment", 1, 0, 1, TRUE },
  [P_TIME_MASKS]       = { "time_masks", 2, 0, 16, TRUE },
  [P_TIME_MASK_WIDTH]  = { "time_mask_width", 20, 0, 100000, TRUE },
  [P_FREQ_MASKS]       = { "freq_masks", 2, 0, 16, TRUE },
  [P_FREQ_MASK_WIDTH]  = { "freq_mask_width", 8, 0, 100000, TRUE },
};

#define CNN_DEFAULT_CHANNELS "16,32,64"

static const char *const cnn_param_help[] = {
  "channels=16,32,64: output channels of each conv block (3×3 conv, batch norm, ReLU, "
  "2×2 max pool), one block per value",
  "dropout=0.3: dropout probability before the dense layer",
  "lr=0.001: Adam learning rate",
  "weight_decay=0.0001: decoupled (AdamW) weight decay of conv and dense weights",
  "batch=32: minibatch size",
  "epochs=30: maximum epochs",
  "patience=6: early stopping: epochs without a lower validation loss",
  "lr_factor=0.5: learning-rate factor on a validation-loss plateau",
  "plateau_patience=3: epochs without improvement before the learning rate drops",
  "min_lr=1e-05: lowest learning rate",
  "specaugment=1: SpecAugment masks on training batches (1 on, 0 off)",
  "time_masks=2: time masks per training image",
  "time_mask_width=20: widest time mask, frames",
  "freq_masks=2: frequency masks per training image",
  "freq_mask_width=8: widest frequency mask, mel bands",
  NULL
};

typedef struct {
  CradleClassifier parent;

  double  hyper[N_HYPER];
  guint   n_blocks;
  guint   channels[CNN_MAX_BLOCKS];
  guint   bh[CNN_MAX_BLOCKS + 1];  /* input height of each block; [n_blocks]: after the last */
  guint   bw[CNN_MAX_BLOCKS + 1];

  gsize   n_params;
  gsize   off_conv[CNN_MAX_BLOCKS];
  gsize   off_gamma[CNN_MAX_BLOCKS];
  gsize   off_beta[CNN_MAX_BLOCKS];
  gsize   off_dense_w;
  gsize   off_dense_b;
  float  *params;

  gsize   n_running;
  gsize   off_rmean[CNN_MAX_BLOCKS];
  gsize   off_rvar[CNN_MAX_BLOCKS];
  float  *running;

  float  *lr_history;  /* n_epochs_run */
  guint   n_epochs_run;
  guint   best_epoch;
} CradleCnn;

/* Activations for a batch of up to CAP images, allocated once. */
typedef struct {
  guint    cap;
  float   *input;                   /* cap × H × W */
  float   *z[CNN_MAX_BLOCKS];       /* conv output, c × n × h × w */
  float   *p[CNN_MAX_BLOCKS];       /* after max pool and ReLU */
  guint32 *argmax[CNN_MAX_BLOCKS];
  float   *mean[CNN_MAX_BLOCKS];
  float   *var[CNN_MAX_BLOCKS];
  float   *inv_std[CNN_MAX_BLOCKS];
  float   *scale;                   /* batch norm as y = x · scale + shift, per channel */
  float   *shift;
  float   *gap;                     /* n × c_last */
  float   *mask;                    /* dropout mask, n × c_last */
  float   *dropped;                 /* n × c_last */
  const float *feat;                /* dense input: gap or dropped */
  float   *logits;                  /* n × k */
  float   *proba;                   /* n × k */
  float   *dlogits;
  float   *dfeat;                   /* n × c_last */
  float   *g1;                      /* gradient scratch, largest pool output */
  float   *g2;                      /* gradient scratch, largest conv output */
  float   *col;
  float   *dcol;
  gsize    col_size;
  guint   *labels;                  /* cap */
  float   *weights;                 /* cap */
} CnnWork;

/* ---- layers ------------------------------------------------------------ */

gsize
cradle_cnn_conv_col_min (guint c_in,
                         guint h,
                         guint w)
{
  return (gsize) c_in * 9 * h * w;
}

static guint
conv_chunk (guint n,
            guint c_in,
            guint h,
            guint w,
            gsize col_size)
{
  gsize per_image = cradle_cnn_conv_col_min (c_in, h, w);

  g_assert (col_size >= per_image);
  return (guint) MAX (1, MIN ((gsize) n, col_size / per_image));
}

/* COL: (c_in · 9) × (g · h · w) for images N0 .. N0 + G - 1 of X. */
static void
im2col (const float *x,
        guint        n,
        guint        c_in,
        guint        h,
        guint        w,
        guint        n0,
        guint        g,
        float       *col)
{
  gsize hw = (gsize) h * w;
  gsize row_len = g * hw;

  for (guint ci = 0; ci < c_in; ci++)
    for (guint k = 0; k < 9; k++)
      {
        int ky = (int) (k / 3) - 1;
        int kx = (int) (k % 3) - 1;
        float *row = col + (ci * 9 + k) * row_len;

        for (guint gi = 0; gi < g; gi++)
          {
            const float *src = x + ((gsize) ci * n + n0 + gi) * hw;
            float *dst = row + gi * hw;

            for (guint yy = 0; yy < h; yy++)
              {
                int sy = (int) yy + ky;
                float *d = dst + (gsize) yy * w;
                const float *s;

                if (sy < 0 || sy >= (int) h)
                  {
                    memset (d, 0, w * sizeof (float));
                    continue;
                  }
                s = src + (gsize) sy * w;
                if (kx == 0)
                  {
                    memcpy (d, s, w * sizeof (float));
                  }
                else if (kx < 0)
                  {
                    d[0] = 0.0f;
                    for (guint xx = 1; xx < w; xx++)
                      d[xx] = s[xx - 1];
                  }
                else
                  {
                    for (guint xx = 0; xx + 1 < w; xx++)
                      d[xx] = s[xx + 1];
                    d[w - 1] = 0.0f;
                  }
              }
          }
      }
}

/* The adjoint of im2col: adds DCOL into images N0 .. N0 + G - 1 of DX. */
static void
col2im (const float *dcol,
        guint        n,
        guint        c_in,
        guint        h,
        guint        w,
        guint        n0,
        guint        g,
        float       *dx)
{
  gsize hw = (gsize) h * w;
  gsize row_len = g * hw;

  for (guint ci = 0; ci < c_in; ci++)
    for (guint k = 0; k < 9; k++)
      {
        int ky = (int) (k / 3) - 1;
        int kx = (int) (k % 3) - 1;
        const float *row = dcol + (ci * 9 + k) * row_len;

        for (guint gi = 0; gi < g; gi++)
          {
            float *dst = dx + ((gsize) ci * n + n0 + gi) * hw;
            const float *src = row + gi * hw;

            for (guint yy = 0; yy < h; yy++)
              {
                int sy = (int) yy + ky;
                const float *s = src + (gsize) yy * w;
                float *d;

                if (sy < 0 || sy >= (int) h)
                  continue;
                d = dst + (gsize) sy * w;
                if (kx == 0)
                  {
                    for (guint xx = 0; xx < w; xx++)
                      d[xx] += s[xx];
                  }
                else if (kx < 0)
                  {
                    for (guint xx = 1; xx < w; xx++)
                      d[xx - 1] += s[xx];
                  }
                else
                  {
                    for (guint xx = 0; xx + 1 < w; xx++)
                      d[xx + 1] += s[xx];
                  }
              }
          }
      }
}

void
cradle_cnn_conv_forward (const float *x,
                         guint        n,
                         guint        c_in,
                         guint        h,
                         guint        w,
                         const float *weight,
                         const float *bias,
                         guint        c_out,
                         float       *col,
                         gsize        col_size,
                         float       *y)
{
  gsize hw = (gsize) h * w;
  guint k = c_in * 9;
  guint chunk = conv_chunk (n, c_in, h, w, col_size);

  for (guint n0 = 0; n0 < n; n0 += chunk)
    {
      guint g = MIN (chunk, n - n0);

      im2col (x, n, c_in, h, w, n0, g, col);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                   (int) c_out, (int) (g * hw), (int) k,
                   1.0f, weight, (int) k, col, (int) (g * hw),
                   0.0f, y + n0 * hw, (int) (n * hw));
    }
  if (bias != NULL)
    for (guint co = 0; co < c_out; co++)
      {
        float *yc = y + (gsize) co * n * hw;

        for (gsize i = 0; i < n * hw; i++)
          yc[i] += bias[co];
      }
}

void
cradle_cnn_conv_backward (const float *x,
                          const float *dy,
                          guint        n,
                          guint        c_in,
                          guint        h,
                          guint        w,
                          const float *weight,
                          guint        c_out,
                          float       *col,
                          float       *dcol,
                          gsize        col_size,
                          float       *dweight,
                          float       *dbias,
                          float       *dx)
{
  gsize hw = (gsize) h * w;
  guint k = c_in * 9;
  guint chunk = conv_chunk (n, c_in, h, w, col_size);

  if (dx != NULL)
    memset (dx, 0, (gsize) c_in * n * hw * sizeof (float));
  for (guint n0 = 0; n0 < n; n0 += chunk)
    {
      guint g = MIN (chunk, n - n0);

      im2col (x, n, c_in, h, w, n0, g, col);
      /* dW (+)= dY_chunk · colᵀ */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                   (int) c_out, (int) k, (int) (g * hw),
                   1.0f, dy + n0 * hw, (int) (n * hw), col, (int) (g * hw),
                   n0 == 0 ? 0.0f : 1.0f, dweight, (int) k);
      if (dx != NULL)
        {
          /* dcol = Wᵀ · dY_chunk */
          cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
                       (int) k, (int) (g * hw), (int) c_out,
                       1.0f, weight, (int) k, dy + n0 * hw, (int) (n * hw),
                       0.0f, dcol, (int) (g * hw));
          col2im (dcol, n, c_in, h, w, n0, g, dx);
        }
    }
  if (dbias != NULL)
    for (guint co = 0; co < c_out; co++)
      {
        const float *dyc = dy + (gsize) co * n * hw;
        double sum = 0.0;

        for (gsize i = 0; i < n * hw; i++)
          sum += dyc[i];
        dbias[co] = (float) sum;
      }
}

/* Per-channel batch statistics: the mean, the biased variance, 1 / σ. */
static void
bn_stats (const float *x,
          guint        c,
          gsize        m,
          float       *mean,
          float       *var,
          float       *inv_std)
{
  for (guint ci = 0; ci < c; ci++)
    {
      const float *xc = x + ci * m;
      double sum = 0.0, sum_sq = 0.0;
      float mu;

      for (gsize i = 0; i < m; i++)
        sum += xc[i];
      mu = (float) (sum / m);
      for (gsize i = 0; i < m; i++)
        {
          double d = xc[i] - mu;

          sum_sq += d * d;
        }
      mean[ci] = mu;
      var[ci] = (float) (sum_sq / m);
      inv_std[ci] = (float) (1.0 / sqrt ((double) var[ci] + CRADLE_CNN_BN_EPS));
    }
}

void
cradle_cnn_bn_forward_train (const float *x,
                             guint        c,
                             gsize        m,
                             const float *gamma,
                             const float *beta,
                             float       *mean,
                             float       *var,
                             float       *inv_std,
                             float       *y)
{
  bn_stats (x, c, m, mean, var, inv_std);
  for (guint ci = 0; ci < c; ci++)
    {
      const float *xc = x + ci * m;
      float *yc = y + ci * m;
      float scale = gamma[ci] * inv_std[ci];
      float shift = beta[ci] - mean[ci] * scale;

      for (gsize i = 0; i < m; i++)
        yc[i] = xc[i] * scale + shift;
    }
}

void
cradle_cnn_bn_forward_eval (const float *x,
                            guint        c,
                            gsize        m,
                            const float *gamma,
                            const float *beta,
                            const float *running_mean,
                            const float *running_var,
                            float       *y)
{
  for (guint ci = 0; ci < c; ci++)
    {
      const float *xc = x + ci * m;
      float *yc = y + ci * m;
      float scale = (float) (gamma[ci] / sqrt ((double) running_var[ci] + CRADLE_CNN_BN_EPS));
      float shift = beta[ci] - running_mean[ci] * scale;

      for (gsize i = 0; i < m; i++)
        yc[i] = xc[i] * scale + shift;
    }
}

void
cradle_cnn_bn_backward (const float *x,
                        const float *dy,
                        guint        c,
                        gsize        m,
                        const float *gamma,
                        const float *mean,
                        const float *inv_std,
                        float       *dgamma,
                        float       *dbeta,
                        float       *dx)
{
  for (guint ci = 0; ci < c; ci++)
    {
      const float *xc = x + ci * m;
      const float *dyc = dy + ci * m;
      float *dxc = dx + ci * m;
      float mu = mean[ci], is = inv_std[ci];
      double sum_dy = 0.0, sum_dy_xhat = 0.0;
      float a, b, k;

      for (gsize i = 0; i < m; i++)
        {
          sum_dy += dyc[i];
          sum_dy_xhat += (double) dyc[i] * ((xc[i] - mu) * is);
        }
      dgamma[ci] = (float) sum_dy_xhat;
      dbeta[ci] = (float) sum_dy;
      /* dx = γ·is/m · (m·dy − Σdy − x̂·Σdy·x̂) */
      k = gamma[ci] * is;
      a = (float) (sum_dy / m);
      b = (float) (sum_dy_xhat / m);
      for (gsize i = 0; i < m; i++)
        dxc[i] = k * (dyc[i] - a - (xc[i] - mu) * is * b);
    }
}

void
cradle_cnn_relu_forward (const float *x,
                         gsize        n,
                         float       *y)
{
  for (gsize i = 0; i < n; i++)
    y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
cradle_cnn_relu_backward (const float *y,
                          const float *dy,
                          gsize        n,
                          float       *dx)
{
  for (gsize i = 0; i < n; i++)
    dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void
cradle_cnn_maxpool_forward (const float *x,
                            guint        planes,
                            guint        h,
                            guint        w,
                            float       *y,
                            guint32     *argmax)
{
  guint ho = h / 2, wo = w / 2;

  for (guint pl = 0; pl < planes; pl++)
    {
      const float *xp = x + (gsize) pl * h * w;
      float *yp = y + (gsize) pl * ho * wo;
      guint32 *ap = argmax + (gsize) pl * ho * wo;

      for (guint oy = 0; oy < ho; oy++)
        {
          const float *r0 = xp + (gsize) 2 * oy * w;
          const float *r1 = r0 + w;

          for (guint ox = 0; ox < wo; ox++)
            {
              guint32 i0 = 2 * oy * w + 2 * ox;
              float a0 = r0[2 * ox], a1 = r0[2 * ox + 1];
              float b0 = r1[2 * ox], b1 = r1[2 * ox + 1];
              guint32 best = i0;
              float v = a0;

              /* selects, not branches: the winner is data, unpredictable */
              best = a1 > v ? i0 + 1 : best;
              v = a1 > v ? a1 : v;
              best = b0 > v ? i0 + w : best;
              v = b0 > v ? b0 : v;
              best = b1 > v ? i0 + w + 1 : best;
              v = b1 > v ? b1 : v;
              yp[oy * wo + ox] = v;
              ap[oy * wo + ox] = best;
            }
        }
    }
}

/* The network's batch norm → max pool → ReLU in one pass over X
 * (c × n planes of h × w): the batch-norm output y = x · SCALE[c] +
 * SHIFT[c], computed exactly as the batch-norm functions do, is pooled
 * without being stored, then the ReLU applies to the pooled value (max and
 * ReLU commute). */
static void
bn_pool_relu (const float *x,
              guint        c,
              guint        n,
              guint        h,
              guint        w,
              const float *scale,
              const float *shift,
              float       *y,
              guint32     *argmax)
{
  guint ho = h / 2, wo = w / 2;

  for (guint pl = 0; pl < c * n; pl++)
    {
      const float *xp = x + (gsize) pl * h * w;
      float *yp = y + (gsize) pl * ho * wo;
      guint32 *ap = argmax + (gsize) pl * ho * wo;
      float sc = scale[pl / n], sh = shift[pl / n];

      for (guint oy = 0; oy < ho; oy++)
        {
          const float *r0 = xp + (gsize) 2 * oy * w;
          const float *r1 = r0 + w;

          for (guint ox = 0; ox < wo; ox++)
            {
              guint32 i0 = 2 * oy * w + 2 * ox;
              float a0 = r0[2 * ox] * sc + sh, a1 = r0[2 * ox + 1] * sc + sh;
              float b0 = r1[2 * ox] * sc + sh, b1 = r1[2 * ox + 1] * sc + sh;
              guint32 best = i0;
              float v = a0;

              best = a1 > v ? i0 + 1 : best;
              v = a1 > v ? a1 : v;
              best = b0 > v ? i0 + w : best;
              v = b0 > v ? b0 : v;
              best = b1 > v ? i0 + w + 1 : best;
              v = b1 > v ? b1 : v;
              yp[oy * wo + ox] = v > 0.0f ? v : 0.0f;
              ap[oy * wo + ox] = best;
            }
        }
    }
}

void
cradle_cnn_maxpool_backward (const float   *dy,
                             const guint32 *argmax,
                             guint          planes,
                             guint          h,
                             guint          w,
                             float         *dx)
{
  gsize out = (gsize) (h / 2) * (w / 2);

  memset (dx, 0, (gsize) planes * h * w * sizeof (float));
  for (guint pl = 0; pl < planes; pl++)
    {
      float *dxp = dx + (gsize) pl * h * w;
      const float *dyp = dy + pl * out;
      const guint32 *ap = argmax + pl * out;

      for (gsize i = 0; i < out; i++)
        dxp[ap[i]] = dyp[i];
    }
}

void
cradle_cnn_gap_forward (const float *x,
                        guint        c,
                        guint        n,
                        guint        hw,
                        float       *y)
{
  for (guint ci = 0; ci < c; ci++)
    for (guint ni = 0; ni < n; ni++)
      {
        const float *xp = x + ((gsize) ci * n + ni) * hw;
        double sum = 0.0;

        for (guint i = 0; i < hw; i++)
          sum += xp[i];
        y[(gsize) ni * c + ci] = (float) (sum / hw);
      }
}

void
cradle_cnn_gap_backward (const float *dy,
                         guint        c,
                         guint        n,
                         guint        hw,
                         float       *dx)
{
  for (guint ci = 0; ci < c; ci++)
    for (guint ni = 0; ni < n; ni++)
      {
        float *dxp = dx + ((gsize) ci * n + ni) * hw;
        float v = dy[(gsize) ni * c + ci] / hw;

        for (guint i = 0; i < hw; i++)
          dxp[i] = v;
      }
}

void
cradle_cnn_dropout_apply (const float *x,
                          const float *mask,
                          gsize        n,
                          float       *y)
{
  for (gsize i = 0; i < n; i++)
    y[i] = x[i] * mask[i];
}

void
cradle_cnn_dense_forward (const float *x,
                          guint        n,
                          guint        in,
                          const float *weight,
                          const float *bias,
                          guint        out,
                          float       *y)
{
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, (int) out, (int) in,
               1.0f, x, (int) in, weight, (int) in, 0.0f, y, (int) out);
  for (guint i = 0; i < n; i++)
    for (guint o = 0; o < out; o++)
      y[(gsize) i * out + o] += bias[o];
}

void
cradle_cnn_dense_backward (const float *x,
                           const float *dy,
                           guint        n,
                           guint        in,
                           const float *weight,
                           guint        out,
                           float       *dweight,
                           float       *dbias,
                           float       *dx)
{
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) out, (int) in, (int) n,
               1.0f, dy, (int) out, x, (int) in, 0.0f, dweight, (int) in);
  for (guint o = 0; o < out; o++)
    {
      double sum = 0.0;

      for (guint i = 0; i < n; i++)
        sum += dy[(gsize) i * out + o];
      dbias[o] = (float) sum;
    }
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) in, (int) out,
                 1.0f, dy, (int) out, weight, (int) in, 0.0f, dx, (int) in);
}

double
cradle_cnn_softmax_xent (const float *logits,
                         guint        n,
                         guint        k,
                         const guint *y,
                         const float *weight,
                         float       *proba,
                         float       *dlogits)
{
  double wsum = 0.0, loss = 0.0, scale;

  for (guint i = 0; i < n; i++)
    wsum += weight != NULL ? weight[i] : 1.0;
  scale = wsum > 0.0 ? 1.0 / wsum : 0.0;

  for (guint i = 0; i < n; i++)
    {
      const float *l = logits + (gsize) i * k;
      double wi = weight != NULL ? weight[i] : 1.0;
      double max = -INFINITY, sum = 0.0;
      gboolean finite = TRUE;

      for (guint j = 0; j < k; j++)
        {
          if (!isfinite (l[j]))
            finite = FALSE;
          max = MAX (max, l[j]);
        }
      if (finite)
        for (guint j = 0; j < k; j++)
          sum += exp (l[j] - max);
      for (guint j = 0; j < k; j++)
        {
          double p = finite ? exp (l[j] - max) / sum : 1.0 / k;

          if (proba != NULL)
            proba[(gsize) i * k + j] = (float) p;
          if (dlogits != NULL && y != NULL)
            dlogits[(gsize) i * k + j] = (float) (wi * scale * (p - (j == y[i] ? 1.0 : 0.0)));
        }
      if (y != NULL)
        loss += wi * (finite ? max + log (sum) - l[y[i]] : log ((double) k));
    }
  return loss * scale;
}

/* ---- the network ----------------------------------------------------- */

static void
cnn_layout (CradleCnn *self)
{
  CradleClassifier *parent = &self->parent;
  guint c_in = 1;
  gsize o = 0, r = 0;

  self->bh[0] = parent->height;
  self->bw[0] = parent->width;
  for (guint b = 0; b < self->n_blocks; b++)
    {
      guint c = self->channels[b];

      self->bh[b + 1] = self->bh[b] / 2;
      self->bw[b + 1] = self->bw[b] / 2;
      self->off_conv[b] = o;
      o += (gsize) c * c_in * 9;
      self->off_gamma[b] = o;
      o += c;
      self->off_beta[b] = o;
      o += c;
      self->off_rmean[b] = r;
      r += c;
      self->off_rvar[b] = r;
      r += c;
      c_in = c;
    }
  self->off_dense_w = o;
  o += (gsize) parent->n_classes * c_in;
  self->off_dense_b = o;
  o += parent->n_classes;
  self->n_params = o;
  self->n_running = r;
}

static guint
cnn_c_last (CradleCnn *self)
{
  return self->channels[self->n_blocks - 1];
}

static CradleCnn *
cnn_new (guint         height,
         guint         width,
         guint         n_classes,
         const double *hyper,
         guint         n_blocks,
         const guint  *channels)
{
  CradleCnn *self = g_new0 (CradleCnn, 1);

  self->parent.vtable = &cradle_cnn_vtable;
  self->parent.n_features = height * width;
  self->parent.height = height;
  self->parent.width = width;
  self->parent.n_classes = n_classes;
  memcpy (self->hyper, hyper, sizeof self->hyper);
  self->n_blocks = n_blocks;
  memcpy (self->channels, channels, n_blocks * sizeof (guint));
  cnn_layout (self);
  self->params = g_new0 (float, self->n_params);
  self->running = g_new0 (float, self->n_running);
  return self;
}

static void
cnn_destroy (CradleCnn *self)
{
  g_free (self->params);
  g_free (self->running);
  g_free (self->lr_history);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleCnn, cnn_destroy)

static void
cnn_free (CradleClassifier *classifier)
{
  cnn_destroy ((CradleCnn *) classifier);
}

static void
cnn_work_free (CnnWork *w)
{
  for (guint b = 0; b < CNN_MAX_BLOCKS; b++)
    {
      g_free (w->z[b]);
      g_free (w->p[b]);
      g_free (w->argmax[b]);
      g_free (w->mean[b]);
      g_free (w->var[b]);
      g_free (w->inv_std[b]);
    }
  g_free (w->input);
  g_free (w->scale);
  g_free (w->shift);
  g_free (w->gap);
  g_free (w->mask);
  g_free (w->dropped);
  g_free (w->logits);
  g_free (w->proba);
  g_free (w->dlogits);
  g_free (w->dfeat);
  g_free (w->g1);
  g_free (w->g2);
  g_free (w->col);
  g_free (w->dcol);
  g_free (w->labels);
  g_free (w->weights);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnnWork, cnn_work_free)

static CnnWork *
cnn_work_new (CradleCnn *self,
              guint      cap,
              gboolean   train)
{
  CnnWork *w = g_new0 (CnnWork, 1);
  guint k = self->parent.n_classes, c_last = cnn_c_last (self);
  gsize largest = 0, largest_pool = 0, col_min = 0;
  guint c_in = 1;

  w->cap = cap;
  w->input = g_new (float, (gsize) cap * self->parent.n_features);
  for (guint b = 0; b < self->n_blocks; b++)
    {
      guint c = self->channels[b];
      gsize conv = (gsize) c * cap * self->bh[b] * self->bw[b];
      gsize pool = (gsize) c * cap * self->bh[b + 1] * self->bw[b + 1];

      w->z[b] = g_new (float, conv);
      w->p[b] = g_new (float, pool);
      w->argmax[b] = g_new (guint32, pool);
      w->mean[b] = g_new (float, c);
      w->var[b] = g_new (float, c);
      w->inv_std[b] = g_new (float, c);
      largest = MAX (largest, conv);
      largest_pool = MAX (largest_pool, pool);
      col_min = MAX (col_min, cradle_cnn_conv_col_min (c_in, self->bh[b], self->bw[b]));
      c_in = c;
    }
  w->scale = g_new (float, CNN_MAX_CHANNELS);
  w->shift = g_new (float, CNN_MAX_CHANNELS);
  w->gap = g_new (float, (gsize) cap * c_last);
  w->logits = g_new (float, (gsize) cap * k);
  w->proba = g_new (float, (gsize) cap * k);
  w->col_size = MAX (col_min, CNN_COL_BUDGET);
  w->col = g_new (float, w->col_size);
  if (train)
    {
      w->mask = g_new (float, (gsize) cap * c_last);
      w->dropped = g_new (float, (gsize) cap * c_last);
      w->dlogits = g_new (float, (gsize) cap * k);
      w->dfeat = g_new (float, (gsize) cap * c_last);
      w->g1 = g_new (float, largest_pool);
      w->g2 = g_new (float, largest);
      w->dcol = g_new (float, w->col_size);
    }
  w->labels = g_new (guint, cap);
  w->weights = g_new (float, cap);
  return w;
}

/* Forward over the N images in W->input; logits in W->logits. In training
 * mode, batch statistics (and the running averages are updated) and a
 * dropout mask drawn from RAND. */
static void
cnn_forward (CradleCnn   *self,
             CnnWork     *w,
             guint        n,
             gboolean     train,
             GRand       *rand,
             const float *fixed_mask)
{
  const float *in = w->input;
  guint c_in = 1, c_last = cnn_c_last (self);

  for (guint b = 0; b < self->n_blocks; b++)
    {
      guint c = self->channels[b], h = self->bh[b], wd = self->bw[b];
      gsize m = (gsize) n * h * wd;
      const float *gamma = self->params + self->off_gamma[b];
      const float *beta = self->params + self->off_beta[b];
      float *rmean = self->running + self->off_rmean[b];
      float *rvar = self->running + self->off_rvar[b];

      cradle_cnn_conv_forward (in, n, c_in, h, wd, self->params + self->off_conv[b], NULL, c,
                               w->col, w->col_size, w->z[b]);
      if (train)
        {
          float unbias = m > 1 ? (float) m / (float) (m - 1) : 1.0f;

          bn_stats (w->z[b], c, m, w->mean[b], w->var[b], w->inv_std[b]);
          for (guint ci = 0; ci < c; ci++)
            {
              w->scale[ci] = gamma[ci] * w->inv_std[b][ci];
              w->shift[ci] = beta[ci] - w->mean[b][ci] * w->scale[ci];
              rmean[ci] = (1.0f - CNN_BN_MOMENTUM) * rmean[ci] + CNN_BN_MOMENTUM * w->mean[b][ci];
              rvar[ci] = (1.0f - CNN_BN_MOMENTUM) * rvar[ci]
                         + CNN_BN_MOMENTUM * w->var[b][ci] * unbias;
            }
        }
      else
        {
          for (guint ci = 0; ci < c; ci++)
            {
              w->scale[ci] = (float) (gamma[ci] / sqrt ((double) rvar[ci] + CRADLE_CNN_BN_EPS));
              w->shift[ci] = beta[ci] - rmean[ci] * w->scale[ci];
            }
        }
      bn_pool_relu (w->z[b], c, n, h, wd, w->scale, w->shift, w->p[b], w->argmax[b]);
      in = w->p[b];
      c_in = c;
    }

  cradle_cnn_gap_forward (in, c_last, n, self->bh[self->n_blocks] * self->bw[self->n_blocks],
                          w->gap);
  w->feat = w->gap;
  if (train && self->hyper[P_DROPOUT] > 0.0)
    {
      double p = self->hyper[P_DROPOUT];
      float keep = (float) (1.0 / (1.0 - p));

      for (gsize i = 0; i < (gsize) n * c_last; i++)
        if (fixed_mask != NULL)
          w->mask[i] = fixed_mask[i];
        else
          w->mask[i] = g_rand_double (rand) < p ? 0.0f : keep;
      cradle_cnn_dropout_apply (w->gap, w->mask, (gsize) n * c_last, w->dropped);
      w->feat = w->dropped;
    }
  cradle_cnn_dense_forward (w->feat, n, c_last, self->params + self->off_dense_w,
                            self->params + self->off_dense_b, self->parent.n_classes,
                            w->logits);
}

/* Backward from W->dlogits after a training forward; GRAD: n_params. */
static void
cnn_backward (CradleCnn *self,
              CnnWork   *w,
              guint      n,
              float     *grad)
{
  guint c_last = cnn_c_last (self), nb = self->n_blocks;

  cradle_cnn_dense_backward (w->feat, w->dlogits, n, c_last, self->params + self->off_dense_w,
                             self->parent.n_classes, grad + self->off_dense_w,
                             grad + self->off_dense_b, w->dfeat);
  if (w->feat == w->dropped)
    cradle_cnn_dropout_apply (w->dfeat, w->mask, (gsize) n * c_last, w->dfeat);
  cradle_cnn_gap_backward (w->dfeat, c_last, n, self->bh[nb] * self->bw[nb], w->g1);

  for (guint b = nb; b-- > 0;)
    {
      guint c = self->channels[b], h = self->bh[b], wd = self->bw[b];
      guint c_in = b > 0 ? self->channels[b - 1] : 1;
      gsize m = (gsize) n * h * wd;
      const float *in = b > 0 ? w->p[b - 1] : w->input;

      cradle_cnn_relu_backward (w->p[b], w->g1,
                                (gsize) c * n * self->bh[b + 1] * self->bw[b + 1], w->g1);
      cradle_cnn_maxpool_backward (w->g1, w->argmax[b], c * n, h, wd, w->g2);
      cradle_cnn_bn_backward (w->z[b], w->g2, c, m, self->params + self->off_gamma[b],
                              w->mean[b], w->inv_std[b], grad + self->off_gamma[b],
                              grad + self->off_beta[b], w->g2);
      cradle_cnn_conv_backward (in, w->g2, n, c_in, h, wd, self->params + self->off_conv[b], c,
                                w->col, w->dcol, w->col_size, grad + self->off_conv[b], NULL,
                                b > 0 ? w->g1 : NULL);
    }
}

static void
cnn_init_params (CradleCnn *self,
                 GRand     *rand)
{
  guint c_in = 1;

  for (guint b = 0; b < self->n_blocks; b++)
    {
      guint c = self->channels[b];
      gsize n = (gsize) c * c_in * 9;
      double sd = sqrt (2.0 / (c_in * 9));
      float *wt = self->params + self->off_conv[b];

      for (gsize i = 0; i < n; i++)
        {
          /* Box–Muller; 1 − u keeps the logarithm finite */
          double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);

          wt[i] = (float) (sd * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
        }
      for (guint ci = 0; ci < c; ci++)
        {
          self->params[self->off_gamma[b] + ci] = 1.0f;
          self->params[self->off_beta[b] + ci] = 0.0f;
          self->running[self->off_rmean[b] + ci] = 0.0f;
          self->running[self->off_rvar[b] + ci] = 1.0f;
        }
      c_in = c;
    }
  for (gsize i = 0; i < (gsize) self->parent.n_classes * c_in; i++)
    {
      double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);

      self->params[self->off_dense_w + i] =
        (float) (sqrt (2.0 / c_in) * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
    }
  memset (self->params + self->off_dense_b, 0, self->parent.n_classes * sizeof (float));
}

/* Evaluation on a whole matrix, in batches of W->cap: the weighted loss
 * (ACCURACY nullable) and, when PROBA is given, the probabilities. */
static double
cnn_evaluate (CradleCnn   *self,
              CnnWork     *w,
              const float *x,
              guint        n_rows,
              const guint *y,
              const float *weight,
              float       *proba,
              double      *accuracy)
{
  guint k = self->parent.n_classes, n_correct = 0;
  gsize nf = self->parent.n_features;
  double loss = 0.0, wsum = 0.0;

  for (guint start = 0; start < n_rows; start += w->cap)
    {
      guint n = MIN (w->cap, n_rows - start);
      float *pb = proba != NULL ? proba + (gsize) start * k : w->proba;
      double bw = 0.0;

      memcpy (w->input, x + start * nf, n * nf * sizeof (float));
      cnn_forward (self, w, n, FALSE, NULL, NULL);
      if (y == NULL)
        {
          cradle_cnn_softmax_xent (w->logits, n, k, NULL, NULL, pb, NULL);
          continue;
        }
      for (guint i = 0; i < n; i++)
        bw += weight != NULL ? weight[start + i] : 1.0;
      loss += bw * cradle_cnn_softmax_xent (w->logits, n, k, y + start,
                                            weight != NULL ? weight + start : NULL, pb, NULL);
      wsum += bw;
      for (guint i = 0; i < n; i++)
        {
          const float *p = pb + (gsize) i * k;
          guint best = 0;

          for (guint j = 1; j < k; j++)
            if (p[j] > p[best])
              best = j;
          n_correct += best == y[start + i];
        }
    }
  if (accuracy != NULL)
    *accuracy = n_rows > 0 ? (double) n_correct / n_rows : NAN;
  return wsum > 0.0 ? loss / wsum : NAN;
}

static void
spec_augment (CradleCnn *self,
              float     *image,
              GRand     *rand)
{
  guint h = self->parent.height, w = self->parent.width;
  guint tw = MIN ((guint) self->hyper[P_TIME_MASK_WIDTH], h);
  guint fw = MIN ((guint) self->hyper[P_FREQ_MASK_WIDTH], w);

  for (guint i = 0; i < (guint) self->hyper[P_TIME_MASKS]; i++)
    {
      guint t = (guint) g_rand_int_range (rand, 0, (gint32) tw + 1);
      guint t0 = (guint) g_rand_int_range (rand, 0, (gint32) (h - t) + 1);

      memset (image + (gsize) t0 * w, 0, (gsize) t * w * sizeof (float));
    }
  for (guint i = 0; i < (guint) self->hyper[P_FREQ_MASKS]; i++)
    {
      guint f = (guint) g_rand_int_range (rand, 0, (gint32) fw + 1);
      guint f0 = (guint) g_rand_int_range (rand, 0, (gint32) (w - f) + 1);

      for (guint r = 0; r < h; r++)
        memset (image + (gsize) r * w + f0, 0, f * sizeof (float));
    }
}

/* ---- parameters and validation -------------------------------------- */

static gboolean
parse_channels (const char *text,
                guint      *n_blocks,
                guint      *channels,
                GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n = g_strv_length (parts);

  if (n < 1 || n > CNN_MAX_BLOCKS)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "Hyperparameter “channels” = “%s” is invalid: it must list 1 to %d channel "
                   "counts, such as “%s”", text, CNN_MAX_BLOCKS, CNN_DEFAULT_CHANNELS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      guint64 v;
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));

      if (!g_ascii_string_to_unsigned (part, 10, 1, CNN_MAX_CHANNELS, &v, NULL))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Hyperparameter “channels” = “%s” is invalid: “%s” is not a channel count "
                       "from 1 to %d", text, parts[i], CNN_MAX_CHANNELS);
          return FALSE;
        }
      channels[i] = (guint) v;
    }
  *n_blocks = n;
  return TRUE;
}

static gboolean
parse_hyper (GHashTable *params,
             double     *hyper,
             guint      *n_blocks,
             guint      *channels,
             GError    **error)
{
  const char *text = params != NULL ? g_hash_table_lookup (params, "channels") : NULL;

  if (!cradle_params_check_known (params, cnn_param_help, "cnn", error))
    return FALSE;
  for (guint i = 0; i < N_HYPER; i++)
    {
      const CnnHyperSpec *s = &hyper_specs[i];

      if (s->is_uint)
        {
          guint v;

          if (!cradle_param_uint (params, s->name, (guint) s->def, (guint) s->min,
                                  (guint) s->max, &v, error))
            return FALSE;
          hyper[i] = v;
        }
      else if (!cradle_param_double (params, s->name, s->def, s->min, s->max, &hyper[i], error))
        {
          return FALSE;
        }
    }
  return parse_channels (text != NULL ? text : CNN_DEFAULT_CHANNELS, n_blocks, channels, error);
}

static gboolean
check_matrix (const CradleMatrix *m,
              const char         *what,
              guint               height,
              guint               width,
              guint               n_classes,
              GError            **error)
{
  gsize n = (gsize) m->n_rows * m->n_features;

  if (m->n_rows == 0 || m->x == NULL || m->y == NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The cnn needs labelled %s images, and got none", what);
      return FALSE;
    }
  if (m->height != height || m->width != width || m->n_features != height * width)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The cnn's %s images are %u × %u with %u values, expected %u × %u",
                   what, m->height, m->width, m->n_features, height, width);
      return FALSE;
    }
  for (guint i = 0; i < m->n_rows; i++)
    {
      if (m->y[i] >= n_classes)
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "The cnn's %s row %u has class %u, but there are %u classes",
                       what, i, m->y[i], n_classes);
          return FALSE;
        }
      if (m->weight != NULL && !(m->weight[i] >= 0.0f && isfinite (m->weight[i])))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "The cnn's %s row %u has weight %g; weights must be finite and >= 0",
                       what, i, m->weight[i]);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (m->x[i]))
      {
        g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                     "The cnn's %s row %" G_GSIZE_FORMAT " has a value that is not finite",
                     what, i / m->n_features);
        return FALSE;
      }
  return TRUE;
}

/* ---- training -------------------------------------------------------- */

typedef struct {
  float  *grad;
  float  *m;
  float  *v;
  guint8 *decay;  /* 1 where weight decay applies */
  float  *best_params;
  float  *best_running;
  guint  *order;
} CnnTrainState;

static void
cnn_train_state_clear (CnnTrainState *s)
{
  g_free (s->grad);
  g_free (s->m);
  g_free (s->v);
  g_free (s->decay);
  g_free (s->best_params);
  g_free (s->best_running);
  g_free (s->order);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CnnTrainState, cnn_train_state_clear)

static void
adam_step (CradleCnn     *self,
           CnnTrainState *s,
           guint          t,
           double         lr)
{
  double bc1 = 1.0 - pow (CNN_ADAM_BETA1, t);
  double bc2 = 1.0 - pow (CNN_ADAM_BETA2, t);
  float step = (float) (lr / bc1);
  float inv_bc2 = (float) (1.0 / bc2);
  float decay = (float) (lr * self->hyper[P_WEIGHT_DECAY]);
  float b1 = (float) CNN_ADAM_BETA1, b2 = (float) CNN_ADAM_BETA2;

  for (gsize i = 0; i < self->n_params; i++)
    {
      float g = s->grad[i];
      float *p = &self->params[i];

      s->m[i] = b1 * s->m[i] + (1.0f - b1) * g;
      s->v[i] = b2 * s->v[i] + (1.0f - b2) * g * g;
      if (s->decay[i])
        *p -= decay * *p;
      *p -= step * s->m[i] / (sqrtf (s->v[i] * inv_bc2) + (float) CNN_ADAM_EPS);
    }
}

static CradleClassifier *
cnn_train (const CradleTrainRequest *request,
           GError                  **error)
{
  const CradleMatrix *train = request->train, *valid = request->valid;
  double hyper[N_HYPER];
  guint channels[CNN_MAX_BLOCKS], n_blocks;
  guint height, width, k = request->n_classes, batch, epochs, cap;
  g_autoptr(CradleCnn) self = NULL;
  g_autoptr(CnnWork) work = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GRand) aug_rand = NULL;
  g_autoptr(GArray) lr_history = NULL;
  g_auto(CnnTrainState) s = { 0 };
  gsize nf;
  double lr, best_loss = INFINITY;
  guint since_best = 0, since_lr = 0, best_epoch = 0, t = 0;
  int old_threads = openblas_get_num_threads ();
  gboolean ok = TRUE;

  if (train == NULL || k < 2)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The cnn needs training images and at least 2 classes (got %u)", k);
      return NULL;
    }
  if (!parse_hyper (request->params, hyper, &n_blocks, channels, error))
    return NULL;
  height = train->height;
  width = train->width;
  if (height == 0 || width == 0 || (height >> n_blocks) == 0 || (width >> n_blocks) == 0)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The cnn's %u blocks halve the image %u times; a %u × %u image is too small "
                   "(parameter “channels”)", n_blocks, n_blocks, height, width);
      return NULL;
    }
  if (!check_matrix (train, "training", height, width, k, error) ||
      (valid != NULL && !check_matrix (valid, "validation", height, width, k, error)))
    return NULL;

  self = cnn_new (height, width, k, hyper, n_blocks, channels);
  nf = self->parent.n_features;
  batch = (guint) hyper[P_BATCH];
  epochs = (guint) hyper[P_EPOCHS];
  cap = MIN (batch, train->n_rows);
  if (valid != NULL)
    cap = MAX (cap, MIN (valid->n_rows, CNN_PREDICT_BATCH));
  lr = hyper[P_LR];

  rand = g_rand_new_with_seed (request->seed);
  aug_rand = g_rand_new_with_seed (request->seed ^ 0x9e3779b9u);
  cnn_init_params (self, rand);

  work = cnn_work_new (self, cap, TRUE);
  s.grad = g_new0 (float, self->n_params);
  s.m = g_new0 (float, self->n_params);
  s.v = g_new0 (float, self->n_params);
  s.decay = g_new0 (guint8, self->n_params);
  s.best_params = g_new (float, self->n_params);
  s.best_running = g_new (float, self->n_running);
  s.order = g_new (guint, train->n_rows);
  for (guint b = 0; b < n_blocks; b++)
    memset (s.decay + self->off_conv[b], 1, self->off_gamma[b] - self->off_conv[b]);
  memset (s.decay + self->off_dense_w, 1, self->off_dense_b - self->off_dense_w);
  for (guint i = 0; i < train->n_rows; i++)
    s.order[i] = i;
  lr_history = g_array_new (FALSE, FALSE, sizeof (float));

  openblas_set_num_threads (request->n_threads != 0 ? (int) request->n_threads : 2);

  for (guint epoch = 0; epoch < epochs && ok; epoch++)
    {
      double train_loss = 0.0, train_w = 0.0, valid_loss = NAN, valid_acc = NAN;
      float lr_f = (float) lr;

      for (guint i = train->n_rows - 1; i > 0; i--)
        {
          guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1);
          guint tmp = s.order[i];

          s.order[i] = s.order[j];
          s.order[j] = tmp;
        }

      for (guint start = 0; start < train->n_rows; start += batch)
        {
          guint n = MIN (batch, train->n_rows - start);
          double bw = 0.0;

          if (g_cancellable_is_cancelled (request->cancellable))
            {
              ok = FALSE;
              break;
            }
          for (guint i = 0; i < n; i++)
            {
              guint row = s.order[start + i];

              memcpy (work->input + i * nf, train->x + row * nf, nf * sizeof (float));
              work->labels[i] = train->y[row];
              work->weights[i] = train->weight != NULL ? train->weight[row] : 1.0f;
              bw += work->weights[i];
            }
          if (hyper[P_SPECAUGMENT] != 0.0)
            for (guint i = 0; i < n; i++)
              spec_augment (self, work->input + i * nf, aug_rand);
          if (request->augment != NULL)
            request->augment (work->input, n, height, width, aug_rand, request->augment_data);

          cnn_forward (self, work, n, TRUE, rand, NULL);
          train_loss += bw * cradle_cnn_softmax_xent (work->logits, n, k, work->labels,
                                                      work->weights, NULL, work->dlogits);
          train_w += bw;
          cnn_backward (self, work, n, s.grad);
          adam_step (self, &s, ++t, lr);
        }
      if (!ok)
        break;
      g_array_append_val (lr_history, lr_f);
      train_loss = train_w > 0.0 ? train_loss / train_w : NAN;

      if (valid != NULL)
        {
          valid_loss = cnn_evaluate (self, work, valid->x, valid->n_rows, valid->y,
                                     valid->weight, NULL, &valid_acc);
          /* improvement: relative 1e-4, as PyTorch's ReduceLROnPlateau */
          if (epoch == 0 || valid_loss < best_loss * (1.0 - 1e-4) ||
              (isnan (best_loss) && !isnan (valid_loss)))
            {
              best_loss = valid_loss;
              best_epoch = epoch;
              since_best = since_lr = 0;
              memcpy (s.best_params, self->params, self->n_params * sizeof (float));
              memcpy (s.best_running, self->running, self->n_running * sizeof (float));
            }
          else
            {
              since_best++;
              since_lr++;
              if (since_lr >= (guint) hyper[P_PLATEAU_PATIENCE] && lr > hyper[P_MIN_LR])
                {
                  lr = MAX (lr * hyper[P_LR_FACTOR], hyper[P_MIN_LR]);
                  since_lr = 0;
                }
            }
        }
      else
        {
          best_epoch = epoch;
        }

      if (request->progress != NULL &&
          !request->progress (epoch + 1, epochs, train_loss, valid_loss, valid_acc,
                              request->user_data))
        break;
      if (valid != NULL && since_best >= (guint) hyper[P_PATIENCE])
        break;
    }

  openblas_set_num_threads (old_threads);

  if (!ok || g_cancellable_is_cancelled (request->cancellable))
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED,
                           "Training the cnn was cancelled");
      return NULL;
    }

  if (valid != NULL && lr_history->len > 0)
    {
      memcpy (self->params, s.best_params, self->n_params * sizeof (float));
      memcpy (self->running, s.best_running, self->n_running * sizeof (float));
    }
  for (gsize i = 0; i < self->n_params; i++)
    if (!isfinite (self->params[i]))
      {
        g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_TRAIN,
                     "Training the cnn diverged (weights are not finite); try a lower “lr”");
        return NULL;
      }
  self->n_epochs_run = lr_history->len;
  self->best_epoch = best_epoch;
  self->lr_history = (float *) g_array_free (g_steal_pointer (&lr_history), FALSE);
  return &((CradleCnn *) g_steal_pointer (&self))->parent;
}

/* ---- the vtable ------------------------------------------------------ */

static void
cnn_predict_proba (CradleClassifier *classifier,
                   const float      *x,
                   guint             n_rows,
                   float            *proba)
{
  CradleCnn *self = (CradleCnn *) classifier;
  g_autoptr(CnnWork) work = NULL;

  if (n_rows == 0)
    return;
  work = cnn_work_new (self, MIN (n_rows, CNN_PREDICT_BATCH), FALSE);
  cnn_evaluate (self, work, x, n_rows, NULL, NULL, proba, NULL);
}

static void
append_u32 (GByteArray *out,
            guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (out, (const guint8 *) &le, 4);
}

static void
append_f64 (GByteArray *out,
            double      v)
{
  guint64 bits;

  memcpy (&bits, &v, 8);
  bits = GUINT64_TO_LE (bits);
  g_byte_array_append (out, (const guint8 *) &bits, 8);
}

static void
append_f32s (GByteArray  *out,
             const float *v,
             gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, &v[i], 4);
      append_u32 (out, bits);
    }
}

static gboolean
cnn_serialize (CradleClassifier *classifier,
               GByteArray       *out,
               GError          **error)
{
  CradleCnn *self = (CradleCnn *) classifier;

  g_byte_array_append (out, (const guint8 *) CNN_MAGIC, 4);
  append_u32 (out, CNN_VERSION);
  append_u32 (out, classifier->height);
  append_u32 (out, classifier->width);
  append_u32 (out, classifier->n_classes);
  append_u32 (out, self->n_blocks);
  for (guint b = 0; b < self->n_blocks; b++)
    append_u32 (out, self->channels[b]);
  append_u32 (out, N_HYPER);
  for (guint i = 0; i < N_HYPER; i++)
    append_f64 (out, self->hyper[i]);
  append_u32 (out, (guint32) self->n_params);
  append_u32 (out, (guint32) self->n_running);
  append_f32s (out, self->params, self->n_params);
  append_f32s (out, self->running, self->n_running);
  return TRUE;
}

typedef struct {
  const guint8 *p;
  gsize         left;
} Reader;

static gboolean
read_u32 (Reader  *r,
          guint32 *v)
{
  guint32 le;

  if (r->left < 4)
    return FALSE;
  memcpy (&le, r->p, 4);
  *v = GUINT32_FROM_LE (le);
  r->p += 4;
  r->left -= 4;
  return TRUE;
}

static gboolean
read_f64 (Reader *r,
          double *v)
{
  guint64 bits;

  if (r->left < 8)
    return FALSE;
  memcpy (&bits, r->p, 8);
  bits = GUINT64_FROM_LE (bits);
  memcpy (v, &bits, 8);
  r->p += 8;
  r->left -= 8;
  return TRUE;
}

static gboolean
read_f32s (Reader *r,
           float  *v,
           gsize   n)
{
  if (r->left / 4 < n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, r->p + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&v[i], &bits, 4);
    }
  r->p += 4 * n;
  r->left -= 4 * n;
  return TRUE;
}

static CradleClassifier *
corrupt (GError    **error,
         const char *what)
{
  g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT,
               "The cnn section of the model is corrupt: %s", what);
  return NULL;
}

static gboolean
finite_bounded (const float *v,
                gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]) || fabsf (v[i]) > CNN_MAX_ABS)
      return FALSE;
  return TRUE;
}

static CradleClassifier *
cnn_deserialize (const guint8 *data,
                 gsize         length,
                 guint         n_features,
                 guint         height,
                 guint         width,
                 guint         n_classes,
                 GError      **error)
{
  Reader r = { data, length };
  guint32 version, h, w, k, n_blocks, n_hyper, n_params, n_running;
  guint channels[CNN_MAX_BLOCKS];
  double hyper[N_HYPER];
  CradleCnn probe = { 0 };
  g_autoptr(CradleCnn) self = NULL;

  if (length < 4 || memcmp (data, CNN_MAGIC, 4) != 0)
    return corrupt (error, "it does not start with “" CNN_MAGIC "”");
  r.p += 4;
  r.left -= 4;
  if (!read_u32 (&r, &version) || !read_u32 (&r, &h) || !read_u32 (&r, &w) ||
      !read_u32 (&r, &k) || !read_u32 (&r, &n_blocks))
    return corrupt (error, "the header is cut short");
  if (version != CNN_VERSION)
    return corrupt (error, "unknown version");
  if (h != height || w != width || k != n_classes || height == 0 || width == 0 ||
      n_features != height * width || n_classes < 2 || n_classes > 65536)
    return corrupt (error, "its input or class count does not match the model's");
  if (n_blocks < 1 || n_blocks > CNN_MAX_BLOCKS || (h >> n_blocks) == 0 || (w >> n_blocks) == 0)
    return corrupt (error, "bad block count");
  for (guint b = 0; b < n_blocks; b++)
    {
      guint32 c;

      if (!read_u32 (&r, &c))
        return corrupt (error, "the channel list is cut short");
      if (c < 1 || c > CNN_MAX_CHANNELS)
        return corrupt (error, "bad channel count");
      channels[b] = c;
    }
  if (!read_u32 (&r, &n_hyper) || n_hyper != N_HYPER)
    return corrupt (error, "bad hyperparameter count");
  for (guint i = 0; i < N_HYPER; i++)
    {
      const CnnHyperSpec *s = &hyper_specs[i];

      if (!read_f64 (&r, &hyper[i]))
        return corrupt (error, "the hyperparameters are cut short");
      if (!(hyper[i] >= s->min && hyper[i] <= s->max) ||
          (s->is_uint && hyper[i] != floor (hyper[i])))
        return corrupt (error, "a hyperparameter is out of range");
    }

  /* the sizes the architecture implies, checked before allocating */
  probe.parent.height = h;
  probe.parent.width = w;
  probe.parent.n_classes = k;
  probe.n_blocks = n_blocks;
  memcpy (probe.channels, channels, n_blocks * sizeof (guint));
  cnn_layout (&probe);
  if (!read_u32 (&r, &n_params) || !read_u32 (&r, &n_running) ||
      n_params != probe.n_params || n_running != probe.n_running)
    return corrupt (error, "the weight counts do not match the architecture");
  if (r.left != ((gsize) n_params + n_running) * 4)
    return corrupt (error, "its length does not match the architecture");
  self = cnn_new (h, w, k, hyper, n_blocks, channels);
  read_f32s (&r, self->params, n_params);
  read_f32s (&r, self->running, n_running);
  if (!finite_bounded (self->params, n_params) || !finite_bounded (self->running, n_running))
    return corrupt (error, "a weight is not finite or out of range");
  for (guint b = 0; b < n_blocks; b++)
    for (guint c = 0; c < channels[b]; c++)
      if (self->running[self->off_rvar[b] + c] < 0.0f)
        return corrupt (error, "a running variance is negative");
  return &((CradleCnn *) g_steal_pointer (&self))->parent;
}

static GHashTable *
cnn_get_params (CradleClassifier *classifier)
{
  CradleCnn *self = (CradleCnn *) classifier;
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GString *channels = g_string_new (NULL);

  for (guint b = 0; b < self->n_blocks; b++)
    g_string_append_printf (channels, "%s%u", b > 0 ? "," : "", self->channels[b]);
  g_hash_table_insert (params, g_strdup ("channels"), g_string_free (channels, FALSE));
  for (guint i = 0; i < N_HYPER; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (hyper_specs[i].is_uint)
        g_hash_table_insert (params, g_strdup (hyper_specs[i].name),
                             g_strdup_printf ("%u", (guint) self->hyper[i]));
      else
        g_hash_table_insert (params, g_strdup (hyper_specs[i].name),
                             g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", self->hyper[i])));
    }
  return params;
}

const float *
cradle_cnn_get_lr_history (CradleClassifier *classifier,
                           guint            *n_epochs,
                           guint            *best_epoch)
{
  CradleCnn *self = (CradleCnn *) classifier;

  g_return_val_if_fail (classifier != NULL && classifier->vtable == &cradle_cnn_vtable, NULL);

  *n_epochs = self->n_epochs_run;
  *best_epoch = self->best_epoch;
  return self->lr_history;
}

CradleClassifier *
cradle_cnn_test_new (guint        height,
                     guint        width,
                     guint        n_classes,
                     guint        n_blocks,
                     const guint *channels,
                     double       dropout,
                     guint32      seed)
{
  double hyper[N_HYPER];
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  CradleCnn *self;

  g_return_val_if_fail (n_blocks >= 1 && n_blocks <= CNN_MAX_BLOCKS, NULL);

  for (guint i = 0; i < N_HYPER; i++)
    hyper[i] = hyper_specs[i].def;
  hyper[P_DROPOUT] = dropout;
  self = cnn_new (height, width, n_classes, hyper, n_blocks, channels);
  cnn_init_params (self, rand);
  return &self->parent;
}

float *
cradle_cnn_test_params (CradleClassifier *classifier,
                        gsize            *n_params)
{
  CradleCnn *self = (CradleCnn *) classifier;

  *n_params = self->n_params;
  return self->params;
}

double
cradle_cnn_test_loss_grad (CradleClassifier *classifier,
                           const float      *x,
                           guint             n,
                           const guint      *y,
                           const float      *weight,
                           const float      *mask,
                           float            *grad)
{
  CradleCnn *self = (CradleCnn *) classifier;
  g_autoptr(CnnWork) work = cnn_work_new (self, n, TRUE);
  double loss;

  memcpy (work->input, x, (gsize) n * classifier->n_features * sizeof (float));
  cnn_forward (self, work, n, TRUE, NULL, mask);
  loss = cradle_cnn_softmax_xent (work->logits, n, classifier->n_classes, y, weight, NULL,
                                  work->dlogits);
  if (grad != NULL)
    cnn_backward (self, work, n, grad);
  return loss;
}

const CradleClassifierVTable cradle_cnn_vtable = {
  .kind = CRADLE_MODEL_CNN,
  .param_help = cnn_param_help,
  .train = cnn_train,
  .predict_proba = cnn_predict_proba,
  .serialize = cnn_serialize,
  .deserialize = cnn_deserialize,
  .get_params = cnn_get_params,
  .feature_importance = NULL,
  .free = cnn_free,
};
