/* cradle-train-page-export.c — the Train page's files: every plot to PNG,
 * SVG or PDF, the evaluation to a report folder, and the file choosers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cradle-application.h"
#include "cradle-model-registry.h"
#include "cradle-split.h"
#include "cradle-train-page-private.h"

/* ---- Files: choosers, export, import ---------------------------------------------- */

static CradlePlotView *
plot_by_name (CradleTrainPage *self,
              const char      *plot)
{
  if (g_strcmp0 (plot, "confusion") == 0)
    return CRADLE_PLOT_VIEW (self->confusion_view);
  if (g_strcmp0 (plot, "roc") == 0)
    return CRADLE_PLOT_VIEW (self->roc_view);
  if (g_strcmp0 (plot, "pr") == 0)
    return CRADLE_PLOT_VIEW (self->pr_view);
  if (g_strcmp0 (plot, "features") == 0)
    return CRADLE_PLOT_VIEW (self->features_view);
  if (g_strcmp0 (plot, "importance") == 0)
    return CRADLE_PLOT_VIEW (self->importance_view);
  if (g_strcmp0 (plot, "own-importance") == 0)
    return CRADLE_PLOT_VIEW (self->own_importance_view);
  if (g_strcmp0 (plot, "loss") == 0)
    return CRADLE_PLOT_VIEW (self->loss_view);
  if (g_strcmp0 (plot, "accuracy") == 0)
    return CRADLE_PLOT_VIEW (self->accuracy_view);
  return NULL;
}

gboolean
cradle_train_page_export_plot (CradleTrainPage  *self,
                               const char       *plot,
                               const char       *path,
                               GError          **error)
{
  CradlePlotView *view;

  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), FALSE);
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);

  view = plot_by_name (self, plot);
  g_return_val_if_fail (view != NULL, FALSE);
  if (CRADLE_IS_CONFUSION_VIEW (view))
    return cradle_plot_view_export (view, path, 760, 680, error);
  return cradle_plot_view_export (view, path, CRADLE_TRAIN_PAGE_EXPORT_WIDTH, CRADLE_TRAIN_PAGE_EXPORT_HEIGHT, error);
}

static void
add_file_filter (GtkFileChooser *chooser,
                 const char     *name,
                 const char     *mime)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
cradle_train_page_close_chooser (CradleTrainPage *self)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
}

GFile *
cradle_train_page_chooser_take_file (CradleTrainPage *self,
                   int              response)
{
  GFile *file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  cradle_train_page_close_chooser (self);
  return file;
}

GtkFileChooserNative *
cradle_train_page_new_chooser (CradleTrainPage      *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  cradle_train_page_close_chooser (self);
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                         accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  return chooser;
}

static void
export_plot_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         CradleTrainPage *self)
{
  g_autoptr(GFile) file = cradle_train_page_chooser_take_file (self, response);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  if (!cradle_train_page_export_plot (self, self->chooser_plot, path, &error))
    cradle_train_page_error_dialog (self, _("Cannot Export Plot"), error->message);
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *text = g_strdup_printf (_("Exported “%s”"), base);

      cradle_train_page_toast (self, text);
    }
}

void
cradle_train_page_export_plot_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  const char *plot = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (plot_by_name (self, plot) == NULL || !cradle_plot_view_has_data (plot_by_name (self, plot)))
    return;
  g_free (self->chooser_plot);
  self->chooser_plot = g_strdup (plot);
  chooser = cradle_train_page_new_chooser (self, _("Export Plot"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  add_file_filter (GTK_FILE_CHOOSER (chooser), _("PNG image"), "image/png");
  add_file_filter (GTK_FILE_CHOOSER (chooser), _("SVG image"), "image/svg+xml");
  add_file_filter (GTK_FILE_CHOOSER (chooser), _("PDF document"), "application/pdf");
  name = self->run != NULL ? g_strdup_printf ("%s-%s-%s.png", cradle_task_to_string (self->run->task),
                                              cradle_model_kind_to_string (self->run->kind), plot)
                           : g_strdup_printf ("%s.png", plot);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_plot_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
append_metrics_markdown (GString             *md,
                         const CradleMetrics *m,
                         const char          *kind)
{
  g_string_append_printf (md, "| score | %s | majority baseline (%s) |\n|---|---|---|\n", kind,
                          m->labels[m->baseline_class]);
  g_string_append_printf (md, "| accuracy | %.3f | %.3f |\n", m->accuracy, m->baseline_accuracy);
  g_string_append_printf (md, "| balanced accuracy | %.3f | %.3f |\n", m->balanced_accuracy,
                          m->baseline_balanced_accuracy);
  g_string_append_printf (md, "| macro-F1 | %.3f | %.3f |\n", m->macro_f1, m->baseline_macro_f1);
  g_string_append_printf (md, "| weighted F1 | %.3f | – |\n", m->weighted_f1);
  g_string_append_printf (md, "| ROC AUC (macro) | %.3f | – |\n\n", m->macro_roc_auc);
  g_string_append (md, "| class | precision | recall | F1 | support | ROC AUC | AP |\n|---|---|---|---|---|---|---|\n");
  for (guint c = 0; c < m->n_classes; c++)
    g_string_append_printf (md, "| %s | %.3f | %.3f | %.3f | %u | %.3f | %.3f |\n", m->labels[c],
                            m->precision[c], m->recall[c], m->f1[c], m->support[c], m->roc_auc[c],
                            m->average_precision[c]);
  g_string_append (md, "\nConfusion matrix (rows: truth, columns: predicted)\n\n|  |");
  for (guint c = 0; c < m->n_classes; c++)
    g_string_append_printf (md, " %s |", m->labels[c]);
  g_string_append (md, "\n|---|");
  for (guint c = 0; c < m->n_classes; c++)
    g_string_append (md, "---|");
  g_string_append (md, "\n");
  for (guint t = 0; t < m->n_classes; t++)
    {
      g_string_append_printf (md, "| %s |", m->labels[t]);
      for (guint p = 0; p < m->n_classes; p++)
        g_string_append_printf (md, " %u |", m->confusion[(gsize) t * m->n_classes + p]);
      g_string_append (md, "\n");
    }
  g_string_append (md, "\n");
}

gboolean
cradle_train_page_export_report (CradleTrainPage  *self,
                                 const char       *dir,
                                 GError          **error)
{
  g_autoptr(GString) md = g_string_new (NULL);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *md_path = NULL;
  const char *plots[] = { "confusion", "roc", "pr", "features", "importance", "own-importance", "loss", "accuracy" };
  const char *captions[] = {
    N_("Confusion matrix"), N_("ROC curves"), N_("Precision-recall curves"),
    N_("Feature explorer (PCA)"), N_("Permutation importance"), N_("The saved model’s own importance"),
    N_("Loss per epoch"), N_("Validation accuracy per epoch"),
  };
  TrainRun *run;

  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  run = self->run;
  if (run == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot write a report into %s: no model has been trained yet", dir);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot create %s: %s", dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  json_path = g_build_filename (dir, "metrics.json", NULL);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, run->json);
  if (!json_generator_to_file (generator, json_path, error))
    {
      g_prefix_error (error, "Cannot write %s: ", json_path);
      return FALSE;
    }

  g_string_append_printf (md, "# Cradle evaluation: %s, %s\n\n", cradle_task_to_string (run->task),
                          cradle_model_kind_to_string (run->kind));
  g_string_append_printf (md, "Grouped %u-fold cross-validation (no baby or source group on both sides), "
                          "seed %u, %u clips in %u groups, %.2f s. Dataset hash `%s`, analysis `%s`.\n\n",
                          run->k, run->seed, run->data->n,
                          cradle_split_count_groups ((const char * const *) run->data->groups, run->data->n),
                          run->cv->seconds, run->data->dataset_hash, run->data->config_hash);
  if (run->params != NULL)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (run->params), (GCompareFunc) g_strcmp0);

      g_string_append (md, "Hyperparameters (others at their defaults):");
      for (GList *l = keys; l != NULL; l = l->next)
        g_string_append_printf (md, " `%s=%s`", (char *) l->data, (char *) g_hash_table_lookup (run->params, l->data));
      g_string_append (md, "\n\n");
    }
  append_metrics_markdown (md, run->cv->metrics, cradle_model_kind_to_string (run->kind));
  if (self->compared != NULL)
    {
      g_string_append (md, "## Every model type on the same folds\n\n"
                           "| model | accuracy | balanced accuracy | macro-F1 | weighted F1 | ROC AUC | seconds |\n"
                           "|---|---|---|---|---|---|---|\n");
      for (guint i = 0; i < self->compared->len; i++)
        {
          CradleCvResult *r = g_ptr_array_index (self->compared, i);

          g_string_append_printf (md, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |\n",
                                  cradle_model_kind_to_string (r->kind), r->metrics->accuracy,
                                  r->metrics->balanced_accuracy, r->metrics->macro_f1, r->metrics->weighted_f1,
                                  r->metrics->macro_roc_auc, r->seconds);
        }
      g_string_append (md, "\n");
    }
  g_string_append (md, "## Plots\n\n");
  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    {
      CradlePlotView *view = plot_by_name (self, plots[i]);
      g_autofree char *file = g_strdup_printf ("%s.png", plots[i]);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!cradle_plot_view_has_data (view))
        continue;
      if (!cradle_train_page_export_plot (self, plots[i], path, error))
        return FALSE;
      g_string_append_printf (md, "![%s](%s)\n\n", captions[i], file);
    }
  g_string_append (md, "All numbers: `metrics.json` (with the ROC and precision-recall points).\n");

  md_path = g_build_filename (dir, "report.md", NULL);
  if (!g_file_set_contents (md_path, md->str, md->len, error))
    return FALSE;
  return TRUE;
}

static void
export_report_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           CradleTrainPage *self)
{
  g_autoptr(GFile) file = cradle_train_page_chooser_take_file (self, response);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  if (!cradle_train_page_export_report (self, path, &error))
    cradle_train_page_error_dialog (self, _("Cannot Export Report"), error->message);
  else
    cradle_train_page_toast (self, _("Report exported"));
}

void
cradle_train_page_export_report_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->run == NULL)
    return;
  chooser = cradle_train_page_new_chooser (self, _("Export Report to a Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                         _("_Export"));
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_report_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
