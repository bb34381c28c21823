/**
 * What a task on the engine thread is given: device, root manager, its own cancellation,
 * publishing, pausing, and the interactive requests it must let through between steps.
 */
package dev.diffulab.engine.runtime;
