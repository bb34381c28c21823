/**
 * Prompt → response data: pair corpora read from JSON Lines (prompt/response, src/trg, GSM8K's
 * question/answer) and TSV, a held-out split by prompt, and the built-in multiplication task
 * with its chain of thought and an exact grader.
 */
package dev.diffulab.core.pairs;
