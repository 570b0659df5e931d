package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;

/**
 * Builds GRU networks: {@code Gru.builder().inputSize(32).hiddenSize(128).build()}. Reset-after (PyTorch's
 * equations) by default; {@code .variant(GruVariant.RESET_BEFORE)} for Cho et al.'s. See {@link dev.rnn4j.cell.GruCell}.
 */
public final class Gru {
    private Gru() {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends RecurrentBuilder<Builder> {
        private GruVariant variant = GruVariant.RESET_AFTER;

        Builder() {
            super(CellType.GRU);
        }

        public Builder variant(GruVariant variant) {
            this.variant = variant;
            return this;
        }

        @Override
        GruVariant gruVariant() {
            return variant;
        }
    }
}
