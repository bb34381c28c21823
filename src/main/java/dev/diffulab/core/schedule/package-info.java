/**
 * The learning-rate schedule: linear warm-up, then cosine decay.
 */
package dev.diffulab.core.schedule;
