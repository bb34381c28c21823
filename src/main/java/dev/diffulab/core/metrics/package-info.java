/**
 * Measurements on text: corpus statistics, entropies, sample validity, variety and copies of
 * training stories.
 */
package dev.diffulab.core.metrics;
