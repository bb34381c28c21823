/**
 * The JavaFX window, by feature; it reaches the engine only through {@code LabService} and shows
 * the snapshots it publishes.
 */
package dev.diffulab.ui;
