package dev.rnn4j.data.forecast;

import dev.rnn4j.data.series.Frequency;
import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The windows and targets the model sees, against values worked out by hand. */
class ForecastPreprocessingTest {
    private static final double[] Y = {10, 12, 11, 15, 14, 18};

    private static ForecastPreprocessing with(Transform transform, Scaler scaler, List<String> features, List<Scaler> featureScalers) {
        return new ForecastPreprocessing("y", features, null, null, Frequency.NONE, 1, 3, 2, transform, scaler, featureScalers, List.of());
    }

    @Test
    void levelsAreScaledAndAnchoredAtTheOrigin() {
        ForecastPreprocessing p = with(Transform.NONE, new Scaler(ScalingKind.STANDARD, 12, 2), List.of(), List.of());
        assertEquals(2, p.inputsPerStep());
        ForecastPreprocessing.Mapped m = p.map("s", Y, new double[0][], null);
        float[] x = new float[6];
        p.window(m, 3, x, 0, 2); // rows 1..3: 12, 11, 15; origin level 15
        assertArrayEquals(new float[] {0f, -1.5f, -0.5f, -2f, 1.5f, 0f}, x);
        assertArrayEquals(new float[] {-0.5f, 1.5f}, p.target(m, 3)); // (14 - 15) / 2, (18 - 15) / 2
        assertEquals(14.0, p.toUnits(15, -0.5));
    }

    @Test
    void differencesAreScaledWithoutTheirCenterInTheTarget() {
        ForecastPreprocessing p = with(Transform.DIFF, new Scaler(ScalingKind.STANDARD, 1, 2), List.of("x"),
                List.of(new Scaler(ScalingKind.MIN_MAX, 0, 10)));
        assertEquals(2, p.inputsPerStep());
        assertEquals(1, p.firstUsableRow());
        assertEquals(3, p.firstOrigin());
        double[] feature = {0, 1, 2, 3, 4, 5};
        ForecastPreprocessing.Mapped m = p.map("s", Y, new double[][] {feature}, null);
        float[] x = new float[6];
        p.window(m, 3, x, 0, 2); // differences at rows 1..3: 2, -1, 4 -> (d - 1) / 2; feature / 10
        assertArrayEquals(new float[] {0.5f, 0.1f, -1f, 0.2f, 1.5f, 0.3f}, x);
        assertArrayEquals(new float[] {-0.5f, 1.5f}, p.target(m, 3));
    }

    @Test
    void logLevelsMapBackThroughExp() {
        ForecastPreprocessing p = with(Transform.LOGDIFF, new Scaler(ScalingKind.STANDARD, 0, 0.1), List.of(), List.of());
        ForecastPreprocessing.Mapped m = p.map("s", Y, new double[0][], null);
        assertEquals(Math.log(14 / 15.0) / 0.1, p.target(m, 3)[0], 1e-6);
        assertEquals(14.0, p.toUnits(Math.log(15), Math.log(14 / 15.0) / 0.1), 1e-12);
    }

    @Test
    void jsonRoundTrip() {
        ForecastPreprocessing p = new ForecastPreprocessing("Sales", List.of("Price", "Ads"), "Month", "yyyy-MM", Frequency.MONTHLY, 12, 24,
                3, Transform.LOGDIFF, new Scaler(ScalingKind.STANDARD, 0.0123456789, 0.25),
                List.of(new Scaler(ScalingKind.MIN_MAX, 1, 2), new Scaler(ScalingKind.STANDARD, -3.5, 7)), List.of(0.8, 0.95));
        assertEquals(p, ForecastPreprocessing.fromJson(Json.parseObject(Json.write(p.toJson()))));
    }
}
