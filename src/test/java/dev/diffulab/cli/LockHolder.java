package dev.diffulab.cli;

import dev.diffulab.engine.checkpoint.WriteLock;
import java.nio.file.Path;

/** Another process that holds a checkpoint's write lock until it is killed (for the tests). */
public final class LockHolder {
  private LockHolder() {
  }

  public static void main(String[] args) throws Exception {
    try (WriteLock lock = WriteLock.take(Path.of(args[0]), "--out")) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
