package dev.diffulab.core.snapshot;

/**
 * The model the Masking and Denoise workspaces use: where it came from and what it is.
 *
 * @param source a checkpoint directory or a run name
 * @param method "masked" or "cdcd"
 * @param summary one line: size, steps trained, corpus
 */
public record ModelSnapshot(String source, String method, String summary, int seqLen,
    String defaultSampler) implements Snapshot {
}
