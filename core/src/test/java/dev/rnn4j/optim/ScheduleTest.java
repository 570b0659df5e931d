package dev.rnn4j.optim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schedules of schedules.safetensors: 20 epochs of torch.optim.lr_scheduler, matched within 1e-12. */
class ScheduleTest {
    static final OptimFixture FIXTURE = OptimFixture.read("schedules.safetensors");
    static double maxError;

    static LearningRateSchedule schedule(Map<String, Object> c) {
        return switch ((String) c.get("schedule")) {
            case "StepLR" -> new StepDecay(((Number) c.get("step_size")).intValue(), OptimFixture.number(c, "gamma", 0.1));
            case "ExponentialLR" -> new ExponentialDecay(OptimFixture.number(c, "gamma", Double.NaN));
            case "CosineAnnealingLR" -> c.containsKey("eta_min")
                    ? new CosineAnnealing(((Number) c.get("T_max")).intValue(), OptimFixture.number(c, "eta_min", 0))
                    : new CosineAnnealing(((Number) c.get("T_max")).intValue());
            default -> null;
        };
    }

    static ReduceOnPlateau plateau(Map<String, Object> c) {
        ReduceOnPlateau.Builder b = ReduceOnPlateau.builder();
        if ("max".equals(c.get("mode"))) b.goal(ReduceOnPlateau.Goal.MAXIMIZE);
        if (c.containsKey("factor")) b.factor(OptimFixture.number(c, "factor", 0));
        if (c.containsKey("patience")) b.patience(((Number) c.get("patience")).intValue());
        if (c.containsKey("threshold")) {
            b.threshold(OptimFixture.number(c, "threshold", 0), "abs".equals(c.get("threshold_mode"))
                    ? ReduceOnPlateau.ThresholdMode.ABSOLUTE : ReduceOnPlateau.ThresholdMode.RELATIVE);
        }
        if (c.containsKey("cooldown")) b.cooldown(((Number) c.get("cooldown")).intValue());
        if (c.containsKey("min_lr")) b.minimumRate(OptimFixture.number(c, "min_lr", 0));
        return b.build();
    }

    @TestFactory
    Stream<DynamicTest> matchesTorchSchedulers() {
        assertTrue(FIXTURE.cases().size() >= 8);
        return FIXTURE.cases().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Map<String, Object> c = FIXTURE.config(name);
            double base = OptimFixture.number(c, "base_lr", Double.NaN);
            double[] expected = FIXTURE.file.doubles(name + ".rates");
            assertEquals(20, expected.length);
            double[] actual = new double[expected.length];
            LearningRateSchedule schedule = schedule(c);
            if (schedule != null) {
                for (int e = 0; e < actual.length; e++) actual[e] = schedule.rate(base, e);
            } else {
                ReduceOnPlateau p = plateau(c);
                double[] metrics = FIXTURE.file.doubles(name + ".metrics");
                actual[0] = base;
                for (int e = 1; e < actual.length; e++) actual[e] = p.onEpochEnd(metrics[e - 1], actual[e - 1]);
            }
            for (int e = 0; e < actual.length; e++) {
                double err = Math.abs(actual[e] - expected[e]);
                synchronized (ScheduleTest.class) {
                    maxError = Math.max(maxError, err);
                }
                assertEquals(expected[e], actual[e], 1e-12, name + " epoch " + e);
            }
        }));
    }

    @Test
    void plateauStateRoundTripContinuesIdentically() {
        Map<String, Object> c = FIXTURE.config("plateau_min_rel");
        double[] metrics = FIXTURE.file.doubles("plateau_min_rel.metrics");
        double[] expected = FIXTURE.file.doubles("plateau_min_rel.rates");
        ReduceOnPlateau first = plateau(c);
        double rate = 0.1;
        for (int e = 0; e < 5; e++) rate = first.onEpochEnd(metrics[e], rate);
        ReduceOnPlateau.State saved = first.state();
        assertEquals(5, saved.epochs());
        assertEquals(2, saved.badEpochs(), "mid-plateau: the next bad epoch cuts the rate");

        ReduceOnPlateau resumed = plateau(c);
        resumed.restore(saved);
        ReduceOnPlateau fresh = plateau(c);   // without the state the history is lost and the rates differ
        double freshRate = rate;
        boolean differs = false;
        for (int e = 5; e < 19; e++) {
            rate = resumed.onEpochEnd(metrics[e], rate);
            freshRate = fresh.onEpochEnd(metrics[e], freshRate);
            assertEquals(expected[e + 1], rate, 1e-12, "epoch " + (e + 1));
            differs |= freshRate != rate;
        }
        assertTrue(differs, "restoring the state changed nothing");

        resumed.reset();
        assertEquals(new ReduceOnPlateau.State(Double.POSITIVE_INFINITY, 0, 0, 0), resumed.state());
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(2, 0.5).rate(0.1, -1));
        assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder().factor(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder().patience(-1).build());
        assertThrows(IllegalArgumentException.class, () -> new ReduceOnPlateau.State(Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.5, 0));
        assertEquals(0.1, new StepDecay(3, 0.5).rate(0.1, 2));
        assertEquals(0.05, new StepDecay(3, 0.5).rate(0.1, 3));
    }

    /** Zaremba et al.'s schedule, as TensorFlow's ptb_word_lm: lr_decay ** max(i + 1 - max_epoch, 0), max_epoch 4. */
    @Test
    void exponentialDecayAfterConstantEpochsIsZarembasSchedule() {
        ExponentialDecay zaremba = new ExponentialDecay(0.5, 4);
        double[] expected = {1, 1, 1, 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625, 0.001953125};
        for (int epoch = 0; epoch < expected.length; epoch++) assertEquals(expected[epoch], zaremba.rate(1.0, epoch), 0, "epoch " + epoch);
        // one constant epoch is PyTorch's ExponentialLR
        for (int epoch = 0; epoch < 5; epoch++) assertEquals(new ExponentialDecay(0.9).rate(0.2, epoch), 0.2 * Math.pow(0.9, epoch), 1e-15);
    }

    @AfterAll
    static void report() {
        System.out.printf("schedules vs torch: max |err| %.3g%n", maxError);
    }
}
