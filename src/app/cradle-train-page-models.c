/* cradle-train-page-models.c — the Train page's Saved Models list:
 * activate for the monitor, rename, delete, export and import model files
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

/* ---- The models list -------------------------------------------------------------- */

static const char *
settings_key_for_task (const char *task)
{
  return g_strcmp0 (task, "cause") == 0 ? "cause-model" : "detect-model";
}

static gboolean
entry_is_active (const CradleModelEntry *entry)
{
  GSettings *settings = cradle_train_page_settings ();
  g_autofree char *active = NULL;

  if (settings == NULL)
    return entry->active;
  active = g_settings_get_string (settings, settings_key_for_task (entry->task));
  return g_strcmp0 (active, entry->path) == 0;
}

static GMenuModel *
model_menu (gint64 id)
{
  GMenu *menu = g_menu_new ();
  const struct {
    const char *label;
    const char *action;
  } items[] = {
    { N_("_Rename…"), "train.rename-model" },
    { N_("_Export…"), "train.export-model" },
    { N_("_Delete…"), "train.delete-model" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_int64 (id));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

void
cradle_train_page_refresh_models (CradleTrainPage *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  cradle_train_page_clear_rows (self->models_group, self->model_rows);
  if (self->store == NULL)
    return;
  entries = cradle_model_registry_list (cradle_store_get_dataset (self->store), &error);
  if (entries == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      adw_preferences_group_add (self->models_group, row);
      g_ptr_array_add (self->model_rows, row);
      return;
    }
  if (entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No saved models"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Train a model, then Save Model; or import a model file."));
      adw_preferences_group_add (self->models_group, row);
      g_ptr_array_add (self->model_rows, row);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      CradleModelEntry *e = g_ptr_array_index (entries, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *menu_button = gtk_menu_button_new ();
      g_autoptr(GMenuModel) menu = model_menu (e->id);
      g_autofree char *f1 = cradle_train_page_format_score (cradle_model_entry_macro_f1 (e));
      /* Translators: task · model type · macro-F1 · creation time. */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · macro-F1 %s · %s"), e->task, e->kind, f1,
                                                   e->created);
      gboolean active = entry_is_active (e);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), e->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, e->path);
      if (active)
        {
          GtkWidget *badge = gtk_label_new (_("Active"));

          gtk_widget_add_css_class (badge, "cradle-active-model");
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
        }
      else
        {
          GtkWidget *use = gtk_button_new_with_mnemonic (_("_Use for Monitor"));

          gtk_widget_set_valign (use, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_target_value (GTK_ACTIONABLE (use), g_variant_new_int64 (e->id));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (use), "train.activate-model");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), use);
        }
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
      gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (menu_button, "flat");
      gtk_widget_set_tooltip_text (menu_button, _("More"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
      adw_preferences_group_add (self->models_group, row);
      g_ptr_array_add (self->model_rows, row);
    }
}

void
cradle_train_page_activate_model (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(CradleModelEntry) entry = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = cradle_train_page_settings ();
  gint64 id = g_variant_get_int64 (parameter);

  if (self->store == NULL)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), id, &error);
  /* The file must still load: the monitor will read it. */
  if (entry != NULL)
    model = cradle_model_load (entry->path, &error);
  if (model == NULL || !cradle_model_registry_set_active (cradle_store_get_dataset (self->store), id, &error))
    {
      cradle_train_page_error_dialog (self, _("Cannot Use Model"), error->message);
      return;
    }
  if (settings != NULL)
    g_settings_set_string (settings, settings_key_for_task (entry->task), entry->path);
  {
    g_autofree char *text = g_strcmp0 (entry->task, "cause") == 0
                            ? g_strdup_printf (_("The monitor now explains cries with “%s”"), entry->name)
                            : g_strdup_printf (_("The monitor now detects cries with “%s”"), entry->name);

    cradle_train_page_toast (self, text);
  }
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_MODELS);
}

typedef struct {
  CradleTrainPage *page;
  gint64           id;
  GtkEditable     *entry;
} ModelDialogData;

static void
model_dialog_data_free (ModelDialogData *d)
{
  g_object_unref (d->page);
  g_free (d);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ModelDialogData  *d)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "rename") || d->page->store == NULL || d->page->disposed)
    return;
  if (!cradle_model_registry_rename (cradle_store_get_dataset (d->page->store), d->id,
                                     gtk_editable_get_text (d->entry), &error))
    {
      cradle_train_page_error_dialog (d->page, _("Cannot Rename Model"), error->message);
      return;
    }
  cradle_store_emit_changed (d->page->store, CRADLE_STORE_CHANGE_MODELS);
}

void
cradle_train_page_rename_model (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(CradleModelEntry) entry = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  ModelDialogData *d;
  GtkWidget *dialog;
  GtkWidget *text;

  if (self->store == NULL)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), g_variant_get_int64 (parameter), NULL);
  if (entry == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Rename Model"), NULL);
  text = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (text), entry->name);
  gtk_entry_set_activates_default (GTK_ENTRY (text), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), text);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  d = g_new0 (ModelDialogData, 1);
  d->page = g_object_ref (self);
  d->id = entry->id;
  d->entry = GTK_EDITABLE (text);
  g_signal_connect_data (dialog, "response", G_CALLBACK (rename_response_cb), d,
                         (GClosureNotify) (void (*) (void)) model_dialog_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ModelDialogData  *d)
{
  CradleTrainPage *self = d->page;
  g_autoptr(CradleModelEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = cradle_train_page_settings ();

  if (!g_str_equal (response, "delete") || self->store == NULL || self->disposed)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), d->id, &error);
  if (entry == NULL || !cradle_model_registry_delete (cradle_store_get_dataset (self->store), d->id, &error))
    {
      cradle_train_page_error_dialog (self, _("Cannot Delete Model"), error->message);
      return;
    }
  /* The monitor must not keep a model that is gone. */
  if (settings != NULL)
    {
      g_autofree char *active = g_settings_get_string (settings, settings_key_for_task (entry->task));

      if (g_strcmp0 (active, entry->path) == 0)
        g_settings_set_string (settings, settings_key_for_task (entry->task), "");
    }
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_MODELS);
}

void
cradle_train_page_delete_model (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(CradleModelEntry) entry = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  ModelDialogData *d;
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), g_variant_get_int64 (parameter), NULL);
  if (entry == NULL)
    return;
  body = g_strdup_printf (_("“%s” and its file will be removed from the dataset. The monitor stops using it if it is active."),
                          entry->name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Delete Model?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  d = g_new0 (ModelDialogData, 1);
  d->page = g_object_ref (self);
  d->id = entry->id;
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb), d,
                         (GClosureNotify) (void (*) (void)) model_dialog_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
cradle_train_page_import_model (CradleTrainPage  *self,
                                const char       *path,
                                GError          **error)
{
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *name = NULL;
  CradleDataset *dataset;

  g_return_val_if_fail (CRADLE_IS_TRAIN_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot import %s: no dataset is open", path);
      return FALSE;
    }
  dataset = cradle_store_get_dataset (self->store);
  /* Checks magic, lengths, checksum and version; errors name the file. */
  model = cradle_model_load (path, error);
  if (model == NULL)
    return FALSE;
  dir = cradle_model_registry_dir (dataset, error);
  if (dir == NULL)
    return FALSE;
  base = g_path_get_basename (path);
  stem = g_str_has_suffix (base, ".model") ? g_strndup (base, strlen (base) - 6) : g_strdup (base);
  for (guint n = 0; dest == NULL || g_file_test (dest, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *file = n == 0 ? g_strdup_printf ("%s.model", stem) : g_strdup_printf ("%s-%u.model", stem, n);

      g_free (dest);
      dest = g_build_filename (dir, file, NULL);
    }
  source = g_file_new_for_path (path);
  target = g_file_new_for_path (dest);
  if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    {
      g_prefix_error (error, "Cannot copy %s into %s: ", path, dir);
      return FALSE;
    }
  name = g_strdup (stem);
  if (cradle_trainer_record_model (dataset, model, dest, name, error) == 0)
    {
      g_unlink (dest);
      return FALSE;
    }
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_MODELS);
  return TRUE;
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    CradleTrainPage *self)
{
  g_autoptr(GFile) file = cradle_train_page_chooser_take_file (self, response);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  if (!cradle_train_page_import_model (self, path, &error))
    cradle_train_page_error_dialog (self, _("Cannot Import Model"), error->message);
  else
    cradle_train_page_toast (self, _("Model imported"));
}

void
cradle_train_page_import_model_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  GtkFileChooserNative *chooser = cradle_train_page_new_chooser (self, _("Import a Model File"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"));

  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_model_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          CradleTrainPage *self)
{
  g_autoptr(GFile) file = cradle_train_page_chooser_take_file (self, response);
  g_autoptr(CradleModelEntry) entry = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) error = NULL;

  if (file == NULL || self->store == NULL)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), self->chooser_model, &error);
  if (entry != NULL)
    source = g_file_new_for_path (entry->path);
  if (source == NULL || !g_file_copy (source, file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    cradle_train_page_error_dialog (self, _("Cannot Export Model"), error->message);
  else
    cradle_train_page_toast (self, _("Model exported"));
}

void
cradle_train_page_export_model (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CradleTrainPage *self = CRADLE_TRAIN_PAGE (widget);
  g_autoptr(CradleModelEntry) entry = NULL;
  GtkFileChooserNative *chooser;
  g_autofree char *base = NULL;

  if (self->store == NULL)
    return;
  entry = cradle_model_registry_get (cradle_store_get_dataset (self->store), g_variant_get_int64 (parameter), NULL);
  if (entry == NULL)
    return;
  self->chooser_model = entry->id;
  chooser = cradle_train_page_new_chooser (self, _("Export Model File"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  base = g_path_get_basename (entry->path);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), base);
  g_signal_connect (chooser, "response", G_CALLBACK (export_model_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
