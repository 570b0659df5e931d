/**
 * Optimizers, learning-rate schedules and gradient clipping, with PyTorch's semantics so that a training recipe
 * written for {@code torch.optim} carries over number for number.
 *
 * <p>One training step:
 * <pre>{@code
 * network.zeroGrad();                                              // 1. clear the accumulated gradients
 * RecurrentOutput out = network.forward(batch);                    // 2. forward
 * double loss = lossFn.lossAndGradient(prediction, targets, dPrediction);
 * network.backward(dOutput, null, null);                           // 3. backward: fills every p.grad()
 * GradientClipping.clipByGlobalNorm(network.parameters(), 1.0);    // 4. optional: tame exploding gradients
 * optimizer.step(network.parameters());                            // 5. update every p.value() from p.grad()
 * }</pre>
 * and once per epoch, {@code optimizer.setLearningRate(schedule.rate(baseRate, epoch))} or, for
 * {@link dev.rnn4j.optim.ReduceOnPlateau}, {@code optimizer.setLearningRate(plateau.onEpochEnd(validationLoss,
 * optimizer.learningRate()))}.
 *
 * <table>
 *   <caption>rnn4j and PyTorch</caption>
 *   <tr><th>rnn4j</th><th>PyTorch</th></tr>
 *   <tr><td>{@link dev.rnn4j.optim.Sgd}</td><td>{@code torch.optim.SGD}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.Adam}</td><td>{@code torch.optim.Adam}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.AdamW}</td><td>{@code torch.optim.AdamW}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.RmsProp}</td><td>{@code torch.optim.RMSprop}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.StepDecay}</td><td>{@code lr_scheduler.StepLR}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.ExponentialDecay}</td><td>{@code lr_scheduler.ExponentialLR}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.CosineAnnealing}</td><td>{@code lr_scheduler.CosineAnnealingLR}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.ReduceOnPlateau}</td><td>{@code lr_scheduler.ReduceLROnPlateau}</td></tr>
 *   <tr><td>{@link dev.rnn4j.optim.GradientClipping}</td>
 *       <td>{@code nn.utils.clip_grad_norm_}, {@code clip_grad_value_}</td></tr>
 * </table>
 */
package dev.rnn4j.optim;
