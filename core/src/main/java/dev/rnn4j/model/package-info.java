/**
 * Trainable models around a {@link dev.rnn4j.layer.Recurrent}: an optional {@link dev.rnn4j.model.Embedding} of
 * token ids in front of it, a {@link dev.rnn4j.model.Dense} head after it, and their {@link
 * dev.rnn4j.model.Initialization initialisation}, assembled by {@link dev.rnn4j.model.SequenceModel}.
 *
 * <p>Conventions, as in the rest of rnn4j: PyTorch's layouts ({@code nn.Linear} weight [K, F], {@code
 * nn.Embedding} table [V, E]), time-major batches, flat row-major {@code float[]} storage, results owned by the
 * component's workspace until its next call, and parameter gradients accumulated until {@code zeroGrad()}.
 */
package dev.rnn4j.model;
