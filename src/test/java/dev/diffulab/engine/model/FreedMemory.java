package dev.diffulab.engine.model;

import java.lang.foreign.Arena;

/**
 * Leaves one byte value in freed native memory: blocks of every size from 4 bytes to 128 KiB are
 * allocated, filled and freed, so that the next native buffers of those sizes start out holding
 * it. A kernel that reads memory it never wrote then shows: NaN bytes give non-finite numbers,
 * and results differ from those after zero bytes.
 */
public final class FreedMemory {
  private FreedMemory() {
  }

  /** Fills freed blocks of every size up to 128 KiB with {@code value}. */
  public static void fill(byte value) {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 16 * 100; i++) {
        try (Arena arena = Arena.ofConfined()) {
          arena.allocate(4L << (i % 16), 16).fill(value);
        }
      }
    }
  }
}
