/* cradle-ring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-ring.h"

#include <stdatomic.h>
#include <string.h>

struct _CradleRing
{
  float          *data;
  gsize           mask;
  /* Free-running counters; the slot is counter & mask. Each is written by
   * one side only. Kept on separate cache lines to avoid false sharing. */
  _Alignas (64) atomic_size_t head;   /* written by the producer */
  _Alignas (64) atomic_size_t tail;   /* written by the consumer */
};

CradleRing *
cradle_ring_new (gsize capacity)
{
  CradleRing *ring;
  gsize size = 2;

  g_return_val_if_fail (capacity <= G_MAXSIZE / 8, NULL);

  while (size < capacity)
    size <<= 1;
  ring = g_aligned_alloc0 (1, sizeof (CradleRing), 64);
  ring->data = g_new0 (float, size);
  ring->mask = size - 1;
  atomic_init (&ring->head, 0);
  atomic_init (&ring->tail, 0);
  return ring;
}

void
cradle_ring_free (CradleRing *ring)
{
  if (ring == NULL)
    return;
  g_free (ring->data);
  g_aligned_free (ring);
}

gsize
cradle_ring_capacity (const CradleRing *ring)
{
  g_return_val_if_fail (ring != NULL, 0);

  return ring->mask + 1;
}

gsize
cradle_ring_write (CradleRing  *ring,
                   const float *data,
                   gsize        n)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  gsize room = ring->mask + 1 - (head - tail);
  gsize start;
  gsize first;

  n = MIN (n, room);
  if (n == 0)
    return 0;
  start = head & ring->mask;
  first = MIN (n, ring->mask + 1 - start);
  memcpy (ring->data + start, data, first * sizeof (float));
  memcpy (ring->data, data + first, (n - first) * sizeof (float));
  atomic_store_explicit (&ring->head, head + n, memory_order_release);
  return n;
}

gsize
cradle_ring_read (CradleRing *ring,
                  float      *data,
                  gsize       n)
{
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  gsize start;
  gsize first;

  n = MIN (n, head - tail);
  if (n == 0)
    return 0;
  start = tail & ring->mask;
  first = MIN (n, ring->mask + 1 - start);
  memcpy (data, ring->data + start, first * sizeof (float));
  memcpy (data + first, ring->data, (n - first) * sizeof (float));
  atomic_store_explicit (&ring->tail, tail + n, memory_order_release);
  return n;
}

gsize
cradle_ring_readable (CradleRing *ring)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);

  return head - tail;
}

gsize
cradle_ring_writable (CradleRing *ring)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_acquire);

  return ring->mask + 1 - (head - tail);
}
