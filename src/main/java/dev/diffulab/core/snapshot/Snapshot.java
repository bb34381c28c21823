package dev.diffulab.core.snapshot;

/**
 * An immutable record the engine publishes for the UI: arrays copied, never a tensor. The newest
 * snapshot of each type replaces older undelivered ones, except a {@link StreamItem}, which is
 * appended to its stream and delivered in order.
 */
public interface Snapshot {
}
