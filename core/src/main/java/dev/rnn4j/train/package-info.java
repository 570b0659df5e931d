/**
 * Training loops for {@link dev.rnn4j.model.SequenceModel}s: data, the {@link dev.rnn4j.train.Trainer}, its
 * settings and what it reports.
 *
 * <ul>
 *   <li>Data: a {@link dev.rnn4j.train.Batch} is a model input with its targets. A finite
 *       {@link dev.rnn4j.train.Dataset} of {@link dev.rnn4j.train.Example}s (variable-length sequences of features or
 *       token ids, with a target per sequence or per step) is cut into padded, masked mini-batches by a
 *       {@link dev.rnn4j.train.Batcher}, shuffled per epoch from (seed, epoch), optionally bucketed by length. An
 *       endless {@link dev.rnn4j.train.BatchSource} (a synthetic task) makes batch i from (seed, i) alone.</li>
 *   <li>Settings: {@link dev.rnn4j.train.TrainConfig} with an {@link dev.rnn4j.train.OptimizerSpec}, a loss,
 *       clipping, a learning-rate schedule or {@link dev.rnn4j.train.PlateauSettings}, epochs or steps,
 *       {@link dev.rnn4j.train.EarlyStopping}, checkpoints, seed, threads and truncated BPTT; all of it JSON, recorded
 *       in checkpoints and model provenance.</li>
 *   <li>The loop: {@link dev.rnn4j.train.Trainer} (its class comment gives the order of a step), reporting to
 *       {@link dev.rnn4j.train.TrainingListener}s ({@link dev.rnn4j.train.StepMetrics},
 *       {@link dev.rnn4j.train.ValidationMetrics}, {@link dev.rnn4j.train.TrainResult}).</li>
 *   <li>Reproducibility: {@link dev.rnn4j.train.Seeds} derives every random stream from the seed and a position, so
 *       the same seed and thread count give bitwise the same run, and a run resumed from a checkpoint
 *       ({@link dev.rnn4j.io.TrainingCheckpoint}) ends with bitwise the weights of an uninterrupted one.</li>
 * </ul>
 */
package dev.rnn4j.train;
