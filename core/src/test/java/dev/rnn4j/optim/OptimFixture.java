package dev.rnn4j.optim;

import dev.rnn4j.io.Json;
import dev.rnn4j.io.SafetensorsFile;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One file written by {@code core/src/test/resources/optim/make_optim_fixtures.py}: the case names and their
 * configurations (JSON in the metadata), and the tensors.
 */
final class OptimFixture {
    final SafetensorsFile file;

    private OptimFixture(SafetensorsFile file) {
        this.file = file;
    }

    static OptimFixture read(String fileName) {
        URL url = OptimFixture.class.getResource("/optim/" + fileName);
        if (url == null) throw new IllegalStateException("missing test resource /optim/" + fileName
                + "; run core/src/test/resources/optim/make_optim_fixtures.py");
        try {
            return new OptimFixture(SafetensorsFile.read(Path.of(url.toURI())));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> cases() {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(file.metadata().get("cases"))) out.add((String) o);
        return out;
    }

    List<String> metaList(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(file.metadata().get(key))) out.add((String) o);
        return out;
    }

    Map<String, Object> config(String name) {
        return Json.parseObject(file.metadata().get(name));
    }

    static double number(Map<String, Object> config, String key, double fallback) {
        Object v = config.get(key);
        return v == null ? fallback : ((Number) v).doubleValue();
    }

    static boolean flag(Map<String, Object> config, String key) {
        return Boolean.TRUE.equals(config.get(key));
    }

    /** |actual - expected| / (1e-6 |expected| + floor): at most 1 passes "1e-6 relative with an absolute floor". */
    static double relativeError(double actual, double expected, double floor) {
        return Math.abs(actual - expected) / (1e-6 * Math.abs(expected) + floor);
    }
}
