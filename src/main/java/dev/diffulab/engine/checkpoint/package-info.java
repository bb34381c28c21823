/**
 * Checkpoint directories: crash-safe writes (temporary folder, fsync, the previous one kept until
 * the new one is in place), validated reads, export without optimiser state.
 */
package dev.diffulab.engine.checkpoint;
