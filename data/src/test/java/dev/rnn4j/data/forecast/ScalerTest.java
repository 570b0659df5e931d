package dev.rnn4j.data.forecast;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalerTest {

    @Test
    void standardFitsMeanAndPopulationStdOfTheSliceOnly() {
        double[] values = {100, 1, 2, 3, 4, 5, -50};
        Scaler scaler = Scaler.fit(ScalingKind.STANDARD, values, 1, 6);
        // slice 1..5: mean 3, population std sqrt((4 + 1 + 0 + 1 + 4) / 5) = sqrt(2)
        assertEquals(3, scaler.center(), 1e-12);
        assertEquals(Math.sqrt(2), scaler.scale(), 1e-12);
        values[0] = 1e6;
        values[6] = -1e6;
        assertEquals(scaler, Scaler.fit(ScalingKind.STANDARD, values, 1, 6));
    }

    @Test
    void minMaxMapsTheSliceOntoZeroToOne() {
        double[] values = {-9, 2, 6, 4, 40};
        Scaler scaler = Scaler.fit(ScalingKind.MIN_MAX, values, 1, 4);
        // slice 2, 6, 4: min 2, range 4
        assertEquals(new Scaler(ScalingKind.MIN_MAX, 2, 4), scaler);
        assertEquals(0, scaler.apply(2));
        assertEquals(1, scaler.apply(6));
        assertEquals(0.5, scaler.apply(4));
        // a value outside the slice may fall outside [0, 1]
        assertEquals(9.5, scaler.apply(40));
    }

    @Test
    void invertUndoesApplyAndDifferencesLoseTheCenter() {
        Scaler scaler = Scaler.fit(ScalingKind.STANDARD, new double[] {3, 8, -1, 12.5}, 0, 4);
        for (double v : new double[] {-7, 0, 3.25, 1e4}) assertEquals(v, scaler.invert(scaler.apply(v)), 1e-9);
        double a = 4, b = 11.5;
        assertEquals(b - a, scaler.invertDifference(scaler.apply(b) - scaler.apply(a)), 1e-12);
        // (10 − 2) / 4 = 2, and back 2 · 4 + 2 = 10
        Scaler minMax = new Scaler(ScalingKind.MIN_MAX, 2, 4);
        assertEquals(2, minMax.apply(10));
        assertEquals(10, minMax.invert(2));
        assertEquals(8, minMax.invertDifference(2));
    }

    @Test
    void jsonRoundTripsThroughTheCoreWriterAndParser() {
        Scaler irrational = Scaler.fit(ScalingKind.STANDARD, new double[] {1, 2, 3, 4, 5}, 0, 5); // center 3 (Long)
        Scaler integral = new Scaler(ScalingKind.MIN_MAX, -2, 4); // both come back as Long
        for (Scaler scaler : new Scaler[] {irrational, integral}) {
            String text = Json.write(scaler.toJson());
            assertEquals(scaler, Scaler.fromJson(Json.parseObject(text)), text);
        }
        assertTrue(Json.write(integral.toJson()).contains("\"kind\":\"MIN_MAX\""));
        assertThrows(IllegalArgumentException.class,
                () -> Scaler.fromJson(Json.parseObject("{\"kind\":\"ROBUST\",\"center\":0,\"scale\":1}")));
        assertThrows(IllegalArgumentException.class,
                () -> Scaler.fromJson(Json.parseObject("{\"kind\":\"STANDARD\",\"center\":0}")));
    }

    @Test
    void aConstantTrainingPartCannotBeScaled() {
        double[] values = {7, 3, 3, 3, 9};
        for (ScalingKind kind : ScalingKind.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Scaler.fit(kind, values, 1, 4));
            assertTrue(e.getMessage().startsWith(
                    "the series is constant over the training part (value 3.0), so it cannot be scaled; "),
                    e.getMessage());
        }
        // the same values fit once the slice includes a different one
        assertEquals(3, Scaler.fit(ScalingKind.MIN_MAX, values, 1, 5).center());
    }

    @Test
    void badSlicesAndNonFiniteValuesAreRefused() {
        double[] values = {1, Double.NaN, 3};
        assertThrows(IllegalArgumentException.class, () -> Scaler.fit(ScalingKind.STANDARD, values, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Scaler.fit(ScalingKind.STANDARD, values, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Scaler.fit(ScalingKind.STANDARD, values, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new Scaler(ScalingKind.STANDARD, 0, 0));
    }
}
