package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.tensor.Parameter;

import java.util.Arrays;

/**
 * Builds LSTM networks: {@code Lstm.builder().inputSize(32).hiddenSize(128).layers(2).bidirectional(true).build()}.
 * The equations are those of {@link dev.rnn4j.cell.LstmCell}.
 */
public final class Lstm {
    private Lstm() {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends RecurrentBuilder<Builder> {
        private Float forgetBias;

        Builder() {
            super(CellType.LSTM);
        }

        /**
         * Starts the forget gate's bias at this value (1 is the usual choice, Gers et al. 2000) so that the
         * cell remembers by default: b_ih's forget block is set to it and b_hh's to 0. Unset: PyTorch's init.
         */
        public Builder forgetBias(float value) {
            this.forgetBias = value;
            return this;
        }

        @Override
        void adjustInitialParameters(Recurrent network) {
            RecurrentConfig c = network.config();
            if (forgetBias == null || !c.bias()) return;
            int h = c.hiddenSize();
            for (int layer = 0; layer < c.layers(); layer++) {
                for (int dir = 0; dir < c.directions(); dir++) {
                    String s = RecurrentConfig.suffix(layer, dir);
                    Parameter ih = network.parameter("bias_ih" + s);
                    Parameter hh = network.parameter("bias_hh" + s);
                    // gate order i, f, g, o: the forget block is [H, 2H)
                    Arrays.fill(ih.value(), h, 2 * h, forgetBias);
                    Arrays.fill(hh.value(), h, 2 * h, 0f);
                }
            }
        }
    }
}
