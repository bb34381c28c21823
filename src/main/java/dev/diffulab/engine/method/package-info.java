/**
 * {@code DiffusionMethod}, sealed: one implementation per family puts its building blocks together
 * — model, training inside a run, sampling, preview, loss curve, evaluation, checkpoint extras —
 * so nothing above asks which family it holds. {@code LoadedModel} is a checkpoint ready to use.
 */
package dev.diffulab.engine.method;
