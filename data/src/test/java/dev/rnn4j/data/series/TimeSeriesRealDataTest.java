package dev.rnn4j.data.series;

import dev.rnn4j.data.series.TimeSeriesCsv.Options;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared data sets, read as a user would; skipped where the shared folder is not checked out. */
class TimeSeriesRealDataTest {

    /** {@code <parent>/shared/data} for the nearest parent of the working directory that has one, or null. */
    private static Path sharedData() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    private static Path dataFile(String relative) {
        Path shared = sharedData();
        assumeTrue(shared != null, "no shared/data folder above " + System.getProperty("user.dir"));
        Path file = shared.resolve(relative);
        assumeTrue(Files.isRegularFile(file), "missing " + file);
        return file;
    }

    @Test
    void airlinePassengers() throws IOException {
        Path file = dataFile("airline-passengers/airline-passengers.csv");
        String text = Files.readString(file);
        assertTrue(text.contains("\r\n") && !text.endsWith("\n"), "CRLF without a final line end, as SOURCE.md says");
        TimeSeries series = TimeSeriesCsv.read(file, Options.target("Passengers"));
        assertEquals(144, series.length());
        assertEquals(Frequency.MONTHLY, series.frequency());
        assertEquals("Month", series.timeColumn());
        assertEquals(112, series.target()[0]);
        assertEquals(432, series.target()[143]);
        assertEquals("1949-01", series.timeLabels()[0]);
        assertEquals(145, series.lines()[143]);
        LocalDateTime next = series.frequency().plus(series.times()[143], 1);
        assertEquals("1961-01", series.timeFormat().format(next));
    }

    @Test
    void dailyMinimumTemperatures() {
        // SOURCE.md: CRLF, quoted dates, no final line end, two calendar days absent (1984-12-31, 1988-12-31)
        Path file = dataFile("daily-min-temperatures/daily-min-temperatures.csv");
        TimeSeries series = TimeSeriesCsv.read(file, Options.target("Temp"));
        assertEquals(3650, series.length());
        assertEquals(Frequency.DAILY, series.frequency());
        assertEquals(LocalDateTime.of(1981, 1, 1, 0, 0), series.times()[0]);
        assertEquals("1990-12-31", series.timeLabels()[3649]);
        assertEquals(20.7, series.target()[0]);
        assertEquals(13.0, series.target()[3649]);
        int gaps = 0;
        LocalDateTime[] times = series.times();
        for (int i = 1; i < times.length; i++) if (!times[i].equals(times[i - 1].plusDays(1))) gaps++;
        assertEquals(2, gaps, "the two absent days");
    }

    @Test
    void sp500DailyCloses() {
        Path file = dataFile("sp500-daily/sp500.csv");
        TimeSeries series = TimeSeriesCsv.read(file,
                Options.target("Close").withFeatures(java.util.List.of("Open", "Volume")));
        assertEquals(4697, series.length());
        assertEquals("Date", series.timeColumn());
        assertEquals("dd-MM-yy", series.timeFormat().pattern());
        assertEquals(LocalDateTime.of(2000, 1, 3, 0, 0), series.times()[0]);
        assertEquals(LocalDateTime.of(2018, 8, 31, 0, 0), series.times()[4696]);
        assertEquals(Frequency.DAILY, series.frequency(), "trading days: the median gap is one day");
        assertEquals(1455.219971, series.target()[0]);
        assertEquals(931800000.0, series.values(2)[0]);
        assertEquals("03-01-00", series.timeLabels()[0]);
    }
}
