/**
 * The engine: the one thread that owns every DJL object ({@code DiffusionEngine}), what the app
 * has open ({@code Workbench}), and {@code LabService}, the only door the window uses. The only
 * layer that touches DJL; its sub-packages are layered as docs/architecture.md shows
 * (ArchitectureTest checks it).
 */
package dev.diffulab.engine;
