/**
 * A corpus loaded with a tokenizer: documents as ids, statistics, data hash.
 */
package dev.diffulab.engine.data;
