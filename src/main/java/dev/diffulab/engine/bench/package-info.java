/**
 * {@code diffulab bench}: matmul roofline, training throughput and MFU, sampling speed, peak
 * memory.
 */
package dev.diffulab.engine.bench;
