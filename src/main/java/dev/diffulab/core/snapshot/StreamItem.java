package dev.diffulab.core.snapshot;

/** A snapshot that belongs to an append-only stream (loss points, log lines): none is dropped. */
public interface StreamItem extends Snapshot {
}
