/* cradle-cause-bars.c — the cause model's probabilities as labelled bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-cause-bars.h"

struct _CradleCauseBars
{
  GtkBox     parent_instance;

  GtkWidget *placeholder;
  GtkWidget *grid;
  GPtrArray *labels;  /* (element-type utf8) the causes shown, in row order */
};

G_DEFINE_FINAL_TYPE (CradleCauseBars, cradle_cause_bars, GTK_TYPE_BOX)

static void
cradle_cause_bars_finalize (GObject *object)
{
  CradleCauseBars *self = CRADLE_CAUSE_BARS (object);

  g_ptr_array_unref (self->labels);

  G_OBJECT_CLASS (cradle_cause_bars_parent_class)->finalize (object);
}

static void
cradle_cause_bars_class_init (CradleCauseBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cradle_cause_bars_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "cradle-cause-bars");
}

static void
cradle_cause_bars_init (CradleCauseBars *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  self->placeholder = gtk_label_new (_("No cause estimate yet"));
  gtk_label_set_wrap (GTK_LABEL (self->placeholder), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->placeholder), 0.0f);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_box_append (GTK_BOX (self), self->placeholder);

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_widget_set_visible (self->grid, FALSE);
  gtk_box_append (GTK_BOX (self), self->grid);
}

GtkWidget *
cradle_cause_bars_new (void)
{
  return g_object_new (CRADLE_TYPE_CAUSE_BARS, NULL);
}

static gboolean
same_labels (CradleCauseBars    *self,
             const char * const *labels,
             guint               n)
{
  if (self->labels->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (self->labels, i), labels[i]) != 0)
      return FALSE;
  return TRUE;
}

void
cradle_cause_bars_set (CradleCauseBars    *self,
                       const char * const *labels,
                       const float        *proba,
                       guint               n)
{
  guint best = 0;

  g_return_if_fail (CRADLE_IS_CAUSE_BARS (self));
  g_return_if_fail (n == 0 || (labels != NULL && proba != NULL));

  gtk_widget_set_visible (self->placeholder, n == 0);
  gtk_widget_set_visible (self->grid, n > 0);
  if (n == 0)
    return;

  if (!same_labels (self, labels, n))
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
        gtk_grid_remove (GTK_GRID (self->grid), child);
      g_ptr_array_set_size (self->labels, 0);
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *name = gtk_label_new (labels[i]);
          GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);
          GtkWidget *percent = gtk_label_new (NULL);

          gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
          gtk_widget_set_hexpand (bar, TRUE);
          gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
          /* Plain bars: the level bar's offsets would colour a likely
           * cause as a "low" battery. */
          gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
          gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
          gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
          gtk_label_set_width_chars (GTK_LABEL (percent), 5);
          gtk_label_set_xalign (GTK_LABEL (percent), 1.0f);
          gtk_widget_add_css_class (percent, "numeric");
          gtk_grid_attach (GTK_GRID (self->grid), name, 0, (int) i, 1, 1);
          gtk_grid_attach (GTK_GRID (self->grid), bar, 1, (int) i, 1, 1);
          gtk_grid_attach (GTK_GRID (self->grid), percent, 2, (int) i, 1, 1);
          g_ptr_array_add (self->labels, g_strdup (labels[i]));
        }
    }

  for (guint i = 1; i < n; i++)
    if (proba[i] > proba[best])
      best = i;
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *name = gtk_grid_get_child_at (GTK_GRID (self->grid), 0, (int) i);
      GtkWidget *bar = gtk_grid_get_child_at (GTK_GRID (self->grid), 1, (int) i);
      GtkWidget *percent = gtk_grid_get_child_at (GTK_GRID (self->grid), 2, (int) i);
      g_autofree char *text = g_strdup_printf ("%.0f %%", 100.0 * proba[i]);

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (proba[i], 0.0f, 1.0f));
      gtk_label_set_text (GTK_LABEL (percent), text);
      if (i == best)
        gtk_widget_add_css_class (name, "heading");
      else
        gtk_widget_remove_css_class (name, "heading");
    }
}

void
cradle_cause_bars_set_placeholder (CradleCauseBars *self,
                                   const char      *text)
{
  g_return_if_fail (CRADLE_IS_CAUSE_BARS (self));

  gtk_label_set_text (GTK_LABEL (self->placeholder), text);
}

double
cradle_cause_bars_get_value (CradleCauseBars *self,
                             const char      *label)
{
  g_return_val_if_fail (CRADLE_IS_CAUSE_BARS (self), -1.0);

  if (!gtk_widget_get_visible (self->grid))
    return -1.0;
  for (guint i = 0; i < self->labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->labels, i), label) == 0)
      return gtk_level_bar_get_value (
          GTK_LEVEL_BAR (gtk_grid_get_child_at (GTK_GRID (self->grid), 1, (int) i)));
  return -1.0;
}
