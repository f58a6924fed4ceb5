import { randomFillSync } from "node:crypto";

/**
 * Random bytes from a pool refilled 4 KiB at a time: a call to randomBytes costs about 10 µs
 * whatever its size, which was a quarter of a 100,000-code import (two calls per code).
 * Each caller gets its own copy of bytes never handed out before.
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size));
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return bytes;
}

/**
 * UUIDv7 (RFC 9562): ids that sort in the order they were made. Within one millisecond a
 * 12-bit counter in `rand_a` keeps them strictly increasing (the RFC's method 1); the other
 * 62 bits are random. Used where the order of rows is their meaning: the quota ledger is
 * replayed in id order, and its ids are made inside the transaction that holds the balance,
 * so id order is commit order for each balance (decision 015).
 *
 * The state lives on globalThis: the server and the Remix build are two module graphs in one
 * process, and both write ledger rows (jobs and requests).
 */
const state = ((globalThis as { __maillonUuidV7?: { ms: number; counter: number } }).__maillonUuidV7 ??= { ms: 0, counter: 0 });

export function timeOrderedId(now = Date.now()): string {
  if (now > state.ms) {
    state.ms = now;
    state.counter = 0;
  } else if (++state.counter > 0xfff) {
    // 4,096 ids in one millisecond (or a clock that went back): borrow the next millisecond.
    state.ms += 1;
    state.counter = 0;
  }
  const bytes = pooledRandomBytes(16);
  bytes.writeUIntBE(state.ms, 0, 6);
  bytes[6] = 0x70 | (state.counter >> 8);
  bytes[7] = state.counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
