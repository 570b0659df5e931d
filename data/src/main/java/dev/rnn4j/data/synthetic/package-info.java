/**
 * Synthetic sequence tasks with known answers and known baselines, for measuring how far back a cell can
 * remember: the adding problem and the copy task.
 */
package dev.rnn4j.data.synthetic;
