/* test-cnn.c — the CNN: layer gradients, learning, the payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "cradle-cnn-private.h"
#include "cradle-test-util.h"

extern void openblas_set_num_threads (int n);

/* ---- numerical gradient checks ----------------------------------------
 *
 * The layers compute in float; each check's loss is Σ out · R (R fixed
 * random) accumulated in double, differentiated by central differences
 * with step EPS. Relative error |analytic − numeric| / max(|analytic|,
 * |numeric|, FLOOR) must stay below 1e-2 for every element; FLOOR (1e-3)
 * keeps gradients that are zero up to float rounding from counting. Inputs of
 * ReLU and max pool are kept EPS-far from their kinks. The chain (the
 * whole network) uses a step of 1.5e-3: larger steps switch max-pool
 * winners, smaller ones drown in float rounding. */

#define GRAD_TOL   1e-2
#define GRAD_FLOOR 1e-3

typedef double (*LossFunc) (gpointer data);

static float *
random_array (GRand *rand,
              gsize  n,
              double sd)
{
  float *v = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    v[i] = (float) (sd * (2.0 * g_rand_double (rand) - 1.0) * 1.7320508);
  return v;
}

static double
dot (const float *a,
     const float *b,
     gsize        n)
{
  double s = 0.0;

  for (gsize i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

static void
check_gradient (const char  *what,
                float       *param,
                gsize        n,
                const float *analytic,
                LossFunc     loss,
                gpointer     data,
                double       eps,
                double       floor_)
{
  double worst = 0.0;
  gsize worst_i = 0;

  for (gsize i = 0; i < n; i++)
    {
      float save = param[i];
      float hi = (float) (save + eps), lo = (float) (save - eps);
      double lp, lm, num, rel;

      param[i] = hi;
      lp = loss (data);
      param[i] = lo;
      lm = loss (data);
      param[i] = save;
      num = (lp - lm) / ((double) hi - lo);
      rel = fabs (num - analytic[i]) / MAX (MAX (fabs (num), fabs (analytic[i])), floor_);
      if (rel > worst)
        {
          worst = rel;
          worst_i = i;
        }
    }
  g_test_message ("gradient %-22s %4" G_GSIZE_FORMAT " values, worst relative error %.2e",
                  what, n, worst);
  if (worst >= GRAD_TOL)
    g_error ("gradient of %s[%" G_GSIZE_FORMAT "]: relative error %.3e (analytic %.6g)", what,
             worst_i, worst, analytic[worst_i]);
}

/* conv: 2 images of 2 channels, 5 × 4, to 3 channels */
typedef struct {
  guint  n, c_in, c_out, h, w;
  float *x, *weight, *bias, *y, *r, *col, *dcol;
  gsize  col_size;
} ConvCase;

static double
conv_loss (gpointer data)
{
  ConvCase *c = data;

  cradle_cnn_conv_forward (c->x, c->n, c->c_in, c->h, c->w, c->weight, c->bias, c->c_out,
                           c->col, c->col_size, c->y);
  return dot (c->y, c->r, (gsize) c->c_out * c->n * c->h * c->w);
}

static void
test_grad_conv (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  ConvCase c = { 2, 2, 3, 5, 4 };
  gsize nx = (gsize) c.n * c.c_in * c.h * c.w, ny = (gsize) c.n * c.c_out * c.h * c.w;
  gsize nw = (gsize) c.c_out * c.c_in * 9;
  g_autofree float *dw = g_new (float, nw);
  g_autofree float *db = g_new (float, c.c_out);
  g_autofree float *dx = g_new (float, nx);
  g_autofree float *y_big = g_new (float, ny);
  g_autofree float *col_big = NULL;

  c.x = random_array (rand, nx, 1.0);
  c.weight = random_array (rand, nw, 0.5);
  c.bias = random_array (rand, c.c_out, 0.5);
  c.y = g_new (float, ny);
  c.r = random_array (rand, ny, 1.0);
  /* one image per GEMM: the weight gradient accumulates over chunks */
  c.col_size = cradle_cnn_conv_col_min (c.c_in, c.h, c.w);
  c.col = g_new (float, c.col_size);
  c.dcol = g_new (float, c.col_size);

  cradle_cnn_conv_backward (c.x, c.r, c.n, c.c_in, c.h, c.w, c.weight, c.c_out, c.col, c.dcol,
                            c.col_size, dw, db, dx);
  check_gradient ("conv weight", c.weight, nw, dw, conv_loss, &c, 1e-2, GRAD_FLOOR);
  check_gradient ("conv bias", c.bias, c.c_out, db, conv_loss, &c, 1e-2, GRAD_FLOOR);
  check_gradient ("conv input", c.x, nx, dx, conv_loss, &c, 1e-2, GRAD_FLOOR);

  /* both images in one GEMM: the same output bit for bit */
  conv_loss (&c);
  col_big = g_new (float, 2 * c.col_size);
  cradle_cnn_conv_forward (c.x, c.n, c.c_in, c.h, c.w, c.weight, c.bias, c.c_out, col_big,
                           2 * c.col_size, y_big);
  g_assert_cmpmem (c.y, ny * sizeof (float), y_big, ny * sizeof (float));

  g_free (c.x);
  g_free (c.weight);
  g_free (c.bias);
  g_free (c.y);
  g_free (c.r);
  g_free (c.col);
  g_free (c.dcol);
}

/* batch norm, training mode: 3 channels of 40 values */
typedef struct {
  guint  c;
  gsize  m;
  float *x, *gamma, *beta, *y, *r, mean[3], var[3], inv_std[3];
} BnCase;

static double
bn_loss (gpointer data)
{
  BnCase *b = data;

  cradle_cnn_bn_forward_train (b->x, b->c, b->m, b->gamma, b->beta, b->mean, b->var,
                               b->inv_std, b->y);
  return dot (b->y, b->r, b->c * b->m);
}

static void
test_grad_batchnorm (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  BnCase b = { 3, 40 };
  float dgamma[3], dbeta[3];
  g_autofree float *dx = g_new (float, 3 * 40);

  b.x = random_array (rand, b.c * b.m, 2.0);
  for (gsize i = 0; i < b.m; i++)
    b.x[i] += 3.0f;  /* a channel off-centre */
  b.gamma = random_array (rand, b.c, 1.0);
  b.beta = random_array (rand, b.c, 1.0);
  b.y = g_new (float, b.c * b.m);
  b.r = random_array (rand, b.c * b.m, 1.0);

  bn_loss (&b);
  cradle_cnn_bn_backward (b.x, b.r, b.c, b.m, b.gamma, b.mean, b.inv_std, dgamma, dbeta, dx);
  check_gradient ("batchnorm gamma", b.gamma, b.c, dgamma, bn_loss, &b, 1e-2, GRAD_FLOOR);
  check_gradient ("batchnorm beta", b.beta, b.c, dbeta, bn_loss, &b, 1e-2, GRAD_FLOOR);
  check_gradient ("batchnorm input", b.x, b.c * b.m, dx, bn_loss, &b, 1e-2, GRAD_FLOOR);

  /* the batch statistics are the biased mean and variance */
  bn_loss (&b);
  for (guint ci = 0; ci < b.c; ci++)
    {
      double s = 0.0, s2 = 0.0;

      for (gsize i = 0; i < b.m; i++)
        s += b.x[ci * b.m + i];
      for (gsize i = 0; i < b.m; i++)
        s2 += pow (b.x[ci * b.m + i] - s / b.m, 2.0);
      g_assert_cmpfloat_with_epsilon (b.mean[ci], s / b.m, 1e-5);
      g_assert_cmpfloat_with_epsilon (b.var[ci], s2 / b.m, 1e-4);
    }

  /* inference: the running statistics in place of the batch's */
  {
    float rmean[3] = { 0.5f, -1.0f, 2.0f }, rvar[3] = { 4.0f, 0.25f, 1.0f };

    cradle_cnn_bn_forward_eval (b.x, b.c, b.m, b.gamma, b.beta, rmean, rvar, b.y);
    for (guint ci = 0; ci < b.c; ci++)
      for (gsize i = 0; i < b.m; i += 7)
        g_assert_cmpfloat_with_epsilon (b.y[ci * b.m + i],
                                        b.gamma[ci] * (b.x[ci * b.m + i] - rmean[ci]) /
                                          sqrt (rvar[ci] + CRADLE_CNN_BN_EPS) + b.beta[ci],
                                        1e-5);
  }

  g_free (b.x);
  g_free (b.gamma);
  g_free (b.beta);
  g_free (b.y);
  g_free (b.r);
}

/* elementwise and pooling layers on one array */
typedef struct {
  float   *x, *y, *r, *mask;
  guint32 *argmax;
  gsize    n, n_out;
  int      kind;  /* 0 ReLU, 1 max pool, 2 GAP, 3 dropout */
} PointCase;

#define POOL_PLANES 6
#define POOL_H      5
#define POOL_W      4

static double
point_loss (gpointer data)
{
  PointCase *p = data;

  switch (p->kind)
    {
    case 0:
      cradle_cnn_relu_forward (p->x, p->n, p->y);
      break;
    case 1:
      cradle_cnn_maxpool_forward (p->x, POOL_PLANES, POOL_H, POOL_W, p->y, p->argmax);
      break;
    case 2:
      cradle_cnn_gap_forward (p->x, 3, 2, POOL_H * POOL_W, p->y);
      break;
    default:
      cradle_cnn_dropout_apply (p->x, p->mask, p->n, p->y);
      break;
    }
  return dot (p->y, p->r, p->n_out);
}

static void
test_grad_pointwise (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const char *names[] = { "relu input", "maxpool input", "avgpool input", "dropout input" };
  gsize n = POOL_PLANES * POOL_H * POOL_W;

  for (int kind = 0; kind < 4; kind++)
    {
      PointCase p = { 0 };
      g_autofree float *dx = g_new (float, n);

      p.kind = kind;
      p.n = n;
      p.n_out = kind == 1 ? POOL_PLANES * (POOL_H / 2) * (POOL_W / 2) : kind == 2 ? 6 : n;
      p.x = g_new (float, n);
      /* distinct values at least 0.1 apart, none near 0 */
      for (gsize i = 0; i < n; i++)
        p.x[i] = (float) (((i * 37) % n) - n / 2.0 + 0.5) * 0.1f;
      p.y = g_new (float, n);
      p.r = random_array (rand, p.n_out, 1.0);
      p.argmax = g_new (guint32, n);
      p.mask = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        p.mask[i] = g_rand_double (rand) < 0.3 ? 0.0f : 1.0f / 0.7f;

      point_loss (&p);
      switch (kind)
        {
        case 0:
          cradle_cnn_relu_backward (p.y, p.r, n, dx);
          break;
        case 1:
          cradle_cnn_maxpool_backward (p.r, p.argmax, POOL_PLANES, POOL_H, POOL_W, dx);
          break;
        case 2:
          cradle_cnn_gap_backward (p.r, 3, 2, POOL_H * POOL_W, dx);
          break;
        default:
          cradle_cnn_dropout_apply (p.r, p.mask, n, dx);
          break;
        }
      check_gradient (names[kind], p.x, n, dx, point_loss, &p, 1e-2, GRAD_FLOOR);
      g_free (p.x);
      g_free (p.y);
      g_free (p.r);
      g_free (p.argmax);
      g_free (p.mask);
    }
}

/* dense: 3 rows of 4 to 3 */
typedef struct {
  float *x, *weight, *bias, *y, *r;
} DenseCase;

static double
dense_loss (gpointer data)
{
  DenseCase *d = data;

  cradle_cnn_dense_forward (d->x, 3, 4, d->weight, d->bias, 3, d->y);
  return dot (d->y, d->r, 9);
}

static void
test_grad_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  DenseCase d;
  float dw[12], db[3], dx[12];

  d.x = random_array (rand, 12, 1.0);
  d.weight = random_array (rand, 12, 1.0);
  d.bias = random_array (rand, 3, 1.0);
  d.y = g_new (float, 9);
  d.r = random_array (rand, 9, 1.0);
  cradle_cnn_dense_backward (d.x, d.r, 3, 4, d.weight, 3, dw, db, dx);
  check_gradient ("dense weight", d.weight, 12, dw, dense_loss, &d, 1e-2, GRAD_FLOOR);
  check_gradient ("dense bias", d.bias, 3, db, dense_loss, &d, 1e-2, GRAD_FLOOR);
  check_gradient ("dense input", d.x, 12, dx, dense_loss, &d, 1e-2, GRAD_FLOOR);
  g_free (d.x);
  g_free (d.weight);
  g_free (d.bias);
  g_free (d.y);
  g_free (d.r);
}

/* softmax + weighted cross-entropy: 4 rows of 3 classes */
typedef struct {
  float *logits;
  guint  y[4];
  float  weight[4];
} XentCase;

static double
xent_loss (gpointer data)
{
  XentCase *x = data;

  return cradle_cnn_softmax_xent (x->logits, 4, 3, x->y, x->weight, NULL, NULL);
}

static void
test_grad_softmax_xent (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  XentCase x = { NULL, { 0, 2, 1, 2 }, { 1.0f, 3.0f, 0.5f, 1.0f } };
  float dlogits[12], proba[12];
  float huge[3] = { 1e30f, -1e30f, 0.0f };
  float bad[3] = { NAN, 0.0f, 1.0f };
  guint y0 = 0;
  double loss;

  x.logits = random_array (rand, 12, 2.0);
  loss = cradle_cnn_softmax_xent (x.logits, 4, 3, x.y, x.weight, proba, dlogits);
  check_gradient ("softmax+xent logits", x.logits, 12, dlogits, xent_loss, &x, 1e-2, GRAD_FLOOR);

  /* the loss by hand: Σ w·(−log p_y) / Σ w */
  {
    double want = 0.0;

    for (guint i = 0; i < 4; i++)
      want += x.weight[i] * -log (proba[i * 3 + x.y[i]]);
    g_assert_cmpfloat_with_epsilon (loss, want / 5.5, 1e-6);
  }
  /* stable for huge logits; uniform for a row that is not finite */
  cradle_cnn_softmax_xent (huge, 1, 3, &y0, NULL, proba, NULL);
  g_assert_cmpfloat (proba[0], ==, 1.0f);
  cradle_cnn_softmax_xent (bad, 1, 3, &y0, NULL, proba, NULL);
  g_assert_cmpfloat_with_epsilon (proba[1], 1.0 / 3.0, 1e-7);
  g_free (x.logits);
}

/* The whole network, through cradle-cnn.c's own forward and backward:
 * 3 images of 12 × 10, two blocks (2 and 3 channels), dropout with a fixed
 * mask, batch norm in training mode, class weights. */
typedef struct {
  CradleClassifier *cnn;
  float            *x;
  guint             y[3];
  float             weight[3];
  float             mask[9];
} ChainCase;

static double
chain_loss (gpointer data)
{
  ChainCase *c = data;

  return cradle_cnn_test_loss_grad (c->cnn, c->x, 3, c->y, c->weight, c->mask, NULL);
}

static void
test_grad_chain (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  const guint channels[] = { 2, 3 };
  ChainCase c = { NULL, NULL, { 0, 1, 2 }, { 1.0f, 2.0f, 0.5f },
                  { 2.0f, 0.0f, 2.0f, 2.0f, 2.0f, 0.0f, 0.0f, 2.0f, 2.0f } };
  g_autofree float *grad = NULL;
  float *params;
  gsize n_params;
  /* the parameter vector: conv 2×1×9, γ 2, β 2, conv 3×2×9, γ 3, β 3, dense 3×3, bias 3 */
  const struct { const char *name; gsize len; } parts[] = {
    { "chain conv1 weight", 18 }, { "chain bn1 gamma", 2 }, { "chain bn1 beta", 2 },
    { "chain conv2 weight", 54 }, { "chain bn2 gamma", 3 }, { "chain bn2 beta", 3 },
    { "chain dense weight", 9 }, { "chain dense bias", 3 },
  };
  gsize off = 0;

  c.cnn = cradle_cnn_test_new (12, 10, 3, 2, channels, 0.5, 7);
  params = cradle_cnn_test_params (c.cnn, &n_params);
  g_assert_cmpuint (n_params, ==, 94);
  /* β away from 0 and γ away from 1 so that every term matters */
  for (gsize i = 0; i < n_params; i++)
    params[i] += (float) (0.3 * (g_rand_double (rand) - 0.5));
  c.x = random_array (rand, 3 * 120, 1.0);
  grad = g_new (float, n_params);
  cradle_cnn_test_loss_grad (c.cnn, c.x, 3, c.y, c.weight, c.mask, grad);
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      check_gradient (parts[p].name, params + off, parts[p].len, grad + off, chain_loss, &c,
                      1.5e-3, GRAD_FLOOR);
      off += parts[p].len;
    }
  g_assert_cmpuint (off, ==, n_params);
  cradle_cnn_vtable.free (c.cnn);
  g_free (c.x);
}

/* ---- training on synthetic spectrograms ------------------------------- */

#define SIDE 32

/* Class 0: a horizontal line (a steady tone), 1: a rising chirp, 2: a
 * falling one, each at a random place, amplitude AMP, in unit noise. */
static void
make_images (guint    n,
             guint    n_classes,
             double   amp,
             guint32  seed,
             float  **x,
             guint  **y)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  *x = g_new (float, (gsize) n * SIDE * SIDE);
  *y = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      float *img = *x + (gsize) i * SIDE * SIDE;
      guint cls = i % n_classes;
      int start = g_rand_int_range (rand, 0, SIDE / 2);
      int band = g_rand_int_range (rand, 4, SIDE - 4);

      (*y)[i] = cls;
      for (guint j = 0; j < SIDE * SIDE; j++)
        {
          double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);

          img[j] = (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
        }
      for (int t = start; t < start + SIDE / 2; t++)
        {
          int f = cls == 0 ? band : cls == 1 ? t : SIDE - 1 - t;

          img[t * SIDE + f] += (float) amp;
          if (f + 1 < SIDE)
            img[t * SIDE + f + 1] += (float) amp;
        }
    }
}

typedef struct {
  guint   n_epochs;
  guint   cancel_at;    /* cancel the cancellable at this epoch (0: never) */
  guint   stop_at;      /* return FALSE at this epoch (0: never) */
  GCancellable *cancellable;
  double  last_valid_acc;
  double  last_train_loss;
} Progress;

static gboolean
on_progress (guint    step,
             guint    n_steps,
             double   train_loss,
             double   valid_loss,
             double   valid_accuracy,
             gpointer user_data)
{
  Progress *p = user_data;

  g_test_message ("epoch %u/%u: train loss %.4f, valid loss %.4f, valid accuracy %.3f",
                  step, n_steps, train_loss, valid_loss, valid_accuracy);
  g_assert_true (isfinite (train_loss));
  p->n_epochs = step;
  p->last_valid_acc = valid_accuracy;
  p->last_train_loss = train_loss;
  if (p->cancel_at == step)
    g_cancellable_cancel (p->cancellable);
  return p->stop_at != step;
}

static GHashTable *
params_new (const char *first,
            ...)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list ap;

  va_start (ap, first);
  for (const char *name = first; name != NULL; name = va_arg (ap, const char *))
    g_hash_table_insert (params, g_strdup (name), g_strdup (va_arg (ap, const char *)));
  va_end (ap);
  return params;
}

static CradleClassifier *
train_cnn (const CradleMatrix *train,
           const CradleMatrix *valid,
           guint               n_classes,
           GHashTable         *params,
           guint32             seed,
           Progress           *progress,
           GError            **error)
{
  CradleTrainRequest req = {
    .train = train,
    .valid = valid,
    .n_classes = n_classes,
    .seed = seed,
    .params = params,
    .n_threads = 1,
    .progress = progress != NULL ? on_progress : NULL,
    .user_data = progress,
    .cancellable = progress != NULL ? progress->cancellable : NULL,
  };

  return cradle_cnn_vtable.train (&req, error);
}

static CradleMatrix
matrix (const float *x,
        const guint *y,
        const float *weight,
        guint        n)
{
  CradleMatrix m = { n, SIDE * SIDE, SIDE, SIDE, x, y, weight };

  return m;
}

static double
accuracy_of (CradleClassifier *cnn,
             const float      *x,
             const guint      *y,
             guint             n,
             guint             k,
             guint             only_class,  /* G_MAXUINT: all */
             float            *proba)
{
  guint right = 0, total = 0;

  cradle_cnn_vtable.predict_proba (cnn, x, n, proba);
  for (guint i = 0; i < n; i++)
    {
      guint best = 0;
      double sum = 0.0;

      for (guint j = 0; j < k; j++)
        {
          g_assert_true (isfinite (proba[i * k + j]));
          sum += proba[i * k + j];
          if (proba[i * k + j] > proba[i * k + best])
            best = j;
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
      if (only_class != G_MAXUINT && y[i] != only_class)
        continue;
      total++;
      right += best == y[i];
    }
  return (double) right / total;
}

/* Three shapes, 210 training and 99 validation images: > 0.9 validation
 * accuracy within 12 epochs, the same seed gives the same model bit for
 * bit, and the payload round-trips exactly. */
static void
test_learns_shapes (void)
{
  g_autofree float *xt = NULL, *xv = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL;
  g_autofree guint *yt = NULL, *yv = NULL;
  g_autoptr(GHashTable) params = params_new ("epochs", "12", "channels", "8,16,32", "lr", "0.003", "batch", "16",
                                             "time_mask_width", "4", "freq_mask_width", "4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GByteArray) bytes2 = g_byte_array_new ();
  g_autoptr(GHashTable) got = NULL;
  CradleClassifier *a, *b, *c;
  CradleMatrix train, valid;
  Progress progress = { 0 };
  double acc;

  make_images (210, 3, 2.0, 11, &xt, &yt);
  make_images (99, 3, 2.0, 12, &xv, &yv);
  train = matrix (xt, yt, NULL, 210);
  valid = matrix (xv, yv, NULL, 99);

  a = train_cnn (&train, &valid, 3, params, 42, &progress, &error);
  g_assert_no_error (error);
  p1 = g_new (float, 99 * 3);
  acc = accuracy_of (a, xv, yv, 99, 3, G_MAXUINT, p1);
  g_test_message ("validation accuracy %.3f after %u epochs", acc, progress.n_epochs);
  g_assert_cmpfloat (acc, >, 0.9);

  got = cradle_cnn_vtable.get_params (a);
  g_assert_cmpstr (g_hash_table_lookup (got, "channels"), ==, "8,16,32");
  g_assert_cmpstr (g_hash_table_lookup (got, "epochs"), ==, "12");
  g_assert_cmpstr (g_hash_table_lookup (got, "lr"), ==, "0.003");
  g_assert_cmpstr (g_hash_table_lookup (got, "weight_decay"), ==, "0.0001");
  g_assert_cmpstr (g_hash_table_lookup (got, "dropout"), ==, "0.3");
  g_assert_null (cradle_cnn_vtable.feature_importance);

  /* same seed, same probabilities */
  b = train_cnn (&train, &valid, 3, params, 42, NULL, &error);
  g_assert_no_error (error);
  p2 = g_new (float, 99 * 3);
  cradle_cnn_vtable.predict_proba (b, xv, 99, p2);
  g_assert_cmpmem (p1, 99 * 3 * sizeof (float), p2, 99 * 3 * sizeof (float));

  /* serialize → deserialize → the same probabilities and bytes */
  g_assert_true (cradle_cnn_vtable.serialize (a, bytes, &error));
  g_assert_no_error (error);
  c = cradle_cnn_vtable.deserialize (bytes->data, bytes->len, SIDE * SIDE, SIDE, SIDE, 3,
                                     &error);
  g_assert_no_error (error);
  p3 = g_new (float, 99 * 3);
  cradle_cnn_vtable.predict_proba (c, xv, 99, p3);
  g_assert_cmpmem (p1, 99 * 3 * sizeof (float), p3, 99 * 3 * sizeof (float));
  g_assert_true (cradle_cnn_vtable.serialize (c, bytes2, &error));
  g_assert_cmpmem (bytes->data, bytes->len, bytes2->data, bytes2->len);
  g_clear_pointer (&got, g_hash_table_unref);
  got = cradle_cnn_vtable.get_params (c);
  g_assert_cmpstr (g_hash_table_lookup (got, "channels"), ==, "8,16,32");

  /* the wrong input shape or class count */
  g_assert_null (cradle_cnn_vtable.deserialize (bytes->data, bytes->len, SIDE * SIDE, SIDE, SIDE,
                                                4, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (cradle_cnn_vtable.deserialize (bytes->data, bytes->len, 16 * 64, 16, 64, 3,
                                                &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
  g_clear_error (&error);

  cradle_cnn_vtable.free (a);
  cradle_cnn_vtable.free (b);
  cradle_cnn_vtable.free (c);
}

/* Random labels: nothing to learn, so the validation loss stops improving;
 * training stops early, the learning rate drops on the plateau, and the
 * weights kept are the best epoch's. */
static void
test_early_stopping (void)
{
  g_autofree float *xt = NULL, *xv = NULL;
  g_autofree guint *yt = NULL, *yv = NULL;
  g_autoptr(GHashTable) params = params_new ("epochs", "30", "channels", "4,8",
                                             "patience", "4", "plateau_patience", "2",
                                             "lr", "0.01", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  CradleClassifier *cnn;
  CradleMatrix train, valid;
  Progress progress = { 0 };
  const float *lrs;
  guint n_epochs, best_epoch;
  gboolean dropped = FALSE;

  make_images (64, 2, 0.0, 21, &xt, &yt);
  make_images (32, 2, 0.0, 22, &xv, &yv);
  for (guint i = 0; i < 64; i++)
    yt[i] = g_rand_int_range (rand, 0, 2);
  train = matrix (xt, yt, NULL, 64);
  valid = matrix (xv, yv, NULL, 32);

  cnn = train_cnn (&train, &valid, 2, params, 1, &progress, &error);
  g_assert_no_error (error);
  lrs = cradle_cnn_get_lr_history (cnn, &n_epochs, &best_epoch);
  g_test_message ("stopped after %u epochs, best epoch %u", n_epochs, best_epoch + 1);
  g_assert_cmpuint (n_epochs, <, 30);
  g_assert_cmpuint (n_epochs, ==, progress.n_epochs);
  g_assert_cmpuint (n_epochs, ==, best_epoch + 1 + 4);
  g_assert_cmpfloat (lrs[0], ==, 0.01f);
  for (guint e = 1; e < n_epochs; e++)
    {
      g_assert_cmpfloat (lrs[e], <=, lrs[e - 1]);
      if (lrs[e] < lrs[e - 1])
        {
          g_assert_cmpfloat_with_epsilon (lrs[e], lrs[e - 1] * 0.5, 1e-9);
          dropped = TRUE;
        }
    }
  g_assert_true (dropped);
  cradle_cnn_vtable.free (cnn);
}

/* 180 lines vs 20 faint chirps: class weights (n / (2 n_class)) raise the
 * minority's recall on a balanced test set. */
static void
test_class_weights (void)
{
  g_autofree float *xt = NULL, *xv = NULL, *proba = NULL;
  g_autofree guint *yt = NULL, *yv = NULL;
  g_autofree float *weight = g_new (float, 200);
  g_autoptr(GHashTable) params = params_new ("epochs", "10", "channels", "8,16", "lr", "0.003",
                                             "batch", "16", "specaugment", "0", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree float *xi = g_new (float, (gsize) 200 * SIDE * SIDE);
  g_autofree guint *yi = g_new (guint, 200);
  CradleClassifier *plain, *weighted;
  CradleMatrix train;
  guint n = 0, n_min = 0;
  double r_plain, r_weighted;

  /* from a balanced pool, keep 180 of class 0 and 20 of class 1 */
  make_images (400, 2, 1.5, 31, &xt, &yt);
  for (guint i = 0; i < 400; i++)
    if ((yt[i] == 0 && n - n_min < 180) || (yt[i] == 1 && n_min < 20))
      {
        if (yt[i] == 1)
          n_min++;
        memcpy (xi + (gsize) n * SIDE * SIDE, xt + (gsize) i * SIDE * SIDE,
                SIDE * SIDE * sizeof (float));
        yi[n++] = yt[i];
      }
  g_assert_cmpuint (n_min, ==, 20);
  for (guint i = 0; i < n; i++)
    weight[i] = yi[i] == 1 ? n / (2.0f * n_min) : n / (2.0f * (n - n_min));
  make_images (200, 2, 1.5, 32, &xv, &yv);
  proba = g_new (float, 200 * 2);

  train = matrix (xi, yi, NULL, n);
  plain = train_cnn (&train, NULL, 2, params, 5, NULL, &error);
  g_assert_no_error (error);
  train = matrix (xi, yi, weight, n);
  weighted = train_cnn (&train, NULL, 2, params, 5, NULL, &error);
  g_assert_no_error (error);

  r_plain = accuracy_of (plain, xv, yv, 200, 2, 1, proba);
  r_weighted = accuracy_of (weighted, xv, yv, 200, 2, 1, proba);
  g_test_message ("minority recall: %.3f unweighted, %.3f with class weights", r_plain,
                  r_weighted);
  g_assert_cmpfloat (r_weighted, >, r_plain + 0.1);
  cradle_cnn_vtable.free (plain);
  cradle_cnn_vtable.free (weighted);
}

/* The progress callback stops training (a model comes back); cancelling
 * is CANCELLED. */
static void
test_stop_and_cancel (void)
{
  g_autofree float *xt = NULL;
  g_autofree guint *yt = NULL;
  g_autoptr(GHashTable) params = params_new ("epochs", "10", "channels", "4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CradleClassifier *cnn;
  CradleMatrix train;
  Progress progress = { 0 };
  const float *lrs;
  guint n_epochs, best;

  make_images (40, 2, 2.0, 41, &xt, &yt);
  train = matrix (xt, yt, NULL, 40);

  progress.stop_at = 2;
  cnn = train_cnn (&train, NULL, 2, params, 1, &progress, &error);
  g_assert_no_error (error);
  lrs = cradle_cnn_get_lr_history (cnn, &n_epochs, &best);
  g_assert_nonnull (lrs);
  g_assert_cmpuint (n_epochs, ==, 2);
  g_assert_cmpfloat (progress.last_valid_acc, !=, progress.last_valid_acc);  /* NAN */
  cradle_cnn_vtable.free (cnn);

  progress = (Progress) { .cancel_at = 1, .cancellable = cancellable };
  cnn = train_cnn (&train, NULL, 2, params, 1, &progress, &error);
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CANCELLED);
  g_assert_null (cnn);
}

static void
test_bad_params (void)
{
  const char *cases[][3] = {
    { "dropout", "1.5", "dropout" },
    { "lr", "-1", "lr" },
    { "batch", "0", "batch" },
    { "epochs", "many", "epochs" },
    { "channels", "8,x", "channels" },
    { "channels", "", "channels" },
    { "channels", "1,2,3,4,5,6,7", "channels" },
    { "channels", "8,8,8,8,8,8", "channels" },  /* 32 px halved 6 times */
    { "specaugment", "2", "specaugment" },
    { "no_such_thing", "1", "no_such_thing" },
  };
  g_autofree float *xt = NULL;
  g_autofree guint *yt = NULL;
  CradleMatrix train;

  make_images (8, 2, 2.0, 51, &xt, &yt);
  train = matrix (xt, yt, NULL, 8);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = params_new (cases[i][0], cases[i][1], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_null (train_cnn (&train, NULL, 2, params, 1, NULL, &error));
      g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
      if (strstr (error->message, cases[i][2]) == NULL)
        g_error ("%s=%s: “%s” does not name it", cases[i][0], cases[i][1], error->message);
    }

  /* bad data */
  {
    g_autoptr(GError) error = NULL;

    yt[3] = 2;
    g_assert_null (train_cnn (&train, NULL, 2, NULL, 1, NULL, &error));
    g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    yt[3] = 1;
    xt[5] = NAN;
    g_assert_null (train_cnn (&train, NULL, 2, NULL, 1, NULL, &error));
    g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
  }
}

/* Every truncation and 300 random mutations of a payload: an error, or a
 * model whose probabilities are finite and sum to 1. */
static void
test_deserialize_robust (void)
{
  g_autofree float *xt = NULL, *proba = g_new (float, 8 * 2);
  g_autofree guint *yt = NULL;
  g_autoptr(GHashTable) params = params_new ("epochs", "1", "channels", "4,8", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  g_autofree guint8 *copy = NULL;
  CradleClassifier *cnn;
  CradleMatrix train;
  guint n_loaded = 0;

  make_images (8, 2, 2.0, 61, &xt, &yt);
  train = matrix (xt, yt, NULL, 8);
  cnn = train_cnn (&train, NULL, 2, params, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_cnn_vtable.serialize (cnn, bytes, &error));
  cradle_cnn_vtable.free (cnn);

  for (guint len = 0; len < bytes->len; len++)
    {
      /* a copy of exactly LEN bytes, so ASan sees any overread */
      g_autofree guint8 *cut = g_memdup2 (bytes->data, MAX (len, 1));

      cnn = cradle_cnn_vtable.deserialize (cut, len, SIDE * SIDE, SIDE, SIDE, 2, &error);
      g_assert_null (cnn);
      g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
      g_clear_error (&error);
    }

  copy = g_malloc (bytes->len);
  for (guint m = 0; m < 300; m++)
    {
      guint n_changes = g_rand_int_range (rand, 1, 5);

      memcpy (copy, bytes->data, bytes->len);
      for (guint c = 0; c < n_changes; c++)
        {
          /* half the mutations in the header, where the sizes are */
          guint at = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 200)
                                           : g_rand_int_range (rand, 0, bytes->len);

          copy[at] = (guint8) g_rand_int_range (rand, 0, 256);
        }
      cnn = cradle_cnn_vtable.deserialize (copy, bytes->len, SIDE * SIDE, SIDE, SIDE, 2, &error);
      if (cnn == NULL)
        {
          g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_CORRUPT);
          g_clear_error (&error);
          continue;
        }
      n_loaded++;
      cradle_cnn_vtable.predict_proba (cnn, xt, 8, proba);
      for (guint i = 0; i < 8; i++)
        {
          g_assert_true (isfinite (proba[2 * i]) && isfinite (proba[2 * i + 1]));
          g_assert_cmpfloat_with_epsilon (proba[2 * i] + proba[2 * i + 1], 1.0, 1e-5);
        }
      cradle_cnn_vtable.free (cnn);
    }
  g_test_message ("%u of 300 mutated payloads loaded (and predicted finite probabilities)",
                  n_loaded);
}

/* ---- performance (-m perf): printed, never asserted ------------------ */

static void
time_epoch (guint height,
            guint width)
{
  guint n = 700;
  gsize nf = (gsize) height * width;
  g_autofree float *x = g_new (float, n * nf);
  g_autofree guint *y = g_new (guint, n);
  g_autoptr(GHashTable) params = params_new ("epochs", "2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GTimer) timer = g_timer_new ();
  CradleMatrix train = { n, (guint) nf, height, width, x, y, NULL };
  CradleTrainRequest req = { .train = &train, .n_classes = 2, .seed = 1, .params = params,
                             .n_threads = 2 };
  CradleClassifier *cnn;
  double train_s, predict_s;
  g_autofree float *proba = g_new (float, n * 2);

  for (gsize i = 0; i < n * nf; i++)
    x[i] = (float) (g_rand_double (rand) * 2.0 - 1.0);
  for (guint i = 0; i < n; i++)
    y[i] = i % 2;

  cnn = cradle_cnn_vtable.train (&req, &error);
  g_assert_no_error (error);
  train_s = g_timer_elapsed (timer, NULL);
  g_timer_start (timer);
  openblas_set_num_threads (2);
  cradle_cnn_vtable.predict_proba (cnn, x, n, proba);
  openblas_set_num_threads (1);
  predict_s = g_timer_elapsed (timer, NULL);
  g_test_minimized_result (train_s / 2,
                           "cnn default size, 700 images of %u x %u, 2 threads: %.2f s per "
                           "epoch; predicting them: %.2f s", height, width, train_s / 2,
                           predict_s);
  cradle_cnn_vtable.free (cnn);
}

static void
test_perf_epoch (void)
{
  time_epoch (157, 64);
  time_epoch (157, 128);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* one OpenBLAS thread: the machine is shared (training requests ask
   * for 1 too; the perf test asks for 2) */
  openblas_set_num_threads (1);

  g_test_add_func ("/core/cnn/grad/conv", test_grad_conv);
  g_test_add_func ("/core/cnn/grad/batchnorm", test_grad_batchnorm);
  g_test_add_func ("/core/cnn/grad/relu-pool-dropout", test_grad_pointwise);
  g_test_add_func ("/core/cnn/grad/dense", test_grad_dense);
  g_test_add_func ("/core/cnn/grad/softmax-xent", test_grad_softmax_xent);
  g_test_add_func ("/core/cnn/grad/chain", test_grad_chain);
  g_test_add_func ("/core/cnn/learns-shapes", test_learns_shapes);
  g_test_add_func ("/core/cnn/early-stopping", test_early_stopping);
  g_test_add_func ("/core/cnn/class-weights", test_class_weights);
  g_test_add_func ("/core/cnn/stop-and-cancel", test_stop_and_cancel);
  g_test_add_func ("/core/cnn/bad-params", test_bad_params);
  g_test_add_func ("/core/cnn/deserialize-robust", test_deserialize_robust);
  if (g_test_perf ())
    g_test_add_func ("/core/cnn/perf/epoch", test_perf_epoch);

  return g_test_run ();
}
