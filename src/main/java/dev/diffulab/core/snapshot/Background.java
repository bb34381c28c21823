package dev.diffulab.core.snapshot;

/**
 * A snapshot of long work running in the background — a training run's progress, losses, curves
 * and previews. A window shows these a few times a second rather than at its frame rate: on a
 * small CPU every frame it draws is time taken from the training it shows.
 */
public interface Background extends Snapshot {
}
