/**
 * Training losses with their gradients, reduced as PyTorch's {@code reduction='mean'} over the rows that count.
 *
 * <p>A {@link dev.rnn4j.loss.Loss} turns a prediction matrix {@code [N, K]} (one row per time step of each
 * sequence, or per sequence) and its {@link dev.rnn4j.loss.Targets} into the mean loss, and writes
 * {@code dLoss/dPrediction} into a gradient matrix of the same shape, which is what the network's backward pass
 * takes. Rows can be masked out (padding past a sequence's length): they neither count in the mean nor get a
 * gradient.
 *
 * <table>
 *   <caption>Losses and their PyTorch equivalents</caption>
 *   <tr><th>rnn4j</th><th>PyTorch</th><th>targets</th></tr>
 *   <tr><td>{@link dev.rnn4j.loss.MeanSquaredError}</td><td>{@code nn.MSELoss}</td><td>values [N, K]</td></tr>
 *   <tr><td>{@link dev.rnn4j.loss.MeanAbsoluteError}</td><td>{@code nn.L1Loss}</td><td>values [N, K]</td></tr>
 *   <tr><td>{@link dev.rnn4j.loss.Huber}</td><td>{@code nn.HuberLoss(delta)}</td><td>values [N, K]</td></tr>
 *   <tr><td>{@link dev.rnn4j.loss.BinaryCrossEntropy}</td><td>{@code nn.BCEWithLogitsLoss}</td>
 *       <td>values [N, K] in [0, 1]</td></tr>
 *   <tr><td>{@link dev.rnn4j.loss.SoftmaxCrossEntropy}</td><td>{@code nn.CrossEntropyLoss} (ignore_index -100)</td>
 *       <td>class ids [N]</td></tr>
 * </table>
 */
package dev.rnn4j.loss;
