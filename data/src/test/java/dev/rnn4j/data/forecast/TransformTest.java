package dev.rnn4j.data.forecast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformTest {

    @Test
    void flagsSayWhatEachTransformDoes() {
        assertFalse(Transform.NONE.logarithmic() || Transform.NONE.differenced());
        assertTrue(Transform.LOG.logarithmic() && !Transform.LOG.differenced());
        assertTrue(!Transform.DIFF.logarithmic() && Transform.DIFF.differenced());
        assertTrue(Transform.LOGDIFF.logarithmic() && Transform.LOGDIFF.differenced());
    }

    @Test
    void levelIsTheLogOrTheValueAndUnlevelUndoesIt() {
        assertEquals(1, Transform.LOG.level(Math.E), 1e-15);
        assertEquals(Math.log(20), Transform.LOGDIFF.level(20), 1e-15);
        assertEquals(-3, Transform.NONE.level(-3));
        assertEquals(-3, Transform.DIFF.level(-3));
        for (Transform transform : Transform.values()) {
            for (double y : new double[] {0.5, 1, 7.25, 1e6}) {
                assertEquals(y, transform.unlevel(transform.level(y)), 1e-12 * y, transform + " at " + y);
            }
        }
    }

    @Test
    void logRefusesValuesThatAreNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transform.LOG.level(0));
        assertTrue(e.getMessage().contains("0.0") && e.getMessage().contains("log needs positive values"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transform.LOGDIFF.level(-2.5));
        assertTrue(e.getMessage().contains("-2.5"), e.getMessage());
    }
}
