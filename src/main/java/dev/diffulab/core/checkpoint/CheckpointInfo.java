package dev.diffulab.core.checkpoint;

import dev.diffulab.core.config.RunConfig;
import java.nio.file.Path;

/**
 * What a checkpoint folder says about itself, read and checked without loading its weights: the
 * config that trained it, its manifest, and whether it keeps the optimiser state a resumed run
 * needs (shipped and exported models leave it out).
 */
public record CheckpointInfo(Path dir, RunConfig config, Manifest manifest, boolean resumable) {
}
