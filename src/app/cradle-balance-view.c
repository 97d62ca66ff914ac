/* cradle-balance-view.c — how many clips each class and baby has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-balance-view.h"

struct _CradleBalanceView
{
  AdwBin               parent_instance;

  CradleStore         *store;
  gulong               changed_id;
  GHashTable          *counts;   /* key → GINT_TO_POINTER (count + 1) */

  AdwPreferencesPage  *page;
  GPtrArray           *groups;   /* (element-type AdwPreferencesGroup) shown now */
};

G_DEFINE_FINAL_TYPE (CradleBalanceView, cradle_balance_view, ADW_TYPE_BIN)

static GtkWidget *
count_row (const char *title,
           guint       count,
           double      max_value,
           gboolean    is_class)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, max_value);
  g_autofree char *subtitle = NULL;

  if (!is_class)
    /* Translators: the number of recordings of a baby. */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording", "%u recordings", count), count);
  else if (count < CRADLE_BALANCE_MINIMUM)
    /* Translators: %u clips so far and how many more reach the minimum for training. */
    subtitle = g_strdup_printf (_("%u — %u more for the minimum of %u"), count,
                                CRADLE_BALANCE_MINIMUM - count, CRADLE_BALANCE_MINIMUM);
  else if (count < CRADLE_BALANCE_RECOMMENDED)
    subtitle = g_strdup_printf (_("%u — minimum reached, %u recommended"), count,
                                CRADLE_BALANCE_RECOMMENDED);
  else
    subtitle = g_strdup_printf (_("%u — recommended amount reached"), count);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MIN ((double) count, max_value));
  if (is_class)
    {
      /* Below the minimum: "low" (warning colour); to the recommendation:
       * "high"; there: "full". */
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW, CRADLE_BALANCE_MINIMUM - 0.5);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH,
                                      CRADLE_BALANCE_RECOMMENDED - 0.5);
      gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL, CRADLE_BALANCE_RECOMMENDED);
    }
  gtk_widget_set_size_request (bar, 140, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return row;
}

static AdwPreferencesGroup *
add_group (CradleBalanceView *self,
           const char        *title,
           const char        *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
cradle_balance_view_reload (CradleBalanceView *self)
{
  g_autoptr(CradleDatasetStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *labels_description = NULL;
  AdwPreferencesGroup *cry, *not_cry, *babies;
  guint largest_baby = 1;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->counts);

  if (self->store == NULL)
    return;
  stats = cradle_dataset_get_stats (cradle_store_get_dataset (self->store), &error);
  if (stats == NULL)
    {
      add_group (self, _("Cannot Count Recordings"), error->message);
      return;
    }

  labels_description = g_strdup_printf (_("Training needs at least %u clips of each class; %u is better."),
                                        CRADLE_BALANCE_MINIMUM, CRADLE_BALANCE_RECOMMENDED);
  cry = add_group (self, _("Cry Labels"), labels_description);
  not_cry = add_group (self, _("Not-Cry Labels"), NULL);
  for (guint i = 0; i < stats->per_label->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (stats->per_label, i);

      adw_preferences_group_add (c->is_cry ? cry : not_cry,
                                 count_row (c->key, c->count, CRADLE_BALANCE_RECOMMENDED, TRUE));
      g_hash_table_insert (self->counts, g_strdup (c->key), GINT_TO_POINTER (c->count + 1));
    }

  babies = add_group (self, _("Babies"),
                      stats->per_baby->len == 0 ? _("No recording has a baby yet.") : NULL);
  for (guint i = 0; i < stats->per_baby->len; i++)
    largest_baby = MAX (largest_baby, ((CradleDatasetCount *) g_ptr_array_index (stats->per_baby, i))->count);
  for (guint i = 0; i < stats->per_baby->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (stats->per_baby, i);

      adw_preferences_group_add (babies, count_row (c->key, c->count, largest_baby, FALSE));
      g_hash_table_insert (self->counts, g_strdup (c->key), GINT_TO_POINTER (c->count + 1));
    }
}

static void
cradle_balance_view_store_changed_cb (CradleBalanceView *self,
                                      guint              what,
                                      CradleStore       *store)
{
  if (what & (CRADLE_STORE_CHANGE_RECORDINGS | CRADLE_STORE_CHANGE_BABIES | CRADLE_STORE_CHANGE_LABELS))
    cradle_balance_view_reload (self);
}

static void
cradle_balance_view_dispose (GObject *object)
{
  CradleBalanceView *self = CRADLE_BALANCE_VIEW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  adw_bin_set_child (ADW_BIN (self), NULL);
  if (self->groups != NULL)
    g_ptr_array_set_size (self->groups, 0);

  G_OBJECT_CLASS (cradle_balance_view_parent_class)->dispose (object);
}

static void
cradle_balance_view_finalize (GObject *object)
{
  CradleBalanceView *self = CRADLE_BALANCE_VIEW (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->counts, g_hash_table_unref);

  G_OBJECT_CLASS (cradle_balance_view_parent_class)->finalize (object);
}

static void
cradle_balance_view_class_init (CradleBalanceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cradle_balance_view_dispose;
  object_class->finalize = cradle_balance_view_finalize;
}

static void
cradle_balance_view_init (CradleBalanceView *self)
{
  self->groups = g_ptr_array_new ();
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->page));
}

GtkWidget *
cradle_balance_view_new (void)
{
  return g_object_new (CRADLE_TYPE_BALANCE_VIEW, NULL);
}

void
cradle_balance_view_set_store (CradleBalanceView *self,
                               CradleStore       *store)
{
  g_return_if_fail (CRADLE_IS_BALANCE_VIEW (self));
  g_return_if_fail (store == NULL || CRADLE_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect_object (store, "changed",
                                                G_CALLBACK (cradle_balance_view_store_changed_cb),
                                                self, G_CONNECT_SWAPPED);
  cradle_balance_view_reload (self);
}

int
cradle_balance_view_get_count (CradleBalanceView *self,
                               const char        *key)
{
  g_return_val_if_fail (CRADLE_IS_BALANCE_VIEW (self), -1);
  g_return_val_if_fail (key != NULL, -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (self->counts, key)) - 1;
}
