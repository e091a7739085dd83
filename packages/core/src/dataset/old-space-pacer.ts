/**
 * Why this exists: V8 (Node 20) sizes its old generation after each full collection from how fast
 * the recent past allocated there, and counts ArrayBuffer bytes allocated since that collection
 * against the same limit. A serving loop that hands out fresh item memory (61 KB per [80, 192]
 * item) but promotes almost nothing gets the smallest limit, about the live size plus 8 MB, so
 * every ~8 MB of items starts a full (mark-compact) collection before a scavenge (due after ~32 MB
 * of young ArrayBuffers) would have freed them: measured 43-52 full collections per 10,800 items
 * and half the throughput. Promoting a small fraction of the bytes handed out (here 1/100, kept
 * alive across a few scavenges in a ring, then dropped) lets V8 see an allocation rate that matches
 * the memory and size the limit for it: one full collection per 10,800 items in the same bench.
 */

/** Bytes promoted per byte of fresh item memory handed out. */
const PROMOTED_SHARE = 1 / 100;
/** Slots of one promoted array (about 1 KB on 64-bit V8). */
const CHUNK_SLOTS = 120;
/** Its heap size: the array object and its backing store of 8-byte slots. */
const CHUNK_BYTES = 32 + 16 + 8 * CHUNK_SLOTS;
/**
 * Chunks kept (a power of two): 1024 chunks (1 MB) stand for ~100 MB of items, three scavenges'
 * worth, so each chunk is promoted before it is dropped.
 */
const RING = 1024;

const ring: unknown[] = new Array(RING).fill(null);
let next = 0;
let owed = 0;

/** Notes that `bytes` of new item or batch memory were handed to the caller. */
export function pacePromotion(bytes: number): void {
  owed += bytes * PROMOTED_SHARE;
  while (owed >= CHUNK_BYTES) {
    ring[next] = new Array(CHUNK_SLOTS);
    next = (next + 1) & (RING - 1);
    owed -= CHUNK_BYTES;
  }
}
