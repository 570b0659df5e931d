package dev.rnn4j.loss;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code mean((prediction - target)^2)} over the counted rows' elements, as {@code torch.nn.MSELoss()}; gradient
 * {@code 2 (prediction - target) / (M * K)}.
 */
public final class MeanSquaredError extends ElementwiseLoss {

    public MeanSquaredError() {}

    // Lanes of doubles, so the values are those of the scalar formula in double: d = p - t exactly, the gradient
    // (float) (d * 2 scale), and the squares summed in each lane, the lanes then added in lane order.
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    /** Σ (p - t)², and g = (float) (2 (p - t) scale). */
    @Override
    double rowLossAndGradient(float[] p, int pOff, float[] t, int tOff, float[] g, int gOff, int k, double scale) {
        DoubleVector squares = DoubleVector.zero(DOUBLES);
        double twiceScale = 2.0 * scale;
        for (int c = 0; c < k; c += FLOATS.length()) {
            VectorMask<Float> m = FLOATS.indexInRange(c, k);
            DoubleVector d = toDoubles(FloatVector.fromArray(FLOATS, p, pOff + c, m))
                    .sub(toDoubles(FloatVector.fromArray(FLOATS, t, tOff + c, m)));
            squares = d.fma(d, squares);
            if (g != null) ((FloatVector) d.mul(twiceScale).convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(g, gOff + c, m);
        }
        double sum = 0.0;
        for (int lane = 0; lane < DOUBLES.length(); lane++) sum += squares.lane(lane);
        return sum;
    }

    private static DoubleVector toDoubles(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    @Override
    public String toString() {
        return "MeanSquaredError";
    }
}
