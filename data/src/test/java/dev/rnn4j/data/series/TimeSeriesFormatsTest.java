package dev.rnn4j.data.series;

import dev.rnn4j.data.DataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TimeFormat, Frequency and DataFileException on their own, without files. */
class TimeSeriesFormatsTest {

    private static LocalDateTime[] stepped(LocalDateTime start, Frequency frequency, int count) {
        LocalDateTime[] times = new LocalDateTime[count];
        for (int i = 0; i < count; i++) times[i] = frequency.plus(start, i);
        return times;
    }

    @ParameterizedTest
    @CsvSource({"HOURLY", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY"})
    void inferRecognisesEachRegularSpacing(Frequency frequency) {
        // starting on 31 January makes the months 28 to 31 days long
        LocalDateTime[] times = stepped(LocalDateTime.of(1999, 1, 31, 0, 0), frequency, 30);
        assertEquals(frequency, Frequency.infer(times));
    }

    @Test
    void inferUsesTheMedianSoTradingDaysAreDaily() {
        LocalDateTime day = LocalDateTime.of(2000, 1, 3, 0, 0); // a Monday
        LocalDateTime[] times = new LocalDateTime[20];
        for (int i = 0, added = 0; added < times.length; i++) {
            LocalDateTime t = day.plusDays(i);
            if (t.getDayOfWeek().getValue() <= 5) times[added++] = t;
        }
        assertEquals(Frequency.DAILY, Frequency.infer(times));
    }

    @Test
    void inferGivesNoneForIrregularOrTooFewTimes() {
        LocalDateTime t = LocalDateTime.of(2020, 1, 1, 0, 0);
        assertEquals(Frequency.NONE, Frequency.infer(new LocalDateTime[] {t, t.plusDays(3), t.plusDays(6)}));
        assertEquals(Frequency.NONE, Frequency.infer(new LocalDateTime[] {t}));
        assertEquals(Frequency.NONE, Frequency.infer(null));
    }

    @Test
    void seasonalPeriods() {
        assertEquals(24, Frequency.HOURLY.seasonalPeriod());
        assertEquals(7, Frequency.DAILY.seasonalPeriod());
        assertEquals(52, Frequency.WEEKLY.seasonalPeriod());
        assertEquals(12, Frequency.MONTHLY.seasonalPeriod());
        assertEquals(4, Frequency.QUARTERLY.seasonalPeriod());
        assertEquals(1, Frequency.YEARLY.seasonalPeriod());
        assertEquals(1, Frequency.NONE.seasonalPeriod());
    }

    @Test
    void plusStepsOnTheCalendarAcrossMonthEnds() {
        LocalDateTime endOfJanuary = LocalDateTime.of(2020, 1, 31, 0, 0);
        assertEquals(LocalDateTime.of(2020, 2, 29, 0, 0), Frequency.MONTHLY.plus(endOfJanuary, 1));
        assertEquals(LocalDateTime.of(2020, 3, 31, 0, 0), Frequency.MONTHLY.plus(endOfJanuary, 2));
        assertEquals(LocalDateTime.of(2021, 1, 1, 0, 0),
                Frequency.MONTHLY.plus(LocalDateTime.of(1960, 12, 1, 0, 0), 721));
        assertEquals(LocalDateTime.of(2020, 4, 30, 0, 0), Frequency.QUARTERLY.plus(endOfJanuary, 1));
        assertEquals(LocalDateTime.of(2020, 2, 1, 0, 0), Frequency.DAILY.plus(endOfJanuary, 1));
        assertEquals(LocalDateTime.of(2020, 2, 1, 1, 0), Frequency.HOURLY.plus(endOfJanuary, 25));
        assertEquals(LocalDateTime.of(2020, 2, 14, 0, 0), Frequency.WEEKLY.plus(endOfJanuary, 2));
        LocalDateTime leapDay = LocalDateTime.of(2020, 2, 29, 0, 0);
        assertEquals(LocalDateTime.of(2021, 2, 28, 0, 0), Frequency.YEARLY.plus(leapDay, 1));
        assertEquals(LocalDateTime.of(2019, 12, 31, 0, 0), Frequency.MONTHLY.plus(endOfJanuary, -1));
        assertThrows(IllegalStateException.class, () -> Frequency.NONE.plus(endOfJanuary, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2020-01-31T13:45    | 2020-01-31T13:45:00",
        "2020-01-31T13:45:07 | 2020-01-31T13:45:07",
        "2020-01-31 13:45    | 2020-01-31T13:45:00",
        "2020-01-31 13:45:07 | 2020-01-31T13:45:07",
        "2020-01-31          | 2020-01-31T00:00:00",
        "1949-01             | 1949-01-01T00:00:00",
        "2020/01/31          | 2020-01-31T00:00:00",
        "03-01-00            | 2000-01-03T00:00:00",
        "31-12-99            | 1999-12-31T00:00:00",
        "01-01-69            | 2069-01-01T00:00:00",
        "01-01-70            | 1970-01-01T00:00:00",
        "31-01-2020          | 2020-01-31T00:00:00",
        "31/01/2020          | 2020-01-31T00:00:00",
        "1949                | 1949-01-01T00:00:00",
        "1577836800          | 2020-01-01T00:00:00",
        "1577836800123       | 2020-01-01T00:00:00.123",
    })
    void eachBuiltInFormatParsesAndWritesBackTheSameText(String text, LocalDateTime expected) {
        TimeFormat format = TimeFormat.BUILT_IN.stream().filter(f -> TimeAxes.parses(f, text)).findFirst()
                .orElseThrow().styledLike(text);
        assertEquals(expected, format.parse(text), format.pattern());
        assertEquals(text, format.format(format.parse(text)), format.pattern());
        // a saved pattern() gives the same format back
        TimeFormat restored = TimeFormat.ofPattern(format.pattern());
        assertEquals(expected, restored.parse(text), format.pattern());
        assertEquals(text, restored.format(expected), format.pattern());
    }

    @Test
    void builtInFormatsAreStrictAboutDates() {
        TimeFormat isoDate = TimeFormat.BUILT_IN.get(2);
        assertEquals("yyyy-MM-dd", isoDate.pattern());
        assertThrows(DateTimeParseException.class, () -> isoDate.parse("2021-02-30"));
        assertThrows(DateTimeParseException.class, () -> isoDate.parse("2021-1-5"));
        assertEquals(LocalDateTime.of(1999, 12, 31, 0, 0), TimeFormat.ofPattern("dd-MM-yy").parse("31-12-99"));
    }

    @Test
    void explicitPatternWithOnlyDateFieldsGivesMidnightAndRoundTrips() {
        TimeFormat format = TimeFormat.ofPattern("dd.MM.yyyy");
        assertEquals(LocalDateTime.of(2021, 3, 7, 0, 0), format.parse("07.03.2021"));
        assertEquals("07.03.2021", format.format(format.parse("07.03.2021")));
        assertThrows(DateTimeParseException.class, () -> format.parse("30.02.2021"));
        TimeFormat months = TimeFormat.ofPattern("MMM yyyy");
        assertEquals(LocalDateTime.of(1958, 7, 1, 0, 0), months.parse("Jul 1958"));
        assertEquals("Jul 1958", months.format(months.parse("Jul 1958")));
    }

    @Test
    void dataFileExceptionLeavesOutAbsentParts() {
        assertEquals("data/sales.csv: line 14, column 'Passengers': 'abc' is not a number",
                new DataFileException("data/sales.csv", 14, "Passengers", "'abc' is not a number").getMessage());
        assertEquals("a.csv: line 3: bad", new DataFileException("a.csv", 3, null, "bad").getMessage());
        assertEquals("a.csv: column 'X': bad", new DataFileException("a.csv", 0, "X", "bad").getMessage());
        DataFileException whole = DataFileException.ofFile("a.csv", "the file is empty");
        assertEquals("a.csv: the file is empty", whole.getMessage());
        assertEquals(0, whole.line());
        assertEquals(null, whole.column());
        assertEquals("a.csv", whole.source());
    }
}
