/* test-train.c — the Train page, driven on a real X server (Xvfb)
 *
 * Runs CradleApplication as the `cradle` program does, opens datasets made
 * here (synthetic tones and noise written as WAV files and imported through
 * the core import API, always; a small subset of ../shared/data/detection
 * when it is present), and drives the page through its actions: the empty
 * state says what is missing; logistic regression is cross-validated in the
 * page's worker and what the page shows — the confusion matrix, the ROC
 * AUCs — is compared with what core computes for the same options; a
 * confusion cell lists its recordings; a click on the ROC curve sets the
 * monitor's alert threshold; plots export to PNG, SVG and PDF, and the
 * evaluation to a report folder; a saved model appears in the registry and
 * activates for the monitor; a bad model file is refused with its name.
 * Screenshots go to $CRADLE_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cradle-application.h"
#include "cradle-audio.h"
#include "cradle-import.h"
#include "cradle-model-registry.h"
#include "cradle-plot-confusion.h"
#include "cradle-split.h"
#include "cradle-app-test-util.h"
#include "cradle-test-util.h"
#include "cradle-train-page.h"
#include "cradle-trainer.h"
#include "cradle-window.h"

#define WAIT_TIMEOUT_SECONDS  10
#define TRAIN_TIMEOUT_SECONDS 240

static CradleApplication *app;
static CradleWindow      *window;
static char              *data_home;

/* ---- Main loop helpers -------------------------------------------------------- */

static gboolean
page_is_idle (gpointer data)
{
  return !cradle_train_page_is_busy (data);
}

/* Answers DIALOG as its button would and waits until it is gone. */
static void
respond_and_wait (AdwMessageDialog *dialog,
                  const char       *response)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  adw_message_dialog_response (dialog, response);
  if (weak != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  cradle_app_test_iterate_until_timeout (cradle_app_test_pointer_is_cleared, &weak, "a dialog to be destroyed", WAIT_TIMEOUT_SECONDS);
}

/* ---- The window and the page ------------------------------------------------------ */

static void
ensure_window (void)
{
  if (window != NULL)
    return;
  g_application_activate (G_APPLICATION (app));
  window = CRADLE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CRADLE_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  cradle_app_test_iterate_until_timeout (cradle_app_test_widget_is_mapped, window, "the window", WAIT_TIMEOUT_SECONDS);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static CradleTrainPage *
train_page (void)
{
  GtkWidget *page = cradle_app_test_find_descendant (GTK_WIDGET (window), CRADLE_TYPE_TRAIN_PAGE);

  g_assert_nonnull (page);
  return CRADLE_TRAIN_PAGE (page);
}

static void
show_train_page (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "train"));
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static void
show_results_tab (CradleTrainPage *page,
                  const char      *name)
{
  GtkWidget *stack = GTK_WIDGET (cradle_train_page_get_confusion_view (page));

  /* The results stack is the stack holding the confusion view. */
  while (stack != NULL && !GTK_IS_STACK (stack))
    stack = gtk_widget_get_parent (stack);
  g_assert_nonnull (stack);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), name);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

/* Scrolls the page so that WIDGET is in view (for screenshots). */
static void
scroll_to (CradleTrainPage *page,
           GtkWidget       *widget)
{
  GtkWidget *scrolled = cradle_app_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_compute_point (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adj, MAX (point.y - 60, 0));
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static void
scroll_to_bottom (CradleTrainPage *page)
{
  GtkWidget *scrolled = cradle_app_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 2);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static void
open_dataset (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CradleTrainPage *page;

  ensure_window ();
  g_assert_true (cradle_window_open_dataset (window, dir, &error));
  g_assert_no_error (error);
  show_train_page ();
  page = train_page ();
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the data summary", WAIT_TIMEOUT_SECONDS);
}

/* A primary click at X, Y as the widget's click gesture reports it. */
static void
click_at (GtkWidget *widget,
          double     x,
          double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean clicked = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 1, x, y);
          clicked = TRUE;
        }
    }
  g_assert_true (clicked);
}

/* ---- Datasets ------------------------------------------------------------------------ */

/* A cry-like harmonic tone with vibrato, or noise with a hum, 1.5 s at
 * 8 kHz; each clip has its own jitter. */
static void
write_clip (const char *path,
            gboolean    cry,
            gboolean    ambiguous,
            guint32     seed)
{
  const guint rate = 8000;
  gsize n = rate * 3 / 2;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree float *noise = cradle_test_noise (n, cry ? 0.01 : 0.15, seed);
  CradleAudio *audio = cradle_audio_new (rate, n);
  double f0 = g_rand_double_range (rand, 380.0, 520.0);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double v = noise[i];

      /* Ambiguous clips: a faint cry in loud noise, or a squeaky toy's
       * tone in the background, so the model makes some mistakes. */
      if (cry)
        for (guint h = 1; h <= 3; h++)
          v += (ambiguous ? 0.02 : 0.3) / h * sin (2 * G_PI * f0 * h * t * (1.0 + 0.02 * sin (2 * G_PI * 5.0 * t)))
               + (ambiguous ? noise[(i * 7 + h) % n] * 10.0 : 0.0);
      else
        v += 0.05 * sin (2 * G_PI * 60.0 * t) + (ambiguous ? 0.25 * sin (2 * G_PI * f0 * t) : 0.0);
      audio->samples[i] = (float) CLAMP (v, -1.0, 1.0);
    }
  g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  cradle_audio_free (audio);
}

/* DIR/dataset imported from DIR/source: "cry" and "background" folders, 6
 * groups ("<group>_<n>.wav") of 4 clips each per label. Returns the dataset
 * folder. */
static char *
make_synthetic_dataset (const char *dir)
{
  g_autofree char *source = g_build_filename (dir, "source", NULL);
  char *dataset_dir = g_build_filename (dir, "dataset", NULL);
  const char *labels[] = { "cry", "background" };
  g_autoptr(CradleDataset) ds = NULL;
  g_auto(CradleImportSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  CradleImportOptions options = { 0 };
  guint32 seed = 1;

  for (guint l = 0; l < G_N_ELEMENTS (labels); l++)
    {
      g_autofree char *folder = g_build_filename (source, labels[l], NULL);

      g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
      for (guint g = 0; g < 6; g++)
        for (guint k = 0; k < 4; k++)
          {
            g_autofree char *name = g_strdup_printf ("%s%u_%u.wav", l == 0 ? "baby" : "room", g, k);
            g_autofree char *path = g_build_filename (folder, name, NULL);

            write_clip (path, l == 0, k == 3 || (g == 5 && k == 2), seed++);
          }
    }
  ds = cradle_dataset_open (dataset_dir, &error);
  g_assert_no_error (error);
  options.layout = CRADLE_IMPORT_LAYOUT_FOLDERS;
  g_assert_true (cradle_import_folder (ds, source, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_added, ==, 48);
  return dataset_dir;
}

/* ---- What core computes for the page's options ----------------------------------------- */

typedef struct {
  CradleTaskData *data;
  CradleCvResult *cv;
} CoreResult;

static void
core_result_clear (CoreResult *r)
{
  g_clear_pointer (&r->cv, cradle_cv_result_free);
  g_clear_pointer (&r->data, cradle_task_data_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CoreResult, core_result_clear)

/* The page's defaults: detect, the trainer's 8 kHz configuration, 5 folds,
 * seed 1, class weights, 2 threads, logistic regression at its defaults. */
static void
core_cross_validate (const char *dir,
                     CoreResult *r)
{
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  CradleAnalysisConfig config;
  CradleTrainOptions options;

  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  cradle_trainer_default_config (&config);
  r->data = cradle_task_data_load (ds, CRADLE_TASK_DETECT, &config, TRUE, FALSE, 2, NULL, &error);
  g_assert_no_error (error);
  cradle_train_options_init (&options);
  options.kind = CRADLE_MODEL_LOGREG;
  options.seed = 1;
  options.n_threads = 2;
  r->cv = cradle_trainer_cross_validate (r->data, &options, 5, NULL, FALSE, &error);
  g_assert_no_error (error);
}

static gboolean
page_has_results (gpointer data)
{
  return !cradle_train_page_is_busy (data)
         && cradle_confusion_view_get_counts (cradle_train_page_get_confusion_view (data), NULL) != NULL;
}

/* Trains logistic regression from the page's Train button action and
 * checks what it shows against core's own run. */
static void
train_and_check (const char *dir,
                 CoreResult *core)
{
  CradleTrainPage *page = train_page ();
  CradleConfusionView *confusion = cradle_train_page_get_confusion_view (page);
  CradleCurveView *roc = cradle_train_page_get_roc_view (page);
  const CradleMetrics *m;
  const guint *counts;
  guint n_classes = 0;

  g_assert_null (cradle_train_page_get_missing (page));
  cradle_train_page_set_task (page, CRADLE_TASK_DETECT);
  cradle_train_page_set_kind (page, CRADLE_MODEL_LOGREG);
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the data summary", WAIT_TIMEOUT_SECONDS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.start", NULL));
  g_assert_true (cradle_train_page_is_busy (page));
  cradle_app_test_iterate_until_timeout (page_has_results, page, "cross-validation", TRAIN_TIMEOUT_SECONDS);
  g_test_message ("page status: %s", cradle_train_page_get_status (page));

  core_cross_validate (dir, core);
  m = core->cv->metrics;
  g_test_message ("core: %u clips in %u groups, dataset %s, macro-F1 %.3f", core->data->n,
                  cradle_split_count_groups ((const char * const *) core->data->groups, core->data->n),
                  core->data->dataset_hash, m->macro_f1);

  /* The confusion matrix drawn is core's, cell for cell. */
  counts = cradle_confusion_view_get_counts (confusion, &n_classes);
  g_assert_cmpuint (n_classes, ==, m->n_classes);
  for (guint i = 0; i < n_classes * n_classes; i++)
    g_assert_cmpuint (counts[i], ==, m->confusion[i]);

  /* The ROC legends show core's AUC per class, as printed to 3 decimals. */
  g_assert_cmpuint (cradle_curve_view_get_n_series (roc), ==, m->n_classes);
  for (guint c = 0; c < m->n_classes; c++)
    {
      g_autofree char *auc = g_strdup_printf ("%.3f", m->roc_auc[c]);
      g_autofree char *expected = g_strdup_printf ("%s (AUC %s)", m->labels[c], auc);

      g_assert_cmpstr (cradle_curve_view_get_series_name (roc, c), ==, expected);
    }
}

/* ---- Test cases ------------------------------------------------------------------------- */

static void
test_empty_state (void)
{
  g_autofree char *dir = g_build_filename (data_home, "few", NULL);
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  CradleTrainPage *page;
  const char *missing;

  /* Two cries from one baby and nothing else. */
  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      CradleAudio *audio = cradle_audio_new (8000, 8000);
      CradleRecordingSpec spec = { 0 };

      for (guint s = 0; s < 8000; s++)
        audio->samples[s] = (float) (0.3 * sin (2 * G_PI * 440.0 * s / 8000.0));
      spec.audio = audio;
      spec.label = "hunger";
      spec.label_status = CRADLE_LABEL_STATUS_CONFIRMED;
      spec.confidence = -1;
      spec.group_key = "baby-a";
      spec.source = "record";
      g_assert_cmpint (cradle_dataset_add_recording (ds, &spec, &error), >, 0);
      cradle_audio_free (audio);
    }
  g_clear_pointer (&ds, cradle_dataset_free);

  open_dataset (dir);
  page = train_page ();
  missing = cradle_train_page_get_missing (page);
  g_test_message ("missing: %s", missing);
  g_assert_nonnull (missing);
  /* It names the class that lacks clips, with its counts, and the rule. */
  g_assert_nonnull (strstr (missing, "“not-cry” has 0 confirmed clips from 0 babies or groups"));
  g_assert_nonnull (strstr (missing, "“cry” has 2 confirmed clips from 1 babies or groups"));
  g_assert_nonnull (strstr (missing, "label at least 2 clips from 2 babies or groups"));
  /* Train is disabled: activating it starts nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "train.start", NULL);
  g_assert_false (cradle_train_page_is_busy (page));
  scroll_to_bottom (page);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-empty");

  /* The cause task says what it lacks in its own terms. */
  cradle_train_page_set_task (page, CRADLE_TASK_CAUSE);
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the cause summary", WAIT_TIMEOUT_SECONDS);
  missing = cradle_train_page_get_missing (page);
  g_assert_nonnull (missing);
  g_assert_nonnull (strstr (missing, "at least two causes"));
  g_assert_nonnull (strstr (missing, "hunger 2/1"));
  cradle_train_page_set_task (page, CRADLE_TASK_DETECT);
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the detect summary", WAIT_TIMEOUT_SECONDS);

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
file_starts_with (const char *path,
                  const char *magic)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length > strlen (magic) && memcmp (contents, magic, strlen (magic)) == 0;
}

static void
assert_png_size (const char *path,
                 int         width,
                 int         height)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
  cairo_surface_destroy (png);
}

static void
test_synthetic (void)
{
  g_autofree char *root = g_build_filename (data_home, "synthetic", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *out = g_build_filename (data_home, "exports", NULL);
  g_autofree char *bad = NULL;
  g_auto(CoreResult) core = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  GSettings *settings = cradle_application_get_settings (app);
  CradleTrainPage *page;
  const CradleMetrics *m;
  GArray *cell;
  guint cry;
  guint best = 0;
  double expected_threshold;
  CradleModelEntry *entry;
  g_autofree char *detect_model = NULL;
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  g_assert_cmpint (g_mkdir_with_parents (root, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  dir = make_synthetic_dataset (root);
  open_dataset (dir);
  page = train_page ();
  train_and_check (dir, &core);
  m = core.cv->metrics;
  cry = g_str_equal (m->labels[1], "cry") ? 1 : 0;
  /* Tones against noise: the model must beat the majority baseline. */
  g_assert_cmpfloat (m->macro_f1, >, m->baseline_macro_f1);

  scroll_to (page, GTK_WIDGET (cradle_train_page_get_confusion_view (page)));
  show_results_tab (page, "metrics");
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-results");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  show_results_tab (page, "confusion");
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-results-dark");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);

  /* A click on a cell lists its recordings: as many as the cell counts,
   * and exactly those core predicted so. */
  for (guint t = 0; t < m->n_classes; t++)
    for (guint p = 0; p < m->n_classes; p++)
      {
        guint n = m->confusion[t * m->n_classes + p];

        cradle_confusion_view_activate_cell (cradle_train_page_get_confusion_view (page), t, p);
        cell = cradle_train_page_get_cell_recordings (page);
        g_assert_nonnull (cell);
        g_assert_cmpuint (cell->len, ==, n);
        for (guint j = 0, i = 0; i < core.data->n; i++)
          if (core.data->y[i] == t && m->predicted[i] == p)
            g_assert_cmpint (g_array_index (cell, gint64, j++), ==, core.data->ids[i]);
        if (t == cry && p == cry)
          {
            GtkWidget *popover = gtk_widget_get_last_child (GTK_WIDGET (cradle_train_page_get_confusion_view (page)));

            cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-confusion");
            g_assert_true (gtk_widget_get_mapped (popover));
            cradle_app_test_save_screenshot (popover, "train-cell-recordings");
          }
        {
          GtkWidget *popover = gtk_widget_get_last_child (GTK_WIDGET (cradle_train_page_get_confusion_view (page)));

          g_assert_true (GTK_IS_POPOVER (popover));
          gtk_popover_popdown (GTK_POPOVER (popover));
          cradle_app_test_wait_for_frames (GTK_WIDGET (window), 2);
        }
      }

  /* A click where the layout puts a cell selects that cell. */
  {
    CradleConfusionView *view = cradle_train_page_get_confusion_view (page);
    CradleConfusionData data = { m->n_classes, (const char * const *) m->labels, m->confusion, -1, -1,
                                 "True class", "Predicted class" };
    CradleConfusionLayout layout;
    CradlePlotStyle style;
    cairo_rectangle_t rect;
    guint t;
    guint p;

    cradle_plot_view_get_style (CRADLE_PLOT_VIEW (view), &style);
    cradle_confusion_layout_compute (&layout, gtk_widget_get_width (GTK_WIDGET (view)),
                                     gtk_widget_get_height (GTK_WIDGET (view)), &data, &style);
    cradle_confusion_layout_cell (&layout, 1 - cry, cry, &rect);
    click_at (GTK_WIDGET (view), rect.x + rect.width / 2, rect.y + rect.height / 2);
    g_assert_true (cradle_confusion_view_get_selected (view, &t, &p));
    g_assert_cmpuint (t, ==, 1 - cry);
    g_assert_cmpuint (p, ==, cry);
    g_assert_cmpuint (cradle_train_page_get_cell_recordings (page)->len, ==,
                      m->confusion[(1 - cry) * m->n_classes + cry]);
    gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_last_child (GTK_WIDGET (view))));
    cradle_app_test_wait_for_frames (GTK_WIDGET (window), 2);
  }

  /* An operating point on the ROC curve of "cry" sets the monitor's
   * threshold: that point's threshold, to two decimals, in 0.05 … 0.95. */
  show_results_tab (page, "roc");
  for (guint i = 1; i < m->roc[cry]->len; i++)
    if (isfinite (g_array_index (m->roc[cry], CradleCurvePoint, i).threshold))
      {
        best = i;
        break;
      }
  g_assert_cmpuint (best, >, 0);
  expected_threshold = CLAMP (round (g_array_index (m->roc[cry], CradleCurvePoint, best).threshold * 100) / 100,
                              0.05, 0.95);
  g_settings_set_double (settings, "alert-threshold", expected_threshold == 0.5 ? 0.6 : 0.5);
  {
    /* Clicked where the point is drawn, as a person would. */
    double px;
    double py;

    g_assert_true (cradle_curve_view_point_position (cradle_train_page_get_roc_view (page), cry, best, &px, &py));
    click_at (GTK_WIDGET (cradle_train_page_get_roc_view (page)), px + 2, py - 1);
  }
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "alert-threshold"), expected_threshold, 1e-9);
  /* Points of the other class's curve are not operating points. */
  cradle_curve_view_activate_point (cradle_train_page_get_roc_view (page), 1 - cry, 1);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "alert-threshold"), expected_threshold, 1e-9);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-roc");
  /* The precision-recall curve of "cry" is an operating point too. */
  {
    GArray *pr = m->pr[cry];
    guint at = pr->len / 2;
    double t = g_array_index (pr, CradleCurvePoint, at).threshold;

    show_results_tab (page, "pr");
    cradle_curve_view_activate_point (cradle_train_page_get_pr_view (page), cry, at);
    g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "alert-threshold"),
                                    CLAMP (round (t * 100) / 100, 0.05, 0.95), 1e-9);
    cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-pr");
  }

  /* The feature explorer: a point is a recording (class 0's first clip). */
  show_results_tab (page, "features");
  g_assert_cmpuint (cradle_curve_view_get_n_series (cradle_train_page_get_features_view (page)), ==, 2);
  cradle_curve_view_activate_point (cradle_train_page_get_features_view (page), 0, 0);
  for (guint i = 0; i < core.data->n; i++)
    if (core.data->y[i] == 0)
      {
        g_assert_cmpint (cradle_train_page_get_selected_point (page), ==, core.data->ids[i]);
        break;
      }
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-features");
  show_results_tab (page, "importance");
  g_assert_cmpuint (cradle_importance_view_get (cradle_train_page_get_importance_view (page), NULL, NULL), ==, 20);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-importance");

  /* Exports: PNG at the plot's size, SVG and PDF. */
  {
    const char *plots[] = { "confusion", "roc" };
    const int sizes[][2] = { { 760, 680 }, { 900, 700 } };

    for (guint p = 0; p < G_N_ELEMENTS (plots); p++)
      {
        const char *ext[] = { "png", "svg", "pdf" };

        for (guint e = 0; e < 3; e++)
          {
            g_autofree char *name = g_strdup_printf ("%s.%s", plots[p], ext[e]);
            g_autofree char *path = g_build_filename (out, name, NULL);

            g_assert_true (cradle_train_page_export_plot (page, plots[p], path, &error));
            g_assert_no_error (error);
            if (e == 0)
              assert_png_size (path, sizes[p][0], sizes[p][1]);
            else
              g_assert_true (file_starts_with (path, e == 1 ? "<?xml" : "%PDF-"));
          }
      }
  }

  /* The report folder: Markdown, JSON and the plots. */
  {
    g_autofree char *report = g_build_filename (out, "report", NULL);
    g_autofree char *md_path = g_build_filename (report, "report.md", NULL);
    g_autofree char *json_path = g_build_filename (report, "metrics.json", NULL);
    g_autofree char *roc_png = g_build_filename (report, "roc.png", NULL);
    g_autofree char *md = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *obj;

    g_assert_true (cradle_train_page_export_report (page, report, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (md_path, &md, NULL, NULL));
    g_assert_nonnull (strstr (md, "| macro-F1 |"));
    g_assert_nonnull (strstr (md, "![ROC curves](roc.png)"));
    assert_png_size (roc_png, 900, 700);
    g_assert_true (json_parser_load_from_file (parser, json_path, &error));
    obj = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (obj, "kind"), ==, "logreg");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj, "macro_f1"), m->macro_f1, 1e-9);
  }

  /* Save Model: fitted in a worker, recorded, listed; activating it sets
   * the monitor's detect-model. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.save-model", NULL));
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the final fit", TRAIN_TIMEOUT_SECONDS);
  g_test_message ("page status: %s", cradle_train_page_get_status (page));
  models = cradle_model_registry_list (cradle_store_get_dataset (cradle_window_get_store (window)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  entry = g_ptr_array_index (models, 0);
  g_assert_cmpstr (entry->name, ==, "detect-logreg");
  g_assert_true (g_str_has_prefix (entry->path, dir));
  g_assert_true (g_file_test (entry->path, G_FILE_TEST_IS_REGULAR));
  /* The saved model's own importance: the largest |coefficient| sum of the
   * saved file, as the classifier reports it. */
  {
    g_autoptr(CradleModel) saved = cradle_model_load (entry->path, &error);
    guint n_features;
    g_autofree float *imp = NULL;
    const char * const *names = NULL;
    const double *values = NULL;
    guint top = 0;

    g_assert_no_error (error);
    n_features = cradle_model_get_n_features (saved);
    imp = g_new0 (float, n_features);
    g_assert_true (cradle_classifier_feature_importance (cradle_model_get_classifier (saved), imp));
    for (guint i = 1; i < n_features; i++)
      if (imp[i] > imp[top])
        top = i;
    g_assert_cmpuint (cradle_importance_view_get (cradle_train_page_get_own_importance_view (page), &names,
                                                  &values), ==, 20);
    g_assert_cmpstr (names[0], ==, cradle_model_get_feature_names (saved)[top]);
    g_assert_cmpfloat (values[0], ==, imp[top]);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.activate-model", "x", entry->id));
  detect_model = g_settings_get_string (settings, "detect-model");
  g_assert_cmpstr (detect_model, ==, entry->path);
  scroll_to_bottom (page);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-models");

  /* Import: a bad file is refused with its name; a good one is listed. */
  bad = g_build_filename (out, "broken.model", NULL);
  g_assert_true (g_file_set_contents (bad, "not a model at all", -1, NULL));
  g_assert_false (cradle_train_page_import_model (page, bad, &error));
  g_assert_nonnull (error);
  g_test_message ("import error: %s", error->message);
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
  g_assert_true (cradle_train_page_import_model (page, entry->path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&models, g_ptr_array_unref);
  models = cradle_model_registry_list (cradle_store_get_dataset (cradle_window_get_store (window)), &error);
  g_assert_cmpuint (models->len, ==, 2);

  /* Rename and delete through their dialogs. Deleting the active model
   * clears the monitor's setting and removes the dataset's file. */
  {
    CradleModelEntry *active = NULL;
    g_autofree char *active_path = NULL;
    gint64 active_id;
    AdwMessageDialog *dialog;
    GtkWidget *entry_widget;
    g_autoptr(CradleModelEntry) renamed = NULL;

    for (guint i = 0; i < models->len; i++)
      if (g_strcmp0 (((CradleModelEntry *) g_ptr_array_index (models, i))->path, detect_model) == 0)
        active = g_ptr_array_index (models, i);
    g_assert_nonnull (active);
    active_id = active->id;
    active_path = g_strdup (active->path);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.rename-model", "x", active_id));
    dialog = ADW_MESSAGE_DIALOG (cradle_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, FALSE));
    g_assert_nonnull (dialog);
    entry_widget = adw_message_dialog_get_extra_child (dialog);
    g_assert_true (GTK_IS_EDITABLE (entry_widget));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_widget)), ==, "detect-logreg");
    gtk_editable_set_text (GTK_EDITABLE (entry_widget), "Nursery detector");
    respond_and_wait (dialog, "rename");
    renamed = cradle_model_registry_get (cradle_store_get_dataset (cradle_window_get_store (window)), active_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (renamed->name, ==, "Nursery detector");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.delete-model", "x", active_id));
    dialog = ADW_MESSAGE_DIALOG (cradle_app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, FALSE));
    g_assert_nonnull (dialog);
    cradle_app_test_save_screenshot (GTK_WIDGET (dialog), "train-delete-model");
    respond_and_wait (dialog, "delete");
    g_assert_false (g_file_test (active_path, G_FILE_TEST_EXISTS));
    g_free (detect_model);
    detect_model = g_settings_get_string (settings, "detect-model");
    g_assert_cmpstr (detect_model, ==, "");
    g_clear_pointer (&models, g_ptr_array_unref);
    models = cradle_model_registry_list (cradle_store_get_dataset (cradle_window_get_store (window)), &error);
    g_assert_cmpuint (models->len, ==, 1);
  }

  /* Relabel from a cell's list: the first true cry becomes a laugh in the
   * dataset (and so not-cry for the next training). */
  show_results_tab (page, "confusion");
  cradle_confusion_view_activate_cell (cradle_train_page_get_confusion_view (page), cry, cry);
  {
    GtkWidget *popover = gtk_widget_get_last_child (GTK_WIDGET (cradle_train_page_get_confusion_view (page)));
    GtkWidget *dropdown = cradle_app_test_find_descendant (popover, GTK_TYPE_DROP_DOWN);
    GListModel *names;
    gint64 id = g_array_index (cradle_train_page_get_cell_recordings (page), gint64, 0);
    g_autoptr(CradleRecording) rec = NULL;
    guint laugh = GTK_INVALID_LIST_POSITION;

    g_assert_nonnull (dropdown);
    names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

        if (g_str_equal (gtk_string_object_get_string (item), "laugh"))
          laugh = i;
      }
    g_assert_cmpuint (laugh, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), laugh);
    rec = cradle_dataset_get_recording (cradle_store_get_dataset (cradle_window_get_store (window)), id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rec->label, ==, "laugh");
    g_assert_cmpint (rec->label_status, ==, CRADLE_LABEL_STATUS_CONFIRMED);
    gtk_popover_popdown (GTK_POPOVER (popover));
    cradle_app_test_iterate_until_timeout (page_is_idle, page, "the data summary", WAIT_TIMEOUT_SECONDS);
  }

  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static gboolean
status_says_cancelled (gpointer data)
{
  return !cradle_train_page_is_busy (data)
         && g_str_equal (cradle_train_page_get_status (data), "Training cancelled.");
}

/* The CNN: live loss and accuracy, an epoch at a time; Cancel stops it. */
static void
test_cnn (void)
{
  CradleTrainPage *page;
  CradleCurveView *loss;
  guint n_points = 0;
  double x;
  double y;

  ensure_window ();
  page = train_page ();
  g_assert_null (cradle_train_page_get_missing (page));
  cradle_train_page_set_kind (page, CRADLE_MODEL_CNN);
  g_assert_true (cradle_train_page_set_param (page, "epochs", "2"));
  g_assert_true (cradle_train_page_set_param (page, "channels", "4,8"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.start", NULL));
  cradle_app_test_iterate_until_timeout (page_has_results, page, "CNN cross-validation", TRAIN_TIMEOUT_SECONDS);
  g_test_message ("page status: %s", cradle_train_page_get_status (page));

  /* One point per epoch of every fold: 5 folds of 1 or 2 epochs. */
  loss = cradle_train_page_get_loss_view (page);
  g_assert_cmpuint (cradle_curve_view_get_n_series (loss), ==, 2);
  while (cradle_curve_view_get_point (loss, 0, n_points, &x, &y))
    {
      g_assert_cmpfloat (x, ==, n_points + 1);
      g_assert_true (isfinite (y) && y > 0);
      n_points++;
    }
  g_assert_cmpuint (n_points, >=, 5);
  g_assert_cmpuint (n_points, <=, 10);
  scroll_to (page, GTK_WIDGET (loss));
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-cnn");
  {
    g_autofree char *path = g_build_filename (data_home, "loss.png", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (cradle_train_page_export_plot (page, "loss", path, &error));
    g_assert_no_error (error);
    assert_png_size (path, 900, 700);
  }
  /* No named features: no importance chart. */
  g_assert_cmpuint (cradle_importance_view_get (cradle_train_page_get_importance_view (page), NULL, NULL), ==, 0);

  /* Cancel right after starting: the worker stops and says so. */
  g_assert_true (cradle_train_page_set_param (page, "epochs", "30"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.start", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.cancel", NULL));
  cradle_app_test_iterate_until_timeout (status_says_cancelled, page, "the cancellation", TRAIN_TIMEOUT_SECONDS);

  /* Opening another dataset mid-training drops the old work: nothing of
   * it shows on the new dataset. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.start", NULL));
  g_assert_true (cradle_train_page_is_busy (page));
  {
    g_autofree char *few = g_build_filename (data_home, "few", NULL);

    open_dataset (few);
  }
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the dropped training", TRAIN_TIMEOUT_SECONDS);
  g_assert_null (cradle_confusion_view_get_counts (cradle_train_page_get_confusion_view (page), NULL));
  g_assert_nonnull (cradle_train_page_get_missing (page));

  cradle_train_page_set_kind (page, CRADLE_MODEL_LOGREG);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

static void
test_compare (void)
{
  CradleTrainPage *page;

  ensure_window ();
  page = train_page ();
  /* The synthetic dataset of the previous case is still open. */
  g_assert_null (cradle_train_page_get_missing (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "train.compare", NULL));
  cradle_app_test_iterate_until_timeout (page_is_idle, page, "the comparison", TRAIN_TIMEOUT_SECONDS);
  g_test_message ("page status: %s", cradle_train_page_get_status (page));
  /* logreg, svm, rf, gbt (the CNN only when asked). */
  g_assert_cmpuint (cradle_train_page_get_n_compared (page), ==, 4);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-compare");

  /* A phone-sized window: the page narrows (tables scroll sideways). */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 10);
  show_results_tab (page, "confusion");
  scroll_to (page, GTK_WIDGET (cradle_train_page_get_confusion_view (page)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  cradle_app_test_wait_for_frames (GTK_WIDGET (window), 10);
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* 10 clips per label from ../shared/data/detection, spread over the
 * sorted file lists so that they come from many groups. */
static void
test_shared_data (void)
{
  const char *shared = cradle_test_shared_data ();
  g_autofree char *root = g_build_filename (data_home, "shared", NULL);
  g_autofree char *source = g_build_filename (root, "detection", NULL);
  g_autofree char *dir = g_build_filename (root, "dataset", NULL);
  g_autofree char *detection = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  g_auto(CradleImportSummary) summary = { 0 };
  g_auto(CoreResult) core = { 0 };
  g_autoptr(GError) error = NULL;
  CradleImportOptions options = { 0 };
  const char *labels[] = { "cry", "laugh", "noise" };

  if (shared == NULL)
    {
      g_test_skip ("../shared/data is absent: the real-audio Train page test is skipped");
      return;
    }
  detection = g_build_filename (shared, "detection", NULL);
  for (guint l = 0; l < G_N_ELEMENTS (labels); l++)
    {
      g_autofree char *from = g_build_filename (detection, labels[l], NULL);
      g_autofree char *to = g_build_filename (source, labels[l], NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      GDir *d = g_dir_open (from, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_dir_close (d);
      g_ptr_array_sort (names, compare_names);
      g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
      for (guint k = 0; k < 10 && names->len > 0; k++)
        {
          const char *pick = g_ptr_array_index (names, (k * names->len) / 10);
          g_autofree char *src = g_build_filename (from, pick, NULL);
          g_autofree char *dst = g_build_filename (to, pick, NULL);
          g_autoptr(GFile) a = g_file_new_for_path (src);
          g_autoptr(GFile) b = g_file_new_for_path (dst);

          g_assert_true (g_file_copy (a, b, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
        }
    }
  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_import_folder (ds, source, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_added, ==, 30);
  g_clear_pointer (&ds, cradle_dataset_free);

  open_dataset (dir);
  train_and_check (dir, &core);
  show_results_tab (train_page (), "confusion");
  scroll_to (train_page (), GTK_WIDGET (cradle_train_page_get_confusion_view (train_page ())));
  cradle_app_test_save_screenshot (GTK_WIDGET (window), "train-shared-confusion");
  g_assert_cmpuint (cradle_app_test_get_n_bad_messages (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  cradle_app_test_init (&argc, &argv, WAIT_TIMEOUT_SECONDS);

  /* Datasets and the default dataset in a fresh $XDG_DATA_HOME, set before
   * anything asks GLib for that folder. */
  data_home = cradle_app_test_make_data_home ("cradle-test-train");

  app = cradle_app_test_application_new (TRUE);

  g_test_add_func ("/app/train/empty-state", test_empty_state);
  g_test_add_func ("/app/train/synthetic", test_synthetic);
  g_test_add_func ("/app/train/compare", test_compare);
  g_test_add_func ("/app/train/cnn", test_cnn);
  g_test_add_func ("/app/train/shared-data", test_shared_data);

  ret = g_test_run ();

  cradle_app_test_close_all_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  cradle_test_rm_rf (data_home);
  g_free (data_home);

  return cradle_app_test_check_bad_messages (ret);
}
