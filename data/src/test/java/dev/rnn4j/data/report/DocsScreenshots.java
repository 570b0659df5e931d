package dev.rnn4j.data.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: makes the screenshots in docs/ from report pages, with the same browser the tests use. Run with
 * {@code -Drnn4j.screenshots=docs/img -Drnn4j.screenshot.pages=NAME=PAGE[#SELECTOR],...}: NAME.png is the whole page, or the
 * first element the CSS selector matches.
 */
@EnabledIfSystemProperty(named = "rnn4j.screenshots", matches = ".+")
class DocsScreenshots {

    @Test
    void screenshots() throws Exception {
        Path out = Path.of(System.getProperty("rnn4j.screenshots"));
        Files.createDirectories(out);
        try (HeadlessChromium chromium = HeadlessChromium.start(PageChecks.browser(), 1000, 900)) {
            for (String entry : System.getProperty("rnn4j.screenshot.pages").split(",")) {
                String name = entry.substring(0, entry.indexOf('='));
                String target = entry.substring(entry.indexOf('=') + 1);
                String selector = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path page = Path.of(selector == null ? target : target.substring(0, target.indexOf('#')));
                PageChecks.assertRendersCleanly(chromium, page, 0);
                Files.write(out.resolve(name + ".png"), chromium.screenshot(selector));
            }
        }
    }
}
