package dev.rnn4j.data.report;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens a report page in headless Chromium and asserts what a person would see: every chart drawn at its size with
 * ink on it, every image decoded at its size, no error in the console and no request leaving the page. Without
 * chromium the test is skipped on a developer's machine and fails in CI (CI=true), where .ci/run installs it.
 */
final class PageChecks {
    private PageChecks() {}

    /** Measures each chart's canvas (size, and how many sampled pixels are not transparent) and each image. */
    static final String MEASURE = """
            JSON.stringify({
              drawn: document.body.getAttribute('data-charts-drawn'),
              charts: Array.prototype.map.call(document.querySelectorAll('div.chart'), function (d) {
                var c = d.querySelector('canvas');
                if (!c) return {id: d.id, width: 0, height: 0, ink: 0, expectedWidth: +d.dataset.width, expectedHeight: +d.dataset.height};
                var r = d.querySelector('.u-wrap').getBoundingClientRect(), px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, ink = 0;
                for (var i = 3; i < px.length; i += 4 * 5) if (px[i] > 0) ink++;
                return {id: d.id, width: r.width, height: r.height, ink: ink, expectedWidth: +d.dataset.width, expectedHeight: +d.dataset.height};
              }),
              images: Array.prototype.map.call(document.querySelectorAll('img'), function (i) {
                return {alt: i.alt, complete: i.complete, natural: i.naturalWidth, width: i.clientWidth, expectedWidth: +i.getAttribute('width')};
              })
            })""";

    static Path browser() {
        Optional<Path> browser = HeadlessChromium.find();
        if (browser.isEmpty() && "true".equals(System.getenv("CI"))) throw new AssertionError("chromium is not installed (.ci/run installs it)");
        Assumptions.assumeTrue(browser.isPresent(), "chromium is not installed");
        return browser.get();
    }

    /** Opens the page and asserts it; returns the number of charts and images checked. */
    static int assertRendersCleanly(HeadlessChromium chromium, Path page, int minimumCharts) throws Exception {
        HeadlessChromium.PageVisit visit = chromium.visit(page, "document.body.getAttribute('data-charts-drawn')", MEASURE);
        assertEquals(List.of(), visit.requests(), "requests the page made");
        assertEquals(List.of(), visit.errors(), "console errors");
        Map<String, Object> measured = dev.rnn4j.io.Json.parseObject((String) visit.measured());
        List<?> charts = (List<?>) measured.get("charts"), images = (List<?>) measured.get("images");
        assertEquals(String.valueOf(charts.size()), measured.get("drawn"), "the page's script drew every chart");
        assertTrue(charts.size() >= minimumCharts, "charts: " + charts.size());
        for (Object o : charts) {
            Map<?, ?> c = (Map<?, ?>) o;
            assertEquals(((Number) c.get("expectedWidth")).doubleValue(), ((Number) c.get("width")).doubleValue(), 1, "width of " + c);
            assertEquals(((Number) c.get("expectedHeight")).doubleValue(), ((Number) c.get("height")).doubleValue(), 1, "height of " + c);
            assertTrue(((Number) c.get("ink")).intValue() > 100, "something drawn on " + c);
        }
        for (Object o : images) {
            Map<?, ?> i = (Map<?, ?>) o;
            assertTrue(Boolean.TRUE.equals(i.get("complete")) && ((Number) i.get("natural")).intValue() > 0, "image decoded: " + i);
            assertEquals(((Number) i.get("expectedWidth")).doubleValue(), ((Number) i.get("width")).doubleValue(), 1, "image width: " + i);
        }
        assertTrue(Files.size(page) > 0);
        return charts.size() + images.size();
    }
}
