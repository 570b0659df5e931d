package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.Nonlinearity;

/**
 * Builds simple (Elman) RNNs: {@code SimpleRnn.builder().inputSize(8).hiddenSize(64).nonlinearity(Nonlinearity.RELU).build()}.
 * See {@link dev.rnn4j.cell.SimpleRnnCell}.
 */
public final class SimpleRnn {
    private SimpleRnn() {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends RecurrentBuilder<Builder> {
        private Nonlinearity nonlinearity = Nonlinearity.TANH;

        Builder() {
            super(CellType.RNN);
        }

        /** tanh (default) or relu, as PyTorch's {@code nonlinearity}. */
        public Builder nonlinearity(Nonlinearity nonlinearity) {
            this.nonlinearity = nonlinearity;
            return this;
        }

        @Override
        Nonlinearity nonlinearity() {
            return nonlinearity;
        }
    }
}
