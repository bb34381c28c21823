/**
 * Charts: the live loss chart with decimation, the entropy-versus-time chart, PNG and CSV export.
 */
package dev.diffulab.ui.chart;
