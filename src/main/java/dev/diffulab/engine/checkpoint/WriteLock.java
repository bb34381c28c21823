package dev.diffulab.engine.checkpoint;

import dev.diffulab.core.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Held by a training run for as long as it may write its checkpoint: a second run to the same
 * folder, in this process or another, is refused rather than let the two replace each other's
 * checkpoints and remove each other's temporary folders. An operating-system lock on a hidden
 * sibling file ({@code .NAME.lock}), so a killed run leaves nothing that blocks the next one.
 */
public final class WriteLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private WriteLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of checkpoint folder {@code out}; {@code option} names it in the message when
   * another run holds it.
   */
  public static WriteLock take(Path out, String option) {
    Path target = out.toAbsolutePath().normalize();
    Path file = target.resolveSibling("." + target.getFileName() + ".lock");
    FileChannel channel;
    try {
      Files.createDirectories(target.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InputException(option + " " + out + ": cannot write in " + target.getParent()
          + " (" + e.getMessage() + ")");
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run of this process
    } catch (IOException e) {
      lock = null;
    }
    if (lock == null) {
      close(channel);
      throw new InputException(option + " " + out + " is being written by another training"
          + " run; wait for it to end, or choose another folder");
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("DiffuLab training run, process " + ProcessHandle.current()
          .pid() + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // the note is for a person looking at the folder; the lock is what counts
    }
    return new WriteLock(file, channel, lock);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
      lock.release();
    } catch (IOException e) {
      // released with the channel below
    }
    close(channel);
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was written through it that matters
    }
  }
}
