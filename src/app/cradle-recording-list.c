/* cradle-recording-list.c — the recordings of the open dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-playback.h"
#include "cradle-recording-item.h"
#include "cradle-recording-list.h"
#include "cradle-toast.h"

struct _CradleRecordingList
{
  AdwBin              parent_instance;

  CradleStore        *store;
  gulong              changed_id;
  GListStore         *items;        /* (element-type CradleRecordingItem) every recording */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  char               *search;       /* case-folded, nullable */
  GHashTable         *pending;      /* id (gint64 *) → AdwToast: deleted, Undo offered */
  GPtrArray          *labels;       /* (element-type CradleLabelInfo) the vocabulary */
  CradlePlayback     *playback;     /* nullable until the first Play */
  GCancellable       *load_cancellable;
  gint64              playing_id;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkColumnView      *view;
};

G_DEFINE_FINAL_TYPE (CradleRecordingList, cradle_recording_list, ADW_TYPE_BIN)

static gboolean
cradle_recording_list_filter_func (gpointer item,
                                   gpointer user_data)
{
  CradleRecordingList *self = user_data;
  gint64 id = cradle_recording_item_get_id (item);

  return !g_hash_table_contains (self->pending, &id) &&
         cradle_recording_item_matches (item, self->search);
}

static void
cradle_recording_list_update_stack (CradleRecordingList *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (cradle_recording_list_get_n_recordings (self) > 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
cradle_recording_list_refilter (CradleRecordingList *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  cradle_recording_list_update_stack (self);
}

static void
show_error_toast (CradleRecordingList *self,
                  const char          *message)
{
  if (!cradle_toast_show (GTK_WIDGET (self), adw_toast_new (message)))
    g_message ("%s", message);
}

static void
cradle_recording_list_reload (CradleRecordingList *self)
{
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  CradleDataset *dataset;

  g_clear_pointer (&self->labels, g_ptr_array_unref);
  if (self->store == NULL)
    {
      g_list_store_remove_all (self->items);
      cradle_recording_list_update_stack (self);
      return;
    }

  dataset = cradle_store_get_dataset (self->store);
  self->labels = cradle_dataset_list_labels (dataset, NULL);
  recordings = cradle_dataset_list_recordings (dataset, NULL, &error);
  if (recordings == NULL)
    {
      show_error_toast (self, error->message);
      return;
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *recording = g_ptr_array_index (recordings, i);

      g_ptr_array_add (items, cradle_recording_item_new (g_steal_pointer (&recording)));
      recordings->pdata[i] = NULL;
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  cradle_recording_list_update_stack (self);
}

static void
cradle_recording_list_store_changed_cb (CradleRecordingList *self,
                                        guint                what,
                                        CradleStore         *store)
{
  if (what & (CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_BABIES | CRADLE_STORE_CHANGE_LABELS))
    cradle_recording_list_reload (self);
}

static void
cradle_recording_list_search_changed_cb (CradleRecordingList *self,
                                         GtkSearchEntry      *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_clear_pointer (&self->search, g_free);
  if (text[0] != '\0')
    self->search = g_utf8_casefold (text, -1);
  cradle_recording_list_refilter (self);
}

/* Deleting with Undo */

static void
really_delete (CradleRecordingList *self,
               gint64               id)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!cradle_dataset_delete_recording (cradle_store_get_dataset (self->store), id, &error))
    show_error_toast (self, error->message);
}

static void
delete_toast_dismissed_cb (AdwToast            *toast,
                           CradleRecordingList *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "cradle-recording-id"));

  if (!g_hash_table_remove (self->pending, &id))
    return;
  really_delete (self, id);
  if (self->store != NULL)
    cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
}

static void
delete_toast_undo_cb (AdwToast            *toast,
                      CradleRecordingList *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "cradle-recording-id"));

  /* Removed before the toast's dismissal, so that keeps the recording. */
  g_hash_table_remove (self->pending, &id);
  cradle_recording_list_refilter (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);
  AdwToast *toast;

  if (self->store == NULL || g_hash_table_contains (self->pending, &id))
    return;

  toast = adw_toast_new (_("Recording deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "cradle-recording-id", GSIZE_TO_POINTER (id));
  g_hash_table_insert (self->pending, g_memdup2 (&id, sizeof id), g_object_ref (toast));
  g_signal_connect (toast, "button-clicked", G_CALLBACK (delete_toast_undo_cb), self);
  g_signal_connect (toast, "dismissed", G_CALLBACK (delete_toast_dismissed_cb), self);
  cradle_recording_list_refilter (self);

  /* A toast before it (an earlier Undo too) goes, so Undo shows at once. */
  if (!cradle_toast_show (GTK_WIDGET (self), g_object_ref (toast)))
    /* Nowhere to offer Undo: delete now. */
    adw_toast_dismiss (toast);
  g_object_unref (toast);
}

/* Deletes every hidden recording now (the toasts cannot outlive us).
 * Returns whether there were any. */
static gboolean
flush_pending (CradleRecordingList *self)
{
  g_autoptr(GList) toasts = g_hash_table_get_values (self->pending);
  gboolean any = toasts != NULL;

  for (GList *l = toasts; l != NULL; l = l->next)
    {
      AdwToast *toast = l->data;
      gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "cradle-recording-id"));

      g_signal_handlers_disconnect_by_data (toast, self);
      really_delete (self, id);
    }
  for (GList *l = toasts; l != NULL; l = l->next)
    adw_toast_dismiss (l->data);
  g_hash_table_remove_all (self->pending);

  return any;
}

static void
relabel_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (widget);
  g_autoptr(GError) error = NULL;
  const char *label;
  gint64 id;

  if (self->store == NULL)
    return;

  g_variant_get (parameter, "(x&s)", &id, &label);
  if (!cradle_dataset_set_label (cradle_store_get_dataset (self->store), id,
                                 label[0] != '\0' ? label : NULL,
                                 label[0] != '\0' ? CRADLE_LABEL_STATUS_CONFIRMED
                                                  : CRADLE_LABEL_STATUS_DONT_KNOW,
                                 NULL, -1, &error))
    {
      show_error_toast (self, error->message);
      return;
    }
  cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
}

/* Playing: the file is decoded in a worker, then played from here. */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CradleAudio *audio = cradle_audio_load (task_data, 0, &error);

  if (audio == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, audio, (GDestroyNotify) cradle_audio_free);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (source);
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) error = NULL;

  audio = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (audio == NULL)
    {
      show_error_toast (self, error->message);
      return;
    }
  if (self->playback == NULL)
    self->playback = cradle_playback_new (NULL, &error);
  if (self->playback == NULL ||
      !cradle_playback_play (self->playback, audio->samples, audio->n_samples, audio->sample_rate, 0, 0, &error))
    {
      show_error_toast (self, error->message);
      return;
    }
  self->playing_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (result), "cradle-id"));
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(CradleRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;

  /* Play again on the recording playing now stops it. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->playback != NULL && cradle_playback_is_playing (self->playback))
    {
      cradle_playback_stop (self->playback, NULL);   /* a stuck device: the next play says so */
      if (self->playing_id == id)
        {
          self->playing_id = 0;
          return;
        }
    }

  recording = cradle_dataset_get_recording (cradle_store_get_dataset (self->store), id, &error);
  if (recording == NULL)
    {
      show_error_toast (self, error->message);
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, play_action);
  g_task_set_task_data (task, cradle_dataset_resolve_path (cradle_store_get_dataset (self->store),
                                                           recording->path), g_free);
  g_object_set_data (G_OBJECT (task), "cradle-id", GSIZE_TO_POINTER (id));
  g_task_run_in_thread (task, load_thread);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.open-recording", "x", g_variant_get_int64 (parameter));
}

/* Cells */

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

typedef enum {
  COLUMN_DATE,
  COLUMN_BABY,
  COLUMN_LABEL,
  COLUMN_STATUS,
  COLUMN_DURATION,
} Column;

static void
bind_text_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  CradleRecordingItem *item = gtk_list_item_get_item (list_item);
  const CradleRecording *recording = cradle_recording_item_get_recording (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "cradle-column"));
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  switch (column)
    {
    case COLUMN_DATE:
      text = cradle_recording_item_format_created (item);
      break;
    case COLUMN_BABY:
      text = g_strdup (recording->baby_alias != NULL ? recording->baby_alias : "—");
      break;
    case COLUMN_LABEL:
      text = g_strdup (cradle_recording_item_get_label_text (item));
      break;
    case COLUMN_STATUS:
      text = g_strdup (cradle_recording_item_get_status_text (item));
      if (recording->label_status == CRADLE_LABEL_STATUS_PREDICTED && recording->confidence >= 0)
        {
          g_free (text);
          /* Translators: a model's prediction and its confidence, e.g. "Predicted, 87 %". */
          text = g_strdup_printf (_("Predicted, %.0f %%"), 100.0 * recording->confidence);
        }
      if (recording->label_status != CRADLE_LABEL_STATUS_CONFIRMED)
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      break;
    case COLUMN_DURATION:
      /* Translators: a duration in seconds, e.g. "4.2 s". */
      text = g_strdup_printf (_("%.1f s"), recording->duration);
      break;
    }
  gtk_label_set_text (label, text);
}

static void
setup_actions_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  GtkWidget *relabel = gtk_menu_button_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("cradle-waveform-symbolic");
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (relabel), "document-edit-symbolic");
  gtk_widget_set_tooltip_text (play, _("Play or Stop"));
  gtk_widget_set_tooltip_text (relabel, _("Change Label"));
  gtk_widget_set_tooltip_text (open, _("Open in Spectrogram"));
  gtk_widget_set_tooltip_text (delete, _("Delete"));
  /* A target of the action's type before the name; bind sets the row's. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "x", (gint64) 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "x", (gint64) 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (play), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (play), "recordings.play");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "recordings.open");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "recordings.delete");
  for (GtkWidget *w = play; w != NULL; w = w == play ? relabel : w == relabel ? open : w == open ? delete : NULL)
    {
      gtk_widget_add_css_class (w, "flat");
      gtk_box_append (GTK_BOX (box), w);
    }
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_actions_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 CradleRecordingList      *self)
{
  CradleRecordingItem *item = gtk_list_item_get_item (list_item);
  const CradleRecording *recording = cradle_recording_item_get_recording (item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *play = gtk_widget_get_first_child (box);
  GtkWidget *relabel = gtk_widget_get_next_sibling (play);
  GtkWidget *open = gtk_widget_get_next_sibling (relabel);
  GtkWidget *delete = gtk_widget_get_next_sibling (open);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) cry = g_menu_new ();
  g_autoptr(GMenu) not_cry = g_menu_new ();
  g_autoptr(GMenu) other = g_menu_new ();
  g_autoptr(GMenuItem) dont_know = NULL;

  gtk_actionable_set_action_target (GTK_ACTIONABLE (play), "x", recording->id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "x", recording->id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "x", recording->id);

  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    {
      CradleLabelInfo *info = g_ptr_array_index (self->labels, i);
      g_autoptr(GMenuItem) menu_item = g_menu_item_new (info->name, NULL);

      g_menu_item_set_action_and_target_value (menu_item, "recordings.relabel",
                                               g_variant_new ("(xs)", recording->id, info->name));
      g_menu_append_item (info->is_cry ? cry : not_cry, menu_item);
    }
  dont_know = g_menu_item_new (_("Don’t Know"), NULL);
  g_menu_item_set_action_and_target_value (dont_know, "recordings.relabel",
                                           g_variant_new ("(xs)", recording->id, ""));
  g_menu_append_item (other, dont_know);
  g_menu_append_section (menu, _("Cry"), G_MENU_MODEL (cry));
  g_menu_append_section (menu, _("Not Cry"), G_MENU_MODEL (not_cry));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (other));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (relabel), G_MENU_MODEL (menu));
}

static GtkColumnViewColumn *
add_column (CradleRecordingList *self,
            const char          *title,
            Column               column,
            const char          *property,
            gboolean             numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkExpression *expression;
  GtkSorter *sorter;

  g_object_set_data (G_OBJECT (factory), "cradle-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text_cb), NULL);
  view_column = gtk_column_view_column_new (title, factory);
  expression = gtk_property_expression_new (CRADLE_TYPE_RECORDING_ITEM, NULL, property);
  if (numeric)
    sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  else
    sorter = GTK_SORTER (gtk_string_sorter_new (expression));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  g_object_unref (sorter);
  gtk_column_view_append_column (self->view, view_column);
  g_object_unref (view_column);

  return view_column;
}

static void
cradle_recording_list_dispose (GObject *object)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->playback, cradle_playback_free);
  /* No ::changed here: the other pages may be going away too. */
  if (self->pending != NULL)
    flush_pending (self);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (cradle_recording_list_parent_class)->dispose (object);
}

static void
cradle_recording_list_finalize (GObject *object)
{
  CradleRecordingList *self = CRADLE_RECORDING_LIST (object);

  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_free (self->search);

  G_OBJECT_CLASS (cradle_recording_list_parent_class)->finalize (object);
}

static void
cradle_recording_list_class_init (CradleRecordingListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_recording_list_dispose;
  object_class->finalize = cradle_recording_list_finalize;

  gtk_widget_class_install_action (widget_class, "recordings.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "recordings.relabel", "(xs)", relabel_action);
  gtk_widget_class_install_action (widget_class, "recordings.open", "x", open_action);
  gtk_widget_class_install_action (widget_class, "recordings.play", "x", play_action);
}

static GtkWidget *
status_page (const char *icon,
             const char *title,
             const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  gtk_widget_add_css_class (page, "compact");
  return page;
}

static void
cradle_recording_list_init (CradleRecordingList *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *actions_factory;
  GtkColumnViewColumn *date_column;
  GtkColumnViewColumn *actions_column;
  g_autoptr(GtkNoSelection) selection = NULL;

  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->items = g_list_store_new (CRADLE_TYPE_RECORDING_ITEM);
  self->filter = gtk_custom_filter_new (cradle_recording_list_filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->filter)));

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search_entry, "placeholder-text", _("Search labels, babies and notes"), NULL);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (cradle_recording_list_search_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_entry));

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  date_column = add_column (self, _("Date"), COLUMN_DATE, "created", FALSE);
  gtk_column_view_column_set_expand (date_column, TRUE);
  gtk_column_view_column_set_expand (add_column (self, _("Baby"), COLUMN_BABY, "baby", FALSE), TRUE);
  gtk_column_view_column_set_expand (add_column (self, _("Label"), COLUMN_LABEL, "label", FALSE), TRUE);
  add_column (self, _("Status"), COLUMN_STATUS, "status", FALSE);
  add_column (self, _("Length"), COLUMN_DURATION, "duration", TRUE);

  actions_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (actions_factory, "setup", G_CALLBACK (setup_actions_cb), NULL);
  g_signal_connect_object (actions_factory, "bind", G_CALLBACK (bind_actions_cb), self, 0);
  actions_column = gtk_column_view_column_new (NULL, actions_factory);
  gtk_column_view_append_column (self->view, actions_column);
  g_object_unref (actions_column);

  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_sort_by_column (self->view, date_column, GTK_SORT_DESCENDING);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scrolled, TRUE);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_stack_add_named (self->stack,
                       status_page ("audio-input-microphone-symbolic", _("No Recordings Yet"),
                                    _("Press Record or drop audio files here")),
                       "empty");
  gtk_stack_add_named (self->stack,
                       status_page ("edit-find-symbolic", _("No Matching Recordings"),
                                    _("Try a label, a baby’s name or a word from the notes")),
                       "no-results");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_bin_set_child (ADW_BIN (self), box);
  cradle_recording_list_update_stack (self);
}

GtkWidget *
cradle_recording_list_new (void)
{
  return g_object_new (CRADLE_TYPE_RECORDING_LIST, NULL);
}

void
cradle_recording_list_set_store (CradleRecordingList *self,
                                 CradleStore         *store)
{
  g_return_if_fail (CRADLE_IS_RECORDING_LIST (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;

  /* Hidden recordings belong to the old dataset. */
  if (flush_pending (self) && self->store != NULL)
    cradle_store_emit_changed (self->store, CRADLE_STORE_CHANGE_RECORDINGS);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect_object (store, "changed",
                                                G_CALLBACK (cradle_recording_list_store_changed_cb),
                                                self, G_CONNECT_SWAPPED);
  cradle_recording_list_reload (self);
}

GListModel *
cradle_recording_list_get_model (CradleRecordingList *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_LIST (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

guint
cradle_recording_list_get_n_recordings (CradleRecordingList *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items)) - g_hash_table_size (self->pending);
}
