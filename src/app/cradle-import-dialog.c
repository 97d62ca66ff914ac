/* cradle-import-dialog.c — importing dropped or chosen files and folders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cradle-import-dialog.h"

#define POLL_MS 100

/* Shared by the worker (writes) and the UI thread (reads). */
typedef struct {
  GMutex  mutex;
  guint   done;
  guint   total;
  guint   item;       /* which of the paths */
  char   *current;    /* the file being imported */
} Progress;

typedef struct {
  char                *dir;       /* the dataset */
  GPtrArray           *paths;
  Progress            *progress;  /* owned by the dialog, outlives the task */
  CradleImportSummary  summary;
} ImportJob;

struct _CradleImportDialog
{
  AdwWindow            parent_instance;

  CradleStore         *store;
  GCancellable        *cancellable;
  Progress             progress;
  guint                n_paths;
  guint                poll_id;
  gboolean             running;
  CradleImportSummary  summary;
  gboolean             have_summary;
  char                *error;

  GtkStack            *stack;
  GtkProgressBar      *progress_bar;
  GtkLabel            *current_label;
  GtkImage            *result_icon;
  GtkLabel            *result_title;
  GtkLabel            *result_description;
  GtkListBox          *counts_list;
  GtkListBox          *skipped_list;
  GtkWidget           *skipped_group;
  GtkWidget           *cancel_button;
  GtkWidget           *close_button;
};

G_DEFINE_FINAL_TYPE (CradleImportDialog, cradle_import_dialog, ADW_TYPE_WINDOW)

static void
import_job_free (ImportJob *job)
{
  g_free (job->dir);
  g_ptr_array_unref (job->paths);
  cradle_import_summary_clear (&job->summary);
  g_free (job);
}

/* Worker thread */

static void
progress_cb (guint       done,
             guint       total,
             const char *path,
             gpointer    user_data)
{
  Progress *progress = user_data;

  g_mutex_lock (&progress->mutex);
  progress->done = done;
  progress->total = total;
  g_free (progress->current);
  progress->current = g_strdup (path);
  g_mutex_unlock (&progress->mutex);
}

static void
import_skip_free (gpointer data)
{
  CradleImportSkip *skip = data;

  g_free (skip->path);
  g_free (skip->reason);
  g_free (skip);
}

static void
add_skip (CradleImportSummary *summary,
          const char          *path,
          const char          *reason)
{
  CradleImportSkip *skip = g_new0 (CradleImportSkip, 1);

  skip->path = g_strdup (path);
  skip->reason = g_strdup (reason);
  g_ptr_array_add (summary->skipped, skip);
  summary->n_skipped++;
}

static void
count_label (CradleImportSummary *summary,
             const char          *label,
             guint                n)
{
  const char *key = label != NULL ? label : CRADLE_IMPORT_UNLABELED;
  guint old = GPOINTER_TO_UINT (g_hash_table_lookup (summary->added_per_label, key));

  g_hash_table_insert (summary->added_per_label, g_strdup (key), GUINT_TO_POINTER (old + n));
}

static char *
hash_file (const char  *path,
           GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);

  if (mapped == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      (const guchar *) g_mapped_file_get_contents (mapped),
                                      g_mapped_file_get_length (mapped));
}

/* One file: its folder's name gives the label when it names one. */
static void
import_file (CradleDataset       *dataset,
             CradleLabelMap      *map,
             const char          *path,
             CradleImportSummary *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  g_auto(CradleAudioInfo) info = { 0 };
  g_autofree char *sha = NULL;
  g_autofree char *folder_path = g_path_get_dirname (path);
  g_autofree char *folder = g_path_get_basename (folder_path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stem = NULL;
  const char *label = cradle_label_map_lookup (map, folder);
  CradleRecordingSpec spec = { 0 };
  char *dot;

  summary->n_files++;
  sha = hash_file (path, &error);
  if (sha == NULL)
    {
      add_skip (summary, path, error->message);
      return;
    }
  if (cradle_dataset_find_by_source_sha256 (dataset, sha) != 0)
    {
      summary->n_duplicates++;
      return;
    }
  if (!cradle_audio_probe (path, &info, &error) ||
      (audio = cradle_audio_load (path, 0, &error)) == NULL)
    {
      add_skip (summary, path, error->message);
      return;
    }

  if (label != NULL && !cradle_dataset_lookup_label (dataset, label, NULL))
    label = NULL;
  stem = g_strdup (base);
  dot = strrchr (stem, '.');
  if (dot != NULL && dot != stem)
    *dot = '\0';

  spec.audio = audio;
  spec.label = label;
  spec.label_status = label != NULL ? CRADLE_LABEL_STATUS_CONFIRMED : CRADLE_LABEL_STATUS_NONE;
  spec.confidence = -1;
  spec.group_key = stem;
  spec.source = "import";
  spec.source_path = path;
  spec.source_sha256 = sha;
  spec.channels = info.channels;
  spec.file_stem = stem;
  if (cradle_dataset_add_recording (dataset, &spec, &error) == 0)
    {
      add_skip (summary, path, error->message);
      return;
    }
  summary->n_added++;
  count_label (summary, label, 1);
}

static void
merge_summary (CradleImportSummary *into,
               CradleImportSummary *part)
{
  GHashTableIter iter;
  gpointer key, value;

  into->n_files += part->n_files;
  into->n_added += part->n_added;
  into->n_duplicates += part->n_duplicates;
  into->n_skipped += part->n_skipped;
  if (part->skipped != NULL)
    {
      gsize n = 0;
      g_autofree gpointer *skips = g_ptr_array_steal (part->skipped, &n);

      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (into->skipped, skips[i]);
    }
  if (part->added_per_label != NULL)
    {
      g_hash_table_iter_init (&iter, part->added_per_label);
      while (g_hash_table_iter_next (&iter, &key, &value))
        count_label (into, key, GPOINTER_TO_UINT (value));
    }
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleLabelMap) map = cradle_label_map_new ();
  CradleImportOptions options = {
    .layout = CRADLE_IMPORT_LAYOUT_AUTO,
    .progress = progress_cb,
    .user_data = job->progress,
    .cancellable = cancellable,
  };
  GError *error = NULL;

  job->summary.skipped = g_ptr_array_new_with_free_func (import_skip_free);
  job->summary.added_per_label = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  dataset = cradle_dataset_open (job->dir, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < job->paths->len && error == NULL; i++)
    {
      const char *path = g_ptr_array_index (job->paths, i);

      g_mutex_lock (&job->progress->mutex);
      job->progress->item = i;
      job->progress->done = 0;
      job->progress->total = 0;
      g_mutex_unlock (&job->progress->mutex);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_auto(CradleImportSummary) part = { 0 };

          cradle_import_folder (dataset, path, &options, &part, &error);
          merge_summary (&job->summary, &part);
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        break;
      else
        {
          progress_cb (0, 1, path, job->progress);
          import_file (dataset, map, path, &job->summary);
          progress_cb (1, 1, path, job->progress);
        }
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* UI thread */

static void
add_count_row (GtkListBox *list,
               const char *title,
               guint       count)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%u", count);
  GtkWidget *value = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  gtk_list_box_append (list, row);
}

static void
cradle_import_dialog_show_summary (CradleImportDialog *self)
{
  const CradleImportSummary *s = &self->summary;
  g_autofree char *description = NULL;

  if (self->error != NULL)
    {
      gtk_image_set_from_icon_name (self->result_icon, "dialog-warning-symbolic");
      gtk_label_set_text (self->result_title, _("Import Stopped"));
      gtk_label_set_text (self->result_description, self->error);
    }
  else
    {
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic");
      gtk_label_set_text (self->result_title, _("Import Finished"));
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u audio file looked at",
                                                  "%u audio files looked at", s->n_files), s->n_files);
      gtk_label_set_text (self->result_description, description);
    }

  add_count_row (self->counts_list, _("Added"), s->n_added);
  add_count_row (self->counts_list, _("Already in the dataset"), s->n_duplicates);
  add_count_row (self->counts_list, _("Skipped"), s->n_skipped);

  for (guint i = 0; s->skipped != NULL && i < s->skipped->len; i++)
    {
      CradleImportSkip *skip = g_ptr_array_index (s->skipped, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_filename_display_basename (skip->path);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), skip->reason);
      gtk_widget_set_tooltip_text (row, skip->path);
      gtk_list_box_append (self->skipped_list, row);
    }
  gtk_widget_set_visible (self->skipped_group, s->n_skipped > 0);

  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->close_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);
  gtk_widget_grab_focus (self->close_button);
}

static gboolean
cradle_import_dialog_poll_cb (gpointer user_data)
{
  CradleImportDialog *self = user_data;
  g_autofree char *current = NULL;
  g_autofree char *text = NULL;
  guint done, total, item;

  g_mutex_lock (&self->progress.mutex);
  done = self->progress.done;
  total = self->progress.total;
  item = self->progress.item;
  current = g_strdup (self->progress.current);
  g_mutex_unlock (&self->progress.mutex);

  if (total > 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
      if (self->n_paths > 1)
        /* Translators: progress of one of several dropped items. */
        text = g_strdup_printf (_("Item %u of %u: %u of %u files"), item + 1, self->n_paths, done, total);
      else
        text = g_strdup_printf (_("%u of %u files"), done, total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);
  if (current != NULL)
    {
      g_autofree char *name = g_filename_display_basename (current);

      gtk_label_set_text (self->current_label, name);
    }

  return G_SOURCE_CONTINUE;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CradleImportDialog *self = CRADLE_IMPORT_DIALOG (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->running = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    self->error = g_strdup (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                            g_error_matches (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_CANCELLED)
                            ? _("The import was cancelled. What was imported before stays.")
                            : error->message);
  self->summary = job->summary;
  memset (&job->summary, 0, sizeof job->summary);
  self->have_summary = TRUE;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  cradle_import_dialog_show_summary (self);
  if (self->store != NULL)
    cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_BABIES |
                                            CRADLE_STORE_CHANGE_LABELS | CRADLE_STORE_CHANGE_SEGMENTS);
}

static gboolean
cradle_import_dialog_close_request (GtkWindow *window)
{
  CradleImportDialog *self = CRADLE_IMPORT_DIALOG (window);

  /* Closing while importing cancels; the summary then says so. */
  if (self->running)
    {
      cradle_import_dialog_cancel (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (cradle_import_dialog_parent_class)->close_request (window);
}

static void
cradle_import_dialog_dispose (GObject *object)
{
  CradleImportDialog *self = CRADLE_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);

  G_OBJECT_CLASS (cradle_import_dialog_parent_class)->dispose (object);
}

static void
cradle_import_dialog_finalize (GObject *object)
{
  CradleImportDialog *self = CRADLE_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->progress.mutex);
  g_free (self->progress.current);
  cradle_import_summary_clear (&self->summary);
  g_free (self->error);

  G_OBJECT_CLASS (cradle_import_dialog_parent_class)->finalize (object);
}

static void
cradle_import_dialog_class_init (CradleImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_import_dialog_dispose;
  object_class->finalize = cradle_import_dialog_finalize;
  window_class->close_request = cradle_import_dialog_close_request;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
boxed_list_group (GtkWidget  *box,
                  const char *title,
                  GtkListBox **list,
                  GtkWidget  **group)
{
  GtkWidget *group_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  if (title != NULL)
    {
      GtkWidget *heading = gtk_label_new (title);

      gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (GTK_BOX (group_box), heading);
    }
  *list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (*list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (*list), "boxed-list");
  gtk_box_append (GTK_BOX (group_box), GTK_WIDGET (*list));
  gtk_box_append (GTK_BOX (box), group_box);
  if (group != NULL)
    *group = group_box;
}

static void
cradle_import_dialog_init (CradleImportDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *running = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (_("Importing Audio"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *summary = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  g_mutex_init (&self->progress.mutex);
  self->cancellable = g_cancellable_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Import"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 520);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (content), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (running), title);
  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  gtk_box_append (GTK_BOX (running), GTK_WIDGET (self->progress_bar));
  self->current_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->current_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->current_label), "dim-label");
  gtk_box_append (GTK_BOX (running), GTK_WIDGET (self->current_label));
  gtk_widget_set_valign (running, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (running, 24);
  gtk_widget_set_margin_end (running, 24);
  gtk_stack_add_named (self->stack, running, "running");

  {
    GtkWidget *result = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    self->result_icon = GTK_IMAGE (gtk_image_new ());
    gtk_image_set_pixel_size (self->result_icon, 64);
    gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "dim-label");
    self->result_title = GTK_LABEL (gtk_label_new (NULL));
    gtk_widget_add_css_class (GTK_WIDGET (self->result_title), "title-2");
    self->result_description = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_wrap (self->result_description, TRUE);
    gtk_label_set_justify (self->result_description, GTK_JUSTIFY_CENTER);
    gtk_box_append (GTK_BOX (result), GTK_WIDGET (self->result_icon));
    gtk_box_append (GTK_BOX (result), GTK_WIDGET (self->result_title));
    gtk_box_append (GTK_BOX (result), GTK_WIDGET (self->result_description));
    gtk_widget_set_margin_top (result, 18);
    gtk_box_append (GTK_BOX (summary), result);
  }
  boxed_list_group (summary, NULL, &self->counts_list, NULL);
  boxed_list_group (summary, _("Skipped Files"), &self->skipped_list, &self->skipped_group);
  gtk_widget_set_margin_bottom (summary, 18);
  adw_clamp_set_child (ADW_CLAMP (clamp), summary);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_stack_add_named (self->stack, scrolled, "summary");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cradle_import_dialog_cancel), self);
  self->close_button = gtk_button_new_with_mnemonic (_("_Close"));
  gtk_widget_add_css_class (self->close_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->close_button), "window.close");
  gtk_widget_set_visible (self->close_button, FALSE);
  for (GtkWidget *b = self->cancel_button; b != NULL; b = b == self->cancel_button ? self->close_button : NULL)
    {
      gtk_widget_add_css_class (b, "pill");
      gtk_box_append (GTK_BOX (buttons), b);
    }
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_widget_set_margin_bottom (buttons, 18);
  gtk_box_append (GTK_BOX (content), buttons);

  adw_window_set_content (ADW_WINDOW (self), content);
}

CradleImportDialog *
cradle_import_dialog_new (GtkWindow   *parent,
                          CradleStore *store,
                          GPtrArray   *paths)
{
  CradleImportDialog *self;
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CRADLE_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL && paths->len > 0, NULL);

  self = g_object_new (CRADLE_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->n_paths = paths->len;

  job = g_new0 (ImportJob, 1);
  job->dir = g_strdup (cradle_store_get_dir (store));
  job->paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < paths->len; i++)
    g_ptr_array_add (job->paths, g_strdup (g_ptr_array_index (paths, i)));
  job->progress = &self->progress;

  self->running = TRUE;
  self->poll_id = g_timeout_add (POLL_MS, cradle_import_dialog_poll_cb, self);
  /* The task holds a reference on the dialog, so PROGRESS outlives it. */
  task = g_task_new (self, self->cancellable, import_done_cb, NULL);
  g_task_set_source_tag (task, cradle_import_dialog_new);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);

  return self;
}

gboolean
cradle_import_dialog_is_running (CradleImportDialog *self)
{
  g_return_val_if_fail (CRADLE_IS_IMPORT_DIALOG (self), FALSE);

  return self->running;
}

void
cradle_import_dialog_cancel (CradleImportDialog *self)
{
  g_return_if_fail (CRADLE_IS_IMPORT_DIALOG (self));

  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
}

const CradleImportSummary *
cradle_import_dialog_get_summary (CradleImportDialog *self)
{
  g_return_val_if_fail (CRADLE_IS_IMPORT_DIALOG (self), NULL);

  return self->have_summary ? &self->summary : NULL;
}

const char *
cradle_import_dialog_get_error (CradleImportDialog *self)
{
  g_return_val_if_fail (CRADLE_IS_IMPORT_DIALOG (self), NULL);

  return self->error;
}
