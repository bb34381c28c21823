/**
 * Corpora as documents of token ids: reading files, the train/validation split, batches by length,
 * packing whole documents into rows ({@code Packing}, {@code TrainBatch}).
 */
package dev.diffulab.core.data;
